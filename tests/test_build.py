"""``coursec build`` on the real sample course (real loader, lint and renderer): only the
expected packages appear, rebuilds are byte-identical, and a course with errors writes nothing."""
from __future__ import annotations

import base64
import io
import re
import shutil
import zipfile

import click
import pytest
from click.testing import CliRunner

from compiler.build import BuildOptions, build
from compiler.cli import main
from compiler.diagnostics import CourseError
from compiler.source import load_course
from compiler.targets import get_target, target_names
from compiler.targets.validate import validate_package

NO_ENV = {}  # no SOURCE_DATE_EPOCH, no credentials


@pytest.fixture()
def course_copy(sample_course, tmp_path):
    """A private copy of the sample course that a test may break."""
    return shutil.copytree(sample_course, tmp_path / "course")


@pytest.fixture(scope="module")
def built(sample_course, tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    return build(BuildOptions(course=sample_course, out_dir=out, environ=NO_ENV)), out


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def manifest_of(path) -> str:
    return zipfile.ZipFile(path).read("imsmanifest.xml").decode()


def test_all_targets_give_exactly_the_expected_outputs(built, sample_course):
    result, out = built
    course, _ = load_course(sample_course)
    expected = sorted(get_target(n).output_name(course) for n in target_names())
    assert sorted(p.name for p in out.iterdir()) == expected  # no temporary leftovers either
    assert sorted(p.name for p in result.outputs) == expected
    assert (out / get_target("web").output_name(course) / "index.html").is_file()


def test_every_package_validates(built, schemas_dir):
    result, _ = built
    for path in result.outputs:
        fmt, diagnostics = validate_package(path, schemas_dir)
        assert path.name.endswith((f"-{fmt}.zip", f"-{fmt}")), (path, fmt)
        assert not [d for d in diagnostics if d.is_error], diagnostics


def test_zip_entries_are_sorted_relative_and_forward_slashed(built):
    for path in built[0].outputs:
        if path.suffix != ".zip":
            continue
        names = zipfile.ZipFile(path).namelist()
        assert names == sorted(names)
        assert not [n for n in names if "\\" in n or n.startswith("/") or ".." in n.split("/")]


def test_rebuild_is_byte_identical(built, sample_course, tmp_path):
    _, first = built
    build(BuildOptions(course=sample_course, out_dir=tmp_path, environ=NO_ENV))
    assert snapshot(tmp_path) == snapshot(first)


def test_source_date_epoch_is_reproducible_and_only_moves_timestamps(sample_course, tmp_path):
    def zip_with(epoch: str, name: str) -> bytes:
        opts = BuildOptions(course=sample_course, targets=("scorm12",), out_dir=tmp_path / name,
                            environ={"SOURCE_DATE_EPOCH": epoch})
        return build(opts).outputs[0].read_bytes()

    first, again, later = zip_with("1700000000", "a"), zip_with("1700000000", "b"), zip_with("1800000000", "c")
    assert first == again
    assert later != first
    entries = lambda data: [(i.filename, i.CRC, i.compress_size) for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]
    assert entries(later) == entries(first)
    assert {i.date_time[0] for i in zipfile.ZipFile(io.BytesIO(first)).infolist()} == {2023}


def test_lint_errors_refuse_the_build_and_touch_nothing(course_copy, tmp_path):
    yml = course_copy / "course.yml"
    yml.write_text(re.sub(r"(?m)^title: .*\n", "", yml.read_text()))
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    (out / "empathy-at-touchpoints-1.0.0-scorm12.zip").write_bytes(b"an older package")
    before = snapshot(out)
    with pytest.raises(CourseError) as raised:
        build(BuildOptions(course=course_copy, out_dir=out, environ=NO_ENV))
    assert "missing-field" in {d.code for d in raised.value.diagnostics}
    assert snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["empathy-at-touchpoints-1.0.0-scorm12.zip", "notes.txt"]


def test_only_the_built_packages_change_in_the_output_dir(sample_course, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    old_web = tmp_path / "empathy-at-touchpoints-1.0.0-web"
    old_web.mkdir()
    (old_web / "stale.html").write_text("from an older build")
    build(BuildOptions(course=sample_course, targets=("web", "scorm12"), out_dir=tmp_path, environ=NO_ENV))
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not (old_web / "stale.html").exists()  # the folder was replaced as a whole
    assert (old_web / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "empathy-at-touchpoints-1.0.0-scorm12.zip", "empathy-at-touchpoints-1.0.0-web", "notes.txt"]


def test_cohort_is_written_as_launch_data(sample_course, tmp_path):
    result = build(BuildOptions(course=sample_course, targets=("scorm12", "scorm2004"), cohort="chat-agents",
                                out_dir=tmp_path, environ=NO_ENV))
    manifests = [manifest_of(p) for p in result.outputs]
    assert "<adlcp:datafromlms>cohort=chat-agents</adlcp:datafromlms>" in manifests[0]
    assert "<adlcp:dataFromLMS>cohort=chat-agents</adlcp:dataFromLMS>" in manifests[1]


def test_unknown_cohort_is_an_input_error(sample_course, tmp_path):
    with pytest.raises(CourseError) as raised:
        build(BuildOptions(course=sample_course, cohort="astronauts", out_dir=tmp_path, environ=NO_ENV))
    assert [d.code for d in raised.value.diagnostics] == ["undefined-cohort"]
    assert list(tmp_path.iterdir()) == []


def test_without_lrs_the_build_says_plain_scorm(built):
    assert any("plain SCORM" in m for m in built[0].messages)


CREDENTIALS = {"COURSEC_LRS_KEY": "writer", "COURSEC_LRS_SECRET": "s3cr3t-value"}
AUTH = base64.b64encode(b"writer:s3cr3t-value")


def all_bytes(zip_path) -> bytes:
    archive = zipfile.ZipFile(zip_path)
    return b"".join(archive.read(n) for n in archive.namelist())


def test_credentials_are_embedded_only_when_asked_and_then_loudly(sample_course, tmp_path):
    common = dict(course=sample_course, targets=("scorm12",), lrs_endpoint="http://127.0.0.1:9/xapi/",
                  environ=CREDENTIALS)
    quiet = build(BuildOptions(out_dir=tmp_path / "quiet", **common))
    assert AUTH not in all_bytes(quiet.outputs[0]) and b"s3cr3t-value" not in all_bytes(quiet.outputs[0])
    loud = build(BuildOptions(out_dir=tmp_path / "loud", embed_credentials=True, **common))
    assert AUTH in all_bytes(loud.outputs[0])
    (warning,) = [m for m in loud.messages if m.startswith("WARNING")]
    assert "learner" in warning and "write-only" in warning and loud.outputs[0].name in warning


def test_embed_credentials_without_environment_is_a_usage_error(sample_course, tmp_path):
    opts = BuildOptions(course=sample_course, lrs_endpoint="http://127.0.0.1:9/xapi/", embed_credentials=True,
                        out_dir=tmp_path, environ=NO_ENV)
    with pytest.raises(click.UsageError, match="COURSEC_LRS_KEY"):
        build(opts)
    assert list(tmp_path.iterdir()) == []


def test_state_too_large_fails_an_explicit_target_and_skips_it_under_all(course_copy, tmp_path):
    module = course_copy / "listening.md"
    module.write_text(module.read_text().replace(":max-words: 40", ":max-words: 2000", 1))
    with pytest.raises(CourseError) as raised:
        build(BuildOptions(course=course_copy, targets=("scorm12",), out_dir=tmp_path / "one", environ=NO_ENV))
    failures = [d for d in raised.value.diagnostics if d.is_error]
    assert [(d.code, "scorm12" in d.message) for d in failures] == [("state-too-large", True)]
    assert any("listening/" in d.message for d in raised.value.diagnostics)  # lint's advice comes along
    result = build(BuildOptions(course=course_copy, out_dir=tmp_path / "all", environ=NO_ENV))
    assert not [p for p in result.outputs if p.name.endswith("-scorm12.zip")]
    assert any("scorm12 skipped" in m for m in result.messages)


def test_cli_exit_codes(sample_course, course_copy, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["build", str(sample_course), "--target", "scorm12", "-o", str(tmp_path / "ok")])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip().endswith("empathy-at-touchpoints-1.0.0-scorm12.zip")
    assert "plain SCORM" in ok.stderr
    (course_copy / "course.yml").write_text("id: [unclosed\n")
    bad = runner.invoke(main, ["build", str(course_copy), "-o", str(tmp_path / "bad")])
    assert bad.exit_code == 1
    assert "[yaml-error]" in bad.stderr and "Traceback" not in bad.output
    assert not (tmp_path / "bad").exists()
    usage = runner.invoke(main, ["build", str(sample_course), "--lrs-token-url", "http://127.0.0.1:9/token",
                                 "-o", str(tmp_path / "usage")], env={"COURSEC_LRS_KEY": None})
    assert usage.exit_code == 2
    assert "need an LRS" in usage.output


def test_schemas_option_puts_the_xsds_in_the_package(sample_course, tmp_path, schemas_dir):
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    result = build(BuildOptions(course=sample_course, targets=("scorm2004",), schemas=schemas_dir,
                                out_dir=tmp_path, environ=NO_ENV))
    names = zipfile.ZipFile(result.outputs[0]).namelist()
    assert {"imscp_v1p1.xsd", "imsss_v1p0.xsd", "xml.xsd"} <= set(names)
    fmt, diagnostics = validate_package(result.outputs[0], schemas_dir)
    assert fmt == "scorm2004" and diagnostics == []
