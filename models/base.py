"""The one contract every autoregressive image model implements.

A model of images x ∈ [0, 1]^{H×W} with an ordering o of the pixels
factorises p(x) = Π_k p(x_{o_k} | x_{o_<k}) (optionally given a class y).
What one pixel's conditional is (Bernoulli, K-way categorical, a logistic or
Gaussian mixture) is the model's pixel likelihood (:mod:`models.likelihoods`),
chosen in its config. Conventions, shared by every model so every panel works
with every model:

- images are float tensors ``(B, 1, H, W)`` with values in [0, 1] (binary
  images in {0, 1}; a K-level image takes the values k / (K − 1));
- ``model(x)`` returns the parameters ``(B, C, H, W)`` of every pixel's
  conditional p(x_i | x_<i), all pixels teacher-forced in one call, C being
  ``model.likelihood.channels`` (for binary pixels C = 1: the logit of
  p(x_i = 1 | x_<i));
- ``model.log_prob(x)`` is the exact log-likelihood (or log-density, for a
  continuous likelihood) in nats, ``(B,)``;
- ``model.sample(n, ...)`` returns ``(n, 1, H, W)``; ``model.sample_steps``
  yields one :class:`SampleStep` per generated pixel, using the model's fastest
  exact method;
- ``model.ordering`` is a LongTensor permutation of the row-major pixel indices,
  ``ordering[k]`` being the pixel generated k-th;
- ``model.dependency_mask()`` is the theoretical dependency structure, and
  ``model.receptive_field(i)`` its row for one pixel as an image;
  :func:`measured_dependency` is the one autograd finds on the real weights.
"""

from __future__ import annotations

import dataclasses
import math
import operator
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np
import torch
from torch import Tensor, nn

from models.counting import ParameterCount, check_buildable
from models.errors import ConfigError, reject_unknown, shown
from models.likelihoods import PixelLikelihood, make_likelihood
from models.masked import MaskedConv2d, MaskedLinear
from models.orderings import ORDERING_NAMES, Ordering, make_ordering, ranks

__all__ = [
    "MAX_CLASSES",
    "MAX_IMAGE_SIDE",
    "MAX_PIXELS",
    "ARModel",
    "ModelConfig",
    "SampleStep",
    "draw_pixel",
    "log_prob_from_params",
    "measured_dependency",
    "pixel_log_prob",
]

C = TypeVar("C", bound="ModelConfig")

#: The largest images a model is built for: 512×512 pixels, no side over 4096.
#: Counting (:mod:`models.counting`) has no such limit; building a model does.
MAX_IMAGE_SIDE = 4096
MAX_PIXELS = 512 * 512
#: The most classes a class-conditional model may have.
MAX_CLASSES = 10_000


@dataclass
class ModelConfig:
    """Settings every model shares; each model's config subclasses this.

    Attributes
    ----------
    image_shape
        (H, W) of the images.
    ordering
        Name of the pixel ordering (see :mod:`models.orderings`).
    ordering_seed
        Seed of the ``random`` ordering.
    custom_ordering
        The permutation when ``ordering == "custom"``.
    num_classes
        0 for an unconditional model; C > 0 models p(x | y) for y ∈ {0, …, C−1}.
    likelihood
        What one pixel's conditional is: ``bernoulli`` (binary pixels),
        ``categorical`` or ``logistic_mixture`` (K levels), ``gaussian_mixture``
        (continuous); see :mod:`models.likelihoods`.
    levels
        K, the levels of a pixel (of the data, before dequantization, for a
        continuous likelihood); 0 means the likelihood's default: 2 for
        ``bernoulli``, 256 otherwise.
    components
        M, the components of a mixture likelihood.
    """

    image_shape: tuple[int, int] = (28, 28)
    ordering: str = "raster"
    ordering_seed: int = 0
    custom_ordering: tuple[int, ...] | None = None
    num_classes: int = 0
    likelihood: str = "bernoulli"
    levels: int = 0
    components: int = 10

    #: Orderings a model supports; convolutional/recurrent ones override this.
    supported_orderings: ClassVar[tuple[str, ...]] = ORDERING_NAMES
    #: Pixel likelihoods a model supports (see :mod:`models.likelihoods`).
    supported_likelihoods: ClassVar[tuple[str, ...]] = ("bernoulli",)
    #: Named sets of settings (e.g. the published sizes) on top of the defaults.
    presets: ClassVar[Mapping[str, Mapping[str, Any]]] = {}

    def __post_init__(self) -> None:
        self.image_shape = _int_pair(self.image_shape)
        if self.custom_ordering is not None:
            self.custom_ordering = _int_tuple("custom_ordering", self.custom_ordering)
        if self.levels == 0 and isinstance(self.levels, int):
            self.levels = 2 if self.likelihood == "bernoulli" else 256
        self.validate()

    def validate(self) -> None:
        """Check the settings; raise :class:`ConfigError` naming the bad one."""
        if self.ordering not in self.supported_orderings:
            known = ", ".join(self.supported_orderings)
            raise ConfigError(
                f"ordering {shown(self.ordering)} is not available here; "
                f"use one of: {known}"
            )
        _check_int("num_classes", self.num_classes, 0, MAX_CLASSES)
        _check_int("ordering_seed", self.ordering_seed, 0, 2**63 - 1)
        if self.likelihood not in self.supported_likelihoods:
            known = ", ".join(self.supported_likelihoods)
            raise ConfigError(
                f"likelihood {self.likelihood!r:.40} is not available here; "
                f"use one of: {known}"
            )
        self.resolve_likelihood()  # raises on bad levels or components
        self.resolve_ordering()  # raises on a bad custom ordering

    @property
    def num_pixels(self) -> int:
        """H·W."""
        return self.image_shape[0] * self.image_shape[1]

    def resolve_likelihood(self) -> PixelLikelihood:
        """The pixel likelihood these settings describe."""
        return make_likelihood(self.likelihood, self.levels, self.components)

    def resolve_ordering(self) -> Ordering:
        """The ordering as a permutation of ``range(H * W)``."""
        return make_ordering(
            self.ordering,
            self.image_shape,
            seed=self.ordering_seed,
            custom=self.custom_ordering,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        out = dataclasses.asdict(self)
        out["image_shape"] = list(self.image_shape)
        if self.custom_ordering is not None:
            out["custom_ordering"] = list(self.custom_ordering)
        return out

    @classmethod
    def from_dict(cls: type[C], data: Mapping[str, Any]) -> C:
        """Build a config from a dict, rejecting unknown fields by name."""
        known = {f.name for f in dataclasses.fields(cls)}
        reject_unknown(data, known, f"{cls.__name__} field")
        try:
            return cls(**data)
        except TypeError as exc:  # a wrongly typed value deep in a field
            raise ConfigError(f"invalid {cls.__name__}: {exc}") from None


def _int_pair(value: Sequence[int]) -> tuple[int, int]:
    """Two whole numbers (int or NumPy integers; not text, floats or booleans)."""
    try:
        if isinstance(value, (str, bytes)) or any(isinstance(v, bool) for v in value):
            raise TypeError
        h, w = (operator.index(v) for v in value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"image_shape must be two whole numbers (H, W), got {shown(value)}"
        ) from None
    if h < 1 or w < 1:
        raise ConfigError(f"image_shape must be positive, got {shown([h, w])}")
    if max(h, w) > MAX_IMAGE_SIDE or h * w > MAX_PIXELS:
        raise ConfigError(
            f"image_shape {shown(h)}×{shown(w)} is too large: models are built for "
            f"at most {MAX_PIXELS:,} pixels and {MAX_IMAGE_SIDE} per side"
        )
    return h, w


def _int_tuple(name: str, value: object) -> tuple[int, ...]:
    """A sequence of plain integers (not text, not floats, not booleans)."""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        if not np.issubdtype(value.dtype, np.integer):
            raise ConfigError(f"{name} must hold only integers")
        value = value.tolist()
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ConfigError(f"{name} must be a list of integers, got {shown(value)}")
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise ConfigError(f"{name} must hold only integers")
    return tuple(value)


def _check_int(
    name: str, value: object, minimum: int, maximum: int | None = None
) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be an integer, got {shown(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and ≤ {maximum}"
        raise ConfigError(f"{name} must be ≥ {minimum}{upper}, got {shown(value)}")


@dataclass(frozen=True)
class SampleStep:
    """One generated pixel, for every image of the batch.

    Attributes
    ----------
    step
        k: this is the k-th pixel generated (0-based).
    pixels
        ``(B,)`` row-major index of the pixel generated at this step (the same for
        every image unless the model mixes orderings).
    params
        ``(B, C)`` the parameters of p(x_i | x_<i) under the model (temperature
        1); for binary pixels C = 1, the logit of p(x_i = 1 | x_<i).
    values
        ``(B,)`` the value now at that pixel, in [0, 1].
    given
        ``(B,)`` True where the pixel was given, not sampled.
    images
        ``(B, 1, H, W)`` the images being generated, filled up to this step (the
        same tensor at every step: copy it to keep a snapshot).
    likelihood
        What ``params`` parameterise.
    """

    step: int
    pixels: Tensor
    params: Tensor
    values: Tensor
    given: Tensor
    images: Tensor
    likelihood: PixelLikelihood

    @property
    def expected(self) -> Tensor:
        """E[x_i | x_<i] under the model, ``(B,)``: p(x_i = 1) for binary pixels."""
        return self.likelihood.mean(self.params)


class ARModel(nn.Module):
    """Base class of every autoregressive image model.

    Subclasses set :attr:`kind`, :attr:`config_class`, implement :meth:`forward`
    and :meth:`parameter_count`, and override :meth:`_sample_steps` when they
    have something faster than one full forward pass per pixel.
    """

    kind: ClassVar[str]
    title: ClassVar[str]
    config_class: ClassVar[type[ModelConfig]]
    #: Adam learning rate that trains this model well from scratch.
    default_lr: ClassVar[float] = 1e-3

    ordering: Tensor
    rank: Tensor
    likelihood: PixelLikelihood

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        if not isinstance(config, self.config_class):
            raise ConfigError(
                f"{type(self).__name__} needs a {self.config_class.__name__}, "
                f"got {type(config).__name__}"
            )
        # From the closed form, before a single tensor is allocated.
        check_buildable(type(self).parameter_count(config))
        self.config = config
        self.likelihood = config.resolve_likelihood()
        # The ordering follows from the config (recorded in every checkpoint's
        # metadata), so it is not stored with the weights.
        order = config.resolve_ordering()
        self.register_buffer("ordering", torch.from_numpy(order), persistent=False)
        self.register_buffer("rank", torch.from_numpy(ranks(order)), persistent=False)

    # -- shape and bookkeeping ------------------------------------------------

    @property
    def image_shape(self) -> tuple[int, int]:
        """(H, W)."""
        return self.config.image_shape

    @property
    def num_pixels(self) -> int:
        """H·W."""
        return self.config.num_pixels

    @property
    def num_classes(self) -> int:
        """Number of classes (0 when unconditional)."""
        return self.config.num_classes

    @classmethod
    def parameter_count(cls, config: ModelConfig) -> ParameterCount:
        """The closed-form parameter count for ``config``."""
        raise NotImplementedError

    def num_parameters(self) -> int:
        """``sum(p.numel())`` over the parameters (equals :meth:`parameter_count`)."""
        return sum(p.numel() for p in self.parameters())

    # -- the contract -----------------------------------------------------------

    @property
    def output_channels(self) -> int:
        """C: the parameters :meth:`forward` gives per pixel."""
        return self.likelihood.channels

    def forward(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Parameters of p(x_i | x_<i) for every pixel, ``(B, C, H, W)``."""
        raise NotImplementedError

    def log_prob(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Exact log p(x) (or log p(x | y)) in nats, ``(B,)``."""
        self.check_input(x, y)
        return log_prob_from_params(self.likelihood, self(x, y), x)

    def training_nll(self, x: Tensor, y: Tensor | None = None) -> Tensor:
        """Per-image loss the :class:`~models.trainer.Trainer` minimises, ``(B,)``.

        −log p(x) for every model but those (like an ensembled MADE) whose
        training objective differs from their evaluation density.
        """
        return -log_prob_from_params(self.likelihood, self(x, y), x)

    def before_train_step(self, step: int) -> None:
        """Hook called before every training batch (MADE cycles its masks here)."""

    def used_entries(self) -> dict[str, Tensor]:
        """Parameters some of whose entries never affect the model, by name.

        Maps a :meth:`state_dict` name to a bool tensor of its shape, True where
        the entry is used. A masked layer's weight has entries its mask never
        reads (MADE's are about half); a compact checkpoint stores only the
        used ones, and the trainer keeps the others at zero. By default every
        masked layer's mask; models whose masks change (MADE) override this.
        """
        used = {}
        for name, module in self.named_modules():
            if isinstance(module, (MaskedLinear, MaskedConv2d)):
                mask = module.mask.bool().expand_as(module.weight)
                used[f"{name}.weight"] = mask.clone()
        return used

    @property
    def is_mixture(self) -> bool:
        """Whether :meth:`log_prob` mixes several autoregressive chains.

        True for MADE's ensemble over masks: its log p(x) is then not the sum
        of the teacher-forced conditionals of one :meth:`forward`.
        """
        return False

    def class_log_posterior(self, x: Tensor, log_prior: Tensor | None = None) -> Tensor:
        """Log p(y | x) for every class by Bayes' rule, ``(B, C)``.

        log p(y | x) = log p(x | y) + log p(y) − log Σ_y' p(x | y') p(y'), with a
        uniform prior unless ``log_prior`` (C,) is given.
        """
        if self.num_classes == 0:
            raise ConfigError("this model is not class-conditional (num_classes = 0)")
        batch = x.shape[0]
        joint = torch.stack(
            [
                self.log_prob(
                    x, torch.full((batch,), c, dtype=torch.long, device=x.device)
                )
                for c in range(self.num_classes)
            ],
            dim=1,
        )  # (B, C)
        if log_prior is None:
            log_prior = torch.full((self.num_classes,), -math.log(self.num_classes))
        joint = joint + log_prior.to(joint)
        return joint - torch.logsumexp(joint, dim=1, keepdim=True)

    def dependency_mask(self) -> Tensor:
        """Theoretical dependencies: [i, j] is True if output i may use input j.

        The default is the full past of the ordering; models that see less
        (a Markov window, MADE's masks, a bounded receptive field) override it.
        """
        rank = self.rank
        return rank.unsqueeze(1) > rank.unsqueeze(0)

    def receptive_field(self, pixel: int) -> Tensor:
        """Input pixels the output at ``pixel`` may depend on, ``(H, W)`` bool.

        ``pixel`` is a row-major index. The default is the pixel's row of
        :meth:`dependency_mask`; a model that can say it for one pixel without
        building the whole mask overrides it.
        """
        return self.dependency_mask()[pixel].view(self.image_shape)

    def sample(
        self,
        n: int,
        *,
        temperature: float = 1.0,
        seed: int | None = None,
        given: Tensor | None = None,
        given_mask: Tensor | None = None,
        y: Tensor | int | None = None,
        naive: bool = False,
    ) -> Tensor:
        """Draw ``n`` images, ``(n, 1, H, W)``; see :meth:`sample_steps`."""
        steps = self._sampling(n, temperature, seed, given, given_mask, y, naive)
        (last,) = deque(steps, maxlen=1)  # every image has at least one pixel
        return last.images

    def sample_steps(
        self,
        n: int,
        *,
        temperature: float = 1.0,
        seed: int | None = None,
        given: Tensor | None = None,
        given_mask: Tensor | None = None,
        y: Tensor | int | None = None,
        naive: bool = False,
    ) -> Iterator[SampleStep]:
        """Generate ``n`` images pixel by pixel in the model's ordering.

        Parameters
        ----------
        n
            Number of images.
        temperature
            Each conditional is sampled as Bernoulli(σ(logit / T)); T = 1 is the
            model, T < 1 sharper, T > 1 flatter.
        seed
            Seed of the draws; the same seed gives the same images.
        given, given_mask
            Completion: where ``given_mask`` (bool, broadcastable to
            ``(n, 1, H, W)``) is True the pixel keeps its value from ``given``;
            the others are sampled in order, conditioned on everything before.
        y
            Class labels (an int or ``(n,)``) for a class-conditional model.
        naive
            Run the whole network once per pixel instead of the model's fast
            method: the reference the fast samplers are tested and benchmarked
            against. Both draw the same images for the same seed.

        Yields
        ------
        SampleStep
            One per pixel, in generation order.
        """
        yield from self._sampling(n, temperature, seed, given, given_mask, y, naive)

    @torch.no_grad()
    def _sampling(
        self,
        n: int,
        temperature: float,
        seed: int | None,
        given: Tensor | None,
        given_mask: Tensor | None,
        y: Tensor | int | None,
        naive: bool,
    ) -> Iterator[SampleStep]:
        _check_int("n", n, 1)
        if not (isinstance(temperature, (int, float)) and temperature > 0):
            raise ConfigError(f"temperature must be > 0, got {temperature!r}")
        device = self.ordering.device
        shape = (n, 1, *self.image_shape)
        x = torch.zeros(shape, device=device)
        known = torch.zeros(shape, dtype=torch.bool, device=device)
        if (given is None) != (given_mask is None):
            raise ConfigError("given pixels need both their values and their mask")
        if given is not None and given_mask is not None:
            try:
                known = (
                    given_mask.to(device=device, dtype=torch.bool).expand(shape).clone()
                )
                values = given.to(device=device, dtype=torch.float32).expand(shape)
            except RuntimeError:
                raise ConfigError(
                    f"given pixels of shape {tuple(given.shape)} do not fit {shape}"
                ) from None
            self._check_values(values[known], "given pixel values")
            x = torch.where(known, values, x)
        labels = self._labels(y, n)
        generator = torch.Generator()
        if seed is None:
            generator.seed()
        else:
            generator.manual_seed(seed)
        was_training = self.training
        self.eval()
        sampler = self._naive_steps if naive else self._sample_steps
        try:
            yield from sampler(
                x, known.flatten(1), labels, float(temperature), generator
            )
        finally:
            self.train(was_training)

    def _labels(self, y: Tensor | int | None, n: int) -> Tensor | None:
        if self.num_classes == 0:
            if y is not None:
                raise ConfigError("this model is not class-conditional; drop the label")
            return None
        if y is None:
            raise ConfigError(
                f"this model needs a class label in 0..{self.num_classes - 1}"
            )
        labels = torch.as_tensor(y, dtype=torch.long, device=self.ordering.device)
        labels = labels.expand(n).clone() if labels.ndim == 0 else labels
        if labels.shape != (n,):
            raise ConfigError(
                f"need one label per image ({n}), got {tuple(labels.shape)}"
            )
        if labels.min() < 0 or labels.max() >= self.num_classes:
            raise ConfigError(f"labels must lie in 0..{self.num_classes - 1}")
        return labels

    def _sample_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """Fill ``x`` in place, one pixel per step, by the fastest exact method.

        The default is :meth:`_naive_steps`; subclasses replace it with an
        incremental update where the architecture allows. ``known`` is
        ``(B, N)`` bool in row-major pixel order.
        """
        yield from self._naive_steps(x, known, y, temperature, generator)

    def _naive_steps(
        self,
        x: Tensor,
        known: Tensor,
        y: Tensor | None,
        temperature: float,
        generator: torch.Generator,
    ) -> Iterator[SampleStep]:
        """The reference sampler: the whole network once per pixel (N passes)."""
        for k, pixel in enumerate(self.ordering.tolist()):
            params = self(x, y).flatten(2)[:, :, pixel]  # (B, C)
            yield draw_pixel(
                self.likelihood, k, pixel, params, x, known, temperature, generator
            )

    def _check_values(self, values: Tensor, what: str) -> None:
        """Raise unless ``values`` are ones a pixel of this model can take.

        K levels: k / (K − 1) (0 or 1 for binary pixels); continuous: [0, 1].
        """
        likelihood = self.likelihood
        if not torch.isfinite(values).all() or (values < 0).any() or (values > 1).any():
            raise ConfigError(f"{what} must lie in [0, 1]")
        top = likelihood.levels - 1
        if likelihood.discrete and len(values):
            steps = values * top
            if float((steps - steps.round()).abs().max()) > 1e-4:
                levels = "0 or 1" if top == 1 else f"a level k / {top}, k = 0 … {top}"
                raise ConfigError(f"{what} must be {levels}")

    def check_input(self, x: Tensor, y: Tensor | None = None) -> None:
        """Raise :class:`ConfigError` unless ``x`` (and ``y``) fit this model."""
        expected = (1, *self.image_shape)
        if x.ndim != 4 or tuple(x.shape[1:]) != expected:
            dims = ", ".join(map(str, expected))
            raise ConfigError(f"images must be (B, {dims}), got {tuple(x.shape)}")
        if self.num_classes and y is None:
            raise ConfigError("this model is class-conditional: pass labels y")
        if not self.num_classes and y is not None:
            raise ConfigError("this model is not class-conditional; drop the labels")

    def extra_repr(self) -> str:
        """Shape and ordering, shown by ``print(model)``."""
        return f"image_shape={self.image_shape}, ordering={self.config.ordering!r}"


def pixel_log_prob(likelihood: PixelLikelihood, params: Tensor, x: Tensor) -> Tensor:
    """Log p(x_i | x_<i) of every pixel in nats, ``(B, C, H, W)`` → ``(B, H, W)``."""
    return likelihood.log_prob(params.movedim(1, -1), x[:, 0])


def log_prob_from_params(
    likelihood: PixelLikelihood, params: Tensor, x: Tensor
) -> Tensor:
    """Σ_i log p(x_i | x_<i) in nats from every pixel's parameters, ``(B,)``."""
    return pixel_log_prob(likelihood, params, x).flatten(1).sum(dim=1)


def measured_dependency(
    model: ARModel, x: Tensor | None = None, y: Tensor | None = None, seed: int = 0
) -> Tensor:
    """The dependency structure autograd finds, ``(N, N)`` bool.

    Entry [i, j] is True when the gradient of output i's parameters (summed
    over its C channels) with respect to input pixel j is non-zero, at ``x``
    (default: a random image of the model's levels; uniform values for a
    continuous likelihood). One backward pass per output pixel; meant for
    small images or a few pixels.
    """
    n = model.num_pixels
    if x is None:
        gen = torch.Generator().manual_seed(seed)
        shape = (1, 1, *model.image_shape)
        levels = model.likelihood.levels
        if model.likelihood.discrete:
            x = torch.randint(0, levels, shape, generator=gen).float() / (levels - 1)
        else:
            x = torch.rand(shape, generator=gen)
    x = x.detach().clone().requires_grad_(True)
    outputs = model(x, y).sum(dim=1).view(-1)  # (N,): each pixel's channels
    rows = []
    for i in range(n):
        if not outputs.requires_grad:  # the output ignores x altogether
            rows.append(torch.zeros(n, dtype=torch.bool))
            continue
        (grad,) = torch.autograd.grad(
            outputs[i], x, retain_graph=i < n - 1, allow_unused=True
        )
        rows.append(
            torch.zeros(n, dtype=torch.bool) if grad is None else grad.view(-1) != 0
        )
    return torch.stack(rows)


def draw_pixel(
    likelihood: PixelLikelihood,
    k: int,
    pixel: int | Tensor,
    params: Tensor,
    images: Tensor,
    known: Tensor,
    temperature: float,
    generator: torch.Generator,
) -> SampleStep:
    """Draw one pixel per image from its parameters ``(B, C)`` into ``images``.

    ``params`` may also be ``(B,)`` for a one-channel likelihood (a logit).
    ``pixel`` is an int, or ``(B,)`` indices when images follow different
    orderings; ``known`` ``(B, N)`` marks given pixels, which keep their value.
    Draws a fixed number of uniforms per image from ``generator``, so a seed
    fixes the draw, and the naive and fast samplers draw the same.
    """
    flat = images.view(images.shape[0], -1)
    batch = flat.shape[0]
    # a step holds plain values: a logit read straight from a parameter (the
    # Bernoulli model's table) is a view that would otherwise carry its grad
    params = params.detach()
    if params.dim() == 1:
        params = params.unsqueeze(-1)
    drawn = likelihood.sample(params, temperature, generator).to(flat.dtype)
    if isinstance(pixel, int):  # one pixel for the whole batch: plain columns
        is_given = known[:, pixel]
        values = torch.where(is_given, flat[:, pixel], drawn)
        flat[:, pixel] = values
        pixels = torch.full((batch,), pixel, dtype=torch.long, device=flat.device)
        return SampleStep(k, pixels, params, values, is_given, images, likelihood)
    rows = torch.arange(batch, device=flat.device)
    pixels = pixel.to(flat.device).expand(batch)
    is_given = known[rows, pixels]
    values = torch.where(is_given, flat[rows, pixels], drawn)
    flat[rows, pixels] = values
    return SampleStep(k, pixels, params, values, is_given, images, likelihood)
