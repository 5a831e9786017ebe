"""Sets of pixels moved by a layer's footprint: the geometry of a receptive field.

A set of pixels is a bool tensor ``(…, H, W)``. A layer whose output at p reads
its input at p + o for every offset o of its footprint (a masked kernel's
taps, a recurrence's step) needs, for a set of outputs, the set :func:`dilate`
returns; a recurrence that reads its own earlier states needs the
:func:`closure` of that. The spatial models propagate their outputs back
through their layers with these to say which input pixels each may read
(:meth:`models.base.ARModel.receptive_field`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import torch
from torch import Tensor

__all__ = ["Offsets", "closure", "dilate", "shift"]

#: A layer's footprint: the (row, column) offsets its output reads.
Offsets = Sequence[tuple[int, int]]


def shift(sets: Tensor, dr: int, dc: int) -> Tensor:
    """Move every pixel of ``sets`` ``(…, H, W)`` by (dr, dc), dropping what leaves."""
    out = torch.zeros_like(sets)
    h, w = sets.shape[-2:]
    src_r = slice(max(0, -dr), min(h, h - dr))
    dst_r = slice(max(0, dr), min(h, h + dr))
    src_c = slice(max(0, -dc), min(w, w - dc))
    dst_c = slice(max(0, dc), min(w, w + dc))
    if src_r.start < src_r.stop and src_c.start < src_c.stop:
        out[..., dst_r, dst_c] = sets[..., src_r, src_c]
    return out


def dilate(sets: Tensor, offsets: Iterable[tuple[int, int]]) -> Tensor:
    """Input pixels read by a layer whose outputs ``sets`` are needed.

    An output at p reads p + o for every offset o of the layer's footprint.
    """
    out = torch.zeros_like(sets)
    for dr, dc in offsets:
        out |= shift(sets, dr, dc)
    return out


def closure(sets: Tensor, offsets: Offsets) -> Tensor:
    """States a recurrence needs: ``sets`` plus everything they read, transitively."""
    current = sets.clone()
    while True:
        grown = current | dilate(current, offsets)
        if torch.equal(grown, current):
            return current
        current = grown
