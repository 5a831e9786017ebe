"""Panel 1 — the parameter counter.

How many numbers does each assumption about p(x) need? Exact integers for every
structure (from :mod:`models.counting`), the closed form with the numbers put
in, a log-scale plot of count against n, and a check that builds the real torch
model and counts its parameters.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import spin_box
from models import counting
from models.errors import ARExplorerError
from models.registry import create

__all__ = ["CounterPanel", "abbreviate"]

CONCEPT = """
<p>A joint distribution over n pixels with K values each has K<sup>n</sup>
configurations, so writing it down needs <b>K<sup>n</sup> − 1</b> numbers.
Every model here is a way to need fewer: <b>independence</b>
p(x) = Π<sub>i</sub> p(x<sub>i</sub>) needs n(K − 1); a <b>Markov chain of order
k</b> p(x<sub>i</sub> | x<sub>i−k</sub>, …, x<sub>i−1</sub>) needs about
n(K − 1)K<sup>k</sup>; <b>FVSBN</b> makes each conditional a logistic regression
on all earlier pixels, n(n + 1)/2; <b>NADE</b> shares one hidden layer across the
conditionals, 2nH + n + H; <b>MADE</b> masks an autoencoder. The convolutional
and recurrent models share their weights across positions: their counts do not
grow with n at all.</p>"""

COLOURS = [
    (220, 50, 47),
    (38, 139, 210),
    (133, 153, 0),
    (211, 54, 130),
    (42, 161, 152),
    (181, 137, 0),
    (108, 113, 196),
    (203, 75, 22),
    (88, 110, 117),
    (147, 161, 161),
]


def abbreviate(value: int) -> str:
    """Exact with separators up to 12 digits, else d.ddd × 10^e (N digits)."""
    text = str(value)
    if len(text) <= 12:
        return f"{value:,}"
    return f"{text[0]}.{text[1:4]} × 10^{len(text) - 1}  ({len(text)} digits)"


def _log10(value: int) -> float:
    return math.log10(value) if value > 0 else float("nan")


class CounterPanel(QWidget):
    """Counts side by side, the formula with numbers, a plot, a numel check."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.concept = ConceptBox("Why count parameters?", CONCEPT, self)

        self.height_box = _spin(self, 1, 256, 28, "Image height H (pixels)")
        self.width_box = _spin(self, 1, 256, 28, "Image width W (pixels)")
        self.states_box = _spin(
            self, 2, 256, 2, "K, the number of values a pixel takes"
        )
        self.order_box = _spin(
            self, 1, 64, 1, "k, how many previous pixels a Markov chain sees"
        )
        self.hidden_box = _spin(self, 1, 100_000, 500, "H, NADE's hidden units")
        self.made_box = QLineEdit("500", self)
        self.made_box.setMaximumWidth(160)
        self.made_box.setToolTip(
            "MADE's hidden layer widths, comma-separated, e.g. 500,500"
        )
        self.channels_box = _spin(
            self, 1, 1024, 32, "Feature maps of the spatial models"
        )
        form = QFormLayout()
        form.addRow("H × W", self._pair(self.height_box, self.width_box))
        form.addRow("K states", self.states_box)
        form.addRow("Markov order k", self.order_box)
        form.addRow("NADE H", self.hidden_box)
        form.addRow("MADE hidden", self.made_box)
        form.addRow("channels", self.channels_box)

        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(["structure", "parameters", "formula"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setToolTip("Select a structure to see its exact count and formula")

        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setFont(QFont("monospace"))
        self.detail.setToolTip("The exact count of the selected structure, every digit")
        self.verify_button = QPushButton("Verify with the real model", self)
        self.verify_button.setToolTip(
            "Build the torch model of the selected structure and count its parameters"
        )
        self.verify_label = QLabel(self)
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )

        self.plot = pg.PlotWidget(self)
        self.plot.setBackground("w")
        self.plot.setLabel("bottom", "n (pixels, log scale)")
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("left", "log₁₀ parameters")
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.addLegend(offset=(10, 10))
        self.plot.setToolTip("Parameter count against n, on a log scale")
        self.marker = pg.InfiniteLine(
            angle=90, pen=pg.mkPen((0, 0, 0), style=Qt.PenStyle.DashLine)
        )
        self.plot.addItem(self.marker)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.table, 3)
        left_layout.addWidget(self.detail, 1)
        left_layout.addWidget(self.verify_button)
        left_layout.addWidget(self.verify_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.plot)
        splitter.setSizes([640, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addWidget(splitter, 1)

        self._counts: list[counting.ParameterCount] = []
        for box in (
            self.height_box,
            self.width_box,
            self.states_box,
            self.order_box,
            self.hidden_box,
            self.channels_box,
        ):
            box.valueChanged.connect(self._on_settings_changed)
        self.made_box.editingFinished.connect(self._on_settings_changed)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.verify_button.clicked.connect(self.verify_selected)
        self._on_settings_changed()
        self.table.selectRow(0)

    def _pair(self, a: QWidget, b: QWidget) -> QWidget:
        pair = QWidget(self)
        layout = QHBoxLayout(pair)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(a)
        layout.addWidget(QLabel("×", pair))
        layout.addWidget(b)
        layout.addStretch(1)
        return pair

    # -- state ---------------------------------------------------------------------

    def image_shape(self) -> tuple[int, int]:
        """The (H, W) set in the form."""
        return self.height_box.value(), self.width_box.value()

    def _made_hidden(self) -> tuple[int, ...] | None:
        try:
            sizes = tuple(
                int(s) for s in self.made_box.text().replace(" ", "").split(",")
            )
        except ValueError:
            return None
        return sizes if sizes and all(s > 0 for s in sizes) else None

    def _summary(self, n: int) -> list[counting.ParameterCount]:
        hidden = self._made_hidden() or (500,)
        return counting.summary(
            n,
            self.states_box.value(),
            markov_order=self.order_box.value(),
            nade_hidden=self.hidden_box.value(),
            made_hidden=hidden,
            channels=self.channels_box.value(),
        )

    def counts(self) -> list[counting.ParameterCount]:
        """The counts shown, one per table row."""
        return list(self._counts)

    def _on_settings_changed(self) -> None:
        if self._made_hidden() is None:
            self.made_box.setStyleSheet("background: #fdd")
            self.status_message.emit(
                "MADE hidden sizes must be positive integers, e.g. 500,500"
            )
        else:
            self.made_box.setStyleSheet("")
        h, w = self.image_shape()
        selected = self.table.currentRow()
        self.set_counts(self._summary(h * w))
        self.table.selectRow(max(0, min(selected, self.table.rowCount() - 1)))
        self._update_plot(h * w)

    def set_counts(self, counts: list[counting.ParameterCount]) -> None:
        """Show ``counts``, one row per structure."""
        self._counts = counts
        self.table.setRowCount(len(counts))
        for row, count in enumerate(counts):
            value = QTableWidgetItem(abbreviate(count.value))
            value.setToolTip(str(count.value))
            value.setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            name = QTableWidgetItem(count.name)
            name.setForeground(QColor(*COLOURS[row % len(COLOURS)]))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, value)
            self.table.setItem(
                row, 2, QTableWidgetItem(f"{count.formula} = {count.substituted}")
            )
        self._on_selection_changed()

    def _on_selection_changed(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self._counts):
            self.detail.setPlainText("")
            self.verify_button.setEnabled(False)
            return
        count = self._counts[row]
        self.detail.setPlainText(
            f"{count.name}\n{count.formula} = {count.substituted}\n= {count.value:,}"
        )
        self.verify_button.setEnabled(count.kind is not None)
        self.verify_label.setText(
            "" if count.kind is not None else "No torch model holds this many numbers."
        )

    def verify_selected(self) -> bool | None:
        """Build the selected structure's torch model and compare its numel.

        Returns whether they match (None when the structure has no model).
        """
        row = self.table.currentRow()
        if not 0 <= row < len(self._counts) or self._counts[row].kind is None:
            return None
        count = self._counts[row]
        assert count.kind is not None
        try:
            settings: dict[str, Any] = dict(count.settings)
            model = create(count.kind, self.image_shape(), **settings)
        except ARExplorerError as exc:
            self.verify_label.setText(f"Cannot build it: {exc}")
            return None
        numel = model.num_parameters()
        match = numel == count.value
        mark = "✓ equal" if match else "✗ DIFFERENT"
        self.verify_label.setText(
            f"sum(p.numel() for p in {type(model).__name__}.parameters()) = {numel:,}"
            f"  —  formula {count.value:,}  {mark}"
        )
        self.verify_label.setStyleSheet("color: #2a7d2a" if match else "color: #c62828")
        return match

    def _update_plot(self, n: int) -> None:
        self.plot.clear()
        self.plot.addItem(self.marker)
        legend = self.plot.plotItem.legend
        if legend is not None:
            legend.clear()
        top = max(64, 2 * n)
        xs = np.unique(np.geomspace(1, top, 120).astype(int))
        series = [self._summary(int(x)) for x in xs]
        for row in range(len(series[0])):
            ys = [_log10(s[row].value) for s in series]
            pen = pg.mkPen(COLOURS[row % len(COLOURS)], width=2)
            self.plot.plot(xs, ys, pen=pen, name=series[-1][row].name.split(" (")[0])
        self.marker.setValue(math.log10(n))
        # the other structures stay visible; the full joint leaves through the top
        others = [_log10(c.value) for c in series[-1][1:]]
        self.plot.setYRange(0, max([*others, 6.0]) * 1.6, padding=0)


def _spin(parent: QWidget, low: int, high: int, value: int, tip: str) -> QSpinBox:
    return spin_box(parent, low, high, value, tip, width=110, track_keys=False)
