"""Row LSTM: an LSTM that runs down the image one row at a time.

van den Oord, Kalchbrenner & Kavukcuoglu, "Pixel Recurrent Neural Networks",
ICML 2016 (section 3.1). After a 7×7 mask-A convolution, each layer computes,
for a whole row at once,

    [o, f, i, g] = σ(K_ss ⊛ h_{r−1} + K_is ⊛ x_r),
    c_r = f ⊙ c_{r−1} + i ⊙ g,    h_r = o ⊙ tanh(c_r),

where K_is is a 1×3 convolution along the row masked to (left, centre) and K_ss
a width-3 convolution over the previous row's hidden states. Each row reads
three positions of the row above, which read three of theirs: the context is a
triangle above the pixel (plus, on its own row, what the masked input reaches)
— not the whole past. Layers are residual; a 1×1 head gives each pixel's
likelihood parameters.

Sampling keeps every layer's (h, c) for the row above and, for each new pixel,
runs one LSTM cell per layer — O(1) work per pixel instead of a network pass.
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
from models.geometry import closure, dilate
from models.masked import MaskedConv2d
from models.spatial import (
    SpatialConfig,
    StemModel,
    lstm_cell,
)

__all__ = ["RowLSTM", "RowLSTMConfig"]


@dataclass
class RowLSTMConfig(SpatialConfig):
    """Row LSTM settings (``channels`` is the LSTM's hidden size h)."""

    channels: int = 32
    layers: int = 2

    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {
        "small": {"channels": 16, "layers": 1},
        "large": {"channels": 16, "layers": 7},
    }


class RowLSTMLayer(nn.Module):
    """One Row LSTM layer: masked 1×3 input-to-state, width-3 state-to-state."""

    #: The row above read by the state-to-state convolution.
    state_offsets: ClassVar[list[tuple[int, int]]] = [(-1, -1), (-1, 0), (-1, 1)]

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.input_to_state = MaskedConv2d(channels, 4 * channels, (1, 3), "B")
        self.state_to_state = nn.Conv1d(
            channels, 4 * channels, 3, padding=1, bias=False
        )

    def row(
        self, gates_in: Tensor, hidden: Tensor, cell: Tensor
    ) -> tuple[Tensor, Tensor]:
        """Next row's (h, c), ``(B, h, W)``, from its input gates and the row above."""
        return lstm_cell(gates_in + self.state_to_state(hidden), cell)

    def forward(self, x: Tensor) -> Tensor:
        """Hidden states ``(B, h, H, W)`` for input features ``(B, h, H, W)``."""
        batch, channels, _, width = x.shape
        gates_in = self.input_to_state(x)  # (B, 4h, H, W), all rows at once
        hidden = x.new_zeros(batch, channels, width)
        cell = x.new_zeros(batch, channels, width)
        rows = []
        for row in gates_in.unbind(2):  # one backward for all rows
            hidden, cell = self.row(row, hidden, cell)  # (B, h, W)
            rows.append(hidden)
        return torch.stack(rows, dim=2)

    def cell(
        self,
        left: Tensor,
        centre: Tensor,
        hidden_above: Tensor,
        cell_above: Tensor,
        c: int,
    ) -> tuple[Tensor, Tensor]:
        """The state ``(B, h)`` at column ``c`` of the row being generated.

        From the features ``(B, h)`` at c − 1 and c and the states ``(B, h, W)``
        of the row above.
        """
        weight = self.input_to_state.weight  # (4h, h, 1, 3); the mask keeps [0] and [1]
        gates = F.linear(left, weight[:, :, 0, 0]) + F.linear(
            centre, weight[:, :, 0, 1], self.input_to_state.bias
        )
        window = F.pad(hidden_above, (1, 1))[
            :, :, c : c + 3
        ]  # (B, h, 3): c − 1 … c + 1
        gates = gates + torch.einsum("bik,oik->bo", window, self.state_to_state.weight)
        return lstm_cell(gates, cell_above[:, :, c])

    def reach(self, needed: Tensor) -> Tensor:
        """Inputs read: the rows above close into a triangle; own row (left, centre)."""
        states = closure(needed, self.state_offsets)
        return dilate(states, self.input_to_state.offsets())


class RowLSTM(StemModel):
    """Row LSTM with residual layers."""

    kind = "row_lstm"
    title = "Row LSTM"
    config_class = RowLSTMConfig
    config: RowLSTMConfig
    counter = staticmethod(counting.row_lstm)

    def __init__(self, config: RowLSTMConfig) -> None:
        super().__init__(config)
        self.lstm_layers = nn.ModuleList(
            RowLSTMLayer(config.channels) for _ in range(config.layers)
        )

    def _layers(self) -> list[RowLSTMLayer]:
        return [m for m in self.lstm_layers if isinstance(m, RowLSTMLayer)]

    def _body(self, h: Tensor, x: Tensor) -> Tensor:
        for layer in self._layers():
            h = h + layer(h)  # residual; H row steps per layer
        return h

    def _body_reach(self, outputs: Tensor) -> tuple[Tensor, Tensor]:
        """Back through the residual LSTM layers."""
        needed = outputs
        for layer in reversed(self._layers()):
            needed = needed | layer.reach(needed)
        return needed, torch.zeros_like(needed)

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """One LSTM cell per layer and pixel, from the cached row above."""
        batch = x.shape[0]
        height, width = self.image_shape
        layers = self._layers()
        zeros = x.new_zeros(batch, self.config.channels)
        above = [(x.new_zeros(batch, self.config.channels, width),) * 2 for _ in layers]
        stem = self._stem_at(x, y)
        for r in range(height):
            inputs: list[list[Tensor]] = [[] for _ in layers]  # this row's features
            states: list[list[tuple[Tensor, Tensor]]] = [[] for _ in layers]
            for c in range(width):
                feat = stem(r, c)  # (B, h)
                for i, layer in enumerate(layers):
                    inputs[i].append(feat)
                    left = inputs[i][c - 1] if c else zeros
                    hidden, cell = layer.cell(left, feat, *above[i], c)
                    states[i].append((hidden, cell))
                    feat = feat + hidden
                params = self._head_at(feat)  # (B, C)
                k = r * width + c
                yield draw_pixel(
                    self.likelihood, k, k, params, x, known, temperature, generator
                )
            # Row r is complete: its states become the row above.
            above = [
                (
                    torch.stack([h for h, _ in row], -1),
                    torch.stack([c_ for _, c_ in row], -1),
                )
                for row in states
            ]
