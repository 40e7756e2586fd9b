"""The runtime configuration generated at build: course identity, structure and rules.

State keys: the runtime saves learner state under 3-character keys made from a hash of
each block's stable id plus the structure its answers depend on (scenario step ids,
question option ids, the survey scale length).  A newer version of the course therefore
restores exactly the blocks and questions that still exist unchanged and drops the rest.
"""
from __future__ import annotations

from ..model import Course, Module, Quiz, Reflection, Artifact, Scenario, Survey
from ..state_budget import STATE_LIMITS, text_cap, worst_case
from . import LrsSettings, RenderOptions
from ..runtime.xapi_table import xapi_table

KEY_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz"
KEY_LENGTH = 3
HASH_PREFIX = 12  # characters of the content hash kept in the saved state


def _fnv1a(text: str) -> int:
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def short_key(signature: str, taken: set[str]) -> str:
    """A stable 3-character key for ``signature``, unique among ``taken`` (salted on collision)."""
    for salt in range(1000):
        value = _fnv1a(signature if salt == 0 else f"{signature}#{salt}") % (36**KEY_LENGTH)
        key = ""
        for _ in range(KEY_LENGTH):
            value, digit = divmod(value, 36)
            key = KEY_CHARS[digit] + key
        if key not in taken:
            taken.add(key)
            return key
    raise RuntimeError("no free state key")  # pragma: no cover - 46,656 keys


def block_signature(module: Module, block) -> str:
    base = f"{module.id}/{block.id}"
    if isinstance(block, Scenario):
        return base + "|" + ",".join(s.id for s in block.steps)
    if isinstance(block, Survey):
        return base + f"|{len(block.scale)}"
    return base


def _quiz_config(block: Quiz) -> dict:
    taken: set[str] = set()
    questions = [
        {
            "id": q.id,
            "key": short_key(f"{q.id}|{q.type}|{','.join(o.id for o in q.options)}", taken),
            "type": q.type,
            "options": [o.id for o in q.options],
            "correct": list(q.correct_ids),
        }
        for q in block.questions
    ]
    return {"assessment": block.assessment, "questions": questions}


def _scenario_config(block: Scenario) -> dict:
    steps = [
        {
            "id": s.id,
            "ending": s.ending,
            "choices": [{"target": c.target, "score": c.score} for c in s.choices],
        }
        for s in block.steps
    ]
    return {"steps": steps, "maxScore": block.max_score}


def _survey_config(block: Survey, scale: tuple[str, ...]) -> dict:
    taken: set[str] = set()
    items = [{"id": i.id, "key": short_key(i.id, taken)} for i in block.items]
    return {"assessment": block.assessment, "items": items, "scale": len(scale)}


def _text_config(block) -> dict:
    return {
        "minWords": getattr(block, "min_words", 0),
        "maxWords": block.max_words,
        "maxChars": text_cap(block.max_words),
    }


def block_config(course: Course, module: Module, block, key: str, scale: tuple[str, ...]) -> dict:
    entry = {"id": block.id, "kind": block.kind, "key": key, "iri": course.block_iri(module, block)}
    if isinstance(block, Quiz):
        entry.update(_quiz_config(block))
    elif isinstance(block, Scenario):
        entry.update(_scenario_config(block))
    elif isinstance(block, Survey):
        entry.update(_survey_config(block, scale))
    elif isinstance(block, (Reflection, Artifact)):
        entry.update(_text_config(block))
    return entry


def survey_scale(block: Survey, strings: dict[str, str]) -> tuple[str, ...]:
    """The survey's own scale, or the catalogue's default agreement scale."""
    if block.scale:
        return block.scale
    return tuple(s.strip() for s in strings["likert_scale"].split("|"))


def modules_config(course: Course, strings: dict[str, str]) -> list[dict]:
    taken: set[str] = set()
    modules = []
    for module in course.modules:
        key = short_key("module:" + module.id, taken)
        blocks = []
        for block in module.blocks:
            scale = survey_scale(block, strings) if isinstance(block, Survey) else ()
            bkey = short_key(block_signature(module, block), taken)
            blocks.append(block_config(course, module, block, bkey, scale))
        modules.append({"id": module.id, "key": key, "iri": course.module_iri(module),
                        "title": module.title, "cohorts": list(module.cohorts), "blocks": blocks})
    return modules


def _lrs_config(course: Course, lrs: LrsSettings | None) -> dict:
    settings = lrs or LrsSettings(
        endpoint=course.lrs.endpoint, token_url=course.lrs.token_url, actor_homepage=course.lrs.actor_homepage
    )
    return {
        "endpoint": settings.endpoint,
        "tokenUrl": settings.token_url,
        "auth": settings.auth,
        "actorHomepage": settings.actor_homepage,
    }


def runtime_config(course: Course, options: RenderOptions, strings: dict[str, str]) -> dict:
    return {
        "course": {
            "id": course.id,
            "title": course.title,
            "version": course.version,
            "hash": course.content_hash[:HASH_PREFIX],
            "language": course.language,
            "masteryScore": course.mastery_score,
            "attempts": course.attempts,
        },
        "target": options.target,
        "cohort": options.cohort,
        "cohorts": [c.id for c in course.cohorts],
        "lrs": _lrs_config(course, options.lrs),
        "stateLimit": STATE_LIMITS.get(options.target),
        "stateBudget": worst_case(course),
        "modules": modules_config(course, strings),
        "xapi": xapi_table(course, tuple(s.strip() for s in strings["likert_scale"].split("|"))),
        "strings": dict(sorted(strings.items())),
    }
