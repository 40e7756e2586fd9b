"""The preview's LRS: statements (journaled), State and Agent Profile documents.

Plain Python over dicts, no HTTP: ``xapi_endpoint`` turns requests into these calls.
Statements follow spec-sheet §3.3: client ids are idempotent (same id, same content: no
change; different content: conflict), a batch is all or nothing, voided statements drop
out of queries (and can be fetched with ``voidedStatementId``), newest stored first by
default, pages joined by ``more``.  A statement refused with 400 is kept aside with the
reason (``RefusedStatements``, journaled next to the statements) for the inspector to show.
Documents follow §3.4: PUT replaces, POST merges JSON objects, profiles need ``If-Match`` /
``If-None-Match`` on overwrite.
"""
from __future__ import annotations

import base64
import hashlib
import json
import threading
import uuid
from datetime import datetime, timezone

from ..vocabulary import Verb
from .journal import Journal, SavedJson, read_journal

VOIDED = Verb.VOIDED
AUTHORITY = {"objectType": "Agent", "name": "coursec preview",
             "account": {"homePage": "https://coursec.invalid/preview", "name": "preview"}}
PAGE_SIZE = 100


class XapiError(Exception):
    """A request the LRS refuses: ``status`` is the HTTP status to answer; ``statement`` the
    statement at fault, when one is."""

    def __init__(self, status: int, message: str, statement=None):
        super().__init__(message)
        self.status = status
        self.statement = statement


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _comparable(statement: dict) -> str:
    keep = {k: v for k, v in statement.items() if k not in ("stored", "authority", "timestamp", "version")}
    return json.dumps(keep, sort_keys=True)


def _check_statement(statement) -> None:
    if not isinstance(statement, dict):
        raise XapiError(400, "a statement must be a JSON object", statement)
    for key in ("actor", "verb", "object"):
        if not isinstance(statement.get(key), dict):
            raise XapiError(400, f"statement without {key}", statement)
    if "id" in statement:
        try:
            uuid.UUID(str(statement["id"]))
        except ValueError:
            raise XapiError(400, f"statement id {statement['id']!r} is not a UUID", statement) from None


class StatementStore:
    """Every statement of the preview, kept in memory and in the journal."""

    def __init__(self, journal: Journal):
        self.journal = journal
        self.lock = threading.Condition()
        self.statements: list[dict] = read_journal(journal.path)
        self.by_id = {s.get("id"): s for s in self.statements}
        self.voided = {s["object"].get("id") for s in self.statements if self._is_void(s)}

    @staticmethod
    def _is_void(statement: dict) -> bool:
        return (statement.get("verb", {}).get("id") == VOIDED
                and statement.get("object", {}).get("objectType") == "StatementRef")

    def store(self, batch: list) -> list[str]:
        """Store a batch (all or nothing); the ids in order."""
        with self.lock:
            fresh = self._prepare(batch)
            self.journal.append(fresh)
            for statement in fresh:
                self.statements.append(statement)
                self.by_id[statement["id"]] = statement
                if self._is_void(statement):
                    self.voided.add(statement["object"].get("id"))
            self.lock.notify_all()
            return [s.get("id") for s in batch]

    def _prepare(self, batch: list) -> list[dict]:
        seen, fresh = set(), []
        for statement in batch:
            _check_statement(statement)
            statement.setdefault("id", str(uuid.uuid4()))
            if statement["id"] in seen:
                raise XapiError(400, f"statement id {statement['id']} twice in one batch", statement)
            seen.add(statement["id"])
            old = self.by_id.get(statement["id"])
            if old is not None:
                if _comparable(old) != _comparable(statement):
                    raise XapiError(409, f"statement {statement['id']} exists with different content")
                continue
            if self._is_void(statement) and self._is_void(self.by_id.get(statement["object"].get("id"), {})):
                raise XapiError(400, "a voiding statement cannot be voided", statement)
            fresh.append(self._stamp(statement))
        return fresh

    @staticmethod
    def _stamp(statement: dict) -> dict:
        stamped = dict(statement)
        stamped["stored"] = now_iso()
        stamped.setdefault("timestamp", stamped["stored"])
        stamped["authority"] = AUTHORITY
        stamped.setdefault("version", "1.0.3")
        return stamped

    def one(self, statement_id: str, voided: bool) -> dict:
        found = self.by_id.get(statement_id)
        if found is None or (statement_id in self.voided) != voided:
            raise XapiError(404, f"no statement {statement_id}")
        return found

    def since(self, index: int) -> list[dict]:
        with self.lock:
            return self.statements[index:]

    def query(self, filters: dict, ascending: bool, offset: int, limit: int) -> tuple[list[dict], bool]:
        """One page of the statements that match (voided ones left out); True when more follow."""
        with self.lock:
            hits = [s for s in self.statements if s.get("id") not in self.voided and _matches(s, filters)]
        if not ascending:
            hits.reverse()
        size = limit if 0 < limit <= PAGE_SIZE else PAGE_SIZE
        return hits[offset:offset + size], offset + size < len(hits)


class RefusedStatements:
    """Statements the LRS refused (400) with the reason, in memory and in their own journal.

    It shares the statement store's condition, so the inspector's long-poll wakes for either.
    A statement refused again for the same reason (a refused batch resent one at a time) is
    kept once."""

    def __init__(self, journal: Journal, lock: threading.Condition):
        self.journal = journal
        self.lock = lock
        self.entries: list[dict] = read_journal(journal.path)
        self.seen = {_refusal_key(e.get("statement"), e.get("reason", "")) for e in self.entries}

    def record(self, statement, reason: str) -> None:
        key = _refusal_key(statement, reason)
        with self.lock:
            if key in self.seen:
                return
            entry = {"statement": statement, "reason": reason, "status": 400, "at": now_iso()}
            self.journal.append([entry])
            self.entries.append(entry)
            self.seen.add(key)
            self.lock.notify_all()


def _refusal_key(statement, reason: str) -> str:
    return json.dumps([statement, reason], sort_keys=True)


def _same_agent(a: dict, b: dict) -> bool:
    for ifi in ("mbox", "mbox_sha1sum", "openid", "account"):
        if ifi in a or ifi in b:
            return a.get(ifi) == b.get(ifi)
    return False


def _matches(statement: dict, f: dict) -> bool:
    if "agent" in f and not _same_agent(statement.get("actor", {}), f["agent"]):
        return False
    if "verb" in f and statement.get("verb", {}).get("id") != f["verb"]:
        return False
    if "activity" in f and statement.get("object", {}).get("id") != f["activity"]:
        return False
    if "registration" in f and statement.get("context", {}).get("registration") != f["registration"]:
        return False
    if "since" in f and not statement.get("stored", "") > f["since"]:
        return False
    if "until" in f and not statement.get("stored", "") <= f["until"]:
        return False
    return True


def etag(content: bytes) -> str:
    return '"' + hashlib.sha1(content).hexdigest() + '"'


class DocumentStore:
    """State and Agent Profile documents (last write wins for State), saved with each change."""

    def __init__(self, saved: SavedJson | None = None):
        self.saved = saved
        self.lock = threading.Lock()
        self.docs: dict[tuple, tuple[bytes, str]] = {}
        for key, (content, kind) in (saved.load() if saved else {}).items():
            self.docs[tuple(json.loads(key))] = (base64.b64decode(content), kind)

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        with self.lock:
            return self.docs.get(key)

    def ids(self, prefix: tuple) -> list[str]:
        with self.lock:
            return sorted(k[-1] for k in self.docs if k[:-1] == prefix)

    def put(self, key: tuple, content: bytes, content_type: str, merge: bool) -> None:
        with self.lock:
            old = self.docs.get(key)
            if merge and old is not None:
                content = _merged(old[0], content)
                content_type = "application/json"
            self.docs[key] = (content, content_type)
            self._save()

    def delete(self, prefix: tuple, doc_id: str | None) -> None:
        with self.lock:
            for key in [k for k in self.docs if k[:-1] == prefix and (doc_id is None or k[-1] == doc_id)]:
                del self.docs[key]
            self._save()

    def _save(self) -> None:
        if self.saved:
            self.saved.save({json.dumps(list(k)): [base64.b64encode(v[0]).decode("ascii"), v[1]]
                             for k, v in self.docs.items()})


def _merged(old: bytes, new: bytes) -> bytes:
    try:
        a, b = json.loads(old), json.loads(new)
    except ValueError:
        raise XapiError(400, "POST merges JSON objects only") from None
    if not isinstance(a, dict) or not isinstance(b, dict):
        raise XapiError(400, "POST merges JSON objects only")
    return json.dumps({**a, **b}).encode("utf-8")
