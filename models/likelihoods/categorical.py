"""K gray levels, each pixel a K-way softmax (PixelRNN's 256-way softmax).

A pixel of value k / (K − 1) is level k; the model outputs K logits per pixel.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from models.likelihoods.base import PixelLikelihood, PixelSummary

__all__ = ["Categorical", "level_index"]


def level_index(x: Tensor, levels: int) -> Tensor:
    """The level k of values k / (K − 1), as a long tensor."""
    return torch.round(x * (levels - 1)).clamp(0, levels - 1).long()


class Categorical(PixelLikelihood):
    """A K-way categorical pixel; its parameters are K logits."""

    name = "categorical"
    discrete = True

    @property
    def channels(self) -> int:
        """K logits per pixel."""
        return self.levels

    def log_prob(self, params: Tensor, x: Tensor) -> Tensor:
        """Log softmax(logits)[k] for the pixel's level k."""
        log_p = torch.log_softmax(params, dim=-1)
        index = level_index(x, self.levels).unsqueeze(-1)
        return log_p.gather(-1, index).squeeze(-1)

    def sample(
        self, params: Tensor, temperature: float, generator: torch.Generator
    ) -> Tensor:
        """A level by inverse CDF, one uniform per pixel, softmax(logits / T)."""
        p = torch.softmax(params / temperature, dim=-1)
        u = self._uniform(p.shape[:-1], generator, p).unsqueeze(-1)
        k = (p.cumsum(-1) < u).sum(-1).clamp(max=self.levels - 1)
        return k.to(params.dtype) / (self.levels - 1)

    def mean(self, params: Tensor) -> Tensor:
        """Σ_k p_k · k / (K − 1)."""
        values = torch.linspace(0, 1, self.levels, dtype=params.dtype)
        return torch.softmax(params, dim=-1) @ values.to(params.device)

    def summary(self, params: Tensor) -> PixelSummary:
        """The K masses."""
        p = torch.softmax(params.detach().double(), dim=-1).cpu().numpy()
        return PixelSummary(True, np.linspace(0, 1, self.levels), p)
