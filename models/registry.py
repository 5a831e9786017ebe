"""The registry of model kinds: ``available()``, ``create()``, config look-up."""

from __future__ import annotations

import threading
from typing import Any

import torch

from models.base import ARModel, ModelConfig
from models.bernoulli import Bernoulli
from models.counting import ParameterCount
from models.diagonal_bilstm import DiagonalBiLSTM
from models.errors import ConfigError
from models.fvsbn import FVSBN
from models.gated_pixelcnn import GatedPixelCNN
from models.made import MADE
from models.markov import Markov
from models.nade import NADE
from models.pixelcnn import PixelCNN
from models.row_lstm import RowLSTM
from models.text import QT_TRANSLATE_NOOP

#: The presets' names as words the app translates (context "models").
_PRESET_WORDS = (
    QT_TRANSLATE_NOOP("models", "default"),
    QT_TRANSLATE_NOOP("models", "small"),
    QT_TRANSLATE_NOOP("models", "large"),
    QT_TRANSLATE_NOOP("models", "paper"),
    QT_TRANSLATE_NOOP("models", "deep"),
    QT_TRANSLATE_NOOP("models", "paper-deep"),
)

__all__ = [
    "available",
    "build",
    "config_from_dict",
    "count_for_config",
    "create",
    "model_class",
    "preset_settings",
]

_MODELS: dict[str, type[ARModel]] = {
    cls.kind: cls
    for cls in (
        Bernoulli,
        Markov,
        FVSBN,
        NADE,
        MADE,
        PixelCNN,
        GatedPixelCNN,
        RowLSTM,
        DiagonalBiLSTM,
    )
}


def available() -> list[str]:
    """Every model kind, in the order the course introduces them."""
    return list(_MODELS)


def model_class(kind: str) -> type[ARModel]:
    """The model class registered under ``kind``."""
    if isinstance(kind, str) and kind in _MODELS:
        return _MODELS[kind]
    raise ConfigError(
        f"unknown model kind {kind!r:.60}; available: {', '.join(_MODELS)}"
    )


def preset_settings(kind: str, preset: str) -> dict[str, Any]:
    """The settings of a named preset of ``kind`` (``"default"``: none)."""
    presets = model_class(kind).config_class.presets
    if preset == "default":
        return {}
    if preset not in presets:
        names = ", ".join(["default", *presets])
        raise ConfigError(f"{kind} has no preset {preset!r}; presets: {names}")
    return dict(presets[preset])


def config_from_dict(kind: str, data: dict[str, Any]) -> ModelConfig:
    """Build and validate the config of ``kind`` from plain values."""
    return model_class(kind).config_class.from_dict(data)


def count_for_config(kind: str, config: ModelConfig) -> ParameterCount:
    """The closed-form parameter count of a model of ``kind`` built from ``config``.

    Computed without building the model, so it can refuse one too large to
    build (:func:`models.counting.check_buildable`).
    """
    return model_class(kind).parameter_count(config)


def create(
    kind: str,
    image_shape: tuple[int, int] = (28, 28),
    *,
    seed: int | None = None,
    **config: Any,
) -> ARModel:
    """Build a model of ``kind`` for ``image_shape`` with the given settings.

    With ``seed`` the initial weights are those ``torch.manual_seed(seed)``
    would give, without touching the global random state.

    Examples
    --------
    >>> model = create("nade", image_shape=(3, 3), hidden=8)
    >>> model.num_parameters() == model.parameter_count(model.config).value
    True
    """
    cls = model_class(kind)
    settings = config_from_dict(kind, {"image_shape": image_shape, **config})
    return build(cls, settings, seed)


#: Building a model draws its initial weights from torch's one global
#: generator, and a seeded build reseeds it: two threads building at once (the
#: app loads a checkpoint in the background while a training run starts) would
#: draw from each other's stream. Every build holds this lock.
_BUILDING = threading.Lock()


def build(cls: type[ARModel], config: ModelConfig, seed: int | None = None) -> ARModel:
    """``cls(config)``, one build at a time; with ``seed`` as :func:`create` says."""
    with _BUILDING:
        if seed is None:
            return cls(config)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            return cls(config)
