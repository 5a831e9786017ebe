"""Bounded readers of the array formats data sets come in: IDX, ``.npy``, ``.npz``.

A data file is untrusted input, so every reader here checks before it
allocates:

- only a regular file is opened (:func:`models.files.open_regular`): a FIFO, a
  device such as ``/dev/zero`` or a directory is refused by its type, before
  any read can block or stream without end;
- a header's declared size is compared with the bytes the file really holds
  (an uncompressed ``.npy`` or IDX file must hold exactly its header plus
  ``prod(shape) × itemsize`` bytes), with what the compressed bytes can
  possibly hold (deflate never expands more than 1032-fold), and with
  :data:`MAX_DATA_BYTES`;
- compressed data is decompressed in bounded chunks into an array of the
  declared size, and a stream that goes on past it is refused, so a gzip or zip
  bomb costs no more than the size its header admits to.

Pickled objects are never loaded, and ``.npy`` headers are parsed here with
:func:`ast.literal_eval` on at most :data:`MAX_NPY_HEADER` characters.
Every problem is a :class:`~models.errors.DataError` naming the file (and the
member of an ``.npz``) and what is wrong.
"""

from __future__ import annotations

import ast
import gzip
import math
import os
import zipfile
import zlib
from pathlib import Path
from typing import IO, Final, Protocol

import numpy as np
from numpy.typing import NDArray

from models.errors import DataError
from models.files import NotARegularFile, not_regular_reason, open_regular

__all__ = [
    "MAX_DATA_BYTES",
    "MAX_NPY_HEADER",
    "describe_bytes",
    "not_a_regular_file",
    "open_data_file",
    "read_arrays",
    "read_idx",
]

#: The most array bytes one data set may hold (all its files and members).
MAX_DATA_BYTES: Final = 1 << 30

#: The longest ``.npy`` header read (NumPy's own default limit).
MAX_NPY_HEADER: Final = 10_000

#: How many times deflate can expand its input at most (258 bytes per 2 bits).
DEFLATE_MAX_RATIO: Final = 1032

#: Bytes decompressed or read per step.
_CHUNK: Final = 1 << 18

_NPY_MAGIC: Final = b"\x93NUMPY"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_MAGIC: Final = b"\x1f\x8b"

#: What a stream may raise while it decompresses corrupt data.
_STREAM_ERRORS: Final = (
    OSError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
    ValueError,
    RuntimeError,
    NotImplementedError,
)


class _Stream(Protocol):
    """What the readers need of a file or a decompressing stream."""

    def read(self, size: int = ..., /) -> bytes: ...


def describe_bytes(count: int) -> str:
    """``count`` bytes in words: "784 bytes", "2.8 GiB", "about 10^15 bytes"."""
    if count < 1024:
        return f"{count} byte{'' if count == 1 else 's'}"
    for power, unit in ((4, "TiB"), (3, "GiB"), (2, "MiB"), (1, "KiB")):
        if count >= 1024**power:
            if count >= 1024 ** (power + 1) * 1000:  # past the largest unit
                return f"about 10^{int((count.bit_length() - 1) * math.log10(2))} bytes"
            number = f"{count / 1024**power:.1f}".removesuffix(".0")
            return f"{number} {unit}"
    raise AssertionError  # pragma: no cover - 1024 ≤ count is covered above


def _dims(shape: tuple[int, ...]) -> str:
    """A shape in words, "1,000,000,000,000×28×28", safe for huge numbers."""
    parts = [
        f"{d:,}"
        if d < 10**15
        else f"about 10^{int((d.bit_length() - 1) * math.log10(2))}"
        for d in shape
    ]
    return "×".join(parts) if parts else "a scalar"


def open_data_file(path: Path) -> IO[bytes]:
    """Open a regular file for reading, or say why not as a :class:`DataError`."""
    try:
        return open_regular(path)
    except FileNotFoundError:
        raise DataError(path, "no such file") from None
    except NotARegularFile as exc:
        raise DataError(path, str(exc)) from None
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror or exc}") from None


def not_a_regular_file(path: Path, mode: int) -> DataError:
    """The error for a path whose ``st_mode`` is not a regular file's."""
    return DataError(path, not_regular_reason(path, mode))


def _file_size(file: IO[bytes]) -> int:
    return os.fstat(file.fileno()).st_size


def _budget_check(
    path: Path, what: str, declared: str, nbytes: int, limit: int
) -> None:
    """Refuse ``nbytes`` of declared data past ``limit``, before reading any."""
    if nbytes > limit:
        room = (
            f"the {describe_bytes(limit)} left for this data set"
            if limit < MAX_DATA_BYTES
            else f"the {describe_bytes(MAX_DATA_BYTES)} a data set may hold"
        )
        raise DataError(
            path,
            f"{what}{declared} = {describe_bytes(nbytes)} of data, more than {room}",
        )


def _fill(
    stream: _Stream, nbytes: int, path: Path, what: str, declared: str
) -> NDArray[np.uint8]:
    """Read exactly ``nbytes`` from ``stream`` in bounded chunks."""
    out = np.empty(nbytes, np.uint8)
    filled = 0
    try:
        while filled < nbytes:
            chunk = stream.read(min(_CHUNK, nbytes - filled))
            if not chunk:
                raise DataError(
                    path,
                    f"{what}{declared} = {describe_bytes(nbytes)} of data, "
                    f"but holds only {describe_bytes(filled)}",
                )
            out[filled : filled + len(chunk)] = np.frombuffer(chunk, np.uint8)
            filled += len(chunk)
    except _STREAM_ERRORS as exc:
        raise DataError(path, f"{what}corrupt compressed data ({exc})") from None
    return out


def _read_some(stream: _Stream, count: int, path: Path, what: str) -> bytes:
    """Up to ``count`` bytes (fewer at the end), corrupt data as a DataError."""
    try:
        return stream.read(count)
    except _STREAM_ERRORS as exc:
        raise DataError(path, f"{what}corrupt compressed data ({exc})") from None


def _expect_end(stream: _Stream, path: Path, what: str, declared: str) -> None:
    """Refuse a stream that goes on past its declared data (reading one byte)."""
    if _read_some(stream, 1, path, what):
        raise DataError(
            path, f"{what}holds more data than its header declares ({declared})"
        )


# -- IDX -------------------------------------------------------------------------


def read_idx(
    path: str | os.PathLike[str], *, limit: int = MAX_DATA_BYTES
) -> NDArray[np.uint8]:
    """Read an MNIST IDX file of unsigned bytes (gzip or not).

    Parameters
    ----------
    path
        The file; it must be a regular file.
    limit
        The most bytes of data the file may declare.

    Raises
    ------
    DataError
        If it is not a regular file; on a wrong magic number, an unsupported
        element type, a size that does not match the header or is past
        ``limit``, or corrupt gzip data.
    """
    path = Path(path)
    with open_data_file(path) as file:
        size = _file_size(file)
        if _read_some(file, 2, path, "") == _GZIP_MAGIC:
            file.seek(0)
            with gzip.GzipFile(fileobj=file, mode="rb") as stream:
                return _read_idx_stream(stream, path, None, size, limit)
        file.seek(0)
        return _read_idx_stream(file, path, size, size, limit)


def _read_idx_stream(
    stream: _Stream, path: Path, size: int | None, stored: int, limit: int
) -> NDArray[np.uint8]:
    """Read IDX data; ``size`` is its length when it is not compressed."""
    head = _read_some(stream, 4, path, "")
    if len(head) < 4 or head[0] != 0 or head[1] != 0:
        raise DataError(path, "not an IDX file (bad magic number)")
    if head[2] != 0x08:
        raise DataError(path, f"IDX element type 0x{head[2]:02x} is not unsigned bytes")
    ndim = head[3]
    if ndim not in (1, 3):
        raise DataError(
            path, f"IDX files here hold labels (1-D) or images (3-D), not {ndim}-D"
        )
    raw_dims = _read_some(stream, 4 * ndim, path, "")
    if len(raw_dims) < 4 * ndim:
        raise DataError(path, "truncated IDX header")
    dims = tuple(
        int.from_bytes(raw_dims[4 * i : 4 * i + 4], "big") for i in range(ndim)
    )
    expected = math.prod(dims)
    header = 4 + 4 * ndim
    declared = f"IDX header says {_dims(dims)} = {expected:,} bytes"
    if size is not None and size - header != expected:
        raise DataError(path, f"{declared}, file has {size - header:,}")
    _budget_check(path, "", f"IDX header declares {_dims(dims)}", expected, limit)
    span = math.prod(d for d in dims if d)
    if span > limit:  # none stored, but no array can have these sizes
        raise DataError(
            path,
            f"{declared}: its sizes span {describe_bytes(span)}, more than any "
            f"array here may ({describe_bytes(limit)}), even with none stored",
        )
    if size is None and expected > DEFLATE_MAX_RATIO * stored:
        raise DataError(
            path,
            f"{declared}, more than its {describe_bytes(stored)} of gzip data can "
            "hold (a gzip bomb?)",
        )
    data = _fill(stream, expected, path, "", declared)
    if size is None:
        _expect_end(stream, path, "", declared)
    return data.reshape(dims)


# -- .npy and .npz -------------------------------------------------------------------


def _npy_header(
    stream: _Stream, path: Path, what: str
) -> tuple[np.dtype[np.generic], tuple[int, ...], bool, int]:
    """Parse a ``.npy`` header: its dtype, shape, Fortran order and length."""
    start = _read_some(stream, 8, path, what)
    if len(start) < 8 or not start.startswith(_NPY_MAGIC):
        raise DataError(path, f"{what}not a NumPy .npy array (no NumPy header)")
    major = start[6]
    if major not in (1, 2, 3):
        raise DataError(path, f"{what}unsupported .npy format version {major}")
    width = 2 if major == 1 else 4
    length_bytes = _read_some(stream, width, path, what)
    if len(length_bytes) < width:
        raise DataError(path, f"{what}truncated .npy header")
    length = int.from_bytes(length_bytes, "little")
    if length > MAX_NPY_HEADER:
        raise DataError(
            path,
            f"{what}.npy header of {length:,} bytes is longer than the "
            f"{MAX_NPY_HEADER:,} allowed",
        )
    raw = _read_some(stream, length, path, what)
    if len(raw) < length:
        raise DataError(path, f"{what}truncated .npy header")
    try:
        text = raw.decode("utf-8" if major == 3 else "latin-1")
        header = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise DataError(path, f"{what}unreadable .npy header") from None
    if not isinstance(header, dict) or set(header) != {
        "descr",
        "fortran_order",
        "shape",
    }:
        raise DataError(
            path,
            f"{what}.npy header must hold exactly descr, fortran_order and shape",
        )
    shape, fortran, descr = header["shape"], header["fortran_order"], header["descr"]
    if not isinstance(shape, tuple) or not all(
        type(d) is int and d >= 0 for d in shape
    ):
        raise DataError(path, f"{what}.npy header's shape is not a tuple of sizes")
    if not isinstance(fortran, bool):
        raise DataError(path, f"{what}.npy header's fortran_order is not True/False")
    if not isinstance(descr, str):
        raise DataError(
            path, f"{what}expected a numeric image array, got a structured dtype"
        )
    try:
        dtype = np.dtype(descr)
    except (TypeError, ValueError):
        raise DataError(path, f"{what}unknown dtype {descr[:40]!r}") from None
    if dtype.hasobject:
        raise DataError(
            path, f"{what}holds Python objects (pickled data is never loaded)"
        )
    if dtype.kind not in "biuf":
        raise DataError(
            path, f"{what}expected a numeric image array, got dtype {dtype}"
        )
    header_length = 8 + width + length
    return dtype, shape, fortran, header_length


def _read_npy(
    stream: _Stream, path: Path, what: str, stored: int, limit: int
) -> NDArray[np.generic]:
    """Read one array whose header and data take exactly ``stored`` bytes."""
    dtype, shape, fortran, header_length = _npy_header(stream, path, what)
    nbytes = math.prod(shape) * dtype.itemsize
    declared = f".npy header declares {_dims(shape)} {dtype}"
    _budget_check(path, what, declared, nbytes, limit)
    # an empty array may still name a size no array can have: (0, 2⁶²)
    span = math.prod(d for d in shape if d) * dtype.itemsize
    if span > limit:
        raise DataError(
            path,
            f"{what}{declared}: its sizes span {describe_bytes(span)}, more than "
            f"any array here may ({describe_bytes(limit)}), even with none stored",
        )
    if stored - header_length != nbytes:
        raise DataError(
            path,
            f"{what}{declared} = {describe_bytes(nbytes)} of data, but holds "
            f"{describe_bytes(max(stored - header_length, 0))}",
        )
    data = _fill(stream, nbytes, path, what, declared)
    _expect_end(stream, path, what, declared)
    return data.view(dtype).reshape(shape, order="F" if fortran else "C")


def read_arrays(
    path: str | os.PathLike[str], *, limit: int = MAX_DATA_BYTES
) -> NDArray[np.generic] | dict[str, NDArray[np.generic]]:
    """The array of a ``.npy`` file, or the arrays of an ``.npz`` by name.

    The format is told by the file's first bytes, as :func:`numpy.load` does.

    Raises
    ------
    DataError
        If it is not a regular file, not a ``.npy``/``.npz`` file, holds Python
        objects or non-numeric arrays, declares more data than it holds or than
        ``limit``, or its compressed data is corrupt.
    """
    path = Path(path)
    with open_data_file(path) as file:
        size = _file_size(file)
        magic = _read_some(file, len(_NPY_MAGIC), path, "")
        file.seek(0)
        if magic.startswith(_NPY_MAGIC):
            return _read_npy(file, path, "", size, limit)
        if magic[:4] in _ZIP_MAGICS:
            return _read_npz(file, path, size, limit)
    problem = {
        ".npz": "not an .npz file (not a zip archive)",
        ".npy": "not a .npy file (no NumPy header)",
    }
    raise DataError(
        path, problem.get(path.suffix.lower(), "not a NumPy .npy or .npz file")
    )


def _read_npz(
    file: IO[bytes], path: Path, size: int, limit: int
) -> dict[str, NDArray[np.generic]]:
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise DataError(
            path, f"not an .npz (not a readable zip archive: {exc})"
        ) from None
    with archive:
        members = [
            info
            for info in archive.infolist()
            if info.filename.endswith(".npy") and not info.is_dir()
        ]
        declared = sum(info.file_size for info in members)
        if declared > limit:
            raise DataError(
                path,
                f"its arrays declare {describe_bytes(declared)} in all, more than "
                f"the {describe_bytes(limit)} a data set may hold",
            )
        if sum(info.compress_size for info in members) > size:
            raise DataError(
                path,
                "its members claim more compressed bytes than the file holds "
                "(overlapping members: a zip bomb?)",
            )
        arrays: dict[str, NDArray[np.generic]] = {}
        for info in members:
            key = info.filename.removesuffix(".npy")
            arrays[key] = _read_member(archive, info, path, key, limit)
            limit -= arrays[key].nbytes
    return arrays


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, key: str, limit: int
) -> NDArray[np.generic]:
    what = f"{key}: "
    if info.flag_bits & 0x1:
        raise DataError(path, f"{what}is encrypted")
    if info.compress_type == zipfile.ZIP_STORED:
        if info.file_size != info.compress_size:
            raise DataError(
                path, f"{what}stored member's sizes disagree (a corrupt archive)"
            )
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        if info.file_size > DEFLATE_MAX_RATIO * max(info.compress_size, 1):
            raise DataError(
                path,
                f"{what}declares {describe_bytes(info.file_size)} from "
                f"{describe_bytes(info.compress_size)} of deflate data, more than "
                "deflate can expand to (a zip bomb?)",
            )
    else:
        raise DataError(
            path,
            f"{what}compression method {info.compress_type} is not one NumPy "
            "writes (stored or deflate)",
        )
    try:
        stream = archive.open(info)
    except _STREAM_ERRORS as exc:
        raise DataError(path, f"{what}unreadable member ({exc})") from None
    with stream:
        return _read_npy(stream, path, what, info.file_size, limit)
