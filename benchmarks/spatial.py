"""The spatial models at their default sizes on 28×28 digits.

Per model: training throughput (one Adam step on a batch of real digits),
single-image scoring latency (the draw-and-score path: a uint8 drawing is
thresholded and scored), and seconds per sampled image — the model's cached
sampler against the naive one, a full network pass per pixel
(``sample(naive=True)``), measured in the same run.
"""

from __future__ import annotations

import numpy as np
import torch

from benchmarks.common import binary_batch, time_call
from models.base import ARModel
from models.registry import create

KINDS = ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]
TRAIN_BATCH = 32


def _describe(model: ARModel) -> str:
    count = model.parameter_count(model.config)
    return f"{count.name}, {count.value:,} parameters"


def _train_step(
    model: ARModel, optimizer: torch.optim.Optimizer, x: torch.Tensor
) -> None:
    optimizer.zero_grad(set_to_none=True)
    model.training_nll(x).mean().backward()  # type: ignore[no-untyped-call]
    optimizer.step()


def _score_drawing(model: ARModel, drawing: np.ndarray) -> float:
    """What the canvas does: threshold a uint8 drawing, score it."""
    x = torch.from_numpy(drawing >= 128).float().view(1, 1, 28, 28)
    with torch.no_grad():
        return float(model.log_prob(x))


def run(quick: bool = False) -> list[dict[str, object]]:
    """Measure every spatial model."""
    rows: list[dict[str, object]] = []
    x = binary_batch(TRAIN_BATCH)
    drawing = (binary_batch(1, seed=1)[0, 0].numpy() * 255).astype(np.uint8)
    repeats = 3 if quick else 6
    for kind in KINDS:
        torch.manual_seed(0)
        model = create(kind, (28, 28))
        name = _describe(model)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        model.train()
        train = time_call(
            lambda m=model, o=optimizer: _train_step(m, o, x), repeats=repeats
        )
        rows.append(
            {
                "benchmark": f"{name}: training, batch {TRAIN_BATCH}",
                "unit": "images/s",
                "value": TRAIN_BATCH / train["median_s"],
                "timings": {"fast": train},
            }
        )
        model.eval()
        score = time_call(
            lambda m=model: _score_drawing(m, drawing), repeats=3 * repeats
        )
        rows.append(
            {
                "benchmark": f"{name}: scoring one drawing",
                "unit": "ms",
                "value": 1000 * score["median_s"],
                "timings": {"fast": score},
            }
        )
        fast = time_call(lambda m=model: m.sample(1, seed=0), warmup=1, repeats=repeats)
        naive = time_call(
            lambda m=model: m.sample(1, seed=0, naive=True),
            warmup=1,
            repeats=1 if quick else 2,
        )
        rows.append(
            {
                "benchmark": f"{name}: sampling one image",
                "unit": "s per image",
                "value": fast["median_s"],
                "baseline": "one full pass per pixel",
                "baseline_value": naive["median_s"],
                "speedup": naive["median_s"] / fast["median_s"],
                "timings": {"fast": fast, "baseline": naive},
            }
        )
    return rows
