"""The deterministic zip writer: same files, same bytes; nothing can escape the package root."""
from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.targets.zipfile import UnsafePath, zip_bytes, zip_timestamp

FILES = {"index.html": b"<p>hi</p>" * 50, "assets/app.js": b"let a = 1;\n", "media/x.png": b"\x89PNG"}


def entries(data: bytes) -> list[zipfile.ZipInfo]:
    return zipfile.ZipFile(io.BytesIO(data)).infolist()


def test_same_files_give_the_same_bytes_whatever_the_order():
    reordered = dict(reversed(list(FILES.items())))
    assert zip_bytes(FILES, environ={}) == zip_bytes(reordered, environ={})


def test_entries_sorted_deflated_with_fixed_time_and_mode():
    infos = entries(zip_bytes(FILES, environ={}))
    assert [i.filename for i in infos] == sorted(FILES)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_round_trip_keeps_every_byte():
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(FILES, environ={})))
    assert {name: archive.read(name) for name in archive.namelist()} == FILES
    assert archive.testzip() is None


def test_source_date_epoch_sets_every_timestamp():
    data = zip_bytes(FILES, environ={"SOURCE_DATE_EPOCH": "1700000000"})  # 2023-11-14 22:13:20 UTC
    assert {i.date_time for i in entries(data)} == {(2023, 11, 14, 22, 13, 20)}
    assert data == zip_bytes(FILES, environ={"SOURCE_DATE_EPOCH": "1700000000"})


def test_a_different_epoch_changes_only_the_timestamps():
    first = zip_bytes(FILES, environ={"SOURCE_DATE_EPOCH": "1700000000"})
    second = zip_bytes(FILES, environ={"SOURCE_DATE_EPOCH": "1800000000"})
    assert first != second and len(first) == len(second)
    a, b = entries(first), entries(second)
    assert [(i.filename, i.CRC, i.compress_size, i.header_offset) for i in a] == \
        [(i.filename, i.CRC, i.compress_size, i.header_offset) for i in b]
    differing = [k for k in range(len(first)) if first[k] != second[k]]
    # DOS time and date are 2+2 bytes in each local header and each central directory record.
    assert len(differing) <= 4 * 2 * len(FILES)


def test_epoch_before_1980_is_clamped_and_garbage_refused():
    assert zip_timestamp({"SOURCE_DATE_EPOCH": "0"}) == (1980, 1, 1, 0, 0, 0)
    with pytest.raises(UnsafePath):
        zip_timestamp({"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.parametrize("name", ["/etc/passwd", "../up.txt", "a/../../b", "a\\b.txt", "C:/x", "a//b", "./a", "dir/"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(UnsafePath):
        zip_bytes({**FILES, name: b"x"}, environ={})


def test_case_only_duplicates_are_refused():
    with pytest.raises(UnsafePath, match="case"):
        zip_bytes({**FILES, "Index.html": b"x"}, environ={})


def test_a_file_that_is_also_a_folder_is_refused():
    with pytest.raises(UnsafePath, match="both a file and a folder"):
        zip_bytes({**FILES, "assets": b"x"}, environ={})


SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-.", min_size=1, max_size=8).filter(
    lambda s: s not in (".", ".."))
PATHS = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(PATHS, st.binary(max_size=64), min_size=1, max_size=8))
def test_any_safe_file_set_round_trips_sorted(files):
    names = [n.lower() for n in files]
    prefixes = {"/".join(n.split("/")[:k]) for n in names for k in range(1, n.count("/") + 1)}
    if len(set(names)) != len(names) or prefixes & set(names):
        with pytest.raises(UnsafePath):
            zip_bytes(files, environ={})
        return
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(files, environ={})))
    assert archive.namelist() == sorted(files)
    assert all(archive.read(n) == files[n] for n in files)
