"""Every statement the browser runtime can produce, built by the real JS in Chromium for a
course with every block kind: equal field for field to compiler/lrs/statements.py, and
structurally sound (one IFI, UUID ids, UTC timestamps, ISO durations, score ranges, arrays
in contextActivities, unique interaction components, no nulls) — cmi5 defined statements
included."""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from compiler.lrs import statements as st
from compiler.runtime.xapi_table import xapi_table
from compiler.vocabulary import VERB_DISPLAY, as_js_table
from tests.support import course_models as cm
from tests.support.xapi_env import RUNTIME, chromium  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DURATION_RE = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$")
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
                     "sequencing", "likert", "numeric", "other"}
ACTOR = st.account_actor("https://lms.example.org", "learner-1")
REGISTRATION = "2f1c0a4e-6f43-4d7e-9a55-3f0b1c2d3e4f"


def calls(course):
    """(JS method, args, Python builder) for every event kind of the course."""
    pre, listening, _designers, post = course.modules
    quiz, survey = pre.blocks
    lesson, scenario, reflection, artifact = listening.blocks
    step = scenario.steps[0]
    q1 = quiz.questions[0]
    tf = quiz.questions[1]
    multi = post.blocks[0].questions[2]
    a = st.Attempt(course, ACTOR, REGISTRATION, cohort="chat-agents")
    return [
        ("lessonExperienced", [listening.id, lesson.id], lambda s: st.lesson_experienced(a, s, listening, lesson)),
        ("lessonCompleted", [listening.id, lesson.id, 61.5], lambda s: st.lesson_completed(a, s, listening, lesson, 61.5)),
        ("scenarioChoice", [listening.id, scenario.id, step.id, 1], lambda s: st.scenario_choice(a, s, listening, scenario, step, 1)),
        ("scenarioCompleted", [listening.id, scenario.id, 2, ["start", "own-it"], 300],
         lambda s: st.scenario_completed(a, s, listening, scenario, 2, ["start", "own-it"], 300)),
        ("questionAnswered", [pre.id, quiz.id, q1.id, ["b"]], lambda s: st.question_answered(a, s, pre, quiz, q1, ["b"])),
        ("questionAnswered", [pre.id, quiz.id, tf.id, ["false"]], lambda s: st.question_answered(a, s, pre, quiz, tf, ["false"])),
        ("questionAnswered", [post.id, post.blocks[0].id, multi.id, ["a", "c"]],
         lambda s: st.question_answered(a, s, post, post.blocks[0], multi, ["a", "c"])),
        ("quizFinished", [pre.id, quiz.id, 1, 2, 40, 0.8], lambda s: st.quiz_finished(a, s, pre, quiz, 1, 2, 40, 0.8)),
        ("quizFinished", [pre.id, quiz.id, 2, 2, 40, None], lambda s: st.quiz_finished(a, s, pre, quiz, 2, 2, 40, None)),
        ("surveyAnswered", [pre.id, survey.id, "restate", 4], lambda s: st.survey_answered(a, s, pre, survey, survey.items[0], 4)),
        ("reflectionResponded", [listening.id, reflection.id, "I said I saw the repeats.", 90],
         lambda s: st.reflection_responded(a, s, listening, reflection, "I said I saw the repeats.", 90)),
        ("artifactCreated", [listening.id, artifact.id, "Hello, I can see you asked three times.", 600],
         lambda s: st.artifact_created(a, s, listening, artifact, "Hello, I can see you asked three times.", 600)),
        ("moduleCompleted", [listening.id, 1200], lambda s: st.module_completed(a, s, listening, 1200)),
        ("courseCompleted", [3600, 0.6667, False], lambda s: st.course_completed(a, s, 3600, 0.6667, False)),
        ("courseCompleted", [3600, None, None], lambda s: st.course_completed(a, s, 3600)),
    ]


@pytest.fixture(scope="module")
def runtime_page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    for name in ("xapi_statements.js", "tincan_launch.js", "xapi_sender.js", "xapi_layer.js", "cmi5_au.js"):
        page.add_script_tag(content=(RUNTIME / name).read_text(encoding="utf-8"))
    yield page
    context.close()


def build_in_browser(page, course, method: str, args: list) -> dict:
    return page.evaluate(
        """([table, vocab, actor, registration, method, args]) => {
            const b = new coursec.StatementBuilder({table, vocabulary: vocab, actor, registration, cohort: "chat-agents"});
            return b[method].apply(b, args);
        }""",
        [xapi_table(course, ("Never", "Rarely", "Sometimes", "Often", "Always")), json.loads(as_js_table()),
         ACTOR, REGISTRATION, method, args],
    )


def structure_problems(s: dict) -> list[str]:
    bad = []
    check = lambda ok, why: ok or bad.append(why)  # noqa: E731
    check(UUID_RE.match(s["id"]), "id is not a lowercase UUID")
    check(sum(k in s["actor"] for k in IFIS) == 1, "actor has not exactly one IFI")
    check(s["timestamp"].endswith("Z") and datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00")), "timestamp")
    check(s["verb"]["id"] in VERB_DISPLAY and s["verb"].get("display"), "verb not from the vocabulary")
    check("null" not in json.dumps(s), "a null value")
    for key, value in s.get("context", {}).get("contextActivities", {}).items():
        check(isinstance(value, list) and value, f"contextActivities.{key} is not a non-empty array")
    result = s.get("result", {})
    if "duration" in result:
        check(DURATION_RE.match(result["duration"]), f"duration {result['duration']}")
    score = result.get("score", {})
    if "scaled" in score:
        check(-1 <= score["scaled"] <= 1, "scaled out of range")
    if "min" in score and "max" in score:
        check(score["min"] < score["max"] and score["min"] <= score.get("raw", score["min"]) <= score["max"], "raw range")
    definition = s["object"].get("definition", {})
    if "interactionType" in definition:
        check(definition["interactionType"] in INTERACTION_TYPES, "interactionType")
        for part in ("choices", "scale"):
            ids = [c["id"] for c in definition.get(part, [])]
            check(len(ids) == len(set(ids)) and not any(re.search(r"\s", i) for i in ids), f"{part} ids")
        check(all(isinstance(p, str) for p in definition.get("correctResponsesPattern", [])), "patterns")
    return bad


def test_every_runtime_statement_equals_the_python_shape_and_is_sound(runtime_page, tmp_path):
    course = cm.tiny_course(tmp_path)
    for method, args, python_builder in calls(course):
        js = build_in_browser(runtime_page, course, method, args)
        expected = python_builder(st.Stamp(js["id"], datetime.fromisoformat(js["timestamp"].replace("Z", "+00:00"))))
        assert js == expected, method
        assert structure_problems(js) == [], method


def test_cmi5_defined_statements_are_sound(runtime_page):
    launch_data = {"contextTemplate": {"contextActivities": {"grouping": [{"id": "https://courses.example.org/tiny/post"}]},
                                       "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": "s-1"}},
                   "launchMode": "Normal", "masteryScore": 0.8}
    built = runtime_page.evaluate(
        """([vocab, actor, launchData]) => {
            const launch = {endpoint: "http://127.0.0.1:9/", fetchUrl: "x", actor, registration: "%s", activityId: "https://lms.example.org/a/1"};
            const s = new coursec.Cmi5Session(launch, {vocabulary: vocab, config: {course: {masteryScore: 0.7}, modules: []}});
            s.launchData = launchData;
            return [s.defined("initialized"), s.defined("completed", {completion: true, duration: s.duration()}, true),
                    s.defined("passed", {success: true, duration: "PT1M", score: {scaled: 0.9, raw: 9, min: 0, max: 10}}, true,
                              {"https://w3id.org/xapi/cmi5/context/extensions/masteryscore": 0.8}),
                    s.defined("terminated", {duration: s.duration()})];
        }""" % REGISTRATION,
        [json.loads(as_js_table()), ACTOR, launch_data],
    )
    for statement in built:
        assert structure_problems(statement) == []
        assert statement["context"]["registration"] == REGISTRATION
        assert statement["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == "s-1"
        assert statement["object"] == {"objectType": "Activity", "id": "https://lms.example.org/a/1"}


def test_tincan_launch_normalises_actor_and_omits_a_missing_registration(runtime_page):
    old_style = json.dumps({"mbox": ["mailto:jane@example.org"], "name": ["Jane"]})
    launch = runtime_page.evaluate("q => coursec.tincanLaunch(q)", "?endpoint=http://127.0.0.1:9/xapi&auth=Basic%20abc&actor="
                                   + old_style.replace('"', "%22"))
    assert launch["actor"] == {"objectType": "Agent", "name": "Jane", "mbox": "mailto:jane@example.org"}
    assert launch["endpoint"] == "http://127.0.0.1:9/xapi/" and launch["registration"] is None
    decorated = runtime_page.evaluate(
        """launch => coursec.launchGrouping(launch, "https://courses.example.org/tiny")(
            {context: {registration: null, contextActivities: {grouping: [{id: "https://courses.example.org/tiny"}]}}})""",
        launch,
    )
    assert "registration" not in decorated["context"]
    assert runtime_page.evaluate("q => coursec.tincanLaunch(q)", "?endpoint=http://127.0.0.1:9/") is None  # no actor
