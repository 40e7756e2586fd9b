"""Plays a built course in a real page through its UI, like a learner, and says which
statements that pass must produce (built with compiler/lrs/statements.py, the shapes of
record).  The learner: opens every module in order, reads each lesson, takes the first
choice at each scenario step, answers quizzes (post: correctly; otherwise the first
option), rates each survey item 4, and writes enough words for each text block.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from compiler.lrs import statements as st
from compiler.model import Course, Module, Quiz, Scenario, Survey

SURVEY_VALUE = 4


@dataclass
class Event:
    """One expected statement, as a builder call waiting for the real id and time."""

    key: tuple[str, str]  # (verb IRI, object IRI): unique within one pass
    build: object  # callable(Stamp) -> dict


@dataclass
class PlayedPass:
    events: list[Event] = field(default_factory=list)


def text_for(block) -> str:
    words = max(getattr(block, "min_words", 0), 5) + 3
    return " ".join(f"word{n}" for n in range(words))


def quiz_answer(quiz: Quiz, question) -> list[str]:
    if quiz.assessment == "post":
        return list(question.correct_ids)
    return [question.options[0].id]


def scenario_path(scenario: Scenario) -> list[tuple]:
    """(step, choice index 0) from the start until an ending."""
    by_id = {s.id: s for s in scenario.steps}
    step, taken = scenario.steps[0], []
    while step.choices and len(taken) <= 2 * len(scenario.steps):
        taken.append((step, 0))
        step = by_id[step.choices[0].target]
    return taken + [(step, None)]


class CoursePlayer:
    def __init__(self, page, course: Course, attempt: st.Attempt):
        self.page = page
        self.course = course
        self.attempt = attempt
        self.played = PlayedPass()
        self.keys = {}
        self.rights: dict[str, int] = {}

    def expect(self, verb: str, obj: str, build) -> None:
        self.played.events.append(Event((verb, obj), build))

    def block_key(self, module: Module, block) -> str:
        if not self.keys:
            for m in self.page.evaluate("Coursec.config.modules"):
                for b in m["blocks"]:
                    self.keys[(m["id"], b["id"])] = b["key"]
        return self.keys[(module.id, block.id)]

    def play(self, modules=None, begin: bool = True) -> PlayedPass:
        """Play ``modules`` (default: all, then the course is done); ``begin`` clicks Start."""
        page = self.page
        if begin:
            page.click("[data-cs-page='start']:not([hidden]) [data-cs-action=begin]")
        for module in modules or self.course.modules:
            page.wait_for_selector(f"[data-cs-page='{module.id}']:not([hidden])")
            for block in module.blocks:
                self.play_block(module, block)
            self.expect_module_done(module)
            page.click(f"[data-cs-page='{module.id}'] [data-cs-action=next]")
        if modules is None or modules[-1] is self.course.modules[-1]:
            self.expect_course_done()
        return self.played

    def deciding(self) -> list[Quiz]:
        quizzes = [b for _, b in self.course.blocks() if isinstance(b, Quiz)]
        post = [q for q in quizzes if q.assessment == "post"]
        return post or [q for q in quizzes if q.assessment != "pre"]

    def expect_course_done(self) -> None:
        a, mastery = self.attempt, self.course.mastery_score
        right = sum(self.rights[q.id] for q in self.deciding())
        total = sum(len(q.questions) for q in self.deciding())
        scaled = right / total if total else None
        success = None if scaled is None or mastery is None else scaled >= mastery
        verb = st.Verb.COMPLETED if success is None else (st.Verb.PASSED if success else st.Verb.FAILED)
        self.expect(verb, self.course.id, lambda s: st.course_completed(a, s, 0, scaled, success))

    def expect_module_done(self, module: Module) -> None:
        a, c = self.attempt, self.course
        self.expect(st.Verb.COMPLETED, c.module_iri(module), lambda s: st.module_completed(a, s, module, 0))

    def play_block(self, module: Module, block) -> None:
        root = f"[data-cs-block='{self.block_key(module, block)}']"
        getattr(self, "play_" + block.kind)(root, module, block)

    def play_lesson(self, root, module, block):
        a, iri = self.attempt, self.course.block_iri(module, block)
        self.page.click(f"{root} [data-cs-action=read]")
        self.expect(st.Verb.EXPERIENCED, iri, lambda s: st.lesson_experienced(a, s, module, block))
        self.expect(st.Verb.COMPLETED, iri, lambda s: st.lesson_completed(a, s, module, block, 0))

    def play_scenario(self, root, module, block):
        a, score, path = self.attempt, 0.0, []
        for step, choice in scenario_path(block):
            path.append(step.id)
            if choice is None:
                break
            self.page.click(f"{root} [data-cs-step]:not([hidden]) [data-cs-choice='{choice}']")
            score += step.choices[choice].score
            self.expect(st.Verb.ANSWERED, self.course.item_iri(module, block, step.id),
                        lambda s, step=step, choice=choice: st.scenario_choice(a, s, module, block, step, choice))
        final = (score, list(path))
        self.expect(st.Verb.COMPLETED, self.course.block_iri(module, block),
                    lambda s: st.scenario_completed(a, s, module, block, final[0], final[1], 0))

    def play_quiz(self, root, module, block):
        a, right = self.attempt, 0
        for question in block.questions:
            answer = quiz_answer(block, question)
            for option_id in answer:
                index = [o.id for o in question.options].index(option_id)
                self.page.check(f"{root} [data-cs-question] input[name$='-{question.id}'][value='{index}']")
            right += sorted(answer) == sorted(question.correct_ids)
            self.expect(st.Verb.ANSWERED, self.course.item_iri(module, block, question.id),
                        lambda s, q=question, r=answer: st.question_answered(a, s, module, block, q, r))
        self.page.click(f"{root} [data-cs-submit]")
        self.rights[block.id] = right
        mastery, total = self.course.mastery_score, len(block.questions)
        verb = st.Verb.COMPLETED if mastery is None else (st.Verb.PASSED if right / total >= mastery else st.Verb.FAILED)
        self.expect(verb, self.course.block_iri(module, block),
                    lambda s: st.quiz_finished(a, s, module, block, right, total, 0, mastery))

    def play_survey(self, root, module, block: Survey):
        a = self.attempt
        for item in block.items:
            self.page.check(f"{root} [data-cs-item] input[name$='-{item.id}'][value='{SURVEY_VALUE}']")
        self.page.click(f"{root} [data-cs-submit]")
        for item in block.items:
            self.expect(st.Verb.ANSWERED, self.course.item_iri(module, block, item.id),
                        lambda s, item=item: st.survey_answered(a, s, module, block, item, SURVEY_VALUE))

    def play_text(self, root, module, block, builder, verb):
        a, text = self.attempt, text_for(block)
        self.page.fill(f"{root} [data-cs-text]", text)
        self.page.click(f"{root} [data-cs-action=submit-text]")
        self.expect(verb, self.course.block_iri(module, block), lambda s: builder(a, s, module, block, text, 0))

    def play_reflection(self, root, module, block):
        self.play_text(root, module, block, st.reflection_responded, st.Verb.RESPONDED)

    def play_artifact(self, root, module, block):
        self.play_text(root, module, block, st.artifact_created, st.Verb.CREATED)


def expected_statements(played: PlayedPass, actual: dict[tuple[str, str], dict]) -> list[dict]:
    """The builders' statements with the real ids, times and durations filled in."""
    out = []
    for event in played.events:
        real = actual.get(event.key)
        if real is None:
            out.append({"missing": event.key})
            continue
        when = datetime.fromisoformat(real["timestamp"].replace("Z", "+00:00"))
        statement = event.build(st.Stamp(real["id"], when))
        if "duration" in statement.get("result", {}):
            statement["result"]["duration"] = real.get("result", {}).get("duration")
        out.append(statement)
    return out
