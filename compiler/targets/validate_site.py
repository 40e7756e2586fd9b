"""``validate`` of the pages themselves: every ``src``/``href`` in the HTML and every CSS
``url()`` that points inside the package resolves to an entry with exactly that case
(spec-sheet §6.4 test 4); real servers are case-sensitive even where Windows is not."""
from __future__ import annotations

import posixpath
import re

from lxml import etree, html

from .archive import Package
from .validate_xml import href_path

CSS_URL_RE = re.compile(rb"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)""")
LINK_ATTRIBUTES = ("src", "href", "poster", "data")
MAX_PAGE = 5 * 1024 * 1024


def check_site_references(package: Package) -> None:
    for name in package.names:
        if name in package.unsafe or package.sizes.get(name, 0) > MAX_PAGE:
            continue
        if name.endswith((".html", ".htm")):
            _check_page(package, name)
        elif name.endswith(".css"):
            _check_stylesheet(package, name)


def _check_page(package: Package, name: str) -> None:
    data = package.read(name)
    if not data:
        return
    try:
        document = html.fromstring(data)
    except (etree.ParserError, ValueError):
        package.report("warning", "unparsable-page", f"{name} cannot be parsed as HTML", name)
        return
    for element in document.iter():
        for attribute in LINK_ATTRIBUTES:
            value = element.get(attribute) if isinstance(element.tag, str) else None
            if value:
                _check_reference(package, name, value, element.sourceline or 1)


def _check_stylesheet(package: Package, name: str) -> None:
    data = package.read(name) or b""
    for match in CSS_URL_RE.finditer(data):
        line = data.count(b"\n", 0, match.start()) + 1
        _check_reference(package, name, match.group(1).decode("utf-8", "replace"), line)


def _check_reference(package: Package, name: str, reference: str, line: int) -> None:
    if reference.startswith(("#", "data:", "mailto:", "javascript:", "//")):
        return
    path = href_path(reference)
    if not path:  # external (has a scheme) or only a query string
        return
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
    if resolved.startswith("../") or resolved == "..":
        package.report("error", "broken-reference", f"{reference!r} points above the package root", name, line)
    elif not package.has(resolved) and not package.has(resolved.rstrip("/") + "/index.html"):
        package.report("error", "broken-reference", f"{reference!r} names no file of the package", name, line)
