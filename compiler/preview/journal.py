"""The preview's statement journal: ``build/preview/<slug>.ndjson``, append-only.

One statement per line.  Each append is one ``write`` of the whole line followed by
``flush`` and ``fsync`` before the LRS answers, so a statement the page was told is stored
is on disk.  A process killed in the middle of a write leaves at most one torn last line:
the reader ignores it, and reopening the journal for writing cuts it off (that statement
was never acknowledged) so the next line starts clean.  ``coursec report --preview`` reads
the file as an ordinary NDJSON statements file while the preview keeps running.  Statements
the preview's LRS refused (400) go, with the reason, to ``<slug>.refused.ndjson`` beside it,
written the same way.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
from pathlib import Path


def journal_path(root: Path, slug: str) -> Path:
    """Where the preview of course ``slug`` keeps its statements, under ``root`` (the build folder)."""
    return root / "preview" / f"{slug}.ndjson"


def refused_path(journal: Path) -> Path:
    """Where the refused statements of the journal ``<slug>.ndjson`` are kept: ``<slug>.refused.ndjson``."""
    return journal.with_name(journal.name[:-len(".ndjson")] + ".refused.ndjson")


def read_journal(path: Path) -> list[dict]:
    """Every complete statement in the journal, oldest first; a torn last line is ignored."""
    if not path.is_file():
        return []
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1  # bytes after the last newline were being written
    records = []
    for line in data[:end].splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            continue  # damaged by something other than us; the reports count such lines
        if isinstance(value, dict):
            records.append(value)
    return records


def _cut_torn_tail(path: Path) -> None:
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end != len(data):
        with path.open("r+b") as handle:
            handle.truncate(end)
            handle.flush()
            os.fsync(handle.fileno())


class JournalBusy(Exception):
    """Another preview is already writing this journal."""


class Journal:
    """The append side: thread-safe, durable per statement, one writer per journal."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("ab")
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._handle.close()
            raise JournalBusy(f"another coursec preview is writing {path.as_posix()}") from None
        _cut_torn_tail(path)
        self._lock = threading.Lock()

    def append(self, statements: list[dict]) -> None:
        """Write each statement as one line, durable before returning."""
        with self._lock:
            for statement in statements:
                line = json.dumps(statement, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                self._handle.write(line.encode("utf-8") + b"\n")
                self._handle.flush()
                os.fsync(self._handle.fileno())

    def close(self) -> None:
        with self._lock:
            if not self._handle.closed:
                self._handle.close()


class SavedJson:
    """A small JSON document saved atomically (temporary file, fsync, rename): the preview's
    LMS data and xAPI documents, so a restart resumes every learner where they were."""

    def __init__(self, path: Path):
        self.path = path

    def load(self) -> dict:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def save(self, value: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
