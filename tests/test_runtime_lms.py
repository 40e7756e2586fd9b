"""The runtime against scorm-again in the LMS situations that break courses: resume,
API discovery through frames and a popup, a lax LMS, a newer package version."""
from __future__ import annotations

import pytest

from compiler.render import RenderOptions, render_site
from tests.support.browser import Harness, Learner
from tests.support import course_models as cm

pytestmark = pytest.mark.browser

DRAFT = "My draft about the customer's third message,\nwith a second line."


def first_session(page, static_server, pkg, standard="scorm12"):
    harness = Harness(page, static_server, standard)
    learner = Learner(harness.open(pkg))
    learner.begin("chat-agents")
    learner.answer_quiz("pre", "pre-check", right=True)
    learner.answer_survey("pre", "pre-self", value=3, submit=False)
    learner.goto("listening")
    learner.read("listening", "why")
    learner.play_scenario("listening", "third-time", "first")
    learner.write("listening", "last-escalation", DRAFT, submit=False)
    learner.write("listening", "handoff-message", "Hello, I see you asked three times.", submit=True)
    harness.unload()
    return harness


def resume_cmi_12(cmi: dict) -> dict:
    """What an LMS hands the next launch after exit=suspend."""
    return {"suspend_data": cmi["suspend_data"], "launch_data": cmi["launch_data"],
            "core": {"entry": "resume", "lesson_location": cmi["core"]["lesson_location"],
                     "lesson_status": cmi["core"]["lesson_status"]}}


def test_resume_lands_on_bookmark_with_every_answer_and_draft(browser, static_server, tmp_path):
    pkg = static_server.publish("resume", render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm12")))
    context = browser.new_context()
    first = first_session(context.new_page(), static_server, pkg)
    cmi = first.cmi()
    assert cmi["core"]["exit"] == "suspend" and cmi["core"]["lesson_location"] == "listening"
    assert cmi["core"]["lesson_status"] == "incomplete"

    second = Harness(context.new_page(), static_server, "scorm12")
    frame = second.open(pkg, cmi=resume_cmi_12(cmi))
    assert frame.is_visible("[data-cs-page='listening']") and not frame.is_visible("[data-cs-page='start']")
    assert frame.input_value("#b-listening-last-escalation [data-cs-text]") == DRAFT
    assert frame.input_value("#b-listening-handoff-message [data-cs-text]") == "Hello, I see you asked three times."
    assert frame.is_disabled("#b-listening-why [data-cs-action=read]")
    assert frame.get_attribute("#b-listening-third-time [data-cs-step]:not([hidden])", "data-cs-step") == "own-it"
    assert "You chose: Own the next step" in frame.inner_text("#b-listening-third-time [data-cs-last]")
    Learner(frame).goto("pre")
    pre = Learner(frame).block("pre", "pre-check")
    assert frame.is_checked(f"#o-{pre['key']}-q1-1") and frame.is_disabled(f"#o-{pre['key']}-q1-1")
    survey = Learner(frame).block("pre", "pre-self")
    assert frame.is_checked(f"#s-{survey['key']}-restate-3") and frame.is_checked(f"#s-{survey['key']}-own-words-3")
    assert not frame.is_visible("[data-cs-cohort-form]")
    assert second.errors == [] and first.errors == []
    context.close()


@pytest.mark.parametrize("standard,query", [("scorm2004", "&depth=2"), ("scorm12", "&depth=6"), ("scorm12", "&popup=1")])
def test_api_found_two_frames_up_and_through_the_opener(page, static_server, tmp_path, standard, query):
    pkg = static_server.publish(f"discover-{standard}", render_site(cm.tiny_course(tmp_path), RenderOptions(target=standard)))
    harness = Harness(page, static_server, standard)
    frame = harness.open(pkg, query=query)
    assert not frame.is_visible("#cs-note"), "the course says it found no LMS"
    Learner(frame).begin("chat-agents")
    harness.unload()
    calls = harness.calls()
    names = [c["fn"] for c in calls]
    assert names[0] in ("LMSInitialize", "Initialize") and names.count("LMSFinish") + names.count("Terminate") == 1
    location = "cmi.core.lesson_location" if standard == "scorm12" else "cmi.location"
    assert any(c["args"][:2] == [location, "pre"] for c in calls if c["fn"].endswith("SetValue"))


def play_tiny_right(learner: Learner) -> None:
    learner.begin("chat-agents")
    learner.answer_quiz("pre", "pre-check", right=False)
    learner.answer_survey("pre", "pre-self")
    learner.goto("listening")
    learner.read("listening", "why")
    learner.play_scenario("listening", "third-time", "last")
    learner.write("listening", "last-escalation", "one two three four five six seven")
    learner.write("listening", "handoff-message", "I can see this is your third message.")
    learner.goto("post")
    learner.answer_quiz("post", "post-check", right=True)
    learner.answer_survey("post", "post-self")


def test_lax_lms_still_gets_the_right_status_and_score(page, static_server, tmp_path):
    pkg = static_server.publish("lax", render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm12")))
    harness = Harness(page, static_server, "scorm12")
    frame = harness.open(pkg, query="&lax=1")
    assert page.evaluate("typeof window.API.LMSGetDiagnostic") == "undefined"
    play_tiny_right(Learner(frame))
    harness.unload()
    cmi = harness.cmi()
    assert cmi["core"]["lesson_status"] == "passed"
    assert cmi["core"]["score"]["raw"] == "100"
    assert harness.errors == []


def newer_version(root):
    """v1.1: the pre survey is gone, post quiz question q3 changed its options, a lesson was added."""
    v1 = cm.tiny_course(root)
    pre, listening, designers, post = v1.modules
    pre2 = cm.module("pre", pre.title, [pre.blocks[0]])
    listening2 = cm.module("listening", listening.title, list(listening.blocks) + [cm.lesson("extra", "New lesson", "New.")])
    quiz = cm.quiz("post-check", "post", (cm.single("q1", 1), cm.true_false("q2", True), cm.multiple("q3", (0, 1), n=5)))
    post2 = cm.module("post", post.title, [quiz, post.blocks[1]])
    return cm.tiny_course(root, version="1.1.0", content_hash="fedcba9876543210",
                          modules=(pre2, listening2, designers, post2))


def test_newer_version_keeps_the_answers_that_still_exist(browser, static_server, tmp_path):
    v1 = static_server.publish("v1", render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm2004")))
    v2 = static_server.publish("v2", render_site(newer_version(tmp_path), RenderOptions(target="scorm2004")))
    context = browser.new_context()
    harness = Harness(context.new_page(), static_server, "scorm2004")
    learner = Learner(harness.open(v1))
    learner.begin("chat-agents")
    learner.answer_survey("pre", "pre-self", value=5)
    learner.goto("listening")
    learner.write("listening", "last-escalation", DRAFT, submit=False)
    learner.goto("post")
    learner.answer_quiz("post", "post-check", right=True, submit=False)
    harness.unload()
    cmi = harness.cmi()
    resume = {"suspend_data": cmi["suspend_data"], "location": cmi["location"], "entry": "resume",
              "completion_status": cmi["completion_status"]}

    second = Harness(context.new_page(), static_server, "scorm2004")
    frame = second.open(v2, cmi=resume)
    learner2 = Learner(frame)
    post = learner2.block("post", "post-check")
    assert frame.is_visible("[data-cs-page='post']")
    assert frame.is_checked(f"#o-{post['key']}-q1-1") and frame.is_checked(f"#o-{post['key']}-q2-0")
    assert not any(frame.is_checked(f"#o-{post['key']}-q3-{i}") for i in range(5)), "a changed question kept old answers"
    learner2.goto("listening")
    assert frame.input_value("#b-listening-last-escalation [data-cs-text]") == DRAFT
    assert frame.evaluate("window.Coursec.tracker.state.version") == "1.1.0"
    assert second.errors == []
    context.close()


def long_text_course(root):
    essay = cm.reflection("essay", min_words=0, max_words=1000)  # worst case far beyond 4,096
    return cm.tiny_course(root, cohorts=False, modules=(cm.module("write", "Write", [essay]),))


def natural_text(chars: int) -> str:
    sentence = "When the bot hands over, I read the whole transcript and name what the customer felt. "
    return (sentence * (chars // len(sentence) + 1))[:chars]


def test_scorm12_state_over_4096_is_compressed_and_restored(browser, static_server, tmp_path):
    pkg = static_server.publish("long12", render_site(long_text_course(tmp_path), RenderOptions(target="scorm12")))
    context = browser.new_context()
    harness = Harness(context.new_page(), static_server, "scorm12")
    learner = Learner(harness.open(pkg))
    learner.begin()
    text = natural_text(5000)
    learner.write("write", "essay", text, submit=False)
    harness.unload()
    suspends = [c["args"][1] for c in harness.calls() if c["fn"] == "LMSSetValue" and c["args"][0] == "cmi.suspend_data"]
    assert max(len(s) for s in suspends) <= 4096
    assert len(text) > 4096 and suspends[-1].startswith("z1")
    resumed = Harness(context.new_page(), static_server, "scorm12")
    frame = resumed.open(pkg, cmi=resume_cmi_12(harness.cmi()))
    assert frame.input_value("#b-write-essay [data-cs-text]") == text
    context.close()


def test_state_that_cannot_fit_is_not_written_and_the_learner_is_told(page, static_server, tmp_path):
    pkg = static_server.publish("random12", render_site(long_text_course(tmp_path), RenderOptions(target="scorm12")))
    harness = Harness(page, static_server, "scorm12")
    frame = harness.open(pkg)
    Learner(frame).begin()
    noise = frame.evaluate("Array.from({length: 5500}, (_, i) => String.fromCharCode(0x4e00 + (i * 7919) % 20000)).join('')")
    Learner(frame).write("write", "essay", noise, submit=False)
    assert "too long to save" in frame.inner_text("#cs-note")
    assert frame.input_value("#b-write-essay [data-cs-text]") == noise, "the text stays on the page"
    harness.unload()
    suspends = [c["args"][1] for c in harness.calls() if c["fn"] == "LMSSetValue" and c["args"][0] == "cmi.suspend_data"]
    assert all(len(s) <= 4096 for s in suspends)


def test_hidden_page_commits(page, static_server, tmp_path):
    pkg = static_server.publish("hidden", render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm2004")))
    harness = Harness(page, static_server, "scorm2004")
    frame = harness.open(pkg)
    Learner(frame).begin("chat-agents")
    before = [c["fn"] for c in harness.calls()].count("Commit")
    frame.evaluate("""() => {
      Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    assert [c["fn"] for c in harness.calls()].count("Commit") == before + 1
    assert "Terminate" not in [c["fn"] for c in harness.calls()]


def test_lms_that_forgets_entry_resume_still_resumes_in_scorm12(browser, static_server, tmp_path):
    pkg = static_server.publish("noentry", render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm12")))
    context = browser.new_context()
    first = first_session(context.new_page(), static_server, pkg)
    cmi = resume_cmi_12(first.cmi())
    del cmi["core"]["entry"]
    frame = Harness(context.new_page(), static_server, "scorm12").open(pkg, cmi=cmi)
    assert frame.is_visible("[data-cs-page='listening']")
    assert frame.input_value("#b-listening-last-escalation [data-cs-text]") == DRAFT
    context.close()


def test_scorm_package_opened_without_an_lms_still_works_and_says_so(page, static_server, tmp_path):
    pkg = static_server.publish("nolms", render_site(cm.tiny_course(tmp_path), RenderOptions(target="scorm2004")))
    warnings = []
    page.on("console", lambda msg: warnings.append(msg.text) if msg.type == "warning" else None)
    page.goto(f"{static_server.url}/{pkg}")
    assert page.is_visible("#cs-note") and "No learning management system" in page.inner_text("#cs-note")
    assert any("API_1484_11" in w for w in warnings)
    Learner(page.main_frame).begin("chat-agents")
    assert page.is_visible("[data-cs-page='pre']")
