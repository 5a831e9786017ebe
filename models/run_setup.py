"""Setting up a training run: one function for every front end.

``ar-models train`` and the desktop app's training monitor both go through
here, so a run is the same run whichever started it, and writes the same
checkpoint record:

1. :func:`load_run_data` reads the data (a built-in name, a file or an IDX
   folder) and picks the training and validation splits; slow, so the app
   calls it in the background.
2. :func:`check_run` checks a :class:`RunSettings` against that data without
   building any weights (fast: the app calls it before it starts).
3. :func:`setup_run` builds the model (or takes a checkpoint's, to resume),
   the data transform its likelihood asks for (binarization for a binary
   model, quantization to K levels otherwise, dequantized by a continuous
   likelihood) and the :class:`~models.trainer.Trainer`, whose every
   checkpoint records the data (name, path, splits, quantization), the
   binarization, the model's config with its likelihood, and the training
   settings.

Example
-------
>>> data = load_run_data("mnist-5k")  # doctest: +SKIP
>>> settings = RunSettings("nade", {"hidden": 50}, TrainConfig(epochs=1))
>>> trainer = setup_run(settings, data, "runs/nade-demo")  # doctest: +SKIP
>>> trainer.run().status  # doctest: +SKIP
'finished'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.base import ARModel, ModelConfig
from models.checkpoint import Checkpoint
from models.data.augment import Augmentation
from models.data.binarize import Binarization
from models.data.loaders import ImageSet, load_splits, training_data
from models.devices import Distributed
from models.errors import ConfigError
from models.registry import config_from_dict, create, model_class
from models.trainer import (
    Event,
    TrainConfig,
    TrainControl,
    Trainer,
    pixel_transform,
    started_from,
)

__all__ = [
    "RunData",
    "RunSettings",
    "check_run",
    "default_lr",
    "load_run_data",
    "setup_run",
]


@dataclass(frozen=True)
class RunData:
    """The data a run trains and validates on, and how it was named.

    Attributes
    ----------
    spec
        The data as the user named it: a built-in name or a path.
    train, valid
        The training images, and the validation images (or None).
    valid_split
        The name of the validation split, recorded so a resumed run and
        ``eval`` use the same one.
    note
        How the validation images were carved out of a one-array file, or
        None.
    path
        The absolute path of a data file or folder (None for a built-in name),
        recorded so a resumed run finds the file from any working folder.
    """

    spec: str
    train: ImageSet
    valid: ImageSet | None
    valid_split: str | None = None
    note: str | None = None
    path: str | None = None

    def record(self) -> dict[str, Any]:
        """What a checkpoint records about the data (the trainer adds more)."""
        return {"name": self.spec, "path": self.path, "valid": self.valid_split}

    def describe(self) -> str:
        """One or two lines: counts, held-out images, shape, levels, labels."""
        h, w = self.train.image_shape
        grey = "binary" if self.train.is_binary else f"{self.train.levels} levels"
        valid = (
            f"{len(self.valid):,} held out"
            if self.valid is not None
            else "no held-out split (no validation curve)"
        )
        classes = self.train.num_classes
        labels = f", {classes} classes" if classes else ", no labels"
        text = f"{len(self.train):,} to train, {valid}; {h}×{w}, {grey}{labels}"
        return text if self.note is None else f"{text}.\n{self.note}."


def load_run_data(
    spec: str | os.PathLike[str],
    valid_split: str | None = None,
    *,
    download: bool = False,
) -> RunData:
    """Read a data set and pick its training and validation splits.

    Parameters
    ----------
    spec
        A built-in name (:data:`~models.data.BUILTIN_DATASETS`), a
        ``.npz``/``.npy`` file or a folder of IDX files.
    valid_split
        The split to validate on (default: ``valid``, else ``test``).
    download
        Let torchvision download full MNIST.

    Raises
    ------
    DataError
        Naming the file and what is wrong with it, or the missing split.
    """
    text = str(spec)
    chosen = training_data(load_splits(spec, download=download), text, valid_split)
    path = Path(text).expanduser()
    located = str(path.resolve()) if path.exists() else None
    return RunData(
        text, chosen.train, chosen.valid, chosen.valid_split, chosen.note, located
    )


@dataclass(frozen=True)
class RunSettings:
    """Everything a new run is, apart from its data and where it is saved.

    Attributes
    ----------
    kind
        The model kind (see :func:`models.registry.available`).
    model
        Model settings (config fields such as ``hidden``, ``ordering``); the
        image shape comes from the data.
    train
        The training settings; ``train.seed`` also seeds the initial weights
        and a stochastic binarization.
    likelihood, levels, components
        The pixel likelihood, its K and its M; None leaves what ``model``
        says, else the config's default (binary pixels).
    conditional
        Model p(x | y) with one class per label of the data.
    binarization
        How a binary model's grayscale data is binarized (None: threshold ½);
        refused for a model of K-level pixels, which is fed the data
        quantized to its levels.
    augmentation
        Random jitter of the training images each epoch, or None.
    """

    kind: str
    model: Mapping[str, Any] = field(default_factory=dict)
    train: TrainConfig = field(default_factory=TrainConfig)
    likelihood: str | None = None
    levels: int | None = None
    components: int | None = None
    conditional: bool = False
    binarization: Binarization | None = None
    augmentation: Augmentation | None = None

    def model_settings(self, data: RunData) -> dict[str, Any]:
        """The config fields of the model to build for ``data``."""
        settings = dict(self.model)
        if "image_shape" in settings:
            raise ConfigError("the image shape comes from the data, not the settings")
        for key in ("likelihood", "levels", "components"):
            value = getattr(self, key)
            if value is not None:
                settings[key] = value
        if self.conditional:
            settings["num_classes"] = max(data.train.num_classes, 1)
        return settings


def default_lr(kind: str) -> float:
    """The learning rate ``kind`` trains well with by default."""
    return float(model_class(kind).default_lr)


def check_run(settings: RunSettings, data: RunData) -> ModelConfig:
    """Check the settings against the data without building any weights.

    Returns the model's config (its likelihood resolved).

    Raises
    ------
    ConfigError
        Naming the setting that is wrong: an unknown kind, a setting the
        kind refuses (a likelihood it does not support, levels or components
        out of range), a binarization for a non-binary model.
    """
    config = config_from_dict(
        settings.kind,
        {"image_shape": data.train.image_shape, **settings.model_settings(data)},
    )
    pixel_transform(config.resolve_likelihood(), settings.binarization)
    return config


def setup_run(
    settings: RunSettings,
    data: RunData,
    checkpoint: str | os.PathLike[str] | None,
    *,
    resume: Checkpoint | None = None,
    init: Checkpoint | None = None,
    on_event: Callable[[Event], None] | None = None,
    control: TrainControl | None = None,
    distributed: Distributed | None = None,
    precision: str = "fp32",
) -> Trainer:
    """Build the model and the trainer of a run; ``trainer.run()`` trains it.

    Parameters
    ----------
    settings
        The run (:class:`RunSettings`). When resuming, the model and its
        likelihood are the checkpoint's, and ``settings.kind``/``model`` are
        not used; the data, binarization and training settings should be the
        run's own for it to continue exactly.
    data
        From :func:`load_run_data`.
    checkpoint
        Where every epoch's checkpoint is written (NAME, without extension),
        or None for none.
    resume
        A training checkpoint to continue from.
    init
        A checkpoint whose model the run starts from, to fine-tune it: its
        weights, with a fresh optimizer from epoch 0, on this run's data and
        settings (``settings.kind`` and the model settings are not used).
        Recorded in the run's checkpoints (``training.started_from``).
    on_event, control
        Passed to the :class:`~models.trainer.Trainer`.
    distributed, precision
        Where the run computes: the device and, under ``torchrun``, this
        process's rank (:meth:`~models.devices.Distributed.from_env`; None:
        one process on the CPU), and ``fp32`` or ``bf16`` (CUDA) training;
        passed to the :class:`~models.trainer.Trainer`.

    Raises
    ------
    ConfigError
        For settings the model or the data refuse (see :func:`check_run`),
        e.g. data of another image shape than a resumed model's.
    CheckpointError
        For a ``resume`` checkpoint whose training record is malformed.
    """
    model: ARModel
    if resume is not None and init is not None:
        raise ConfigError("a run either resumes a checkpoint or starts from one")
    if init is not None:
        model = init.model  # the Trainer checks its pixels against the data
    elif resume is None:
        check_run(settings, data)
        model = create(
            settings.kind,
            data.train.image_shape,
            seed=settings.train.seed,
            **settings.model_settings(data),
        )
    else:
        model = resume.model
    trainer = Trainer(
        model,
        data.train,
        data.valid,
        settings.train,
        binarization=settings.binarization,
        augmentation=settings.augmentation,
        checkpoint=None if checkpoint is None else Path(checkpoint),
        on_event=on_event,
        control=control,
        data_info=data.record(),
        precision=precision,
        distributed=distributed,
        started_from=None if init is None else started_from(init),
    )
    if resume is not None:
        trainer.resume_from(resume)
    return trainer
