"""MADE: masked autoencoder for distribution estimation.

Germain, Gregor, Murray & Larochelle, "MADE: Masked Autoencoder for Distribution
Estimation", ICML 2015. An autoencoder whose weight matrices are masked so that
output d only sees inputs earlier than d in the ordering: every conditional in
one forward pass. Each unit gets a degree m; input pixel p has degree rank(p) + 1,
hidden degrees are drawn in [min of the layer below, n − 1], a hidden unit
receives from units of degree ≤ its own, and output p from hidden units of degree
< rank(p) + 1.

With ``direct`` the output layer also reads the input through a masked n × n
weight (output p sees input q iff q comes before p), as in the authors' code
(``direct_input_connect=Output``): an FVSBN added to the autoencoder.

Any pixel likelihood whose parameters are C numbers per pixel: the output layer
has C·n units, channel-major (unit c·n + p is channel c of pixel p), each
masked as its pixel is (degree rank(p) + 1). With a mixture of Gaussians this is
the MADE MoG of Papamakarios, Pavlakou & Murray, "Masked Autoregressive Flow for
Density Estimation", NeurIPS 2017; with a K-way softmax, a MADE over K gray
levels. The network is linear in its input, so it reads gray values as they are;
for Bernoulli pixels (C = 1) the layers are exactly the binary MADE's.

Several masks (connectivity-agnostic, and with ``order_agnostic`` also a new
ordering per mask) are cycled during training. With ``ensemble`` the density is
the mixture p(x) = (1/M) Σ_m p_m(x) — a logsumexp of the per-mask
log-likelihoods, which is a proper distribution, unlike averaged logits.

The model's ``ordering`` is always the one its config describes, which is mask
0's. The active mask's ordering is ``mask_ordering``: it differs only while
another mask of an order-agnostic MADE is selected, during training or when
one is picked with :meth:`MADE.set_mask` to look at it. Leaving training mode
(``model.eval()``) returns to mask 0, so an evaluated, saved or loaded MADE is
the model its config describes; which mask was last active is not saved.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from models import counting
from models.base import (
    ARModel,
    ModelConfig,
    SampleStep,
    _check_int,
    draw_pixel,
    log_prob_from_params,
)
from models.errors import ConfigError
from models.masked import MaskedLinear
from models.orderings import ranks

__all__ = ["MADE", "MADEConfig"]

_M = TypeVar("_M", bound="MADE")


@dataclass
class MADEConfig(ModelConfig):
    """MADE settings.

    Attributes
    ----------
    hidden_sizes
        Widths of the hidden layers (ReLU), e.g. ``(500,)``.
    num_masks
        How many masks are cycled during training (1 = a fixed mask).
    order_agnostic
        Give every mask after the first its own random ordering.
    ensemble
        Evaluate log p(x) as the mixture over all masks.
    mask_seed
        Seed of the hidden degrees (and of the extra orderings).
    direct
        Add a masked input → output connection (an FVSBN term).
    """

    hidden_sizes: tuple[int, ...] = (500,)
    num_masks: int = 1
    order_agnostic: bool = False
    ensemble: bool = False
    mask_seed: int = 0
    direct: bool = False

    supported_likelihoods: ClassVar[tuple[str, ...]] = (
        "bernoulli",
        "categorical",
        "gaussian_mixture",
    )
    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "small": {"hidden_sizes": (100,)},
        "paper": {"hidden_sizes": (500,)},  # Germain et al. 2015, one mask
        "deep": {"hidden_sizes": (500, 500), "num_masks": 8, "ensemble": True},
    }

    def validate(self) -> None:
        """Check the MADE settings as well as the shared ones."""
        super().validate()
        self.hidden_sizes = tuple(self.hidden_sizes)
        if not self.hidden_sizes:
            raise ConfigError("hidden_sizes needs at least one layer")
        for size in self.hidden_sizes:
            _check_int("hidden size", size, 1)
        _check_int("num_masks", self.num_masks, 1)
        _check_int("mask_seed", self.mask_seed, 0)
        for name in ("order_agnostic", "ensemble", "direct"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (hidden sizes as a list)."""
        out = super().to_dict()
        out["hidden_sizes"] = list(self.hidden_sizes)
        return out


class MADE(ARModel):
    """MADE over any ordering, with optional mask cycling and ensembling."""

    kind = "made"
    title = "MADE"
    config_class = MADEConfig

    orderings: Tensor
    mask_ordering: Tensor
    mask_rank: Tensor
    direct_layer: MaskedLinear | None

    def __init__(self, config: MADEConfig) -> None:
        super().__init__(config)
        n = config.num_pixels
        outputs = self.output_channels * n  # C·N, channel-major
        widths = [n, *config.hidden_sizes]
        self.hidden_layers = nn.ModuleList(
            MaskedLinear(a, b) for a, b in itertools.pairwise(widths)
        )
        self.output_layer = MaskedLinear(widths[-1], outputs)
        self.direct_layer = None
        if config.direct:
            self.direct_layer = MaskedLinear(n, outputs, bias=False)
            nn.init.zeros_(self.direct_layer.weight)
        if config.num_classes:
            self.class_hidden = nn.Parameter(
                torch.zeros(config.num_classes, widths[1])
            )  # (classes, H1)
            self.class_out = nn.Parameter(
                torch.zeros(config.num_classes, outputs)
            )  # (classes, C·N)
        orderings, degrees = self._draw_masks(config)
        # stored with the weights (as every MADE checkpoint holds them), though
        # they follow from the config: a load checks that they still do
        self.register_buffer("orderings", orderings)  # (M, N)
        for layer, layer_degrees in enumerate(degrees):
            self.register_buffer(f"degrees_{layer}", layer_degrees)  # (M, H_l)
        # the active mask's ordering; ``ordering`` and ``rank`` stay the config's
        self.register_buffer("mask_ordering", orderings[0].clone(), persistent=False)
        self.register_buffer("mask_rank", self.rank.clone(), persistent=False)
        self.mask_index = 0
        self._use_mask(0)
        self.register_load_state_dict_post_hook(  # type: ignore[no-untyped-call]
            lambda module, _: module._after_load()
        )

    @property
    def num_masks(self) -> int:
        """M."""
        return int(self.orderings.shape[0])

    @staticmethod
    def _draw_masks(config: MADEConfig) -> tuple[Tensor, list[Tensor]]:
        """Orderings ``(M, N)`` and hidden degrees ``[(M, H_l)]`` for every mask."""
        n = config.num_pixels
        base = config.resolve_ordering()
        orderings: list[np.ndarray] = []
        degrees: list[list[np.ndarray]] = [[] for _ in config.hidden_sizes]
        for m in range(config.num_masks):
            rng = np.random.default_rng([config.mask_seed, m])
            order = base if m == 0 or not config.order_agnostic else rng.permutation(n)
            orderings.append(order)
            below = ranks(order) + 1  # input degrees 1..n
            for layer, size in enumerate(config.hidden_sizes):
                low = min(int(below.min()), n - 1)
                below = rng.integers(low, max(low, n - 1), size, endpoint=True)
                degrees[layer].append(below)
        return (
            torch.as_tensor(np.stack(orderings), dtype=torch.long),
            [torch.as_tensor(np.stack(d), dtype=torch.long) for d in degrees],
        )

    def set_mask(self, index: int) -> None:
        """Use mask ``index``: its ordering (``mask_ordering``) and connectivity.

        The model's ``ordering`` stays the config's (mask 0's). Training cycles
        the masks; switching to evaluation mode returns to mask 0.
        """
        if not 0 <= index < self.num_masks:
            raise ConfigError(f"mask index must lie in 0..{self.num_masks - 1}")
        self._use_mask(index)

    def _use_mask(self, index: int) -> None:
        self.mask_index = index
        order = self.orderings[index]  # (N,)
        rank = torch.argsort(order)  # (N,)
        self.mask_ordering.copy_(order)
        self.mask_rank.copy_(rank)
        below = rank + 1  # (N,) input degrees
        for layer, module in enumerate(self._hidden()):
            degree = getattr(self, f"degrees_{layer}")[index]  # (H_l,)
            module.set_mask(degree.unsqueeze(1) >= below.unsqueeze(0))
            below = degree
        channels = self.output_channels  # every channel masked as its pixel
        out_mask = (rank + 1).unsqueeze(1) > below.unsqueeze(0)  # (N, H_L)
        self.output_layer.set_mask(out_mask.repeat(channels, 1))  # (C·N, H_L)
        if self.direct_layer is not None:
            direct_mask = rank.unsqueeze(1) > rank.unsqueeze(0)  # (N, N)
            self.direct_layer.set_mask(direct_mask.repeat(channels, 1))  # (C·N, N)

    def _after_load(self) -> None:
        """Refuse stored masks that are not the config's; re-apply the active one."""
        config = self.config
        assert isinstance(config, MADEConfig)
        orderings, degrees = self._draw_masks(config)
        drawn = {"orderings": orderings}
        drawn.update({f"degrees_{i}": d for i, d in enumerate(degrees)})
        differ = [
            name
            for name, tensor in drawn.items()
            if not torch.equal(getattr(self, name).cpu(), tensor)
        ]
        if differ:
            with torch.no_grad():  # leave the model as its config describes it
                for name, tensor in drawn.items():
                    getattr(self, name).copy_(tensor)
            self._use_mask(self.mask_index)
            raise ConfigError(
                f"stored MADE masks ({', '.join(differ)}) are not the ones its config "
                "describes (num_masks, order_agnostic, mask_seed, ordering)"
            )
        self._use_mask(self.mask_index)

    def train(self: _M, mode: bool = True) -> _M:
        """Set training mode; leaving it returns to mask 0 (the config's ordering).

        Masks cycle only while training, so a model evaluated, sampled, scored
        or saved after training is the one a load of its checkpoint gives.
        """
        leaving = self.training and not mode
        super().train(mode)
        if leaving and self.mask_index != 0:
            self._use_mask(0)
        return self

    def _hidden(self) -> list[MaskedLinear]:
        return [
            module for module in self.hidden_layers if isinstance(module, MaskedLinear)
        ]

    def before_train_step(self, step: int) -> None:
        """Cycle through the masks, one per training batch."""
        if self.num_masks > 1:
            self.set_mask(step % self.num_masks)

    def used_entries(self) -> dict[str, Tensor]:
        """Each masked weight's entries that any of the masks keeps."""
        current = self.mask_index
        layers = {
            f"{name}.weight": module
            for name, module in self.named_modules()
            if isinstance(module, MaskedLinear)
        }
        used = {
            name: torch.zeros_like(module.mask, dtype=torch.bool)
            for name, module in layers.items()
        }
        for index in range(self.num_masks):
            self.set_mask(index)
            for name, module in layers.items():
                used[name] |= module.mask.bool()
        self.set_mask(current)
        return used

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """Σ dense weights and biases, C·n outputs (+ C·n² direct, + classes)."""
        assert isinstance(config, MADEConfig)
        return counting.made(
            config.num_pixels,
            config.hidden_sizes,
            config.num_classes,
            config.direct,
            outputs=config.resolve_likelihood().channels,
        )

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """All conditionals of the current mask in one pass, ``(B, C, H, W)``."""
        self.check_input(x, y)
        h = x.flatten(1)  # (B, N)
        for layer, module in enumerate(self._hidden()):
            h = module(h)  # (B, H_l)
            if layer == 0 and y is not None:
                h = h + self.class_hidden[y]
            h = torch.relu(h)
        params: Tensor = self.output_layer(h)  # (B, C·N)
        if self.direct_layer is not None:
            params = params + self.direct_layer(x.flatten(1))
        if y is not None:
            params = params + self.class_out[y]
        return params.view(x.shape[0], self.output_channels, *self.image_shape)

    @property
    def is_mixture(self) -> bool:
        """A mixture over masks when ensembling several of them."""
        return self._ensembled()

    def _ensembled(self) -> bool:
        return bool(self.config.ensemble) and self.num_masks > 1  # type: ignore[attr-defined]

    def log_prob(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Log p(x): the current mask's, or the mixture over masks with ``ensemble``."""
        if not self._ensembled():
            return super().log_prob(x, y)
        current = self.mask_index
        per_mask = []
        try:
            for m in range(self.num_masks):
                self.set_mask(m)
                per_mask.append(log_prob_from_params(self.likelihood, self(x, y), x))
        finally:
            self.set_mask(current)
        stacked = torch.stack(per_mask, dim=1)  # (B, M)
        return torch.logsumexp(stacked, dim=1) - math.log(self.num_masks)

    def training_nll(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Training uses the current mask only (masks are cycled per batch)."""
        return -log_prob_from_params(self.likelihood, self(x, y), x)

    def dependency_mask(self) -> Tensor:
        """Connectivity of the current mask: the product of the layer masks."""
        hidden = self._hidden()
        path = hidden[0].mask  # (H1, N)
        for module in [*hidden[1:], self.output_layer]:
            path = module.mask @ path  # (out, N): paths from each input
        if self.direct_layer is not None:
            path = path + self.direct_layer.mask  # (C·N, N)
        n = self.num_pixels
        return path.view(self.output_channels, n, n).sum(0) > 0  # (N, N)

    def _components(
        self, batch: int, generator: torch.Generator, device: torch.device
    ) -> tuple[Tensor, list[tuple[int, Tensor]]]:
        """The mask each image follows, and the images of each mask in use.

        With ``ensemble`` each image draws its mask; the groups are
        ``[(mask, rows)]``.
        """
        if self._ensembled():
            component = torch.randint(self.num_masks, (batch,), generator=generator)
        else:
            component = torch.full((batch,), self.mask_index)
        component = component.to(device)
        groups = [
            (m, (component == m).nonzero().squeeze(1))
            for m in torch.unique(component).tolist()
        ]
        return component, groups

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """O(C·H) per pixel with one hidden layer; else one pass per pixel.

        With one hidden layer the pre-activation a = W x + b is linear in x:
        setting pixel p adds column p of the masked W, and p's C parameters read
        only hidden units that see nothing from p on. So each step is one column
        update and one (B, H) × (H, C) product, as in NADE — exactly the full
        pass. The direct term D x is linear too: one column of D per step. The
        images of one mask share its ordering, so each mask's group draws one
        pixel per step.
        """
        if len(self._hidden()) != 1:
            yield from self._naive_steps(x, known, y, temperature, generator)
            return
        batch, n, c = x.shape[0], self.num_pixels, self.output_channels
        current = self.mask_index
        component, masks = self._components(batch, generator, x.device)
        flat = x.view(batch, -1)
        hidden, out = self._hidden()[0], self.output_layer
        direct = self.direct_layer
        groups = []  # per mask: its ordering, images, masked weights, running sums
        try:
            for m, rows in masks:
                self.set_mask(m)
                w = (hidden.mask * hidden.weight).t().contiguous()  # (N, H)
                v = (out.mask * out.weight).view(c, n, -1)  # (C, N, H)
                a = flat[rows] @ w + hidden.bias  # (B_m, H)
                if y is not None:
                    a = a + self.class_hidden[y[rows]]
                d = dd = None
                if direct is not None:
                    dd = (direct.mask * direct.weight).t().contiguous()  # (N, C·N)
                    d = flat[rows] @ dd  # (B_m, C·N)
                groups.append((self.orderings[m].tolist(), rows, w, v, a, dd, d))
        finally:
            self.set_mask(current)
        bias_out = out.bias.view(c, n)  # (C, N)
        class_out = None if y is None else self.class_out.view(-1, c, n)
        for k in range(n):
            pixels = self.orderings[component, k]  # (B,) each image's mask's order
            params = torch.empty(batch, c, device=x.device)  # (B, C)
            for order, rows, _, v, a, _, d in groups:
                p = order[k]  # the pixel this mask's images draw now
                part = torch.relu(a) @ v[:, p].t() + bias_out[:, p]  # (B_m, C)
                if d is not None:
                    part = part + d.view(-1, c, n)[:, :, p]
                if class_out is not None and y is not None:
                    part = part + class_out[y[rows], :, p]
                params[rows] = part
            before = flat.gather(1, pixels.unsqueeze(1)).squeeze(1)
            step = draw_pixel(
                self.likelihood, k, pixels, params, x, known, temperature, generator
            )
            change = step.values - before  # 0 for given pixels
            for order, rows, w, _, a, dd, d in groups:
                p = order[k]
                a += change[rows].unsqueeze(1) * w[p]
                if d is not None and dd is not None:
                    d += change[rows].unsqueeze(1) * dd[p]
            yield step

    def _naive_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """One forward pass per pixel (the reference sampler).

        With ``ensemble`` each image first draws its mixture component (a mask)
        and then follows that mask's ordering.
        """
        batch, c = x.shape[0], self.output_channels
        current = self.mask_index
        component, groups = self._components(batch, generator, x.device)
        try:
            for k in range(self.num_pixels):
                pixels = self.orderings[component, k]  # (B,)
                params = torch.empty(batch, c, device=x.device)  # (B, C)
                for m, rows in groups:
                    self.set_mask(m)
                    y_rows = None if y is None else y[rows]
                    out = self(x[rows], y_rows).flatten(2)  # (B_m, C, N)
                    index = pixels[rows].view(-1, 1, 1).expand(-1, c, 1)
                    params[rows] = out.gather(2, index).squeeze(2)
                yield draw_pixel(
                    self.likelihood, k, pixels, params, x, known, temperature, generator
                )
        finally:
            self.set_mask(current)
