"""``coursec report`` and ``coursec forget``: wire the source, the store, the aggregates and
the writers together.  Input problems raise CourseError (exit 1), usage problems
click.UsageError (exit 2), an LRS failing after retries ServiceError (exit 3)."""
from __future__ import annotations

import csv
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from ..diagnostics import CourseError, error
from ..model import Course, Position
from .store import DuckDBStore, LoadStats, StoreMismatch

REPORTS_DIR = Path("build") / "reports"
PREVIEW_DIR = Path("build") / "preview"


def load_course_or_fail(course_dir: Path) -> Course:
    from ..source import load_course

    course, diagnostics = load_course(Path(course_dir))
    errors = [d for d in diagnostics if d.is_error]
    if course is None or errors:
        raise CourseError(errors or diagnostics)
    return course


def store_path(course: Course, override: Path | None) -> Path:
    return override or REPORTS_DIR / f"{course.slug}.duckdb"


def open_store(course: Course, override: Path | None) -> DuckDBStore:
    path = store_path(course, override)
    try:
        return DuckDBStore(path, course.id)
    except StoreMismatch as exc:
        raise CourseError([error(Position(str(path)), "invalid-value", str(exc))]) from None


def _utc_text(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.UsageError(f"{option} is not an ISO 8601 date/time: {value!r}") from None
    if parsed.tzinfo:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed.isoformat(sep=" ")


def read_cohorts_csv(path: Path) -> dict[str, str]:
    """``learner,cohort`` rows (a header row of exactly those names is skipped)."""
    try:
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    except (OSError, UnicodeDecodeError) as exc:
        raise CourseError([error(Position(str(path)), "encoding-error", f"cannot read cohorts CSV: {exc}")]) from None
    mapping = {}
    for number, row in enumerate(rows, start=1):
        if not row or (number == 1 and [c.strip().lower() for c in row] == ["learner", "cohort"]):
            continue
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise CourseError([error(Position(str(path), number), "invalid-value",
                                     "expected two columns: learner,cohort")])
        mapping[row[0].strip()] = row[1].strip()
    return mapping


def _warn(stats: LoadStats, quiet: bool) -> None:
    if stats.malformed:
        reasons = ", ".join(f"{reason} ({n})" for reason, n in stats.malformed.items())
        click.echo(f"warning: skipped {sum(stats.malformed.values())} malformed statements: {reasons}", err=True)
    if not quiet:
        click.echo(f"read {stats.read}, new {stats.added}, duplicates {stats.duplicates}, voided {stats.voided}, "
                   f"other courses {stats.other_course}", err=True)


def _sync(store: DuckDBStore, course: Course, lrs_endpoint, from_file, preview, quiet) -> LoadStats | None:
    from ..lrs import sync

    if from_file:
        return sync.sync_from_file(store, from_file)
    if preview:
        journal = PREVIEW_DIR / f"{course.slug}.ndjson"
        if not journal.is_file():
            raise CourseError([error(Position(str(journal)), "invalid-value", "no preview journal (run coursec preview)")])
        return sync.sync_from_file(store, str(journal))
    if lrs_endpoint:
        from ..lrs.client import LRSClient, MissingCredentials, RetryPolicy, credentials_from_env

        try:
            auth = credentials_from_env(lambda label, hide: click.prompt(label, hide_input=hide, err=True))
        except MissingCredentials as exc:
            raise click.UsageError(str(exc)) from None
        try:
            client = LRSClient(lrs_endpoint, auth, RetryPolicy.from_env())
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
        return sync.sync_from_lrs(store, client, course.id, progress=sync.Progress(not quiet))
    return None


def run_report(course: Path, **options) -> int:
    """The CLI command: load the course folder, then :func:`report_course`."""
    return report_course(load_course_or_fail(course), **options)


def report_course(model: Course, lrs_endpoint=None, from_file=None, preview=False, store=None, out_dir=None,
                  formats=(), cohort=None, since=None, until=None, registration=None, revision=None,
                  cohorts_csv=None, pseudonymize=False, engine="duckdb", engine_options=(), quiet=False) -> int:
    """Sync the chosen source into the course's store, then print and write the report."""
    from . import aggregates
    from .output import terminal_summary, write_report
    from .report import build_report

    if sum(bool(x) for x in (lrs_endpoint, from_file, preview)) > 1:
        raise click.UsageError("choose one source: --lrs, --from or --preview")
    filters = aggregates.Filters(cohort, _utc_text(since, "--since"), _utc_text(until, "--until"),
                                 registration, revision)
    overrides = read_cohorts_csv(cohorts_csv) if cohorts_csv else None
    name = f"{model.slug}-preview" if preview else model.slug  # preview clicks never mix with learners'
    if preview and store is None:
        store = REPORTS_DIR / f"{name}.duckdb"
    from .engines import open_statements

    with open_statements(model, engine, engine_options, store, lrs_endpoint, from_file, preview, quiet,
                         pseudonymize) as db:
        t = aggregates.prepare(db.table, filters, overrides, db.salt() if pseudonymize else None)
        facts = {"statements": int(t.count().to_pyarrow().as_py()),
                 "filters": {k: v for k, v in vars(filters).items() if v} or "none", "pseudonymized": pseudonymize}
        report = build_report(t, model, facts)
    click.echo(terminal_summary(report))
    if formats:
        target = out_dir or REPORTS_DIR / name
        for path in write_report(report, target, list(dict.fromkeys(formats))):
            click.echo(str(path), err=True)
    return 0


def run_forget(course: Path, learner: str, store: Path | None = None) -> int:
    """Delete one learner's statements from the course's store (by account name or key)."""
    model = load_course_or_fail(course)
    path = store_path(model, store)
    if not path.is_file():
        raise CourseError([error(Position(str(path)), "invalid-value", "no store for this course yet")])
    with open_store(model, path) as db:
        removed = db.forget(learner)
    click.echo(f"removed {removed} statements of {learner}", err=True)
    if removed == 0:
        print(f"warning: no statements of {learner!r} in {path}", file=sys.stderr)
    return 0
