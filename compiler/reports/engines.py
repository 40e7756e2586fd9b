"""Where the report's Ibis expressions run: the engine seam.

The aggregates (``aggregates.py``, ``aggregates_learning.py``) are written once in Ibis.  An
engine only says where the flat statements table comes from: ``DuckDBEngine`` (the embedded
default) reads the local store or a Parquet export; ``SparkEngine`` connects to a Spark
session (local mode, a cluster master URL or a Spark Connect URL) and reads a Parquet export
written by ``coursec export`` or a table of its catalog.  Loading (incremental sync, dedup by
id, voiding, rejects) is the store's job and happens once, before the hand-over; an engine
that cannot do what a report option asks refuses it with a usage error (exit 2).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar

import click

from ..diagnostics import CourseError, ServiceError, error
from ..model import Course, Position
from .export import FLAT_COLUMNS, MARKER, SPARK_SCHEMA, read_marker

SPARK_VIEW = "coursec_statements"
LOADING_ELSEWHERE = ("the spark engine reads statements already loaded: a Parquet export "
                     "(coursec export COURSE --to DIR, then --from DIR) or a table "
                     "(--engine-option table=NAME); pull and load them with --engine duckdb")

FLAGS = {"lrs_endpoint": "--lrs", "from_file": "--from"}


class EngineUsageError(click.UsageError):
    """An engine or engine option the command cannot use: exit 2 with the reason."""


def parse_engine_options(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``KEY=VALUE`` pairs as a dict; a pair without ``=``, an empty key or a repeated key is
    a usage error (a value may itself hold ``=``)."""
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise EngineUsageError(f"--engine-option {pair!r}: expected KEY=VALUE")
        if key in options:
            raise EngineUsageError(f"--engine-option {key} is given twice")
        options[key] = value
    return options


class ReportEngine(ABC):
    """One Ibis backend the report runs on, with the options it takes and the ones it refuses."""

    name: ClassVar[str] = ""
    option_help: ClassVar[dict[str, str]] = {}  # --engine-option KEY -> what it sets
    refused: ClassVar[dict[str, str]] = {}  # report option -> why this engine cannot honour it

    def __init__(self, options: dict[str, str] | None = None):
        self.options = dict(options or {})
        unknown = sorted(k for k in self.options if not self._accepts(k))
        if unknown:
            known = ", ".join(self.option_help) or "none"
            raise EngineUsageError(f"--engine {self.name} does not take --engine-option "
                                   f"{', '.join(unknown)} (it takes: {known})")

    def _accepts(self, key: str) -> bool:
        return key in self.option_help

    def refuse_unsupported(self, given: dict) -> None:
        """Exit 2 with the reason when a report option given here means nothing on this engine."""
        for option, why in self.refused.items():
            if given.get(option):
                flag = FLAGS.get(option, "--" + option.replace("_", "-"))
                raise EngineUsageError(f"{flag} is not supported with --engine {self.name}: {why}")

    @abstractmethod
    def read_export(self, directory: Path):
        """The flat statements table of a Parquet export, as an Ibis table."""

    def close(self) -> None:
        """Release what the engine opened."""


def check_export_dir(directory: Path) -> dict:
    """The export's marker (course, counts, salt); a usage error if ``directory`` is not one."""
    if not directory.is_dir():
        raise EngineUsageError(f"{directory}: not a folder written by coursec export")
    marker = read_marker(directory)
    if marker is None:
        raise EngineUsageError(f"{directory}: no {MARKER}; write it with coursec export COURSE --to DIR")
    return marker


class DuckDBEngine(ReportEngine):
    """The embedded default: the local store, or a Parquet export read in-process."""

    name = "duckdb"

    def __init__(self, options: dict[str, str] | None = None):
        super().__init__(options)
        self._con = None

    def read_export(self, directory: Path):
        import ibis

        marker = check_export_dir(directory)
        self._con = self._con or ibis.duckdb.connect()
        self._con.raw_sql("SET TimeZone = 'UTC'")
        if not marker.get("statements"):
            from .store_sql import STATEMENTS_DDL

            self._con.raw_sql(STATEMENTS_DDL)  # the store's (empty) flat table
            return self._con.table("statements")
        files = (directory / "month=*" / "*.parquet").as_posix()
        return self._con.read_parquet(files, table_name=SPARK_VIEW, hive_partitioning=True).drop("month")

    def close(self) -> None:
        if self._con is not None:
            self._con.disconnect()
            self._con = None


class SparkEngine(ReportEngine):
    """A Spark session: local mode on one machine, a cluster master or Spark Connect for scale."""

    name = "spark"
    option_help = {
        "master": "Spark master URL (default local[2]; e.g. spark://host:7077, yarn)",
        "remote": "Spark Connect URL (sc://host:15002) instead of a master",
        "table": "read this table or view of the Spark catalog instead of a Parquet export",
        "spark.*": "any Spark configuration key, passed to the session builder",
    }
    refused = {
        "lrs_endpoint": LOADING_ELSEWHERE,
        "preview": LOADING_ELSEWHERE,
        "store": LOADING_ELSEWHERE,
    }

    def __init__(self, options: dict[str, str] | None = None):
        super().__init__(options)
        if "master" in self.options and "remote" in self.options:
            raise EngineUsageError("--engine-option master and remote exclude each other")
        self._session = None
        self._owned = False
        self._cached = []

    def _accepts(self, key: str) -> bool:
        return key in self.option_help or (key.startswith("spark.") and len(key) > 6)

    def session(self):
        """The Spark session, started on first use (or the one already running in-process)."""
        if self._session is None:
            try:
                self._session, self._owned = start_spark(self.options)
            except ImportError as exc:
                needs = "pyspark[connect]" if "remote" in self.options else "pyspark"
                raise EngineUsageError(f"--engine spark needs {needs} installed ({exc})")
            except Exception as exc:  # the JVM did not start, or the master/Connect URL refused
                raise start_failure(exc) from exc
        return self._session

    def _backend(self):
        import ibis

        return ibis.pyspark.connect(self.session())

    def read_export(self, directory: Path):
        marker = check_export_dir(directory)
        session = self.session()
        if marker.get("statements"):
            reader = session.read.schema(SPARK_SCHEMA + ", month STRING").option("basePath", str(directory))
            frame = reader.parquet(str(directory)).drop("month")
        else:
            frame = session.createDataFrame([], SPARK_SCHEMA)
        self._cached.append(frame.cache())
        frame.createOrReplaceTempView(SPARK_VIEW)
        return self._backend().table(SPARK_VIEW)

    def read_table(self):
        """The catalog table named by ``--engine-option table=NAME`` (our flat table's columns)."""
        name = self.options["table"]
        backend = self._backend()
        try:
            table = backend.table(name)
        except Exception as exc:
            raise EngineUsageError(f"--engine-option table={name}: no such table or view in Spark ({exc})")
        missing = [c for c in FLAT_COLUMNS if c not in table.columns]
        if missing:
            raise EngineUsageError(f"table {name} lacks the flat statements columns: {', '.join(missing)}")
        return table.select(*FLAT_COLUMNS)

    def close(self) -> None:
        for frame in self._cached:
            frame.unpersist()
        self._cached.clear()
        if self._session is not None and self._owned:
            self._session.stop()
        self._session = None


def start_spark(options: dict[str, str]):
    """A session from the options, and whether we started it (an in-process one is reused)."""
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    if running is not None and "remote" not in options and "master" not in options:
        return running, False
    builder = SparkSession.builder.appName("coursec report")
    if "remote" in options:
        builder = builder.remote(options["remote"])
    else:
        master = options.get("master", "local[2]")
        builder = builder.master(master)
        for key, value in spark_defaults(master).items():
            builder = builder.config(key, value)
    for key, value in options.items():
        if key.startswith("spark."):
            builder = builder.config(key, value)
    session = builder.getOrCreate()
    if "remote" not in options:
        session.sparkContext.setLogLevel("ERROR")
    return session, True


def spark_defaults(master: str) -> dict[str, str]:
    """UTC everywhere (dates and months must match DuckDB); local mode binds 127.0.0.1 only."""
    conf = {"spark.sql.session.timeZone": "UTC", "spark.ui.showConsoleProgress": "false"}
    if master.startswith("local"):
        conf.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                     "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": "4"})
    return conf


def make_engine(name: str, options: dict[str, str] | None = None) -> ReportEngine:
    """The engine called ``name``, checked against its options (no session is started yet)."""
    engines = {cls.name: cls for cls in (DuckDBEngine, SparkEngine)}
    if name not in engines:
        raise EngineUsageError(f"unknown engine {name!r} (known: {', '.join(engines)})")
    return engines[name](options)


def engine_names() -> tuple[str, ...]:
    return ("duckdb", "spark")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _is_spark_failure(exc: Exception) -> bool:
    """Errors raised by Spark or its JVM bridge (a query or a lost executor): exit 3, no traceback."""
    return type(exc).__module__.split(".")[0] in ("pyspark", "py4j")


def start_failure(exc: Exception) -> ServiceError:
    """A Spark session that could not start is an outside service failing (exit 3)."""
    return ServiceError(f"Spark could not start: {_first_line(exc)} (is Java 17 installed and JAVA_HOME set?)")


@dataclass
class Statements:
    """The flat statements table a report runs on, and where its pseudonym salt comes from."""

    table: object  # ibis.Table
    salt: Callable[[], str]


def _export_dir(from_file) -> Path | None:
    return Path(from_file) if from_file and from_file != "-" and Path(from_file).is_dir() else None


def _read_export(engine: ReportEngine, directory: Path, model: Course, store) -> Statements:
    if store:
        raise EngineUsageError("--store is not used when --from names an export; leave it out")
    if "table" in engine.options:
        raise EngineUsageError("--engine-option table and --from DIR exclude each other: choose one")
    marker = check_export_dir(directory)
    if marker.get("course") != model.id.rstrip("/"):
        raise CourseError([error(Position(str(directory / MARKER)), "invalid-value",
                                 f"this export holds course {marker.get('course')}, not {model.id}")])
    return Statements(engine.read_export(directory), lambda: marker["salt"])


def _read_spark_table(engine: "SparkEngine", from_file, pseudonymize: bool) -> Statements:
    if from_file or "table" not in engine.options:
        raise EngineUsageError("--engine spark reads --from DIR (a folder written by coursec export) "
                               "or --engine-option table=NAME; " + LOADING_ELSEWHERE.split("; ")[-1])
    if pseudonymize:
        raise EngineUsageError("--pseudonymize is not supported with --engine-option table: a table "
                               "does not carry the store's salt; read a coursec export with --from DIR")
    return Statements(engine.read_table(), lambda: "")


@contextmanager
def open_statements(model: Course, engine: str = "duckdb", engine_options=(), store=None,
                    lrs_endpoint=None, from_file=None, preview=False, quiet=False, pseudonymize=False):
    """The statements a report runs on: an export or table on the chosen engine, or (DuckDB)
    the course's local store after syncing the chosen source into it."""
    chosen = make_engine(engine, parse_engine_options(engine_options))
    chosen.refuse_unsupported({"lrs_endpoint": lrs_endpoint, "preview": preview, "store": store})
    try:
        export = _export_dir(from_file)
        if export is not None:
            yield _read_export(chosen, export, model, store)
        elif isinstance(chosen, SparkEngine):
            yield _read_spark_table(chosen, from_file, pseudonymize)
        else:
            with _synced_store(model, store, lrs_endpoint, from_file, preview, quiet) as db:
                yield Statements(db.ibis_table(), db.salt)
    except Exception as exc:
        if _is_spark_failure(exc):
            raise ServiceError(f"Spark failed: {_first_line(exc)}") from exc
        raise
    finally:
        chosen.close()


@contextmanager
def _synced_store(model: Course, store, lrs_endpoint, from_file, preview, quiet):
    """The course's DuckDB store with the chosen source synced into it (incremental, deduplicated)."""
    from .command import _sync, _warn, open_store

    with open_store(model, store) as db:
        stats = _sync(db, model, lrs_endpoint, from_file, preview, quiet)
        if stats is not None:
            _warn(stats, quiet)
        yield db
