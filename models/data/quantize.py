"""Turning grayscale images into K-level images, for models of K-level pixels.

A model's pixel likelihood decides what it is fed (:func:`pixel_levels`):

- ``bernoulli``: binary images, made by a :class:`~models.data.Binarization`;
- ``categorical`` and ``logistic_mixture``: K levels, made by a
  :class:`Quantization`; a pixel of level k takes the value k / (K − 1);
- ``gaussian_mixture``: the same K-level images, which the likelihood then
  dequantizes (``likelihood.prepare``) with fresh noise each epoch.

Quantization is deterministic: 8-bit data keeps its top log₂ K bits when K is
a power of two (level k = ⌊v·K / 256⌋ of an 8-bit value v, K equal bins), and
binary data takes the two extreme levels 0 and K − 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from models.data.loaders import ImageSet
from models.errors import ConfigError, shown

__all__ = ["MAX_QUANTIZE_LEVELS", "Quantization"]

#: The most levels data can be quantized to (it is read as 8-bit at most).
MAX_QUANTIZE_LEVELS: Final = 256


@dataclass(frozen=True)
class Quantization:
    """How images become K-level images (level indices 0 … K − 1).

    Attributes
    ----------
    levels
        K, 2 to 256.
    """

    levels: int = 256

    def __post_init__(self) -> None:
        if (
            isinstance(self.levels, bool)
            or not isinstance(self.levels, int)
            or not 2 <= self.levels <= MAX_QUANTIZE_LEVELS
        ):
            raise ConfigError(
                f"levels to quantize to must be 2 to {MAX_QUANTIZE_LEVELS}, "
                f"got {shown(self.levels)}"
            )

    @property
    def varies_by_epoch(self) -> bool:
        """Always False: quantizing draws nothing."""
        return False

    def apply(self, data: ImageSet, epoch: int = 0) -> NDArray[np.uint8]:
        """Level indices ``(N, H, W)`` uint8 in 0 … K − 1 (``epoch`` is unused)."""
        k = self.levels
        if data.levels == k:
            return data.images
        if data.is_binary:  # the two extreme levels
            wide = data.images.astype(np.uint32) * (k - 1)
        else:  # K equal bins of the data's levels
            wide = np.minimum(data.images.astype(np.uint32) * k // data.levels, k - 1)
        levels: NDArray[np.uint8] = wide.astype(np.uint8)
        return levels

    def describe(self) -> str:
        """In words, e.g. ``256 levels`` or ``4 levels (2 bits)``."""
        bits = self.levels.bit_length() - 1
        exact = 1 << bits == self.levels and self.levels != 256
        return f"{self.levels} levels" + (f" ({bits} bits)" if exact else "")

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict."""
        return {"levels": self.levels, "method": "equal bins"}
