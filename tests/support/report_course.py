"""A small hand-made course for the reader and report tests (built from compiler/model.py
directly, so expected figures can be worked out by hand)."""
from __future__ import annotations

from pathlib import Path

from compiler.model import (
    Artifact, Choice, Cohort, Course, Lesson, Markdown, Module, Option, Position, Question, Quiz,
    Reflection, Scenario, Step, Survey, SurveyItem,
)

COURSE_IRI = "https://courses.example.org/handmade"
P = Position("fixture.md")


def _md(text: str = "") -> Markdown:
    return Markdown(text, P)


def _question(qid: str, correct: str, options: str = "abc") -> Question:
    opts = tuple(Option(o, f"Option {o}", o == correct, P) for o in options)
    return Question(qid, "single", _md(f"Question {qid}?"), opts, P)


def _quiz(bid: str, kind: str) -> Quiz:
    questions = (_question("q1", "b"), _question("q2", "a"), _question("q3", "c"))
    return Quiz(bid, f"{kind} check", P, False, 5, _md(), assessment=kind, questions=questions)


def _survey(bid: str, kind: str, items: tuple[str, ...]) -> Survey:
    scale = ("Never", "Rarely", "Sometimes", "Often", "Always")
    return Survey(bid, f"{kind} self-rating", P, False, 2, _md(), assessment=kind, scale=scale,
                  items=tuple(SurveyItem(i, f"I do {i}.", P) for i in items))


def _scenario() -> Scenario:
    steps = (
        Step("start", _md(), (Choice("Own it", "own-it", 2, "", P), Choice("Script", "script", 0, "", P)), False, P),
        Step("script", _md(), (Choice("Recover", "own-it", 1, "", P), Choice("Give up", "lost", 0, "", P)), False, P),
        Step("own-it", _md(), (), True, P),
        Step("lost", _md(), (), True, P),
    )
    return Scenario("third-time", "Third time asking", P, False, 10, _md(), steps=steps)


def make_course(root: Path = Path("."), mastery: float | None = 0.8, iri: str = COURSE_IRI,
                surveys: bool = False) -> Course:
    """With ``surveys``, a pre self-rating survey after the pre quiz (items restate, own-words and
    listen-first) and its post twin after the post quiz (restate, own-words: listen-first has no
    post, so it is never compared)."""
    pre_blocks, post_blocks = (_quiz("pre-check", "pre"),), (_quiz("post-check", "post"),)
    if surveys:
        pre_blocks += (_survey("pre-self", "pre", ("restate", "own-words", "listen-first")),)
        post_blocks += (_survey("post-self", "post", ("restate", "own-words")),)
    pre = Module("pre", "Before", (), pre_blocks, "pre.md", P)
    listening = Module("listening", "Listening", (), (
        Lesson("why", "Why", P, False, 7, _md("text")),
        _scenario(),
        Reflection("last-escalation", "Your last escalation", P, False, 3, _md()),
        Artifact("handoff", "Hand-off message", P, False, 5, _md(), artifact_kind="escalation-script"),
    ), "listening.md", P)
    post = Module("post", "After", (), post_blocks, "post.md", P)
    cohorts = (Cohort("agents", "Agents", ("a", "b"), P), Cohort("designers", "Designers", ("a", "b"), P))
    return Course(iri, "Hand-made", "1.0.0", "en", mastery, None, cohorts,
                  (pre, listening, post), root, P)
