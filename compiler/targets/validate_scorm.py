"""``validate`` for SCORM 1.2 and SCORM 2004 packages: the imsmanifest.xml checks of
spec-sheet §1.5 and §2.7 (structure, identifiers, references, files, mastery score)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .archive import Package
from .manifest import MANIFEST_FILE
from .validate_xml import check_file, check_identifiers, check_schema, href_path, text_of

XML_NS = "http://www.w3.org/XML/1998/namespace"
SCHEMA_SUFFIXES = (".xsd", ".dtd")


@dataclass(frozen=True)
class Edition:
    name: str
    imscp: str
    adlcp: str
    scormtype: str  # spelling of the attribute
    wrong_scormtype: str
    versions: tuple[str, ...]


EDITIONS = (
    Edition("scorm12", "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "http://www.adlnet.org/xsd/adlcp_rootv1p2",
            "scormtype", "scormType", ("1.2",)),
    Edition("scorm2004", "http://www.imsglobal.org/xsd/imscp_v1p1", "http://www.adlnet.org/xsd/adlcp_v1p3",
            "scormType", "scormtype", ("2004 4th Edition", "2004 3rd Edition", "CAM 1.3")),
)
IMSSS = "http://www.imsglobal.org/xsd/imsss"


def check_scorm(package: Package, root, schemas: Path | None) -> str | None:
    """Check the manifest; returns the format ("scorm12"/"scorm2004") or None if unknown."""
    edition = next((e for e in EDITIONS if root.tag == f"{{{e.imscp}}}manifest"), None)
    if edition is None:
        package.report("error", "unknown-manifest", f"the root element {root.tag} is neither a SCORM 1.2 nor a "
                       "SCORM 2004 manifest", MANIFEST_FILE, root.sourceline)
        return None
    ns = {"cp": edition.imscp, "adlcp": edition.adlcp, "imsss": IMSSS}
    _check_metadata(package, root, edition, ns)
    check_schema(package, MANIFEST_FILE, root, schemas, edition.name)
    check_identifiers(package, MANIFEST_FILE, root.iter(f"{{{edition.imscp}}}*"))
    resources = {r.get("identifier"): r for r in root.iterfind("cp:resources/cp:resource", ns)}
    _check_organizations(package, root, ns)
    _check_items(package, root, edition, ns, resources)
    listed = _check_resources(package, root, edition, ns, resources)
    _check_unlisted(package, listed)
    _check_mastery(package, root, edition, ns)
    return edition.name


def _check_metadata(package: Package, root, edition: Edition, ns) -> None:
    schema, _ = text_of(root, "cp:metadata/cp:schema", ns)
    version, element = text_of(root, "cp:metadata/cp:schemaversion", ns)
    if version is None:
        package.report("error", "missing-schemaversion", "the manifest has no metadata/schemaversion",
                       MANIFEST_FILE, root.sourceline)
    elif version not in edition.versions:
        package.report("error", "schemaversion-mismatch", f"schemaversion {version!r} does not match the "
                       f"{edition.name} namespace (expected {edition.versions[0]!r})", MANIFEST_FILE, element.sourceline)
    if schema is not None and schema != "ADL SCORM":
        package.report("error", "bad-metadata", f"metadata/schema is {schema!r}, expected 'ADL SCORM'",
                       MANIFEST_FILE, root.sourceline)


def _check_organizations(package: Package, root, ns) -> None:
    organizations = root.find("cp:organizations", ns)
    ids = {o.get("identifier") for o in root.iterfind("cp:organizations/cp:organization", ns)}
    if organizations is None or not ids:
        package.report("error", "no-organization", "the manifest has no organization to launch",
                       MANIFEST_FILE, root.sourceline)
        return
    default = organizations.get("default")
    if default is not None and default not in ids:
        package.report("error", "dangling-default", f"organizations default {default!r} names no organization",
                       MANIFEST_FILE, organizations.sourceline)


def _check_items(package: Package, root, edition: Edition, ns, resources) -> None:
    launches = 0
    for item in root.iterfind("cp:organizations/cp:organization//cp:item", ns):
        ref = item.get("identifierref")
        if ref is None:
            continue
        resource = resources.get(ref)
        if resource is None:
            package.report("error", "dangling-identifierref", f"item {item.get('identifier')!r} refers to "
                           f"resource {ref!r}, which does not exist", MANIFEST_FILE, item.sourceline)
            continue
        launches += 1
        launch = resource.get("href")
        if launch is None:
            package.report("error", "missing-launch-href", f"resource {ref!r} launched by item "
                           f"{item.get('identifier')!r} has no href", MANIFEST_FILE, resource.sourceline)
        else:
            check_file(package, MANIFEST_FILE, resource, _based(resource, launch, ns), "missing-launch-file",
                       "launch file")
        if edition.name == "scorm2004":
            _check_delivery(package, item, ns)
    if launches == 0:
        package.report("error", "no-sco", "no item launches a resource", MANIFEST_FILE, root.sourceline)


def _check_delivery(package: Package, item, ns) -> None:
    delivery = item.find("imsss:sequencing/imsss:deliveryControls", ns)
    ok = delivery is not None and all(delivery.get(a) == "true"
                                      for a in ("completionSetByContent", "objectiveSetByContent"))
    if not ok:
        package.report("warning", "set-by-content", f"item {item.get('identifier')!r} lacks deliveryControls "
                       "completionSetByContent/objectiveSetByContent=\"true\": the LMS may mark it "
                       "completed or satisfied by itself", MANIFEST_FILE, item.sourceline)


def _check_resources(package: Package, root, edition: Edition, ns, resources) -> set[str]:
    listed: set[str] = set()
    for resource in resources.values():
        _check_scormtype(package, resource, edition)
        for dependency in resource.iterfind("cp:dependency", ns):
            ref = dependency.get("identifierref")
            if ref not in resources:
                package.report("error", "dangling-identifierref", f"dependency of {resource.get('identifier')!r} "
                               f"refers to resource {ref!r}, which does not exist", MANIFEST_FILE, dependency.sourceline)
        for file in resource.iterfind("cp:file", ns):
            path = check_file(package, MANIFEST_FILE, file, _based(resource, file.get("href", ""), ns),
                              "missing-file", "listed file")
            listed.add(path or "")
    return listed


def _check_scormtype(package: Package, resource, edition: Edition) -> None:
    wrong = resource.get(f"{{{edition.adlcp}}}{edition.wrong_scormtype}")
    if wrong is not None:
        package.report("error", "scormtype-spelling", f"{edition.name} spells the attribute adlcp:"
                       f"{edition.scormtype}, not adlcp:{edition.wrong_scormtype}", MANIFEST_FILE, resource.sourceline)


def _based(resource, href: str, ns) -> str:
    """``href`` with the xml:base of the resources element and the resource applied."""
    bases = [resource.getparent().get(f"{{{XML_NS}}}base", ""), resource.get(f"{{{XML_NS}}}base", "")]
    prefix = "".join(b if b.endswith("/") or not b else b + "/" for b in bases)
    return href if href_path(href) is None else prefix + href


def _check_unlisted(package: Package, listed: set[str]) -> None:
    for name in package.names:
        is_schema = "/" not in name and name.endswith(SCHEMA_SUFFIXES)
        if name not in listed and name != MANIFEST_FILE and not is_schema and name not in package.unsafe:
            package.report("warning", "unlisted-file", f"{name} is in the package but no resource lists it "
                           "(some LMSs serve only listed files)", name)


def _check_mastery(package: Package, root, edition: Edition, ns) -> None:
    if edition.name == "scorm12":
        for element in root.iterfind(".//adlcp:masteryscore", ns):
            _check_range(package, element, 0, 100, "adlcp:masteryscore")
        return
    for element in root.iterfind(".//imsss:minNormalizedMeasure", ns):
        _check_range(package, element, -1, 1, "imsss:minNormalizedMeasure")
        objective = element.getparent()
        if objective.get("satisfiedByMeasure") != "true":
            package.report("error", "measure-unused", "minNormalizedMeasure has no effect without "
                           "satisfiedByMeasure=\"true\" on its objective", MANIFEST_FILE, objective.sourceline)


def _check_range(package: Package, element, low: float, high: float, what: str) -> None:
    text = (element.text or "").strip()
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        package.report("error", "mastery-range", f"{what} {text!r} is not a number from {low} to {high}",
                       MANIFEST_FILE, element.sourceline)
