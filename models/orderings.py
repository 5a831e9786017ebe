"""Pixel orderings: permutations of the H·W pixels of an image.

An autoregressive model factorises p(x) = Π_k p(x_{o_k} | x_{o_1}, …, x_{o_{k-1}})
for an ordering o. Every ordering here is a NumPy ``int64`` array ``o`` of length
H·W holding row-major pixel indices (``r * W + c``); ``o[k]`` is the pixel
generated k-th. Its inverse, :func:`ranks`, gives each pixel's position.

Orderings: ``raster`` (row by row), ``column``, ``snake`` (boustrophedon),
``diagonal`` (JPEG-style zigzag over anti-diagonals), ``hilbert`` (a generalised
Hilbert curve that fills any rectangle, after Červený's "gilbert" construction),
``spiral`` (clockwise from the top-left corner inwards), ``random`` (seeded) and
``custom`` (a user-supplied permutation, validated).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Final

import numpy as np
from numpy.typing import NDArray

from models.errors import ConfigError
from models.text import QT_TRANSLATE_NOOP

Ordering = NDArray[np.int64]

__all__ = [
    "ORDERING_NAMES",
    "Ordering",
    "conditioning_set",
    "make_ordering",
    "ranks",
    "validate_ordering",
]


def _raster(h: int, w: int) -> Iterator[tuple[int, int]]:
    for r in range(h):
        for c in range(w):
            yield r, c


def _column(h: int, w: int) -> Iterator[tuple[int, int]]:
    for c in range(w):
        for r in range(h):
            yield r, c


def _snake(h: int, w: int) -> Iterator[tuple[int, int]]:
    for r in range(h):
        cols = range(w) if r % 2 == 0 else range(w - 1, -1, -1)
        for c in cols:
            yield r, c


def _diagonal(h: int, w: int) -> Iterator[tuple[int, int]]:
    # Anti-diagonal s holds the pixels with r + c = s; alternate direction
    # (up-right on even s, down-left on odd s) so consecutive pixels touch.
    for s in range(h + w - 1):
        rows = range(max(0, s - w + 1), min(h, s + 1))
        if s % 2 == 0:
            rows = rows[::-1]
        for r in rows:
            yield r, s - r


def _spiral(h: int, w: int) -> Iterator[tuple[int, int]]:
    top, bottom, left, right = 0, h - 1, 0, w - 1
    while top <= bottom and left <= right:
        for c in range(left, right + 1):
            yield top, c
        for r in range(top + 1, bottom + 1):
            yield r, right
        if top < bottom:
            for c in range(right - 1, left - 1, -1):
                yield bottom, c
        if left < right:
            for r in range(bottom - 1, top, -1):
                yield r, left
        top, bottom, left, right = top + 1, bottom - 1, left + 1, right - 1


def _sign(v: int) -> int:
    return (v > 0) - (v < 0)


def _hilbert(h: int, w: int) -> Iterator[tuple[int, int]]:
    """Generalised Hilbert curve over an h × w rectangle.

    The rectangle is described by an origin and two edge vectors: ``a`` along
    the long side (the curve's travel direction) and ``b`` across it. A long,
    thin rectangle is cut in two along ``a``; a squarish one is cut into three
    (lower part, the far strip, the upper part travelling back), as in the
    classic Hilbert construction. Halves are nudged to even lengths so each
    piece can end next to where the following one begins.
    """

    def fill(
        x: int, y: int, ax: int, ay: int, bx: int, by: int
    ) -> Iterator[tuple[int, int]]:
        length, breadth = abs(ax + ay), abs(bx + by)
        dax, day = _sign(ax), _sign(ay)
        dbx, dby = _sign(bx), _sign(by)
        if breadth == 1:  # a single line along a
            for i in range(length):
                yield y + i * day, x + i * dax
            return
        if length == 1:  # a single line along b
            for i in range(breadth):
                yield y + i * dby, x + i * dbx
            return
        hax, hay = ax // 2, ay // 2
        hbx, hby = bx // 2, by // 2
        if 2 * length > 3 * breadth:  # long: split along a into two
            if abs(hax + hay) % 2 and length > 2:
                hax, hay = hax + dax, hay + day
            yield from fill(x, y, hax, hay, bx, by)
            yield from fill(x + hax, y + hay, ax - hax, ay - hay, bx, by)
            return
        if abs(hbx + hby) % 2 and breadth > 2:
            hbx, hby = hbx + dbx, hby + dby
        yield from fill(x, y, hbx, hby, hax, hay)
        yield from fill(x + hbx, y + hby, ax, ay, bx - hbx, by - hby)
        yield from fill(
            x + (ax - dax) + (hbx - dbx),
            y + (ay - day) + (hby - dby),
            -hbx,
            -hby,
            -(ax - hax),
            -(ay - hay),
        )

    if w >= h:
        yield from fill(0, 0, w, 0, 0, h)
    else:
        yield from fill(0, 0, 0, h, w, 0)


_GENERATORS: Final[dict[str, Callable[[int, int], Iterator[tuple[int, int]]]]] = {
    "raster": _raster,
    "column": _column,
    "snake": _snake,
    "diagonal": _diagonal,
    "hilbert": _hilbert,
    "spiral": _spiral,
}

#: Every ordering name :func:`make_ordering` accepts.
ORDERING_NAMES: Final[tuple[str, ...]] = (*_GENERATORS, "random", "custom")

#: The names as words the app translates (it shows them under context "models").
_WORDS = (
    QT_TRANSLATE_NOOP("models", "raster"),
    QT_TRANSLATE_NOOP("models", "column"),
    QT_TRANSLATE_NOOP("models", "snake"),
    QT_TRANSLATE_NOOP("models", "diagonal"),
    QT_TRANSLATE_NOOP("models", "hilbert"),
    QT_TRANSLATE_NOOP("models", "spiral"),
    QT_TRANSLATE_NOOP("models", "random"),
    QT_TRANSLATE_NOOP("models", "custom"),
)
assert set(_WORDS) == set(ORDERING_NAMES)


def _check_shape(shape: Sequence[int]) -> tuple[int, int]:
    if len(shape) != 2 or any(int(s) < 1 for s in shape):
        raise ConfigError(f"image shape must be two positive sizes (H, W), got {shape}")
    return int(shape[0]), int(shape[1])


def validate_ordering(order: Sequence[int] | NDArray[np.integer], n: int) -> Ordering:
    """Return ``order`` as an int64 array after checking it permutes ``range(n)``.

    Raises
    ------
    ConfigError
        If ``order`` has the wrong length, repeats a pixel or leaves one out.
    """
    arr = np.asarray(order)
    if arr.ndim != 1 or arr.size != n:
        raise ConfigError(
            f"an ordering of {n} pixels needs {n} entries, got {arr.size}"
        )
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise ConfigError(f"an ordering holds integer pixel indices, got {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= n):
        raise ConfigError(f"ordering entries must lie in 0..{n - 1}")
    counts = np.bincount(arr, minlength=n)
    if (counts != 1).any():
        missing = np.flatnonzero(counts == 0)[:5].tolist()
        repeated = np.flatnonzero(counts > 1)[:5].tolist()
        raise ConfigError(
            f"not a permutation: pixels {repeated} repeat, pixels {missing} are missing"
        )
    return arr


def make_ordering(
    name: str,
    shape: Sequence[int],
    *,
    seed: int = 0,
    custom: Sequence[int] | NDArray[np.integer] | None = None,
) -> Ordering:
    """Build a named ordering for an image of ``shape = (H, W)``.

    Parameters
    ----------
    name
        One of :data:`ORDERING_NAMES`.
    shape
        Image height and width.
    seed
        Seed of the ``random`` ordering (ignored by the others).
    custom
        The permutation for ``custom`` (row-major pixel indices in generation
        order).

    Returns
    -------
    numpy.ndarray
        ``int64`` permutation of ``range(H * W)``.
    """
    h, w = _check_shape(shape)
    if name == "random":
        return np.random.default_rng(seed).permutation(h * w).astype(np.int64)
    if name == "custom":
        if custom is None:
            raise ConfigError("a custom ordering needs its permutation")
        return validate_ordering(custom, h * w)
    try:
        generator = _GENERATORS[name]
    except KeyError:
        known = ", ".join(ORDERING_NAMES)
        raise ConfigError(f"unknown ordering {name!r}; known: {known}") from None
    order = np.fromiter((r * w + c for r, c in generator(h, w)), dtype=np.int64)
    return validate_ordering(order, h * w)


def ranks(order: Ordering) -> Ordering:
    """Position of every pixel in ``order`` (the inverse permutation)."""
    rank: Ordering = np.empty_like(order)
    rank[order] = np.arange(order.size, dtype=np.int64)
    return rank


def conditioning_set(
    order: Ordering, pixel: int, window: int | None = None
) -> Ordering:
    """Pixels that ``pixel`` is conditioned on under ``order``.

    With ``window = k`` this is the Markov AR-k set: only the k pixels just
    before it in the ordering. Returns row-major indices in generation order.
    """
    k = int(ranks(order)[pixel])
    start = 0 if window is None else max(0, k - window)
    window_set: Ordering = order[start:k].copy()
    return window_set
