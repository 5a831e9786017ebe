"""PixelCNN: masked convolutions over the raster order.

van den Oord, Kalchbrenner & Kavukcuoglu, "Pixel Recurrent Neural Networks",
ICML 2016 (section 3.5). A 7×7 convolution with mask A (which hides the pixel
being predicted) is followed by residual blocks — 1×1 (2h → h), masked 3×3 with
mask B, 1×1 (h → 2h) — and a head of 1×1 convolutions, so all conditionals come
out of one pass. Stacked masked kernels only ever grow up and to the left of
the centre column: each 3×3 layer widens the context by one column on the left
but not on the right of the rows above, leaving the *blind spot* — a wedge of
past pixels above and to the right that no depth reaches.

The head gives each pixel's conditional in the model's likelihood: one logit
(binary pixels, as in the paper's binarized MNIST), the paper's 256-way softmax
(``categorical``), PixelCNN++'s discretized logistic mixture (Salimans et al.
2017) or a mixture of Gaussians; the input stays one channel of gray values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import Tensor, nn

from models import counting
from models.base import _check_int
from models.errors import ConfigError
from models.geometry import dilate
from models.masked import MaskedConv2d
from models.spatial import SpatialConfig, StemModel

__all__ = ["PixelCNN", "PixelCNNConfig"]


@dataclass
class PixelCNNConfig(SpatialConfig):
    """PixelCNN settings.

    Attributes
    ----------
    channels
        2h: feature maps between residual blocks (even; blocks work at h).
    layers
        Number of residual blocks.
    kernel
        Size of each block's mask-B convolution (odd).
    """

    channels: int = 32
    layers: int = 4
    kernel: int = 3

    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "small": {"channels": 16, "layers": 2},
        "large": {"channels": 64, "layers": 12, "output_layers": 2},
    }

    def validate(self) -> None:
        """Check the PixelCNN settings as well as the shared ones."""
        super().validate()
        _check_int("kernel", self.kernel, 1, 15)
        if self.kernel % 2 == 0:
            raise ConfigError(f"kernel must be odd, got {self.kernel}")
        if self.channels < 2 or self.channels % 2:
            raise ConfigError(f"channels must be even and ≥ 2, got {self.channels}")


class ResidualBlock(nn.Module):
    """x + 1×1(ReLU(masked k×k B(ReLU(1×1(ReLU(x))))))."""

    def __init__(self, channels: int, kernel: int) -> None:
        super().__init__()
        half = channels // 2
        self.reduce = nn.Conv2d(channels, half, 1)
        self.masked = MaskedConv2d(half, half, kernel, "B")
        self.expand = nn.Conv2d(half, channels, 1)

    def forward(self, x: Tensor) -> Tensor:
        """One residual block, shape preserved ``(B, 2h, H, W)``."""
        h = self.reduce(torch.relu(x))  # (B, h, H, W)
        h = self.masked(torch.relu(h))  # (B, h, H, W)
        out: Tensor = x + self.expand(torch.relu(h))  # (B, 2h, H, W)
        return out


class PixelCNN(StemModel):
    """PixelCNN with residual blocks (blind spot included, as published)."""

    kind = "pixelcnn"
    title = "PixelCNN"
    config_class = PixelCNNConfig
    config: PixelCNNConfig
    counter = staticmethod(counting.pixelcnn)

    def __init__(self, config: PixelCNNConfig) -> None:
        super().__init__(config)
        self.blocks = nn.ModuleList(
            ResidualBlock(config.channels, config.kernel) for _ in range(config.layers)
        )

    def _body(self, h: Tensor, x: Tensor) -> Tensor:
        for block in self.blocks:
            h = block(h)  # (B, 2h, H, W)
        return h

    def _body_reach(self, outputs: Tensor) -> tuple[Tensor, Tensor]:
        """Each block reads its input where it is and through its mask-B kernel."""
        needed = outputs
        for block in reversed(self.blocks):
            assert isinstance(block, ResidualBlock)
            needed = needed | dilate(needed, block.masked.offsets())
        return needed, torch.zeros_like(needed)
