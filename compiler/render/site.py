"""Assemble the site: the launch page, the runtime script, theme static files, media."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..diagnostics import CourseError, error
from ..model import Course
from . import RenderOptions
from .bundle import runtime_script
from .config import runtime_config
from .markdown import MarkdownRenderer
from .theme import ThemeStack
from .views import course_view

RUNTIME_PATH = "assets/coursec.js"


def build_site(course: Course, options: RenderOptions) -> dict[str, bytes]:
    theme = ThemeStack(tuple(options.themes))
    strings = theme.strings(course.language)
    config = runtime_config(course, options, strings)
    md = MarkdownRenderer()
    view = course_view(course, md, strings, config["modules"])
    page = theme.render("course.html", course=view, t=strings, target=options.target,
                        runtime=RUNTIME_PATH, stylesheets=_stylesheets(theme), scripts=_theme_scripts(theme))
    files = {"index.html": page.encode("utf-8"), RUNTIME_PATH: runtime_script(config)}
    files.update({f"assets/{name}": data for name, data in theme.static_files().items()})
    files.update(media_files(course, md.images))
    return dict(sorted(files.items()))


def _stylesheets(theme: ThemeStack) -> list[str]:
    return [f"assets/{n}" for n in theme.static_files() if n.endswith(".css")]


def _theme_scripts(theme: ThemeStack) -> list[str]:
    return [f"assets/{n}" for n in theme.static_files() if n.endswith(".js")]


def media_files(course: Course, referenced: set[str]) -> dict[str, bytes]:
    """Every file under the course's media/ plus each referenced image, checked to exist."""
    root = Path(course.root)
    files: dict[str, bytes] = {}
    media = root / "media"
    if media.is_dir():
        for path in sorted(media.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    missing = []
    for src in sorted(referenced):
        rel = PurePosixPath(src.split("#")[0].split("?")[0])
        if rel.as_posix() in files:
            continue
        path = root / rel
        if ".." in rel.parts or not path.is_file():
            missing.append(error(course.pos, "missing-image", f"image {src!r} does not exist in the course folder"))
        else:
            files[rel.as_posix()] = path.read_bytes()
    if missing:
        raise CourseError(missing)
    return files
