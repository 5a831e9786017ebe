"""Is a drawing a typical digit? Likelihood is not the same question.

A likelihood model gives the *single most probable* image a high score, and
for digits that image is an almost empty one: few pixels, each easy to
predict. Nalisnick, Matsukawa, Teh, Gorur & Lakshminarayanan (2019), *Do Deep
Generative Models Know What They Don't Know?* (ICLR), showed that density
models trained on one data set often give higher likelihood to another. The
way out is *typicality* (Cover & Thomas, ch. 3; Nalisnick, Matsukawa, Teh &
Lakshminarayanan 2019, *Detecting Out-of-Distribution Inputs to Deep
Generative Models Using Typicality*, arXiv:1906.02994): samples of a
distribution do not sit at its mode; their −log p(x) clusters around the
entropy H = E[−log p(x)], inside the *typical set*. An image far from that
band, in either direction, is not like the data.

Here the band is estimated from held-out digits scored by the same model,
prepared the same way as the drawing (:class:`Reference`), and a drawing is
tested against it, two-sided: its log p(x) must not be more extreme than
almost all of theirs. Likelihood alone lets some shapes through (a filled
blob can score like a digit), so two cheap features of the image the model
sees are tested the same way: the amount of ink, and how thick the ink is
(the erosions it takes to vanish). Drawings much smaller than a digit are
named as such. :func:`assess` puts it in plain words.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from models.base import ARModel
from models.drawing import prepare_drawing
from models.evaluation import score_images
from models.text import QT_TRANSLATE_NOOP, Phrase

__all__ = [
    "ALPHA",
    "MIN_EXTENT",
    "Assessment",
    "Reference",
    "Verdict",
    "assess",
    "build_reference",
    "ink_amount",
    "likelihood_position",
    "thickness",
    "two_sided_p",
]

#: Significance of each two-sided check: a real digit is flagged by one check
#: about 1 time in 100.
ALPHA = 0.01

#: A drawing whose ink spans fewer pixels than this (MNIST digits span 20 of
#: 28) is a dot or a speck, however it scores.
MIN_EXTENT = 5

#: Where the reference digits come from, unless the caller names them.
HELD_OUT = QT_TRANSLATE_NOOP("models", "held-out digits")


def ink_amount(image: NDArray[np.floating]) -> int:
    """Pixels with ink (≥ ½)."""
    return int((np.asarray(image) >= 0.5).sum())


def thickness(image: NDArray[np.floating]) -> int:
    """How many 3×3 erosions the ink survives before it vanishes.

    A stroke k pixels wide vanishes after about k/2 erosions, so a digit's
    strokes (2–3 pixels) give 1–2, where strokes cross 3; a solid patch n
    pixels across gives about n/2. 0 for an empty image.
    """
    ink = np.asarray(image) >= 0.5
    count = 0
    while ink.any():
        p = np.pad(ink, 1)
        ink = (
            p[1:-1, 1:-1]
            & p[:-2, 1:-1]
            & p[2:, 1:-1]
            & p[1:-1, :-2]
            & p[1:-1, 2:]
            & p[:-2, :-2]
            & p[:-2, 2:]
            & p[2:, :-2]
            & p[2:, 2:]
        )
        count += 1
    return count


def two_sided_p(
    value: float, sample: NDArray[np.floating] | NDArray[np.integer]
) -> float:
    """Empirical two-sided p-value of ``value`` against ``sample``.

    ``2 · min(#{s ≤ value} + 1, #{s ≥ value} + 1) / (n + 1)``, capped at 1:
    the chance that a draw from the sample's distribution is at least as
    extreme, in the same direction. Ties count against the value, so a
    discrete feature is never flagged for matching the data.
    """
    data = np.asarray(sample, dtype=np.float64)
    below = int((data <= value).sum())
    above = int((data >= value).sum())
    return min(1.0, 2.0 * (min(below, above) + 1) / (len(data) + 1))


@dataclass(frozen=True)
class Reference:
    """What held-out digits look like to one model: the yardstick for a drawing.

    Attributes
    ----------
    log_probs
        log p(x) in nats of each held-out digit, ``(N,)``.
    ink
        Ink pixels of each digit as the model saw it, ``(N,)``.
    thickness
        :func:`thickness` of each digit as the model saw it, ``(N,)``.
    num_pixels
        H·W, for bits per dimension.
    source
        Where the digits come from, for the user ("mnist-5k test").
    """

    log_probs: NDArray[np.float64]
    ink: NDArray[np.int64]
    thickness: NDArray[np.int64]
    num_pixels: int
    source: str = HELD_OUT

    @classmethod
    def from_images(
        cls,
        log_probs: NDArray[np.floating],
        images: NDArray[np.floating] | NDArray[np.uint8],
        source: str = HELD_OUT,
    ) -> Reference:
        """Measure ``images`` (what the model saw, ``(N, H, W)``) beside scores."""
        images = np.asarray(images)
        if len(images) != len(log_probs) or len(images) == 0:
            raise ValueError("need as many scores as images, and at least one")
        return cls(
            np.asarray(log_probs, dtype=np.float64),
            np.array([ink_amount(x) for x in images], dtype=np.int64),
            np.array([thickness(x) for x in images], dtype=np.int64),
            int(images.shape[1] * images.shape[2]),
            source,
        )

    @property
    def count(self) -> int:
        """How many digits."""
        return len(self.log_probs)

    @property
    def entropy(self) -> float:
        """Mean −log p(x) of the digits (nats): an estimate of the entropy."""
        return float(-self.log_probs.mean())

    def share_less_likely(self, log_prob: float) -> float:
        """Percentage of the digits whose log p(x) is below ``log_prob``."""
        return float(100.0 * np.mean(self.log_probs < log_prob))

    def typical_range(self, alpha: float = ALPHA) -> tuple[float, float]:
        """The log p(x) range holding all but ``alpha`` of the digits (nats)."""
        low, high = np.quantile(self.log_probs, [alpha / 2, 1 - alpha / 2])
        return float(low), float(high)


def build_reference(
    model: ARModel,
    images: NDArray[np.uint8] | NDArray[np.floating],
    *,
    normalize: bool = True,
    source: str = HELD_OUT,
    batch_size: int = 64,
    stop: Callable[[], bool] | None = None,
) -> Reference:
    """Prepare held-out ``images`` as drawings are, score and measure them.

    ``images`` are ``(N, H, W)`` in [0, 1]: binary for a binary model, gray
    for a model of gray levels. Each is prepared with
    :func:`~models.drawing.prepare_drawing` for the model's levels
    (``normalize`` as the drawing is), so the drawing is compared with digits
    the model saw the same way. ``stop()`` is asked between batches
    (:class:`InterruptedError`); ``batch_size`` counts passes, as
    :func:`~models.evaluation.score_images` does.
    """
    levels = model.likelihood.levels
    seen = np.stack(
        [
            prepare_drawing(x, normalize=normalize, levels=levels).image
            for x in np.asarray(images)
        ]
    )  # (N, H, W) values k / (K − 1)
    indices = np.rint(seen * (levels - 1)).astype(np.uint8)  # (N, H, W) levels k
    log_probs = score_images(model, indices, batch_size=batch_size, stop=stop)
    return Reference.from_images(log_probs, seen, source)


class Verdict(enum.Enum):
    """What a drawing is, in words a student reads."""

    NOTHING = QT_TRANSLATE_NOOP("models", "nothing drawn")
    PENDING = QT_TRANSLATE_NOOP(
        "models", "not checked yet: the held-out digits are being scored"
    )
    TOO_LIKELY = QT_TRANSLATE_NOOP("models", "too likely to be a digit (nearly empty?)")
    TOO_SMALL = QT_TRANSLATE_NOOP("models", "too small to be a digit (a dot?)")
    UNLIKE = QT_TRANSLATE_NOOP("models", "unlike any digit")
    TYPICAL = QT_TRANSLATE_NOOP("models", "typical digit")


@dataclass(frozen=True)
class Assessment:
    """A drawing judged against held-out digits.

    Attributes
    ----------
    verdict
        The one-line answer.
    reasons
        Plain sentences: each check the drawing failed (empty when typical);
        each a :class:`~models.text.Phrase` the app can translate.
    position
        Where its log p(x) falls among the digits, both tails named ("" with
        no reference yet); a :class:`~models.text.Phrase` when there is one.
    share_less_likely
        Percentage of held-out digits less likely than the drawing, or None.
    p_value
        The two-sided p-value of its log p(x) among the digits, or None.
    """

    verdict: Verdict
    reasons: tuple[str, ...] = ()
    position: str = ""
    share_less_likely: float | None = None
    p_value: float | None = None

    @property
    def headline(self) -> str:
        """The verdict in words."""
        return self.verdict.value

    @property
    def classes_meaningful(self) -> bool:
        """Whether p(y | x) can be read as "which digit is it"."""
        return self.verdict in (Verdict.TYPICAL, Verdict.PENDING)


SUSPICIOUS = QT_TRANSLATE_NOOP(
    "models",
    "More likely than all {count} {source}: more likely than any real digit, "
    "which is suspicious: an almost empty image is the single most probable "
    "picture, but it is not a typical digit.",
)
NEAR_SUSPICIOUS = QT_TRANSLATE_NOOP(
    "models",
    "More likely than {share:.1f}% of {count} {source}: more likely than almost "
    "every real digit: the most probable pictures are the emptiest and "
    "simplest, not the typical ones.",
)


def likelihood_position(log_prob: float, reference: Reference) -> Phrase:
    """Where ``log_prob`` falls among the held-out digits, tails named."""
    share = reference.share_less_likely(log_prob)
    # the source is a marked word, translated with the sentence
    digits = {"count": reference.count, "source": Phrase(reference.source)}
    top = 100.0 * (1 - ALPHA / 2)
    if log_prob > reference.log_probs.max():
        return Phrase(SUSPICIOUS, **digits)
    if share >= top:
        return Phrase(NEAR_SUSPICIOUS, share=share, **digits)
    if log_prob < reference.log_probs.min():
        return Phrase(
            QT_TRANSLATE_NOOP(
                "models",
                "Less likely than all {count} {source}: unlike every one of them.",
            ),
            **digits,
        )
    if share <= 100.0 - top:
        return Phrase(
            QT_TRANSLATE_NOOP(
                "models",
                "Less likely than almost every digit: only {share:.1f}% of {count} "
                "{source} score lower.",
            ),
            share=share,
            **digits,
        )
    return Phrase(
        QT_TRANSLATE_NOOP(
            "models",
            "More likely than {share:.1f}% of {count} {source}, among real digits.",
        ),
        share=share,
        **digits,
    )


def assess(
    log_prob: float,
    image: NDArray[np.floating],
    reference: Reference | None,
    *,
    empty: bool = False,
    extent: int | None = None,
    alpha: float = ALPHA,
) -> Assessment:
    """Judge a scored drawing: nothing, too likely, too small, unlike, typical.

    Parameters
    ----------
    log_prob
        log p(x) of ``image`` in nats.
    image
        What the model saw, (H, W).
    reference
        The held-out digits (:func:`build_reference`); None while they are
        being scored (then only "nothing drawn" and "too small" can be said).
    empty
        Nothing was drawn.
    extent
        The longest side of the drawing's ink, in the drawing's pixels.
    alpha
        Significance of each two-sided check.
    """
    if empty:
        blank = (
            Phrase(
                QT_TRANSLATE_NOOP(
                    "models", "The canvas is blank: draw a digit, or load a real one."
                )
            ),
        )
        if reference is None:
            return Assessment(Verdict.NOTHING, blank)
        return Assessment(
            Verdict.NOTHING,
            blank,
            likelihood_position(log_prob, reference),
            reference.share_less_likely(log_prob),
            two_sided_p(log_prob, reference.log_probs),
        )
    small = extent is not None and extent < MIN_EXTENT
    small_reason = Phrase(
        QT_TRANSLATE_NOOP(
            "models",
            "The ink spans only {extent} pixel; a handwritten digit is many times "
            "taller.",
        )
        if extent == 1
        else QT_TRANSLATE_NOOP(
            "models",
            "The ink spans only {extent} pixels; a handwritten digit is many times "
            "taller.",
        ),
        extent=extent,
    )
    if reference is None:
        if small:
            return Assessment(Verdict.TOO_SMALL, (small_reason,))
        return Assessment(Verdict.PENDING)
    p = two_sided_p(log_prob, reference.log_probs)
    position = likelihood_position(log_prob, reference)
    share = reference.share_less_likely(log_prob)
    too_likely = p < alpha and share >= 50.0
    ink = ink_amount(image)
    sparse = two_sided_p(ink, reference.ink) < alpha and ink < np.median(reference.ink)
    reasons: list[str] = []
    notes: list[str] = []  # said, but not against the drawing
    if too_likely and sparse:
        reasons.append(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "models",
                    "log p(x) is higher than for almost every held-out digit "
                    "(two-sided p = {p:.3f}): the most probable pictures are nearly "
                    "empty ones.",
                ),
                p=p,
            )
        )
    elif too_likely:
        # a clean, simple digit (a straight 1) with a digit's amount of ink:
        # more probable than real handwriting, but not a blank picture
        notes.append(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "models",
                    "log p(x) is higher than for almost every held-out digit "
                    "(two-sided p = {p:.3f}): cleaner and simpler than real "
                    "handwriting, though its ink, size and thickness are a digit's.",
                ),
                p=p,
            )
        )
    if small:
        reasons.append(small_reason)
    if p < alpha and not too_likely:
        reasons.append(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "models",
                    "log p(x) is lower than for almost every held-out digit "
                    "(two-sided p = {p:.3f}).",
                ),
                p=p,
            )
        )
    low_ink, high_ink = (int(v) for v in np.quantile(reference.ink, [0.005, 0.995]))
    if two_sided_p(ink, reference.ink) < alpha:
        more = ink > np.median(reference.ink)
        reasons.append(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "models",
                    "More ink than almost every digit: {ink} pixels, where 99% of "
                    "digits have {low}–{high}.",
                )
                if more
                else QT_TRANSLATE_NOOP(
                    "models",
                    "Less ink than almost every digit: {ink} pixels, where 99% of "
                    "digits have {low}–{high}.",
                ),
                ink=ink,
                low=low_ink,
                high=high_ink,
            )
        )
    thick = thickness(image)
    if thick > np.median(reference.thickness) and (
        two_sided_p(thick, reference.thickness) < alpha
    ):
        usual = int(np.quantile(reference.thickness, 0.99))
        reasons.append(
            Phrase(
                QT_TRANSLATE_NOOP(
                    "models",
                    "Solid patches of ink about {across} pixels across; in 99% of "
                    "digits the ink is at most {usual} pixels thick.",
                ),
                across=2 * thick - 1,
                usual=2 * usual - 1,
            )
        )
    if too_likely and sparse:
        verdict = Verdict.TOO_LIKELY
    elif small:
        verdict = Verdict.TOO_SMALL
    elif reasons:
        verdict = Verdict.UNLIKE
    else:
        verdict = Verdict.TYPICAL
    reasons.extend(notes)
    return Assessment(verdict, tuple(reasons), position, share, p)
