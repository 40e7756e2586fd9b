"""What the xAPI/cmi5 tests share: paths, a Chromium page, a Ralph LRS that can be stopped
and restarted on the same port, and small helpers.

Ralph 5.1.0 runs from its own virtualenv (/work/main/.venv-ralph) with the fs backend, started
through the shared tests/support/ralph_launcher.py (which works around the fs backend's gaps).
Unlike the session-wide ``ralph_lrs`` fixture of tests/support/ralph.py, this server can be
stopped and restarted on the same port with its data (the outage tests need that) and allows
the page origin through CORS (the pages post to it from another origin).  Every server binds 127.0.0.1 on a free port
and is stopped by the fixture.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.ralph import LAUNCHER, RALPH_CLI  # the shared launcher with the fs-backend workarounds

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "compiler" / "runtime"
HARNESS = ROOT / "tests" / "harness"
RALPH_PYTHON = ROOT / ".venv-ralph" / "bin" / "python"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
XAPI_HEADERS = {"X-Experience-API-Version": "1.0.3"}

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float = 15.0, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("condition not met within %.0f s" % timeout)


class RalphServer:
    """A Ralph LRS on 127.0.0.1 whose data survives stop()/start() on the same port."""

    username, password = "coursec", "coursec-test"

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        # Ralph wants exact origins: pages are served on this port (LmsSite(port=...)).
        self.page_port = free_port()
        cors_origins = [f"http://127.0.0.1:{self.page_port}", f"http://localhost:{self.page_port}"]
        self.process: subprocess.Popen | None = None
        self.env = dict(os.environ, RALPH_APP_DIR=str(workdir / "app"), RALPH_RUNSERVER_BACKEND="fs",
                        RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(workdir / "data"),
                        RALPH_RUNSERVER_CORS_ALLOW_ORIGINS=json.dumps(cors_origins))
        (workdir / "data").mkdir(parents=True, exist_ok=True)
        subprocess.run([str(RALPH_CLI), "auth", "-u", self.username, "-p", self.password,
                        "-s", "all", "-M", f"mailto:{self.username}@example.org", "-w"],
                       env=self.env, check=True, capture_output=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return self.base + "/xAPI/"

    @property
    def auth(self) -> str:
        return "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()

    def start(self) -> None:
        log = open(self.workdir / "ralph.log", "ab")
        self.process = subprocess.Popen([str(RALPH_PYTHON), str(LAUNCHER), str(self.port)], cwd=self.workdir,
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._up, timeout=30)

    def _up(self) -> bool:
        try:
            return requests.get(self.base + "/__heartbeat__", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def post(self, statements: list[dict]) -> requests.Response:
        return requests.post(self.endpoint + "statements", json=statements, timeout=10,
                             headers={**XAPI_HEADERS, "Authorization": self.auth})

    def statements(self) -> list[dict]:
        """Every stored statement (Ralph pages with ``more``; its order is not trusted)."""
        found, url = [], self.endpoint + "statements?limit=500"
        while url:
            body = requests.get(url, timeout=10, headers={**XAPI_HEADERS, "Authorization": self.auth}).json()
            found += body.get("statements", [])
            more = body.get("more")
            url = self.base + more if more else None
        return found


def statements_by_id(ralph: RalphServer) -> list[str]:
    """Ids of every stored statement, duplicates kept (so tests can count them)."""
    return [s["id"] for s in ralph.statements()]


def validate_with_ralph(statements: list[dict]) -> list[str]:
    """Run Ralph's own xAPI model over each statement (in Ralph's venv); the errors found."""
    script = (
        "import json, sys\n"
        "from ralph.models.xapi.base.statements import BaseXapiStatement\n"
        "errors = []\n"
        "for s in json.load(sys.stdin):\n"
        "    try:\n"
        "        BaseXapiStatement.model_validate(s)\n"
        "    except Exception as exc:\n"
        "        errors.append(s.get('id', '?') + ': ' + str(exc))\n"
        "print(json.dumps(errors))\n"
    )
    out = subprocess.run([str(RALPH_PYTHON), "-c", script], input=json.dumps(statements), text=True,
                         capture_output=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def ralph(tmp_path_factory):
    """One LRS per test module (tests use fresh ids, so they do not see each other's data)."""
    server = RalphServer(tmp_path_factory.mktemp("ralph"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(browser):
    # One Playwright per process: a second sync_playwright() fails inside the first one's loop.
    # The session's Chromium comes from tests/support/browser.py (same executable and args).
    yield browser


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()


__all__ = ["RalphServer", "statements_by_id", "validate_with_ralph", "wait_until", "ralph", "chromium", "page",
           "RUNTIME", "HARNESS", "sys"]
