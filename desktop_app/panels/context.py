"""Panel 6 — context regions.

Which earlier pixels can a model's output at one pixel actually depend on? Side
by side, for two architectures: the theoretical context (from the layers'
footprints, :func:`models.context.theoretical_context`) and the dependency
autograd measures on the real network (:func:`models.context.measured_context`),
as the number of layers grows. A dependency on a future pixel would be a bug,
and is flagged in red.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.pixel_grid import Overlay, PixelGrid
from models.base import ARModel
from models.context import (
    blind_spot,
    context_model,
    future_pixels,
    measured_context,
    theoretical_context,
)

__all__ = ["PAIRS", "ContextPanel", "ContextView"]

CONCEPT = """
<p>The <b>context</b> of a pixel is the set of earlier pixels its conditional
p(x<sub>i</sub> | x<sub>&lt;i</sub>) can actually use. A <b>Row LSTM</b> reads
three hidden states of the row above, which read three of theirs: its context is
a <b>triangle</b> above the pixel, not the whole past. A <b>Diagonal BiLSTM</b>
sweeps the diagonals in both directions (the right-to-left sweep shifted down a
row): every earlier pixel, in one layer. Stacked masked 3×3 convolutions
(<b>PixelCNN</b>) grow up and to the left but never reach a wedge above and to
the right — the <b>blind spot</b>, which grows with depth; <b>Gated
PixelCNN</b>'s vertical and horizontal stacks remove it. <i>Theoretical</i>:
derived from the architecture. <i>Measured</i>: the non-zero gradient of the
output with respect to the input, on the real network.</p>"""

PAIRS = {
    "Row LSTM vs Diagonal BiLSTM": ("row_lstm", "diagonal_bilstm"),
    "PixelCNN vs Gated PixelCNN": ("pixelcnn", "gated_pixelcnn"),
}
#: The third choice: the library's current model, with its trained weights.
CURRENT = "The current model (trained weights)"
TITLES = {
    "row_lstm": "Row LSTM",
    "diagonal_bilstm": "Diagonal BiLSTM",
    "pixelcnn": "PixelCNN",
    "gated_pixelcnn": "Gated PixelCNN",
}
CONVOLUTIONAL = ("pixelcnn", "gated_pixelcnn")
MEASURED = QColor(25, 90, 190)
THEORETICAL = QColor(140, 190, 245)
UNSEEN = QColor(200, 200, 200)
VIOLATION = QColor(220, 30, 30)


class ContextView(QWidget):
    """One architecture: its grid and what it sees of the chosen pixel's past."""

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.title = QLabel(f"<b>{TITLES[kind]}</b>", self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid = PixelGrid((16, 16), self)
        self.grid.setToolTip(f"{TITLES[kind]}: click a pixel to see its context")
        self.grid.tooltip_text = self.describe
        self.stats = QLabel(self)
        self.stats.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stats.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.stats)
        self.model: ARModel | None = None
        self.theoretical = np.zeros((16, 16), dtype=bool)
        self.measured = np.zeros((16, 16), dtype=bool)
        self.violations = np.zeros((16, 16), dtype=bool)

    def describe(self, row: int, col: int) -> str:
        """What the chosen pixel's output makes of the input pixel (row, col)."""
        where = f"({row}, {col})"
        if self.violations[row, col]:
            return f"{where}: a FUTURE pixel the output depends on"
        if self.measured[row, col]:
            return f"{where}: in the context (measured by autograd)"
        if self.theoretical[row, col]:
            return (
                f"{where}: in the theoretical context, not reached by the measurement"
            )
        highlight = self.grid.highlight()
        if highlight is not None and (row, col) < highlight:
            return f"{where}: earlier, but out of reach"
        return f"{where}: not generated yet"

    def set_model(self, model: ARModel) -> None:
        """Study ``model`` (its image shape sets the grid)."""
        self.model = model

    def show_pixel(self, row: int, col: int) -> None:
        """Compute and draw the context of (row, col)."""
        assert self.model is not None
        model = self.model
        h, w = model.image_shape
        future = future_pixels(model, (row, col))
        self.theoretical = theoretical_context(model, (row, col))
        self.measured = measured_context(model, (row, col))
        self.violations = (self.theoretical | self.measured) & future
        past = ~future
        unseen = past & ~self.theoretical
        values = np.where(future, 1.0, 0.97)  # the future white, the past off-white
        self.grid.set_image(values.reshape(h, w), colours="gray", levels=(0, 1))
        self.grid.set_overlays(
            [
                Overlay(unseen, UNSEEN, "fill", 0.9),
                Overlay(self.theoretical & ~self.measured, THEORETICAL, "fill", 0.9),
                Overlay(self.measured, MEASURED, "fill", 0.9),
                Overlay(self.violations, VIOLATION, "fill", 1.0),
            ]
        )
        self.grid.set_highlight((row, col))
        n_past = int(past.sum())
        seen = int((self.theoretical & past).sum())
        text = (
            f"sees {seen} of {n_past} earlier pixels"
            f" ({int(self.measured.sum())} measured)"
        )
        if unseen.any():
            text += f"; misses {int(unseen.sum())}"
            # "blind spot" names the masked convolutions' hole above and to the
            # right; the recurrent models' limits are the edges of their reach
            if model.kind in CONVOLUTIONAL:
                blind = int(blind_spot(self.theoretical, (row, col)).sum())
                if blind:
                    text += f", {blind} of them in a blind spot"
        if self.violations.any():
            text += (
                f" — <b style='color:#d01c1c'>{int(self.violations.sum())} FUTURE</b>"
            )
        self.stats.setText(text)


class ContextPanel(QWidget):
    """Two architectures side by side, a layer slider, a pixel to study."""

    status_message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox(
            "Context regions: what can a pixel see?", CONCEPT, self
        )
        self.pair_box = QComboBox(self)
        self.pair_box.addItems([*PAIRS, CURRENT])
        self.pair_box.setToolTip(
            "Two architectures side by side (random weights, any depth), or the "
            "current model of the library as trained"
        )
        self.layers_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.layers_slider.setRange(1, 8)
        self.layers_slider.setValue(1)
        self.layers_slider.setTracking(False)  # rebuild on release, not every step
        self.layers_slider.setToolTip(
            "Number of layers (LSTM layers, residual blocks, gated layers)"
        )
        self.layers_label = QLabel(self)
        self.size_box = QSpinBox(self)
        self.size_box.setRange(6, 28)
        self.size_box.setValue(16)
        self.size_box.setKeyboardTracking(False)
        self.size_box.setToolTip("Image size (square)")
        self.kernel_box = QComboBox(self)
        self.kernel_box.addItems(["3", "5", "7"])
        self.kernel_box.setCurrentText("3")
        self.kernel_box.setToolTip("Size of the first, mask-A convolution")
        keys = [
            (MEASURED, "measured by autograd"),
            (THEORETICAL, "theoretical only"),
            (UNSEEN, "earlier but out of reach"),
            (VIOLATION, "future (a violation)"),
        ]
        legend = QLabel(
            " &nbsp; ".join(
                f"<span style='color:{colour.name()}'>■</span> {text}"
                for colour, text in keys
            )
            + " &nbsp; □ not yet generated",
            self,
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        controls = QHBoxLayout()
        for label, widget in (
            ("compare", self.pair_box),
            ("image", self.size_box),
            ("first kernel", self.kernel_box),
            ("layers", self.layers_slider),
        ):
            controls.addWidget(QLabel(label, self))
            controls.addWidget(widget)
        controls.addWidget(self.layers_label)
        controls.addStretch(1)
        self.views = [
            ContextView("row_lstm", self),
            ContextView("diagonal_bilstm", self),
        ]
        views_layout = QHBoxLayout()
        for view in self.views:
            views_layout.addWidget(view, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addLayout(controls)
        layout.addWidget(legend)
        layout.addLayout(views_layout, 1)

        self.pixel = (10, 8)
        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "pair": self.pair_box,
            "size": self.size_box,
            "kernel": self.kernel_box,
            "layers": self.layers_slider,
        }
        self.pair_box.currentTextChanged.connect(self._on_pair_changed)
        self.layers_slider.valueChanged.connect(self._rebuild)
        self.size_box.valueChanged.connect(self._rebuild)
        self.kernel_box.currentTextChanged.connect(self._rebuild)
        for view in self.views:
            view.grid.pixel_clicked.connect(self.select_pixel)
        session.model_changed.connect(self._on_model_changed)
        self._rebuild()

    def showing_current(self) -> bool:
        """Whether the panel studies the library's current model."""
        return self.pair_box.currentText() == CURRENT

    def kinds(self) -> tuple[str, ...]:
        """The architectures shown."""
        if self.showing_current():
            checkpoint = self.session.checkpoint
            return () if checkpoint is None else (checkpoint.model.kind,)
        return PAIRS[self.pair_box.currentText()]

    def _on_model_changed(self) -> None:
        if self.showing_current():
            self._rebuild()

    def _on_pair_changed(self) -> None:
        current = self.showing_current()
        for widget in (self.layers_slider, self.size_box, self.kernel_box):
            widget.setEnabled(not current)
        self.views[1].setVisible(not current)
        if not current:
            for view, kind in zip(self.views, self.kinds(), strict=True):
                view.kind = kind
                view.title.setText(f"<b>{TITLES[kind]}</b>")
                view.grid.setToolTip(
                    f"{TITLES[kind]}: click a pixel to see its context"
                )
        self._rebuild()

    def _rebuild(self) -> None:
        if self.showing_current():
            self._show_current()
            return
        layers = self.layers_slider.value()
        self.layers_label.setText(str(layers))
        size = self.size_box.value()
        kernel = int(self.kernel_box.currentText())
        for view in self.views:
            # real networks with random weights: every connection the
            # architecture has carries a gradient
            view.set_model(
                context_model(
                    view.kind, (size, size), layers, channels=8, first_kernel=kernel
                )
            )
        r, c = self.pixel
        self.select_pixel(min(r, size - 1), min(c, size - 1))

    def _show_current(self) -> None:
        view = self.views[0]
        checkpoint = self.session.checkpoint
        if checkpoint is None:
            view.model = None
            view.title.setText("<b>No current model</b> — choose one in the library")
            return
        model = checkpoint.model
        view.kind = model.kind
        view.set_model(model)
        view.title.setText(
            f"<b>{model.title}</b> — {checkpoint.name} ({model.config.ordering} order)"
        )
        h, w = model.image_shape
        r, c = self.pixel
        self.select_pixel(min(r, h - 1), min(c, w - 1))

    def select_pixel(self, row: int, col: int) -> None:
        """Show the context of (row, col) in the views on show."""
        self.pixel = (row, col)
        for view in self.views[:1] if self.showing_current() else self.views:
            if view.model is not None:
                view.show_pixel(row, col)
        self.status_message.emit(f"context of pixel ({row}, {col})")
