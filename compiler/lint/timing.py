"""Timing checks: planned minutes present, in the recommended range, close to the reading time."""
from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, warning
from ..model import MINUTES_RANGE, Block, Course, Scenario

WORDS_PER_MINUTE = 200
MINUTES_PER_DECISION = 1.0
TOLERANCE = 2.0  # warn when the estimate is more than twice off, either way
ESTIMATED_KINDS = ("lesson", "scenario")


def check(course: Course) -> Iterator[Diagnostic]:
    for _, block in course.blocks():
        if block.kind not in MINUTES_RANGE:
            continue
        if block.minutes is None:
            low, high = MINUTES_RANGE[block.kind]
            yield warning(block.pos, "missing-minutes",
                          f"{block.kind} '{block.id}' has no ':minutes:' (plan {low}–{high})")
            continue
        yield from _range(block)
        if block.kind in ESTIMATED_KINDS:
            yield from _reading_time(block)


def _range(block: Block) -> Iterator[Diagnostic]:
    low, high = MINUTES_RANGE[block.kind]
    if not low <= block.minutes <= high:
        yield warning(block.pos, "minutes-out-of-range",
                      f"{block.kind} '{block.id}' plans {block.minutes:g} minutes; a {block.kind} takes {low}–{high}")


def estimate_minutes(block: Block) -> tuple[float, int, int]:
    """Estimated minutes (reading at 200 words a minute, plus 1 per decision step), words, decisions."""
    words = block.body.words()
    decisions = 0
    if isinstance(block, Scenario):
        for step in block.steps:
            words += step.body.words() + sum(len(c.text.split()) + len(c.feedback.split()) for c in step.choices)
            decisions += 1 if step.choices else 0
    return words / WORDS_PER_MINUTE + decisions * MINUTES_PER_DECISION, words, decisions


def _reading_time(block: Block) -> Iterator[Diagnostic]:
    estimate, words, decisions = estimate_minutes(block)
    planned = block.minutes
    if estimate > planned * TOLERANCE or estimate < planned / TOLERANCE:
        detail = f"{words} words at {WORDS_PER_MINUTE} a minute"
        if isinstance(block, Scenario):
            detail += f" plus {MINUTES_PER_DECISION:g} per decision step, {decisions} of them"
        yield warning(block.pos, "reading-time",
                      f"{block.kind} '{block.id}' plans {planned:g} minutes but takes about {estimate:.1f} "
                      f"({detail}); adjust ':minutes:' or the text")
