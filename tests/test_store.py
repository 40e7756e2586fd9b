"""The statement store: dedup, voiding (also late), malformed and foreign statements, odd
actors, incremental `since`, forget."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from compiler.lrs import statements as st
from compiler.reports.store import OVERLAP, DuckDBStore
from tests.support.report_course import COURSE_IRI, make_course

T0 = datetime(2025, 5, 1, 9, 0, tzinfo=timezone.utc)
COURSE = make_course()
LESSON_MODULE = COURSE.modules[1]
LESSON = LESSON_MODULE.blocks[0]


def _id(n: int) -> str:
    return str(uuid.UUID(int=n, version=4))


def lesson_done(n: int, learner: str = "ana", minutes: int = 0, **extra) -> dict:
    attempt = st.Attempt(COURSE, st.account_actor("https://lms.example.org", learner), _id(10_000 + n), "agents")
    statement = st.lesson_completed(attempt, st.Stamp(_id(n), T0 + timedelta(minutes=minutes)), LESSON_MODULE, LESSON, 60)
    statement.update(extra)
    return statement


def write_ndjson(path: Path, items: list) -> Path:
    path.write_text("".join((i if isinstance(i, str) else json.dumps(i)) + "\n" for i in items))
    return path


@pytest.fixture
def store(tmp_path):
    with DuckDBStore(tmp_path / "s.duckdb", COURSE_IRI) as s:
        yield s


def test_duplicates_are_kept_once_within_and_across_loads(store, tmp_path):
    first = store.load_ndjson(write_ndjson(tmp_path / "a.ndjson", [lesson_done(1), lesson_done(1), lesson_done(2)]))
    assert (first.read, first.added, first.duplicates) == (3, 2, 1)
    again = store.load_ndjson(write_ndjson(tmp_path / "b.ndjson", [lesson_done(2), lesson_done(3)]))
    assert (again.added, again.duplicates) == (1, 1)
    assert store.count() == 3


def test_void_applies_whether_it_arrives_before_or_after_its_target(store, tmp_path):
    admin = st.account_actor("https://lms.example.org", "admin")
    store.load_ndjson(write_ndjson(tmp_path / "a.ndjson", [lesson_done(1), lesson_done(2)]))
    late_void = st.voiding(admin, st.Stamp(_id(900), T0), _id(1))
    early_void = st.voiding(admin, st.Stamp(_id(901), T0), _id(3))
    stats = store.load_ndjson(write_ndjson(tmp_path / "b.ndjson", [late_void, early_void]))
    assert stats.voided == 1 and store.count() == 1
    # the target of the early void arrives afterwards: it never enters the store
    later = store.load_ndjson(write_ndjson(tmp_path / "c.ndjson", [lesson_done(3), lesson_done(1)]))
    assert later.added == 0 and store.count() == 1


def test_malformed_statements_are_counted_by_reason_and_skipped(store, tmp_path):
    good = lesson_done(1)
    no_actor = {k: v for k, v in lesson_done(2).items() if k != "actor"}
    no_verb = {k: v for k, v in lesson_done(3).items() if k != "verb"}
    no_object = {k: v for k, v in lesson_done(4).items() if k != "object"}
    no_id = {k: v for k, v in lesson_done(5).items() if k != "id"}
    items = [good, "{not json", "[1, 2]", no_actor, no_verb, no_object, no_id,
             lesson_done(6, id="not-a-uuid"), lesson_done(7, timestamp="yesterday"), ""]
    stats = store.load_ndjson(write_ndjson(tmp_path / "m.ndjson", items))
    assert stats.added == 1 and stats.read == 9  # the blank line is not a statement
    assert stats.malformed == {"bad JSON": 1, "not a JSON object": 1, "missing actor": 1, "missing verb": 1,
                               "missing object": 1, "missing id": 1, "id is not a UUID": 1, "bad timestamp": 1}
    assert store.rejects() == stats.malformed


def test_other_courses_are_left_out_but_cmi5_style_grouping_counts(store, tmp_path):
    other = lesson_done(1)
    other["object"]["id"] = "https://courses.example.org/another/m/b"
    other["context"]["contextActivities"] = {"grouping": [{"id": "https://courses.example.org/another"}]}
    prefix_only = lesson_done(2)
    prefix_only["object"]["id"] = COURSE_IRI + "-2/listening/why"  # shares a prefix, not the course
    prefix_only["context"]["contextActivities"] = {}
    cmi5 = lesson_done(3)
    cmi5["object"]["id"] = "https://lms.example.org/activities/42"  # the LMS's activity id
    cmi5["context"]["contextActivities"]["grouping"].append({"id": COURSE_IRI + "/listening"})
    stats = store.load_ndjson(write_ndjson(tmp_path / "o.ndjson", [other, prefix_only, cmi5]))
    assert (stats.added, stats.other_course) == (1, 2)
    row = store.con.execute("SELECT module_id, block_id FROM statements").fetchone()
    assert row == ("listening", None)


def test_group_and_hashed_mailbox_actors_get_a_learner_key(store, tmp_path):
    sha = lesson_done(1, actor={"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"})
    group = lesson_done(2, actor={"objectType": "Group", "member": [{"mbox": "mailto:a@example.org"}]})
    identified = lesson_done(3, actor={"objectType": "Group", "mbox": "mailto:team@example.org", "member": []})
    stats = store.load_ndjson(write_ndjson(tmp_path / "g.ndjson", [sha, group, identified]))
    assert stats.added == 3 and not stats.malformed
    keys = sorted(r[0] for r in store.con.execute("SELECT actor_key FROM statements").fetchall())
    assert keys[0] == "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"
    assert keys[1].startswith("group:") and keys[2] == "mailto:team@example.org"


def test_incremental_since_is_last_stored_minus_overlap_and_late_statements_still_load(store, tmp_path):
    assert store.sync_since() is None
    stored = T0 + timedelta(days=2)
    store.load_ndjson(write_ndjson(tmp_path / "a.ndjson", [lesson_done(1, stored=st.iso_timestamp(stored))]))
    assert store.sync_since() == stored.replace(tzinfo=None) - OVERLAP
    # queued offline: an old timestamp, stored a minute before the last sync's newest -> in the overlap
    late = lesson_done(2, minutes=-600, stored=st.iso_timestamp(stored - timedelta(minutes=1)))
    stats = store.load_ndjson(write_ndjson(tmp_path / "b.ndjson", [late, lesson_done(1)]))
    assert (stats.added, stats.duplicates) == (1, 1)
    assert store.sync_since() == stored.replace(tzinfo=None) - OVERLAP  # never moves backwards


def test_json_array_files_load_too(store, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([lesson_done(1), lesson_done(2)]))
    assert store.load_ndjson(path, "array").added == 2


def test_forget_removes_every_statement_of_a_learner(store, tmp_path):
    store.load_ndjson(write_ndjson(tmp_path / "a.ndjson", [lesson_done(1, "ana"), lesson_done(2, "ana"),
                                                          lesson_done(3, "bo")]))
    assert store.forget("ana") == 2
    names = store.con.execute("SELECT DISTINCT actor_name FROM statements").fetchall()
    assert names == [("bo",)]


def test_store_refuses_another_course(tmp_path):
    DuckDBStore(tmp_path / "s.duckdb", COURSE_IRI).close()
    with pytest.raises(ValueError, match="holds course"):
        DuckDBStore(tmp_path / "s.duckdb", "https://courses.example.org/other")
