"""A fault-injecting HTTP proxy for LRS tests: in front of a real LRS on 127.0.0.1, it answers
some requests itself with 429 or 503, following a fixed pattern (deterministic), and forwards
the others unchanged.  Pattern letters, cycled per request: ``4`` -> 429 with Retry-After 0,
``5`` -> 503, ``.`` -> forward.  The pattern "5" alone makes an LRS that is always down."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class FaultyProxy:
    def __init__(self, upstream: str, pattern: str = "45."):
        self.upstream = upstream.rstrip("/")  # origin, e.g. http://127.0.0.1:8100
        self.pattern = pattern
        self.requests: list[tuple[str, str, int]] = []  # method, path, status answered
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def next_fault(self) -> str:
        with self._lock:
            return self.pattern[len(self.requests) % len(self.pattern)]

    def record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, headers: dict, body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in HOP_HEADERS:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                fault = proxy.next_fault()
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if fault in "45":
                    status = 429 if fault == "4" else 503
                    proxy.record(self.command, self.path, status)
                    self._answer(status, {"Retry-After": "0"} if status == 429 else {}, b"")
                    return
                status, headers, answer = proxy.forward(self.command, self.path, dict(self.headers), body)
                proxy.record(self.command, self.path, status)
                self._answer(status, headers, answer)

            do_GET = do_POST = do_PUT = _handle

        return Handler

    def forward(self, method: str, path: str, headers: dict, body: bytes):
        headers = {k: v for k, v in headers.items() if k.lower() not in HOP_HEADERS}
        request = urllib.request.Request(self.upstream + path, data=body or None, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers or {}), exc.read()

    def __enter__(self) -> "FaultyProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
