"""Masked layers shared by the autoregressive networks.

A mask is a registered buffer multiplied into the weight at every call,
``F.linear(x, mask * weight, bias)``, so the weight itself is never edited and a
masked-out entry gets exactly zero gradient.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["MaskedLinear"]


class MaskedLinear(nn.Linear):
    """A linear layer whose connectivity is restricted by a 0/1 mask."""

    mask: Tensor

    def __init__(self, in_features: int, out_features: int, bias: bool = True) -> None:
        super().__init__(in_features, out_features, bias)
        self.register_buffer(
            "mask", torch.ones(out_features, in_features), persistent=False
        )

    def set_mask(self, mask: Tensor) -> None:
        """Replace the mask, ``(out_features, in_features)``, 0/1 or bool."""
        self.mask.copy_(mask)

    def forward(self, x: Tensor) -> Tensor:
        """Y = x (mask ⊙ W)ᵀ + b."""
        return F.linear(x, self.mask * self.weight, self.bias)
