"""Aggregates about learning: pre/post per cohort (quizzes, and survey self-ratings per pair),
scenarios, time on task, reflections and artifacts, the learner transcript.  Ibis expressions
over ``aggregates.prepare``'s table."""
from __future__ import annotations

import ibis

from ..model import Course
from ..vocabulary import Verb
from .aggregates import latest_finishes, structure

IDLE_CAP_SECONDS = 30 * 60
TOP_PATHS = 5
TEXT_VERBS = (Verb.RESPONDED, Verb.CREATED)


def _paired(per: ibis.Table) -> ibis.Table:
    """The rows of ``per`` (one per learner and comparison) with both ``pre`` and ``post``, plus ``change``."""
    paired = per.filter(per.pre.notnull() & per.post.notnull())
    return paired.mutate(change=paired.post - paired.pre)


def paired_changes(t: ibis.Table) -> ibis.Table:
    """Learners with both a pre and a post score (mean of their latest pre / post quizzes)."""
    f = latest_finishes(t)
    per = f.group_by("actor_key").aggregate(
        learner=f.learner.min(), cohort=f.cohort.min(),
        pre=f.scaled.mean(where=f.assessment_kind == "pre"),
        post=f.scaled.mean(where=f.assessment_kind == "post"))
    return _paired(per)


def summarise_changes(p: ibis.Table, by: tuple[str, ...] = ()) -> ibis.Table:
    """Per ``by`` columns and cohort, and per ``by`` over all cohorts ("(all)"): n paired
    learners, mean pre, mean post, mean and SD of the change of ``p`` (``paired_changes`` or
    ``survey_changes``).  ``stats.paired_summary`` adds the 95 % CI and d_z from these figures."""
    figures = dict(n=p.count(), mean_pre=p.pre.mean(), mean_post=p.post.mean(),
                   mean_change=p.change.mean(), sd_change=p.change.std(how="sample"))
    columns = [*by, "cohort", *figures]
    per_cohort = p.group_by([*by, "cohort"]).aggregate(**figures).select(columns)
    overall = p.group_by(list(by)).aggregate(**figures) if by else p.aggregate(**figures)
    overall = overall.mutate(cohort=ibis.literal("(all)")).select(columns)
    return per_cohort.union(overall).order_by([*by, "cohort"])


def pre_post(t: ibis.Table) -> ibis.Table:
    """Quizzes: per cohort and overall, the change of paired learners (``summarise_changes``)."""
    return summarise_changes(paired_changes(t))


def survey_items(course: Course) -> ibis.Table:
    """(module_id, block_id, item_id, pair, kind) of every item of a pre or post survey that both
    the pre and the post survey of its ``pair`` ask (items are matched by id)."""
    surveys = [(m, b) for m, b in course.blocks()
               if b.kind == "survey" and getattr(b, "assessment", None) in ("pre", "post")]
    asked: dict[tuple[str, str], set[str]] = {}
    for _, survey in surveys:
        asked.setdefault((survey.pair, survey.assessment), set()).update(i.id for i in survey.items)
    rows = {"module_id": [], "block_id": [], "item_id": [], "pair": [], "kind": []}
    for module, survey in surveys:
        for item in survey.items:
            if item.id in asked.get((survey.pair, "pre"), ()) and item.id in asked.get((survey.pair, "post"), ()):
                for key, value in zip(rows, (module.id, survey.id, item.id, survey.pair, survey.assessment)):
                    rows[key].append(value)
    return ibis.memtable(rows, schema={c: "string" for c in rows})


def survey_ratings(t: ibis.Table, course: Course) -> ibis.Table:
    """Each learner's latest answer to each matched pre/post survey item, as a number (the
    ``answered`` response is the 1-based scale position as text; anything else is ignored)."""
    a = t.filter((t.verb == Verb.ANSWERED) & (t.block_kind == "survey") & t.item_id.notnull())
    items = survey_items(course)
    a = a.semi_join(items, ["module_id", "block_id", "item_id"])
    latest = a.group_by(["actor_key", "module_id", "block_id", "item_id"]).aggregate(
        cohort=a.cohort.min(), response=a.response.argmax(a.timestamp))
    rated = latest.join(items, ["module_id", "block_id", "item_id"])
    rated = rated.mutate(rating=rated.response.strip().try_cast("float64"))
    return rated.filter(rated.rating.notnull())


def survey_changes(t: ibis.Table, course: Course) -> ibis.Table:
    """Per learner and survey pair, over learners who answered both: pre and post rating (the
    mean of the latest answer per matched item) and the change."""
    r = survey_ratings(t, course)
    per = r.group_by(["actor_key", "pair"]).aggregate(
        cohort=r.cohort.min(), pre=r.rating.mean(where=r.kind == "pre"),
        post=r.rating.mean(where=r.kind == "post"))
    return _paired(per)


def survey_pre_post(t: ibis.Table, course: Course) -> ibis.Table:
    """Surveys: per pair, per cohort and overall, the change of paired learners' self-ratings."""
    return summarise_changes(survey_changes(t, course), by=("pair",))


def survey_item_changes(t: ibis.Table, course: Course) -> ibis.Table:
    """Per survey pair and item: learners who answered it before and after, mean pre, mean post
    and mean change of their ratings."""
    r = survey_ratings(t, course)
    per = r.group_by(["actor_key", "pair", "item_id"]).aggregate(
        pre=r.rating.mean(where=r.kind == "pre"), post=r.rating.mean(where=r.kind == "post"))
    p = _paired(per)
    return p.group_by(["pair", "item_id"]).aggregate(
        n=p.count(), mean_pre=p.pre.mean(), mean_post=p.post.mean(), mean_change=p.change.mean(),
    ).order_by(["pair", "item_id"])


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
