"""`pip install .` (not only -e) must give a working coursec that finds its themes and assets."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--disable-pip-version-check", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("coursec-*.whl")
    return found


def test_wheel_ships_themes_runtime_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert any(n.startswith("compiler/themes/default/") for n in names), "default theme not in the wheel"
    assert any(n.startswith("compiler/runtime/") and n.endswith(".js") for n in names), "runtime JS not in the wheel"
    assert any(n.startswith("compiler/source/templates/") for n in names), "scaffold templates not in the wheel"
    assert not any(n.startswith(("tests/", "courses/", "node_modules/")) for n in names)


def test_installed_copy_finds_its_themes_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--disable-pip-version-check", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = "import compiler, sys; print(compiler.themes_dir()); print(compiler.__file__)"
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, check=True, capture_output=True, text=True)
    themes, module_file = out.stdout.split()
    assert Path(module_file).is_relative_to(site), "imported the checkout instead of the installed copy"
    assert Path(themes).is_relative_to(site)
    assert (Path(themes) / "default").is_dir()
    # The installed command builds a package from the sample course on its own.
    result = subprocess.run(
        [sys.executable, "-m", "compiler", "build", str(ROOT / "courses" / "empathy-at-touchpoints"), "--target", "web", "-o", str(tmp_path / "out")],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    (web,) = (tmp_path / "out").glob("*-web")
    assert (web / "index.html").is_file()
