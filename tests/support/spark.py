"""One local Spark session for the whole test run (Spark takes many seconds to start).

``SparkSession.builder.master("local[2]")`` bound to 127.0.0.1, no web UI, few shuffle
partitions and lighter planning for small data; built through the engine's own ``start_spark`` so tests run what users run.
Stopped at teardown.  With CI=true a Spark that cannot start fails the test, never skips it.
"""
from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
# Test data is small: one shuffle partition, no adaptive re-planning and no whole-stage code
# generation make each of the report's many small queries several times faster.
LOCAL_OPTIONS = {"master": "local[2]", "spark.sql.shuffle.partitions": "1",
                 "spark.default.parallelism": "2", "spark.sql.adaptive.enabled": "false",
                 "spark.sql.codegen.wholeStage": "false"}


def _unavailable(message: str):
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def spark_session():
    try:
        from compiler.reports.engines import start_spark
    except ImportError as exc:  # pragma: no cover - the engine module is part of the repo
        _unavailable(f"cannot import the Spark engine: {exc}")
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        _unavailable(f"pyspark is not installed ({exc}); pip install pyspark 'pandas<3'")
    try:
        session, _ = start_spark(LOCAL_OPTIONS)
    except Exception as exc:  # Java missing or the JVM refusing to start
        _unavailable(f"Spark could not start: {exc}")
    yield session
    session.stop()
