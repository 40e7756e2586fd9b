"""``validate`` for xAPI (TinCan) and cmi5 packages: tincan.xml (spec-sheet §4 tests 1–2) and
cmi5.xml (§5.1: structure, XSD, publisher ids, AU urls, moveOn, mastery score)."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from .archive import Package
from .cmi5 import CMI5_FILE, CMI5_NS
from .validate_xml import check_file, check_schema
from .xapi import TINCAN_FILE, TINCAN_NS

IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
RESERVED_LAUNCH_PARAMS = ("endpoint", "fetch", "actor", "registration", "activityId")


def check_iris(package: Package, name: str, elements) -> None:
    """Every ``id`` is an absolute IRI and unique."""
    seen: dict[str, int] = {}
    for element in elements:
        value = element.get("id", "")
        if not IRI_RE.match(value):
            package.report("error", "invalid-iri", f"id {value!r} is not an absolute IRI", name, element.sourceline)
        if value in seen:
            package.report("error", "duplicate-identifier", f"id {value!r} is used twice (first on line "
                           f"{seen[value]})", name, element.sourceline)
        seen.setdefault(value, element.sourceline)


def check_tincan(package: Package, root) -> str | None:
    if root.tag != f"{{{TINCAN_NS}}}tincan":
        package.report("error", "unknown-manifest", f"the root element of {TINCAN_FILE} is {root.tag}, expected "
                       f"{{{TINCAN_NS}}}tincan", TINCAN_FILE, root.sourceline)
        return None
    activities = root.findall(f"{{{TINCAN_NS}}}activities/{{{TINCAN_NS}}}activity")
    check_iris(package, TINCAN_FILE, activities)
    launches = [launch for a in activities for launch in a.findall(f"{{{TINCAN_NS}}}launch")]
    if len(launches) != 1:
        package.report("error", "launch-count", f"{TINCAN_FILE} must have exactly one activity with <launch>, "
                       f"it has {len(launches)}", TINCAN_FILE, root.sourceline)
    for launch in launches:
        check_file(package, TINCAN_FILE, launch, (launch.text or "").strip(), "missing-launch-file", "launch file")
    return "xapi"


def check_cmi5(package: Package, root, schemas: Path | None) -> str | None:
    if root.tag != f"{{{CMI5_NS}}}courseStructure":
        package.report("error", "unknown-manifest", f"the root element of {CMI5_FILE} is {root.tag}, expected "
                       f"{{{CMI5_NS}}}courseStructure", CMI5_FILE, root.sourceline)
        return None
    check_schema(package, CMI5_FILE, root, schemas, "cmi5")
    ns = {"c": CMI5_NS}
    if root.find("c:course", ns) is None:
        package.report("error", "cmi5-structure", f"{CMI5_FILE} has no <course>", CMI5_FILE, root.sourceline)
    check_iris(package, CMI5_FILE, [e for e in root.iter() if e.get("id") is not None])
    units = root.findall(".//c:au", ns)
    if not units:
        package.report("error", "cmi5-structure", f"{CMI5_FILE} has no <au> to launch", CMI5_FILE, root.sourceline)
    for au in units:
        _check_au(package, au, ns)
    return "cmi5"


def _check_au(package: Package, au, ns) -> None:
    move_on = au.get("moveOn", "NotApplicable")
    if move_on not in MOVE_ON:
        package.report("error", "bad-move-on", f"moveOn {move_on!r} is not one of {', '.join(MOVE_ON)}",
                       CMI5_FILE, au.sourceline)
    _check_mastery(package, au)
    url = au.find("c:url", ns)
    if url is None or not (url.text or "").strip():
        package.report("error", "missing-launch-href", f"au {au.get('id')!r} has no url", CMI5_FILE, au.sourceline)
        return
    text = url.text.strip()
    used = sorted({key for key, _ in parse_qsl(urlsplit(text).query)} & set(RESERVED_LAUNCH_PARAMS))
    if used:
        package.report("error", "reserved-launch-param", f"url {text!r} uses {', '.join(used)}, which the LMS "
                       "adds at launch", CMI5_FILE, url.sourceline)
    check_file(package, CMI5_FILE, url, text, "missing-launch-file", "launch file")


def _check_mastery(package: Package, au) -> None:
    value = au.get("masteryScore")
    if value is None:
        return
    try:
        ok = 0 <= float(value) <= 1 and len(value.partition(".")[2]) <= 4
    except ValueError:
        ok = False
    if not ok:
        package.report("error", "mastery-range", f"masteryScore {value!r} is not a decimal from 0 to 1 with at "
                       "most 4 decimals", CMI5_FILE, au.sourceline)
