"""A cmi5 LMS for the tests, on 127.0.0.1: it serves an AU, answers its launch and proxies
its xAPI calls, forwarding statements to a real Ralph LRS.

Ralph has no State API and no Agent Profile API, so this LMS keeps those documents itself
(LMS.LaunchData, which the AU may only read; cmi5LearnerPreferences; the AU's own state) and
forwards only the statement resource.  It records every request so that tests can check the
launch sequence: one POST to the fetch URL, LaunchData and preferences read before the
first statement, no write to LMS.LaunchData.
"""
from __future__ import annotations

import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
RETURN_PAGE = b"<!DOCTYPE html><html lang='en'><head><title>LMS</title></head><body><h1>Back in the LMS</h1></body></html>"


class QuietServer(ThreadingHTTPServer):
    """A page that goes away mid-request (keepalive on reload) resets its connection: not an error."""

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
            super().handle_error(request, client_address)


@dataclass
class Cmi5Launch:
    """One launch of one AU: what the LMS told the AU and what happened after."""

    publisher_id: str
    activity_id: str
    registration: str
    actor: dict
    launch_mode: str = "Normal"
    mastery_score: float | None = None
    move_on: str = "Completed"
    session_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    fetch_key: str = field(default_factory=lambda: secrets.token_hex(8))
    token: str = field(default_factory=lambda: secrets.token_hex(12))
    fetches: int = 0

    def launch_data(self, return_url: str) -> dict:
        data = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"id": self.publisher_id}]},
                "extensions": {SESSION_EXT: self.session_id},
            },
            "launchMode": self.launch_mode,
            "moveOn": self.move_on,
            "returnURL": return_url,
        }
        if self.mastery_score is not None:
            data["masteryScore"] = self.mastery_score
        return data


class Cmi5Lms:
    """``with Cmi5Lms(site_dir, ralph) as lms: page.goto(lms.launch_url(launch, "index.html?au=x"))``."""

    def __init__(self, site_dir: Path, ralph, preferences: dict | None = None):
        self.site_dir = Path(site_dir)
        self.ralph = ralph
        self.preferences = preferences
        self.launches: dict[str, Cmi5Launch] = {}  # by fetch key
        self.documents: dict[tuple, dict] = {}
        self.log: list[tuple[str, str, str]] = []  # (method, resource, document id)
        self.statements: list[dict] = []  # as the AU sent them, in arrival order
        self.violations: list[str] = []
        self.lock = threading.Lock()
        self.server = QuietServer(("127.0.0.1", 0), self._handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "Cmi5Lms":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def launch_url(self, launch: Cmi5Launch, au_url: str) -> str:
        self.launches[launch.fetch_key] = launch
        params = {"endpoint": self.origin + "/lrs/", "fetch": f"{self.origin}/fetch/{launch.fetch_key}",
                  "actor": json.dumps(launch.actor), "registration": launch.registration,
                  "activityId": launch.activity_id}
        return f"{self.origin}/pkg/{au_url}{'&' if '?' in au_url else '?'}{urlencode(params)}"

    @property
    def return_url(self) -> str:
        return self.origin + "/returned.html"

    def by_token(self, header: str | None) -> Cmi5Launch | None:
        token = (header or "").removeprefix("Basic ")
        return next((l for l in self.launches.values() if l.token == token and l.fetches), None)

    def fetch(self, key: str) -> dict:
        with self.lock:
            launch = self.launches.get(key)
            if launch is None:
                return {"error-code": "2", "error-text": "unknown launch"}
            launch.fetches += 1
            if launch.fetches > 1:
                self.violations.append(f"second POST to the fetch URL of {key}")
                return {"error-code": "1", "error-text": "the token was already fetched"}
            return {"auth-token": launch.token}

    def document(self, method: str, resource: str, query: dict, launch: Cmi5Launch, body: bytes):
        doc_id = query.get("stateId") or query.get("profileId") or ""
        self.log.append((method, resource, doc_id))
        if resource == "agents/profile":
            if method != "GET":
                return 403, b'{"error":"read-only"}'
            return (404, b"") if self.preferences is None else (200, json.dumps(self.preferences).encode())
        if doc_id == "LMS.LaunchData":
            if method != "GET":
                self.violations.append("the AU wrote LMS.LaunchData")
                return 403, b'{"error":"read-only"}'
            return 200, json.dumps(launch.launch_data(self.return_url)).encode()
        key = (query.get("activityId"), query.get("registration"), doc_id)
        if method == "GET":
            return (200, json.dumps(self.documents[key]).encode()) if key in self.documents else (404, b"")
        self.documents[key] = json.loads(body or b"{}")
        return 204, b""

    def forward_statements(self, method: str, query: str, body: bytes):
        self.log.append((method, "statements", ""))
        if method in ("POST", "PUT") and body:
            sent = json.loads(body)
            with self.lock:
                self.statements.extend(sent if isinstance(sent, list) else [sent])
        url = self.ralph.endpoint + "statements" + (f"?{query}" if query else "")
        answer = requests.request(method, url, data=body, timeout=10,
                                  headers={"Authorization": self.ralph.auth, "Content-Type": "application/json",
                                           "X-Experience-API-Version": "1.0.3"})
        return answer.status_code, answer.content

    def _handler_class(self):
        lms = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status: int, body: bytes, ctype: str = "application/json"):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_GET(self):
                self._route("GET")

            def do_POST(self):
                self._route("POST")

            def do_PUT(self):
                self._route("PUT")

            def _route(self, method: str):
                parts = urlsplit(self.path)
                body = self._body() if method != "GET" else b""
                if parts.path == "/returned.html":
                    return self._send(200, RETURN_PAGE, "text/html")
                if parts.path.startswith("/pkg/") and method == "GET":
                    return self._static(parts.path[len("/pkg/"):])
                if parts.path.startswith("/fetch/") and method == "POST":
                    lms.log.append(("POST", "fetch", ""))
                    return self._send(200, json.dumps(lms.fetch(parts.path[len("/fetch/"):])).encode())
                if parts.path.startswith("/lrs/"):
                    return self._lrs(method, parts.path[len("/lrs/"):], parts.query, body)
                self._send(404, b"not found", "text/plain")

            def _static(self, rel: str):
                path = (lms.site_dir / rel).resolve()
                if not path.is_file() or lms.site_dir.resolve() not in path.parents:
                    return self._send(404, b"not found", "text/plain")
                ctype = {"html": "text/html", "js": "text/javascript", "css": "text/css"}.get(path.suffix[1:], "application/octet-stream")
                self._send(200, path.read_bytes(), ctype)

            def _lrs(self, method: str, resource: str, query: str, body: bytes):
                launch = lms.by_token(self.headers.get("Authorization"))
                if launch is None:
                    return self._send(401, b'{"error":"unknown or missing token"}')
                if resource == "statements":
                    return self._send(*lms.forward_statements(method, query, body))
                flat = {k: v[0] for k, v in parse_qs(query).items()}
                self._send(*lms.document(method, resource, flat, launch, body))

        return Handler
