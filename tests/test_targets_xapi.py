"""tincan.xml: one launchable course activity and one activity per module, all absolute IRIs."""
from __future__ import annotations

from lxml import etree

from compiler.targets import PackageOptions, get_target
from compiler.targets.xapi import TINCAN_NS
from compiler.vocabulary import ActivityType
from tests.fixtures.packages import course_with_quizzes, site

NS = {"t": TINCAN_NS}
COURSE = course_with_quizzes(("pre-check", ("pre",)), ("final", ("post",)))


def tincan():
    files = get_target("xapi").package(COURSE, site(), PackageOptions())
    return files, etree.fromstring(files["tincan.xml"])


def test_course_and_module_activities_with_one_launch():
    files, root = tincan()
    activities = root.findall("t:activities/t:activity", NS)
    assert [(a.get("id"), a.get("type")) for a in activities] == [
        (COURSE.id, ActivityType.COURSE),
        *((COURSE.module_iri(m), ActivityType.MODULE) for m in COURSE.modules),
    ]
    launches = root.findall(".//t:launch", NS)
    assert [(l.text, l.getparent().get("id")) for l in launches] == [("index.html", COURSE.id)]
    assert set(site()) < set(files)


def test_names_carry_the_course_language_and_escape_markup():
    files, root = tincan()
    assert {n.get("lang") for n in root.iter(f"{{{TINCAN_NS}}}name")} == {"fr"}
    assert root.findtext("t:activities/t:activity/t:name", namespaces=NS) == COURSE.title
    assert b"&amp;" in files["tincan.xml"]


def test_output_is_deterministic():
    assert tincan()[0]["tincan.xml"] == tincan()[0]["tincan.xml"]
