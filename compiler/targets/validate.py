"""``coursec validate PACKAGE``: check a built package (zip or web folder) before upload.

The format is detected from the control file at the package root (imsmanifest.xml with a
SCORM 1.2 or 2004 schemaversion, tincan.xml, cmi5.xml, or a plain web index.html).  The
checks never extract anything and never raise on a broken file: every problem is a
diagnostic ``package.zip!entry:line:col: level: message [code]``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import click

from ..diagnostics import EXIT_INPUT, EXIT_OK, Diagnostic, format_json, format_text, sort_diagnostics
from .archive import Package, open_package
from .base import LAUNCH_PAGE
from .manifest import MANIFEST_FILE
from .validate_scorm import check_scorm
from .validate_site import check_site_references
from .validate_xml import parse

CONTROL_FILES = (MANIFEST_FILE, "tincan.xml", "cmi5.xml")
TEXT_SUFFIXES = (".js", ".html", ".htm", ".json", ".css", ".xml", ".txt")
MAX_SCANNED = 5 * 1024 * 1024
BASIC_AUTH_RE = re.compile(rb"Basic [A-Za-z0-9+/]{8,}={0,2}")


def run_validate(package: Path, schemas: Path | None = None, fmt: str = "text") -> int:
    """The CLI command, like lint: diagnostics (text or JSON) on stdout, a summary on stderr."""
    fmt_name, diagnostics = validate_package(Path(package), schemas)
    errors = sum(1 for d in diagnostics if d.is_error)
    if fmt == "json":
        payload = json.loads(format_json(diagnostics))
        click.echo(json.dumps({"package": str(package), "format": fmt_name, **payload}, indent=2, ensure_ascii=False))
    else:
        if diagnostics:
            click.echo(format_text(diagnostics))
        click.echo(f"{package}: {fmt_name or 'unknown format'}, {errors} error(s), "
                   f"{len(diagnostics) - errors} warning(s)", err=True)
    return EXIT_INPUT if errors else EXIT_OK


def validate_package(path: Path, schemas: Path | None = None) -> tuple[str | None, list[Diagnostic]]:
    """The package's format (None if unknown) and every problem found, sorted."""
    package = open_package(path)
    try:
        fmt = _check_format(package, schemas) if package.names or not package.diagnostics else None
    finally:
        package.close()
    return fmt, sort_diagnostics(package.diagnostics)


def _check_format(package: Package, schemas: Path | None) -> str | None:
    _check_nested_control_files(package)
    _check_embedded_credentials(package)
    check_site_references(package)
    present = [name for name in CONTROL_FILES if package.has(name)]
    if len(present) > 1:
        package.report("warning", "several-control-files", f"the package holds {', '.join(present)}; "
                       f"LMSs will read it as {present[0]}")
    if MANIFEST_FILE in present:
        root = parse(package, MANIFEST_FILE)
        return check_scorm(package, root, schemas) if root is not None else None
    for name in present:
        return _check_xapi_family(package, name, schemas)
    if package.has(LAUNCH_PAGE):
        return "web"
    package.report("error", "missing-manifest", "no imsmanifest.xml, tincan.xml, cmi5.xml or index.html at "
                   "the package root: zip the package folder's contents, not the folder")
    return None


def _check_xapi_family(package: Package, name: str, schemas: Path | None) -> str | None:
    from .validate_xapi import check_cmi5, check_tincan

    root = parse(package, name)
    if root is None:
        return None
    return check_tincan(package, root) if name == "tincan.xml" else check_cmi5(package, root, schemas)


def _check_embedded_credentials(package: Package) -> None:
    """Warn about any text file that carries a Basic Authorization value (spec-sheet §4 test 3)."""
    for name in package.names:
        if not name.endswith(TEXT_SUFFIXES) or name in package.unsafe or package.sizes[name] > MAX_SCANNED:
            continue
        data = package.read(name) or b""
        if BASIC_AUTH_RE.search(data):
            package.report("warning", "embedded-credentials", f"{name} contains an LRS Authorization value: "
                           "every learner can read it (use a write-only key, or --lrs-token-url)", name)


def _check_nested_control_files(package: Package) -> None:
    for name in package.names:
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        if base in CONTROL_FILES and name != base:
            level = "warning" if package.has(base) else "error"
            package.report(level, "nested-control-file", f"{name} is not at the package root; LMSs look for "
                           f"{base} at the root only", name)
