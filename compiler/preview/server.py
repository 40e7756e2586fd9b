"""``coursec preview``: the HTTP server on 127.0.0.1 that ties the preview together.

Routes: ``/`` the LMS page (course frame, inspector, learner switcher), ``/static/`` its
files, ``/course/`` the package built in memory, ``/xapi/`` the LRS, ``/lms/`` the LMS
calls (launch, saved SCORM data, cmi5 fetch, long-polls for rebuilds and statements).
"""
from __future__ import annotations

import mimetypes
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .builder import PreviewBuilder, Watcher, course_slug
from .http import Request, Response
from .journal import Journal, JournalBusy, SavedJson, journal_path, refused_path
from .lms_routes import LmsRoutes
from .lrs_store import DocumentStore, RefusedStatements, StatementStore
from .xapi_endpoint import XapiEndpoint

STATIC = Path(__file__).resolve().parent / "static"
PREVIEW_TARGETS = ("scorm12", "scorm2004", "cmi5", "xapi", "web")


class PreviewServer:
    """The whole preview: build, watcher, LRS, LMS and the HTTP server. ``start``/``stop``."""

    def __init__(self, course_dir: Path, target: str = "scorm12", port: int = 0,
                 build_root: Path = Path("build"), themes: tuple[Path, ...] = (), poll: float = 0.1):
        self.journal = Journal(journal_path(build_root, course_slug(course_dir)))
        self.refused_journal = Journal(refused_path(self.journal.path))
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        except OSError:
            self.journal.close()
            self.refused_journal.close()
            raise
        self.httpd.daemon_threads = True
        self.httpd.preview = self
        self.target = target
        kept = self.journal.path.with_suffix("")  # build/preview/<slug>
        statements = StatementStore(self.journal)
        self.refused = RefusedStatements(self.refused_journal, statements.lock)
        documents = DocumentStore(SavedJson(kept.with_name(kept.name + ".documents.json")))
        self.lms_file = SavedJson(kept.with_name(kept.name + ".lms.json"))
        self.builder = PreviewBuilder(course_dir, target, self.url + "/xapi/", themes)
        self.xapi = XapiEndpoint(statements, documents, refused=self.refused)
        self.lms = LmsRoutes(self, statements, documents, self.refused)
        self.watcher = Watcher(self.builder, interval=poll)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="coursec-preview", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> "PreviewServer":
        self.watcher.start()  # baseline first: a save during the first build still triggers a rebuild
        self.builder.rebuild()
        self.thread.start()
        return self

    def stop(self) -> None:
        self.watcher.stop()
        self.lms.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
        self.journal.close()
        self.refused_journal.close()

    def respond(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/xapi/"):
            return self.xapi.handle(request)
        if path.startswith("/lms/"):
            return self.lms.handle(request)
        if request.method not in ("GET", "HEAD"):
            return Response.text("method not allowed", 405)
        if path == "/":
            return static_file("lms.html")
        if path == "/favicon.ico":
            return Response(204)
        if path.startswith("/static/"):
            return static_file(path[len("/static/"):])
        if path.startswith("/course/"):
            return self.course_file(path[len("/course/"):])
        return Response.text("not found", 404)

    def course_file(self, rel: str) -> Response:
        build = self.builder.current
        if not build.ok:
            return self.lms.diagnostics_page(build)
        data = build.files.get(rel or "index.html")
        if data is None:
            return Response.text(f"{rel} is not in the package", 404)
        return Response(200, data, _content_type(rel))


def static_file(name: str) -> Response:
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file():
        return Response.text("not found", 404)
    return Response(200, path.read_bytes(), _content_type(name))


def _content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return kind + "; charset=utf-8" if kind.startswith("text/") or kind.endswith(("javascript", "json", "xml")) else kind


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(self.command, unquote(parts.path), Request.parse_query(parts.query),
                          {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length) if length else b"")
        response = self.server.preview.respond(request)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the page went away (a reload during a long-poll)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve


def run_preview(course: Path, port: int = 0, target: str = "scorm12", open_browser: bool = False,
                echo=print, themes: tuple[Path, ...] = ()) -> int:
    """The CLI command: serve until Ctrl-C; returns the exit code."""
    try:
        server = PreviewServer(course, target=target, port=port, themes=tuple(themes)).start()
    except JournalBusy as exc:
        import click

        click.echo(f"error: {exc}; stop it first", err=True)
        return 2
    except OSError as exc:
        import click

        click.echo(f"error: cannot serve on 127.0.0.1:{port}: {exc.strerror or exc} (choose another --port)", err=True)
        return 2
    echo(f"Previewing {course.as_posix()} ({target}) at {server.url}/  (statements: {server.journal.path.as_posix()})")
    echo("Press Ctrl-C to stop.")
    if open_browser:
        webbrowser.open(server.url + "/")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.stop()
    return 0
