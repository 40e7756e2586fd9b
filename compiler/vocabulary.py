"""The one xAPI vocabulary of coursec: verbs, activity types and extensions.

The runtime's JavaScript table is generated from this module (``as_js_table``) and the
reports read statements with these same constants, so both sides cannot drift apart.
Change a verb or an extension here and nowhere else.
"""
from __future__ import annotations

import json
from types import MappingProxyType

XAPI_VERSION = "1.0.3"

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
CMI5 = "https://w3id.org/xapi/cmi5/"
# Our own extension IRIs live under this base (documented in the README).
COURSEC_EXT = "https://w3id.org/xapi/coursec/extensions/"


class Verb:
    """Verb IRIs (ADL unless noted)."""

    EXPERIENCED = ADL_VERBS + "experienced"
    COMPLETED = ADL_VERBS + "completed"
    ANSWERED = ADL_VERBS + "answered"
    RESPONDED = ADL_VERBS + "responded"
    PASSED = ADL_VERBS + "passed"
    FAILED = ADL_VERBS + "failed"
    INITIALIZED = ADL_VERBS + "initialized"
    TERMINATED = ADL_VERBS + "terminated"
    LAUNCHED = ADL_VERBS + "launched"
    VOIDED = ADL_VERBS + "voided"
    CREATED = "http://activitystrea.ms/schema/1.0/create"


VERB_DISPLAY = MappingProxyType(
    {
        Verb.EXPERIENCED: "experienced",
        Verb.COMPLETED: "completed",
        Verb.ANSWERED: "answered",
        Verb.RESPONDED: "responded",
        Verb.PASSED: "passed",
        Verb.FAILED: "failed",
        Verb.INITIALIZED: "initialized",
        Verb.TERMINATED: "terminated",
        Verb.LAUNCHED: "launched",
        Verb.VOIDED: "voided",
        Verb.CREATED: "created",
    }
)


class ActivityType:
    COURSE = ADL_ACTIVITIES + "course"
    MODULE = ADL_ACTIVITIES + "module"
    LESSON = ADL_ACTIVITIES + "lesson"
    ASSESSMENT = ADL_ACTIVITIES + "assessment"
    INTERACTION = ADL_ACTIVITIES + "cmi.interaction"
    SIMULATION = ADL_ACTIVITIES + "simulation"  # a scenario
    REFLECTION = ADL_ACTIVITIES + "cmi.interaction"
    ARTIFACT = "http://activitystrea.ms/schema/1.0/file"


# Block kind -> activity type of the block itself.
BLOCK_ACTIVITY_TYPE = MappingProxyType(
    {
        "lesson": ActivityType.LESSON,
        "scenario": ActivityType.SIMULATION,
        "reflection": ActivityType.INTERACTION,
        "artifact": ActivityType.ARTIFACT,
        "quiz": ActivityType.ASSESSMENT,
        "survey": ActivityType.ASSESSMENT,
    }
)


class Extension:
    """Context and result extension IRIs."""

    COHORT = COURSEC_EXT + "cohort"  # context: the learner's cohort id
    BLOCK_KIND = COURSEC_EXT + "block-kind"  # context: lesson|scenario|...
    ASSESSMENT_KIND = COURSEC_EXT + "assessment-kind"  # context: pre|post
    ENDING = COURSEC_EXT + "ending"  # result: the scenario ending step id
    PATH = COURSEC_EXT + "path"  # result: the scenario steps visited, in order
    WORDS = COURSEC_EXT + "words"  # result: word count of a reflection/artifact
    CONTENT_HASH = COURSEC_EXT + "content-hash"  # context: course sources hash
    CMI5_SESSION = CMI5 + "context/extensions/sessionid"
    CMI5_MASTERY = CMI5 + "context/extensions/masteryscore"
    CMI5_PROGRESS = CMI5 + "result/extensions/progress"


class Category:
    CMI5 = CMI5 + "context/categories/cmi5"
    MOVEON = CMI5 + "context/categories/moveon"


def as_js_table() -> str:
    """The vocabulary as a JavaScript object literal, for the runtime (generated at build)."""
    table = {
        "xapiVersion": XAPI_VERSION,
        "verbs": {k.lower(): v for k, v in vars(Verb).items() if k.isupper()},
        "verbDisplay": dict(VERB_DISPLAY),
        "activityTypes": {k.lower(): v for k, v in vars(ActivityType).items() if k.isupper()},
        "blockActivityType": dict(BLOCK_ACTIVITY_TYPE),
        "extensions": {k.lower(): v for k, v in vars(Extension).items() if k.isupper()},
        "categories": {k.lower(): v for k, v in vars(Category).items() if k.isupper()},
    }
    return json.dumps(table, indent=1, sort_keys=True)
