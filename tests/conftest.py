"""Shared fixtures: tiny real models of every kind, and the data paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import torch

from models.base import ARModel
from models.registry import create

SHARED_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "binarized_mnist.npz"
)

#: Small configurations of every model kind (the spatial models join later).
TINY_CONFIGS: dict[str, dict[str, Any]] = {
    "bernoulli": {},
    "markov": {"order": 2},
    "fvsbn": {},
    "nade": {"hidden": 7},
    "made": {"hidden_sizes": (13, 11)},
    "made-ensemble": {
        "hidden_sizes": (17,),
        "num_masks": 3,
        "order_agnostic": True,
        "ensemble": True,
    },
}


def kind_of(name: str) -> str:
    return name.split("-")[0]


def randomize(model: ARModel, seed: int = 0) -> ARModel:
    """Give every parameter random, non-zero values (zero init hides dependencies)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    return model.eval()


def tiny_model(
    name: str, shape: tuple[int, int] = (3, 3), seed: int = 0, **overrides: Any
) -> ARModel:
    return randomize(
        create(kind_of(name), shape, **{**TINY_CONFIGS[name], **overrides}), seed
    )


@pytest.fixture(scope="session")
def binarized_mnist_path() -> Path:
    if not SHARED_DATA.is_file():
        pytest.skip("../shared/data/binarized_mnist.npz is not beside the project")
    return SHARED_DATA
