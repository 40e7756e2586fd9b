"""Build benchmark: prints the figures the README reports.

1. `coursec build` of the sample course, all targets, as a subprocess (process start
   included); target under 1.5 s.
2. A generated 200-module course, all targets; target under 10 s.
3. The zipped size of each sample package; target under 150 KB for SCORM 1.2.

Run: .venv/bin/python benchmarks/build_bench.py
"""
from __future__ import annotations

import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "courses" / "empathy-at-touchpoints"
RUNS = 5
MODULES = 200

MODULE = """---
id: m{n:03d}
title: Module {n}
---

:::{{lesson}} Lesson {n}
:id: lesson
:minutes: 5
{words}
:::

:::{{scenario}} Scenario {n}
:id: scenario
:minutes: 5
## start
A customer writes again about the same problem.
- [Own the next step](#good) {{score=2}}
- [Ask for the order number](#bad)

## good {{ending}}
The customer calms down.

## bad {{ending}}
The customer escalates.
:::

:::{{quiz}} Check {n}
:id: check
## first {{single}}
What comes first?
- [ ] The order number
- [x] Acknowledging the repeats
:::

:::{{reflection}} Reflect {n}
:id: reflect
:minutes: 2
:max-words: 10
What did the customer feel?
:::

:::{{artifact}} Rewrite {n}
:id: rewrite
:kind: escalation-script
:max-words: 10
Rewrite the hand-off message.
:::
"""


def generated_course(folder: Path) -> Path:
    modules = [f"m{n:03d}.md" for n in range(MODULES)]
    words = " ".join(["The customer has repeated the question to the bot three times."] * 90)
    for n, name in enumerate(modules):
        (folder / name).write_text(MODULE.format(n=n, words=words), encoding="utf-8")
    lines = ["id: https://courses.example.org/bench", "title: Benchmark course", "version: 1.0.0",
             "mastery_score: 0.8", "modules:", *(f"  - {m}" for m in modules)]
    (folder / "course.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def timed_build(course: Path, out: Path) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "compiler", "build", str(course), "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"build of {course} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done


def main() -> None:
    print(f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        times = [timed_build(SAMPLE, tmp / f"sample{i}")[0] for i in range(RUNS)]
        print(f"sample course, all targets, subprocess: median {statistics.median(times):.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f}; target < 1.5 s)")
        for package in sorted((tmp / "sample0").glob("*.zip")):
            size = package.stat().st_size
            print(f"  {package.name}: {size / 1024:.1f} KB" + ("  (target < 150 KB)" if "scorm12" in package.name else ""))
        big = generated_course(Path(tempfile.mkdtemp(dir=tmp)))
        elapsed, done = timed_build(big, tmp / "big")
        built = done.stdout.split()
        print(f"{MODULES}-module course, all targets, subprocess: {elapsed:.2f} s (target < 10 s); "
              f"{len(built)} packages: {', '.join(Path(p).name for p in built)}")
        for note in done.stderr.splitlines():
            if "skipped" in note:
                print(f"  {note.split(': ', 1)[-1]}")


if __name__ == "__main__":
    main()
