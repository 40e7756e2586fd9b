"""The report's aggregates, each one Ibis expression over the flat statements table.

Written once in Ibis (no pandas-only step), so the same report runs on DuckDB today and on
Spark or another Ibis backend later.  ``prepare`` applies the filters, the learner -> cohort
overrides and pseudonyms; every other function takes its result.  Definitions follow
design.md "Reader and reports"; "the latest attempt counts" everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

import ibis

from ..model import Course
from ..vocabulary import Verb

FINISH_VERBS = (Verb.PASSED, Verb.FAILED, Verb.COMPLETED)
BLOCK_DONE_VERBS = (Verb.COMPLETED, Verb.PASSED, Verb.FAILED, Verb.RESPONDED, Verb.CREATED)


@dataclass(frozen=True)
class Filters:
    """What part of the statements a report covers (None: no limit)."""

    cohort: str | None = None
    since: str | None = None  # ISO 8601, on the statement timestamp
    until: str | None = None
    registration: str | None = None
    revision: str | None = None


def structure(course: Course) -> ibis.Table:
    """The course's blocks in order, with kind, title and planned minutes (a small memtable)."""
    rows = {"position": [], "module_id": [], "block_id": [], "kind": [], "title": [], "minutes": []}
    for position, (module, block) in enumerate(course.blocks()):
        for key, value in zip(rows, (position, module.id, block.id, block.kind, block.title, block.minutes)):
            rows[key].append(value)
    schema = {"position": "int64", "module_id": "string", "block_id": "string", "kind": "string",
              "title": "string", "minutes": "float64"}
    return ibis.memtable(rows, schema=schema)


def modules(course: Course) -> ibis.Table:
    rows = {"position": list(range(len(course.modules))), "module_id": [m.id for m in course.modules],
            "title": [m.title for m in course.modules]}
    return ibis.memtable(rows, schema={"position": "int64", "module_id": "string", "title": "string"})


def prepare(t: ibis.Table, filters: Filters = Filters(), cohorts: dict[str, str] | None = None,
            salt: str | None = None) -> ibis.Table:
    """Filtered statements; cohorts overridden from a learner -> cohort map; with a salt, every
    learner identity replaced by a salted hash."""
    if cohorts:
        override = ibis.memtable({"learner": list(cohorts), "override": list(cohorts.values())})
        t = t.left_join(override, (t.actor_name == override.learner) | (t.actor_key == override.learner))
        t = t.mutate(cohort=ibis.coalesce(t.override, t.cohort)).drop("learner", "override")
    if salt:
        key = (ibis.literal(salt) + t.actor_key).hexdigest("sha256")
        t = t.mutate(actor_key=key, actor_name=ibis.literal("learner-") + key.substr(0, 12))
    if filters.cohort:
        t = t.filter(t.cohort == filters.cohort)
    if filters.since:
        t = t.filter(t.timestamp >= ibis.timestamp(filters.since))
    if filters.until:
        t = t.filter(t.timestamp <= ibis.timestamp(filters.until))
    if filters.registration:
        t = t.filter(t.registration == filters.registration)
    if filters.revision:
        t = t.filter(t.revision == filters.revision)
    return t


def learners(t: ibis.Table) -> ibis.Table:
    """One row per learner: display name and cohort (the first the statements name)."""
    return t.group_by("actor_key").aggregate(learner=t.actor_name.min(), cohort=t.cohort.min())


def module_audience(t: ibis.Table, course: Course) -> ibis.Table:
    """(module_id, actor_key) for every learner a module is required of: a module whose
    ``cohorts:`` names cohorts is optional for the others (a learner without a cohort counts)."""
    people = learners(t)
    pairs = people.cross_join(modules(course).select("module_id")).select("module_id", "actor_key", "cohort")
    limited = ibis.memtable({"module_id": [m.id for m in course.modules if m.cohorts]}, schema={"module_id": "string"})
    allowed = ibis.memtable({"module_id": [m.id for m in course.modules for _ in m.cohorts],
                             "cohort": [c for m in course.modules for c in m.cohorts]},
                            schema={"module_id": "string", "cohort": "string"})
    everyone = pairs.anti_join(limited, "module_id")
    in_cohort = pairs.semi_join(allowed, ["module_id", "cohort"])
    unknown = pairs.filter(pairs.cohort.isnull())
    return everyone.union(in_cohort, distinct=True).union(unknown, distinct=True).select("module_id", "actor_key")


def completion_funnel(t: ibis.Table, course: Course) -> ibis.Table:
    """Per module and block, in course order: how many of the learners the module is required
    of (its audience) finished it, and their share of that audience."""
    audience = module_audience(t, course)
    sizes = audience.group_by("module_id").aggregate(audience=audience.count())
    finished = t.verb.isin(BLOCK_DONE_VERBS) & t.item_id.isnull()
    surveyed = (t.verb == Verb.ANSWERED) & (t.block_kind == "survey")  # a survey has no finish statement
    done = t.filter((finished | surveyed) & t.module_id.notnull()).semi_join(audience, ["module_id", "actor_key"])
    blocks = done.filter(done.block_id.notnull())
    block_done = blocks.group_by(["module_id", "block_id"]).aggregate(learners=blocks.actor_key.nunique())
    mods = done.filter((done.verb == Verb.COMPLETED) & done.block_id.isnull())
    module_done = mods.group_by("module_id").aggregate(learners=mods.actor_key.nunique())
    s = structure(course)
    by_block = s.left_join(block_done, ["module_id", "block_id"]).select(
        position=s.position * 2 + 1, module_id=s.module_id, block_id=s.block_id, kind=s.kind,
        title=s.title, learners=ibis.coalesce(block_done.learners, 0))
    m = modules(course)
    last = s.group_by("module_id").aggregate(position=s.position.max())
    m = m.join(last, "module_id").select("module_id", "title", position=last.position * 2 + 2)
    by_module = m.left_join(module_done, "module_id").select(
        position=m.position, module_id=m.module_id, block_id=ibis.null("string"),
        kind=ibis.literal("module"), title=m.title, learners=ibis.coalesce(module_done.learners, 0))
    funnel = by_block.union(by_module)
    funnel = funnel.left_join(sizes, "module_id").select(
        *[funnel[c] for c in funnel.columns], audience=ibis.coalesce(sizes.audience, 0))
    return funnel.mutate(share=funnel.learners / ibis.greatest(funnel.audience, 1)).order_by("position")


def deciding_blocks(course: Course) -> list[str]:
    """The quizzes ("module/block") whose score is the course score: the post assessments, else every scored quiz."""
    quizzes = [(m, b) for m, b in course.blocks() if b.kind == "quiz"]
    post = [f"{m.id}/{b.id}" for m, b in quizzes if getattr(b, "assessment", None) == "post"]
    return post or [f"{m.id}/{b.id}" for m, b in quizzes if getattr(b, "assessment", None) != "pre"]


def latest_finishes(t: ibis.Table) -> ibis.Table:
    """Each learner's latest finish of each quiz: scaled score, success, assessment kind."""
    f = t.filter(t.verb.isin(FINISH_VERBS) & (t.block_kind == "quiz") & t.item_id.isnull()
                 & t.block_id.notnull() & t.scaled.notnull())
    return f.group_by(["actor_key", "module_id", "block_id"]).aggregate(
        learner=f.actor_name.min(), cohort=f.cohort.min(), scaled=f.scaled.argmax(f.timestamp),
        assessment_kind=f.assessment_kind.argmax(f.timestamp))


def course_scores(t: ibis.Table, course: Course) -> ibis.Table:
    """Per learner: the course score (mean of the latest deciding quizzes) and pass/fail."""
    f = latest_finishes(t)
    f = f.filter((f.module_id + "/" + f.block_id).isin(deciding_blocks(course) or ["-"]))  # block ids repeat across modules
    scores = f.group_by("actor_key").aggregate(learner=f.learner.min(), cohort=f.cohort.min(),
                                               score=f.scaled.mean())
    mastery = course.mastery_score
    passed = scores.score >= mastery if mastery is not None else ibis.null("boolean")
    return scores.mutate(passed=passed).order_by("learner")


def score_distribution(scores: ibis.Table) -> ibis.Table:
    """Learners per tenth of the score scale (the last bin holds 0.9 to 1.0 inclusive)."""
    tenth = ibis.least((scores.score * 10).floor(), 9)
    binned = scores.mutate(bin_low=tenth / 10)
    return binned.group_by("bin_low").aggregate(learners=binned.count()).order_by("bin_low")


def pass_rate(scores: ibis.Table) -> ibis.Table:
    """Per cohort and overall: learners with a score, how many passed, the rate."""
    figures = dict(learners=scores.count(), passed=scores.passed.cast("int64").sum(),
                   mean_score=scores.score.mean())
    per_cohort = scores.group_by("cohort").aggregate(**figures)
    overall = scores.aggregate(**figures).mutate(cohort=ibis.literal("(all)"))
    columns = ["cohort", "learners", "passed", "mean_score"]
    both = per_cohort.select(columns).union(overall.select(columns))
    return both.mutate(pass_rate=both.passed / both.learners).order_by("cohort")


def latest_answers(t: ibis.Table) -> ibis.Table:
    """Each learner's latest answer to each quiz question."""
    a = t.filter((t.verb == Verb.ANSWERED) & (t.block_kind == "quiz") & t.item_id.notnull())
    return a.group_by(["actor_key", "module_id", "block_id", "item_id"]).aggregate(
        response=a.response.argmax(a.timestamp), success=a.success.argmax(a.timestamp))


def item_analysis(t: ibis.Table) -> ibis.Table:
    """Per question: n, difficulty (share correct) and discrimination (corrected point-biserial:
    the correlation of the item with the learner's score on the rest of the same quiz)."""
    a = latest_answers(t)
    a = a.mutate(right=a.success.cast("float64").fill_null(0))
    total = a.right.sum().over(group_by=["actor_key", "module_id", "block_id"])
    a = a.mutate(rest=total - a.right)
    return a.group_by(["module_id", "block_id", "item_id"]).aggregate(
        n=a.count(), difficulty=a.right.mean(), discrimination=a.right.corr(a.rest, how="pop"),
    ).order_by(["module_id", "block_id", "item_id"])


def distractors(t: ibis.Table) -> ibis.Table:
    """Per question and response: how many learners gave it (latest answer), and if it is correct."""
    a = latest_answers(t)
    return a.group_by(["module_id", "block_id", "item_id", "response"]).aggregate(
        learners=a.count(), correct=a.success.any(),
    ).order_by(["module_id", "block_id", "item_id", "response"])
