"""Raw colon-fence blocks to model blocks: options checked, ids settled, bodies kept."""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, error, warning
from ..model import DEFAULT_MAX_WORDS, Artifact, Lesson, Position, Reflection
from .fences import Line, RawBlock
from .ids import ID_RULE, is_valid_id, slugify
from .text import outside_code, to_markdown

COMMON_OPTIONS = ("id", "minutes")
OPTIONS: dict[str, tuple[str, ...]] = {
    "lesson": COMMON_OPTIONS,
    "scenario": COMMON_OPTIONS,
    "reflection": COMMON_OPTIONS + ("min-words", "max-words"),
    "artifact": COMMON_OPTIONS + ("kind", "max-words"),
    "quiz": COMMON_OPTIONS + ("kind", "pair"),
    "survey": COMMON_OPTIONS + ("kind", "pair", "scale"),
}


@dataclass
class BlockSource:
    """One raw block being read: its options by name and where diagnostics go."""

    raw: RawBlock
    shown: str
    diags: list[Diagnostic]
    options: dict[str, tuple[str, Position]]

    @classmethod
    def read(cls, raw: RawBlock, shown: str, diags: list[Diagnostic]) -> "BlockSource":
        known = OPTIONS[raw.kind]
        options: dict[str, tuple[str, Position]] = {}
        for name, value, pos in raw.options:
            if name not in known:
                diags.append(error(pos, "unknown-option",
                                   f"unknown option ':{name}:' for a {raw.kind} (known: {', '.join(known)})"))
            elif name in options:
                diags.append(error(pos, "invalid-value", f"option ':{name}:' is given twice (first at line {options[name][1].line})"))
            else:
                options[name] = (value, pos)
        return cls(raw, shown, diags, options)

    def error(self, pos: Position, code: str, message: str) -> None:
        self.diags.append(error(pos, code, message))

    def block_id(self, index: int) -> tuple[str, bool]:
        """The ``:id:`` option, or one derived from the title (with a derived-id warning)."""
        if "id" in self.options:
            value, pos = self.options["id"]
            if not is_valid_id(value):
                self.error(pos, "invalid-id", f"block id '{value}' must be {ID_RULE}")
            return value, False
        derived = slugify(self.raw.title, f"{self.raw.kind}-{index}")
        self.diags.append(warning(self.raw.pos, "derived-id",
                                  f"{self.raw.kind} has no ':id:'; using '{derived}' from its title "
                                  "(renaming the title would change its activity IRI): add ':id: " + derived + "'"))
        return derived, True

    def number(self, name: str, minimum: float, whole: bool = False) -> float | None:
        if name not in self.options:
            return None
        value, pos = self.options[name]
        try:
            number = int(value) if whole else float(value)
        except ValueError:
            number = None
        if number is None or number < minimum or number != number or number in (float("inf"),):
            kind = "a whole number" if whole else "a number"
            self.error(pos, "invalid-value", f":{name}: must be {kind} of at least {minimum:g}, not '{value}'")
            return None
        return number

    def text(self, name: str, default: str = "") -> str:
        return self.options[name][0] if name in self.options else default

    def assessment(self) -> str | None:
        if "kind" not in self.options:
            return None
        value, pos = self.options["kind"]
        if value not in ("pre", "post"):
            self.error(pos, "invalid-value", f":kind: of a {self.raw.kind} must be 'pre' or 'post', not '{value}'")
            return None
        return value

    def pair(self) -> str:
        value, pos = self.options.get("pair", ("default", self.raw.pos))
        if not is_valid_id(value):
            self.error(pos, "invalid-id", f":pair: '{value}' must be {ID_RULE}")
        return value

    def common(self, index: int, body: list[Line] | None = None) -> dict:
        block_id, derived = self.block_id(index)
        lines = self.raw.body if body is None else body
        return {
            "id": block_id,
            "title": self.raw.title,
            "pos": self.raw.pos,
            "id_derived": derived,
            "minutes": self.number("minutes", 0.1),
            "body": to_markdown(lines, self.shown, self.raw.pos.line + 1),
        }


def build_lesson(src: BlockSource, index: int) -> Lesson:
    return Lesson(**src.common(index))


def build_reflection(src: BlockSource, index: int) -> Reflection:
    min_words = int(src.number("min-words", 0, whole=True) or 0)
    max_words = int(src.number("max-words", 1, whole=True) or DEFAULT_MAX_WORDS)
    if min_words > max_words:
        src.error(src.options["min-words"][1], "invalid-value",
                  f":min-words: {min_words} is more than :max-words: {max_words}")
    return Reflection(**src.common(index), min_words=min_words, max_words=max_words)


def build_artifact(src: BlockSource, index: int) -> Artifact:
    body, template = split_template(src.raw.body)
    max_words = int(src.number("max-words", 1, whole=True) or DEFAULT_MAX_WORDS)
    return Artifact(**src.common(index, body), artifact_kind=src.text("kind"), template=template, max_words=max_words)


def split_template(lines: list[Line]) -> tuple[list[Line], str]:
    """The instructions without their first fenced code block, and that block's text (the template)."""
    flags = [in_code for _, in_code in outside_code(lines)]
    if True not in flags:
        return lines, ""
    start = flags.index(True)
    end = flags.index(False, start) if False in flags[start:] else len(lines)
    fence = lines[start].text.strip()[:3]
    closed = end - 1 > start and lines[end - 1].text.strip().startswith(fence)
    inner = lines[start + 1:end - 1] if closed else lines[start + 1:end]
    return lines[:start] + lines[end:], "\n".join(l.text for l in inner)
