"""How well the canvas models read digits: p(y | x) accuracy on held-out sets.

For every class-conditional checkpoint in ``resources/checkpoints``:

- **held-out MNIST**: the 1,000 ``mnist-5k`` test digits (no shipped model
  trains on them), binarized as the checkpoint records (threshold ½);
- **handwriting from outside MNIST**, two sets none of whose writers is in
  MNIST, binary 28×28 drawings, never trained or tuned on: the 1,797
  ``optdigits-drawn`` digits by 13 writers in Istanbul (from 8×8 block counts:
  coarse), and the 2,000 ``mfeat-drawn`` digits from Dutch utility maps (from
  16×15 block counts);

Each set is scored the way the canvas scores a drawing: normalised as MNIST
digits are (:func:`models.drawing.prepare_drawing`, as the canvas: the ink's box into
20×20, centre of mass at the centre, stroke width matched; on by default in
the canvas), then the class with the highest p(y | x) by Bayes' rule
(:func:`models.evaluation.classify`, which gives the posterior
:func:`~models.evaluation.score_drawing` shows). Each is also scored as is,
without the normalisation. The targets: 95 % on held-out MNIST, 85 % on the
outside handwriting, normalised.

    python -m benchmarks --only canvas
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from models.base import ARModel
from models.checkpoint import load_checkpoint, read_metadata
from models.data import Binarization, ImageSet, load_split
from models.drawing import prepare_drawing
from models.evaluation import classify
from models.library import bundled_dir

#: (data set, split, what the README calls it, target accuracy in %).
SETS: Final = (
    ("mnist-5k", "test", "held-out MNIST", 95.0),
    ("optdigits-drawn", "test", "handwriting outside MNIST", 85.0),
    ("mfeat-drawn", "test", "handwriting outside MNIST", 85.0),
)


def normalized(images: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """Every binary image normalised as the canvas normalises a drawing."""
    out = np.empty_like(images)
    for i, image in enumerate(images):
        out[i] = prepare_drawing(image.astype(np.float64)).image  # the canvas's path
    return out


def accuracy(
    model: ARModel, images: NDArray[np.uint8], labels: NDArray[np.int64]
) -> float:
    """Fraction of ``images`` whose most probable class is the label."""
    posterior = classify(model, images)
    return float((posterior.argmax(1) == labels).mean())


def run(quick: bool = False, folder: Path | None = None) -> list[dict[str, Any]]:
    """p(y | x) accuracy of every class-conditional shipped model on both sets."""
    del quick  # one pass over each set is already the measurement
    rows: list[dict[str, Any]] = []
    for path in sorted((folder or bundled_dir()).glob("*.safetensors")):
        record = read_metadata(path)
        if not (record.get("config") or {}).get("num_classes"):
            continue
        checkpoint = load_checkpoint(path)
        model = checkpoint.model
        binarization = Binarization.from_dict(record.get("binarization"))
        for name, split, title, target in SETS:
            data = load_split(name, split)
            assert data.labels is not None
            drawn = binarization.apply(data)
            for normalise in (True, False):
                started = time.perf_counter()
                images = normalized(drawn) if normalise else drawn
                value = 100 * accuracy(model, images, data.labels)
                rows.append(
                    accuracy_row(
                        checkpoint.name,
                        title,
                        data,
                        value,
                        normalised=normalise,
                        target=target,
                        seconds=time.perf_counter() - started,
                    )
                )
    return rows


def accuracy_row(
    model: str,
    title: str,
    data: ImageSet,
    value: float,
    *,
    normalised: bool,
    target: float,
    seconds: float,
    measure: str = "p(y | x) accuracy",
) -> dict[str, Any]:
    """One result of this table: ``model``'s accuracy ``value`` (%) on ``data``.

    ``title`` is what the README calls the set; the target applies only to
    the normalised digits. :func:`to_markdown` reads these rows.
    """
    how = "normalised" if normalised else "as drawn"
    return {
        "benchmark": f"{model}: {measure}, {title} ({data.name}, {how})",
        "unit": "%",
        "value": value,
        "suite": "canvas",
        "model": model,
        "data": data.name,
        "count": len(data),
        "normalised": normalised,
        "target": target if normalised else None,
        "meets_target": value >= target if normalised else None,
        "seconds": seconds,
    }


def environment_line(env: dict[str, Any]) -> str:
    """Where the accuracies were measured (they do not depend on the machine)."""
    return f"\ntorch {env['torch']}, Python {env['python']}.\n"


def to_markdown(rows: list[dict[str, Any]]) -> str:
    """One line per model: accuracies on both sets, with and without normalising."""
    head = "".join(
        f"| {name} (target {target:g} %) | as drawn " for name, _, _, target in SETS
    )
    lines = ["| model " + head + "|", "|---" * (1 + 2 * len(SETS)) + "|"]
    for model in dict.fromkeys(row["model"] for row in rows):
        cells = {
            (row["data"].split("/")[0], row["normalised"]): row["value"]
            for row in rows
            if row["model"] == model
        }
        text = [
            f"{cells[(name, norm)]:.1f} %" if (name, norm) in cells else "—"
            for name, *_ in SETS
            for norm in (True, False)
        ]
        lines.append(f"| `{model}` | " + " | ".join(text) + " |")
    return "\n".join(lines) + "\n"
