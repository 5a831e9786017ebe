"""Panel 3 — the training monitor.

Choose a model, its settings, the data, the ordering and the binarization;
start, pause, resume and stop; watch the loss and the validation NLL live, with
the published results as reference lines, and samples after every epoch. The
:class:`models.trainer.Trainer` runs in a worker thread (a ``QObject`` moved to
a ``QThread``); its events arrive by queued signals, a stop is honoured before
the next batch, and every epoch's checkpoint lands in the model library.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.pixel_grid import PixelGrid
from desktop_app.widgets.settings_form import SettingsForm
from models.data import BINARIZE_MODES, Binarization, ImageSet, load_splits
from models.errors import ARExplorerError
from models.evaluation import nats_to_bits_per_dim
from models.imageio import image_grid
from models.published import PUBLISHED
from models.registry import available, create, model_class, preset_settings
from models.trainer import (
    CheckpointSaved,
    EpochEnded,
    Event,
    RunEnded,
    RunStarted,
    SamplesDrawn,
    StepReported,
    TrainConfig,
    TrainControl,
    Trainer,
)

__all__ = ["TrainingPanel", "TrainingWorker"]

CONCEPT = """
<p>Training maximises the exact log-likelihood: minimise the average
−log p(x) = −Σ<sub>i</sub> log p(x<sub>i</sub> | x<sub>&lt;i</sub>) over the
training digits with Adam. <b>Teacher forcing</b> makes this one pass per batch:
every conditional sees the true earlier pixels, so all n terms are computed at
once. The <b>validation NLL</b> (held-out digits, nats per image, or bits per
pixel) is the honest measure; the dashed lines are published results on the
standard binarized MNIST.</p>"""

COLOURS = [(38, 139, 210), (220, 50, 47), (133, 153, 0), (211, 54, 130), (42, 161, 152)]


class TrainingWorker(QObject):
    """Builds and runs a :class:`~models.trainer.Trainer` in its thread.

    The trainer is built in the worker thread too: its optimizer's first
    construction imports parts of torch that take over a second, which must
    not freeze the window. Events reach the GUI as queued signals.
    """

    progressed = Signal(object)  # an Event
    failed = Signal(str)
    done = Signal()

    def __init__(self, build: Callable[[], Trainer]):
        super().__init__()
        self.build = build

    @Slot()
    def run(self) -> None:
        """Train until finished, stopped or failed (in the worker thread)."""
        try:
            trainer = self.build()
            trainer.on_event = self.progressed.emit  # queued to the GUI thread
            trainer.run()
        except ARExplorerError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        finally:
            self.done.emit()


class _Run:
    """One run's curves in the plot."""

    def __init__(self, plot: pg.PlotItem, name: str, colour: tuple[int, int, int]):
        self.name = name
        self.steps: list[tuple[float, float]] = []  # (epoch, train loss in nats)
        self.valid: list[tuple[float, float]] = []  # (epoch, valid nll in nats)
        self.loss = plot.plot(pen=pg.mkPen(colour, width=1.5), name=f"{name} train")
        self.valid_curve = plot.plot(
            pen=pg.mkPen(colour, width=2.5, style=Qt.PenStyle.DashLine),
            symbol="o",
            symbolBrush=colour,
            symbolSize=7,
            name=f"{name} valid",
        )

    def redraw(self, scale: float) -> None:
        if self.steps:
            xs, ys = zip(*self.steps, strict=True)
            self.loss.setData(xs, np.array(ys) * scale)
        if self.valid:
            xs, ys = zip(*self.valid, strict=True)
            self.valid_curve.setData(xs, np.array(ys) * scale)


class TrainingPanel(QWidget):
    """Configure, run and watch training."""

    status_message = Signal(str)
    run_ended = Signal(object)  # RunEnded

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox("Training by maximum likelihood", CONCEPT, self)

        # -- the form --------------------------------------------------------------
        self.kind_box = QComboBox(self)
        for kind in available():
            self.kind_box.addItem(model_class(kind).title, kind)
        self.kind_box.setToolTip("The model to train")
        self.preset_box = QComboBox(self)
        self.preset_box.setToolTip("A named size (the paper's, a small one, …)")
        self.settings = SettingsForm(self)
        self.ordering_box = QComboBox(self)
        self.ordering_box.setToolTip("Pixel ordering (the spatial models: raster only)")
        self.conditional_box = QCheckBox("class-conditional p(x | y)", self)
        self.conditional_box.setToolTip("Model each digit class: enables p(y | x)")
        self.data_box = QComboBox(self)
        self.data_box.addItem("mnist-5k (bundled)", "mnist-5k")
        self.data_box.addItem("binarized MNIST", "binarized-mnist")
        self.data_box.addItem("Open a file or folder…", "")
        self.data_box.setToolTip("Training data (validated on its valid or test split)")
        self.binarize_box = QComboBox(self)
        self.binarize_box.addItems(list(BINARIZE_MODES))
        self.binarize_box.setToolTip(
            "threshold: fixed at ½; stochastic: sampled once (seeded); "
            "dynamic: resampled every epoch"
        )
        self.epochs_box = spin_box(self, 1, 10_000, 5, "Passes over the training data")
        self.batch_box = spin_box(self, 1, 4096, 64, "Images per Adam step")
        self.lr_box = QDoubleSpinBox(self)
        self.lr_box.setDecimals(5)
        self.lr_box.setRange(1e-5, 1.0)
        self.lr_box.setSingleStep(1e-4)
        self.lr_box.setToolTip("Peak Adam learning rate (cosine decay)")
        self.seed_box = spin_box(
            self, 0, 2**31 - 1, 0, "Seeds weights, shuffling and samples"
        )
        self.max_batches_box = spin_box(
            self, 0, 1_000_000, 0, "Batches per epoch (0: all)"
        )
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("automatic")
        self.name_edit.setToolTip("Name of the checkpoint in the model library")

        form = QFormLayout()
        form.addRow("model", self.kind_box)
        form.addRow("preset", self.preset_box)
        group = QGroupBox("settings", self)
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.settings)
        form.addRow(group)
        form.addRow("ordering", self.ordering_box)
        form.addRow("", self.conditional_box)
        form.addRow("data", self.data_box)
        form.addRow("binarization", self.binarize_box)
        form.addRow("epochs", self.epochs_box)
        form.addRow("batch size", self.batch_box)
        form.addRow("learning rate", self.lr_box)
        form.addRow("seed", self.seed_box)
        form.addRow("max batches", self.max_batches_box)
        form.addRow("name", self.name_edit)
        form_widget = QWidget(self)
        form_widget.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidget(form_widget)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(330)

        # -- run controls ----------------------------------------------------------
        self.start_button = push_button(self, "Start", "Start training (Ctrl+Return)")
        self.start_button.setShortcut("Ctrl+Return")
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(
            "Pause before the next batch; press again to resume"
        )
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setToolTip(
            "Stop before the next batch (the last checkpoint stays)"
        )
        self.use_button = push_button(
            self, "Use this model", "Make the latest checkpoint the current model"
        )
        self.progress = QProgressBar(self)
        self.progress.setToolTip("Progress of the whole run")
        self.speed_label = QLabel(self)
        buttons = QHBoxLayout()
        for button in (
            self.start_button,
            self.pause_button,
            self.stop_button,
            self.use_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)

        # -- plot and samples ------------------------------------------------------
        self.plot = pg.PlotWidget(self)
        self.plot.setBackground("w")
        self.plot.setLabel("bottom", "epoch")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend(offset=(-10, 10))
        self.plot.setToolTip("Training loss (solid) and validation NLL (dashed, dots)")
        self.units_box = QComboBox(self)
        self.units_box.addItems(["nats", "bits/dim"])
        self.units_box.setToolTip("Per image in nats, or per pixel in bits")
        self.reference_box = QCheckBox("published results (binarized MNIST)", self)
        self.reference_box.setChecked(True)
        self.reference_box.setToolTip("Dashed lines at the papers' test NLLs")
        self.clear_runs_button = push_button(
            self, "Clear old runs", "Remove earlier runs' curves"
        )
        self.samples = PixelGrid((28, 28), self)
        self.samples.show_grid = False
        self.samples.setToolTip("Samples after the latest epoch")
        self.samples_label = QLabel("samples after each epoch", self)
        plot_controls = QHBoxLayout()
        for widget in (QLabel("units", self), self.units_box, self.reference_box):
            plot_controls.addWidget(widget)
        plot_controls.addStretch(1)
        plot_controls.addWidget(self.clear_runs_button)
        samples_box = QVBoxLayout()
        samples_box.addWidget(self.samples_label)
        samples_box.addWidget(self.samples, 1)
        samples_widget = QWidget(self)
        samples_widget.setLayout(samples_box)
        plots = QSplitter(Qt.Orientation.Horizontal, self)
        plots.addWidget(self.plot)
        plots.addWidget(samples_widget)
        plots.setSizes([640, 300])

        right = QVBoxLayout()
        right.addLayout(buttons)
        right.addWidget(self.progress)
        right.addWidget(self.speed_label)
        right.addLayout(plot_controls)
        right.addWidget(plots, 1)
        body = QHBoxLayout()
        body.addWidget(scroll)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addLayout(body, 1)

        self.control: TrainControl | None = None
        self.train_thread: QThread | None = None
        self.worker: TrainingWorker | None = None
        self.runs: list[_Run] = []
        self.last_checkpoint: Path | None = None
        self.events: list[Event] = []
        self._references: list[pg.InfiniteLine] = []
        self._epochs = 1
        self._steps_per_epoch = 1
        self._num_pixels = 28 * 28

        self.kind_box.currentIndexChanged.connect(self._on_kind_changed)
        self.preset_box.currentTextChanged.connect(self._on_preset_changed)
        self.data_box.activated.connect(self._on_data_chosen)
        self.start_button.clicked.connect(self.start)
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(self.stop)
        self.use_button.clicked.connect(self._use_latest)
        self.units_box.currentTextChanged.connect(self._redraw_runs)
        self.reference_box.toggled.connect(self._redraw_references)
        self.clear_runs_button.clicked.connect(self.clear_runs)
        self._on_kind_changed()
        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "kind": self.kind_box,
            "binarization": self.binarize_box,
            "epochs": self.epochs_box,
            "batch": self.batch_box,
            "seed": self.seed_box,
            "units": self.units_box,
        }
        self._set_running(False)
        self.use_button.setEnabled(False)

    # -- the form ------------------------------------------------------------------

    def kind(self) -> str:
        """The model kind chosen."""
        return str(self.kind_box.currentData())

    def set_kind(self, kind: str) -> None:
        """Choose a model kind."""
        self.kind_box.setCurrentIndex(self.kind_box.findData(kind))

    def _on_kind_changed(self) -> None:
        kind = self.kind()
        cls = model_class(kind)
        self.preset_box.blockSignals(True)
        self.preset_box.clear()
        self.preset_box.addItems(["default", *cls.config_class.presets])
        self.preset_box.blockSignals(False)
        self.settings.set_config_class(cls.config_class)
        self.ordering_box.clear()
        self.ordering_box.addItems(
            [o for o in cls.config_class.supported_orderings if o != "custom"]
        )
        self.lr_box.setValue(cls.default_lr)
        self._redraw_references()

    def _on_preset_changed(self, name: str) -> None:
        if not name:
            return
        cls = model_class(self.kind())
        self.settings.set_config_class(
            cls.config_class, preset_settings(self.kind(), name)
        )

    def _on_data_chosen(self) -> None:
        if self.data_box.currentData() != "":
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Training data", "", "Images (*.npz *.npy);;All files (*)"
        )
        if path:
            self.add_data_path(path)
        else:
            self.data_box.setCurrentIndex(0)

    def add_data_path(self, path: str) -> None:
        """Offer a data file (or IDX folder) in the data list and select it."""
        self.data_box.insertItem(self.data_box.count() - 1, Path(path).name, path)
        self.data_box.setCurrentIndex(self.data_box.count() - 2)

    def _load_data(self) -> tuple[ImageSet, ImageSet | None, str]:
        spec = str(self.data_box.currentData())
        splits = load_splits(spec)
        if "train" not in splits:
            raise ARExplorerError(
                f"{spec} has no 'train' split (it has {', '.join(splits)})"
            )
        valid = splits.get("valid") or splits.get("test")
        return splits["train"], valid, spec

    # -- running -------------------------------------------------------------------

    def is_running(self) -> bool:
        """Whether a run is under way (or paused)."""
        return self.train_thread is not None

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        for widget in (
            self.kind_box,
            self.preset_box,
            self.settings,
            self.ordering_box,
            self.conditional_box,
            self.data_box,
            self.binarize_box,
        ):
            widget.setEnabled(not running)

    def start(self) -> bool:
        """Build the model and trainer from the form and start training.

        Returns False (with a message naming the problem) if the form is bad.
        """
        if self.is_running():
            return False
        try:
            train, valid, spec = self._load_data()
            settings: dict[str, Any] = {
                **self.settings.values(),
                "ordering": self.ordering_box.currentText(),
            }
            if self.conditional_box.isChecked():
                settings["num_classes"] = max(train.num_classes, 1)
            seed = self.seed_box.value()
            model = create(self.kind(), train.image_shape, seed=seed, **settings)
            self._num_pixels = model.num_pixels
            config = TrainConfig(
                epochs=self.epochs_box.value(),
                batch_size=self.batch_box.value(),
                lr=self.lr_box.value(),
                seed=seed,
                max_batches_per_epoch=self.max_batches_box.value(),
            )
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            name = (
                self.name_edit.text().strip()
                or f"{self.kind()}-{Path(spec).stem}-{stamp}"
            )
            self.session.library.user_dir.mkdir(parents=True, exist_ok=True)
            binarization = Binarization(self.binarize_box.currentText(), 0.5, seed)
        except (ARExplorerError, OSError) as exc:
            QMessageBox.warning(self, "Cannot start training", str(exc))
            self.status_message.emit(str(exc))
            return False
        self.events = []
        colour = COLOURS[len(self.runs) % len(COLOURS)]
        self.runs.append(_Run(self.plot.getPlotItem(), name, colour))
        control = self.control = TrainControl()
        path = self.session.library.user_dir / name

        def build() -> Trainer:
            return Trainer(
                model,
                train,
                valid,
                config,
                binarization=binarization,
                checkpoint=path,
                control=control,
                data_info={"name": spec},
            )

        self.worker = TrainingWorker(build)
        self.train_thread = QThread(self)
        self.worker.moveToThread(self.train_thread)
        self.train_thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._on_event)
        self.worker.failed.connect(self._on_failed)
        self.worker.done.connect(self.train_thread.quit)
        self.train_thread.finished.connect(self._on_thread_finished)
        self._set_running(True)
        self.pause_button.setChecked(False)
        self.progress.setValue(0)
        self.train_thread.start()
        self.status_message.emit(f"training {name} on {spec}")
        return True

    def _on_pause_toggled(self, paused: bool) -> None:
        if self.control is None:
            return
        if paused:
            self.control.pause()
            self.pause_button.setText("Resume")
            self.status_message.emit("paused before the next batch")
        else:
            self.control.resume()
            self.pause_button.setText("Pause")

    def stop(self) -> None:
        """Ask the run to stop before its next batch."""
        if self.control is not None:
            self.control.stop()
            self.status_message.emit("stopping before the next batch …")

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop the run and wait for its thread (the window is closing)."""
        self.stop()
        if self.train_thread is not None:
            self.train_thread.quit()
            finished = bool(self.train_thread.wait(timeout_ms))
            self._on_thread_finished()
            return finished
        return True

    def _on_thread_finished(self) -> None:
        if self.train_thread is None:
            return
        self.train_thread.deleteLater()
        if self.worker is not None:
            self.worker.deleteLater()
        self.train_thread, self.worker, self.control = None, None, None
        self._set_running(False)
        self.pause_button.setChecked(False)

    def _on_failed(self, message: str) -> None:
        QMessageBox.warning(self, "Training failed", message)
        self.status_message.emit(f"training failed: {message}")

    # -- events --------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        self.events.append(event)
        run = self.runs[-1]
        if isinstance(event, RunStarted):
            self._epochs, self._steps_per_epoch = event.epochs, event.steps_per_epoch
            self.progress.setRange(0, event.epochs * event.steps_per_epoch)
        elif isinstance(event, StepReported):
            done = (event.epoch - 1) * event.steps_per_epoch + event.step
            self.progress.setValue(done)
            run.steps.append((done / event.steps_per_epoch, event.loss_nats))
            eta = _clock(event.eta_s)
            self.speed_label.setText(
                f"epoch {event.epoch}/{self._epochs} · batch {event.step}/"
                f"{event.steps_per_epoch} · {event.images_per_s:,.0f} images/s · "
                f"loss {event.loss_nats:.2f} nats "
                f"({event.bits_per_dim:.4f} bits/dim) · "
                f"ETA {eta}"
            )
            run.redraw(self._scale())
        elif isinstance(event, EpochEnded):
            if event.valid_nll is not None:
                run.valid.append((float(event.epoch), event.valid_nll))
            run.redraw(self._scale())
            valid = "—" if event.valid_nll is None else f"{event.valid_nll:.2f}"
            self.status_message.emit(
                f"epoch {event.epoch}: train {event.train_nll:.2f}, valid {valid} nats"
            )
        elif isinstance(event, SamplesDrawn):
            picture = image_grid(event.images, pad=1).astype(np.float64) / 255
            self.samples.set_image(picture, colours="gray", levels=(0, 1))
            self.samples_label.setText(f"samples after epoch {event.epoch}")
        elif isinstance(event, CheckpointSaved):
            if not event.best:  # "use" means the latest epoch, as shown
                self.last_checkpoint = event.path
            self.use_button.setEnabled(True)
            self.session.refresh()
        elif isinstance(event, RunEnded):
            if event.status == "finished":
                self.progress.setValue(self.progress.maximum())
            reason = f": {event.reason}" if event.reason else ""
            self.status_message.emit(f"training {event.status}{reason}")
            self.run_ended.emit(event)

    def _use_latest(self) -> None:
        if self.last_checkpoint is not None:
            try:
                self.session.select(self.last_checkpoint)
            except ARExplorerError as exc:
                QMessageBox.warning(self, "Model library", str(exc))

    # -- plot ----------------------------------------------------------------------

    def _scale(self) -> float:
        """Nats per image → the unit shown."""
        if self.units_box.currentText() == "nats":
            return 1.0
        return nats_to_bits_per_dim(1.0, self._num_pixels)

    def _redraw_runs(self) -> None:
        unit = self.units_box.currentText()
        self.plot.setLabel(
            "left", "NLL per image (nats)" if unit == "nats" else "bits/dim"
        )
        for run in self.runs:
            run.redraw(self._scale())
        self._redraw_references()

    def _redraw_references(self) -> None:
        for line in self._references:
            self.plot.removeItem(line)
        self._references = []
        if not self.reference_box.isChecked():
            return
        for kind, result in PUBLISHED.items():
            strong = kind == self.kind()
            line = pg.InfiniteLine(
                pos=result.nll_nats * self._scale(),
                angle=0,
                pen=pg.mkPen(
                    (60, 60, 60) if strong else (170, 170, 170),
                    width=1.5 if strong else 1,
                    style=Qt.PenStyle.DashLine,
                ),
                label=f"{result.model}: {result.nll_nats:.2f}" if strong else None,
                labelOpts={"position": 0.7, "color": (60, 60, 60)},
            )
            line.setToolTip(
                f"{result.model}: {result.nll_nats:.2f} nats ({result.source})"
            )
            self.plot.addItem(line)
            self._references.append(line)

    def clear_runs(self) -> None:
        """Remove the curves of finished runs (the running one stays)."""
        keep = self.runs[-1:] if self.is_running() else []
        for run in self.runs:
            if run not in keep:
                self.plot.removeItem(run.loss)
                self.plot.removeItem(run.valid_curve)
        self.runs = keep


def _clock(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "—"
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
