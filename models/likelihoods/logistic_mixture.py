"""K gray levels from a discretized mixture of logistics (PixelCNN++).

Salimans, Karpathy, Chen & Kingma (2017), "PixelCNN++". A pixel's value is
mapped to [−1, 1]; level k owns the interval of width 2 / (K − 1) around it,
the two end levels everything beyond. Per pixel the model outputs M mixture
logits, M means and M log scales: 3M parameters, however many levels.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

from models.likelihoods.base import PixelLikelihood, PixelSummary
from models.likelihoods.categorical import level_index

__all__ = ["LogisticMixture"]

_MIN_LOG_SCALE = -7.0


def _log_sigmoid_difference(upper: Tensor, lower: Tensor) -> Tensor:
    """log(σ(upper) − σ(lower)) for upper ≥ lower, accurate in both tails."""
    # in the upper tail use σ(−lower) − σ(−upper), which does not cancel
    flip = (upper + lower) > 0
    a = torch.where(flip, -lower, upper)
    b = torch.where(flip, -upper, lower)
    log_a, log_b = F.logsigmoid(a), F.logsigmoid(b)
    gap = (log_b - log_a).clamp(max=-1e-12)
    return log_a + torch.log(-torch.expm1(gap))


class LogisticMixture(PixelLikelihood):
    """A discretized mixture of M logistics over K levels."""

    name = "logistic_mixture"
    discrete = True

    @property
    def channels(self) -> int:
        """M weights, M means, M log scales."""
        return 3 * self.components

    def _split(self, params: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        weights, means, log_scales = params.chunk(3, dim=-1)
        return weights, means, log_scales.clamp(min=_MIN_LOG_SCALE)

    def _level_log_probs(self, params: Tensor, k: Tensor) -> Tensor:
        """Log P(level k | component m), ``(..., M)`` for levels ``(...)``."""
        _, means, log_scales = self._split(params)
        half = 1.0 / (self.levels - 1)
        centre = (2 * k.to(params.dtype) * half - 1).unsqueeze(-1)  # in [−1, 1]
        inv = torch.exp(-log_scales)
        upper = inv * (centre + half - means)
        lower = inv * (centre - half - means)
        first = (k == 0).unsqueeze(-1)
        last = (k == self.levels - 1).unsqueeze(-1)
        middle = _log_sigmoid_difference(upper, lower)
        return torch.where(
            first,
            F.logsigmoid(upper),  # P(x ≤ upper edge)
            torch.where(last, F.logsigmoid(-lower), middle),  # P(x > lower edge)
        )

    def log_prob(self, params: Tensor, x: Tensor) -> Tensor:
        """Log Σ_m π_m P(level of x | m)."""
        weights = torch.log_softmax(self._split(params)[0], dim=-1)
        k = level_index(x, self.levels)
        return torch.logsumexp(weights + self._level_log_probs(params, k), dim=-1)

    def sample(
        self, params: Tensor, temperature: float, generator: torch.Generator
    ) -> Tensor:
        """A component (weights softmax(π / T)), then a logistic (scale × T).

        Rounding a draw of the component's continuous logistic to the
        nearest level, the end levels taking the tails, draws exactly from
        the discretized distribution. Two uniforms per pixel.
        """
        weights, means, log_scales = self._split(params)
        p = torch.softmax(weights / temperature, dim=-1)
        u = self._uniform((*p.shape[:-1], 2), generator, p)
        m = (p.cumsum(-1) < u[..., :1]).sum(-1, keepdim=True)
        m = m.clamp(max=self.components - 1)
        mean = means.gather(-1, m).squeeze(-1)
        scale = log_scales.gather(-1, m).squeeze(-1).exp() * temperature
        v = u[..., 1]
        value = mean + scale * (torch.log(v) - torch.log1p(-v))  # in ℝ, ~[−1, 1]
        k = torch.round((value + 1) / 2 * (self.levels - 1))
        return k.clamp(0, self.levels - 1).to(params.dtype) / (self.levels - 1)

    def mean(self, params: Tensor) -> Tensor:
        """Σ_k P(level k) · k / (K − 1), over every level."""
        k = torch.arange(self.levels, device=params.device)
        log_p = self.log_prob(
            params.unsqueeze(-2).expand(*params.shape[:-1], self.levels, -1),
            k.to(params.dtype) / (self.levels - 1),
        )  # (..., K)
        return log_p.exp() @ (k.to(params.dtype) / (self.levels - 1))

    def summary(self, params: Tensor) -> PixelSummary:
        """The K masses, and each weighted component's."""
        params = params.detach().double().cpu()
        k = torch.arange(self.levels)
        per = self._level_log_probs(params.expand(self.levels, -1), k)  # (K, M)
        weights = torch.softmax(self._split(params)[0], dim=-1)  # (M,)
        parts = (weights * per.exp()).t()  # (M, K)
        return PixelSummary(
            True,
            np.linspace(0, 1, self.levels),
            parts.sum(0).numpy(),
            parts.numpy(),
            weights.numpy(),
        )

    def to_dict(self) -> dict[str, object]:
        """Name, levels and the number of components."""
        return {**super().to_dict(), "components": self.components}
