"""Small course models built directly (no loader), for renderer and runtime tests."""
from __future__ import annotations

from pathlib import Path

from compiler.model import (
    Artifact, Choice, Cohort, Course, Lesson, Markdown, Module, Option, Position, Question,
    Quiz, Reflection, Scenario, Step, Survey, SurveyItem,
)

P = Position("fixture.md", 1, 1)


def md(text: str) -> Markdown:
    return Markdown(text, P)


def lesson(id: str, title: str, body: str, minutes: float | None = 5) -> Lesson:
    return Lesson(id=id, title=title, pos=P, id_derived=False, minutes=minutes, body=md(body))


def scenario(id: str, title: str) -> Scenario:
    start = Step("start", md("The customer writes: *third time asking*."), (
        Choice("Own the next step", "own-it", 2, "You read the transcript.", P),
        Choice("Ask for the order number", "script", 0, "", P),
    ), False, P)
    return Scenario(id=id, title=title, pos=P, id_derived=False, minutes=8, body=md("A hand-off."), steps=(
        start,
        Step("own-it", md("\"Finally, someone who listens.\""), (), True, P),
        Step("script", md("The customer escalates again."), (), True, P),
    ))


def quiz(id: str, kind: str | None, questions: tuple[Question, ...]) -> Quiz:
    return Quiz(id=id, title=f"Quiz {id}", pos=P, id_derived=False, minutes=3, body=md("Answer."),
                assessment=kind, questions=questions)


def single(id: str, correct: int, n: int = 3) -> Question:
    opts = tuple(Option("abcdef"[i], f"Option {i}", i == correct, P) for i in range(n))
    return Question(id, "single", md(f"Question {id}?"), opts, P, feedback="Because.")


def multiple(id: str, correct: tuple[int, ...], n: int = 4) -> Question:
    opts = tuple(Option("abcdef"[i], f"Choice {i}", i in correct, P) for i in range(n))
    return Question(id, "multiple", md(f"Which apply ({id})?"), opts, P)


def true_false(id: str, answer: bool) -> Question:
    opts = (Option("true", "True", answer, P), Option("false", "False", not answer, P))
    return Question(id, "true-false", md(f"True or false ({id})?"), opts, P)


def survey(id: str, kind: str | None, item_ids=("restate", "own-words")) -> Survey:
    return Survey(id=id, title=f"Survey {id}", pos=P, id_derived=False, minutes=2, body=md("Rate."),
                  assessment=kind, scale=("Never", "Rarely", "Sometimes", "Often", "Always"),
                  items=tuple(SurveyItem(i, f"I do {i}.", P) for i in item_ids))


def reflection(id: str, min_words: int = 5, max_words: int = 60) -> Reflection:
    return Reflection(id=id, title="Your last escalation", pos=P, id_derived=False, minutes=3,
                      body=md("Think of a recent escalation."), min_words=min_words, max_words=max_words)


def artifact(id: str, max_words: int = 80) -> Artifact:
    return Artifact(id=id, title="Rewrite the hand-off", pos=P, id_derived=False, minutes=10,
                    body=md("Rewrite the message."), artifact_kind="escalation-script",
                    template="Hello, I can see you asked three times.", max_words=max_words)


def module(id: str, title: str, blocks, cohorts=()) -> Module:
    return Module(id=id, title=title, cohorts=tuple(cohorts), blocks=tuple(blocks), path=f"{id}.md", pos=P)


def tiny_course(root: Path, version: str = "1.0.0", language: str = "en", modules=None,
                cohorts: bool = True, content_hash: str = "0123456789abcdef") -> Course:
    """Pre quiz, a teaching module with every block kind, a cohort-only module, a post quiz."""
    if modules is None:
        modules = (
            module("pre", "Before you start", [quiz("pre-check", "pre", (single("q1", 1), true_false("q2", True))),
                                               survey("pre-self", "pre")]),
            module("listening", "Listening at the hand-off", [
                lesson("why", "Why the hand-off matters", "## The problem\nCustomers repeat themselves.\n\n| a | b |\n|---|---|\n| 1 | 2 |"),
                scenario("third-time", "Third time asking"),
                reflection("last-escalation"),
                artifact("handoff-message"),
            ]),
            module("designers", "For rule designers", [lesson("rules", "Routing rules", "Rules route chats.")],
                   cohorts=("rule-designers",)),
            module("post", "Check what you learned", [
                quiz("post-check", "post", (single("q1", 1), true_false("q2", True), multiple("q3", (0, 2)))),
                survey("post-self", "post"),
            ]),
        )
    cohort_list = (
        Cohort("chat-agents", "Agents working beside a chatbot", ("Restates", "Replaces"), P),
        Cohort("rule-designers", "Designers of routing rules", ("Writes", "Tests"), P),
    ) if cohorts else ()
    return Course(id="https://courses.example.org/tiny", title="Tiny empathy course", version=version,
                  language=language, mastery_score=0.8, attempts=None, cohorts=cohort_list,
                  modules=tuple(modules), root=root, pos=Position("course.yml", 1, 1),
                  description="A *tiny* course for tests.", content_hash=content_hash)
