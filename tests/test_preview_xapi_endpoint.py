"""The preview's xAPI endpoint over HTTP: statements, voiding, `more`, State, Agent Profile."""
from __future__ import annotations

import json
import uuid

import pytest
import requests

from compiler.preview.journal import read_journal
from compiler.preview.server import PreviewServer

V = {"X-Experience-API-Version": "1.0.3"}
ACTOR = {"objectType": "Agent", "account": {"homePage": "https://example.org", "name": "ana"}}


@pytest.fixture
def preview(tmp_path, sample_course):
    server = PreviewServer(sample_course, target="xapi", build_root=tmp_path / "build").start()
    yield server
    server.stop()


def make(n: int, verb: str = "http://adlnet.gov/expapi/verbs/answered", **extra) -> dict:
    return {"id": str(uuid.UUID(int=n + 1000)), "actor": ACTOR, "verb": {"id": verb},
            "object": {"id": f"https://example.org/q{n}"}, **extra}


def post(preview, body, headers=V):
    return requests.post(preview.url + "/xapi/statements", json=body, headers=headers, timeout=5)


def get(preview, resource, params=None, headers=V):
    return requests.get(preview.url + "/xapi/" + resource, params=params, headers=headers, timeout=5)


def test_post_batch_answers_ids_in_order_and_journals_them(preview):
    answer = post(preview, [make(1), make(2)])
    assert answer.status_code == 200
    assert answer.json() == [make(1)["id"], make(2)["id"]]
    assert answer.headers["X-Experience-API-Version"] == "1.0.3"
    journaled = read_journal(preview.journal.path)
    assert [s["id"] for s in journaled] == answer.json()
    assert all(s["stored"] and s["authority"] for s in journaled)


def test_same_id_same_content_is_stored_once_different_content_is_409(preview):
    assert post(preview, make(1)).status_code == 200
    assert post(preview, make(1)).status_code == 200
    assert len(read_journal(preview.journal.path)) == 1
    changed = make(1, result={"success": True})
    assert post(preview, changed).status_code == 409


def test_a_batch_with_a_bad_statement_stores_nothing(preview):
    bad = {"id": str(uuid.uuid4()), "verb": {"id": "x"}}  # no actor, no object
    assert post(preview, [make(1), bad]).status_code == 400
    assert post(preview, [make(2), make(2)]).status_code == 400  # duplicate id in one batch
    assert read_journal(preview.journal.path) == []


def test_put_by_statement_id_and_get_it_back(preview):
    s = make(5)
    put = requests.put(preview.url + "/xapi/statements", params={"statementId": s["id"]}, json=s, headers=V, timeout=5)
    assert put.status_code == 204
    assert get(preview, "statements", {"statementId": s["id"]}).json()["object"]["id"] == s["object"]["id"]
    other = requests.put(preview.url + "/xapi/statements", params={"statementId": str(uuid.uuid4())}, json=s,
                         headers=V, timeout=5)
    assert other.status_code == 400


def test_requests_without_the_version_header_are_refused(preview):
    assert post(preview, make(1), headers={}).status_code == 400
    assert get(preview, "statements", headers={}).status_code == 400
    assert get(preview, "statements", {"nonsense": "1"}).status_code == 400


def test_voided_statements_drop_out_of_queries(preview):
    post(preview, [make(1), make(2)])
    void = make(3, verb="http://adlnet.gov/expapi/verbs/voided")
    void["object"] = {"objectType": "StatementRef", "id": make(1)["id"]}
    assert post(preview, void).status_code == 200
    ids = [s["id"] for s in get(preview, "statements").json()["statements"]]
    assert make(1)["id"] not in ids and make(2)["id"] in ids and void["id"] in ids
    assert get(preview, "statements", {"statementId": make(1)["id"]}).status_code == 404
    assert get(preview, "statements", {"voidedStatementId": make(1)["id"]}).json()["id"] == make(1)["id"]


def test_more_pages_through_every_statement_newest_first(preview):
    post(preview, [make(n) for n in range(7)])
    seen, url = [], preview.url + "/xapi/statements?limit=3"
    pages = 0
    while url:
        body = requests.get(url, headers=V, timeout=5).json()
        seen += [s["id"] for s in body["statements"]]
        pages += 1
        assert not body["more"] or body["more"].startswith("/xapi/statements?")
        url = preview.url + body["more"] if body["more"] else None
    assert pages == 3
    assert seen == [make(n)["id"] for n in reversed(range(7))]


def test_filters_by_agent_verb_activity_registration(preview):
    registration = str(uuid.uuid4())
    other = dict(make(2), actor={"objectType": "Agent", "mbox": "mailto:b@example.org"})
    post(preview, [make(1, context={"registration": registration}), other])
    by_agent = get(preview, "statements", {"agent": json.dumps(ACTOR)}).json()["statements"]
    assert [s["id"] for s in by_agent] == [make(1)["id"]]
    assert len(get(preview, "statements", {"registration": registration}).json()["statements"]) == 1
    assert len(get(preview, "statements", {"activity": "https://example.org/q2"}).json()["statements"]) == 1
    assert get(preview, "statements", {"verb": "http://adlnet.gov/expapi/verbs/passed"}).json()["statements"] == []


def test_state_put_get_merge_list_delete(preview):
    params = {"activityId": "https://example.org/a", "agent": json.dumps(ACTOR), "stateId": "s1"}
    url = preview.url + "/xapi/activities/state"
    assert requests.get(url, params=params, headers=V, timeout=5).status_code == 404
    assert requests.put(url, params=params, json={"a": 1}, headers=V, timeout=5).status_code == 204
    assert requests.post(url, params=params, json={"b": 2}, headers=V, timeout=5).status_code == 204
    assert requests.get(url, params=params, headers=V, timeout=5).json() == {"a": 1, "b": 2}
    listing = {k: v for k, v in params.items() if k != "stateId"}
    assert requests.get(url, params=listing, headers=V, timeout=5).json() == ["s1"]
    assert requests.delete(url, params=params, headers=V, timeout=5).status_code == 204
    assert requests.get(url, params=params, headers=V, timeout=5).status_code == 404


def test_agent_profile_needs_concurrency_headers_to_overwrite(preview):
    params = {"agent": json.dumps(ACTOR), "profileId": "prefs"}
    url = preview.url + "/xapi/agents/profile"
    assert requests.put(url, params=params, json={"x": 1}, headers=V, timeout=5).status_code == 204
    assert requests.put(url, params=params, json={"x": 2}, headers=V, timeout=5).status_code == 409
    tag = requests.get(url, params=params, headers=V, timeout=5).headers["ETag"]
    assert requests.put(url, params=params, json={"x": 2}, headers={**V, "If-Match": '"0"'}, timeout=5).status_code == 412
    assert requests.put(url, params=params, json={"x": 2}, headers={**V, "If-Match": tag}, timeout=5).status_code == 204
    assert requests.get(url, params=params, headers=V, timeout=5).json() == {"x": 2}


def test_statements_survive_a_restart_of_the_preview(tmp_path, sample_course):
    first = PreviewServer(sample_course, target="xapi", build_root=tmp_path / "build").start()
    post(first, make(1))
    first.stop()
    second = PreviewServer(sample_course, target="xapi", build_root=tmp_path / "build").start()
    try:
        assert post(second, make(1)).status_code == 200  # known id, same content
        assert [s["id"] for s in get(second, "statements").json()["statements"]] == [make(1)["id"]]
    finally:
        second.stop()


def test_a_refused_statement_is_kept_aside_with_its_reason_and_followed_by_the_inspector(preview):
    bad = {"id": str(uuid.UUID(int=9)), "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
           "object": {"id": "https://example.org/bad"}}  # no actor
    answer = post(preview, [make(1), bad])
    assert answer.status_code == 400
    assert post(preview, bad).status_code == 400  # the batch resent one at a time: kept once
    assert post(preview, make(1)).status_code == 200  # valid statements in other requests are stored
    assert post(preview, make(2)).status_code == 200
    not_json = requests.post(preview.url + "/xapi/statements", data=b"{oops", headers=V, timeout=5)
    assert not_json.status_code == 400
    assert [s["id"] for s in read_journal(preview.journal.path)] == [make(1)["id"], make(2)["id"]]
    refused = preview.refused.entries
    assert [(e["statement"], e["reason"], e["status"]) for e in refused] == [
        (bad, "statement without actor", 400), ("{oops", not_json.text, 400)]
    assert read_journal(preview.journal.path.with_name(preview.journal.path.stem + ".refused.ndjson")) == refused
    feed = requests.get(preview.url + "/lms/statements", params={"from": 2, "refused": 0}, timeout=5).json()
    assert (feed["next"], feed["refusedNext"], feed["refused"]) == (2, 2, refused)
    assert feed["statements"] == []
    assert get(preview, "statements", {"statementId": bad["id"]}).status_code == 404


def test_refused_statements_survive_a_restart_of_the_preview(tmp_path, sample_course):
    bad = dict(make(1), actor="nobody")
    first = PreviewServer(sample_course, target="xapi", build_root=tmp_path / "build").start()
    assert post(first, bad).status_code == 400
    first.stop()
    second = PreviewServer(sample_course, target="xapi", build_root=tmp_path / "build").start()
    try:
        assert post(second, bad).status_code == 400  # same statement, same reason: still kept once
        assert [e["statement"] for e in second.refused.entries] == [bad]
    finally:
        second.stop()
