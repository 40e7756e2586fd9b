"""The xAPI client's policy (spec-sheet §3.3, §3.5) against a scripted server on 127.0.0.1:
version header and auth on every call, `more` against the origin, retries with backoff on
429 (Retry-After) / 5xx / timeouts, no retry on 4xx, progress on a terminal only."""
from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from compiler.diagnostics import ServiceError
from compiler.lrs.client import LRSClient, RetryPolicy, basic_auth
from compiler.lrs.sync import Progress

AUTH = basic_auth("key", "secret")


class Scripted:
    """Answers requests from a script of (status, headers, body) and records what it got."""

    def __init__(self, script: list):
        self.script, self.seen = list(script), []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                scripted.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = scripted.script.pop(0) if scripted.script else (500, {}, b"")
                if status == "hang":
                    time.sleep(1.0)
                    status = 500
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted():
    servers = []

    def make(script):
        servers.append(Scripted(script))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def page(statements, more=""):
    return (200, {"Content-Type": "application/json"}, json.dumps({"statements": statements, "more": more}).encode())


def client_for(server, sleeps, **policy) -> LRSClient:
    return LRSClient(server.origin + "/lrs/xapi", AUTH, RetryPolicy(**{"attempts": 4, "backoff": 0.5, **policy}),
                     sleep=sleeps.append)


def test_pages_follow_more_against_the_origin_with_headers_on_every_call(scripted):
    server = scripted([page([{"id": 1}], "/elsewhere/more?token=a%20b"), page([{"id": 2}, {"id": 3}])])
    sleeps = []
    pages = list(client_for(server, sleeps).statement_pages({"activity": "https://c.example.org/x", "limit": "1"}))
    assert pages == [[{"id": 1}], [{"id": 2}, {"id": 3}]]
    paths = [path for path, _ in server.seen]
    assert paths[0].startswith("/lrs/xapi/statements?activity=https%3A%2F%2Fc.example.org%2Fx")
    assert paths[1] == "/elsewhere/more?token=a%20b"  # origin + more, not endpoint path + more
    for _, headers in server.seen:
        assert headers["x-experience-api-version"] == "1.0.3" and headers["authorization"] == AUTH


def test_429_honours_retry_after_and_5xx_backs_off_exponentially(scripted):
    server = scripted([(429, {"Retry-After": "3"}, b""), (503, {}, b""), (502, {}, b""), page([])])
    sleeps = []
    assert list(client_for(server, sleeps).statement_pages({})) == [[]]
    assert sleeps == [3.0, 1.0, 2.0]  # max(backoff, Retry-After), then 0.5 * 2**1, 0.5 * 2**2
    assert len(server.seen) == 4


def test_client_errors_are_not_retried(scripted):
    server = scripted([(400, {}, b'{"error": "bad"}')])
    sleeps = []
    with pytest.raises(ServiceError, match="HTTP 400"):
        list(client_for(server, sleeps).statement_pages({}))
    assert len(server.seen) == 1 and sleeps == []


def test_timeouts_are_retried_then_fail_with_a_service_error(scripted):
    server = scripted([("hang", {}, b""), ("hang", {}, b"")])
    sleeps = []
    with pytest.raises(ServiceError, match="after 2 attempts") as failure:
        list(client_for(server, sleeps, attempts=2, timeout=0.2).statement_pages({}))
    assert "secret" not in str(failure.value) and len(sleeps) == 1


def test_answers_that_are_not_json_are_a_service_error(scripted):
    server = scripted([(200, {}, b"<html>proxy login</html>")])
    with pytest.raises(ServiceError, match="not JSON"):
        list(client_for(server, []).statement_pages({}))


def test_progress_shows_pages_statements_and_rate_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    shown, hidden = Terminal(), io.StringIO()
    for stream in (shown, hidden):
        progress = Progress(True, stream)
        progress.page(500)
        progress.page(120)
        progress.done()
    assert "pages 2" in shown.getvalue() and "statements 620" in shown.getvalue() and "/s" in shown.getvalue()
    assert hidden.getvalue() == ""
    quiet = Terminal()
    Progress(False, quiet).page(1)
    assert quiet.getvalue() == ""
