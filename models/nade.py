"""NADE: the neural autoregressive distribution estimator.

Larochelle & Murray, "The Neural Autoregressive Distribution Estimator",
AISTATS 2011. Every conditional is a one-hidden-layer network whose weights are
shared across pixels:

    a_i = c + Σ_{j<i} W[:, o_j] x_{o_j},   h_i = σ(a_i),
    p(x_{o_i} = 1 | x_{o_<i}) = σ(b_{o_i} + V[o_i] · h_i).

Because a_{i+1} = a_i + W[:, o_i] x_{o_i}, all n conditionals cost O(nH) — one
pass (a cumulative sum) in training, an O(H) update per pixel when sampling.
Parameters: W (H×n), V (n×H), b (n), c (H): 2nH + n + H, with the paper's
sigmoid hidden units and H = 500 by default.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig, SampleStep, _check_int, draw_pixel

__all__ = ["NADE", "NADEConfig"]


@dataclass
class NADEConfig(ModelConfig):
    """NADE settings.

    Attributes
    ----------
    hidden
        H, the number of sigmoid hidden units shared by all conditionals.
    """

    hidden: int = 500

    def validate(self) -> None:
        """Check H as well as the shared settings."""
        super().validate()
        _check_int("hidden", self.hidden, 1)


class NADE(ARModel):
    """NADE with sigmoid hidden units over any ordering."""

    kind = "nade"
    title = "NADE"
    config_class = NADEConfig

    def __init__(self, config: NADEConfig) -> None:
        super().__init__(config)
        n, hidden = config.num_pixels, config.hidden
        # Indexed by row-major pixel: W[:, p] is pixel p's input column,
        # V[p] and b[p] its output weights and bias.
        self.weight_in = nn.Parameter(torch.empty(hidden, n))  # W (H, N)
        self.bias_hidden = nn.Parameter(torch.zeros(hidden))  # c (H,)
        self.weight_out = nn.Parameter(torch.empty(n, hidden))  # V (N, H)
        self.bias_out = nn.Parameter(torch.zeros(n))  # b (N,)
        if config.num_classes:
            classes = config.num_classes
            self.class_hidden = nn.Parameter(torch.zeros(classes, hidden))  # (C, H)
            self.class_out = nn.Parameter(torch.zeros(classes, n))  # (C, N)
        nn.init.uniform_(self.weight_in, -1 / math.sqrt(n), 1 / math.sqrt(n))
        nn.init.uniform_(self.weight_out, -1 / math.sqrt(hidden), 1 / math.sqrt(hidden))

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """2nH + n + H (+ C(H + n))."""
        assert isinstance(config, NADEConfig)
        return counting.nade(config.num_pixels, config.hidden, config.num_classes)

    def _biases(self, y: Tensor | None, batch: int) -> tuple[Tensor, Tensor]:
        """Hidden ``(B, H)`` and output ``(B, N)`` biases, class terms included."""
        hidden = self.bias_hidden.expand(batch, -1)
        out = self.bias_out.expand(batch, -1)
        if y is not None:
            hidden = hidden + self.class_hidden[y]
            out = out + self.class_out[y]
        return hidden, out

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """All n conditionals in one pass, without a loop over pixels."""
        self.check_input(x, y)
        batch = x.shape[0]
        order = self.ordering
        bias_hidden, bias_out = self._biases(y, batch)
        xo = x.reshape(batch, -1)[:, order]  # (B, N) in generation order
        contrib = xo.unsqueeze(2) * self.weight_in.t()[order]  # (B, N, H)
        # a_i = c + Σ_{j<i} W[:, o_j] x_{o_j}: an exclusive cumulative sum
        pre = F.pad(contrib[:, :-1].cumsum(dim=1), (0, 0, 1, 0))  # (B, N, H)
        hidden = torch.sigmoid(pre + bias_hidden.unsqueeze(1))  # (B, N, H)
        logits_o = (hidden * self.weight_out[order]).sum(dim=2)  # (B, N)
        logits = logits_o[:, self.rank] + bias_out  # (B, N) row-major
        return logits.reshape(x.shape)

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """Sample with the O(H) incremental update a_{i+1} = a_i + W[:, o_i] x_{o_i}."""
        batch = x.shape[0]
        flat = x.view(batch, -1)
        pre, bias_out = self._biases(y, batch)
        pre = pre.clone()  # (B, H)
        weight_in_t = self.weight_in.t()  # (N, H): row p is pixel p's column
        for k, pixel in enumerate(self.ordering.tolist()):
            hidden = torch.sigmoid(pre)  # (B, H)
            logits = hidden @ self.weight_out[pixel] + bias_out[:, pixel]  # (B,)
            step = draw_pixel(k, pixel, logits, x, known, temperature, generator)
            pre += flat[:, pixel : pixel + 1] * weight_in_t[pixel]
            yield step
