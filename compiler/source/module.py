"""One module file: front matter (id, title, cohorts) and its blocks."""
from __future__ import annotations

from ..diagnostics import Diagnostic, error
from ..model import AnyBlock, BLOCK_KINDS, Module, Position
from .assessment import build_quiz, build_survey
from .blocks import BlockSource, build_artifact, build_lesson, build_reflection
from .fences import RawBlock, scan_module
from .ids import ID_RULE, is_valid_id, slugify
from .scenario import build_scenario
from .text import to_markdown
from .yamlread import YamlSource

MODULE_KEYS = ("id", "title", "cohorts")
BUILDERS = {
    "lesson": build_lesson,
    "scenario": build_scenario,
    "reflection": build_reflection,
    "artifact": build_artifact,
    "quiz": build_quiz,
    "survey": build_survey,
}


def parse_module(text: str, name: str, shown: str, diags: list[Diagnostic], cohort_ids: set[str]) -> Module:
    """The module of one file; ``cohort_ids`` are the cohorts course.yml defines."""
    scanned = scan_module(text, shown, diags)
    module_id, title, cohorts, pos = _front_matter(scanned.front_matter, name, shown, diags, cohort_ids)
    blocks = tuple(b for b in (_block(raw, n, shown, diags) for n, raw in enumerate(scanned.blocks, 1)) if b)
    intro = to_markdown(scanned.intro, shown, scanned.body_start)
    return Module(module_id, title, cohorts, blocks, name, pos, intro)


def _block(raw: RawBlock, index: int, shown: str, diags: list[Diagnostic]) -> AnyBlock | None:
    if raw.kind not in BUILDERS:
        diags.append(error(raw.pos, "unknown-block",
                           f"unknown block kind '{{{raw.kind}}}' (known: {', '.join(BLOCK_KINDS)})"))
        return None
    return BUILDERS[raw.kind](BlockSource.read(raw, shown, diags), index)


def _front_matter(text: str | None, name: str, shown: str, diags: list[Diagnostic],
                  cohort_ids: set[str]) -> tuple[str, str, tuple[str, ...], Position]:
    """Id, title, cohorts and the module's position (its ``id:`` line, else line 1)."""
    fallback_id = slugify(name.rsplit("/", 1)[-1].removesuffix(".md"), "module")
    top = Position(shown, 1, 1)
    if text is None:
        if not any(d.code == "front-matter-error" and d.path == shown for d in diags):
            diags.append(error(top, "missing-field",
                               "module needs front matter with 'id' and 'title' between '---' lines at the top"))
        return fallback_id, fallback_id, (), top
    src = YamlSource(shown, offset=1)
    node = src.compose(text, "front-matter-error", "front matter", diags)
    if node is None:
        return fallback_id, fallback_id, (), top
    entries = {e.key: e for e in src.entries(node, diags)}
    for key, entry in entries.items():
        if key not in MODULE_KEYS:
            diags.append(error(entry.key_pos, "unknown-option",
                               f"unknown key '{key}' in front matter (known: {', '.join(MODULE_KEYS)})"))
    module_id = _required_text(entries, "id", shown, diags) or fallback_id
    if "id" in entries and entries["id"].value and not is_valid_id(entries["id"].value):
        diags.append(error(entries["id"].value_pos, "invalid-id", f"module id '{entries['id'].value}' must be {ID_RULE}"))
    title = _required_text(entries, "title", shown, diags) or module_id
    pos = entries["id"].key_pos if "id" in entries else top
    return str(module_id), title, _cohorts(entries.get("cohorts"), src, diags, cohort_ids), pos


def _required_text(entries: dict, key: str, shown: str, diags: list[Diagnostic]) -> str:
    entry = entries.get(key)
    if entry is None or entry.value is None or entry.value == "":
        where = entry.key_pos if entry else Position(shown, 1, 1)
        diags.append(error(where, "missing-field", f"module front matter needs '{key}'"))
        return ""
    if not isinstance(entry.value, (str, int, float)) or isinstance(entry.value, bool):
        diags.append(error(entry.value_pos, "invalid-value", f"module '{key}' must be text"))
        return ""
    return str(entry.value).strip()


def _cohorts(entry, src: YamlSource, diags: list[Diagnostic], cohort_ids: set[str]) -> tuple[str, ...]:
    if entry is None or entry.value is None:
        return ()
    value = [entry.value] if isinstance(entry.value, str) else entry.value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        diags.append(error(entry.value_pos, "invalid-value", "cohorts must be a list of cohort ids"))
        return ()
    positions = src.item_positions(entry.node) or [entry.value_pos]
    known = ", ".join(sorted(cohort_ids)) or "none defined"
    for name, pos in zip(value, positions):
        if name not in cohort_ids:
            diags.append(error(pos, "undefined-cohort", f"cohort '{name}' is not defined in course.yml ({known})"))
    return tuple(value)
