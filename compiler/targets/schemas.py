"""The standard schema files (XSDs) of each package format, read from a folder laid out like
``../shared/schemas``: never copied into this repository.

Used by ``build --schemas DIR`` (copy the edition's files into the package) and by
``validate --schemas DIR`` (XSD-validate the control file).  libxml2 quirks handled here
(see the schemas README): one wrapper schema imports every namespace, nothing is fetched
from the network, and any ``xml.xsd`` (remote, or SCORM 1.2's ``ims_xml.xsd``) resolves to
the local ``scorm2004-4th/xml.xsd``.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

# edition -> (folder inside the schemas dir, namespace -> schema file imported by the wrapper)
EDITIONS: dict[str, tuple[str, dict[str, str]]] = {
    "scorm12": ("scorm12", {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    }),
    "scorm2004": ("scorm2004-4th", {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    }),
    "cmi5": ("cmi5", {
        "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd": "CourseStructure.xsd",
    }),
}
XML_XSD = ("scorm2004-4th", "xml.xsd")


class SchemaMissing(Exception):
    """The schemas folder lacks a file the edition needs."""


def edition_files(schemas_dir: Path, edition: str) -> dict[str, bytes]:
    """The edition's schema files (name -> bytes), to put at a package's root."""
    folder = Path(schemas_dir) / EDITIONS[edition][0]
    if not folder.is_dir():
        raise SchemaMissing(f"{folder} is not a folder")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


class _LocalXmlResolver(etree.Resolver):
    def __init__(self, xml_xsd: Path):
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(self, url, pubid, context):
        if url and url.rsplit("/", 1)[-1] in ("xml.xsd", "ims_xml.xsd"):
            return self.resolve_filename(str(self.xml_xsd), context)
        return None


def _wrapper_source(folder: Path, imports: dict[str, str]) -> str:
    lines = [f'  <xs:import namespace="{ns}" schemaLocation="{(folder / name).as_uri()}"/>'
             for ns, name in imports.items()]
    return ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
            + "\n".join(lines) + "\n</xs:schema>\n")


@lru_cache(maxsize=16)
def load_schema(schemas_dir: Path, edition: str) -> etree.XMLSchema:
    """The XMLSchema for an edition ("scorm12", "scorm2004", "cmi5"); raises SchemaMissing."""
    sub, imports = EDITIONS[edition]
    folder = Path(schemas_dir).resolve() / sub
    xml_xsd = Path(schemas_dir).resolve().joinpath(*XML_XSD)
    for name in imports.values():
        if not (folder / name).is_file():
            raise SchemaMissing(f"{folder / name} does not exist")
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalXmlResolver(xml_xsd))
    wrapper = etree.fromstring(_wrapper_source(folder, imports).encode(), parser,
                               base_url=(folder / "wrapper.xsd").as_uri())
    try:
        return etree.XMLSchema(etree.ElementTree(wrapper))
    except etree.XMLSchemaParseError as exc:
        raise SchemaMissing(f"cannot load the {edition} schemas from {folder}: {exc}") from exc
