"""Binary pixels: p(x_i = 1) = σ(logit), one parameter per pixel.

The only place in the package where a pixel is assumed binary, and so the
only place binary cross-entropy appears.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from models.likelihoods.base import PixelLikelihood, PixelSummary

__all__ = ["Bernoulli"]


class Bernoulli(PixelLikelihood):
    """A Bernoulli pixel; its parameter is the logit of p(x_i = 1)."""

    name = "bernoulli"
    discrete = True

    @property
    def channels(self) -> int:
        """One logit per pixel."""
        return 1

    def log_prob(self, params: Tensor, x: Tensor) -> Tensor:
        """−BCE(logit, x): log σ(logit) for a 1, log σ(−logit) for a 0."""
        return -F.binary_cross_entropy_with_logits(params[..., 0], x, reduction="none")

    def sample(
        self, params: Tensor, temperature: float, generator: torch.Generator
    ) -> Tensor:
        """1 where a uniform falls below σ(logit / T)."""
        logits = params[..., 0]
        uniform = torch.rand(logits.shape, generator=generator).to(logits.device)
        scaled = logits if temperature == 1.0 else logits / temperature
        return (uniform < torch.sigmoid(scaled)).to(logits.dtype)

    def mean(self, params: Tensor) -> Tensor:
        """p(x = 1) = σ(logit)."""
        return torch.sigmoid(params[..., 0])

    def summary(self, params: Tensor) -> PixelSummary:
        """Masses of 0 and 1."""
        p = float(torch.sigmoid(params.detach()[0]))
        return PixelSummary(True, np.array([0.0, 1.0]), np.array([1 - p, p]))
