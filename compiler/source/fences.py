"""A line scanner for module files: front matter, then MyST-style colon-fence blocks.

It keeps the number of every line, so blocks, options and body lines report exact
positions. Backtick/tilde code fences are respected: nothing inside them is structure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic, error
from ..model import Position

BLOCK_OPEN = re.compile(r"^(:{3,})\{([^}]*)\}[ \t]*(.*?)[ \t]*$")
BLOCK_CLOSE = re.compile(r"^:{3,}[ \t]*$")
OPTION_LINE = re.compile(r"^:([A-Za-z][\w-]*):(?:[ \t]+(.*?))?[ \t]*$")
CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class Line:
    no: int
    text: str


@dataclass
class RawBlock:
    kind: str
    title: str
    pos: Position
    options: list[tuple[str, str, Position]] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)


@dataclass
class ScannedModule:
    front_matter: str | None  # the YAML text between the --- lines
    blocks: list[RawBlock]


class CodeFenceTracker:
    """Knows whether a line is inside a ``` or ~~~ code block."""

    def __init__(self) -> None:
        self.fence = ""

    def step(self, text: str) -> bool:
        """Feed one line; True when the line belongs to a code block (fences included)."""
        match = CODE_FENCE.match(text)
        if self.fence:
            if match and match.group(1)[0] == self.fence[0] and len(match.group(1)) >= len(self.fence) \
                    and not text.strip().strip(self.fence[0]):
                self.fence = ""
            return True
        if match and not (match.group(1)[0] == "`" and "`" in text.strip()[len(match.group(1)):]):
            self.fence = match.group(1)
            return True
        return False


def scan_module(text: str, shown: str, diags: list[Diagnostic]) -> ScannedModule:
    lines = text.split("\n")
    front, first_body = _front_matter(lines, shown, diags)
    return ScannedModule(front, _blocks(lines, first_body, shown, diags))


def _front_matter(lines: list[str], shown: str, diags: list[Diagnostic]) -> tuple[str | None, int]:
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 1
    diags.append(error(Position(shown, 1, 1), "front-matter-error",
                       "front matter opened here is never closed by a '---' line"))
    return None, 1


def _blocks(lines: list[str], start: int, shown: str, diags: list[Diagnostic]) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    current: RawBlock | None = None
    nested_depth = 0
    in_options = False
    code = CodeFenceTracker()
    for index in range(start, len(lines)):
        text, no = lines[index], index + 1
        if current is not None and in_options:
            option = OPTION_LINE.match(text)
            if option:
                current.options.append((option.group(1), option.group(2) or "", Position(shown, no, 1)))
                continue
            in_options = False
        if code.step(text):
            if current is not None and not nested_depth:
                current.body.append(Line(no, text))
            continue
        opening = BLOCK_OPEN.match(text)
        if opening and current is None:
            current = RawBlock(opening.group(2).strip(), opening.group(3), Position(shown, no, 1))
            in_options = True
        elif opening:
            diags.append(error(Position(shown, no, 1), "nested-block",
                               f"a block opens inside the '{current.kind}' block of line {current.pos.line}; "
                               "blocks do not nest (close the first with ':::')"))
            nested_depth += 1
        elif current is not None and BLOCK_CLOSE.match(text):
            if nested_depth:
                nested_depth -= 1
            else:
                blocks.append(current)
                current = None
        elif current is not None and not nested_depth:
            current.body.append(Line(no, text))
    if current is not None:
        hint = f" (the code block opened with {code.fence} inside it is never closed)" if code.fence else ""
        diags.append(error(current.pos, "unclosed-block",
                           f"the '{current.kind}' block opened here has no closing ':::'{hint}"))
        blocks.append(current)
    return blocks
