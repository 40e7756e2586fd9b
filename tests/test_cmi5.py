"""The cmi5 AU against an LMS played by the test (tests/support/cmi5_lms.py) that forwards
statements to a real Ralph LRS: the launch sequence, every statement rule of spec-sheet
§5.3, the masteryScore cases, a relaunch after passed, Browse mode and the returnURL."""
from __future__ import annotations

import dataclasses
import re
import uuid

import pytest

from compiler.render import RenderOptions, render_site
from compiler.vocabulary import Category, Extension, Verb
from tests.support import course_models as cm
from tests.support.cmi5_lms import Cmi5Launch, Cmi5Lms
from tests.support.xapi_env import chromium, ralph, validate_with_ralph  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.lrs]

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DEFINED = {Verb.INITIALIZED, Verb.COMPLETED, Verb.PASSED, Verb.FAILED, Verb.TERMINATED}
JUDGED = {Verb.COMPLETED, Verb.PASSED, Verb.FAILED}
ACTOR = {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "learner-7"}}


def cmi5_course(tmp_path):
    """A lesson module and a post-quiz module of four questions; course mastery 0.7, so a
    LaunchData masteryScore of 0.8 visibly overrides it."""
    quiz = cm.quiz("post-check", "post", tuple(cm.single(f"q{n}", 1) for n in range(1, 5)))
    modules = (cm.module("intro", "Why it matters", [cm.lesson("why", "Why the hand-off matters", "Text.")]),
               cm.module("post", "Check what you learned", [quiz]))
    course = cm.tiny_course(tmp_path, modules=modules, cohorts=False)
    return dataclasses.replace(course, mastery_score=0.7)


@pytest.fixture(scope="module")
def au_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cmi5-site")
    course = cmi5_course(folder)
    for rel, data in render_site(course, RenderOptions(target="cmi5")).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return course, folder


def new_launch(course, registration: str, **options) -> Cmi5Launch:
    post = course.modules[1]
    return Cmi5Launch(publisher_id=course.module_iri(post), registration=registration, actor=ACTOR,
                      activity_id="https://lms.example.org/activities/" + registration, **options)


def play_post_quiz(page, right: int):
    """Open the quiz module and answer ``right`` of the four questions correctly."""
    modules = page.evaluate("Coursec.config.modules")
    key = next(b["key"] for m in modules for b in m["blocks"] if b["id"] == "post-check")
    page.click("[data-cs-goto='post']")
    for n in range(1, 5):
        option = 1 if n <= right else 0
        page.check(f"[data-cs-block='{key}'] input[name$='-q{n}'][value='{option}']")
    page.click(f"[data-cs-block='{key}'] [data-cs-submit]")


def run_session(chromium, lms: Cmi5Lms, launch: Cmi5Launch, right: int | None):
    """One launch in a fresh browser: start, take the quiz (unless None), exit from the AU."""
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(lms.launch_url(launch, "index.html?au=post"))
        page.evaluate("Coursec.xapi.started")
        if right is not None:
            play_post_quiz(page, right)
        page.locator("[data-cs-exit]:visible").first.click()
        page.wait_for_url("**/returned.html", timeout=20000)
    finally:
        context.close()


def session_statements(lms: Cmi5Lms, launch: Cmi5Launch) -> list[dict]:
    ext = Extension.CMI5_SESSION
    mine = {s["id"]: s for s in lms.statements if s["context"].get("extensions", {}).get(ext) == launch.session_id}
    # Delivery is at least once (a resend after a reload repeats ids; the LRS keeps one), and
    # cmi5 judges order by timestamp.
    return sorted(mine.values(), key=lambda s: s["timestamp"])


def categories(statement) -> set[str]:
    return {c["id"] for c in statement["context"].get("contextActivities", {}).get("category", [])}


def statement_violations(s: dict, launch: Cmi5Launch, mastery: float | None) -> list[str]:
    """§5.3 rules for one statement."""
    bad, verb, cats, result = [], s["verb"]["id"], categories(s), s.get("result", {})
    defined = s["object"]["id"] == launch.activity_id and Category.CMI5 in cats
    check = lambda ok, why: ok or bad.append(f"{verb} {s['id']}: {why}")  # noqa: E731
    check(UUID_RE.match(s["id"]), "id is not a lowercase UUID")
    check(s["actor"] == launch.actor, "actor differs from the launch actor")
    check(s["timestamp"].endswith("Z"), "timestamp is not UTC")
    check(s["context"].get("registration") == launch.registration, "registration differs")
    check({"id": launch.publisher_id} in s["context"]["contextActivities"].get("grouping", []), "template grouping lost")
    check(Category.CMI5 not in cats or (verb in DEFINED and defined), "cmi5 category on a non-defined statement")
    check(Category.MOVEON not in cats or verb in JUDGED, "moveon category outside completed/passed/failed")
    check(not defined or verb not in JUDGED or Category.MOVEON in cats, "no moveon category")
    check(not defined or "score" not in result or verb in (Verb.PASSED, Verb.FAILED), "score on another defined verb")
    if defined and verb in (Verb.INITIALIZED, Verb.TERMINATED):
        check(not {"score", "success", "completion"} & set(result), "result on initialized/terminated")
    if defined and verb in (Verb.TERMINATED, Verb.COMPLETED, Verb.PASSED, Verb.FAILED):
        check("duration" in result, "no duration")
    if defined and verb == Verb.COMPLETED:
        check(result.get("completion") is True and "success" not in result, "completed result")
    if defined and verb in (Verb.PASSED, Verb.FAILED):
        score = result.get("score", {})
        check(result.get("success") is (verb == Verb.PASSED), "success does not match the verb")
        check(all(isinstance(score.get(k), int) for k in ("raw", "min", "max")), "raw/min/max not integers")
        check(0 <= score.get("scaled", -1) <= 1, "scaled out of range")
        check((score["scaled"] >= mastery) == (verb == Verb.PASSED), "scaled against masteryScore")
        check(s["context"].get("extensions", {}).get(Extension.CMI5_MASTERY) == mastery, "masteryscore extension")
    return bad


def session_violations(statements: list[dict], launch: Cmi5Launch, mastery: float | None) -> list[str]:
    bad = [v for s in statements for v in statement_violations(s, launch, mastery)]
    verbs = [s["verb"]["id"] for s in statements]
    defined = [s["verb"]["id"] for s in statements if Category.CMI5 in categories(s)]
    if not verbs or verbs[0] != Verb.INITIALIZED or verbs[-1] != Verb.TERMINATED:
        bad.append("not initialized ... terminated")
    if len(defined) != len(set(defined)):
        bad.append("a defined verb repeated in the session")
    if Verb.PASSED in defined and Verb.FAILED in defined:
        bad.append("passed and failed in one session")
    if launch.launch_mode != "Normal" and JUDGED & set(defined):
        bad.append("completed/passed/failed outside Normal mode")
    return bad


def launch_sequence_ok(lms: Cmi5Lms) -> bool:
    """One fetch, then LaunchData and preferences read, all before the first statement."""
    resources = [(m, r, d) for m, r, d in lms.log]
    first_statement = next(i for i, e in enumerate(resources) if e[1] == "statements")
    before = resources[:first_statement]
    return (("POST", "fetch", "") in before and ("GET", "activities/state", "LMS.LaunchData") in before
            and ("GET", "agents/profile", "cmi5LearnerPreferences") in before
            and sum(1 for e in resources if e[1] == "fetch") == 1)


def test_normal_launch_passes_then_relaunch_sends_no_second_passed(chromium, ralph, au_site):
    course, folder = au_site
    registration = str(uuid.uuid4())
    first = new_launch(course, registration, mastery_score=0.8, move_on="CompletedAndPassed")
    with Cmi5Lms(folder, ralph, preferences={"languagePreference": "en-US", "audioPreference": "on"}) as lms:
        run_session(chromium, lms, first, right=4)
        assert launch_sequence_ok(lms)
        statements = session_statements(lms, first)
        assert session_violations(statements, first, 0.8) == []
        defined = [s["verb"]["id"] for s in statements if Category.CMI5 in categories(s)]
        assert sorted(defined) == sorted([Verb.INITIALIZED, Verb.COMPLETED, Verb.PASSED, Verb.TERMINATED])
        passed = next(s for s in statements if s["verb"]["id"] == Verb.PASSED)
        assert passed["result"]["score"] == {"scaled": 1, "raw": 4, "min": 0, "max": 4}
        allowed = [s for s in statements if Category.CMI5 not in categories(s)]
        assert {s["verb"]["id"] for s in allowed} >= {Verb.ANSWERED}  # learning: cmi5 "allowed"
        second = new_launch(course, registration, mastery_score=0.8, move_on="CompletedAndPassed")
        run_session(chromium, lms, second, right=4)  # a fresh browser, the same registration
        again = session_statements(lms, second)
        assert session_violations(again, second, 0.8) == []
        assert [s["verb"]["id"] for s in again if Category.CMI5 in categories(s)] == [Verb.INITIALIZED, Verb.TERMINATED]
        assert any(s["verb"]["id"] == Verb.ANSWERED for s in again)  # the learner was tracked all the same
        assert lms.violations == []
        sent = statements + again
    stored = {s["id"] for s in ralph.statements()}
    assert {s["id"] for s in sent} <= stored  # terminated was acknowledged before the redirect
    assert validate_with_ralph(sent) == []


def test_mastery_score_from_launch_data_decides_failed(chromium, ralph, au_site):
    course, folder = au_site
    launch = new_launch(course, str(uuid.uuid4()), mastery_score=0.8, move_on="CompletedAndPassed")
    with Cmi5Lms(folder, ralph) as lms:  # no preferences document: 404 is fine
        run_session(chromium, lms, launch, right=3)  # 0.75: passes the course's 0.7, fails the LMS's 0.8
        statements = session_statements(lms, launch)
        assert session_violations(statements, launch, 0.8) == []
        failed = next(s for s in statements if s["verb"]["id"] == Verb.FAILED and Category.CMI5 in categories(s))
        assert failed["result"]["score"]["scaled"] == 0.75
        assert failed["context"]["extensions"][Extension.CMI5_MASTERY] == 0.8
        assert not any(s["verb"]["id"] == Verb.PASSED for s in statements)


def test_browse_mode_sends_only_initialized_and_terminated_as_defined(chromium, ralph, au_site):
    course, folder = au_site
    launch = new_launch(course, str(uuid.uuid4()), mastery_score=0.8, launch_mode="Browse")
    with Cmi5Lms(folder, ralph) as lms:
        run_session(chromium, lms, launch, right=4)
        statements = session_statements(lms, launch)
        assert session_violations(statements, launch, 0.8) == []
        assert [s["verb"]["id"] for s in statements if Category.CMI5 in categories(s)] == [Verb.INITIALIZED, Verb.TERMINATED]


def test_refused_fetch_shows_an_error_and_sends_nothing(chromium, ralph, au_site):
    course, folder = au_site
    launch = new_launch(course, str(uuid.uuid4()))
    with Cmi5Lms(folder, ralph) as lms:
        url = lms.launch_url(launch, "index.html?au=post")
        lms.fetch(launch.fetch_key)  # someone used the one-time token already
        lms.violations.clear()
        context = chromium.new_context()
        page = context.new_page()
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(url)
        page.evaluate("Coursec.xapi.started")
        context.close()
        assert lms.statements == []
        assert any("refused the launch" in e for e in errors)


def test_one_au_for_the_course_sends_completed_and_passed_when_the_course_is_done(chromium, ralph, au_site):
    """--cmi5-au course: the AU is the course (the template's publisher id is the course IRI)."""
    course, folder = au_site
    launch = dataclasses.replace(new_launch(course, str(uuid.uuid4()), mastery_score=0.8), publisher_id=course.id)
    with Cmi5Lms(folder, ralph) as lms:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(lms.launch_url(launch, "index.html"))
        page.evaluate("Coursec.xapi.started")
        page.click("[data-cs-page='start'] [data-cs-action=begin]")
        page.click("[data-cs-page='intro'] [data-cs-action=read]")
        play_post_quiz(page, right=4)
        page.locator("[data-cs-exit]:visible").first.click()
        page.wait_for_url("**/returned.html", timeout=20000)
        context.close()
        statements = session_statements(lms, launch)
        assert session_violations(statements, launch, 0.8) == []
        defined = [s["verb"]["id"] for s in statements if Category.CMI5 in categories(s)]
        assert sorted(defined) == sorted([Verb.INITIALIZED, Verb.COMPLETED, Verb.PASSED, Verb.TERMINATED])


def test_leaving_the_page_terminates_and_a_reload_neither_fetches_again_nor_sends_more(chromium, ralph, au_site):
    course, folder = au_site
    launch = new_launch(course, str(uuid.uuid4()), mastery_score=0.8)
    with Cmi5Lms(folder, ralph) as lms:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(lms.launch_url(launch, "index.html?au=post"))
        page.evaluate("Coursec.xapi.started")
        page.reload()  # the page goes away: terminated (keepalive); the session is over
        page.evaluate("Coursec.xapi.started")
        play_post_quiz(page, right=4)
        page.wait_for_timeout(500)
        context.close()
        statements = session_statements(lms, launch)
        assert [s["verb"]["id"] for s in statements] == [Verb.INITIALIZED, Verb.TERMINATED]
        assert session_violations(statements, launch, 0.8) == []
        assert sum(1 for e in lms.log if e[1] == "fetch") == 1 and lms.violations == []
