"""Diagnostics shared by lint, build and validate.

Every problem reads ``path:line:col: error|warning: message [code]``.  Codes are stable:
they are documented in courses/README.md and tests rely on them.  Exit codes follow the
product rules: 0 ok, 1 input has errors, 2 usage, 3 an outside service failed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Literal

from .model import Position

Level = Literal["error", "warning"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_SERVICE = 3


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    level: Level
    message: str
    code: str

    @classmethod
    def at(cls, pos: Position, level: Level, code: str, message: str) -> "Diagnostic":
        return cls(pos.path, pos.line, pos.col, level, message, code)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message} [{self.code}]"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "level": self.level,
            "message": self.message,
            "code": self.code,
        }


def error(pos: Position, code: str, message: str) -> Diagnostic:
    return Diagnostic.at(pos, "error", code, message)


def warning(pos: Position, code: str, message: str) -> Diagnostic:
    return Diagnostic.at(pos, "warning", code, message)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line, column, then code; exact duplicates removed."""
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.col, d.code, d.message))


def has_errors(diags: Iterable[Diagnostic], strict: bool = False) -> bool:
    return any(d.is_error or strict for d in diags)


def format_text(diags: Iterable[Diagnostic]) -> str:
    return "\n".join(str(d) for d in diags)


def format_json(diags: Iterable[Diagnostic]) -> str:
    items = [d.as_dict() for d in diags]
    summary = {
        "errors": sum(1 for d in items if d["level"] == "error"),
        "warnings": sum(1 for d in items if d["level"] == "warning"),
    }
    return json.dumps({"diagnostics": items, **summary}, indent=2, ensure_ascii=False)


class CourseError(Exception):
    """Raised by a stage that cannot go on; carries the diagnostics that say why."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(format_text(diagnostics))
        self.diagnostics = diagnostics


class ServiceError(Exception):
    """An outside service (LRS, token URL) failed after retries: exit code 3."""
