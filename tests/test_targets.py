"""The SCORM 1.2 / 2004 manifests and the web folder: what an LMS admin (and the LMS) checks."""
from __future__ import annotations

from urllib.parse import unquote

import pytest
from lxml import etree

from compiler.targets import LAUNCH_PAGE, PackageOptions, get_target, target_names
from compiler.targets.base import IDENTIFIER_RE
from compiler.targets.schemas import load_schema
from tests.fixtures.packages import course_model, package_files, site

NS12 = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
NS2004 = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
          "imsss": "http://www.imsglobal.org/xsd/imsss"}
NAMESPACES = {"scorm12": NS12, "scorm2004": NS2004}
SCORM = ("scorm12", "scorm2004")


def manifest(target: str, options: PackageOptions = PackageOptions(), **course_args):
    return etree.fromstring(package_files(target, options, **course_args)["imsmanifest.xml"])


def test_registry_has_the_formats_in_product_order():
    names = target_names()
    assert names[:2] == ("scorm12", "scorm2004") and "web" in names
    assert get_target("scorm12").control_file == "imsmanifest.xml"
    assert get_target("web").control_file is None
    with pytest.raises(KeyError):
        get_target("aicc")


@pytest.mark.parametrize("target", SCORM)
@pytest.mark.parametrize("mastery", [0.8, None])
@pytest.mark.parametrize("cohort", ["chat-agents", None])
def test_manifest_is_valid_against_the_xsds(target, mastery, cohort, schemas_dir):
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    schema = load_schema(schemas_dir, target)
    document = etree.ElementTree(manifest(target, PackageOptions(cohort=cohort), mastery_score=mastery))
    assert schema.validate(document), schema.error_log


@pytest.mark.parametrize("target", SCORM)
def test_schema_rejects_a_broken_manifest(target, schemas_dir):
    """The validation above really checks something: an unknown element fails it."""
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    root = manifest(target)
    etree.SubElement(root.find("cp:organizations", NAMESPACES[target]), "{%s}colour" % NAMESPACES[target]["cp"])
    assert not load_schema(schemas_dir, target).validate(etree.ElementTree(root))


@pytest.mark.parametrize("target,version", [("scorm12", "1.2"), ("scorm2004", "2004 4th Edition")])
def test_metadata_names_the_edition(target, version):
    root = manifest(target)
    ns = NAMESPACES[target]
    assert root.findtext("cp:metadata/cp:schema", namespaces=ns) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == version


@pytest.mark.parametrize("target", SCORM)
def test_identifiers_are_safe_unique_and_resolve(target):
    root = manifest(target)
    ns = NAMESPACES[target]
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier") is not None]
    assert len(ids) == len(set(ids))
    assert all(IDENTIFIER_RE.match(i) for i in ids), ids
    organizations = root.find("cp:organizations", ns)
    assert organizations.get("default") in {o.get("identifier") for o in organizations}
    refs = [e.get("identifierref") for e in root.iter() if e.get("identifierref") is not None]
    assert refs and set(refs) <= set(ids)


@pytest.mark.parametrize("target", SCORM)
def test_single_sco_launches_index_and_every_site_file_is_listed_once(target):
    root = manifest(target)
    ns = NAMESPACES[target]
    items = root.findall("cp:organizations/cp:organization/cp:item", ns)
    assert len(items) == 1
    scos = [r for r in root.iterfind("cp:resources/cp:resource", ns)
            if r.get("{%s}%s" % (ns["adlcp"], "scormtype" if target == "scorm12" else "scormType")) == "sco"]
    assert [s.get("href") for s in scos] == [LAUNCH_PAGE]
    assert items[0].get("identifierref") == scos[0].get("identifier")
    listed = [unquote(f.get("href")) for f in root.iter("{%s}file" % ns["cp"])]
    assert sorted(listed) == sorted(site())


def test_scorm12_mastery_score_is_a_percentage():
    root = manifest("scorm12", mastery_score=0.85)
    assert root.findtext(".//adlcp:masteryscore", namespaces=NS12) == "85"
    assert manifest("scorm12", mastery_score=None).find(".//adlcp:masteryscore", NS12) is None


def test_scorm2004_mastery_score_is_the_primary_objectives_measure():
    root = manifest("scorm2004", mastery_score=0.75)
    objective = root.find(".//imsss:primaryObjective", NS2004)
    assert objective.get("satisfiedByMeasure") == "true"
    assert objective.findtext("imsss:minNormalizedMeasure", namespaces=NS2004) == "0.75"
    delivery = root.find(".//imsss:deliveryControls", NS2004)
    assert delivery.get("completionSetByContent") == delivery.get("objectiveSetByContent") == "true"
    assert manifest("scorm2004", mastery_score=None).find(".//imsss:primaryObjective", NS2004) is None


@pytest.mark.parametrize("target,tag", [("scorm12", "datafromlms"), ("scorm2004", "dataFromLMS")])
def test_cohort_goes_into_launch_data(target, tag):
    ns = NAMESPACES[target]
    root = manifest(target, PackageOptions(cohort="chat-agents"))
    assert root.findtext(f".//adlcp:{tag}", namespaces=ns) == "cohort=chat-agents"
    assert manifest(target).find(f".//adlcp:{tag}", ns) is None


@pytest.mark.parametrize("target", SCORM)
def test_titles_are_escaped_and_xml_is_utf8(target):
    data = package_files(target)["imsmanifest.xml"]
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert b"Empathy &amp; automation &lt;touchpoints&gt;" in data
    assert manifest(target).findtext(".//cp:organization/cp:title", namespaces=NAMESPACES[target]) == \
        course_model().title


@pytest.mark.parametrize("target", SCORM)
def test_manifest_bytes_are_deterministic(target):
    assert package_files(target)["imsmanifest.xml"] == package_files(target)["imsmanifest.xml"]
    shuffled = dict(reversed(list(site().items())))
    again = get_target(target).package(course_model(), shuffled, PackageOptions())
    assert again["imsmanifest.xml"] == package_files(target)["imsmanifest.xml"]


@pytest.mark.parametrize("target,folder", [("scorm12", "scorm12"), ("scorm2004", "scorm2004-4th")])
def test_schemas_option_copies_and_lists_the_edition_files(target, folder, schemas_dir):
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    files = package_files(target, PackageOptions(schemas=schemas_dir))
    expected = sorted(p.name for p in (schemas_dir / folder).iterdir())
    assert all(files[name] == (schemas_dir / folder / name).read_bytes() for name in expected)
    root = etree.fromstring(files["imsmanifest.xml"])
    listed = {f.get("href") for f in root.iter("{%s}file" % NAMESPACES[target]["cp"])}
    assert set(expected) <= listed
    assert not set(expected) & set(package_files(target))  # without --schemas: none of them


def test_output_names():
    course = course_model()
    assert get_target("scorm12").output_name(course) == "empathy-at-touchpoints-1.0.0-scorm12.zip"
    assert get_target("scorm2004").output_name(course) == "empathy-at-touchpoints-1.0.0-scorm2004.zip"
    assert get_target("web").output_name(course) == "empathy-at-touchpoints-1.0.0-web"


def test_web_package_is_the_site_unchanged():
    assert package_files("web") == site()


@pytest.mark.parametrize("target", [*SCORM, "web"])
def test_a_site_without_launch_page_is_refused(target):
    broken_site = {k: v for k, v in site().items() if k != LAUNCH_PAGE}
    with pytest.raises(ValueError, match="index.html"):
        get_target(target).package(course_model(), broken_site, PackageOptions())
