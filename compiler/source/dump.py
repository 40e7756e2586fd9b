"""The course model as plain JSON-ready data: for fixture tests and for authors' tooling.

Positions are written ``file:line:col`` with the file relative to the course folder, so a
dump does not depend on where the course was loaded from.
"""
from __future__ import annotations

from ..model import Block, Course, Markdown, Module, Position, Question, Quiz, Reflection, Artifact, Scenario, Step, Survey


def model_to_dict(course: Course) -> dict:
    prefix = course.root.as_posix().rstrip("/") + "/"
    where = lambda pos: _position(pos, prefix)  # noqa: E731
    return {
        "id": course.id,
        "title": course.title,
        "version": course.version,
        "language": course.language,
        "description": course.description,
        "mastery_score": course.mastery_score,
        "attempts": course.attempts,
        "lrs": {"endpoint": course.lrs.endpoint, "token_url": course.lrs.token_url,
                "actor_homepage": course.lrs.actor_homepage},
        "cohorts": [{"id": c.id, "title": c.title, "behaviors": list(c.behaviors), "pos": where(c.pos)}
                    for c in course.cohorts],
        "modules": [_module(course, m, where) for m in course.modules],
    }


def _position(pos: Position, prefix: str) -> str:
    path = pos.path[len(prefix):] if pos.path.startswith(prefix) else pos.path
    return f"{path}:{pos.line}:{pos.col}"


def _markdown(text: Markdown, where) -> dict:
    return {"text": text.text, "pos": where(text.pos)}


def _module(course: Course, module: Module, where) -> dict:
    return {
        "id": module.id,
        "iri": course.module_iri(module),
        "title": module.title,
        "path": module.path,
        "cohorts": list(module.cohorts),
        "pos": where(module.pos),
        "intro": _markdown(module.intro, where) if module.intro is not None else None,
        "blocks": [_block(course, module, b, where) for b in module.blocks],
    }


def _block(course: Course, module: Module, block: Block, where) -> dict:
    data = {
        "kind": block.kind,
        "id": block.id,
        "iri": course.block_iri(module, block),
        "title": block.title,
        "id_derived": block.id_derived,
        "minutes": block.minutes,
        "pos": where(block.pos),
        "body": _markdown(block.body, where),
    }
    item_iri = lambda item_id: course.item_iri(module, block, item_id)  # noqa: E731
    if isinstance(block, Scenario):
        data["steps"] = [_step(s, item_iri, where) for s in block.steps]
    elif isinstance(block, Quiz):
        data.update(assessment=block.assessment, pair=block.pair,
                    questions=[_question(q, item_iri, where) for q in block.questions])
    elif isinstance(block, Survey):
        data.update(assessment=block.assessment, pair=block.pair, scale=list(block.scale),
                    items=[{"id": i.id, "iri": item_iri(i.id), "text": i.text, "pos": where(i.pos)} for i in block.items])
    elif isinstance(block, Reflection):
        data.update(min_words=block.min_words, max_words=block.max_words)
    elif isinstance(block, Artifact):
        data.update(artifact_kind=block.artifact_kind, template=block.template, max_words=block.max_words)
    return data


def _step(step: Step, item_iri, where) -> dict:
    return {
        "id": step.id,
        "iri": item_iri(step.id),
        "ending": step.ending,
        "pos": where(step.pos),
        "body": _markdown(step.body, where),
        "choices": [{"text": c.text, "target": c.target, "score": c.score, "feedback": c.feedback,
                     "pos": where(c.pos)} for c in step.choices],
    }


def _question(question: Question, item_iri, where) -> dict:
    return {
        "id": question.id,
        "iri": item_iri(question.id),
        "type": question.type,
        "pos": where(question.pos),
        "prompt": _markdown(question.prompt, where),
        "options": [{"id": o.id, "text": o.text, "correct": o.correct, "pos": where(o.pos)} for o in question.options],
        "feedback": question.feedback,
    }
