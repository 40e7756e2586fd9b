"""Benchmark of the reader and reports: simulated statements -> store -> full report.

    .venv/bin/python benchmarks/report_bench.py                 # 10k and 100k statements
    .venv/bin/python benchmarks/report_bench.py 10000 100000 1000000

For each size it generates NDJSON (a simulated sample-course cohort, replicated with fresh
statement ids and learner names: templating, not the slow builder path), loads it into a fresh
DuckDB store, then builds the full report from the store and writes CSV, JSON, HTML and
Markdown.  Load and report each run in a child process so that the peak memory (ru_maxrss)
belongs to that phase alone.  Targets at 1M statements: load <= 10 s, report <= 3 s, peak <= 1 GB.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COURSE_DIR = ROOT / "courses" / "empathy-at-touchpoints"
TEMPLATE_LEARNERS = 400


def generate(path: Path, size: int) -> None:
    """``size`` statements: copies of one simulated cohort with new ids and learner names."""
    from compiler.reports.command import load_course_or_fail
    from compiler.reports.simulate import default_params, simulate

    course = load_course_or_fail(COURSE_DIR)
    template = [json.dumps(s, separators=(",", ":")) for s in simulate(course, default_params(course, TEMPLATE_LEARNERS, 1))]
    written, copy = 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < size:
            prefix, learner = f"{copy:08x}", f'"name":"learner-{copy:05x}-'
            chunk = [line[:7] + prefix + line[15:] for line in template[: size - written]]
            out.write("\n".join(chunk).replace('"name":"learner-', learner) + "\n")
            written += len(chunk)
            copy += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU of this process (all DuckDB threads): a figure a busy machine inflates less."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase_load(ndjson: str, store: str) -> dict:
    from compiler.reports.command import load_course_or_fail
    from compiler.reports.store import DuckDBStore

    course = load_course_or_fail(COURSE_DIR)
    start, cpu = time.perf_counter(), cpu_seconds()
    with DuckDBStore(store, course.id) as db:
        stats = db.load_ndjson(Path(ndjson))
    return {"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu, "added": stats.added,
            "peak_mb": peak_mb()}


def phase_report(store: str, out_dir: str) -> dict:
    from compiler.reports import aggregates
    from compiler.reports.command import load_course_or_fail
    from compiler.reports.output import write_report
    from compiler.reports.report import build_report
    from compiler.reports.store import DuckDBStore

    course = load_course_or_fail(COURSE_DIR)
    start, cpu = time.perf_counter(), cpu_seconds()
    with DuckDBStore(store, course.id) as db:
        report = build_report(aggregates.prepare(db.ibis_table()), course)
    built = time.perf_counter() - start
    write_report(report, Path(out_dir), ["csv", "json", "html", "md"])
    return {"seconds": time.perf_counter() - start, "cpu": cpu_seconds() - cpu, "aggregates_seconds": built,
            "peak_mb": peak_mb(), "learners": report.facts["learners"]}


def child(phase: str, *args: str) -> dict:
    run = subprocess.run([sys.executable, __file__, "--phase", phase, *args], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def bench(size: int, work: Path) -> dict:
    ndjson, store = work / f"s{size}.ndjson", work / f"s{size}.duckdb"
    start = time.perf_counter()
    generate(ndjson, size)
    generated = time.perf_counter() - start
    load = child("load", str(ndjson), str(store))
    report = child("report", str(store), str(work / f"out{size}"))
    row = {"statements": size, "ndjson_mb": ndjson.stat().st_size / 1e6, "generate_s": generated,
           "load_s": load["seconds"], "load_cpu_s": load["cpu"], "load_peak_mb": load["peak_mb"],
           "report_s": report["seconds"], "report_cpu_s": report["cpu"],
           "aggregates_s": report["aggregates_seconds"], "report_peak_mb": report["peak_mb"],
           "store_mb": store.stat().st_size / 1e6, "learners": report["learners"]}
    ndjson.unlink()
    return row


def main(argv: list[str]) -> None:
    if argv[:1] == ["--phase"]:
        result = phase_load(*argv[2:]) if argv[1] == "load" else phase_report(*argv[2:])
        print(json.dumps(result))
        return
    sizes = [int(a) for a in argv] or [10_000, 100_000]
    print(f"machine: {os.cpu_count()} CPUs, {sys.platform}, Python {sys.version.split()[0]}")
    columns = ["statements", "ndjson_mb", "generate_s", "load_s", "load_cpu_s", "load_peak_mb", "report_s",
               "report_cpu_s", "aggregates_s", "report_peak_mb", "store_mb", "learners"]
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(" | ".join(columns))
    with tempfile.TemporaryDirectory(prefix="coursec-bench-") as tmp:
        for size in sizes:
            row = bench(size, Path(tmp))
            print(" | ".join(f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c]) for c in columns), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
