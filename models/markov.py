"""Markov AR-k: each pixel depends only on the k pixels just before it.

p(x) = Π_i p(x_{o_i} | x_{o_{i−k}}, …, x_{o_{i−1}}) along an ordering o, with a
full table per pixel: pixel i has 2^min(i, k) logits, one per configuration of
its window (the Markov assumption of the course: AR-1 needs 2n − 1 numbers).

The table look-up is written as a multilinear polynomial in the window pixels —
Σ_c θ_{i,c} Π_j x_j^{c_j} (1 − x_j)^{1 − c_j} — which equals the table entry
exactly on binary images and is differentiable, so the autograd check of the
dependency structure applies to this model like to every other one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig, SampleStep, _check_int, draw_pixel

__all__ = ["Markov", "MarkovConfig"]

#: Largest supported window: 2^k table entries per pixel.
MAX_ORDER = 12


@dataclass
class MarkovConfig(ModelConfig):
    """Markov AR-k settings.

    Attributes
    ----------
    order
        k, the number of preceding pixels (in the ordering) each pixel sees.
    """

    order: int = 1

    def validate(self) -> None:
        """Check k as well as the shared settings."""
        super().validate()
        _check_int("order", self.order, 1, MAX_ORDER)


class Markov(ARModel):
    """Tabular Markov chain of order k along any ordering."""

    kind = "markov"
    title = "Markov AR-k"
    config_class = MarkovConfig

    table_index: Tensor

    def __init__(self, config: MarkovConfig) -> None:
        super().__init__(config)
        n, k = config.num_pixels, config.order
        widths = [2 ** min(i, k) for i in range(n)]  # table size of position i
        offsets = torch.tensor([0, *widths[:-1]]).cumsum(0)
        # (N, 2^k): flat parameter index of each (position, window code); codes a
        # position cannot reach (bits beyond its window) point at its first entry
        # and always get weight zero.
        codes = torch.arange(2**k)
        index = offsets.unsqueeze(1) + torch.where(
            codes.unsqueeze(0) < torch.tensor(widths).unsqueeze(1), codes, 0
        )
        self.register_buffer("table_index", index, persistent=False)
        tables = max(1, config.num_classes)
        self.logits = nn.Parameter(
            torch.zeros(tables, sum(widths))
        )  # (C, Σ 2^min(i,k))

    @property
    def order(self) -> int:
        """K."""
        return int(self.config.order)  # type: ignore[attr-defined]

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """Σ_i 2^min(i, k), times C when class-conditional."""
        assert isinstance(config, MarkovConfig)
        return counting.markov(config.num_pixels, config.order, 2, config.num_classes)

    def _tables(self, y: Tensor | None, batch: int) -> Tensor:
        """Per-image tables in position order, ``(B, N, 2^k)``."""
        flat = self.logits[0].expand(batch, -1) if y is None else self.logits[y]
        return flat[:, self.table_index]

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Teacher-forced logits for every pixel."""
        self.check_input(x, y)
        batch = x.shape[0]
        xo = x.flatten(1)[:, self.ordering]  # (B, N) in generation order
        weights = xo.new_ones(batch, self.num_pixels, 1)  # (B, N, 1)
        for lag in range(1, self.order + 1):
            # previous-lag pixel of each position; zero before the first pixel,
            # so codes with that bit set get weight exactly 0
            prev = torch.nn.functional.pad(xo, (lag, 0))[:, : self.num_pixels]
            prev = prev.unsqueeze(2)  # (B, N, 1)
            weights = torch.cat([weights * (1 - prev), weights * prev], dim=2)
        logits_o = (weights * self._tables(y, batch)).sum(dim=2)  # (B, N)
        return logits_o[:, self.rank].reshape(x.shape)

    def dependency_mask(self) -> Tensor:
        """Output i depends on the k pixels before it in the ordering."""
        gap = self.rank.unsqueeze(1) - self.rank.unsqueeze(0)
        return (gap >= 1) & (gap <= self.order)

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """Look the logit up in the table from the window's code: O(1) per pixel."""
        batch = x.shape[0]
        flat = x.view(batch, -1)
        tables = self._tables(y, batch)  # (B, N, 2^k)
        order = self.ordering.tolist()
        rows = torch.arange(batch, device=x.device)
        for k, pixel in enumerate(order):
            code = torch.zeros(batch, dtype=torch.long, device=x.device)
            for lag in range(1, min(k, self.order) + 1):
                code += flat[:, order[k - lag]].long() << (lag - 1)
            logits = tables[rows, k, code]
            yield draw_pixel(
                self.likelihood, k, pixel, logits, x, known, temperature, generator
            )
