"""The parameters-against-fit chart in the parameter counter, driven as a user.

The window runs on copies of some real shipped checkpoints (the small ones, so
the app's background work on its default model stays short): the chart shows
every binarized-MNIST model there, a real mouse click on a point loads
that model into the toolbar, and clicking AR-16, which does not ship, says
how to make it when the data is missing.
"""

import math
import shutil

import pytest
from PySide6.QtCore import QPointF, QSettings, Qt

from desktop_app.app import MainWindow
from desktop_app.panels.counter import CounterPanel
from desktop_app.session import Session
from models import tradeoff
from models.library import Library, bundled_dir
from models.tradeoff import COUNTED

#: Shipped checkpoints the window gets: small ones, a network and the tables.
SHIPPED = ["bernoulli-bmnist", "pixelcnn-bmnist", *(m.name for m in COUNTED[:4])]


@pytest.fixture
def shipped_window(qtbot, tmp_path):
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    for name in SHIPPED:
        for suffix in (".json", ".safetensors"):
            shutil.copy(bundled_dir() / f"{name}{suffix}", bundled)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Session(Library(tmp_path / "user", bundled)), settings)
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    yield win
    win.close()


def _chart(qtbot, win):
    panel = win.switch_to(CounterPanel)
    panel.tabs.setCurrentIndex(1)
    chart = panel.tradeoff
    qtbot.waitUntil(lambda: len(chart.points()) > 0)
    return panel, chart


def _click(qtbot, chart, point):
    view = chart.plot.getPlotItem().getViewBox()
    scene = view.mapViewToScene(
        QPointF(math.log10(point.num_parameters), point.valid_nll)
    )
    where = chart.plot.mapFromScene(scene)
    qtbot.mouseClick(chart.plot.viewport(), Qt.MouseButton.LeftButton, pos=where)


def test_the_chart_shows_every_binarized_mnist_model(qtbot, shipped_window):
    _, chart = _chart(qtbot, shipped_window)
    names = [p.name for p in chart.points()]
    assert sorted(names) == sorted([*SHIPPED, "markov-k16-bmnist"])
    assert [p.order for p in chart.points() if p.order] == [1, 2, 4, 8, 16]
    xs, ys = chart.chain.getData()  # the Markov chain's line, in log10 x
    assert len(xs) == 5 and ys[-1] == chart.points()[-1].valid_nll
    assert chart.arrow.isVisible()
    assert "2⁷⁸⁴ − 1" in chart.arrow_text.toPlainText()
    cnn = next(p for p in chart.points() if p.name == "pixelcnn-bmnist")
    text = chart.describe(cnn)
    assert "16,257 parameters" in text and f"{cnn.valid_nll:.2f}" in text
    assert "shipped" in text
    ar16 = next(p for p in chart.points() if p.order == 16)
    assert "not shipped" in chart.describe(ar16)
    assert chart.caption.isVisible() and "binarized MNIST" in chart.caption.text()


def test_clicking_a_point_loads_its_model(qtbot, shipped_window):
    panel, chart = _chart(qtbot, shipped_window)
    point = next(p for p in chart.points() if p.name == "markov-k4-bmnist")
    _click(qtbot, chart, point)
    qtbot.waitUntil(
        lambda: "markov-k4-bmnist" in shipped_window.model_label.text(), timeout=10_000
    )
    assert "12,495" in shipped_window.model_label.text()
    assert "markov-k4-bmnist" in panel.tradeoff_status.text()


def test_ar16_without_the_data_names_the_command(
    qtbot, shipped_window, monkeypatch, no_modal_dialogs
):
    monkeypatch.setattr(
        "desktop_app.panels.counter.binarized_mnist_found", lambda: False
    )
    _, chart = _chart(qtbot, shipped_window)
    ar16 = next(p for p in chart.points() if p.order == 16)
    _click(qtbot, chart, ar16)
    assert len(no_modal_dialogs) == 1
    assert "ar-models fit --kind markov --set order=16" in no_modal_dialogs[0]
    assert "not found" in no_modal_dialogs[0]


def test_ar16_is_regenerated_in_the_background(
    qtbot, shipped_window, monkeypatch, no_modal_dialogs
):
    """With the data, Yes fits AR-16 (here a stand-in AR-2: a test stays fast)."""
    made = []

    def fake(kind, settings, out, **kwargs):
        made.append(settings)
        return real(kind, {"order": 2}, out, **kwargs)

    real = tradeoff.make_counted
    monkeypatch.setattr(
        "desktop_app.panels.counter.binarized_mnist_found", lambda: True
    )
    monkeypatch.setattr("desktop_app.panels.counter.make_counted", fake)
    panel, chart = _chart(qtbot, shipped_window)
    ar16 = next(p for p in chart.points() if p.order == 16)
    if not tradeoff.binarized_mnist_found():
        pytest.skip("binarized MNIST is not on this computer")
    _click(qtbot, chart, ar16)
    assert "Fit it now by counting" in no_modal_dialogs[0]
    qtbot.waitUntil(
        lambda: "Made markov-k16-bmnist" in panel.tradeoff_status.text(), timeout=30_000
    )
    assert made == [{"order": 16}]
    qtbot.waitUntil(
        lambda: "markov-k16-bmnist" in shipped_window.model_label.text(), timeout=10_000
    )
    qtbot.waitUntil(
        lambda: next(p for p in chart.points() if p.order == 16).path is not None
    )
