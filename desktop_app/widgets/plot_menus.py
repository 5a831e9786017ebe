"""Plots' right-click menus that follow a live language switch.

pyqtgraph passes its menu texts through ``QCoreApplication.translate`` (our
``pyqtgraph`` translation area covers them), but it builds each menu once, when
the plot is made. A plot made in English would keep an English menu after
View → Language → 한국어. :func:`follow_language` watches a plot for
``QEvent.LanguageChange`` and sets every text of its menus again, in place, so
the menus keep their state and connections: the ViewBox menu (view all, the X
and Y axis controls, mouse mode), the plot-options menu and its panels, and
the scene's *Export…* entry.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QMenu, QWidget, QWidgetAction

__all__ = ["follow_language", "retranslate_plot_menus"]

#: The plot-options submenus, in the order pyqtgraph adds them.
_PLOT_OPTIONS = ("Transforms", "Downsample", "Average", "Alpha", "Grid", "Points")


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def _submenus(menu: QMenu) -> list[QMenu]:
    found = (action.menu() for action in menu.actions())
    return [sub for sub in found if isinstance(sub, QMenu)]


def _action_widget(menu: QMenu) -> QWidget | None:
    """The widget a one-action menu shows (pyqtgraph's control panels)."""
    for action in menu.actions():
        if isinstance(action, QWidgetAction):
            return action.defaultWidget()
    return None


def _retranslate_view_box_menu(menu: QMenu) -> None:
    """ViewBoxMenu: title, View All, the X and Y axis panels, Mouse Mode."""
    menu.setTitle(_translate("ViewBox", "ViewBox options"))
    view_all = getattr(menu, "viewAll", None)
    if view_all is not None:
        view_all.setText(_translate("ViewBox", "View All"))
    subs = _submenus(menu)
    axes = [m for m in subs if _action_widget(m) is not None]
    for name, sub, ui in zip("XY", axes, getattr(menu, "ctrl", []), strict=False):
        sub.setTitle(f"{name} {_translate('ViewBox', 'axis')}")
        widget = _action_widget(sub)
        if widget is not None:
            ui.retranslateUi(widget)
    modes = [m for m in subs if _action_widget(m) is None]
    for sub in modes:
        sub.setTitle(_translate("ViewBox", "Mouse Mode"))
    for action, text in zip(
        getattr(menu, "mouseModes", []), ("3 button", "1 button"), strict=False
    ):
        action.setText(_translate("ViewBox", text))


def _retranslate_plot_options(item: pg.PlotItem) -> None:
    """PlotItem's *Plot Options* menu and the control panels inside it."""
    menu = getattr(item, "ctrlMenu", None)
    if menu is None:
        return
    menu.setTitle(_translate("PlotItem", "Plot Options"))
    for sub, text in zip(_submenus(menu), _PLOT_OPTIONS, strict=False):
        sub.setTitle(_translate("PlotItem", text))
    if getattr(item, "ctrl", None) is not None:
        # the template's group boxes now sit in the submenus; its form, whose
        # window title is all retranslateUi sets on it, was a throwaway
        item.ctrl.retranslateUi(QWidget())


def retranslate_plot_menus(plot: pg.PlotWidget) -> None:
    """Set every text of ``plot``'s right-click menus in the current language."""
    item = plot.getPlotItem()
    if item is None:  # a closed plot: pyqtgraph dropped its item
        return
    view_box = item.getViewBox()
    if view_box is not None and isinstance(getattr(view_box, "menu", None), QMenu):
        _retranslate_view_box_menu(view_box.menu)
    _retranslate_plot_options(item)
    scene = plot.scene()
    for action in getattr(scene, "contextMenu", []):
        action.setText(_translate("GraphicsScene", "Export..."))


class _LanguageWatcher(QObject):
    """Calls :func:`retranslate_plot_menus` on its plot's LanguageChange."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange and isinstance(
            watched, pg.PlotWidget
        ):
            retranslate_plot_menus(watched)
        return False


def follow_language(plot: pg.PlotWidget) -> None:
    """Keep ``plot``'s menus in the interface's language (idempotent)."""
    if plot.property("ar_menus_follow_language"):
        return
    watcher = _LanguageWatcher(plot)
    plot.installEventFilter(watcher)
    plot.setProperty("ar_menus_follow_language", True)
