"""The HTML report: one self-contained, printable, accessible file with inline SVG charts.

No script, no external resource (a Content-Security-Policy forbids both, so even a learner's
text that slipped through could not run); every value is escaped; every chart has a title and
a text description; colours meet WCAG AA contrast on white.
"""
from __future__ import annotations

import math
from html import escape
from pathlib import Path

from .output import ReportWriter
from .report import Report, Table

MAX_ROWS = 500
BAR = "#1f4e79"  # 8.6:1 on white
BAR_2 = "#7a3e00"  # 7.4:1 on white
CSS = """
body{font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff;max-width:70rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #555}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #767676;padding:.2rem .45rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.text{max-width:40rem;white-space:pre-wrap}
figure{margin:1rem 0}svg text{font:12px system-ui,sans-serif;fill:#1a1a1a}
.note{color:#444}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _cell(column: str, value) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, (int, float)):
        return f'<td class="n">{escape(str(value))}</td>'
    css = ' class="text"' if column == "text" else ""
    return f"<td{css}>{escape(str(value))}</td>"


def html_table(table: Table) -> str:
    shown = list(table.iter_rows(MAX_ROWS))
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    body = "\n".join("<tr>" + "".join(_cell(c, v) for c, v in zip(table.columns, row)) + "</tr>" for row in shown)
    note = ""
    if len(table) > len(shown):
        note = f'<p class="note">First {len(shown)} of {len(table)} rows; the CSV and JSON hold all.</p>'
    if not len(table):
        note = '<p class="note">No data.</p>'
    return (f'<table><caption>{escape(table.title)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{note}")


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, float]], maximum: float = 1.0,
              percent: bool = True) -> str:
    """Horizontal bars with their labels and values written out (readable without colour)."""
    row, left, width = 22, 260, 360
    height = row * len(bars) + 10
    parts = [f'<figure><svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" width="{left + width + 80}" '
             f'height="{height}" viewBox="0 0 {left + width + 80} {height}" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(title)}</title>']
    described = "; ".join(f"{label}: {_fmt(value, percent)}" for label, value in bars)
    parts.append(f'<desc id="{chart_id}-d">{escape(described)}</desc>')
    for i, (label, value) in enumerate(bars):
        y = i * row + 5
        length = 0 if not maximum else max(0.0, min(value / maximum, 1.0)) * width
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(label[:40])}</text>'
                     f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="{row - 6}" fill="{BAR}"/>'
                     f'<text x="{left + length + 4:.1f}" y="{y + 14}">{escape(_fmt(value, percent))}</text>')
    parts.append(f"</svg><figcaption>{escape(title)}</figcaption></figure>")
    return "".join(parts)


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f} %" if percent else f"{value:g}"


def _charts(report: Report, section: str) -> str:
    if section == "funnel":
        rows = report.table("funnel").records()
        bars = [(f"{r['module_id']}/{r['block_id']}" if r["block_id"] else f"{r['module_id']} (module)",
                 r["share"] or 0.0) for r in rows]
        return bar_chart("chart-funnel", "Share of learners who finished each block and module", bars)
    if section == "score_distribution":
        rows = report.table("score_distribution").records()
        most = max([r["learners"] for r in rows] or [1])
        bars = [(f"{r['bin_low']:.1f}–{r['bin_low'] + 0.1:.1f}", r["learners"]) for r in rows]
        return bar_chart("chart-scores", "Learners per course score band", bars, most, percent=False)
    if section == "pre_post":
        bars = []
        for r in report.table("pre_post").records():
            bars += [(f"{r['cohort']} pre", r["mean_pre"] or 0.0), (f"{r['cohort']} post", r["mean_post"] or 0.0)]
        return bar_chart("chart-prepost", "Mean score before and after, per cohort (paired learners)", bars)
    if section == "survey_pre_post":
        bars = []
        for r in report.table("survey_pre_post").records():
            label = f"{r['pair']} {r['cohort']}"
            bars += [(f"{label} pre", r["mean_pre"] or 0.0), (f"{label} post", r["mean_post"] or 0.0)]
        if not bars:
            return ""
        top = math.ceil(max(value for _, value in bars)) or 1  # ratings are scale positions from 1
        return bar_chart("chart-survey-prepost", "Mean self-rating before and after, per survey pair and cohort "
                         "(paired learners)", bars, top, percent=False)
    return ""


class HtmlWriter(ReportWriter):
    name = "html"

    def write(self, report: Report, folder: Path) -> list[Path]:
        facts = "".join(f"<li>{escape(str(k))}: {escape(str(v))}</li>" for k, v in report.facts.items())
        sections = [f'<section aria-labelledby="s-{t.name}"><h2 id="s-{t.name}">{escape(t.title)}</h2>'
                    f"{_charts(report, t.name)}{html_table(t)}</section>" for t in report.tables]
        page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f"<title>Report: {escape(report.course_title)}</title><style>{CSS}</style></head>"
                f"<body><main><h1>Report: {escape(report.course_title)}</h1><ul>{facts}</ul>"
                + "\n".join(sections) + "</main></body></html>\n")
        path = folder / "report.html"
        path.write_text(page, encoding="utf-8")
        return [path]
