"""Panel 3 — the training monitor.

Choose a model, its settings, its pixel likelihood (binary, K levels, or a
continuous mixture of Gaussians) with K or M, the data, the ordering, the
binarization or quantization and augmentation; start, pause, resume and stop;
watch the loss and the validation NLL live, in nats or bits/dim, against the
published results, and samples after every epoch.

A run is set up by :func:`models.run_setup.setup_run`, the function
``ar-models train`` calls too, so both write the same checkpoint record.

The :class:`models.trainer.Trainer` runs through :func:`desktop_app.workers.stream`
(the app's one worker mechanism): its events arrive in order on the GUI thread
and update a :class:`~desktop_app.panels.run_history.RunHistory`, which the plot
draws. A stop or pause is honoured before the next batch, every epoch's
checkpoint lands in the model library, and a data file is read in the
background (:class:`~desktop_app.workers.LatestOnly`) with a busy sign.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.panels.ordering_compare import CompareOrderingsDialog, StudyForm
from desktop_app.panels.run_history import (
    RunHistory,
    RunRecord,
    fit_range,
    nice_epoch_range,
)
from desktop_app.session import Session
from desktop_app.theme import PALETTE, SERIES, colour, style_plot, theme
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.pixel_grid import PixelGrid
from desktop_app.widgets.plot_legend import FlowLegend, LegendEntry
from desktop_app.widgets.settings_form import SettingsForm
from desktop_app.workers import LatestOnly, Stream, stream
from models.data import (
    BINARIZE_MODES,
    BUILTIN_DATASETS,
    Augmentation,
    Binarization,
    available_datasets,
)
from models.errors import ARExplorerError, ConfigError
from models.imageio import image_grid
from models.likelihoods import (
    LIKELIHOODS,
    MAX_COMPONENTS,
    MAX_LEVELS,
    PixelLikelihood,
    make_likelihood,
)
from models.published import PUBLISHED
from models.registry import available, model_class, preset_settings
from models.run_setup import (
    RunData,
    RunSettings,
    check_run,
    load_run_data,
    setup_run,
)
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
)

__all__ = ["ReferenceAxis", "TrainingPanel", "describe_augmentation"]

CONCEPT = """
<p>Training maximises the exact log-likelihood: minimise the average
−log p(x) = −Σ<sub>i</sub> log p(x<sub>i</sub> | x<sub>&lt;i</sub>) over the
training digits with Adam. <b>Teacher forcing</b> makes this one pass per batch:
every conditional sees the true earlier pixels, so all n terms are computed at
once. The <b>validation NLL</b> (held-out digits, nats per image, or bits per
pixel) is the honest measure; the dashed lines are published results on the
standard binarized MNIST, named at the right.</p>"""

#: Data sets offered by name: those here without a download (full MNIST is
#: left out, Fashion-MNIST is in when its system package or a copy is found).
OFFERED_DATA = list(available_datasets())

#: What each likelihood's entry in the form says.
LIKELIHOOD_TITLES = {
    "bernoulli": "binary (Bernoulli)",
    "categorical": "K levels (softmax)",
    "logistic_mixture": "logistic mixture",
    "gaussian_mixture": "Gaussian mixture",
}

#: Likelihoods whose parameters are a mixture of M components.
MIXTURES = ("logistic_mixture", "gaussian_mixture")

#: The published results at 28×28 pixels (bits/dim divides by this).
MNIST_PIXELS = 28 * 28

#: Points at which a run's curves stop following every report (older points
#: are thinned), so a long run stays cheap to redraw.
MAX_POINTS = 4000


def describe_augmentation(augmentation: Augmentation) -> str:
    """What the augmentation does to each training image, in one sentence."""
    return (
        "Each epoch, every training image gets a fresh random shift "
        f"(up to {augmentation.shift:g} px), rotation (±{augmentation.rotate_deg:g}°), "
        f"scaling (±{100 * augmentation.scale:g} %), shear "
        f"(±{augmentation.shear_deg:g}°) and thicker or thinner strokes, before "
        "binarization: more variety of pen, as handwriting on the canvas has."
    )


def _read_data(spec: str) -> RunData:
    """Read ``spec`` and pick its training and held-out splits.

    Runs in the background; every problem with the file arrives as a
    :class:`~models.errors.DataError`, checked before anything large is read.
    """
    return load_run_data(spec)


def describe_pixels(likelihood: PixelLikelihood, binarize: str) -> str:
    """What a model of ``likelihood`` is fed, in one short line for the form.

    Its tooltip (:func:`explain_pixels`) says more.
    """
    if likelihood.name == "bernoulli":
        how = {
            "threshold": "threshold at ½",
            "stochastic": "drawn once, seeded",
            "dynamic": "drawn afresh each epoch",
        }[binarize]
        return f"pixels: binarized, {how}"
    k = likelihood.levels
    if likelihood.discrete:
        return f"pixels: {k} levels, k / {k - 1}"
    return f"pixels: {k} levels + noise, (k + u) / {k}"


def explain_pixels(likelihood: PixelLikelihood) -> str:
    """What the data becomes for ``likelihood``, and what bits/dim then are."""
    if likelihood.name == "bernoulli":
        return "A binary model is fed binarized images: 0 or 1 per pixel."
    k = likelihood.levels
    text = (
        f"The images are quantized to K = {k} gray levels (equal bins); a pixel "
        f"of level k has the value k / {k - 1}."
    )
    if likelihood.discrete:
        return text + " Bits/dim are −log₂ p(x) / n."
    return text + (
        f" A continuous model sees each dequantized, (k + u) / {k} with u uniform "
        "in [0, 1), fresh noise each epoch (fixed noise when validating); its "
        f"bits/dim add log₂ {k} to −log₂ p(x) / n, the bound on the discrete "
        "data's bits/dim that flow papers report."
    )


class ReferenceAxis(pg.AxisItem):  # type: ignore[misc]
    """An axis whose tick labels name reference lines and never overlap.

    Labels whose lines are closer than a line of text are pushed apart (the
    tick mark stays at the true value), so close results stay legible.
    """

    def generateDrawSpecs(self, p: Any) -> Any:
        """Pyqtgraph's layout of the axis, with the labels spread apart."""
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        return axis, ticks, spread_labels(texts, self.boundingRect())

    def labels(self) -> dict[float, str]:
        """The labels currently set, by the value they mark."""
        levels = self._tickLevels or []
        return {value: text for level in levels for value, text in level}

    def label_texts(self) -> list[str]:
        """The labels currently set (what the axis shows when in range)."""
        return list(self.labels().values())


def spread_labels(texts: list[Any], bounds: Any) -> list[Any]:
    """Move vertically stacked label rectangles apart so none overlap.

    ``texts`` holds pyqtgraph's ``(QRectF, flags, text)`` draw specs; the
    labels keep their order and stay inside ``bounds`` where they fit.
    """
    if len(texts) < 2:
        return texts
    ordered = sorted(texts, key=lambda spec: spec[0].center().y())
    rects = [spec[0].translated(0, 0) for spec in ordered]
    for above, rect in itertools.pairwise(rects):
        if rect.top() < above.bottom():
            rect.moveTop(above.bottom())
    overflow = rects[-1].bottom() - bounds.bottom()
    if overflow > 0:
        rects[-1].moveBottom(bounds.bottom())
        for below, rect in zip(rects[::-1], rects[-2::-1], strict=False):
            if rect.bottom() > below.top():
                rect.moveBottom(below.top())
    return [
        (rect, flags, text)
        for rect, (_, flags, text) in zip(rects, ordered, strict=True)
    ]


class TrainingPanel(QWidget):
    """Configure, run and watch training.

    Signals
    -------
    status_message(str)
        A line for the status bar.
    run_ended(object)
        The :class:`~models.trainer.RunEnded` event of a run.
    """

    status_message = Signal(str)
    run_ended = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox("Training by maximum likelihood", CONCEPT, self)
        self.history = RunHistory()
        #: Every event of the current run, in order.
        self.events: list[Event] = []
        self._build_form()
        self._build_run_controls()
        self._build_plot()
        self._lay_out()

        self.control: TrainControl | None = None
        self._stream: Stream | None = None
        self._curves: dict[int, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._references: list[pg.InfiniteLine] = []
        self._following = True  # the view fits the curves until the user zooms
        self._data: dict[str, RunData] = {}
        #: Each run's likelihood, by colour, for its curves in bits/dim.
        self._likelihoods: dict[int, PixelLikelihood] = {}
        self._good_spec = OFFERED_DATA[0]
        self._start_pending = False
        self.data_reader = LatestOnly(self)
        self.data_busy.follow(self.data_reader)

        self.kind_box.currentIndexChanged.connect(self._on_kind_changed)
        self.preset_box.currentTextChanged.connect(self._on_preset_changed)
        self.likelihood_box.currentIndexChanged.connect(self._on_likelihood_changed)
        self.levels_box.valueChanged.connect(self._on_likelihood_changed)
        self.binarize_box.currentIndexChanged.connect(self._on_likelihood_changed)
        self.data_box.currentIndexChanged.connect(self._on_data_changed)
        self.data_box.activated.connect(self._on_data_chosen)
        self.start_button.clicked.connect(lambda: self.start())
        self.pause_button.toggled.connect(self._on_pause_toggled)
        self.stop_button.clicked.connect(lambda: self.stop())
        self.use_button.clicked.connect(lambda: self.use_latest())
        self.compare_button.clicked.connect(lambda: self.compare_orderings())
        #: The Compare orderings window, once opened.
        self.compare: CompareOrderingsDialog | None = None
        self.units_box.currentTextChanged.connect(self._on_view_changed)
        self.reference_box.toggled.connect(self._on_view_changed)
        self.log_box.toggled.connect(self._on_view_changed)
        self.clear_runs_button.clicked.connect(lambda: self.clear_runs())
        view = self.plot.getPlotItem().getViewBox()
        view.sigRangeChangedManually.connect(self._on_user_zoomed)
        auto = self.plot.getPlotItem().autoBtn
        auto.clicked.disconnect()
        auto.clicked.connect(self._fit_again)

        self._on_kind_changed()
        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "kind": self.kind_box,
            "likelihood": self.likelihood_box,
            "levels": self.levels_box,
            "components": self.components_box,
            "binarization": self.binarize_box,
            "augment": self.augment_box,
            "epochs": self.epochs_box,
            "batch": self.batch_box,
            "seed": self.seed_box,
            "units": self.units_box,
            "references": self.reference_box,
            "log": self.log_box,
        }
        self._set_running(False)
        self._update_buttons()
        self.redraw()
        self._on_data_changed()
        theme().follow(self, lambda panel: panel._on_zoom())

    # -- building ------------------------------------------------------------------

    def _build_form(self) -> None:
        self.kind_box = QComboBox(self)
        for kind in available():
            self.kind_box.addItem(model_class(kind).title, kind)
        self.kind_box.setToolTip("The model to train")
        self.preset_box = QComboBox(self)
        self.preset_box.setToolTip("A named size (the paper's, a small one, …)")
        self.settings = SettingsForm(self)
        self.ordering_box = QComboBox(self)
        self.ordering_box.setToolTip("Pixel ordering (the spatial models: raster only)")
        self.likelihood_box = QComboBox(self)
        self.likelihood_box.setToolTip(
            "What one pixel's conditional is: binary, K levels, or continuous "
            "(the model's kind lists what it supports)"
        )
        self.levels_box = spin_box(
            self, 2, MAX_LEVELS, MAX_LEVELS, "K, the gray levels the data keeps"
        )
        self.components_box = spin_box(
            self, 1, MAX_COMPONENTS, 10, "M, the components of the mixture"
        )
        self.pixels_info = QLabel(self)
        self.pixels_info.setWordWrap(True)
        self.pixels_info.setToolTip("What the model is fed")
        self.conditional_box = QCheckBox("class-conditional p(x | y)", self)
        self.conditional_box.setToolTip("Model each digit class: enables p(y | x)")
        self.data_box = QComboBox(self)
        for name in OFFERED_DATA:
            self.data_box.addItem(name, name)
            self.data_box.setItemData(
                self.data_box.count() - 1,
                BUILTIN_DATASETS[name],
                Qt.ItemDataRole.ToolTipRole,
            )
        self.data_box.addItem("Open a file or folder…", "")
        self.data_box.setToolTip("Training data (validated on its valid or test split)")
        self.data_busy = BusyIndicator("reading the data …", self)
        self.data_info = QLabel(self)
        self.data_info.setWordWrap(True)
        self.data_info.setToolTip("What the chosen data holds")
        self.binarize_box = QComboBox(self)
        self.binarize_box.addItems(list(BINARIZE_MODES))
        self.binarize_box.setToolTip(
            "threshold: fixed at ½; stochastic: sampled once (seeded); "
            "dynamic: resampled every epoch"
        )
        self.augment_box = QCheckBox("augment (shift, rotate, scale, stroke)", self)
        self.augment_box.setToolTip(describe_augmentation(Augmentation()))
        self.epochs_box = spin_box(self, 1, 10_000, 5, "Passes over the training data")
        self.batch_box = spin_box(self, 1, 4096, 64, "Images per Adam step")
        self.lr_box = QDoubleSpinBox(self)
        self.lr_box.setDecimals(5)
        self.lr_box.setRange(1e-5, 1.0)
        self.lr_box.setSingleStep(1e-4)
        self.lr_box.setToolTip("Peak Adam learning rate (cosine decay)")
        self.seed_box = spin_box(
            self, 0, 2**31 - 1, 0, "Seeds weights, shuffling, augmentation and samples"
        )
        self.max_batches_box = spin_box(
            self, 0, 1_000_000, 0, "Batches per epoch (0: all)"
        )
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("automatic")
        self.name_edit.setToolTip("Name of the checkpoint in the model library")

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("model", self.kind_box)
        form.addRow("preset", self.preset_box)
        group = QGroupBox("settings", self)
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.settings)
        form.addRow(group)
        form.addRow("ordering", self.ordering_box)
        form.addRow("", self.conditional_box)
        form.addRow("pixels", self.likelihood_box)
        form.addRow("levels K", self.levels_box)
        form.addRow("components M", self.components_box)
        form.addRow("data", self.data_box)
        form.addRow("", self.data_busy)
        form.addRow(self.data_info)
        form.addRow("binarization", self.binarize_box)
        form.addRow(self.pixels_info)
        form.addRow("", self.augment_box)
        form.addRow("epochs", self.epochs_box)
        form.addRow("batch size", self.batch_box)
        form.addRow("learning rate", self.lr_box)
        form.addRow("seed", self.seed_box)
        form.addRow("max batches", self.max_batches_box)
        form.addRow("name", self.name_edit)
        form_widget = QWidget(self)
        form_widget.setLayout(form)
        self.form_scroll = QScrollArea(self)
        self.form_scroll.setWidget(form_widget)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setMinimumWidth(270)

    def _build_run_controls(self) -> None:
        self.start_button = push_button(self, "Start", "Start training (Ctrl+Return)")
        self.start_button.setShortcut("Ctrl+Return")
        self.pause_button = push_button(
            self,
            "Pause",
            "Pause before the next batch; press again to resume",
            checkable=True,
        )
        self.stop_button = push_button(
            self, "Stop", "Stop before the next batch (the last checkpoint stays)"
        )
        self.use_button = push_button(
            self,
            "Use this model",
            "Make this run's latest checkpoint the current model",
        )
        self.compare_button = push_button(
            self,
            "Compare orderings…",
            "Train this model and data under several orderings, one after "
            "another, and compare their validation NLL",
        )
        self.progress = QProgressBar(self)
        self.progress.setToolTip("Progress of the whole run")
        self.speed_label = QLabel(self)
        self.speed_label.setWordWrap(True)
        self.speed_label.setToolTip("Where the run is, its speed and time left")

    def _build_plot(self) -> None:
        self.reference_axis = ReferenceAxis("right")
        self.plot = pg.PlotWidget(self, axisItems={"right": self.reference_axis})
        self.plot.setLabel("bottom", "epoch")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setToolTip(
            "Training loss (solid) and validation NLL (dashed, dots); "
            "drag or wheel to zoom, the A button fits the curves again"
        )
        self.plot.setMinimumSize(260, 200)
        view = self.plot.getPlotItem().getViewBox()
        view.disableAutoRange()
        self.units_box = QComboBox(self)
        self.units_box.addItems(["nats", "bits/dim"])
        self.units_box.setToolTip("Per image in nats, or per pixel in bits")
        self.reference_box = QCheckBox("published results", self)
        self.reference_box.setChecked(True)
        self.reference_box.setToolTip(
            "Dashed lines at the papers' test NLLs on binarized MNIST, named at "
            "the right (the chosen model's line is darker)"
        )
        self.log_box = QCheckBox("log scale", self)
        self.log_box.setToolTip(
            "A logarithmic loss axis: shows a diverging run and the others at once"
        )
        self.clear_runs_button = push_button(
            self, "Clear old runs", "Remove the curves of runs that have ended"
        )
        self.legend = FlowLegend(self)
        self.legend.setToolTip("Each run's colour; solid: training loss, dashed: valid")
        self.range_note = QLabel(self)
        self.range_note.setWordWrap(True)
        palette = self.range_note.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour("warn"))
        self.range_note.setPalette(palette)
        self.range_note.setVisible(False)
        self.samples = PixelGrid((28, 28), self)
        self.samples.show_grid = False
        self.samples.setToolTip("Samples after the latest epoch")
        self.samples.setMinimumSize(110, 110)
        self.samples_label = QLabel("samples after each epoch", self)
        self.samples_label.setWordWrap(True)
        style_plot(self.plot)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (
            self.start_button,
            self.pause_button,
            self.stop_button,
            self.use_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        units = QWidget(self)
        units_row = QHBoxLayout(units)
        units_row.setContentsMargins(0, 0, 0, 0)
        units_row.addWidget(QLabel("units", self))
        units_row.addWidget(self.units_box)
        self._plot_controls = [
            units,
            self.log_box,
            self.reference_box,
            self.clear_runs_button,
        ]
        self.plot_controls = plot_controls = QGridLayout()
        plot_controls.setContentsMargins(0, 0, 0, 0)

        plot_column = QWidget(self)
        column = QVBoxLayout(plot_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.plot, 1)
        column.addWidget(self.legend)
        column.addWidget(self.range_note)
        samples_widget = QWidget(self)
        samples_box = QVBoxLayout(samples_widget)
        samples_box.setContentsMargins(0, 0, 0, 0)
        samples_box.addWidget(self.samples_label)
        samples_box.addWidget(self.samples, 1)
        self.plots = QSplitter(Qt.Orientation.Horizontal, self)
        self.plots.addWidget(plot_column)
        self.plots.addWidget(samples_widget)
        self.plots.setStretchFactor(0, 3)
        self.plots.setStretchFactor(1, 1)
        self.plots.setChildrenCollapsible(False)

        right = QVBoxLayout()
        right.addLayout(buttons)
        # beside the progress bar, which gives way: the button row stays narrow
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.compare_button)
        right.addLayout(progress_row)
        right.addWidget(self.speed_label)
        right.addLayout(plot_controls)
        right.addWidget(self.plots, 1)
        right_widget = QWidget(self)
        right_widget.setLayout(right)
        right.setContentsMargins(0, 0, 0, 0)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(self.form_scroll)
        # when a large zoom leaves too little height, scroll rather than overlap
        right_scroll = QScrollArea(self)
        right_scroll.setWidget(right_widget)
        right_scroll.setWidgetResizable(True)
        right_scroll.setFrameShape(QFrame.Shape.NoFrame)
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body.addWidget(right_scroll)
        body.setStretchFactor(0, 0)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        body.setSizes([300, 700])
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addWidget(body, 1)
        self.samples.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding
        )

    def _on_zoom(self) -> None:
        """The plot's controls in one row, or two when the text is large."""
        per_row = 4 if theme().zoom <= 1.15 else 2
        for widget in self._plot_controls:
            self.plot_controls.removeWidget(widget)
        for i, widget in enumerate(self._plot_controls):
            row, col = divmod(i, per_row)
            last = col == per_row - 1 or i == len(self._plot_controls) - 1
            self.plot_controls.addWidget(
                widget,
                row,
                col,
                Qt.AlignmentFlag.AlignRight if last else Qt.AlignmentFlag.AlignLeft,
            )
        for col in range(4):
            self.plot_controls.setColumnStretch(col, int(col == per_row - 1))

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
        with QSignalBlocker(self.preset_box):
            self.preset_box.clear()
            self.preset_box.addItems(["default", *cls.config_class.presets])
        self.settings.set_config_class(cls.config_class)
        self.ordering_box.clear()
        self.ordering_box.addItems(
            [o for o in cls.config_class.supported_orderings if o != "custom"]
        )
        self._offer_orderings()
        self.lr_box.setValue(cls.default_lr)
        chosen = self.likelihood()
        with QSignalBlocker(self.likelihood_box):
            self.likelihood_box.clear()
            for name in cls.config_class.supported_likelihoods:
                self.likelihood_box.addItem(LIKELIHOOD_TITLES.get(name, name), name)
                self.likelihood_box.setItemData(
                    self.likelihood_box.count() - 1,
                    (LIKELIHOODS[name].__doc__ or name).strip().splitlines()[0],
                    Qt.ItemDataRole.ToolTipRole,
                )
            self.likelihood_box.setCurrentIndex(
                max(self.likelihood_box.findData(chosen), 0)
            )
        self._on_likelihood_changed()

    def likelihood(self) -> str:
        """The pixel likelihood chosen (``bernoulli`` before the form is built)."""
        data = self.likelihood_box.currentData()
        return "bernoulli" if data is None else str(data)

    def set_likelihood(self, name: str) -> None:
        """Choose a pixel likelihood the model kind supports."""
        self.likelihood_box.setCurrentIndex(self.likelihood_box.findData(name))

    def chosen_likelihood(self) -> PixelLikelihood:
        """The likelihood the form describes, K and M included.

        Raises :class:`~models.errors.ConfigError` for K out of its range.
        """
        name = self.likelihood()
        levels = 2 if name == "bernoulli" else self.levels_box.value()
        return make_likelihood(name, levels, self.components_box.value())

    def _on_likelihood_changed(self) -> None:
        name = self.likelihood()
        binary = name == "bernoulli"
        self.levels_box.setEnabled(not binary)
        self.components_box.setEnabled(name in MIXTURES)
        self.binarize_box.setEnabled(binary)
        self.reference_box.setEnabled(binary)  # the papers' binarized MNIST
        try:
            chosen = self.chosen_likelihood()
            text = describe_pixels(chosen, self.binarize_box.currentText())
            tip = explain_pixels(chosen)
        except ARExplorerError as exc:
            text = tip = str(exc)
        self.pixels_info.setText(text)
        self.pixels_info.setToolTip(tip)
        self._draw_references()
        self.redraw()

    def _on_preset_changed(self, name: str) -> None:
        if not name:
            return
        cls = model_class(self.kind())
        self.settings.set_config_class(
            cls.config_class, preset_settings(self.kind(), name)
        )

    # -- the data ------------------------------------------------------------------

    def data_spec(self) -> str:
        """The data chosen: a built-in name or a path."""
        return str(self.data_box.currentData())

    def _on_data_chosen(self) -> None:
        """The user picked an entry; the last one asks for a file."""
        if self.data_spec() != "":
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Training data", "", "Images (*.npz *.npy);;All files (*)"
        )
        if path:
            self.add_data_path(path)
        else:
            self._select_data(self._good_spec)

    def add_data_path(self, path: str) -> None:
        """Offer a data file (or IDX folder) in the data list, select and read it.

        The file is read and checked in the background; if it cannot be used,
        a message names the problem and the previous choice comes back.
        """
        index = self.data_box.findData(path)
        if index < 0:
            index = self.data_box.count() - 1  # before "Open a file or folder…"
            self.data_box.insertItem(index, Path(path).name, path)
            self.data_box.setItemData(index, path, Qt.ItemDataRole.ToolTipRole)
        self._data.pop(path, None)  # read it again: the file may have changed
        if self.data_box.currentIndex() == index:
            self._on_data_changed()
        else:
            self.data_box.setCurrentIndex(index)

    def _select_data(self, spec: str) -> None:
        index = self.data_box.findData(spec)
        self.data_box.setCurrentIndex(max(index, 0))

    def is_loading(self) -> bool:
        """Whether the chosen data is still being read."""
        return self.data_reader.is_busy()

    def _on_data_changed(self) -> None:
        spec = self.data_spec()
        if spec == "":  # "Open a file or folder…": the dialog decides
            return
        if spec in self._data:
            self.data_reader.cancel()
            self._on_data_read(self._data[spec])
            return
        self.data_info.setText("")
        # the box shows which file; a long name here would widen the form
        self.data_busy.set_busy(True, "reading the data …")
        self.data_reader.submit(
            lambda stale: _read_data(spec),
            self._on_data_read,
            functools.partial(self._on_data_failed, spec),
        )

    def _on_data_read(self, data: RunData) -> None:
        older = {s: d for s, d in self._data.items() if s != data.spec}
        self._data = {data.spec: data, **older}
        while len(self._data) > 3:  # keep a few data sets, newest first
            self._data.pop(next(reversed(self._data)))
        self._good_spec = data.spec
        self.data_info.setText(data.describe())
        if self._start_pending:
            self._start_pending = False
            self.start()

    def _on_data_failed(self, spec: str, exc: BaseException) -> None:
        message = (
            str(exc)
            if isinstance(exc, (ARExplorerError, OSError))
            else f"{Path(spec).name}: {type(exc).__name__}: {exc}"
        )
        self._start_pending = False
        self._set_running(self.is_running())
        QMessageBox.warning(self, "Cannot read the data", message)
        self.status_message.emit(f"cannot read the data: {message}")
        index = self.data_box.findData(spec)
        if index >= len(OFFERED_DATA) and spec != "":  # a file the user added
            self.data_box.removeItem(index)
        self._select_data(self._good_spec)

    # -- running -------------------------------------------------------------------

    def is_running(self) -> bool:
        """Whether a run is under way (or paused, or waiting for its data)."""
        return self._stream is not None or self._start_pending

    def _set_running(self, running: bool) -> None:
        busy = running or self._start_pending
        self.start_button.setEnabled(not busy)
        self.pause_button.setEnabled(running)
        self.stop_button.setEnabled(running)
        for widget in (
            self.kind_box,
            self.preset_box,
            self.settings,
            self.ordering_box,
            self.conditional_box,
            self.likelihood_box,
            self.data_box,
            self.augment_box,
        ):
            widget.setEnabled(not busy)
        binary = self.likelihood() == "bernoulli"
        self.binarize_box.setEnabled(not busy and binary)
        self.levels_box.setEnabled(not busy and not binary)
        self.components_box.setEnabled(not busy and self.likelihood() in MIXTURES)

    def _run_name(self, spec: str) -> str | None:
        """The name the run is saved under, or None if the user cancelled.

        An automatic name (kind, data, time) that is taken gets `` (2)`` …
        without asking. A name the user typed that is taken (the run's
        checkpoint or its best copy exists) is replaced only if the user says
        so; "Keep both" saves under the first free ``NAME (n)``.

        Raises :class:`~models.errors.ConfigError` for an unusable name.
        """
        library = self.session.library
        typed = self.name_edit.text().strip()
        if not typed:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            return library.free_name(f"{self.kind()}-{Path(spec).stem}-{stamp}")
        taken = library.existing_files(typed)
        if not taken:
            return typed
        free = library.free_name(typed)
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Name taken")
        box.setText(f"Your library already has a run called {typed}.")
        box.setInformativeText(
            f"Replace it with this run ({', '.join(p.name for p in taken)} will be "
            f"overwritten as the run saves), or keep both and save this one as "
            f"{free}?"
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        if clicked is replace:
            return typed
        if clicked is keep:
            return free
        return None

    def form_settings(self) -> RunSettings:
        """The run the form describes (its model, pixels and training settings).

        Raises
        ------
        ARExplorerError
            For a setting out of range.
        """
        seed = self.seed_box.value()
        kind = self.kind()
        likelihood = self.likelihood()
        binary = likelihood == "bernoulli"
        return RunSettings(
            kind,
            {**self.settings.values(), "ordering": self.ordering_box.currentText()},
            TrainConfig(
                epochs=self.epochs_box.value(),
                batch_size=self.batch_box.value(),
                lr=self.lr_box.value(),
                seed=seed,
                max_batches_per_epoch=self.max_batches_box.value(),
            ),
            likelihood=likelihood,
            levels=None if binary else self.levels_box.value(),
            components=self.components_box.value() if not binary else None,
            conditional=self.conditional_box.isChecked(),
            binarization=Binarization(self.binarize_box.currentText(), 0.5, seed)
            if binary
            else None,
            augmentation=Augmentation(seed=seed)
            if self.augment_box.isChecked()
            else None,
        )

    def start(self) -> bool:
        """Build the model and trainer from the form and start training.

        If the data is still being read, the run starts once it is. Returns
        False (with a message naming the problem) if the form is bad.
        """
        if self.is_running():
            return False
        spec = self.data_spec()
        data = self._data.get(spec)
        if data is None:
            self._start_pending = True
            self._set_running(False)
            self.status_message.emit(f"training starts once {spec} is read …")
            if not self.data_reader.is_busy():
                self._on_data_changed()
            return True
        try:
            run_settings = self.form_settings()
            # checked here (no weights made), built in the background
            config = check_run(run_settings, data)
            chosen = self._run_name(spec)
            if chosen is None:
                self._set_running(self.is_running())
                self.status_message.emit("training not started: the name is taken")
                return False
            path = self.session.library.run_path(chosen)
            name = path.name
            self.session.library.user_dir.mkdir(parents=True, exist_ok=True)
        except (ARExplorerError, OSError) as exc:
            QMessageBox.warning(self, "Cannot start training", str(exc))
            self.status_message.emit(f"cannot start training: {exc}")
            return False
        self.events = []
        h, w = data.train.image_shape
        run = self.history.start(name, h * w)
        self._likelihoods[run.colour_index] = config.resolve_likelihood()
        control = self.control = TrainControl()

        def job(emit: Any) -> None:
            # built here, not on the GUI thread: a large MADE takes 50–70 ms;
            # a setting the model refuses arrives as the run's failure
            setup_run(run_settings, data, path, control=control, on_event=emit).run()

        channel = self._stream = stream(job, self)
        channel.emitted.connect(functools.partial(self._on_event, run))
        channel.failed.connect(functools.partial(self._on_failed, run))
        channel.finished.connect(functools.partial(self._on_finished, run, channel))
        self._following = True
        self._set_running(True)
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(False)
        self.pause_button.setText("Pause")
        self.progress.setValue(0)
        self.speed_label.setText(f"starting {name} …")
        self._update_buttons()
        self.redraw()
        self.status_message.emit(f"training {name} on {spec}")
        return True

    def _offer_orderings(self) -> None:
        """Compare orderings is offered for a model that takes several orderings."""
        several = self.ordering_box.count() > 1
        self.compare_button.setEnabled(several)
        self.compare_button.setToolTip(
            "Train this model and data under several orderings, one after "
            "another, and compare their validation NLL"
            if several
            else "This model is trained in raster order only: nothing to compare"
        )
        if self.compare is not None and not self.compare.is_running():
            box = self.ordering_box
            self.compare.set_orderings([box.itemText(i) for i in range(box.count())])

    def _study_form(self) -> StudyForm:
        """What Compare orderings trains: this form's run and data, and in words.

        Raises :class:`~models.errors.ARExplorerError` (a ``ConfigError``) when
        the data is not read yet or a setting is out of range.
        """
        spec = self.data_spec()
        data = self._data.get(spec)
        if data is None:
            raise ConfigError(f"{spec} is still being read; try again in a moment")
        settings = self.form_settings()
        settings = dataclasses.replace(
            settings, train=dataclasses.replace(settings.train, num_samples=0)
        )
        shown = ", ".join(f"{k} {v}" for k, v in self.settings.values().items())
        train = settings.train
        words = (
            f"{model_class(settings.kind).title} ({shown}) on {spec}: "
            f"{train.epochs} epochs, batch {train.batch_size}, lr {train.lr:g}, "
            f"seed {train.seed}"
        )
        if train.max_batches_per_epoch:
            words += f", at most {train.max_batches_per_epoch} batches per epoch"
        return settings, data, words + "."

    def compare_orderings(self) -> CompareOrderingsDialog:
        """Open the Compare orderings window (made on first use)."""
        if self.compare is None:
            self.compare = CompareOrderingsDialog(self._study_form, self)
            self._offer_orderings()
        self.compare.show()
        self.compare.raise_()
        self.compare.activateWindow()
        return self.compare

    def _on_pause_toggled(self, paused: bool) -> None:
        if self.control is None:
            return
        if paused:
            self.control.pause()
            self.pause_button.setText("Resume")
            self.speed_label.setText(
                _without_eta(self.speed_label.text()) + " · paused"
            )
            self.status_message.emit("paused before the next batch")
        else:
            self.control.resume()
            self.pause_button.setText("Pause")
            self.status_message.emit("training resumed")

    def stop(self) -> None:
        """Ask the run to stop before its next batch."""
        if self._start_pending:
            self._start_pending = False
            self._set_running(self.is_running())
        if self.control is not None:
            self.control.stop()
            self.speed_label.setText("stopping before the next batch …")
            self.status_message.emit("stopping before the next batch …")

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Stop the run and wait for it to end (the window is closing)."""
        self._start_pending = False
        self.data_reader.cancel()
        if self.compare is not None:
            self.compare.shutdown(timeout_ms)
        channel, run = self._stream, self.history.current
        if channel is None:
            return True
        if self.control is not None:
            self.control.stop()
        ended = channel.wait(timeout_ms / 1000)
        if run is not None:
            run.end("cancelled", "the window closed")
        self._after_run(channel)
        return ended

    def _after_run(self, channel: Stream) -> None:
        if channel is not self._stream:
            return
        channel.deleteLater()  # one per run: don't keep them all
        self._stream, self.control = None, None
        self._set_running(False)
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(False)
        self.pause_button.setText("Pause")
        self._update_buttons()

    def _on_finished(self, run: RunRecord, channel: Stream) -> None:
        if not run.ended:  # it ended without saying so
            run.end("cancelled")
            self._show_ended(run)
        self._after_run(channel)

    def _on_failed(self, run: RunRecord, exc: BaseException) -> None:
        message = (
            str(exc)
            if isinstance(exc, ARExplorerError)
            else f"{type(exc).__name__}: {exc}"
        )
        run.end("failed", message)
        if run is self.history.current:
            self._show_ended(run)
        QMessageBox.warning(self, "Training failed", message)
        self.status_message.emit(f"training failed: {message}")

    # -- events --------------------------------------------------------------------

    def _on_event(self, run: RunRecord, event: Event) -> None:
        run.apply(event)
        if run is not self.history.current:
            return
        self.events.append(event)
        if isinstance(event, RunStarted):
            self.progress.setRange(0, max(1, event.epochs * event.steps_per_epoch))
        elif isinstance(event, StepReported):
            done = (event.epoch - 1) * event.steps_per_epoch + event.step
            self.progress.setValue(done)
            if self.control is None or not self.control.paused:
                self.speed_label.setText(
                    f"epoch {event.epoch} of {run.epochs} · batch {event.step} of "
                    f"{event.steps_per_epoch} · {event.images_per_s:,.0f} images/s · "
                    f"loss {event.loss_nats:.2f} nats "
                    f"({event.bits_per_dim:.4f} bits/dim) · ETA {_clock(event.eta_s)}"
                )
            self.redraw()
        elif isinstance(event, EpochEnded):
            self.redraw()
            valid = "—" if event.valid_nll is None else f"{event.valid_nll:.2f}"
            self.status_message.emit(
                f"epoch {event.epoch}: train {event.train_nll:.2f}, valid {valid} nats"
            )
        elif isinstance(event, SamplesDrawn):
            picture = image_grid(event.images, pad=1).astype(np.float64) / 255  # gray
            self.samples.set_image(picture, colours="gray", levels=(0, 1))
            self.samples_label.setText(f"samples after epoch {event.epoch}")
        elif isinstance(event, CheckpointSaved):
            self.session.refresh()
            self._update_buttons()
        elif isinstance(event, RunEnded):
            if event.status == "finished":
                self.progress.setValue(self.progress.maximum())
            self._show_ended(run)
            reason = f": {event.reason}" if event.reason else ""
            self.status_message.emit(f"training {event.status}{reason}")
            self.run_ended.emit(event)

    def _show_ended(self, run: RunRecord) -> None:
        """Say how the run ended, with no time left on screen."""
        words = {"finished": "finished", "cancelled": "stopped", "failed": "failed"}
        epochs = len(run.valid) if run.valid else int(run.last_epoch())
        text = f"{run.name}: {words.get(run.status, run.status)} after {epochs} of "
        text += f"{run.epochs} epochs"
        if run.valid:
            text += f" · last validation NLL {run.valid[-1][1]:.2f} nats"
        if run.reason and run.status != "finished":
            text += f" ({run.reason})"
        self.speed_label.setText(text)
        self._update_buttons()
        self.redraw()

    def use_latest(self) -> bool:
        """Make the current run's latest checkpoint the current model.

        Returns False when the current run has not written one yet.
        """
        run = self.history.current
        if run is None or run.checkpoint is None:
            return False
        self.session.select_in_background(run.checkpoint)
        self.status_message.emit(f"using {run.checkpoint.name}")
        return True

    def _update_buttons(self) -> None:
        run = self.history.current
        has_checkpoint = run is not None and run.checkpoint is not None
        self.use_button.setEnabled(has_checkpoint)
        self.use_button.setToolTip(
            f"Make {run.name}'s latest checkpoint the current model"
            if has_checkpoint and run is not None
            else "Available once this run has saved its first epoch"
        )
        self.clear_runs_button.setEnabled(any(r.ended for r in self.history.runs))

    # -- plot ----------------------------------------------------------------------

    def _unit(self, num_pixels: int, likelihood: PixelLikelihood | None) -> Any:
        """Nats per image → the unit shown, as ``(scale, offset)``.

        Bits/dim are −log₂ p(x) / n, plus log₂ K for a continuous likelihood
        (:meth:`~models.likelihoods.PixelLikelihood.bits_per_dim`).
        """
        if self.units_box.currentText() == "nats":
            return 1.0, 0.0
        if likelihood is None:
            return 1.0 / (num_pixels * math.log(2)), 0.0
        offset = likelihood.bits_per_dim(0.0, num_pixels)
        return likelihood.bits_per_dim(1.0, num_pixels) - offset, offset

    def _scale(self, num_pixels: int) -> float:
        """Nats per image → the unit shown, for binary pixels."""
        return float(self._unit(num_pixels, None)[0])

    def _on_view_changed(self) -> None:
        self._following = True
        self._draw_references()
        self.redraw()

    def _on_user_zoomed(self) -> None:
        self._following = False

    def _fit_again(self) -> None:
        self._following = True
        self.redraw()

    def _curves_of(self, run: RunRecord) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        curves = self._curves.get(run.colour_index)
        if curves is None:
            colour = SERIES[run.colour_index % len(SERIES)]
            loss = self.plot.plot(
                pen=pg.mkPen(colour, width=1.5), name=f"{run.name} train"
            )
            valid = self.plot.plot(
                pen=pg.mkPen(colour, width=2.5, style=Qt.PenStyle.DashLine),
                symbol="o",
                symbolBrush=colour,
                symbolPen=pg.mkPen(colour),
                symbolSize=7,
                name=f"{run.name} valid",
            )
            curves = self._curves[run.colour_index] = (loss, valid)
        return curves

    def redraw(self) -> None:
        """Draw the run history: every run's curves, the legend, the axes' ranges."""
        log = self.log_box.isChecked()
        self.plot.setLogMode(x=False, y=log)
        unit = self.units_box.currentText()
        self.plot.setLabel(
            "left", "NLL (nats per image)" if unit == "nats" else "NLL (bits/dim)"
        )
        series = []
        for run in self.history.runs:
            scale, offset = self._unit(
                run.num_pixels, self._likelihoods.get(run.colour_index)
            )
            loss, valid = self._curves_of(run)
            steps = run.steps[-MAX_POINTS:]
            for item, points in ((loss, steps), (valid, run.valid)):
                if points:
                    xs, ys = zip(*points, strict=True)
                    item.setData(np.array(xs), np.array(ys) * scale + offset)
                else:
                    item.setData([], [])
            series.append([v * scale + offset for v in run.values()])
        self._draw_legend()
        references = (
            [p.nll_nats * self._scale(MNIST_PIXELS) for p in PUBLISHED.values()]
            if self._references_shown()
            else []
        )
        fit = fit_range(series, extra=references, log=log)
        off = [
            f"{self.history.runs[i].name} (up to {top:,.0f} {unit})"
            for i, top in fit.off_scale
        ]
        self.range_note.setText(
            f"Off the top, so the other runs stay readable: {', '.join(off)}. "
            "Tick log scale to see every value."
            if off
            else ""
        )
        self.range_note.setVisible(bool(off))
        if self._following:
            last = max([r.last_epoch() for r in self.history.runs] + [0.0])
            self.plot.setXRange(*nice_epoch_range(last), padding=0)
            self.plot.setYRange(fit.low, fit.high, padding=0)

    def _draw_legend(self) -> None:
        words = {"finished": "", "cancelled": " (stopped)", "failed": " (failed)"}
        entries = [
            LegendEntry(
                f"{run.name}{words.get(run.status, ' (running)')}",
                SERIES[run.colour_index % len(SERIES)],
            )
            for run in self.history.runs
        ]
        entries += [
            LegendEntry("training loss", PALETTE["muted"]),
            LegendEntry(
                "validation NLL (each epoch)",
                PALETTE["muted"],
                dashed=True,
                marker=True,
            ),
        ]
        self.legend.set_entries(entries)

    def _draw_references(self) -> None:
        for line in self._references:
            self.plot.removeItem(line)
        self._references = []
        shown = self._references_shown()
        self.plot.showAxis("right", shown)
        if not shown:
            self.reference_axis.setTicks([[], []])
            return
        log = self.log_box.isChecked()
        scale = self._scale(MNIST_PIXELS)
        ticks = []
        for kind, result in PUBLISHED.items():
            value = result.nll_nats * scale
            strong = kind == self.kind()
            position = math.log10(value) if log else value
            line = pg.InfiniteLine(
                pos=position,
                angle=0,
                pen=pg.mkPen(
                    PALETTE["ink"] if strong else PALETTE["muted"],
                    width=1.5 if strong else 1,
                    style=Qt.PenStyle.DashLine,
                ),
            )
            line.setToolTip(
                f"{result.model}: {result.nll_nats:.2f} nats ({result.source})"
            )
            self.plot.addItem(line)
            self._references.append(line)
            number = (
                f"{value:.2f}"
                if self.units_box.currentText() == "nats"
                else (f"{value:.3f}")
            )
            ticks.append((position, f"{_short_name(result.model)} {number}"))
        self.reference_axis.setTicks([ticks, []])
        self.reference_axis.setToolTip(
            "Published test NLLs on binarized MNIST: "
            + "; ".join(
                f"{r.model}, {r.source}: {r.nll_nats:.2f} nats"
                for r in PUBLISHED.values()
            )
        )

    def _references_shown(self) -> bool:
        """Published lines are on binarized MNIST: shown for binary models only."""
        return self.reference_box.isChecked() and self.likelihood() == "bernoulli"

    def curves(self) -> list[tuple[RunRecord, pg.PlotDataItem, pg.PlotDataItem]]:
        """Each run shown, with its training-loss and validation curves."""
        return [(run, *self._curves_of(run)) for run in self.history.runs]

    def clear_runs(self) -> None:
        """Remove the curves of the runs that have ended (a running one stays)."""
        for run in self.history.clear_ended():
            for item in self._curves.pop(run.colour_index, ()):
                self.plot.removeItem(item)
            self._likelihoods.pop(run.colour_index, None)
        self._following = True
        self._update_buttons()
        self.redraw()


def _short_name(model: str) -> str:
    """The model's name without its size ("NADE, 500 units" → "NADE")."""
    return model.split(",")[0].replace("Diagonal ", "Diag. ")


def _without_eta(text: str) -> str:
    return text.split(" · ETA")[0]


def _clock(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "—"
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
