"""Scoring data sets: exact average NLL in nats and bits per dimension."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import torch
from numpy.typing import NDArray
from torch import Tensor

from models.base import ARModel, pixel_log_prob
from models.errors import ConfigError
from models.likelihoods import PixelLikelihood

__all__ = [
    "EVAL_NOISE_SEED",
    "DrawingScore",
    "Score",
    "batches",
    "bits_per_dim_note",
    "classify",
    "evaluate",
    "iter_log_prob",
    "marginal_log_prob",
    "model_batches",
    "nats_to_bits_per_dim",
    "score_drawing",
    "score_images",
]


def nats_to_bits_per_dim(nats: float, num_pixels: int) -> float:
    """Convert a per-image NLL in nats to bits per pixel."""
    return nats / (num_pixels * math.log(2))


def batches(
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None,
    batch_size: int,
    order: NDArray[np.int64] | None = None,
    levels: int = 2,
) -> Iterator[tuple[Tensor, Tensor | None]]:
    """Float ``(B, 1, H, W)`` image batches (and label batches) from uint8 arrays.

    ``images`` hold level indices 0 … K − 1 for K = ``levels``; a batch holds
    their values k / (K − 1) (binary images: 0 and 1, as they are).
    """
    index = np.arange(len(images)) if order is None else order
    for start in range(0, len(index), batch_size):
        rows = index[start : start + batch_size]
        x = torch.from_numpy(images[rows]).float().unsqueeze(1)  # (B, 1, H, W)
        if levels > 2:
            x = x / (levels - 1)  # (B, 1, H, W) values k / (K − 1)
        y = None if labels is None else torch.from_numpy(labels[rows])
        yield x, y


#: Seed of the dequantization noise when a continuous model is scored, so the
#: same model on the same images always gets the same number.
EVAL_NOISE_SEED = 0


def model_batches(
    model: ARModel,
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None,
    batch_size: int,
    noise_seed: int = EVAL_NOISE_SEED,
) -> Iterator[tuple[Tensor, Tensor | None]]:
    """What ``model`` is fed for ``images`` (level indices of its K levels).

    Values k / (K − 1), passed through the likelihood's data transform
    (``likelihood.prepare``): unchanged for a discrete likelihood, dequantized
    with noise seeded by ``noise_seed`` for a continuous one, the same on
    every call.
    """
    likelihood = model.likelihood
    generator = torch.Generator().manual_seed(noise_seed)
    for x, y in batches(images, labels, batch_size, levels=likelihood.levels):
        yield likelihood.prepare(x, generator), y


@torch.no_grad()
def iter_log_prob(
    model: ARModel,
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None = None,
    batch_size: int = 256,
    shard: tuple[int, int] = (0, 1),
) -> Iterator[Tensor]:
    """Log p(x) in nats for each batch, ``(B,)``; stop iterating to cancel.

    ``shard=(rank, world_size)`` scores only every world_size-th batch from
    ``rank`` on, for one process of several: the batches and their
    dequantization noise are those of one process, so the ranks' sums add up
    to exactly what one process scores.
    """
    if model.num_classes and labels is None:
        raise ConfigError("a class-conditional model needs the labels of the images")
    labels = labels if model.num_classes else None
    if (
        labels is not None
        and len(labels)
        and not (0 <= labels.min() and labels.max() < model.num_classes)
    ):
        raise ConfigError(
            f"the labels run from {labels.min()} to {labels.max()}, but the model "
            f"knows classes 0 to {model.num_classes - 1}"
        )
    if isinstance(batch_size, bool) or not 1 <= batch_size:
        raise ConfigError(f"batch size must be at least 1, got {batch_size}")
    rank, world = shard
    device = model.ordering.device
    was_training = model.training
    model.eval()
    try:
        for index, (x, y) in enumerate(
            model_batches(model, images, labels, batch_size)
        ):
            if index % world == rank:
                yield model.log_prob(x.to(device), None if y is None else y.to(device))
    finally:
        model.train(was_training)


@dataclass(frozen=True)
class Score:
    """Average exact NLL over a set of images.

    Attributes
    ----------
    nll_nats
        −log p(x) per image in nats (a density's, for continuous pixels).
    bits_per_dim
        The same per pixel in bits, as the likelihood reports it
        (:meth:`~models.likelihoods.PixelLikelihood.bits_per_dim`).
    count
        Images scored.
    bits_per_dim_note
        What the bits/dim are when they are not plainly −log₂ p(x) / n (a
        continuous likelihood's correction), else None.
    """

    nll_nats: float
    bits_per_dim: float
    count: int
    bits_per_dim_note: str | None = None

    def as_dict(self) -> dict[str, float | int | str]:
        """JSON-ready dict (the note only when there is one)."""
        out: dict[str, float | int | str] = {
            "nll_nats": self.nll_nats,
            "bits_per_dim": self.bits_per_dim,
            "count": self.count,
        }
        if self.bits_per_dim_note is not None:
            out["bits_per_dim_note"] = self.bits_per_dim_note
        return out


def bits_per_dim_note(likelihood: PixelLikelihood) -> str | None:
    """What a likelihood's bits/dim are, when not plainly −log₂ p(x) / n."""
    if likelihood.discrete:
        return None
    k = likelihood.levels
    return (
        f"density of {k}-level data dequantized with uniform noise, (k + u) / {k}; "
        f"bits/dim = −log₂ p(x) / n + log₂ {k} = {math.log2(k):g}, the bound on "
        "the discrete data's bits/dim that flow papers report (the nats are the "
        "density's, without the correction)"
    )


def evaluate(
    model: ARModel,
    images: NDArray[np.uint8],
    labels: NDArray[np.int64] | None = None,
    *,
    batch_size: int = 256,
    progress: Callable[[int, int], bool | None] | None = None,
    shard: tuple[int, int] = (0, 1),
) -> Score:
    """Average −log p(x) over ``images``, ``(N, H, W)`` uint8.

    The images hold level indices of the model's K levels (0/1 for a binary
    model); a continuous model scores them dequantized with fixed noise
    (:func:`model_batches`). ``progress(done, total)`` is called after each
    batch; returning True cancels (raising :class:`InterruptedError`).
    ``shard=(rank, world_size)`` scores one process's share of the batches
    (see :func:`iter_log_prob`); its ``count`` is that share's.
    """
    total = 0.0
    done = 0
    for log_prob in iter_log_prob(model, images, labels, batch_size, shard):
        total += float(-log_prob.double().sum())
        done += log_prob.shape[0]
        if progress is not None and progress(done, len(images)):
            raise InterruptedError("evaluation cancelled")
    nll = total / max(done, 1)
    likelihood = model.likelihood
    bits = likelihood.bits_per_dim(nll, model.num_pixels)
    return Score(nll, bits, done, bits_per_dim_note(likelihood))


@torch.no_grad()
def marginal_log_prob(model: ARModel, x: Tensor) -> Tensor:
    """Log p(x) in nats, ``(B,)``, whatever the model conditions on.

    For a class-conditional model this is the mixture over classes with a
    uniform prior, log Σ_y p(x | y) / C: the density of an unlabelled image.
    """
    if not model.num_classes:
        return model.log_prob(x)
    per_class = torch.stack(
        [
            model.log_prob(
                x, torch.full((x.shape[0],), c, dtype=torch.long, device=x.device)
            )
            for c in range(model.num_classes)
        ],
        dim=1,
    )  # (B, C)
    return torch.logsumexp(per_class, dim=1) - math.log(model.num_classes)


@torch.no_grad()
def classify(
    model: ARModel, images: NDArray[np.uint8], batch_size: int = 256
) -> NDArray[np.float64]:
    """p(y | x) of every image by Bayes' rule (uniform prior), ``(N, C)``."""
    if not model.num_classes:
        raise ConfigError("only a class-conditional model can classify")
    was_training = model.training
    model.eval()
    try:
        out = [
            model.class_log_posterior(x.to(model.ordering.device))
            .exp()
            .double()
            .cpu()
            .numpy()
            for x, _ in model_batches(model, images, None, batch_size)
        ]
    finally:
        model.train(was_training)
    return np.concatenate(out) if out else np.zeros((0, model.num_classes))


def score_images(
    model: ARModel,
    images: NDArray[np.uint8],
    batch_size: int = 256,
    stop: Callable[[], bool] | None = None,
) -> NDArray[np.float64]:
    """Log p(x) of every image (binary uint8 ``(N, H, W)``), ``(N,)`` nats.

    ``batch_size`` counts passes through the model: a class-conditional model
    scores each image once per class, so its batches hold ``batch_size / C``
    images, and the work (and memory) of a batch is the same for any model.
    ``stop()`` is asked between batches; True abandons the work
    (:class:`InterruptedError`).
    """
    was_training = model.training
    model.eval()
    out = []
    per_batch = max(1, batch_size // max(1, model.num_classes))
    try:
        for x, _ in model_batches(model, images, None, per_batch):
            if stop is not None and stop():
                raise InterruptedError("scoring abandoned")
            x = x.to(model.ordering.device)  # (B, 1, H, W)
            out.append(marginal_log_prob(model, x).double().cpu().numpy())
    finally:
        model.train(was_training)
    return np.concatenate(out) if out else np.zeros(0)


@dataclass(frozen=True)
class DrawingScore:
    """Everything the draw-and-score canvas shows about one image.

    Attributes
    ----------
    log_prob
        log p(x) in nats (the mixture over classes for a conditional model).
    bits_per_dim
        −log₂ p(x) / (H·W).
    surprise
        −log p(x_i | x_<i) in nats at every pixel, ``(H, W)``; it sums to
        −log p(x). (For a MADE ensemble — a mixture over orderings, which has
        no single chain of conditionals — it is the active mask's.)
    class_posterior
        p(y | x) for a class-conditional model, ``(C,)``, else None.
    """

    log_prob: float
    bits_per_dim: float
    surprise: NDArray[np.float64]
    class_posterior: NDArray[np.float64] | None


@torch.no_grad()
def score_drawing(model: ARModel, drawing: NDArray[np.floating]) -> DrawingScore:
    """Score one drawing, ``(H, W)`` values in [0, 1] (ink = 1).

    A binary model counts ink ≥ ½ as a 1. Any other model reads the drawing
    as data of its K levels: each pixel rounded to its nearest level
    k / (K − 1), then the likelihood's data transform (a continuous model's
    dequantization, with the fixed noise data sets are scored with,
    :data:`EVAL_NOISE_SEED`). The surprise −log p(x_i | x_<i) is then of a
    probability (≥ 0) or, for a continuous model, of a density (any sign).

    For a class-conditional model the per-pixel conditionals are those of the
    mixture, p(x_i | x_<i) = Σ_y p(y | x_<i) p(x_i | x_<i, y), computed exactly
    from the per-class conditionals along the ordering.
    """
    h, w = model.image_shape
    if drawing.shape != (h, w):
        raise ConfigError(f"the drawing is {drawing.shape}, the model needs {(h, w)}")
    likelihood = model.likelihood
    was_training = model.training
    model.eval()
    try:
        values = np.clip(np.asarray(drawing, dtype=np.float64), 0.0, 1.0)
        if likelihood.name == "bernoulli":
            x = torch.from_numpy(values >= 0.5).float().view(1, 1, h, w)
        else:
            k = likelihood.levels - 1
            x = torch.from_numpy(np.rint(values * k) / k).float().view(1, 1, h, w)
            noise = torch.Generator().manual_seed(EVAL_NOISE_SEED)
            x = likelihood.prepare(x, noise)  # (1, 1, H, W)
        n = h * w
        # log p(x) is the sum of the teacher-forced conditionals, except for a
        # mixture of chains, whose log_prob is its own
        mixture = model.is_mixture
        if not model.num_classes:
            surprise = -pixel_log_prob(likelihood, model(x), x).view(n)
            log_p = float(model.log_prob(x)) if mixture else -float(surprise.sum())
            posterior = None
        else:
            classes = model.num_classes
            xs = x.expand(classes, 1, h, w)
            labels = torch.arange(classes)
            pixel_log = pixel_log_prob(likelihood, model(xs, labels), xs).view(
                classes, n
            )  # (C, N): log p(x_i | x_<i, y)
            order = model.ordering
            prior = torch.full((classes, 1), -math.log(classes))
            joint = torch.cat([prior, prior + pixel_log[:, order].cumsum(1)], dim=1)
            marginal = torch.logsumexp(joint.double(), dim=0)  # (N + 1,)
            surprise = torch.empty(n, dtype=torch.float64)
            surprise[order] = -(marginal[1:] - marginal[:-1])
            per_class = model.log_prob(xs, labels) if mixture else pixel_log.sum(1)
            joint_x = per_class.double() - math.log(classes)
            log_p = float(torch.logsumexp(joint_x, 0))
            posterior = torch.softmax(joint_x, 0).numpy()
    finally:
        model.train(was_training)
    return DrawingScore(
        log_p,
        likelihood.bits_per_dim(-log_p, n),
        surprise.double().view(h, w).numpy(),
        posterior,
    )
