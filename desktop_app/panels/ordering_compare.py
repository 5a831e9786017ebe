"""Compare orderings: the training monitor's model and data under each ordering.

The window opened by the training monitor's *Compare orderings…* button. The
user checks the orderings to compare (all seven by default), picks how many
seeds each (the form's seed, seed + 1, …) and starts; the form's model, data
and training settings are trained under each ordering in turn by
:func:`models.ordering_study.run_ordering_study` (the run set-up the monitor
and the CLI use), in the background through :func:`desktop_app.workers.stream`.
Every run's training loss and validation NLL are drawn on one plot in its
ordering's colour, named in the legend; the summary table gives each ordering's
best validation NLL (mean ± sample standard deviation over seeds), each seed's
best epoch, the time and the difference from raster, updated as runs end. Stop
ends the current run before its next batch and starts no other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.theme import PALETTE, SERIES, style_plot
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.plot_legend import FlowLegend, LegendEntry
from desktop_app.words import library_text
from desktop_app.workers import Stream, stream
from models.errors import ARExplorerError
from models.ordering_study import (
    STUDY_ORDERINGS,
    OrderingRun,
    StudyEnded,
    StudyEvent,
    StudyRunEnded,
    StudyRunStarted,
    StudyTrainEvent,
    aggregate,
    check_study,
    run_ordering_study,
)
from models.run_setup import RunData, RunSettings
from models.text import Phrase
from models.trainer import EpochEnded, RunStarted, StepReported, TrainControl

__all__ = ["CompareOrderingsDialog", "StudyForm", "ordering_colour"]

#: The most seeds per ordering the window offers.
MAX_SEEDS = 5

#: What the dialog trains: the settings, the data, and both in words.
StudyForm = tuple[RunSettings, RunData, str]


#: The series colours but grey, which the legend gives "training loss".
_COLOURS: list[tuple[int, int, int]] = [c for c in SERIES if c != PALETTE["muted"]]


def ordering_colour(ordering: str) -> tuple[int, int, int]:
    """The one colour ``ordering`` is drawn in, whatever else is compared."""
    index = STUDY_ORDERINGS.index(ordering) if ordering in STUDY_ORDERINGS else 0
    return _COLOURS[index % len(_COLOURS)]


class CompareOrderingsDialog(FollowsLanguage, QDialog):
    """Train one model and data under several orderings; overlay and tabulate.

    Parameters
    ----------
    form
        Called when the user starts: the training monitor's settings and data
        (:data:`StudyForm`); raises :class:`~models.errors.ARExplorerError`
        naming what is wrong with the form.
    parent
        The training monitor.

    Signals
    -------
    study_ended(object)
        The :class:`~models.ordering_study.StudyEnded` of a comparison.
    """

    study_ended = Signal(object)

    def __init__(
        self, form: Callable[[], StudyForm], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setModal(False)
        self._form = form
        self.control: TrainControl | None = None
        self._stream: Stream | None = None
        #: Each run's (training-loss, validation) curves, by the run's label
        #: (its ordering, and its seed when there are several).
        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._points: dict[str, tuple[list[float], list[float]]] = {}
        self._valid: dict[str, tuple[list[float], list[float]]] = {}
        #: Each run's label and ordering, by its index in the study.
        self._labels: dict[int, str] = {}
        self._orderings: dict[str, str] = {}
        #: The finished runs of the current comparison, in order.
        self.runs: list[OrderingRun] = []
        self._total = 0
        self._several_seeds = False
        self._epochs = 1
        self._current: StudyRunStarted | None = None
        #: What the comparison trains, in words (None: nothing started yet).
        self._words: str | None = None
        #: Renders the status line in the language of the moment.
        self._status: Callable[[], str] = lambda: self.tr(
            "Check the orderings, then Start."
        )

        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.orderings_label = QLabel(self)
        self.ordering_list = QListWidget(self)
        self.ordering_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.start_button = push_button(self, "", "")
        self.stop_button = push_button(self, "", "")
        self.seeds_label = QLabel(self)
        self.seeds_box = spin_box(self, 1, MAX_SEEDS, 1, "")
        self.progress = QProgressBar(self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.plot = pg.PlotWidget(self)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setMinimumSize(240, 160)
        self.legend = FlowLegend(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.setWordWrap(False)
        self.table.setMinimumHeight(90)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self._lay_out()
        self.set_orderings(STUDY_ORDERINGS)
        self.start_button.clicked.connect(lambda: self.start())
        self.stop_button.clicked.connect(lambda: self.stop())
        self.retranslate()
        style_plot(self.plot)
        self._set_running(False)
        self._fit_screen()

    def _fit_screen(self) -> None:
        """Open large: most of the screen, at most 1100 × 760."""
        screen = self.screen().availableGeometry()
        self.resize(
            min(1100, int(screen.width() * 0.9)), min(760, int(screen.height() * 0.9))
        )

    def _lay_out(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.orderings_label)
        left.addWidget(self.ordering_list, 1)
        seeds = QHBoxLayout()
        seeds.addWidget(self.seeds_label)
        seeds.addWidget(self.seeds_box)
        left.addLayout(seeds)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        left.addLayout(buttons)
        left_widget = QWidget(self)
        left_widget.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        left_widget.setMaximumWidth(200)

        top = QWidget(self)
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(self.plot, 1)
        top_column.addWidget(self.legend)
        bottom = QWidget(self)
        bottom_column = QVBoxLayout(bottom)
        bottom_column.setContentsMargins(0, 0, 0, 0)
        bottom_column.addWidget(self.table, 1)
        bottom_column.addWidget(self.note)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(top)
        right.addWidget(bottom)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)

        body = QHBoxLayout()
        body.addWidget(left_widget)
        body.addWidget(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addLayout(body, 1)

    # -- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the window shows, in the current language."""
        self.setWindowTitle(self.tr("Compare orderings"))
        self.orderings_label.setText(self.tr("Orderings to compare:"))
        self.ordering_list.setToolTip(
            self.tr("Each checked ordering is trained in turn, in this order")
        )
        self.seeds_label.setText(self.tr("seeds each"))
        self.seeds_box.setToolTip(
            self.tr(
                "Train each ordering with the form's seed, seed + 1, …: the spread "
                "between seeds shows which differences are more than chance"
            )
        )
        self.start_button.setText(self.tr("Start"))
        self.start_button.setToolTip(
            self.tr(
                "Train the training monitor's model and data under each checked "
                "ordering, one after another (nothing is saved to the library)"
            )
        )
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(
            self.tr("Stop the current run before its next batch; start no other")
        )
        self.progress.setToolTip(self.tr("Progress of the whole comparison"))
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setLabel("left", self.tr("NLL (nats)"))
        self.plot.setToolTip(
            self.tr(
                "Each ordering in its colour: training loss (solid) and "
                "validation NLL (dashed, a dot per epoch), in nats per image"
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("ordering"),
                self.tr("best valid NLL"),
                self.tr("epoch"),
                self.tr("time"),
                self.tr("vs raster"),
            ]
        )
        self.table.setToolTip(
            self.tr(
                "One row per finished run, best first: its lowest validation NLL "
                "(nats per image), the epoch it came at, the training time, and "
                "the difference from raster's"
            )
        )
        self.about.setText(
            self.tr(
                "Trains the model, data and settings of the training monitor's "
                "form under each ordering checked, one after another."
            )
            if self._words is None
            else _render(self._words)
        )
        for i in range(self.ordering_list.count()):
            item = self.ordering_list.item(i)
            item.setText(library_text(str(item.data(Qt.ItemDataRole.UserRole))))
        self._draw_legend()
        self._fill_table()
        self.status_label.setText(self._status())

    def _say(self, render: Callable[[], str]) -> None:
        """Show the status line ``render`` makes (again after a switch)."""
        self._status = render
        self.status_label.setText(render())

    def _label(self, ordering: str, seed: int) -> str:
        """A run's name in the table: its ordering, and its seed when several."""
        if not self._several_seeds:
            return library_text(ordering)
        return self.tr("{ordering}, seed {seed}").format(
            ordering=library_text(ordering), seed=seed
        )

    # -- the orderings offered ------------------------------------------------------

    def set_orderings(self, orderings: tuple[str, ...] | list[str]) -> None:
        """Offer ``orderings`` (those the model supports), all checked."""
        self.ordering_list.clear()
        for name in orderings:
            if name not in STUDY_ORDERINGS:
                continue
            item = QListWidgetItem(library_text(name), self.ordering_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked)
            item.setForeground(pg.mkColor(ordering_colour(name)))

    def offered(self) -> list[str]:
        """The orderings in the list."""
        return [
            str(self.ordering_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.ordering_list.count())
        ]

    def checked(self) -> list[str]:
        """The orderings checked, in list order."""
        items = [self.ordering_list.item(i) for i in range(self.ordering_list.count())]
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    # -- running -------------------------------------------------------------------

    def is_running(self) -> bool:
        """Whether a comparison is under way."""
        return self._stream is not None

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.ordering_list.setEnabled(not running)
        self.seeds_box.setEnabled(not running)

    def start(self) -> bool:
        """Start comparing the checked orderings; False (with a message) if refused."""
        if self.is_running():
            return False
        orderings = self.checked()
        try:
            settings, data, words = self._form()
            first = settings.train.seed
            seeds = tuple(range(first, first + self.seeds_box.value()))
            check_study(settings, data, orderings, seeds)
        except ARExplorerError as exc:
            problem = str(exc)
            self._say(
                lambda: self.tr("Cannot compare: {problem}").format(problem=problem)
            )
            QMessageBox.warning(self, self.tr("Cannot compare orderings"), str(exc))
            return False
        self._words = words
        self.about.setText(_render(words))
        self._clear()
        control = self.control = TrainControl()
        self._total = len(orderings) * len(seeds)
        self._several_seeds = len(seeds) > 1

        def job(emit: Any) -> None:
            run_ordering_study(
                settings, data, orderings, seeds=seeds, on_event=emit, control=control
            )

        channel = self._stream = stream(job, self)
        channel.emitted.connect(self._on_event)
        channel.failed.connect(self._on_failed)
        channel.finished.connect(lambda: self._after(channel))
        # deleted once its worker has said its last word, never before
        channel.finished.connect(channel.deleteLater)
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self._say(lambda: self.tr("starting …"))
        self._set_running(True)
        return True

    def stop(self) -> None:
        """Stop the current run before its next batch; start no other."""
        if self.control is not None:
            self.control.stop()
            self._say(lambda: self.tr("stopping before the next batch …"))

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop the comparison and wait for it to end (the window is closing)."""
        channel = self._stream
        if channel is None:
            return True
        if self.control is not None:
            self.control.stop()
        ended = channel.wait(timeout_ms / 1000)
        self._after(channel)  # the channel is deleted when its worker finishes
        return ended

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window stops the comparison."""
        self.stop()
        super().closeEvent(event)

    def _after(self, channel: Stream) -> None:
        if channel is not self._stream:
            return
        self._stream, self.control = None, None
        self._set_running(False)

    def _on_failed(self, exc: BaseException) -> None:
        message = (
            str(exc)
            if isinstance(exc, ARExplorerError)
            else f"{type(exc).__name__}: {exc}"
        )
        self._say(lambda: self.tr("Failed: {problem}").format(problem=message))
        QMessageBox.warning(self, self.tr("Comparing orderings failed"), message)

    def _clear(self) -> None:
        for loss, valid in self._curves.values():
            self.plot.removeItem(loss)
            self.plot.removeItem(valid)
        self._curves.clear()
        self._points.clear()
        self._valid.clear()
        self._labels.clear()
        self._orderings.clear()
        self.runs = []
        self._current = None
        self._draw_legend()
        self._fill_table()

    # -- events --------------------------------------------------------------------

    def _on_event(self, event: StudyEvent) -> None:
        if isinstance(event, StudyRunStarted):
            self._current = event
            label = (
                f"{event.ordering}, seed {event.seed}"
                if self._several_seeds
                else event.ordering
            )
            self._labels[event.index] = label
            self._orderings[label] = event.ordering
            self._curves_of(label)
            self._points[label] = ([], [])
            self._valid[label] = ([], [])
            self._draw_legend()
            self._say(
                lambda: self.tr("run {i} of {n}: {ordering} …").format(
                    i=event.index + 1,
                    n=event.total,
                    ordering=library_text(event.ordering),
                )
            )
        elif isinstance(event, StudyTrainEvent):
            self._on_train_event(event)
        elif isinstance(event, StudyRunEnded):
            self.runs.append(event.run)
            self._fill_table()
            self._draw_legend()
        elif isinstance(event, StudyEnded):
            self._show_ended(event)
            self.study_ended.emit(event)

    def _on_train_event(self, study_event: StudyTrainEvent) -> None:
        event, ordering = study_event.event, study_event.ordering
        label = self._labels.get(study_event.index, ordering)
        if isinstance(event, RunStarted):
            self._epochs = event.epochs
        elif isinstance(event, StepReported):
            done = (event.epoch - 1 + event.step / event.steps_per_epoch) / max(
                1, self._epochs
            )
            whole = (study_event.index + min(done, 1.0)) / max(1, self._total)
            self.progress.setValue(round(1000 * whole))
            xs, ys = self._points[label]
            xs.append(event.epoch - 1 + event.step / event.steps_per_epoch)
            ys.append(event.loss_nats)
            values = {
                "i": study_event.index + 1,
                "n": self._total,
                "ordering": ordering,
                "epoch": event.epoch,
                "epochs": self._epochs,
                "step": event.step,
                "steps": event.steps_per_epoch,
                "loss": event.loss_nats,
            }
            self._say(
                lambda: self.tr(
                    "run {i} of {n}: {ordering} · epoch {epoch} of {epochs} · "
                    "batch {step} of {steps} · loss {loss:.2f} nats"
                ).format(**{**values, "ordering": library_text(ordering)})
            )
            self._redraw(label)
        elif isinstance(event, EpochEnded) and event.valid_nll is not None:
            xs, ys = self._valid[label]
            xs.append(float(event.epoch))
            ys.append(event.valid_nll)
            self._redraw(label)

    def _show_ended(self, ended: StudyEnded) -> None:
        self.progress.setValue(self.progress.maximum() if ended.runs else 0)
        self._say(lambda: self._ended_text(ended, self._total))

    def _ended_text(self, ended: StudyEnded, total: int) -> str:
        orderings = len({r.ordering for r in ended.runs})
        if ended.status == "finished" and self._several_seeds:
            return self.tr("Done: {n} orderings compared, {k} seeds each.").format(
                n=orderings, k=len(ended.runs) // max(1, orderings)
            )
        if ended.status == "finished":
            return self.tr("Done: {n} orderings compared.").format(n=orderings)
        return self.tr("Stopped after {n} of {total} runs.").format(
            n=sum(r.status == "finished" for r in ended.runs), total=total
        )

    # -- drawing -------------------------------------------------------------------

    def _curves_of(self, label: str) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        curves = self._curves.get(label)
        if curves is None:
            colour = ordering_colour(self._orderings.get(label, label))
            loss = self.plot.plot(
                pen=pg.mkPen(colour, width=1.2), name=f"{label} train"
            )
            valid = self.plot.plot(
                pen=pg.mkPen(colour, width=2.5, style=Qt.PenStyle.DashLine),
                symbol="o",
                symbolBrush=colour,
                symbolPen=pg.mkPen(colour),
                symbolSize=7,
                name=label,
            )
            curves = self._curves[label] = (loss, valid)
        return curves

    def _redraw(self, label: str) -> None:
        loss, valid = self._curves_of(label)
        xs, ys = self._points.get(label, ([], []))
        loss.setData(np.array(xs), np.array(ys))
        vx, vy = self._valid.get(label, ([], []))
        valid.setData(np.array(vx), np.array(vy))
        self._fit()

    def _fit(self) -> None:
        """Fit the view to the validation NLLs and the late training loss.

        The first batches' loss (hundreds of nats) would flatten every
        difference between orderings, so the view starts at the first
        validation NLL's height when there is one.
        """
        values = [v for _, ys in self._valid.values() for v in ys]
        losses = [
            y
            for xs, ys in self._points.values()
            for x, y in zip(xs, ys, strict=True)
            if x >= 0.5
        ]
        shown = values + losses or [y for _, ys in self._points.values() for y in ys]
        if not shown:
            return
        low, high = min(shown), max(values) if values else max(shown)
        pad = max((high - low) * 0.08, 0.5)
        last = max(
            [xs[-1] for xs, _ in self._points.values() if xs]
            + [xs[-1] for xs, _ in self._valid.values() if xs]
            + [1.0]
        )
        self.plot.setXRange(0, math.ceil(last), padding=0.02)
        self.plot.setYRange(low - pad, high + pad, padding=0)

    def curves(self) -> dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]]:
        """Each run's (training-loss, validation NLL) curves, in order begun.

        A run is named by its ordering, or ``"snake, seed 1"`` when each
        ordering is trained with several seeds.
        """
        return dict(self._curves)

    def curve_names(self) -> list[str]:
        """The names of the validation curves drawn, in the order they began."""
        return [valid.name() for _, valid in self._curves.values()]

    def _draw_legend(self) -> None:
        orderings = dict.fromkeys(self._orderings.get(k, k) for k in self._curves)
        entries = [
            LegendEntry(
                library_text(ordering),
                ordering_colour(ordering),
                dashed=True,
                marker=True,
            )
            for ordering in orderings
        ]
        if entries:
            entries.append(LegendEntry(self.tr("training loss"), PALETTE["muted"]))
            entries.append(
                LegendEntry(
                    self.tr("validation NLL"),
                    PALETTE["muted"],
                    dashed=True,
                    marker=True,
                )
            )
        self.legend.set_entries(entries)

    def _fill_table(self) -> None:
        """One row per ordering, lowest mean first; then one per stopped run.

        An ordering's row sums up its finished runs: the best validation NLL
        (mean ± sample standard deviation over seeds when there are several),
        each seed's best epoch, the mean time, and the difference of its mean
        from raster's.
        """
        results = sorted(
            aggregate(r for r in self.runs if r.status == "finished"),
            key=lambda r: r.mean,
        )
        raster = next((r for r in results if r.ordering == "raster"), None)
        rows: list[tuple[str, list[str]]] = []
        for result in results:
            spread = "" if result.std is None else f" ± {result.std:.2f}"
            diff = (
                "—"
                if raster is None or result.ordering == "raster"
                else f"{result.mean - raster.mean:+.2f}"
            )
            rows.append(
                (
                    result.ordering,
                    [
                        library_text(result.ordering),
                        f"{result.mean:.2f}{spread}",
                        ", ".join(str(e) for e in result.best_epochs),
                        _duration(result.seconds),
                        diff,
                    ],
                )
            )
        for run in self.runs:
            if run.status == "finished":
                continue
            nll = "—" if run.best_valid_nll is None else f"{run.best_valid_nll:.2f}"
            label = self._label(run.ordering, run.seed)
            rows.append(
                (
                    run.ordering,
                    [
                        label,
                        nll + self.tr(" (stopped)"),
                        "—" if run.best_epoch is None else str(run.best_epoch),
                        _duration(run.seconds),
                        "—",
                    ],
                )
            )
        self.table.setRowCount(len(rows))
        for row, (ordering, cells) in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                else:
                    item.setForeground(pg.mkColor(ordering_colour(ordering)))
                self.table.setItem(row, column, item)
        several = any(r.n > 1 for r in results)
        if several:
            note = self.tr(
                "Mean ± sample standard deviation over seeds: a difference from "
                "raster smaller than the spread is not a difference."
            )
        elif rows:
            note = self.tr(
                "One seed each: weigh a difference against the spread between "
                "seeds (more seeds each, or the orderings panel)."
            )
        else:
            note = ""
        self.note.setText(note)

    def table_rows(self) -> list[list[str]]:
        """The summary table's text, row by row."""
        return [
            [
                item.text() if (item := self.table.item(row, column)) else ""
                for column in range(self.table.columnCount())
            ]
            for row in range(self.table.rowCount())
        ]


def _duration(seconds: float) -> str:
    """``"1 min 05 s"`` or ``"42.1 s"``."""
    if seconds < 60:
        return QCoreApplication.translate(
            "CompareOrderingsDialog", "{seconds:.1f} s"
        ).format(seconds=seconds)
    minutes, rest = divmod(round(seconds), 60)
    return QCoreApplication.translate(
        "CompareOrderingsDialog", "{minutes} min {seconds:02d} s"
    ).format(minutes=minutes, seconds=rest)


def _render(words: str) -> str:
    """What the comparison trains, in the current language.

    The training monitor gives a :class:`~models.text.Phrase` whose template is
    marked under this window's context; its values that are phrases are the
    library's words.
    """
    if not isinstance(words, Phrase):
        return words
    values = {
        name: library_text(value) if isinstance(value, Phrase) else value
        for name, value in words.values.items()
    }
    return QCoreApplication.translate("CompareOrderingsDialog", words.template).format(
        **values
    )
