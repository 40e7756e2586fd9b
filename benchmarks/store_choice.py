"""Why the store is DuckDB and not SQLite: the same NDJSON into a flat table, then one
report-style aggregate, in both engines (both parse JSON inside the engine).

    .venv/bin/python benchmarks/store_choice.py [STATEMENTS]     # default 100000

SQLite has no NDJSON reader: lines go in through executemany (the cheapest Python path), then
json_extract runs in SQL.  DuckDB reads the file with its own JSON reader (DuckDBStore).
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from report_bench import COURSE_DIR, generate  # noqa: E402

FIELDS = {"id": "$.id", "verb": "$.verb.id", "object_iri": "$.object.id", "actor": "$.actor.account.name",
          "registration": "$.context.registration", "scaled": "$.result.score.scaled",
          "success": "$.result.success", "duration": "$.result.duration", "timestamp": "$.timestamp"}
AGGREGATE = "SELECT object_iri, count(DISTINCT actor), avg(scaled) FROM statements GROUP BY object_iri"


def sqlite_figures(ndjson: Path, db: Path) -> tuple[float, float]:
    start = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE raw (line TEXT)")
    with open(ndjson, encoding="utf-8") as lines:
        con.executemany("INSERT INTO raw VALUES (?)", ((line,) for line in lines))
    columns = ", ".join(f"json_extract(line, '{path}') AS {name}" for name, path in FIELDS.items())
    con.execute(f"CREATE TABLE statements AS SELECT {columns} FROM raw WHERE json_valid(line)")
    con.execute("DROP TABLE raw")
    con.commit()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    con.execute(AGGREGATE).fetchall()
    return loaded, time.perf_counter() - start


def duckdb_figures(ndjson: Path, db: Path) -> tuple[float, float]:
    from compiler.reports.command import load_course_or_fail
    from compiler.reports.store import DuckDBStore

    course = load_course_or_fail(COURSE_DIR)
    start = time.perf_counter()
    with DuckDBStore(db, course.id) as store:
        store.load_ndjson(ndjson)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        store.con.execute(AGGREGATE.replace("actor", "actor_key")).fetchall()
    return loaded, time.perf_counter() - start


def main(size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ndjson = Path(tmp) / "s.ndjson"
        generate(ndjson, size)
        print(f"{size} statements | load s | aggregate s")
        for name, run in (("duckdb (full flat table)", duckdb_figures), ("sqlite (9 fields)", sqlite_figures)):
            loaded, aggregated = run(ndjson, Path(tmp) / f"{name.split()[0]}.db")
            print(f"{name} | {loaded:.2f} | {aggregated:.3f}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
