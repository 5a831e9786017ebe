"""The contract of a pixel likelihood: what one pixel's distribution is.

A model outputs, for every pixel, the parameters of that pixel's conditional
distribution given the pixels before it: ``channels`` numbers per pixel. The
likelihood turns them into a log-probability (or log-density), draws a value,
and summarises the distribution for the GUI. Models never assume a pixel is
binary; only :mod:`models.likelihoods.bernoulli` does.

Shapes: parameters are channel-last, ``(..., C)``; pixel values ``(...)`` are
floats in [0, 1] (a K-level pixel takes the values k / (K − 1)).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from numpy.typing import NDArray
from torch import Tensor

__all__ = ["PixelLikelihood", "PixelSummary"]


@dataclass(frozen=True)
class PixelSummary:
    """One pixel's predictive distribution, as the GUI draws it.

    Discrete: ``values`` are the K levels and ``probabilities`` their masses.
    Continuous: ``values`` a grid on [0, 1], ``probabilities`` the density on
    it, and ``components`` ``(M, G)`` each weighted component's density.
    """

    discrete: bool
    values: NDArray[np.float64]
    probabilities: NDArray[np.float64]
    components: NDArray[np.float64] | None = None
    weights: NDArray[np.float64] | None = None

    @property
    def mean(self) -> float:
        """The expected pixel value."""
        if self.discrete:
            return float(self.values @ self.probabilities)
        step = self.values[1] - self.values[0]
        return float((self.values * self.probabilities).sum() * step)


class PixelLikelihood(ABC):
    """The distribution of one pixel given its parameters.

    Attributes
    ----------
    name
        As recorded in a model's config (``likelihood``).
    discrete
        Whether values are K levels (a probability) or continuous (a density
        on [0, 1]).
    levels
        K: the levels a pixel takes (discrete), or that the data had before
        dequantization (continuous; used for the bits/dim correction).
    channels
        Parameters per pixel the model must output.
    """

    name: ClassVar[str]
    discrete: ClassVar[bool]

    def __init__(self, levels: int, components: int) -> None:
        self.levels = levels
        self.components = components

    @property
    @abstractmethod
    def channels(self) -> int:
        """Parameters per pixel."""

    @abstractmethod
    def log_prob(self, params: Tensor, x: Tensor) -> Tensor:
        """Log p(x | params) per pixel in nats: ``(..., C)``, ``(...)`` → ``(...)``."""

    @abstractmethod
    def sample(
        self, params: Tensor, temperature: float, generator: torch.Generator
    ) -> Tensor:
        """One value per pixel, ``(..., C)`` → ``(...)`` in [0, 1].

        Draws a fixed number of uniforms per pixel from ``generator`` (on the
        CPU), so a seed fixes the draw whatever the device.
        """

    @abstractmethod
    def mean(self, params: Tensor) -> Tensor:
        """E[x | params] per pixel, ``(..., C)`` → ``(...)``."""

    @abstractmethod
    def summary(self, params: Tensor) -> PixelSummary:
        """The distribution of one pixel, ``params`` ``(C,)``."""

    def prepare(self, images: Tensor, generator: torch.Generator | None) -> Tensor:
        """The values a model of this likelihood is fed, from K-level images.

        Discrete likelihoods take the levels as they are; a continuous one
        adds uniform noise within each level (dequantization).
        """
        return images

    def bits_per_dim(self, nats_per_image: float, num_pixels: int) -> float:
        """Bits per pixel of a negative log-likelihood in nats per image.

        For a density on [0, 1] of dequantized K-level data, adds log₂ K: the
        bound on the discrete data's bits/dim that flow papers report.
        """
        bits = nats_per_image / (num_pixels * math.log(2))
        return bits if self.discrete else bits + math.log2(self.levels)

    def to_dict(self) -> dict[str, Any]:
        """The settings a config records."""
        return {"likelihood": self.name, "levels": self.levels}

    @staticmethod
    def _uniform(
        shape: tuple[int, ...] | torch.Size, generator: torch.Generator, like: Tensor
    ) -> Tensor:
        """Uniforms in (0, 1) from a CPU generator, on ``like``'s device."""
        u = torch.rand(shape, generator=generator, dtype=torch.float64)
        return u.clamp(1e-12, 1 - 1e-12).to(device=like.device, dtype=like.dtype)
