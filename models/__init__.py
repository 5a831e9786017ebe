"""Autoregressive generative models of images behind one contract.

The package is plain PyTorch and NumPy (it never imports Qt): models, orderings,
parameter counting, data loading, a Trainer, safetensors checkpoints and a CLI.
Heavy submodules load on first use, so ``import models`` stays cheap.

>>> import models
>>> models.available()[:3]
['bernoulli', 'markov', 'fvsbn']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from models.errors import ARExplorerError, CheckpointError, ConfigError, DataError

if TYPE_CHECKING:
    from models.base import ARModel, ModelConfig, SampleStep
    from models.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
    from models.registry import available, create
    from models.trainer import TrainConfig, Trainer

__all__ = [
    "ARExplorerError",
    "ARModel",
    "Checkpoint",
    "CheckpointError",
    "ConfigError",
    "DataError",
    "ModelConfig",
    "SampleStep",
    "TrainConfig",
    "Trainer",
    "available",
    "create",
    "load_checkpoint",
    "save_checkpoint",
]

_LAZY = {
    "ARModel": "models.base",
    "ModelConfig": "models.base",
    "SampleStep": "models.base",
    "Checkpoint": "models.checkpoint",
    "load_checkpoint": "models.checkpoint",
    "save_checkpoint": "models.checkpoint",
    "available": "models.registry",
    "create": "models.registry",
    "TrainConfig": "models.trainer",
    "Trainer": "models.trainer",
}


def __getattr__(name: str) -> Any:
    try:
        module = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'models' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), name)
