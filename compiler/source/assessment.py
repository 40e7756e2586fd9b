"""Quiz and survey blocks: ``##`` questions with task-list options, and survey item lists."""
from __future__ import annotations

import re

from ..diagnostics import warning
from ..model import Option, Position, Question, Quiz, Survey, SurveyItem
from .blocks import BlockSource
from .fences import Line
from .ids import ID_RULE, is_valid_id, letter_id, slugify
from .text import heading_text, outside_code, split_sections, to_markdown

QUESTION_TYPES = ("single", "multiple", "true-false")
HEADING_PARTS = re.compile(r"^(?P<id>[^\s{]+)?[ \t]*(?:\{(?P<type>[^}]*)\})?$")
OPTION = re.compile(r"^[-*+][ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<text>.*?)(?:[ \t]*\{#(?P<id>[^}]*)\})?[ \t]*$")
ITEM = re.compile(r"^[-*+][ \t]+(?P<text>.*?)(?:[ \t]*\{#(?P<id>[^}]*)\})?[ \t]*$")
FEEDBACK = re.compile(r"^>[ \t]?(?P<text>.*)$")


def build_quiz(src: BlockSource, index: int) -> Quiz:
    intro, sections = split_sections(src.raw.body)
    questions = tuple(_question(src, heading, lines, n) for n, (heading, lines) in enumerate(sections, 1))
    return Quiz(**src.common(index, intro), assessment=src.assessment(), pair=src.pair(), questions=questions)


def _question(src: BlockSource, heading: Line, lines: list[Line], number: int) -> Question:
    pos = Position(src.shown, heading.no, 1)
    question_id, qtype = _heading(src, heading, pos, number)
    prompt: list[Line] = []
    raw_options: list[tuple[re.Match, Line]] = []
    feedback: list[str] = []
    for line, in_code in outside_code(lines):
        option = None if in_code else OPTION.match(line.text)
        quote = None if in_code or not raw_options else FEEDBACK.match(line.text)
        if option:
            raw_options.append((option, line))
        elif quote:
            feedback.append(quote.group("text"))
        elif not raw_options or line.text.strip():
            prompt.append(line)
    options = _options(src, raw_options, qtype, pos)
    return Question(question_id, qtype, to_markdown(prompt, src.shown, heading.no + 1), options, pos,
                    "\n".join(feedback).strip())


def _heading(src: BlockSource, heading: Line, pos: Position, number: int) -> tuple[str, str]:
    text = heading_text(heading.text)
    parts = HEADING_PARTS.match(text)
    question_id = parts.group("id") if parts else None
    qtype = (parts.group("type") or "").strip() if parts else ""
    if not question_id or not is_valid_id(question_id):
        src.error(pos, "invalid-id", f"question heading '{text}' must be the question id ({ID_RULE}) "
                                     "followed by {single}, {multiple} or {true-false}")
        question_id = slugify(text.split("{")[0], f"question-{number}")
    if qtype not in QUESTION_TYPES:
        src.error(pos, "invalid-value", f"question '{question_id}' needs its type after the id: "
                                        "{single}, {multiple} or {true-false}" + (f", not {{{qtype}}}" if qtype else ""))
        qtype = "single"
    return question_id, qtype


def _options(src: BlockSource, raw: list[tuple[re.Match, Line]], qtype: str, qpos: Position) -> tuple[Option, ...]:
    options = []
    for n, (match, line) in enumerate(raw):
        pos = Position(src.shown, line.no, 1)
        text = match.group("text").strip()
        option_id = match.group("id")
        if option_id is not None and not is_valid_id(option_id.strip()):
            src.error(pos, "invalid-id", f"option id '{option_id}' must be {ID_RULE}")
        if option_id is None:
            option_id = text.lower() if qtype == "true-false" and text.lower() in ("true", "false") else letter_id(n)
        options.append(Option(option_id.strip(), text, match.group("mark") != " ", pos))
    if qtype == "true-false" and options and sorted(o.text.lower() for o in options) != ["false", "true"]:
        src.error(qpos, "invalid-value", "a true-false question has exactly the two options True and False")
    return tuple(options)


def build_survey(src: BlockSource, index: int) -> Survey:
    intro: list[Line] = []
    items: list[SurveyItem] = []
    for line, in_code in outside_code(src.raw.body):
        match = None if in_code else ITEM.match(line.text)
        if match:
            items.append(_item(src, match, line, len(items) + 1))
        elif items and line.text[:1] in " \t" and line.text.strip():
            last = items[-1]
            items[-1] = SurveyItem(last.id, f"{last.text} {line.text.strip()}", last.pos)
        else:
            intro.append(line)  # text after the items is kept with the intro, never dropped
    return Survey(**src.common(index, intro), assessment=src.assessment(), pair=src.pair(),
                  scale=_scale(src), items=tuple(items))


def _item(src: BlockSource, match: re.Match, line: Line, number: int) -> SurveyItem:
    pos = Position(src.shown, line.no, 1)
    item_id = match.group("id")
    if item_id is None:
        item_id = f"item-{number}"
        src.diags.append(warning(pos, "derived-id", f"survey item has no {{#id}}; using '{item_id}' from its position "
                                                    "(reordering items would change its activity IRI)"))
    elif not is_valid_id(item_id.strip()):
        src.error(pos, "invalid-id", f"survey item id '{item_id}' must be {ID_RULE}")
    return SurveyItem(item_id.strip(), match.group("text").strip(), pos)


def _scale(src: BlockSource) -> tuple[str, ...]:
    if "scale" not in src.options:
        return ()
    value, pos = src.options["scale"]
    labels = tuple(label.strip() for label in value.split("|"))
    if len(labels) < 2 or not all(labels):
        src.error(pos, "invalid-value", ":scale: needs at least two labels separated by '|'")
        return ()
    return labels
