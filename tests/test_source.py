"""load_course: each tests/fixtures/valid/<case>/ loads into the model its expected.json
describes (ids, kinds, positions, steps, choices, questions, option ids, IRIs, warnings)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compiler.lint import load_and_check
from compiler.model import Course, Quiz, Scenario
from compiler.source import load_course
from compiler.source.dump import model_to_dict

VALID = Path(__file__).parent / "fixtures" / "valid"
CASES = sorted(p.name for p in VALID.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_valid_course_loads_into_the_expected_model(case):
    expected = json.loads((VALID / case / "expected.json").read_text(encoding="utf-8"))
    course, diags = load_and_check(VALID / case)
    prefix = (VALID / case).as_posix() + "/"
    assert [str(d).replace(prefix, "") for d in diags] == expected["diagnostics"]
    assert model_to_dict(course) == expected["model"]


def test_positions_name_the_path_as_given_joined_with_the_file(tmp_path, monkeypatch):
    shutil.copytree(VALID / "every-block-kind", tmp_path / "courses" / "x")
    monkeypatch.chdir(tmp_path)
    course, _ = load_course(Path("courses/x"))
    lesson = course.modules[1].blocks[0]
    assert str(lesson.pos) == "courses/x/listening.md:9:1"
    assert course.pos.path == "courses/x/course.yml"


def test_bodies_keep_the_markdown_source_without_option_lines():
    course, _ = load_course(VALID / "every-block-kind")
    lesson = course.modules[1].blocks[0]
    source = (VALID / "every-block-kind" / "listening.md").read_text(encoding="utf-8").splitlines()
    body_lines = lesson.body.text.splitlines()
    assert body_lines[0].startswith("When a chatbot escalates")
    assert source[lesson.body.pos.line - 1 : lesson.body.pos.line - 1 + len(body_lines)] == body_lines
    assert not any(line.startswith(":minutes:") for line in body_lines)


def test_iris_follow_the_design_scheme():
    course, _ = load_course(VALID / "every-block-kind")
    module = course.modules[1]
    scenario = module.blocks[1]
    assert isinstance(scenario, Scenario)
    assert course.block_iri(module, scenario) == "https://courses.example.org/every-kind/listening/third-time"
    assert course.item_iri(module, scenario, scenario.start.id).endswith("/listening/third-time/start")
    assert scenario.max_score == 2.0


def test_true_false_options_get_true_and_false_ids():
    course, _ = load_course(VALID / "every-block-kind")
    quiz = course.modules[0].blocks[0]
    assert isinstance(quiz, Quiz)
    bots_feel = quiz.questions[2]
    assert [o.id for o in bots_feel.options] == ["true", "false"] and bots_feel.correct_ids == ("false",)


def test_content_hash_is_deterministic_and_follows_every_source_byte(tmp_path):
    shutil.copytree(VALID / "every-block-kind", tmp_path / "c")
    first, _ = load_course(tmp_path / "c")
    again, _ = load_course(tmp_path / "c")
    assert len(first.content_hash) == 64 and first.content_hash == again.content_hash
    module = tmp_path / "c" / "check-out.md"
    module.write_text(module.read_text(encoding="utf-8") + " ", encoding="utf-8")
    changed, _ = load_course(tmp_path / "c")
    assert changed.content_hash != first.content_hash


def test_loading_twice_gives_equal_models():
    first, d1 = load_course(VALID / "every-block-kind")
    second, d2 = load_course(VALID / "every-block-kind")
    assert first == second and d1 == d2


def test_course_is_none_only_when_course_yml_is_unusable(tmp_path):
    assert load_course(tmp_path) == (None, load_course(tmp_path)[1])
    assert [d.code for d in load_course(tmp_path)[1]] == ["yaml-error"]
    (tmp_path / "course.yml").write_text("id: https://x.example.org/c\nmodules: [gone.md]\n", encoding="utf-8")
    course, diags = load_course(tmp_path)
    assert isinstance(course, Course) and course.modules == ()
    assert sorted(d.code for d in diags) == ["missing-field", "missing-field", "missing-module"]


def test_sample_course_loads_without_errors(sample_course):
    course, diags = load_and_check(sample_course)
    assert course is not None and course.modules
    assert [str(d) for d in diags if d.is_error] == []
