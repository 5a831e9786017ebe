"""Image grids, grayscale PNG files and animated GIFs, with NumPy and zlib only."""

from __future__ import annotations

import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = ["image_grid", "write_gif", "write_png"]


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
    rows = math.ceil(n / columns)
    cells = np.clip(np.asarray(images, dtype=np.float64), 0, 1)
    cells = np.rint(cells * 255).astype(np.uint8)
    cells = cells.repeat(scale, axis=1).repeat(scale, axis=2)
    ch, cw = h * scale, w * scale
    grid = np.full((rows * (ch + pad) + pad, columns * (cw + pad) + pad), 128, np.uint8)
    for i in range(n):
        r, c = divmod(i, columns)
        top, left = pad + r * (ch + pad), pad + c * (cw + pad)
        grid[top : top + ch, left : left + cw] = cells[i]
    return grid


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def write_png(path: str | os.PathLike[str], image: NDArray[np.uint8]) -> Path:
    """Write a 2-D uint8 array as an 8-bit grayscale PNG."""
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


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
    counts in hundredths of a second.
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))
    return path
