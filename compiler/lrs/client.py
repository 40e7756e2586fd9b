"""A small xAPI client for reading statements: stdlib urllib with timeouts and retries.

tincan's RemoteLRS has no timeouts or retries and fails on some LRSs' single-statement
shape, so this client replaces it for the reader (it only needs GET statements and, for
loading test data, POST statements).  Every request carries ``X-Experience-API-Version``;
429 (honouring ``Retry-After``), 5xx and network errors are retried with exponential backoff;
``more`` is resolved against the endpoint's origin.  Credentials never appear in a message.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Callable, Iterator

from ..diagnostics import ServiceError
from ..vocabulary import XAPI_VERSION

RETRY_STATUS = {429, 500, 502, 503, 504}


class MissingCredentials(ValueError):
    """No key/secret in the environment and no terminal to ask on."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, first backoff delay (doubling), timeout."""

    attempts: int = 6
    backoff: float = 0.5
    max_delay: float = 30.0
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> "RetryPolicy":
        """``COURSEC_LRS_RETRIES`` / ``COURSEC_LRS_BACKOFF`` / ``COURSEC_LRS_TIMEOUT`` override."""
        env = os.environ
        return cls(attempts=int(env.get("COURSEC_LRS_RETRIES", cls.attempts)),
                   backoff=float(env.get("COURSEC_LRS_BACKOFF", cls.backoff)),
                   timeout=float(env.get("COURSEC_LRS_TIMEOUT", cls.timeout)))


def basic_auth(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")


def credentials_from_env(prompt: Callable[[str, bool], str] | None = None) -> str:
    """``Authorization`` from COURSEC_LRS_KEY / COURSEC_LRS_SECRET, else asked for (hidden)."""
    key, secret = os.environ.get("COURSEC_LRS_KEY"), os.environ.get("COURSEC_LRS_SECRET")
    if key and secret:
        return basic_auth(key, secret)
    if prompt is None or not sys.stdin.isatty():
        raise MissingCredentials("LRS credentials missing: set COURSEC_LRS_KEY and COURSEC_LRS_SECRET")
    return basic_auth(key or prompt("LRS key", False), secret or prompt("LRS secret", True))


class LRSClient:
    """Statements resource of one xAPI endpoint."""

    def __init__(self, endpoint: str, authorization: str, policy: RetryPolicy = RetryPolicy(),
                 sleep: Callable[[float], None] = time.sleep):
        self.endpoint = endpoint if endpoint.endswith("/") else endpoint + "/"
        parts = urllib.parse.urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"LRS endpoint is not an http(s) URL: {endpoint}")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self._auth, self.policy, self._sleep = authorization, policy, sleep
        self.requests = 0

    def _headers(self, body: bool) -> dict:
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Authorization": self._auth,
                   "Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json"
        return headers

    def _once(self, method: str, url: str, data: bytes | None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(url, data=data, method=method, headers=self._headers(data is not None))
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.policy.timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers or {}), exc.read() if exc.fp else b""

    def _delay(self, attempt: int, headers: dict) -> float:
        delay = self.policy.backoff * (2 ** attempt)
        retry_after = {k.lower(): v for k, v in headers.items()}.get("retry-after")
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after))
        return min(delay, self.policy.max_delay)

    def request(self, method: str, url: str, data: bytes | None = None) -> bytes:
        """One call with retries; a ServiceError names the URL path and the last failure."""
        last = "no attempt"
        for attempt in range(self.policy.attempts):
            headers: dict = {}
            try:
                status, headers, body = self._once(method, url, data)
            except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as exc:
                last = f"network error: {getattr(exc, 'reason', exc)}"
            else:
                if 200 <= status < 300:
                    return body
                last = f"HTTP {status}"
                if status not in RETRY_STATUS:
                    raise ServiceError(f"LRS refused {method} {urllib.parse.urlsplit(url).path}: {last}")
            if attempt + 1 < self.policy.attempts:
                self._sleep(self._delay(attempt, headers))
        raise ServiceError(f"LRS failed after {self.policy.attempts} attempts "
                           f"({method} {urllib.parse.urlsplit(url).path}): {last}")

    def statement_pages(self, params: dict) -> Iterator[list]:
        """GET statements with ``params``, then every ``more`` page, one list per page."""
        url = self.endpoint + "statements?" + urllib.parse.urlencode(params)
        while url:
            page = self._json(self.request("GET", url))
            statements = page.get("statements", []) if isinstance(page, dict) else []
            yield statements if isinstance(statements, list) else []
            more = page.get("more") if isinstance(page, dict) else None
            url = urllib.parse.urljoin(self.origin, more) if more else None

    def post_statements(self, statements: list) -> list:
        """POST a batch (all or nothing); returns the ids the LRS stored."""
        return self._json(self.request("POST", self.endpoint + "statements", json.dumps(statements).encode()))

    @staticmethod
    def _json(body: bytes):
        try:
            return json.loads(body or b"{}")
        except ValueError as exc:
            raise ServiceError(f"LRS answered with something that is not JSON: {exc}") from None
