"""Reading source files safely: every failure is a diagnostic, never an exception."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..diagnostics import Diagnostic, error
from ..model import Position

MAX_FILE_BYTES = 16 * 1024 * 1024


def display_path(course_dir: Path, name: str) -> str:
    """The path shown in diagnostics: the course folder as given, joined with the file name."""
    return (course_dir / name).as_posix()


def is_file(path: Path) -> bool:
    """Path.is_file that answers False for names the OS refuses (too long, NUL bytes ...)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def read_bytes(path: Path, shown: str, diags: list[Diagnostic]) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.append(error(Position(shown), "invalid-value",
                               f"file is {size:,} bytes; a source file must be under {MAX_FILE_BYTES:,} bytes"))
            return None
        return path.read_bytes()
    except OSError as exc:
        diags.append(error(Position(shown), "encoding-error", f"cannot read the file: {exc.strerror or exc}"))
        return None


def decode_text(data: bytes, shown: str, diags: list[Diagnostic]) -> str | None:
    """UTF-8 text (a BOM is allowed) with normalised line ends, or None and an encoding-error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        diags.append(error(Position(shown), "encoding-error", "file is UTF-16 text; save it as UTF-8"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        diags.append(error(_byte_position(data, exc.start, shown), "encoding-error",
                           f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"))
        return None
    if "\x00" in text:
        nul = data.index(b"\x00")
        diags.append(error(_byte_position(data, nul, shown), "encoding-error",
                           "file contains NUL bytes: it is not a text file"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _byte_position(data: bytes, offset: int, shown: str) -> Position:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return Position(shown, line, col)


def content_hash(parts: list[tuple[str, bytes]]) -> str:
    """sha256 over (name, bytes) of course.yml and each module file, in course order."""
    digest = hashlib.sha256()
    for name, data in parts:
        digest.update(name.encode("utf-8") + b"\x00")
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
