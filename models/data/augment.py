"""Data augmentation: affine jitter and stroke thickness, fresh every epoch.

Each training image gets its own small random shift, rotation, scaling and
shear, and its strokes are made a little thicker or thinner, on the grayscale
image *before* binarization, so thresholding at ½ still gives clean strokes
like a mouse drawing. The draws are seeded by (seed, data set, epoch): every
epoch sees new variants, and a resumed run sees exactly what an uninterrupted
one would have.

The warp is one batched :func:`torch.nn.functional.affine_grid` /
:func:`~torch.nn.functional.grid_sample` (bilinear) over the whole set; the
thickness change blends each image towards its 3×3 dilation (thicker) or
erosion (thinner) by a random fraction.

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

__all__ = ["AUGMENT_LIMITS", "Augmentation", "recorded_augmentation"]

#: Largest accepted value of each parameter (all must be ≥ 0).
AUGMENT_LIMITS: Final[dict[str, float]] = {
    "shift": 8.0,
    "rotate_deg": 90.0,
    "scale": 0.5,
    "shear_deg": 45.0,
    "thickness": 1.0,
}

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
    seed
        Seeds the draws (with the data set's name and the epoch).
    """

    shift: float = 2.0
    rotate_deg: float = 12.0
    scale: float = 0.12
    shear_deg: float = 10.0
    thickness: float = 0.35
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
    def transform(images: Tensor, params: Tensor) -> Tensor:
        """Apply drawn parameters to intensities ``(B, 1, H, W)`` in [0, 1].

        ``params`` is ``(B, 6)`` as :meth:`draw` makes them. Returns the
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
        params = torch.from_numpy(self.draw(np.random.default_rng(key), len(data)))
        out = np.empty(data.images.shape, dtype=np.uint8)
        scale = 1.0 / (data.levels - 1)
        with torch.no_grad():
            for start in range(0, len(data), _CHUNK):
                stop = start + _CHUNK
                x = torch.from_numpy(data.images[start:stop]).float().unsqueeze(1)
                y = self.transform(x * scale, params[start:stop])  # (B, 1, H, W)
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


def recorded_augmentation(metadata: Mapping[str, Any]) -> Augmentation | None:
    """The augmentation a training checkpoint recorded (None: it had none)."""
    training = metadata.get("training") or {}
    record = training.get("augmentation")
    return None if record is None else Augmentation.from_dict(record)
