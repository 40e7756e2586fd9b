"""Markdown bodies to HTML: CommonMark plus tables and definition lists, raw HTML off,
headings shifted.

A block's ``##`` becomes ``<h3>`` (the module title is the page's h1, a block title h2).
Image sources are collected so that the site can check and copy them.
"""
from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.deflist import deflist_plugin

HEADING_SHIFT = 1


class MarkdownRenderer:
    """Renders author Markdown; raw HTML in the source is escaped, never passed through."""

    def __init__(self, shift: int = HEADING_SHIFT):
        # Definition lists suit glossaries and rubrics ("Term" then ": meaning"), common in lessons.
        self._md = MarkdownIt("commonmark", {"html": False}).enable("table").use(deflist_plugin)
        self._md.core.ruler.push("coursec_headings", self._shift_headings)
        self._shift = shift
        self.images: set[str] = set()

    def _shift_headings(self, state) -> None:
        for token in state.tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(6, int(token.tag[1]) + self._shift)
                token.tag = f"h{level}"
            if token.type == "inline":
                self._collect_images(token.children or [])

    def _collect_images(self, children) -> None:
        for child in children:
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                if src and "://" not in src and not src.startswith(("data:", "/")):
                    self.images.add(src)

    def block(self, text: str) -> str:
        """A Markdown body as block HTML."""
        return self._md.render(text or "")

    def inline(self, text: str) -> str:
        """One line of Markdown (choice, option, item texts) as inline HTML."""
        return self._md.renderInline(text or "")
