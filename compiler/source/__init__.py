"""Loading a course folder into the immutable model of compiler/model.py.

``load_course(path)`` never raises on bad input: it returns the model it could build
(``None`` only when course.yml itself is unusable) and every diagnostic it found.
"""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, error, sort_diagnostics, warning
from ..model import Course, Module, Position
from .course_yml import CourseHead, read_course_yml
from .files import content_hash, decode_text, display_path, is_file, read_bytes
from .module import parse_module

__all__ = ["load_course", "COURSE_FILE"]

COURSE_FILE = "course.yml"
NOT_MODULES = {"README.md"}  # a course folder may explain itself


def load_course(path: Path) -> tuple[Course | None, list[Diagnostic]]:
    """Read course.yml and every listed module; the model (or None) and sorted diagnostics."""
    course_dir = Path(path)
    diags: list[Diagnostic] = []
    shown = display_path(course_dir, COURSE_FILE)
    yml_file = course_dir / COURSE_FILE
    if not is_file(yml_file):
        diags.append(error(Position(shown), "yaml-error", f"the course folder has no {COURSE_FILE}"))
        return None, diags
    data = read_bytes(yml_file, shown, diags)
    text = decode_text(data, shown, diags) if data is not None else None
    head = read_course_yml(text, shown, diags) if text is not None else None
    if head is None:
        return None, sort_diagnostics(diags)
    modules, sources = _load_modules(course_dir, head, diags)
    diags.extend(_unlisted(course_dir, {name for name, _ in head.modules}))
    course = Course(
        id=head.id, title=head.title, version=head.version, language=head.language,
        mastery_score=head.mastery_score, attempts=head.attempts, cohorts=head.cohorts,
        modules=tuple(modules), root=course_dir, pos=head.pos, lrs=head.lrs,
        description=head.description, content_hash=content_hash([(COURSE_FILE, data)] + sources),
    )
    return course, sort_diagnostics(diags)


def _load_modules(course_dir: Path, head: CourseHead, diags: list[Diagnostic]) -> tuple[list[Module], list[tuple[str, bytes]]]:
    modules: list[Module] = []
    sources: list[tuple[str, bytes]] = []
    for name, listed_at in head.modules:
        file = course_dir / name
        shown = display_path(course_dir, name)
        if not is_file(file):
            diags.append(error(listed_at, "missing-module", f"module '{name}' is listed but {shown} does not exist"))
            continue
        data = read_bytes(file, shown, diags)
        text = decode_text(data, shown, diags) if data is not None else None
        if text is None:
            continue
        sources.append((name, data))
        modules.append(parse_module(text, name, shown, diags, {c.id for c in head.cohorts}))
    return modules, sources


def _unlisted(course_dir: Path, listed: set[str]) -> list[Diagnostic]:
    """A warning for each Markdown file beside course.yml that course.yml does not list."""
    try:
        found = sorted(p.name for p in course_dir.glob("*.md") if is_file(p))
    except OSError:
        return []
    return [warning(Position(display_path(course_dir, name)), "unlisted-module",
                    f"{name} is not listed in course.yml 'modules', so it is not part of the course")
            for name in found if name not in listed and name not in NOT_MODULES]
