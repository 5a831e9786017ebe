"""Train the small models that ship with the app, and write them to resources/.

They let every panel work on first launch: class-conditional NADE and PixelCNN
(for the canvas's p(y | x)) and a Diagonal BiLSTM, all on the bundled
``mnist-5k`` thresholded at ½ (clean strokes, like a mouse drawing). Each is an
``ar-models train`` command with a fixed seed; the shipped copy keeps only the
weights (no optimizer state) and records the command in its notes.

    python scripts/make_bundled.py                 # train all, then export
    python scripts/make_bundled.py --only nade-mnist5k-classes
    python scripts/make_bundled.py --from-runs DIR # export runs already trained

On the project's 2-core CPU the three take about 10 minutes in all.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.checkpoint import copy_checkpoint  # noqa: E402
from models.cli import main as cli  # noqa: E402

OUT = ROOT / "resources" / "checkpoints"

#: name → the ar-models train arguments that make it.
RECIPES: dict[str, list[str]] = {
    "nade-mnist5k-classes": [
        "--kind", "nade", "--data", "mnist-5k", "--conditional",
        "--epochs", "20", "--lr", "0.003", "--seed", "0",
    ],
    "pixelcnn-mnist5k-classes": [
        "--kind", "pixelcnn", "--data", "mnist-5k", "--conditional",
        "--epochs", "12", "--seed", "0",
    ],
    "diagonal-bilstm-mnist5k": [
        "--kind", "diagonal_bilstm", "--data", "mnist-5k",
        "--epochs", "6", "--seed", "0",
    ],
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(RECIPES), action="append")
    parser.add_argument("--from-runs", type=Path, help="export these trained runs")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    names = args.only or list(RECIPES)
    with tempfile.TemporaryDirectory() as scratch:
        runs = args.from_runs or Path(scratch)
        for name in names:
            command = ["train", *RECIPES[name], "--out", str(runs), "--name", name]
            if args.from_runs is None:
                print("ar-models", " ".join(command), file=sys.stderr)
                if cli([*command, "--quiet"]) != 0:
                    return 1
            notes = (
                "Shipped with AR Explorer; made by: ar-models "
                + " ".join(RECIPES[name])
                + " (python scripts/make_bundled.py)"
            )
            path = copy_checkpoint(
                runs / name,
                args.out / name,
                name=name,
                notes=notes,
                overwrite=True,
                include_optimizer=False,
            )
            print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
