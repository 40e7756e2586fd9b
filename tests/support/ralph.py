"""Ralph LRS for tests: one server per test session, on 127.0.0.1 and a free port.

Ralph 5.1.0 runs from its own virtualenv (``.venv-ralph``; the setup script creates it) with the
fs backend in a temporary folder and credentials written by ``ralph auth`` into a temporary
RALPH_APP_DIR.  The server is stopped at the end of the session.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RALPH_PYTHON = ROOT / ".venv-ralph" / "bin" / "python"
RALPH_CLI = ROOT / ".venv-ralph" / "bin" / "ralph"
LAUNCHER = Path(__file__).with_name("ralph_launcher.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Ralph:
    endpoint: str  # ends with /xAPI/
    key: str
    secret: str
    port: int


def _wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Ralph exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Ralph did not answer its heartbeat in time")


@pytest.fixture(scope="session")
def ralph_lrs(tmp_path_factory) -> Ralph:
    if not RALPH_PYTHON.exists():
        message = "Ralph is not installed in .venv-ralph (scripts/setup --test installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("ralph")
    env = {**os.environ, "RALPH_APP_DIR": str(home / "app"), "RALPH_RUNSERVER_BACKEND": "fs",
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data")}
    (home / "data").mkdir()
    key, secret = "coursec-test", "not-a-real-secret"
    subprocess.run([str(RALPH_CLI), "auth", "-u", key, "-p", secret, "-s", "all", "-M",
                    f"mailto:{key}@example.org", "-w"], env=env, check=True, capture_output=True)
    port = free_port()
    log = open(home / "ralph.log", "wb")
    process = subprocess.Popen([str(RALPH_PYTHON), str(LAUNCHER), str(port)], env=env, cwd=home,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, process)
        yield Ralph(f"http://127.0.0.1:{port}/xAPI/", key, secret, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if process.returncode not in (0, -15, None):
            sys.stderr.write((home / "ralph.log").read_text(errors="replace")[-2000:])
