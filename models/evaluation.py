"""Scoring data sets: exact average NLL in nats and bits per dimension."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import NDArray
from torch import Tensor

from models.base import ARModel
from models.errors import ConfigError

__all__ = ["Score", "batches", "evaluate", "iter_log_prob", "nats_to_bits_per_dim"]


def nats_to_bits_per_dim(nats: float, num_pixels: int) -> float:
    """Convert a per-image NLL in nats to bits per pixel."""
    return nats / (num_pixels * math.log(2))


def batches(
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None,
    batch_size: int,
    order: NDArray[np.int64] | None = None,
) -> Iterator[tuple[Tensor, Tensor | None]]:
    """Float ``(B, 1, H, W)`` image batches (and label batches) from uint8 arrays."""
    index = np.arange(len(images)) if order is None else order
    for start in range(0, len(index), batch_size):
        rows = index[start : start + batch_size]
        x = torch.from_numpy(images[rows]).float().unsqueeze(1)  # (B, 1, H, W)
        y = None if labels is None else torch.from_numpy(labels[rows])
        yield x, y


@torch.no_grad()
def iter_log_prob(
    model: ARModel,
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None = None,
    batch_size: int = 256,
) -> Iterator[Tensor]:
    """Log p(x) in nats for each batch, ``(B,)``; stop iterating to cancel."""
    if model.num_classes and labels is None:
        raise ConfigError("a class-conditional model needs the labels of the images")
    labels = labels if model.num_classes else None
    was_training = model.training
    model.eval()
    try:
        for x, y in batches(images, labels, batch_size):
            yield model.log_prob(x.to(model.ordering.device), y)
    finally:
        model.train(was_training)


@dataclass(frozen=True)
class Score:
    """Average exact NLL over a set of images."""

    nll_nats: float
    bits_per_dim: float
    count: int

    def as_dict(self) -> dict[str, float | int]:
        """JSON-ready dict."""
        return {
            "nll_nats": self.nll_nats,
            "bits_per_dim": self.bits_per_dim,
            "count": self.count,
        }


def evaluate(
    model: ARModel,
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None = None,
    *,
    batch_size: int = 256,
    progress: Callable[[int, int], bool | None] | None = None,
) -> Score:
    """Average −log p(x) over ``images`` (binary uint8, ``(N, H, W)``).

    ``progress(done, total)`` is called after each batch; returning True cancels
    (raising :class:`InterruptedError`).
    """
    total = 0.0
    done = 0
    for log_prob in iter_log_prob(model, images, labels, batch_size):
        total += float(-log_prob.double().sum())
        done += log_prob.shape[0]
        if progress is not None and progress(done, len(images)):
            raise InterruptedError("evaluation cancelled")
    nll = total / max(done, 1)
    return Score(nll, nats_to_bits_per_dim(nll, model.num_pixels), done)
