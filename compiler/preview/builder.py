"""Build the course in memory for the preview, and watch its sources for changes.

``PreviewBuilder.rebuild()`` loads and lints the course, renders the site for the chosen
target (SCORM targets send xAPI to the preview's own endpoint) and packages it; the files
are served from memory.  When the sources have errors, the build keeps the diagnostics
instead of files, so the page shows them rather than a stale course.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import CourseError, Diagnostic, sort_diagnostics
from ..render.theme import default_theme

PREVIEW_HOMEPAGE = "https://coursec.invalid/preview"  # account homePage of preview learners
LRS_TARGETS = ("scorm12", "scorm2004", "web")


@dataclass(frozen=True)
class PreviewBuild:
    version: int
    files: dict[str, bytes] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    course_id: str = ""
    title: str = ""
    cohorts: tuple[tuple[str, str], ...] = ()  # (id, title)
    mastery_score: float | None = None
    language: str = "en"

    @property
    def ok(self) -> bool:
        return bool(self.files)


def course_slug(course_dir: Path) -> str:
    """The course's slug (last segment of its IRI), read even when the course has errors."""
    import yaml

    try:
        head = yaml.safe_load((course_dir / "course.yml").read_text(encoding="utf-8"))
        course_id = str(head.get("id") or "") if isinstance(head, dict) else ""
    except (OSError, ValueError, yaml.YAMLError):
        course_id = ""
    slug = course_id.rstrip("/").rsplit("/", 1)[-1]
    return slug if slug and "/" not in slug and not slug.startswith(".") else course_dir.resolve().name


def load_checked(course_dir: Path):
    """The course and its diagnostics; raises CourseError when there are errors."""
    from ..lint import load_and_check

    course, diagnostics = load_and_check(course_dir)
    if course is None or any(d.is_error for d in diagnostics):
        raise CourseError(diagnostics)
    return course


class PreviewBuilder:
    """Owns the current build; ``rebuild`` swaps it atomically and wakes the waiters."""

    def __init__(self, course_dir: Path, target: str, endpoint: str, themes: tuple[Path, ...] = ()):
        self.course_dir = course_dir
        self.target = target
        self.endpoint = endpoint
        self.themes = themes
        self.changed = threading.Condition()
        self.building = threading.Lock()  # the first build and the watcher's may overlap
        self.current = PreviewBuild(version=0)

    def rebuild(self) -> PreviewBuild:
        with self.building:
            version = self.current.version + 1
            try:
                build = self._build(version)
            except CourseError as exc:
                build = PreviewBuild(version=version, diagnostics=tuple(sort_diagnostics(exc.diagnostics)))
            with self.changed:
                self.current = build
                self.changed.notify_all()
            return build

    def _build(self, version: int) -> PreviewBuild:
        from ..render import LrsSettings, RenderOptions, render_site
        from ..targets import PackageOptions, get_target

        course = load_checked(self.course_dir)
        target = get_target(self.target)
        lrs = LrsSettings(endpoint=self.endpoint, actor_homepage=PREVIEW_HOMEPAGE) if self.target in LRS_TARGETS else None
        site = render_site(course, RenderOptions(target=target.render_target(), themes=self.themes, lrs=lrs))
        files = target.package(course, site, PackageOptions(cmi5_au="course"))
        cohorts = tuple((c.id, c.title) for c in course.cohorts)
        return PreviewBuild(version, files, course_id=course.id, title=course.title, cohorts=cohorts,
                            mastery_score=course.mastery_score, language=course.language)

    def wait_for_change(self, seen: int, timeout: float) -> PreviewBuild:
        """The current build once its version differs from ``seen`` (or after ``timeout``)."""
        with self.changed:
            self.changed.wait_for(lambda: self.current.version != seen, timeout=timeout)
            return self.current

    def watched_folders(self) -> tuple[Path, ...]:
        return (self.course_dir, *self.themes, default_theme())


def snapshot(folders: tuple[Path, ...]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under the folders, hidden files and folders excluded."""
    seen: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if any(part.startswith(".") for part in path.relative_to(folder).parts):
                continue
            try:
                if path.is_file():
                    info = path.stat()
                    seen[str(path)] = (info.st_mtime_ns, info.st_size)
            except OSError:
                continue  # removed while we looked
    return seen


class Watcher:
    """Polls the course and theme folders; rebuilds when anything changed."""

    def __init__(self, builder: PreviewBuilder, interval: float = 0.1):
        self.builder = builder
        self.interval = interval
        self.stopped = threading.Event()
        self.before: dict[str, tuple[int, int]] = {}
        self.thread = threading.Thread(target=self._run, name="coursec-preview-watcher", daemon=True)

    def start(self) -> "Watcher":
        """Take the baseline now, in the caller's thread: a save that lands after this call is
        always seen, however late the polling thread gets its first turn."""
        self.before = snapshot(self.builder.watched_folders())
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            now = snapshot(self.builder.watched_folders())
            if now != self.before:
                time.sleep(0.02)  # let an editor finish writing
                self.before = snapshot(self.builder.watched_folders())
                self.builder.rebuild()
