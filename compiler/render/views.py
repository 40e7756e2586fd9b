"""View models: the course model turned into plain dicts of rendered HTML for the templates.

Author Markdown is rendered here (raw HTML escaped); everything else the templates
print is escaped by Jinja2's autoescape.
"""
from __future__ import annotations

from ..model import Artifact, Course, Module, Quiz, Reflection, Scenario, Survey
from ..state_budget import text_cap
from .config import survey_scale
from .markdown import MarkdownRenderer

OPTION_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _scenario_view(block: Scenario, md: MarkdownRenderer) -> dict:
    steps = []
    for step in block.steps:
        choices = [
            {"index": i, "target": c.target, "text_html": md.inline(c.text),
             "feedback_html": md.inline(c.feedback) if c.feedback else ""}
            for i, c in enumerate(step.choices)
        ]
        steps.append({"id": step.id, "ending": step.ending, "body_html": md.block(step.body.text), "choices": choices})
    return {"steps": steps}


def _quiz_view(block: Quiz, md: MarkdownRenderer) -> dict:
    questions = []
    for q in block.questions:
        options = [{"id": o.id, "index": i, "text_html": md.inline(o.text)} for i, o in enumerate(q.options)]
        questions.append({
            "id": q.id, "type": q.type, "prompt_html": md.block(q.prompt.text),
            "feedback_html": md.inline(q.feedback) if q.feedback else "", "options": options,
            "correct_ids": q.correct_ids,
        })
    return {"assessment": block.assessment, "questions": questions}


def _survey_view(block: Survey, md: MarkdownRenderer, strings: dict[str, str]) -> dict:
    items = [{"id": i.id, "text_html": md.inline(i.text)} for i in block.items]
    return {"assessment": block.assessment, "survey_items": items, "scale": survey_scale(block, strings)}


def _text_view(block) -> dict:
    view = {"max_words": block.max_words, "max_chars": text_cap(block.max_words),
            "min_words": getattr(block, "min_words", 0)}
    if isinstance(block, Artifact):
        view.update({"template": block.template[: text_cap(block.max_words)], "artifact_kind": block.artifact_kind})
    return view


def block_view(block, md: MarkdownRenderer, strings: dict[str, str], key: str) -> dict:
    view = {"kind": block.kind, "id": block.id, "key": key, "title": block.title,
            "minutes": block.minutes, "body_html": md.block(block.body.text)}
    if isinstance(block, Scenario):
        view.update(_scenario_view(block, md))
    elif isinstance(block, Quiz):
        view.update(_quiz_view(block, md))
    elif isinstance(block, Survey):
        view.update(_survey_view(block, md, strings))
    elif isinstance(block, (Reflection, Artifact)):
        view.update(_text_view(block))
    return view


def module_view(module: Module, md: MarkdownRenderer, strings: dict[str, str], config: dict) -> dict:
    keys = {b["id"]: b["key"] for b in config["blocks"]}
    return {
        "id": module.id, "key": config["key"], "title": module.title, "cohorts": module.cohorts,
        "intro_html": md.block(module.intro.text) if getattr(module, "intro", None) else "",
        "blocks": [block_view(b, md, strings, keys[b.id]) for b in module.blocks],
    }


def course_view(course: Course, md: MarkdownRenderer, strings: dict[str, str], modules_config: list[dict]) -> dict:
    return {
        "id": course.id, "title": course.title, "version": course.version, "language": course.language,
        "description_html": md.block(course.description) if course.description else "",
        "cohorts": [{"id": c.id, "title": c.title} for c in course.cohorts],
        "modules": [module_view(m, md, strings, c) for m, c in zip(course.modules, modules_config)],
    }
