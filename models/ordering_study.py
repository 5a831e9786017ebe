"""Orderings change the result: one model and data trained under several orderings.

The chain rule holds for any ordering of the pixels, but a model of limited
capacity learns some conditioning sets more easily than others. This module
measures it: :func:`run_ordering_study` trains the same model on the same data
under each ordering in turn (and each seed), through
:func:`models.run_setup.setup_run`, the path the CLI and the training monitor
use, so every run is an ordinary run with an ordinary checkpoint. It reports
:data:`StudyEvent` s (each trainer event wrapped with the run it belongs to) so
a front end can draw live curves, and a :class:`~models.trainer.TrainControl`
stops it within a run (before the next batch) or between runs.

Each run is summed up as an :class:`OrderingRun` (best validation NLL, its
epoch, seconds); :func:`aggregate` gives each ordering's mean, sample standard
deviation, minimum and maximum over seeds (:class:`OrderingResult`), so a
difference between two orderings can be judged against the spread between
seeds. :func:`read_run` sums up a finished run from its checkpoint record, and
:func:`load_study` reads the shipped measurement,
``resources/results/orderings-nade-bmnist.json`` (made by
``scripts/ordering_study.py``).

Example
-------
>>> data = load_run_data("mnist-5k")  # doctest: +SKIP
>>> settings = RunSettings("nade", {"hidden": 20}, TrainConfig(epochs=2))
>>> ended = run_ordering_study(settings, data, ("raster", "snake"))  # doctest: +SKIP
>>> [r.best_valid_nll for r in ended.runs]  # doctest: +SKIP
[151.2, 150.8]
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from models.checkpoint import read_metadata
from models.errors import CheckpointError, ConfigError, DataError
from models.files import JSONProblem, read_json_file
from models.orderings import ORDERING_NAMES
from models.resources import resource_path
from models.run_setup import RunData, RunSettings, check_run, setup_run
from models.text import QT_TRANSLATE_NOOP, Phrase
from models.trainer import Event, RunEnded, TrainControl

__all__ = [
    "RESULTS_FORMAT",
    "SHIPPED_RESULTS",
    "STUDY_ORDERINGS",
    "OrderingResult",
    "OrderingRun",
    "OrderingStudy",
    "StudyEnded",
    "StudyEvent",
    "StudyRunEnded",
    "StudyRunStarted",
    "StudyTrainEvent",
    "aggregate",
    "check_study",
    "load_study",
    "markdown_table",
    "read_run",
    "run_ordering_study",
    "study_settings",
]

#: The orderings a study compares by default (every named one; not ``custom``).
STUDY_ORDERINGS: Final[tuple[str, ...]] = tuple(
    name for name in ORDERING_NAMES if name != "custom"
)

#: The ``format`` of a results file.
RESULTS_FORMAT: Final = "ar-explorer-ordering-study"

#: The shipped measurement (NADE on binarized MNIST).
SHIPPED_RESULTS: Final = ("results", "orderings-nade-bmnist.json")

#: Largest results file read (the shipped one is a few KB).
MAX_RESULTS_BYTES: Final = 1_000_000

#: Most runs a results file may list.
MAX_RESULT_RUNS: Final = 1000

#: The shipped study's words (its model, data and training), marked so the app
#: can show them translated; the file itself stays English.
SHIPPED_WORDS: Final = (
    QT_TRANSLATE_NOOP("models", "NADE, 100 hidden units"),
    QT_TRANSLATE_NOOP(
        "models",
        "binarized MNIST: 50,000 training digits, validated on the 10,000 "
        "validation digits",
    ),
    QT_TRANSLATE_NOOP(
        "models",
        "10 epochs of Adam, lr 0.001 (cosine decay), batch 64; the best epoch's "
        "validation NLL",
    ),
)

#: How one ordering compares with another: (worse, better) by what the
#: seeds' spread says.
_COMPARISONS: Final = {
    "unknown": (
        QT_TRANSLATE_NOOP(
            "models",
            "{diff} nats worse than {baseline} on average (one seed: the spread "
            "between seeds is unknown)",
        ),
        QT_TRANSLATE_NOOP(
            "models",
            "{diff} nats better than {baseline} on average (one seed: the spread "
            "between seeds is unknown)",
        ),
    ),
    "within": (
        QT_TRANSLATE_NOOP(
            "models",
            "{diff} nats worse than {baseline} on average, within the spread "
            "between seeds",
        ),
        QT_TRANSLATE_NOOP(
            "models",
            "{diff} nats better than {baseline} on average, within the spread "
            "between seeds",
        ),
    ),
    "outside": (
        QT_TRANSLATE_NOOP(
            "models",
            "{diff} nats worse than {baseline} on average, outside the spread "
            "between seeds",
        ),
        QT_TRANSLATE_NOOP(
            "models",
            "{diff} nats better than {baseline} on average, outside the spread "
            "between seeds",
        ),
    ),
}


# -- one run's summary, and the summary over seeds ----------------------------------


@dataclass(frozen=True)
class OrderingRun:
    """One run of a study, summed up.

    Attributes
    ----------
    ordering, seed
        The run's ordering and seed (the seed of the weights, the shuffling
        and, for ``random``, of the ordering).
    best_valid_nll
        The lowest validation NLL over the run's epochs (nats per image), or
        None if it has none (no validation split, stopped in its first epoch).
    best_epoch
        The epoch (from 1) with that NLL, or None.
    epochs
        Epochs completed.
    seconds
        Training time.
    status
        ``finished``, ``cancelled`` or ``failed``.
    name
        The run's checkpoint name ("" when it saved none).
    """

    ordering: str
    seed: int
    best_valid_nll: float | None
    best_epoch: int | None
    epochs: int
    seconds: float
    status: str = "finished"
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class OrderingResult:
    """One ordering's best validation NLL over seeds.

    Attributes
    ----------
    ordering
        The ordering.
    seeds
        The seeds measured, in order.
    values
        Each seed's best validation NLL (nats per image).
    best_epochs
        Each seed's best epoch.
    seconds
        Mean training time of a run.
    """

    ordering: str
    seeds: tuple[int, ...]
    values: tuple[float, ...]
    best_epochs: tuple[int, ...]
    seconds: float

    @property
    def n(self) -> int:
        """Number of seeds."""
        return len(self.values)

    @property
    def mean(self) -> float:
        """Mean over seeds."""
        return statistics.fmean(self.values)

    @property
    def std(self) -> float | None:
        """Sample standard deviation over seeds (n − 1), None for one seed."""
        return statistics.stdev(self.values) if self.n > 1 else None

    @property
    def low(self) -> float:
        """The lowest seed's value."""
        return min(self.values)

    @property
    def high(self) -> float:
        """The highest seed's value."""
        return max(self.values)

    def overlaps(self, other: OrderingResult) -> bool:
        """Whether the seeds' ranges (min–max) of the two orderings overlap."""
        return self.low <= other.high and other.low <= self.high

    def describe(self) -> str:
        """``"86.12 ± 0.31 nats (3 seeds, 85.80–86.43)"``."""
        if self.std is None:
            return f"{self.mean:.2f} nats (1 seed)"
        return (
            f"{self.mean:.2f} ± {self.std:.2f} nats "
            f"({self.n} seeds, {self.low:.2f}–{self.high:.2f})"
        )

    def compare(self, baseline: OrderingResult) -> Phrase:
        """How this ordering compares with ``baseline``, in one honest line.

        A :class:`~models.text.Phrase` (English text that the app can
        translate), its ordering names phrases too.
        """
        if self.ordering == baseline.ordering:
            return Phrase(
                QT_TRANSLATE_NOOP("models", "{ordering} is the baseline"),
                ordering=Phrase(self.ordering),
            )
        diff = self.mean - baseline.mean
        if self.n < 2 or baseline.n < 2:
            spread = "unknown"
        elif self.overlaps(baseline):
            spread = "within"
        else:
            spread = "outside"
        worse, better = _COMPARISONS[spread]
        return Phrase(
            worse if diff > 0 else better,
            diff=f"{abs(diff):.2f}",
            baseline=Phrase(baseline.ordering),
        )


def aggregate(runs: Iterable[OrderingRun]) -> list[OrderingResult]:
    """Each ordering's results over seeds, orderings in order of first appearance.

    Runs without a validation NLL are left out; an ordering none of whose runs
    has one does not appear.
    """
    grouped: dict[str, list[OrderingRun]] = {}
    for run in runs:
        if run.best_valid_nll is None or run.best_epoch is None:
            continue
        grouped.setdefault(run.ordering, []).append(run)
    results = []
    for ordering, group in grouped.items():
        group.sort(key=lambda r: r.seed)
        results.append(
            OrderingResult(
                ordering,
                tuple(r.seed for r in group),
                tuple(float(r.best_valid_nll or 0.0) for r in group),
                tuple(int(r.best_epoch or 0) for r in group),
                statistics.fmean(r.seconds for r in group),
            )
        )
    return results


def markdown_table(results: Sequence[OrderingResult], baseline: str = "raster") -> str:
    """The results as a Markdown table, best mean first.

    Columns: ordering, mean ± sample std, min–max over seeds, the difference
    from ``baseline``'s mean, each seed's best epoch, and minutes per run.
    """
    base = next((r for r in results if r.ordering == baseline), None)
    lines = [
        "| ordering | best valid NLL, mean ± std (nats) | min–max | "
        f"vs {baseline} | best epoch (each seed) | minutes per run |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(results, key=lambda r: r.mean):
        std = "—" if r.std is None else f"{r.std:.2f}"
        diff = "—" if base is None or r is base else f"{r.mean - base.mean:+.2f}"
        epochs = ", ".join(str(e) for e in r.best_epochs)
        lines.append(
            f"| {r.ordering} | {r.mean:.2f} ± {std} | {r.low:.2f}–{r.high:.2f} | "
            f"{diff} | {epochs} | {r.seconds / 60:.1f} |"
        )
    return "\n".join(lines) + "\n"


# -- running a study -----------------------------------------------------------------


@dataclass(frozen=True)
class StudyRunStarted:
    """Run ``index`` (from 0) of ``total`` begins: ``ordering`` with ``seed``."""

    index: int
    total: int
    ordering: str
    seed: int


@dataclass(frozen=True)
class StudyTrainEvent:
    """A trainer event (``event``) of run ``index``."""

    index: int
    ordering: str
    seed: int
    event: Event


@dataclass(frozen=True)
class StudyRunEnded:
    """Run ``index`` is over; ``run`` sums it up."""

    index: int
    run: OrderingRun


@dataclass(frozen=True)
class StudyEnded:
    """The study is over: ``finished`` (every run), or ``cancelled`` (stopped).

    ``runs`` are the runs that began, each summed up (a stopped one with the
    epochs it completed).
    """

    status: str
    runs: tuple[OrderingRun, ...]

    @property
    def results(self) -> list[OrderingResult]:
        """:func:`aggregate` of the runs."""
        return aggregate(self.runs)


StudyEvent = StudyRunStarted | StudyTrainEvent | StudyRunEnded | StudyEnded


def study_settings(settings: RunSettings, ordering: str, seed: int) -> RunSettings:
    """``settings`` with ``ordering``, and ``seed`` for everything seeded.

    The seed seeds the weights, the shuffling, a stochastic binarization,
    augmentation and (``ordering_seed``) a ``random`` ordering.
    """
    binarization = settings.binarization
    augmentation = settings.augmentation
    return dataclasses.replace(
        settings,
        model={**settings.model, "ordering": ordering, "ordering_seed": seed},
        train=dataclasses.replace(settings.train, seed=seed),
        binarization=None
        if binarization is None
        else dataclasses.replace(binarization, seed=seed),
        augmentation=None
        if augmentation is None
        else dataclasses.replace(augmentation, seed=seed),
    )


def check_study(
    settings: RunSettings,
    data: RunData,
    orderings: Sequence[str],
    seeds: Sequence[int],
) -> None:
    """Check every run of a study without building weights.

    Raises
    ------
    ConfigError
        No orderings or seeds, one named twice, ``custom`` or an unknown
        ordering, or a setting a run refuses (:func:`~models.run_setup.check_run`:
        e.g. an ordering other than raster for a spatial model).
    """
    if not orderings:
        raise ConfigError("choose at least one ordering to compare")
    if not seeds:
        raise ConfigError("choose at least one seed")
    for label, values in (("ordering", orderings), ("seed", seeds)):
        twice = sorted({str(v) for v in values if list(values).count(v) > 1})
        if twice:
            raise ConfigError(f"{label} named twice: {', '.join(twice)}")
    for ordering in orderings:
        if ordering not in STUDY_ORDERINGS:
            raise ConfigError(
                f"cannot compare the ordering {ordering!r}; "
                f"choose from {', '.join(STUDY_ORDERINGS)}"
            )
    for ordering in orderings:
        for seed in seeds:
            check_run(study_settings(settings, ordering, seed), data)


def run_ordering_study(
    settings: RunSettings,
    data: RunData,
    orderings: Sequence[str] = STUDY_ORDERINGS,
    *,
    seeds: Sequence[int] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    name: str = "{ordering}-s{seed}",
    on_event: Callable[[StudyEvent], None] | None = None,
    control: TrainControl | None = None,
) -> StudyEnded:
    """Train ``settings`` on ``data`` under each ordering (and seed), in turn.

    Parameters
    ----------
    settings
        The run; its ordering and seeds are replaced run by run
        (:func:`study_settings`).
    data
        From :func:`~models.run_setup.load_run_data`.
    orderings
        The orderings to compare, in the order they are trained.
    seeds
        The seeds (default: ``settings.train.seed``); seeds vary slowest, so
        every ordering has a first seed before any has a second.
    out_dir
        Where each run's checkpoint goes, or None for none.
    name
        Each run's checkpoint name, formatted with ``ordering`` and ``seed``.
    on_event
        Called with every :data:`StudyEvent`, on the training thread.
    control
        Stops the study: the current run before its next batch, and no
        further run. Pause holds the current run.

    Raises
    ------
    ConfigError
        From :func:`check_study`, before any run starts.
    """
    seeds = (settings.train.seed,) if seeds is None else tuple(seeds)
    check_study(settings, data, orderings, seeds)
    emit: Callable[[StudyEvent], None] = on_event or (lambda event: None)
    control = control or TrainControl()
    plan = [(o, s) for s in seeds for o in orderings]
    runs: list[OrderingRun] = []
    for index, (ordering, seed) in enumerate(plan):
        if control.stopped:
            break
        emit(StudyRunStarted(index, len(plan), ordering, seed))
        run_name = name.format(ordering=ordering, seed=seed)
        path = None if out_dir is None else Path(out_dir) / run_name

        def forward(
            event: Event, i: int = index, o: str = ordering, s: int = seed
        ) -> None:
            emit(StudyTrainEvent(i, o, s, event))

        started = time.perf_counter()
        trainer = setup_run(
            study_settings(settings, ordering, seed),
            data,
            path,
            control=control,
            on_event=forward,
        )
        ended: RunEnded = trainer.run()
        best = trainer.history.best()
        run = OrderingRun(
            ordering,
            seed,
            None if best is None else float(best["valid_nll"]),
            None if best is None else int(best["epoch"]),
            ended.epochs_completed,
            trainer.history.seconds or time.perf_counter() - started,
            ended.status,
            run_name if path is not None else "",
        )
        runs.append(run)
        emit(StudyRunEnded(index, run))
    status = "finished" if len(runs) == len(plan) and not control.stopped else ""
    done = StudyEnded(status or "cancelled", tuple(runs))
    emit(done)
    return done


# -- reading finished runs and the shipped results --------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_run(path: str | os.PathLike[str]) -> OrderingRun:
    """Sum up a finished run from its checkpoint (``NAME``, without extension).

    Reads only the checkpoint's record (:func:`~models.checkpoint.read_metadata`):
    the ordering and seed from its config and training settings, the best
    validation NLL and its epoch from the per-epoch history.

    Raises
    ------
    CheckpointError
        If the checkpoint cannot be read, or its record lacks the ordering,
        the seed or the history.
    """
    record = read_metadata(path)
    config, training = record["config"], record["training"]
    ordering = config.get("ordering")
    if not isinstance(ordering, str) or not isinstance(training, dict):
        raise CheckpointError(path, "the record names no ordering or no training")
    train_config = training.get("config")
    seed = _whole(train_config.get("seed")) if isinstance(train_config, dict) else None
    history = training.get("history")
    if seed is None or not isinstance(history, list):
        raise CheckpointError(path, "the record has no training seed or history")
    scored: list[tuple[float, int]] = []
    for entry in history:
        epoch = _whole(entry.get("epoch")) if isinstance(entry, dict) else None
        if epoch is None or not isinstance(entry, dict):
            raise CheckpointError(path, "the training history is malformed")
        value = _number(entry.get("valid_nll"))
        if value is not None:
            scored.append((value, epoch))
    best = min(scored, key=lambda pair: pair[0]) if scored else None
    seconds = _number(training.get("seconds")) or 0.0
    epochs = _whole(training.get("epoch")) or len(history)
    return OrderingRun(
        ordering,
        seed,
        None if best is None else best[0],
        None if best is None else best[1],
        epochs,
        seconds,
        "finished",
        Path(path).name,
    )


@dataclass(frozen=True)
class OrderingStudy:
    """A measured study: what was trained, how, and each run's summary.

    Attributes
    ----------
    model
        The model in words ("NADE, 100 hidden units").
    data
        The data in words.
    training
        The training settings in words.
    command
        The command that reproduces it.
    runs
        Every run.
    """

    model: str
    data: str
    training: str
    command: str
    runs: tuple[OrderingRun, ...]

    @property
    def results(self) -> list[OrderingResult]:
        """Each ordering's results over seeds (:func:`aggregate`)."""
        return aggregate(self.runs)

    def result(self, ordering: str) -> OrderingResult | None:
        """The results of ``ordering``, or None if it was not measured."""
        return next((r for r in self.results if r.ordering == ordering), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, as :func:`load_study` reads it."""
        return {
            "format": RESULTS_FORMAT,
            "format_version": 1,
            "model": self.model,
            "data": self.data,
            "training": self.training,
            "command": self.command,
            "runs": [run.to_dict() for run in self.runs],
        }

    def to_json(self) -> str:
        """The results file's text."""
        return json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n"


def _parse_run(item: object, i: int, path: Path) -> OrderingRun:
    def bad(problem: str) -> DataError:
        return DataError(path, f"run {i + 1}: {problem}")

    if not isinstance(item, dict):
        raise bad("not an object")
    ordering = item.get("ordering")
    if not isinstance(ordering, str) or ordering not in STUDY_ORDERINGS:
        raise bad("no known ordering")
    seed, epochs = _whole(item.get("seed")), _whole(item.get("epochs"))
    if seed is None or epochs is None or seed < 0 or epochs < 0:
        raise bad("seed and epochs must be whole numbers ≥ 0")
    nll = item.get("best_valid_nll")
    best_nll = _number(nll)
    best_epoch = _whole(item.get("best_epoch"))
    if (nll is not None and best_nll is None) or (best_nll is None) != (
        best_epoch is None
    ):
        raise bad("best_valid_nll and best_epoch must be numbers, or both null")
    seconds = _number(item.get("seconds"))
    if seconds is None or seconds < 0:
        raise bad("seconds must be a number ≥ 0")
    status, name = item.get("status", "finished"), item.get("name", "")
    if not isinstance(status, str) or not isinstance(name, str):
        raise bad("status and name must be text")
    return OrderingRun(
        ordering, seed, best_nll, best_epoch, epochs, seconds, status[:40], name[:200]
    )


def load_study(path: str | os.PathLike[str] | None = None) -> OrderingStudy:
    """Read a results file (default: the shipped NADE-on-binarized-MNIST one).

    Raises
    ------
    DataError
        Naming the file and what is wrong: missing, not a regular file, too
        large, not JSON, not a results file, or a malformed run.
    """
    where = resource_path(*SHIPPED_RESULTS) if path is None else Path(path)
    try:
        record = read_json_file(where, MAX_RESULTS_BYTES)
    except JSONProblem as exc:
        raise DataError(where, str(exc)) from None
    if not isinstance(record, dict) or record.get("format") != RESULTS_FORMAT:
        raise DataError(where, "not an ordering study's results file")
    texts = [record.get(key) for key in ("model", "data", "training", "command")]
    runs = record.get("runs")
    if not all(isinstance(t, str) for t in texts) or not isinstance(runs, list):
        raise DataError(where, "model, data, training, command and runs missing")
    if len(runs) > MAX_RESULT_RUNS:
        raise DataError(where, f"more than {MAX_RESULT_RUNS} runs")
    parsed = tuple(_parse_run(item, i, where) for i, item in enumerate(runs))
    model, data, training, command = (str(t)[:500] for t in texts)
    return OrderingStudy(model, data, training, command, parsed)
