"""Image grids, grayscale PNG files and animated GIFs, with NumPy and zlib only.

Files are written atomically: to a temporary file in the same folder, then
renamed over the target, so a failed or interrupted write leaves the previous
file whole. A write that cannot be done raises :class:`ImageWriteError`.
"""

from __future__ import annotations

import math
import os
import stat
import struct
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from models.errors import ImageWriteError
from models.files import atomic_write, file_type

__all__ = ["ImageWriteError", "grid_size", "image_grid", "write_gif", "write_png"]


def grid_size(
    n: int,
    shape: tuple[int, int],
    columns: int | None = None,
    pad: int = 1,
    scale: int = 1,
) -> tuple[int, int]:
    """(height, width) in pixels of :func:`image_grid` for ``n`` images of ``shape``.

    Cheap to compute first, to refuse a picture too large to make.
    """
    h, w = shape
    columns = columns or math.ceil(math.sqrt(n))
    rows = math.ceil(n / columns)
    return rows * (h * scale + pad) + pad, columns * (w * scale + pad) + pad


def image_grid(
    images: NDArray[np.generic],
    columns: int | None = None,
    pad: int = 1,
    scale: int = 1,
) -> NDArray[np.uint8]:
    """Tile ``(n, H, W)`` images in [0, 1] into one uint8 picture (white ink on black).

    Cells are separated by ``pad`` pixels of mid grey and each pixel is blown up
    to ``scale × scale``.
    """
    n, h, w = images.shape
    columns = columns or math.ceil(math.sqrt(n))
    cells = np.clip(np.asarray(images, dtype=np.float64), 0, 1)
    cells = np.rint(cells * 255).astype(np.uint8)
    cells = cells.repeat(scale, axis=1).repeat(scale, axis=2)
    ch, cw = h * scale, w * scale
    grid = np.full(grid_size(n, (h, w), columns, pad, scale), 128, np.uint8)
    for i in range(n):
        r, c = divmod(i, columns)
        top, left = pad + r * (ch + pad), pad + c * (cw + pad)
        grid[top : top + ch, left : left + cw] = cells[i]
    return grid


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def write_png(path: str | os.PathLike[str], image: NDArray[np.uint8]) -> Path:
    """Write a 2-D uint8 array as an 8-bit grayscale PNG, atomically.

    Raises
    ------
    ImageWriteError
        If the file cannot be written (a folder, a path under a file, no
        permission, a full disk); a file already at ``path`` is kept whole.
    """
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError("write_png needs a 2-D uint8 array")
    h, w = image.shape
    raw = b"".join(b"\x00" + image[r].tobytes() for r in range(h))  # filter 0 per row
    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )
    return _write_file(path, data)


def _write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, creating its folder; return ``path``.

    A symbolic link is followed: the file it points to is replaced.

    Raises
    ------
    ImageWriteError
        If ``path`` is a folder or another non-regular file, its folder cannot
        be made, or the file cannot be written; a file already there is kept.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:  # e.g. a path through a file: "Not a directory"
        raise ImageWriteError(path, f"cannot write here ({_reason(exc)})") from None
    if mode is not None and not stat.S_ISREG(mode):
        raise ImageWriteError(path, f"cannot write an image over {file_type(mode)}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImageWriteError(
            path, f"cannot create its folder {target.parent} ({_reason(exc)})"
        ) from None
    try:
        atomic_write(target, data)
    except OSError as exc:
        kept = "; the file already there is unchanged" if mode is not None else ""
        raise ImageWriteError(path, f"cannot write ({_reason(exc)}){kept}") from None
    return path


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _lzw(indices: bytes, min_size: int = 8) -> bytes:
    """GIF's variable-length LZW code stream of ``indices`` (LSB-first bits)."""
    clear, end = 1 << min_size, (1 << min_size) + 1
    out = bytearray()
    bits = nbits = 0

    def emit(code: int, size: int) -> None:
        nonlocal bits, nbits
        bits |= code << nbits
        nbits += size
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8

    def fresh() -> dict[bytes, int]:
        return {bytes([i]): i for i in range(clear)}

    table, size, next_code = fresh(), min_size + 1, end + 1
    emit(clear, size)
    word = b""
    for value in indices:
        grown = word + bytes([value])
        if grown in table:
            word = grown
            continue
        emit(table[word], size)
        if next_code < 4096:
            table[grown] = next_code
            if next_code == 1 << size and size < 12:
                size += 1  # the decoder, one entry behind, switches now too
            next_code += 1
        else:  # table full: start again
            emit(clear, size)
            table, size, next_code = fresh(), min_size + 1, end + 1
        word = bytes([value])
    if word:
        emit(table[word], size)
    emit(end, size)
    if nbits:
        out.append(bits & 0xFF)
    return bytes(out)


def write_gif(
    path: str | os.PathLike[str],
    frames: list[NDArray[np.uint8]],
    delay_ms: int = 80,
    last_delay_ms: int = 1500,
) -> Path:
    """Write 2-D uint8 grayscale ``frames`` (all one size) as a looping GIF.

    Each frame shows for ``delay_ms`` (the last for ``last_delay_ms``); GIF
    counts in hundredths of a second. Written atomically, like :func:`write_png`.

    Raises
    ------
    ImageWriteError
        If the file cannot be written; a file already at ``path`` is kept whole.
    """
    if not frames:
        raise ValueError("write_gif needs at least one frame")
    h, w = frames[0].shape
    if any(f.shape != (h, w) or f.dtype != np.uint8 for f in frames):
        raise ValueError("every frame must be a 2-D uint8 array of the same size")
    palette = bytes(v for g in range(256) for v in (g, g, g))
    data = bytearray(b"GIF89a" + struct.pack("<HHBBB", w, h, 0xF7, 0, 0) + palette)
    data += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for i, frame in enumerate(frames):
        delay = (last_delay_ms if i == len(frames) - 1 else delay_ms) // 10
        data += b"\x21\xf9\x04\x00" + struct.pack("<H", delay) + b"\x00\x00"
        data += b"\x2c" + struct.pack("<HHHHB", 0, 0, w, h, 0) + b"\x08"
        stream = _lzw(frame.tobytes())
        for start in range(0, len(stream), 255):
            block = stream[start : start + 255]
            data += bytes([len(block)]) + block
        data += b"\x00"
    data += b"\x3b"
    return _write_file(path, bytes(data))
