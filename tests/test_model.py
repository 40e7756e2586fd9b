"""Activity IRIs derive from the course IRI as design.md says; the model is immutable."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from compiler.model import Choice, Course, Lesson, Markdown, Module, Position, Scenario, Step

P = Position("m.md", 1, 1)


def _course(modules=()) -> Course:
    return Course(
        id="https://courses.example.org/empathy", title="T", version="1.0.0", language="en",
        mastery_score=0.8, attempts=None, cohorts=(), modules=tuple(modules), root=Path("."), pos=P,
    )


def _step(sid, choices=(), ending=False):
    return Step(sid, Markdown("", P), tuple(Choice("c", t, s, "", P) for t, s in choices), ending, P)


def test_iris_follow_the_design():
    lesson = Lesson("why", "Why", P, False, 7, Markdown("text", P))
    module = Module("listening", "Listening", (), (lesson,), "listening.md", P)
    course = _course([module])
    assert course.slug == "empathy"
    assert course.module_iri(module) == "https://courses.example.org/empathy/listening"
    assert course.block_iri(module, lesson) == "https://courses.example.org/empathy/listening/why"
    assert course.item_iri(module, lesson, "q1") == "https://courses.example.org/empathy/listening/why/q1"
    assert list(course.blocks()) == [(module, lesson)]


def test_values_are_frozen():
    lesson = Lesson("why", "Why", P, False, 7, Markdown("text", P))
    with pytest.raises(dataclasses.FrozenInstanceError):
        lesson.id = "other"  # type: ignore[misc]
    assert lesson.kind == "lesson"


def test_scenario_max_score_takes_the_best_path_and_survives_cycles():
    steps = (
        _step("start", [("a", 2), ("b", 0)]),
        _step("a", [("end", 1), ("start", 5)]),  # a loop back must not count forever
        _step("b", [("end", 0)]),
        _step("end", ending=True),
    )
    scenario = Scenario("s", "S", P, False, 10, Markdown("", P), steps=steps)
    # start->a (2) then a->start (5) is a loop; its best finite value counts start once: 2 + 5 = 7
    assert scenario.max_score == 7
