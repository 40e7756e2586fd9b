"""Report files: CSV formula injection neutralised, HTML escaped and inert (checked in real
Chromium), JSON and Markdown complete, deterministic bytes, no partial output."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from compiler.reports import aggregates as agg
from compiler.reports.output import neutralise, terminal_summary, write_report
from compiler.reports.report import build_report
from compiler.reports.simulate import SimulationParams, simulate
from compiler.reports.store import DuckDBStore
from tests.support.report_course import make_course

COURSE = make_course()
PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '<img src="x" onerror="window.__pwned = 2">',
    "=HYPERLINK(\"http://evil.example\", \"click\")",
    "+SUM(1, 2)",
    "-2+3",
    "@cmd",
    "\tindented",
    "\rreturn",
    "</td></tr></table><svg onload=\"window.__pwned = 3\">",
]


def statements_with_payloads() -> list[dict]:
    statements = simulate(COURSE, SimulationParams(learners=12, seed=4, dropoff=0.0))
    texts = [s for s in statements if s["verb"]["id"].endswith(("responded", "create"))]
    for statement, payload in zip(texts, PAYLOADS):
        statement["result"]["response"] = payload
        statement["actor"]["account"]["name"] = "<b>" + statement["actor"]["account"]["name"]
    return statements


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "s.ndjson"
    path.write_text("".join(json.dumps(s) + "\n" for s in statements_with_payloads()))
    with DuckDBStore(":memory:", COURSE.id) as store:
        store.load_ndjson(path)
        yield build_report(agg.prepare(store.ibis_table()), COURSE, {"statements": store.count()})


def test_csv_cells_that_could_run_as_formulas_are_neutralised(report, tmp_path):
    write_report(report, tmp_path / "r", ["csv"])
    with open(tmp_path / "r" / "reflections.csv", newline="", encoding="utf-8") as stream:
        texts = [row["text"] for row in csv.DictReader(stream)]
    for payload in PAYLOADS:
        expected = "'" + payload if payload[0] in "=+-@\t\r" else payload
        assert expected in texts
    assert not any(text[:1] in ("=", "+", "-", "@", "\t", "\r") for text in texts)
    # numbers stay numbers (a negative correlation is not a formula)
    assert neutralise(-0.25) == "-0.25" and neutralise("-0.25") == "'-0.25"


def test_every_format_is_written_and_complete(report, tmp_path):
    files = write_report(report, tmp_path / "r", ["csv", "json", "html", "md"])
    names = {p.name for p in files}
    assert {f"{t.name}.csv" for t in report.tables} | {"report.json", "report.html", "report.md"} == names
    document = json.loads((tmp_path / "r" / "report.json").read_text())
    assert set(document["tables"]) == {t.name for t in report.tables}
    assert len(document["tables"]["reflections"]["rows"]) == len(report.table("reflections").rows)
    markdown = (tmp_path / "r" / "report.md").read_text()
    assert "## Completion funnel per module and block" in markdown and "<script>" not in markdown


def test_output_is_deterministic_and_replaced_as_a_whole(report, tmp_path):
    first = {p.name: p.read_bytes() for p in write_report(report, tmp_path / "a", ["csv", "json", "html", "md"])}
    second = {p.name: p.read_bytes() for p in write_report(report, tmp_path / "a", ["json", "html"])}
    assert second == {k: v for k, v in first.items() if k in second}  # same bytes, old CSVs gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]  # no temporary folders left


def test_a_failing_writer_leaves_the_previous_report_untouched(report, tmp_path, monkeypatch):
    write_report(report, tmp_path / "r", ["json"])
    before = (tmp_path / "r" / "report.json").read_bytes()
    from compiler.reports import output_html

    def broken(self, report, folder):
        (folder / "report.html").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(output_html.HtmlWriter, "write", broken)
    with pytest.raises(OSError):
        write_report(report, tmp_path / "r", ["json", "html"])
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["report.json"]
    assert (tmp_path / "r" / "report.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_terminal_summary_has_the_headline_tables_and_no_control_characters(report):
    text = terminal_summary(report)
    assert "Completion funnel per module and block" in text and "Pass rate" in text
    assert "\r" not in text and "\t" not in text


@pytest.mark.browser
def test_html_report_is_inert_in_chromium(report, tmp_path, page, static_server):
    write_report(report, tmp_path / "r", ["html"])
    html = (tmp_path / "r" / "report.html").read_bytes()
    url = f"{static_server.url}/{static_server.publish('report-xss', {'index.html': html})}"
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('script, img, iframe, object').length") == 0
    assert page.evaluate("document.querySelectorAll('svg[onload]').length") == 0
    shown = page.inner_text("#s-reflections ~ table, section[aria-labelledby='s-reflections']")
    assert "<script>window.__pwned = 1</script>" in shown
    assert "<b>" in page.inner_text("section[aria-labelledby='s-transcript']")
    # accessible structure: one h1, a caption per table, every chart titled
    assert page.locator("h1").count() == 1
    assert page.locator("table").count() == page.locator("table > caption").count() == len(report.tables)
    charts = page.locator("svg[role='img']")
    assert charts.count() >= 3
    for index in range(charts.count()):
        assert charts.nth(index).locator("title").text_content().strip()


def test_floats_print_rounded_and_without_a_negative_zero():
    import pyarrow as pa

    from compiler.reports.report import _tidy

    # A correlation that is zero up to rounding noise comes out as -1e-17 on some runs and
    # +1e-17 on others: both must print as the same 0.0, so reports stay byte-identical.
    # A mean summed in another order can land one ulp off a 4-place value: it must still print
    # as that value (0.8332999999999999 and 0.8333000000000002 are both 0.8333).
    import math

    near = [math.nextafter(0.8333, 0.0), 0.8333, math.nextafter(0.8333, 1.0)]
    raw = pa.table({"discrimination": pa.array([-1e-17, 1e-17, -0.0, 0.123456, float("nan"), *near])})
    values = _tidy(raw).column("discrimination").to_pylist()
    assert [str(v) for v in values] == ["0.0", "0.0", "0.0", "0.1235", "None", "0.8333", "0.8333", "0.8333"]
