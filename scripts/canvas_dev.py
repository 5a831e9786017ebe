"""The development sets the canvas models' recipes were chosen on, and a score.

Choosing a canvas model on the benchmark's outside handwriting would tune on
the test. These four sets are made only from MNIST's own test digits (the
first 2,000 of ``mnist-full``'s test split: MNIST's test writers are not its
training writers, and no canvas model trains on them), each normalised as the
canvas normalises a drawing (:func:`benchmarks.canvas.normalized`):

- ``plain``: the digits thresholded at ½, as they are;
- ``aug``: the same after the default augmentation (seed 7);
- ``coarse8``: each digit sent through the ``optdigits-drawn`` path: its ink
  fitted into a 32×32 bitmap, counted in 8×8 blocks, and drawn back from the
  counts by ``make_handwriting.drawings``, as the outside set is made;
- ``coarse16``: the same through the ``mfeat-drawn`` path (48×30 → 16×15).

It prints each checkpoint's p(y | x) accuracy on the four and their mean, the
figure the README's recipes were chosen by (a new model ships only if its
mean beats the one it replaces):

    python scripts/canvas_dev.py resources/checkpoints/nade-mnist5k-classes \\
        runs/x/snap16.safetensors --device cuda
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_handwriting import SOURCES, Source, drawings  # noqa: E402

from benchmarks.canvas import accuracy, normalized  # noqa: E402
from models.checkpoint import load_checkpoint  # noqa: E402
from models.data import Augmentation, Binarization, load_splits  # noqa: E402

#: MNIST test digits in each set.
COUNT = 2000
#: The sets, in the order they are printed.
NAMES = ("plain", "aug", "coarse8", "coarse16")


def coarse(binary: NDArray[np.uint8], source: Source) -> NDArray[np.uint8]:
    """Binary digits through ``source``'s path: bitmap, block counts, drawing."""
    bh, bw = source.bitmap
    gh, gw = source.grid
    counts = np.empty((len(binary), gh, gw), dtype=np.float64)
    for i, image in enumerate(binary):
        rows, cols = np.nonzero(image)
        crop = image[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
        h, w = crop.shape
        k = min(bh / h, bw / w)  # the ink's box fitted into the bitmap
        nh, nw = max(1, round(h * k)), max(1, round(w * k))
        ink = torch.from_numpy(crop.astype(np.float32))[None, None]
        big = F.interpolate(ink, size=(nh, nw), mode="bilinear", align_corners=False)
        bitmap = np.zeros((bh, bw), dtype=np.int64)
        top, left = (bh - nh) // 2, (bw - nw) // 2
        bitmap[top : top + nh, left : left + nw] = big[0, 0].numpy() > 0.5
        counts[i] = bitmap.reshape(gh, bh // gh, gw, bw // gw).sum((1, 3))
    return drawings(counts, source)


def dev_sets(
    count: int = COUNT,
) -> tuple[dict[str, NDArray[np.uint8]], NDArray[np.int64]]:
    """The four sets (``(N, 28, 28)`` binary, normalised) and their labels."""
    test = load_splits("mnist-full")["test"].subset(slice(0, count))
    assert test.labels is not None
    threshold = Binarization("threshold")
    binary = threshold.apply(test)
    sets = {
        "plain": normalized(binary),
        "aug": normalized(threshold.apply(Augmentation(seed=7).apply(test, 0))),
        "coarse8": normalized(coarse(binary, SOURCES["optdigits"])),
        "coarse16": normalized(coarse(binary, SOURCES["mfeat"])),
    }
    return sets, test.labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkpoints", nargs="+", type=Path)
    parser.add_argument("--device", default="cpu", help="e.g. cuda")
    parser.add_argument("--count", type=int, default=COUNT, help="MNIST test digits")
    args = parser.parse_args(argv)
    sets, labels = dev_sets(args.count)
    for path in args.checkpoints:
        model = load_checkpoint(path, device=args.device).model
        scores = {name: 100 * accuracy(model, sets[name], labels) for name in NAMES}
        figures = " ".join(f"{name} {scores[name]:.1f}" for name in NAMES)
        print(f"{path}: {figures} mean {np.mean(list(scores.values())):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
