"""Browser test fixtures: one Chromium for the session and a static server on 127.0.0.1.

The server serves a temporary folder holding the harness pages (tests/harness/), the
scorm-again and axe-core files copied at test time from node_modules (never into the
repo) and every site a test publishes.  Chromium is the system one (/usr/bin/chromium);
``playwright install`` is never run.  With CI=true a missing component fails the test.
"""
from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = ROOT / "node_modules"
HARNESS = ROOT / "tests" / "harness"
VENDOR_FILES = {
    "scorm12.js": NODE_MODULES / "scorm-again" / "dist" / "scorm12.js",
    "scorm2004.js": NODE_MODULES / "scorm-again" / "dist" / "scorm2004.js",
    "axe.min.js": NODE_MODULES / "axe-core" / "axe.min.js",
}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _missing_components() -> list[str]:
    missing = [str(p) for p in VENDOR_FILES.values() if not p.is_file()]
    if not CHROMIUM.is_file():
        missing.append(str(CHROMIUM))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package")
    return missing


def _require_components() -> None:
    missing = _missing_components()
    if not missing:
        return
    message = "browser test components missing: " + ", ".join(missing) + " (run `npm install` in the repo)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class StaticServer:
    """A threaded HTTP server on 127.0.0.1 (free port) over one folder."""

    def __init__(self, root: Path):
        self.root = root
        handler = functools.partial(_QuietHandler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> "StaticServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def publish(self, name: str, files: dict[str, bytes]) -> str:
        """Write a rendered site under ``name/``; returns its URL path (relative to the server)."""
        folder = self.root / "sites" / name
        if folder.exists():
            shutil.rmtree(folder)
        for rel, data in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return f"sites/{name}/index.html"


@pytest.fixture(scope="session")
def browser():
    _require_components()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def static_server(tmp_path_factory):
    _require_components()
    root = tmp_path_factory.mktemp("served")
    for page in HARNESS.iterdir():
        if page.is_file():
            shutil.copy(page, root / page.name)
    (root / "vendor").mkdir()
    for name, source in VENDOR_FILES.items():
        shutil.copy(source, root / "vendor" / name)
    server = StaticServer(root).start()
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    """A fresh browser context and page; nothing leaves 127.0.0.1."""
    context = browser.new_context()
    context.route("**/*", _only_local)
    pg = context.new_page()
    yield pg
    context.close()


def _only_local(route):
    url = route.request.url
    if url.startswith(("http://127.0.0.1", "about:", "data:", "blob:")):
        route.continue_()
    else:
        route.abort()
