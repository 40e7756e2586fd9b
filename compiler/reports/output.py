"""Report writers: one class per output format behind one interface, and the terminal summary.

Files go into a temporary folder beside the target that replaces it only once every file is
written: a failure leaves no partial report.  CSV cells holding learner text that starts with
``= + - @``, tab or CR get a leading ``'`` so spreadsheets do not run them as formulas.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .report import Report, Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PATTERN = "^[=+@\\t\\r-]"


class ReportWriter(ABC):
    """Writes a report's files into a folder."""

    name: str = ""

    @abstractmethod
    def write(self, report: Report, folder: Path) -> list[Path]: ...


def neutralise(value) -> str:
    """A CSV cell: text that a spreadsheet would run as a formula is prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def neutralised(data: pa.Table) -> pa.Table:
    """:func:`neutralise` for every text column of an Arrow table, vectorised."""
    columns = []
    for field, column in zip(data.schema, data.columns):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            risky = pc.match_substring_regex(column, FORMULA_PATTERN)
            if pc.any(risky).as_py():  # most columns hold none: no copy of the column then
                column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.table(columns, names=data.column_names)


class CsvWriter(ReportWriter):
    """One CSV per table (header row, RFC 4180 quoting where needed), written by Arrow."""

    name = "csv"

    def write(self, report: Report, folder: Path) -> list[Path]:
        options = pacsv.WriteOptions(quoting_style="needed")
        paths = []
        for table in report.tables:
            path = folder / f"{table.name}.csv"
            pacsv.write_csv(neutralised(table.data), path, write_options=options)
            paths.append(path)
        return paths


class JsonWriter(ReportWriter):
    name = "json"

    def write(self, report: Report, folder: Path) -> list[Path]:
        """``{"course", "facts", "tables": {name: {"title", "rows": [{column: value}]}}}``, streamed."""
        def dump(value) -> str:
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

        import duckdb

        path = folder / "report.json"
        con = duckdb.connect()  # one for every table: a connection costs more than a small table
        try:
            with open(path, "wb") as out:
                out.write(('{"course":' + dump({"id": report.course_id, "title": report.course_title})).encode())
                out.write((',"facts":' + dump(report.facts) + ',"tables":{').encode())
                for index, table in enumerate(report.tables):
                    out.write((("," if index else "") + dump(table.name) + ':{"title":' + dump(table.title)
                               + ',"rows":[').encode())
                    for chunk in _json_rows(con, table.data):
                        out.write(chunk)
                    out.write(b"]}")
                out.write(b"}}\n")
        finally:
            con.close()
        return [path]


def _json_rows(con, data: pa.Table, batch: int = 100_000):
    """The rows as JSON objects joined by commas, in table order, as UTF-8 buffers: DuckDB's
    C++ (``con``, an in-memory connection) serialises each row and the text goes from its Arrow
    buffer to the file without becoming Python strings (a Python loop is the slow part of a
    million-statement report)."""
    con.register("report_rows", data)
    try:
        reader = con.sql("SELECT ',' || to_json(r)::VARCHAR AS j FROM report_rows r").to_arrow_reader(batch)
        skip = 1  # no comma before the first row
        for chunk in reader:
            text = chunk.column(0)
            if not len(text):
                continue
            if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
                text = text.cast(pa.large_string())
            _, offsets, values = text.buffers()
            width = 8 if pa.types.is_large_string(text.type) else 4
            first, last = (int.from_bytes(offsets[width * i: width * (i + 1)], "little", signed=True)
                           for i in (text.offset, text.offset + len(text)))
            yield values[first + skip:last]
            skip = 0
    finally:
        con.unregister("report_rows")


def _md_cell(value) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


class MarkdownWriter(ReportWriter):
    """A readable summary: long tables are cut (the CSV and JSON hold every row)."""

    name = "md"
    max_rows = 200

    def write(self, report: Report, folder: Path) -> list[Path]:
        lines = [f"# Report: {_md_cell(report.course_title)}", ""]
        lines += [f"- {k}: {_md_cell(v)}" for k, v in report.facts.items()]
        for table in report.tables:
            lines += ["", f"## {table.title}", ""]
            lines.append("| " + " | ".join(table.columns) + " |")
            lines.append("|" + "---|" * len(table.columns))
            lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in table.iter_rows(self.max_rows)]
            if len(table) > self.max_rows:
                lines += ["", f"First {self.max_rows} of {len(table)} rows; the CSV and JSON hold all."]
        path = folder / "report.md"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [path]


def writers() -> dict[str, ReportWriter]:
    from .output_html import HtmlWriter

    return {w.name: w for w in (CsvWriter(), JsonWriter(), HtmlWriter(), MarkdownWriter())}


def write_report(report: Report, out_dir: Path, formats: list[str]) -> list[Path]:
    """Every requested format into ``out_dir``, replaced as a whole once all files exist."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        chosen = writers()
        # The writers share nothing but the read-only report, and the heavy ones (CSV by Arrow,
        # JSON by DuckDB) run outside the GIL: side by side they take as long as the slowest.
        jobs = [chosen[fmt] for fmt in dict.fromkeys(formats)]
        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
            for done in [pool.submit(job.write, report, staging) for job in jobs]:
                done.result()
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        staging.rename(out_dir)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(out_dir.iterdir())


def _printable(value) -> str:
    """Terminal-safe text: no control characters (learner text could hold escape sequences)."""
    return "".join(ch if ch.isprintable() else " " for ch in str("" if value is None else value))[:40]


def _row_text(table: Table, limit: int = 40) -> list[str]:
    rows = list(table.iter_rows(limit))
    widths = [max([len(_printable(c))] + [len(_printable(r[i])) for r in rows]) for i, c in enumerate(table.columns)]

    def fmt(row):
        return "  ".join(_printable(v).ljust(w) for v, w in zip(row, widths))
    return [fmt(table.columns)] + ([fmt(r) for r in rows] or ["(none)"])


def terminal_summary(report: Report) -> str:
    """What an analyst sees in the terminal: facts, funnel, pass rate, pre/post of quizzes and surveys."""
    lines = [f"Report: {report.course_title}"]
    lines += [f"  {k}: {v}" for k, v in report.facts.items() if not isinstance(v, dict)]
    for name in ("funnel", "pass_rate", "pre_post", "survey_pre_post"):
        table = report.table(name)
        lines += ["", table.title] + ["  " + line for line in _row_text(table)]
    return "\n".join(lines)
