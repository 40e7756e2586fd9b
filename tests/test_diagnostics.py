"""Diagnostics read `path:line:col: level: message [code]`, sort by position and count errors."""
from __future__ import annotations

import json

from compiler.diagnostics import Diagnostic, error, format_json, has_errors, sort_diagnostics, warning
from compiler.model import Position


def test_text_form_is_the_compiler_convention():
    d = error(Position("courses/x/listening.md", 12, 3), "missing-step", "choice links to #nowhere")
    assert str(d) == "courses/x/listening.md:12:3: error: choice links to #nowhere [missing-step]"


def test_sorted_by_file_line_column_and_deduplicated():
    a = warning(Position("b.md", 1, 1), "derived-id", "x")
    b = error(Position("a.md", 9, 1), "invalid-id", "y")
    c = error(Position("a.md", 2, 5), "invalid-id", "z")
    assert sort_diagnostics([a, b, c, a]) == [c, b, a]


def test_strict_turns_warnings_into_failure():
    only_warning = [warning(Position("a.md"), "derived-id", "x")]
    assert not has_errors(only_warning)
    assert has_errors(only_warning, strict=True)
    assert not has_errors([], strict=True)


def test_json_form_counts_levels():
    diags = [warning(Position("a.md", 3, 1), "derived-id", "x"), error(Position("a.md", 4, 1), "invalid-id", "y")]
    data = json.loads(format_json(diags))
    assert data["errors"] == 1 and data["warnings"] == 1
    assert data["diagnostics"][0] == {
        "path": "a.md", "line": 3, "col": 1, "level": "warning", "message": "x", "code": "derived-id",
    }
    assert isinstance(Diagnostic(**data["diagnostics"][1]), Diagnostic)
