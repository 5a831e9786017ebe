"""Reproduce the shipped ordering table: NADE on binarized MNIST under seven orderings.

Trains NADE (100 hidden units) on binarized MNIST's 50,000 training digits,
validated on its 10,000 validation digits, under the raster, column, snake,
diagonal zigzag, Hilbert, spiral and random orderings, with seeds 0, 1 and 2
(the random ordering is drawn with the run's seed), each run exactly::

    python -m models train --kind nade --data binarized-mnist --set hidden=100 \\
        --ordering ORDERING --set ordering_seed=SEED --seed SEED --epochs 10 \\
        --lr 0.001 --batch-size 64 --out RUNS --name nade-h100-ORDERING-sSEED --quiet

one after another (about two minutes each on two CPU cores). A run already
finished in ``--runs`` is skipped, so the study can be stopped and started
again; a run left unfinished is trained again from its start. Then each run's
best validation NLL and its epoch are read from its checkpoint record
(:func:`models.ordering_study.read_run`) into the results file the app reads,
``resources/results/orderings-nade-bmnist.json``, and a Markdown table for the
README is printed (or written to ``--markdown``).

    python scripts/ordering_study.py --runs runs/orderings
    python scripts/ordering_study.py --runs runs/orderings --aggregate-only

Needs ``../shared/data/binarized_mnist.npz`` (or the file the loader finds).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from models.errors import ARExplorerError
from models.ordering_study import (
    SHIPPED_RESULTS,
    STUDY_ORDERINGS,
    OrderingRun,
    OrderingStudy,
    markdown_table,
    read_run,
)
from models.resources import resource_path

SEEDS = (0, 1, 2)
EPOCHS = 10
HIDDEN = 100
NAME = "nade-h100-{ordering}-s{seed}"


def train_command(runs: Path, ordering: str, seed: int, epochs: int) -> list[str]:
    """The command that trains one run of the study."""
    return [
        sys.executable,
        "-m",
        "models",
        "train",
        "--kind",
        "nade",
        "--data",
        "binarized-mnist",
        "--set",
        f"hidden={HIDDEN}",
        "--ordering",
        ordering,
        "--set",
        f"ordering_seed={seed}",
        "--seed",
        str(seed),
        "--epochs",
        str(epochs),
        "--lr",
        "0.001",
        "--batch-size",
        "64",
        "--out",
        str(runs),
        "--name",
        NAME.format(ordering=ordering, seed=seed),
        "--quiet",
    ]


def finished_run(
    runs: Path, ordering: str, seed: int, epochs: int
) -> OrderingRun | None:
    """The run's summary if its checkpoint has all ``epochs``, else None."""
    path = runs / NAME.format(ordering=ordering, seed=seed)
    if not path.with_suffix(".safetensors").exists():
        return None
    try:
        run = read_run(path)
    except ARExplorerError as exc:
        print(f"ordering_study: {exc}; training it again", file=sys.stderr)
        return None
    if run.epochs < epochs or run.ordering != ordering or run.seed != seed:
        return None
    return run


def main(argv: list[str] | None = None) -> int:
    """Train what is missing (unless ``--aggregate-only``), then aggregate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, required=True, help="the runs' folder")
    parser.add_argument(
        "--aggregate-only",
        action="store_true",
        help="train nothing: aggregate the runs already finished",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="print the commands still to run"
    )
    parser.add_argument(
        "--orderings", nargs="+", default=list(STUDY_ORDERINGS), metavar="NAME"
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument(
        "--out",
        type=Path,
        default=resource_path(*SHIPPED_RESULTS),
        help="the results file (default: the one the app ships)",
    )
    parser.add_argument("--markdown", type=Path, help="write the table here")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.orderings) - set(STUDY_ORDERINGS))
    if unknown:
        parser.error(f"unknown orderings: {', '.join(unknown)}")

    plan = [(o, s) for s in args.seeds for o in args.orderings]
    if not args.aggregate_only:
        for ordering, seed in plan:
            if finished_run(args.runs, ordering, seed, args.epochs) is not None:
                continue
            command = train_command(args.runs, ordering, seed, args.epochs)
            if args.dry_run:
                print(
                    " ".join(command[1:] if command[0] == sys.executable else command)
                )
                continue
            existing = args.runs / NAME.format(ordering=ordering, seed=seed)
            if existing.with_suffix(".safetensors").exists():
                command.append("--overwrite")  # an unfinished run starts again
            print(f"training {ordering}, seed {seed} …", file=sys.stderr, flush=True)
            subprocess.run(command, check=True)
        if args.dry_run:
            return 0

    runs, missing = [], []
    for ordering, seed in plan:
        run = finished_run(args.runs, ordering, seed, args.epochs)
        if run is None:
            missing.append(NAME.format(ordering=ordering, seed=seed))
        else:
            runs.append(run)
    if missing:
        print(
            f"ordering_study: not finished yet, left out: {', '.join(missing)}",
            file=sys.stderr,
        )
    if not runs:
        print("ordering_study: no finished run to aggregate", file=sys.stderr)
        return 1
    study = OrderingStudy(
        model=f"NADE, {HIDDEN} hidden units",
        data="binarized MNIST: 50,000 training digits, validated on the 10,000 "
        "validation digits",
        training=f"{args.epochs} epochs of Adam, lr 0.001 (cosine decay), batch 64; "
        "the best epoch's validation NLL",
        command="python scripts/ordering_study.py --runs runs/orderings",
        runs=tuple(runs),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(study.to_json(), encoding="utf-8")
    table = markdown_table(study.results)
    if args.markdown is not None:
        args.markdown.write_text(table, encoding="utf-8")
    else:
        print(table, end="")
    print(
        f"ordering_study: {len(runs)} runs into {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
