"""Assemble a report: run every aggregate and collect plain tables for the writers."""
from __future__ import annotations

from dataclasses import dataclass, field

from typing import Iterator

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Course
from . import aggregates as agg
from . import aggregates_learning as learn
from .stats import paired_summary


class Table:
    """One result table: a file-safe name, a caption a manager can read, and its data (Arrow,
    compact); rows come out as plain Python values, batch by batch, so a large table never
    sits in memory as Python objects."""

    def __init__(self, name: str, title: str, data: pa.Table):
        self.name, self.title, self.data = name, title, _tidy(data)
        self.columns = list(data.column_names)

    def __len__(self) -> int:
        return self.data.num_rows

    def iter_rows(self, limit: int | None = None, batch: int = 50_000) -> Iterator[list]:
        data = self.data if limit is None else self.data.slice(0, limit)
        for chunk in data.to_batches(max_chunksize=batch):
            columns = [chunk.column(i).to_pylist() for i in range(chunk.num_columns)]
            yield from (list(row) for row in zip(*columns))

    @property
    def rows(self) -> list[list]:
        return list(self.iter_rows())

    def records(self, limit: int | None = None) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.iter_rows(limit)]


@dataclass
class Report:
    course_title: str
    course_id: str
    facts: dict = field(default_factory=dict)  # statements, learners, filters ...
    tables: list[Table] = field(default_factory=list)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


ROUND_SCALE = 10_000.0  # four decimal places


def _tidy(data: pa.Table) -> pa.Table:
    """Values every writer prints the same way, computed in Arrow: floats rounded to 4 places
    (NaN becomes empty), times as ISO 8601 text.  Sums over the same rows in another order
    differ in the last bit, so rounding must not depend on it: ``pc.round(x, 4)`` leaves a value
    one ulp below 0.8333 as 0.8332999999999999, while round(x * 10^4) / 10^4 always gives the
    double nearest to 0.8333; adding 0.0 turns a rounded -0.0 into 0.0."""
    columns = []
    for field, column in zip(data.schema, data.columns):
        if pa.types.is_floating(field.type):
            column = pc.if_else(pc.is_nan(column), pa.scalar(None, field.type), column)
            scaled = pc.round(pc.multiply(column, pa.scalar(ROUND_SCALE, field.type)))
            column = pc.add(pc.divide(scaled, pa.scalar(ROUND_SCALE, field.type)), pa.scalar(0.0, field.type))
        elif pa.types.is_timestamp(field.type):
            column = _iso(column, field.type)
        columns.append(column)
    return pa.table(columns, names=data.column_names)


def _iso(column, kind: pa.TimestampType):
    """ISO 8601 text (``%Y-%m-%dT%H:%M:%S``; Arrow's ``%S`` carries the unit's fraction).  Without
    a time zone Arrow's cast to text gives the same characters with a space for the ``T``, ten
    times faster than strftime."""
    if kind.tz is not None:
        return pc.strftime(column, format="%Y-%m-%dT%H:%M:%S")
    return pc.replace_substring(pc.cast(column, pa.string()), " ", "T", max_replacements=1)


def _collect(name: str, title: str, expr: ibis.Table, drop: tuple[str, ...] = ("actor_key",)) -> Table:
    expr = expr.drop(*[c for c in drop if c in expr.columns])
    return Table(name, title, expr.to_pyarrow())


def _paired(name: str, title: str, expr: ibis.Table, keys: tuple[str, ...] = ()) -> Table:
    """A pre/post aggregate (``learn.summarise_changes``) plus the tiny Python step: CI and d_z
    per row (a few rows)."""
    data = expr.to_pyarrow().to_pylist()
    for record in data:
        record.update(paired_summary(record["n"], record["mean_change"], record["sd_change"]))
    figures = ["mean_pre", "mean_post", "mean_change", "sd_change", "ci_low", "ci_high", "d_z"]
    schema = pa.schema([(c, pa.string()) for c in (*keys, "cohort")] + [("n", pa.int64())]
                       + [(c, pa.float64()) for c in figures])
    return Table(name, title, pa.Table.from_pylist([{c: r[c] for c in schema.names} for r in data], schema=schema))


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
        _paired("pre_post", "Pre/post change of paired learners per cohort", learn.pre_post(t)),
        _paired("survey_pre_post", "Self-rating surveys: pre/post change of paired learners per pair and cohort",
                learn.survey_pre_post(t, course), keys=("pair",)),
        _collect("survey_items", "Self-rating surveys: pre/post change per item", learn.survey_item_changes(t, course)),
        _collect("scenario_choices", "Scenario choices per step", learn.scenario_choices(t)),
        _collect("scenario_paths", "Most common scenario paths", learn.scenario_paths(t)),
        _collect("scenario_endings", "Scenario endings reached", learn.scenario_endings(t)),
        _collect("time_on_task", "Time on task against planned minutes", learn.time_on_task(t, course)),
        _collect("reflections", "Reflections and artifacts for review", learn.reflections(t)),
        _collect("transcript", "Learner transcript", learn.transcript(t)),
    ]
    return report
