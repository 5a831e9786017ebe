"""How many threads torch may use for work started on the calling thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

__all__ = ["torch_threads"]


@contextmanager
def torch_threads(count: int) -> Iterator[None]:
    """Run the block with at most ``count`` intra-op threads, then restore.

    The setting belongs to the calling thread (OpenMP's per-thread count), so
    a background job can take one core and leave the rest to other threads —
    a training run, or the GUI thread waiting to paint.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(max(1, count))
    try:
        yield
    finally:
        torch.set_num_threads(before)
