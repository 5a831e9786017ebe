"""The training monitor's state, without Qt: the runs and how to frame them.

:class:`RunHistory` keeps every run's curves (training loss per report,
validation NLL per epoch, in nats per image), its status and its latest
checkpoint, updated from the :mod:`models.trainer` events; the panel draws it.
:func:`fit_range` chooses the loss axis's range so that one diverging run
does not flatten every other curve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.trainer import (
    CheckpointSaved,
    EpochEnded,
    Event,
    RunEnded,
    RunStarted,
    StepReported,
)

__all__ = ["AxisFit", "RunHistory", "RunRecord", "fit_range", "nice_epoch_range"]

#: A run whose typical values exceed this many times the calmest run's is
#: left off the top of a linear axis (a diverging run).
SPREAD = 20.0

#: The percentile of a run's values taken as its typical top (a brief spike
#: above it does not stretch the axis).
TOP_PERCENTILE = 98.0


@dataclass
class RunRecord:
    """One run: its curves in nats per image, its progress and its checkpoint."""

    name: str
    colour_index: int
    num_pixels: int
    #: (epoch, training loss) at every progress report; epochs are fractional.
    steps: list[tuple[float, float]] = field(default_factory=list)
    #: (epoch, validation NLL) at the end of every epoch.
    valid: list[tuple[float, float]] = field(default_factory=list)
    epochs: int = 0
    status: str = "starting"  # running, finished, cancelled, failed
    reason: str = ""
    #: The checkpoint of the latest epoch this run wrote (None before the first).
    checkpoint: Path | None = None

    @property
    def ended(self) -> bool:
        """Whether the run is over (finished, stopped or failed)."""
        return self.status in ("finished", "cancelled", "failed")

    def apply(self, event: Event) -> None:
        """Record what ``event`` says about this run."""
        if isinstance(event, RunStarted):
            self.epochs = event.epochs
            self.status = "running"
        elif isinstance(event, StepReported):
            done = (event.epoch - 1) * event.steps_per_epoch + event.step
            self.steps.append((done / event.steps_per_epoch, event.loss_nats))
        elif isinstance(event, EpochEnded):
            if event.valid_nll is not None:
                self.valid.append((float(event.epoch), event.valid_nll))
        elif isinstance(event, CheckpointSaved):
            if not event.best:  # the latest epoch's, as the curves show
                self.checkpoint = event.path
        elif isinstance(event, RunEnded):
            self.end(event.status, event.reason)

    def end(self, status: str, reason: str = "") -> None:
        """Mark the run as over (if an event did not already)."""
        if not self.ended:
            self.status, self.reason = status, reason

    def values(self) -> list[float]:
        """Every loss and NLL value of the run, in nats per image."""
        return [y for _, y in self.steps] + [y for _, y in self.valid]

    def last_epoch(self) -> float:
        """The furthest epoch the run's curves reach (0 before any)."""
        return max([x for x, _ in self.steps] + [x for x, _ in self.valid] + [0.0])


class RunHistory:
    """The runs shown, oldest first; the last one may be running."""

    def __init__(self) -> None:
        self.runs: list[RunRecord] = []
        self._started = 0

    @property
    def current(self) -> RunRecord | None:
        """The newest run, if any."""
        return self.runs[-1] if self.runs else None

    def start(self, name: str, num_pixels: int) -> RunRecord:
        """Add a new run (it gets the next colour) and return it."""
        run = RunRecord(name, self._started, num_pixels)
        self._started += 1
        self.runs.append(run)
        return run

    def clear_ended(self) -> list[RunRecord]:
        """Forget the runs that are over; return them."""
        gone = [r for r in self.runs if r.ended]
        self.runs = [r for r in self.runs if not r.ended]
        return gone


@dataclass(frozen=True)
class AxisFit:
    """A value range for the loss axis.

    Attributes
    ----------
    low, high
        The range (log₁₀ of the values on a log axis).
    off_scale
        Indices of the series left off the top, with their largest value (in
        the series' own units, not log₁₀).
    """

    low: float
    high: float
    off_scale: tuple[tuple[int, float], ...] = ()


def fit_range(
    series: Sequence[Sequence[float]],
    *,
    extra: Sequence[float] = (),
    log: bool = False,
    padding: float = 0.05,
) -> AxisFit:
    """The range that shows every series' typical values and ``extra``.

    On a linear axis, a series whose typical top (its 98th percentile) is
    more than :data:`SPREAD` times the calmest series' is left off the top and
    named in :attr:`AxisFit.off_scale`, so a diverging run cannot flatten the
    others; a brief spike within a series does not stretch the axis either.
    On a log axis every finite positive value is shown. Values that are not
    finite are ignored.
    """
    arrays = [_finite(values, positive=log) for values in series]
    extras = _finite(extra, positive=log)
    if log:
        arrays = [np.log10(a) for a in arrays]
        extras = np.log10(extras)
    tops = {
        i: float(np.percentile(a, TOP_PERCENTILE)) if len(a) >= 10 else float(a.max())
        for i, a in enumerate(arrays)
        if len(a)
    }
    off: list[tuple[int, float]] = []
    if not log and len(tops) > 1:
        calmest = min(abs(t) for t in tops.values())
        for i, top in tops.items():
            if calmest > 0 and top > SPREAD * calmest:
                off.append((i, float(arrays[i].max())))
    kept = [a for i, a in enumerate(arrays) if i in tops and i not in dict(off)]
    lows = [float(a.min()) for a in kept] + [float(v) for v in extras]
    highs = [tops[i] for i in tops if i not in dict(off)] + [float(v) for v in extras]
    if not lows:
        return AxisFit(0.0, 1.0)
    low, high = min(lows), max(highs)
    span = high - low
    if span <= 0:
        span = abs(high) * 0.1 or 1.0
    return AxisFit(low - padding * span, high + padding * span, tuple(off))


def _finite(values: Sequence[float], *, positive: bool) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    keep = np.isfinite(array)
    if positive:
        keep &= array > 0
    return array[keep]


def nice_epoch_range(last: float) -> tuple[float, float]:
    """The epoch axis: from 0 to at least one whole epoch, with a little room."""
    if last <= 1.0:
        return 0.0, 1.0
    return 0.0, math.ceil(last * 1.02 * 4) / 4
