"""FVSBN: the fully visible sigmoid belief network.

Each conditional is a logistic regression on all earlier pixels of the ordering
(Neal 1992; Frey et al. 1996): p(x_{o_i} = 1 | x_{o_<i}) = σ(b_i + Σ_{j<i} W_ij
x_{o_j}). It has n + n(n − 1)/2 parameters: the strictly lower-triangular W is
stored packed, so ``numel`` equals the closed form.

FVSBN is a model of binary pixels: each conditional is one logistic
regression, so it supports the ``bernoulli`` likelihood only (K levels would
make it a multinomial logistic regression per pixel, a different model). It
reads the earlier pixels linearly, so gray inputs need nothing special.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import torch
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig, SampleStep, draw_pixel

__all__ = ["FVSBN", "FVSBNConfig"]


@dataclass
class FVSBNConfig(ModelConfig):
    """FVSBN: no settings beyond the shared ones; binary pixels only."""

    supported_likelihoods: ClassVar[tuple[str, ...]] = ("bernoulli",)


class FVSBN(ARModel):
    """Logistic autoregression over any ordering."""

    kind = "fvsbn"
    title = "FVSBN"
    config_class = FVSBNConfig

    tril_rows: Tensor
    tril_cols: Tensor

    def __init__(self, config: FVSBNConfig) -> None:
        super().__init__(config)
        n = config.num_pixels
        rows, cols = torch.tril_indices(n, n, offset=-1)
        self.register_buffer("tril_rows", rows, persistent=False)
        self.register_buffer("tril_cols", cols, persistent=False)
        self.weight = nn.Parameter(torch.zeros(n * (n - 1) // 2))  # packed W, j < i
        self.bias = nn.Parameter(torch.zeros(n))  # (N,) in generation order
        if config.num_classes:
            self.class_bias = nn.Parameter(torch.zeros(config.num_classes, n))  # (C, N)

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """N + n(n − 1)/2 (+ C·n)."""
        return counting.fvsbn(config.num_pixels, config.num_classes)

    def weight_matrix(self) -> Tensor:
        """W as a dense strictly lower-triangular ``(N, N)`` matrix (positions)."""
        n = self.num_pixels
        dense = self.weight.new_zeros(n, n)
        return dense.index_put((self.tril_rows, self.tril_cols), self.weight)

    def _bias(self, y: Tensor | None) -> Tensor:
        """Bias in generation order, ``(N,)`` or ``(B, N)``."""
        return self.bias if y is None else self.bias + self.class_bias[y]

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Teacher-forced logits for every pixel."""
        self.check_input(x, y)
        xo = x.flatten(1)[:, self.ordering]  # (B, N)
        logits_o = xo @ self.weight_matrix().t() + self._bias(y)  # (B, N)
        return logits_o[:, self.rank].reshape(x.shape)

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """Keep the running logits and add one column of W per pixel: O(n) each."""
        batch = x.shape[0]
        flat = x.view(batch, -1)
        weight = self.weight_matrix()  # (N, N)
        running = self._bias(y).expand(batch, -1).clone()  # (B, N) logits so far
        for k, pixel in enumerate(self.ordering.tolist()):
            logits = running[:, k].clone()
            step = draw_pixel(
                self.likelihood, k, pixel, logits, x, known, temperature, generator
            )
            running += flat[:, pixel : pixel + 1] * weight[:, k]
            yield step
