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
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
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
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.pixel_grid import PixelGrid
from desktop_app.widgets.plot_legend import FlowLegend, LegendEntry
from desktop_app.widgets.settings_form import SettingsForm
from desktop_app.words import library_text
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
from models.text import QT_TRANSLATE_NOOP, Phrase
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

CONCEPT = QT_TRANSLATE_NOOP(
    "TrainingPanel",
    """
<p>Training maximises the exact log-likelihood: minimise the average
−log p(x) = −Σ<sub>i</sub> log p(x<sub>i</sub> | x<sub>&lt;i</sub>) over the
training digits with Adam. <b>Teacher forcing</b> makes this one pass per batch:
every conditional sees the true earlier pixels, so all n terms are computed at
once. The <b>validation NLL</b> (held-out digits, nats per image, or bits per
pixel) is the honest measure; the dashed lines are published results on the
standard binarized MNIST, named at the right.</p>""",
)

#: Data sets offered by name: those here without a download (full MNIST is
#: left out, Fashion-MNIST is in when its system package or a copy is found).
OFFERED_DATA = list(available_datasets())

#: What each likelihood's entry in the form says.
LIKELIHOOD_TITLES = {
    "bernoulli": QT_TRANSLATE_NOOP("TrainingPanel", "binary (Bernoulli)"),
    "categorical": QT_TRANSLATE_NOOP("TrainingPanel", "K levels (softmax)"),
    "logistic_mixture": QT_TRANSLATE_NOOP("TrainingPanel", "logistic mixture"),
    "gaussian_mixture": QT_TRANSLATE_NOOP("TrainingPanel", "Gaussian mixture"),
}

#: The first lines of the likelihoods' docstrings (each entry's tooltip),
#: marked so the window can show them translated.
_LIKELIHOOD_TIPS = (
    QT_TRANSLATE_NOOP(
        "TrainingPanel", "A Bernoulli pixel; its parameter is the logit of p(x_i = 1)."
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel", "A K-way categorical pixel; its parameters are K logits."
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel", "A discretized mixture of M logistics over K levels."
    ),
    QT_TRANSLATE_NOOP("TrainingPanel", "A mixture of M Gaussians truncated to [0, 1]."),
)

#: What each binarization's entry says.
BINARIZE_TITLES = {
    "threshold": QT_TRANSLATE_NOOP("TrainingPanel", "threshold"),
    "stochastic": QT_TRANSLATE_NOOP("TrainingPanel", "stochastic"),
    "dynamic": QT_TRANSLATE_NOOP("TrainingPanel", "dynamic"),
}

#: The built-in data sets' names and descriptions (their entries' texts and
#: tooltips), marked so the window can show them translated; English shows
#: the name and :data:`~models.data.BUILTIN_DATASETS`' description as they are.
_DATA_WORDS = (
    QT_TRANSLATE_NOOP("TrainingPanel", "mnist-5k"),
    QT_TRANSLATE_NOOP("TrainingPanel", "mnist-10k"),
    QT_TRANSLATE_NOOP("TrainingPanel", "optdigits-drawn"),
    QT_TRANSLATE_NOOP("TrainingPanel", "mfeat-drawn"),
    QT_TRANSLATE_NOOP("TrainingPanel", "binarized-mnist"),
    QT_TRANSLATE_NOOP("TrainingPanel", "mnist"),
    QT_TRANSLATE_NOOP("TrainingPanel", "mnist-full"),
    QT_TRANSLATE_NOOP("TrainingPanel", "fashion-mnist"),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "5,000 MNIST digits bundled with the app (4,000 train / 1,000 test)",
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "10,000 MNIST digits bundled with the app (9,000 train / the 1,000 "
        "mnist-5k test)",
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "1,797 digits by writers outside MNIST, drawn as binary 28×28 strokes "
        "(test only; held out)",
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "2,000 digits from Dutch maps, outside MNIST, drawn as binary 28×28 "
        "strokes (test only; held out)",
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "fixed binarized MNIST, 50k train / 10k valid (a file you have)",
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel", "full MNIST, 60k train / 10k test (needs torchvision)"
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "full labelled MNIST less the mnist-5k held-out digits, 58,999 train / "
        "MNIST's 10k test (a file scripts/make_mnist_full.py makes)",
    ),
    QT_TRANSLATE_NOOP(
        "TrainingPanel",
        "Fashion-MNIST, 60k train / 10k test grayscale clothes (the system "
        "package dataset-fashion-mnist)",
    ),
)

#: How a run ended, in the words of the status bar.
_STATUS_WORDS = {
    "finished": QT_TRANSLATE_NOOP("TrainingPanel", "finished"),
    "cancelled": QT_TRANSLATE_NOOP("TrainingPanel", "cancelled"),
    "failed": QT_TRANSLATE_NOOP("TrainingPanel", "failed"),
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
    return QCoreApplication.translate(
        "TrainingPanel",
        "Each epoch, every training image gets a fresh random shift "
        "(up to {shift:g} px), rotation (±{rotate:g}°), scaling (±{scale:g} %), "
        "shear (±{shear:g}°) and thicker or thinner strokes, before "
        "binarization: more variety of pen, as handwriting on the canvas has.",
    ).format(
        shift=augmentation.shift,
        rotate=augmentation.rotate_deg,
        scale=100 * augmentation.scale,
        shear=augmentation.shear_deg,
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
            "threshold": QT_TRANSLATE_NOOP("TrainingPanel", "threshold at ½"),
            "stochastic": QT_TRANSLATE_NOOP("TrainingPanel", "drawn once, seeded"),
            "dynamic": QT_TRANSLATE_NOOP("TrainingPanel", "drawn afresh each epoch"),
        }[binarize]
        return QCoreApplication.translate(
            "TrainingPanel", "pixels: binarized, {how}"
        ).format(how=_tr(how))
    k = likelihood.levels
    if likelihood.discrete:
        return QCoreApplication.translate(
            "TrainingPanel", "pixels: {k} levels, k / {top}"
        ).format(k=k, top=k - 1)
    return QCoreApplication.translate(
        "TrainingPanel", "pixels: {k} levels + noise, (k + u) / {k}"
    ).format(k=k)


def explain_pixels(likelihood: PixelLikelihood) -> str:
    """What the data becomes for ``likelihood``, and what bits/dim then are."""
    if likelihood.name == "bernoulli":
        return QCoreApplication.translate(
            "TrainingPanel", "A binary model is fed binarized images: 0 or 1 per pixel."
        )
    k = likelihood.levels
    text = QCoreApplication.translate(
        "TrainingPanel",
        "The images are quantized to K = {k} gray levels (equal bins); a pixel "
        "of level k has the value k / {top}.",
    ).format(k=k, top=k - 1)
    if likelihood.discrete:
        return (
            text
            + " "
            + QCoreApplication.translate(
                "TrainingPanel", "Bits/dim are −log₂ p(x) / n."
            )
        )
    return (
        text
        + " "
        + QCoreApplication.translate(
            "TrainingPanel",
            "A continuous model sees each dequantized, (k + u) / {k} with u uniform "
            "in [0, 1), fresh noise each epoch (fixed noise when validating); its "
            "bits/dim add log₂ {k} to −log₂ p(x) / n, the bound on the discrete "
            "data's bits/dim that flow papers report.",
        ).format(k=k)
    )


def _tr(text: str) -> str:
    """``text`` in the current language (the panel's context)."""
    return QCoreApplication.translate("TrainingPanel", text)


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


class TrainingPanel(FollowsLanguage, QWidget):
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
        self.concept = ConceptBox("", "", self)
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
        self.preset_box.currentIndexChanged.connect(self._on_preset_changed)
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
        self.retranslate()
        theme().follow(self, lambda panel: panel._on_zoom())

    # -- building ------------------------------------------------------------------

    def _build_form(self) -> None:
        self.kind_box = QComboBox(self)
        for kind in available():
            self.kind_box.addItem(library_text(model_class(kind).title), kind)
        self.preset_box = QComboBox(self)
        self.settings = SettingsForm(self)
        self.ordering_box = QComboBox(self)
        self.likelihood_box = QComboBox(self)
        self.levels_box = spin_box(self, 2, MAX_LEVELS, MAX_LEVELS, "")
        self.components_box = spin_box(self, 1, MAX_COMPONENTS, 10, "")
        self.pixels_info = QLabel(self)
        self.pixels_info.setWordWrap(True)
        self.conditional_box = QCheckBox(self)
        self.data_box = QComboBox(self)
        for name in OFFERED_DATA:
            self.data_box.addItem(name, name)
        self.data_box.addItem("", "")  # "Open a file or folder…"
        self.data_busy = BusyIndicator("", self)
        self.data_info = QLabel(self)
        self.data_info.setWordWrap(True)
        self.binarize_box = QComboBox(self)
        for mode in BINARIZE_MODES:
            self.binarize_box.addItem(mode, mode)
        self.augment_box = QCheckBox(self)
        self.epochs_box = spin_box(self, 1, 10_000, 5, "")
        self.batch_box = spin_box(self, 1, 4096, 64, "")
        self.lr_box = QDoubleSpinBox(self)
        self.lr_box.setDecimals(5)
        self.lr_box.setRange(1e-5, 1.0)
        self.lr_box.setSingleStep(1e-4)
        self.seed_box = spin_box(self, 0, 2**31 - 1, 0, "")
        self.max_batches_box = spin_box(self, 0, 1_000_000, 0, "")
        self.name_edit = QLineEdit(self)
        for box in (self.kind_box, self.preset_box, self.ordering_box):
            _narrow(box)
        for box in (self.likelihood_box, self.data_box, self.binarize_box):
            _narrow(box)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        #: Each form label, with its English text.
        self._form_labels: list[tuple[QLabel, str]] = []

        def row(text: str, field: QWidget) -> None:
            label = QLabel(self)
            self._form_labels.append((label, text))
            form.addRow(label, field)

        row(QT_TRANSLATE_NOOP("TrainingPanel", "model"), self.kind_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "preset"), self.preset_box)
        self.settings_group = QGroupBox(self)
        group_layout = QVBoxLayout(self.settings_group)
        group_layout.addWidget(self.settings)
        form.addRow(self.settings_group)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "ordering"), self.ordering_box)
        form.addRow("", self.conditional_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "pixels"), self.likelihood_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "levels K"), self.levels_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "components M"), self.components_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "data"), self.data_box)
        form.addRow("", self.data_busy)
        form.addRow(self.data_info)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "binarization"), self.binarize_box)
        form.addRow(self.pixels_info)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "augment"), self.augment_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "epochs"), self.epochs_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "batch size"), self.batch_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "learning rate"), self.lr_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "seed"), self.seed_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "max batches"), self.max_batches_box)
        row(QT_TRANSLATE_NOOP("TrainingPanel", "name"), self.name_edit)
        form_widget = QWidget(self)
        form_widget.setLayout(form)
        self.form_scroll = QScrollArea(self)
        self.form_scroll.setWidget(form_widget)
        self.form_scroll.setWidgetResizable(True)
        # the fields narrow and the texts wrap: never a sideways scroll
        self.form_scroll.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.form_scroll.setMinimumWidth(270)

    def _build_run_controls(self) -> None:
        self.start_button = push_button(self, "", "")
        self.start_button.setShortcut("Ctrl+Return")
        self.pause_button = push_button(self, "", "", checkable=True)
        self.stop_button = push_button(self, "", "")
        self.use_button = push_button(self, "", "")
        self.compare_button = push_button(self, "", "")
        self.progress = QProgressBar(self)
        self.speed_label = QLabel(self)
        self.speed_label.setWordWrap(True)
        #: Renders the run's line (where it is, how it ended) in the language
        #: of the moment.
        self._speed: Callable[[], str] = str
        #: The latest progress report of the current run, with its epochs.
        self._last_step: tuple[StepReported, int] | None = None

    def _build_plot(self) -> None:
        self.reference_axis = ReferenceAxis("right")
        self.plot = pg.PlotWidget(self, axisItems={"right": self.reference_axis})
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setMinimumSize(260, 200)
        view = self.plot.getPlotItem().getViewBox()
        view.disableAutoRange()
        self.units_box = QComboBox(self)
        self.units_box.addItems(["nats", "bits/dim"])
        self.reference_box = QCheckBox(self)
        self.reference_box.setChecked(True)
        self.log_box = QCheckBox(self)
        self.clear_runs_button = push_button(self, "", "")
        self.legend = FlowLegend(self)
        self.range_note = QLabel(self)
        self.range_note.setWordWrap(True)
        palette = self.range_note.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour("warn"))
        self.range_note.setPalette(palette)
        self.range_note.setVisible(False)
        self.samples = PixelGrid((28, 28), self)
        self.samples.show_grid = False
        self.samples.setMinimumSize(110, 110)
        self.samples_label = QLabel(self)
        self.samples_label.setWordWrap(True)
        #: The epoch the samples shown were drawn after (None: none yet).
        self._samples_epoch: int | None = None
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
        self.units_label = QLabel(self)
        units_row.addWidget(self.units_label)
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

    # -- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows in the current language.

        The state stays (the form's choices, the runs and their curves, the
        samples); the texts that depend on it are rendered from it again.
        """
        self.concept.set_texts(
            self.tr("Training by maximum likelihood"), self.tr(CONCEPT)
        )
        for label, text in self._form_labels:
            label.setText(self.tr(text))
        self.settings_group.setTitle(self.tr("settings"))
        self.kind_box.setToolTip(self.tr("The model to train"))
        for i in range(self.kind_box.count()):
            kind = str(self.kind_box.itemData(i))
            self.kind_box.setItemText(i, library_text(model_class(kind).title))
        self.preset_box.setToolTip(
            self.tr("A named size (the paper's, a small one, …)")
        )
        for i in range(self.preset_box.count()):
            self.preset_box.setItemText(
                i, library_text(str(self.preset_box.itemData(i)))
            )
        self.ordering_box.setToolTip(
            self.tr("Pixel ordering (the spatial models: raster only)")
        )
        for i in range(self.ordering_box.count()):
            self.ordering_box.setItemText(
                i, library_text(str(self.ordering_box.itemData(i)))
            )
        self.likelihood_box.setToolTip(
            self.tr(
                "What one pixel's conditional is: binary, K levels, or continuous "
                "(the model's kind lists what it supports)"
            )
        )
        for i in range(self.likelihood_box.count()):
            name = str(self.likelihood_box.itemData(i))
            self.likelihood_box.setItemText(
                i, self.tr(LIKELIHOOD_TITLES.get(name, name))
            )
            doc = (LIKELIHOODS[name].__doc__ or name).strip().splitlines()[0]
            self.likelihood_box.setItemData(
                i, self.tr(doc), Qt.ItemDataRole.ToolTipRole
            )
        self.levels_box.setToolTip(self.tr("K, the gray levels the data keeps"))
        self.components_box.setToolTip(self.tr("M, the components of the mixture"))
        self.conditional_box.setText(self.tr("class-conditional p(x | y)"))
        self.conditional_box.setToolTip(
            self.tr("Model each digit class: enables p(y | x)")
        )
        self.data_box.setToolTip(
            self.tr("Training data (validated on its valid or test split)")
        )
        for i, name in enumerate(OFFERED_DATA):
            self.data_box.setItemText(i, self.tr(name))
            self.data_box.setItemData(
                i, self.tr(BUILTIN_DATASETS[name]), Qt.ItemDataRole.ToolTipRole
            )
        self.data_box.setItemText(
            self.data_box.count() - 1, self.tr("Open a file or folder…")
        )
        self.data_busy.set_text(self.tr("reading the data …"))
        self.data_info.setToolTip(self.tr("What the chosen data holds"))
        self.binarize_box.setToolTip(
            self.tr(
                "threshold: fixed at ½; stochastic: sampled once (seeded); "
                "dynamic: resampled every epoch"
            )
        )
        for i in range(self.binarize_box.count()):
            mode = str(self.binarize_box.itemData(i))
            self.binarize_box.setItemText(i, self.tr(BINARIZE_TITLES.get(mode, mode)))
        self.augment_box.setText(self.tr("shift, rotate, scale, stroke"))
        self.augment_box.setToolTip(describe_augmentation(Augmentation()))
        self.epochs_box.setToolTip(self.tr("Passes over the training data"))
        self.batch_box.setToolTip(self.tr("Images per Adam step"))
        self.lr_box.setToolTip(self.tr("Peak Adam learning rate (cosine decay)"))
        self.seed_box.setToolTip(
            self.tr("Seeds weights, shuffling, augmentation and samples")
        )
        self.max_batches_box.setToolTip(self.tr("Batches per epoch (0: all)"))
        self.name_edit.setPlaceholderText(self.tr("automatic"))
        self.name_edit.setToolTip(
            self.tr("Name of the checkpoint in the model library")
        )
        # the run's controls
        self.start_button.setText(self.tr("Start"))
        self.start_button.setToolTip(self.tr("Start training (Ctrl+Return)"))
        self.pause_button.setToolTip(
            self.tr("Pause before the next batch; press again to resume")
        )
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(
            self.tr("Stop before the next batch (the last checkpoint stays)")
        )
        self.use_button.setText(self.tr("Use this model"))
        self.compare_button.setText(self.tr("Compare orderings…"))
        self.progress.setToolTip(self.tr("Progress of the whole run"))
        self.speed_label.setToolTip(
            self.tr("Where the run is, its speed and time left")
        )
        # the plot and its controls
        self.plot.setLabel("bottom", self.tr("epoch"))
        self.plot.setToolTip(
            self.tr(
                "Training loss (solid) and validation NLL (dashed, dots); "
                "drag or wheel to zoom, the A button fits the curves again"
            )
        )
        self.units_label.setText(self.tr("units"))
        self.units_box.setToolTip(self.tr("Per image in nats, or per pixel in bits"))
        self.reference_box.setText(self.tr("published results"))
        self.reference_box.setToolTip(
            self.tr(
                "Dashed lines at the papers' test NLLs on binarized MNIST, named at "
                "the right (the chosen model's line is darker)"
            )
        )
        self.log_box.setText(self.tr("log scale"))
        self.log_box.setToolTip(
            self.tr(
                "A logarithmic loss axis: shows a diverging run and the others at once"
            )
        )
        self.clear_runs_button.setText(self.tr("Clear old runs"))
        self.clear_runs_button.setToolTip(
            self.tr("Remove the curves of runs that have ended")
        )
        self.legend.setToolTip(
            self.tr("Each run's colour; solid: training loss, dashed: valid")
        )
        self.samples.setToolTip(self.tr("Samples after the latest epoch"))
        # the state's texts, rendered again
        self._show_pause()
        self._show_samples_label()
        self._show_pixels()
        self._show_data_info()
        self.speed_label.setText(self._speed())
        self._update_buttons()
        self._offer_orderings()
        self._draw_references()
        self.redraw()
        style_plot(self.plot)
        self._on_zoom()

    def _say(self, render: Callable[[], str]) -> None:
        """Show the run's line that ``render`` makes (again after a switch)."""
        self._speed = render
        self.speed_label.setText(render())

    def _show_pause(self) -> None:
        paused = self.pause_button.isChecked()
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))

    def _show_samples_label(self) -> None:
        epoch = self._samples_epoch
        self.samples_label.setText(
            self.tr("samples after each epoch")
            if epoch is None
            else self.tr("samples after epoch {epoch}").format(epoch=epoch)
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
            for preset in ["default", *cls.config_class.presets]:
                self.preset_box.addItem(library_text(preset), preset)
        self.settings.set_config_class(cls.config_class)
        self.ordering_box.clear()
        for ordering in cls.config_class.supported_orderings:
            if ordering != "custom":
                self.ordering_box.addItem(library_text(ordering), ordering)
        self._offer_orderings()
        self.lr_box.setValue(cls.default_lr)
        chosen = self.likelihood()
        with QSignalBlocker(self.likelihood_box):
            self.likelihood_box.clear()
            for name in cls.config_class.supported_likelihoods:
                title = LIKELIHOOD_TITLES.get(name, name)
                self.likelihood_box.addItem(self.tr(title), name)
                doc = (LIKELIHOODS[name].__doc__ or name).strip().splitlines()[0]
                self.likelihood_box.setItemData(
                    self.likelihood_box.count() - 1,
                    self.tr(doc),
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
        self._show_pixels()
        self._draw_references()
        self.redraw()

    def binarization(self) -> str:
        """The binarization chosen (``threshold``, ``stochastic`` or ``dynamic``)."""
        return str(self.binarize_box.currentData())

    def _show_pixels(self) -> None:
        """Say what the model is fed, for the likelihood and binarization chosen."""
        try:
            chosen = self.chosen_likelihood()
            text = describe_pixels(chosen, self.binarization())
            tip = explain_pixels(chosen)
        except ARExplorerError as exc:
            text = tip = self.tr("Setting problem: {problem}").format(problem=exc)
        self.pixels_info.setText(text)
        self.pixels_info.setToolTip(tip)

    def _on_preset_changed(self) -> None:
        name = self.preset_box.currentData()
        if not name:
            return
        name = str(name)
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
            self,
            self.tr("Training data"),
            "",
            self.tr("Images (*.npz *.npy);;All files (*)"),
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
        self.data_busy.set_busy(True, self.tr("reading the data …"))
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
        self._show_data_info()
        if self._start_pending:
            self._start_pending = False
            self.start()

    def _show_data_info(self) -> None:
        """Say what the chosen data holds, once it is read."""
        data = self._data.get(self.data_spec())
        if data is None:
            return
        h, w = data.train.image_shape
        valid = (
            self.tr("{count} held out").format(count=f"{len(data.valid):,}")
            if data.valid is not None
            else self.tr("no held-out split (no validation curve)")
        )
        grey = (
            self.tr("binary")
            if data.train.is_binary
            else self.tr("{levels} levels").format(levels=data.train.levels)
        )
        classes = data.train.num_classes
        labels = (
            self.tr("{classes} classes").format(classes=classes)
            if classes
            else self.tr("no labels")
        )
        text = self.tr("{count} to train, {valid}; {h}×{w}, {grey}, {labels}").format(
            count=f"{len(data.train):,}",
            valid=valid,
            h=h,
            w=w,
            grey=grey,
            labels=labels,
        )
        if data.note is not None:
            text = f"{text}.\n{data.note}."
        self.data_info.setText(text)

    def _on_data_failed(self, spec: str, exc: BaseException) -> None:
        message = (
            str(exc)
            if isinstance(exc, (ARExplorerError, OSError))
            else f"{Path(spec).name}: {type(exc).__name__}: {exc}"
        )
        self._start_pending = False
        self._set_running(self.is_running())
        QMessageBox.warning(self, self.tr("Cannot read the data"), message)
        self.status_message.emit(
            self.tr("cannot read the data: {problem}").format(problem=message)
        )
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
        box.setWindowTitle(self.tr("Name taken"))
        box.setText(
            self.tr("Your library already has a run called {name}.").format(name=typed)
        )
        box.setInformativeText(
            self.tr(
                "Replace it with this run ({files} will be overwritten as the run "
                "saves), or keep both and save this one as {free}?"
            ).format(files=", ".join(p.name for p in taken), free=free)
        )
        replace = box.addButton(
            self.tr("Replace"), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(self.tr("Keep both"), QMessageBox.ButtonRole.AcceptRole)
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
            {**self.settings.values(), "ordering": self.ordering()},
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
            binarization=Binarization(self.binarization(), 0.5, seed)
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
            self.status_message.emit(
                self.tr("training starts once {data} is read …").format(data=spec)
            )
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
                self.status_message.emit(
                    self.tr("training not started: the name is taken")
                )
                return False
            path = self.session.library.run_path(chosen)
            name = path.name
            self.session.library.user_dir.mkdir(parents=True, exist_ok=True)
        except (ARExplorerError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Cannot start training"), str(exc))
            self.status_message.emit(
                self.tr("cannot start training: {problem}").format(problem=exc)
            )
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
        # deleted once its worker has said its last word, never before
        channel.finished.connect(channel.deleteLater)
        self._following = True
        self._set_running(True)
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(False)
        self._show_pause()
        self.progress.setValue(0)
        self._last_step = None
        self._say(lambda: self.tr("starting {name} …").format(name=name))
        self._update_buttons()
        self.redraw()
        self.status_message.emit(
            self.tr("training {name} on {data}").format(name=name, data=spec)
        )
        return True

    def _offer_orderings(self) -> None:
        """Compare orderings is offered for a model that takes several orderings."""
        several = self.ordering_box.count() > 1
        self.compare_button.setEnabled(several)
        self.compare_button.setToolTip(
            self.tr(
                "Train this model and data under several orderings, one after "
                "another, and compare their validation NLL"
            )
            if several
            else self.tr(
                "This model is trained in raster order only: nothing to compare"
            )
        )
        if self.compare is not None and not self.compare.is_running():
            box = self.ordering_box
            self.compare.set_orderings(
                [str(box.itemData(i)) for i in range(box.count())]
            )

    def ordering(self) -> str:
        """The ordering chosen (its name, whatever the language)."""
        return str(self.ordering_box.currentData())

    def _study_form(self) -> StudyForm:
        """What Compare orderings trains: this form's run and data, and in words.

        Raises :class:`~models.errors.ARExplorerError` (a ``ConfigError``) when
        the data is not read yet or a setting is out of range.
        """
        spec = self.data_spec()
        data = self._data.get(spec)
        if data is None:
            raise ConfigError(
                self.tr("{data} is still being read; try again in a moment").format(
                    data=spec
                )
            )
        settings = self.form_settings()
        settings = dataclasses.replace(
            settings, train=dataclasses.replace(settings.train, num_samples=0)
        )
        shown = ", ".join(f"{k} {v}" for k, v in self.settings.values().items())
        train = settings.train
        values = {
            "title": Phrase(model_class(settings.kind).title),
            "shown": shown,
            "data": spec,
            "epochs": train.epochs,
            "batch": train.batch_size,
            "lr": f"{train.lr:g}",
            "seed": train.seed,
        }
        if train.max_batches_per_epoch:
            words = Phrase(
                QT_TRANSLATE_NOOP(
                    "CompareOrderingsDialog",
                    "{title} ({shown}) on {data}: {epochs} epochs, batch {batch}, "
                    "lr {lr}, seed {seed}, at most {most} batches per epoch.",
                ),
                most=train.max_batches_per_epoch,
                **values,
            )
        else:
            words = Phrase(
                QT_TRANSLATE_NOOP(
                    "CompareOrderingsDialog",
                    "{title} ({shown}) on {data}: {epochs} epochs, batch {batch}, "
                    "lr {lr}, seed {seed}.",
                ),
                **values,
            )
        return settings, data, words

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
        self._show_pause()
        if paused:
            self.control.pause()
            step, before = self._last_step, self._speed

            def where() -> str:
                line = before() if step is None else self._step_text(*step, eta=False)
                return line + self.tr(" · paused")

            self._say(where)
            self.status_message.emit(self.tr("paused before the next batch"))
        else:
            self.control.resume()
            self.status_message.emit(self.tr("training resumed"))

    def stop(self) -> None:
        """Ask the run to stop before its next batch."""
        if self._start_pending:
            self._start_pending = False
            self._set_running(self.is_running())
        if self.control is not None:
            self.control.stop()
            self._say(lambda: self.tr("stopping before the next batch …"))
            self.status_message.emit(self.tr("stopping before the next batch …"))

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
            run.end(
                "cancelled", QT_TRANSLATE_NOOP("TrainingPanel", "the window closed")
            )
        self._after_run(channel)  # the channel is deleted when its worker finishes
        return ended

    def _after_run(self, channel: Stream) -> None:
        if channel is not self._stream:
            return
        self._stream, self.control = None, None
        self._set_running(False)
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(False)
        self._show_pause()
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
        QMessageBox.warning(self, self.tr("Training failed"), message)
        self.status_message.emit(
            self.tr("training failed: {problem}").format(problem=message)
        )

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
                self._last_step = (event, run.epochs)
                self._say(functools.partial(self._step_text, event, run.epochs))
            self.redraw()
        elif isinstance(event, EpochEnded):
            self.redraw()
            valid = "—" if event.valid_nll is None else f"{event.valid_nll:.2f}"
            self.status_message.emit(
                self.tr("epoch {epoch}: train {train:.2f}, valid {valid} nats").format(
                    epoch=event.epoch, train=event.train_nll, valid=valid
                )
            )
        elif isinstance(event, SamplesDrawn):
            picture = image_grid(event.images, pad=1).astype(np.float64) / 255  # gray
            self.samples.set_image(picture, colours="gray", levels=(0, 1))
            self._samples_epoch = event.epoch
            self._show_samples_label()
        elif isinstance(event, CheckpointSaved):
            self.session.refresh()
            self._update_buttons()
        elif isinstance(event, RunEnded):
            if event.status == "finished":
                self.progress.setValue(self.progress.maximum())
            self._show_ended(run)
            status = self.tr(_STATUS_WORDS.get(event.status, event.status))
            self.status_message.emit(
                self.tr("training {status}: {reason}").format(
                    status=status, reason=self.tr(event.reason)
                )
                if event.reason
                else self.tr("training {status}").format(status=status)
            )
            self.run_ended.emit(event)

    def _step_text(self, event: StepReported, epochs: int, eta: bool = True) -> str:
        """Where the run is: epoch, batch, speed, loss (and time left)."""
        text = self.tr(
            "epoch {epoch} of {epochs} · batch {step} of {steps} · "
            "{speed} images/s · loss {loss:.2f} nats ({bits:.4f} bits/dim)"
        ).format(
            epoch=event.epoch,
            epochs=epochs,
            step=event.step,
            steps=event.steps_per_epoch,
            speed=f"{event.images_per_s:,.0f}",
            loss=event.loss_nats,
            bits=event.bits_per_dim,
        )
        if eta:
            text += self.tr(" · ETA {clock}").format(clock=_clock(event.eta_s))
        return text

    def _show_ended(self, run: RunRecord) -> None:
        """Say how the run ended, with no time left on screen."""
        self._say(functools.partial(self._ended_text, run))
        self._update_buttons()
        self.redraw()

    def _ended_text(self, run: RunRecord) -> str:
        words = {
            "finished": QT_TRANSLATE_NOOP("TrainingPanel", "finished"),
            "cancelled": QT_TRANSLATE_NOOP("TrainingPanel", "stopped"),
            "failed": QT_TRANSLATE_NOOP("TrainingPanel", "failed"),
        }
        epochs = len(run.valid) if run.valid else int(run.last_epoch())
        text = self.tr("{name}: {status} after {done} of {epochs} epochs").format(
            name=run.name,
            status=self.tr(words.get(run.status, run.status)),
            done=epochs,
            epochs=run.epochs,
        )
        if run.valid:
            text += self.tr(" · last validation NLL {nll:.2f} nats").format(
                nll=run.valid[-1][1]
            )
        if run.reason and run.status != "finished":
            text += f" ({self.tr(run.reason)})"
        return text

    def use_latest(self) -> bool:
        """Make the current run's latest checkpoint the current model.

        Returns False when the current run has not written one yet.
        """
        run = self.history.current
        if run is None or run.checkpoint is None:
            return False
        self.session.select_in_background(run.checkpoint)
        self.status_message.emit(
            self.tr("using {name}").format(name=run.checkpoint.name)
        )
        return True

    def _update_buttons(self) -> None:
        run = self.history.current
        has_checkpoint = run is not None and run.checkpoint is not None
        self.use_button.setEnabled(has_checkpoint)
        self.use_button.setToolTip(
            self.tr("Make {name}'s latest checkpoint the current model").format(
                name=run.name
            )
            if has_checkpoint and run is not None
            else self.tr("Available once this run has saved its first epoch")
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
            "left",
            self.tr("NLL (nats per image)")
            if unit == "nats"
            else self.tr("NLL (bits/dim)"),
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
            self.tr("{name} (up to {top} {unit})").format(
                name=self.history.runs[i].name, top=f"{top:,.0f}", unit=unit
            )
            for i, top in fit.off_scale
        ]
        self.range_note.setText(
            self.tr(
                "Off the top, so the other runs stay readable: {runs}. "
                "Tick log scale to see every value."
            ).format(runs=", ".join(off))
            if off
            else ""
        )
        self.range_note.setVisible(bool(off))
        if self._following:
            last = max([r.last_epoch() for r in self.history.runs] + [0.0])
            self.plot.setXRange(*nice_epoch_range(last), padding=0)
            self.plot.setYRange(fit.low, fit.high, padding=0)

    def _draw_legend(self) -> None:
        words = {
            "finished": "",
            "cancelled": self.tr(" (stopped)"),
            "failed": self.tr(" (failed)"),
        }
        running = self.tr(" (running)")
        entries = [
            LegendEntry(
                run.name + words.get(run.status, running),
                SERIES[run.colour_index % len(SERIES)],
            )
            for run in self.history.runs
        ]
        entries += [
            LegendEntry(self.tr("training loss"), PALETTE["muted"]),
            LegendEntry(
                self.tr("validation NLL (each epoch)"),
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
                self.tr("{model}: {nll:.2f} nats ({source})").format(
                    model=library_text(result.model),
                    nll=result.nll_nats,
                    source=library_text(result.source),
                )
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
            self.tr("Published test NLLs on binarized MNIST: {results}").format(
                results="; ".join(
                    self.tr("{model}, {source}: {nll:.2f} nats").format(
                        model=library_text(r.model),
                        source=library_text(r.source),
                        nll=r.nll_nats,
                    )
                    for r in PUBLISHED.values()
                )
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


def _narrow(box: QComboBox) -> None:
    """Let ``box`` be narrower than its longest entry, so the form fits."""
    box.setSizeAdjustPolicy(
        QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
    )
    box.setMinimumContentsLength(8)


def _short_name(model: str) -> str:
    """The model's name without its size ("NADE, 500 units" → "NADE")."""
    return model.split(",")[0].replace("Diagonal ", "Diag. ")


def _clock(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "—"
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
