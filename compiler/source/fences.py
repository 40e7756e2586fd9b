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
    intro: list[Line]  # lines before the first block
    body_start: int  # line number where the Markdown after the front matter starts


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
    scanner = BlockScanner(shown, diags)
    for index in range(first_body, len(lines)):
        scanner.feed(lines[index], index + 1)
    return ScannedModule(front, scanner.finish(), scanner.intro, first_body + 1)


def _front_matter(lines: list[str], shown: str, diags: list[Diagnostic]) -> tuple[str | None, int]:
    if not lines or lines[0].rstrip() != "---":
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), index + 1
    diags.append(error(Position(shown, 1, 1), "front-matter-error",
                       "front matter opened here is never closed by a '---' line"))
    return None, 1


class BlockScanner:
    """Feeds lines one by one; collects blocks, their option lines and their body lines."""

    def __init__(self, shown: str, diags: list[Diagnostic]):
        self.shown, self.diags = shown, diags
        self.blocks: list[RawBlock] = []
        self.intro: list[Line] = []
        self.stray: list[int] = []  # lines of text between or after blocks (shown nowhere)
        self.in_comment = False
        self.current: RawBlock | None = None
        self.nested_depth = 0  # blocks opened inside the current one (an error; skipped)
        self.in_options = False
        self.code = CodeFenceTracker()

    def feed(self, text: str, no: int) -> None:
        if self.in_options and self._option(text, no):
            return
        self.in_options = False
        if self.code.step(text):
            self._body(text, no)
            return
        opening = BLOCK_OPEN.match(text)
        if opening:
            self._open(opening, no)
        elif self.current is not None and BLOCK_CLOSE.match(text):
            self._close()
        else:
            self._body(text, no)

    def _option(self, text: str, no: int) -> bool:
        """Option lines follow the opening line (blank lines before them are tolerated)."""
        if not text.strip():
            return True
        option = OPTION_LINE.match(text)
        if option:
            self.current.options.append((option.group(1), option.group(2) or "", Position(self.shown, no, 1)))
        return bool(option)

    def _body(self, text: str, no: int) -> None:
        if self.current is not None and not self.nested_depth:
            self.current.body.append(Line(no, text))
        elif self.current is None and not self.blocks:
            self.intro.append(Line(no, text))
        elif self.current is None and self._is_text(text):
            self.stray.append(no)

    def _is_text(self, text: str) -> bool:
        """True for a line outside blocks that a reader would see (not blank, not an HTML comment)."""
        visible = text
        if self.in_comment:
            if "-->" not in text:
                return False
            visible, self.in_comment = text.split("-->", 1)[1], False
        while "<!--" in visible:
            before, _, after = visible.partition("<!--")
            if "-->" not in after:
                self.in_comment = True
                return bool(before.strip())
            visible = before + after.split("-->", 1)[1]
        return bool(visible.strip())

    def _open(self, opening: re.Match, no: int) -> None:
        if self.current is None:
            self.current = RawBlock(opening.group(2).strip(), opening.group(3), Position(self.shown, no, 1))
            self.in_options = True
            return
        self.diags.append(error(Position(self.shown, no, 1), "nested-block",
                                f"a block opens inside the '{self.current.kind}' block of line {self.current.pos.line}; "
                                "blocks do not nest (close the first with ':::')"))
        self.nested_depth += 1

    def _close(self) -> None:
        if self.nested_depth:
            self.nested_depth -= 1
        else:
            self.blocks.append(self.current)
            self.current = None

    def finish(self) -> list[RawBlock]:
        for no in (n for i, n in enumerate(self.stray) if i == 0 or self.stray[i - 1] != n - 1):
            self.diags.append(error(Position(self.shown, no, 1), "invalid-value",
                                    "text between or after blocks is shown nowhere: move it into a block, "
                                    "or into the introduction above the first block"))
        if self.current is not None:
            hint = f" (the code block opened with {self.code.fence} inside it is never closed)" if self.code.fence else ""
            self.diags.append(error(self.current.pos, "unclosed-block",
                                    f"the '{self.current.kind}' block opened here has no closing ':::'{hint}"))
            self.blocks.append(self.current)
        return self.blocks
