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


class Harness:
    """Drives tests/harness/scorm12.html or scorm2004.html around one published package."""

    def __init__(self, page, server: StaticServer, standard: str):
        self.page = page
        self.server = server
        self.standard = standard
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def open(self, pkg: str, cmi: dict | None = None, query: str = ""):
        """Load the harness (optionally resuming from ``cmi``); returns the package's frame."""
        if cmi is not None:
            import json

            self.page.add_init_script(f"window.HARNESS_CMI = {json.dumps(cmi)};")
        url = f"{self.server.url}/{self.standard}.html?pkg={pkg}{query}"
        if "popup=1" in query:
            with self.page.context.expect_page() as popup:
                self.page.goto(url)
            course = popup.value
            course.on("pageerror", lambda exc: self.errors.append(str(exc)))
            course.wait_for_load_state()
            course.wait_for_selector("[data-cs-page]:not([hidden])")
            return course.main_frame
        self.page.goto(url)
        self.page.wait_for_function("window.harnessCalls.some(c => /Initialize$/.test(c.fn))")
        frame = next(f for f in self.page.frames if f.url.split("?")[0].endswith("/index.html"))
        frame.wait_for_selector("[data-cs-page]:not([hidden])")
        return frame

    def unload(self) -> None:
        self.page.evaluate("unloadPackage()")
        self.page.wait_for_function("window.harnessCalls.some(c => /^(LMSFinish|Terminate)$/.test(c.fn))")

    def calls(self) -> list[dict]:
        return self.page.evaluate("window.harnessCalls")

    def cmi(self) -> dict:
        api = "API" if self.standard == "scorm12" else "API_1484_11"
        return self.page.evaluate(f"window.{api}.renderCommitCMI(true)")["cmi"]


class Learner:
    """Plays a rendered course in a frame the way a person does: clicks, types, submits.

    It reads the course structure from the page's own config (window.Coursec.config) so
    that it can play any course, including the sample course.
    """

    def __init__(self, frame):
        self.frame = frame
        self.config = frame.evaluate("window.Coursec.config")

    def block(self, module_id: str, block_id: str) -> dict:
        module = next(m for m in self.config["modules"] if m["id"] == module_id)
        return next(b for b in module["blocks"] if b["id"] == block_id)

    def begin(self, cohort: str | None = None) -> None:
        if cohort and self.frame.is_visible("[data-cs-cohort-form]"):
            self.frame.check(f"#cohort-{cohort}")
        self.frame.click("[data-cs-action=begin]")

    def goto(self, page_id: str) -> None:
        self.frame.click(f"[data-cs-goto='{page_id}']")
        self.frame.wait_for_selector(f"[data-cs-page='{page_id}']:not([hidden])")

    def sel(self, module_id: str, block_id: str) -> str:
        return f"#b-{module_id}-{block_id}"

    def read(self, module_id: str, block_id: str) -> None:
        self.frame.click(f"{self.sel(module_id, block_id)} [data-cs-action=read]")

    def play_scenario(self, module_id: str, block_id: str, pick: str = "first") -> list[str]:
        """Choose the first (or last) choice at every step until an ending; returns the step ids."""
        root = self.sel(module_id, block_id)
        visited = []
        for _ in range(50):
            step = self.frame.locator(f"{root} [data-cs-step]:not([hidden])")
            visited.append(step.get_attribute("data-cs-step"))
            choices = step.locator("[data-cs-choice]")
            if choices.count() == 0:
                return visited
            (choices.first if pick == "first" else choices.last).click()
        raise AssertionError("scenario did not reach an ending")

    def replay(self, module_id: str, block_id: str) -> None:
        self.frame.click(f"{self.sel(module_id, block_id)} [data-cs-step]:not([hidden]) [data-cs-action=replay]")

    def write(self, module_id: str, block_id: str, text: str, submit: bool = True) -> None:
        root = self.sel(module_id, block_id)
        self.frame.fill(f"{root} [data-cs-text]", text)
        if submit:
            self.frame.click(f"{root} [data-cs-action=submit-text]")
        else:
            self.frame.locator(f"{root} [data-cs-text]").blur()

    def answer_quiz(self, module_id: str, block_id: str, right: bool, submit: bool = True) -> None:
        block = self.block(module_id, block_id)
        for q in block["questions"]:
            if right:
                picks = [q["options"].index(c) for c in q["correct"]]
            else:
                picks = [next(i for i, o in enumerate(q["options"]) if o not in q["correct"])]
            for i in picks:
                self.frame.check(f"#o-{block['key']}-{q['id']}-{i}")
        if submit:
            self.frame.click(f"{self.sel(module_id, block_id)} [data-cs-submit]")

    def retake(self, module_id: str, block_id: str) -> None:
        self.frame.click(f"{self.sel(module_id, block_id)} [data-cs-action=retake]")

    def answer_survey(self, module_id: str, block_id: str, value: int = 4, submit: bool = True) -> None:
        block = self.block(module_id, block_id)
        for item in block["items"]:
            self.frame.check(f"#s-{block['key']}-{item['id']}-{value}")
        if submit:
            self.frame.click(f"{self.sel(module_id, block_id)} [data-cs-submit]")
