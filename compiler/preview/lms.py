"""The preview's LMS side: launches per learner, saved SCORM data, the cmi5 launch.

For SCORM the API object itself runs in the LMS page (static/scorm*.js); this module only
keeps each learner's committed CMI data so a relaunch resumes.  For cmi5 it does what an
LMS does before the AU starts (spec-sheet §5.2): one registration per learner, a one-time
fetch URL, the ``LMS.LaunchData`` state document, the learner preferences and the
``launched`` statement.  For TinCan it passes endpoint, auth, actor and registration.  Saved SCORM data and
registrations are kept in ``build/preview/<slug>.lms.json`` (written atomically).
"""
from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import uuid
from urllib.parse import urlencode

from ..vocabulary import CMI5, VERB_DISPLAY, Category, Extension, Verb
from .builder import PREVIEW_HOMEPAGE
from .journal import SavedJson
from .lrs_store import DocumentStore, StatementStore, XapiError, now_iso

LEARNER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PREVIEW_AUTH = "Basic " + base64.b64encode(b"preview:preview").decode("ascii")
CMI5_SESSION = Extension.CMI5_SESSION
CMI5_EXT = CMI5 + "context/extensions/"  # launchmode, launchurl, moveon, masteryscore, launchparameters


def learner_from(payload) -> tuple[str, str, str]:
    """(id, name, cohort) from a launch request; XapiError 400 when unusable."""
    if not isinstance(payload, dict):
        raise XapiError(400, "a launch needs a JSON object")
    name = str(payload.get("name") or "").strip()[:120]
    learner_id = re.sub(r"[^A-Za-z0-9._-]+", "-", name.lower()).strip("-.")[:64]
    if not name or not LEARNER_ID.match(learner_id):
        raise XapiError(400, "give the learner a name (letters or digits)")
    return learner_id, name, str(payload.get("cohort") or "")


def actor_for(learner_id: str, name: str) -> dict:
    return {"objectType": "Agent", "name": name, "account": {"homePage": PREVIEW_HOMEPAGE, "name": learner_id}}


class PreviewLms:
    def __init__(self, statements: StatementStore, documents: DocumentStore, base_url: str,
                 saved: SavedJson | None = None):
        self.statements = statements
        self.documents = documents
        self.base_url = base_url
        self.saved = saved
        kept = saved.load() if saved else {}
        self.cmi = {(t, who): record for t, who, record in kept.get("cmi", [])}
        self.registrations = {(t, who): reg for t, who, reg in kept.get("registrations", [])}
        self.tokens: dict[str, str | None] = {}  # fetch id -> auth token (None once used)
        self.lock = threading.Lock()

    def _save(self) -> None:
        if self.saved:
            self.saved.save({"cmi": [[t, who, r] for (t, who), r in sorted(self.cmi.items())],
                             "registrations": [[t, who, r] for (t, who), r in sorted(self.registrations.items())]})

    def registration(self, target: str, learner_id: str) -> str:
        with self.lock:
            if (target, learner_id) not in self.registrations:
                self.registrations[(target, learner_id)] = str(uuid.uuid4())
                self._save()
            return self.registrations[(target, learner_id)]

    def saved_cmi(self, target: str, learner_id: str) -> dict | None:
        with self.lock:
            return self.cmi.get((target, learner_id))

    def save_cmi(self, target: str, learner_id: str, cmi) -> None:
        if not isinstance(cmi, dict) or not LEARNER_ID.match(learner_id):
            raise XapiError(400, "CMI data must be a JSON object for a known learner")
        with self.lock:
            self.cmi[(target, learner_id)] = cmi
            self._save()

    def reset(self, target: str, learner_id: str) -> None:
        """Forget a learner's saved SCORM data and registration: the next launch is a new attempt."""
        with self.lock:
            self.cmi.pop((target, learner_id), None)
            self.registrations.pop((target, learner_id), None)
            self._save()

    def launch(self, target: str, payload, course) -> dict:
        """What the LMS page needs to start the course for one learner."""
        learner_id, name, cohort = learner_from(payload)
        if cohort and cohort not in {c for c, _ in course.cohorts}:
            raise XapiError(400, f"no cohort {cohort!r} in this course")
        answer = {"learner": {"id": learner_id, "name": name}, "cohort": cohort, "target": target}
        query = {"cohort": cohort} if cohort else {}
        if target in ("scorm12", "scorm2004"):
            answer["cmi"] = self.saved_cmi(target, learner_id)
        elif target == "xapi":
            query.update(self._tincan_query(learner_id, name))
        elif target == "cmi5":
            query = {**self._cmi5_launch(learner_id, name, cohort, course), **query}
        answer["url"] = "/course/index.html" + ("?" + urlencode(query) if query else "")
        return answer

    def _tincan_query(self, learner_id: str, name: str) -> dict:
        actor = actor_for(learner_id, name)
        return {"endpoint": self.base_url + "/xapi/", "auth": PREVIEW_AUTH, "actor": json.dumps(actor),
                "registration": self.registration("xapi", learner_id)}

    def _cmi5_launch(self, learner_id: str, name: str, cohort: str, course) -> dict:
        actor = actor_for(learner_id, name)
        registration = self.registration("cmi5", learner_id)
        publisher_id = f"{course.course_id}/course-au"
        activity_id = f"{PREVIEW_HOMEPAGE}/au/{uuid.uuid5(uuid.NAMESPACE_URL, publisher_id)}"
        session = str(uuid.uuid4())
        fetch_id = secrets.token_urlsafe(16)
        with self.lock:
            self.tokens[fetch_id] = base64.b64encode(b"preview:" + fetch_id.encode()).decode("ascii")
        launch_data = self._launch_data(course, publisher_id, session, cohort)
        key = ("state", activity_id, json.dumps({"account": actor["account"]}, sort_keys=True), registration)
        self.documents.put((*key, "LMS.LaunchData"), json.dumps(launch_data).encode(), "application/json", False)
        prefs = ("profile", json.dumps({"account": actor["account"]}, sort_keys=True), "cmi5LearnerPreferences")
        if self.documents.get(prefs) is None:
            self.documents.put(prefs, json.dumps({"languagePreference": course_language(course), "audioPreference": "on"}).encode(),
                               "application/json", False)
        self.statements.store([self._launched(actor, activity_id, registration, launch_data)])
        return {"endpoint": self.base_url + "/xapi/", "fetch": f"{self.base_url}/lms/fetch/{fetch_id}",
                "actor": json.dumps(actor), "registration": registration, "activityId": activity_id}

    @staticmethod
    def _launch_data(course, publisher_id: str, session: str, cohort: str) -> dict:
        data = {"contextTemplate": {"contextActivities": {"grouping": [{"id": publisher_id}, {"id": course.course_id}]},
                                    "extensions": {CMI5_SESSION: session}},
                "launchMode": "Normal", "moveOn": "CompletedAndPassed" if course.mastery_score is not None else "Completed"}
        if course.mastery_score is not None:
            data["masteryScore"] = course.mastery_score
        if cohort:
            data["launchParameters"] = f"cohort={cohort}"
        return data

    @staticmethod
    def _launched(actor: dict, activity_id: str, registration: str, launch_data: dict) -> dict:
        extensions = {CMI5_SESSION: launch_data["contextTemplate"]["extensions"][CMI5_SESSION],
                      CMI5_EXT + "launchmode": launch_data["launchMode"],
                      CMI5_EXT + "launchurl": "index.html", CMI5_EXT + "moveon": launch_data["moveOn"]}
        for key in ("masteryScore", "launchParameters"):
            if key in launch_data:
                extensions[CMI5_EXT + key.lower()] = launch_data[key]
        context = {"registration": registration, "extensions": extensions,
                   "contextActivities": {**launch_data["contextTemplate"]["contextActivities"],
                                         "category": [{"id": Category.CMI5}]}}
        return {"id": str(uuid.uuid4()), "actor": actor, "timestamp": now_iso(),
                "verb": {"id": Verb.LAUNCHED, "display": {"en-US": VERB_DISPLAY[Verb.LAUNCHED]}},
                "object": {"objectType": "Activity", "id": activity_id}, "context": context}

    def fetch(self, fetch_id: str) -> dict:
        """The cmi5 fetch URL: the token once, then error 1 (always HTTP 200)."""
        with self.lock:
            token = self.tokens.get(fetch_id)
            if fetch_id in self.tokens:
                self.tokens[fetch_id] = None
        if token:
            return {"auth-token": token}
        return {"error-code": "1", "error-text": "this launch token was already used or never issued"}


def course_language(course) -> str:
    return course.language or "en"
