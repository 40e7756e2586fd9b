"""The default theme in Chromium: no serious or critical axe-core violations on any page
type, usable without an LMS (progress kept in this browser, with a visible note)."""
from __future__ import annotations

import pytest

from compiler.render import RenderOptions, render_site
from tests.support import course_models as cm
from tests.support.browser import VENDOR_FILES, Learner

pytestmark = pytest.mark.browser


def axe_violations(frame) -> list[dict]:
    frame.add_script_tag(content=VENDOR_FILES["axe.min.js"].read_text(encoding="utf-8"))
    result = frame.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def web_course(static_server, tmp_path):
    files = render_site(cm.tiny_course(tmp_path), RenderOptions(target="web"))
    return f"{static_server.url}/" + static_server.publish("web", files)


def test_every_page_type_has_no_serious_accessibility_violations(page, web_course):
    page.goto(web_course)
    frame = page.main_frame
    learner = Learner(frame)
    found = {"start": axe_violations(frame)}
    learner.begin("chat-agents")
    found["quiz and survey"] = axe_violations(frame)
    learner.answer_quiz("pre", "pre-check", right=False)
    learner.answer_survey("pre", "pre-self")
    found["quiz feedback"] = axe_violations(frame)
    learner.goto("listening")
    learner.read("listening", "why")
    learner.play_scenario("listening", "third-time")
    learner.write("listening", "last-escalation", "a b c d e f")
    found["lesson, scenario, reflection, artifact"] = axe_violations(frame)
    learner.goto("finish")
    found["completion"] = axe_violations(frame)
    assert found == {name: [] for name in found}


def test_without_an_lms_progress_stays_in_the_browser_with_a_note(page, web_course):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(web_course)
    assert page.is_visible("#cs-note")
    assert "this browser" in page.inner_text("#cs-note")
    learner = Learner(page.main_frame)
    learner.begin("rule-designers")
    learner.goto("listening")
    learner.read("listening", "why")
    learner.write("listening", "last-escalation", "kept across reloads", submit=False)
    page.reload()
    assert page.is_visible("[data-cs-page='listening']")
    assert page.is_disabled("#b-listening-why [data-cs-action=read]")
    assert page.input_value("#b-listening-last-escalation [data-cs-text]") == "kept across reloads"
    assert errors == []


def test_cohort_module_is_optional_for_other_cohorts(page, web_course):
    page.goto(web_course)
    learner = Learner(page.main_frame)
    learner.begin("chat-agents")
    learner.goto("designers")
    assert page.is_visible("[data-cs-page='designers'] [data-cs-optional]")
    assert "optional" in page.inner_text("[data-cs-module-status='designers']")


def test_keyboard_only_learner_can_begin_and_answer(page, web_course):
    page.goto(web_course)
    page.focus("#cohort-chat-agents")
    page.keyboard.press("Space")
    page.focus("[data-cs-action=begin]")
    page.keyboard.press("Enter")
    assert page.is_visible("[data-cs-page='pre']")
    assert page.evaluate("document.activeElement.id") == "h-pre"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in ("INPUT", "BUTTON", "A")


def test_submitted_quiz_shows_the_verdict_and_the_right_answers(page, web_course):
    page.goto(web_course)
    learner = Learner(page.main_frame)
    learner.begin("chat-agents")
    learner.answer_quiz("pre", "pre-check", right=False)
    quiz = learner.block("pre", "pre-check")
    first = page.locator("#b-pre-pre-check [data-cs-question='q1']")
    assert "Not quite." in first.inner_text()
    right = quiz["questions"][0]["options"].index(quiz["questions"][0]["correct"][0])
    assert page.is_visible(f"label[for='o-{quiz['key']}-q1-{right}'] [data-cs-key]")
    assert "0 of 2 correct" in page.inner_text("#b-pre-pre-check [data-cs-message]")
    assert page.is_disabled(f"#o-{quiz['key']}-q1-0")
