"""Independent pixels: the baseline with no dependencies at all.

p(x) = Π_i p(x_i): each pixel its own distribution over K levels, n(K − 1)
numbers (a table per class when class-conditional). Binary pixels
(``bernoulli``, the model's original form) have one logit θ_i each,
p(x_i) = σ(θ_i)^{x_i} (1 − σ(θ_i))^{1 − x_i}; K levels (``categorical``) have
K − 1 free logits each, level 0's logit fixed at 0. Every ordering gives the
same model; the ordering only sets the order in which pixels are drawn.

The product of marginals is the first structure of the course's parameter
counting, and the factorised baseline of Frey (1998), *Graphical Models for
Machine Learning and Digital Communication*.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig
from models.text import QT_TRANSLATE_NOOP

__all__ = ["Bernoulli", "BernoulliConfig"]


@dataclass
class BernoulliConfig(ModelConfig):
    """Independent pixels: no settings beyond the shared ones."""

    supported_likelihoods: ClassVar[tuple[str, ...]] = ("bernoulli", "categorical")


class Bernoulli(ARModel):
    """K − 1 logits per pixel (and per class when conditional)."""

    kind = "bernoulli"
    title = QT_TRANSLATE_NOOP("models", "Independent pixels")
    config_class = BernoulliConfig

    def __init__(self, config: BernoulliConfig) -> None:
        super().__init__(config)
        tables = max(1, config.num_classes)
        free = config.num_pixels * (self.likelihood.levels - 1)
        self.logits = nn.Parameter(torch.zeros(tables, free))  # (C, N(K − 1))

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """n(K − 1), or C·n(K − 1) with one table per class."""
        return counting.independent(
            config.num_pixels, config.levels, config.num_classes
        )

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Parameters that ignore x, ``(B, C, H, W)``: the pixels are independent."""
        self.check_input(x, y)
        batch = x.shape[0]
        table = self.logits[0].expand(batch, -1) if y is None else self.logits[y]
        if self.likelihood.name == "bernoulli":
            return table.reshape(x.shape)  # (B, 1, H, W)
        free = table.view(batch, self.num_pixels, -1)  # (B, N, K − 1)
        params = F.pad(free, (1, 0))  # (B, N, K): level 0's logit is 0
        return params.transpose(1, 2).reshape(batch, -1, *self.image_shape)

    def dependency_mask(self) -> Tensor:
        """No output depends on any input."""
        n = self.num_pixels
        return torch.zeros(n, n, dtype=torch.bool, device=self.logits.device)
