"""``ar-models`` / ``python -m models``: the headless front end.

    ar-models list
    ar-models count --shape 28x28 [--kind nade --set hidden=500]
    ar-models train --kind nade --data mnist-5k --epochs 1
    ar-models train --kind nade --data mnist-10k --conditional --augment
    ar-models train --kind pixelcnn --likelihood categorical --levels 256
    ar-models train --kind nade --likelihood gaussian_mixture --components 10
    ar-models eval CHECKPOINT --data binarized-mnist --split valid
    ar-models fit --kind markov --set order=8 --data binarized-mnist
    ar-models sample CHECKPOINT -n 16 --out grid.png
    ar-models train --kind pixelcnn --device cuda --precision bf16
    torchrun --standalone --nproc_per_node=4 -m models train --kind pixelcnn

Results go to stdout as JSON; progress and messages go to stderr. A problem
with the input exits with status 2 and one line naming it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from models.errors import ARExplorerError, CheckpointError, ConfigError, shown
from models.files import JSONProblem, parse_json

if TYPE_CHECKING:
    from models.checkpoint import Checkpoint
    from models.data import Augmentation
    from models.devices import Distributed

__all__ = ["main"]


def _parse_shape(text: str) -> tuple[int, int]:
    parts = text.lower().replace("×", "x").split("x")
    try:
        if len(parts) > 2:
            raise ValueError
        h, w = (int(p) for p in parts) if len(parts) == 2 else (int(parts[0]),) * 2
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"shape must look like 28x28 (or 28 for a square), got {text!r:.40}"
        ) from None
    if h < 1 or w < 1:
        raise argparse.ArgumentTypeError("shape must be positive")
    return h, w


def _int_in(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a whole number, got {text!r:.40}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"must lie between {low:,} and {high:,}, got {text:.40}"
            )
        return value

    parse.__name__ = "whole number"  # argparse names the type in its messages
    return parse


def _float_in(
    low: float, high: float, *, open_low: bool = False, open_high: bool = False
) -> Callable[[str], float]:
    """An argparse type: a finite number from low to high (open ends excluded)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a number, got {text!r:.40}"
            ) from None
        below = value <= low if open_low else value < low
        above = value >= high if open_high else value > high
        if not math.isfinite(value) or below or above:
            bound = "above" if open_low else "at least"
            top = "below" if open_high else "at most"
            raise argparse.ArgumentTypeError(
                f"must be a finite number {bound} {low:g} and {top} {high:g}, "
                f"got {text:.40}"
            )
        return value

    parse.__name__ = "number"
    return parse


def _likelihood_name(text: str) -> str:
    """An argparse type: the name of a pixel likelihood."""
    from models.likelihoods import LIKELIHOODS

    if text not in LIKELIHOODS:
        raise argparse.ArgumentTypeError(
            f"unknown likelihood {text!r:.40}; use one of {', '.join(LIKELIHOODS)}"
        )
    return text


_likelihood_name.__name__ = "likelihood"


def _parse_settings(pairs: Sequence[str]) -> dict[str, Any]:
    """``key=value`` pairs; values are read as JSON when they parse, else text."""
    settings: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set needs key=value, got {pair!r}")
        try:
            settings[key] = parse_json(value)
        except JSONProblem as exc:
            if not exc.malformed:
                raise ConfigError(f"--set {key}: the value {exc}") from None
            settings[key] = value  # plain text, e.g. ordering=snake
    return settings


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


class _ProgressBar:
    """One self-rewriting stderr line per epoch."""

    def __init__(self, stream: TextIO, width: int = 28) -> None:
        self.stream = stream
        self.width = width
        self.interactive = stream.isatty()

    def update(self, event: Any) -> None:
        filled = round(self.width * event.step / event.steps_per_epoch)
        bar = "█" * filled + "·" * (self.width - filled)
        eta = time.strftime("%H:%M:%S", time.gmtime(event.eta_s))
        line = (
            f"epoch {event.epoch} [{bar}] {event.step}/{event.steps_per_epoch} "
            f"loss {event.loss_nats:7.2f} nats ({event.bits_per_dim:.3f} bpd) "
            f"{event.images_per_s:6.0f} img/s  ETA {eta}"
        )
        if self.interactive:
            self.stream.write("\r" + line)
        elif event.step == event.steps_per_epoch:
            self.stream.write(line + "\n")
        self.stream.flush()

    def end_line(self) -> None:
        if self.interactive:
            self.stream.write("\n")


def _cmd_list(args: argparse.Namespace) -> int:
    from models.data import BUILTIN_DATASETS, available_datasets
    from models.likelihoods import LIKELIHOODS
    from models.orderings import ORDERING_NAMES
    from models.registry import available, model_class

    kinds = {}
    for kind in available():
        cls = model_class(kind)
        config_class = cls.config_class
        kinds[kind] = {
            "title": cls.title,
            "defaults": config_class().to_dict(),
            "orderings": list(config_class.supported_orderings),
            "likelihoods": list(config_class.supported_likelihoods),
            "presets": {
                name: config_class.from_dict(settings).to_dict()
                for name, settings in config_class.presets.items()
            },
        }
    _print_json(
        {
            "models": kinds,
            "orderings": list(ORDERING_NAMES),
            "likelihoods": {
                name: {
                    "discrete": cls.discrete,
                    "about": (cls.__doc__ or "").strip().splitlines()[0],
                }
                for name, cls in LIKELIHOODS.items()
            },
            "datasets": BUILTIN_DATASETS,
            "datasets_here": list(available_datasets()),
        }
    )
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    """Print every structure's count, and ``--kind``'s checked against its model.

    The JSON holds ``shape``, ``n``, ``states`` and ``counts``, one per
    structure, as :meth:`models.counting.ParameterCount.as_dict` gives them:
    ``value`` is the exact integer (null past 4,000 digits), ``digits`` its
    number of digits and ``scientific`` its leading digits and exponent (the
    fully dependent joint of a 100000x100000 image has 3,010,299,957 digits).
    With ``--kind``, ``model`` adds the config, its count and ``numel``,
    counted on the model built, which is refused before building beyond
    :data:`models.counting.MAX_BUILD_PARAMETERS` parameters.
    """
    from models import counting

    h, w = args.shape
    n = counting.check_size("--shape H·W (the number of pixels)", h * w)
    states = counting.check_size("--states", args.states, 2)
    counts = counting.summary(
        n,
        states,
        markov_order=counting.check_size("--markov-order", args.markov_order),
        nade_hidden=counting.check_size("--nade-hidden", args.nade_hidden),
        made_hidden=counting.parse_sizes(args.made_hidden, "--made-hidden"),
    )
    result: dict[str, Any] = {
        "shape": [h, w],
        "n": n,
        "states": states,
        "counts": [c.as_dict() for c in counts],
    }
    if args.kind:  # torch is imported only here: counting alone takes no time
        from models.registry import config_from_dict, model_class, preset_settings

        settings = preset_settings(args.kind, args.preset) | _parse_settings(args.set)
        if "image_shape" in settings:
            raise ConfigError("count takes the image shape from --shape, not --set")
        config = config_from_dict(args.kind, {"image_shape": (h, w), **settings})
        formula = model_class(args.kind).parameter_count(config)
        counting.check_buildable(formula)
        model = model_class(args.kind)(config)
        result["model"] = {
            "kind": args.kind,
            "config": model.config.to_dict(),
            **formula.as_dict(),
            "numel": model.num_parameters(),
        }
    _print_json(result)
    return 0


#: ``ar-models train`` settings a new run gets when they are not given.
_TRAIN_DEFAULTS: dict[str, Any] = {
    "data": "mnist-5k",
    "seed": 0,
    "batch_size": 64,
    "schedule": "cosine",
    "weight_decay": 0.0,
    "patience": 0,
    "class_weight": 0.0,
}


_BINARIZE_MODES = ("threshold", "stochastic", "dynamic")
_SCHEDULES = ("constant", "cosine")


def _recorded_settings(checkpoint: Checkpoint) -> dict[str, Any]:
    """The settings a training checkpoint records, each checked as if typed.

    Raises
    ------
    CheckpointError
        Naming the checkpoint and the recorded setting that is malformed.
    """
    from models.checkpoint import resume_state

    config = resume_state(checkpoint).config  # the whole training record checked
    meta = checkpoint.metadata
    data = meta.get("data") or {}
    binarization = meta.get("binarization") or {}
    path = data.get("path")
    found = isinstance(path, str) and (Path(path).is_file() or Path(path).is_dir())
    recorded = {
        "data": path if found else data.get("name"),
        "valid_split": data.get("valid"),
        "binarize": binarization.get("mode"),
        "threshold": binarization.get("threshold"),
        "seed": config.get("seed"),
        "batch_size": config.get("batch_size"),
        "schedule": config.get("lr_schedule"),
        "lr": config.get("lr"),
        "weight_decay": config.get("weight_decay"),
        "patience": config.get("patience"),
        "class_weight": config.get("class_weight"),
    }
    text = {"data": None, "valid_split": None}
    choices = {"binarize": _BINARIZE_MODES, "schedule": _SCHEDULES}
    numbers: dict[str, Callable[[str], object]] = {
        "threshold": _float_in(0, 1, open_high=True),
        "seed": _int_in(0, _MAX_SEED),
        "batch_size": _int_in(1, 65_536),
        "lr": _float_in(0, 10, open_low=True),
        "weight_decay": _float_in(0, 10),
        "patience": _int_in(0, 100_000),
        "class_weight": _float_in(0, 1e6),
    }
    for key, value in recorded.items():
        if value is None:
            continue
        if key in text or key in choices:
            ok = isinstance(value, str) and value in choices.get(key, (value,))
            problem = f"{shown(value)} is not one this version knows"
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            ok, problem = False, f"must be a number, got {shown(value)}"
        else:
            try:
                numbers[key](str(value))
                ok, problem = True, ""
            except argparse.ArgumentTypeError as exc:
                ok, problem = False, str(exc)
        if not ok:
            raise CheckpointError(checkpoint.path, f"recorded {key} {problem}")
    return recorded


def _fill_train_args(args: argparse.Namespace, checkpoint: Checkpoint | None) -> None:
    """Fill the settings not given: a resumed run's own, else the defaults.

    A resumed run continues on the data, binarization, seed, batch size and
    schedule it started with (so it continues exactly), unless told otherwise.
    ``binarize`` and ``threshold`` stay None unless given or recorded: a
    binary model then binarizes at ½, and a model of K-level pixels, which
    has no binarization, refuses them.
    """
    recorded = {} if checkpoint is None else _recorded_settings(checkpoint)
    for key in {*_TRAIN_DEFAULTS, *recorded}:
        if getattr(args, key) is None:
            value = recorded.get(key)
            setattr(args, key, value if value is not None else _TRAIN_DEFAULTS.get(key))


def _augmentation(
    args: argparse.Namespace, checkpoint: Checkpoint | None
) -> Augmentation | None:
    """``--augment`` as given, else the resumed run's own (None: off)."""
    from models.data import Augmentation, recorded_augmentation

    if args.augment is None:
        return (
            None if checkpoint is None else recorded_augmentation(checkpoint.metadata)
        )
    if args.augment.strip() in ("off", "none"):
        return None
    return Augmentation.parse(args.augment, seed=args.seed)


def _run_path(args: argparse.Namespace) -> Path:
    """Where a new run is saved: ``--name`` inside ``--out``, never elsewhere.

    A given name must be a file name, not a path, and must not be taken
    unless ``--overwrite``; without one the run gets a free, dated name.
    """
    from models.library import Library

    folder = args.out or Library().user_dir
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"--out {folder} is not a folder")
    library = Library(folder, bundled=None)
    if args.name is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        data = Path(str(args.data)).stem
        return folder / library.free_name(f"{args.kind}-{data}-{stamp}")
    if {"/", "\\", os.sep} & set(args.name) or args.name.strip() in ("", ".", ".."):
        raise ConfigError(
            f"--name {args.name!r:.80} must be a file name, not a path; "
            "use --out for the folder"
        )
    taken = library.existing_files(args.name)
    if taken and not args.overwrite:
        raise ConfigError(
            f"{taken[0]} already exists; give --overwrite to replace it, "
            "or another --name"
        )
    return library.run_path(args.name)


#: Set once this process has joined a ``torchrun`` process group: :func:`run`
#: then leaves without the interpreter's shutdown.
_joined_process_group = False


def _cmd_train(args: argparse.Namespace) -> int:
    """Train, alone or as one of the processes ``torchrun`` started."""
    from models.devices import Distributed, check_precision

    global _joined_process_group
    distributed = Distributed.from_env(args.device)  # under torchrun: joins
    _joined_process_group |= distributed.active
    try:
        check_precision(args.precision, distributed.device)
        return _train(args, distributed)
    finally:
        distributed.close()


def _train(args: argparse.Namespace, distributed: Distributed) -> int:
    """``train`` in this process (one of several under ``torchrun``)."""
    from models.checkpoint import load_checkpoint
    from models.data import Binarization
    from models.registry import preset_settings
    from models.run_setup import (
        RunSettings,
        check_run,
        default_lr,
        load_run_data,
        setup_run,
    )
    from models.trainer import (
        CheckpointSaved,
        EpochEnded,
        Event,
        RunEnded,
        StepReported,
        TrainConfig,
        TrainControl,
    )

    if not distributed.is_main:
        args.quiet = True  # rank 0 speaks for the run
    if args.resume and args.init:
        raise ConfigError(
            "--resume continues a run, --init starts a new one from a "
            "checkpoint's weights: give one"
        )
    checkpoint = load_checkpoint(args.resume) if args.resume else None
    init = load_checkpoint(args.init) if args.init else None  # weights alone will do
    _fill_train_args(args, checkpoint)
    augmentation = _augmentation(args, checkpoint)
    data = load_run_data(args.data, args.valid_split, download=args.download)
    if data.note and not args.quiet:
        print(f"note: {data.note}", file=sys.stderr)

    settings: dict[str, Any] = {}
    if checkpoint is not None:
        for flag in ("likelihood", "levels", "components"):
            if getattr(args, flag) is not None:
                raise ConfigError(
                    f"--{flag}: a resumed run keeps its model's "
                    f"({checkpoint.model.likelihood.name})"
                )
        kind, likelihood = checkpoint.model.kind, checkpoint.model.likelihood
        out = checkpoint.path.with_suffix("")
    elif init is not None:
        for flag in ("likelihood", "levels", "components", "set", "ordering", "preset"):
            if getattr(args, flag) not in (None, [], "default"):
                raise ConfigError(
                    f"--{flag}: a run started with --init keeps the model of "
                    f"{init.path.name}"
                )
        if args.conditional and not init.model.num_classes:
            raise ConfigError(
                f"--conditional: {init.path.name} holds a model of p(x), "
                "not p(x | label)"
            )
        kind, likelihood = init.model.kind, init.model.likelihood
        args.kind = kind  # names the run when --name is not given
    else:
        kind = args.kind
        settings = preset_settings(kind, args.preset) | _parse_settings(args.set)
        for key, instead in (("image_shape", "the data"), ("seed", "--seed")):
            if key in settings:
                raise ConfigError(f"--set {key}: train takes it from {instead}")
        if args.ordering:
            settings["ordering"] = args.ordering
    binarization = None  # given or recorded, else the likelihood decides below
    if args.binarize is not None or args.threshold is not None:
        binarization = Binarization(
            args.binarize or "threshold",
            0.5 if args.threshold is None else args.threshold,
            args.seed,
        )
    config = TrainConfig(
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=float(args.lr if args.lr is not None else default_lr(kind)),
        lr_schedule=args.schedule,
        seed=args.seed,
        num_samples=args.samples,
        max_batches_per_epoch=args.max_batches,
        weight_decay=args.weight_decay,
        patience=args.patience,
        class_weight=args.class_weight,
    )
    run = RunSettings(
        kind,
        settings,
        config,
        likelihood=args.likelihood,
        levels=args.levels,
        components=args.components,
        conditional=args.conditional,
        binarization=binarization,
        augmentation=augmentation,
    )
    if init is not None:
        out = _run_path(args)
    elif checkpoint is None:
        likelihood = check_run(run, data).resolve_likelihood()  # before any file
        out = _run_path(args)
    if binarization is None and likelihood.name == "bernoulli":  # threshold at ½
        run = dataclasses.replace(run, binarization=Binarization(seed=args.seed))

    control = TrainControl()
    bar = _ProgressBar(sys.stderr)

    def on_event(event: Event) -> None:
        if args.quiet:
            return
        if isinstance(event, StepReported):
            bar.update(event)
        elif isinstance(event, EpochEnded):
            bar.end_line()
            valid_text = (
                ""
                if event.valid_nll is None
                else f", valid {event.valid_nll:.2f} nats "
                f"({event.valid_bits_per_dim:.4f} bpd)"
            )
            print(
                f"epoch {event.epoch}: train {event.train_nll:.2f} nats{valid_text}, "
                f"{event.seconds:.1f} s, {event.images_per_s:.0f} img/s",
                file=sys.stderr,
            )
        elif isinstance(event, CheckpointSaved):
            label = "best so far" if event.best else "checkpoint"
            print(f"{label}: {event.path}", file=sys.stderr)

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        print("\nstopping after this batch…", file=sys.stderr)
        control.stop()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        trainer = setup_run(
            run,
            data,
            out,
            resume=checkpoint,
            init=init,
            on_event=on_event,
            control=control,
            distributed=distributed,
            precision=args.precision,
        )
        ended: RunEnded = trainer.run()
    finally:
        signal.signal(signal.SIGINT, previous)
    if not distributed.is_main:
        return {"finished": 0, "cancelled": 130}.get(ended.status, 1)
    _print_json(
        {
            "status": ended.status,
            "reason": ended.reason,
            "epochs_completed": ended.epochs_completed,
            "checkpoint": str(ended.checkpoint) + ".safetensors"
            if ended.checkpoint
            else None,
            "best_checkpoint": str(ended.best_checkpoint) + ".safetensors"
            if ended.best_checkpoint
            else None,
            "history": trainer.history.epochs,
        }
    )
    return {"finished": 0, "cancelled": 130}.get(ended.status, 1)


def _cmd_eval(args: argparse.Namespace) -> int:
    """Score a checkpoint on a split: NLL in nats per image and bits/dim.

    A binary model scores the data binarized as it was trained (or as
    ``--binarize`` says); any other model the data quantized to its K levels,
    a continuous one dequantized with fixed noise, so the number is the same
    every time. For a continuous likelihood ``bits_per_dim`` adds log₂ K and
    ``bits_per_dim_note`` says so.
    """
    from models.checkpoint import load_checkpoint
    from models.data import Binarization, Quantization, load_split
    from models.devices import resolve_device
    from models.evaluation import EVAL_NOISE_SEED, classify, evaluate

    device = resolve_device(args.device)
    checkpoint = load_checkpoint(args.checkpoint, device=str(device))
    model = checkpoint.model
    data = load_split(args.data, args.split, download=args.download)
    if data.image_shape != model.image_shape:
        raise ConfigError(
            f"{data.name} holds {data.image_shape[0]}×{data.image_shape[1]} images, "
            f"the model expects {model.image_shape[0]}×{model.image_shape[1]}"
        )
    likelihood = model.likelihood
    transform: dict[str, Any] | str
    if likelihood.name != "bernoulli":
        if args.binarize is not None or args.threshold is not None:
            raise ConfigError(
                f"--binarize and --threshold are for binary models; this "
                f"{likelihood.name} model scores the data quantized to its "
                f"{likelihood.levels} levels"
            )
        quantization = Quantization(likelihood.levels)
        images = quantization.apply(data)
        transform = quantization.to_dict()
    else:
        try:
            binarization = Binarization.from_dict(
                checkpoint.metadata.get("binarization"),
                mode=args.binarize,
                threshold=args.threshold,
            )
        except ConfigError as exc:  # the arguments are checked: it is the record's
            raise CheckpointError(
                checkpoint.path, f"recorded binarization: {exc}"
            ) from None
        images = binarization.apply(data)
        transform = (
            "none (already binary)" if data.is_binary else binarization.to_dict()
        )
    started = time.perf_counter()
    try:  # its only complaints are about the data's labels
        score = evaluate(model, images, data.labels, batch_size=args.batch_size)
    except ConfigError as exc:
        raise ConfigError(f"{args.data}: {exc}") from None
    result = {
        "checkpoint": str(checkpoint.path),
        "kind": model.kind,
        "data": str(args.data),
        "split": args.split,
        "likelihood": likelihood.to_dict(),
        "binarization" if likelihood.name == "bernoulli" else "quantization": transform,
        **score.as_dict(),
        "device": device.type,
        "seconds": time.perf_counter() - started,
    }
    if not likelihood.discrete:
        result["dequantization"] = f"uniform noise, fixed (seed {EVAL_NOISE_SEED})"
    if model.num_classes and data.labels is not None:
        posterior = classify(model, images, batch_size=args.batch_size)
        result["accuracy"] = float((posterior.argmax(1) == data.labels).mean())
    _print_json(result)
    return 0


def _cmd_fit(args: argparse.Namespace) -> int:
    """Fit a tabular model by counting and write its checkpoint (JSON result)."""
    from models.fit import ALPHAS
    from models.tradeoff import make_counted

    settings = _parse_settings(args.set)
    for key in ("image_shape", "likelihood", "levels"):
        if key in settings:
            raise ConfigError(f"--set {key}: fit takes it from the binary data")
    if args.name is None:
        args.name = f"{args.kind}-{Path(str(args.data)).stem}"
    out = _run_path(args)
    run = make_counted(
        args.kind,
        settings,
        out,
        data=args.data,
        name=args.name,
        alpha=tuple(args.alpha) if args.alpha else ALPHAS,
        valid_split=args.valid_split,
    )
    _print_json(
        {
            "checkpoint": str(run.path),
            "num_parameters": run.num_parameters,
            "train_nll_nats": run.train_nll,
            "valid_nll_nats": run.valid_nll,
            "alpha": run.alpha,
            "seconds": run.seconds,
        }
    )
    return 0


def _check_output(path: Path) -> None:
    """Refuse an output path that cannot be written, before any work."""
    if path.is_dir():
        raise ConfigError(f"--out {path} is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ConfigError(f"--out {path}: the folder {folder} {what}")
    if not os.access(folder, os.W_OK):
        raise ConfigError(f"--out {path}: the folder {folder} is not writable")


def _cmd_sample(args: argparse.Namespace) -> int:
    from models.checkpoint import load_checkpoint
    from models.devices import resolve_device
    from models.imageio import grid_size, image_grid, write_png

    _check_output(args.out)
    device = resolve_device(args.device)
    checkpoint = load_checkpoint(args.checkpoint, device=str(device))
    model = checkpoint.model
    label = args.label
    if label is not None and label >= max(model.num_classes, 1):
        raise ConfigError(
            f"--label {label}: the model knows "
            + (
                f"classes 0 to {model.num_classes - 1}"
                if model.num_classes
                else "no classes (it is not class-conditional)"
            )
        )
    height, width = grid_size(args.n, model.image_shape, scale=args.scale)
    if height * width > _MAX_GRID_PIXELS:
        raise ConfigError(
            f"the PNG would be {width:,}×{height:,} pixels; use a smaller -n or --scale"
        )
    if model.num_classes and label is None:
        import torch

        label = torch.arange(args.n) % model.num_classes
    started = time.perf_counter()
    images = model.sample(args.n, temperature=args.temperature, seed=args.seed, y=label)
    seconds = time.perf_counter() - started
    grid = image_grid(images[:, 0].cpu().numpy(), scale=args.scale)
    path = write_png(args.out, grid)
    _print_json(
        {
            "out": str(path),
            "n": args.n,
            "likelihood": model.config.likelihood,
            "seconds": seconds,
            "seconds_per_image": seconds / args.n,
        }
    )
    return 0


_MAX_SEED = 2**63 - 1
#: Bounds of --levels (data is read as 8-bit at most: models.data's
#: MAX_QUANTIZE_LEVELS) and --components (models.likelihoods' MAX_COMPONENTS),
#: written out so that parsing imports no torch.
_MAX_LEVELS = 256
_MAX_COMPONENTS = 64
_MAX_SAMPLES = 4096
_MAX_GRID_PIXELS = 64_000_000  # the largest PNG `sample` writes


_PRECISIONS = ("fp32", "bf16")  # models.devices.PRECISIONS, without torch


def _add_device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--device",
        default="auto",
        metavar="auto|cpu|cuda|cuda:N|mps",
        help="where to compute (default auto: CUDA, then MPS, then the CPU); "
        "under torchrun, cuda means each process's own GPU",
    )


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors in one line that points to ``--help``."""

    def error(self, message: str) -> NoReturn:
        """Print one line naming the problem and exit with status 2."""
        self.exit(2, f"ar-models: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``ar-models``."""
    parser = _Parser(
        prog="ar-models",
        description="Train, score and sample autoregressive image models.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("list", help="model kinds, orderings and data sets (JSON)")

    count = sub.add_parser("count", help="exact parameter counts (JSON)")
    count.add_argument(
        "--shape", type=_parse_shape, default=(28, 28), help="HxW, e.g. 28x28"
    )
    # bounded only to keep huge text out of messages: counting names the limits
    whole = _int_in(-_MAX_SEED, _MAX_SEED)
    count.add_argument("--states", type=whole, default=2, help="K, states per pixel")
    count.add_argument("--markov-order", type=whole, default=1, help="k, default 1")
    count.add_argument("--nade-hidden", type=whole, default=500, help="NADE's H")
    count.add_argument(
        "--made-hidden", default="500", help="MADE's hidden sizes, e.g. 500,500"
    )
    count.add_argument(
        "--kind",
        help="also build this model (up to 200 million parameters) and compare numel",
    )
    count.add_argument("--preset", default="default", help="named size of --kind")
    count.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")

    train = sub.add_parser("train", help="train a model and write checkpoints")
    train.add_argument("--kind", default="nade")
    train.add_argument(
        "--data",
        help="a built-in name, file or IDX folder (default: mnist-5k, or the "
        "resumed run's)",
    )
    train.add_argument(
        "--valid-split", help="split for validation (default: valid, else test)"
    )
    train.add_argument(
        "--preset",
        default="default",
        help="named model size (see `ar-models list`), e.g. small, paper, large",
    )
    train.add_argument("--epochs", type=_int_in(1, 100_000), default=10)
    train.add_argument(
        "--batch-size",
        type=_int_in(1, 65_536),
        help="images per step (default 64); under torchrun the global batch, "
        "split between the processes",
    )
    train.add_argument(
        "--lr",
        type=_float_in(0, 10, open_low=True),
        help="Adam learning rate (default: the model's own)",
    )
    train.add_argument("--schedule", choices=_SCHEDULES, help="default: cosine")
    train.add_argument(
        "--weight-decay",
        type=_float_in(0, 10),
        help="decoupled weight decay, AdamW (default 0)",
    )
    train.add_argument(
        "--patience",
        type=_int_in(0, 100_000),
        help="stop after this many epochs without a better validation NLL "
        "(default 0: never)",
    )
    train.add_argument(
        "--class-weight",
        type=_float_in(0, 1e6),
        help="with --conditional: weight λ of −log p(y | x) added to −log p(x | y) "
        "(hybrid training; default 0: purely generative)",
    )
    train.add_argument("--ordering", help="pixel ordering (raster, snake, hilbert, …)")
    train.add_argument(
        "--likelihood",
        type=_likelihood_name,
        help="what one pixel's conditional is: bernoulli (binary, the default), "
        "categorical or logistic_mixture (K levels), gaussian_mixture "
        "(continuous); `ar-models list` shows which each kind supports",
    )
    train.add_argument(
        "--levels",
        type=_int_in(2, _MAX_LEVELS),
        help="K, the levels the data is quantized to (2 to 256; default 256)",
    )
    train.add_argument(
        "--components",
        type=_int_in(1, _MAX_COMPONENTS),
        help=f"M, the mixture components (1 to {_MAX_COMPONENTS}; default 10)",
    )
    train.add_argument(
        "--binarize",
        choices=_BINARIZE_MODES,
        help="how a binary model's data is binarized (default: threshold)",
    )
    train.add_argument(
        "--threshold", type=_float_in(0, 1, open_high=True), help="default: 0.5"
    )
    train.add_argument("--seed", type=_int_in(0, _MAX_SEED), help="default: 0")
    train.add_argument(
        "--augment",
        nargs="?",
        const="default",
        metavar="KEY=VALUE,…",
        help="random shifts, rotations, scalings, shear and stroke thickness, "
        "fresh each epoch (default recipe: shift=2,rotate_deg=12,scale=0.12,"
        "shear_deg=10,thickness=0.35; give KEY=VALUE pairs to change some; "
        "elastic=R adds an elastic warp of up to R pixels, 0 to 4; "
        "'off' turns a resumed run's off)",
    )
    train.add_argument("--conditional", action="store_true", help="model p(x | label)")
    train.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="model setting, e.g. hidden=500 or hidden_sizes=[500,500]",
    )
    train.add_argument(
        "--out", type=Path, help="folder for checkpoints (default: user data)"
    )
    train.add_argument("--name", help="checkpoint name (a file name inside --out)")
    train.add_argument(
        "--overwrite",
        action="store_true",
        help="replace a checkpoint of the same --name in --out",
    )
    train.add_argument("--resume", help="continue from this checkpoint")
    train.add_argument(
        "--init",
        metavar="CHECKPOINT",
        help="fine-tune: start a new run from this checkpoint's model and "
        "weights, with a fresh optimizer from epoch 0, on this command's data "
        "and settings",
    )
    train.add_argument(
        "--samples",
        type=_int_in(0, 256),
        default=0,
        help="samples drawn after each epoch",
    )
    train.add_argument(
        "--max-batches",
        type=_int_in(0, 10**9),
        default=0,
        help="cap batches per epoch (0: none)",
    )
    train.add_argument(
        "--download", action="store_true", help="allow torchvision to download"
    )
    train.add_argument("--quiet", action="store_true")
    _add_device(train)
    train.add_argument(
        "--precision",
        choices=_PRECISIONS,
        default="fp32",
        help="fp32 (default), or bf16 autocast for training on CUDA; validation "
        "NLLs are float32 either way",
    )

    evaluate = sub.add_parser(
        "eval", help="average exact NLL of a checkpoint on a split (JSON)"
    )
    evaluate.add_argument("checkpoint")
    evaluate.add_argument("--data", required=True)
    evaluate.add_argument("--split", default="valid")
    evaluate.add_argument("--batch-size", type=_int_in(1, 65_536), default=256)
    evaluate.add_argument(
        "--binarize",
        choices=_BINARIZE_MODES,
        help="override the checkpoint's binarization for grayscale data",
    )
    evaluate.add_argument("--threshold", type=_float_in(0, 1, open_high=True))
    evaluate.add_argument("--download", action="store_true")
    _add_device(evaluate)

    fit = sub.add_parser(
        "fit",
        help="fit a Markov or independent-pixels table by counting (seconds)",
    )
    fit.add_argument("--kind", choices=("markov", "bernoulli"), default="markov")
    fit.add_argument("--data", default="binarized-mnist")
    fit.add_argument("--valid-split", default="valid", help="chooses α (default valid)")
    fit.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="e.g. order=8"
    )
    fit.add_argument(
        "--alpha",
        type=_float_in(0, 1e6, open_low=True),
        action="append",
        help="Dirichlet smoothing; several are chosen between on --valid-split "
        "(default: 0.001 to 3)",
    )
    fit.add_argument(
        "--out", type=Path, help="folder for the checkpoint (default: user data)"
    )
    fit.add_argument("--name", help="checkpoint name (default: KIND-DATA)")
    fit.add_argument("--overwrite", action="store_true")

    sample = sub.add_parser("sample", help="draw samples into a PNG grid")
    sample.add_argument("checkpoint")
    sample.add_argument(
        "-n", type=_int_in(1, _MAX_SAMPLES), default=16, help="images (default 16)"
    )
    sample.add_argument("--out", type=Path, default=Path("samples.png"))
    sample.add_argument(
        "--temperature", type=_float_in(0, 100, open_low=True), default=1.0
    )
    sample.add_argument("--seed", type=_int_in(0, _MAX_SEED))
    sample.add_argument(
        "--label",
        type=_int_in(0, 10**6),
        help="class for a class-conditional model",
    )
    sample.add_argument(
        "--scale", type=_int_in(1, 64), default=4, help="pixels per image pixel"
    )
    _add_device(sample)
    return parser


_COMMANDS = {
    "list": _cmd_list,
    "count": _cmd_count,
    "train": _cmd_train,
    "eval": _cmd_eval,
    "fit": _cmd_fit,
    "sample": _cmd_sample,
}


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``ar-models`` program: :func:`main`, then exit with its status.

    A process that trained under ``torchrun`` exits at once, without the
    interpreter's shutdown, once everything is written and flushed. DDP keeps
    the gloo process group, and its worker threads, alive past
    ``destroy_process_group``; a worker that frees a finished collective's
    tensors while the interpreter shuts down needs the interpreter lock it
    can no longer take, and the process aborts (SIGABRT, "terminate called
    without an active exception") after a run that succeeded.
    """
    status = main(argv)
    if _joined_process_group:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (:func:`run` exits with it)."""
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except ARExplorerError as exc:
        print(f"ar-models: error: {exc}", file=sys.stderr)
        return 2
