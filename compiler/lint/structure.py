"""Structure checks: duplicate ids, questions' answers, cohorts, artifacts, pre/post pairs."""
from __future__ import annotations

from typing import Iterable, Iterator

from ..diagnostics import Diagnostic, error, warning
from ..model import Course, Quiz, Scenario, Survey

BEHAVIORS_RANGE = (2, 3)


def check(course: Course) -> Iterator[Diagnostic]:
    yield from duplicate_ids(course)
    yield from empty_blocks(course)
    yield from answers(course)
    yield from cohorts(course)
    yield from artifacts(course)
    yield from pre_post_pairs(course)


def _duplicates(items: Iterable, what: str) -> Iterator[Diagnostic]:
    """A duplicate-id error at every repeat of an id, naming the line of its first use."""
    first: dict[str, object] = {}
    for item in items:
        if item.id in first:
            earlier = first[item.id].pos
            where = f"line {earlier.line}" if earlier.path == item.pos.path else str(earlier)
            yield error(item.pos, "duplicate-id", f"{what} id '{item.id}' is already used at {where}")
        else:
            first[item.id] = item


def duplicate_ids(course: Course) -> Iterator[Diagnostic]:
    yield from _duplicates(course.modules, "module")
    for module in course.modules:
        yield from _duplicates(module.blocks, "block")
        for block in module.blocks:
            if isinstance(block, Scenario):
                yield from _duplicates(block.steps, "step")
            elif isinstance(block, Quiz):
                yield from _duplicates(block.questions, "question")
                for question in block.questions:
                    yield from _duplicates(question.options, "option")
            elif isinstance(block, Survey):
                yield from _duplicates(block.items, "survey item")


def empty_blocks(course: Course) -> Iterator[Diagnostic]:
    for _, block in course.blocks():
        if isinstance(block, Scenario) and not block.steps:
            yield error(block.pos, "empty-block", f"scenario '{block.id}' has no steps (a step is a '## step-id' heading)")
        elif isinstance(block, Quiz) and not block.questions:
            yield error(block.pos, "empty-block", f"quiz '{block.id}' has no questions (a question is a '## id {{single}}' heading)")
        elif isinstance(block, Survey) and not block.items:
            yield error(block.pos, "empty-block", f"survey '{block.id}' has no items (a bullet list, each ending with {{#id}})")
        elif isinstance(block, Quiz):
            for q in block.questions:
                if not q.options:
                    yield error(q.pos, "empty-block", f"question '{q.id}' has no options ('- [x] right', '- [ ] wrong')")


def answers(course: Course) -> Iterator[Diagnostic]:
    for _, block in course.blocks():
        if not isinstance(block, Quiz):
            continue
        for q in block.questions:
            correct = len(q.correct_ids)
            if q.options and correct == 0:
                yield error(q.pos, "no-correct-answer", f"question '{q.id}' has no correct option (mark one '- [x]')")
            elif correct > 1 and q.type in ("single", "true-false"):
                yield error(q.pos, "too-many-correct",
                            f"{q.type} question '{q.id}' has {correct} correct options; mark one, or make it {{multiple}}")


def cohorts(course: Course) -> Iterator[Diagnostic]:
    """Behaviours per cohort (modules naming undefined cohorts are reported while loading)."""
    low, high = BEHAVIORS_RANGE
    for cohort in course.cohorts:
        if not low <= len(cohort.behaviors) <= high:
            yield warning(cohort.pos, "cohort-behaviors",
                          f"cohort '{cohort.id}' has {len(cohort.behaviors)} behaviours; give it {low}–{high} measurable ones")


def artifacts(course: Course) -> Iterator[Diagnostic]:
    for module in course.modules:
        if module.assessment_only:
            continue
        if not module.blocks:
            yield warning(module.pos, "no-artifact", f"module '{module.id}' has no blocks, so it ends without an artifact")
        elif module.blocks[-1].kind != "artifact":
            yield warning(module.pos, "no-artifact",
                          f"module '{module.id}' does not end with an artifact (a revised rule, a script, labelled examples)")


def pre_post_pairs(course: Course) -> Iterator[Diagnostic]:
    posts = {(b.kind, b.pair) for _, b in course.blocks() if isinstance(b, (Quiz, Survey)) and b.assessment == "post"}
    for _, block in course.blocks():
        if isinstance(block, (Quiz, Survey)) and block.assessment == "pre" and (block.kind, block.pair) not in posts:
            yield warning(block.pos, "pre-without-post",
                          f"pre {block.kind} '{block.id}' has no post {block.kind} with :pair: {block.pair}, "
                          "so no change can be measured")
