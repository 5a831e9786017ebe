"""Image data sets, binarized or quantized to K levels for a model.

The bundled digits, binarized MNIST, Fashion-MNIST, IDX folders, array files.

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
    available_datasets,
    carve_validation,
    find_binarized_mnist,
    find_fashion_mnist,
    find_mnist_full,
    load_split,
    load_splits,
    read_array_file,
    read_idx,
    training_data,
)
from models.data.quantize import MAX_QUANTIZE_LEVELS, Quantization

__all__ = [
    "BINARIZE_MODES",
    "BUILTIN_DATASETS",
    "MAX_DATA_BYTES",
    "MAX_QUANTIZE_LEVELS",
    "Augmentation",
    "Binarization",
    "ImageSet",
    "Quantization",
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
    "recorded_augmentation",
    "training_data",
]
