"""The xAPI statements coursec emits: one builder function per event of design.md's table.

These are the shapes of record.  ``coursec simulate`` builds its statements here, the reports
read exactly these fields, and the browser runtime's xAPI layer mirrors them field by field:

| event                  | builder               | verb                 | object          |
|------------------------|-----------------------|----------------------|-----------------|
| lesson read to the end | ``lesson_experienced``, then ``lesson_completed`` | experienced, completed | lesson |
| scenario choice        | ``scenario_choice``   | answered             | step            |
| scenario finished      | ``scenario_completed``| completed            | scenario        |
| quiz question          | ``question_answered`` | answered             | question        |
| quiz finished          | ``quiz_finished``     | passed/failed/completed | quiz         |
| survey item            | ``survey_answered``   | answered             | item            |
| reflection             | ``reflection_responded`` | responded         | reflection      |
| artifact               | ``artifact_created``  | activitystrea.ms create | artifact     |
| module / course done   | ``module_completed``, ``course_completed`` | completed (+passed/failed) | module/course |

Every statement carries ``context.registration``, ``contextActivities.parent`` (the enclosing
block or module), ``grouping`` (always the course IRI), ``revision`` (the course version) and
the cohort / block-kind (/ assessment-kind) context extensions.  Each builder takes a
:class:`Stamp` (the statement id and time): ids are made by the caller, so a retry re-sends
the same id.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from ..model import Block, Course, Module, Question, Scenario, Step, SurveyItem
from ..vocabulary import BLOCK_ACTIVITY_TYPE, VERB_DISPLAY, ActivityType, Extension, Verb

INTERACTION_RESPONSE_DELIMITER = "[,]"


@dataclass(frozen=True, slots=True)
class Stamp:
    """A statement's id (lowercase UUID) and time."""

    id: str
    when: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who is learning what: the actor, the attempt's registration and the learner's cohort."""

    course: Course
    actor: dict
    registration: str
    cohort: str | None = None


def account_actor(home_page: str, name: str) -> dict:
    """The preferred actor: an LMS account (opaque name, no personal data)."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def iso_timestamp(when: datetime) -> str:
    """UTC, millisecond precision, ``Z`` suffix."""
    utc = when.astimezone(timezone.utc) if when.tzinfo else when
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration with at most 0.01 s precision, e.g. ``PT4M35.14S``."""
    centis = int(round(max(seconds, 0.0) * 100))
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    secs = f"{rest // 100}" + (f".{rest % 100:02d}".rstrip("0") if rest % 100 else "")
    return text + (f"{secs}S" if rest or text == "PT" else "")


def _lang(attempt: Attempt, text: str) -> dict:
    return {attempt.course.language or "en": text}


def _verb(iri: str) -> dict:
    return {"id": iri, "display": {"en-US": VERB_DISPLAY[iri]}}


def _activity(iri: str, type_iri: str, name: dict, **definition) -> dict:
    return {"objectType": "Activity", "id": iri, "definition": {"type": type_iri, "name": name, **definition}}


def _statement(attempt: Attempt, stamp: Stamp, verb: str, obj: dict, parent: str,
               kind: str | None, assessment: str | None = None, result: dict | None = None) -> dict:
    """The shape every builder shares."""
    course = attempt.course
    extensions = {}
    if attempt.cohort:
        extensions[Extension.COHORT] = attempt.cohort
    if kind:
        extensions[Extension.BLOCK_KIND] = kind
    if assessment:
        extensions[Extension.ASSESSMENT_KIND] = assessment
    context = {
        "registration": attempt.registration,
        "revision": course.version,
        "contextActivities": {"parent": [{"id": parent}], "grouping": [{"id": course.id}]},
    }
    if extensions:
        context["extensions"] = extensions
    statement = {"id": stamp.id, "actor": attempt.actor, "verb": _verb(verb), "object": obj,
                 "context": context, "timestamp": iso_timestamp(stamp.when)}
    if result is not None:
        statement["result"] = result
    return statement


def _block_object(attempt: Attempt, module: Module, block: Block) -> dict:
    return _activity(attempt.course.block_iri(module, block), BLOCK_ACTIVITY_TYPE[block.kind],
                     _lang(attempt, block.title))


def _score(raw: float, maximum: float, minimum: float = 0.0) -> dict:
    scaled = (raw - minimum) / (maximum - minimum) if maximum > minimum else 0.0
    return {"scaled": round(min(max(scaled, -1.0), 1.0), 4), "raw": raw, "min": minimum, "max": maximum}


def _assessment(block: Block) -> str | None:
    return getattr(block, "assessment", None)


def lesson_experienced(attempt: Attempt, stamp: Stamp, module: Module, lesson: Block) -> dict:
    """The learner reached the end of a lesson's text."""
    return _statement(attempt, stamp, Verb.EXPERIENCED, _block_object(attempt, module, lesson),
                      attempt.course.module_iri(module), lesson.kind)


def lesson_completed(attempt: Attempt, stamp: Stamp, module: Module, lesson: Block, seconds: float) -> dict:
    result = {"completion": True, "duration": iso_duration(seconds)}
    return _statement(attempt, stamp, Verb.COMPLETED, _block_object(attempt, module, lesson),
                      attempt.course.module_iri(module), lesson.kind, result=result)


def choice_ids(step: Step) -> list[str]:
    """Interaction component ids of a step's choices: the target step id; a target that two
    choices share gets ``-N`` (the choice's 1-based position), since component ids must be unique."""
    targets = [c.target for c in step.choices]
    return [t if targets.count(t) == 1 else f"{t}-{i + 1}" for i, t in enumerate(targets)]


def scenario_choice(attempt: Attempt, stamp: Stamp, module: Module, scenario: Scenario,
                    step: Step, choice_index: int) -> dict:
    """One choice at one step: the response is the target step id, scored as authored."""
    choice = step.choices[choice_index]
    ids = choice_ids(step)
    choices = [{"id": ids[i], "description": _lang(attempt, c.text)} for i, c in enumerate(step.choices)]
    obj = _activity(attempt.course.item_iri(module, scenario, step.id), ActivityType.INTERACTION,
                    _lang(attempt, step.id), interactionType="choice", choices=choices)
    result = {"response": ids[choice_index], "score": {"raw": choice.score}}
    return _statement(attempt, stamp, Verb.ANSWERED, obj, attempt.course.block_iri(module, scenario),
                      scenario.kind, result=result)


def scenario_completed(attempt: Attempt, stamp: Stamp, module: Module, scenario: Scenario,
                       score: float, path: list[str], seconds: float) -> dict:
    """An ending was reached: the score is the sum of the choices, the ending and path ride along."""
    maximum = scenario.max_score
    score_part = _score(score, maximum) if maximum > 0 else {"raw": score}
    result = {"completion": True, "duration": iso_duration(seconds), "score": score_part,
              "extensions": {Extension.ENDING: path[-1], Extension.PATH: "/".join(path)}}
    return _statement(attempt, stamp, Verb.COMPLETED, _block_object(attempt, module, scenario),
                      attempt.course.module_iri(module), scenario.kind, result=result)


def question_answered(attempt: Attempt, stamp: Stamp, module: Module, quiz: Block,
                      question: Question, response: list[str]) -> dict:
    """A quiz question: response ids joined with ``[,]``, success against the correct set."""
    kind = "true-false" if question.type == "true-false" else "choice"
    correct = INTERACTION_RESPONSE_DELIMITER.join(question.correct_ids)
    definition = {"interactionType": kind, "correctResponsesPattern": [correct]}
    if kind == "choice":
        definition["choices"] = [{"id": o.id, "description": _lang(attempt, o.text)} for o in question.options]
    obj = _activity(attempt.course.item_iri(module, quiz, question.id), ActivityType.INTERACTION,
                    _lang(attempt, question.id), **definition)
    result = {"response": INTERACTION_RESPONSE_DELIMITER.join(response),
              "success": sorted(response) == sorted(question.correct_ids)}
    return _statement(attempt, stamp, Verb.ANSWERED, obj, attempt.course.block_iri(module, quiz),
                      quiz.kind, _assessment(quiz), result)


def quiz_finished(attempt: Attempt, stamp: Stamp, module: Module, quiz: Block, raw: float,
                  maximum: float, seconds: float, mastery: float | None) -> dict:
    """passed/failed against the mastery score; completed when there is none."""
    score = _score(raw, maximum)
    result = {"score": score, "completion": True, "duration": iso_duration(seconds)}
    verb = Verb.COMPLETED
    if mastery is not None:
        result["success"] = score["scaled"] >= mastery
        verb = Verb.PASSED if result["success"] else Verb.FAILED
    return _statement(attempt, stamp, verb, _block_object(attempt, module, quiz),
                      attempt.course.module_iri(module), quiz.kind, _assessment(quiz), result)


def survey_answered(attempt: Attempt, stamp: Stamp, module: Module, survey: Block,
                    item: SurveyItem, value: int) -> dict:
    """A Likert item; the response is the scale position (1-based) as a string."""
    scale = [{"id": str(i + 1), "description": _lang(attempt, label)}
             for i, label in enumerate(getattr(survey, "scale", ()))]
    obj = _activity(attempt.course.item_iri(module, survey, item.id), ActivityType.INTERACTION,
                    _lang(attempt, item.text), interactionType="likert", scale=scale)
    return _statement(attempt, stamp, Verb.ANSWERED, obj, attempt.course.block_iri(module, survey),
                      survey.kind, _assessment(survey), {"response": str(value)})


def _text_result(text: str, seconds: float) -> dict:
    return {"response": text, "completion": True, "duration": iso_duration(seconds),
            "extensions": {Extension.WORDS: len(text.split())}}


def reflection_responded(attempt: Attempt, stamp: Stamp, module: Module, reflection: Block,
                         text: str, seconds: float) -> dict:
    obj = _block_object(attempt, module, reflection)
    obj["definition"]["interactionType"] = "long-fill-in"
    return _statement(attempt, stamp, Verb.RESPONDED, obj, attempt.course.module_iri(module),
                      reflection.kind, result=_text_result(text, seconds))


def artifact_created(attempt: Attempt, stamp: Stamp, module: Module, artifact: Block,
                     text: str, seconds: float) -> dict:
    return _statement(attempt, stamp, Verb.CREATED, _block_object(attempt, module, artifact),
                      attempt.course.module_iri(module), artifact.kind, result=_text_result(text, seconds))


def module_completed(attempt: Attempt, stamp: Stamp, module: Module, seconds: float) -> dict:
    obj = _activity(attempt.course.module_iri(module), ActivityType.MODULE, _lang(attempt, module.title))
    result = {"completion": True, "duration": iso_duration(seconds)}
    return _statement(attempt, stamp, Verb.COMPLETED, obj, attempt.course.id, None, result=result)


def course_completed(attempt: Attempt, stamp: Stamp, seconds: float, scaled: float | None = None,
                     success: bool | None = None) -> dict:
    """The course is done; with a deciding score, ``passed``/``failed`` instead of ``completed``."""
    course = attempt.course
    obj = _activity(course.id, ActivityType.COURSE, _lang(attempt, course.title))
    result: dict = {"completion": True, "duration": iso_duration(seconds)}
    verb = Verb.COMPLETED
    if scaled is not None:
        result["score"] = {"scaled": round(scaled, 4)}
    if success is not None:
        result["success"] = success
        verb = Verb.PASSED if success else Verb.FAILED
    return _statement(attempt, stamp, verb, obj, course.id, None, result=result)


def voiding(actor: dict, stamp: Stamp, target_id: str) -> dict:
    """Void an earlier statement (an admin's correction; AUs never void)."""
    return {"id": stamp.id, "actor": actor, "verb": _verb(Verb.VOIDED),
            "object": {"objectType": "StatementRef", "id": target_id},
            "timestamp": iso_timestamp(stamp.when)}
