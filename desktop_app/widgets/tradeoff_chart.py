"""The parameters-against-fit chart: every model on binarized MNIST as a point.

x is the number of parameters (log scale), y the validation NLL in nats per
image. The Markov chains AR-k are joined by a line and labelled by k; the
fully dependent joint's 2⁷⁸⁴ − 1 is an arrow off the right edge. Hovering a
point shows its name, parameters and NLL; clicking it emits
:attr:`TradeoffChart.point_clicked`. The points come from
:func:`models.tradeoff.tradeoff_points`; this widget only draws them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_app.theme import PALETTE, SERIES, style_plot
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.words import library_text
from models.counting import ParameterCount
from models.tradeoff import TradeoffPoint

__all__ = ["TradeoffChart"]

#: The x range (log₁₀ parameters) the chart always shows; the arrow sits right.
_X_RANGE = (2.5, 8.6)


def _superscript(value: int) -> str:
    return str(value).translate(str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))


def _power_text(joint: ParameterCount) -> str:
    """``2⁷⁸⁴ − 1`` from the count's substituted formula ``2^784 − 1``."""
    base, _, rest = joint.substituted.partition("^")
    exponent, _, tail = rest.partition(" ")
    if not exponent.isdigit():
        return joint.substituted
    return f"{base}{_superscript(int(exponent))} {tail}".strip()


class TradeoffChart(FollowsLanguage, QWidget):
    """Parameters (log scale) against validation NLL, one point per model.

    Signals
    -------
    point_clicked(object)
        The :class:`~models.tradeoff.TradeoffPoint` the user clicked.
    """

    point_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(self)
        self.plot.setLogMode(x=True, y=False)
        # whole decades first (pyqtgraph's own spacing can put every minor
        # tick's label at its always-drawn first level, overlapping)
        self.plot.getPlotItem().getAxis("bottom").setTickSpacing(major=1.0, minor=0.5)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setMinimumSize(300, 220)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.scatter = pg.ScatterPlotItem(hoverable=True, tip=self._tip, size=11)
        self.scatter.setZValue(10)
        self.chain = pg.PlotDataItem(
            pen=pg.mkPen(SERIES[1], width=2, style=Qt.PenStyle.DashLine)
        )
        self.plot.addItem(self.chain)
        self.leaders = pg.PlotCurveItem(
            pen=pg.mkPen(PALETTE["muted"], width=1), connect="pairs"
        )
        self.plot.addItem(self.leaders)
        self.plot.addItem(self.scatter)
        self.arrow = pg.ArrowItem(
            angle=180, headLen=18, tailLen=40, tailWidth=3, brush=PALETTE["alarm"]
        )
        self.arrow_text = pg.TextItem(color=PALETTE["alarm"], anchor=(1, 1))
        self.plot.addItem(self.arrow)
        self.plot.addItem(self.arrow_text)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        self._points: list[TradeoffPoint] = []
        self._labels: list[pg.TextItem] = []
        self._joint: ParameterCount | None = None
        self.scatter.sigClicked.connect(self._on_clicked)
        self.plot.getPlotItem().getViewBox().sigResized.connect(self._place_labels)
        self.retranslate()
        style_plot(self.plot)

    def retranslate(self) -> None:
        """Set the texts in the current language."""
        self.plot.setLabel("bottom", self.tr("parameters (log scale)"))
        self.plot.setLabel("left", self.tr("validation NLL (nats per image)"))
        self.caption.setText(
            self.tr(
                "Every model shipped on binarized MNIST: its number of parameters "
                "against its validation NLL (lower fits better). The Markov chains "
                "AR-k along the raster order, fitted exactly by counting, are "
                "joined by the dashed line; filled points ship with the app, an "
                "open one is regenerated on request. Hover a point for its "
                "numbers; click it to load the model."
            )
        )
        self.plot.setToolTip(self.tr("Parameters against fit; click a point"))
        for label, point in zip(self._labels, self._points, strict=True):
            label.setText(library_text(point.label))
        self._draw_arrow()
        style_plot(self.plot)
        self._place_labels()  # the labels' sizes changed

    def points(self) -> list[TradeoffPoint]:
        """The points drawn, fewest parameters first."""
        return list(self._points)

    def set_points(
        self, points: Sequence[TradeoffPoint], joint: ParameterCount | None
    ) -> None:
        """Draw ``points`` and the fully dependent joint's arrow."""
        self._points = list(points)
        self._joint = joint
        spots = []
        for index, point in enumerate(self._points):
            markov = point.order is not None
            colour = SERIES[1] if markov else SERIES[0]
            spots.append(
                {
                    # a scatter is not log-transformed by the plot: log₁₀ here
                    "pos": (math.log10(point.num_parameters), point.valid_nll),
                    "data": index,
                    "brush": pg.mkBrush(colour if point.shipped else "w"),
                    "pen": pg.mkPen(colour, width=2),
                    "symbol": "s" if markov else "o",
                }
            )
        self.scatter.setData(spots)
        chain = [p for p in self._points if p.order is not None]
        self.chain.setData(
            [p.num_parameters for p in chain], [p.valid_nll for p in chain]
        )
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        for point in self._points:
            label = pg.TextItem(
                library_text(point.label), color=PALETTE["ink"], anchor=(0, 1)
            )
            label.setPos(math.log10(point.num_parameters), point.valid_nll)
            self.plot.addItem(label)
            self._labels.append(label)
        nlls = [p.valid_nll for p in self._points] or [80.0, 210.0]
        low, high = min(nlls), max(nlls)
        pad = max(4.0, 0.08 * (high - low))
        self.plot.setXRange(*_X_RANGE, padding=0)
        self.plot.setYRange(low - pad, high + 2 * pad, padding=0)
        self._draw_arrow()
        self._place_labels()

    def _place_labels(self) -> None:
        """Put each label where it covers least of the other labels and points.

        Greedy, fewest parameters first: above or below the point (one or two
        lines further out when crowded, with a leader line), right or left;
        sizes are measured in pixels at the plot's current size.
        """
        view = self.plot.getPlotItem().getViewBox()
        width, height = view.width(), view.height()
        (x0, x1), (y0, y1) = view.viewRange()
        if width <= 0 or height <= 0 or x1 <= x0 or y1 <= y0:
            return

        def to_pixels(x: float, y: float) -> tuple[float, float]:
            return (x - x0) / (x1 - x0) * width, (y1 - y) / (y1 - y0) * height

        def to_data(x: float, y: float) -> tuple[float, float]:
            return x0 + x / width * (x1 - x0), y1 - y / height * (y1 - y0)

        def overlap(box: tuple[float, ...], other: tuple[float, ...]) -> float:
            across = min(box[2], other[2]) - max(box[0], other[0])
            down = min(box[3], other[3]) - max(box[1], other[1])
            return max(0.0, across) * max(0.0, down)

        spots = [
            to_pixels(math.log10(p.num_parameters), p.valid_nll) for p in self._points
        ]
        taken: list[tuple[float, ...]] = [
            (x - 7, y - 7, x + 7, y + 7) for x, y in spots
        ]
        leaders_x: list[float] = []
        leaders_y: list[float] = []
        gap = 9
        for label, (x, y) in zip(self._labels, spots, strict=True):
            size = label.textItem.boundingRect()  # the text as drawn, in pixels
            w, h = size.width(), size.height()
            options = []  # (left, top, how far out) in pixels
            for out in range(3):
                lift = out * h
                options += [
                    (x + gap / 2, y - gap - h - lift, out),
                    (x + gap / 2, y + gap + lift, out),
                    (x - gap / 2 - w, y - gap - h - lift, out),
                    (x - gap / 2 - w, y + gap + lift, out),
                ]
                if out == 0:
                    options += [(x + gap, y - h / 2, 0), (x - gap - w, y - h / 2, 0)]

            def cost(
                option: tuple[float, float, int], w: float = w, h: float = h
            ) -> float:
                left, top, out = option
                box = (left, top, left + w, top + h)
                outside = (
                    max(0.0, -left)
                    + max(0.0, -top)
                    + max(0.0, box[2] - width)
                    + max(0.0, box[3] - height)
                )
                covered = sum(overlap(box, other) for other in taken)
                return float(1000 * outside + covered + 40 * out)

            left, top, out = min(options, key=cost)
            taken.append((left, top, left + w, top + h))
            label.setAnchor((0, 0))  # its top left corner, in data coordinates
            label.setPos(*to_data(left, top))
            if out:
                end = (left + w / 2, top + h if top < y else top)
                for a, b in (to_data(x, y), to_data(*end)):
                    leaders_x.append(a)
                    leaders_y.append(b)
        self.leaders.setData(leaders_x, leaders_y)

    def _draw_arrow(self) -> None:
        """The full joint: an arrow at the right edge, pointing off the chart."""
        joint = self._joint
        visible = joint is not None and bool(self._points)
        self.arrow.setVisible(visible)
        self.arrow_text.setVisible(visible)
        if joint is None or not self._points:
            return
        nlls = [p.valid_nll for p in self._points]
        y = min(nlls) + 0.75 * (max(nlls) - min(nlls))  # above the chain
        self.arrow.setPos(_X_RANGE[1], y)
        mantissa, exponent = joint.magnitude.scientific(2)
        self.arrow_text.setText(
            self.tr("fully dependent: {count} ≈ {m} × 10{e} parameters").format(
                count=_power_text(joint),
                m=mantissa,
                e=_superscript(exponent),
            )
        )
        self.arrow_text.setPos(_X_RANGE[1] - 0.05, y)

    def describe(self, point: TradeoffPoint) -> str:
        """The hover text of ``point``: name, parameters, NLL, where it is from."""
        if point.shipped:
            origin = self.tr("shipped")
        elif point.path is not None:
            origin = self.tr("regenerated by counting, in your library")
        else:
            origin = self.tr("not shipped: click to regenerate it (seconds)")
        return self.tr(
            "{name}\n{params} parameters\nvalidation NLL {nll} nats\n{origin}"
        ).format(
            name=point.name,
            params=f"{point.num_parameters:,}",
            nll=f"{point.valid_nll:.2f}",
            origin=origin,
        )

    def _tip(self, x: float, y: float, data: Any) -> str:
        if isinstance(data, int) and 0 <= data < len(self._points):
            return self.describe(self._points[data])
        return ""

    def _on_clicked(self, item: Any, spots: Sequence[Any], event: Any) -> None:
        if len(spots):
            index = spots[0].data()
            if isinstance(index, int) and 0 <= index < len(self._points):
                self.point_clicked.emit(self._points[index])
