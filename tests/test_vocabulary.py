"""The one statement vocabulary: IRIs well formed, and the JS table generated from it."""
from __future__ import annotations

import json
import re

from compiler import vocabulary as v

IRI = re.compile(r"^https?://[^\s/]+/\S+$")


def _constants(cls) -> dict[str, str]:
    return {k: val for k, val in vars(cls).items() if k.isupper()}


def test_every_constant_is_an_absolute_iri():
    for cls in (v.Verb, v.ActivityType, v.Extension, v.Category):
        for name, iri in _constants(cls).items():
            assert IRI.match(iri), f"{cls.__name__}.{name} = {iri!r}"


def test_adl_verbs_use_the_exact_http_prefix():
    # IRIs compare exactly: https://adlnet.gov/... would be a different verb.
    for name, iri in _constants(v.Verb).items():
        if name != "CREATED":
            assert iri.startswith("http://adlnet.gov/expapi/verbs/")


def test_every_verb_has_a_display_label():
    assert set(_constants(v.Verb).values()) == set(v.VERB_DISPLAY)


def test_js_table_round_trips_every_constant():
    table = json.loads(v.as_js_table())
    assert table["xapiVersion"] == "1.0.3"
    assert table["verbs"]["answered"] == v.Verb.ANSWERED
    assert table["extensions"]["cohort"] == v.Extension.COHORT
    assert set(table["verbs"].values()) == set(_constants(v.Verb).values())
    assert set(table["extensions"].values()) == set(_constants(v.Extension).values())
    assert table["blockActivityType"]["quiz"] == v.ActivityType.ASSESSMENT


def test_js_table_is_deterministic():
    assert v.as_js_table() == v.as_js_table()
