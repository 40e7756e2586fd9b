"""``coursec simulate``: realistic learners' statements in our vocabulary, as NDJSON.

Every statement is made by the builders of :mod:`compiler.lrs.statements`.  The behaviour is
driven by :class:`SimulationParams`, whose values are the known answers tests check reports
against: the chance to drop out before each module, the chance to answer a question correctly
before (``pre_accuracy``) and the gain after (``gain``) per cohort, the chance to take the best
choice in a scenario, and the share of statements that reach the LRS late (old ``timestamp``,
recent ``stored``).  Same course, learners and seed: same bytes.
"""
from __future__ import annotations

import json
import random
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..lrs import statements as st
from ..model import Course, Module, Quiz, Scenario, Survey

REFLECTION_WORDS = ("customer felt ignored after repeating the order number three times and I said so first "
                    "then I owned the next step instead of reading the script the bot had already used "
                    "next time I will name the frustration before asking for details").split()


@dataclass(frozen=True)
class SimulationParams:
    learners: int = 100
    seed: int = 1
    start: datetime = datetime(2025, 3, 3, 8, 0, tzinfo=timezone.utc)
    dropoff: float = 0.1  # chance to stop before each module after the first
    pre_accuracy: float = 0.5  # chance of a correct answer in a pre assessment (and plain quizzes)
    gain: dict[str, float] = field(default_factory=dict)  # cohort -> added chance in the post
    default_gain: float = 0.25
    best_choice: float = 0.7  # chance to take a step's best-scored choice
    late_share: float = 0.05  # statements whose `stored` is days after their `timestamp`
    late_delay: timedelta = timedelta(days=3)
    home_page: str = "https://lms.example.org"

    def gain_for(self, cohort: str | None) -> float:
        return self.gain.get(cohort or "", self.default_gain)


def default_params(course: Course, learners: int, seed: int) -> SimulationParams:
    """Gains that differ by cohort, so reports have something to compare."""
    gains = {c.id: round(0.3 - 0.1 * i, 2) for i, c in enumerate(course.cohorts[:3])}
    return SimulationParams(learners=learners, seed=seed, gain=gains)


class _Learner:
    """One simulated learner walking through the course, clock and statement list in hand."""

    def __init__(self, course: Course, params: SimulationParams, rng: random.Random, index: int):
        self.course, self.params, self.rng = course, params, rng
        cohorts = [c.id for c in course.cohorts]
        cohort = cohorts[index % len(cohorts)] if cohorts else None
        actor = st.account_actor(params.home_page, f"learner-{index + 1:05d}")
        self.attempt = st.Attempt(course, actor, self._uuid(), cohort)
        self.clock = params.start + timedelta(hours=index * 0.5 + rng.random())
        self.out: list[dict] = []

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, seconds: float) -> st.Stamp:
        self.clock += timedelta(seconds=seconds)
        return st.Stamp(self._uuid(), self.clock)

    def emit(self, statement: dict) -> None:
        delay = self.params.late_delay if self.rng.random() < self.params.late_share else timedelta(seconds=1)
        when = datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00")) + delay
        statement["stored"] = st.iso_timestamp(when)
        self.out.append(statement)

    def minutes(self, block) -> float:
        planned = block.minutes or 5
        return planned * 60 * self.rng.uniform(0.6, 1.4)

    def run(self) -> list[dict]:
        total = 0.0
        post_scores: list[float] = []
        for index, module in enumerate(self.course.modules):
            if index and self.rng.random() < self.params.dropoff:
                return self.out
            start = self.clock
            for block in module.blocks:
                score = self.block(module, block)
                if isinstance(block, Quiz) and block.assessment == "post" and score is not None:
                    post_scores.append(score)
            seconds = (self.clock - start).total_seconds() + 1
            total += seconds
            self.emit(st.module_completed(self.attempt, self.stamp(1), module, seconds))
        self.finish(total, post_scores)
        return self.out

    def finish(self, total: float, post_scores: list[float]) -> None:
        mastery = self.course.mastery_score
        scaled = sum(post_scores) / len(post_scores) if post_scores else None
        success = scaled >= mastery if scaled is not None and mastery is not None else None
        self.emit(st.course_completed(self.attempt, self.stamp(1), total, scaled, success))

    def block(self, module: Module, block) -> float | None:
        if isinstance(block, Quiz):
            return self.quiz(module, block)
        if isinstance(block, Scenario):
            self.scenario(module, block)
        elif isinstance(block, Survey):
            self.survey(module, block)
        elif block.kind == "lesson":
            seconds = self.minutes(block)
            self.emit(st.lesson_experienced(self.attempt, self.stamp(seconds), module, block))
            self.emit(st.lesson_completed(self.attempt, self.stamp(1), module, block, seconds))
        elif block.kind in ("reflection", "artifact"):
            self.text(module, block)
        return None

    def quiz(self, module: Module, quiz: Quiz) -> float:
        chance = self.params.pre_accuracy
        if quiz.assessment == "post":
            chance += self.params.gain_for(self.attempt.cohort)
        start, right = self.clock, 0
        for question in quiz.questions:
            correct = self.rng.random() < chance
            right += correct
            response = list(question.correct_ids) if correct else self.wrong(question)
            self.emit(st.question_answered(self.attempt, self.stamp(self.rng.uniform(10, 60)),
                                           module, quiz, question, response))
        seconds = (self.clock - start).total_seconds()
        maximum = len(quiz.questions)
        self.emit(st.quiz_finished(self.attempt, self.stamp(1), module, quiz, right, maximum,
                                   seconds, self.course.mastery_score))
        return right / maximum if maximum else 0.0

    def wrong(self, question) -> list[str]:
        distractors = [o.id for o in question.options if not o.correct]
        if distractors:
            return [self.rng.choice(distractors)]
        return list(question.correct_ids[:-1])

    def scenario(self, module: Module, scenario: Scenario) -> None:
        by_id = {s.id: s for s in scenario.steps}
        step, path, score, start = scenario.start, [], 0.0, self.clock
        while step is not None and step.id not in path:
            path.append(step.id)
            if step.ending or not step.choices:
                break
            index = self.choose(step)
            self.emit(st.scenario_choice(self.attempt, self.stamp(self.rng.uniform(20, 90)),
                                         module, scenario, step, index))
            score += step.choices[index].score
            step = by_id.get(step.choices[index].target)
        seconds = (self.clock - start).total_seconds() + 1
        self.emit(st.scenario_completed(self.attempt, self.stamp(1), module, scenario, score, path, seconds))

    def choose(self, step) -> int:
        best = max(range(len(step.choices)), key=lambda i: step.choices[i].score)
        others = [i for i in range(len(step.choices)) if i != best]
        if not others or self.rng.random() < self.params.best_choice:
            return best
        return self.rng.choice(others)

    def survey(self, module: Module, survey: Survey) -> None:
        points = max(len(survey.scale), 2)
        lift = 1 if survey.assessment == "post" else 0
        for item in survey.items:
            value = min(points, self.rng.randint(1, points - 1) + lift)
            self.emit(st.survey_answered(self.attempt, self.stamp(self.rng.uniform(5, 20)),
                                         module, survey, item, value))

    def text(self, module: Module, block) -> None:
        words = self.rng.randint(max(getattr(block, "min_words", 0), 12), 40)
        text = " ".join(self.rng.choice(REFLECTION_WORDS) for _ in range(words)).capitalize() + "."
        seconds = self.minutes(block)
        build = st.reflection_responded if block.kind == "reflection" else st.artifact_created
        self.emit(build(self.attempt, self.stamp(seconds), module, block, text, seconds))


def simulate(course: Course, params: SimulationParams) -> list[dict]:
    """Every learner's statements, learner after learner."""
    rng = random.Random(params.seed)
    out: list[dict] = []
    for index in range(params.learners):
        out.extend(_Learner(course, params, rng, index).run())
    return out


def write_ndjson(statements: list[dict], stream) -> None:
    for statement in statements:
        stream.write(json.dumps(statement, ensure_ascii=False, separators=(",", ":")) + "\n")


def run_simulate(course_dir: Path, learners: int = 100, seed: int = 1, out_file: Path | None = None) -> int:
    """The CLI command: load the course, simulate, write NDJSON to stdout or a file."""
    from .command import load_course_or_fail

    course = load_course_or_fail(course_dir)
    statements = simulate(course, default_params(course, learners, seed))
    if out_file is None:
        write_ndjson(statements, sys.stdout)
        return 0
    out_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_file.with_name(out_file.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as stream:
        write_ndjson(statements, stream)
    tmp.replace(out_file)
    return 0
