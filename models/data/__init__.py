"""Image data sets: the bundled digits, binarized MNIST, IDX folders, array files.

Every loader returns :class:`ImageSet` splits and raises :class:`DataError`
naming the file and the problem for anything it cannot read.
"""

from models.data.augment import Augmentation, recorded_augmentation
from models.data.binarize import BINARIZE_MODES, Binarization
from models.data.formats import MAX_DATA_BYTES
from models.data.loaders import (
    BUILTIN_DATASETS,
    ImageSet,
    TrainingData,
    carve_validation,
    load_split,
    load_splits,
    read_array_file,
    read_idx,
    training_data,
)

__all__ = [
    "BINARIZE_MODES",
    "BUILTIN_DATASETS",
    "MAX_DATA_BYTES",
    "Augmentation",
    "Binarization",
    "ImageSet",
    "TrainingData",
    "carve_validation",
    "load_split",
    "load_splits",
    "read_array_file",
    "read_idx",
    "recorded_augmentation",
    "training_data",
]
