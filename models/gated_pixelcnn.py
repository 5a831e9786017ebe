"""Gated PixelCNN: vertical and horizontal stacks, no blind spot.

van den Oord, Kalchbrenner, Vinyals, Espeholt, Graves & Kavukcuoglu,
"Conditional Image Generation with PixelCNN Decoders", NeurIPS 2016.
Two stacks replace the masked kernel:

- the *vertical* stack convolves with a (k//2 + 1) × k kernel covering the rows
  above and the current row, so it sees a full window of rows above;
- the *horizontal* stack convolves along the row, with a 1 × (k//2 + 1) kernel
  ending at the current pixel (at the previous one in the first layer);
- the vertical stack feeds the horizontal one only after a shift down by one
  row, so the current row never leaks in; the output head (the parameters of
  each pixel's likelihood) reads the horizontal stack.

Both use gated activations tanh(a) ⊙ σ(b); the horizontal stack is residual.
The union of "all rows above, within the window" and "left on the row" has no
blind spot.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models import counting
from models.base import SampleStep, _check_int, draw_pixel
from models.errors import ConfigError
from models.geometry import dilate, shift
from models.spatial import SpatialConfig, SpatialModel

__all__ = ["GatedPixelCNN", "GatedPixelCNNConfig"]


@dataclass
class GatedPixelCNNConfig(SpatialConfig):
    """Gated PixelCNN settings.

    Attributes
    ----------
    layers
        Gated layers (the first reads the image with ``first_kernel``).
    kernel
        Kernel size k of the later layers (odd).
    """

    channels: int = 32
    layers: int = 5
    kernel: int = 3

    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "small": {"channels": 16, "layers": 3},
        "large": {"channels": 64, "layers": 12, "output_layers": 2},
    }

    def validate(self) -> None:
        """Check the settings; a gated PixelCNN needs at least one layer."""
        super().validate()
        _check_int("layers", self.layers, 1, 64)
        _check_int("kernel", self.kernel, 1, 15)
        if self.kernel % 2 == 0:
            raise ConfigError(f"kernel must be odd, got {self.kernel}")


def _gate(x: Tensor) -> Tensor:
    a, b = x.chunk(2, dim=1)
    return torch.tanh(a) * torch.sigmoid(b)


class GatedLayer(nn.Module):
    """One layer of both stacks."""

    def __init__(
        self, in_channels: int, channels: int, kernel: int, first: bool
    ) -> None:
        super().__init__()
        self.first = first
        self.radius = kernel // 2
        p, c = self.radius, channels
        self.vertical = nn.Conv2d(in_channels, 2 * c, (p + 1, kernel))
        self.horizontal = nn.Conv2d(in_channels, 2 * c, (1, p + 1))
        self.vertical_to_horizontal = nn.Conv2d(2 * c, 2 * c, 1)
        self.residual = nn.Conv2d(c, c, 1)

    def vertical_offsets(self) -> list[tuple[int, int]]:
        """Vertical kernel footprint: rows r − p … r, columns c − p … c + p."""
        p = self.radius
        return [(dr, dc) for dr in range(-p, 1) for dc in range(-p, p + 1)]

    def horizontal_offsets(self) -> list[tuple[int, int]]:
        """Horizontal footprint: c − p … c (first layer: c − p − 1 … c − 1)."""
        p = self.radius
        start = -p - 1 if self.first else -p
        return [(0, dc) for dc in range(start, start + p + 1)]

    def forward(
        self, v: Tensor, h: Tensor, bias_v: Tensor | float, bias_h: Tensor | float
    ) -> tuple[Tensor, Tensor]:
        """(vertical, horizontal) maps in, the same out, ``(B, C, H, W)`` each."""
        v_out, link = self.vertical_step(v, bias_v)
        return v_out, self.horizontal_step(h, link, bias_h)

    def vertical_step(self, v: Tensor, bias_v: Tensor | float) -> tuple[Tensor, Tensor]:
        """The vertical stack's output and its link into the horizontal stack.

        The link at row r comes from the vertical pre-activations of row r − 1,
        so it never carries row r: ``(B, C, H, W)`` and ``(B, 2C, H, W)``.
        """
        p = self.radius
        v_pre = self.vertical(F.pad(v, (p, p, p, 0))) + bias_v  # (B, 2C, H, W)
        down = F.pad(v_pre, (0, 0, 1, 0))[:, :, : v.shape[2]]  # row r gets row r − 1
        return _gate(v_pre), self.vertical_to_horizontal(down)

    def horizontal_step(
        self, h: Tensor, link: Tensor, bias_h: Tensor | float
    ) -> Tensor:
        """The horizontal stack's output ``(B, C, H, W)`` from its input and link."""
        p, width = self.radius, h.shape[-1]
        if self.first:  # column c reads c − p − 1 … c − 1: never the pixel itself
            h_in = F.pad(h, (p + 1, 0))[..., : width + p]
        else:  # column c reads c − p … c
            h_in = F.pad(h, (p, 0))
        h_out: Tensor = self.residual(_gate(self.horizontal(h_in) + link + bias_h))
        return h_out if self.first else h + h_out

    def reach(self, need_v: Tensor, need_h: Tensor) -> tuple[Tensor, Tensor]:
        """Inputs of both stacks that the needed outputs of both stacks read."""
        pre_v = need_v | shift(need_h, -1, 0)  # vertical pre-activations needed
        in_v = dilate(pre_v, self.vertical_offsets())
        in_h = dilate(need_h, self.horizontal_offsets())
        if not self.first:
            in_h = in_h | need_h
        return in_v, in_h


class GatedPixelCNN(SpatialModel):
    """Gated PixelCNN with vertical and horizontal stacks."""

    kind = "gated_pixelcnn"
    title = "Gated PixelCNN"
    config_class = GatedPixelCNNConfig
    config: GatedPixelCNNConfig
    counter = staticmethod(counting.gated_pixelcnn)

    def __init__(self, config: GatedPixelCNNConfig) -> None:
        super().__init__(config)
        c = config.channels
        self.layers = nn.ModuleList(
            GatedLayer(
                1 if i == 0 else c,
                c,
                config.first_kernel if i == 0 else config.kernel,
                first=i == 0,
            )
            for i in range(config.layers)
        )
        self.head = self._make_head(c)
        if config.num_classes:
            self.class_bias = nn.Parameter(torch.zeros(config.num_classes, 4 * c))

    def _gated_layers(self) -> list[GatedLayer]:
        return [m for m in self.layers if isinstance(m, GatedLayer)]

    def _class_biases(self, y: Tensor | None) -> tuple[Tensor | float, Tensor | float]:
        if y is None:
            return 0.0, 0.0
        bias_v, bias_h = self.class_bias[y][:, :, None, None].chunk(2, dim=1)
        return bias_v, bias_h

    def _params(self, x: Tensor, y: Tensor | None) -> Tensor:
        """Parameters ``(B, C, R, W)`` of every pixel in one pass."""
        bias_v, bias_h = self._class_biases(y)
        v, h = x, x
        for i, layer in enumerate(self._gated_layers()):
            v, h = layer(v, h, bias_v if i == 0 else 0.0, bias_h if i == 0 else 0.0)
        params: Tensor = self.head(h)  # (B, C, R, W)
        return params

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """The vertical stack once per row; per pixel, only the horizontal stack.

        The horizontal stack of row r reads the vertical stack only through the
        links, which come from rows above r: they are final once row r starts.
        So each row runs the vertical stack once (on the band of rows it can
        reach), and each pixel runs the horizontal stack on its row alone.
        """
        height, width = self.image_shape
        band = self.vertical_reach()
        layers = self._gated_layers()
        bias_v, bias_h = self._class_biases(y)
        for r in range(height):
            top = max(0, r - band)
            v, links = x[:, :, top : r + 1], []
            for i, layer in enumerate(layers):
                v, link = layer.vertical_step(v, bias_v if i == 0 else 0.0)
                links.append(link[:, :, -1:])  # (B, 2C, 1, W): row r's link
            for c in range(width):
                h = x[:, :, r : r + 1]  # (B, 1, 1, W), pixels after c are unused
                for i, layer in enumerate(layers):
                    h = layer.horizontal_step(h, links[i], bias_h if i == 0 else 0.0)
                params = self.head(h)[:, :, 0, c]  # (B, C)
                k = r * width + c
                yield draw_pixel(
                    self.likelihood, k, k, params, x, known, temperature, generator
                )

    def reach(self, outputs: Tensor) -> Tensor:
        """Back through both stacks, layer by layer; the image feeds both."""
        need_v, need_h = torch.zeros_like(outputs), outputs
        for layer in reversed(self.layers):
            assert isinstance(layer, GatedLayer)
            need_v, need_h = layer.reach(need_v, need_h)
        return need_v | need_h
