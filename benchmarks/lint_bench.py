"""Benchmark: lint a generated 500-module course, as a process and in-process.

Each module has a lesson, a 5-step scenario, a reflection and an artifact.
Run: .venv/bin/python benchmarks/lint_bench.py [MODULES]   (target: under 2 s for 500)
"""
from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compiler.lint import lint  # noqa: E402

LESSON_WORDS = " ".join(["The customer has waited and wants to be heard."] * 150)
SCENARIO_WORDS = " ".join(["The chat goes on and you decide what to say next."] * 10)


def module_text(n: int) -> str:
    return f"""---
id: module-{n}
title: Module {n}
---

:::{{lesson}} Lesson {n}
:id: lesson-{n}
:minutes: 6
{LESSON_WORDS}

## What to do
Name the emotion before solving.
:::

:::{{scenario}} Scenario {n}
:id: scenario-{n}
:minutes: 6
{SCENARIO_WORDS}
## start
The bot hands you the chat.
- [Own it](#two) {{score=2}}
  Good: you read the transcript.
- [Ask again](#three)

## two
The customer calms down.
- [Commit to a time](#four) {{score=1}}

## three
The customer repeats themselves.
- [Apologise](#two)

## four
You close the loop.
- [Finish](#done)

## done {{ending}}
Resolved.
:::

:::{{reflection}} Reflection {n}
:id: reflection-{n}
:minutes: 3
:max-words: 5
What did the customer feel?
:::

:::{{artifact}} Artifact {n}
:id: artifact-{n}
:kind: escalation-script
:max-words: 5
Rewrite the hand-off message.
```text
Hi, I can see you asked {{count}} times.
```
:::
"""


def make_course(folder: Path, modules: int) -> None:
    names = [f"module-{n}.md" for n in range(1, modules + 1)]
    (folder / "course.yml").write_text(
        "id: https://courses.example.org/bench\ntitle: Benchmark\nversion: 1.0.0\n"
        f"modules: [{', '.join(names)}]\n", encoding="utf-8")
    for n, name in enumerate(names, 1):
        (folder / name).write_text(module_text(n), encoding="utf-8")


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    modules = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "bench-course"
        course.mkdir()
        make_course(course, modules)
        size = sum(p.stat().st_size for p in course.iterdir())
        diags = lint(course)
        command = [sys.executable, "-m", "compiler.cli", "lint", str(course)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = best_of(3, lambda: subprocess.run(command, capture_output=True, check=False, env=env))
        in_process = best_of(3, lambda: lint(course))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"course: {modules} modules, {size / 1e6:.1f} MB of sources, {len(diags)} diagnostics")
    print(f"coursec lint (process, start included): {process:.2f} s  (target < 2 s)")
    print(f"lint() in process:                      {in_process:.2f} s")


if __name__ == "__main__":
    main()
