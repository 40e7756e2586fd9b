"""``coursec export``: the store's flat statements table as Parquet, partitioned by month.

The hand-over format to a warehouse or a Spark cluster: ``DIR/month=YYYY-MM/data_0.parquet``
(month of the statement ``timestamp``, UTC) plus ``_coursec-export.json`` naming the course,
the row count per month, the store's reject counts and its pseudonym salt (so
``--pseudonymize`` gives the same pseudonyms on every engine; the export holds the real
identities anyway).  What is exported is what the store kept: deduplicated, voided statements
removed, forgotten learners gone.  The export is written to a temporary sibling folder and
renamed into place, so a failure never leaves a half export; the same store gives the same bytes.
"""
from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

MARKER = "_coursec-export.json"  # "_": Spark and Hive readers skip it
FORMAT_NAME = "coursec-statements"
FORMAT_VERSION = 1
FLAT_COLUMNS = ("id", "stored", "timestamp", "verb", "actor_key", "actor_name", "registration",
                "object_iri", "module_id", "block_id", "item_id", "block_kind", "assessment_kind",
                "cohort", "revision", "success", "completion", "scaled", "raw", "min", "max",
                "response", "duration_s", "ending", "path", "words")
SPARK_SCHEMA = ("id STRING, stored TIMESTAMP_NTZ, timestamp TIMESTAMP_NTZ, verb STRING, actor_key STRING, "
                "actor_name STRING, registration STRING, object_iri STRING, module_id STRING, block_id STRING, "
                "item_id STRING, block_kind STRING, assessment_kind STRING, cohort STRING, revision STRING, "
                "success BOOLEAN, completion BOOLEAN, scaled DOUBLE, raw DOUBLE, min DOUBLE, max DOUBLE, "
                "response STRING, duration_s DOUBLE, ending STRING, path STRING, words INT")
MONTH_SQL = """coalesce(strftime("timestamp", '%Y-%m'), 'unknown')"""


class ExportError(Exception):
    """The export cannot be written where asked (message says why); nothing was changed."""


def read_marker(directory: Path) -> dict | None:
    """The marker of a coursec export, or None when ``directory`` is not one."""
    try:
        marker = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and marker.get("format") == FORMAT_NAME else None


def _columns_sql() -> str:
    return ", ".join(f'"{c}"' for c in FLAT_COLUMNS)


def _write_parquet(con, target: Path) -> dict[str, int]:
    """COPY the table, one file per month, rows in (timestamp, id) order; returns rows per month."""
    select = f"SELECT {_columns_sql()}, {MONTH_SQL} AS month FROM statements ORDER BY \"timestamp\", id"
    path = target.as_posix().replace("'", "''")
    # One thread and insertion order kept: the same rows always give the same bytes.
    con.execute("SET threads = 1")
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, "
                    "PARTITION_BY (month), ROW_GROUP_SIZE 122880)")
    finally:
        con.execute("RESET threads")
        con.execute("SET preserve_insertion_order = false")
    rows = con.execute(f"SELECT {MONTH_SQL} AS month, count(*) FROM statements GROUP BY 1 ORDER BY 1").fetchall()
    return {month: int(n) for month, n in rows}


def _marker(store, months: dict[str, int]) -> dict:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "course": store.course_iri,
            "partitioned_by": "month of timestamp (UTC)", "columns": list(FLAT_COLUMNS),
            "statements": sum(months.values()), "months": months, "rejects": store.rejects(),
            "salt": store.salt()}


def _check_target(directory: Path) -> None:
    """Refuse to replace a folder that holds anything but an earlier export."""
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and read_marker(directory) is None:
        raise ExportError(f"{directory} is not empty and is not a coursec export; "
                          "choose a new or empty folder")


def _swap_in(staging: Path, directory: Path) -> None:
    """Rename the finished export into place; an earlier export is removed only afterwards."""
    old = None
    if directory.exists():
        old = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex[:8]}")
        directory.rename(old)
    staging.rename(directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def export_parquet(store, directory: Path) -> dict:
    """Write the store's statements to ``directory`` as monthly Parquet; returns the marker."""
    directory = Path(directory)
    _check_target(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = directory.with_name(f".{directory.name}.tmp-{uuid.uuid4().hex[:8]}")
    try:
        staging.mkdir()
        months = _write_parquet(store.con, staging / "data") if store.count() else {}
        if months:
            for part in sorted((staging / "data").iterdir()):
                part.rename(staging / part.name)
            (staging / "data").rmdir()
        marker = _marker(store, months)
        (staging / MARKER).write_text(json.dumps(marker, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        _swap_in(staging, directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return marker


def run_export(course_dir: Path, to_dir: Path, fmt: str = "parquet", store: Path | None = None) -> int:
    """The CLI command: the course's local store, exported to ``to_dir``."""
    import click
    import duckdb

    from ..diagnostics import CourseError, error
    from ..model import Position
    from .command import load_course_or_fail, open_store, store_path

    model = load_course_or_fail(course_dir)
    path = store_path(model, store)
    if not path.is_file():
        raise CourseError([error(Position(str(path)), "invalid-value",
                                 "no store for this course yet (load statements with coursec report first)")])
    with open_store(model, path) as db:
        try:
            marker = export_parquet(db, to_dir)
        except ExportError as exc:
            raise click.UsageError(str(exc)) from None
        except (OSError, duckdb.Error) as exc:
            raise CourseError([error(Position(str(to_dir)), "invalid-value", f"cannot write the export: {exc}")]) from None
    click.echo(f"exported {marker['statements']} statements, {len(marker['months'])} months, as {fmt}", err=True)
    click.echo(str(to_dir))
    return 0
