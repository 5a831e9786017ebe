"""Scoring a drawing the way the draw-and-score canvas does.

A drawing on the canvas is not an MNIST digit: it can be small, off-centre or
drawn with a thick brush. Before it is scored it is prepared as MNIST digits
were made (:func:`models.data.normalize.normalize_drawing`: bounding box into
20×20, centre of mass at the centre). For a binary model the stroke width is
matched and the image thresholded at ½, as the binary models' data was; for a
model of K gray levels the anti-aliased gray image is kept, as MNIST's own,
and rounded to the model's levels. Then it is scored exactly
(:func:`models.evaluation.score_drawing`), and the per-pixel surprise, which
belongs to the prepared image, is brought back to the drawing's own pixels so
it can be shown under the ink the user drew.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from models.base import ARModel
from models.data.normalize import NormalizedDrawing, normalize_drawing
from models.evaluation import DrawingScore, score_drawing

__all__ = [
    "CanvasScore",
    "PreparedDrawing",
    "prepare_drawing",
    "quantize",
    "score_canvas",
]

#: MNIST's proportions: a 20×20 box inside a 28×28 image.
BOX_FRACTION = 20 / 28


@dataclass(frozen=True)
class PreparedDrawing:
    """A drawing as the model is shown it, with the map back to the drawing.

    Attributes
    ----------
    image
        (H, W) float64: what the model sees, 0s and 1s for a binary model,
        the K levels k / (K − 1) for a gray one.
    normalized
        The normalisation, or None when the drawing is shown as drawn.
    empty
        True when the drawing has no ink: no pixel at ½ or more (binary), no
        pixel above the lowest level (gray).
    extent
        The longest side of the ink's bounding box in the drawing, in pixels
        (0 when empty): how big the user drew.
    """

    image: NDArray[np.float64]
    normalized: NormalizedDrawing | None
    empty: bool
    extent: int

    def to_drawing(
        self, values: NDArray[np.floating], shape: tuple[int, int]
    ) -> NDArray[np.float64]:
        """A per-pixel map on :attr:`image`, in the drawing's own pixels."""
        if self.normalized is None or self.empty:
            copy: NDArray[np.float64] = np.array(values, dtype=np.float64)
            return copy
        return self.normalized.to_drawing(values, shape)


def prepare_drawing(
    drawing: NDArray[np.floating], *, normalize: bool = True, levels: int = 2
) -> PreparedDrawing:
    """The image the model scores for ``drawing`` ((H, W) in [0, 1], ink = 1).

    With ``levels`` = 2 (a binary model) the ink is what lies at ½ or more;
    with ``normalize`` a square drawing is normalised as MNIST digits are
    (:func:`~models.data.normalize.normalize_drawing`, with the box scaled to
    the image side, strokes matched to MNIST's width); otherwise, or for a
    non-square image, it is only thresholded at ½. With K = ``levels`` > 2
    (a gray model, or the data levels of a continuous one) every pixel is
    rounded to the nearest level k / (K − 1), and the ink is every pixel
    above 0; the normalisation keeps the anti-aliased gray image and rounds
    it to the levels again.
    """
    values = np.clip(np.asarray(drawing, dtype=np.float64), 0.0, 1.0)
    gray = levels > 2
    if gray:
        values = quantize(values, levels)
        ink = values > 0
    else:
        ink = values >= 0.5
    h, w = values.shape
    if not ink.any():
        return PreparedDrawing(np.zeros((h, w)), None, empty=True, extent=0)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    extent = int(max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1)
    shown = values if gray else ink.astype(np.float64)
    if not normalize or h != w:
        return PreparedDrawing(shown, None, False, extent)
    # only the ink counts: faint pixels below ½ are not part of a binary drawing
    normalized = normalize_drawing(
        shown, size=h, box=max(1, round(h * BOX_FRACTION)), match_stroke=not gray
    )
    if gray:
        image = quantize(normalized.image, levels)
    else:
        image = (normalized.image >= 0.5).astype(np.float64)
    return PreparedDrawing(image, normalized, False, extent)


def quantize(image: NDArray[np.floating], levels: int) -> NDArray[np.float64]:
    """Each value rounded to the nearest of ``levels`` levels k / (K − 1)."""
    k = levels - 1
    rounded: NDArray[np.float64] = np.rint(np.clip(image, 0.0, 1.0) * k) / k
    return rounded


@dataclass(frozen=True)
class CanvasScore:
    """A scored drawing: the model's numbers and where they belong.

    Attributes
    ----------
    model_score
        The exact score of the prepared image (log p(x), bits/dim, the
        surprise of every pixel of the prepared image, p(y | x)).
    prepared
        What the model was shown, and how it maps back to the drawing.
    surprise
        −log p(x_i | x_<i) (nats; of a density, so of any sign, for a
        continuous model) in the drawing's own pixels: where the
        drawing was normalised, each pixel shows the mean over the pixels of
        the prepared image it became.
    """

    model_score: DrawingScore
    prepared: PreparedDrawing
    surprise: NDArray[np.float64]

    @property
    def log_prob(self) -> float:
        """The log-likelihood, nats, of the image the model saw."""
        return self.model_score.log_prob

    @property
    def bits_per_dim(self) -> float:
        """−log₂ p(x) / (H·W)."""
        return self.model_score.bits_per_dim

    @property
    def class_posterior(self) -> NDArray[np.float64] | None:
        """p(y | x) for a class-conditional model, else None."""
        return self.model_score.class_posterior

    @property
    def model_view(self) -> NDArray[np.float64]:
        """The image the model scored."""
        return self.prepared.image

    @property
    def empty(self) -> bool:
        """Whether nothing was drawn."""
        return self.prepared.empty


def score_canvas(
    model: ARModel, drawing: NDArray[np.floating], *, normalize: bool = True
) -> CanvasScore:
    """Prepare ``drawing`` for ``model`` (:func:`prepare_drawing`), score it exactly.

    The preparation follows the model's levels (its likelihood's ``levels``:
    2 for a binary model).
    """
    prepared = prepare_drawing(
        drawing, normalize=normalize, levels=model.likelihood.levels
    )
    score = score_drawing(model, prepared.image)
    shape = (int(drawing.shape[0]), int(drawing.shape[1]))
    return CanvasScore(score, prepared, prepared.to_drawing(score.surprise, shape))
