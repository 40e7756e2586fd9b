"""Shared test policy.

With CI=true no browser or LRS test may skip: a missing component is a failure.
Fixtures for the real components live in tests/support/ and are loaded here.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_COURSE = ROOT / "courses" / "empathy-at-touchpoints"

IN_CI = os.environ.get("CI", "").lower() == "true"

pytest_plugins = ["tests.support.browser", "tests.support.ralph", "tests.support.spark"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    needs_component = item.get_closest_marker("browser") or item.get_closest_marker("lrs")
    if IN_CI and report.skipped and needs_component:
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every browser and LRS test must run: {report.longrepr}"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_course() -> Path:
    return SAMPLE_COURSE


@pytest.fixture(scope="session")
def schemas_dir() -> Path | None:
    """The standard XSDs from ../shared/schemas (CI has them; a bare clone may not)."""
    path = SHARED / "schemas"
    if path.is_dir():
        return path
    if IN_CI:
        pytest.fail("../shared/schemas is missing in CI")
    return None
