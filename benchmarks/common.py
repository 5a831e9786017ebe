"""Timing helpers and the record of the machine a benchmark ran on."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

SHARED_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "binarized_mnist.npz"
)


def environment() -> dict[str, object]:
    """Versions, threads and CPU, stored with every result."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "torch_threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "platform": platform.platform(),
    }


def time_call(
    fn: Callable[[], object], *, warmup: int = 2, repeats: int = 5
) -> dict[str, float]:
    """Median and spread of the wall time of ``fn()`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "repeats": repeats,
    }


def binary_batch(batch: int, seed: int = 0) -> torch.Tensor:
    """Real binarized digits, ``(batch, 1, 28, 28)``: binarized MNIST if present,
    else the bundled digits thresholded at ½."""
    from models.data import Binarization, load_split

    data = (
        load_split(SHARED_DATA, "train")
        if SHARED_DATA.is_file()
        else load_split("mnist-5k", "train")
    )
    images = Binarization().apply(data)
    rows = np.random.default_rng(seed).choice(len(images), batch, replace=False)
    return torch.from_numpy(images[rows]).float().unsqueeze(1)
