"""The preview server: the course built in memory, rebuilt on save, diagnostics instead of a
stale course, and the `coursec preview` command (URL printed, Ctrl-C exits 0)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests

from compiler.preview.builder import PreviewBuilder, Watcher
from compiler.preview.server import PreviewServer

BROKEN_LINK = ("](#facts) {score=2}", "](#no-such-step) {score=2}")


@pytest.fixture
def course_copy(tmp_path, sample_course):
    return shutil.copytree(sample_course, tmp_path / "course")


@pytest.fixture
def preview(tmp_path, course_copy):
    server = PreviewServer(course_copy, target="scorm12", build_root=tmp_path / "build", poll=0.05).start()
    yield server
    server.stop()


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_after(preview, seen: int) -> dict:
    return requests.get(preview.url + f"/lms/build?seen={seen}&wait=10", timeout=15).json()


def test_serves_the_lms_page_and_the_package_from_memory(preview):
    page = requests.get(preview.url + "/", timeout=5)
    assert page.status_code == 200 and 'id="course-frame"' in page.text
    course = requests.get(preview.url + "/course/index.html", timeout=5)
    assert course.status_code == 200 and "Empathy at automation touchpoints" in course.text
    assert requests.get(preview.url + "/course/imsmanifest.xml", timeout=5).status_code == 200
    assert requests.get(preview.url + "/course/nothing.js", timeout=5).status_code == 404
    assert requests.get(preview.url + "/static/../server.py", timeout=5).status_code == 404
    assert not (preview.journal.path.parent.parent / "empathy-at-touchpoints-1.0.0-scorm12.zip").exists()


def test_a_scorm_package_sends_its_statements_to_the_preview(preview):
    script = requests.get(preview.url + "/course/assets/coursec.js", timeout=5).text
    assert preview.url + "/xapi/" in script


def test_a_save_rebuilds_and_wakes_the_page(preview, course_copy):
    first = build_after(preview, -1)
    assert first["ok"] and first["title"] == "Empathy at automation touchpoints"
    assert [c["id"] for c in first["cohorts"]] == ["chat-agents", "routing-designers", "quality-reviewers"]
    edit(course_copy / "listening.md", "The first minute after the bot", "The first minute after the chatbot")
    second = build_after(preview, first["version"])
    assert second["version"] > first["version"] and second["ok"]
    assert "The first minute after the chatbot" in requests.get(preview.url + "/course/index.html", timeout=5).text


def test_a_theme_folder_is_stacked_over_the_default_and_watched(tmp_path, course_copy):
    theme = tmp_path / "brand"
    (theme / "static").mkdir(parents=True)
    (theme / "static" / "brand.css").write_text("body { outline: 1px solid #005; }\n", encoding="utf-8")
    server = PreviewServer(course_copy, target="scorm12", build_root=tmp_path / "build", themes=(theme,), poll=0.05).start()
    try:
        first = build_after(server, -1)
        assert requests.get(server.url + "/course/assets/brand.css", timeout=5).text.startswith("body { outline: 1px")
        (theme / "static" / "brand.css").write_text("body { outline: 2px solid #005; }\n", encoding="utf-8")
        assert build_after(server, first["version"])["version"] > first["version"]
        assert "2px" in requests.get(server.url + "/course/assets/brand.css", timeout=5).text
    finally:
        server.stop()


def test_a_save_right_after_start_is_seen_even_when_the_watcher_thread_starts_late(course_copy):
    class LateWatcher(Watcher):  # a loaded machine: the polling thread gets its first turn late
        gate = threading.Event()

        def _run(self):
            self.gate.wait(5)
            super()._run()

    builder = PreviewBuilder(course_copy, "scorm12", "http://127.0.0.1:9/xapi/")
    watcher = LateWatcher(builder, interval=0.05).start()
    try:
        first = builder.rebuild()
        edit(course_copy / "listening.md", *BROKEN_LINK)
        LateWatcher.gate.set()
        after = builder.wait_for_change(first.version, timeout=10)
        assert after.version == first.version + 1 and not after.ok
        assert any(d.code == "missing-step" for d in after.diagnostics)
    finally:
        watcher.stop()


def test_a_source_error_shows_the_diagnostics_instead_of_the_course(preview, course_copy):
    first = build_after(preview, -1)
    edit(course_copy / "listening.md", *BROKEN_LINK)
    broken = build_after(preview, first["version"])
    assert not broken["ok"]
    texts = [d["text"] for d in broken["diagnostics"]]
    assert any("listening.md:106:" in t and "[missing-step]" in t for t in texts), texts
    course = requests.get(preview.url + "/course/index.html", timeout=5)
    assert course.status_code == 503 and "listening.md:106:" in course.text and "no-such-step" in course.text
    assert requests.post(preview.url + "/lms/launch", json={"name": "Ana"}, timeout=5).status_code == 409
    edit(course_copy / "listening.md", BROKEN_LINK[1], BROKEN_LINK[0])
    fixed = build_after(preview, broken["version"])
    assert fixed["ok"] and fixed["diagnostics"] == []


def test_a_course_that_is_broken_from_the_start_still_serves_its_diagnostics(tmp_path, course_copy):
    (course_copy / "course.yml").write_text("title: no id\n", encoding="utf-8")
    server = PreviewServer(course_copy, build_root=tmp_path / "build").start()
    try:
        build = build_after(server, -1)
        assert not build["ok"] and any("course.yml:" in d["text"] for d in build["diagnostics"])
        assert server.journal.path.name == "course.ndjson"  # no id: the folder name
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_prints_the_url_serves_and_stops_cleanly_on_ctrl_c(tmp_path, sample_course, repo_root):
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(repo_root))
    proc = subprocess.Popen([sys.executable, "-m", "compiler", "preview", str(sample_course), "--port", str(port),
                             "--target", "cmi5"], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "(cmi5)" in line
        assert requests.get(f"http://127.0.0.1:{port}/lms/build?wait=0", timeout=5).json()["target"] == "cmi5"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert (tmp_path / "build" / "preview" / "empathy-at-touchpoints.ndjson").is_file()


def test_cli_says_when_the_port_is_taken(tmp_path, sample_course, repo_root):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(os.environ, PYTHONPATH=str(repo_root))
        done = subprocess.run([sys.executable, "-m", "compiler", "preview", str(sample_course), "--port", str(port)],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert f"127.0.0.1:{port}" in done.stdout + done.stderr and "Traceback" not in done.stderr


def test_cli_refuses_a_second_preview_of_the_same_course(tmp_path, sample_course, repo_root):
    running = PreviewServer(sample_course, build_root=tmp_path / "build").start()
    try:
        env = dict(os.environ, PYTHONPATH=str(repo_root))
        done = subprocess.run([sys.executable, "-m", "compiler", "preview", str(sample_course), "--port", "0"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)
    finally:
        running.stop()
    assert done.returncode == 2
    assert "another coursec preview is writing build/preview/empathy-at-touchpoints.ndjson" in done.stderr
