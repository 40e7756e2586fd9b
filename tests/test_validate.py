"""``coursec validate``: every broken package of the corpus gives its stable code, a good
package gives none, and a corrupt file never produces a traceback."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.targets import PackageOptions
from compiler.targets.validate import validate_package
from tests.fixtures.packages import package_files, package_zip
from tests.fixtures.packages import broken
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(broken.CORPUS))
def test_each_broken_package_gives_its_code(tmp_path, case):
    maker, code, level = broken.CORPUS[case]
    fmt, diagnostics = validate_package(write(tmp_path, f"{case}.zip", maker()))
    found = [(d.code, d.level) for d in diagnostics]
    assert (code, level) in found, f"{case}: expected {code} ({level}), got {found}"


@pytest.mark.parametrize("target", ["scorm12", "scorm2004", "xapi", "cmi5"])
def test_good_package_has_no_error_and_knows_its_format(tmp_path, target, schemas_dir):
    path = write(tmp_path, "good.zip", package_zip(target, PackageOptions(schemas=schemas_dir)))
    fmt, diagnostics = validate_package(path, schemas_dir)
    assert fmt == target
    # The test site has a media file with a space in its name: only that is worth a warning.
    assert [(d.code, d.path) for d in diagnostics] == [("unsafe-filename", f"{path}!media/hand off.png")]


def test_diagnostics_point_at_the_manifest_line(tmp_path):
    path = write(tmp_path, "p.zip", broken.dangling_identifierref())
    _, diagnostics = validate_package(path)
    (dangling,) = [d for d in diagnostics if d.code == "dangling-identifierref"]
    manifest = package_files("scorm12")["imsmanifest.xml"].decode().splitlines()
    expected_line = next(i for i, line in enumerate(manifest, 1) if "<item " in line)
    assert dangling.path == f"{path}!imsmanifest.xml"
    assert dangling.line == expected_line
    assert str(dangling).startswith(f"{path}!imsmanifest.xml:{expected_line}:1: error: ")


def test_invalid_xml_reports_the_parser_position(tmp_path):
    path = write(tmp_path, "p.zip", broken.invalid_xml())
    _, diagnostics = validate_package(path)
    (bad,) = [d for d in diagnostics if d.code == "invalid-xml"]
    manifest = package_files("scorm12")["imsmanifest.xml"].decode().splitlines()
    assert bad.line == next(i for i, line in enumerate(manifest, 1) if "<title>" in line)


def test_schema_violations_need_schemas(tmp_path, schemas_dir):
    if schemas_dir is None:
        pytest.skip("../shared/schemas is not present")
    path = write(tmp_path, "p.zip", broken.schema_invalid())
    assert "schema-invalid" not in {d.code for d in validate_package(path)[1]}
    codes = {d.code for d in validate_package(path, schemas_dir)[1]}
    assert "schema-invalid" in codes


def test_missing_schema_folder_is_reported_not_raised(tmp_path):
    path = write(tmp_path, "p.zip", package_zip("scorm2004"))
    _, diagnostics = validate_package(path, tmp_path / "no-schemas-here")
    assert [d.code for d in diagnostics if d.is_error] == ["schemas-unavailable"]


def test_web_folder_is_recognised(tmp_path):
    folder = tmp_path / "course-1.0.0-web"
    for name, data in package_files("web").items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    fmt, diagnostics = validate_package(folder)
    assert fmt == "web"
    assert not [d for d in diagnostics if d.is_error]


def test_cli_exit_codes_and_text_output(tmp_path):
    runner = CliRunner()
    good = write(tmp_path, "good.zip", package_zip("scorm12"))
    bad = write(tmp_path, "bad.zip", broken.zip_slip())
    ok = runner.invoke(main, ["validate", str(good)])
    assert ok.exit_code == 0, ok.output
    failed = runner.invoke(main, ["validate", str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}!../evil.sh:1:1: error: " in failed.stdout
    assert "[zip-slip]" in failed.stdout
    assert f"{bad}: scorm12, 1 error(s)" in failed.stderr
    assert "Traceback" not in failed.output


def test_cli_json_output_on_a_corrupt_file(tmp_path):
    bad = write(tmp_path, "corrupt.zip", broken.corrupt_archive())
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(bad)])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["errors"] == 1
    assert payload["diagnostics"][0]["code"] == "corrupt-archive"
    assert payload["format"] is None


def test_cli_usage_error_for_missing_package(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nothing.zip")])
    assert result.exit_code == 2


GOOD_ZIP = package_zip("scorm12")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(GOOD_ZIP) - 1), st.integers(0, 255)), min_size=1, max_size=6),
       st.integers(0, len(GOOD_ZIP)))
def test_damaged_archives_never_raise(tmp_path, flips, cut):
    """Random byte damage and truncation: always diagnostics, never an exception."""
    data = bytearray(GOOD_ZIP)
    for offset, value in flips:
        data[offset] = value
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(data[:max(cut, 1)]))
    fmt, diagnostics = validate_package(path)
    assert all(d.code and d.path.startswith(str(path)) for d in diagnostics)
