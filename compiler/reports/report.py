"""Assemble a report: run every aggregate and collect plain tables for the writers."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import ibis

from ..model import Course
from . import aggregates as agg
from . import aggregates_learning as learn
from .stats import paired_summary


@dataclass
class Table:
    """One result table: a file-safe name, a caption a manager can read, columns and rows."""

    name: str
    title: str
    columns: list[str]
    rows: list[list]

    def records(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


@dataclass
class Report:
    course_title: str
    course_id: str
    facts: dict = field(default_factory=dict)  # statements, learners, filters ...
    tables: list[Table] = field(default_factory=list)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


def _plain(value):
    """Python values the writers can print: no NaN, timestamps as ISO text, floats rounded."""
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _column_values(column) -> list:
    """One Arrow column as Python values; only float and time columns need tidying."""
    import pyarrow as pa

    values = column.to_pylist()
    if pa.types.is_floating(column.type) or pa.types.is_temporal(column.type):
        return [_plain(v) for v in values]
    return values


def _collect(name: str, title: str, expr: ibis.Table, drop: tuple[str, ...] = ("actor_key",)) -> Table:
    expr = expr.drop(*[c for c in drop if c in expr.columns])
    data = expr.to_pyarrow()
    columns = [_column_values(data.column(c)) for c in data.column_names]
    return Table(name, title, list(data.column_names), [list(row) for row in zip(*columns)])


def _pre_post(t: ibis.Table) -> Table:
    table = _collect("pre_post", "Pre/post change of paired learners per cohort", learn.pre_post(t))
    table.columns += ["ci_low", "ci_high", "d_z"]
    for row in table.rows:
        record = dict(zip(table.columns, row))
        extra = paired_summary(record["n"], record["mean_change"], record["sd_change"])
        row += [_plain(extra["ci_low"]), _plain(extra["ci_high"]), _plain(extra["d_z"])]
    return table


def build_report(t: ibis.Table, course: Course, facts: dict | None = None) -> Report:
    """Every table of the report over the prepared statements ``t`` (see aggregates.prepare)."""
    scores = agg.course_scores(t, course)
    report = Report(course.title, course.id, dict(facts or {}))
    report.facts.setdefault("learners", int(t.actor_key.nunique().to_pyarrow().as_py()))
    report.facts["mastery_score"] = course.mastery_score
    report.tables = [
        _collect("funnel", "Completion funnel per module and block", agg.completion_funnel(t, course)),
        _collect("pass_rate", "Pass rate against the mastery score", agg.pass_rate(scores)),
        _collect("score_distribution", "Course score distribution", agg.score_distribution(scores)),
        _collect("scores", "Course score per learner", scores),
        _collect("items", "Item analysis per question", agg.item_analysis(t)),
        _collect("distractors", "Responses per question", agg.distractors(t)),
        _pre_post(t),
        _collect("scenario_choices", "Scenario choices per step", learn.scenario_choices(t)),
        _collect("scenario_paths", "Most common scenario paths", learn.scenario_paths(t)),
        _collect("scenario_endings", "Scenario endings reached", learn.scenario_endings(t)),
        _collect("time_on_task", "Time on task against planned minutes", learn.time_on_task(t, course)),
        _collect("reflections", "Reflections and artifacts for review", learn.reflections(t)),
        _collect("transcript", "Learner transcript", learn.transcript(t)),
    ]
    return report
