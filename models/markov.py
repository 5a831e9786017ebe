"""Markov AR-k: each pixel depends only on the k pixels just before it.

p(x) = Π_i p(x_{o_i} | x_{o_{i−k}}, …, x_{o_{i−1}}) along an ordering o, with a
full table per pixel: a pixel of K levels at position i has K^min(i, k)
contexts (the levels of its window) and K − 1 free logits for each — the last
logit of level 0 is fixed at 0, so a table holds exactly the (K − 1)K^min(i, k)
numbers of the closed form (the Markov assumption of the course: AR-1 on binary
pixels needs 2n − 1 numbers). Binary pixels (``bernoulli``) have one logit per
context; K levels (``categorical``) give K logits per pixel, the first 0.

The table look-up is written as a piecewise multilinear interpolation in the
window pixels: a window pixel of value v lies between levels l and l + 1 of
t = v(K − 1), with weights 1 − (t − l) and t − l, and each context is weighted
by the product of its window pixels' weights. On images of K levels exactly one
context has weight 1, so the result is the table entry itself (for binary
pixels the weights are 1 − x_j and x_j: Σ_c θ_{i,c} Π_j x_j^{c_j}(1 − x_j)^{1 −
c_j}). It is differentiable in gray inputs, so the autograd check of the
dependency structure applies to this model like to every other one.

Two paths compute the same numbers. When every input pixel lies on a level and
no gradient with respect to the input is asked for (training, scoring, the
canvas's binary drawings), each pixel's context is a number in base K and its
row is one look-up: O(B·N) whatever k is. Otherwise the interpolation runs over
the 2^k corner contexts of each window, in chunks of images and pixels, so a
gray drawing on an AR-16 model takes bounded memory.

The maximum-likelihood table is closed form: per pixel and context, the share
of training images with each level there. :func:`models.fit.fit_by_counting`
computes it
with a Dirichlet (Laplace) smoothing α, in seconds on 50,000 images for k = 16.

Reference: the order-k Markov chain is the classical n-gram model; see Bishop,
*Pattern Recognition and Machine Learning* (2006), §13.1, and the course's own
parameter counting of tractable factorisations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig, SampleStep, _check_int, draw_pixel
from models.errors import ConfigError
from models.likelihoods.categorical import level_index
from models.text import QT_TRANSLATE_NOOP

__all__ = [
    "INTERPOLATION_CHUNK",
    "MAX_CONTEXTS",
    "MAX_ORDER",
    "Markov",
    "MarkovConfig",
]

#: Largest supported window.
MAX_ORDER = 16
#: The most contexts (K^k, configurations of a window) a pixel's table may have.
MAX_CONTEXTS = 2**MAX_ORDER
#: The most (image, pixel, corner context) triples one chunk of the
#: interpolation path holds: 2^22 of them take some 100 MB with their codes,
#: weights and looked-up rows.
INTERPOLATION_CHUNK = 2**22


@dataclass
class MarkovConfig(ModelConfig):
    """Markov AR-k settings.

    Attributes
    ----------
    order
        k, the number of preceding pixels (in the ordering) each pixel sees.
    """

    order: int = 1

    supported_likelihoods: ClassVar[tuple[str, ...]] = ("bernoulli", "categorical")

    def validate(self) -> None:
        """Check k, and that K^k contexts stay a table, as well as the rest."""
        super().validate()
        _check_int("order", self.order, 1, MAX_ORDER)
        reach = min(self.order, self.num_pixels - 1)
        contexts = self.levels**reach
        if contexts > MAX_CONTEXTS:
            raise ConfigError(
                f"Markov AR-{self.order} on {self.levels} levels has "
                f"{self.levels}^{reach} = {contexts:,} contexts per pixel; tables "
                f"are built for at most {MAX_CONTEXTS:,}: lower the order or the "
                "levels"
            )


class Markov(ARModel):
    """Tabular Markov chain of order k along any ordering, K levels per pixel."""

    kind = "markov"
    title = QT_TRANSLATE_NOOP("models", "Markov AR-k")
    config_class = MarkovConfig

    context_offset: Tensor
    context_count: Tensor

    def __init__(self, config: MarkovConfig) -> None:
        super().__init__(config)
        n, levels = config.num_pixels, self.likelihood.levels
        self.reach = min(config.order, n - 1)  # the window, within the image
        counts = [levels ** min(i, self.reach) for i in range(n)]  # contexts of i
        offsets = torch.tensor([0, *counts[:-1]]).cumsum(0)  # (N,) first row of i
        self.register_buffer("context_offset", offsets, persistent=False)
        self.register_buffer("context_count", torch.tensor(counts), persistent=False)
        self.contexts = sum(counts)  # R: the context rows of one class's table
        tables = max(1, config.num_classes)
        # (C, Σ_i K^min(i,k) · (K − 1)): rows of K − 1 free logits, context-major
        self.logits = nn.Parameter(torch.zeros(tables, sum(counts) * (levels - 1)))

    @property
    def order(self) -> int:
        """k, the pixels before it each pixel sees."""
        return int(self.config.order)  # type: ignore[attr-defined]

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """Σ_i (K − 1)K^min(i, k), times C when class-conditional."""
        assert isinstance(config, MarkovConfig)
        return counting.markov(
            config.num_pixels, config.order, config.levels, config.num_classes
        )

    def _table(self) -> Tensor:
        """Every class's table as rows of free logits, ``(C·R, K − 1)``.

        Row ``c·R + r`` is class c's context row r (R rows per class).
        """
        return self.logits.view(-1, self.likelihood.levels - 1)  # (C·R, K − 1)

    def _class_rows(self, y: Tensor | None, batch: int, device: torch.device) -> Tensor:
        """The first row of each image's class table, ``(B,)``."""
        if y is None:
            return torch.zeros(batch, dtype=torch.long, device=device)
        first: Tensor = y * self.contexts  # (B,)
        return first

    def _params(self, free: Tensor) -> Tensor:
        """A pixel's parameters from its free logits: level 0's logit is 0.

        Binary pixels keep their one logit (of p(x = 1)), ``(..., 1)``; K
        levels get the K logits ``(..., K)``.
        """
        return free if self.likelihood.name == "bernoulli" else F.pad(free, (1, 0))

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Teacher-forced parameters for every pixel, ``(B, C, H, W)``."""
        self.check_input(x, y)
        batch, levels = x.shape[0], self.likelihood.levels
        xo = x.flatten(1)[:, self.ordering]  # (B, N) in generation order
        t = xo * (levels - 1)  # (B, N) position on the level scale
        nearest = t.round()
        snap = (nearest - t).abs() < 1e-3  # on a level: exactly on it
        first = self._class_rows(y, batch, x.device)  # (B,)
        if not x.requires_grad and bool(snap.all()):
            free = self._looked_up(nearest.long(), first)  # (B, N, K − 1)
        else:
            t = t + torch.where(snap, nearest - t, 0.0).detach()  # (B, N)
            free = self._interpolated(t, first)  # (B, N, K − 1)
        params = self._params(free)[:, self.rank]  # (B, N, C) row-major
        return params.transpose(1, 2).reshape(batch, -1, *self.image_shape)

    def context_codes(self, levels: Tensor) -> Tensor:
        """Each pixel's context in base K, from level indices in generation order.

        Parameters
        ----------
        levels
            ``(B, N)`` integer levels, in the ordering's order.

        Returns
        -------
        Tensor
            ``(B, N)``: Σ_lag level(i − lag)·K^(lag − 1) over the window, the
            row of pixel i's context within its table.
        """
        n, base = self.num_pixels, self.likelihood.levels
        code = torch.zeros_like(levels)  # (B, N)
        for lag in range(1, self.reach + 1):  # level 0 before the first pixel
            code += F.pad(levels, (lag, 0))[:, :n] * base ** (lag - 1)
        return code

    def _looked_up(self, levels: Tensor, first: Tensor) -> Tensor:
        """The free logits of every pixel's exact context, ``(B, N, K − 1)``."""
        code = self.context_codes(levels)  # (B, N)
        rows = first.unsqueeze(1) + self.context_offset.unsqueeze(0) + code
        picked: Tensor = self._table()[rows]  # (B, N, K − 1)
        return picked

    def _interpolated(self, t: Tensor, first: Tensor) -> Tensor:
        """The multilinear blend of the window's corner contexts, ``(B, N, K − 1)``.

        ``t`` is ``(B, N)``, the pixels on the level scale. Chunked so no chunk
        holds more than :data:`INTERPOLATION_CHUNK` (image, pixel, corner)
        triples.
        """
        batch, n = t.shape
        levels = self.likelihood.levels
        lower = t.detach().floor().clamp(0, levels - 2)  # (B, N) level l below t
        above = t - lower  # (B, N) weight of level l + 1
        # the pixel lag steps back, level 0 with weight 1 before the first
        # pixel, so the contexts beyond a position's window get weight 0
        lows = [
            F.pad(lower, (lag, 0))[:, :n].long() for lag in range(1, 1 + self.reach)
        ]
        ups = [F.pad(above, (lag, 0))[:, :n] for lag in range(1, 1 + self.reach)]
        corners = 2**self.reach
        images = max(1, INTERPOLATION_CHUNK // (corners * n))
        pixels = n if images > 1 else max(1, INTERPOLATION_CHUNK // corners)
        parts = [
            torch.cat(
                [
                    self._blend(
                        lows, ups, first, slice(b, b + images), slice(p, p + pixels)
                    )
                    for p in range(0, n, pixels)
                ],
                dim=1,
            )
            for b in range(0, batch, images)
        ]
        return torch.cat(parts, dim=0)

    def _blend(
        self,
        lows: list[Tensor],
        ups: list[Tensor],
        first: Tensor,
        images: slice,
        pixels: slice,
    ) -> Tensor:
        """One chunk of :meth:`_interpolated`, ``(b, p, K − 1)``.

        ``lows[lag − 1]`` and ``ups[lag − 1]`` are the level below and the
        weight above of the pixel lag steps back, ``(B, N)`` each.
        """
        levels = self.likelihood.levels
        size = first[images].shape + self.context_count[pixels].shape
        code = torch.zeros(*size, 1, dtype=torch.long, device=first.device)
        weights = self.logits.new_ones(*size, 1)  # (b, p, 1)
        for lag in range(1, self.reach + 1):
            low = lows[lag - 1][images, pixels].unsqueeze(2)  # (b, p, 1)
            up = ups[lag - 1][images, pixels].unsqueeze(2)  # (b, p, 1)
            place = levels ** (lag - 1)
            code = torch.cat([code + low * place, code + (low + 1) * place], dim=2)
            weights = torch.cat([weights * (1 - up), weights * up], dim=2)
        code = torch.where(code < self.context_count[pixels].view(1, -1, 1), code, 0)
        start = first[images].view(-1, 1, 1) + self.context_offset[pixels].view(
            1, -1, 1
        )
        picked = self._table()[start + code]  # (b, p, 2^k, K − 1)
        blend: Tensor = (weights.unsqueeze(2) @ picked).squeeze(2)  # (b, p, K − 1)
        return blend

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
        """Look the logits up in the table from the window's levels: O(1) a pixel."""
        batch, levels = x.shape[0], self.likelihood.levels
        flat = x.view(batch, -1)
        table = self._table()  # (C·R, K − 1)
        first = self._class_rows(y, batch, x.device)  # (B,)
        order = self.ordering.tolist()
        offsets = self.context_offset.tolist()
        for k, pixel in enumerate(order):
            code = torch.zeros_like(first)  # (B,) the window's context
            for lag in range(1, min(k, self.reach) + 1):
                level = level_index(flat[:, order[k - lag]], levels)  # (B,)
                code += level * levels ** (lag - 1)
            params = self._params(table[first + offsets[k] + code])  # (B, C)
            yield draw_pixel(
                self.likelihood, k, pixel, params, x, known, temperature, generator
            )
