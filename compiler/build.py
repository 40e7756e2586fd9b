"""``coursec build``: lint, load, render and package every requested target in memory, then
write each package to a temporary name in the output folder and rename it into place.

Nothing is written when anything fails before the write step, and nothing in the output
folder is touched but the packages this build produces.
"""
from __future__ import annotations

import base64
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import click

from .diagnostics import CourseError, Diagnostic, error, sort_diagnostics, warning
from .model import Course, Position
from .state_budget import STATE_LIMITS, targets_over_limit
from .targets import PackageOptions, get_target, target_names
from .targets.zipfile import UnsafePath, check_entry_name, zip_bytes

KEY_ENV, SECRET_ENV = "COURSEC_LRS_KEY", "COURSEC_LRS_SECRET"
LRS_TARGETS = ("scorm12", "scorm2004", "web")  # xapi and cmi5 get their LRS from the launch
PLAIN_SCORM_NOTE = ("note: no LRS configured: the SCORM packages are plain SCORM "
                    "(add --lrs URL or lrs: in course.yml to also send xAPI statements)")
EMBEDDED_WARNING = (
    "WARNING: LRS credentials from {key}/{secret} are embedded in {names}. Every learner who "
    "opens the package can read them and post statements as anyone: use a write-only key, "
    "rotate it, and prefer --lrs-token-url.")


@dataclass(frozen=True)
class BuildOptions:
    course: Path
    targets: tuple[str, ...] = ("all",)
    out_dir: Path = Path("build")
    cohort: str | None = None
    themes: tuple[Path, ...] = ()
    schemas: Path | None = None
    lrs_endpoint: str | None = None
    lrs_token_url: str | None = None
    embed_credentials: bool = False
    actor_homepage: str | None = None
    cmi5_au: str = "module"
    environ: dict[str, str] | None = None  # None: os.environ (credentials, SOURCE_DATE_EPOCH)

    @classmethod
    def from_cli(cls, **values) -> "BuildOptions":
        values["targets"] = tuple(values.get("targets") or ("all",))
        values["themes"] = tuple(values.get("themes") or ())
        return cls(**values)

    @property
    def env(self) -> dict[str, str]:
        return dict(os.environ) if self.environ is None else self.environ


@dataclass
class BuildResult:
    messages: list[str] = field(default_factory=list)  # printed to stderr
    outputs: list[Path] = field(default_factory=list)  # packages written


def build(opts: BuildOptions) -> BuildResult:
    """Build every requested package; raise CourseError (nothing written) on any problem."""
    course, warnings = _checked_course(opts)
    result = BuildResult(messages=[str(d) for d in warnings])
    names = _chosen_targets(opts, course, warnings, result)
    lrs = _lrs_settings(opts, course, names, result)
    packages = {name: _package(course, name, opts, lrs) for name in names}
    result.outputs = [_write(opts.out_dir, course, name, files, opts.env) for name, files in packages.items()]
    return result


def _checked_course(opts: BuildOptions) -> tuple[Course, list[Diagnostic]]:
    """Load and lint: the course and its warnings; errors refuse the build."""
    from .lint import load_and_check

    course, diagnostics = load_and_check(opts.course)
    if course is None or any(d.is_error for d in diagnostics):
        raise CourseError(diagnostics)
    if opts.cohort and course.cohort(opts.cohort) is None:
        known = ", ".join(c.id for c in course.cohorts) or "none"
        raise CourseError([error(course.pos, "undefined-cohort",
                                 f"--cohort {opts.cohort} is not defined in course.yml (cohorts: {known})")])
    return course, diagnostics


def _chosen_targets(opts: BuildOptions, course: Course, warnings: list[Diagnostic],
                    result: BuildResult) -> list[str]:
    """The requested targets ("all": every registered one) that the course's state fits."""
    available = target_names()
    wanted: list[str] = []
    for name in opts.targets:
        for expanded in (available if name == "all" else (name,)):
            if expanded not in available:
                raise click.UsageError(f"target {expanded} is not available (available: {', '.join(available)})")
            if expanded not in wanted:
                wanted.append(expanded)
    over = targets_over_limit(course)
    explicit = set(opts.targets) - {"all"}
    too_large = [_state_diagnostic(course, n, explicit) for n in wanted if n in over]
    if any(d.is_error for d in too_large):
        advice = [d for d in warnings if d.code == "state-too-large"]  # lint says what to shorten
        raise CourseError(sort_diagnostics([*advice, *(d for d in too_large if d.is_error)]))
    result.messages.extend(str(d) for d in too_large)
    return [n for n in wanted if n not in over]


def _state_diagnostic(course: Course, name: str, explicit: set[str]) -> Diagnostic:
    message = (f"the worst-case saved state does not fit {name}'s {STATE_LIMITS[name]:,} characters "
               "(lint's state-too-large warning says which blocks to shorten)")
    if name in explicit:
        return error(course.pos, "state-too-large", message)
    return warning(course.pos, "state-too-large", f"{name} skipped: {message}")


def _lrs_settings(opts: BuildOptions, course: Course, names: list[str], result: BuildResult):
    """The LRS the SCORM/web packages send xAPI to, or None; messages say what was chosen."""
    from .render import LrsSettings

    endpoint = opts.lrs_endpoint or course.lrs.endpoint
    token_url = opts.lrs_token_url or course.lrs.token_url
    if not endpoint:
        if token_url or opts.embed_credentials:
            raise click.UsageError("--lrs-token-url and --embed-credentials need an LRS: --lrs URL or lrs: in course.yml")
        if any(n.startswith("scorm") for n in names):
            result.messages.append(PLAIN_SCORM_NOTE)
        return None
    auth = _embedded_auth(opts.env) if opts.embed_credentials else None
    if auth:
        packaged = ", ".join(get_target(n).output_name(course) for n in names if n in LRS_TARGETS)
        result.messages.append(EMBEDDED_WARNING.format(key=KEY_ENV, secret=SECRET_ENV, names=packaged))
    elif not token_url:
        result.messages.append("warning: LRS endpoint without --lrs-token-url or --embed-credentials: "
                               "the packages will send statements without credentials")
    homepage = opts.actor_homepage or course.lrs.actor_homepage
    return LrsSettings(endpoint=endpoint, token_url=token_url, auth=auth, actor_homepage=homepage)


def _embedded_auth(env: dict[str, str]) -> str:
    key, secret = env.get(KEY_ENV), env.get(SECRET_ENV)
    if not key or not secret:
        raise click.UsageError(f"--embed-credentials needs {KEY_ENV} and {SECRET_ENV} in the environment")
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")


def _package(course: Course, name: str, opts: BuildOptions, lrs) -> dict[str, bytes]:
    from .render import RenderOptions, render_site

    target = get_target(name)
    render_options = RenderOptions(target=target.render_target(), cohort=opts.cohort, themes=opts.themes,
                                   lrs=lrs if name in LRS_TARGETS else None)
    site = render_site(course, render_options)
    files = target.package(course, site, PackageOptions(opts.cohort, opts.schemas, opts.cmi5_au))
    try:
        if target.is_folder:
            return {check_entry_name(path): data for path, data in files.items()}
        return {"": zip_bytes(files, opts.env)}
    except UnsafePath as exc:
        raise CourseError([error(course.pos, "unsafe-path", f"{name}: {exc}")]) from None


def _write(out_dir: Path, course: Course, name: str, files: dict[str, bytes], env) -> Path:
    """Write one package under a temporary name, then rename it over the final name."""
    target = get_target(name)
    final = out_dir / target.output_name(course)
    temporary = out_dir / f".{final.name}.tmp-{os.getpid()}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if target.is_folder:
            _write_folder(temporary, files)
            _replace_folder(temporary, final)
        else:
            temporary.write_bytes(files[""])
            os.replace(temporary, final)
    except OSError as exc:
        _remove(temporary)
        raise CourseError([error(Position(str(out_dir)), "output-error", f"cannot write {final}: {exc}")]) from None
    return final


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    for name in sorted(files):
        path = folder.joinpath(*name.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])


def _replace_folder(temporary: Path, final: Path) -> None:
    """Swap the new folder in; an older folder of the same name is removed only afterwards."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(temporary, final)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
