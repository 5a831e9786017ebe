"""Masked layers shared by the autoregressive networks.

A mask is a registered buffer multiplied into the weight at every call,
``F.linear(x, mask * weight, bias)``, so the weight itself is never edited and a
masked-out entry gets exactly zero gradient.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ["MaskedConv2d", "MaskedLinear", "causal_mask", "conv_at", "mask_offsets"]


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


def causal_mask(height: int, width: int, mask_type: str) -> Tensor:
    """The ``(height, width)`` 0/1 kernel mask of a raster-causal convolution.

    Rows above the centre are kept, the centre row up to the centre; mask ``A``
    drops the centre itself (the first layer must not see the pixel it
    predicts), mask ``B`` keeps it (later layers may see their own position,
    which already depends only on the past).
    """
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask type must be 'A' or 'B', got {mask_type!r}")
    mask = torch.zeros(height, width)
    mask[: height // 2] = 1
    mask[height // 2, : width // 2 + (mask_type == "B")] = 1
    return mask


def mask_offsets(mask: Tensor) -> list[tuple[int, int]]:
    """(Δrow, Δcol) of the input pixels a masked kernel reads, from its centre."""
    height, width = mask.shape
    rows, cols = torch.nonzero(mask, as_tuple=True)
    return [
        (int(r) - height // 2, int(c) - width // 2)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
    ]


class MaskedConv2d(nn.Conv2d):
    """A 'same'-padded convolution restricted to the causal past (mask A or B).

    For single-channel binary images no per-channel masking is needed: the
    spatial mask alone makes every output depend only on earlier pixels.
    """

    mask: Tensor

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        mask_type: str,
        bias: bool = True,
    ) -> None:
        kh, kw = (
            (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
        )
        if kh % 2 == 0 or kw % 2 == 0:
            raise ValueError("masked kernels need odd sizes")
        super().__init__(
            in_channels, out_channels, (kh, kw), padding=(kh // 2, kw // 2), bias=bias
        )
        self.mask_type = mask_type
        self.register_buffer("mask", causal_mask(kh, kw, mask_type), persistent=False)

    def offsets(self) -> list[tuple[int, int]]:
        """The input offsets this layer reads (its footprint)."""
        return mask_offsets(self.mask)

    def forward(self, x: Tensor) -> Tensor:
        """Convolve with (mask ⊙ W)."""
        return F.conv2d(x, self.mask * self.weight, self.bias, padding=self.padding)


def conv_at(conv: MaskedConv2d, x: Tensor) -> Callable[[int, int], Tensor]:
    """``(r, c) ↦`` the output ``(B, C_out)`` of ``conv`` at one position of ``x``.

    Reads ``x`` ``(B, C_in, H, W)`` when called, so pixels written into it
    in place since are seen; only the kernel rows the causal mask keeps (those
    above and the centre row) are read. This is what the cached samplers use
    instead of convolving the whole image for every new pixel.
    """
    height, width = conv.kernel_size
    p, q = height // 2, width // 2
    weight = (conv.mask * conv.weight)[:, :, : p + 1].flatten(
        1
    )  # (C_out, C_in·(p+1)·k)
    cols = x.shape[-1]

    def at(r: int, c: int) -> Tensor:
        top, left, right = r - p, c - q, c + q + 1
        patch = x[:, :, max(0, top) : r + 1, max(0, left) : min(cols, right)]
        patch = F.pad(patch, (max(0, -left), max(0, right - cols), max(0, -top), 0))
        return F.linear(patch.flatten(1), weight, conv.bias)

    return at
