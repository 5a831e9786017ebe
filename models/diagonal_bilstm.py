"""Diagonal BiLSTM: two LSTMs sweeping the image along its diagonals.

van den Oord, Kalchbrenner & Kavukcuoglu, "Pixel Recurrent Neural Networks",
ICML 2016 (section 3.2). After a 7×7 mask-A convolution, each layer skews its
input (row r shifted right by r) so that every diagonal of the image becomes a
column, then runs an LSTM column by column:

    [o, f, i, g] = σ(K_is ⊛ x_j + K_ss ⊛ h_{j−1}),
    c_j = f ⊙ c_{j−1} + i ⊙ g,    h_j = o ⊙ tanh(c_j),

with K_is a 1×1 convolution and K_ss a 2×1 convolution over the previous
column. In image coordinates, the state at (r, c) reads the states at (r − 1, c)
and (r, c − 1): by induction it sees the whole upper-left quadrant. The
right-to-left direction (the same on the mirrored image) sees the upper-right
quadrant, *including the pixels to the right on its own row* — the future. Its
output is therefore shifted down one row before being added, so the pixel at
(r, c) gets the right-to-left state of (r − 1, c), which has seen only rows
above. Left-to-right ∪ shifted right-to-left = every earlier pixel: the whole
past, in one layer — provided the right-to-left direction also reads the pixel
at its own position (see ``backward_reads_pixel``: the features come from a
mask-A convolution, so without it the last pixel of the row above is lost).
Layers are residual; a 1×1 head gives each pixel's likelihood parameters.

Sampling keeps every layer's states: for each new pixel it runs one LSTM cell
per layer (left-to-right), and when a row is complete it sweeps that row right
to left once per layer — O(1) work per pixel instead of a whole network pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models import counting
from models.base import SampleStep, draw_pixel
from models.errors import ConfigError
from models.geometry import closure, shift
from models.spatial import (
    SpatialConfig,
    StemModel,
    lstm_cell,
    skew,
    unskew,
)

__all__ = ["DiagonalBiLSTM", "DiagonalBiLSTMConfig"]


@dataclass
class DiagonalBiLSTMConfig(SpatialConfig):
    """Diagonal BiLSTM settings (``channels`` is each LSTM's hidden size h).

    The paper's binarized-MNIST model is one layer with h = 32.

    Attributes
    ----------
    backward_reads_pixel
        Let each right-to-left LSTM also read the pixel at its own position
        (a 1×1 convolution of the image into its gates). Its output is shifted
        down a row, so this is causal. Without it, the features every layer
        reads come from a mask-A convolution, so a pixel only reaches features
        to its right; the last pixel of row r − 1 has none on its row, and is
        missing from the context of (r, c) for c < W − 1 − k₁//2, at any depth.
        With it, the context is the whole past, as the paper describes. Off
        gives the literal architecture.
    """

    channels: int = 32
    layers: int = 1
    backward_reads_pixel: bool = True

    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "small": {"channels": 16},
        "paper": {"channels": 32, "layers": 1},  # van den Oord et al. 2016: 80.75
        "paper-deep": {"channels": 16, "layers": 7},  # same paper: 79.20
    }

    def validate(self) -> None:
        """Check the settings as well as the shared spatial ones."""
        super().validate()
        value: object = self.backward_reads_pixel
        if not isinstance(value, bool):
            raise ConfigError(
                f"backward_reads_pixel must be true or false, got {value!r}"
            )


class DiagonalLSTM(nn.Module):
    """One direction: 1×1 input-to-state, 2×1 state-to-state over skewed columns."""

    #: States read in image coordinates, left-to-right: above, left.
    state_offsets: ClassVar[list[tuple[int, int]]] = [(-1, 0), (0, -1)]

    def __init__(self, channels: int, reads_pixel: bool = False) -> None:
        super().__init__()
        self.input_to_state = nn.Conv2d(channels, 4 * channels, 1)
        # weight[..., 0] reads the state above, weight[..., 1] the one to the left.
        self.state_to_state = nn.Conv1d(channels, 4 * channels, 2, bias=False)
        self.pixel_to_state = (
            nn.Conv2d(1, 4 * channels, 1, bias=False) if reads_pixel else None
        )

    def forward(self, x: Tensor, image: Tensor) -> Tensor:
        """Left-to-right hidden states ``(B, h, H, W)`` of features ``(B, h, H, W)``.

        ``image`` ``(B, 1, H, W)`` is read only with ``reads_pixel``.
        """
        batch, channels, height, width = x.shape
        gates_in = self.input_to_state(x)
        if self.pixel_to_state is not None:
            gates_in = gates_in + self.pixel_to_state(image)
        # Skewing the gates (not the features) leaves exact zeros in the padding,
        # so the states there stay zero: the image border reads zero states.
        gates_in = skew(gates_in)  # (B, 4h, H, H + W − 1)
        hidden = x.new_zeros(batch, channels, height)
        cell = x.new_zeros(batch, channels, height)
        columns = []
        for column in gates_in.unbind(-1):  # one backward for all columns
            previous = F.pad(hidden, (1, 0))  # row r reads rows r − 1 and r
            gates = column + self.state_to_state(previous)  # (B, 4h, H)
            hidden, cell = lstm_cell(gates, cell)
            columns.append(hidden)
        return unskew(torch.stack(columns, dim=-1), width)

    def cell(
        self, gates_in: Tensor, above: Tensor, left: Tensor, cell_left: Tensor
    ) -> tuple[Tensor, Tensor]:
        """One state ``(B, h)`` from its input gates and its two neighbours."""
        weight = self.state_to_state.weight  # (4h, h, 2)
        gates = gates_in + above @ weight[..., 0].T + left @ weight[..., 1].T
        return lstm_cell(gates, cell_left)

    def gates_at(self, features: Tensor, pixel: Tensor) -> Tensor:
        """Input gates ``(B, 4h)`` of one position: features (B, h), pixel (B, 1)."""
        weight = self.input_to_state.weight[:, :, 0, 0]  # (4h, h)
        gates = F.linear(features, weight, self.input_to_state.bias)
        if self.pixel_to_state is not None:
            gates = gates + F.linear(pixel, self.pixel_to_state.weight[:, :, 0, 0])
        return gates


class DiagonalBiLSTMLayer(nn.Module):
    """Both directions; output x + L2R(x) + (R2L(x) shifted down one row)."""

    def __init__(self, channels: int, backward_reads_pixel: bool) -> None:
        super().__init__()
        self.left_to_right = DiagonalLSTM(channels)
        self.right_to_left = DiagonalLSTM(channels, reads_pixel=backward_reads_pixel)

    def forward(self, x: Tensor, image: Tensor) -> Tensor:
        """Residual output ``(B, h, H, W)`` of features ``x`` of ``image``."""
        forward: Tensor = self.left_to_right(x, image)
        backward = self.right_to_left(x.flip(-1), image.flip(-1)).flip(-1)
        backward = F.pad(backward, (0, 0, 1, 0))[:, :, : x.shape[2]]  # row r ← r − 1
        return x + forward + backward

    def reach(self, needed: Tensor) -> tuple[Tensor, Tensor]:
        """(features read, pixels read directly) by the outputs in ``needed``.

        Features: the residual, the upper-left quadrant (left to right) and the
        upper-right quadrant of the row above (right to left, shifted down).
        Pixels: those right-to-left positions, when that direction reads them.
        """
        left = closure(needed, DiagonalLSTM.state_offsets)
        mirrored = [(dr, -dc) for dr, dc in DiagonalLSTM.state_offsets]
        right = closure(shift(needed, -1, 0), mirrored)
        reads_pixel = self.right_to_left.pixel_to_state is not None
        return needed | left | right, right if reads_pixel else torch.zeros_like(right)


class DiagonalBiLSTM(StemModel):
    """Diagonal BiLSTM with residual layers."""

    kind = "diagonal_bilstm"
    title = "Diagonal BiLSTM"
    config_class = DiagonalBiLSTMConfig
    config: DiagonalBiLSTMConfig
    counter = staticmethod(counting.diagonal_bilstm)

    def __init__(self, config: DiagonalBiLSTMConfig) -> None:
        super().__init__(config)
        self.lstm_layers = nn.ModuleList(
            DiagonalBiLSTMLayer(config.channels, config.backward_reads_pixel)
            for _ in range(config.layers)
        )

    def _layers(self) -> list[DiagonalBiLSTMLayer]:
        return [m for m in self.lstm_layers if isinstance(m, DiagonalBiLSTMLayer)]

    def _body(self, h: Tensor, x: Tensor) -> Tensor:
        for layer in self._layers():
            h = layer(h, x)  # H + W − 1 column steps per direction
        return h

    def _body_reach(self, outputs: Tensor) -> tuple[Tensor, Tensor]:
        """Back through the layers; the backward LSTMs may read pixels directly."""
        needed, pixels = outputs, torch.zeros_like(outputs)
        for layer in reversed(self._layers()):
            needed, read = layer.reach(needed)
            pixels |= read
        return needed, pixels

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """One LSTM cell per layer and pixel; a right-to-left sweep per finished row."""
        batch = x.shape[0]
        height, width = self.image_shape
        layers = self._layers()
        channels = self.config.channels
        zeros = x.new_zeros(batch, channels)

        def grid() -> list[list[Tensor]]:
            return [[zeros] * width for _ in range(height)]

        # Per layer: its input features, its L2R (h, c), its R2L h, at every pixel.
        inputs = [grid() for _ in layers]
        l2r_h, l2r_c = [grid() for _ in layers], [grid() for _ in layers]
        r2l_h = [grid() for _ in layers]
        stem = self._stem_at(x, y)
        for r in range(height):
            for c in range(width):
                feat = stem(r, c)  # (B, h)
                for i, layer in enumerate(layers):
                    inputs[i][r][c] = feat
                    above_h = l2r_h[i][r - 1][c] if r else zeros
                    left_h, left_c = (
                        (l2r_h[i][r][c - 1], l2r_c[i][r][c - 1])
                        if c
                        else (zeros, zeros)
                    )
                    gates = layer.left_to_right.gates_at(feat, x[:, 0, r, c, None])
                    h, cell = layer.left_to_right.cell(gates, above_h, left_h, left_c)
                    l2r_h[i][r][c], l2r_c[i][r][c] = h, cell
                    feat = feat + h + (r2l_h[i][r - 1][c] if r else zeros)
                params = self._head_at(feat)  # (B, C)
                k = r * width + c
                yield draw_pixel(
                    self.likelihood, k, k, params, x, known, temperature, generator
                )
            # Row r is complete: sweep it right to left in every layer. Its inputs
            # were computed from pixels before each position, all final now.
            for i, layer in enumerate(layers):
                right_h, right_c = zeros, zeros
                for c in reversed(range(width)):
                    above_h = r2l_h[i][r - 1][c] if r else zeros
                    gates = layer.right_to_left.gates_at(
                        inputs[i][r][c], x[:, 0, r, c, None]
                    )
                    right_h, right_c = layer.right_to_left.cell(
                        gates, above_h, right_h, right_c
                    )
                    r2l_h[i][r][c] = right_h
