"""Ids: what a valid id looks like, and how one is derived from a title."""
from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ID_RULE = "lowercase letters, digits and hyphens"


def is_valid_id(value: object) -> bool:
    return isinstance(value, str) and bool(ID_PATTERN.match(value))


def slugify(title: str, fallback: str) -> str:
    """The id a title would give: ASCII, lowercase, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


def letter_id(index: int) -> str:
    """Option ids by position: a, b, ... z, then o27, o28 ..."""
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"
