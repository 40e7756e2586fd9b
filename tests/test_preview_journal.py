"""The preview's statement journal: append-only NDJSON that survives kill -9."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid

import pytest

from compiler.preview.journal import Journal, JournalBusy, journal_path, read_journal

WRITER = r"""
import sys, uuid
from pathlib import Path
from compiler.preview.journal import Journal
journal = Journal(Path(sys.argv[1]))
padding = "x" * 20000  # big lines, so a kill often lands inside a write
while True:
    statement = {"id": str(uuid.uuid4()), "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"}, "pad": padding}
    journal.append([statement])
    print(statement["id"], flush=True)  # acknowledged: the LRS would answer now
"""


def statement(n: int) -> dict:
    return {"id": str(uuid.UUID(int=n)), "actor": {"name": f"learner {n}"}, "verb": {"id": "v"}, "object": {"id": "o"}}


def test_journal_path_is_build_preview_slug(tmp_path):
    assert journal_path(tmp_path / "build", "empathy") == tmp_path / "build" / "preview" / "empathy.ndjson"


def test_appended_statements_read_back_in_order_one_per_line(tmp_path):
    path = tmp_path / "j.ndjson"
    journal = Journal(path)
    journal.append([statement(1), statement(2)])
    journal.append([statement(3)])
    journal.close()
    assert [s["id"] for s in read_journal(path)] == [statement(n)["id"] for n in (1, 2, 3)]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 3


def test_reader_sees_each_statement_while_the_writer_keeps_the_file_open(tmp_path):
    path = tmp_path / "j.ndjson"
    journal = Journal(path)
    journal.append([statement(1)])
    assert [s["id"] for s in read_journal(path)] == [statement(1)["id"]]
    journal.append([statement(2)])
    assert len(read_journal(path)) == 2
    journal.close()


def test_a_torn_last_line_is_ignored_and_cut_off_when_reopened(tmp_path):
    path = tmp_path / "j.ndjson"
    journal = Journal(path)
    journal.append([statement(1)])
    journal.close()
    with path.open("ab") as handle:
        handle.write(json.dumps(statement(2)).encode()[:25])  # a write cut short
    assert [s["id"] for s in read_journal(path)] == [statement(1)["id"]]
    reopened = Journal(path)
    reopened.append([statement(3)])
    reopened.close()
    assert [s["id"] for s in read_journal(path)] == [statement(1)["id"], statement(3)["id"]]


def test_missing_journal_reads_as_empty(tmp_path):
    assert read_journal(tmp_path / "none.ndjson") == []


def test_kill_9_during_writes_loses_at_most_the_statement_being_written(tmp_path, repo_root):
    path = tmp_path / "preview" / "course.ndjson"
    acknowledged: list[str] = []
    for _round in range(3):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=repo_root,
                                  stdout=subprocess.PIPE, text=True)
        for _ in range(40 + 17 * _round):
            acknowledged.append(writer.stdout.readline().strip())
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        writer.stdout.close()
        stored = [s["id"] for s in read_journal(path)]
        assert set(acknowledged) <= set(stored), "an acknowledged statement was lost"
        assert len(stored) == len(set(stored)), "a statement was written twice"
    # after the last kill the journal still takes statements and every line is whole
    journal = Journal(path)
    journal.append([statement(99)])
    journal.close()
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    assert all(json.loads(line) for line in lines[:-1])
    assert read_journal(path)[-1]["id"] == statement(99)["id"]


def test_one_writer_per_journal(tmp_path):
    path = tmp_path / "j.ndjson"
    first = Journal(path)
    with pytest.raises(JournalBusy, match="another coursec preview"):
        Journal(path)
    first.close()
    Journal(path).close()
