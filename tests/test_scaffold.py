"""`coursec new`: the starter course is complete, lints clean under --strict, and the command
never overwrites or half-writes a folder."""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.diagnostics import CourseError
from compiler.lint import lint
from compiler.model import BLOCK_KINDS
from compiler.source import load_course
from compiler.source import scaffold
from compiler.source.scaffold import new_course

COURSE_IRI = "https://courses.example.org/handling-complaints"


def make(tmp_path, **kwargs):
    target = tmp_path / "handling-complaints"
    new_course(target, **kwargs)
    return target


def test_scaffold_lints_clean_under_strict(tmp_path):
    target = make(tmp_path, title="Handling complaints", course_id=COURSE_IRI)
    assert lint(target) == []  # --strict fails on any diagnostic, warnings included


def test_scaffold_shows_every_block_kind_with_a_post_twin(tmp_path):
    course, _ = load_course(make(tmp_path, title="Handling complaints", course_id=COURSE_IRI))
    first, final = course.modules
    assert sorted(b.kind for b in first.blocks) == sorted(BLOCK_KINDS)
    assert final.assessment_only
    pre = {b.kind: b for b in first.blocks if getattr(b, "assessment", None) == "pre"}
    post = {b.kind: b for b in final.blocks if getattr(b, "assessment", None) == "post"}
    assert set(pre) == set(post) == {"quiz", "survey"}
    assert [q.id for q in pre["quiz"].questions] == [q.id for q in post["quiz"].questions]
    assert [i.id for i in pre["survey"].items] == [i.id for i in post["survey"].items]
    assert all(not block.id_derived for _, block in course.blocks())


def test_scaffold_explains_each_block_in_comments_learners_never_see(tmp_path):
    target = make(tmp_path, title="Handling complaints", course_id=COURSE_IRI)
    text = (target / "first-module.md").read_text(encoding="utf-8")
    for kind in BLOCK_KINDS:
        assert f"<!--\n  {kind.upper()}" in text
    course, _ = load_course(target)
    assert all("<!--" not in block.body.text for _, block in course.blocks())


def test_title_and_id_are_written_as_given_even_with_yaml_special_characters(tmp_path):
    title = 'Complaints: "the hard ones" #2'
    course, diags = load_course(make(tmp_path, title=title, course_id=COURSE_IRI))
    assert diags == []
    assert (course.title, course.id) == (title, COURSE_IRI)


def test_default_id_is_an_iri_named_after_the_folder(tmp_path):
    course, _ = load_course(make(tmp_path))
    assert course.id == "https://courses.example.org/handling-complaints"
    assert course.title == "My new course"


def test_an_empty_existing_folder_is_used(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    new_course(target, course_id=COURSE_IRI)
    assert lint(target) == []


def test_refuses_a_folder_that_is_not_empty_and_leaves_it_untouched(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.md").write_text("my notes", encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        new_course(target, course_id=COURSE_IRI)
    [diag] = caught.value.diagnostics
    assert diag.is_error and "not empty" in diag.message and diag.path == target.as_posix()
    assert [p.name for p in target.iterdir()] == ["notes.md"]
    assert (target / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_refuses_an_invalid_course_id_and_writes_nothing(tmp_path):
    with pytest.raises(CourseError) as caught:
        new_course(tmp_path / "c", course_id="courses.example.org/no-scheme")
    assert [d.code for d in caught.value.diagnostics] == ["invalid-iri"]
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_leaves_no_partial_output(tmp_path, monkeypatch):
    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scaffold.os, "replace", failing_replace)
    with pytest.raises(CourseError) as caught:
        new_course(tmp_path / "c", course_id=COURSE_IRI)
    assert "No space left on device" in caught.value.diagnostics[0].message
    assert list(tmp_path.iterdir()) == []


def test_output_is_deterministic(tmp_path):
    first = make(tmp_path / "one", title="T", course_id=COURSE_IRI)
    second = make(tmp_path / "two", title="T", course_id=COURSE_IRI)
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    assert oct(os.stat(first).st_mode & 0o777) == oct(0o777 & ~scaffold._umask())


def test_cli_creates_a_course_and_reports_a_refusal_without_a_traceback(tmp_path):
    runner = CliRunner()
    target = tmp_path / "cli-course"
    created = runner.invoke(main, ["new", str(target), "--title", "From the CLI", "--id", COURSE_IRI])
    assert created.exit_code == 0, created.output
    assert "coursec lint" in created.output
    assert load_course(target)[0].title == "From the CLI"
    refused = runner.invoke(main, ["new", str(target)])
    assert refused.exit_code == 1
    assert f"{target.as_posix()}:1:1: error:" in refused.output and "[invalid-value]" in refused.output
    assert "Traceback" not in refused.output
