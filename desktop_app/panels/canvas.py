"""Panel 5 — draw and score.

Draw a digit; the current model scores it live: log p(x) in nats and bits per
dimension, the surprise −log p(x_i | x_<i) of every pixel, where the score falls
among held-out digits, and — from a class-conditional model — p(y | x) by
Bayes' rule. All numbers come from :func:`models.evaluation.score_drawing`;
the held-out scores are computed in the background.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.widgets.canvas import DrawingCanvas
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button
from desktop_app.widgets.pixel_grid import PixelGrid
from desktop_app.workers import LatestOnly
from models.checkpoint import Checkpoint
from models.data import Binarization, ImageSet, load_split
from models.errors import ARExplorerError
from models.evaluation import DrawingScore, score_drawing, score_images

__all__ = ["CanvasPanel"]

CONCEPT = """
<p>An autoregressive model gives every image an exact probability,
log p(x) = Σ<sub>i</sub> log p(x<sub>i</sub> | x<sub>&lt;i</sub>), so it can
<b>score</b> a drawing: how digit-like is it? Each term is a pixel's
<b>surprise</b> −log p(x<sub>i</sub> | x<sub>&lt;i</sub>) — bright where the model
did not expect what you drew. Bits per dimension divide −log<sub>2</sub> p(x) by
the number of pixels. A <b>class-conditional</b> model p(x | y) also
<b>classifies</b> by Bayes' rule: p(y | x) ∝ p(x | y) p(y).</p>"""

HELD_OUT = ("mnist-5k", "test")


class CanvasPanel(QWidget):
    """A drawing canvas scored live by the current model."""

    status_message = Signal(str)
    scored = Signal(object)  # DrawingScore

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox("Draw, and let the model score it", CONCEPT, self)
        self.canvas = DrawingCanvas((28, 28), self)
        self.canvas.setToolTip(
            "Draw with the left button, erase with the right; Ctrl+Z undoes a stroke"
        )
        self.canvas.tooltip_text = self._describe
        self.surprise_grid = PixelGrid((28, 28), self)
        self.surprise_grid.show_grid = False
        self.surprise_grid.setToolTip("−log p(x_i | x_<i) at every pixel (nats)")
        self.surprise_grid.tooltip_text = self._describe

        self.brush = QRadioButton("brush", self)
        self.eraser = QRadioButton("eraser", self)
        self.brush.setChecked(True)
        self.brush.setToolTip("Paint ink (left button)")
        self.eraser.setToolTip("Erase with the left button too")
        tools = QButtonGroup(self)
        tools.addButton(self.brush)
        tools.addButton(self.eraser)
        self.size_box = QSpinBox(self)
        self.size_box.setRange(0, 3)
        self.size_box.setValue(1)
        self.size_box.setToolTip("Brush radius in pixels (0: a single pixel)")
        self.overlay_box = QCheckBox("surprise under the ink", self)
        self.overlay_box.setToolTip(
            "Show the surprise map on the canvas itself, the ink outlined"
        )
        self.undo_button = push_button(self, "Undo", "Undo the last stroke (Ctrl+Z)")
        self.clear_button = push_button(
            self, "Clear", "Erase the whole drawing (Delete)"
        )
        self.digit_box = QSpinBox(self)
        self.digit_box.setRange(-1, 9)
        self.digit_box.setSpecialValueText("any")
        self.digit_box.setValue(-1)
        self.digit_box.setToolTip("Which digit to load (any: a random one)")
        self.load_button = push_button(
            self, "Load a real digit", "Start from a held-out digit of mnist-5k"
        )

        self.score_label = QLabel(self)
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.score_label.setToolTip(
            "Exact log-likelihood of the drawing under the model"
        )
        self.percentile_label = QLabel(self)
        self.percentile_label.setWordWrap(True)

        self.histogram = pg.PlotWidget(self)
        self.histogram.setBackground("w")
        self.histogram.setLabel("bottom", "log p(x) of held-out digits (nats)")
        self.histogram.setLabel("left", "digits")
        self.histogram.setToolTip("Where this drawing's score falls among real digits")
        self.histogram.setMinimumHeight(150)
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen((220, 30, 30), width=2))
        self.histogram.addItem(self.marker)
        self.bars = pg.PlotWidget(self)
        self.bars.setBackground("w")
        self.bars.setLabel("bottom", "class y")
        self.bars.setLabel("left", "p(y | x)")
        self.bars.setYRange(0, 1)
        self.bars.setMinimumHeight(150)
        self.bars.setToolTip("p(y | x) by Bayes' rule from the class-conditional model")
        self.bars_note = QLabel(self)
        self.bars_note.setWordWrap(True)

        tool_row = QHBoxLayout()
        edit_row = QHBoxLayout()
        rows: list[tuple[QHBoxLayout, list[QWidget]]] = [
            (
                tool_row,
                [
                    self.brush,
                    self.eraser,
                    QLabel("size", self),
                    self.size_box,
                    self.overlay_box,
                ],
            ),
            (
                edit_row,
                [
                    self.undo_button,
                    self.clear_button,
                    QLabel("digit", self),
                    self.digit_box,
                    self.load_button,
                ],
            ),
        ]
        for row_layout, widgets in rows:
            for widget in widgets:
                row_layout.addWidget(widget)
            row_layout.addStretch(1)
        grids = QGridLayout()
        grids.addWidget(QLabel("<b>your drawing</b>", self), 0, 0)
        grids.addWidget(
            QLabel("<b>surprise −log p(x<sub>i</sub> | x<sub>&lt;i</sub>)</b>"), 0, 1
        )
        grids.addWidget(self.canvas, 1, 0)
        grids.addWidget(self.surprise_grid, 1, 1)
        grids.setColumnStretch(0, 1)
        grids.setColumnStretch(1, 1)
        left = QVBoxLayout()
        left.addLayout(tool_row)
        left.addLayout(edit_row)
        left.addLayout(grids, 1)
        right = QVBoxLayout()
        right.addWidget(self.score_label)
        right.addWidget(self.percentile_label)
        right.addWidget(self.histogram, 1)
        right.addWidget(self.bars, 1)
        right.addWidget(self.bars_note)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addLayout(body, 1)

        self.score: DrawingScore | None = None
        self._bar_item: pg.BarGraphItem | None = None
        self.held_out: NDArray[np.float64] | None = None
        self.score_ms = 0.0
        self._held_out_data: ImageSet | None = None
        self._rng = np.random.default_rng()
        self._background = LatestOnly(self)
        self._pending = QTimer(self)  # coalesce scoring: at most one per 30 ms
        self._pending.setSingleShot(True)
        self._pending.setInterval(30)
        self._pending.timeout.connect(self.rescore)

        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "size": self.size_box,
            "overlay": self.overlay_box,
        }
        self.brush.toggled.connect(self._on_tool_changed)
        self.overlay_box.toggled.connect(self._on_overlay_toggled)
        self.size_box.valueChanged.connect(self._on_tool_changed)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.load_button.clicked.connect(self.load_digit)
        self.canvas.drawing_changed.connect(self._on_drawing_changed)
        self.canvas.stroke_finished.connect(self._share_drawing)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.canvas.undo)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self.canvas.clear)
        session.model_changed.connect(self.set_model)
        self.set_model(session.checkpoint)

    # -- model and data ----------------------------------------------------------------

    def set_model(self, checkpoint: Checkpoint | None) -> None:
        """Score with a new model; compute its held-out scores in the background."""
        self.held_out = None
        self.histogram.clear()
        self.histogram.addItem(self.marker)
        if checkpoint is None:
            self.score_label.setText("No model: pick one in the library, or train one.")
            self._background.cancel()
            return
        model = checkpoint.model
        if model.image_shape != self.canvas.shape:
            h, w = model.image_shape
            self.score_label.setText(
                f"This model is for {h}×{w} images; the canvas is 28×28."
            )
            return
        self.percentile_label.setText("scoring held-out digits …")
        data = self._held_out()
        if data is not None:
            images = Binarization("threshold").apply(data)
            self._background.submit(
                lambda stale: score_images(model, images, batch_size=64, stop=stale),
                self._on_held_out,
                lambda exc: self.status_message.emit(f"held-out scores failed: {exc}"),
            )
        self.rescore()

    def _held_out(self) -> ImageSet | None:
        if self._held_out_data is None:
            try:
                self._held_out_data = load_split(*HELD_OUT)
            except ARExplorerError as exc:
                self.status_message.emit(str(exc))
                return None
        return self._held_out_data

    def _on_held_out(self, scores: NDArray[np.float64]) -> None:
        self.held_out = scores
        counts, edges = np.histogram(scores, bins=40)
        self.histogram.clear()
        self.histogram.plot(
            edges, counts, stepMode="center", fillLevel=0, brush=(80, 130, 200, 120)
        )
        self.histogram.addItem(self.marker)
        self._show_score()

    def load_digit(self, digit: int | None = None) -> int | None:
        """Put a held-out digit on the canvas (of class ``digit``, or the box's)."""
        data = self._held_out()
        if data is None:
            return None
        wanted = self.digit_box.value() if digit is None else digit
        rows = np.arange(len(data))
        if wanted >= 0 and data.labels is not None:
            rows = rows[data.labels == wanted]
        row = int(self._rng.choice(rows))
        binary = Binarization("threshold").apply(data)[row]
        self.canvas.set_drawing(binary.astype(np.float64))
        self._share_drawing()
        return None if data.labels is None else int(data.labels[row])

    # -- scoring -----------------------------------------------------------------------

    def _on_tool_changed(self) -> None:
        self.canvas.erasing = self.eraser.isChecked()
        self.canvas.brush_radius = self.size_box.value()

    def _on_overlay_toggled(self, shown: bool) -> None:
        if not shown:
            self.canvas.set_backdrop(None)
        else:
            self._show_score()

    def _on_drawing_changed(self) -> None:
        self.undo_button.setEnabled(self.canvas.can_undo())
        if not self._pending.isActive():
            self._pending.start()

    def _share_drawing(self) -> None:
        self.session.set_drawing(self.canvas.drawing())

    def rescore(self) -> DrawingScore | None:
        """Score the drawing now (the canvas coalesces calls during a stroke)."""
        checkpoint = self.session.checkpoint
        if checkpoint is None or checkpoint.model.image_shape != self.canvas.shape:
            return None
        start = time.perf_counter()
        try:
            self.score = score_drawing(checkpoint.model, self.canvas.drawing())
        except ARExplorerError as exc:
            self.status_message.emit(str(exc))
            return None
        self.score_ms = 1000 * (time.perf_counter() - start)
        self._show_score()
        self.scored.emit(self.score)
        return self.score

    def percentile(self) -> float | None:
        """Share of held-out digits this drawing scores higher than (0–100)."""
        if self.score is None or self.held_out is None or not len(self.held_out):
            return None
        return float(100 * np.mean(self.held_out < self.score.log_prob))

    def _show_score(self) -> None:
        score = self.score
        if score is None:
            return
        self.score_label.setText(
            "<span style='font-size:16pt'>log p(x) = "
            f"<b>{score.log_prob:.2f}</b> nats</span>"
            f"<br>{score.bits_per_dim:.4f} bits/dim · scored in {self.score_ms:.1f} ms"
        )
        top = max(float(score.surprise.max()), 1e-6)
        self.surprise_grid.set_image(score.surprise, colours="inferno", levels=(0, top))
        if self.overlay_box.isChecked():
            self.canvas.set_backdrop(score.surprise, "inferno", (0.0, top))
        self.marker.setValue(score.log_prob)
        share = self.percentile()
        if share is None:
            self.percentile_label.setText("")
        else:
            count = 0 if self.held_out is None else len(self.held_out)
            self.percentile_label.setText(
                f"More likely than {share:.1f}% of {count} held-out digits"
                f" ({HELD_OUT[0]} {HELD_OUT[1]})."
            )
        if score.class_posterior is None:
            if self._bar_item is not None:
                self.bars.removeItem(self._bar_item)
                self._bar_item = None
            self.bars_note.setText(
                "p(y | x) needs a class-conditional model — choose one in the library "
                "(trained with --conditional)."
            )
            return
        posterior = score.class_posterior
        classes = np.arange(len(posterior))
        best = int(posterior.argmax())
        brushes = [(220, 60, 60) if c == best else (80, 130, 200) for c in classes]
        if self._bar_item is None:  # made once, then updated in place
            self._bar_item = pg.BarGraphItem(
                x=classes, height=posterior, width=0.7, brushes=brushes
            )
            self.bars.addItem(self._bar_item)
        else:
            self._bar_item.setOpts(x=classes, height=posterior, brushes=brushes)
        self.bars_note.setText(
            f"Most probable class: {best} (p = {posterior[best]:.3f})"
        )

    def _describe(self, row: int, col: int) -> str:
        ink = "ink" if self.canvas.drawing()[row, col] >= 0.5 else "blank"
        if self.score is None:
            return f"({row}, {col}): {ink}"
        surprise = self.score.surprise[row, col]
        return f"({row}, {col}): {ink}, −log p(x_i | x_<i) = {surprise:.3f} nats"

    def shutdown(self) -> None:
        """Wait for background scoring (the window is closing)."""
        self._pending.stop()
        self._background.wait()
