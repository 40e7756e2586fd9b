"""The course facts the browser's xAPI statement builder needs, as one JSON-able table.

compiler/runtime/xapi_statements.js builds statements field by field like
compiler/lrs/statements.py; for that it needs names and texts the tracking config does not
carry (block titles, option texts, scenario choice texts, survey scale labels).  The
renderer puts this table into the runtime config under ``xapi``.
"""
from __future__ import annotations

from ..model import Course, Quiz, Scenario, Survey


def _quiz(block: Quiz) -> dict:
    return {
        "assessment": block.assessment,
        "questions": {
            q.id: {"type": q.type, "options": [{"id": o.id, "text": o.text} for o in q.options],
                   "correct": list(q.correct_ids)}
            for q in block.questions
        },
    }


def _scenario(block: Scenario) -> dict:
    steps = {s.id: {"choices": [{"target": c.target, "text": c.text, "score": c.score} for c in s.choices]}
             for s in block.steps}
    return {"steps": steps, "maxScore": block.max_score}


def _survey(block: Survey, scale: tuple[str, ...]) -> dict:
    return {"assessment": block.assessment, "scale": list(scale),
            "items": {i.id: i.text for i in block.items}}


def xapi_table(course: Course, default_scale: tuple[str, ...] = ()) -> dict:
    """Everything the JS builder looks up, keyed by ``module/block``."""
    blocks = {}
    for module, block in course.blocks():
        entry = {"kind": block.kind, "title": block.title}
        if isinstance(block, Quiz):
            entry.update(_quiz(block))
        elif isinstance(block, Scenario):
            entry.update(_scenario(block))
        elif isinstance(block, Survey):
            entry.update(_survey(block, block.scale or default_scale))
        blocks[f"{module.id}/{block.id}"] = entry
    return {
        "course": {"id": course.id, "title": course.title, "version": course.version,
                   "language": course.language or "en", "masteryScore": course.mastery_score},
        "modules": {m.id: {"title": m.title} for m in course.modules},
        "blocks": blocks,
    }
