"""coursec export: the store's flat table as monthly Parquet, the same bytes every time, never
half written, never over a folder that is not an earlier export; read back on DuckDB."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.lrs import statements as st
from compiler.reports.engines import DuckDBEngine
from compiler.reports.export import FLAT_COLUMNS, MARKER, export_parquet, read_marker
from compiler.reports.simulate import default_params, simulate, write_ndjson
from compiler.reports.store import DuckDBStore
from compiler.source import load_course

APRIL = datetime(2025, 4, 7, 8, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def course(sample_course):
    model, _ = load_course(sample_course)
    return model


def _ndjson(path: Path, statements: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        write_ndjson(statements, out)
    return path


@pytest.fixture(scope="module")
def two_months(course, tmp_path_factory):
    """Simulated learners in March and in April 2025, as an NDJSON file."""
    march = simulate(course, default_params(course, 20, seed=1))
    april = simulate(course, dataclasses.replace(default_params(course, 15, seed=2), start=APRIL))
    return _ndjson(tmp_path_factory.mktemp("sim") / "s.ndjson", march + april)


@pytest.fixture
def store(course, two_months, tmp_path):
    with DuckDBStore(tmp_path / "store.duckdb", course.id) as db:
        db.load_ndjson(two_months)
        yield db


def _rows(table) -> list[tuple]:
    return sorted(tuple(r[c] for c in FLAT_COLUMNS) for r in table.to_pyarrow().to_pylist())


def test_export_is_monthly_parquet_of_every_stored_statement(store, tmp_path):
    marker = export_parquet(store, tmp_path / "out")
    out = tmp_path / "out"
    parts = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet"))
    assert parts == ["month=2025-03/data_0.parquet", "month=2025-04/data_0.parquet"]
    per_month = {p.parent.name[len("month="):]: pq.read_metadata(p).num_rows for p in out.rglob("*.parquet")}
    assert per_month == marker["months"]
    assert sum(per_month.values()) == store.count() == marker["statements"]
    assert marker["course"] == store.course_iri and marker["salt"] == store.salt()
    assert pq.read_schema(out / parts[0]).names == list(FLAT_COLUMNS)
    assert read_marker(out) == marker


def test_export_reads_back_row_for_row_on_duckdb(store, tmp_path):
    export_parquet(store, tmp_path / "out")
    engine = DuckDBEngine()
    try:
        assert _rows(engine.read_export(tmp_path / "out")) == _rows(store.ibis_table())
    finally:
        engine.close()


def test_same_store_same_bytes(store, tmp_path):
    export_parquet(store, tmp_path / "a")
    export_parquet(store, tmp_path / "b")
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for name in files_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_export_keeps_what_the_store_kept_no_duplicates_no_voided(course, tmp_path):
    statements = simulate(course, default_params(course, 3, seed=5))
    target = statements[4]
    void = st.voiding(target["actor"], st.Stamp("0f0e0d0c-0b0a-4908-8706-050403020100",
                                                 datetime(2025, 3, 9, tzinfo=timezone.utc)), target["id"])
    path = _ndjson(tmp_path / "in.ndjson", statements + statements[:10] + [void])
    with DuckDBStore(tmp_path / "s.duckdb", course.id) as db:
        db.load_ndjson(path)
        db.forget(statements[0]["actor"]["account"]["name"])
        marker = export_parquet(db, tmp_path / "out")
        kept = db.count()
    ids = pq.read_table(tmp_path / "out").column("id").to_pylist()
    assert len(ids) == len(set(ids)) == kept == marker["statements"]
    assert target["id"] not in ids
    learner = statements[0]["actor"]["account"]["name"]
    assert not [a for a in pq.read_table(tmp_path / "out").column("actor_name").to_pylist() if a == learner]


def test_a_new_export_replaces_an_earlier_one_without_leftovers(store, course, tmp_path):
    export_parquet(store, tmp_path / "out")
    store.forget("learner-00001")
    marker = export_parquet(store, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store.duckdb"]
    assert pq.read_table(tmp_path / "out").num_rows == marker["statements"] == store.count()


def test_empty_store_exports_an_empty_table(course, tmp_path):
    with DuckDBStore(tmp_path / "s.duckdb", course.id) as db:
        marker = export_parquet(db, tmp_path / "out")
    assert marker["statements"] == 0 and marker["months"] == {}
    assert not list((tmp_path / "out").rglob("*.parquet"))
    engine = DuckDBEngine()
    try:
        table = engine.read_export(tmp_path / "out")
        assert table.count().execute() == 0 and set(FLAT_COLUMNS) <= set(table.columns)
    finally:
        engine.close()


def test_cli_export_then_report_from_the_export(sample_course, two_months, tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "s.duckdb")
    loaded = runner.invoke(main, ["report", str(sample_course), "--from", str(two_months), "--store", store,
                                  "--quiet", "--format", "json", "-o", str(tmp_path / "r1")])
    assert loaded.exit_code == 0, loaded.output
    exported = runner.invoke(main, ["export", str(sample_course), "--to", str(tmp_path / "exp"), "--store", store])
    assert exported.exit_code == 0, exported.output
    assert (tmp_path / "exp" / MARKER).is_file()
    again = runner.invoke(main, ["report", str(sample_course), "--from", str(tmp_path / "exp"), "--quiet",
                                 "--format", "json", "-o", str(tmp_path / "r2")])
    assert again.exit_code == 0, again.output
    first = json.loads((tmp_path / "r1" / "report.json").read_text())
    second = json.loads((tmp_path / "r2" / "report.json").read_text())
    assert first["facts"] == second["facts"] and first["facts"]["statements"] > 0
    assert _sorted_rows(first) == _sorted_rows(second)


def _sorted_rows(report: dict) -> dict:
    """Rows of each table in a fixed order (rows that tie on a table's sort key may swap)."""
    return {name: sorted(json.dumps(r, sort_keys=True) for r in table["rows"])
            for name, table in report["tables"].items()}


def test_cli_export_refuses_a_folder_that_is_not_an_export(sample_course, store, tmp_path):
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["export", str(sample_course), "--to", str(keep), "--store", store.path])
    assert result.exit_code == 2
    assert "not a coursec export" in result.output
    assert [p.name for p in keep.iterdir()] == ["notes.txt"]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")]


def test_cli_export_without_a_store_says_so(sample_course, tmp_path):
    result = CliRunner().invoke(main, ["export", str(sample_course), "--to", str(tmp_path / "out"),
                                       "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no store for this course yet" in result.output
    assert not (tmp_path / "out").exists()


def test_report_from_an_export_of_another_course_is_an_input_error(sample_course, tmp_path):
    other = tmp_path / "other"
    with DuckDBStore(tmp_path / "s.duckdb", "https://courses.example.org/other") as db:
        export_parquet(db, other)
    result = CliRunner().invoke(main, ["report", str(sample_course), "--from", str(other), "--quiet"])
    assert result.exit_code == 1
    assert "holds course https://courses.example.org/other" in result.output
