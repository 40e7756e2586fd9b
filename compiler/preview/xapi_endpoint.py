"""The preview's xAPI endpoint (spec-sheet §3.3-3.4) under ``/xapi/``.

statements: PUT (one, by ``statementId``), POST (one or a batch), GET (one by id or voided
id, or a filtered page with ``more``).  activities/state and agents/profile documents.
Every answer carries ``X-Experience-API-Version``; a request without it is refused (400),
as a 1.0.x LRS does.  A statement POSTed or PUT and refused with 400 is kept aside with
the reason (``RefusedStatements``) so the inspector shows it.  The page and the LRS share one
origin, so no CORS is needed.
"""
from __future__ import annotations

import json

from ..vocabulary import XAPI_VERSION as VERSION
from .http import Request, Response
from .lrs_store import DocumentStore, RefusedStatements, StatementStore, XapiError, etag

RAW_KEPT = 2000  # characters of a body that is not JSON kept with its refusal
STATEMENT_FILTERS = {"agent", "verb", "activity", "registration", "since", "until", "limit", "ascending",
                     "format", "attachments", "related_activities", "related_agents", "offset"}


class XapiEndpoint:
    def __init__(self, statements: StatementStore, documents: DocumentStore, prefix: str = "/xapi/",
                 refused: RefusedStatements | None = None):
        self.statements = statements
        self.documents = documents
        self.prefix = prefix
        self.refused = refused

    def handle(self, request: Request) -> Response:
        try:
            response = self._route(request)
        except XapiError as exc:
            response = Response.text(str(exc), exc.status)
            self._keep_refused(request, exc.status, str(exc), exc.statement)
        except (ValueError, UnicodeDecodeError) as exc:
            response = Response.text(f"bad request: {exc}", 400)
            self._keep_refused(request, 400, response.body.decode("utf-8"), None)
        response.headers["X-Experience-API-Version"] = VERSION
        return response

    def _keep_refused(self, request: Request, status: int, reason: str, culprit) -> None:
        """A refused statement write: the statement at fault, else every statement sent."""
        if (self.refused is None or status != 400 or request.method not in ("POST", "PUT")
                or request.path[len(self.prefix):] != "statements"):
            return
        if culprit is None:
            culprit = _sent(request)
        for statement in culprit if isinstance(culprit, list) else [culprit]:
            self.refused.record(statement, reason)

    def _route(self, request: Request) -> Response:
        resource = request.path[len(self.prefix):]
        if resource == "about":
            return Response.of_json({"version": [VERSION]})
        if "x-experience-api-version" not in request.headers:
            raise XapiError(400, "missing X-Experience-API-Version header")
        routes = {"statements": self.statements_resource, "activities/state": self.state_resource,
                  "agents/profile": self.profile_resource}
        if resource not in routes:
            raise XapiError(404, f"no resource {resource}")
        return routes[resource](request)

    # statements ---------------------------------------------------------------
    def statements_resource(self, request: Request) -> Response:
        if request.method == "PUT":
            return self.put_statement(request)
        if request.method == "POST":
            body = request.json()
            ids = self.statements.store(body if isinstance(body, list) else [body])
            return Response.of_json(ids)
        if request.method == "GET":
            return self.get_statements(request.query)
        raise XapiError(405, f"{request.method} is not allowed on statements")

    def put_statement(self, request: Request) -> Response:
        statement_id = request.query.get("statementId")
        body = request.json()
        if not statement_id:
            raise XapiError(400, "PUT statements needs statementId")
        if isinstance(body, dict) and body.get("id", statement_id) != statement_id:
            raise XapiError(400, "the statement's id differs from statementId")
        if isinstance(body, dict):
            body["id"] = statement_id
        self.statements.store([body])
        return Response(204)

    def get_statements(self, query: dict[str, str]) -> Response:
        unknown = set(query) - STATEMENT_FILTERS - {"statementId", "voidedStatementId"}
        if unknown:
            raise XapiError(400, f"unknown parameter(s): {', '.join(sorted(unknown))}")
        for key, voided in (("statementId", False), ("voidedStatementId", True)):
            if key in query:
                return Response.of_json(self.statements.one(query[key], voided))
        filters = {k: query[k] for k in ("verb", "activity", "registration", "since", "until") if k in query}
        if "agent" in query:
            filters["agent"] = json.loads(query["agent"])
        offset = int(query.get("offset", "0"))
        limit = int(query.get("limit", "0"))
        ascending = query.get("ascending", "false") == "true"
        page, more = self.statements.query(filters, ascending, offset, limit)
        body = {"statements": page, "more": self._more(query, offset + len(page)) if more else ""}
        return Response.of_json(body, **{"X-Experience-API-Consistent-Through": _latest(self.statements)})

    def _more(self, query: dict[str, str], offset: int) -> str:
        from urllib.parse import urlencode

        return f"{self.prefix}statements?" + urlencode({**query, "offset": str(offset)})

    # documents ----------------------------------------------------------------
    def state_resource(self, request: Request) -> Response:
        q = request.query
        for name in ("activityId", "agent"):
            if name not in q:
                raise XapiError(400, f"state requests need {name}")
        prefix = ("state", q["activityId"], _agent_key(q["agent"]), q.get("registration", ""))
        return self._document(request, prefix, q.get("stateId"), concurrency=False)

    def profile_resource(self, request: Request) -> Response:
        q = request.query
        if "agent" not in q:
            raise XapiError(400, "agent profile requests need agent")
        return self._document(request, ("profile", _agent_key(q["agent"])), q.get("profileId"), concurrency=True)

    def _document(self, request: Request, prefix: tuple, doc_id: str | None, concurrency: bool) -> Response:
        if request.method == "GET":
            if doc_id is None:
                return Response.of_json(self.documents.ids(prefix))
            found = self.documents.get((*prefix, doc_id))
            if found is None:
                raise XapiError(404, "no such document")
            return Response(200, found[0], found[1], {"ETag": etag(found[0])})
        if request.method == "DELETE":
            self.documents.delete(prefix, doc_id)
            return Response(204)
        if request.method not in ("PUT", "POST") or doc_id is None:
            raise XapiError(400 if doc_id is None else 405, "a document id is required")
        key = (*prefix, doc_id)
        if concurrency and request.method == "PUT":
            self._check_precondition(request, self.documents.get(key))
        content_type = request.headers.get("content-type", "application/octet-stream")
        self.documents.put(key, request.body, content_type, merge=request.method == "POST")
        return Response(204)

    @staticmethod
    def _check_precondition(request: Request, existing) -> None:
        match, none_match = request.headers.get("if-match"), request.headers.get("if-none-match")
        if existing is not None and match is None and none_match is None:
            raise XapiError(409, "the document exists: send If-Match or If-None-Match")
        if match is not None and (existing is None or etag(existing[0]) != match):
            raise XapiError(412, "If-Match does not hold")
        if none_match == "*" and existing is not None:
            raise XapiError(412, "If-None-Match: * but the document exists")


def _agent_key(raw: str) -> str:
    agent = json.loads(raw)
    if not isinstance(agent, dict):
        raise XapiError(400, "agent must be a JSON object")
    for ifi in ("mbox", "mbox_sha1sum", "openid", "account"):
        if ifi in agent:
            return json.dumps({ifi: agent[ifi]}, sort_keys=True)
    raise XapiError(400, "agent without an identifier")


def _sent(request: Request):
    """The body of a statements request: its JSON, else its text (cut short)."""
    try:
        return request.json()
    except (ValueError, UnicodeDecodeError):
        return request.body.decode("utf-8", "replace")[:RAW_KEPT]


def _latest(store: StatementStore) -> str:
    newest = store.since(len(store.statements) - 1) if store.statements else []
    return newest[-1].get("stored", "") if newest else ""
