"""HTTP routes under ``/lms/``: what the preview's LMS page asks its server.

GET  /lms/build?seen=N        the current build (long-poll until its version differs from N)
POST /lms/launch              launch the course for a learner {name, cohort}
GET/PUT /lms/cmi?learner=ID   the learner's committed SCORM data (resume)
POST /lms/reset?learner=ID    start a new attempt for the learner
POST /lms/fetch/<id>          the cmi5 one-time token
GET  /lms/statements?from=N&refused=M   statements stored since the N-th and statements
                              refused since the M-th (long-poll until either is new)
"""
from __future__ import annotations

import html
import threading

from .http import Request, Response
from .lms import PreviewLms
from .lrs_store import DocumentStore, RefusedStatements, StatementStore, XapiError

LONG_POLL = 15.0


class LmsRoutes:
    def __init__(self, server, statements: StatementStore, documents: DocumentStore, refused: RefusedStatements):
        self.server = server
        self.statements = statements
        self.refused = refused
        self.lms = PreviewLms(statements, documents, server.url, server.lms_file)
        self.closing = threading.Event()

    def handle(self, request: Request) -> Response:
        name = request.path[len("/lms/"):]
        try:
            if name.startswith("fetch/") and request.method == "POST":
                return Response.of_json(self.lms.fetch(name[len("fetch/"):]))
            route = getattr(self, "route_" + name, None) if name.isidentifier() else None
            if route is None:
                return Response.text(f"no LMS call {name}", 404)
            return route(request)
        except XapiError as exc:
            return Response.of_json({"error": str(exc)}, exc.status)
        except (ValueError, UnicodeDecodeError) as exc:
            return Response.of_json({"error": f"bad request: {exc}"}, 400)

    def route_build(self, request: Request) -> Response:
        seen = int(request.query.get("seen", "-1"))
        build = self.server.builder.current
        if build.version == seen and not self.closing.is_set():
            build = self.server.builder.wait_for_change(seen, float(request.query.get("wait", LONG_POLL)))
        return Response.of_json({
            "version": build.version, "ok": build.ok, "target": self.server.target,
            "title": build.title, "courseId": build.course_id, "masteryScore": build.mastery_score,
            "cohorts": [{"id": c, "title": t} for c, t in build.cohorts],
            "diagnostics": [{"text": str(d), **d.as_dict()} for d in build.diagnostics],
            "journal": self.server.journal.path.as_posix(),
        })

    def route_launch(self, request: Request) -> Response:
        build = self.server.builder.current
        if request.method != "POST":
            return Response.text("POST a launch", 405)
        if not build.ok:
            raise XapiError(409, "the course has errors; fix them first")
        return Response.of_json(self.lms.launch(self.server.target, request.json(), build))

    def route_cmi(self, request: Request) -> Response:
        learner = request.query.get("learner", "")
        if request.method == "PUT":
            self.lms.save_cmi(self.server.target, learner, request.json())
            return Response(204)
        return Response.of_json(self.lms.saved_cmi(self.server.target, learner))

    def route_reset(self, request: Request) -> Response:
        if request.method != "POST":
            return Response.text("POST a reset", 405)
        self.lms.reset(self.server.target, request.query.get("learner", ""))
        return Response(204)

    def route_statements(self, request: Request) -> Response:
        start = max(0, int(request.query.get("from", "0")))
        seen_refused = max(0, int(request.query.get("refused", "0")))
        wait = min(float(request.query.get("wait", LONG_POLL)), LONG_POLL)

        def news() -> bool:
            return len(self.statements.statements) > start or len(self.refused.entries) > seen_refused

        with self.statements.lock:  # the refused list shares it
            if not news() and not self.closing.is_set():
                self.statements.lock.wait_for(news, timeout=wait)
            found = self.statements.statements[start:]
            refused = self.refused.entries[seen_refused:]
        return Response.of_json({"next": start + len(found), "statements": found,
                                 "refusedNext": seen_refused + len(refused), "refused": refused})

    def diagnostics_page(self, build) -> Response:
        items = "".join(f"<li><code>{html.escape(str(d))}</code></li>" for d in build.diagnostics)
        body = (f"<!doctype html><html lang=en><meta charset=utf-8><title>Course has errors</title>"
                f"<h1>The course has errors</h1><ul data-preview-diagnostics>{items}</ul>"
                f"<p>Fix them and save: the preview rebuilds by itself.</p></html>")
        return Response(503, body.encode("utf-8"), "text/html; charset=utf-8")
