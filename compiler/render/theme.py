"""A theme is a stack of folders: user themes first, the default theme last.

Each folder may hold ``templates/`` (Jinja2, looked up through a ChoiceLoader over the
stack), ``static/`` (files copied under ``assets/``; a file in an upper folder replaces
the same path below) and ``i18n/<lang>.yml`` (UI strings; upper catalogues override keys).
"""
from __future__ import annotations

from pathlib import Path

import jinja2
import yaml

from .. import themes_dir

FALLBACK_LANGUAGE = "en"


def default_theme() -> Path:
    return themes_dir() / "default"


class ThemeStack:
    def __init__(self, extra: tuple[Path, ...] = ()):
        self.folders: tuple[Path, ...] = tuple(Path(p) for p in extra) + (default_theme(),)
        loaders = [jinja2.FileSystemLoader(str(f / "templates")) for f in self.folders]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    def static_files(self) -> dict[str, bytes]:
        """Static files of the stack, relative POSIX path -> bytes (upper folders win)."""
        files: dict[str, bytes] = {}
        for folder in reversed(self.folders):
            root = folder / "static"
            if not root.is_dir():
                continue
            for path in sorted(root.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(root).as_posix()] = path.read_bytes()
        return dict(sorted(files.items()))

    def strings(self, language: str) -> dict[str, str]:
        """UI strings for a language tag (``fr-CA`` uses ``fr``), English filling any gap."""
        base = (language or FALLBACK_LANGUAGE).split("-")[0].lower()
        merged: dict[str, str] = {}
        for lang in (FALLBACK_LANGUAGE, base) if base != FALLBACK_LANGUAGE else (FALLBACK_LANGUAGE,):
            for folder in reversed(self.folders):
                merged.update(_load_catalogue(folder / "i18n" / f"{lang}.yml"))
        return merged


def _load_catalogue(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a UI string catalogue must be a mapping of key: text")
    return {str(k): str(v) for k, v in data.items()}
