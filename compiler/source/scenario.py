"""Scenario blocks: ``##`` steps, and the list items that link to other steps as choices."""
from __future__ import annotations

import re
import textwrap

from ..model import Choice, Position, Scenario, Step
from .blocks import BlockSource
from .fences import Line
from .ids import ID_RULE, is_valid_id, slugify
from .text import heading_text, outside_code, split_sections, to_markdown

HEADING_PARTS = re.compile(r"^(?P<id>[^\s{]+)?[ \t]*(?:\{(?P<attrs>[^}]*)\})?$")
CHOICE = re.compile(r"^[-*+][ \t]+\[(?P<text>.+)\]\(#(?P<target>[^)\s]*)\)[ \t]*(?:\{(?P<attrs>[^}]*)\})?[ \t]*$")


def build_scenario(src: BlockSource, index: int) -> Scenario:
    intro, sections = split_sections(src.raw.body)
    steps = tuple(_step(src, heading, lines, n) for n, (heading, lines) in enumerate(sections, 1))
    return Scenario(**src.common(index, intro), steps=steps)


def _step(src: BlockSource, heading: Line, lines: list[Line], number: int) -> Step:
    pos = Position(src.shown, heading.no, 1)
    step_id, ending = _heading(src, heading, pos, number)
    body, choices = _choices(src, lines)
    if ending and choices:
        src.error(choices[0].pos, "invalid-value", f"step '{step_id}' is an {{ending}} but has choices")
    return Step(step_id, to_markdown(body, src.shown, heading.no + 1), tuple(choices), ending, pos)


def _heading(src: BlockSource, heading: Line, pos: Position, number: int) -> tuple[str, bool]:
    text = heading_text(heading.text)
    parts = HEADING_PARTS.match(text)
    attrs = (parts.group("attrs") or "").split() if parts else []
    step_id = parts.group("id") if parts else None
    if not step_id or not is_valid_id(step_id):
        fallback = slugify(text.split("{")[0], f"step-{number}")
        src.error(pos, "invalid-id", f"step heading '{text}' must be the step id ({ID_RULE}), "
                                     "optionally followed by {ending}")
        step_id = fallback
    for attr in attrs:
        if attr != "ending":
            src.error(pos, "unknown-option", f"unknown step attribute '{{{attr}}}' (known: {{ending}})")
    return step_id, "ending" in attrs


def _choices(src: BlockSource, lines: list[Line]) -> tuple[list[Line], list[Choice]]:
    """Split a step's lines into its text and its choices (each with its indented feedback)."""
    body: list[Line] = []
    found: list[tuple[re.Match, Line, list[Line]]] = []
    feedback: list[Line] | None = None  # the lines under the latest choice, while they continue
    for line, in_code in outside_code(lines):
        match = None if in_code else CHOICE.match(line.text)
        if match:
            feedback = []
            found.append((match, line, feedback))
        elif feedback is not None and (not line.text.strip() or line.text[:1] in " \t"):
            feedback.append(line)
        else:
            feedback = None
            body.append(line)
    return body, [_choice(src, match, line, lines_under) for match, line, lines_under in found]


def _choice(src: BlockSource, match: re.Match, line: Line, feedback: list[Line]) -> Choice:
    pos = Position(src.shown, line.no, 1)
    score = 0.0
    for attr in (match.group("attrs") or "").split():
        name, _, value = attr.partition("=")
        if name != "score":
            src.error(pos, "unknown-option", f"unknown choice attribute '{name}' (known: score)")
        else:
            score = _score(src, pos, value)
    text = textwrap.dedent("\n".join(l.text for l in feedback)).strip()
    return Choice(match.group("text").strip(), match.group("target"), score, text, pos)


def _score(src: BlockSource, pos: Position, value: str) -> float:
    try:
        score = float(value)
    except ValueError:
        score = float("nan")
    if score != score or abs(score) == float("inf"):
        src.error(pos, "invalid-value", f"choice score must be a number, not '{value}'")
        return 0.0
    return score
