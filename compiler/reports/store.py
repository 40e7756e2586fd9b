"""The embedded statement store: one file per course, a flat statements table.

``StatementStore`` is the seam (another engine can replace DuckDB); ``DuckDBStore`` is the
default.  Loading parses NDJSON inside the engine, deduplicates by statement id, applies
voiding even when the void arrives after its target (voided ids are kept), counts malformed
statements by reason and skips them, and keeps statements of other courses out.
"""
from __future__ import annotations

import json
import os
import secrets
import tempfile
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..vocabulary import Verb
from . import store_sql

OVERLAP = timedelta(minutes=5)
MEMORY_LIMIT = os.environ.get("COURSEC_STORE_MEMORY", "600MB")  # DuckDB spills to disk beyond it


@dataclass
class LoadStats:
    """What one load did: new statements, duplicates, voided, other courses, rejects by reason."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    voided: int = 0
    other_course: int = 0
    malformed: dict[str, int] = field(default_factory=dict)

    def merge(self, other: "LoadStats") -> None:
        for name in ("read", "added", "duplicates", "voided", "other_course"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, n in other.malformed.items():
            self.malformed[reason] = self.malformed.get(reason, 0) + n


def _count_lines(path: Path) -> int:
    """Non-blank lines, counted fast in bytes (the exact count is the engine's, when they differ)."""
    lines = blank = 0
    last = b"\n"
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 24):
            lines += chunk.count(b"\n")
            blank += chunk.count(b"\n\n") + (chunk[:1] == b"\n" and last == b"\n")
            last = chunk[-1:]
    return lines - blank + (last != b"\n")


class StoreMismatch(ValueError):
    """The store file belongs to another course."""


class UnreadableInput(ValueError):
    """The engine could not read a statements file at all (e.g. a broken JSON array)."""


class StatementStore(ABC):
    """Where a course's statements live between syncs."""

    name: str = ""

    @abstractmethod
    def load_ndjson(self, path: Path, fmt: str = "newline_delimited") -> LoadStats:
        """Add the statements of an NDJSON file (``fmt="array"``: a JSON array)."""

    @abstractmethod
    def ibis_table(self):
        """The flat statements table as an Ibis table expression."""

    @abstractmethod
    def sync_since(self) -> datetime | None:
        """``stored`` to ask the LRS from: the last seen minus the overlap window."""

    @abstractmethod
    def forget(self, learner: str) -> int:
        """Delete a learner's statements (by learner key or name); returns how many."""

    @abstractmethod
    def salt(self) -> str:
        """The salt for pseudonyms, made once per store."""

    @abstractmethod
    def close(self) -> None: ...

    def load_statements(self, statements: list) -> LoadStats:
        """Add statements already decoded from JSON (e.g. one LRS page)."""
        handle, name = tempfile.mkstemp(suffix=".ndjson")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                for statement in statements:
                    out.write(json.dumps(statement, ensure_ascii=False) + "\n")
            return self.load_ndjson(Path(name))
        finally:
            os.unlink(name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class DuckDBStore(StatementStore):
    """A DuckDB file holding one course's statements."""

    name = "duckdb"

    def __init__(self, path: Path | str, course_iri: str):
        import duckdb

        self.path = str(path)
        self.course_iri = course_iri.rstrip("/")
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(self.path)
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute(store_sql.STATEMENTS_DDL)
        self._check_course()

    def _check_course(self) -> None:
        known = self._meta("course")
        if known is None:
            self._set_meta("course", self.course_iri)
        elif known != self.course_iri:
            self.con.close()
            raise StoreMismatch(f"this store holds course {known}, not {self.course_iri}")

    def _meta(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return rows[0][0] if rows else None

    def _set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def _count(self, sql: str) -> int:
        return int(self.con.execute(sql).fetchall()[0][0])

    def load_ndjson(self, path: Path, fmt: str = "newline_delimited") -> LoadStats:
        import duckdb

        con = self.con
        if fmt == "array" and not con.execute("SELECT json_valid(content) FROM read_text(?)", [str(path)]).fetchall()[0][0]:
            raise UnreadableInput("the file is not a valid JSON array")
        con.execute(store_sql.parse_sql(str(path), fmt))
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(store_sql.incoming_sql(self.course_iri))
            con.execute(store_sql.BATCH_SQL)
            stats = self._batch_stats()
            if fmt == "newline_delimited":
                self._explain_unreadable(path, stats)
            before = self.count()
            con.execute(store_sql.INSERT_SQL)
            con.execute(store_sql.DEDUP_SQL)
            stats.added = self.count() - before
            stats.duplicates = self._outcome("course") - stats.added
            stats.voided = self._apply_voids()
            self._record(stats)
            con.execute("COMMIT")
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise UnreadableInput(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return stats

    def _outcome(self, outcome: str) -> int:
        return self._count(f"SELECT coalesce(sum(n), 0) FROM batch WHERE outcome = '{outcome}'")

    def _batch_stats(self) -> LoadStats:
        stats = LoadStats(read=self._count("SELECT coalesce(sum(n), 0) FROM batch"))
        stats.malformed = dict(self.con.execute(
            "SELECT reject, n FROM batch WHERE outcome = 'reject' ORDER BY 1").fetchall())
        stats.other_course = self._outcome("other")
        return stats

    def _explain_unreadable(self, path: str, stats: LoadStats) -> None:
        """Lines the typed reader dropped or could not read: say why, from the raw lines."""
        if _count_lines(path) == stats.read and "unreadable" not in stats.malformed:
            return
        lines = self._count(f"SELECT count(*) FROM ({store_sql.lines_sql(str(path))})")
        unreadable = stats.malformed.pop("unreadable", 0) + lines - stats.read
        stats.read = lines
        if unreadable <= 0:
            return
        found = dict(self.con.execute(store_sql.unreadable_sql(str(path))).fetchall())
        found.pop("wrong type or no known field", None)
        found["wrong type or no known field"] = unreadable - sum(found.values())
        for reason, n in found.items():
            if n > 0:
                stats.malformed[reason] = stats.malformed.get(reason, 0) + n
        stats.malformed = dict(sorted(stats.malformed.items()))

    def _apply_voids(self) -> int:
        self.con.execute("""INSERT OR IGNORE INTO voided_ids
            SELECT DISTINCT unnest(void_targets) FROM batch WHERE outcome = 'void'""")
        before = self.count()
        self.con.execute("DELETE FROM statements WHERE id IN (SELECT id FROM voided_ids)")
        return before - self.count()

    def _record(self, stats: LoadStats) -> None:
        for reason, n in stats.malformed.items():
            self.con.execute("""INSERT INTO rejects VALUES (?, ?)
                ON CONFLICT (reason) DO UPDATE SET n = rejects.n + excluded.n""", [reason, n])
        last = self.con.execute("SELECT max(last_stored) FROM batch WHERE outcome <> 'reject'").fetchall()[0][0]
        known = self._meta("max_stored")
        if last is not None and (known is None or last.isoformat() > known):
            self._set_meta("max_stored", last.isoformat())

    def sync_since(self) -> datetime | None:
        last = self._meta("max_stored")
        return datetime.fromisoformat(last) - OVERLAP if last else None

    def rejects(self) -> dict[str, int]:
        return dict(self.con.execute("SELECT reason, n FROM rejects ORDER BY reason").fetchall())

    def count(self) -> int:
        return self._count("SELECT count(*) FROM statements")

    def forget(self, learner: str) -> int:
        where = "actor_key = $l OR actor_name = $l"
        n = int(self.con.execute(f"SELECT count(*) FROM statements WHERE {where}", {"l": learner}).fetchall()[0][0])
        self.con.execute(f"DELETE FROM statements WHERE {where}", {"l": learner})
        self.con.execute("CHECKPOINT")
        return n

    def salt(self) -> str:
        value = self._meta("salt")
        if value is None:
            value = secrets.token_hex(16)
            self._set_meta("salt", value)
        return value

    def ibis_table(self):
        import ibis

        return ibis.duckdb.from_connection(self.con).table("statements")

    def close(self) -> None:
        self.con.close()
