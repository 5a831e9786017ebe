"""NADE: the neural autoregressive distribution estimator.

Larochelle & Murray, "The Neural Autoregressive Distribution Estimator",
AISTATS 2011. Every conditional is a one-hidden-layer network whose weights are
shared across pixels:

    a_i = c + Σ_{j<i} W[:, o_j] x_{o_j},   h_i = σ(a_i),
    p(x_{o_i} = 1 | x_{o_<i}) = σ(b_{o_i} + V[o_i] · h_i).

Because a_{i+1} = a_i + W[:, o_i] x_{o_i}, all n conditionals cost O(nH) — one
pass (a cumulative sum) in training, an O(H) update per pixel when sampling.
The teacher-forced pass runs through a hand-written autograd function that
walks the pixels in cache-sized blocks and recomputes the hidden units in the
backward pass instead of storing O(nH) values per image.
Parameters: W (H×n), V (n×H), b (n), c (H): 2nH + n + H, with the paper's
sigmoid hidden units and H = 500 by default.

Gray and continuous pixels. The hidden state reads the earlier pixels' values
as they are, gray levels included, and each pixel's output is the C parameters
its likelihood needs (:mod:`models.likelihoods`): V grows to (n×C×H) and b to
(n×C) when C > 1, (1 + C)nH + Cn + H parameters in all. With K-way
softmax outputs this is the categorical NADE; with a mixture of Gaussians it
is RNADE: Uria, Murray & Larochelle, "RNADE: The real-valued neural
autoregressive density-estimator", NeurIPS 2013, whose conditionals are mixture
density networks on the same hidden state a_{i+1} = a_i + W[:, o_i] x_{o_i}.
RNADE also rescales that state per step, h_i = σ(ρ_i a_i); here ρ_i = 1, so
every likelihood shares one hidden state and its fast pass, and a Bernoulli
model computes exactly what it always did. Its mixtures here are truncated to
[0, 1] (:mod:`models.likelihoods.gaussian_mixture`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import Tensor, nn

from models import counting
from models.base import ARModel, ModelConfig, SampleStep, _check_int, draw_pixel

__all__ = ["NADE", "NADEConfig"]

#: Bytes of one (B, block, H) slab of hidden units: it stays in the core's
#: cache through every step applied to it. Blocks hold at least 16 pixels, so
#: small batches (scoring one drawing) take few, long blocks.
_SLAB_BYTES = 2**20
_MIN_BLOCK = 16


def _block(batch: int, hidden: int, n: int) -> int:
    """Pixels per block for a batch of ``batch`` images."""
    return max(_MIN_BLOCK, min(n, _SLAB_BYTES // max(1, 4 * batch * hidden)))


def _project(hidden: Tensor, weight_out: Tensor) -> Tensor:
    """Each pixel's outputs from its hidden units, ``(B, b, H)`` → ``(B, b[, C])``.

    ``weight_out`` is ``(b, H)`` (one output per pixel) or ``(b, C, H)``.
    """
    if weight_out.dim() == 2:
        dots: Tensor = torch.linalg.vecdot(hidden, weight_out)  # (B, b)
        return dots
    out = torch.bmm(hidden.transpose(0, 1), weight_out.transpose(1, 2))  # (b, B, C)
    return out.transpose(0, 1)  # (B, b, C)


class _Conditionals(torch.autograd.Function):
    """V[o_i] · σ(c + Σ_{j<i} W[:, o_j] x_{o_j}) for all i, in generation order.

    Inputs: ``x`` (B, N) pixels in generation order, ``weight_in`` (N, H) rows in
    generation order, ``bias_hidden`` (B, H), ``weight_out`` (N, H) — one output
    per pixel: returns (B, N) — or (N, C, H) — C outputs per pixel: returns
    (B, N, C).

    The pixels are processed in blocks (see :func:`_block`), carrying the running
    pre-activation from block to block, so each (B, block, H) slab is built,
    passed through σ and reduced while it is still in cache; only the slab's
    starting pre-activation (B, H) is kept. The backward pass walks the blocks
    in reverse, recomputing each slab, and carries the suffix sum of the
    gradients at the pre-activations. Within a block, with dA those gradients
    and S their cumulative sum, the gradient reaching input j is
    Σ_{i>j} dA_i = (S_last + suffix) − S_j — an elementwise difference that is
    exactly zero for every j ≥ i when only output i has a gradient, so the
    autoregressive property holds to the last bit.
    """

    @staticmethod
    def _slab(x: Tensor, weight_in: Tensor, start: Tensor, s: int, e: int) -> Tensor:
        """Pre-activations a_s … a_{e−1}, ``(B, e − s, H)``, from a_s = ``start``."""
        pre = x.new_empty(x.shape[0], e - s, weight_in.shape[1])
        pre[:, 0] = start
        if e - s > 1:
            torch.mul(
                x[:, s : e - 1].unsqueeze(2), weight_in[s : e - 1], out=pre[:, 1:]
            )
        return torch.cumsum(pre, dim=1, out=pre)

    @staticmethod
    def forward(
        ctx: torch.autograd.function.FunctionCtx,
        x: Tensor,
        weight_in: Tensor,
        bias_hidden: Tensor,
        weight_out: Tensor,
    ) -> Tensor:
        n = x.shape[1]
        block = _block(x.shape[0], weight_in.shape[1], n)
        out = x.new_empty(x.shape + weight_out.shape[1:-1])  # (B, N) or (B, N, C)
        starts = []
        carry = bias_hidden  # a_s: c + Σ_{j<s} W_j x_j
        for s in range(0, n, block):
            e = min(n, s + block)
            starts.append(carry)
            pre = _Conditionals._slab(x, weight_in, carry, s, e)  # (B, b, H)
            carry = torch.addcmul(pre[:, -1], x[:, e - 1 : e], weight_in[e - 1])
            out[:, s:e] = _project(pre.sigmoid_(), weight_out[s:e])
        ctx.save_for_backward(x, weight_in, weight_out, *starts)
        return out

    @staticmethod
    def backward(
        ctx: torch.autograd.function.FunctionCtx, grad: Tensor
    ) -> tuple[Tensor | None, Tensor, Tensor, Tensor]:
        x, weight_in, weight_out, *starts = ctx.saved_tensors  # type: ignore[attr-defined]
        n = x.shape[1]
        block = _block(x.shape[0], weight_in.shape[1], n)
        d_in = torch.empty_like(weight_in)
        d_out = torch.empty_like(weight_out)
        d_x = torch.empty_like(x) if ctx.needs_input_grad[0] else None  # type: ignore[attr-defined]
        suffix = torch.zeros_like(starts[0])  # Σ of dA over the blocks done
        for k in reversed(range(len(starts))):
            s = k * block
            e = min(n, s + block)
            hidden = _Conditionals._slab(x, weight_in, starts[k], s, e).sigmoid_()
            # dA = (g · V) σ'(a) = (g · V)(h − h²), then its cumulative sum S
            if weight_out.dim() == 2:  # one output per pixel
                g = grad[:, s:e].unsqueeze(2)  # (B, b, 1)
                d_out[s:e] = (hidden * g).sum(dim=0)
                d_pre = torch.addcmul(hidden, hidden, hidden, value=-1)  # (B, b, H)
                d_pre.mul_(weight_out[s:e]).mul_(g)
            else:  # C outputs per pixel: a (B, C) × (C, H) product per pixel
                g = grad[:, s:e].transpose(0, 1)  # (b, B, C)
                d_out[s:e] = torch.bmm(g.transpose(1, 2), hidden.transpose(0, 1))
                d_pre = torch.addcmul(hidden, hidden, hidden, value=-1)  # (B, b, H)
                d_pre.mul_(torch.bmm(g, weight_out[s:e]).transpose(0, 1))
            torch.cumsum(d_pre, dim=1, out=d_pre)
            total = d_pre[:, -1] + suffix  # Σ_{i ≥ s} dA_i
            after = torch.sub(total.unsqueeze(1), d_pre, out=d_pre)  # Σ_{i>j} dA_i
            suffix = total
            d_in[s:e] = (after * x[:, s:e].unsqueeze(2)).sum(dim=0)
            if d_x is not None:
                d_x[:, s:e] = torch.linalg.vecdot(after, weight_in[s:e])
        return d_x, d_in, suffix, d_out


@dataclass
class NADEConfig(ModelConfig):
    """NADE settings.

    Attributes
    ----------
    hidden
        H, the number of sigmoid hidden units shared by all conditionals.
    """

    hidden: int = 500

    supported_likelihoods: ClassVar[tuple[str, ...]] = (
        "bernoulli",
        "categorical",
        "gaussian_mixture",  # RNADE
    )

    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "small": {"hidden": 100},
        "paper": {"hidden": 500},  # Larochelle & Murray 2011, binarized MNIST
    }

    def validate(self) -> None:
        """Check H as well as the shared settings."""
        super().validate()
        _check_int("hidden", self.hidden, 1)


class NADE(ARModel):
    """NADE with sigmoid hidden units over any ordering.

    With C = 1 output per pixel (Bernoulli) ``weight_out`` is V ``(N, H)``,
    ``bias_out`` b ``(N,)`` and ``class_out`` ``(classes, N)``; with C > 1
    they gain a channel axis: ``(N, C, H)``, ``(N, C)``, ``(classes, N, C)``.
    """

    kind = "nade"
    title = "NADE"
    config_class = NADEConfig

    def __init__(self, config: NADEConfig) -> None:
        super().__init__(config)
        n, hidden = config.num_pixels, config.hidden
        # per pixel: () for one output (the Bernoulli layout), (C,) for C > 1
        channels = self.output_channels
        per_pixel = () if channels == 1 else (channels,)
        # Indexed by row-major pixel: W[:, p] is pixel p's input column,
        # V[p] and b[p] its output weights and bias.
        self.weight_in = nn.Parameter(torch.empty(hidden, n))  # W (H, N)
        self.bias_hidden = nn.Parameter(torch.zeros(hidden))  # c (H,)
        self.weight_out = nn.Parameter(torch.empty(n, *per_pixel, hidden))  # V
        self.bias_out = nn.Parameter(torch.zeros(n, *per_pixel))  # b (N[, C])
        if config.num_classes:
            classes = config.num_classes
            self.class_hidden = nn.Parameter(torch.zeros(classes, hidden))  # (Y, H)
            self.class_out = nn.Parameter(torch.zeros(classes, n, *per_pixel))
        nn.init.uniform_(self.weight_in, -1 / math.sqrt(n), 1 / math.sqrt(n))
        nn.init.uniform_(self.weight_out, -1 / math.sqrt(hidden), 1 / math.sqrt(hidden))

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> counting.ParameterCount:
        """(1 + P)nH + Pn + H (+ classes·(H + Pn)), P outputs per pixel."""
        assert isinstance(config, NADEConfig)
        return counting.nade(
            config.num_pixels,
            config.hidden,
            config.num_classes,
            config.resolve_likelihood().channels,
        )

    def _biases(self, y: Tensor | None, batch: int) -> tuple[Tensor, Tensor]:
        """Hidden ``(B, H)`` and output ``(B, N[, C])`` biases, with class terms."""
        hidden = self.bias_hidden.expand(batch, -1)
        out = self.bias_out.expand(batch, *self.bias_out.shape)
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
        xo = x.flatten(1)[:, order]  # (B, N) in generation order
        params_o: Tensor = _Conditionals.apply(  # type: ignore[no-untyped-call]
            xo, self.weight_in.t()[order], bias_hidden, self.weight_out[order]
        )  # (B, N[, C])
        params = params_o[:, self.rank] + bias_out  # (B, N[, C]) row-major
        if params.dim() == 2:  # one output per pixel
            return params.reshape(x.shape)
        return params.transpose(1, 2).reshape(batch, -1, *self.image_shape)

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
        weight_in_t = self.weight_in.t().contiguous()  # (N, H): row p is pixel p's
        weight_out = self.weight_out  # (N, H) or (N, C, H)
        hidden = torch.empty_like(pre)
        for k, pixel in enumerate(self.ordering.tolist()):
            torch.sigmoid(pre, out=hidden)  # (B, H)
            if weight_out.dim() == 2:  # one output per pixel
                params = torch.mv(hidden, weight_out[pixel]).add_(
                    bias_out[:, pixel]
                )  # (B,)
            else:
                params = torch.addmm(
                    bias_out[:, pixel], hidden, weight_out[pixel].t()
                )  # (B, C)
            step = draw_pixel(
                self.likelihood, k, pixel, params, x, known, temperature, generator
            )
            pre.addcmul_(flat[:, pixel : pixel + 1], weight_in_t[pixel])
            yield step
