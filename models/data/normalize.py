"""Normalising a drawing the way MNIST digits were made.

LeCun, Cortes & Burges made MNIST from NIST's binary digits by fitting each
digit's bounding box into a 20×20 box (keeping its aspect ratio, with
anti-aliasing, which makes it grayscale), then placing it in a 28×28 image so
that its centre of mass sits at the centre. A drawing on the canvas is none of
that: it can be small, off-centre, or drawn with a thick brush. Scored as
drawn, it is judged against digits it does not resemble.

:func:`normalize_drawing` applies the same steps and, optionally, brings the
stroke width to that of MNIST digits thresholded at ½ (about 2 pixels), so the
model sees what it was trained on. The result keeps the map between the
two coordinate systems, so a per-pixel map computed on the normalised image
(the surprise map) can be drawn back in the drawing's own coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import NDArray

__all__ = [
    "MNIST_STROKE_WIDTH",
    "NormalizedDrawing",
    "normalize_drawing",
    "stroke_width",
]

#: Mean stroke width, in pixels, of the mnist-5k training digits thresholded
#: at ½, by :func:`stroke_width` (``tests/test_normalize.py`` measures it).
MNIST_STROKE_WIDTH = 2.0


@dataclass(frozen=True)
class NormalizedDrawing:
    """A drawing normalised as MNIST digits are, with the map back.

    A point ``p`` (row, col) of the drawing lands at
    ``(p - source_origin) * scale + target_origin`` in :attr:`image`.

    Attributes
    ----------
    image
        (size, size) float64 in [0, 1]: what the model is shown.
    scale
        How much the drawing was enlarged (> 1) or shrunk.
    source_origin, target_origin
        The fixed points of the map, (row, col), in pixel-centre coordinates.
    empty
        True when the drawing had no ink (the image is then all zeros).
    """

    image: NDArray[np.float64]
    scale: float
    source_origin: tuple[float, float]
    target_origin: tuple[float, float]
    empty: bool

    def to_drawing(
        self, values: NDArray[np.floating], shape: tuple[int, int]
    ) -> NDArray[np.float64]:
        """A map on the normalised image, brought back to the drawing's pixels.

        Each pixel of a ``shape`` drawing covers a ``scale``×``scale`` patch of
        the normalised image; it gets the mean of the map over that patch
        (sampled on a grid of points), 0 where the patch falls outside.
        """
        values = np.asarray(values, dtype=np.float64)
        h, w = values.shape
        k = max(1, int(np.ceil(self.scale)))
        sub = (np.arange(k) + 0.5) / k - 0.5  # sample points inside a pixel
        rows, cols = np.indices(shape, dtype=np.float64)
        total = np.zeros(shape, dtype=np.float64)
        for dr in sub:
            r = (rows + dr - self.source_origin[0]) * self.scale
            ri = np.rint(r + self.target_origin[0]).astype(int)
            for dc in sub:
                c = (cols + dc - self.source_origin[1]) * self.scale
                ci = np.rint(c + self.target_origin[1]).astype(int)
                inside = (ri >= 0) & (ri < h) & (ci >= 0) & (ci < w)
                total[inside] += values[ri[inside], ci[inside]]
        return total / (k * k)


def stroke_width(binary: NDArray[np.bool_]) -> float:
    """Mean stroke width of a binary image, 2·area / perimeter (pixels).

    For a stroke of length L and width w the ink covers L·w pixels and its
    outline is about 2L edges long, so 2·area/perimeter ≈ w. Returns 0 for an
    empty image.
    """
    ink = np.asarray(binary, dtype=bool)
    area = int(ink.sum())
    if area == 0:
        return 0.0
    padded = np.pad(ink, 1)
    edges = int(
        (padded[1:, :] != padded[:-1, :]).sum()
        + (padded[:, 1:] != padded[:, :-1]).sum()
    )
    return 2.0 * area / max(edges, 1)


def _neighbourhood(ink: NDArray[np.bool_], grow: bool) -> NDArray[np.bool_]:
    """Dilate (``grow``) or erode by the 4-neighbourhood (a plus sign)."""
    padded = np.pad(ink, 1, constant_values=not grow)
    centre = padded[1:-1, 1:-1]
    around = [padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]]
    stack = np.stack([centre, *around])
    return np.asarray(stack.any(axis=0) if grow else stack.all(axis=0), dtype=bool)


def _match_stroke(
    image: NDArray[np.float64], target: float, threshold: float
) -> NDArray[np.float64]:
    """Thicken or thin the binary strokes of ``image`` towards ``target``."""
    ink = image > threshold
    for _ in range(2):
        width = stroke_width(ink)
        if width > target + 1.0:
            thinner = _neighbourhood(ink, grow=False)
            if thinner.sum() < 0.35 * ink.sum():  # would erase the drawing
                break
            ink = thinner
        elif 0 < width < target - 1.0:
            ink = _neighbourhood(ink, grow=True)
        else:
            break
    return ink.astype(np.float64)


def normalize_drawing(
    drawing: NDArray[np.floating],
    *,
    size: int = 28,
    box: int = 20,
    match_stroke: bool = True,
    target_width: float = MNIST_STROKE_WIDTH,
    threshold: float = 0.5,
) -> NormalizedDrawing:
    """Fit the ink into a ``box``×``box`` square and centre its mass in ``size``².

    Parameters
    ----------
    drawing
        (H, W) intensities in [0, 1] (ink = 1).
    size, box
        The output side and the box the ink's bounding box is fitted into
        (keeping its aspect ratio), as MNIST: 28 and 20.
    match_stroke
        Thicken or thin the strokes towards ``target_width`` pixels, and return
        a binary image (thresholded at ``threshold``); otherwise the
        anti-aliased grayscale image.
    """
    drawing = np.clip(np.asarray(drawing, dtype=np.float64), 0.0, 1.0)
    ink = drawing > 0
    if not ink.any():
        return NormalizedDrawing(
            np.zeros((size, size)), 1.0, (0.0, 0.0), (0.0, 0.0), empty=True
        )
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    crop = drawing[top:bottom, left:right]
    height, width = crop.shape
    scale = box / max(height, width)
    new_h = max(1, round(height * scale))
    new_w = max(1, round(width * scale))
    resized = F.interpolate(
        torch.from_numpy(crop)[None, None],
        size=(new_h, new_w),
        mode="bilinear",
        antialias=True,
        align_corners=False,
    )[0, 0].numpy()  # (new_h, new_w)
    resized = np.clip(resized, 0.0, 1.0)
    # Centre of mass of the resized ink, then the shift that puts it at the
    # image centre; the ink stays whole inside the frame.
    mass = resized.sum()
    r_idx, c_idx = np.indices(resized.shape)
    com_r = float((r_idx * resized).sum() / mass)
    com_c = float((c_idx * resized).sum() / mass)
    centre = (size - 1) / 2
    off_r = int(np.clip(round(centre - com_r), 0, size - new_h))
    off_c = int(np.clip(round(centre - com_c), 0, size - new_w))
    image = np.zeros((size, size))
    image[off_r : off_r + new_h, off_c : off_c + new_w] = resized
    if match_stroke:
        image = _match_stroke(image, target_width, threshold)
    # Pixel centres: drawing pixel (top + i) maps to resized pixel
    # (i + ½)·(new_h/height) − ½, placed at off_r.
    sr, sc = new_h / height, new_w / width
    avg = float((sr + sc) / 2)
    source = (top - 0.5 + 0.5 / avg, left - 0.5 + 0.5 / avg)
    return NormalizedDrawing(
        image, avg, (float(source[0]), float(source[1])), (off_r, off_c), empty=False
    )
