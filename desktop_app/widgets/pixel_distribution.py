"""One pixel's predictive distribution p(x_i | x_<i), drawn as the model gives it.

A discrete pixel (binary, or K gray levels) is a bar per level, its height the
level's probability. A continuous pixel (a mixture of Gaussians, RNADE's
conditional) is its density curve over [0, 1], each weighted component dashed
beneath it, so the mixture is seen to be the sum of its parts. A vertical line
marks the value that was drawn (or given). The numbers come from the model's
likelihood (:meth:`models.likelihoods.PixelLikelihood.summary`); this widget
only draws them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.theme import PALETTE, SERIES, style_plot
from desktop_app.widgets.language import FollowsLanguage
from models.likelihoods import PixelSummary

__all__ = ["PixelDistribution"]

#: The conditional the plot shows (a formula: never translated).
CONDITIONAL = "p(x<sub>i</sub> | x<sub>&lt;i</sub>)"


class PixelDistribution(FollowsLanguage, QWidget):
    """A plot of one pixel's distribution, with the drawn value marked.

    :meth:`set_distribution` shows a :class:`~models.likelihoods.PixelSummary`;
    :meth:`clear` empties the plot and says why. What is shown can be read
    back: :meth:`bars`, :meth:`density`, :meth:`components`,
    :meth:`marked_value`.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = QLabel(self)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget(self)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setXRange(0, 1)
        self.plot.setMinimumHeight(110)
        style_plot(self.plot)
        self.bar_item = pg.BarGraphItem(x=[], height=[], width=0.1)
        self.density_item = pg.PlotDataItem(
            pen=pg.mkPen(PALETTE["accent"], width=2.5),
            fillLevel=0,
            brush=pg.mkBrush(*PALETTE["accent_light"], 110),
        )
        self.component_items: list[pg.PlotDataItem] = []
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(PALETTE["alarm"], width=2))
        #: Where a spike of the density rises above the view, its height.
        self.peak_note = pg.TextItem(color=PALETTE["ink"], fill="#ffffffd0")
        for item in (self.bar_item, self.density_item, self.marker, self.peak_note):
            self.plot.addItem(item)
            item.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.plot, 1)
        self.caption.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum
        )
        self._discrete = True
        self._marked: tuple[float, bool] | None = None
        self._caption = ""
        self._peak: tuple[float, float] | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """Set the axis labels and the caption's own words in the current language."""
        self.plot.setLabel(
            "bottom", self.tr("value of pixel x<sub>i</sub> (0 black, 1 white)")
        )
        self._label_left()
        self._show_caption()
        self._show_peak()

    def _label_left(self) -> None:
        density = self.tr("density {conditional}").format(conditional=CONDITIONAL)
        self.plot.setLabel("left", CONDITIONAL if self._discrete else density)

    def _show_caption(self) -> None:
        caption = self._caption
        if self._marked is not None:
            value, given = self._marked
            alarm = "#{:02x}{:02x}{:02x}".format(*PALETTE["alarm"])
            number = QLocale().toString(value, "g", 3)
            line = (
                self.tr("Red line: the value given, {value}.")
                if given
                else self.tr("Red line: the value drawn, {value}.")
            ).format(value=number)
            caption += f" <span style='color:{alarm}'>{line}</span>"
        self.caption.setText(caption)

    # -- what to show --------------------------------------------------------------

    def set_distribution(
        self,
        summary: PixelSummary,
        value: float | None = None,
        *,
        caption: str = "",
        given: bool = False,
    ) -> None:
        """Show ``summary``; mark ``value`` (the drawn or ``given`` value) if any.

        The caption is ``caption`` (given translated: the owner sets it again
        when the language changes), then the value marked, in words.
        """
        self._discrete = summary.discrete
        self._caption = caption
        self._marked = None if value is None else (float(value), given)
        self._show_caption()
        if summary.discrete:
            self._show_bars(summary, value)
        else:
            self._show_density(summary)
        if value is None:
            self.marker.setVisible(False)
        else:
            self.marker.setValue(float(value))
            self.marker.setVisible(True)

    def clear(self, caption: str = "") -> None:
        """Show no distribution; ``caption`` says why."""
        self._caption, self._marked, self._peak = caption, None, None
        self.caption.setText(caption)
        self.bar_item.setOpts(x=[], height=[])
        self.bar_item.setVisible(False)
        self.density_item.setData([], [])
        self.density_item.setVisible(False)
        self._set_components([], [])
        self.marker.setVisible(False)
        self.peak_note.setVisible(False)

    def _show_bars(self, summary: PixelSummary, value: float | None) -> None:
        values, p = summary.values, summary.probabilities
        levels = len(values)
        width = 0.8 / max(levels - 1, 1) if levels > 2 else 0.35
        drawn = -1 if value is None else int(np.argmin(np.abs(values - value)))
        brushes = [
            pg.mkBrush(PALETTE["alarm"] if k == drawn else PALETTE["accent"])
            for k in range(levels)
        ]
        self.bar_item.setOpts(
            x=values, height=p, width=width, brushes=brushes, pen=pg.mkPen(None)
        )
        self.bar_item.setVisible(True)
        self.density_item.setVisible(False)
        self._set_components([], [])
        self._label_left()
        axis = self.plot.getPlotItem().getAxis("bottom")
        if levels <= 6:  # name each level
            axis.setTicks([[(float(v), f"{v:.2g}") for v in values]])
        else:
            axis.setTicks(None)
        top = _view_top(p) if levels > 6 else (float(p.max()) if len(p) else 1.0)
        self.plot.setYRange(0, max(1.12 * top, 1e-3), padding=0)
        self.plot.setXRange(-width, 1 + width, padding=0.02)
        self._note_peak(values, p, top)

    def _show_density(self, summary: PixelSummary) -> None:
        grid, density = summary.values, summary.probabilities
        self.bar_item.setVisible(False)
        self.density_item.setData(grid, density)
        self.density_item.setVisible(True)
        parts = [] if summary.components is None else list(summary.components)
        self._set_components(grid, parts)
        self._label_left()
        self.plot.getPlotItem().getAxis("bottom").setTicks(None)
        top = _view_top(density)
        self.plot.setYRange(0, max(1.12 * top, 0.1), padding=0)
        self.plot.setXRange(0, 1, padding=0.02)
        self._note_peak(grid, density, top)

    def _note_peak(
        self, x: NDArray[np.float64], y: NDArray[np.float64], top: float
    ) -> None:
        """Where the view stops below a narrow peak, say how high it goes."""
        peak = float(y.max()) if len(y) else 0.0
        if peak <= 1.12 * top:
            self._peak = None
            self.peak_note.setVisible(False)
            return
        where = float(x[int(np.argmax(y))])
        self._peak = (peak, where)
        self._show_peak()
        self.peak_note.setPos(where, 1.12 * top)
        self.peak_note.setAnchor((0.0 if where < 0.5 else 1.0, 0.0))
        self.peak_note.setVisible(True)

    def _show_peak(self) -> None:
        if self._peak is not None:
            peak, where = self._peak
            locale = QLocale()
            self.peak_note.setText(
                self.tr("↑ peak {peak} at {where}").format(
                    peak=locale.toString(peak, "g", 3),
                    where=locale.toString(where, "f", 2),
                )
            )

    def _set_components(
        self, grid: NDArray[np.float64] | list[float], parts: list[NDArray[np.float64]]
    ) -> None:
        """One dashed curve per weighted component (made as needed, reused)."""
        while len(self.component_items) < len(parts):
            colour = SERIES[(len(self.component_items) + 1) % len(SERIES)]
            item = pg.PlotDataItem(
                pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
            )
            self.plot.addItem(item)
            self.component_items.append(item)
        for i, item in enumerate(self.component_items):
            if i < len(parts):
                item.setData(grid, parts[i])
                item.setVisible(True)
            else:
                item.setData([], [])
                item.setVisible(False)

    # -- what is shown ---------------------------------------------------------------

    def is_discrete(self) -> bool:
        """Whether the last distribution shown was over discrete levels."""
        return self._discrete

    def bars(self) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
        """The bars drawn: (levels, heights), or None when no bars are shown."""
        if not self.bar_item.isVisible():
            return None
        opts = self.bar_item.opts
        return np.asarray(opts["x"], float), np.asarray(opts["height"], float)

    def drawn_bar(self) -> int | None:
        """The index of the bar coloured as drawn, or None."""
        if not self.bar_item.isVisible() or not self.marker.isVisible():
            return None
        alarm = pg.mkBrush(PALETTE["alarm"]).color()
        brushes = self.bar_item.opts["brushes"]
        marked = [i for i, b in enumerate(brushes) if pg.mkBrush(b).color() == alarm]
        return marked[0] if marked else None

    def density(self) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
        """The density curve drawn: (grid, density), or None."""
        if not self.density_item.isVisible():
            return None
        x, y = self.density_item.getData()
        return np.asarray(x, float), np.asarray(y, float)

    def components(self) -> list[NDArray[np.float64]]:
        """The weighted component curves drawn (each over the density's grid)."""
        return [
            np.asarray(item.getData()[1], float)
            for item in self.component_items
            if item.isVisible()
        ]

    def marked_value(self) -> float | None:
        """The value marked as drawn or given, or None."""
        return float(self.marker.value()) if self.marker.isVisible() else None


def _view_top(density: NDArray[np.float64]) -> float:
    """How high to show a curve or bars: the maximum, unless a narrow spike towers.

    A dequantized black background gives a component a fraction of a level
    wide and hundreds high, and a 256-way softmax can put 0.97 on black;
    shown whole, the spike flattens the rest to the axis. When fewer than
    3 % of the points rise above half the maximum, the view stops at the
    highest point outside that spike (the spike's height is then written).
    """
    if not len(density):
        return 1.0
    peak = float(density.max())
    spike = density > 0.5 * peak
    if spike.mean() >= 0.03:
        return peak
    # widen the spike to its foot so the view is not set by its flanks
    foot = np.convolve(spike, np.ones(2 * max(1, len(density) // 50) + 1), "same") > 0
    rest = density[~foot]
    return float(rest.max()) if len(rest) and rest.max() > 0 else peak
