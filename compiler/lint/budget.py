"""Saved-state budget: warn for each target whose suspend-data limit the worst case exceeds."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, warning
from ..model import Course
from ..state_budget import largest_blocks, targets_over_limit, worst_case


def check(course: Course) -> Iterator[Diagnostic]:
    over = targets_over_limit(course)
    if not over:
        return
    size = worst_case(course)
    shorten = ", ".join(f"{c.module_id}/{c.block_id} ({c.chars:,})" for c in largest_blocks(course))
    for target, limit in sorted(over.items()):
        yield warning(course.pos, "state-too-large",
                      f"worst-case saved state is {size:,} characters, over the {target} limit of {limit:,}; "
                      f"shorten the largest blocks (lower ':max-words:' of reflections and artifacts) "
                      f"or split the course: {shorten}")
