"""Parameters against fit: the course's trade-off, measured on binarized MNIST.

The course counts what an assumption saves: a fully dependent joint of n
binary pixels needs 2ⁿ − 1 numbers, independence n, a Markov chain 2n − 1.
This module puts every model shipped on binarized MNIST on one chart — its
number of parameters against its validation NLL — with the Markov AR-k
models for k = 1, 2, 4, 8, 16 and the independent pixels fitted exactly by
counting (:mod:`models.fit`), and the fully dependent joint's 2⁷⁸⁴ − 1 as a
magnitude far off the chart.

The Markov tables up to k = 8 ship as checkpoints; AR-16's table has
784·2¹⁶ ≈ 51 million numbers (about 205 MB), so only its measured result ships
(:data:`RESULTS`) and :func:`make_counted` regenerates it in seconds where
binarized MNIST is found.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import counting
from models.checkpoint import save_checkpoint
from models.data import load_split
from models.data.loaders import find_binarized_mnist
from models.errors import ConfigError, DataError
from models.evaluation import evaluate
from models.files import JSONProblem, read_json_file
from models.fit import ALPHAS, fit_by_counting
from models.library import Library, LibraryEntry
from models.registry import create
from models.resources import resource_path

__all__ = [
    "COUNTED",
    "DATA",
    "RESULTS",
    "CountedModel",
    "CountedRun",
    "TradeoffPoint",
    "binarized_mnist_found",
    "full_joint",
    "make_counted",
    "read_results",
    "tradeoff_points",
]

#: The data set of the chart.
DATA = "binarized-mnist"
#: The measured results of every counted model, shipped or not.
RESULTS = resource_path("results", "tradeoff-bmnist.json")
#: The largest results file read (it holds a handful of rows).
_MAX_RESULTS_BYTES = 1 << 20


@dataclass(frozen=True)
class CountedModel:
    """A tabular model of the chart, fitted by counting.

    Attributes
    ----------
    name
        Its checkpoint's name.
    kind
        ``markov`` or ``bernoulli``.
    settings
        Model settings (``order`` for Markov).
    shipped
        Whether its checkpoint ships; if not, it is regenerated on request.
    """

    name: str
    kind: str
    settings: dict[str, int]
    shipped: bool

    @property
    def command(self) -> str:
        """The ``ar-models`` command that makes it."""
        sets = "".join(f" --set {k}={v}" for k, v in self.settings.items())
        return (
            f"ar-models fit --kind {self.kind}{sets} --data {DATA} --name {self.name}"
        )


#: The Markov chains of the chart along the raster order.
COUNTED: tuple[CountedModel, ...] = tuple(
    CountedModel(f"markov-k{k}-bmnist", "markov", {"order": k}, k <= 8)
    for k in (1, 2, 4, 8, 16)
)


@dataclass(frozen=True)
class CountedRun:
    """A counted model written as a checkpoint, and how it scored."""

    path: Path
    num_parameters: int
    train_nll: float
    valid_nll: float
    alpha: float
    seconds: float


def make_counted(
    kind: str,
    settings: dict[str, Any],
    out: Path,
    *,
    data: str = DATA,
    name: str | None = None,
    alpha: float | Sequence[float] = ALPHAS,
    valid_split: str = "valid",
    notes: str = "",
) -> CountedRun:
    """Fit a tabular model by counting on ``data`` and write its checkpoint.

    Binary data (or data binarized at ½) gives a Bernoulli table; α is chosen
    from ``alpha`` by the NLL on ``valid_split``. The record says how it was
    made: data, validation NLL, seconds, the α used and every α's score.

    Parameters
    ----------
    kind, settings
        ``markov`` (with ``order``) or ``bernoulli``, and model settings.
    out
        The checkpoint's path, without extension.
    data, valid_split
        The data set (a built-in name or a file) and its validation split.
    name, alpha, notes
        Display name, the smoothing grid, and free text for the record.

    Raises
    ------
    ConfigError, DataError
        For a kind that does not count, bad settings, or missing data.
    """
    if kind not in ("markov", "bernoulli"):
        raise ConfigError(
            f"fit counts tables: use --kind markov or bernoulli, not {kind}"
        )
    started = time.perf_counter()
    train = load_split(data, "train")
    valid = load_split(data, valid_split)
    model = create(kind, train.image_shape, **settings)
    if model.likelihood.name != "bernoulli":
        raise ConfigError("fit counts binary pixels only")
    train_images = _binary(train)
    valid_images = _binary(valid)
    fit = fit_by_counting(model, train_images, alpha=alpha, valid=valid_images)
    seconds = time.perf_counter() - started
    train_score = evaluate(model, train_images)
    valid_score = evaluate(model, valid_images)
    path = save_checkpoint(
        out,
        model,
        data={"name": data, "path": None, "valid": valid_split, "train": train.name},
        binarization={"mode": "threshold", "threshold": 0.5, "seed": 0},
        metrics={
            "train_nll_nats": train_score.nll_nats,
            "train_bits_per_dim": train_score.bits_per_dim,
            "valid_nll_nats": valid_score.nll_nats,
            "valid_bits_per_dim": valid_score.bits_per_dim,
            "valid_split": valid.name,
        },
        training={
            "method": "counting",
            "alpha": fit.alpha,
            "valid_nll_by_alpha": [[a, nll] for a, nll in fit.valid_nll.items()],
            "train_images": fit.train_images,
            "seconds": seconds,
        },
        name=name,
        notes=notes
        or (
            "Fitted by counting: the maximum-likelihood table with Dirichlet "
            f"smoothing α = {fit.alpha:g}, chosen on {valid.name}"
        ),
    )
    return CountedRun(
        path,
        model.num_parameters(),
        train_score.nll_nats,
        valid_score.nll_nats,
        fit.alpha,
        seconds,
    )


def _binary(data: Any) -> Any:
    """A split's images as 0/1 levels (thresholded at ½ if gray)."""
    if data.is_binary:
        return data.images
    return (data.intensities() > 0.5).astype("uint8")


@dataclass(frozen=True)
class TradeoffPoint:
    """One model on the chart.

    Attributes
    ----------
    name
        The checkpoint's name.
    kind
        The model kind.
    num_parameters
        Its exact number of parameters.
    valid_nll
        Validation NLL in nats per image.
    path
        Its checkpoint when there is one on this machine (else None).
    shipped
        True for a shipped checkpoint, False for one regenerated on request.
    order
        k for a Markov chain, else None.
    command
        For a counted model, the command that makes it.
    """

    name: str
    kind: str
    num_parameters: int
    valid_nll: float
    path: Path | None
    shipped: bool
    order: int | None = None
    command: str = ""

    @property
    def label(self) -> str:
        """A short label for the chart: AR-k, "independent", or the model's name.

        "independent" is the counter's name of the structure, marked for
        translation in :mod:`models.counting`; the others are names and stay.
        """
        if self.order is not None:
            return f"AR-{self.order}"
        if self.kind == "bernoulli":
            return counting.independent(1).name
        return self.name.split("-bmnist")[0]


def read_results(path: Path = RESULTS) -> dict[str, dict[str, Any]]:
    """The shipped results of the counted models, by checkpoint name.

    Raises
    ------
    DataError
        If the file is not a small regular JSON file of the expected rows.
    """
    try:
        record = read_json_file(path, _MAX_RESULTS_BYTES)
    except JSONProblem as exc:
        raise DataError(str(path), str(exc)) from None
    rows = record.get("models") if isinstance(record, dict) else None
    if not isinstance(rows, list):
        raise DataError(str(path), "has no list of 'models'")
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        ok = (
            isinstance(row, dict)
            and isinstance(row.get("name"), str)
            and isinstance(row.get("num_parameters"), int)
            and isinstance(row.get("valid_nll_nats"), float)
        )
        if not ok:
            raise DataError(
                str(path), "each model needs a name, num_parameters and valid_nll_nats"
            )
        found[row["name"]] = row
    return found


def _is_chart_entry(entry: LibraryEntry) -> bool:
    """A binary model on binarized MNIST, without classes."""
    record = entry.metadata
    likelihood = (record.get("config") or {}).get("likelihood")
    return (
        entry.data == DATA
        and entry.valid_nll is not None
        and entry.num_parameters is not None
        and not entry.num_classes
        and likelihood in (None, "bernoulli")
    )


def tradeoff_points(
    library: Library, results: Path | None = RESULTS
) -> list[TradeoffPoint]:
    """Every shipped binarized-MNIST model, and the counted ones, fewest first.

    A shipped checkpoint gives its recorded parameters and validation NLL. A
    counted model that does not ship (AR-16) gives the shipped results file's
    numbers, and its checkpoint's path when it has been regenerated into the
    user's library.

    Parameters
    ----------
    library
        The model library.
    results
        The results file (None: none).

    Raises
    ------
    DataError
        If the results file cannot be used.
    """
    entries = library.entries()
    counted = {model.name: model for model in COUNTED}
    points: list[TradeoffPoint] = []
    for entry in entries:
        if not (entry.bundled and _is_chart_entry(entry)):
            continue
        model = counted.get(entry.name)
        points.append(
            TradeoffPoint(
                entry.name,
                entry.kind,
                int(entry.num_parameters or 0),
                float(entry.valid_nll or 0.0),
                entry.path,
                True,
                model.settings["order"] if model else None,
                model.command if model else "",
            )
        )
    shipped = {point.name for point in points}
    rows = read_results(results) if results is not None else {}
    users = {e.name: e for e in entries if not e.bundled and _is_chart_entry(e)}
    for model in COUNTED:
        if model.name in shipped or model.name not in rows:
            continue
        row = rows[model.name]
        found = users.get(model.name)
        points.append(
            TradeoffPoint(
                model.name,
                model.kind,
                int(row["num_parameters"]),
                float(row["valid_nll_nats"]),
                found.path if found is not None else None,
                False,
                model.settings["order"],
                model.command,
            )
        )
    points.sort(key=lambda p: (p.num_parameters, p.name))
    return points


def binarized_mnist_found() -> bool:
    """Whether binarized MNIST is on this computer (where the loaders look)."""
    try:
        find_binarized_mnist()
    except DataError:
        return False
    return True


def full_joint(n: int = 784) -> counting.ParameterCount:
    """The fully dependent joint's 2ⁿ − 1, the chart's arrow."""
    return counting.full_joint(n)
