"""The preview end to end in Chromium: two learners in two cohorts complete the sample
course under SCORM 1.2 and under cmi5, then `coursec report --preview` shows both with the
right figures (SCORM 2004 too, against the strict 2004 API); edits to a module reload the
page, a source error shows its diagnostic."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

from compiler.preview.journal import read_journal
from compiler.preview.server import PreviewServer
from compiler.source import load_course
from tests.support.course_player import CoursePlayer

pytestmark = pytest.mark.browser

COURSE_VERBS = ("http://adlnet.gov/expapi/verbs/passed", "http://adlnet.gov/expapi/verbs/failed")
LEARNERS = (("Ana Lima", "ana-lima", "chat-agents", True), ("Bo Chen", "bo-chen", "routing-designers", False))


class PreviewLearner(CoursePlayer):
    """The course player of the browser tests; with post_right False every post answer is wrong."""

    def __init__(self, frame, course, post_right: bool):
        super().__init__(frame, course, attempt=None)
        self.post_right = post_right

    def play_quiz(self, root, module, block):
        if block.assessment != "post" or self.post_right:
            return super().play_quiz(root, module, block)
        for question in block.questions:
            wrong = next(i for i, o in enumerate(question.options) if o.id not in question.correct_ids)
            self.page.check(f"{root} [data-cs-question] input[name$='-{question.id}'][value='{wrong}']")
        self.page.click(f"{root} [data-cs-submit]")


@pytest.fixture
def lms_page(browser):
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("http://127.0.0.1")
                  else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    yield page
    context.close()


def launch_as(page, name: str, cohort: str, launches: int):
    page.fill("#learner-name", name)
    page.select_option("#learner-cohort", cohort)
    page.click("#launch")
    page.wait_for_selector(f"body[data-launched='{launches}']")
    return course_frame(page, launches)


def course_frame(page, launches: int, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "/course/index.html" in frame.url and f"preview-launch={launches}" in frame.url:
                frame.wait_for_selector("[data-cs-page]:not([hidden])")
                frame.wait_for_function("window.Coursec && window.Coursec.tracker")  # booted: LMS found, state restored
                return frame
        page.wait_for_timeout(50)  # lets Playwright see frame navigations
    raise AssertionError("the course frame did not load")


def wait_for_course_result(page, journal, course_id: str, learner_id: str, timeout: float = 20.0) -> list[dict]:
    """The learner's statements once the course result is journaled (the page keeps running:
    Playwright's route handler must be served, so the wait is page.wait_for_timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mine = [s for s in read_journal(journal) if s["actor"].get("account", {}).get("name") == learner_id]
        if any(s["verb"]["id"] in COURSE_VERBS and s["object"]["id"] == course_id for s in mine):
            page.wait_for_timeout(1000)  # let the last batch land
            return [s for s in read_journal(journal) if s["actor"].get("account", {}).get("name") == learner_id]
        page.wait_for_timeout(200)
    raise AssertionError(f"no course result for {learner_id} in the journal")


def pre_score(course) -> float:
    """What the player scores on the pre-assessment (it always picks the first option)."""
    quizzes = [b for _, b in course.blocks() if getattr(b, "assessment", None) == "pre" and b.kind == "quiz"]
    questions = [q for quiz in quizzes for q in quiz.questions]
    return sum(tuple(q.correct_ids) == (q.options[0].id,) for q in questions) / len(questions)


def report_json(tmp_path, course_dir, repo_root) -> dict:
    env = dict(os.environ, PYTHONPATH=str(repo_root))
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "compiler", "report", str(course_dir), "--preview", "--format", "json",
                           "-o", str(out), "--quiet"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "learners: 2" in done.stdout  # the terminal summary
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("target", ["scorm12", "scorm2004", "cmi5"])
def test_two_learners_in_two_cohorts_then_report_preview(target, lms_page, tmp_path, sample_course, repo_root):
    course, _ = load_course(sample_course)
    server = PreviewServer(sample_course, target=target, build_root=tmp_path / "build").start()
    try:
        lms_page.goto(server.url + "/")
        lms_page.wait_for_selector("body[data-build='1']")
        for number, (name, learner_id, cohort, post_right) in enumerate(LEARNERS, start=1):
            frame = launch_as(lms_page, name, cohort, number)
            PreviewLearner(frame, course, post_right).play()
            mine = wait_for_course_result(lms_page, server.journal.path, course.id, learner_id)
            cohorts = {s["context"].get("extensions", {}).get("https://w3id.org/xapi/coursec/extensions/cohort")
                       for s in mine if s["verb"]["id"].endswith("/answered")}
            assert cohorts == {cohort}
        if target.startswith("scorm"):
            assert lms_page.evaluate("CoursecPreview.inspector.failed") == []
            assert lms_page.evaluate("CoursecPreview.inspector.calls.length") > 50
        shown = lms_page.evaluate("CoursecPreview.inspector.statements.length")
        assert shown == len(read_journal(server.journal.path))
        assert lms_page.errors == []
    finally:
        server.stop()
    report = report_json(tmp_path, sample_course, repo_root)
    scores = {row["learner"]: row for row in report["tables"]["scores"]["rows"]}
    assert set(scores) == {"ana-lima", "bo-chen"}
    assert (scores["ana-lima"]["cohort"], scores["ana-lima"]["score"], scores["ana-lima"]["passed"]) == \
        ("chat-agents", 1.0, True)
    assert (scores["bo-chen"]["cohort"], scores["bo-chen"]["score"], scores["bo-chen"]["passed"]) == \
        ("routing-designers", 0.0, False)
    assert report["facts"]["learners"] == 2
    overall = next(r for r in report["tables"]["pass_rate"]["rows"] if r["cohort"] == "(all)")
    assert (overall["learners"], overall["passed"], overall["pass_rate"]) == (2, 1, 0.5)
    pre_post = {r["cohort"]: r for r in report["tables"]["pre_post"]["rows"]}
    assert pre_post["chat-agents"]["mean_pre"] == pytest.approx(pre_score(course), abs=1e-4)
    assert pre_post["chat-agents"]["mean_post"] == 1.0
    assert pre_post["routing-designers"]["mean_post"] == 0.0


def test_edits_reload_the_page_and_errors_show_their_location(lms_page, tmp_path, sample_course):
    course_dir = shutil.copytree(sample_course, tmp_path / "course")
    module = course_dir / "listening.md"
    server = PreviewServer(course_dir, target="scorm2004", build_root=tmp_path / "build", poll=0.05).start()
    try:
        lms_page.goto(server.url + "/")
        lms_page.wait_for_selector("body[data-build='1']")
        frame = launch_as(lms_page, "Ana Lima", "chat-agents", 1)
        assert "The first minute after the bot" in frame.content()
        text = module.read_text(encoding="utf-8")
        module.write_text(text.replace("The first minute after the bot", "The first minute after the chatbot"),
                          encoding="utf-8")
        frame = course_frame(lms_page, 2)
        assert "The first minute after the chatbot" in frame.content()
        module.write_text(text.replace("](#facts) {score=2}", "](#no-such-step) {score=2}"), encoding="utf-8")
        lms_page.wait_for_selector("#diagnostics:not([hidden])", timeout=10_000)
        shown = lms_page.inner_text("#diagnostic-list")
        assert re.search(r"listening\.md:106:\d+: error: .*no-such-step.*\[missing-step\]", shown), shown
        assert lms_page.is_hidden("#course-frame")
        module.write_text(text, encoding="utf-8")
        frame = course_frame(lms_page, 3)
        assert lms_page.is_hidden("#diagnostics")
        assert "The first minute after the bot" in frame.content()
        assert lms_page.evaluate("CoursecPreview.inspector.failed") == []
    finally:
        server.stop()


def test_a_relaunch_resumes_and_new_attempt_starts_over(lms_page, tmp_path, sample_course):
    server = PreviewServer(sample_course, target="scorm12", build_root=tmp_path / "build").start()
    entry = "document.querySelector(\"#cmi-table tr[data-element='cmi.core.entry'] td:last-child\").textContent"
    try:
        lms_page.goto(server.url + "/")
        lms_page.wait_for_selector("body[data-build='1']")
        frame = launch_as(lms_page, "Ana Lima", "chat-agents", 1)
        frame.click("[data-cs-page='start']:not([hidden]) [data-cs-action=begin]")
        frame.wait_for_selector("[data-cs-page='pre-assessment']:not([hidden])")
        assert lms_page.evaluate(entry) == "ab-initio"
        frame = launch_as(lms_page, "Ana Lima", "chat-agents", 2)
        assert lms_page.evaluate(entry) == "resume"
        frame.wait_for_selector("[data-cs-page='pre-assessment']:not([hidden])")  # back where she was
        lms_page.click("#new-attempt")
        lms_page.wait_for_selector("body[data-launched='3']")
        frame = course_frame(lms_page, 3)
        assert lms_page.evaluate(entry) == "ab-initio"
        frame.wait_for_selector("[data-cs-page='start']:not([hidden])")
        assert lms_page.evaluate("CoursecPreview.inspector.failed") == []
    finally:
        server.stop()


def test_the_lms_page_has_no_accessibility_violations(lms_page, tmp_path, sample_course, repo_root):
    server = PreviewServer(sample_course, target="scorm12", build_root=tmp_path / "build").start()
    try:
        lms_page.goto(server.url + "/")
        lms_page.wait_for_selector("body[data-build='1']")
        launch_as(lms_page, "Ana Lima", "chat-agents", 1)
        lms_page.add_script_tag(path=str(repo_root / "node_modules" / "axe-core" / "axe.min.js"))
        violations = lms_page.evaluate("axe.run(document, {iframes: false}).then(r => r.violations.map(v => v.id))")
        assert violations == [], violations
    finally:
        server.stop()


def test_a_statement_the_lrs_refuses_is_shown_in_the_inspector_and_kept_in_the_dead_letters(lms_page, tmp_path,
                                                                                              sample_course, repo_root):
    bad = {"id": "00000000-0000-4000-8000-000000000400", "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
           "object": {"id": "https://example.org/refused-question"}}  # no actor: the LRS answers 400
    good = dict(bad, id="00000000-0000-4000-8000-000000000200", object={"id": "https://example.org/good-question"},
                actor={"objectType": "Agent", "account": {"homePage": "https://example.org", "name": "ana-lima"}})
    server = PreviewServer(sample_course, target="scorm12", build_root=tmp_path / "build").start()
    try:
        lms_page.goto(server.url + "/")
        lms_page.wait_for_selector("body[data-build='1']")
        assert lms_page.is_hidden("#refused") and lms_page.is_visible("#refused-none")
        frame = launch_as(lms_page, "Ana Lima", "chat-agents", 1)
        # one batch [good, bad]: refused (400), split, resent one at a time
        delivered = frame.evaluate("batch => { const s = Coursec.xapi.sender; s.send(batch); return s.flush(10000); }",
                                   [good, bad])
        assert delivered is True  # nothing left pending: the refused one left the queue for the dead letters
        assert frame.evaluate("Coursec.xapi.sender.requests") == 3
        dead = frame.evaluate("Coursec.xapi.sender.queue.deadLetters()")
        assert [(d["statement"]["id"], d["status"], d["reason"]) for d in dead] == \
            [(bad["id"], 400, "statement without actor")]
        assert [s["id"] for s in read_journal(server.journal.path)] == [good["id"]]
        entry = lms_page.wait_for_selector("#refused li", timeout=5000)
        shown = entry.inner_text()
        assert "Refused (400): statement without actor" in shown
        assert bad["verb"]["id"] in shown and bad["object"]["id"] in shown and bad["id"] in shown
        assert lms_page.inner_text("#refused-count") == "1" and lms_page.is_hidden("#refused-none")
        assert lms_page.evaluate("CoursecPreview.inspector.refused.map(e => e.statement.id)") == [bad["id"]]
        lms_page.wait_for_function("CoursecPreview.inspector.statements.length === 1", timeout=5000)
        assert good["object"]["id"] in lms_page.inner_text("#statements")
        lms_page.add_script_tag(path=str(repo_root / "node_modules" / "axe-core" / "axe.min.js"))
        violations = lms_page.evaluate("axe.run(document, {iframes: false}).then(r => r.violations.map(v => v.id))")
        assert violations == [], violations
        assert lms_page.errors == []
    finally:
        server.stop()
