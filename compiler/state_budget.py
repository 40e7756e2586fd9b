"""The worst-case size of a learner's saved state, per target.

One place that lint (which warns when a course cannot fit a target) and the runtime
(which must never write more than this) agree on.  The runtime caps every free-text
field at ``max_words * CHARS_PER_WORD`` characters (the textarea's maxlength), so the
worst case is bounded; the per-item overheads below are upper bounds of the runtime's
compact state encoding (see compiler/runtime/state.js) and are checked by the browser
tests, which compare the real suspend data with this estimate.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import Artifact, Course, Quiz, Reflection, Scenario, Survey

CHARS_PER_WORD = 6
# Suspend data limits in characters; None means no limit that a course can reach.
STATE_LIMITS: dict[str, int | None] = {
    "scorm12": 4096,
    "scorm2004": 64000,
    "xapi": None,
    "cmi5": None,
    "web": None,
}
# Fixed part: version, content hash, bookmark, registration, cohort, timers, envelope.
BASE_OVERHEAD = 160
PER_BLOCK_OVERHEAD = 16  # key and done flag of any block
PER_STEP_OVERHEAD = 4  # one visited scenario step (index + separator)
PER_QUESTION_OVERHEAD = 12  # one answered question or survey item
TEXT_ESCAPE_FACTOR = 1.0  # the runtime compresses/escapes so text costs at most its length


def text_cap(max_words: int) -> int:
    """Maximum characters a learner can type into a field limited to ``max_words``."""
    return max_words * CHARS_PER_WORD


@dataclass(frozen=True, slots=True)
class BlockCost:
    module_id: str
    block_id: str
    chars: int


def block_costs(course: Course) -> list[BlockCost]:
    """Worst-case characters each block adds to the saved state."""
    costs = []
    for module, block in course.blocks():
        chars = PER_BLOCK_OVERHEAD
        if isinstance(block, Scenario):
            chars += PER_STEP_OVERHEAD * 2 * len(block.steps)  # a path may revisit steps
        elif isinstance(block, Quiz):
            chars += sum(PER_QUESTION_OVERHEAD + len(q.options) * 2 for q in block.questions)
        elif isinstance(block, Survey):
            chars += PER_QUESTION_OVERHEAD * len(block.items)
        elif isinstance(block, (Reflection, Artifact)):
            chars += int(text_cap(block.max_words) * TEXT_ESCAPE_FACTOR)
        costs.append(BlockCost(module.id, block.id, chars))
    return costs


def worst_case(course: Course) -> int:
    return BASE_OVERHEAD + len(course.id) + sum(c.chars for c in block_costs(course))


def targets_over_limit(course: Course) -> dict[str, int]:
    """Targets whose limit the worst-case state exceeds, with that limit."""
    size = worst_case(course)
    return {t: lim for t, lim in STATE_LIMITS.items() if lim is not None and size > lim}


def largest_blocks(course: Course, n: int = 3) -> list[BlockCost]:
    """The blocks to shorten first (free text dominates)."""
    return sorted(block_costs(course), key=lambda c: -c.chars)[:n]
