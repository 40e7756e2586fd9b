"""Checks every control file shares: parsing, XSD validity, identifiers and references to files."""
from __future__ import annotations

import codecs
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .archive import Package
from .base import IDENTIFIER_RE
from .schemas import SchemaMissing, load_schema


def parse(package: Package, name: str) -> etree._Element | None:
    """The root element of an XML entry, or None with an ``invalid-xml`` diagnostic."""
    data = package.read(name)
    if data is None:
        return None
    if data.startswith(codecs.BOM_UTF8):
        package.report("warning", "xml-bom", f"{name} starts with a byte-order mark; some LMSs reject it", name)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, remove_comments=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        package.report("error", "invalid-xml", f"{name} is not well-formed XML: {exc.msg}", name, line, col)
        return None


def check_schema(package: Package, name: str, root, schemas: Path | None, edition: str) -> None:
    """XSD-validate ``root`` against the edition's schemas from ``schemas`` (skipped when None)."""
    if schemas is None:
        return
    try:
        schema = load_schema(Path(schemas).resolve(), edition)
    except SchemaMissing as exc:
        package.report("error", "schemas-unavailable", f"cannot check {name} against the XSDs: {exc}", name)
        return
    if schema.validate(etree.ElementTree(root)):
        return
    for entry in schema.error_log:
        package.report("error", "schema-invalid", entry.message, name, entry.line, max(entry.column, 1))


def check_identifiers(package: Package, name: str, elements, attribute: str = "identifier") -> dict[str, object]:
    """Every ``attribute`` matches the safe identifier rule and is unique; returns id -> element."""
    seen: dict[str, object] = {}
    for element in elements:
        value = element.get(attribute)
        if value is None:
            continue
        if not IDENTIFIER_RE.match(value):
            reason = "is longer than 64 characters" if len(value) > 64 else "is not a safe identifier"
            package.report("error", "bad-identifier", f"{attribute} {value!r} {reason} "
                           "(letter or _ first, then letters, digits, _ or -)", name, element.sourceline)
        if value in seen:
            package.report("error", "duplicate-identifier", f"{attribute} {value!r} is used twice "
                           f"(first on line {seen[value].sourceline})", name, element.sourceline)
        else:
            seen[value] = element
    return seen


def href_path(href: str, base: str = "") -> str | None:
    """The package path an href points to (query and fragment dropped), None if it is external."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    return f"{base}{path}" if base and not path.startswith("/") else path


def check_file(package: Package, name: str, element, href: str, code: str, what: str) -> str | None:
    """Report ``code`` when ``href`` names no file of the package; the path it names otherwise."""
    path = href_path(href)
    if path is None:
        return None
    if not package.has(path):
        hint = _case_hint(package, path)
        package.report("error", code, f"{what} {href!r} is not in the package{hint}", name, element.sourceline)
        return None
    return path


def _case_hint(package: Package, path: str) -> str:
    match = next((n for n in package.names if n.replace("\\", "/").lower() == path.lower()), None)
    if match is None:
        return ""
    if "\\" in match:
        return f" (there is {match!r}, written with backslashes)"
    return f" (there is {match!r}: LMS servers are case-sensitive)"


def text_of(root, path: str, namespaces: dict[str, str]) -> tuple[str | None, object]:
    """The stripped text of the first element at ``path`` and the element (None, None if absent)."""
    element = root.find(path, namespaces)
    if element is None:
        return None, None
    return (element.text or "").strip(), element
