"""Image data sets: the bundled digits, binarized MNIST, IDX folders, array files.

Every loader returns :class:`ImageSet` splits and raises :class:`DataError`
naming the file and the problem for anything it cannot read.
"""

from models.data.augment import Augmentation, recorded_augmentation
from models.data.binarize import BINARIZE_MODES, Binarization
from models.data.loaders import (
    BUILTIN_DATASETS,
    ImageSet,
    load_split,
    load_splits,
    read_array_file,
    read_idx,
)

__all__ = [
    "BINARIZE_MODES",
    "BUILTIN_DATASETS",
    "Augmentation",
    "Binarization",
    "ImageSet",
    "load_split",
    "load_splits",
    "read_array_file",
    "read_idx",
    "recorded_augmentation",
]
