"""Training throughput on 1 and 2 processes (``torchrun``, gloo, the CPU).

Each run is ``python -m torch.distributed.run --standalone --nproc_per_node=N
-m models train`` on the same images with the same global batch, one thread
per process, and the rate is the trainer's own (images of the global batches
per second of training, validation excluded), from the second epoch so start-up
is not counted. One process with two threads is measured too: on a machine of
two cores that, not one thread, is what two processes have to beat.

What bounds the speed-up here: two processes on two cores leave nothing for
anything else; each step ends in an all-reduce of every gradient through gloo
(shared memory on one machine, but a copy and a synchronisation per step); both
ranks prepare the whole global batch; and the validation pass and rank 0's
checkpoint writes are not split. On a GPU machine with NCCL the same code
scales with the number of GPUs until the per-GPU batch gets small.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from models.devices import torchrun_command

ROOT = Path(__file__).resolve().parents[1]
KIND, SETTINGS = "pixelcnn", ["--preset", "small"]
BATCH = 64
#: Rounds of the three set-ups; the median of each is reported.
REPEATS = 5


def _data(folder: Path, train_images: int) -> Path:
    """Real digits (mnist-5k, thresholded), as many as one epoch needs."""
    from models.data import Binarization, load_split

    images = Binarization().apply(load_split("mnist-5k", "train"))
    path = folder / "digits.npz"
    np.savez(path, train=images[:train_images], valid=images[-BATCH:])
    return path


def _rate(data: Path, out: Path, processes: int, threads: int, batches: int) -> float:
    """Images/s of the second epoch of a run on ``processes`` × ``threads``."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    command = torchrun_command(
        processes,
        "train",
        "--kind", KIND, *SETTINGS,
        "--data", str(data), "--epochs", "2", "--batch-size", str(BATCH),
        "--max-batches", str(batches), "--device", "cpu", "--quiet",
        "--out", str(out), "--name", f"p{processes}t{threads}", "--overwrite",
    )  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    history = json.loads(done.stdout)["history"]
    return float(history[-1]["images_per_s"])


def run(quick: bool = False) -> list[dict[str, object]]:
    """Images/s of 1 process × 1 thread, 1 × 2 threads and 2 processes × 1.

    The three set-ups take turns, ``REPEATS`` rounds of them, so a burst of
    other work on the machine falls on all of them; each is reported as the
    median of its rounds, with the slowest and fastest.
    """
    batches, repeats = (6, 1) if quick else (80, REPEATS)
    setups = {"two": (2, 1), "one": (1, 1), "threads": (1, 2)}
    rates: dict[str, list[float]] = {key: [] for key in setups}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        data = _data(out, BATCH * batches)
        for _ in range(repeats):
            for key, (processes, threads) in setups.items():
                rates[key].append(_rate(data, out, processes, threads, batches))
    median = {key: float(np.median(values)) for key, values in rates.items()}
    name = f"{KIND} ({SETTINGS[-1]}) training, global batch {BATCH}, 28×28"
    spread = {
        key: f"{min(values):,.0f}–{max(values):,.0f} over {len(values)} rounds"
        for key, values in rates.items()
    }
    return [
        {
            "benchmark": f"{name}: 2 processes × 1 thread (torchrun, gloo)",
            "unit": "images/s",
            "value": median["two"],
            "range": spread["two"],
            "baseline": f"1 process × 1 thread ({spread['one']})",
            "baseline_value": median["one"],
            "speedup": median["two"] / median["one"],
        },
        {
            "benchmark": f"{name}: 2 processes × 1 thread (torchrun, gloo)",
            "unit": "images/s",
            "value": median["two"],
            "range": spread["two"],
            "baseline": f"1 process × 2 threads ({spread['threads']})",
            "baseline_value": median["threads"],
            "speedup": median["two"] / median["threads"],
        },
    ]
