"""Delivery that loses nothing: the browser's queue and sender against a real Ralph LRS.

Real Chromium runs the real runtime files (compiler/runtime/xapi_*.js) in a harness page
served by a small LMS (tests/support/token_server.py) on 127.0.0.1; statements go
cross-origin to Ralph, as they do from an LMS-hosted package.
"""
from __future__ import annotations

import json
import time
import uuid
from urllib.parse import quote

import pytest
import requests

from tests.support.token_server import LmsSite, TokenPolicy
from tests.support.xapi_env import (  # noqa: F401 - fixtures
    HARNESS, RUNTIME, chromium, page, ralph, statements_by_id, wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.lrs]


def open_harness(page, site, ralph, **config):
    config = {"endpoint": ralph.endpoint, "auth": ralph.auth, "scope": uuid.uuid4().hex, **config}
    page.goto(site.url("/harness/xapi_client.html?config=" + quote(json.dumps(config))))
    page.wait_for_function("window.harness !== undefined")
    return config


def test_ralph_stores_a_resent_statement_id_once(ralph):
    """Our exactly-once claim rests on this: the same id posted again is not stored twice."""
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "https://lms.example.org", "name": "u1"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
        "object": {"objectType": "Activity", "id": "https://courses.example.org/resend"},
        "timestamp": "2026-01-01T00:00:00.000Z",
    }
    first = ralph.post([statement])
    again = ralph.post([statement])
    assert first.status_code == 200 and first.json() == [statement["id"]]
    assert again.status_code in (200, 204)
    assert list(statements_by_id(ralph)).count(statement["id"]) == 1
    assert len([s for s in ralph.statements() if s["id"] == statement["id"]]) == 1


def test_statements_are_batched_and_paced(page, ralph):
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph)
        ids = []
        for n in range(12):  # steady activity: a statement every 0.4 s for about 5 s
            ids.append(page.evaluate("n => harness.emit(n)", n))
            page.wait_for_timeout(400)
        elapsed = page.evaluate("performance.now()") / 1000
        assert page.evaluate("harness.flush()") is True
        # When each request started, measured by the browser itself (Resource Timing).
        starts = page.evaluate("""performance.getEntriesByType('resource')
            .filter(e => e.name.endsWith('/statements')).map(e => e.startTime / 1000)""")
    stored = statements_by_id(ralph)
    assert all(stored.count(i) == 1 for i in ids)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(starts) < len(ids)  # batched, not one request per statement
    assert len(starts) <= int(elapsed / 2.0) + 2
    assert all(gap >= 1.95 for gap in gaps[:-1])  # the last one is the final flush


def test_conflicting_id_counts_as_delivered_and_batch_neighbours_arrive(page, ralph):
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph, minInterval=60000)
        taken = page.evaluate("harness.statement(1)")
        other = dict(taken, object={"objectType": "Activity", "id": "https://courses.example.org/other"})
        assert ralph.post([other]).status_code == 200  # the id is now held with different content
        page.evaluate("s => harness.emitRaw(s)", taken)
        fresh = [page.evaluate("n => harness.emit(n)", n) for n in (2, 3)]
        assert page.evaluate("harness.flush()") is True
        assert page.evaluate("harness.pendingIds()") == []
        assert page.evaluate("harness.deadLetters()") == []
    stored = statements_by_id(ralph)
    assert stored.count(taken["id"]) == 1 and all(stored.count(i) == 1 for i in fresh)


def test_malformed_statement_is_kept_aside_and_the_rest_delivered(page, ralph):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph, minInterval=60000)
        good = [page.evaluate("n => harness.emit(n)", n) for n in (1, 2)]
        bad = page.evaluate("() => { const s = harness.statement(3); delete s.actor; return harness.emitRaw(s); }")
        good.append(page.evaluate("n => harness.emit(n)", 4))
        assert page.evaluate("harness.flush()") is True
        dead = page.evaluate("harness.deadLetters()")
    stored = statements_by_id(ralph)
    assert all(stored.count(i) == 1 for i in good) and bad not in stored
    assert [d["statement"]["id"] for d in dead] == [bad]
    assert dead[0]["status"] in (400, 422)
    assert any(bad in e for e in errors)


def test_token_url_expiry_and_401_lead_to_refetch(page, ralph):
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if r.url.endswith("/statements") else None)
    policy = TokenPolicy(auth=ralph.auth, lifetime=2.0, wrong_next=1)
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, policy, port=ralph.page_port) as site:
        registration = str(uuid.uuid4())
        open_harness(page, site, ralph, auth=None, tokenUrl=site.url("/lrs-token"), minInterval=0,
                     registration=registration, activityId="https://courses.example.org/harness")
        first = page.evaluate("n => harness.emit(n)", 1)
        assert page.evaluate("harness.flush()") is True  # wrong token -> 401 -> refetch -> 200
        assert statuses[:2] == [401, 200] and len(policy.requests) == 2
        page.wait_for_timeout(2200)  # the token expires
        second = page.evaluate("n => harness.emit(n)", 2)
        assert page.evaluate("harness.flush()") is True
    assert len(policy.requests) == 3 and statuses[2:] == [200]  # refetched before sending, no 401
    assert policy.refused == 0  # the LMS cookie went with every token request
    assert policy.requests[0]["registration"] == registration
    assert policy.requests[0]["actor"]["account"]["name"] == "learner-1"
    stored = statements_by_id(ralph)
    assert stored.count(first) == 1 and stored.count(second) == 1


def test_outage_then_reload_loses_nothing_and_duplicates_nothing(page, ralph):
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph, minInterval=200)
        ids = [page.evaluate("n => harness.emit(n)", n) for n in range(3)]
        assert page.evaluate("harness.flush()") is True
        page.route("**/xAPI/statements", lambda route: route.abort())  # the network fails
        ids += [page.evaluate("n => harness.emit(n)", n) for n in range(3, 6)]
        page.wait_for_timeout(600)
        page.unroute("**/xAPI/statements")
        ralph.stop()  # then the LRS itself goes down
        ids += [page.evaluate("n => harness.emit(n)", n) for n in range(6, 9)]
        page.wait_for_timeout(600)
        assert set(page.evaluate("harness.pendingIds()")) == set(ids[3:])
        page.reload()  # the learner reloads while the LRS is down
        page.wait_for_function("window.harness !== undefined")
        ids += [page.evaluate("n => harness.emit(n)", n) for n in range(9, 11)]
        ralph.start()
        assert page.evaluate("harness.flush()") is True
        assert page.evaluate("harness.deadLetters()") == []
    stored = statements_by_id(ralph)
    assert sorted(i for i in stored if i in ids) == sorted(ids)
    assert all(stored.count(i) == 1 for i in ids)


def test_page_hidden_flushes_with_keepalive(page, ralph):
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data) if r.url.endswith("/statements") else None)
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph, minInterval=60000)
        first = page.evaluate("n => harness.emit(n)", 1)  # sent at once: nothing was sent before
        wait_until(lambda: first in statements_by_id(ralph))
        held = [page.evaluate("n => harness.emit(n)", n) for n in (2, 3)]  # held by the 60 s pace
        page.wait_for_timeout(300)
        assert set(page.evaluate("harness.pendingIds()")) == set(held)
        page.evaluate("""() => {
            Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }""")
        wait_until(lambda: all(i in statements_by_id(ralph) for i in held))
    assert len(bodies) == 2 and sorted(s["id"] for s in json.loads(bodies[1])) == sorted(held)


def test_queue_falls_back_to_session_storage_and_says_so(page, ralph):
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    page.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new Error('blocked'); }})")
    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph, minInterval=60000)
        assert page.evaluate("harness.queue.kind") == "sessionStorage"
        first = page.evaluate("n => harness.emit(n)", 1)
        assert page.evaluate("harness.flush()") is True
    assert any("sessionStorage" in w for w in warnings)
    assert first in statements_by_id(ralph)


def test_5xx_and_429_are_retried_with_backoff_and_retry_after(page, ralph):
    answers = [(503, {}), (429, {"Retry-After": "2"})]
    attempts = []

    def flaky(route):
        if route.request.method != "POST":
            return route.continue_()
        attempts.append(time.monotonic())
        if answers:
            status, headers = answers.pop(0)
            route.fulfill(status=status, headers={**headers, "Access-Control-Allow-Origin": "*",
                                                  "Access-Control-Expose-Headers": "Retry-After"}, body="busy")
        else:
            route.continue_()

    with LmsSite({"/runtime/": RUNTIME, "/harness/": HARNESS}, port=ralph.page_port) as site:
        open_harness(page, site, ralph, minInterval=0)
        page.route("**/xAPI/statements", flaky)
        sent = page.evaluate("n => harness.emit(n)", 1)
        for _ in range(100):  # wait in Playwright's loop, so that the route handler can answer
            if not page.evaluate("harness.pendingIds()"):
                break
            page.wait_for_timeout(100)
        assert page.evaluate("harness.pendingIds()") == []
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.9  # backoff after the 503 (1 s)
    assert attempts[2] - attempts[1] >= 1.9  # the 429's Retry-After: 2 s
    assert statements_by_id(ralph).count(sent) == 1
