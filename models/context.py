"""Context regions: which input pixels an output may see, and which it does.

The *theoretical* context of a pixel follows from the architecture alone: every
layer reads its input at a fixed set of offsets (a masked kernel's footprint),
and a recurrence reads its own earlier states (closed under those offsets until
nothing changes). Propagating a set of output pixels backwards through the
layers gives the input pixels it may depend on — Row LSTM's triangle, Diagonal
BiLSTM's full past, PixelCNN's blind spot. The *measured* context is the
non-zero pattern of the gradient of the output at that pixel with respect to
the input, on the real model. Measured ⊆ theoretical ⊆ past, always.

The set operations on pixels the models propagate with (:func:`shift`,
:func:`dilate`, :func:`closure`) live in :mod:`models.geometry`, below the
models; they are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray
from torch import Tensor

from models.base import ARModel
from models.geometry import closure, dilate, shift

__all__ = [
    "ContextRegions",
    "blind_spot",
    "closure",
    "context_model",
    "context_regions",
    "dilate",
    "future_pixels",
    "measured_context",
    "shift",
    "theoretical_context",
]


def theoretical_context(
    model: ARModel, pixel: int | tuple[int, int]
) -> NDArray[np.bool_]:
    """Input pixels the output at ``pixel`` may depend on, ``(H, W)`` bool.

    Each model answers for its own reach (:meth:`ARModel.receptive_field`).
    """
    return model.receptive_field(_index(model, pixel)).cpu().numpy()


def measured_context(
    model: ARModel,
    pixel: int | tuple[int, int],
    x: Tensor | None = None,
    y: Tensor | None = None,
    seed: int = 0,
    samples: int = 8,
) -> NDArray[np.bool_]:
    """Input pixels with a non-zero gradient of the output at ``pixel``, ``(H, W)``.

    The output is the pixel's likelihood parameters, summed over its C
    channels (the logit, for a binary pixel). Measured on the real model, with
    one backward pass, at the images ``x`` ``(B, 1, H, W)`` (default:
    ``samples`` random images of the model's levels drawn with ``seed``:
    binary for a binary model, uniform values for a continuous one); a pixel
    counts when its gradient is non-zero for any of them, so a ReLU that
    happens to be off for one input does not hide a connection.
    """
    index = _index(model, pixel)
    if x is None:
        gen = torch.Generator().manual_seed(seed)
        shape = (samples, 1, *model.image_shape)
        likelihood = model.likelihood
        if likelihood.discrete:
            levels = likelihood.levels
            x = torch.randint(0, levels, shape, generator=gen).float() / (levels - 1)
        else:
            x = torch.rand(shape, generator=gen)
    if model.num_classes and y is None:
        y = torch.arange(x.shape[0]) % model.num_classes
    x = x.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        # (B,): each image's output at the pixel; images are independent
        output = model(x, y).sum(dim=1).flatten(1)[:, index]
        if not output.requires_grad:
            return np.zeros(model.image_shape, dtype=bool)
        grad: Tensor | None = torch.autograd.grad(output.sum(), x, allow_unused=True)[0]
    if grad is None:
        return np.zeros(model.image_shape, dtype=bool)
    return (grad[:, 0] != 0).any(dim=0).cpu().numpy()


def blind_spot(context: NDArray[np.bool_], pixel: tuple[int, int]) -> NDArray[np.bool_]:
    """Past pixels above and to the right of ``pixel`` that ``context`` misses.

    Only the rows ``context`` reaches and columns up to its rightmost one count:
    a pixel out of a shallow network's reach is not a blind spot, a hole inside
    it is. PixelCNN's stacked masked kernels leave a wedge here that grows with
    depth; Gated PixelCNN and the LSTMs leave none.
    """
    r, c = pixel
    rows, cols = np.nonzero(context)
    wedge = np.zeros_like(context)
    if len(rows):
        wedge[rows.min() : r, c + 1 : cols.max() + 1] = True
    return wedge & ~context


def future_pixels(model: ARModel, pixel: int | tuple[int, int]) -> NDArray[np.bool_]:
    """Pixels at or after ``pixel`` in the model's ordering, ``(H, W)`` bool.

    Any context pixel in here is a violation of the autoregressive property.
    """
    index = _index(model, pixel)
    rank = model.rank
    return (rank >= rank[index]).view(model.image_shape).cpu().numpy()


@dataclass(frozen=True)
class ContextRegions:
    """The context of one pixel under one model: every region ``(H, W)`` bool.

    Attributes
    ----------
    pixel
        (row, col) of the output studied, 0-based.
    theoretical
        Input pixels the architecture lets the output depend on.
    measured
        Input pixels with a non-zero gradient on the real network.
    future
        Pixels at or after ``pixel`` in the model's ordering.
    """

    pixel: tuple[int, int]
    theoretical: NDArray[np.bool_]
    measured: NDArray[np.bool_]
    future: NDArray[np.bool_]

    @property
    def past(self) -> NDArray[np.bool_]:
        """Pixels before ``pixel`` in the ordering."""
        return ~self.future

    @property
    def violations(self) -> NDArray[np.bool_]:
        """Future pixels in either context (a bug in the model if any)."""
        return (self.theoretical | self.measured) & self.future

    @property
    def unseen(self) -> NDArray[np.bool_]:
        """Earlier pixels out of the theoretical context."""
        return self.past & ~self.theoretical

    @property
    def blind(self) -> NDArray[np.bool_]:
        """The unseen pixels inside the context's reach (see :func:`blind_spot`)."""
        return blind_spot(self.theoretical, self.pixel) & self.past


def context_regions(
    model: ARModel, pixel: tuple[int, int], **measure: Any
) -> ContextRegions:
    """Theoretical and measured context of ``pixel``, and its future, in one go.

    ``measure`` goes to :func:`measured_context` (``x``, ``seed``, ``samples``).
    """
    return ContextRegions(
        pixel=pixel,
        theoretical=theoretical_context(model, pixel),
        measured=measured_context(model, pixel, **measure),
        future=future_pixels(model, pixel),
    )


def context_model(
    kind: str, image_shape: tuple[int, int], layers: int, seed: int = 0, **config: Any
) -> ARModel:
    """A model of ``kind`` with ``layers`` layers and random weights, for study.

    Weights are drawn from a standard normal with ``seed``, so every connection
    the architecture allows carries a non-zero gradient.
    """
    from models.registry import create

    model = create(kind, image_shape, layers=layers, **config)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.5)
    return model.eval()


def _index(model: ARModel, pixel: int | tuple[int, int]) -> int:
    h, w = model.image_shape
    if isinstance(pixel, tuple):
        r, c = pixel
        if not (0 <= r < h and 0 <= c < w):
            raise IndexError(f"pixel {pixel} is outside the {h}×{w} image")
        return r * w + c
    if not 0 <= pixel < h * w:
        raise IndexError(f"pixel {pixel} is outside the {h}×{w} image")
    return int(pixel)
