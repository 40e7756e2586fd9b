"""What the SCORM 1.2 and SCORM 2004 manifests share: one single-SCO structure.

The organization holds one item launching ``index.html``; the SCO resource lists the launch
page and depends on one asset resource that lists every other file of the site, so every
file is listed exactly once; schema files copied with ``--schemas`` get their own asset
resource.  Each edition supplies its namespaces, its metadata version, the spelling of the
scormtype attribute and the item's extension elements (mastery score, launch data).
"""
from __future__ import annotations

from abc import abstractmethod
from urllib.parse import quote

from lxml import etree

from ..model import Course
from .base import LAUNCH_PAGE, PackageOptions, Target, safe_identifier, require_launch_page
from .schemas import edition_files

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
MANIFEST_FILE = "imsmanifest.xml"
ORG_ID = "ORG_COURSE"
ITEM_ID = "ITEM_COURSE"
SCO_ID = "RES_SCO"
ASSETS_ID = "RES_ASSETS"
SCHEMAS_ID = "RES_SCHEMAS"


def href(path: str) -> str:
    """A package path as a manifest href (URL-encoded, slashes kept)."""
    return quote(path, safe="/")


def serialize(root: etree._Element) -> bytes:
    """UTF-8 bytes with a fixed declaration; attribute order is insertion order."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


def launch_data(options: PackageOptions) -> str | None:
    """The ``cmi.launch_data`` string a package built for one cohort carries."""
    return f"cohort={options.cohort}" if options.cohort else None


class ScormTarget(Target):
    """Base of the two SCORM editions."""

    control_file = MANIFEST_FILE
    namespaces: dict[str | None, str] = {}
    schema_locations: str = ""
    schema_version: str = ""
    scormtype_attr: str = ""  # "{ns}scormtype" (1.2) or "{ns}scormType" (2004)
    edition: str = ""  # key of schemas.EDITIONS

    def package(self, course: Course, site: dict[str, bytes], options: PackageOptions) -> dict[str, bytes]:
        require_launch_page(site)
        schema_files = edition_files(options.schemas, self.edition) if options.schemas else {}
        files = {**site, **schema_files}
        files[MANIFEST_FILE] = self.manifest(course, sorted(site), sorted(schema_files), options)
        return files

    def manifest(self, course: Course, site_paths: list[str], schema_paths: list[str],
                 options: PackageOptions) -> bytes:
        root = etree.Element(self._q("manifest"), nsmap=self.namespaces)
        root.set("identifier", safe_identifier(f"MANIFEST_{course.slug}_{course.version}"))
        root.set("version", course.version)
        root.set(f"{{{XSI}}}schemaLocation", self.schema_locations)
        self._metadata(root)
        self._organizations(root, course, options)
        self._resources(root, site_paths, schema_paths)
        return serialize(root)

    def _q(self, tag: str) -> str:
        return f"{{{self.namespaces[None]}}}{tag}"

    def _sub(self, parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
        element = etree.SubElement(parent, self._q(tag) if "{" not in tag else tag)
        for key, value in attrs.items():
            element.set(key, value)
        if text is not None:
            element.text = text
        return element

    def _metadata(self, root) -> None:
        metadata = self._sub(root, "metadata")
        self._sub(metadata, "schema", "ADL SCORM")
        self._sub(metadata, "schemaversion", self.schema_version)

    def _organizations(self, root, course: Course, options: PackageOptions) -> None:
        organizations = self._sub(root, "organizations", default=ORG_ID)
        organization = self._sub(organizations, "organization", identifier=ORG_ID)
        self._sub(organization, "title", course.title)
        item = self._sub(organization, "item", identifier=ITEM_ID, identifierref=SCO_ID)
        item.set("isvisible", "true")
        self._sub(item, "title", course.title)
        self.item_extensions(item, course, options)

    @abstractmethod
    def item_extensions(self, item, course: Course, options: PackageOptions) -> None:
        """Add the edition's elements after the item's title (launch data, mastery...)."""

    def _resources(self, root, site_paths: list[str], schema_paths: list[str]) -> None:
        resources = self._sub(root, "resources")
        assets = [p for p in site_paths if p != LAUNCH_PAGE]
        sco = self._resource(resources, SCO_ID, "sco", [LAUNCH_PAGE])
        sco.set("href", href(LAUNCH_PAGE))
        if assets:
            self._sub(sco, "dependency", identifierref=ASSETS_ID)
            self._resource(resources, ASSETS_ID, "asset", assets)
        if schema_paths:
            self._resource(resources, SCHEMAS_ID, "asset", schema_paths)

    def _resource(self, resources, identifier: str, scormtype: str, paths: list[str]):
        resource = self._sub(resources, "resource", identifier=identifier, type="webcontent")
        resource.set(self.scormtype_attr, scormtype)
        for path in paths:
            self._sub(resource, "file", href=href(path))
        return resource
