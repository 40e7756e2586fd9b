"""`coursec report --lrs` against a real LRS (Ralph), directly and through a proxy that
answers 429 and 503 part of the time."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.lrs.client import LRSClient, basic_auth, credentials_from_env
from compiler.lrs.sync import sync_from_lrs
from compiler.reports.command import report_course
from compiler.reports.simulate import default_params, simulate
from compiler.reports.store import DuckDBStore
from compiler.source import load_course
from tests.support.faulty_proxy import FaultyProxy
from tests.support.report_course import make_course

pytestmark = pytest.mark.lrs
PAGE = 100


def post_all(ralph, statements: list[dict], endpoint: str | None = None) -> None:
    """Load statements as a client would send them (the LRS sets `stored`), in batches."""
    client = LRSClient(endpoint or ralph.endpoint, basic_auth(ralph.key, ralph.secret))
    sendable = [{k: v for k, v in s.items() if k != "stored"} for s in statements]
    for start in range(0, len(sendable), 250):
        client.post_statements(sendable[start:start + 250])


@pytest.fixture(autouse=True)
def lrs_env(monkeypatch, ralph_lrs):
    monkeypatch.setenv("COURSEC_LRS_KEY", ralph_lrs.key)
    monkeypatch.setenv("COURSEC_LRS_SECRET", ralph_lrs.secret)
    monkeypatch.setenv("COURSEC_LRS_PAGE_SIZE", str(PAGE))
    monkeypatch.setenv("COURSEC_LRS_BACKOFF", "0")


@pytest.fixture(scope="module")
def loaded(ralph_lrs):
    """A course with 60 simulated learners in Ralph, plus another course's statements."""
    course = make_course(iri="https://courses.example.org/lrs-pull")
    params = default_params(course, 60, 11)
    statements = simulate(course, params)
    other = simulate(make_course(iri="https://courses.example.org/lrs-other"), default_params(course, 5, 2))
    post_all(ralph_lrs, statements + other)
    return course, params, statements


def _report(course, tmp_path: Path, name: str, endpoint: str) -> dict:
    out = tmp_path / name
    code = report_course(course, lrs_endpoint=endpoint, store=tmp_path / f"{name}.duckdb", out_dir=out,
                         formats=("json",), quiet=True)
    assert code == 0
    return json.loads((out / "report.json").read_text())


def _distinct(statements, predicate) -> int:
    return len({s["actor"]["account"]["name"] for s in statements if predicate(s)})


def test_report_pulls_every_page_and_matches_the_simulation(loaded, ralph_lrs, tmp_path):
    course, params, statements = loaded
    with FaultyProxy(f"http://127.0.0.1:{ralph_lrs.port}", pattern=".") as counter:
        report = _report(course, tmp_path, "direct", counter.origin + "/xAPI/")
    pages = [r for r in counter.requests if r[0] == "GET"]
    assert len(pages) >= len(statements) // PAGE  # followed `more` across many pages
    assert report["facts"]["statements"] == len(statements)  # the other course was filtered out
    assert report["facts"]["learners"] == params.learners
    funnel = {(r["module_id"], r["block_id"]): r for r in report["tables"]["funnel"]["rows"]}
    post_done = _distinct(statements, lambda s: s["object"]["id"] == course.id + "/post")
    assert funnel[("post", None)]["learners"] == post_done
    # the known answers of the simulation, within sampling tolerance
    assert abs(funnel[("post", None)]["share"] - (1 - params.dropoff) ** 2) < 0.15
    by_cohort = {r["cohort"]: r for r in report["tables"]["pre_post"]["rows"]}
    for cohort in ("agents", "designers"):
        assert abs(by_cohort[cohort]["mean_change"] - params.gain_for(cohort)) < 0.2


def test_second_run_fetches_nothing_new(loaded, ralph_lrs, tmp_path):
    course, _, statements = loaded
    client = LRSClient(ralph_lrs.endpoint, credentials_from_env())
    with DuckDBStore(tmp_path / "incremental.duckdb", course.id) as store:
        first = sync_from_lrs(store, client, course.id)
        second = sync_from_lrs(store, client, course.id)
        assert (first.added, second.added) == (len(statements), 0)
        assert store.count() == len(statements)


def test_faulty_lrs_still_gives_the_complete_identical_report(loaded, ralph_lrs, tmp_path):
    course, _, statements = loaded
    direct = _report(course, tmp_path, "direct", ralph_lrs.endpoint)
    with FaultyProxy(f"http://127.0.0.1:{ralph_lrs.port}", pattern="45.") as proxy:
        flaky = _report(course, tmp_path, "flaky", proxy.origin + "/xAPI/")
    statuses = {status for _, _, status in proxy.requests}
    assert {429, 503} <= statuses
    assert flaky == direct
    assert flaky["facts"]["statements"] == len(statements)


def test_lrs_down_after_retries_exits_3_keeps_whole_pages_writes_no_report(ralph_lrs, tmp_path, monkeypatch,
                                                                         sample_course):
    course, _ = load_course(sample_course)
    post_all(ralph_lrs, simulate(course, default_params(course, 8, 5)))
    monkeypatch.setenv("COURSEC_LRS_RETRIES", "2")
    store, out = tmp_path / "down.duckdb", tmp_path / "out"
    with FaultyProxy(f"http://127.0.0.1:{ralph_lrs.port}", pattern="..55555555") as proxy:
        result = CliRunner().invoke(main, ["report", str(sample_course), "--lrs", proxy.origin + "/xAPI/",
                                           "--store", str(store), "-o", str(out), "--format", "html", "--quiet"])
    assert result.exit_code == 3, result.output
    assert "LRS failed after 2 attempts" in result.output
    assert ralph_lrs.secret not in result.output
    assert not out.exists()
    with DuckDBStore(store, course.id) as kept:
        assert kept.count() == 2 * PAGE  # the two pages fetched before the LRS went down
