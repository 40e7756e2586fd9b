"""`coursec simulate`: deterministic, in our vocabulary, and its parameters are the answers
the report finds."""
from __future__ import annotations

import json

from click.testing import CliRunner

from compiler.cli import main
from compiler.reports import aggregates as agg
from compiler.reports import aggregates_learning as learn
from compiler.reports.simulate import SimulationParams, default_params, simulate
from compiler.reports.store import DuckDBStore
from compiler.vocabulary import Extension, Verb
from tests.support.report_course import make_course

COURSE = make_course()


def test_same_seed_same_bytes_other_seed_other_statements(sample_course, tmp_path):
    runner = CliRunner()
    outputs = []
    for seed in (5, 5, 6):
        result = runner.invoke(main, ["simulate", str(sample_course), "--learners", "3", "--seed", str(seed)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1] != outputs[2]
    lines = [json.loads(line) for line in outputs[0].splitlines()]
    assert len({s["id"] for s in lines}) == len(lines)
    file_result = runner.invoke(main, ["simulate", str(sample_course), "--learners", "3", "--seed", "5",
                                       "-o", str(tmp_path / "s.ndjson")])
    assert file_result.exit_code == 0 and (tmp_path / "s.ndjson").read_text() == outputs[0]


def test_statements_follow_the_vocabulary():
    statements = simulate(COURSE, SimulationParams(learners=4, seed=1, dropoff=0.0))
    verbs = {s["verb"]["id"] for s in statements}
    assert {Verb.EXPERIENCED, Verb.COMPLETED, Verb.ANSWERED, Verb.RESPONDED, Verb.CREATED} <= verbs
    assert verbs <= {Verb.EXPERIENCED, Verb.COMPLETED, Verb.ANSWERED, Verb.RESPONDED, Verb.CREATED,
                     Verb.PASSED, Verb.FAILED}
    for statement in statements:
        context = statement["context"]
        assert context["contextActivities"]["grouping"] == [{"id": COURSE.id}]
        assert context["revision"] == COURSE.version
        assert context["extensions"][Extension.COHORT] in ("agents", "designers")
        assert statement["object"]["id"].startswith(COURSE.id)
        assert statement["timestamp"].endswith("Z") and statement["stored"] >= statement["timestamp"]
    finishes = [s for s in statements if s["verb"]["id"] in (Verb.PASSED, Verb.FAILED)]
    assert all(s["context"]["extensions"][Extension.ASSESSMENT_KIND] in ("pre", "post")
               for s in finishes if s["object"]["id"] != COURSE.id)


def test_some_statements_arrive_late():
    params = SimulationParams(learners=40, seed=3, late_share=0.1)
    statements = simulate(COURSE, params)
    late = [s for s in statements if s["stored"][:10] > s["timestamp"][:10]]
    assert 0.03 < len(late) / len(statements) < 0.2


def test_report_finds_the_simulation_parameters(tmp_path):
    params = default_params(COURSE, 400, 9)
    path = tmp_path / "s.ndjson"
    path.write_text("".join(json.dumps(s) + "\n" for s in simulate(COURSE, params)))
    with DuckDBStore(":memory:", COURSE.id) as store:
        store.load_ndjson(path)
        t = agg.prepare(store.ibis_table())
        funnel = {(r["module_id"], r["block_id"]): r["share"] for r in agg.completion_funnel(t, COURSE).to_pyarrow().to_pylist()}
        prepost = {r["cohort"]: r for r in learn.pre_post(t).to_pyarrow().to_pylist()}
        choices = {(r["item_id"], r["response"]): r["share"] for r in learn.scenario_choices(t).to_pyarrow().to_pylist()}
    assert abs(funnel[("listening", None)] - (1 - params.dropoff)) < 0.05
    assert abs(funnel[("post", None)] - (1 - params.dropoff) ** 2) < 0.06
    for cohort in ("agents", "designers"):
        assert abs(prepost[cohort]["mean_change"] - params.gain_for(cohort)) < 0.08
        assert abs(prepost[cohort]["mean_pre"] - params.pre_accuracy) < 0.06
    assert abs(choices[("start", "own-it")] - params.best_choice) < 0.06
