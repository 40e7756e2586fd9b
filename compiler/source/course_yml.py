"""course.yml: the course's metadata, cohorts and module list, checked field by field."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, error
from ..model import Cohort, LrsConfig, Position
from .ids import ID_RULE, is_valid_id
from .yamlread import Entry, YamlSource

COURSE_KEYS = ("id", "title", "version", "language", "description", "mastery_score", "attempts",
               "cohorts", "modules", "lrs")
REQUIRED_KEYS = ("id", "title", "version", "modules")
COHORT_KEYS = ("title", "behaviors")
LRS_KEYS = ("endpoint", "token_url", "actor_homepage")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass
class CourseHead:
    """Everything course.yml says, with defaults where it is silent or wrong."""

    pos: Position
    id: str = ""
    title: str = ""
    version: str = ""
    language: str = "en"
    description: str = ""
    mastery_score: float | None = None
    attempts: int | None = None
    cohorts: tuple[Cohort, ...] = ()
    modules: list[tuple[str, Position]] = field(default_factory=list)
    lrs: LrsConfig = LrsConfig()


def read_course_yml(text: str, shown: str, diags: list[Diagnostic]) -> CourseHead | None:
    src = YamlSource(shown)
    node = src.compose(text, "yaml-error", "course.yml", diags)
    if node is None:
        return None
    head = CourseHead(pos=Position(shown, 1, 1))
    entries = {e.key: e for e in src.entries(node, diags)}
    for key, entry in entries.items():
        if key not in COURSE_KEYS:
            diags.append(error(entry.key_pos, "unknown-option",
                               f"unknown key '{key}' in course.yml (known: {', '.join(COURSE_KEYS)})"))
    for key in REQUIRED_KEYS:
        if key not in entries or entries[key].value in (None, ""):
            where = entries[key].key_pos if key in entries else head.pos
            diags.append(error(where, "missing-field", f"course.yml needs '{key}'"))
    _read_scalars(head, entries, src, diags)
    if "cohorts" in entries:
        head.cohorts = _read_cohorts(entries["cohorts"], src, diags)
    if "modules" in entries:
        head.modules = _read_modules(entries["modules"], src, diags)
    if "lrs" in entries:
        head.lrs = _read_lrs(entries["lrs"], src, diags)
    return head


def _read_scalars(head: CourseHead, entries: dict[str, Entry], src: YamlSource, diags: list[Diagnostic]) -> None:
    if "id" in entries and entries["id"].value is not None:
        head.id = _read_iri(entries["id"], diags)
    for key in ("title", "description"):
        if key in entries and entries[key].value is not None:
            setattr(head, key, _text(entries[key], diags))
    if "version" in entries and entries["version"].value is not None:
        head.version = _text(entries["version"], diags, src.source_text(entries["version"].node))
    if "language" in entries:
        head.language = _read_language(entries["language"], diags)
    if "mastery_score" in entries and entries["mastery_score"].value is not None:
        head.mastery_score = _read_mastery(entries["mastery_score"], diags)
    if "attempts" in entries and entries["attempts"].value is not None:
        head.attempts = _read_attempts(entries["attempts"], diags)


def _text(entry: Entry, diags: list[Diagnostic], raw: str | None = None) -> str:
    if isinstance(entry.value, (dict, list)):
        diags.append(error(entry.value_pos, "invalid-value", f"'{entry.key}' must be text"))
        return ""
    return raw if raw is not None else str(entry.value).strip()


def _read_iri(entry: Entry, diags: list[Diagnostic]) -> str:
    value = entry.value if isinstance(entry.value, str) else ""
    problem = iri_problem(value)
    if problem:
        diags.append(error(entry.value_pos, "invalid-iri", f"course id '{entry.value}' {problem}"))
    return value.strip()


def iri_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute http(s) IRI usable as the base of activity ids."""
    if not value or any(ch.isspace() for ch in value):
        return "must be an absolute http(s) IRI without spaces"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "must be an absolute http(s) IRI, e.g. https://courses.example.org/my-course"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "must not have a query or fragment (activity ids are built by appending /module/block)"
    if value.endswith("/"):
        return "must not end with '/' (activity ids are built by appending /module/block)"
    return None


def _read_language(entry: Entry, diags: list[Diagnostic]) -> str:
    if isinstance(entry.value, str) and LANGUAGE_TAG.match(entry.value):
        return entry.value
    diags.append(error(entry.value_pos, "invalid-value", f"language '{entry.value}' is not a BCP 47 tag such as en or fr-CA"))
    return "en"


def _read_mastery(entry: Entry, diags: list[Diagnostic]) -> float | None:
    value = entry.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    diags.append(error(entry.value_pos, "invalid-value", f"mastery_score must be a number from 0 to 1, not '{value}'"))
    return None


def _read_attempts(entry: Entry, diags: list[Diagnostic]) -> int | None:
    value = entry.value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    diags.append(error(entry.value_pos, "invalid-value", f"attempts must be a whole number of at least 1, not '{value}'"))
    return None


def _read_cohorts(entry: Entry, src: YamlSource, diags: list[Diagnostic]) -> tuple[Cohort, ...]:
    if entry.value is None:
        return ()
    if not isinstance(entry.value, dict):
        diags.append(error(entry.value_pos, "invalid-value", "cohorts must map each cohort id to its title and behaviors"))
        return ()
    return tuple(c for c in (_read_cohort(e, src, diags) for e in src.entries(entry.node, diags)) if c)


def _read_cohort(entry: Entry, src: YamlSource, diags: list[Diagnostic]) -> Cohort | None:
    if not is_valid_id(entry.key):
        diags.append(error(entry.key_pos, "invalid-id", f"cohort id '{entry.key}' must be {ID_RULE}"))
    if not isinstance(entry.value, dict):
        diags.append(error(entry.value_pos, "invalid-value", f"cohort '{entry.key}' needs 'title' and 'behaviors'"))
        return Cohort(entry.key, entry.key, (), entry.key_pos)
    fields = {e.key: e for e in src.entries(entry.node, diags)}
    for key, sub in fields.items():
        if key not in COHORT_KEYS:
            diags.append(error(sub.key_pos, "unknown-option", f"unknown key '{key}' in cohort '{entry.key}' (known: title, behaviors)"))
    title = fields["title"].value if "title" in fields else None
    if not isinstance(title, str) or not title.strip():
        diags.append(error(entry.key_pos, "missing-field", f"cohort '{entry.key}' needs a 'title'"))
        title = entry.key
    return Cohort(entry.key, title.strip(), _read_behaviors(fields.get("behaviors"), entry.key, diags), entry.key_pos)


def _read_behaviors(entry: Entry | None, cohort: str, diags: list[Diagnostic]) -> tuple[str, ...]:
    if entry is None or entry.value is None:
        return ()
    value = entry.value
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        diags.append(error(entry.value_pos, "invalid-value", f"behaviors of cohort '{cohort}' must be a list of sentences"))
        return ()
    return tuple(v.strip() for v in value)


def _read_modules(entry: Entry, src: YamlSource, diags: list[Diagnostic]) -> list[tuple[str, Position]]:
    value = entry.value
    if value is None:
        return []
    if not isinstance(value, list):
        diags.append(error(entry.value_pos, "invalid-value", "modules must be a list of Markdown file names"))
        return []
    result: list[tuple[str, Position]] = []
    for name, pos in zip(value, src.item_positions(entry.node)):
        problem = module_name_problem(name)
        earlier = next((p for n, p in result if n == name), None)
        if problem:
            diags.append(error(pos, "invalid-value", f"module '{name}' {problem}"))
        elif earlier:
            diags.append(error(pos, "duplicate-id", f"module '{name}' is listed twice (first at line {earlier.line}, column {earlier.col})"))
        else:
            result.append((name, pos))
    return result


def module_name_problem(name: object) -> str | None:
    if not isinstance(name, str) or not name.strip() or any(ord(ch) < 32 for ch in name):
        return "must be a file name such as listening.md"
    parts = name.replace("\\", "/").split("/")
    if name.startswith("/") or ".." in parts or ":" in name:
        return "must be a path inside the course folder"
    if not name.endswith(".md"):
        return "must be a Markdown file ending in .md"
    return None


def _read_lrs(entry: Entry, src: YamlSource, diags: list[Diagnostic]) -> LrsConfig:
    if entry.value is None:
        return LrsConfig()
    if not isinstance(entry.value, dict):
        diags.append(error(entry.value_pos, "invalid-value", "lrs must be a mapping with endpoint, token_url, actor_homepage"))
        return LrsConfig()
    values = {}
    for sub in src.entries(entry.node, diags):
        if sub.key not in LRS_KEYS:
            diags.append(error(sub.key_pos, "unknown-option", f"unknown key '{sub.key}' in lrs (known: {', '.join(LRS_KEYS)})"))
        elif not isinstance(sub.value, str) or urlsplit(sub.value).scheme not in ("http", "https"):
            diags.append(error(sub.value_pos, "invalid-value", f"lrs {sub.key} must be an http(s) URL"))
        else:
            values[sub.key] = sub.value
    return LrsConfig(**values)
