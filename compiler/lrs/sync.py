"""Getting statements into the store: from an LRS (incremental, page by page) or a file.

An LRS sync asks for the course's statements ``since`` the last ``stored`` the store saw minus
an overlap window, and loads each page as a whole; if the LRS fails after retries, the pages
already loaded stay in the store and the ServiceError goes up (no report is written).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..diagnostics import CourseError, error
from ..model import Position
from ..reports.store import LoadStats, StatementStore, UnreadableInput
from .client import LRSClient
from .statements import iso_timestamp

DEFAULT_PAGE_SIZE = 500


class Progress:
    """A one-line progress report on stderr (pages, statements, rate); silent when off."""

    def __init__(self, enabled: bool, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.start = time.monotonic()
        self.pages = self.statements = 0

    def page(self, statements: int) -> None:
        self.pages += 1
        self.statements += statements
        if self.enabled:
            rate = self.statements / max(time.monotonic() - self.start, 1e-6)
            self.stream.write(f"\rpages {self.pages}  statements {self.statements:,}  {rate:,.0f}/s ")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")


def sync_from_lrs(store: StatementStore, client: LRSClient, course_iri: str,
                  page_size: int | None = None, progress: Progress | None = None) -> LoadStats:
    """Pull the course's new statements page by page into the store."""
    params = {"activity": course_iri, "related_activities": "true",
              "limit": str(page_size or int(os.environ.get("COURSEC_LRS_PAGE_SIZE", DEFAULT_PAGE_SIZE)))}
    since = store.sync_since()
    if since is not None:
        params["since"] = iso_timestamp(since)
    total = LoadStats()
    progress = progress or Progress(False)
    try:
        for page in client.statement_pages(params):
            if page:
                total.merge(store.load_statements(page))
            progress.page(len(page))
    finally:
        progress.done()
    return total


def _bad_file(path: str, message: str) -> CourseError:
    return CourseError([error(Position(path), "invalid-value", message)])


def _first_char(path: Path) -> str:
    with open(path, "rb") as stream:
        head = stream.read(4096).lstrip()
    return head[:1].decode("latin-1")


def sync_from_file(store: StatementStore, source: str) -> LoadStats:
    """Load a JSON array or NDJSON file (``-``: stdin) into the store."""
    if source == "-":
        with tempfile.NamedTemporaryFile("wb", suffix=".ndjson", delete=False) as tmp:
            shutil.copyfileobj(sys.stdin.buffer, tmp)
        try:
            return _load_path(store, Path(tmp.name), "<stdin>")
        finally:
            os.unlink(tmp.name)
    path = Path(source)
    if not path.is_file():
        raise _bad_file(source, "statements file not found")
    return _load_path(store, path, source)


def _load_path(store: StatementStore, path: Path, label: str) -> LoadStats:
    fmt = "array" if _first_char(path) == "[" else "newline_delimited"
    try:
        return store.load_ndjson(path, fmt)
    except UnreadableInput as exc:
        kind = "JSON array" if fmt == "array" else "NDJSON"
        raise _bad_file(label, f"cannot read statements ({kind}): {exc}") from None
