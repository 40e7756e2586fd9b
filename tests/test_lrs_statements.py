"""The statement builders: design.md's shapes, ISO durations, and every statement of a simulated
sample course accepted by Ralph's strict xAPI model (run in Ralph's own interpreter)."""
from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone

import pytest

from compiler.lrs import statements as st
from compiler.reports.simulate import default_params, simulate
from compiler.source import load_course
from compiler.vocabulary import ActivityType, Extension, Verb
from tests.support.ralph import RALPH_PYTHON
from tests.support.report_course import make_course

COURSE = make_course()
PRE, LISTENING, POST = COURSE.modules
ATTEMPT = st.Attempt(COURSE, st.account_actor("https://lms.example.org", "u-1"),
                     "760e3480-ba55-4991-94b0-01820dbd23a2", "agents")
STAMP = st.Stamp("0b8f2c1e-5d7a-4e51-9a43-2f7c6a1d9e10", datetime(2025, 1, 31, 14, 3, 12, 345000, timezone.utc))


@pytest.mark.parametrize("seconds, text", [(0, "PT0S"), (42.5, "PT42.5S"), (275.14, "PT4M35.14S"),
                                           (3600, "PT1H"), (3725.004, "PT1H2M5S"), (60, "PT1M")])
def test_iso_duration(seconds, text):
    assert st.iso_duration(seconds) == text


def test_question_statement_has_the_documented_shape():
    quiz = PRE.blocks[0]
    question = quiz.questions[0]
    statement = st.question_answered(ATTEMPT, STAMP, PRE, quiz, question, ["b"])
    assert statement["timestamp"] == "2025-01-31T14:03:12.345Z"
    assert statement["verb"]["id"] == Verb.ANSWERED
    assert statement["object"]["id"] == f"{COURSE.id}/pre/pre-check/q1"
    definition = statement["object"]["definition"]
    assert definition["type"] == ActivityType.INTERACTION and definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["b"]
    assert statement["result"] == {"response": "b", "success": True}
    context = statement["context"]
    assert context["contextActivities"] == {"parent": [{"id": f"{COURSE.id}/pre/pre-check"}],
                                            "grouping": [{"id": COURSE.id}]}
    assert context["extensions"] == {Extension.COHORT: "agents", Extension.BLOCK_KIND: "quiz",
                                     Extension.ASSESSMENT_KIND: "pre"}
    assert context["registration"] == ATTEMPT.registration and context["revision"] == "1.0.0"


def test_quiz_finish_passes_or_fails_against_mastery_and_completes_without_it():
    quiz = POST.blocks[0]
    passed = st.quiz_finished(ATTEMPT, STAMP, POST, quiz, 3, 3, 90, 0.8)
    failed = st.quiz_finished(ATTEMPT, STAMP, POST, quiz, 2, 3, 90, 0.8)
    plain = st.quiz_finished(ATTEMPT, STAMP, POST, quiz, 2, 3, 90, None)
    assert (passed["verb"]["id"], passed["result"]["success"]) == (Verb.PASSED, True)
    assert (failed["verb"]["id"], failed["result"]["success"]) == (Verb.FAILED, False)
    assert failed["result"]["score"] == {"scaled": 0.6667, "raw": 2, "min": 0.0, "max": 3}
    assert plain["verb"]["id"] == Verb.COMPLETED and "success" not in plain["result"]


def test_scenario_and_text_statements_carry_their_extensions():
    scenario, reflection = LISTENING.blocks[1], LISTENING.blocks[2]
    # choices "script" (0) then "own-it" (1): 1 of the best path's 2 (start -> own-it)
    done = st.scenario_completed(ATTEMPT, STAMP, LISTENING, scenario, 1, ["start", "script", "own-it"], 100)
    assert done["result"]["extensions"] == {Extension.ENDING: "own-it", Extension.PATH: "start/script/own-it"}
    assert done["result"]["score"] == {"scaled": 0.5, "raw": 1, "min": 0.0, "max": 2.0}
    text = st.reflection_responded(ATTEMPT, STAMP, LISTENING, reflection, "I named the feeling", 60)
    assert text["verb"]["id"] == Verb.RESPONDED and text["result"]["extensions"][Extension.WORDS] == 4
    assert text["object"]["definition"]["interactionType"] == "long-fill-in"


@pytest.mark.lrs
def test_every_simulated_statement_passes_ralphs_strict_xapi_model(sample_course):
    if not RALPH_PYTHON.exists():
        pytest.skip("Ralph is not installed in .venv-ralph")
    course, _ = load_course(sample_course)
    statements = simulate(course, default_params(course, 3, 1))
    statements.append(st.voiding(st.account_actor("https://lms.example.org", "admin"), STAMP, statements[0]["id"]))
    check = ("import json, sys\n"
             "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
             "bad = 0\n"
             "for line in sys.stdin:\n"
             "    s = json.loads(line); s.pop('stored', None)\n"
             "    try: BaseXapiStatement.model_validate(s)\n"
             "    except Exception as e: bad += 1; print(str(e)[:300])\n"
             "print('invalid', bad)\n")
    run = subprocess.run([str(RALPH_PYTHON), "-c", check], input="".join(json.dumps(s) + "\n" for s in statements),
                         capture_output=True, text=True, timeout=120, cwd="/")
    assert run.stdout.strip().endswith("invalid 0"), run.stdout + run.stderr
