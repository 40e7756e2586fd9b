"""Media and heading checks over every Markdown text: images exist and have alt text; headings
do not skip levels."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, error, warning
from ..model import Course, Markdown, Module, Position, Quiz, Scenario
from ..source.fences import CodeFenceTracker
from ..source.files import is_file

IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")


def check(course: Course) -> Iterator[Diagnostic]:
    for module in course.modules:
        for text, base_level in texts(module):
            yield from images(course, module, text)
            yield from headings(text, base_level)


def texts(module: Module) -> Iterator[tuple[Markdown, int]]:
    """Every Markdown text of a module with the heading level it sits under."""
    if module.intro is not None:
        yield module.intro, 1
    for block in module.blocks:
        yield block.body, 1
        if isinstance(block, Scenario):
            yield from ((step.body, 2) for step in block.steps)
        elif isinstance(block, Quiz):
            yield from ((q.prompt, 2) for q in block.questions)


def lines_outside_code(text: Markdown) -> Iterator[tuple[int, str]]:
    code = CodeFenceTracker()
    for offset, line in enumerate(text.text.split("\n")):
        if not code.step(line):
            yield text.pos.line + offset, line


def images(course: Course, module: Module, text: Markdown) -> Iterator[Diagnostic]:
    folder = (course.root / module.path).parent
    for line_no, line in lines_outside_code(text):
        if "![" not in line:
            continue
        masked = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        for match in IMAGE.finditer(masked):
            pos = Position(text.pos.path, line_no, match.start() + 1)
            if not match.group("alt").strip():
                yield warning(pos, "image-no-alt", f"image '{match.group('src')}' has no alt text: describe it in ![...]")
            problem = _missing(course.root, folder, match.group("src"))
            if problem:
                yield error(pos, "missing-image", problem)


def _missing(root: Path, folder: Path, src: str) -> str | None:
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//"):
        return None
    if not parts.path:
        return "image has no file name"
    try:
        target = (folder / unquote(parts.path)).resolve()
        if not target.is_relative_to(root.resolve()):
            return f"image '{src}' is outside the course folder, so it would not be packaged"
        if is_file(target):
            return None
    except (OSError, ValueError):
        pass
    return f"image '{src}' does not exist in the course folder"


def headings(text: Markdown, base_level: int) -> Iterator[Diagnostic]:
    previous = base_level
    for line_no, line in lines_outside_code(text):
        match = HEADING.match(line)
        if not match:
            continue
        level = len(match.group(1))
        if level > previous + 1:
            yield warning(Position(text.pos.path, line_no, 1), "heading-skip",
                          f"heading level {level} follows level {previous}; use {'#' * (previous + 1)}")
        previous = level
