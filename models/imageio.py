"""Image grids and grayscale PNG files, with NumPy and zlib only."""

from __future__ import annotations

import math
import os
import struct
import zlib
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = ["image_grid", "write_png"]


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
