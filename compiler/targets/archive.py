"""Reading a built package (zip or folder) for ``validate``, and its hygiene checks.

A zip is checked before anything in it is trusted: corrupt archive, names that escape the
root (zip-slip ``..``, absolute, drive letters), backslashes, duplicate and case-only
duplicate entries, encrypted entries and compression methods LMSs cannot read, junk files
and the total size.  Nothing is ever extracted to disk.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Position

MAX_CONTROL_FILE = 10 * 1024 * 1024  # a control file larger than this is not read
SIZE_WARNING = 100 * 1024 * 1024
SIZE_ERROR = 250 * 1024 * 1024
JUNK_NAMES = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9._/-]+$")
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError, KeyError)


@dataclass
class Package:
    """The entries of a package and how to read them; ``diagnostics`` collects problems."""

    label: str  # the package as the user named it, e.g. "build/x.zip"
    names: list[str] = field(default_factory=list)  # entry names as stored (zip) or relative paths
    sizes: dict[str, int] = field(default_factory=dict)
    unsafe: set[str] = field(default_factory=set)  # names already reported as unsafe
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _zip: zipfile.ZipFile | None = None
    _folder: Path | None = None

    def position(self, entry: str | None = None, line: int = 1, col: int = 1) -> Position:
        return Position(f"{self.label}!{entry}" if entry else self.label, line or 1, col or 1)

    def report(self, level: str, code: str, message: str, entry: str | None = None,
               line: int = 1, col: int = 1) -> None:
        self.diagnostics.append(Diagnostic.at(self.position(entry, line, col), level, code, message))

    def has(self, name: str) -> bool:
        return name in self.sizes

    def read(self, name: str) -> bytes | None:
        """The bytes of an entry, or None (with a diagnostic) when it cannot be read."""
        if self.sizes.get(name, 0) > MAX_CONTROL_FILE:
            self.report("error", "file-too-large", f"{name} is larger than {MAX_CONTROL_FILE} bytes", name)
            return None
        try:
            if self._zip is not None:
                return self._zip.read(name)
            return (self._folder / name).read_bytes()
        except READ_ERRORS as exc:
            self.report("error", "corrupt-entry", f"cannot read {name}: {exc}", name)
            return None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def open_package(path: Path) -> Package | None:
    """The package at ``path`` with its hygiene problems reported, or None if unreadable."""
    package = Package(label=str(path))
    if path.is_dir():
        _open_folder(package, path)
        return package
    try:
        package._zip = zipfile.ZipFile(path)
        infos = package._zip.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        package.report("error", "corrupt-archive", f"not a readable zip archive: {exc}")
        return package
    _check_entries(package, infos)
    _check_integrity(package)
    return package


def _open_folder(package: Package, folder: Path) -> None:
    package._folder = folder
    for path in sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            package.report("error", "symlink", f"{name} is a symbolic link; a package holds real files", name)
            continue
        package.names.append(name)
        package.sizes[name] = path.stat().st_size
    _check_names(package)
    _check_size(package)


def _check_entries(package: Package, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        if info.is_dir():
            _check_name(package, info.filename.rstrip("/"))
            continue
        if info.filename in package.sizes:
            package.report("error", "duplicate-entry", f"the archive holds {info.filename} twice", info.filename)
        package.names.append(info.filename)
        package.sizes[info.filename] = info.file_size
        if info.flag_bits & 0x1:
            package.report("error", "encrypted-entry", f"{info.filename} is encrypted", info.filename)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            package.report("error", "unsupported-compression",
                           f"{info.filename} uses compression method {info.compress_type}; LMSs read only "
                           "stored (0) and deflate (8)", info.filename)
    _check_names(package)
    _check_size(package)


def _check_integrity(package: Package) -> None:
    """Every entry's data decompresses and matches its CRC (read in chunks, never kept)."""
    for info in package._zip.infolist():
        if info.is_dir() or info.flag_bits & 0x1:
            continue
        try:
            with package._zip.open(info) as stream:
                while stream.read(1 << 20):
                    pass
        except READ_ERRORS as exc:
            package.report("error", "corrupt-entry", f"cannot read {info.filename}: {exc}", info.filename)


def _check_names(package: Package) -> None:
    seen: dict[str, str] = {}
    for name in package.names:
        _check_name(package, name)
        other = seen.setdefault(name.lower(), name)
        if other != name:
            package.report("error", "case-duplicate", f"{other} and {name} differ only in case", name)


def _check_name(package: Package, name: str) -> None:
    segments = name.replace("\\", "/").split("/")
    problems = []
    if "\\" in name:
        problems.append(("backslash-path", f"{name!r} uses backslashes; entry names need forward slashes "
                         "(Linux LMSs extract it as one flat file name)"))
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        problems.append(("absolute-path", f"{name!r} is an absolute path"))
    if ".." in segments:
        problems.append(("zip-slip", f"{name!r} points above the package root"))
    for code, message in problems:
        package.report("error", code, message, name)
        package.unsafe.add(name)
    if any(name.startswith(j) or segments[-1] == j for j in JUNK_NAMES):
        package.unsafe.add(name)
        package.report("warning", "junk-file", f"{name} is operating-system clutter; leave it out", name)
    elif not problems and not SAFE_NAME_RE.match(name):
        package.report("warning", "unsafe-filename", f"{name!r} has characters some LMSs mishandle "
                       "(use letters, digits, '.', '_', '-' and '/')", name)


def _check_size(package: Package) -> None:
    total = sum(package.sizes.values())
    if total > SIZE_ERROR:
        package.report("error", "package-size", f"the package holds {total} bytes; many LMSs refuse more than {SIZE_ERROR}")
    elif total > SIZE_WARNING:
        package.report("warning", "package-size", f"the package holds {total} bytes; many LMSs cap uploads near {SIZE_WARNING}")
