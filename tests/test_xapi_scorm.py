"""SCORM packages built with an LRS send the same statements as the xapi target while they
track through SCORM (scorm-again as the LMS), with the LMS learner as the actor and one
registration per attempt that survives a suspend and resume."""
from __future__ import annotations

import re
import shutil
import uuid

import pytest

from compiler.lrs import statements as st
from compiler.source import load_course
from tests.support.course_player import CoursePlayer, expected_statements
from tests.support.token_server import LmsSite, TokenPolicy
from tests.support.xapi_env import (  # noqa: F401 - fixtures
    ROOT, chromium, page, ralph, validate_with_ralph,
)
from tests.test_xapi_course import build_package, stored_for

pytestmark = [pytest.mark.browser, pytest.mark.lrs]

HOMEPAGE = "https://lms.example.org"
COHORT = "routing-designers"
LEARNERS = {"scorm12": ("core", "student_id", "student_name"), "scorm2004": (None, "learner_id", "learner_name")}


def lms_folder(tmp_path, package):
    """The harness pages, scorm-again and the unpacked package, served from one origin."""
    served = tmp_path / "served"
    shutil.copytree(ROOT / "tests" / "harness", served)
    (served / "vendor").mkdir()
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(ROOT / "node_modules" / "scorm-again" / "dist" / name, served / "vendor" / name)
    shutil.copytree(package, served / "pkg")
    return served


def learner_cmi(standard: str, learner_id: str, name: str) -> dict:
    group, id_key, name_key = LEARNERS[standard]
    fields = {id_key: learner_id, name_key: name}
    cmi = {group: fields} if group else dict(fields)
    cmi["launch_data"] = f"cohort={COHORT}"
    return cmi


def open_sco(page, site, standard: str, cmi: dict):
    page.add_init_script(f"window.HARNESS_CMI = {__import__('json').dumps(cmi)};")
    page.goto(site.url(f"/{standard}.html?pkg=pkg/index.html"))
    page.wait_for_function("window.harnessCalls.some(c => /Initialize$/.test(c.fn))")
    frame = next(f for f in page.frames if f.url.split("?")[0].endswith("/pkg/index.html"))
    frame.wait_for_function("window.Coursec && window.Coursec.tracker")
    return frame


def resumed_cmi(page, standard: str, first: dict) -> dict:
    """What the LMS hands the next session: the saved CMI of the first, with entry=resume."""
    api = "API" if standard == "scorm12" else "API_1484_11"
    saved = page.evaluate(f"window.{api}.renderCommitCMI(true)")["cmi"]
    cmi = dict(first)
    if standard == "scorm12":
        cmi["core"] = {**first["core"], "entry": "resume", "lesson_location": saved["core"]["lesson_location"]}
    else:
        cmi.update(entry="resume", location=saved.get("location", ""))
    cmi["suspend_data"] = saved["suspend_data"]
    return cmi


@pytest.mark.parametrize("standard", ["scorm12", "scorm2004"])
def test_scorm_package_with_lrs_sends_the_xapi_statements(standard, page, ralph, sample_course, tmp_path):
    course, _ = load_course(sample_course)
    policy = TokenPolicy(auth=ralph.auth)
    token_url = f"http://127.0.0.1:{ralph.page_port}/lrs-token"
    package = build_package(sample_course, standard, tmp_path / "build", "--lrs", ralph.endpoint,
                            "--lrs-token-url", token_url, "--actor-homepage", HOMEPAGE)
    assert not re.search(r"Basic [A-Za-z0-9+/=]{8,}", (package / "assets" / "coursec.js").read_text())  # no key inside
    learner_id = "u-" + uuid.uuid4().hex[:8]
    first = learner_cmi(standard, learner_id, "Doe, Jane")
    with LmsSite({"/": lms_folder(tmp_path, package)}, policy, port=ralph.page_port) as site:
        frame = open_sco(page, site, standard, first)
        registration = frame.evaluate("Coursec.tracker.state.registration")
        actor = {"objectType": "Agent", "account": {"homePage": HOMEPAGE, "name": learner_id}, "name": "Doe, Jane"}
        player = CoursePlayer(frame, course, st.Attempt(course, actor, registration, cohort=COHORT))
        player.play(modules=course.modules[:2])
        page.evaluate("unloadPackage()")  # the learner leaves; the SCO suspends
        page.wait_for_function("window.harnessCalls.some(c => /^(LMSFinish|Terminate)$/.test(c.fn))")
        cmi = resumed_cmi(page, standard, first)
        page.goto("about:blank")
        frame = open_sco(page, site, standard, cmi)
        assert frame.evaluate("Coursec.tracker.state.registration") == registration  # kept in suspend data
        player.page, player.keys = frame, {}
        player.play(modules=course.modules[2:], begin=False)
        assert frame.evaluate("Coursec.xapi.sender.flush(20000)") is True
    assert policy.requests and all(r["registration"] == registration for r in policy.requests)
    stored = stored_for(ralph, registration)
    by_key = {(s["verb"]["id"], s["object"]["id"]): s for s in stored}
    assert len(by_key) == len(stored) == len(player.played.events)
    assert [by_key.get(e.key) for e in player.played.events] == expected_statements(player.played, by_key)
    assert validate_with_ralph(stored) == []


def test_embedded_key_is_warned_about_and_used(page, ralph, sample_course, tmp_path):
    """--embed-credentials: the build warns loudly; the package then authenticates with that key."""
    import os
    import subprocess
    import zipfile

    env = dict(os.environ, COURSEC_LRS_KEY=ralph.username, COURSEC_LRS_SECRET=ralph.password)
    out = tmp_path / "build"
    built = subprocess.run([str(ROOT / ".venv" / "bin" / "coursec"), "build", str(sample_course), "--target", "scorm12",
                            "-o", str(out), "--lrs", ralph.endpoint, "--embed-credentials"],
                           env=env, capture_output=True, text=True, check=True)
    assert "learners can read" in built.stderr.lower() or "write-only" in built.stderr.lower()
    package = out / "pkg"
    with zipfile.ZipFile(next(out.glob("*-scorm12.zip"))) as archive:
        archive.extractall(package)
    course, _ = load_course(sample_course)
    learner_id = "u-" + uuid.uuid4().hex[:8]
    with LmsSite({"/": lms_folder(tmp_path, package)}, port=ralph.page_port) as site:
        frame = open_sco(page, site, "scorm12", learner_cmi("scorm12", learner_id, "Roe, Rick"))
        registration = frame.evaluate("Coursec.tracker.state.registration")
        actor = {"objectType": "Agent", "account": {"homePage": site.origin, "name": learner_id}, "name": "Roe, Rick"}
        player = CoursePlayer(frame, course, st.Attempt(course, actor, registration, cohort=COHORT))
        player.play(modules=course.modules[:1])
        assert frame.evaluate("Coursec.xapi.sender.flush(20000)") is True
    stored = stored_for(ralph, registration)
    by_key = {(s["verb"]["id"], s["object"]["id"]): s for s in stored}
    assert len(stored) == len(player.played.events)  # homePage defaults to the LMS origin
    assert [by_key.get(e.key) for e in player.played.events] == expected_statements(player.played, by_key)
