"""Regenerate resources/data/optdigits_drawn.npz: handwriting from outside MNIST.

The held-out handwriting set the canvas benchmark scores: 1,797 digits written
by 13 people at Boğaziçi University (the test set of UCI's *Optical
Recognition of Handwritten Digits*, E. Alpaydın and C. Kaynak, 1998, CC BY 4.0),
as shipped in the scikit-learn wheel (``sklearn/datasets/data/digits.csv.gz``,
BSD-3-Clause). None of these writers is in MNIST. Nothing is trained or tuned
on them.

Each digit there is an 8×8 grid of counts (0–16 ink pixels of a 32×32 binary
bitmap per 4×4 block). Here it becomes a binary 28×28 drawing, the way the
canvas holds one: the counts, as intensities, are enlarged to 24×24 with
bilinear interpolation and placed with a 2-pixel margin; its most inked
pixels are set, as many as the bitmap had ink pixels (scaled to 24²).
The benchmark then scores it as the canvas does: ``normalize_drawing`` (MNIST's
20×20 box, centre of mass, stroke width), then p(y | x).

    pip download scikit-learn==1.9.1 --no-deps -d /tmp/sklearn
    python scripts/make_handwriting.py --wheel /tmp/sklearn/scikit_learn-1.9.1-*.whl

The output (``test``: packed bits, ``test_labels``, ``shape``) is a zip with
fixed timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from csv_source import add_source_arguments, labelled_images, read_source  # noqa: E402
from make_mnist5k import write_npz  # noqa: E402

CSV_IN_WHEEL = "sklearn/datasets/data/digits.csv.gz"
OUTPUT = ROOT / "resources" / "data" / "optdigits_drawn.npz"
SIZE, INNER = 28, 24


def parse_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows of 64 counts then the label → counts ``(N, 8, 8)``, labels ``(N,)``."""
    return labelled_images(text, 8, 16, "counts")


def drawings(counts: np.ndarray) -> np.ndarray:
    """Binary 28×28 drawings ``(N, 28, 28)`` uint8 from 8×8 block counts."""
    ink = torch.from_numpy(counts / 16.0).unsqueeze(1)  # (N, 1, 8, 8)
    large = F.interpolate(
        ink, size=(INNER, INNER), mode="bilinear", align_corners=False
    )
    margin = (SIZE - INNER) // 2
    # keep as many pixels as the bitmap had ink (scaled from 32² to 24²): the
    # most inked ones
    flat = large[:, 0].reshape(len(counts), -1).numpy()  # (N, 24·24)
    area = np.rint(counts.reshape(len(counts), -1).sum(1) * (INNER / 32) ** 2)
    rank = np.argsort(np.argsort(-flat, axis=1, kind="stable"), axis=1)
    ink = (rank < area[:, None]).reshape(-1, INNER, INNER)
    out = np.zeros((len(counts), SIZE, SIZE), dtype=np.uint8)
    out[:, margin : margin + INNER, margin : margin + INNER] = ink
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_source_arguments(parser, "scikit-learn", "digits.csv.gz")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    counts, labels = parse_csv(read_source(args, CSV_IN_WHEEL))
    images = drawings(counts)
    packed = np.packbits(images.reshape(len(images), -1), axis=1)
    data = write_npz(
        args.out,
        {
            "test": packed,
            "test_labels": labels,
            "shape": np.array([SIZE, SIZE], dtype=np.int64),
        },
    )
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {args.out} ({len(data):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
