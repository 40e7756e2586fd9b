"""Report engines: the same Ibis aggregates on DuckDB and on Spark give the same figures;
options an engine cannot honour are refused with exit 2 and a reason."""
from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.reports import aggregates
from compiler.reports.engines import (
    DuckDBEngine, EngineUsageError, SparkEngine, make_engine, open_statements, parse_engine_options,
)
from compiler.reports.export import export_parquet
from compiler.reports.report import build_report
from compiler.reports.simulate import default_params, simulate, write_ndjson
from compiler.reports.store import DuckDBStore
from compiler.source import load_course

STATEMENTS = 100_000


@pytest.fixture(scope="module")
def course(sample_course):
    model, _ = load_course(sample_course)
    return model


# --- options -----------------------------------------------------------------------------

def test_engine_options_parse_key_value_pairs():
    options = parse_engine_options(["master=spark://h:7077", "spark.executor.memory=4g", "table=a=b"])
    assert options == {"master": "spark://h:7077", "spark.executor.memory": "4g", "table": "a=b"}


@pytest.mark.parametrize("pairs, reason", [
    (["master"], "expected KEY=VALUE"),
    (["=x"], "expected KEY=VALUE"),
    (["table=a", "table=b"], "given twice"),
])
def test_bad_engine_options_are_usage_errors(pairs, reason):
    with pytest.raises(EngineUsageError, match=reason):
        parse_engine_options(pairs)


def test_each_engine_names_the_options_it_takes():
    with pytest.raises(EngineUsageError, match=r"does not take --engine-option colour \(it takes: none\)"):
        make_engine("duckdb", {"colour": "red"})
    with pytest.raises(EngineUsageError, match="it takes: master, remote, table, spark"):
        make_engine("spark", {"colour": "red"})
    with pytest.raises(EngineUsageError, match="exclude each other"):
        make_engine("spark", {"master": "local[2]", "remote": "sc://127.0.0.1:15002"})
    assert isinstance(make_engine("spark", {"spark.executor.memory": "1g"}), SparkEngine)
    assert isinstance(make_engine("duckdb"), DuckDBEngine)


def _report(sample_course, *args):
    return CliRunner().invoke(main, ["report", str(sample_course), "--quiet", *args])


@pytest.mark.parametrize("args, says", [
    (["--lrs", "http://127.0.0.1:9/xapi"], "--lrs is not supported with --engine spark"),
    (["--preview"], "--preview is not supported with --engine spark"),
    (["--store", "s.duckdb"], "--store is not supported with --engine spark"),
    ([], "--engine spark reads --from DIR"),
    (["--engine-option", "table=statements", "--pseudonymize"], "--pseudonymize is not supported"),
    (["--engine-option", "workers=8"], "does not take --engine-option workers"),
    (["--engine-option", "master"], "expected KEY=VALUE"),
])
def test_spark_refuses_what_it_cannot_do_with_exit_2(sample_course, args, says):
    result = _report(sample_course, "--engine", "spark", *args)
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert "Traceback" not in result.output


def test_spark_refuses_a_statements_file(sample_course, tmp_path):
    path = tmp_path / "s.ndjson"
    path.write_text("")
    result = _report(sample_course, "--engine", "spark", "--from", str(path))
    assert result.exit_code == 2
    assert "a folder written by coursec export" in result.output


def test_from_a_folder_that_is_not_an_export_is_refused(sample_course, tmp_path):
    result = _report(sample_course, "--from", str(tmp_path))
    assert result.exit_code == 2
    assert "write it with coursec export" in result.output


# --- the same report on DuckDB and on Spark -----------------------------------------------

def _close(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


def _sort_key(row: dict) -> str:
    """Rows in a fixed order: floats rounded (they may differ in the last bits) before sorting."""
    return json.dumps({k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()},
                      sort_keys=True, default=str)


def assert_same_report(expected, actual) -> None:
    """Table by table: same columns, same rows after sorting, floats within 1e-9."""
    assert [t.name for t in expected.tables] == [t.name for t in actual.tables]
    assert expected.facts == actual.facts
    for want, got in zip(expected.tables, actual.tables):
        assert want.columns == got.columns, want.name
        rows_want = sorted(want.data.to_pylist(), key=_sort_key)
        rows_got = sorted(got.data.to_pylist(), key=_sort_key)
        assert len(rows_want) == len(rows_got), want.name
        for a, b in zip(rows_want, rows_got):
            assert all(_close(a[c], b[c]) for c in want.columns), (want.name, a, b)


def _build(course, source, salt_wanted: bool = False, filters=aggregates.Filters()):
    t = aggregates.prepare(source.table, filters, None, source.salt() if salt_wanted else None)
    return build_report(t, course, {"statements": int(t.count().to_pyarrow().as_py())})


@pytest.fixture(scope="module")
def hundred_k(course, tmp_path_factory):
    """About 100k simulated statements, loaded into a store and exported as Parquet."""
    folder = tmp_path_factory.mktemp("hundred_k")
    per_learner = len(simulate(course, default_params(course, 20, seed=3))) / 20
    statements = simulate(course, default_params(course, round(STATEMENTS / per_learner), seed=3))
    with open(folder / "s.ndjson", "w", encoding="utf-8") as out:
        write_ndjson(statements, out)
    with DuckDBStore(folder / "s.duckdb", course.id) as db:
        db.load_ndjson(folder / "s.ndjson")
        export_parquet(db, folder / "export")
    return folder


def test_full_report_on_spark_from_the_export_equals_duckdb(course, hundred_k, spark_session):
    """Parquet export -> Spark, 100k statements: every table equals DuckDB's over the store."""
    with open_statements(course, "duckdb", store=hundred_k / "s.duckdb") as source:
        expected = _build(course, source)
    with open_statements(course, "spark", from_file=str(hundred_k / "export")) as source:
        assert source.table.count().to_pyarrow().as_py() == expected.facts["statements"]
        actual = _build(course, source)
    assert expected.facts["statements"] >= 0.95 * STATEMENTS
    assert expected.facts["learners"] > 2000
    assert_same_report(expected, actual)


def test_options_mean_the_same_on_spark(sample_course, course, tmp_path, spark_session):
    """Pseudonyms, a cohort filter and a time window through the CLI: same JSON on both engines."""
    with open(tmp_path / "s.ndjson", "w", encoding="utf-8") as out:
        write_ndjson(simulate(course, default_params(course, 60, seed=4)), out)
    store = str(tmp_path / "s.duckdb")
    assert _report(sample_course, "--from", str(tmp_path / "s.ndjson"), "--store", store).exit_code == 0
    runner = CliRunner()
    assert runner.invoke(main, ["export", str(sample_course), "--to", str(tmp_path / "exp"), "--store", store]).exit_code == 0
    cohort = course.cohorts[0].id
    options = ["--from", str(tmp_path / "exp"), "--pseudonymize", "--cohort", cohort,
               "--since", "2025-03-03T09:00:00Z", "--format", "json"]
    on_duckdb = _report(sample_course, *options, "-o", str(tmp_path / "d"))
    on_spark = _report(sample_course, *options, "--engine", "spark", "-o", str(tmp_path / "s"))
    assert on_duckdb.exit_code == 0 and on_spark.exit_code == 0, on_spark.output
    want = json.loads((tmp_path / "d" / "report.json").read_text())
    got = json.loads((tmp_path / "s" / "report.json").read_text())
    assert want["facts"] == got["facts"] and want["facts"]["pseudonymized"]
    for name, table in want["tables"].items():
        rows = sorted(table["rows"], key=_sort_key)
        other = sorted(got["tables"][name]["rows"], key=_sort_key)
        assert len(rows) == len(other), name
        for a, b in zip(rows, other):  # JSON figures are rounded to 4 places
            assert all(a[k] == b[k] or math.isclose(a[k], b[k], abs_tol=1.01e-4) for k in a), (name, a, b)
    names = {r["learner"] for r in want["tables"]["scores"]["rows"]}
    assert names and all(n.startswith("learner-") and len(n) == 20 for n in names)
    assert {r["cohort"] for r in want["tables"]["scores"]["rows"]} == {cohort}


def test_spark_reads_a_catalog_table_with_the_flat_columns(course, hundred_k, spark_session):
    frame = spark_session.read.parquet(str(hundred_k / "export"))
    frame.drop("month").createOrReplaceTempView("warehouse_statements")
    frame.select("id", "verb").createOrReplaceTempView("too_narrow")
    with DuckDBStore(hundred_k / "s.duckdb", course.id) as db:
        stored = db.count()
    with open_statements(course, "spark", ["table=warehouse_statements"]) as source:
        assert source.table.count().to_pyarrow().as_py() == stored
    with pytest.raises(EngineUsageError, match="lacks the flat statements columns: stored, timestamp"):
        SparkEngine({"table": "too_narrow"}).read_table()
    with pytest.raises(EngineUsageError, match="no such table or view"):
        SparkEngine({"table": "no_such_table"}).read_table()


def test_a_table_and_an_export_together_are_refused(sample_course, course, tmp_path):
    with DuckDBStore(tmp_path / "s.duckdb", course.id) as db:
        export_parquet(db, tmp_path / "exp")
    result = _report(sample_course, "--engine", "spark", "--from", str(tmp_path / "exp"),
                     "--engine-option", "table=statements")
    assert result.exit_code == 2
    assert "--engine-option table and --from DIR exclude each other" in result.output
    on_duckdb = _report(sample_course, "--from", str(tmp_path / "exp"), "--engine-option", "table=statements")
    assert on_duckdb.exit_code == 2
    assert "--engine duckdb does not take --engine-option table" in on_duckdb.output
