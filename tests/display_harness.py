"""The real app, under test on a real display, answering questions on stdin.

Run as ``python -m tests.display_harness SETTINGS_DIR`` on an X display. The
window is the real one (``MainWindow``, real library, real models); the test
moves the real pointer and presses real keys with xdotool. This process only
*reports*: each line on stdin is a JSON question, each answer one JSON line:

- ``{"q": "where", "path": "4.clear_button"}``: the widget's global rectangle
  (``panels[4].clear_button``; a leading ``window.`` names the window's own);
- ``{"q": "text", "path": ...}``: a label's, button's or box's text;
- ``{"q": "texts", "path": ...}``: every visible label under a widget;
- ``{"q": "value", "path": ..., "call": "method"}``: ``str(widget.method())``;
- ``{"q": "cell", "path": ..., "text": ...}``: the global rectangle of the
  table cell showing ``text`` (a row of the model library, say);
- ``{"q": "grid", "path": ...}``: the global rectangle of a pixel grid's
  cells (the canvas's drawing area, without its margins);
- ``{"q": "gap"}``: the longest gap between ticks of a 10 ms timer since the
  last ``gap`` question (how long the GUI thread was unresponsive);
- ``{"q": "shot", "file": ...}``: a screenshot of the screen;
- ``{"q": "quit"}``.

Nothing here clicks, types or calls a slot.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from PySide6.QtCore import QSettings, QSocketNotifier, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from desktop_app.app import MainWindow, tune_for_interaction
from desktop_app.workers import configure_pool

TITLE = "AR Explorer under test"


class Harness:
    """Answers questions about the window; measures the GUI thread's gaps."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.last_tick = time.perf_counter()
        self.longest_gap = 0.0
        self.ticker = QTimer()
        self.ticker.setInterval(10)
        self.ticker.timeout.connect(self._tick)
        self.ticker.start()
        self.notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
        self.notifier.activated.connect(self._on_input)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_gap = max(self.longest_gap, now - self.last_tick)
        self.last_tick = now

    def resolve(self, path: str) -> Any:
        head, *rest = path.split(".")
        target: Any = self.window if head == "window" else self.window.panels[int(head)]
        for name in rest:
            target = target[int(name)] if name.isdigit() else getattr(target, name)
        return target

    def _on_input(self) -> None:
        line = sys.stdin.readline()
        if not line:
            self.notifier.setEnabled(False)
            return
        question = json.loads(line)
        try:
            answer = self.answer(question)
        except Exception as exc:  # a test's mistake: say it, keep running
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)

    def answer(self, question: dict[str, Any]) -> dict[str, Any]:
        kind = question["q"]
        if kind == "gap":
            gap = max(self.longest_gap, time.perf_counter() - self.last_tick)
            self.longest_gap = 0.0
            return {"gap_ms": 1000 * gap}
        if kind == "quit":
            QTimer.singleShot(0, self.window.close)
            return {"ok": True}
        if kind == "shot":
            screen = QApplication.primaryScreen()
            screen.grabWindow(0).save(question["file"])
            return {"ok": True}
        widget = self.resolve(question["path"])
        if kind == "where":
            corner = widget.mapToGlobal(widget.rect().topLeft())
            return {
                "x": corner.x(),
                "y": corner.y(),
                "w": widget.width(),
                "h": widget.height(),
                "visible": widget.isVisible(),
                "enabled": widget.isEnabled(),
            }
        if kind == "text":
            return {"text": _text(widget)}
        if kind == "grid":
            h, w = widget.shape
            top_left = widget.cell_rect(0, 0).topLeft().toPoint()
            bottom_right = widget.cell_rect(h - 1, w - 1).bottomRight().toPoint()
            corner = widget.mapToGlobal(top_left)
            return {
                "x": corner.x(),
                "y": corner.y(),
                "w": bottom_right.x() - top_left.x(),
                "h": bottom_right.y() - top_left.y(),
                "visible": widget.isVisible(),
                "enabled": widget.isEnabled(),
            }
        if kind == "cell":
            (item,) = widget.findItems(question["text"], Qt.MatchFlag.MatchExactly)
            rect = widget.visualItemRect(item)
            corner = widget.viewport().mapToGlobal(rect.topLeft())
            return {
                "x": corner.x(),
                "y": corner.y(),
                "w": rect.width(),
                "h": rect.height(),
                "visible": widget.isVisible(),
                "enabled": widget.isEnabled(),
            }
        if kind == "texts":
            labels = [
                _text(label)
                for label in widget.findChildren(QLabel)
                if label.isVisible() and _text(label)
            ]
            return {"texts": labels}
        if kind == "value":
            return {"value": str(getattr(widget, question["call"])())}
        raise ValueError(f"unknown question {kind!r}")


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QSpinBox):
        return widget.text()
    raise TypeError(f"{type(widget).__name__} has no text")


def main() -> int:
    """Start the window and answer questions until it closes."""
    app = QApplication(sys.argv[:1])
    configure_pool()
    settings = QSettings(
        f"{sys.argv[1]}/settings.ini", QSettings.Format.IniFormat
    )  # a fresh profile: no remembered choices
    window = MainWindow(settings=settings)
    app.aboutToQuit.connect(window.shutdown)
    window.setWindowTitle(TITLE)
    window.session.model_changed.connect(lambda _: window.setWindowTitle(TITLE))
    window.resize(1280, 900)
    window.show()
    tune_for_interaction()
    harness = Harness(window)

    def ready() -> None:
        print(json.dumps({"ready": True}), flush=True)

    QTimer.singleShot(1000, ready)
    code = int(app.exec())
    del harness
    return code


if __name__ == "__main__":
    sys.exit(main())
