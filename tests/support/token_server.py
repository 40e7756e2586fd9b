"""A small LMS for the xAPI tests: it serves pages and an LRS token URL on 127.0.0.1.

The organisation's token URL is what design.md prefers over embedded keys: the package
POSTs ``{actor, registration, activityId}`` with the LMS's cookies and gets
``{"auth": "Basic ...", "expires": ISO-8601}``.  This server plays that part so that the tests
can check expiry and 401 handling: it counts every token request, can hand out short-lived
tokens, and can be told to hand out a wrong credential (which the LRS answers with 401).
It also serves static folders (the runtime, the harness pages, an unpacked package) from the
same origin, and sets the session cookie the token URL requires.
"""
from __future__ import annotations

import base64
import json
import mimetypes
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SESSION_COOKIE = "lms_session=learner-1"


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@dataclass
class TokenPolicy:
    """What the token URL answers: a credential valid ``lifetime`` seconds; ``wrong_next``
    wrong credentials first (to make the LRS answer 401)."""

    auth: str
    lifetime: float = 300.0
    wrong_next: int = 0
    requests: list[dict] = field(default_factory=list)
    refused: int = 0  # token requests without the LMS session cookie


class LmsSite:
    """``with LmsSite({"/runtime/": dir}, policy) as site: site.url("/runtime/x.js")``."""

    def __init__(self, folders: dict[str, Path], policy: TokenPolicy | None = None, port: int = 0):
        self.folders = {prefix: Path(path) for prefix, path in folders.items()}
        self.policy = policy
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.origin + path

    def __enter__(self) -> "LmsSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def resolve(self, path: str) -> Path | None:
        for prefix, folder in self.folders.items():
            if path.startswith(prefix):
                candidate = (folder / path[len(prefix):]).resolve()
                if candidate.is_file() and folder.resolve() in candidate.parents:
                    return candidate
        return None

    def issue_token(self, request: dict, has_session: bool) -> tuple[int, dict]:
        policy = self.policy
        with self.lock:
            if not has_session:
                policy.refused += 1
                return 403, {"error": "no LMS session"}
            policy.requests.append(request)
            auth = policy.auth
            if policy.wrong_next > 0:
                policy.wrong_next -= 1
                auth = basic_auth("nobody", "wrong")
        expires = datetime.now(timezone.utc) + timedelta(seconds=policy.lifetime)
        return 200, {"auth": auth, "expires": expires.isoformat(timespec="milliseconds").replace("+00:00", "Z")}

    def _handler_class(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _send(self, status: int, body: bytes, ctype: str, cookie: bool = False):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                if cookie:
                    self.send_header("Set-Cookie", SESSION_COOKIE + "; Path=/; SameSite=Lax")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = site.resolve(urlsplit(self.path).path)
                if path is None:
                    return self._send(404, b"not found", "text/plain")
                ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                self._send(200, path.read_bytes(), ctype, cookie=ctype.startswith("text/html"))

            def do_POST(self):
                if urlsplit(self.path).path != "/lrs-token" or site.policy is None:
                    return self._send(404, b"not found", "text/plain")
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    request = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    return self._send(400, b'{"error":"bad json"}', "application/json")
                has_session = SESSION_COOKIE in (self.headers.get("Cookie") or "")
                status, body = site.issue_token(request, has_session)
                self._send(status, json.dumps(body).encode(), "application/json")

        return Handler
