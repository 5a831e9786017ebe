"""Panel 5 — draw and score.

Draw a digit; the current model scores it live: log p(x) in nats and bits per
dimension, the surprise −log p(x_i | x_<i) of every pixel (of a density, for a
model of continuous pixels), where the score falls
among held-out digits, whether the drawing is a *typical* digit at all, and —
from a class-conditional model — p(y | x) by Bayes' rule. The drawing is first
normalised as MNIST digits were (:mod:`models.drawing`); the numbers come from
:func:`models.drawing.score_canvas` and the verdict from
:func:`models.typicality.assess`. All scoring runs in the background, the
newest drawing's result only. For a model of gray levels the brush is soft
(gray edges, an ink strength) and the drawing is scored in gray; a binary
model keeps the hard brush and its binary digits.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.theme import PALETTE, SPACING, style_label, style_plot
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.canvas import DrawingCanvas
from desktop_app.widgets.colour_bar import ColourBar
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.pixel_grid import PixelGrid
from desktop_app.words import library_text
from desktop_app.workers import LatestOnly
from models.checkpoint import Checkpoint
from models.data import Binarization, ImageSet, load_split
from models.drawing import CanvasScore, score_canvas
from models.errors import ARExplorerError
from models.likelihoods import PixelLikelihood
from models.text import QT_TRANSLATE_NOOP
from models.typicality import HELD_OUT as REFERENCE_SOURCE
from models.typicality import Assessment, Reference, Verdict, assess, build_reference

__all__ = ["HELD_OUT", "CanvasPanel"]

CONCEPT = QT_TRANSLATE_NOOP(
    "CanvasPanel",
    """
<p>An autoregressive model gives every image an exact probability,
log p(x) = Σ<sub>i</sub> log p(x<sub>i</sub> | x<sub>&lt;i</sub>), so it can
<b>score</b> a drawing. Each term is a pixel's <b>surprise</b>
−log p(x<sub>i</sub> | x<sub>&lt;i</sub>): bright where the model did not expect
what you drew. For a model of continuous pixels it is −log of a
<i>density</i>, which is negative where the density exceeds 1. A model of gray
levels gets a soft brush. A <b>class-conditional</b> model p(x | y) also
<b>classifies</b> by Bayes' rule: p(y | x) ∝ p(x | y) p(y).</p>
<p><b>Likelihood is not typicality.</b> The most probable image is an almost
empty one, yet no digit looks like that: real digits' −log p(x) cluster around
the entropy (the <i>typical set</i>), not at the minimum, and density models can
even score another kind of picture higher than their own data (Nalisnick et al.
2019, <i>Do Deep Generative Models Know What They Don't Know?</i>). So the
drawing is checked against held-out digits in both directions.</p>""",
)

#: The digits a drawing is compared with (the canvas models' validation split).
HELD_OUT = ("mnist-5k", "test")

#: Verdict colours: what needs a second look, and what does not.
_VERDICT_COLOUR = {
    Verdict.TYPICAL: "good",
    Verdict.PENDING: "muted",
    Verdict.NOTHING: "muted",
    Verdict.TOO_LIKELY: "alarm",
    Verdict.TOO_SMALL: "warn",
    Verdict.UNLIKE: "alarm",
}

SURPRISE_CAPTION = QT_TRANSLATE_NOOP(
    "CanvasPanel", "<b>surprise −log p(x<sub>i</sub> | x<sub>&lt;i</sub>)</b>"
)
DENSITY_CAPTION = QT_TRANSLATE_NOOP(
    "CanvasPanel",
    "<b>surprise −log p(x<sub>i</sub> | x<sub>&lt;i</sub>)</b>, "
    "p a density: below 0 where it exceeds 1",
)
NOT_MEANINGFUL = QT_TRANSLATE_NOOP(
    "CanvasPanel",
    "This is not a typical digit; the class probabilities are not meaningful.",
)
NEEDS_CONDITIONAL = QT_TRANSLATE_NOOP(
    "CanvasPanel",
    "p(y | x) needs a class-conditional model — choose one in the library "
    "(trained with --conditional).",
)
#: Messages in place of a score: a marked template and its values.
SCORING = QT_TRANSLATE_NOOP("CanvasPanel", "scoring …")
SCORING_BLANK = QT_TRANSLATE_NOOP("CanvasPanel", "scoring the blank canvas …")
NO_MODEL = QT_TRANSLATE_NOOP(
    "CanvasPanel", "No model: pick one in the library, or train one."
)
WRONG_SIZE = QT_TRANSLATE_NOOP(
    "CanvasPanel", "This model is for {h}×{w} images; the canvas is 28×28."
)
SCORING_MODEL = QT_TRANSLATE_NOOP("CanvasPanel", "scoring with this model …")
SCORING_DRAWING = QT_TRANSLATE_NOOP("CanvasPanel", "scoring the drawing …")
SCORING_HELD_OUT = QT_TRANSLATE_NOOP("CanvasPanel", "scoring {count} held-out digits …")

#: A text to show: a template marked for translation and the values it takes.
Text = tuple[str, dict[str, object]]


def _translate(text: Text) -> str:
    """A :data:`Text` in the window's language."""
    template, values = text
    if not template:
        return ""
    return QCoreApplication.translate("CanvasPanel", template).format(**values)


def _hex(name: str) -> str:
    r, g, b = PALETTE[name]
    return f"#{r:02x}{g:02x}{b:02x}"


class CanvasPanel(FollowsLanguage, QWidget):
    """A drawing canvas scored live by the current model.

    Signals
    -------
    status_message(str)
        A line for the status bar.
    scored(object)
        A :class:`~models.drawing.CanvasScore`, once the panel shows it.
    reference_ready(object)
        The held-out digits' :class:`~models.typicality.Reference` arrived.
    """

    status_message = Signal(str)
    scored = Signal(object)
    reference_ready = Signal(object)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox("Draw, and let the model score it", CONCEPT, self)
        self._message: Text = ("", {})  # shown in place of a score
        self._build_drawing_side()
        self._build_score_side()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.drawing_side)
        scroll = QScrollArea(self)  # at a large zoom the numbers scroll, not overlap
        scroll.setWidget(self.score_side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter.addWidget(scroll)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1100, 900])  # in proportion, whatever the width
        self.splitter = splitter
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addWidget(splitter, 1)

        self.score: CanvasScore | None = None
        self.assessment: Assessment | None = None
        self.reference: Reference | None = None
        self.score_ms = 0.0
        self._score_key: tuple[int, bool] | None = None
        self._references: dict[tuple[int, bool], Reference] = {}
        self._bar_item: pg.BarGraphItem | None = None
        self._held_out_data: ImageSet | None = None
        # the held-out digits as binary or gray float images, made once each:
        # every model switch asks for them on the GUI thread
        self._held_out_images: dict[bool, NDArray[np.float64]] = {}
        self._loaded: tuple[str, NDArray[np.float64]] | None = None  # name, image
        self._rng = np.random.default_rng(0)
        self._background = LatestOnly(self)  # held-out digits
        self._scorer = LatestOnly(self)  # the drawing
        self._dirty = False  # the drawing changed while a score was running
        self._pending = QTimer(self)  # coalesce scoring: at most one per 30 ms
        self._pending.setSingleShot(True)
        self._pending.setInterval(30)
        self._pending.timeout.connect(self._request_score)
        self._busy_delay = QTimer(self)  # quick live scores show no busy sign
        self._busy_delay.setSingleShot(True)
        self._busy_delay.setInterval(150)
        self._busy_delay.timeout.connect(self._show_scoring_busy)
        self._busy_texts: dict[str, Text] = {"held_out": ("", {}), "drawing": ("", {})}
        self._background.busy_changed.connect(lambda _: self._update_busy())
        self._scorer.busy_changed.connect(self._on_scorer_busy)

        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "size": self.size_box,
            "ink": self.ink_box,
            "overlay": self.overlay_box,
            "normalize": self.normalize_box,
        }
        self.brush.toggled.connect(self._on_tool_changed)
        self.overlay_box.toggled.connect(self._on_overlay_toggled)
        self.normalize_box.toggled.connect(self._on_normalize_toggled)
        self.size_box.valueChanged.connect(self._on_tool_changed)
        self.ink_box.valueChanged.connect(self._on_tool_changed)
        self.undo_button.clicked.connect(lambda: self.undo())
        self.clear_button.clicked.connect(lambda: self.clear())
        self.load_button.clicked.connect(lambda: self.load_digit())
        self.canvas.drawing_changed.connect(self._on_drawing_changed)
        self.canvas.stroke_finished.connect(self._on_stroke_finished)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self.clear)
        session.model_changed.connect(self.set_model)
        self.set_model(session.checkpoint)
        self.retranslate()

    # -- language ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows, in the current language."""
        self.concept.button.setText(self.tr("Draw, and let the model score it"))
        self.concept.text.setText(self.tr(CONCEPT))
        self.canvas.setToolTip(
            self.tr(
                "Draw with the left button, erase with the right; Ctrl+Z undoes a "
                "stroke"
            )
        )
        self.model_view.setToolTip(
            self.tr(
                "What the model is shown: the drawing normalised as MNIST digits are"
            )
        )
        self.colour_bar.setToolTip(self.tr("The surprise map's colours, in nats"))
        self.brush.setText(self.tr("brush"))
        self.eraser.setText(self.tr("eraser"))
        self.eraser.setToolTip(self.tr("Erase with the left button too"))
        self.size_box.setToolTip(self.tr("Brush radius in pixels (0: a single pixel)"))
        self.ink_box.setToolTip(
            self.tr(
                "How white the soft brush paints at its centre (models of gray levels)"
            )
        )
        self.overlay_box.setText(self.tr("surprise under the ink"))
        self.overlay_box.setToolTip(
            self.tr("Show the surprise map on the canvas itself, the ink outlined")
        )
        self.normalize_box.setText(self.tr("normalise like MNIST"))
        self.normalize_box.setToolTip(
            self.tr(
                "Before scoring, fit the drawing's bounding box into 20×20 pixels, "
                "centre its centre of mass in 28×28 and match MNIST's stroke width, "
                "as the MNIST digits were made"
            )
        )
        self.undo_button.setText(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Undo the last stroke (Ctrl+Z)"))
        self.clear_button.setText(self.tr("Clear"))
        self.clear_button.setToolTip(self.tr("Erase the whole drawing (Delete)"))
        any_digit = self.tr("any")
        self.digit_box.setSpecialValueText(any_digit)
        self.digit_box.setMinimumWidth(  # the special text, whatever its language
            self.digit_box.fontMetrics().horizontalAdvance(any_digit + "00") + 30
        )
        self.digit_box.setToolTip(self.tr("Which digit to load (any: a random one)"))
        self.load_button.setText(self.tr("Load a real digit"))
        self.load_button.setToolTip(
            self.tr("Start from a held-out digit of {data} ({split} split)").format(
                data=HELD_OUT[0], split=HELD_OUT[1]
            )
        )
        self.loaded_label.setToolTip(self.tr("The label of the digit that was loaded"))
        self.drawing_title.setText(self.tr("<b>your drawing</b>"))
        self.model_title.setText(self.tr("<b>what the model sees</b>"))
        self.size_label.setText(self.tr("size"))
        self.ink_label.setText(self.tr("ink"))
        self.digit_label.setText(self.tr("digit"))
        self.percentile_label.setToolTip(
            self.tr(
                "Where the drawing's log p(x) falls among held-out digits the model "
                "never trained on, prepared the same way as the drawing"
            )
        )
        self.verdict_label.setToolTip(
            self.tr(
                "Is it a typical digit? log p(x), the amount of ink and its "
                "thickness, each tested two-sided against the held-out digits "
                "(1% level)"
            )
        )
        self.histogram.setLabel("bottom", self.tr("log p(x) of held-out digits (nats)"))
        self.histogram.setLabel("left", self.tr("digits"))
        self.bars.setLabel("bottom", self.tr("class y"))
        self.bars.setToolTip(
            self.tr("p(y | x) by Bayes' rule from the class-conditional model")
        )
        self._show_model_texts()
        self._update_busy()
        self._show_loaded()
        self._draw_reference()
        if self.score is None:
            self.score_label.setText(_translate(self._message))
            self.score_label.setToolTip(
                self.tr(
                    "Exact log-likelihood of what the model sees, and the same in "
                    "bits per pixel: −log₂ p(x) / 784"
                )
            )
            if self._bar_item is None and self._needs_conditional():
                self.bars_note.setText(self.tr(NEEDS_CONDITIONAL))
        else:
            self._show_score()

    def _needs_conditional(self) -> bool:
        """Whether the current model scores the canvas but has no classes."""
        model = self._usable_model()
        return model is not None and not model.num_classes

    def _show_model_texts(self) -> None:
        """The texts that depend on the model: the brush, the surprise map."""
        gray = self.gray()
        self.brush.setToolTip(
            self.tr(
                "Paint ink (left button): a soft brush, white at its centre and "
                "gray at its edge, for this model of gray levels"
            )
            if gray
            else self.tr("Paint ink (left button)")
        )
        continuous = self._continuous()
        self.surprise_caption.setText(
            self.tr(DENSITY_CAPTION if continuous else SURPRISE_CAPTION)
        )
        self.surprise_grid.setToolTip(
            self.tr("−log p(x_i | x_<i) at every pixel of your drawing (nats)")
            if not continuous
            else self.tr(
                "−log p(x_i | x_<i) at every pixel of your drawing (nats), "
                "p a density on [0, 1]"
            )
        )

    # -- building ----------------------------------------------------------------------

    def _build_drawing_side(self) -> None:
        side = QWidget(self)
        self.drawing_side = side
        self.canvas = DrawingCanvas((28, 28), side)
        self.canvas.tooltip_text = self._describe
        self.model_view = PixelGrid((28, 28), side)
        self.model_view.show_grid = False
        self.model_view.setMinimumSize(90, 90)
        self.model_view.tooltip_text = self._describe_model_view
        self.surprise_grid = PixelGrid((28, 28), side)
        self.surprise_grid.show_grid = False
        self.surprise_grid.setMinimumSize(90, 90)
        self.surprise_grid.tooltip_text = self._describe
        self.colour_bar = ColourBar("inferno", "nats", side)

        self.brush = QRadioButton(side)
        self.eraser = QRadioButton(side)
        self.brush.setChecked(True)
        tools = QButtonGroup(side)
        tools.addButton(self.brush)
        tools.addButton(self.eraser)
        self.size_box = QSpinBox(side)
        self.size_box.setRange(0, 3)
        self.size_box.setValue(1)
        self.ink_box = QSpinBox(side)
        self.ink_box.setRange(10, 100)
        self.ink_box.setSingleStep(10)
        self.ink_box.setValue(100)
        self.ink_box.setSuffix(" %")
        self.ink_box.setEnabled(False)
        self.overlay_box = QCheckBox(side)
        self.normalize_box = QCheckBox(side)
        self.normalize_box.setChecked(True)
        self.undo_button = push_button(side, "", "")
        self.undo_button.setEnabled(False)  # nothing drawn yet
        self.clear_button = push_button(side, "", "")
        self.digit_box = QSpinBox(side)
        self.digit_box.setRange(-1, 9)
        self.digit_box.setSpecialValueText(" ")  # named in retranslate
        self.digit_box.setValue(-1)
        self.load_button = push_button(side, "", "")
        self.loaded_label = QLabel(side)
        self.drawing_title = QLabel(side)
        self.model_title = QLabel(side)
        self.size_label = QLabel(side)
        self.ink_label = QLabel(side)
        self.digit_label = QLabel(side)

        def row(*widgets: QWidget) -> QHBoxLayout:
            line = QHBoxLayout()
            line.setSpacing(SPACING)
            for widget in widgets:
                line.addWidget(widget)
            line.addStretch(1)
            return line

        self.surprise_caption = QLabel(side)
        self.surprise_caption.setWordWrap(True)  # never widens its column
        grids = QGridLayout()
        grids.setSpacing(SPACING)
        grids.addWidget(self.drawing_title, 0, 0)
        grids.addWidget(self.canvas, 1, 0, 3, 1)
        grids.addWidget(self.model_title, 0, 1, 1, 2)
        grids.addWidget(self.model_view, 1, 1)
        grids.addWidget(self.surprise_caption, 2, 1, 1, 2)
        grids.addWidget(self.surprise_grid, 3, 1)
        grids.addWidget(self.colour_bar, 3, 2)
        grids.setColumnStretch(0, 5)
        grids.setColumnStretch(1, 3)
        grids.setRowStretch(1, 1)
        grids.setRowStretch(3, 1)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(
            row(
                self.brush,
                self.eraser,
                self.size_label,
                self.size_box,
                self.ink_label,
                self.ink_box,
                self.overlay_box,
            )
        )
        layout.addLayout(
            row(
                self.undo_button,
                self.clear_button,
                self.digit_label,
                self.digit_box,
                self.load_button,
            )
        )
        layout.addLayout(row(self.normalize_box, self.loaded_label))
        layout.addLayout(grids, 1)

    def _build_score_side(self) -> None:
        side = QWidget(self)
        self.score_side = side
        self.score_label = QLabel(side)
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.score_label.setWordWrap(True)
        style_label(self.score_label, 1.35)
        self.busy = BusyIndicator("", side)
        self.busy.label.setWordWrap(True)  # never wider than the column
        self.percentile_label = QLabel(side)
        self.percentile_label.setWordWrap(True)
        self.verdict_label = QLabel(side)
        self.verdict_label.setWordWrap(True)
        style_label(self.verdict_label, 1.15, bold=True)
        self.reasons_label = QLabel(side)
        self.reasons_label.setWordWrap(True)

        self.histogram = pg.PlotWidget(side)
        self.histogram.setLabel("bottom", " ")  # named in retranslate
        self.histogram.setLabel("left", " ")
        self.histogram.setMinimumHeight(90)
        self.histogram.setMenuEnabled(False)
        self.histogram.setMouseEnabled(x=False, y=False)
        style_plot(self.histogram)
        self.typical_band = pg.LinearRegionItem(
            movable=False,
            brush=pg.mkBrush(*PALETTE["good"], 45),
            pen=pg.mkPen(*PALETTE["good"], 60),
        )
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(PALETTE["alarm"], width=2))
        self.histogram_curve = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            brush=pg.mkBrush(*PALETTE["accent_light"], 160),
            pen=pg.mkPen(PALETTE["accent"]),
        )
        for item in (self.typical_band, self.histogram_curve, self.marker):
            self.histogram.addItem(item)
        self.typical_band.setVisible(False)
        self.marker.setVisible(False)

        self.bars = pg.PlotWidget(side)
        self.bars.setLabel("bottom", " ")
        self.bars.setLabel("left", "p(y | x)")
        self.bars.setYRange(0, 1)
        self.bars.setXRange(-0.6, 9.6)
        self.bars.setMinimumHeight(80)
        self.bars.setMenuEnabled(False)
        self.bars.setMouseEnabled(x=False, y=False)
        self.bars.getPlotItem().getAxis("bottom").setTicks(
            [[(c, str(c)) for c in range(10)]]
        )
        style_plot(self.bars)
        self.bars_note = QLabel(side)
        self.bars_note.setWordWrap(True)

        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(self.score_label)
        layout.addWidget(self.busy)
        layout.addWidget(self.percentile_label)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.reasons_label)
        layout.addWidget(self.histogram, 3)
        layout.addWidget(self.bars_note)  # the caution, above the bars it is about
        layout.addWidget(self.bars, 2)
        for label in (self.percentile_label, self.reasons_label, self.bars_note):
            label.setSizePolicy(
                QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum
            )

    # -- model and data ----------------------------------------------------------------

    def _model_key(self, normalize: bool | None = None) -> tuple[int, bool] | None:
        checkpoint = self.session.checkpoint
        if checkpoint is None:
            return None
        if normalize is None:
            normalize = self.normalize_box.isChecked()
        return id(checkpoint.model), normalize

    def _usable_model(self) -> Any:
        """The current model if it can score the canvas, else None."""
        checkpoint = self.session.checkpoint
        if checkpoint is None or checkpoint.model.image_shape != self.canvas.shape:
            return None
        return checkpoint.model

    def _likelihood(self) -> PixelLikelihood | None:
        checkpoint = self.session.checkpoint
        return None if checkpoint is None else checkpoint.model.likelihood

    def gray(self) -> bool:
        """Whether the current model's pixels are gray (not binary)."""
        likelihood = self._likelihood()
        return likelihood is not None and likelihood.levels > 2

    def _continuous(self) -> bool:
        likelihood = self._likelihood()
        return likelihood is not None and not likelihood.discrete

    def set_model(self, checkpoint: Checkpoint | None) -> None:
        """Score with a new model; its held-out scores come in the background."""
        self._dirty = False
        self._pending.stop()
        self._background.cancel()
        self._scorer.cancel()
        self._references.clear()
        self.reference = None
        gray = self.gray()
        self.canvas.soft = gray
        self.ink_box.setEnabled(gray)
        self._show_model_texts()
        self._clear_results()
        self._draw_reference()
        if checkpoint is None:
            self._show_message(NO_MODEL)
            return
        if checkpoint.model.image_shape != self.canvas.shape:
            h, w = checkpoint.model.image_shape
            self._show_message(WRONG_SIZE, h=h, w=w)
            return
        if not checkpoint.model.num_classes:
            self.bars_note.setText(self.tr(NEEDS_CONDITIONAL))
        self._request_reference()
        self._request_score(first=True)

    def _held_out(self) -> ImageSet | None:
        if self._held_out_data is None:
            try:
                self._held_out_data = load_split(*HELD_OUT)
            except ARExplorerError as exc:
                self.status_message.emit(str(exc))
                return None
        return self._held_out_data

    def _digits(self, data: ImageSet) -> NDArray[np.float64]:
        """The held-out digits as the model knows digits: binary, or gray."""
        gray = self.gray() and not data.is_binary
        if gray not in self._held_out_images:
            if gray:
                images = data.images / (data.levels - 1)
            else:
                images = Binarization("threshold").apply(data).astype(np.float64)
            images.flags.writeable = False  # shared by every model's request
            self._held_out_images[gray] = images
        return self._held_out_images[gray]

    def _request_reference(self) -> None:
        """The held-out digits for this model and preparation, scored once."""
        model = self._usable_model()
        key = self._model_key()
        if model is None or key is None:
            return
        if key in self._references:
            self._on_reference(key, self._references[key])
            return
        data = self._held_out()
        if data is None:
            return
        images = self._digits(data)
        normalize = key[1]
        source = REFERENCE_SOURCE  # a word of the library
        self._busy_texts["held_out"] = (SCORING_HELD_OUT, {"count": len(images)})
        self._background.submit(
            lambda stale: build_reference(
                model, images, normalize=normalize, source=source, stop=stale
            ),
            lambda reference: self._on_reference(key, reference),
            lambda exc: self.status_message.emit(
                self.tr("held-out scores failed: {error}").format(error=exc)
            ),
        )

    def _on_reference(self, key: tuple[int, bool], reference: Reference) -> None:
        self._references[key] = reference
        if key != self._model_key():
            return
        self.reference = reference
        self._draw_reference()
        self._assess()
        self._show_score()
        self.reference_ready.emit(reference)

    @property
    def held_out(self) -> NDArray[np.float64] | None:
        """The held-out digits' log p(x) under the current model (nats)."""
        return None if self.reference is None else self.reference.log_probs

    def load_digit(self, digit: int | None = None) -> int | None:
        """Put a held-out digit on the canvas (of class ``digit``, or the box's).

        Returns the label of the digit loaded (None for unlabelled data).
        """
        data = self._held_out()
        if data is None:
            return None
        wanted = self.digit_box.value() if digit is None else digit
        rows = np.arange(len(data))
        if wanted >= 0 and data.labels is not None:
            rows = rows[data.labels == wanted]
        row = int(self._rng.choice(rows))
        image = self._digits(data)[row].copy()  # the canvas draws on it
        label = None if data.labels is None else int(data.labels[row])
        self._loaded = ("?" if label is None else str(label), image)
        self.canvas.set_drawing(image)
        self._share_drawing()
        return label

    def undo(self) -> bool:
        """Undo the last stroke and share the result; False when there is none."""
        undone = self.canvas.undo()
        if undone:
            self._share_drawing()
        return undone

    def clear(self) -> None:
        """Erase the drawing (undoable); the old numbers go at once."""
        self._loaded = None
        self.canvas.clear()
        self._share_drawing()
        if self._usable_model() is not None:
            self._clear_results(SCORING_BLANK)

    # -- scoring -----------------------------------------------------------------------

    def _on_tool_changed(self) -> None:
        self.canvas.erasing = self.eraser.isChecked()
        self.canvas.brush_radius = self.size_box.value()
        self.canvas.ink = self.ink_box.value() / 100

    def _on_overlay_toggled(self, shown: bool) -> None:
        if not shown:
            self.canvas.set_backdrop(None)
        else:
            self._show_score()

    def _on_normalize_toggled(self) -> None:
        if self._usable_model() is None:
            return
        self.reference = None
        self._clear_results(SCORING)
        self._draw_reference()
        self._request_reference()
        self._request_score(first=True)

    def _on_drawing_changed(self) -> None:
        self.undo_button.setEnabled(self.canvas.can_undo())
        self._show_loaded()
        if not self._pending.isActive():
            self._pending.start()

    def _show_loaded(self) -> None:
        """Name the held-out digit on the canvas, and say if it was edited."""
        if self._loaded is None:
            self.loaded_label.setText("")
            return
        name, image = self._loaded
        edited = not np.array_equal(self.canvas.drawing(), image)
        self.loaded_label.setText(
            self.tr("held-out digit: {name} (edited)").format(name=name)
            if edited
            else self.tr("held-out digit: {name}").format(name=name)
        )

    def _on_stroke_finished(self) -> None:
        self._share_drawing()

    def _share_drawing(self) -> None:
        self.session.set_drawing(self.canvas.drawing())

    def _request_score(self, first: bool = False) -> None:
        """Score the drawing in the background (the newest drawing wins)."""
        model = self._usable_model()
        key = self._model_key()
        if model is None or key is None:
            return
        if self._scorer.is_busy() and not first:
            self._dirty = True  # scored again when the running job ends
            return
        self._dirty = False
        drawing = self.canvas.drawing()
        normalize = key[1]

        def job(stale: Any) -> tuple[CanvasScore, float]:
            start = time.perf_counter()
            score = score_canvas(model, drawing, normalize=normalize)
            return score, 1000 * (time.perf_counter() - start)

        self._scorer.submit(
            job,
            lambda result: self._on_scored(key, *result),
            lambda exc: self.status_message.emit(
                self.tr("scoring failed: {error}").format(error=exc)
            ),
        )
        if first:  # a model's first scoring can be slow: say so at once
            self._busy_texts["drawing"] = (SCORING_MODEL, {})
            self._update_busy()

    def _on_scorer_busy(self, busy: bool) -> None:
        if busy:
            self._busy_delay.start()
            return
        self._busy_delay.stop()
        self._busy_texts["drawing"] = ("", {})
        self._update_busy()
        if self._dirty:
            self._request_score()

    def _show_scoring_busy(self) -> None:
        """A live score is taking long enough to be noticed."""
        if self._scorer.is_busy():
            self._busy_texts["drawing"] = (SCORING_DRAWING, {})
            self._update_busy()

    def _update_busy(self) -> None:
        """One busy sign for both jobs: the held-out digits, then the drawing."""
        held_out = self._background.is_busy() and _translate(
            self._busy_texts["held_out"]
        )
        drawing = self._scorer.is_busy() and _translate(self._busy_texts["drawing"])
        text = held_out or drawing
        self.busy.set_busy(bool(text), text or None)

    def _on_scored(self, key: tuple[int, bool], score: CanvasScore, ms: float) -> None:
        if key != self._model_key():
            return
        self._accept(key, score, ms)

    def _accept(self, key: tuple[int, bool], score: CanvasScore, ms: float) -> None:
        self.score = score
        self.score_ms = ms
        self._score_key = key
        self._assess()
        self._show_score()
        self.scored.emit(score)

    def rescore(self) -> CanvasScore | None:
        """Score the drawing now, on this thread, and show it (scripts, benchmarks).

        The panel itself scores in the background as the user draws; this
        drops any background result still on its way.
        """
        model = self._usable_model()
        key = self._model_key()
        if model is None or key is None:
            return None
        self._pending.stop()
        self._dirty = False  # before cancel: its busy signal must not rescore
        self._scorer.cancel()
        start = time.perf_counter()
        try:
            score = score_canvas(
                model, self.canvas.drawing(), normalize=self.normalize_box.isChecked()
            )
        except ARExplorerError as exc:
            self.status_message.emit(str(exc))
            return None
        self._accept(key, score, 1000 * (time.perf_counter() - start))
        return score

    def is_busy(self) -> bool:
        """Whether a score or the held-out digits are still being computed."""
        return (
            self._scorer.is_busy() or self._background.is_busy() or self._dirty
        ) or self._pending.isActive()

    def percentile(self) -> float | None:
        """Share of held-out digits this drawing scores higher than (0–100)."""
        if self.assessment is None:
            return None
        return self.assessment.share_less_likely

    def _assess(self) -> None:
        score = self.score
        if score is None:
            self.assessment = None
            return
        reference = self.reference if self._score_key == self._model_key() else None
        self.assessment = assess(
            score.log_prob,
            score.model_view,
            reference,
            empty=score.empty,
            extent=score.prepared.extent,
        )

    # -- showing -----------------------------------------------------------------------

    def _show_message(self, template: str, **values: object) -> None:
        """Say ``template`` (marked for translation) in place of a score."""
        self._message = (template, values)
        self.score_label.setText(_translate(self._message))

    def _clear_results(self, message: str = "") -> None:
        """Take every number of the previous drawing or model off the screen.

        ``message``, a marked template, is shown in place of the score.
        """
        self.score = None
        self.assessment = None
        self._score_key = None
        self._show_message(message)
        self.percentile_label.setText("")
        self.verdict_label.setText("")
        self.reasons_label.setText("")
        self.bars_note.setText("")
        self.marker.setVisible(False)
        if self._bar_item is not None:
            self.bars.removeItem(self._bar_item)
            self._bar_item = None
        self.surprise_grid.set_image(np.zeros(self.canvas.shape), colours="inferno")
        self.model_view.set_image(np.zeros(self.canvas.shape), colours="gray")
        self.colour_bar.set_levels(0.0, 1.0)
        if self.overlay_box.isChecked():
            self.canvas.set_backdrop(None)

    def _draw_reference(self) -> None:
        reference = self.reference
        if reference is None:
            self.histogram_curve.setData([], [])
            self.typical_band.setVisible(False)
            self.histogram.setToolTip(
                self.tr(
                    "Where this drawing's score (red line) falls among real digits; "
                    "the green band holds 99% of them: the typical range"
                )
            )
            return
        counts, edges = np.histogram(reference.log_probs, bins=40)
        self.histogram_curve.setData(edges, counts)
        self.typical_band.setRegion(reference.typical_range())
        self.typical_band.setVisible(True)
        source = library_text(reference.source)
        self.histogram.setToolTip(
            self.tr(
                "log p(x) of {count} {source}, normalised as the drawing is. Red "
                "line: this drawing; green band: where 99% of the digits fall, the "
                "typical range"
            ).format(count=reference.count, source=source)
            if self.normalize_box.isChecked()
            else self.tr(
                "log p(x) of {count} {source}, as they are, as the drawing is. Red "
                "line: this drawing; green band: where 99% of the digits fall, the "
                "typical range"
            ).format(count=reference.count, source=source)
        )
        self._fit_histogram()

    def _fit_histogram(self) -> None:
        if self.reference is None:
            return
        low = float(self.reference.log_probs.min())
        high = float(self.reference.log_probs.max())
        if self.score is not None:
            low, high = min(low, self.score.log_prob), max(high, self.score.log_prob)
        pad = 0.05 * (high - low + 1e-9)
        self.histogram.setXRange(low - pad, high + pad, padding=0)

    def _show_score(self) -> None:
        score = self.score
        if score is None:
            return
        likelihood = self._likelihood()
        continuous = likelihood is not None and not likelihood.discrete
        log_prob = f"<b>{score.log_prob:.2f}</b>"
        self.score_label.setText(
            (
                self.tr("log p(x) = {value} nats (a density)")
                if continuous
                else self.tr("log p(x) = {value} nats")
            ).format(value=log_prob)
            + f"<br><small>{score.bits_per_dim:.4f} bits/dim</small>"
        )
        bits = f"−log₂ p(x) / {score.model_view.size}"
        if likelihood is not None and continuous:
            bits = self.tr(
                "{bits} + log₂ {levels}: the density of the {levels}-level image "
                "dequantized, as flow papers report it"
            ).format(bits=bits, levels=likelihood.levels)
        self.score_label.setToolTip(
            self.tr(
                "Exact log-likelihood of what the model sees; scored in {ms} ms. "
                "Bits per pixel: {bits}"
            ).format(ms=f"{self.score_ms:.0f}", bits=bits)
        )
        low = min(float(score.surprise.min()), 0.0)
        top = max(float(score.surprise.max()), low + 1e-6)
        self.surprise_grid.set_image(
            score.surprise, colours="inferno", levels=(low, top)
        )
        self.colour_bar.set_levels(low, top)
        self.model_view.set_image(score.model_view, colours="gray", levels=(0, 1))
        if self.overlay_box.isChecked():
            self.canvas.set_backdrop(score.surprise, "inferno", (low, top))
        self.marker.setValue(score.log_prob)
        self.marker.setVisible(self.reference is not None)
        self._fit_histogram()
        self._show_assessment()
        self._show_classes()

    def _show_assessment(self) -> None:
        assessment = self.assessment
        if assessment is None:
            return
        self.percentile_label.setText(library_text(assessment.position))
        name = _VERDICT_COLOUR[assessment.verdict]
        self.verdict_label.setStyleSheet(f"color: {_hex(name)}")
        headline = library_text(assessment.headline)
        self.verdict_label.setText(headline[:1].upper() + headline[1:])
        self.reasons_label.setText(
            " ".join(library_text(reason) for reason in assessment.reasons)
        )

    def _show_classes(self) -> None:
        score = self.score
        if score is None:
            return
        if score.class_posterior is None:
            if self._bar_item is not None:
                self.bars.removeItem(self._bar_item)
                self._bar_item = None
            self.bars_note.setText(self.tr(NEEDS_CONDITIONAL))
            return
        posterior = score.class_posterior
        classes = np.arange(len(posterior))
        best = int(posterior.argmax())
        meaningful = self.assessment is None or self.assessment.classes_meaningful
        if meaningful:
            brushes = [
                pg.mkBrush(PALETTE["alarm"] if c == best else PALETTE["accent"])
                for c in classes
            ]
        else:
            brushes = [
                pg.mkBrush(PALETTE["muted"] if c == best else PALETTE["faint"])
                for c in classes
            ]
        if self._bar_item is None:  # made once, then updated in place
            self._bar_item = pg.BarGraphItem(
                x=classes, height=posterior, width=0.7, brushes=brushes
            )
            self.bars.addItem(self._bar_item)
        else:
            self._bar_item.setOpts(x=classes, height=posterior, brushes=brushes)
        best_text = self.tr("Most probable class: {best} (p = {p})").format(
            best=best, p=f"{posterior[best]:.3f}"
        )
        if meaningful:
            self.bars_note.setText(best_text + ".")
        else:
            self.bars_note.setText(
                f"<span style='color:{_hex('alarm')}'>{self.tr(NOT_MEANINGFUL)}</span> "
                f"<span style='color:{_hex('muted')}'>({best_text})</span>"
            )

    def _ink_text(self, value: float) -> str:
        """The ink at a pixel in words: ink or blank, or its gray value."""
        if self.gray():
            return self.tr("ink {value}").format(value=f"{value:.2f}")
        return self.tr("ink") if value >= 0.5 else self.tr("blank")

    def _describe(self, row: int, col: int) -> str:
        where = self.tr("row {row}, column {column}").format(
            row=row + 1, column=col + 1
        )
        ink = self._ink_text(float(self.canvas.drawing()[row, col]))
        if self.score is None:
            return f"{where}: {ink}"
        surprise = self.score.surprise[row, col]
        return self.tr("{where}: {ink}, −log p(x_i | x_<i) = {surprise} nats").format(
            where=where, ink=ink, surprise=f"{surprise:.3f}"
        )

    def _describe_model_view(self, row: int, col: int) -> str:
        where = self.tr("row {row}, column {column}").format(
            row=row + 1, column=col + 1
        )
        if self.score is None:
            return where
        ink = self._ink_text(float(self.score.model_view[row, col]))
        surprise = self.score.model_score.surprise[row, col]
        return self.tr(
            "{where} of what the model sees: {ink}, −log p = {surprise} nats"
        ).format(where=where, ink=ink, surprise=f"{surprise:.3f}")

    def shutdown(self) -> None:
        """Wait for background scoring (the window is closing)."""
        self._pending.stop()
        self._busy_delay.stop()
        self._scorer.wait()
        self._background.wait()
