"""``coursec new``: write a starter course that shows every block kind.

The starter files are package data under ``templates/new-course/``; only ``course.yml``
is filled in (title and course IRI).  The course is written into a temporary folder
beside the destination and renamed into place, so a failure never leaves half a course.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template

from ..diagnostics import CourseError, error
from ..model import Position
from .course_yml import iri_problem

TEMPLATE_DIR = ("templates", "new-course")
FILLED_IN = "course.yml"  # the only template with placeholders: ${title}, ${course_id}
DEFAULT_IRI_BASE = "https://courses.example.org/"

__all__ = ["new_course", "template_files", "default_course_id"]


def new_course(directory: Path, title: str = "My new course", course_id: str | None = None) -> Path:
    """Write a starter course into ``directory`` (absent or empty) and return its path.

    Raises CourseError (one diagnostic, nothing written) when the folder is not empty,
    the title is empty or the course id is not an absolute http(s) IRI.
    """
    target = Path(directory)
    course_id = course_id if course_id is not None else default_course_id(target)
    _check_inputs(target, title, course_id)
    files = template_files()
    files[FILLED_IN] = _fill_course_yml(files[FILLED_IN], title, course_id)
    _write_atomically(target, files)
    return target


def default_course_id(directory: Path) -> str:
    """An example.org IRI named after the folder, e.g. .../handling-complaints."""
    name = re.sub(r"[^a-z0-9]+", "-", Path(directory).resolve().name.lower()).strip("-")
    return DEFAULT_IRI_BASE + (name or "my-course")


def template_files() -> dict[str, bytes]:
    """Every starter file, relative POSIX path -> bytes, in a stable order."""
    root = resources.files("compiler.source").joinpath(*TEMPLATE_DIR)
    return dict(sorted(_walk(root, "")))


def _walk(node: Traversable, prefix: str):
    for child in node.iterdir():
        name = prefix + child.name
        if child.is_dir():
            yield from _walk(child, name + "/")
        elif not child.name.startswith("."):
            yield name, child.read_bytes()


def _check_inputs(target: Path, title: str, course_id: str) -> None:
    shown = Position(target.as_posix())
    if target.exists() and not target.is_dir():
        _refuse(shown, "invalid-value", f"{target.as_posix()} exists and is not a folder; choose a new folder name")
    if target.is_dir() and any(target.iterdir()):
        _refuse(shown, "invalid-value", f"{target.as_posix()} is not empty; `coursec new` only writes "
                                        "into a new or empty folder, so nothing there is overwritten")
    if not title.strip():
        _refuse(shown, "missing-field", "the course title is empty; give one with --title")
    problem = iri_problem(course_id)
    if problem:
        _refuse(shown, "invalid-iri", f"course id '{course_id}' {problem} (give one with --id)")


def _refuse(pos: Position, code: str, message: str) -> None:
    raise CourseError([error(pos, code, message)])


def _fill_course_yml(template: bytes, title: str, course_id: str) -> bytes:
    # A JSON string is a valid YAML double-quoted scalar: quotes, colons and '#' stay text.
    values = {"title": json.dumps(title.strip(), ensure_ascii=False), "course_id": course_id}
    return Template(template.decode("utf-8")).substitute(values).encode("utf-8")


def _write_atomically(target: Path, files: dict[str, bytes]) -> None:
    """Write every file into a temporary sibling folder, then rename it to ``target``."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as exc:
        _refuse(Position(target.as_posix()), "invalid-value", f"cannot create {target.as_posix()}: {exc.strerror or exc}")
    try:
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        staging.chmod(0o777 & ~_umask())
        os.replace(staging, target)  # also replaces an empty folder
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        _refuse(Position(target.as_posix()), "invalid-value", f"cannot write {target.as_posix()}: {exc.strerror or exc}")


def _umask() -> int:
    """The process umask (mkdtemp makes a private 0700 folder; the course should not be)."""
    current = os.umask(0)
    os.umask(current)
    return current
