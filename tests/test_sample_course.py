"""The sample course (courses/empathy-at-touchpoints) is what the product promises an L&D team:
clean under --strict, three cohorts, four teaching modules of the prescribed shape, a paired
pre/post assessment, and a saved state that fits SCORM 1.2."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.lint import lint
from compiler.model import Artifact, Lesson, Quiz, Reflection, Scenario, Survey
from compiler.source import load_course
from compiler.state_budget import STATE_LIMITS, worst_case

TEACHING_SHAPE = [Lesson, Scenario, Reflection, Artifact]


@pytest.fixture(scope="module")
def course(sample_course):
    loaded, diags = load_course(sample_course)
    assert loaded is not None, diags
    return loaded


@pytest.fixture(scope="module")
def teaching(course):
    return [m for m in course.modules if not m.assessment_only]


def assessment(course, kind: str, block_type):
    found = [b for _, b in course.blocks() if isinstance(b, block_type) and b.assessment == kind]
    assert len(found) == 1, f"expected one {kind} {block_type.__name__}"
    return found[0]


def path_outcomes(scenario: Scenario) -> set[tuple[str, float]]:
    """Every (ending, total score) a learner can reach from the start without revisiting a step."""
    steps = {s.id: s for s in scenario.steps}
    outcomes: set[tuple[str, float]] = set()

    def walk(step_id: str, total: float, seen: frozenset[str]) -> None:
        step = steps[step_id]
        if step.ending:
            outcomes.add((step_id, total))
        for choice in step.choices:
            if choice.target not in seen:
                walk(choice.target, total + choice.score, seen | {choice.target})

    walk(scenario.start.id, 0.0, frozenset({scenario.start.id}))
    return outcomes


def test_lints_clean_under_strict(sample_course):
    assert [str(d) for d in lint(sample_course)] == []
    result = CliRunner().invoke(main, ["lint", str(sample_course), "--strict"])
    assert result.exit_code == 0, result.output


def test_course_identity(course):
    assert course.id == "https://courses.example.org/empathy-at-touchpoints"
    assert (course.version, course.language, course.mastery_score) == ("1.0.0", "en", 0.8)


def test_three_cohorts_with_two_or_three_behaviours(course):
    assert len(course.cohorts) == 3
    for cohort in course.cohorts:
        assert 2 <= len(cohort.behaviors) <= 3, cohort.id
        assert all(len(b.split()) >= 4 for b in cohort.behaviors), "behaviours are written out, not labels"


def test_module_order_brackets_teaching_with_pre_and_post(course):
    ids = [m.id for m in course.modules]
    assert ids == ["pre-assessment", "listening", "perspective", "ethics", "escalation-rules", "post-assessment"]
    assert course.modules[0].assessment_only and course.modules[-1].assessment_only


def test_four_teaching_modules_with_lesson_scenario_reflection_artifact(teaching):
    assert len(teaching) >= 4
    for module in teaching:
        assert [type(b) for b in module.blocks] == TEACHING_SHAPE, module.id


def test_listening_and_perspective_are_for_every_cohort(course):
    by_id = {m.id: m for m in course.modules}
    assert by_id["listening"].cohorts == () and by_id["perspective"].cohorts == ()
    known = {c.id for c in course.cohorts}
    assert all(set(m.cohorts) <= known for m in course.modules)


def test_lessons_are_400_to_1200_words_in_5_to_10_minutes(teaching):
    for module in teaching:
        lesson = module.blocks[0]
        assert 400 <= lesson.body.words() <= 1200, (module.id, lesson.body.words())
        assert 5 <= lesson.minutes <= 10


def test_scenarios_branch_to_endings_with_different_consequences(teaching):
    for module in teaching:
        scenario = module.blocks[1]
        endings = [s for s in scenario.steps if s.ending]
        assert len(scenario.steps) >= 4 and len(endings) >= 2, module.id
        assert len({e.body.text for e in endings}) == len(endings)
        outcomes = path_outcomes(scenario)
        assert {ending for ending, _ in outcomes} == {e.id for e in endings}, "every ending is reachable"
        best = max(outcomes, key=lambda o: o[1])
        worst = min(outcomes, key=lambda o: o[1])
        assert best[1] == scenario.max_score > worst[1] and best[0] != worst[0], module.id
        choices = [c for s in scenario.steps for c in s.choices]
        assert all(c.feedback for c in choices), f"every choice in {module.id} gives feedback"
        assert 5 <= scenario.minutes <= 15


def test_reflections_and_artifacts_are_bounded_and_artifacts_have_a_template(teaching):
    for module in teaching:
        reflection, artifact = module.blocks[2], module.blocks[3]
        assert 0 < reflection.min_words < reflection.max_words <= 50
        assert 2 <= reflection.minutes <= 5
        assert artifact.artifact_kind and artifact.max_words <= 90
        assert 0 < len(artifact.template.split()) < artifact.max_words, "the filled-in template must fit"


def test_pre_and_post_quiz_are_parallel(course):
    pre, post = assessment(course, "pre", Quiz), assessment(course, "post", Quiz)
    assert (pre.id, pre.pair) == (post.id, post.pair)
    assert 6 <= len(pre.questions) <= 8
    assert {q.type for q in pre.questions} == {"single", "multiple", "true-false"}
    shape = lambda quiz: [(q.id, q.type, len(q.options), len(q.correct_ids)) for q in quiz.questions]
    assert shape(pre) == shape(post)
    assert all(a.prompt.text != b.prompt.text for a, b in zip(pre.questions, post.questions)), "parallel, not repeated"


def test_pre_and_post_survey_share_items_and_scale(course):
    pre, post = assessment(course, "pre", Survey), assessment(course, "post", Survey)
    assert [i.id for i in pre.items] == [i.id for i in post.items]
    assert pre.scale == post.scale and len(pre.scale) == 5


def test_worst_case_saved_state_fits_scorm12(course):
    assert worst_case(course) <= STATE_LIMITS["scorm12"]


def test_the_diagram_is_used_with_alt_text(course, sample_course):
    lesson = next(b for _, b in course.blocks() if b.id == "first-minute")
    assert "](media/handoff.svg)" in lesson.body.text
    alt = lesson.body.text.split("![", 1)[1].split("](", 1)[0]
    assert len(alt.split()) >= 10
    svg = (sample_course / "media" / "handoff.svg").read_text(encoding="utf-8")
    assert "<title" in svg and "<desc" in svg
