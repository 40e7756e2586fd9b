"""The xapi target end to end: real Chromium plays the sample course from the built zip,
launched the TinCan way; Ralph ends up with exactly the statements of compiler/lrs/statements.py
for that pass, in order, each valid for Ralph's own xAPI model."""
from __future__ import annotations

import json
import re
import subprocess
import uuid
import zipfile
from urllib.parse import urlencode

import pytest

from compiler.lrs import statements as st
from compiler.source import load_course
from tests.support.course_player import CoursePlayer, expected_statements, scenario_path
from tests.support.token_server import LmsSite
from tests.support.xapi_env import (  # noqa: F401 - fixtures
    ROOT, chromium, page, ralph, validate_with_ralph,
)

pytestmark = [pytest.mark.browser, pytest.mark.lrs]

COHORT = "routing-designers"  # every module is required for this cohort
DURATION_RE = re.compile(r"^P(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$")
LRS_FIELDS = ("stored", "authority", "version")


def build_package(course_dir, target: str, out_dir, *extra: str):
    """`coursec build` as an admin runs it; the unpacked package folder."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "coursec"), "build", str(course_dir), "--target", target,
                    "-o", str(out_dir), *extra], check=True, capture_output=True, text=True)
    [zipped] = out_dir.glob(f"*-{target}.zip")
    folder = out_dir / target
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="module")
def xapi_package(tmp_path_factory, sample_course):
    return build_package(sample_course, "xapi", tmp_path_factory.mktemp("xapi-build"))


def statement_cost(course, cohort_modules) -> int:
    """Statements of one full pass: what the README quotes, from the course's structure."""
    total = 1  # the course completed / passed / failed
    for module in cohort_modules:
        total += 1  # module completed
        for block in module.blocks:
            if block.kind == "lesson":
                total += 2  # experienced, completed
            elif block.kind == "scenario":
                total += len(scenario_path(block))  # one answered per choice + completed
            elif block.kind == "quiz":
                total += len(block.questions) + 1
            elif block.kind == "survey":
                total += len(block.items)
            else:
                total += 1
    return total


def stored_for(ralph, registration: str) -> list[dict]:
    found = [s for s in ralph.statements() if s.get("context", {}).get("registration") == registration]
    for statement in found:
        for name in LRS_FIELDS:
            statement.pop(name, None)
    return found


def test_sample_course_through_the_xapi_target(page, ralph, xapi_package, sample_course):
    course, diagnostics = load_course(sample_course)
    assert course is not None, diagnostics
    registration = str(uuid.uuid4())
    actor = st.account_actor("https://lms.example.org", "learner-42")
    attempt = st.Attempt(course, actor, registration, cohort=COHORT)
    query = urlencode({"endpoint": ralph.endpoint, "auth": ralph.auth, "actor": json.dumps(actor),
                       "registration": registration, "activity_id": course.id, "cohort": COHORT})
    with LmsSite({"/pkg/": xapi_package}, port=ralph.page_port) as site:
        page.goto(site.url("/pkg/index.html?" + query))
        played = CoursePlayer(page, course, attempt).play()
        assert page.evaluate("Coursec.xapi.sender.flush(20000)") is True
        assert page.evaluate("Coursec.xapi.sender.queue.deadLetters()") == []
    stored = stored_for(ralph, registration)
    by_key = {(s["verb"]["id"], s["object"]["id"]): s for s in stored}
    assert len(by_key) == len(stored)  # every (verb, object) once: nothing doubled
    expected = expected_statements(played, by_key)
    assert [by_key.get(e.key) for e in played.events] == expected
    times = [by_key[e.key]["timestamp"] for e in played.events]
    assert times == sorted(times)  # sent in the order the learner acted
    assert all(DURATION_RE.match(s["result"]["duration"]) for s in stored if "duration" in s.get("result", {}))
    assert validate_with_ralph(stored) == []
    cost = statement_cost(course, course.modules)
    assert len(stored) == cost
    print(f"\nstatement cost of a full pass through {course.slug}: {cost}")


def test_outage_mid_course_then_reload_loses_nothing(page, ralph, xapi_package, sample_course):
    """The network fails, then the LRS goes down; the learner goes on, reloads, finishes."""
    course, _ = load_course(sample_course)
    registration = str(uuid.uuid4())
    actor = st.account_actor("https://lms.example.org", "learner-43")
    query = urlencode({"endpoint": ralph.endpoint, "auth": ralph.auth, "actor": json.dumps(actor),
                       "registration": registration, "activity_id": course.id, "cohort": COHORT})
    first, second, third, rest = course.modules[0], course.modules[1], course.modules[2], course.modules[3:]
    with LmsSite({"/pkg/": xapi_package}, port=ralph.page_port) as site:
        page.goto(site.url("/pkg/index.html?" + query))
        player = CoursePlayer(page, course, st.Attempt(course, actor, registration, cohort=COHORT))
        player.play(modules=[first])
        page.route("**/xAPI/statements", lambda route: route.abort())  # the network fails
        player.play(modules=[second], begin=False)
        page.unroute("**/xAPI/statements")
        ralph.stop()  # then the LRS goes down
        player.play(modules=[third], begin=False)
        assert page.evaluate("Coursec.xapi.sender.queue.pending().length") > 0
        page.reload()  # the learner reloads while the LRS is down
        page.wait_for_function("window.Coursec && window.Coursec.xapi")
        ralph.start()
        player.keys = {}
        player.play(modules=rest, begin=False)
        assert page.evaluate("Coursec.xapi.sender.flush(20000)") is True
    stored = stored_for(ralph, registration)
    by_key = {(s["verb"]["id"], s["object"]["id"]): s for s in stored}
    assert len(stored) == len(by_key) == len(player.played.events)  # every statement exactly once
    assert [by_key.get(e.key) for e in player.played.events] == expected_statements(player.played, by_key)
