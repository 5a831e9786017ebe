"""A long random session: clicks, keys, drags and model switches, seeded.

Every panel is driven by a seeded random sequence of user actions for a bounded
time. No exception may reach the event loop (an excepthook fails the test, and
pytest-qt fails on exceptions in Qt callbacks), and the window must still
answer a timer at the end.
"""

import random
import sys
import time

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QComboBox,
    QDoubleSpinBox,
    QSpinBox,
    QWidget,
)

from desktop_app.widgets.pixel_grid import PixelGrid

KEYS = [
    (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_R, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
]


def _controls(panel: QWidget) -> list[QWidget]:
    """Visible, enabled controls that do not open a file dialog."""
    found = []
    for widget in panel.findChildren(QWidget):
        if not (widget.isVisible() and widget.isEnabled()):
            continue
        if isinstance(widget, QAbstractButton) and widget.text().endswith("…"):
            continue  # file and name dialogs are modal
        if isinstance(widget, (QAbstractButton, QComboBox, QSpinBox, QDoubleSpinBox)):
            found.append(widget)
        elif isinstance(widget, (QAbstractSlider, PixelGrid)):
            found.append(widget)
    return found


def _act(qtbot, window, rng: random.Random) -> None:
    choice = rng.random()
    if choice < 0.08:
        n = rng.randint(1, 6)
        qtbot.keyClick(
            window, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.ControlModifier
        )
        return
    if choice < 0.12:
        entries = window.session.entries()
        if entries:
            window.library_view.select_row(rng.randrange(len(entries)))
            window.library_view.use_selected()
        return
    panel = window.current_panel()
    if choice < 0.2:
        key, modifier = rng.choice(KEYS)
        qtbot.keyClick(panel, key, modifier)
        return
    controls = _controls(panel)
    if not controls:
        return
    widget = rng.choice(controls)
    if isinstance(widget, QComboBox):
        items = [i for i in range(widget.count()) if widget.itemData(i) != ""]
        if items:
            widget.setCurrentIndex(rng.choice(items))  # "Open a file…" is a dialog
    elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
        low, high = widget.minimum(), widget.maximum()
        high = min(high, low + 40)  # keep sizes and epochs modest
        widget.setValue(
            rng.uniform(low, high)
            if isinstance(widget, QDoubleSpinBox)
            else rng.randint(int(low), int(high))
        )
    elif isinstance(widget, QAbstractSlider):
        widget.setValue(rng.randint(widget.minimum(), widget.maximum()))
    elif isinstance(widget, PixelGrid):
        w, h = max(widget.width(), 2), max(widget.height(), 2)
        start = QPoint(rng.randrange(w), rng.randrange(h))
        button = rng.choice([Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton])
        qtbot.mousePress(widget, button, pos=start)
        for _ in range(rng.randint(0, 6)):
            qtbot.mouseMove(widget, QPoint(rng.randrange(w), rng.randrange(h)))
        qtbot.mouseRelease(widget, button, pos=start)
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_random_session_raises_nothing_and_stays_responsive(
    qtbot, window, seed, monkeypatch
):
    caught: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: caught.append(value))
    rng = random.Random(seed)
    deadline = time.monotonic() + 25
    actions = 0
    while time.monotonic() < deadline and actions < 400:
        _act(qtbot, window, rng)
        qtbot.wait(rng.choice([0, 0, 5, 20]))
        actions += 1
        assert not caught, f"after {actions} actions: {caught[0]!r}"
    fired = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=5000)  # the event loop answers
    window.close()  # stops whatever the monkey started
    assert not caught
    assert actions >= 50
