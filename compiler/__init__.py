"""coursec: Markdown courses to SCORM, xAPI and cmi5 packages, and LRS reports."""
from __future__ import annotations

from pathlib import Path

__all__ = ["themes_dir", "package_dir"]


def package_dir() -> Path:
    return Path(__file__).resolve().parent


def themes_dir() -> Path:
    """The built-in themes: shipped inside the package when installed, at the repo root in a checkout."""
    installed = package_dir() / "themes"
    if installed.is_dir():
        return installed
    return package_dir().parent / "themes"
