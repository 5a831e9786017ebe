"""A plot made in English gets a Korean right-click menu after a live switch.

pyqtgraph builds its menus once; ``desktop_app.widgets.plot_menus`` sets their
texts again on every language change. The plot here is made before the switch,
as every plot of a running window is, and read through its real menus.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication, QMenu

from desktop_app import i18n
from desktop_app.theme import style_plot

HANGUL = re.compile("[가-힣]")


@pytest.fixture
def plot(qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.setLabel("bottom", "epoch")
    style_plot(widget)
    yield widget
    i18n.install(QApplication.instance(), "en")
    QApplication.processEvents()


def menu_texts(plot: pg.PlotWidget) -> dict[str, str]:
    """What a user reads in the plot's menus: view box, plot options, export."""
    item = plot.getPlotItem()
    box_menu = item.getViewBox().menu
    subs = [a.menu() for a in box_menu.actions() if isinstance(a.menu(), QMenu)]
    options = item.ctrlMenu
    option_subs = [a.menu() for a in options.actions() if a.menu() is not None]
    return {
        "view all": box_menu.viewAll.text(),
        "x axis": subs[0].title(),
        "mouse mode": subs[-1].title(),
        "one button": box_menu.mouseModes[1].text(),
        "plot options": options.title(),
        "grid": option_subs[4].title(),
        "grid check": item.ctrl.xGridCheck.text(),
        "x-axis control": box_menu.ctrl[0].mouseCheck.text(),
        "export": plot.scene().contextMenu[0].text(),
    }


def test_plot_menus_switch_language_live_and_back(plot):
    english = menu_texts(plot)
    assert english["view all"] == "View All"
    assert english["plot options"] == "Plot Options"
    assert english["export"] == "Export..."

    i18n.install(QApplication.instance(), "ko")
    QApplication.processEvents()  # deliver LanguageChange
    korean = menu_texts(plot)
    assert all(HANGUL.search(text) for text in korean.values()), korean

    i18n.install(QApplication.instance(), "en")
    QApplication.processEvents()
    assert menu_texts(plot) == english


def test_a_closed_plot_is_skipped_by_zoom_and_language_changes(qtbot):
    from desktop_app.theme import theme

    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    style_plot(widget)
    widget.close()  # pyqtgraph drops the plot item; the widget lives on
    assert widget.getPlotItem() is None
    zoom = theme().zoom
    theme().step(+1)
    i18n.install(QApplication.instance(), "ko")
    QApplication.processEvents()
    i18n.install(QApplication.instance(), "en")
    QApplication.processEvents()
    theme().set_zoom(zoom)
    assert theme().zoom == zoom


def glyph_fonts(text: str) -> set[str]:
    """The font families Qt lays ``text`` out in, with the application font."""
    from PySide6.QtGui import QGuiApplication, QTextLayout

    layout = QTextLayout(text, QGuiApplication.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def test_hangul_falls_back_without_taking_latin_digits_and_superscripts(qapp):
    from PySide6.QtGui import QFontDatabase

    from desktop_app.theme import HANGUL_FAMILIES, use_hangul_fallback

    installed = set(QFontDatabase.families())
    hangul = [f for f in HANGUL_FAMILIES if f in installed]
    if not hangul:
        pytest.skip("no Hangul font installed (CI installs fonts-nanum)")
    families = use_hangul_fallback()
    assert families[0] not in HANGUL_FAMILIES and hangul[0] in families
    # a tick label of the counter's log axis keeps the interface's own font
    assert glyph_fonts("10³ 10⁴") == {families[0]}
    # and Hangul still finds its font: no box glyphs
    assert hangul[0] in glyph_fonts("매개변수 수")
