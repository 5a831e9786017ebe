"""Training: a plain-Python loop that front ends drive through events.

The :class:`Trainer` runs Adam over epochs with a stateless learning-rate
schedule, evaluates the exact validation NLL each epoch, draws samples, writes
checkpoints, and reports everything through one callback. A :class:`TrainControl`
(thread-safe) pauses, resumes or stops it; a stop is honoured before the next
batch. A non-finite loss or gradient stops the run before the weights are
touched, keeping the last good checkpoint. Shuffling, stochastic binarization,
augmentation and dequantization noise are seeded by (seed, epoch), so a
resumed run continues exactly as an uninterrupted one would.

The model's pixel likelihood decides what it is fed: a binary (``bernoulli``)
model binarized images (:class:`~models.data.Binarization`), any other model
the images quantized to its K levels (:class:`~models.data.Quantization`),
which a continuous likelihood dequantizes with fresh noise every epoch
(``likelihood.prepare``). Validation scores continuous models with fixed
noise, so the numbers are reproducible.

The model trains on any device (``device=``), optionally in bfloat16 autocast
on CUDA (``precision="bf16"``; validation stays float32), and on several
processes under ``torchrun`` (a :class:`~models.devices.Distributed` with
``world_size`` > 1): the per-image loss is wrapped in
``DistributedDataParallel``, each global batch of ``batch_size`` images (the
same seeded permutation on every rank) is split between the ranks, the loss is
scaled so the averaged gradient is the global batch's mean, and the ranks'
sums of training and validation NLL are all-reduced, so N processes take the
steps one process would. Only rank 0 reports events and writes checkpoints.

The desktop app runs :meth:`Trainer.run` in a worker thread and turns events
into Qt signals; the CLI prints them. Same code, two front ends.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import torch
from numpy.typing import NDArray
from torch.nn.parallel import DistributedDataParallel

from models.base import ARModel, _check_int
from models.checkpoint import (
    Checkpoint,
    checkpoint_paths,
    resume_state,
    save_checkpoint,
)
from models.data.augment import Augmentation
from models.data.binarize import Binarization
from models.data.loaders import ImageSet
from models.data.quantize import Quantization
from models.devices import Distributed, check_precision, resolve_device
from models.errors import ConfigError
from models.evaluation import EVAL_NOISE_SEED, batches, bits_per_dim_note, evaluate
from models.likelihoods import PixelLikelihood

__all__ = [
    "CheckpointSaved",
    "EpochEnded",
    "Event",
    "RunEnded",
    "RunStarted",
    "SamplesDrawn",
    "StepReported",
    "TrainConfig",
    "TrainControl",
    "Trainer",
    "pixel_transform",
]

LR_SCHEDULES: Final = ("constant", "cosine")


@dataclass
class TrainConfig:
    """Training settings.

    Attributes
    ----------
    epochs
        Total epochs (a resumed run continues up to this number).
    batch_size
        Images per Adam step.
    lr
        Peak learning rate.
    lr_schedule
        ``constant``, or ``cosine`` decay to ``lr * lr_floor`` over the run.
    lr_floor
        Final learning rate as a fraction of ``lr`` (cosine).
    weight_decay
        Decoupled weight decay λ (AdamW): each step multiplies the weights by
        1 − lr·λ, apart from Adam's gradient step.
    grad_clip
        Maximum gradient norm (0 disables clipping).
    seed
        Seeds shuffling, stochastic binarization and the samples.
    num_samples
        Images sampled after each epoch for the monitor (0 for none).
    eval_batch_size
        Batch size of the validation pass.
    max_batches_per_epoch
        Cap on batches per epoch (0 = all); for quick runs and tests.
    keep_best
        Also keep the epoch with the lowest validation NLL as ``NAME-best``
        (weights only): the model to use when training runs past its best.
    patience
        Stop once the validation NLL has not improved for this many epochs
        (0: never stop early).
    class_weight
        λ of a discriminative term for a class-conditional model: each image's
        loss is −log p(x | y) − λ·log p(y | x), with p(y | x) by Bayes' rule
        from the model's own p(x | y) (hybrid generative–discriminative
        training; the model stays an exact density). 0 (the default): purely
        generative. It costs one pass per class per batch.
    """

    epochs: int = 10
    batch_size: int = 64
    lr: float = 1e-3
    lr_schedule: str = "cosine"
    lr_floor: float = 0.05
    weight_decay: float = 0.0
    grad_clip: float = 100.0
    seed: int = 0
    num_samples: int = 16
    eval_batch_size: int = 256
    max_batches_per_epoch: int = 0
    keep_best: bool = True
    patience: int = 0
    class_weight: float = 0.0

    def __post_init__(self) -> None:
        _check_int("epochs", self.epochs, 1)
        _check_int("batch_size", self.batch_size, 1)
        _check_int("seed", self.seed, 0)
        _check_int("num_samples", self.num_samples, 0, 256)
        _check_int("eval_batch_size", self.eval_batch_size, 1)
        _check_int("max_batches_per_epoch", self.max_batches_per_epoch, 0)
        _check_int("patience", self.patience, 0)
        if not (math.isfinite(self.lr) and self.lr > 0):
            raise ConfigError(f"lr must be a positive number, got {self.lr}")
        if self.lr_schedule not in LR_SCHEDULES:
            raise ConfigError(
                f"lr_schedule must be one of {', '.join(LR_SCHEDULES)}, "
                f"got {self.lr_schedule!r}"
            )
        if not 0 <= self.lr_floor <= 1:
            raise ConfigError(f"lr_floor must lie in [0, 1], got {self.lr_floor}")
        if not (self.weight_decay >= 0 and self.grad_clip >= 0):
            raise ConfigError("weight_decay and grad_clip must be ≥ 0")
        if not (math.isfinite(self.class_weight) and self.class_weight >= 0):
            raise ConfigError(
                f"class_weight must be a number ≥ 0, got {self.class_weight}"
            )

    def lr_at(self, progress: float) -> float:
        """Learning rate at a fraction ``progress`` ∈ [0, 1] of the run."""
        if self.lr_schedule == "constant":
            return self.lr
        floor = self.lr * self.lr_floor
        return floor + (self.lr - floor) * 0.5 * (
            1 + math.cos(math.pi * min(progress, 1.0))
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return dataclasses.asdict(self)


# -- events ------------------------------------------------------------------------


@dataclass(frozen=True)
class RunStarted:
    """Training begins (or resumes at ``start_epoch``)."""

    start_epoch: int
    epochs: int
    steps_per_epoch: int
    num_parameters: int


@dataclass(frozen=True)
class StepReported:
    """Progress within an epoch (throttled to a few per second).

    ``epoch`` counts from 1 (the epoch under way), ``step`` is the number of
    batches done in it, out of ``steps_per_epoch``.
    """

    epoch: int
    step: int
    steps_per_epoch: int
    global_step: int
    loss_nats: float
    bits_per_dim: float
    images_per_s: float
    lr: float
    eta_s: float


@dataclass(frozen=True)
class EpochEnded:
    """Metrics of a finished epoch (NLLs in nats per image)."""

    epoch: int
    train_nll: float
    valid_nll: float | None
    train_bits_per_dim: float
    valid_bits_per_dim: float | None
    seconds: float
    images_per_s: float


@dataclass(frozen=True)
class SamplesDrawn:
    """Samples after an epoch, ``(n, H, W)`` float32 pixel values in [0, 1]."""

    epoch: int
    images: NDArray[np.float32]


@dataclass(frozen=True)
class CheckpointSaved:
    """A checkpoint was written (``best``: the best-validation copy)."""

    epoch: int
    path: Path
    best: bool = False


@dataclass(frozen=True)
class RunEnded:
    """The run is over: ``status`` is ``finished``, ``cancelled`` or ``failed``.

    ``checkpoint`` is the last epoch's, ``best_checkpoint`` the one with the
    lowest validation NLL (None when not kept).
    """

    status: str
    epochs_completed: int
    reason: str = ""
    checkpoint: Path | None = None
    best_checkpoint: Path | None = None


Event = (
    RunStarted | StepReported | EpochEnded | SamplesDrawn | CheckpointSaved | RunEnded
)


class TrainControl:
    """Thread-safe pause / resume / stop for a running :class:`Trainer`."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._holding = threading.Event()

    def stop(self) -> None:
        """Ask the run to stop before its next batch."""
        self._stop.set()
        self._running.set()  # wake a paused run so it can stop

    def pause(self) -> None:
        """Hold the run before its next batch until :meth:`resume` or :meth:`stop`."""
        self._running.clear()

    def resume(self) -> None:
        """Continue a paused run."""
        self._running.set()

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        """True while paused."""
        return not self._running.is_set()

    @property
    def holding(self) -> bool:
        """True while the run is actually held (paused, between two batches)."""
        return self._holding.is_set()

    def wait_while_paused(self) -> None:
        """Block while paused; return at once when running or stopped."""
        if self._running.is_set():
            return
        self._holding.set()
        try:
            self._running.wait()
        finally:
            self._holding.clear()


class _Cancelled(Exception):
    pass


class _StoppedEarly(Exception):
    pass


class _Diverged(Exception):
    pass


@dataclass
class _History:
    epochs: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def best(self) -> dict[str, Any] | None:
        """The epoch record with the lowest validation NLL (first if tied)."""
        scored = [e for e in self.epochs if e.get("valid_nll") is not None]
        return min(scored, key=lambda e: e["valid_nll"]) if scored else None


def _per_image_loss(
    model: ARModel, x: torch.Tensor, y: torch.Tensor | None, class_weight: float
) -> tuple[torch.Tensor, torch.Tensor]:
    """Each image's NLL (nats) and the loss to minimise, both ``(B,)``."""
    if not (class_weight and model.num_classes and y is not None):
        nll = model.training_nll(x, y)  # (B,)
        return nll, nll
    classes, batch = model.num_classes, x.shape[0]
    labels = torch.arange(classes, device=x.device).repeat_interleave(batch)  # (C·B,)
    per_class = model.log_prob(x.repeat(classes, 1, 1, 1), labels)
    per_class = per_class.view(classes, batch).t()  # (B, C): log p(x | c)
    own = per_class.gather(1, y.view(-1, 1)).squeeze(1)  # (B,)
    posterior = own - torch.logsumexp(per_class, dim=1)  # (B,): log p(y | x)
    return -own, -own - class_weight * posterior


class _Objective(torch.nn.Module):
    """The per-image training loss as a module's forward, for DDP to wrap.

    DDP synchronises the gradients of what its wrapped module's forward
    computes; the loss is :meth:`ARModel.training_nll` (MADE's current mask)
    or the hybrid loss, not the model's forward, so this module's forward is
    that loss.
    """

    def __init__(self, model: ARModel, class_weight: float) -> None:
        super().__init__()
        self.model = model
        self.class_weight = class_weight

    def forward(
        self, x: torch.Tensor, y: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Each image's NLL and loss, ``(B,)`` each."""
        return _per_image_loss(self.model, x, y, self.class_weight)


def _no_buffer_sync() -> dict[str, Any]:
    """DDP's argument that skips broadcasting buffers before every forward.

    Named ``forward_sync_buffers`` in recent torch, ``broadcast_buffers``
    before (and deprecated since).
    """
    names = inspect.signature(DistributedDataParallel.__init__).parameters
    if "forward_sync_buffers" in names:
        return {"forward_sync_buffers": False}
    return {"broadcast_buffers": False}


def _zero_unused_entries(model: ARModel) -> None:
    """Set the weight entries no mask reads to exactly zero.

    They never get a gradient, so nothing but weight decay would ever move
    them, and they cost nothing at zero: decay of 0 is 0 and Adam's step for a
    zero gradient is 0. (With Adam's coupled L2 penalty they shrank into
    subnormal floats, which the CPU handles several times slower.)
    """
    parameters = dict(model.named_parameters())
    with torch.no_grad():
        for name, used in model.used_entries().items():
            parameters[name].masked_fill_(~used.to(parameters[name].device), 0.0)


def pixel_transform(
    likelihood: PixelLikelihood, binarization: Binarization | None = None
) -> Binarization | Quantization:
    """How images become what a model of ``likelihood`` is fed.

    A ``bernoulli`` model gets ``binarization`` (default: threshold at ½);
    any other model the images quantized to its K levels.

    Raises
    ------
    ConfigError
        If a binarization is given for a model of K-level pixels.
    """
    if likelihood.name == "bernoulli":
        return binarization or Binarization()
    if binarization is not None:
        raise ConfigError(
            f"binarization is for binary (bernoulli) models; a {likelihood.name} "
            f"model is fed the data quantized to its {likelihood.levels} levels"
        )
    return Quantization(likelihood.levels)


def started_from(checkpoint: Checkpoint) -> dict[str, Any]:
    """The record of a checkpoint a run starts from: fine-tuning its weights.

    Its name, its kind, and the epochs and history of the run that made it
    (empty for a checkpoint without a training record), so a fine-tuned
    model still tells its whole making.
    """
    training = checkpoint.metadata.get("training")
    training = training if isinstance(training, dict) else {}
    history = training.get("history")
    return {
        "name": checkpoint.name,
        "kind": checkpoint.model.kind,
        "epochs": training.get("epoch"),
        "history": history if isinstance(history, list) else [],
    }


class Trainer:
    """Train a model on binary, K-level or (dequantized) continuous images.

    Parameters
    ----------
    model
        Any :class:`~models.base.ARModel`; its weights are updated in place.
    train, valid
        Image sets (binarized for a binary model, quantized to K levels for
        any other: :func:`pixel_transform`); a class-conditional model uses
        their labels.
    config
        :class:`TrainConfig`.
    binarization
        How grayscale images become binary (a ``bernoulli`` model only).
    augmentation
        Random affine jitter and stroke thickness applied to the training
        images (grayscale, before binarization), fresh each epoch; None: off.
        Recorded in checkpoints as ``training.augmentation``.
    checkpoint
        Where to write ``NAME.safetensors``/``NAME.json`` after every epoch
        (None: no checkpoints).
    on_event
        Called with every :data:`Event`, on the training thread.
    control
        Pause / resume / stop from another thread.
    data_info
        Recorded in checkpoints (e.g. ``{"name": "mnist-5k"}``).
    device
        Where to train (a name for :func:`~models.devices.resolve_device`);
        the model is moved there. Ignored when ``distributed`` is given.
    precision
        ``fp32``, or ``bf16`` autocast of the training passes (CUDA only);
        validation NLLs are always computed in float32.
    distributed
        This process's place in a ``torchrun`` group
        (:meth:`~models.devices.Distributed.from_env`); None: one process.
        ``config.batch_size`` is then the global batch, split between ranks.
    started_from
        Where ``model``'s weights came from when the run fine-tunes a trained
        model (:func:`started_from`), recorded in checkpoints as
        ``training.started_from``; None: a model trained from scratch.
    """

    report_interval_s: float = 0.2

    def __init__(
        self,
        model: ARModel,
        train: ImageSet,
        valid: ImageSet | None,
        config: TrainConfig,
        *,
        binarization: Binarization | None = None,
        augmentation: Augmentation | None = None,
        checkpoint: str | Path | None = None,
        on_event: Callable[[Event], None] | None = None,
        control: TrainControl | None = None,
        data_info: dict[str, Any] | None = None,
        device: str | torch.device | None = None,
        precision: str = "fp32",
        distributed: Distributed | None = None,
        started_from: Mapping[str, Any] | None = None,
    ) -> None:
        self.started_from = None if started_from is None else dict(started_from)
        if distributed is None:
            where = (
                device
                if isinstance(device, torch.device)
                else resolve_device(device or "cpu")
            )
            distributed = Distributed(device=where)
        check_precision(precision, distributed.device)
        #: This process's rank, the world size and the device.
        self.dist = distributed
        self.precision = precision
        self.model = model.to(distributed.device)
        self.config = config
        #: What the model is fed: a Binarization or a Quantization.
        self.pixels = pixel_transform(model.likelihood, binarization)
        self.binarization = (
            self.pixels if isinstance(self.pixels, Binarization) else None
        )
        self.quantization = (
            self.pixels if isinstance(self.pixels, Quantization) else None
        )
        self.augmentation = (
            None if augmentation is None or augmentation.is_identity else augmentation
        )
        self.checkpoint_path = None if checkpoint is None else Path(checkpoint)
        self.on_event = (
            on_event if on_event is not None and distributed.is_main else _ignore
        )
        self.control = control or TrainControl()
        self.data_info = dict(data_info or {})
        for name, data in (("train", train), ("valid", valid)):
            if data is None:
                continue
            if data.image_shape != model.image_shape:
                raise ConfigError(
                    f"{name} images are {data.image_shape[0]}×{data.image_shape[1]}, "
                    f"the model expects "
                    f"{model.image_shape[0]}×{model.image_shape[1]}"
                )
            if model.num_classes and data.labels is None:
                raise ConfigError(
                    f"a class-conditional model needs labels; {data.name} has none"
                )
            if model.num_classes and data.num_classes > model.num_classes:
                raise ConfigError(
                    f"{data.name} has {data.num_classes} classes, "
                    f"the model {model.num_classes}"
                )
        self.train_data = train
        self.valid_data = valid
        self.valid_images = None if valid is None else self.pixels.apply(valid)
        self._fixed_train = (
            None
            if self.pixels.varies_by_epoch or self.augmentation is not None
            else self.pixels.apply(train)
        )
        _zero_unused_entries(model)
        objective = _Objective(model, config.class_weight)
        self._objective: torch.nn.Module = objective
        if distributed.active:  # a collective: every rank builds it together
            cuda = distributed.device.type == "cuda"
            self._objective = DistributedDataParallel(
                objective,
                device_ids=[distributed.device] if cuda else None,
                **_no_buffer_sync(),  # masks: each rank sets the same one
            )
        self.optimizer = torch.optim.Adam(
            model.parameters(),
            lr=config.lr,
            weight_decay=config.weight_decay,
            decoupled_weight_decay=True,
        )
        self.start_epoch = 0
        self.global_step = 0
        self.history = _History()

    # -- resuming ---------------------------------------------------------------

    def resume_from(self, checkpoint: Checkpoint) -> None:
        """Continue from ``checkpoint`` (written by a Trainer on the same model).

        Restores the optimizer, the epoch counter and the history; the model
        must be ``checkpoint.model`` or hold the same weights.
        """
        state = resume_state(checkpoint)  # every field checked
        self.optimizer.load_state_dict(state.optimizer)
        for group in self.optimizer.param_groups:  # this run's decay, not the file's
            group["weight_decay"] = self.config.weight_decay
            group["decoupled_weight_decay"] = True
        self.start_epoch = state.epoch
        self.global_step = state.global_step
        self.history = _History(state.history, state.seconds)
        earlier = checkpoint.metadata.get("training", {}).get("started_from")
        self.started_from = earlier if isinstance(earlier, dict) else None

    # -- the loop -----------------------------------------------------------------

    def _steps_per_epoch(self) -> int:
        steps = math.ceil(len(self.train_data) / self.config.batch_size)
        cap = self.config.max_batches_per_epoch
        return min(steps, cap) if cap else steps

    def _labels(self, data: ImageSet) -> NDArray[np.int64] | None:
        return data.labels if self.model.num_classes else None

    def run(self) -> RunEnded:
        """Train until the last epoch, a stop request, or a failure."""
        cfg = self.config
        steps = self._steps_per_epoch()
        self.on_event(
            RunStarted(self.start_epoch, cfg.epochs, steps, self.model.num_parameters())
        )
        epoch = self.start_epoch
        try:
            for epoch in range(self.start_epoch, cfg.epochs):
                self._train_epoch(epoch, steps)
            ended = RunEnded(
                "finished",
                cfg.epochs,
                checkpoint=self.checkpoint_path,
                best_checkpoint=self._best_checkpoint(),
            )
        except _StoppedEarly as exc:
            ended = RunEnded(
                "finished",
                epoch + 1,
                str(exc),
                self._last_checkpoint(),
                self._best_checkpoint(),
            )
        except _Cancelled:
            ended = RunEnded(
                "cancelled",
                epoch,
                "stopped by request",
                self._last_checkpoint(),
                self._best_checkpoint(),
            )
        except _Diverged as exc:
            ended = RunEnded(
                "failed",
                epoch,
                str(exc),
                self._last_checkpoint(),
                self._best_checkpoint(),
            )
        self.model.eval()
        self.on_event(ended)
        return ended

    def _last_checkpoint(self) -> Path | None:
        if self.checkpoint_path is None or not self.history.epochs:
            return None
        return self.checkpoint_path

    @property
    def best_path(self) -> Path | None:
        """Where the best-validation checkpoint goes (``NAME-best``)."""
        if self.checkpoint_path is None or not self.config.keep_best:
            return None
        tensors = checkpoint_paths(self.checkpoint_path)[0]  # NAME.safetensors
        return tensors.with_name(tensors.stem + "-best")

    def _best_checkpoint(self) -> Path | None:
        path = self.best_path
        if path is None or not checkpoint_paths(path)[0].exists():
            return None
        return path

    def _train_epoch(self, epoch: int, steps: int) -> None:
        cfg, model = self.config, self.model
        images = self._fixed_train
        if images is None:
            train = self.train_data
            if self.augmentation is not None:
                train = self.augmentation.apply(train, epoch)
            images = self.pixels.apply(train, epoch)
        order = np.random.default_rng([cfg.seed, epoch]).permutation(len(images))
        likelihood = model.likelihood
        noise_seed = int(np.random.default_rng([cfg.seed, epoch, 1]).integers(2**62))
        noise = torch.Generator().manual_seed(noise_seed)  # dequantization
        order = order[: steps * cfg.batch_size]
        labels = self._labels(self.train_data)
        device, world = self.dist.device, self.dist.world_size
        model.train()
        started = time.perf_counter()
        last_report = started
        total_nll, seen = 0.0, 0
        window_images, window_start = 0, started
        total_steps = cfg.epochs * steps
        for step in range(steps):
            self.control.wait_while_paused()
            stopped = self.control.stopped
            if stopped and not self.dist.active:
                raise _Cancelled
            rows = order[step * cfg.batch_size : (step + 1) * cfg.batch_size]
            levels, y_all = next(
                batches(images, labels, len(rows), rows, likelihood.levels)
            )
            # the whole global batch is prepared on every rank, so the
            # dequantization noise is one process's whatever the world size
            x_all = likelihood.prepare(levels, noise)  # (B, 1, H, W)
            mine = self.dist.shard(np.arange(len(rows)))
            scale = world / len(rows)  # DDP averages over ranks: global mean
            if not len(mine):  # fewer images than ranks: a zero-weight image
                mine, scale = np.arange(1), 0.0
            index = torch.from_numpy(mine)
            x = x_all[index].to(device)  # (b, 1, H, W), this rank's share
            y = None if y_all is None else y_all[index].to(device)
            lr = cfg.lr_at(self.global_step / max(total_steps, 1))
            for group in self.optimizer.param_groups:
                group["lr"] = lr
            model.before_train_step(self.global_step)
            with self._autocast():
                nll_each, loss_each = self._objective(x, y)  # (b,), (b,)
            loss = loss_each.float().sum() * scale
            loss_value = loss.item()
            nll_sum = float(nll_each.detach().double().sum()) if scale else 0.0
            count = len(mine) if scale else 0
            bad = not math.isfinite(loss_value)
            if self.dist.active:  # every rank takes the same decision
                nll_sum, counted, anyone_stopped, anyone_bad = self.dist.sum(
                    [nll_sum, float(count), float(stopped), float(bad)]
                )
                count, stopped, bad = int(counted), anyone_stopped > 0, anyone_bad > 0
                if stopped:
                    raise _Cancelled
            if bad:
                raise _Diverged(
                    f"loss became {loss_value} at epoch {epoch + 1}, step {step + 1}; "
                    "training stopped and the last good checkpoint is kept "
                    "(try a lower learning rate)"
                )
            nll = nll_sum / max(count, 1)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(
                model.parameters(), cfg.grad_clip if cfg.grad_clip > 0 else math.inf
            )
            if not torch.isfinite(norm):
                raise _Diverged(
                    f"gradient became non-finite at epoch {epoch + 1}, "
                    f"step {step + 1}; "
                    "training stopped and the last good checkpoint is kept"
                )
            self.optimizer.step()
            self.global_step += 1
            total_nll += nll_sum
            seen += count
            window_images += count
            now = time.perf_counter()
            if now - last_report >= self.report_interval_s or step == steps - 1:
                rate = window_images / max(now - window_start, 1e-9)
                remaining = (cfg.epochs - epoch - 1) * steps + (steps - step - 1)
                self.on_event(
                    StepReported(
                        epoch + 1,
                        step + 1,
                        steps,
                        self.global_step,
                        nll,
                        likelihood.bits_per_dim(nll, model.num_pixels),
                        rate,
                        lr,
                        remaining * cfg.batch_size / max(rate, 1e-9),
                    )
                )
                last_report, window_images, window_start = now, 0, now
        train_seconds = time.perf_counter() - started
        self._end_epoch(epoch, total_nll / max(seen, 1), train_seconds, seen)

    def _autocast(self) -> contextlib.AbstractContextManager[Any]:
        """bfloat16 autocast of a training pass (``precision="bf16"``, CUDA)."""
        if self.precision != "bf16":
            return contextlib.nullcontext()
        return torch.autocast(self.dist.device.type, dtype=torch.bfloat16)

    def _end_epoch(
        self, epoch: int, train_nll: float, train_seconds: float, seen: int
    ) -> None:
        model, cfg = self.model, self.config
        valid_nll = None
        if self.valid_images is not None and self.valid_data is not None:
            if self.control.stopped:
                raise _Cancelled
            # each rank scores every world_size-th batch; the sums and counts
            # add up to one process's, with no image padded or counted twice
            try:
                score = evaluate(
                    model,
                    self.valid_images,
                    self._labels(self.valid_data),
                    batch_size=cfg.eval_batch_size,
                    # a cancel mid-pass would leave the other ranks waiting
                    progress=None
                    if self.dist.active
                    else lambda done, total: self.control.stopped,
                    shard=(self.dist.rank, self.dist.world_size),
                )
            except InterruptedError:
                raise _Cancelled from None
            total, count = self.dist.sum([score.nll_nats * score.count, score.count])
            valid_nll = total / max(count, 1.0)
        n, likelihood = model.num_pixels, model.likelihood
        self.history.seconds += train_seconds
        images_per_s = seen / max(train_seconds, 1e-9)
        record = {
            "epoch": epoch + 1,
            "train_nll": train_nll,
            "valid_nll": valid_nll,
            "seconds": train_seconds,
            "images_per_s": images_per_s,
            "threads": torch.get_num_threads(),
            "world_size": self.dist.world_size,
        }
        self.history.epochs.append(record)
        self.on_event(
            EpochEnded(
                epoch + 1,
                train_nll,
                valid_nll,
                likelihood.bits_per_dim(train_nll, n),
                None if valid_nll is None else likelihood.bits_per_dim(valid_nll, n),
                train_seconds,
                images_per_s,
            )
        )
        if cfg.num_samples and self.dist.is_main:
            y = None
            if model.num_classes:
                y = torch.arange(cfg.num_samples) % model.num_classes
            samples = model.sample(
                cfg.num_samples, seed=cfg.seed * 100_003 + epoch, y=y
            )
            pixels = samples[:, 0].float().clamp(0, 1).cpu().numpy()  # (n, H, W)
            self.on_event(SamplesDrawn(epoch + 1, pixels))
        if self.checkpoint_path is not None:
            self._save(epoch + 1, train_nll, valid_nll)
        best = self.history.best()
        if best is not None and valid_nll is not None:
            if self.best_path is not None and best["epoch"] == epoch + 1:
                self._save(epoch + 1, train_nll, valid_nll, best=True)
            waited = epoch + 1 - int(best["epoch"])
            if cfg.patience and waited >= cfg.patience:
                raise _StoppedEarly(
                    f"validation NLL has not improved for {waited} epochs "
                    f"(best {best['valid_nll']:.2f} nats at epoch {best['epoch']})"
                )

    def _save(
        self,
        epochs_done: int,
        train_nll: float,
        valid_nll: float | None,
        *,
        best: bool = False,
    ) -> None:
        if self.dist.is_main:
            self._write(epochs_done, train_nll, valid_nll, best=best)
        self.dist.barrier()  # no rank runs ahead of a checkpoint being written

    def _write(
        self,
        epochs_done: int,
        train_nll: float,
        valid_nll: float | None,
        *,
        best: bool,
    ) -> None:
        n, likelihood = self.model.num_pixels, self.model.likelihood
        metrics: dict[str, Any] = {
            "train_nll_nats": train_nll,
            "train_bits_per_dim": likelihood.bits_per_dim(train_nll, n),
        }
        if valid_nll is not None:
            metrics["valid_nll_nats"] = valid_nll
            metrics["valid_bits_per_dim"] = likelihood.bits_per_dim(valid_nll, n)
            metrics["valid_split"] = self.valid_data.name if self.valid_data else None
        note = bits_per_dim_note(likelihood)
        if note is not None:
            metrics["bits_per_dim_note"] = note
        data: dict[str, Any] = {**self.data_info, "train": self.train_data.name}
        if self.quantization is not None:
            data["quantization"] = self.quantization.to_dict()
        if not likelihood.discrete:
            data["dequantization"] = {
                "noise": "uniform, (k + u) / K",
                "training": "fresh each epoch, seeded by (seed, epoch)",
                "evaluation": f"fixed, seed {EVAL_NOISE_SEED}",
            }
        training: dict[str, Any] = {
            "epoch": epochs_done,
            "global_step": self.global_step,
            "config": self.config.to_dict(),
            "augmentation": None
            if self.augmentation is None
            else self.augmentation.to_dict(),
            "history": self.history.epochs,
            "seconds": self.history.seconds,
            "threads": torch.get_num_threads(),
            "world_size": self.dist.world_size,
            "device": self.dist.device.type,
            "precision": self.precision,
        }
        if self.started_from is not None:
            training["started_from"] = self.started_from
        target = self.best_path if best else self.checkpoint_path
        assert target is not None
        path = save_checkpoint(
            target,
            self.model,
            data=data,
            binarization=None
            if self.binarization is None
            else self.binarization.to_dict(),
            metrics=metrics,
            training=training,
            optimizer=None if best else self.optimizer,
        )
        self.on_event(CheckpointSaved(epochs_done, path, best=best))


def _ignore(event: Event) -> None:
    """The event callback of a rank that does not report (rank > 0)."""
