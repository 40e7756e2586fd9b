"""YAML with positions: course.yml and module front matter keep the line of every key."""
from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic, error
from ..model import Position

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_FAILURES = (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError)


@dataclass(frozen=True, slots=True)
class Entry:
    """One key of a YAML mapping with its value and where both are."""

    key: str
    value: object
    key_pos: Position
    value_pos: Position
    node: Node


class YamlSource:
    """Turns YAML nodes of one file into values and positions (lines shifted by ``offset``)."""

    def __init__(self, shown: str, offset: int = 0):
        self.shown = shown
        self.offset = offset

    def pos(self, node: Node) -> Position:
        mark = node.start_mark
        return Position(self.shown, mark.line + 1 + self.offset, mark.column + 1)

    def compose(self, text: str, code: str, what: str, diags: list[Diagnostic]) -> MappingNode | None:
        """The top mapping node, or None with a ``code`` diagnostic that says why."""
        try:
            node = yaml.compose(text, Loader=Loader)
        except YAML_FAILURES as exc:
            diags.append(self._yaml_error(exc, code))
            return None
        if not isinstance(node, MappingNode):
            where = self.pos(node) if node is not None else Position(self.shown, 1 + self.offset, 1)
            diags.append(error(where, code, f"{what} must be a mapping of keys to values"))
            return None
        return node

    def _yaml_error(self, exc: Exception, code: str) -> Diagnostic:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = Position(self.shown, mark.line + 1 + self.offset, mark.column + 1) if mark else Position(self.shown, 1 + self.offset, 1)
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        context = getattr(exc, "context", None)
        started = getattr(exc, "context_mark", None)
        if context and started and mark and started.line != mark.line:
            context += f" started at line {started.line + 1 + self.offset}"
        message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
        return error(where, code, " ".join(message.split()))

    def entries(self, node: MappingNode, diags: list[Diagnostic]) -> list[Entry]:
        """The mapping's entries in order; a repeated key is an error (its first value would be lost)."""
        seen: dict[str, Position] = {}
        result = []
        for key_node, value_node in node.value:
            key = self.value(key_node, diags)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                diags.append(error(self.pos(key_node), "invalid-value", "a key must be a plain name"))
                continue
            key = str(key)
            if key in seen:
                diags.append(error(self.pos(key_node), "invalid-value",
                                   f"key '{key}' is given twice (first at line {seen[key].line})"))
                continue
            seen[key] = self.pos(key_node)
            value = self.value(value_node, diags)
            result.append(Entry(key, value, self.pos(key_node), self.pos(value_node), value_node))
        return result

    def value(self, node: Node, diags: list[Diagnostic]) -> object:
        try:
            return SafeConstructor().construct_document(node)
        except YAML_FAILURES as exc:
            diags.append(error(self.pos(node), "invalid-value", f"cannot read this value: {str(exc).splitlines()[0]}"))
            return None

    @staticmethod
    def source_text(node: Node) -> str | None:
        """The scalar exactly as written (``version: 1.10`` stays "1.10")."""
        return node.value if isinstance(node, ScalarNode) else None

    def item_positions(self, node: Node) -> list[Position]:
        if isinstance(node, SequenceNode):
            return [self.pos(n) for n in node.value]
        return []
