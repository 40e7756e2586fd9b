"""`coursec report` and `coursec forget` from the command line: exit codes 0 / 1 / 2 / 3,
warnings for malformed statements, pseudonyms in every output, cohort overrides."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.reports.simulate import default_params, simulate
from compiler.source import load_course
from tests.support.ralph import free_port


@pytest.fixture(scope="module")
def statements_file(sample_course, tmp_path_factory) -> Path:
    course, _ = load_course(sample_course)
    path = tmp_path_factory.mktemp("cli") / "s.ndjson"
    lines = [json.dumps(s) for s in simulate(course, default_params(course, 12, 8))]
    path.write_text("\n".join(lines + ["{broken", '{"id": "x"}']) + "\n")
    return path


def report(sample_course, tmp_path, *args):
    runner = CliRunner()
    return runner.invoke(main, ["report", str(sample_course), "--store", str(tmp_path / "s.duckdb"), *args])


def test_report_from_file_exits_0_warns_about_malformed_and_writes_every_format(sample_course, statements_file, tmp_path):
    out = tmp_path / "out"
    result = report(sample_course, tmp_path, "--from", str(statements_file), "-o", str(out),
                    "--format", "csv", "--format", "json", "--format", "html", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "warning: skipped 2 malformed statements" in result.stderr
    assert "Completion funnel" in result.stdout
    facts = json.loads((out / "report.json").read_text())["facts"]
    assert facts["learners"] == 12
    assert (out / "report.html").is_file() and (out / "funnel.csv").is_file() and (out / "report.md").is_file()


def test_bad_input_file_exits_1_with_its_location_and_writes_nothing(sample_course, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"id": "a"},\n')
    for source in (str(broken), str(tmp_path / "missing.ndjson")):
        result = report(sample_course, tmp_path, "--from", source, "-o", str(tmp_path / "out"), "--format", "html")
        assert result.exit_code == 1
        assert result.stderr.startswith(source + ":1:1: error:") and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(sample_course, statements_file, tmp_path, monkeypatch):
    both = report(sample_course, tmp_path, "--from", str(statements_file), "--preview")
    assert both.exit_code == 2 and "choose one source" in both.output
    bad_date = report(sample_course, tmp_path, "--since", "last tuesday")
    assert bad_date.exit_code == 2 and "--since" in bad_date.output
    monkeypatch.delenv("COURSEC_LRS_KEY", raising=False)
    monkeypatch.delenv("COURSEC_LRS_SECRET", raising=False)
    no_credentials = report(sample_course, tmp_path, "--lrs", "http://127.0.0.1:9/xAPI/")
    assert no_credentials.exit_code == 2 and "COURSEC_LRS_KEY" in no_credentials.output
    unknown = CliRunner().invoke(main, ["report", str(sample_course), "--format", "pdf"])
    assert unknown.exit_code == 2


def test_unreachable_lrs_exits_3_after_retries_without_leaking_the_secret(sample_course, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSEC_LRS_KEY", "analyst")
    monkeypatch.setenv("COURSEC_LRS_SECRET", "s3cret-value")
    monkeypatch.setenv("COURSEC_LRS_RETRIES", "2")
    monkeypatch.setenv("COURSEC_LRS_BACKOFF", "0")
    result = report(sample_course, tmp_path, "--lrs", f"http://127.0.0.1:{free_port()}/xAPI/",
                    "-o", str(tmp_path / "out"), "--format", "json")
    assert result.exit_code == 3
    assert "LRS failed after 2 attempts" in result.stderr
    assert "s3cret" not in result.output and not (tmp_path / "out").exists()


def test_pseudonymize_hides_learners_in_every_output(sample_course, statements_file, tmp_path):
    out = tmp_path / "out"
    result = report(sample_course, tmp_path, "--from", str(statements_file), "--pseudonymize", "-o", str(out),
                    "--format", "csv", "--format", "json", "--format", "html", "--format", "md")
    assert result.exit_code == 0, result.output
    texts = [p.read_text() for p in out.iterdir()] + [result.stdout]
    assert not any("learner-00001" in text or "lms.example.org" in text for text in texts)
    names = {r["learner"] for r in json.loads((out / "report.json").read_text())["tables"]["scores"]["rows"]}
    assert names and all(n.startswith("learner-") and len(n) == len("learner-") + 12 for n in names)
    again = report(sample_course, tmp_path, "--pseudonymize", "-o", str(out), "--format", "json")
    renamed = {r["learner"] for r in json.loads((out / "report.json").read_text())["tables"]["scores"]["rows"]}
    assert again.exit_code == 0 and renamed == names  # the salt is kept in the store: stable pseudonyms


def test_cohorts_csv_overrides_and_a_bad_csv_exits_1(sample_course, statements_file, tmp_path):
    csv_file = tmp_path / "cohorts.csv"
    csv_file.write_text("learner,cohort\nlearner-00001,quality-reviewers\nlearner-00002,quality-reviewers\n")
    out = tmp_path / "out"
    result = report(sample_course, tmp_path, "--from", str(statements_file), "--cohorts-csv", str(csv_file),
                    "--cohort", "quality-reviewers", "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    learners = {r["learner"] for r in json.loads((out / "report.json").read_text())["tables"]["transcript"]["rows"]}
    assert {"learner-00001", "learner-00002"} <= learners  # (scores lists only learners who took the post quiz)
    csv_file.write_text("learner-00001\n")
    bad = report(sample_course, tmp_path, "--cohorts-csv", str(csv_file))
    assert bad.exit_code == 1 and f"{csv_file}:1:1: error:" in bad.stderr


def test_forget_removes_a_learner_from_the_store(sample_course, statements_file, tmp_path):
    store = str(tmp_path / "s.duckdb")
    assert report(sample_course, tmp_path, "--from", str(statements_file)).exit_code == 0
    forget = CliRunner().invoke(main, ["forget", str(sample_course), "learner-00003", "--store", store])
    assert forget.exit_code == 0 and "removed" in forget.stderr
    out = tmp_path / "out"
    assert report(sample_course, tmp_path, "-o", str(out), "--format", "json").exit_code == 0
    document = json.loads((out / "report.json").read_text())
    assert document["facts"]["learners"] == 11
    assert "learner-00003" not in json.dumps(document)


def test_preview_journal_reports_into_its_own_store(sample_course, statements_file, tmp_path, monkeypatch):
    course, _ = load_course(sample_course)
    monkeypatch.chdir(tmp_path)
    journal = tmp_path / "build" / "preview" / f"{course.slug}.ndjson"
    journal.parent.mkdir(parents=True)
    lines = statements_file.read_text().splitlines()[:200]
    journal.write_text("\n".join(lines) + '\n{"id": "torn')  # a preview killed mid-write
    result = CliRunner().invoke(main, ["report", str(sample_course), "--preview", "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "build" / "reports" / f"{course.slug}-preview.duckdb").is_file()
    assert not (tmp_path / "build" / "reports" / f"{course.slug}.duckdb").exists()
    document = json.loads((tmp_path / "build" / "reports" / f"{course.slug}-preview" / "report.json").read_text())
    assert document["facts"]["statements"] == 200
