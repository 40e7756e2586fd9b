"""Aggregates about learning: pre/post per cohort, scenarios, time on task, reflections and
artifacts, the learner transcript.  Ibis expressions over ``aggregates.prepare``'s table."""
from __future__ import annotations

import ibis

from ..model import Course
from ..vocabulary import Verb
from .aggregates import latest_finishes, structure

IDLE_CAP_SECONDS = 30 * 60
TOP_PATHS = 5
TEXT_VERBS = (Verb.RESPONDED, Verb.CREATED)


def paired_changes(t: ibis.Table) -> ibis.Table:
    """Learners with both a pre and a post score (mean of their latest pre / post quizzes)."""
    f = latest_finishes(t)
    per = f.group_by("actor_key").aggregate(
        learner=f.learner.min(), cohort=f.cohort.min(),
        pre=f.scaled.mean(where=f.assessment_kind == "pre"),
        post=f.scaled.mean(where=f.assessment_kind == "post"))
    paired = per.filter(per.pre.notnull() & per.post.notnull())
    return paired.mutate(change=paired.post - paired.pre)


def pre_post(t: ibis.Table) -> ibis.Table:
    """Per cohort and overall: n paired learners, mean pre, mean post, mean and SD of the
    change.  ``stats.paired_summary`` adds the 95 % CI and d_z from these figures."""
    p = paired_changes(t)
    figures = dict(n=p.count(), mean_pre=p.pre.mean(), mean_post=p.post.mean(),
                   mean_change=p.change.mean(), sd_change=p.change.std(how="sample"))
    columns = ["cohort", *figures]
    per_cohort = p.group_by("cohort").aggregate(**figures).select(columns)
    overall = p.aggregate(**figures).mutate(cohort=ibis.literal("(all)")).select(columns)
    return per_cohort.union(overall).order_by("cohort")


def scenario_choices(t: ibis.Table) -> ibis.Table:
    """Per scenario step: how often each choice was taken, and its share of the step's choices."""
    a = t.filter((t.verb == Verb.ANSWERED) & (t.block_kind == "scenario") & t.item_id.notnull())
    counts = a.group_by(["module_id", "block_id", "item_id", "response"]).aggregate(choices=a.count())
    step_total = counts.choices.sum().over(group_by=["module_id", "block_id", "item_id"])
    return counts.mutate(share=counts.choices / step_total).order_by(
        ["module_id", "block_id", "item_id", "response"])


def _scenario_finishes(t: ibis.Table) -> ibis.Table:
    return t.filter((t.verb == Verb.COMPLETED) & (t.block_kind == "scenario") & t.item_id.isnull()
                    & t.block_id.notnull())


def scenario_paths(t: ibis.Table) -> ibis.Table:
    """Per scenario: the most common paths (steps visited), with count and share."""
    f = _scenario_finishes(t)
    counts = f.group_by(["module_id", "block_id", "path"]).aggregate(learners=f.count())
    total = counts.learners.sum().over(group_by=["module_id", "block_id"])
    rank = ibis.row_number().over(group_by=["module_id", "block_id"],
                                  order_by=[ibis.desc(counts.learners), counts.path])
    ranked = counts.mutate(share=counts.learners / total, rank=rank + 1)
    return ranked.filter(ranked.rank <= TOP_PATHS).order_by(["module_id", "block_id", "rank"])


def scenario_endings(t: ibis.Table) -> ibis.Table:
    """Per scenario: the share of finishes that reached each ending."""
    f = _scenario_finishes(t)
    counts = f.group_by(["module_id", "block_id", "ending"]).aggregate(learners=f.count())
    total = counts.learners.sum().over(group_by=["module_id", "block_id"])
    return counts.mutate(share=counts.learners / total).order_by(["module_id", "block_id", "ending"])


def time_per_block(t: ibis.Table) -> ibis.Table:
    """Seconds each learner spent on each block: the block's ``result.duration`` where present,
    else the gaps before the block's statements within the registration, each capped at 30 min."""
    ordered = t.filter(t.registration.notnull() & t.timestamp.notnull())
    timed = ordered.verb.isin((Verb.COMPLETED, Verb.PASSED, Verb.FAILED, *TEXT_VERBS)) & ordered.item_id.isnull()
    # Only the columns used later go through the window's sort (verb and item as one duration).
    ordered = ordered.select("id", "timestamp", "registration", "actor_key", "module_id", "block_id",
                             duration=ibis.ifelse(timed, ordered.duration_s, ibis.null("float64")))
    previous = ordered.timestamp.lag().over(group_by="registration", order_by=["timestamp", "id"])
    # In microseconds, then seconds: epoch_seconds() keeps fractions on DuckDB but not on Spark.
    gap = ordered.timestamp.delta(previous, unit="microsecond") / 1e6
    g = ordered.mutate(gap=ibis.least(gap.fill_null(0), IDLE_CAP_SECONDS))
    g = g.filter(g.block_id.notnull())
    per = g.group_by(["actor_key", "registration", "module_id", "block_id"]).aggregate(
        reported=g.duration.sum(), gaps=g.gap.sum())
    return per.mutate(seconds=ibis.coalesce(per.reported, per.gaps))


def time_on_task(t: ibis.Table, course: Course) -> ibis.Table:
    """Per block in course order: learners, median and 90th percentile minutes, planned minutes."""
    per = time_per_block(t)
    stats = per.group_by(["module_id", "block_id"]).aggregate(
        learners=per.actor_key.nunique(), median_minutes=per.seconds.median() / 60,
        p90_minutes=per.seconds.quantile(0.9) / 60)
    s = structure(course)
    joined = s.left_join(stats, ["module_id", "block_id"])
    return joined.select(
        "position", module_id=s.module_id, block_id=s.block_id, kind=s.kind, title=s.title,
        planned_minutes=s.minutes, learners=ibis.coalesce(joined.learners, 0),
        median_minutes=joined.median_minutes, p90_minutes=joined.p90_minutes,
    ).order_by("position").drop("position")


def reflections(t: ibis.Table) -> ibis.Table:
    """Reflections and artifacts for review: learner, module, block, time, word count, text."""
    r = t.filter(t.verb.isin(TEXT_VERBS) & t.block_kind.isin(("reflection", "artifact")))
    words = ibis.coalesce(r.words, r.response.re_split(r"\s+").filter(lambda w: w != "").length())
    return r.select(learner=r.actor_name, cohort=r.cohort, module_id=r.module_id, block_id=r.block_id,
                    kind=r.block_kind, timestamp=r.timestamp, words=words.cast("int64"),
                    text=r.response).order_by(["module_id", "block_id", "timestamp", "learner"])


def transcript(t: ibis.Table) -> ibis.Table:
    """Per learner and block: the latest outcome (verb, score, success) and when it happened."""
    b = t.filter(t.block_id.notnull() & t.item_id.isnull())
    last = b.group_by(["actor_key", "module_id", "block_id"]).aggregate(
        learner=b.actor_name.min(), cohort=b.cohort.min(), kind=b.block_kind.max(),
        last_verb=b.verb.argmax(b.timestamp), score=b.scaled.argmax(b.timestamp),
        success=b.success.argmax(b.timestamp), statements=b.count(), last_time=b.timestamp.max())
    verb = last.last_verb.re_extract(r"([^/]+)$", 1)
    return last.mutate(last_verb=verb).drop("actor_key").order_by(["learner", "last_time", "block_id"])
