"""lint: load a course and run every check; print the diagnostics; exit 0 or 1.

Each check is a function ``check(course) -> Iterable[Diagnostic]`` in a small module:
structure (ids, cohorts, assessments), scenario (the step graph), timing (planned
minutes), media (images, headings), budget (saved state per target).  Loading itself
reports syntax, field and file problems (including unlisted module files). ``load_and_check`` is what build and preview call before rendering.
"""
from __future__ import annotations

from pathlib import Path

import click

from ..diagnostics import EXIT_INPUT, EXIT_OK, Diagnostic, format_json, format_text, has_errors, sort_diagnostics
from ..model import Course
from ..source import load_course
from . import budget, media, scenario, structure, timing

CHECKS = (structure.check, scenario.check, timing.check, media.check, budget.check)

__all__ = ["lint", "run_lint", "check_course", "load_and_check"]


def check_course(course: Course) -> list[Diagnostic]:
    """Every check over a loaded model (no loading diagnostics)."""
    return [d for check in CHECKS for d in check(course)]


def load_and_check(course_dir: Path) -> tuple[Course | None, list[Diagnostic]]:
    """The model and every diagnostic, sorted: what build calls before it writes anything."""
    course, diags = load_course(course_dir)
    if course is not None:
        diags = diags + check_course(course)
    return course, sort_diagnostics(diags)


def lint(course_dir: Path) -> list[Diagnostic]:
    return load_and_check(course_dir)[1]


def run_lint(course_dir: Path, fmt: str = "text", strict: bool = False) -> int:
    """Print the diagnostics (text or JSON on stdout) and a summary (stderr); the exit code."""
    diags = lint(course_dir)
    if fmt == "json":
        click.echo(format_json(diags))
    elif diags:
        click.echo(format_text(diags))
    errors = sum(1 for d in diags if d.is_error)
    if fmt != "json":
        click.echo(f"{Path(course_dir).as_posix()}: {errors} error(s), {len(diags) - errors} warning(s)", err=True)
    return EXIT_INPUT if has_errors(diags, strict=strict) else EXIT_OK
