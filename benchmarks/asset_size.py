"""Benchmark: what the learner's browser downloads besides the course text.

Prints the size of the runtime JavaScript (every file in compiler/runtime/ the bundle
includes) and of the default theme's static files (CSS, theme JS), raw and gzipped, and
the generated script of the sample course (config + vocabulary + runtime).
Run: .venv/bin/python benchmarks/asset_size.py
"""
from __future__ import annotations

import gzip
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compiler.render import RenderOptions, render_site  # noqa: E402
from compiler.render.bundle import RUNTIME_FILES, runtime_dir, runtime_sources  # noqa: E402
from compiler.render.theme import ThemeStack  # noqa: E402
from compiler.source import load_course  # noqa: E402

SAMPLE = ROOT / "courses" / "empathy-at-touchpoints"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def row(name: str, data: bytes) -> tuple[str, int, int]:
    return name, len(data), gz(data)


def main() -> None:
    rows = [row(f"runtime/{name}", (runtime_dir() / name).read_bytes()) for name in RUNTIME_FILES]
    rows.append(row("runtime (all files)", runtime_sources().encode("utf-8")))
    rows += [row(f"theme/{name}", data) for name, data in ThemeStack().static_files().items()]
    course, diagnostics = load_course(SAMPLE)
    if course is not None:
        site = render_site(course, RenderOptions(target="scorm12"))
        rows.append(row("sample: assets/coursec.js (config + runtime)", site["assets/coursec.js"]))
        rows.append(row("sample: index.html", site["index.html"]))
    width = max(len(r[0]) for r in rows)
    print(f"machine: {platform.machine()} {platform.system()} {platform.release()}, Python {platform.python_version()}")
    print(f"{'file'.ljust(width)}  {'raw bytes':>10}  {'gzip bytes':>10}")
    for name, raw, zipped in rows:
        print(f"{name.ljust(width)}  {raw:>10,}  {zipped:>10,}")


if __name__ == "__main__":
    main()
