"""The one small interface every package format implements, and the registry of formats.

A target turns a rendered site (relative POSIX path -> bytes) into the files of a package:
the site plus its control file (imsmanifest.xml, tincan.xml, cmi5.xml, or none for web)
and, when asked, the standard schema files.  It only computes bytes; writing is done by
``compiler.build`` through the deterministic zip writer.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

from ..model import Course

IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
LAUNCH_PAGE = "index.html"


@dataclass(frozen=True, slots=True)
class PackageOptions:
    """What a target needs besides the course and the site."""

    cohort: str | None = None
    schemas: Path | None = None  # folder laid out like ../shared/schemas; None: no schema files
    cmi5_au: str = "module"  # "module": one AU per module; "course": one AU for the course


def safe_identifier(text: str, prefix: str = "ID") -> str:
    """``text`` made into an identifier matching IDENTIFIER_RE (letters, digits, _ and -)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or prefix
    if not re.match(r"[A-Za-z_]", cleaned):
        cleaned = f"{prefix}_{cleaned}"
    return cleaned[:64]


def require_launch_page(site: dict[str, bytes]) -> None:
    """Every format launches LAUNCH_PAGE: a site without it is a renderer bug, never a package."""
    if LAUNCH_PAGE not in site:
        raise ValueError(f"the rendered site has no {LAUNCH_PAGE}")


class Target(ABC):
    """A package format. Subclasses set ``name`` and ``control_file`` and build the files."""

    name: str = ""
    control_file: str | None = None  # file at the package root that says the format
    is_folder: bool = False  # True: written as a folder instead of a zip

    @abstractmethod
    def package(self, course: Course, site: dict[str, bytes], options: PackageOptions) -> dict[str, bytes]:
        """Every file of the package: the site plus the control file (and schema files)."""

    def render_target(self) -> str:
        """The target name the renderer is asked for (the runtime differs per format)."""
        return self.name

    def output_name(self, course: Course) -> str:
        """``<slug>-<version>-<target>.zip`` (a folder name without ``.zip`` for web)."""
        stem = f"{course.slug}-{course.version}-{self.name}"
        return stem if self.is_folder else f"{stem}.zip"


_REGISTRY: dict[str, type[Target]] = {}


def register(cls: type[Target]) -> type[Target]:
    """Class decorator: make a target available by its name."""
    _REGISTRY[cls.name] = cls
    return cls


def target_names() -> tuple[str, ...]:
    """Every registered target, in the product's order."""
    order = ("scorm12", "scorm2004", "xapi", "cmi5", "web")
    return tuple(sorted(_REGISTRY, key=lambda n: (order.index(n) if n in order else len(order), n)))


def get_target(name: str) -> Target:
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(f"unknown target {name!r}; known: {', '.join(target_names())}") from None
