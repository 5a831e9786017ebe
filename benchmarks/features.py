"""Features against pixels: the accuracy of a linear classifier on the shipped
NADE's and MADE's hidden features and on raw pixels, with 10, 100, 1,000 and
all labelled mnist-10k training digits, scored on its 1,000 test digits.

Deterministic: the labelled digits are drawn with seed 0, the classifier
starts from zero weights and takes full-batch L-BFGS steps
(:func:`models.features.compare_with_pixels`).

    python -m benchmarks --only features
"""

from __future__ import annotations

import time
from typing import Any

from models.checkpoint import load_checkpoint
from models.data import load_splits
from models.features import FeatureComparison, compare_with_pixels, run_to_end
from models.library import bundled_dir

#: The shipped models with hidden features on binarized MNIST.
CHECKPOINTS = ("nade-bmnist", "made-bmnist")


def run(quick: bool = False) -> list[dict[str, Any]]:
    """One row per model, representation and label count."""
    data = load_splits("mnist-10k")
    rows: list[dict[str, Any]] = []
    for name in CHECKPOINTS:
        model = load_checkpoint(bundled_dir() / f"{name}.safetensors").model.eval()
        started = time.perf_counter()
        result = run_to_end(
            compare_with_pixels(
                model, data["train"], data["test"], rounds=3 if quick else 10
            )
        )
        assert isinstance(result, FeatureComparison)
        seconds = time.perf_counter() - started
        for what, values, size in (
            ("features", result.feature_accuracy, result.feature_size),
            ("pixels", result.pixel_accuracy, result.pixel_size),
        ):
            for count, value in zip(result.label_counts, values, strict=True):
                rows.append(
                    {
                        "benchmark": f"{name}: linear classifier on {what} ({size}), "
                        f"{count} labels, mnist-10k test accuracy",
                        "unit": "%",
                        "value": 100 * value,
                        "suite": "features",
                        "model": name,
                        "representation": what,
                        "labels": count,
                        "seconds": seconds,
                    }
                )
    return rows
