"""Helpers that turn numbered source lines into Markdown values."""
from __future__ import annotations

import re

from ..model import Markdown, Position
from .fences import CodeFenceTracker, Line


def to_markdown(lines: list[Line], shown: str, fallback_line: int) -> Markdown:
    """The lines' text with blank lines trimmed at both ends; positioned at its first line."""
    start, end = 0, len(lines)
    while start < end and not lines[start].text.strip():
        start += 1
    while end > start and not lines[end - 1].text.strip():
        end -= 1
    if start == end:
        return Markdown("", Position(shown, fallback_line, 1))
    return Markdown("\n".join(l.text for l in lines[start:end]), Position(shown, lines[start].no, 1))


def split_sections(lines: list[Line], heading: str = "## ") -> tuple[list[Line], list[tuple[Line, list[Line]]]]:
    """Lines before the first ``## `` heading, then each heading with the lines under it.

    Headings inside code blocks do not count.
    """
    intro: list[Line] = []
    sections: list[tuple[Line, list[Line]]] = []
    code = CodeFenceTracker()
    for line in lines:
        in_code = code.step(line.text)
        if not in_code and is_level2_heading(line.text):
            sections.append((line, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            intro.append(line)
    return intro, sections


def is_level2_heading(text: str) -> bool:
    return text.startswith("##") and not text.startswith("###") and (len(text) == 2 or text[2] in " \t")


def heading_text(text: str) -> str:
    """An ATX heading's text without the #s (a closing run of #s needs a space before it)."""
    return re.sub(r"(^|[ \t])#+[ \t]*$", "", text.lstrip("#").strip()).strip()


def outside_code(lines: list[Line]) -> list[tuple[Line, bool]]:
    """Each line with whether it is inside a code block."""
    code = CodeFenceTracker()
    return [(line, code.step(line.text)) for line in lines]
