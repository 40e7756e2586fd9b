"""The course model: typed, immutable values that every stage after loading works on.

Every value carries the source position it came from (``pos``) so that lint, build and
validate can point an author at the exact line.  Activity IRIs follow design.md:
course ``{id}``, module ``{id}/{module}``, block ``{id}/{module}/{block}``, item
``{id}/{module}/{block}/{item}``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

BlockKind = Literal["lesson", "scenario", "reflection", "artifact", "quiz", "survey"]
QuestionType = Literal["single", "multiple", "true-false"]
AssessmentKind = Literal["pre", "post"]

BLOCK_KINDS: tuple[str, ...] = ("lesson", "scenario", "reflection", "artifact", "quiz", "survey")
# Planned minutes per block kind that design.md recommends (lint warns outside them).
MINUTES_RANGE: dict[str, tuple[int, int]] = {
    "lesson": (5, 10),
    "scenario": (5, 15),
    "reflection": (2, 5),
}
DEFAULT_MAX_WORDS = 300


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a source file; line and col are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Markdown:
    """A piece of Markdown source, kept as text with the line it starts on."""

    text: str
    pos: Position

    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Cohort:
    id: str
    title: str
    behaviors: tuple[str, ...]
    pos: Position


@dataclass(frozen=True, slots=True)
class LrsConfig:
    """``lrs:`` in course.yml. Never holds secrets: those come from the environment."""

    endpoint: str | None = None
    token_url: str | None = None
    actor_homepage: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A scenario choice: a link from one step to another."""

    text: str
    target: str
    score: float
    feedback: str
    pos: Position


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    body: Markdown
    choices: tuple[Choice, ...]
    ending: bool
    pos: Position


@dataclass(frozen=True, slots=True)
class Option:
    """An answer option of a quiz question; ``id`` is a single letter a, b, c ... by position
    unless the author gave one."""

    id: str
    text: str
    correct: bool
    pos: Position


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: QuestionType
    prompt: Markdown
    options: tuple[Option, ...]
    pos: Position
    feedback: str = ""

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)


@dataclass(frozen=True, slots=True)
class SurveyItem:
    id: str
    text: str
    pos: Position


@dataclass(frozen=True, slots=True)
class Block:
    """Fields common to every block kind."""

    id: str
    title: str
    pos: Position
    id_derived: bool  # True when the id was made from the title (unstable: lint warns)
    minutes: float | None
    body: Markdown  # intro text (lesson: the whole lesson; scenario/quiz/survey: text before items)

    kind: str = field(default="", init=False)


@dataclass(frozen=True, slots=True)
class Lesson(Block):
    kind: str = field(default="lesson", init=False)


@dataclass(frozen=True, slots=True)
class Scenario(Block):
    steps: tuple[Step, ...] = ()
    kind: str = field(default="scenario", init=False)

    @property
    def start(self) -> Step | None:
        return self.steps[0] if self.steps else None

    @property
    def max_score(self) -> float:
        """Best total score over any path (assuming the graph is acyclic via best choices)."""
        by_id = {s.id: s for s in self.steps}
        memo: dict[str, float] = {}

        def best(step_id: str, seen: frozenset[str]) -> float:
            if step_id in memo:
                return memo[step_id]
            step = by_id.get(step_id)
            if step is None or step_id in seen or not step.choices:
                return 0.0
            value = max(c.score + best(c.target, seen | {step_id}) for c in step.choices)
            memo[step_id] = value
            return value

        return best(self.steps[0].id, frozenset()) if self.steps else 0.0


@dataclass(frozen=True, slots=True)
class Reflection(Block):
    min_words: int = 0
    max_words: int = DEFAULT_MAX_WORDS
    kind: str = field(default="reflection", init=False)


@dataclass(frozen=True, slots=True)
class Artifact(Block):
    artifact_kind: str = ""
    template: str = ""
    max_words: int = DEFAULT_MAX_WORDS
    kind: str = field(default="artifact", init=False)


@dataclass(frozen=True, slots=True)
class Quiz(Block):
    assessment: AssessmentKind | None = None
    pair: str = "default"
    questions: tuple[Question, ...] = ()
    kind: str = field(default="quiz", init=False)


@dataclass(frozen=True, slots=True)
class Survey(Block):
    assessment: AssessmentKind | None = None
    pair: str = "default"
    scale: tuple[str, ...] = ()
    items: tuple[SurveyItem, ...] = ()
    kind: str = field(default="survey", init=False)


AnyBlock = Union[Lesson, Scenario, Reflection, Artifact, Quiz, Survey]


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    title: str
    cohorts: tuple[str, ...]  # empty: every cohort
    blocks: tuple[AnyBlock, ...]
    path: str  # file name relative to the course folder, e.g. "listening.md"
    pos: Position
    intro: Markdown | None = None  # the module's introduction: Markdown before its first block

    @property
    def assessment_only(self) -> bool:
        return bool(self.blocks) and all(b.kind in ("quiz", "survey") for b in self.blocks)


@dataclass(frozen=True, slots=True)
class Course:
    id: str  # absolute IRI
    title: str
    version: str
    language: str
    mastery_score: float | None
    attempts: int | None  # None: unlimited
    cohorts: tuple[Cohort, ...]
    modules: tuple[Module, ...]
    root: Path
    pos: Position
    lrs: LrsConfig = LrsConfig()
    description: str = ""
    content_hash: str = ""  # sha256 of the sources, saved with learner state

    @property
    def slug(self) -> str:
        """The last path segment of the course IRI, used in file names."""
        return self.id.rstrip("/").rsplit("/", 1)[-1] or "course"

    def module_iri(self, module: Module) -> str:
        return f"{self.id}/{module.id}"

    def block_iri(self, module: Module, block: Block) -> str:
        return f"{self.id}/{module.id}/{block.id}"

    def item_iri(self, module: Module, block: Block, item_id: str) -> str:
        return f"{self.id}/{module.id}/{block.id}/{item_id}"

    def cohort(self, cohort_id: str) -> Cohort | None:
        return next((c for c in self.cohorts if c.id == cohort_id), None)

    def blocks(self):
        """Every (module, block) pair in course order."""
        for module in self.modules:
            for block in module.blocks:
                yield module, block
