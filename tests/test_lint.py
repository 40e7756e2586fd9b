"""lint over the broken corpus (tests/fixtures/lint/<case>/expected.txt holds the exact lines),
plus robustness: lint never raises, whatever bytes the sources hold."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.diagnostics import Diagnostic
from compiler.lint import lint, run_lint

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "lint"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
README = Path(__file__).resolve().parent.parent / "courses" / "README.md"


def lint_lines(course_dir: Path) -> list[str]:
    """The diagnostics as the author reads them, paths relative to the course folder."""
    prefix = course_dir.as_posix() + "/"
    return [str(d).replace(prefix, "") for d in lint(course_dir)]


@pytest.mark.parametrize("case", CASES)
def test_broken_course_gives_exactly_the_expected_diagnostics(case):
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert lint_lines(CORPUS / case) == expected


def documented_codes() -> dict[str, str]:
    rows = re.findall(r"^\| `([a-z-]+)` \| (error|warning) \|", README.read_text(encoding="utf-8"), re.M)
    return dict(rows)


def test_every_documented_code_has_a_corpus_case_with_its_documented_level():
    codes = documented_codes()
    assert len(codes) >= 30
    seen: dict[str, set[str]] = {}
    for case in CASES:
        for line in (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines():
            level, code = re.search(r": (error|warning): .* \[([a-z-]+)\]$", line).groups()
            seen.setdefault(code, set()).add(level)
    assert sorted(set(codes) - set(seen)) == []
    assert sorted(set(seen) - set(codes)) == []
    assert {code: levels for code, levels in seen.items() if levels != {codes[code]}} == {}


def test_corpus_is_large_enough_and_each_case_names_what_it_breaks():
    assert len(CASES) >= 35
    broken = [c for c in CASES if not c.startswith("clean-")]
    for case in broken:
        assert (CORPUS / case / "expected.txt").read_text(encoding="utf-8").strip(), case


def test_diagnostics_are_sorted_by_file_then_line():
    diags = lint(CORPUS / "scenario-step-syntax")
    assert diags == sorted(diags, key=lambda d: (d.path, d.line, d.col, d.code, d.message))


def test_run_lint_exit_codes_follow_errors_and_strict(capsys):
    assert run_lint(CORPUS / "clean-code-block") == 0
    assert run_lint(CORPUS / "missing-minutes") == 0
    assert run_lint(CORPUS / "missing-minutes", strict=True) == 1
    assert run_lint(CORPUS / "missing-step") == 1
    out = capsys.readouterr()
    assert "[missing-step]" in out.out and "1 error(s)" in out.err


# ---- robustness: mutate a valid course and lint must still answer with diagnostics

VALID = FIXTURES / "valid" / "every-block-kind"


def mutate(lines: list[str], data) -> bytes:
    """One random damage: cut, duplicate, shuffle lines, insert bytes, or re-encode."""
    how = data.draw(st.sampled_from(["cut", "duplicate", "shuffle", "bytes", "utf16", "latin1", "truncate"]))
    if how in ("cut", "duplicate") and lines:
        i = data.draw(st.integers(0, len(lines) - 1))
        j = data.draw(st.integers(i, min(len(lines), i + 8)))
        lines = lines[:i] + lines[j:] if how == "cut" else lines[:j] + lines[i:j] + lines[j:]
    elif how == "shuffle":
        lines = data.draw(st.permutations(lines))
    text = "\n".join(lines)
    if how == "bytes":
        at = data.draw(st.integers(0, len(text)))
        return text[:at].encode() + data.draw(st.binary(min_size=1, max_size=40)) + text[at:].encode()
    if how == "utf16":
        return text.encode("utf-16")
    if how == "latin1":
        return (text + " café ·").encode("latin-1", "replace")
    if how == "truncate":
        return text.encode()[: data.draw(st.integers(0, len(text)))]
    return text.encode()


def assert_lint_answers(course_dir: Path) -> list[Diagnostic]:
    diags = lint(course_dir)
    assert isinstance(diags, list)
    assert all(isinstance(d, Diagnostic) and d.line >= 1 and d.col >= 1 and d.code for d in diags)
    assert run_lint(course_dir) in (0, 1)
    return diags


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_lint_never_raises_on_a_damaged_course(tmp_path_factory, data):
    course = tmp_path_factory.mktemp("damaged")
    shutil.copytree(VALID, course, dirs_exist_ok=True)
    (course / "expected.json").unlink()
    victim = data.draw(st.sampled_from(sorted(p.name for p in course.iterdir() if p.is_file())))
    lines = (course / victim).read_text(encoding="utf-8").splitlines()
    (course / victim).write_bytes(mutate(lines, data))
    assert_lint_answers(course)


def test_lint_answers_for_a_huge_module_and_random_bytes(tmp_path):
    shutil.copytree(VALID, tmp_path / "c")
    course = tmp_path / "c"
    module = course / "listening.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text + ("Filler words for a very long lesson line.\n" * 80_000), encoding="utf-8")
    assert module.stat().st_size > 3_000_000
    assert_lint_answers(course)
    (course / "course.yml").write_bytes(bytes(range(256)) * 64)
    diags = assert_lint_answers(course)
    assert [d.code for d in diags] == ["encoding-error"]


# Fragments of the course syntax, valid and broken, that a soup of lines is drawn from.
FRAGMENTS = [
    ":::", ":::{scenario} S", ":::{quiz} Q", ":::{survey} V", ":::{lesson} L", ":::{nope} N", "## a", "## b {ending}",
    "## q {single}", "## q {true-false}", "## Q {odd}", "- [x] A", "- [ ] B {#}", "- [go](#a) {score=1e999}",
    "- [go](#b) {score=x y=1}", "```", "~~~", ":id:", ":id: a", ":minutes: -1", ":minutes: nan",
    ":max-words: 99999999999999999999", ":min-words: 5", ":scale: |", "![](", "![x](../../etc/passwd)",
    "![x](/abs.png)", "![x](%zz)", "![x](x%00.png)", "# h", "###### h6", "---", "> fb", "", "  indented", "\t",
    "{#x}", "- item {#Bad}", ":kind: pre", ":pair: X",
]
YAML_EXTRAS = [
    "id: 3", "modules: {a: 1}", "modules: [1, null, [x], \"a\\x01.md\"]", "cohorts: [a]", "cohorts:\n  a: 3",
    "lrs: 3", "lrs:\n  endpoint: 5", "version: [1]", "? [a]\n: b", "mastery_score: .nan", "attempts: 1e400",
    "x: &b [*b]", "date: 2020-13-45", "!!python/object:os.system {}", "id: !!binary aGk=",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.sampled_from(FRAGMENTS), max_size=40), extras=st.lists(st.sampled_from(YAML_EXTRAS), max_size=3))
def test_lint_never_raises_on_a_soup_of_syntax(tmp_path_factory, lines, extras):
    course = tmp_path_factory.mktemp("soup")
    shutil.copytree(VALID, course, dirs_exist_ok=True)
    (course / "listening.md").write_text("---\nid: listening\ntitle: t\n---\n" + "\n".join(lines), encoding="utf-8")
    with (course / "course.yml").open("a", encoding="utf-8") as yml:
        yml.write("\n".join(extras) + "\n")
    assert_lint_answers(course)
