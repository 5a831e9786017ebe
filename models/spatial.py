"""Shared pieces of the convolutional and recurrent models (raster order).

- :class:`SpatialConfig`: the settings every spatial model has (channels,
  layers, first kernel, output layers), raster ordering only;
- :class:`OutputHead`: ReLU → 1×1 conv (× ``output_layers``) → ReLU → 1×1 conv
  to the C parameters of each pixel's likelihood (one logit for a binary pixel);
- :func:`skew` / :func:`unskew`: shift row r right by r, so that the diagonals
  of an image become columns (Diagonal BiLSTM);
- :func:`lstm_cell`: the gates → (h, c) update;
- :class:`SpatialModel`: the dependency structure computed by propagating each
  output pixel backwards through the layers' footprints (see
  :mod:`models.geometry`), and the row-band sampler;
- :class:`StemModel`: mask-A convolution, a body, a head (PixelCNN, Row LSTM,
  Diagonal BiLSTM).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from models.base import ARModel, ModelConfig, SampleStep, _check_int, draw_pixel
from models.counting import ParameterCount
from models.errors import ConfigError
from models.geometry import dilate
from models.masked import MaskedConv2d, conv_at

__all__ = [
    "OutputHead",
    "SpatialConfig",
    "SpatialModel",
    "StemModel",
    "lstm_cell",
    "skew",
    "unskew",
]


@dataclass
class SpatialConfig(ModelConfig):
    """Settings shared by the spatial models.

    Attributes
    ----------
    channels
        Feature maps between layers.
    layers
        Number of hidden layers (residual blocks, gated layers or LSTM layers).
    first_kernel
        Size of the first, mask-A convolution (odd, ≥ 3: a 1×1 kernel without
        its centre reads nothing).
    output_layers
        Hidden 1×1 convolutions in the output head.
    """

    channels: int = 32
    layers: int = 2
    first_kernel: int = 7
    output_layers: int = 1

    supported_orderings: ClassVar[tuple[str, ...]] = ("raster",)
    #: The head gives any number of parameters per pixel, and the input is one
    #: channel of values in [0, 1]: every likelihood fits.
    supported_likelihoods: ClassVar[tuple[str, ...]] = (
        "bernoulli",
        "categorical",
        "logistic_mixture",
        "gaussian_mixture",
    )

    def validate(self) -> None:
        """Check the spatial settings as well as the shared ones."""
        super().validate()
        _check_int("channels", self.channels, 1)
        _check_int("layers", self.layers, 0, 64)
        _check_int("first_kernel", self.first_kernel, 3, 15)
        _check_int("output_layers", self.output_layers, 0, 4)
        if self.first_kernel % 2 == 0:
            raise ConfigError(f"first_kernel must be odd, got {self.first_kernel}")


class OutputHead(nn.Module):
    """ReLU, ``layers`` × (1×1 conv, ReLU), then a 1×1 conv to ``outputs`` maps.

    ``outputs`` is the likelihood's parameters per pixel (1 for a binary pixel:
    its logit). Only this last convolution grows with it.
    """

    def __init__(self, channels: int, layers: int, outputs: int = 1) -> None:
        super().__init__()
        self.hidden = nn.ModuleList(
            nn.Conv2d(channels, channels, 1) for _ in range(layers)
        )
        self.out = nn.Conv2d(channels, outputs, 1)

    def forward(self, x: Tensor) -> Tensor:
        """Parameters ``(B, C, H, W)`` from features ``(B, D, H, W)``."""
        x = torch.relu(x)
        for conv in self.hidden:
            x = torch.relu(conv(x))  # (B, D, H, W)
        params: Tensor = self.out(x)  # (B, C, H, W)
        return params


def skew(x: Tensor) -> Tensor:
    """``(B, C, H, W)`` → ``(B, C, H, H + W − 1)`` with row r shifted right by r.

    Padding each row to H + W and reading the flat result back with rows one
    shorter shifts row r by r: one pad and two views, not a loop of slice
    writes (whose backward would allocate the whole map once per row).
    """
    b, c, h, w = x.shape
    width = h + w - 1
    flat = F.pad(x, (0, h)).flatten(2)  # (B, C, H·(H + W))
    return flat[..., : h * width].reshape(b, c, h, width)


def unskew(x: Tensor, width: int) -> Tensor:
    """Undo :func:`skew`: ``(B, C, H, H + W − 1)`` → ``(B, C, H, W)``."""
    b, c, h, skewed = x.shape
    flat = F.pad(x.flatten(2), (0, h))  # (B, C, H·(H + W))
    return flat.view(b, c, h, skewed + 1)[..., :width]


def lstm_cell(gates: Tensor, cell: Tensor) -> tuple[Tensor, Tensor]:
    """LSTM update from pre-activations ``(B, 4C, …)`` and the previous cell.

    Gates are ordered (input, forget, output, candidate); returns (h, c).
    """
    i, f, o, g = gates.chunk(4, dim=1)
    cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)
    hidden = torch.sigmoid(o) * torch.tanh(cell)
    return hidden, cell


class SpatialModel(ARModel):
    """Base of the raster-order models whose structure follows from footprints."""

    config: SpatialConfig
    #: The closed form of :mod:`models.counting` for this architecture; its
    #: parameters are named like the config's fields.
    counter: ClassVar[Callable[..., ParameterCount]]
    #: The residual, gated and LSTM nets take a larger step: one epoch of
    #: mnist-5k at 1e-2 reaches 84–87 nats where 1e-3 stays at 190–330.
    default_lr = 1e-2

    _vertical_reach: int | None = None

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> ParameterCount:
        """:attr:`counter` applied to the config's fields of the same names.

        ``outputs``, the parameters per pixel, comes from the likelihood.
        """
        names = inspect.signature(cls.counter).parameters
        settings = {n: getattr(config, n) for n in names if hasattr(config, n)}
        outputs = config.resolve_likelihood().channels
        return cls.counter(**settings, outputs=outputs)

    def _make_head(self, channels: int) -> OutputHead:
        """The output head from ``channels`` features to the likelihood's params."""
        return OutputHead(channels, self.config.output_layers, self.output_channels)

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Parameters ``(B, C, H, W)`` of every pixel in one pass (checked input)."""
        self.check_input(x, y)
        return self._params(x, y)

    def _params(self, x: Tensor, y: Tensor | None) -> Tensor:
        """Parameters ``(B, C, R, W)`` for images of any height R (unchecked)."""
        raise NotImplementedError

    def reach(self, outputs: Tensor) -> Tensor:
        """Input pixels the outputs in ``outputs`` ``(S, H, W)`` bool may read."""
        raise NotImplementedError

    def vertical_reach(self) -> int:
        """How many rows above itself an output may read (from :meth:`reach`)."""
        if self._vertical_reach is None:
            height, width = self.image_shape
            last_row = torch.zeros(width, height, width, dtype=torch.bool)
            last_row[torch.arange(width), height - 1, torch.arange(width)] = True
            rows = self.reach(last_row).any(dim=(0, 2)).nonzero()
            self._vertical_reach = height - 1 - int(rows.min()) if len(rows) else 0
        return self._vertical_reach

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """Run the network on the rows an output can reach, not the whole image.

        The output at row r reads rows r − R … r only (R = :meth:`vertical_reach`),
        so a pass over that band gives exactly the same parameters as a pass over
        the whole image: H / (R + 1) times less work per pixel for a shallow
        network.
        """
        height, width = self.image_shape
        band = self.vertical_reach()
        for r in range(height):
            top = max(0, r - band)
            for c in range(width):
                params = self._params(x[:, :, top : r + 1], y)[:, :, -1, c]  # (B, C)
                k = r * width + c
                yield draw_pixel(
                    self.likelihood, k, k, params, x, known, temperature, generator
                )

    def dependency_mask(self) -> Tensor:
        """Theoretical dependencies of every output, from :meth:`reach`."""
        n = self.num_pixels
        one_hot = torch.eye(n, dtype=torch.bool).view(n, *self.image_shape)
        return self.reach(one_hot).view(n, n)

    def receptive_field(self, pixel: int) -> Tensor:
        """:meth:`reach` of this one pixel, not the whole dependency mask."""
        one = torch.zeros(1, self.num_pixels, dtype=torch.bool)
        one[0, pixel] = True
        return self.reach(one.view(1, *self.image_shape))[0]


class StemModel(SpatialModel):
    """A mask-A convolution (plus a bias per class), a body, a 1×1 head.

    PixelCNN, Row LSTM and Diagonal BiLSTM share this shape; each defines its
    body (:meth:`_body`) and what the body reads (:meth:`_body_reach`).
    """

    def __init__(self, config: SpatialConfig) -> None:
        super().__init__(config)
        c = config.channels
        self.first = MaskedConv2d(1, c, config.first_kernel, "A")
        self.head = self._make_head(c)
        if config.num_classes:
            self.class_bias = nn.Parameter(torch.zeros(config.num_classes, c))

    def _body(self, h: Tensor, x: Tensor) -> Tensor:
        """Features ``(B, D, R, W)`` → features, given the image ``x`` too."""
        raise NotImplementedError

    def _body_reach(self, outputs: Tensor) -> tuple[Tensor, Tensor]:
        """(stem features read, image pixels read directly) by ``outputs``."""
        raise NotImplementedError

    def _params(self, x: Tensor, y: Tensor | None) -> Tensor:
        h = self.first(x)  # (B, D, R, W)
        if y is not None:
            h = h + self.class_bias[y][:, :, None, None]
        params: Tensor = self.head(self._body(h, x))  # (B, C, R, W)
        return params

    def reach(self, outputs: Tensor) -> Tensor:
        """Back through the body, then the mask-A convolution."""
        features, pixels = self._body_reach(outputs)
        return dilate(features, self.first.offsets()) | pixels

    def _stem_at(self, x: Tensor, y: Tensor | None) -> Callable[[int, int], Tensor]:
        """``(r, c) ↦`` the stem's features ``(B, D)`` at one position of ``x``."""
        at = conv_at(self.first, x)
        if y is None:
            return at
        bias = self.class_bias[y]  # (B, D)
        return lambda r, c: at(r, c) + bias

    def _head_at(self, features: Tensor) -> Tensor:
        """Parameters ``(B, C)`` from the features ``(B, D)`` of one position."""
        params: Tensor = self.head(features[:, :, None, None])[:, :, 0, 0]
        return params
