"""Independent Bernoulli pixels: the baseline with no dependencies at all.

p(x) = Π_i σ(θ_i)^{x_i} (1 − σ(θ_i))^{1 − x_i}: one logit per pixel (per class
when class-conditional), n(K − 1) = n parameters. Every ordering gives the same
model; the ordering only sets the order in which pixels are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig

__all__ = ["Bernoulli", "BernoulliConfig"]


@dataclass
class BernoulliConfig(ModelConfig):
    """Independent Bernoulli: no settings beyond the shared ones."""


class Bernoulli(ARModel):
    """One logit per pixel (and per class when conditional)."""

    kind = "bernoulli"
    title = "Independent Bernoulli"
    config_class = BernoulliConfig

    def __init__(self, config: BernoulliConfig) -> None:
        super().__init__(config)
        tables = max(1, config.num_classes)
        self.logits = nn.Parameter(torch.zeros(tables, config.num_pixels))  # (C, N)

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """n, or C·n with one table per class."""
        return counting.independent(config.num_pixels, 2, config.num_classes)

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Logits that ignore x: the pixels are independent."""
        self.check_input(x, y)
        table = self.logits[0].expand(x.shape[0], -1) if y is None else self.logits[y]
        return table.reshape(x.shape)  # (B, 1, H, W)

    def dependency_mask(self) -> Tensor:
        """No output depends on any input."""
        n = self.num_pixels
        return torch.zeros(n, n, dtype=torch.bool, device=self.logits.device)
