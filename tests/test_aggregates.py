"""Every aggregate on a hand-made fixture of four learners; expected figures worked out by hand
in the comments and the arithmetic below, never by the code under test.

Correct options: q1=b, q2=a, q3=c (both quizzes).  Cohorts: A, B agents; C, D designers.
  pre  A: b b a = 1,0,0 = 1/3                            B: b a b = 1,1,0 = 2/3
       C: a a a = 0,1,0 = 1/3                            D: c c c = 0,0,1 = 1/3
  post A: b a c = 3/3;  B: first b a b (2/3) then b a c (3/3, latest counts);  C: b a a = 2/3;  D: none
"""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from compiler.lrs import statements as st
from compiler.reports import aggregates as agg
from compiler.reports import aggregates_learning as learn
from compiler.reports.report import build_report
from compiler.reports.store import DuckDBStore
from tests.support.report_course import make_course

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=timezone.utc)
COURSE = make_course(mastery=0.8)
PRE, LISTENING, POST = COURSE.modules
PRE_QUIZ, POST_QUIZ = PRE.blocks[0], POST.blocks[0]
LESSON, SCENARIO, REFLECTION, ARTIFACT = LISTENING.blocks


class Learner:
    def __init__(self, number: int, cohort: str, course=COURSE):
        self.rng_id = number * 1000
        actor = st.account_actor("https://lms.example.org", "ABCD"[number])
        self.attempt = st.Attempt(course, actor, str(uuid.UUID(int=number + 1, version=4)), cohort)
        self.clock = T0 + timedelta(days=number)
        self.out: list[dict] = []

    def stamp(self, minutes: float) -> st.Stamp:
        self.clock += timedelta(minutes=minutes)
        self.rng_id += 1
        return st.Stamp(str(uuid.UUID(int=self.rng_id, version=4)), self.clock)

    def quiz(self, module, quiz, answers: str) -> None:
        right = 0
        for question, answer in zip(quiz.questions, answers):
            right += answer in question.correct_ids
            self.out.append(st.question_answered(self.attempt, self.stamp(1), module, quiz, question, [answer]))
        self.out.append(st.quiz_finished(self.attempt, self.stamp(1), module, quiz, right, 3, 60, 0.8))
        self.out.append(st.module_completed(self.attempt, self.stamp(0.1), module, 240))

    def survey(self, module, survey, ratings: dict) -> None:
        items = {item.id: item for item in survey.items}
        for item_id, value in ratings.items():
            self.out.append(st.survey_answered(self.attempt, self.stamp(1), module, survey, items[item_id], value))

    def lesson(self, seconds: float) -> None:
        self.out.append(st.lesson_experienced(self.attempt, self.stamp(seconds / 60), LISTENING, LESSON))
        self.out.append(st.lesson_completed(self.attempt, self.stamp(0.1), LISTENING, LESSON, seconds))

    def scenario(self, choices: list[int]) -> None:
        steps = {s.id: s for s in SCENARIO.steps}
        step, path, score = steps["start"], ["start"], 0.0
        for index in choices:
            self.out.append(st.scenario_choice(self.attempt, self.stamp(1), LISTENING, SCENARIO, step, index))
            score += step.choices[index].score
            step = steps[step.choices[index].target]
            path.append(step.id)
        self.out.append(st.scenario_completed(self.attempt, self.stamp(0.1), LISTENING, SCENARIO, score, path, 120))

    def reflect(self, after_minutes: float, text: str) -> None:
        statement = st.reflection_responded(self.attempt, self.stamp(after_minutes), LISTENING, REFLECTION, text, 0)
        del statement["result"]["duration"]  # no duration: time on task comes from the gap
        self.out.append(statement)


def fixture_statements() -> list[dict]:
    a, b, c, d = Learner(0, "agents"), Learner(1, "agents"), Learner(2, "designers"), Learner(3, "designers")
    a.quiz(PRE, PRE_QUIZ, "bba"); b.quiz(PRE, PRE_QUIZ, "bab"); c.quiz(PRE, PRE_QUIZ, "aaa"); d.quiz(PRE, PRE_QUIZ, "ccc")
    a.lesson(300); b.lesson(420); c.lesson(600)
    a.scenario([0]); b.scenario([1, 0]); c.scenario([1, 1])
    a.reflect(4, "=HYPERLINK(\"x\") I said the feeling first"); b.reflect(120, "two words")
    a.out.append(st.artifact_created(a.attempt, a.stamp(5), LISTENING, ARTIFACT, "Sorry you had to repeat", 300))
    for learner in (a, b, c):
        learner.out.append(st.module_completed(learner.attempt, learner.stamp(0.1), LISTENING, 900))
    a.quiz(POST, POST_QUIZ, "bac"); b.quiz(POST, POST_QUIZ, "bab"); b.quiz(POST, POST_QUIZ, "bac"); c.quiz(POST, POST_QUIZ, "baa")
    return a.out + b.out + c.out + d.out


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    import json

    path = tmp_path_factory.mktemp("agg") / "f.ndjson"
    path.write_text("".join(json.dumps(s) + "\n" for s in fixture_statements()))
    store = DuckDBStore(":memory:", COURSE.id)
    store.load_ndjson(path)
    yield store.ibis_table()
    store.close()


def rows(expr) -> list[dict]:
    return expr.to_pyarrow().to_pylist()


def test_completion_funnel(table):
    funnel = {(r["module_id"], r["block_id"]): (r["learners"], r["share"]) for r in rows(agg.completion_funnel(table, COURSE))}
    assert funnel[("pre", "pre-check")] == (4, 1.0) and funnel[("pre", None)] == (4, 1.0)
    assert funnel[("listening", "why")] == (3, 3 / 4)
    assert funnel[("listening", "last-escalation")] == (2, 2 / 4)
    assert funnel[("listening", "handoff")] == (1, 1 / 4)
    assert funnel[("post", None)] == (3, 3 / 4)
    order = [key for key in funnel]
    assert order[:2] == [("pre", "pre-check"), ("pre", None)]


def test_scores_pass_rate_and_distribution(table):
    scores = agg.course_scores(table, COURSE)
    by_learner = {r["learner"]: (round(r["score"], 4), r["passed"]) for r in rows(scores)}
    assert by_learner == {"A": (1.0, True), "B": (1.0, True), "C": (round(2 / 3, 4), False)}  # B: latest attempt
    rates = {r["cohort"]: (r["learners"], r["passed"], r["pass_rate"]) for r in rows(agg.pass_rate(scores))}
    assert rates == {"(all)": (3, 2, 2 / 3), "agents": (2, 2, 1.0), "designers": (1, 0, 0.0)}
    bins = {round(r["bin_low"], 1): r["learners"] for r in rows(agg.score_distribution(scores))}
    assert bins == {0.6: 1, 0.9: 2}


def test_item_analysis_difficulty_and_corrected_point_biserial(table):
    items = {(r["block_id"], r["item_id"]): r for r in rows(agg.item_analysis(table))}
    # pre q1: item [1,1,0,0], rest-of-test [0,1,1,1]: sum dxdy = -0.5, sum dx2 = 1, sum dy2 = 0.75
    assert items[("pre-check", "q1")]["difficulty"] == 0.5
    assert items[("pre-check", "q1")]["discrimination"] == pytest.approx(-0.5 / math.sqrt(1 * 0.75))
    # pre q3: item [0,0,0,1], rest [1,2,1,0]: sum dxdy = -1, sum dx2 = 0.75, sum dy2 = 2
    assert items[("pre-check", "q3")]["difficulty"] == 0.25
    assert items[("pre-check", "q3")]["discrimination"] == pytest.approx(-1 / math.sqrt(0.75 * 2))
    # post q3, latest answers: A right, B right (second attempt), C wrong
    assert items[("post-check", "q3")]["difficulty"] == pytest.approx(2 / 3)
    assert items[("post-check", "q3")]["n"] == 3


def test_distractor_counts(table):
    pre_q1 = [(r["response"], r["learners"], r["correct"]) for r in rows(agg.distractors(table))
              if (r["block_id"], r["item_id"]) == ("pre-check", "q1")]
    assert pre_q1 == [("a", 1, False), ("b", 2, True), ("c", 1, False)]


def test_pre_post_per_cohort_with_ci_and_effect_size(table):
    report = build_report(agg.prepare(table), COURSE)
    by = {r["cohort"]: r for r in report.table("pre_post").records()}
    # changes: A 1 - 1/3 = 2/3, B 1 - 2/3 = 1/3, C 2/3 - 1/3 = 1/3; D has no post: unpaired
    agents = by["agents"]
    sd = math.sqrt(((2 / 3 - 0.5) ** 2 + (1 / 3 - 0.5) ** 2) / 1)
    assert (agents["n"], agents["mean_change"]) == (2, 0.5)
    assert agents["sd_change"] == pytest.approx(sd, abs=1e-4)
    half = 12.7062 * sd / math.sqrt(2)  # t(0.975, 1 df) from a printed table
    assert agents["ci_low"] == pytest.approx(0.5 - half, abs=1e-3)
    assert agents["ci_high"] == pytest.approx(0.5 + half, abs=1e-3)
    assert agents["d_z"] == pytest.approx(0.5 / sd, abs=1e-3)
    overall = by["(all)"]
    sd_all = math.sqrt(3) / 9  # deviations 2/9, -1/9, -1/9: sum of squares 6/81, over n-1 = 2
    assert overall["n"] == 3 and overall["mean_change"] == pytest.approx(4 / 9, abs=1e-4)
    assert overall["ci_high"] == pytest.approx(4 / 9 + 4.3027 * sd_all / math.sqrt(3), abs=1e-3)
    assert by["designers"]["n"] == 1 and by["designers"]["ci_low"] is None


def test_scenario_choices_paths_and_endings(table):
    choices = {(r["item_id"], r["response"]): (r["choices"], r["share"]) for r in rows(learn.scenario_choices(table))}
    assert choices == {("start", "own-it"): (1, 1 / 3), ("start", "script"): (2, 2 / 3),
                       ("script", "own-it"): (1, 1 / 2), ("script", "lost"): (1, 1 / 2)}
    endings = {r["ending"]: r["share"] for r in rows(learn.scenario_endings(table))}
    assert endings == {"own-it": 2 / 3, "lost": 1 / 3}
    paths = [(r["path"], r["learners"], r["rank"]) for r in rows(learn.scenario_paths(table))]
    assert paths == [("start/own-it", 1, 1), ("start/script/lost", 1, 2), ("start/script/own-it", 1, 3)]


def test_time_on_task_uses_durations_else_capped_gaps(table):
    times = {r["block_id"]: r for r in rows(learn.time_on_task(table, COURSE))}
    why = times["why"]  # durations 300, 420, 600 s
    assert why["planned_minutes"] == 7 and why["learners"] == 3
    assert why["median_minutes"] == pytest.approx(420 / 60)
    assert why["p90_minutes"] == pytest.approx((420 + 0.8 * (600 - 420)) / 60)  # linear interpolation
    # reflection without duration: gaps of 4 min (A) and 120 min capped to 30 (B)
    reflection = times["last-escalation"]
    assert reflection["median_minutes"] == pytest.approx((4 + 30) / 2)


def test_reflections_for_review_and_transcript(table):
    texts = rows(learn.reflections(table))
    assert [(r["learner"], r["block_id"], r["words"]) for r in texts] == [
        ("A", "handoff", 5), ("A", "last-escalation", 6), ("B", "last-escalation", 2)]
    transcript = [r for r in rows(learn.transcript(table)) if r["learner"] == "B" and r["block_id"] == "post-check"]
    assert transcript[0]["last_verb"] == "passed" and transcript[0]["score"] == 1.0


def test_filters_cohort_overrides_and_pseudonyms(table):
    agents = agg.prepare(table, agg.Filters(cohort="agents"))
    assert {r["learner"] for r in rows(agg.learners(agents))} == {"A", "B"}
    moved = agg.prepare(table, cohorts={"C": "agents"})
    assert {r["cohort"] for r in rows(agg.learners(moved)) if r["learner"] == "C"} == {"agents"}
    day_one = agg.prepare(table, agg.Filters(until=(T0 + timedelta(hours=23)).strftime("%Y-%m-%d %H:%M:%S")))
    assert {r["learner"] for r in rows(agg.learners(day_one))} == {"A"}
    registration = str(uuid.UUID(int=2, version=4))  # B's
    assert {r["learner"] for r in rows(agg.learners(agg.prepare(table, agg.Filters(registration=registration))))} == {"B"}
    hidden = agg.prepare(table, salt="pepper")
    names = {r["learner"] for r in rows(agg.learners(hidden))}
    assert len(names) == 4 and not names & {"A", "B", "C", "D"}


def test_completion_funnel_counts_a_cohort_module_only_for_its_cohorts(table):
    # Listening made optional for designers: its audience is A and B (agents). C (designer) did
    # the lesson, the scenario and the module anyway; that does not count. By hand:
    # why: A, B -> 2/2; last-escalation: A, B -> 2/2; handoff: A -> 1/2; module: A, B -> 2/2.
    import dataclasses

    listening = dataclasses.replace(LISTENING, cohorts=("agents",))
    course = dataclasses.replace(COURSE, modules=(PRE, listening, POST))
    funnel = {(r["module_id"], r["block_id"]): (r["learners"], r["audience"], r["share"])
              for r in rows(agg.completion_funnel(table, course))}
    assert funnel[("listening", "why")] == (2, 2, 1.0)
    assert funnel[("listening", "last-escalation")] == (2, 2, 1.0)
    assert funnel[("listening", "handoff")] == (1, 2, 0.5)
    assert funnel[("listening", None)] == (2, 2, 1.0)
    assert funnel[("pre", None)] == (4, 4, 1.0) and funnel[("post", None)] == (3, 4, 3 / 4)


# --- self-rating surveys: pre (restate, own-words, listen-first) and post (restate, own-words) --
SURVEY_COURSE = make_course(mastery=0.8, surveys=True)
PRE_SURVEY, POST_SURVEY = SURVEY_COURSE.modules[0].blocks[1], SURVEY_COURSE.modules[2].blocks[1]


def survey_statements() -> list[dict]:
    """Ratings by hand (scale positions 1..5); listen-first is pre-only, so never compared.
      A (agents)    pre restate 2, own-words 3 (listen-first 5 ignored) = 2.5   post 4, 4 = 4.0   change 1.5
      B (agents)    pre restate 1 then 3 (latest counts), own-words 2   = 2.5   post 5, 4 = 4.5   change 2.0
      C (designers) pre 3, 3                                            = 3.0   post 3, 5 = 4.0   change 1.0
      D (designers) pre 2, 2; post restate "agree" (not a scale position): no post rating, unpaired"""
    a, b, c, d = (Learner(n, cohort, SURVEY_COURSE) for n, cohort in
                  enumerate(("agents", "agents", "designers", "designers")))
    pre, post = SURVEY_COURSE.modules[0], SURVEY_COURSE.modules[2]
    a.survey(pre, PRE_SURVEY, {"restate": 2, "own-words": 3, "listen-first": 5})
    b.survey(pre, PRE_SURVEY, {"restate": 1, "own-words": 2})
    b.survey(pre, PRE_SURVEY, {"restate": 3})
    c.survey(pre, PRE_SURVEY, {"restate": 3, "own-words": 3})
    d.survey(pre, PRE_SURVEY, {"restate": 2, "own-words": 2})
    a.survey(post, POST_SURVEY, {"restate": 4, "own-words": 4})
    b.survey(post, POST_SURVEY, {"restate": 5, "own-words": 4})
    c.survey(post, POST_SURVEY, {"restate": 3, "own-words": 5})
    d.survey(post, POST_SURVEY, {"restate": "agree"})
    return a.out + b.out + c.out + d.out


@pytest.fixture(scope="module")
def survey_table(tmp_path_factory):
    import json

    path = tmp_path_factory.mktemp("survey") / "s.ndjson"
    path.write_text("".join(json.dumps(s) + "\n" for s in survey_statements()))
    store = DuckDBStore(":memory:", SURVEY_COURSE.id)
    store.load_ndjson(path)
    yield store.ibis_table()
    store.close()


def test_survey_pre_post_per_pair_and_cohort_with_ci_and_effect_size(survey_table):
    report = build_report(agg.prepare(survey_table), SURVEY_COURSE)
    by = {(r["pair"], r["cohort"]): r for r in report.table("survey_pre_post").records()}
    assert set(by) == {("default", "(all)"), ("default", "agents"), ("default", "designers")}
    agents = by[("default", "agents")]  # changes 1.5 and 2.0
    assert agents["n"] == 2
    assert agents["mean_pre"] == pytest.approx((2.5 + 2.5) / 2) and agents["mean_post"] == pytest.approx((4.0 + 4.5) / 2)
    assert agents["mean_change"] == pytest.approx(1.75)
    sd = math.sqrt(((1.5 - 1.75) ** 2 + (2.0 - 1.75) ** 2) / 1)  # = sqrt(0.125) = 0.35355
    assert agents["sd_change"] == pytest.approx(sd, abs=1e-4)
    half = 12.7062 * sd / math.sqrt(2)  # t(0.975, 1 df) from a printed table: 12.7062 * 0.25 = 3.17655
    assert half == pytest.approx(3.17655, abs=1e-4)
    assert agents["ci_low"] == pytest.approx(1.75 - 3.17655, abs=1e-3)
    assert agents["ci_high"] == pytest.approx(1.75 + 3.17655, abs=1e-3)
    assert agents["d_z"] == pytest.approx(1.75 / 0.353553, abs=1e-3)  # 4.9497
    overall = by[("default", "(all)")]  # changes 1.5, 2.0, 1.0: mean 1.5, deviations 0, 0.5, -0.5
    assert overall["n"] == 3
    assert overall["mean_pre"] == pytest.approx((2.5 + 2.5 + 3.0) / 3, abs=1e-4)
    assert overall["mean_post"] == pytest.approx((4.0 + 4.5 + 4.0) / 3, abs=1e-4)
    assert overall["mean_change"] == pytest.approx(1.5)
    sd_all = math.sqrt((0 + 0.25 + 0.25) / 2)  # = 0.5
    assert overall["sd_change"] == pytest.approx(0.5, abs=1e-4) and sd_all == 0.5
    half_all = 4.3027 * sd_all / math.sqrt(3)  # t(0.975, 2 df) from a printed table: 1.24208
    assert overall["ci_low"] == pytest.approx(1.5 - half_all, abs=1e-3)
    assert overall["ci_high"] == pytest.approx(1.5 + half_all, abs=1e-3)
    assert overall["d_z"] == pytest.approx(1.5 / 0.5, abs=1e-3)
    designers = by[("default", "designers")]  # only C: D's post answer is no scale position
    assert (designers["n"], designers["mean_change"]) == (1, 1.0)
    assert designers["ci_low"] is None and designers["d_z"] is None


def test_survey_changes_per_item_match_pre_and_post_by_item_id(survey_table):
    items = {(r["pair"], r["item_id"]): r for r in rows(learn.survey_item_changes(survey_table, SURVEY_COURSE))}
    assert set(items) == {("default", "restate"), ("default", "own-words")}  # listen-first: pre only
    restate = items[("default", "restate")]  # A 2 -> 4, B 3 (latest) -> 5, C 3 -> 3; D unpaired
    assert restate["n"] == 3
    assert restate["mean_pre"] == pytest.approx((2 + 3 + 3) / 3)
    assert restate["mean_post"] == pytest.approx((4 + 5 + 3) / 3)
    assert restate["mean_change"] == pytest.approx((2 + 2 + 0) / 3)
    own_words = items[("default", "own-words")]  # A 3 -> 4, B 2 -> 4, C 3 -> 5
    assert own_words["n"] == 3
    assert own_words["mean_pre"] == pytest.approx((3 + 2 + 3) / 3)
    assert own_words["mean_post"] == pytest.approx((4 + 4 + 5) / 3)
    assert own_words["mean_change"] == pytest.approx((1 + 2 + 2) / 3)


def test_surveys_leave_the_quiz_pre_post_alone(survey_table):
    report = build_report(agg.prepare(survey_table), SURVEY_COURSE)
    assert all(r["n"] == 0 for r in report.table("pre_post").records())  # no quiz was taken
    assert len(report.table("survey_items")) == 2
