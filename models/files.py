"""Reading files a user hands us safely, and writing ours whole.

Two rules every loader follows:

- Only regular files are opened. A FIFO, a device (``/dev/zero``), a socket or
  a directory is refused by its type before any read, so nothing can block
  forever or stream without end; the file is opened non-blocking and checked
  again on the open descriptor, so a file swapped in between is caught too.
- JSON from a file is parsed with limits: deep nesting, integers past Python's
  digit limit and non-finite numbers (``NaN``, ``1e400``) become one clear
  error instead of a ``RecursionError``, a ``ValueError`` or an ``inf`` that
  surfaces later.

And one rule for writing: :func:`atomic_write` replaces a file so that a
crash, a full disk or a kill leaves the old file or the new one, whole.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "JSONProblem",
    "NotARegularFile",
    "atomic_write",
    "file_type",
    "not_regular_reason",
    "open_regular",
    "parse_json",
    "read_json_file",
]


_UMASK = os.umask(0o022)  # read the process umask …
os.umask(_UMASK)  # … and put it back


class NotARegularFile(OSError):
    """A path that exists but is not a regular file; the message says what it is."""


def file_type(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ("a FIFO", "a directory")."""
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def not_regular_reason(path: str | os.PathLike[str], mode: int) -> str:
    """Why ``path``, whose ``st_mode`` is ``mode``, is not read, in one line.

    "not a regular file: it is a FIFO (named pipe)", naming the target of a
    symbolic link ("… (a link to /dev/zero)").
    """
    link = f" (a link to {os.path.realpath(path)})" if os.path.islink(path) else ""
    return f"not a regular file: it is {file_type(mode)}{link}"


def open_regular(path: str | os.PathLike[str]) -> io.BufferedReader:
    """Open ``path`` for reading if, and only if, it is a regular file.

    Symbolic links are followed (a link to a regular file is fine; one to
    ``/dev/zero`` is refused as a character device).

    Raises
    ------
    FileNotFoundError
        If nothing is there.
    NotARegularFile
        If it is not a regular file; the message is :func:`not_regular_reason`.
    OSError
        If it cannot be opened.
    """
    path = Path(path)
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotARegularFile(not_regular_reason(path, mode))
    # O_NONBLOCK: should a FIFO be swapped in after the stat, opening it
    # returns at once instead of waiting for a writer; fstat then refuses it.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(not_regular_reason(path, mode))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class JSONProblem(ValueError):
    """JSON that is malformed or outside the limits; the message says which.

    ``malformed`` is True when the text is not JSON at all, False when it is
    JSON this reader will not take (too deep, too long a number, not finite).
    """

    def __init__(self, message: str, *, malformed: bool = False) -> None:
        super().__init__(message)
        self.malformed = malformed


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONProblem(f"holds the number {text[:20]}, too large for a float")
    return value


def _no_constants(text: str) -> float:
    raise JSONProblem(f"holds {text}, which is not a number JSON allows")


def parse_json(raw: bytes | str) -> Any:
    """``json.loads`` that refuses what could hurt, with a clear message.

    Raises
    ------
    JSONProblem
        If the text is not JSON, nests too deeply, holds an integer past the
        interpreter's digit limit, or a non-finite number.
    """
    try:
        return json.loads(raw, parse_float=_finite, parse_constant=_no_constants)
    except JSONProblem:
        raise
    except RecursionError:
        raise JSONProblem("nests too deeply to be read") from None
    except UnicodeDecodeError:
        raise JSONProblem("is not UTF-8 text", malformed=True) from None
    except json.JSONDecodeError as exc:
        raise JSONProblem(
            f"is not valid JSON ({exc.msg}, at {exc.pos})", malformed=True
        ) from None
    except ValueError:  # the interpreter's limit on integer digits
        raise JSONProblem("holds an integer with too many digits") from None


def read_json_file(path: str | os.PathLike[str], max_bytes: int) -> Any:
    """A small JSON file's contents, read as :func:`parse_json` reads text.

    Only a regular file is opened (:func:`open_regular`), and no more than
    ``max_bytes`` of it is read.

    Raises
    ------
    JSONProblem
        Naming what is wrong: the file cannot be read or is not a regular
        file, is larger than ``max_bytes``, or is not JSON this reader takes.
    """
    try:
        with open_regular(path) as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:  # NotARegularFile too
        raise JSONProblem(f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise JSONProblem(f"is larger than {max_bytes:,} bytes")
    return parse_json(raw)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves old or new, whole.

    The bytes go to a temporary file in the same folder, flushed to disk, then
    renamed over ``path``; the rename is made durable too. The new file gets
    the mode a plain ``open`` would give it.

    Raises
    ------
    OSError
        If it cannot be written; ``path`` is then as it was.
    """
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes the file private (0600); give it the usual mode
            os.fchmod(handle.fileno(), 0o666 & ~_UMASK)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
