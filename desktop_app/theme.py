"""One visual language for every panel: palette, spacing, type scale, zoom.

Panels take their colours from :data:`PALETTE` and :data:`SERIES`, their plot
styling from :func:`style_plot`, and larger text from :func:`scaled_font`, so
*presentation mode* (View → Zoom in / out / reset) scales every font, plot
label and tick at once: :class:`Theme` sets the application font and tells the
plots and styled labels to follow.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontInfo, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.widgets.plot_menus import follow_language

__all__ = [
    "HANGUL_FAMILIES",
    "PALETTE",
    "SERIES",
    "SPACING",
    "ZOOM_STEPS",
    "Theme",
    "colour",
    "scaled_font",
    "style_label",
    "style_plot",
    "theme",
    "use_hangul_fallback",
]

#: Named colours, (r, g, b). One accent (blue) for "the model", one alarm (red)
#: for "this one" / "look here", greys for what is out of play.
PALETTE: dict[str, tuple[int, int, int]] = {
    "ink": (30, 30, 30),
    "muted": (120, 120, 120),
    "faint": (200, 200, 200),
    "accent": (38, 110, 200),
    "accent_light": (140, 190, 245),
    "alarm": (215, 45, 40),
    "warn": (220, 140, 0),
    "good": (40, 150, 80),
    "highlight": (255, 120, 0),
    "background": (255, 255, 255),
}

#: Colours for several series in one plot, distinct for colour-blind readers
#: as far as ten can be (Okabe–Ito first, then the Solarized accents).
SERIES: list[tuple[int, int, int]] = [
    (0, 114, 178),
    (213, 94, 0),
    (0, 158, 115),
    (204, 121, 167),
    (230, 159, 0),
    (86, 180, 233),
    (120, 120, 120),
    (108, 113, 196),
    (133, 153, 0),
    (0, 0, 0),
]

#: Spacing between controls, in pixels at zoom 1.
SPACING = 6

#: The zoom factors presentation mode steps through.
ZOOM_STEPS: tuple[float, ...] = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)


#: Font families with Hangul, in order of preference: Windows, macOS, Linux.
HANGUL_FAMILIES: tuple[str, ...] = (
    "Malgun Gothic",
    "Apple SD Gothic Neo",
    "Noto Sans CJK KR",
    "NanumGothic",
)


def use_hangul_fallback() -> list[str]:
    """Let every font fall back to an installed Hangul family (no box glyphs).

    The application font keeps its family and gets the first installed
    family of :data:`HANGUL_FAMILIES` after it; every family in use gets it
    as a substitute, so fonts made elsewhere (plots, rich text) find Hangul
    too. Call once, after the ``QApplication`` exists.

    Returns
    -------
    list[str]
        The application font's families now (its own first).
    """
    installed = set(QFontDatabase.families())
    hangul = [family for family in HANGUL_FAMILIES if family in installed]
    font = QGuiApplication.font()
    # the family actually in use first: a generic name such as "Sans Serif"
    # is no installed family, and in a list Qt would skip it for the Hangul
    # one, drawing Latin text, digits and superscripts (10³) in the latter
    families = [QFontInfo(font).family(), *font.families()]
    families = list(dict.fromkeys(f for f in families if f in installed)) or [
        font.family()
    ]
    for family in hangul[:1]:
        if family not in families:
            families.append(family)
        for name in {*families, font.defaultFamily()} - {family}:
            QFont.insertSubstitutions(name, hangul)
    font.setFamilies(families)
    QApplication.setFont(font)
    return families


def colour(name: str, alpha: int = 255) -> QColor:
    """A palette colour as a ``QColor``."""
    r, g, b = PALETTE[name]
    return QColor(r, g, b, alpha)


class Theme(QObject):
    """The application's zoom: the base font times a factor.

    Signals
    -------
    zoom_changed(float)
        The new factor; the application font is already set.
    """

    zoom_changed = Signal(float)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        font = QGuiApplication.font()
        self.base_point_size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
        self.zoom = 1.0
        self._followers: list[tuple[weakref.ref[Any], Callable[[Any], None]]] = []

    def point_size(self, scale: float = 1.0) -> float:
        """The point size of text ``scale`` times the body size, at this zoom."""
        return self.base_point_size * self.zoom * scale

    def set_zoom(self, factor: float) -> None:
        """Scale every font by ``factor`` (clamped to the zoom steps' range)."""
        factor = min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        self.zoom = factor
        font = QGuiApplication.font()
        font.setPointSizeF(self.point_size())
        QApplication.setFont(font)
        alive = []
        for ref, apply in self._followers:
            target = ref()
            # a closed window's widgets may outlive their C++ side in Python
            if target is not None and shiboken6.isValid(target):
                apply(target)
                alive.append((ref, apply))
        self._followers = alive
        self.zoom_changed.emit(factor)

    def step(self, direction: int) -> float:
        """Go one zoom step up (+1), down (−1), or back to 1 (0)."""
        if direction == 0:
            self.set_zoom(1.0)
            return self.zoom
        larger = [z for z in ZOOM_STEPS if z > self.zoom + 1e-6]
        smaller = [z for z in ZOOM_STEPS if z < self.zoom - 1e-6]
        if direction > 0 and larger:
            self.set_zoom(larger[0])
        elif direction < 0 and smaller:
            self.set_zoom(smaller[-1])
        return self.zoom

    def follow(self, target: Any, apply: Callable[[Any], None]) -> None:
        """Call ``apply(target)`` now and at every zoom change while it lives."""
        apply(target)
        self._followers.append((weakref.ref(target), apply))


_theme: Theme | None = None


def theme() -> Theme:
    """The application's theme (made on first use, after the QApplication)."""
    global _theme
    if _theme is None:
        _theme = Theme(QApplication.instance())
    return _theme


def scaled_font(scale: float = 1.0, *, bold: bool = False) -> QFont:
    """The application font at ``scale`` times the body size, at the current zoom."""
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(theme().point_size(scale))
    font.setBold(bold)
    return font


def style_label(label: QWidget, scale: float = 1.0, *, bold: bool = False) -> None:
    """Give ``label`` a font ``scale`` times the body size that follows the zoom."""
    theme().follow(label, lambda w: w.setFont(scaled_font(scale, bold=bold)))


def _apply_plot_style(plot: pg.PlotWidget) -> None:
    size = theme().point_size(0.95)
    tick_font = scaled_font(0.9)
    item = plot.getPlotItem()
    if item is None:  # a closed plot: pyqtgraph dropped its item
        return
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.setTextPen(pg.mkPen(PALETTE["ink"]))
        axis.setPen(pg.mkPen(PALETTE["muted"]))
        axis.setStyle(tickFont=tick_font)
        axis.labelStyle = {"color": "#1e1e1e", "font-size": f"{size:.1f}pt"}
        if axis.labelText or axis.labelUnits:
            axis.setLabel(axis.labelText, axis.labelUnits)
        # our labels carry their units: never rescale ticks to "×0.001"
        axis.enableAutoSIPrefix(False)
    title = item.titleLabel
    if title.text:
        title.setText(title.text, size=f"{theme().point_size(1.05):.1f}pt")
    legend = item.legend
    if legend is not None:
        legend.setLabelTextSize(f"{size:.1f}pt")
        legend.setLabelTextColor(PALETTE["ink"])


def style_plot(plot: pg.PlotWidget) -> None:
    """White background, palette pens, and text that follows the zoom.

    Call it after the plot's axis labels and legend exist (or again after
    adding them); it re-applies itself at every zoom change.
    """
    plot.setBackground("w")
    theme().follow(plot, _apply_plot_style)
    follow_language(plot)
