"""Every model: training throughput, scoring latency, sampling speed.

Per model, on 28×28 binarized digits:

- training images/s (one Adam step on a batch of 64 real digits) at the
  default size and at the paper's (or a larger) size;
- single-image scoring latency: what the draw-and-score canvas does — a uint8
  drawing is thresholded and scored with :func:`models.evaluation.score_drawing`
  (log p(x), the surprise map, and p(y | x) for the class-conditional NADE);
- seconds per sampled image, the model's fast sampler against the naive one
  (a full network pass per pixel, ``sample(naive=True)``), at the default size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from benchmarks.common import binary_batch, time_call
from models.base import ARModel
from models.evaluation import score_drawing
from models.registry import create, preset_settings

BATCH = 64

#: (kind, the default's settings, the larger size's preset or settings, its label)
MODELS: list[tuple[str, dict[str, Any], dict[str, Any] | None, str]] = [
    ("bernoulli", {}, None, ""),
    ("markov", {"order": 8}, None, ""),
    ("fvsbn", {}, None, ""),
    ("nade", {}, None, "paper size is the default"),
    ("made", {}, None, "paper size is the default"),
    ("pixelcnn", {}, preset_settings("pixelcnn", "large"), "large preset"),
    ("gated_pixelcnn", {}, preset_settings("gated_pixelcnn", "large"), "large preset"),
    ("row_lstm", {}, preset_settings("row_lstm", "large"), "large preset"),
    (
        "diagonal_bilstm",
        {},
        preset_settings("diagonal_bilstm", "paper-deep"),
        "7 layers",
    ),
]


def _name(model: ARModel) -> str:
    count = model.parameter_count(model.config)
    return f"{count.name}, {count.value:,} parameters"


def _train_step(
    model: ARModel, optimizer: torch.optim.Optimizer, x: torch.Tensor
) -> None:
    model.before_train_step(0)
    optimizer.zero_grad(set_to_none=True)
    model.training_nll(x).mean().backward()  # type: ignore[no-untyped-call]
    optimizer.step()


def _training_row(model: ARModel, x: torch.Tensor, repeats: int) -> dict[str, object]:
    optimizer = torch.optim.Adam(model.parameters(), lr=model.default_lr)
    model.train()
    timing = time_call(
        lambda: _train_step(model, optimizer, x), warmup=1, repeats=repeats
    )
    return {
        "benchmark": f"{_name(model)}: training, batch {BATCH}",
        "unit": "images/s",
        "value": BATCH / timing["median_s"],
        "timings": {"fast": timing},
    }


def run(quick: bool = False) -> list[dict[str, object]]:
    """Measure every model kind."""
    rows: list[dict[str, object]] = []
    x = binary_batch(BATCH)
    drawing = (binary_batch(1, seed=1)[0, 0].numpy() * 255).astype(np.uint8)
    repeats = 3 if quick else 6
    for kind, settings, larger, label in MODELS:
        torch.manual_seed(0)
        model = create(kind, (28, 28), **settings)
        rows.append(_training_row(model, x, repeats))
        if larger is not None:
            big = create(kind, (28, 28), **larger)
            row = _training_row(big, x, 2 if quick else 3)
            row["benchmark"] = f"{row['benchmark']} ({label})"
            rows.append(row)
        model.eval()
        score = time_call(
            lambda m=model: score_drawing(m, drawing / 255), repeats=4 * repeats
        )
        rows.append(
            {
                "benchmark": f"{_name(model)}: scoring one drawing",
                "unit": "ms",
                "value": 1000 * score["median_s"],
                "timings": {"fast": score},
            }
        )
        if kind == "nade":  # the canvas's default: p(x | y) for ten classes
            conditional = create("nade", (28, 28), num_classes=10).eval()
            score = time_call(
                lambda m=conditional: score_drawing(m, drawing / 255),
                repeats=4 * repeats,
            )
            rows.append(
                {
                    "benchmark": f"{_name(conditional)}: "
                    "scoring one drawing with the class posterior",
                    "unit": "ms",
                    "value": 1000 * score["median_s"],
                    "timings": {"fast": score},
                }
            )
        if kind in ("bernoulli", "markov"):
            continue  # their sampler is the naive one's equal
        fast = time_call(lambda m=model: m.sample(1, seed=0), warmup=1, repeats=repeats)
        naive = time_call(
            lambda m=model: m.sample(1, seed=0, naive=True),
            warmup=0,
            repeats=1 if quick else 2,
        )
        rows.append(
            {
                "benchmark": f"{_name(model)}: sampling one image",
                "unit": "s per image",
                "value": fast["median_s"],
                "baseline": "one full pass per pixel",
                "baseline_value": naive["median_s"],
                "speedup": naive["median_s"] / fast["median_s"],
                "timings": {"fast": fast, "baseline": naive},
            }
        )
    return rows
