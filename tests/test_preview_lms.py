"""The preview as an LMS over HTTP: cmi5 launch, TinCan launch, saved SCORM data."""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from compiler.preview.journal import read_journal
from compiler.preview.server import PreviewServer

V = {"X-Experience-API-Version": "1.0.3"}


def serve(tmp_path, course, target):
    return PreviewServer(course, target=target, build_root=tmp_path / "build").start()


@pytest.fixture
def cmi5(tmp_path, sample_course):
    server = serve(tmp_path, sample_course, "cmi5")
    yield server
    server.stop()


def launch(server, name="Ana Lima", cohort="chat-agents"):
    answer = requests.post(server.url + "/lms/launch", json={"name": name, "cohort": cohort}, timeout=5)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return body, {k: v[0] for k, v in parse_qs(urlsplit(body["url"]).query).items()}


def test_cmi5_launch_gives_the_five_parameters_and_a_launched_statement(cmi5):
    body, query = launch(cmi5)
    assert body["learner"] == {"id": "ana-lima", "name": "Ana Lima"}
    assert query["endpoint"] == cmi5.url + "/xapi/"
    actor = json.loads(query["actor"])
    assert actor["account"]["name"] == "ana-lima"
    assert query["fetch"].startswith(cmi5.url + "/lms/fetch/")
    assert query["cohort"] == "chat-agents"
    launched = read_journal(cmi5.journal.path)
    assert [s["verb"]["id"] for s in launched] == ["http://adlnet.gov/expapi/verbs/launched"]
    assert launched[0]["object"]["id"] == query["activityId"]
    assert launched[0]["context"]["registration"] == query["registration"]


def test_cmi5_fetch_gives_the_token_once_then_error_1(cmi5):
    _, query = launch(cmi5)
    first = requests.post(query["fetch"], timeout=5)
    assert first.status_code == 200 and first.json()["auth-token"]
    second = requests.post(query["fetch"], timeout=5)
    assert second.status_code == 200 and second.json()["error-code"] == "1"


def test_cmi5_launch_data_and_learner_preferences_are_there_for_the_au(cmi5, sample_course):
    _, query = launch(cmi5)
    state = requests.get(cmi5.url + "/xapi/activities/state", headers=V, timeout=5, params={
        "stateId": "LMS.LaunchData", "activityId": query["activityId"], "agent": query["actor"],
        "registration": query["registration"]}).json()
    assert state["launchMode"] == "Normal"
    assert state["masteryScore"] == 0.8
    assert state["moveOn"] == "CompletedAndPassed"
    assert state["launchParameters"] == "cohort=chat-agents"
    grouping = [a["id"] for a in state["contextTemplate"]["contextActivities"]["grouping"]]
    assert "https://courses.example.org/empathy-at-touchpoints" in grouping
    session = state["contextTemplate"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"]
    launched = read_journal(cmi5.journal.path)[0]
    assert launched["context"]["extensions"]["https://w3id.org/xapi/cmi5/context/extensions/sessionid"] == session
    prefs = requests.get(cmi5.url + "/xapi/agents/profile", headers=V, timeout=5,
                         params={"agent": query["actor"], "profileId": "cmi5LearnerPreferences"}).json()
    assert prefs["languagePreference"] == "en"


def test_a_learner_keeps_one_registration_until_a_new_attempt(cmi5):
    _, first = launch(cmi5)
    _, again = launch(cmi5)
    _, other = launch(cmi5, name="Bo Chen", cohort="routing-designers")
    assert first["registration"] == again["registration"] != other["registration"]
    assert requests.post(cmi5.url + "/lms/reset?learner=ana-lima", timeout=5).status_code == 204
    _, fresh = launch(cmi5)
    assert fresh["registration"] != first["registration"]


def test_a_launch_without_a_name_or_with_an_unknown_cohort_is_refused(cmi5):
    assert requests.post(cmi5.url + "/lms/launch", json={"name": "  "}, timeout=5).status_code == 400
    nope = requests.post(cmi5.url + "/lms/launch", json={"name": "Ana", "cohort": "pilots"}, timeout=5)
    assert nope.status_code == 400 and "pilots" in nope.json()["error"]
    assert requests.post(cmi5.url + "/lms/launch", data=b"{", timeout=5).status_code == 400


def test_tincan_launch_passes_endpoint_auth_actor_registration(tmp_path, sample_course):
    server = serve(tmp_path, sample_course, "xapi")
    try:
        _, query = launch(server)
        assert query["endpoint"] == server.url + "/xapi/"
        assert query["auth"].startswith("Basic ")
        assert json.loads(query["actor"])["name"] == "Ana Lima"
        assert len(query["registration"]) == 36
    finally:
        server.stop()


def test_scorm_data_committed_for_a_learner_comes_back_at_the_next_launch(tmp_path, sample_course):
    server = serve(tmp_path, sample_course, "scorm12")
    try:
        body, _ = launch(server)
        assert body["cmi"] is None and body["url"].startswith("/course/index.html")
        record = {"cmi": {"cmi.core.exit": "suspend", "cmi.suspend_data": "abc"}, "finished": True}
        assert requests.put(server.url + "/lms/cmi?learner=ana-lima", json=record, timeout=5).status_code == 204
        again, _ = launch(server)
        assert again["cmi"] == record
        other, _ = launch(server, name="Bo Chen")
        assert other["cmi"] is None
    finally:
        server.stop()


def test_a_restart_keeps_saved_scorm_data_registrations_and_documents(tmp_path, sample_course):
    first = serve(tmp_path, sample_course, "cmi5")
    _, query = launch(first)
    record = {"cmi": {"cmi.core.exit": "suspend"}, "finished": True}
    requests.put(first.url + "/lms/cmi?learner=ana-lima", json=record, timeout=5)
    state = {"stateId": "own", "activityId": query["activityId"], "agent": query["actor"],
             "registration": query["registration"]}
    requests.put(first.url + "/xapi/activities/state", params=state, json={"completed": True}, headers=V, timeout=5)
    first.stop()
    second = serve(tmp_path, sample_course, "cmi5")
    try:
        _, again = launch(second)
        assert again["registration"] == query["registration"]
        assert requests.get(second.url + "/lms/cmi?learner=ana-lima", timeout=5).json() == record
        kept = requests.get(second.url + "/xapi/activities/state", params=state, headers=V, timeout=5)
        assert kept.status_code == 200 and kept.json() == {"completed": True}
    finally:
        second.stop()


def test_saved_scorm_data_must_be_an_object_for_a_learner(tmp_path, sample_course):
    server = serve(tmp_path, sample_course, "scorm12")
    try:
        assert requests.put(server.url + "/lms/cmi?learner=ana-lima", json=[1], timeout=5).status_code == 400
        assert requests.put(server.url + "/lms/cmi?learner=", json={}, timeout=5).status_code == 400
    finally:
        server.stop()
