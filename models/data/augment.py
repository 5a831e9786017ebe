"""Data augmentation: affine jitter, elastic warp, stroke thickness; fresh each epoch.

Each training image gets its own small random shift, rotation, scaling and
shear, optionally a smooth elastic deformation (Simard, Steinkraus and Platt
2003, *Best Practices for Convolutional Neural Networks Applied to Visual
Document Analysis*: the wobble of a hand that an affine map cannot make), and
its strokes are made a little thicker or thinner, on the grayscale image
*before* binarization, so thresholding at ½ still gives clean strokes
like a mouse drawing. The draws are seeded by (seed, data set, epoch): every
epoch sees new variants, and a resumed run sees exactly what an uninterrupted
one would have.

The warp is one batched :func:`torch.nn.functional.affine_grid` /
:func:`~torch.nn.functional.grid_sample` (bilinear) over the whole set, the
elastic field added to the sampling grid; the thickness change blends each
image towards its 3×3 dilation (thicker) or erosion (thinner) by a random
fraction.

How a front end turns it on::

    from models.data.augment import Augmentation
    trainer = Trainer(model, train, valid, config,
                      augmentation=Augmentation())   # the default recipe
    # or Augmentation(rotate_deg=8, thickness=0.3); None (the default) is off

``ar-models train --augment`` uses the default recipe and
``--augment rotate_deg=8,thickness=0.3`` overrides parameters. The recipe is
recorded in the checkpoint (``training.augmentation``); read it back with
:func:`recorded_augmentation` to resume with the same one.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import NDArray
from torch import Tensor

from models.data.loaders import ImageSet
from models.errors import ConfigError, reject_unknown

__all__ = [
    "AUGMENT_LIMITS",
    "ELASTIC_SIGMA",
    "Augmentation",
    "elastic_field",
    "recorded_augmentation",
]

#: Largest accepted value of each parameter (all must be ≥ 0).
AUGMENT_LIMITS: Final[dict[str, float]] = {
    "shift": 8.0,
    "rotate_deg": 90.0,
    "scale": 0.5,
    "shear_deg": 45.0,
    "thickness": 1.0,
    "elastic": 4.0,
}

#: Smoothness of the elastic field: the white noise is blurred by a Gaussian
#: of this standard deviation, in pixels (Simard et al. use 4 on 29×29).
ELASTIC_SIGMA: Final = 4.0

_CHUNK: Final = 4096  # images warped at once


@dataclass(frozen=True)
class Augmentation:
    """A random affine jitter and stroke-thickness change per image.

    Every parameter is the half-width of a uniform draw, so 0 turns that part
    off; all zeros is the identity.

    Attributes
    ----------
    shift
        Largest translation along each axis, in pixels.
    rotate_deg
        Largest rotation about the image centre, in degrees.
    scale
        Largest relative change of size: the factor lies in [1 − s, 1 + s].
    shear_deg
        Largest horizontal shear angle, in degrees (slanted handwriting).
    thickness
        Largest stroke change, in [0, 1]: +1 is a full 3×3 dilation (one pixel
        thicker on each side), −1 a full erosion; values between blend.
    elastic
        Largest elastic deformation: each image's smooth random displacement
        field (white noise blurred at :data:`ELASTIC_SIGMA`) is scaled to a
        root-mean-square length drawn in [0, elastic] pixels. 0, the default,
        turns it off and leaves the other parts' draws as they were.
    seed
        Seeds the draws (with the data set's name and the epoch).
    """

    shift: float = 2.0
    rotate_deg: float = 12.0
    scale: float = 0.12
    shear_deg: float = 10.0
    thickness: float = 0.35
    elastic: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for name, limit in AUGMENT_LIMITS.items():
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or not 0 <= value <= limit
            ):
                raise ConfigError(
                    f"augmentation {name} must be a number in [0, {limit:g}], "
                    f"got {value!r}"
                )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ConfigError(
                f"augmentation seed must be an integer, got {self.seed!r}"
            )
        if self.seed < 0:
            raise ConfigError(f"augmentation seed must be ≥ 0, got {self.seed}")

    @property
    def is_identity(self) -> bool:
        """True when every parameter is 0 (images pass through unchanged)."""
        return all(getattr(self, name) == 0 for name in AUGMENT_LIMITS)

    # -- the transform ----------------------------------------------------------

    def draw(self, rng: np.random.Generator, count: int) -> NDArray[np.float64]:
        """Random parameters of ``count`` images, ``(count, 6)``.

        Columns: shift rows, shift columns (pixels), rotation, shear (radians),
        log scale factor, thickness.
        """
        u = rng.uniform(-1.0, 1.0, size=(count, 6))  # (count, 6)
        scale = np.log1p(self.scale * u[:, 4]) if self.scale else np.zeros(count)
        return np.stack(
            [
                self.shift * u[:, 0],
                self.shift * u[:, 1],
                math.radians(self.rotate_deg) * u[:, 2],
                math.radians(self.shear_deg) * u[:, 3],
                scale,
                self.thickness * u[:, 5],
            ],
            axis=1,
        )

    @staticmethod
    def transform(images: Tensor, params: Tensor, flow: Tensor | None = None) -> Tensor:
        """Apply drawn parameters to intensities ``(B, 1, H, W)`` in [0, 1].

        ``params`` is ``(B, 6)`` as :meth:`draw` makes them; ``flow``, when
        given, is an elastic field ``(B, H, W, 2)`` as :func:`elastic_field`
        makes it, added to where each output pixel samples. Returns the
        transformed intensities, same shape, in [0, 1].
        """
        b, _, h, w = images.shape
        p = params.to(images.dtype)
        shift_r, shift_c, angle, shear, log_scale, thick = p.unbind(1)  # each (B,)
        # forward map (x right, y down, in normalised [-1, 1] units): scale,
        # then shear, then rotate, then shift; grid_sample needs its inverse
        cos, sin, scale = torch.cos(angle), torch.sin(angle), torch.exp(log_scale)
        tan = torch.tan(shear)
        forward = torch.stack(
            [
                torch.stack([cos * scale, (cos * tan - sin) * scale], 1),
                torch.stack([sin * scale, (sin * tan + cos) * scale], 1),
            ],
            1,
        )  # (B, 2, 2)
        offset = torch.stack([shift_c * 2 / w, shift_r * 2 / h], 1)  # (B, 2)
        inverse = torch.linalg.inv(forward)  # (B, 2, 2)
        theta = torch.cat(
            [inverse, -(inverse @ offset.unsqueeze(2))], dim=2
        )  # (B, 2, 3)
        grid = F.affine_grid(theta, [b, 1, h, w], align_corners=False)
        if flow is not None:
            grid = grid + flow.to(grid.dtype)
        warped = F.grid_sample(
            images, grid, mode="bilinear", padding_mode="zeros", align_corners=False
        )  # (B, 1, H, W)
        thicker = F.max_pool2d(warped, 3, stride=1, padding=1)
        thinner = -F.max_pool2d(-warped, 3, stride=1, padding=1)
        grow = thick.clamp(min=0).view(b, 1, 1, 1)
        shrink = (-thick).clamp(min=0).view(b, 1, 1, 1)
        out = warped + grow * (thicker - warped) + shrink * (thinner - warped)
        return out.clamp(0.0, 1.0)

    def apply(self, data: ImageSet, epoch: int = 0) -> ImageSet:
        """The augmented copy of ``data`` for ``epoch`` (grayscale, 256 levels).

        The identity recipe returns ``data`` itself. Labels and the name are
        kept, so binarizing it afterwards draws from the same streams.
        """
        if self.is_identity:
            return data
        key = [self.seed, zlib.crc32(data.name.encode()), epoch]
        rng = np.random.default_rng(key)
        params = torch.from_numpy(self.draw(rng, len(data)))
        # drawn after the affine parameters, so elastic=0 leaves those as they were
        strengths = rng.uniform(0.0, self.elastic, len(data)) if self.elastic else None
        out = np.empty(data.images.shape, dtype=np.uint8)
        _, h, w = data.images.shape
        scale = 1.0 / (data.levels - 1)
        with torch.no_grad():
            for start in range(0, len(data), _CHUNK):
                stop = start + _CHUNK
                x = torch.from_numpy(data.images[start:stop]).float().unsqueeze(1)
                flow = (
                    None
                    if strengths is None
                    else elastic_field(rng, strengths[start:stop], h, w)
                )
                y = self.transform(x * scale, params[start:stop], flow)  # (B, 1, H, W)
                out[start:stop] = (y[:, 0] * 255).round().to(torch.uint8).numpy()
        return ImageSet(out, data.labels, 256, data.name)

    # -- records ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, record: Mapping[str, Any], **overrides: Any) -> Augmentation:
        """An augmentation from a JSON record; ``overrides`` that are not None win.

        Missing keys take the defaults; unknown keys are an error.
        """
        values = dict(record) | {k: v for k, v in overrides.items() if v is not None}
        known = {f.name for f in dataclasses.fields(cls)}
        reject_unknown(values, known, "augmentation setting")
        return cls(**values)

    @classmethod
    def parse(cls, text: str, seed: int | None = None) -> Augmentation:
        """Read ``"default"`` or ``"rotate_deg=8,thickness=0.3"`` (others default).

        ``seed``, when given, replaces the default seed (a ``seed=`` in the
        text wins over it).
        """
        values: dict[str, Any] = {} if seed is None else {"seed": seed}
        text = text.strip()
        if text and text != "default":
            for item in text.split(","):
                key, sep, raw = item.partition("=")
                key = key.strip()
                if not sep or not key:
                    raise ConfigError(
                        f"augmentation settings look like rotate_deg=8,thickness=0.3; "
                        f"got {item.strip()!r}"
                    )
                try:
                    number = float(raw)
                except ValueError:
                    raise ConfigError(
                        f"augmentation {key} must be a number, got {raw.strip()!r}"
                    ) from None
                values[key] = (
                    int(number) if key == "seed" and number.is_integer() else number
                )
        return cls.from_dict(values)


@functools.cache  # one per image side, reused by every chunk and epoch
def _blur_matrix(size: int) -> Tensor:
    """``(size, size)``: a Gaussian blur of :data:`ELASTIC_SIGMA` along one axis.

    Row ``i`` holds the weights of the pixels that output ``i`` averages, taps
    past either edge falling on the edge pixel (replicated edges).
    """
    radius = int(3 * ELASTIC_SIGMA)
    taps = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (taps / ELASTIC_SIGMA) ** 2)
    kernel /= kernel.sum()
    matrix = np.zeros((size, size), dtype=np.float32)
    for i in range(size):
        np.add.at(matrix[i], np.clip(i + taps, 0, size - 1), kernel)
    return torch.from_numpy(matrix)


def elastic_field(
    rng: np.random.Generator, strengths: NDArray[np.float64], height: int, width: int
) -> Tensor:
    """Smooth random displacements for :meth:`Augmentation.transform`.

    One field per entry of ``strengths``: white noise in both directions,
    blurred by a Gaussian of :data:`ELASTIC_SIGMA` pixels (edges replicated),
    then scaled so that the root-mean-square length of its displacements is
    that entry, in pixels. Returned ``(B, H, W, 2)`` in the normalised units
    of :func:`~torch.nn.functional.grid_sample` (x then y; the image spans 2).
    """
    count = len(strengths)
    noise = rng.standard_normal((count, 2, height, width), dtype=np.float32)
    field = torch.from_numpy(noise)  # (B, 2, H, W): x, y displacement
    # the separable blur as two small matrices: a product is much faster here
    # than a 25-tap convolution
    field = _blur_matrix(height) @ field @ _blur_matrix(width).T  # (B, 2, H, W)
    rms = field.square().sum(1).mean((1, 2)).sqrt().clamp_min(1e-12)  # (B,)
    size = torch.from_numpy(strengths).float() / rms  # pixels per unit of field
    units = torch.tensor([2.0 / width, 2.0 / height]).view(1, 2, 1, 1)
    field = field * size.view(count, 1, 1, 1) * units
    return field.permute(0, 2, 3, 1)  # (B, H, W, 2)


def recorded_augmentation(metadata: Mapping[str, Any]) -> Augmentation | None:
    """The augmentation a training checkpoint recorded (None: it had none)."""
    training = metadata.get("training") or {}
    record = training.get("augmentation")
    return None if record is None else Augmentation.from_dict(record)
