"""Continuous pixels: a mixture of Gaussians, truncated to [0, 1] (RNADE).

Uria, Murray & Larochelle (2013), "RNADE: the real-valued neural
autoregressive density-estimator", model each conditional with a mixture of
Gaussians. Here each component is truncated to [0, 1], so the density is with
respect to [0, 1]ⁿ and integrates to 1 there. Per pixel the model outputs M
mixture logits, M means (through a sigmoid, inside (0, 1)) and M scales
(softplus, at least 10⁻³): 3M parameters.

K-level data are dequantized: a pixel of level k becomes (k + u) / K with u
uniform in [0, 1), and the bits/dim reported add log₂ K, which bounds the
bits/dim of the discrete data (Theis, van den Oord & Bethge 2016).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

from models.likelihoods.base import PixelLikelihood, PixelSummary
from models.likelihoods.categorical import level_index

__all__ = ["GaussianMixture"]

_MIN_SCALE = 1e-3
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
_GRID = 401  # points of the density curve the GUI draws


class GaussianMixture(PixelLikelihood):
    """A mixture of M Gaussians truncated to [0, 1]."""

    name = "gaussian_mixture"
    discrete = False

    @property
    def channels(self) -> int:
        """M weights, M means, M scales."""
        return 3 * self.components

    def _split(self, params: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        weights, means, scales = params.chunk(3, dim=-1)
        return weights, torch.sigmoid(means), F.softplus(scales) + _MIN_SCALE

    @staticmethod
    def _log_mass(mean: Tensor, scale: Tensor) -> Tensor:
        """Log of the mass an untruncated component puts on [0, 1].

        With the mean inside (0, 1) the two ends lie on either side of it, so
        Φ(b) − Φ(a) = (erf(b/√2) + erf(−a/√2)) / 2 has no cancellation.
        """
        root2 = math.sqrt(2.0)
        upper = torch.erf((1 - mean) / (scale * root2))
        lower = torch.erf(mean / (scale * root2))
        return torch.log((upper + lower) / 2)

    def _component_log_density(self, params: Tensor, x: Tensor) -> Tensor:
        """Log of each truncated component's density at ``x``, ``(..., M)``."""
        _, mean, scale = self._split(params)
        z = (x.unsqueeze(-1) - mean) / scale
        return (
            -0.5 * z.square()
            - torch.log(scale)
            - _LOG_SQRT_2PI
            - self._log_mass(mean, scale)
        )

    def log_prob(self, params: Tensor, x: Tensor) -> Tensor:
        """Log Σ_m π_m N_[0,1](x; μ_m, σ_m), a log-density on [0, 1]."""
        weights = torch.log_softmax(self._split(params)[0], dim=-1)
        return torch.logsumexp(weights + self._component_log_density(params, x), -1)

    def sample(
        self, params: Tensor, temperature: float, generator: torch.Generator
    ) -> Tensor:
        """A component (softmax(π / T)), then its truncated Gaussian (σ × T).

        By inverse CDF: two uniforms per pixel.
        """
        weights, means, scales = self._split(params)
        p = torch.softmax(weights / temperature, dim=-1)
        u = self._uniform((*p.shape[:-1], 2), generator, p)
        m = (p.cumsum(-1) < u[..., :1]).sum(-1, keepdim=True)
        m = m.clamp(max=self.components - 1)
        mean = means.gather(-1, m).squeeze(-1).double()
        scale = scales.gather(-1, m).squeeze(-1).double() * temperature
        low = torch.special.ndtr(-mean / scale)
        high = torch.special.ndtr((1 - mean) / scale)
        level = low + u[..., 1].double() * (high - low)
        value = mean + scale * torch.special.ndtri(level.clamp(1e-300, 1 - 1e-16))
        clamped: Tensor = value.clamp(0, 1).to(params.dtype)
        return clamped

    def mean(self, params: Tensor) -> Tensor:
        """Σ_m π_m (μ_m + σ_m (φ(α_m) − φ(β_m)) / Z_m), truncated means."""
        weights, mean, scale = self._split(params)
        alpha, beta = -mean / scale, (1 - mean) / scale
        gap = torch.exp(-0.5 * alpha.square()) - torch.exp(-0.5 * beta.square())
        means = mean + scale * gap / (
            math.sqrt(2 * math.pi) * self._log_mass(mean, scale).exp()
        )
        expected: Tensor = (torch.softmax(weights, dim=-1) * means).sum(-1)
        return expected

    def prepare(self, images: Tensor, generator: torch.Generator | None) -> Tensor:
        """Dequantize: level k becomes (k + u) / K, u uniform in [0, 1)."""
        k = level_index(images, self.levels).to(images.dtype)
        if generator is None:
            noise = torch.rand(images.shape, dtype=images.dtype)
        else:
            noise = torch.rand(images.shape, generator=generator, dtype=images.dtype)
        return (k + noise.to(images.device)) / self.levels

    def summary(self, params: Tensor) -> PixelSummary:
        """The density on a grid over [0, 1], and each weighted component's."""
        params = params.detach().double().cpu()
        grid = torch.linspace(0, 1, _GRID, dtype=torch.float64)
        per = self._component_log_density(params.expand(_GRID, -1), grid)  # (G, M)
        weights = torch.softmax(self._split(params)[0], dim=-1)
        parts = (weights * per.exp()).t()  # (M, G)
        return PixelSummary(
            False, grid.numpy(), parts.sum(0).numpy(), parts.numpy(), weights.numpy()
        )

    def to_dict(self) -> dict[str, object]:
        """Name, the data's levels and the number of components."""
        return {**super().to_dict(), "components": self.components}
