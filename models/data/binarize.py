"""Turning grayscale digits into binary images.

- ``threshold``: x = [intensity > t], the same every time (clean strokes, like a
  mouse drawing).
- ``stochastic``: x ~ Bernoulli(intensity), drawn once with a seed and then fixed
  — how the standard binarized MNIST was made.
- ``dynamic``: x ~ Bernoulli(intensity), drawn afresh every epoch (a regulariser).

Data that is already binary passes through unchanged whatever the mode.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from models.data.loaders import ImageSet
from models.errors import ConfigError, shown

__all__ = ["BINARIZE_MODES", "Binarization"]

BINARIZE_MODES: Final = ("threshold", "stochastic", "dynamic")


@dataclass(frozen=True)
class Binarization:
    """How grayscale images become binary.

    Attributes
    ----------
    mode
        One of :data:`BINARIZE_MODES`.
    threshold
        Intensity above which a pixel is on (``threshold`` mode).
    seed
        Seed of the stochastic draws.
    """

    mode: str = "threshold"
    threshold: float = 0.5
    seed: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.mode, str) or self.mode not in BINARIZE_MODES:
            raise ConfigError(
                f"unknown binarization {shown(self.mode)}; "
                f"use one of {', '.join(BINARIZE_MODES)}"
            )
        if isinstance(self.threshold, bool) or not isinstance(
            self.threshold, (int, float)
        ):
            raise ConfigError(
                f"threshold must be a number, got {shown(self.threshold)}"
            )
        if not 0 <= self.threshold < 1:  # no float(): 10**400 would overflow
            raise ConfigError(
                f"threshold must lie in [0, 1), got {shown(self.threshold)}"
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ConfigError(
                f"binarization seed must be an integer, got {shown(self.seed)}"
            )
        if not 0 <= self.seed < 2**64:
            raise ConfigError(
                f"binarization seed must lie in 0 to 2^64 − 1, got {shown(self.seed)}"
            )

    @property
    def varies_by_epoch(self) -> bool:
        """True for ``dynamic``: every epoch sees a new draw."""
        return self.mode == "dynamic"

    def apply(self, data: ImageSet, epoch: int = 0) -> NDArray[np.uint8]:
        """Binary images ``(N, H, W)`` uint8 in {0, 1} for ``epoch``."""
        if data.is_binary:
            return data.images
        if self.mode == "threshold":
            return (data.intensities() > self.threshold).astype(np.uint8)
        # One stream per data set name, so train and test get independent draws.
        key = [
            self.seed,
            zlib.crc32(data.name.encode()),
            epoch if self.varies_by_epoch else 0,
        ]
        rng = np.random.default_rng(key)
        uniform = rng.random(data.images.shape, dtype=np.float32)
        return (uniform < data.intensities()).astype(np.uint8)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict."""
        return {"mode": self.mode, "threshold": self.threshold, "seed": self.seed}

    @classmethod
    def from_dict(
        cls, record: Mapping[str, Any] | None, **overrides: Any
    ) -> Binarization:
        """The binarization a checkpoint recorded.

        Defaults fill what the record does not say; ``overrides`` that are not
        None win.
        """
        if record is not None and not isinstance(record, Mapping):
            raise ConfigError(
                f"the recorded binarization must be an object, got {shown(record)}"
            )
        values = {"mode": "threshold", "threshold": 0.5, "seed": 0, **(record or {})}
        values |= {k: v for k, v in overrides.items() if v is not None}
        return cls(values["mode"], values["threshold"], values["seed"])
