"""The coursec command line: one command, one function; the work lives in the stages.

Exit codes: 0 ok, 1 the input has errors, 2 usage, 3 an outside service failed.
Secrets never come from flags (they leak through ps and shell history): the LRS key
and secret are read from COURSEC_LRS_KEY / COURSEC_LRS_SECRET or asked for.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import (
    EXIT_INPUT,
    EXIT_SERVICE,
    CourseError,
    ServiceError,
    format_json,
    format_text,
)

TARGETS = ("scorm12", "scorm2004", "xapi", "cmi5", "web", "all")


def _fail_with(diagnostics, fmt: str = "text") -> None:
    click.echo(format_json(diagnostics) if fmt == "json" else format_text(diagnostics), err=fmt != "json")
    sys.exit(EXIT_INPUT)


def _guarded(fn, *args, fmt: str = "text", **kwargs):
    """Run a stage; turn its domain errors into messages and exit codes (never a traceback)."""
    try:
        return fn(*args, **kwargs)
    except CourseError as exc:
        _fail_with(exc.diagnostics, fmt)
    except ServiceError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_SERVICE)


existing_dir = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
@click.version_option(package_name="coursec")
def main() -> None:
    """Compile Markdown courses into SCORM, xAPI and cmi5 packages, and report on learners."""


@main.command()
@click.argument("course", type=existing_dir)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 1).")
def lint(course: Path, fmt: str, strict: bool) -> None:
    """Check a course folder and print every problem with its location."""
    from .lint import run_lint

    sys.exit(run_lint(course, fmt=fmt, strict=strict))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", default="My new course", show_default=True)
@click.option("--id", "course_id", default=None, help="Absolute course IRI (default: an example.org IRI).")
def new(directory: Path, title: str, course_id: str | None) -> None:
    """Scaffold a course that shows every block kind."""
    from .source.scaffold import new_course

    path = _guarded(new_course, directory, title=title, course_id=course_id)
    click.echo(f"Created {path.as_posix()}; edit it, then run: coursec lint {path.as_posix()} --strict")


@main.command()
@click.argument("course", type=existing_dir)
@click.option("--target", "targets", type=click.Choice(TARGETS), multiple=True, default=("all",), show_default=True)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("build"), show_default=True)
@click.option("--cohort", default=None, help="Build a package for one cohort (written to cmi.launch_data).")
@click.option("--theme", "themes", type=existing_dir, multiple=True, help="A theme folder stacked over the default.")
@click.option("--schemas", type=existing_dir, default=None, help="Copy the standard schema files from DIR into the package.")
@click.option("--lrs", "lrs_endpoint", default=None, help="xAPI endpoint that SCORM packages also send statements to.")
@click.option("--lrs-token-url", default=None, help="URL the package asks for short-lived LRS credentials.")
@click.option("--embed-credentials", is_flag=True, help="Embed COURSEC_LRS_KEY/SECRET in the package (learners can read them).")
@click.option("--actor-homepage", default=None, help="homePage of the xAPI account built from the LMS learner id.")
@click.option("--cmi5-au", type=click.Choice(["module", "course"]), default="module", show_default=True)
def build(course: Path, targets, out_dir: Path, **options) -> None:
    """Build packages for an LMS into the output folder."""
    from .build import BuildOptions, build as build_course

    opts = BuildOptions.from_cli(course=course, targets=targets, out_dir=out_dir, **options)
    result = _guarded(build_course, opts)
    for line in result.messages:
        click.echo(line, err=True)
    for path in result.outputs:
        click.echo(str(path))


@main.command()
@click.argument("package", type=click.Path(exists=True, path_type=Path))
@click.option("--schemas", type=existing_dir, default=None, help="Validate manifests against the XSDs in DIR.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate(package: Path, schemas: Path | None, fmt: str) -> None:
    """Check a built package (zip or web folder) before uploading it."""
    from .targets.validate import run_validate

    sys.exit(run_validate(package, schemas=schemas, fmt=fmt))


@main.command()
@click.argument("course", type=existing_dir)
@click.option("--lrs", "lrs_endpoint", default=None, help="Pull statements from this xAPI endpoint.")
@click.option("--from", "from_file", default=None, help="Read statements from a JSON or NDJSON file ('-' for stdin).")
@click.option("--preview", is_flag=True, help="Read the preview's statement journal.")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--format", "formats", type=click.Choice(["csv", "json", "html", "md"]), multiple=True)
@click.option("--cohort", default=None)
@click.option("--since", default=None, help="Only statements from this date/time (ISO 8601).")
@click.option("--until", default=None, help="Only statements up to this date/time (ISO 8601).")
@click.option("--registration", default=None)
@click.option("--revision", default=None, help="Only statements of this course version.")
@click.option("--cohorts-csv", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV learner,cohort that overrides the cohort from the launch.")
@click.option("--pseudonymize", is_flag=True, help="Replace learner identities with salted hashes.")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="Where the report runs: embedded DuckDB, or Spark (reads --from an export or a table).")
@click.option("--engine-option", "engine_options", multiple=True, metavar="KEY=VALUE",
              help="Engine setting, e.g. master=spark://host:7077, remote=sc://host:15002, table=NAME.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def report(course: Path, **options) -> None:
    """Pull learners' statements and write assessment reports."""
    from .reports.command import run_report

    sys.exit(_guarded(run_report, course, **options) or 0)


@main.command()
@click.argument("course", type=existing_dir)
@click.option("--to", "to_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write (replaced only if it holds an earlier export).")
@click.option("--format", "fmt", type=click.Choice(["parquet"]), default="parquet", show_default=True)
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path), default=None)
def export(course: Path, to_dir: Path, fmt: str, store: Path | None) -> None:
    """Write the store's statements as Parquet partitioned by month, for a warehouse or Spark."""
    from .reports.export import run_export

    sys.exit(_guarded(run_export, course, to_dir, fmt=fmt, store=store) or 0)


@main.command()
@click.argument("course", type=existing_dir)
@click.option("--learners", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("-o", "--output", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None)
def simulate(course: Path, learners: int, seed: int, out_file: Path | None) -> None:
    """Write realistic simulated statements (NDJSON) for demos, tests and benchmarks."""
    from .reports.simulate import run_simulate

    _guarded(run_simulate, course, learners=learners, seed=seed, out_file=out_file)


@main.command()
@click.argument("course", type=existing_dir)
@click.argument("learner")
@click.option("--store", type=click.Path(dir_okay=False, path_type=Path), default=None)
def forget(course: Path, learner: str, store: Path | None) -> None:
    """Remove every statement of one learner from the local store."""
    from .reports.command import run_forget

    sys.exit(_guarded(run_forget, course, learner, store=store) or 0)


@main.command()
@click.argument("course", type=existing_dir)
@click.option("--port", type=click.IntRange(0, 65535), default=8737, show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--target", type=click.Choice(("scorm12", "scorm2004", "cmi5", "xapi", "web")), default="scorm12", show_default=True)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the default browser.")
@click.option("--theme", "themes", type=existing_dir, multiple=True, help="A theme folder stacked over the default (watched too).")
def preview(course: Path, port: int, target: str, open_browser: bool, themes: tuple[Path, ...]) -> None:
    """Play the course in a local LMS and LRS that rebuild on every save (Ctrl-C stops)."""
    from .preview.server import run_preview

    sys.exit(run_preview(course, port=port, target=target, open_browser=open_browser, echo=click.echo, themes=themes))


if __name__ == "__main__":  # pragma: no cover
    main()
