"""The shipped models: quality on their data, and speed, measured here.

For every checkpoint in ``resources/checkpoints`` (made by
``scripts/make_pretrained.py``):

- the NLL of the shipped weights on the split that chose them — binarized
  MNIST ``valid`` (its fixed binarization), or the ``test`` split of
  ``mnist-5k``/``mnist-10k`` thresholded as recorded, or, for a model of
  K-level or continuous pixels, the ``test`` split of ``mnist-10k`` or
  Fashion-MNIST quantized to its levels (dequantized with fixed noise for a
  density) — in nats and bits/dim, and p(y | x) accuracy for a
  class-conditional model;
- what the run cost, from the checkpoint's own record: the epoch shipped (the
  best on validation), epochs run, training wall time to that epoch and the
  threads it ran on;
- training images/s of the architecture (Adam steps on 64 real digits),
  seconds per sampled image (the fast sampler, one image) and the latency of
  scoring one drawing (the canvas's :func:`models.evaluation.score_drawing`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from benchmarks.common import binary_batch, time_call
from models.checkpoint import load_checkpoint, read_metadata
from models.data import Binarization, load_split
from models.errors import DataError
from models.evaluation import bits_per_dim_note, classify, evaluate, score_drawing
from models.library import bundled_dir
from models.published import PUBLISHED
from models.registry import model_class
from models.trainer import pixel_transform

BATCH = 64

#: The split each group of shipped models is chosen and reported on.
SPLITS = {
    "binarized-mnist": "valid",
    "mnist-5k": "test",
    "mnist-10k": "test",
    "fashion-mnist": "test",
}
#: Data sets whose models are scored on another's split: the canvas model
#: trained on ``mnist-full`` is scored on the same 1,000 held-out ``mnist-5k``
#: digits as the canvas models trained on the bundled digits.
SCORED_ON = {"mnist-full": "mnist-5k"}


def _quality(checkpoint: Any, data_name: str) -> dict[str, Any]:
    record = checkpoint.metadata
    data = load_split(data_name, SPLITS[data_name])
    model = checkpoint.model
    likelihood = model.likelihood
    binarization = (
        Binarization.from_dict(record.get("binarization"))
        if likelihood.name == "bernoulli"
        else None
    )
    images = pixel_transform(likelihood, binarization).apply(data)
    score = evaluate(model, images, data.labels if model.num_classes else None)
    row: dict[str, Any] = {
        "split": data.name,
        "nll_nats": score.nll_nats,
        "bits_per_dim": score.bits_per_dim,
        "likelihood": likelihood.name,
        "levels": likelihood.levels,
        "bits_per_dim_note": bits_per_dim_note(likelihood),
    }
    if model.num_classes and data.labels is not None:
        posterior = classify(model, images)
        row["accuracy"] = float((posterior.argmax(1) == data.labels).mean())
    return row


def _cost(record: dict[str, Any]) -> dict[str, Any]:
    training = record.get("training") or {}
    shipped = int(training.get("epoch", 0))
    history = training.get("run_history") or training.get("history") or []
    hours, curve = 0.0, []
    for epoch in history:
        hours += float(epoch["seconds"]) / 3600
        curve.append(
            {"epoch": epoch["epoch"], "hours": hours, "valid_nll": epoch["valid_nll"]}
        )
    # a fine-tuned model's time includes the run it started from (--init)
    origin = training.get("started_from") or {}
    before = sum(float(e["seconds"]) for e in origin.get("history") or [])
    return {
        "epoch_shipped": shipped,
        "epochs_run": int(training.get("run_epochs") or len(history)),
        "training_seconds": before
        + sum(float(e["seconds"]) for e in history[:shipped]),
        "threads": sorted(
            {
                int(e.get("threads") or training.get("threads") or 0)
                for e in [*(origin.get("history") or []), *history]
            }
            - {0}
        ),
        "curve": curve,
    }


def _speed(model: Any, repeats: int) -> dict[str, Any]:
    fresh = model_class(model.kind)(model.config)  # same architecture, new weights
    optimizer = torch.optim.Adam(fresh.parameters(), lr=fresh.default_lr)
    x = binary_batch(BATCH)
    y = torch.arange(BATCH) % fresh.num_classes if fresh.num_classes else None
    fresh.train()

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        fresh.training_nll(x, y).mean().backward()  # type: ignore[no-untyped-call]
        optimizer.step()

    train = time_call(step, warmup=1, repeats=repeats)
    model.eval()
    drawing = binary_batch(1, seed=1)[0, 0].numpy()
    score = time_call(lambda: score_drawing(model, drawing), repeats=4 * repeats)
    label = None if not model.num_classes else torch.tensor([3])
    sample = time_call(
        lambda: model.sample(1, seed=0, y=label), warmup=1, repeats=repeats
    )
    return {
        "train_images_per_s": BATCH / train["median_s"],
        "scoring_ms": 1000 * score["median_s"],
        "sample_s": sample["median_s"],
    }


def run(
    quick: bool = False,
    folder: Path | None = None,
    names: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Measure every shipped checkpoint whose data is on this machine.

    ``names`` limits it to those checkpoints (file stems).
    """
    rows: list[dict[str, Any]] = []
    for path in sorted((folder or bundled_dir()).glob("*.safetensors")):
        if names and path.stem not in names:
            continue
        record = read_metadata(path)
        data_name = str((record.get("data") or {}).get("name"))
        data_name = SCORED_ON.get(data_name, data_name)
        if data_name not in SPLITS:
            continue
        checkpoint = load_checkpoint(path)
        model = checkpoint.model
        try:
            quality = _quality(checkpoint, data_name)
        except DataError as exc:
            print(f"skipping {path.name}: {exc}")
            continue
        published = (
            PUBLISHED.get(model.kind) if data_name == "binarized-mnist" else None
        )
        rows.append(
            {
                "benchmark": f"{checkpoint.name}: {quality['split']} NLL",
                "unit": "nats",
                "value": quality["nll_nats"],
                "checkpoint": path.name,
                "kind": model.kind,
                "title": model.parameter_count(model.config).name,
                "parameters": model.num_parameters(),
                "file_mb": path.stat().st_size / 1e6,
                "data": data_name,
                **quality,
                "published_nats": published.nll_nats if published else None,
                **_cost(record),
                **_speed(model, 2 if quick else 5),
            }
        )
    return rows


def _hours(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = seconds / 60
    return f"{minutes:.0f} min" if minutes < 90 else f"{minutes / 60:.1f} h"


def to_markdown(rows: list[dict[str, Any]]) -> str:
    """The README's results table (and the canvas models' and gray models')."""
    lines = [
        "| model | parameters | valid NLL | bits/dim | published (test) "
        "| epochs (shipped / run) | training time | train images/s "
        "| s per sample | scoring one image |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    canvas = [
        "| model | parameters | test NLL | bits/dim | p(y \\| x) accuracy "
        "| training time | s per sample | scoring one image |",
        "|---|---|---|---|---|---|---|---|",
    ]
    gray = [
        "| model | pixel likelihood | data (test split) | parameters | test NLL "
        "| bits/dim | epochs (shipped / run) | training time | train images/s "
        "| s per sample |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        counts, threads = row["threads"], ""
        if counts:
            span = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
            threads = f", {span} thread{'s' if counts[-1] > 1 else ''}"
        epochs = f"{row['epoch_shipped']} / {row['epochs_run']}"
        common = (
            f"| `{row['checkpoint'].removesuffix('.safetensors')}` ({row['title']}) "
            f"| {row['parameters']:,} | {row['nll_nats']:.2f} nats "
            f"| {row['bits_per_dim']:.4f} "
        )
        speed = f"| {row['sample_s']:.3g} s | {row['scoring_ms']:.2f} ms |"
        if row.get("likelihood", "bernoulli") != "bernoulli":
            density = "" if row["bits_per_dim_note"] is None else " (density)"
            bound = "" if row["bits_per_dim_note"] is None else " *"
            gray.append(
                f"| `{row['checkpoint'].removesuffix('.safetensors')}` "
                f"({row['title']}) | {row['likelihood']}, K = {row['levels']} "
                f"| {row['data']} | {row['parameters']:,} "
                f"| {row['nll_nats']:.2f} nats{density} "
                f"| {row['bits_per_dim']:.4f}{bound} | {epochs} "
                f"| {_hours(row['training_seconds'])}{threads} "
                f"| {row['train_images_per_s']:,.0f} | {row['sample_s']:.3g} s |"
            )
            continue
        if row["data"] != "binarized-mnist":
            accuracy = f"{100 * row['accuracy']:.1f} %" if "accuracy" in row else "—"
            canvas.append(
                common
                + f"| {accuracy} | {_hours(row['training_seconds'])}{threads} "
                + speed
            )
            continue
        published = row.get("published_nats")
        lines.append(
            common
            + ("| — " if published is None else f"| {published:.2f} nats ")
            + f"| {epochs} | {_hours(row['training_seconds'])}{threads} "
            + f"| {row['train_images_per_s']:,.0f} "
            + speed
        )
    tables = [table for table in (lines, canvas, gray) if len(table) > 2]
    return "\n\n".join("\n".join(table) for table in tables) + "\n"


def curves_markdown(rows: list[dict[str, Any]], points: int = 8) -> str:
    """Validation NLL against training time, per binarized-MNIST model."""
    out = []
    for row in rows:
        curve = [p for p in row["curve"] if p["valid_nll"] is not None]
        if row["data"] != "binarized-mnist" or len(curve) < 2:
            continue
        step = max(1, -(-len(curve) // points))
        shown = curve[::step] + ([curve[-1]] if (len(curve) - 1) % step else [])
        text = ", ".join(
            f"{_hours(3600 * p['hours'])} (epoch {p['epoch']}) {p['valid_nll']:.2f}"
            for p in shown
        )
        out.append(f"- `{row['checkpoint'].removesuffix('.safetensors')}`: {text}")
    return "\n".join(out) + "\n"
