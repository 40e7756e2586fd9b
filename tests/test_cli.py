"""The `coursec lint` command as an author runs it: exit codes, --strict, --format json."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from compiler.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = FIXTURES / "valid" / "every-block-kind"
WARNS = FIXTURES / "lint" / "missing-minutes"
BROKEN = FIXTURES / "lint" / "missing-step"


def run(*args: str):
    return CliRunner().invoke(main, ["lint", *args])


def test_clean_course_exits_0_and_prints_no_diagnostics():
    result = run(str(CLEAN))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr


def test_errors_exit_1_with_located_lines_on_stdout():
    result = run(str(BROKEN))
    assert result.exit_code == 1
    assert f"{BROKEN.as_posix()}/m.md:12:1: error: choice links to step '#scrip'" in result.stdout
    assert result.stdout.rstrip().endswith("[missing-step]")


def test_warnings_pass_unless_strict():
    assert run(str(WARNS)).exit_code == 0
    strict = run(str(WARNS), "--strict")
    assert strict.exit_code == 1
    assert "[missing-minutes]" in strict.stdout


def test_json_format_is_parseable_and_counts_levels():
    result = run(str(BROKEN), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["errors"] == 1 and data["warnings"] == 1
    codes = [d["code"] for d in data["diagnostics"]]
    assert codes == ["reading-time", "missing-step"]
    first = data["diagnostics"][1]
    assert (first["line"], first["col"], first["level"]) == (12, 1, "error")


def test_json_of_a_clean_course_has_no_diagnostics():
    result = run(str(CLEAN), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"diagnostics": [], "errors": 0, "warnings": 0}


def test_usage_errors_exit_2():
    assert run().exit_code == 2  # missing COURSE argument
    assert run(str(CLEAN), "--bogus").exit_code == 2
    assert run(str(CLEAN), "--format", "xml").exit_code == 2
    assert run(str(FIXTURES / "no-such-course")).exit_code == 2


def test_unreadable_sources_never_show_a_traceback():
    result = run(str(FIXTURES / "lint" / "encoding-error-binary"))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "[encoding-error]" in result.stdout


def test_the_installed_command_runs_as_a_process():
    proc = subprocess.run([sys.executable, "-m", "compiler.cli", "lint", str(BROKEN)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "[missing-step]" in proc.stdout and "Traceback" not in proc.stderr
