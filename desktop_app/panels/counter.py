"""Panel 1 — the parameter counter.

How many numbers does each assumption about p(x) need? Exact integers for every
structure (from :mod:`models.counting`; past 4,000 digits their exact number of
digits and leading digits), the closed form with the numbers put in, a
log-scale plot of count against n, and a check that builds the real torch model
(in the background) and counts its parameters. Counting is pure integer and
80-digit logarithm arithmetic: a whole table and plot take about 20 ms, so it
runs on the GUI thread; only building a model goes to a worker.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.theme import PALETTE, SERIES, colour, style_plot, theme
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.plot_legend import FlowLegend, LegendEntry
from desktop_app.workers import LatestOnly
from models import counting
from models.errors import ARExplorerError
from models.markov import MAX_ORDER
from models.registry import config_from_dict, create

_Count = counting.ParameterCount

__all__ = ["MAX_BUILD", "CounterPanel", "Verification", "abbreviate"]

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

#: The largest model *Verify* builds (float32 weights: 4 bytes each).
MAX_BUILD = 2**25

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def abbreviate(value: int | counting.Magnitude) -> str:
    """Exact with separators up to 12 digits, else d.ddd × 10ᵉ (N digits).

    The mantissa is rounded, the number of digits exact:
    ``abbreviate(2**784 - 1)`` is ``"1.017 × 10²³⁶ (237 digits)"``.
    """
    magnitude = (
        value
        if isinstance(value, counting.Magnitude)
        else (counting.Magnitude.of(value))
    )
    if magnitude.exact is not None and magnitude.digits <= 12:
        return f"{magnitude.exact:,}"
    mantissa, exponent = magnitude.scientific(4)
    power = str(exponent).translate(_SUPERSCRIPT)
    return f"{mantissa} × 10{power} ({magnitude.digits:,} digits)"


def _every_digit(magnitude: counting.Magnitude) -> str:
    """The exact integer with separators, or why it is not shown."""
    if magnitude.printable():
        return f"= {magnitude.exact:,}\n({magnitude.digits:,} digits)"
    mantissa, exponent = magnitude.scientific(12)
    return (
        f"≈ {mantissa} × 10^{exponent}\n({magnitude.digits:,} digits: too many to "
        f"show each one; the exact digits are shown up to "
        f"{counting.MAX_EXACT_DIGITS:,})"
    )


@dataclass(frozen=True)
class Verification:
    """How *Verify* builds a structure: a model kind and its settings.

    ``note`` says what the model is when it is not the structure's own (the
    fully dependent joint is built as a Markov chain of order n − 1).
    """

    kind: str
    settings: dict[str, Any]
    note: str = ""


class CounterPanel(QWidget):
    """Counts side by side, the formula with numbers, a plot, a numel check.

    Signals
    -------
    status_message(str)
        A line for the status bar.
    """

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
        self.made_box.setMaximumWidth(120)
        self.made_box.setToolTip(
            "MADE's hidden layer widths, comma-separated, e.g. 500,500"
        )
        self.channels_box = _spin(
            self, 1, 1024, 32, "Feature maps of the spatial models"
        )
        self.form = form = QGridLayout()
        form.setHorizontalSpacing(8)
        self._fields: list[tuple[QLabel, QWidget]] = []
        for text, widget in (
            ("H × W", self._pair(self.height_box, self.width_box)),
            ("K states", self.states_box),
            ("Markov order k", self.order_box),
            ("NADE H", self.hidden_box),
            ("MADE hidden", self.made_box),
            ("channels", self.channels_box),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self._fields.append((label, widget))

        self.table = _CountTable(self)
        self.table.setHorizontalHeaderLabels(["structure", "parameters", "formula"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(self.fontMetrics().height() + 4)
        self.table.setToolTip(
            "Select a structure to see its exact count, formula and check"
        )

        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setFont(QFont("monospace"))
        self.detail.setToolTip("The exact count of the selected structure, every digit")
        self.verify_button = push_button(
            self,
            "Verify with the real model",
            "Build the torch model of the selected structure and count its parameters",
        )
        self.verify_busy = BusyIndicator("building the model …", self)
        self.verify_label = QLabel(self)
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.verifier = LatestOnly(self)
        self.verify_busy.follow(self.verifier)
        self.plotter = LatestOnly(self)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setToolTip("Why no counts are shown")
        palette = self.problem.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour("alarm"))
        self.problem.setPalette(palette)
        self.problem.hide()

        self.plot = pg.PlotWidget(self)
        self.plot.setLabel("bottom", "n, the number of pixels (log scale)")
        self.plot.setLabel("left", "log₁₀ parameters (6 = a million)")
        self.plot.setLogMode(x=True, y=False)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setToolTip("Parameter count against n, both on log scales")
        self.plot.setMinimumSize(240, 200)
        self.marker = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(PALETTE["ink"], style=Qt.PenStyle.DashLine),
            label="n = 784",
            labelOpts={"position": 0.95, "color": PALETTE["ink"], "fill": "w"},
        )
        self.plot.addItem(self.marker)
        self.legend = FlowLegend(self)
        self.legend.setToolTip("Each structure's line in the plot")
        style_plot(self.plot)

        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verify_button)
        verify_row.addStretch(1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addLayout(verify_row)
        lower_layout.addWidget(self.verify_busy)
        lower_layout.addWidget(self.verify_label)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.table)
        left.addWidget(lower)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)
        row_height = self.fontMetrics().height() + 8
        left.setSizes([(len(self._summary((500,))(4)) + 2) * row_height, 160])
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.plot, 1)
        right_layout.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        form_row = QHBoxLayout()
        form_row.addLayout(form)
        form_row.addStretch(1)
        layout.addLayout(form_row)
        # the reason takes the counts' place (and their room) while shown
        layout.addWidget(self.problem, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.splitter, 1)

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
        self.verify_button.clicked.connect(lambda: self.verify_selected())
        self._on_settings_changed()
        self.table.selectRow(0)
        theme().follow(self, lambda panel: panel._on_zoom())

    def _pair(self, a: QWidget, b: QWidget) -> QWidget:
        pair = QWidget(self)
        layout = QHBoxLayout(pair)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(a)
        layout.addWidget(QLabel("×", pair))
        layout.addWidget(b)
        return pair

    # -- state ---------------------------------------------------------------------

    def image_shape(self) -> tuple[int, int]:
        """The (H, W) set in the form."""
        return self.height_box.value(), self.width_box.value()

    def _summary(self, hidden: tuple[int, ...]) -> Callable[[int], list[_Count]]:
        """The form's counts as a function of n (reads the form now, not later)."""
        return functools.partial(
            counting.summary,
            k=self.states_box.value(),
            markov_order=self.order_box.value(),
            nade_hidden=self.hidden_box.value(),
            made_hidden=hidden,
            channels=self.channels_box.value(),
        )

    def counts(self) -> list[counting.ParameterCount]:
        """The counts shown, one per table row."""
        return list(self._counts)

    def _on_settings_changed(self) -> None:
        h, w = self.image_shape()
        try:
            hidden = counting.parse_sizes(self.made_box.text())
        except ARExplorerError as exc:
            self.made_box.setStyleSheet("background: #fdd")
            self._refuse(str(exc))
            return
        self.made_box.setStyleSheet("")
        try:
            counts = self._summary(hidden)(h * w)
        except ARExplorerError as exc:
            self._refuse(str(exc))
            return
        if self.problem.isVisibleTo(self):  # the reason no longer holds
            self.status_message.emit("")
        self.problem.hide()
        self._layout.setStretchFactor(self.problem, 0)
        self.splitter.show()
        selected = max(0, self.table.currentRow())
        self.set_counts(counts)
        self.table.selectRow(min(selected, self.table.rowCount() - 1))
        self._update_plot(h * w, self._summary(hidden))

    def _refuse(self, reason: str) -> None:
        """Show why there are no counts, and none of the last settings' counts."""
        self.verifier.cancel()
        self.plotter.cancel()
        self.set_counts([])
        self.plot.clear()
        self.legend.set_entries([])
        self.splitter.hide()
        self.problem.setText(f"No counts: {reason}.")
        self.problem.show()
        self._layout.setStretchFactor(self.problem, 1)
        self.status_message.emit(reason)

    def set_counts(self, counts: list[counting.ParameterCount]) -> None:
        """Show ``counts``, one row per structure."""
        self._counts = counts
        self.table.setRowCount(len(counts))
        for row, count in enumerate(counts):
            value = QTableWidgetItem(abbreviate(count.magnitude))
            value.setToolTip(_every_digit(count.magnitude))
            value.setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            name = QTableWidgetItem(count.name)
            name.setForeground(QColor(*SERIES[row % len(SERIES)]))
            name.setToolTip(count.name)
            formula = QTableWidgetItem(count.formula)
            formula.setToolTip(f"{count.formula} = {count.substituted}")
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, value)
            self.table.setItem(row, 2, formula)
        self._fit_table()
        self._on_selection_changed()

    def _fit_table(self) -> None:
        """Room for every count, a part of each name and of each formula."""
        header = self.table.horizontalHeader()
        counts = max(
            self.table.sizeHintForColumn(1), header.sectionSizeFromContents(1).width()
        )
        scroll = self.table.verticalScrollBar().sizeHint().width()
        frame = 2 * self.table.frameWidth()
        self.table.setMinimumWidth(counts + 2 * NARROW + scroll + frame)
        self.table.fit_columns()

    def _on_zoom(self) -> None:
        """Lay the settings out in three columns, or two when text is large."""
        columns = 3 if theme().zoom <= 1.15 else 2
        for label, widget in self._fields:
            self.form.removeWidget(label)
            self.form.removeWidget(widget)
        for i, (label, widget) in enumerate(self._fields):
            row, col = divmod(i, columns)
            self.form.addWidget(label, row, 2 * col, Qt.AlignmentFlag.AlignRight)
            self.form.addWidget(widget, row, 2 * col + 1)
        if self._counts:
            self._fit_table()

    # -- verification ----------------------------------------------------------------

    def _selected(self) -> counting.ParameterCount | None:
        row = self.table.currentRow()
        return self._counts[row] if 0 <= row < len(self._counts) else None

    def verification(
        self, count: counting.ParameterCount
    ) -> tuple[Verification | None, str]:
        """How *Verify* would build ``count``'s model, or why it cannot."""
        n = math.prod(self.image_shape())
        k = self.states_box.value()
        if count.kind is not None:
            plan = Verification(count.kind, dict(count.settings))
        elif count == counting.full_joint(n, k) and k == 2:
            order = max(1, n - 1)
            if order > MAX_ORDER:
                return None, (
                    f"The fully dependent joint is a Markov chain of order n − 1 = "
                    f"{n - 1}: the chain rule with a full table for every pixel. "
                    f"The library builds orders up to {MAX_ORDER}, so this check "
                    f"works up to {MAX_ORDER + 1} pixels (try 3 × 3)."
                )
            plan = Verification(
                "markov",
                {"order": order},
                f"built as a Markov chain of order {order} (= n − 1): the chain "
                "rule with a full table for every pixel",
            )
        elif k != 2:
            return None, (
                "The torch models here are for binary pixels: set K = 2 to check."
            )
        else:
            return None, "No torch model of this structure."
        exact = count.magnitude.exact
        if exact is None:
            return None, (
                f"{abbreviate(count.magnitude)} numbers: more than any memory holds."
            )
        if exact > MAX_BUILD:
            return None, (
                f"{abbreviate(exact)} numbers would take "
                f"{_bytes(4 * exact)} as float32: too large to build here."
            )
        try:
            config_from_dict(
                plan.kind, {"image_shape": self.image_shape(), **plan.settings}
            )
        except ARExplorerError as exc:
            return None, f"Cannot build it: {exc}"
        return plan, ""

    def _on_selection_changed(self) -> None:
        self.verifier.cancel()
        self._colour_verdict(None)
        count = self._selected()
        if count is None:
            self.detail.setPlainText("")
            self.verify_button.setEnabled(False)
            self.verify_label.setText("")
            return
        self.detail.setPlainText(
            f"{count.name}\n{count.formula}\n= {count.substituted}\n"
            f"{_every_digit(count.magnitude)}"
        )
        plan, reason = self.verification(count)
        self.verify_button.setEnabled(plan is not None)
        self.verify_label.setText(reason)

    def verify_selected(self) -> bool:
        """Build the selected structure's torch model in the background.

        The verdict appears in :attr:`verify_label`. Returns False when the
        structure cannot be built (the label says why).
        """
        count = self._selected()
        if count is None:
            return False
        plan, reason = self.verification(count)
        if plan is None:
            self.verify_label.setText(reason)
            return False
        shape = self.image_shape()
        self._colour_verdict(None)
        self.verify_label.setText(f"building {count.name} for {shape[0]}×{shape[1]} …")

        def build(stale: Any) -> tuple[str, int]:
            model = create(plan.kind, shape, **plan.settings)
            return type(model).__name__, model.num_parameters()

        self.verifier.submit(
            build,
            lambda result: self._show_verified(count, plan, *result),
            lambda exc: self._show_unverified(exc),
        )
        return True

    def _show_verified(
        self, count: counting.ParameterCount, plan: Verification, name: str, numel: int
    ) -> None:
        match = numel == count.value
        mark = "✓ equal" if match else "✗ DIFFERENT"
        note = f" ({plan.note})" if plan.note else ""
        self.verify_label.setText(
            f"formula: {count.substituted} = {count.value:,}\n"
            f"torch: sum(p.numel() for p in {name}.parameters()) = {numel:,}"
            f"{note}  {mark}"
        )
        self._colour_verdict("good" if match else "alarm")
        self.status_message.emit(
            f"{count.name}: torch counts {numel:,}, the formula {count.value:,}"
        )

    def _show_unverified(self, exc: BaseException) -> None:
        self.verify_label.setText(f"Cannot build it: {exc}")
        self._colour_verdict("alarm")

    def _colour_verdict(self, name: str | None) -> None:
        """Colour the verdict (a palette, not a style sheet: fonts follow zoom)."""
        palette = self.palette()
        if name is not None:
            palette.setColor(QPalette.ColorRole.WindowText, colour(name))
        self.verify_label.setPalette(palette)

    # -- plot ----------------------------------------------------------------------

    def _update_plot(self, n: int, summary: Callable[[int], list[_Count]]) -> None:
        """Count every structure at 120 values of n (in the background), then draw.

        The marker moves at once; the lines follow when the counts arrive (a
        newer change drops an older plot's counts).
        """
        self.marker.setValue(math.log10(n))
        self.marker.label.setFormat(f"n = {n:,}")
        self.plotter.submit(lambda stale: _curves(n, summary, stale), self._draw_curves)

    def _draw_curves(self, curves: _Curves) -> None:
        self.plot.clear()
        self.plot.addItem(self.marker)
        xs = curves.xs
        lines: list[list[float]] = []
        entries = []
        for row, (name, ys) in enumerate(zip(curves.names, curves.ys, strict=True)):
            colour = SERIES[row % len(SERIES)]
            same = next(
                (i for i, other in enumerate(lines) if np.allclose(other, ys)), None
            )
            if same is None:
                pen = pg.mkPen(colour, width=3)
                self.plot.plot(xs, ys, pen=pen, name=name)
                entries.append(LegendEntry(name, colour))
            else:  # on top of an earlier line: dashed, with markers, still visible
                pen = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
                step = max(1, len(xs) // 12)
                self.plot.plot(xs, ys, pen=pen, name=name)
                self.plot.plot(
                    xs[step // 2 :: step],
                    ys[step // 2 :: step],
                    pen=None,
                    symbol="o",
                    symbolSize=7,
                    symbolBrush=colour,
                    symbolPen=pg.mkPen(colour),
                )
                other = curves.names[same]
                entries.append(
                    LegendEntry(f"{name} (= {other})", colour, dashed=True, marker=True)
                )
            lines.append(ys)
        self.legend.set_entries(entries)
        # the other structures stay visible; the full joint leaves through the top
        others = [ys[-1] for ys in curves.ys[1:]]
        self.plot.setYRange(0, max([*others, 6.0]) * 1.6, padding=0)
        self.plot.setXRange(0, math.log10(curves.top), padding=0.02)


@dataclass(frozen=True)
class _Curves:
    """log₁₀ of each structure's count at n = ``xs`` (up to ``top`` = 2n)."""

    top: int
    xs: np.ndarray
    names: list[str]
    ys: list[list[float]]


def _curves(
    n: int, summary: Callable[[int], list[_Count]], stale: Callable[[], bool]
) -> _Curves:
    """Every structure's count at 120 values of n from 1 to 2n (about 20 ms)."""
    top = max(64, 2 * n)
    xs = np.unique(np.geomspace(1, top, 120).astype(int))
    series = []
    for x in xs:
        if stale():
            raise InterruptedError
        series.append(summary(int(x)))
    names = [count.name.split(" (")[0] for count in series[-1]]
    ys = [[s[row].magnitude.log10() for s in series] for row in range(len(names))]
    return _Curves(top, xs, names, ys)


#: The narrowest the name and formula columns get (they elide; counts never do).
NARROW = 70


class _CountTable(QTableWidget):
    """Structure, count, formula: counts always whole, never a horizontal scroll.

    The names get their full width when there is room and elide otherwise;
    the formula column takes what is left (the detail area shows it whole).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)

    def fit_columns(self) -> None:
        """Share the width: counts whole, then names, then formulas."""
        header = self.horizontalHeader()
        names = max(
            self.sizeHintForColumn(0), header.sectionSizeFromContents(0).width()
        )
        room = self.viewport().width() - header.sectionSize(1) - NARROW
        self.setColumnWidth(0, max(NARROW, min(names, room)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Share the new width."""
        super().resizeEvent(event)
        self.fit_columns()


def _bytes(size: int) -> str:
    """A size in bytes, readably."""
    if size < 10**15:
        for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6)):
            if size >= scale:
                return f"{size / scale:,.1f} {unit}"
        return f"{size:,} bytes"
    return f"{abbreviate(size)} bytes"


def _spin(parent: QWidget, low: int, high: int, value: int, tip: str) -> QSpinBox:
    return spin_box(parent, low, high, value, tip, width=90, track_keys=False)
