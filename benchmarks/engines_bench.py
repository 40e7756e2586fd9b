"""Benchmark: the same full report on DuckDB and on Spark local mode, and how each grows.

    .venv/bin/python benchmarks/engines_bench.py                  # 100k statements
    .venv/bin/python benchmarks/engines_bench.py 100000 1000000   # and 1M

For each size: simulated statements as NDJSON (report_bench's generator), loaded into a fresh
DuckDB store (the load: parse, dedup, voiding); the full report from the store on DuckDB;
``coursec export`` to monthly Parquet; then the full report on Spark (``local[2]``, the
engine's defaults) reading that export.  One Spark session serves every size; its start-up
and a first warm-up report (the JVM compiles Spark's code paths) are printed apart.  Times are wall-clock seconds; the last rows say how each grows.
"""
from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
COURSE_DIR = ROOT / "courses" / "empathy-at-touchpoints"
WARM_UP = 10_000  # statements of a first, untimed-in-the-table Spark report


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def full_report(course, table):
    from compiler.reports import aggregates
    from compiler.reports.report import build_report

    return build_report(aggregates.prepare(table), course, {})


def measure(course, size: int, work: Path, spark) -> dict:
    from compiler.reports.export import export_parquet
    from compiler.reports.store import DuckDBStore
    from report_bench import generate

    ndjson, store_path, export_dir = work / f"{size}.ndjson", work / f"{size}.duckdb", work / f"{size}-export"
    generate(ndjson, size)
    with DuckDBStore(store_path, course.id) as store:
        _, load = timed(store.load_ndjson, ndjson)
        _, duck = timed(full_report, course, store.ibis_table())
        _, export = timed(export_parquet, store, export_dir)
    ndjson.unlink()
    _, on_spark = timed(lambda: full_report(course, spark.read_export(export_dir)))
    return {"size": size, "duckdb load": load, "duckdb report": duck, "export": export,
            "spark report": on_spark}


def print_table(rows: list[dict], spark_start: float) -> None:
    columns = ["duckdb load", "duckdb report", "export", "spark report"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"spark local[2] session start-up: {spark_start:.1f} s (once)")
    print(f"{'statements':>12} " + " ".join(f"{c:>14}" for c in columns) + f" {'spark/duckdb':>13}")
    for row in rows:
        ratio = row["spark report"] / row["duckdb report"]
        print(f"{row['size']:>12,} " + " ".join(f"{row[c]:>13.2f}s" for c in columns) + f" {ratio:>12.1f}x")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        factor = last["size"] / first["size"]
        print(f"{'growth x' + format(factor, '.0f'):>12} "
              + " ".join(f"{last[c] / first[c]:>13.1f}x" for c in columns))


def main(sizes: list[int]) -> None:
    from compiler.reports.command import load_course_or_fail
    from compiler.reports.engines import SparkEngine

    course = load_course_or_fail(COURSE_DIR)
    spark = SparkEngine({"master": "local[2]"})
    _, start = timed(spark.session)
    try:
        with tempfile.TemporaryDirectory(prefix="engines-bench-") as tmp:
            warm_up = measure(course, WARM_UP, Path(tmp), spark)["spark report"]
            rows = [measure(course, size, Path(tmp), spark) for size in sizes]
    finally:
        spark.close()
    print_table(rows, start)
    print(f"first report in a fresh JVM ({WARM_UP:,} statements, JIT warm-up, not in the table): {warm_up:.1f} s")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100_000])
