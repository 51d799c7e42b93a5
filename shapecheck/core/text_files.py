"""A user's text file (a network file, a rubric, a submission, a CSV of data) as UTF-8, or one sentence that
says which byte is not UTF-8 and how to save the file, never Python's codec message. Stdlib only."""

from __future__ import annotations

from pathlib import Path

from shapecheck.core.errors import ShapecheckError

UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")  # Windows Notepad's "Unicode": UTF-16 with a byte-order mark


def decode_utf8(path: str | Path, data: bytes) -> str:
    """``data`` decoded as UTF-8 (a UTF-8 byte-order mark is dropped, as editors on Windows write one)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_utf8(path, data) from None


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def not_utf8(path: str | Path, data: bytes) -> ShapecheckError:
    """The sentence for ``data`` that is not UTF-8: UTF-16 by its mark, else the first bad byte and its line."""
    if data.startswith(UTF16_MARKS):
        return ShapecheckError("files.utf16", path=path)
    try:
        data.decode("utf-8")  # plain UTF-8 (a byte-order mark is a character): positions count from the file's start
        start = len(data)
    except UnicodeDecodeError as exc:
        start = exc.start
    byte = f"0x{data[start]:02x}" if start < len(data) else "?"
    return ShapecheckError("files.not_utf8", path=path, byte=byte, line=data.count(b"\n", 0, start) + 1)
