"""The deterministic zip writer: same files, same bytes.

Entries are sorted, names use forward slashes, every entry has the same timestamp
(``SOURCE_DATE_EPOCH`` when set, else 1980-01-01, the earliest a zip can hold), the same
permissions (0644, Unix) and deflate compression.  Names that could escape the package
root (absolute, ``..``, drive letters, backslashes) are refused before anything is written.
"""
from __future__ import annotations

import io
import os
import re
import time
import zipfile

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # regular file, rw-r--r--
UNIX_SYSTEM = 3
COMPRESS_LEVEL = 6
_DRIVE_RE = re.compile(r"^[A-Za-z]:")


class UnsafePath(ValueError):
    """A package path that would land outside the package root or be read differently."""


def check_entry_name(name: str) -> str:
    """``name`` if it is a safe relative POSIX path inside the package; else UnsafePath."""
    problem = None
    if not name or name.endswith("/"):
        problem = "is empty or a folder"
    elif "\\" in name:
        problem = "contains a backslash"
    elif name.startswith("/") or _DRIVE_RE.match(name):
        problem = "is absolute"
    elif any(part in ("", ".", "..") for part in name.split("/")):
        problem = "has an empty, '.' or '..' segment"
    if problem:
        raise UnsafePath(f"package path {name!r} {problem}")
    return name


def zip_timestamp(environ: dict[str, str] | None = None) -> tuple[int, int, int, int, int, int]:
    """The timestamp of every entry: SOURCE_DATE_EPOCH (UTC, not before 1980), else 1980-01-01."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return ZIP_EPOCH
    try:
        stamp = time.gmtime(int(value))[:6]
    except (ValueError, OverflowError):
        raise UnsafePath(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds") from None
    return max(stamp, ZIP_EPOCH)


def _entry(name: str, date_time) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = UNIX_SYSTEM
    info.external_attr = FILE_MODE << 16
    return info


def zip_bytes(files: dict[str, bytes], environ: dict[str, str] | None = None) -> bytes:
    """The zip archive of ``files`` (package path -> bytes), deterministic."""
    names = sorted(check_entry_name(name) for name in files)
    _refuse_clashes(names)
    date_time = zip_timestamp(environ)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
        for name in names:
            archive.writestr(_entry(name, date_time), files[name], compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def _refuse_clashes(names: list[str]) -> None:
    """No two names that differ only in case; no name that is also another's folder."""
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(name.lower(), name)
        if other != name:
            raise UnsafePath(f"package paths {other!r} and {name!r} differ only in case")
    folders = {name.lower().rsplit("/", k)[0] for name in names for k in range(1, name.count("/") + 1)}
    clash = sorted(folders & set(seen))
    if clash:
        raise UnsafePath(f"package path {seen[clash[0]]!r} is both a file and a folder")
