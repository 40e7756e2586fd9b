"""cmi5.xml: valid against the cmi5 XSD, one AU per module (or one for the course), moveOn and
masteryScore on the AU that holds the deciding assessment."""
from __future__ import annotations

import pytest
from lxml import etree

from compiler.targets import PackageOptions, get_target
from compiler.targets.cmi5 import CMI5_NS, deciding_modules
from compiler.targets.schemas import load_schema
from tests.fixtures.packages import course_with_quizzes, site

NS = {"c": CMI5_NS}
COURSE = course_with_quizzes(("pre-check", ("pre",)), ("listening", ()), ("final", ("post",)))


def structure(course=COURSE, options=PackageOptions()):
    files = get_target("cmi5").package(course, site(), options)
    return files, etree.fromstring(files["cmi5.xml"])


@pytest.mark.parametrize("au_mode", ["module", "course"])
@pytest.mark.parametrize("cohort", [None, "chat-agents"])
def test_valid_against_the_cmi5_xsd(au_mode, cohort, schemas_dir):
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    _, root = structure(options=PackageOptions(cohort=cohort, cmi5_au=au_mode))
    schema = load_schema(schemas_dir, "cmi5")
    assert schema.validate(etree.ElementTree(root)), schema.error_log


def test_one_au_per_module_launching_index_with_the_module_id():
    files, root = structure()
    units = root.findall("c:au", NS)
    assert [au.get("id") for au in units] == [COURSE.module_iri(m) for m in COURSE.modules]
    assert [au.findtext("c:url", namespaces=NS) for au in units] == [
        "index.html?au=pre-check", "index.html?au=listening", "index.html?au=final"]
    assert root.find("c:course", NS).get("id") == COURSE.id
    assert set(site()) < set(files)


def test_the_deciding_au_gets_mastery_and_completed_and_passed():
    _, root = structure()
    moves = {au.get("id").rsplit("/", 1)[1]: (au.get("moveOn"), au.get("masteryScore")) for au in root.findall("c:au", NS)}
    assert moves == {"pre-check": ("Completed", None), "listening": ("Completed", None),
                     "final": ("CompletedAndPassed", "0.8")}


def test_without_post_every_scored_quiz_decides_and_pre_never_does():
    course = course_with_quizzes(("pre-check", ("pre",)), ("a", (None,)), ("b", (None, "pre")))
    assert deciding_modules(course) == {"a", "b"}
    assert deciding_modules(course_with_quizzes(("only-pre", ("pre",)))) == set()


def test_without_mastery_score_every_au_just_completes():
    _, root = structure(course_with_quizzes(("final", ("post",)), mastery_score=None))
    assert [(au.get("moveOn"), au.get("masteryScore")) for au in root.findall("c:au", NS)] == [("Completed", None)]


def test_course_mode_has_a_single_au():
    _, root = structure(options=PackageOptions(cmi5_au="course"))
    (au,) = root.findall("c:au", NS)
    assert au.findtext("c:url", namespaces=NS) == "index.html"
    assert (au.get("moveOn"), au.get("masteryScore")) == ("CompletedAndPassed", "0.8")
    assert au.get("id") != COURSE.id


def test_cohort_becomes_launch_parameters_and_titles_use_the_course_language():
    _, root = structure(options=PackageOptions(cohort="chat-agents"))
    assert {au.findtext("c:launchParameters", namespaces=NS) for au in root.findall("c:au", NS)} == {"cohort=chat-agents"}
    assert {s.get("lang") for s in root.iter(f"{{{CMI5_NS}}}langstring")} == {"fr"}


def test_output_is_deterministic():
    assert structure()[0]["cmi5.xml"] == structure()[0]["cmi5.xml"]


def test_schemas_option_copies_the_course_structure_xsd(schemas_dir):
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    files, _ = structure(options=PackageOptions(schemas=schemas_dir))
    assert files["CourseStructure.xsd"] == (schemas_dir / "cmi5" / "CourseStructure.xsd").read_bytes()
    assert "CourseStructure.xsd" not in structure()[0]
