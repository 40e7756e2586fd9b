"""The renderer: a course model plus options in, every file of the site out.

``render_site`` is the one entry point the targets use; it returns relative POSIX paths
mapped to bytes (deterministic: same course and options, same bytes).  The launch page is
``index.html``; the runtime script and the theme's static files go under ``assets/``,
the course's images under ``media/``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model import Course

TARGETS = ("scorm12", "scorm2004", "xapi", "cmi5", "web")


@dataclass(frozen=True)
class LrsSettings:
    """xAPI settings carried into the runtime config (used by the xAPI layer)."""

    endpoint: str | None = None
    token_url: str | None = None
    auth: str | None = None  # an embedded "Basic ..." only with --embed-credentials
    actor_homepage: str | None = None


@dataclass(frozen=True)
class RenderOptions:
    target: str  # "scorm12" | "scorm2004" | "xapi" | "cmi5" | "web"
    cohort: str | None = None  # compiled-in cohort
    themes: tuple[Path, ...] = ()  # extra theme folders, searched before the default
    lrs: LrsSettings | None = None


def render_site(course: Course, options: RenderOptions) -> dict[str, bytes]:
    """Every file of the site, relative POSIX path -> bytes, deterministic; the launch page is "index.html"."""
    from .site import build_site

    if options.target not in TARGETS:
        raise ValueError(f"unknown target {options.target!r}; expected one of {', '.join(TARGETS)}")
    return build_site(course, options)


__all__ = ["LrsSettings", "RenderOptions", "render_site", "TARGETS"]
