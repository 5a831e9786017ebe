"""What a discriminative network reads on the canvas benchmark's sets.

The canvas models classify by Bayes' rule from a density, p(y | x) ∝ p(x | y).
To say how hard the held-out sets are, and what the targets ask of a density
model, two small networks that only learn p(y | x) are trained here on the
same digits, with the canvas models' affine and stroke augmentation (the
NADE's last stage adds elastic warps; these do not) and binarization, and
scored on the same sets, normalised as the canvas normalises a drawing:

- an MLP with one layer of 500 sigmoid units: the canvas NADE's hidden size;
- a small CNN: two 3×3 convolutions (32, 64 channels) with pooling, then 128
  units.

They train on ``mnist-full`` (58,999 digits) when that file is found
(``scripts/make_mnist_full.py``), else on ``mnist-10k``, seed 0, Adam 10⁻³,
batches of 128. None of them ships; they are yardsticks. Their rows join the
canvas table:

    python -m benchmarks --only canvas --only classifiers \
        --out benchmarks/results/canvas
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final

import numpy as np
import torch
from torch import nn

from benchmarks.canvas import SETS, accuracy_row, normalized
from models.data import Binarization, ImageSet, load_split, load_splits
from models.data.augment import Augmentation
from models.errors import DataError

#: (name in the table, network, epochs).
NETWORKS: Final[tuple[tuple[str, Callable[[], nn.Module], int], ...]] = (
    (
        "discriminative MLP, 500 sigmoid units (yardstick, not shipped)",
        lambda: nn.Sequential(
            nn.Flatten(), nn.Linear(784, 500), nn.Sigmoid(), nn.Linear(500, 10)
        ),
        8,
    ),
    (
        "discriminative CNN, 2 conv layers (yardstick, not shipped)",
        lambda: nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        ),
        3,
    ),
)

BATCH: Final = 128


def _training_digits() -> ImageSet:
    """mnist-full's training digits where the file is found, else mnist-10k's."""
    try:
        return load_splits("mnist-full")["train"]
    except DataError:
        return load_splits("mnist-10k")["train"]


def train(network: nn.Module, data: ImageSet, epochs: int, seed: int = 0) -> nn.Module:
    """Fit ``network`` to p(y | x) on augmented, thresholded ``data``."""
    assert data.labels is not None
    torch.manual_seed(seed)
    augmentation = Augmentation(seed=seed)  # the default recipe, as --augment
    binarization = Binarization("threshold")
    labels = torch.from_numpy(data.labels)
    optimizer = torch.optim.Adam(network.parameters(), lr=1e-3)
    network.train()
    for epoch in range(epochs):
        images = binarization.apply(augmentation.apply(data, epoch))  # (N, H, W)
        x = torch.from_numpy(images).float().unsqueeze(1)
        order = torch.randperm(len(x))
        for start in range(0, len(x), BATCH):
            batch = order[start : start + BATCH]
            loss = nn.functional.cross_entropy(network(x[batch]), labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return network.eval()


def normalised_test_set(name: str, split: str) -> tuple[torch.Tensor, ImageSet]:
    """A held-out set, thresholded and normalised as the canvas does, and its images
    as a batch ``(N, 1, H, W)``."""
    held_out = load_split(name, split)
    images = normalized(Binarization("threshold").apply(held_out))
    return torch.from_numpy(images).float().unsqueeze(1), held_out


def accuracy(network: nn.Module, x: torch.Tensor, labels: np.ndarray) -> float:
    """Fraction of ``x`` whose most likely class under ``network`` is the label."""
    with torch.no_grad():
        guess = network(x).argmax(1).numpy()
    return float((guess == labels).mean())


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Accuracy of each yardstick network on the canvas benchmark's sets."""
    data = _training_digits()
    sets = [(what, target, *normalised_test_set(name, split))
            for name, split, what, target in SETS]  # fmt: skip
    rows: list[dict[str, Any]] = []
    for title, make, epochs in NETWORKS:
        started = time.perf_counter()
        network = train(make(), data, 1 if quick else epochs)
        seconds = time.perf_counter() - started
        name = f"{title}, {data.name}, {1 if quick else epochs} epochs"
        for what, target, x, held_out in sets:
            assert held_out.labels is not None
            value = 100 * accuracy(network, x, held_out.labels)
            rows.append(
                accuracy_row(
                    name,
                    what,
                    held_out,
                    value,
                    normalised=True,
                    target=target,
                    seconds=seconds,
                    measure="accuracy",
                )
            )
    return rows


__all__ = ["NETWORKS", "accuracy", "normalised_test_set", "run", "train"]
