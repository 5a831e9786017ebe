"""Panel 2 shows what the chosen ordering gave when measured, read from its box."""

from __future__ import annotations

from typing import Any

import pytest

from desktop_app.panels import orderings as orderings_module
from desktop_app.panels.orderings import OrderingPanel
from models.errors import DataError
from models.ordering_study import OrderingRun, OrderingStudy, load_study


def _study() -> OrderingStudy:
    runs = [
        OrderingRun(o, seed, value + seed, 9, 10, 120.0)
        for o, value in (("raster", 90.0), ("snake", 95.0), ("column", 90.5))
        for seed in (0, 1, 2)
    ]
    runs.append(OrderingRun("random", 0, 93.0, 8, 10, 120.0))
    return OrderingStudy(
        "NADE, 100 hidden units",
        "binarized MNIST",
        "10 epochs",
        "python scripts/ordering_study.py --runs runs/orderings",
        tuple(runs),
    )


@pytest.fixture
def measured(monkeypatch: pytest.MonkeyPatch) -> OrderingStudy:
    study = _study()
    monkeypatch.setattr(orderings_module, "load_study", lambda: study)
    return study


def test_the_chosen_ordering_shows_its_nll_over_seeds_against_raster(
    measured: OrderingStudy, qtbot: Any, window: Any
) -> None:
    panel = window.switch_to(OrderingPanel)
    panel.ordering_box.setCurrentText("snake")
    text = panel.measured.text()
    assert "NADE, 100 hidden units" in text
    assert "<b>snake: 96.00 ± 1.00 nats (3 seeds, 95.00–97.00)</b>" in text
    assert "raster: 91.00 ± 1.00 nats (3 seeds, 90.00–92.00)" in text
    assert "5.00 nats worse than raster on average, outside the spread" in text
    assert "python scripts/ordering_study.py --runs runs/orderings" in text
    assert "python scripts/ordering_study.py" in panel.measured_box.toolTip()

    panel.ordering_box.setCurrentText("column")
    text = panel.measured.text()
    assert "<b>column: 91.50 ± 1.00 nats" in text
    assert "0.50 nats worse than raster on average, within the spread" in text

    panel.ordering_box.setCurrentText("random")
    assert "<b>random: 93.00 nats (1 seed)</b>" in panel.measured.text()
    assert "spread between seeds is unknown" in panel.measured.text()

    panel.ordering_box.setCurrentText("raster")
    assert "The best mean: raster, 91.00 ± 1.00 nats" in panel.measured.text()

    panel.ordering_box.setCurrentText("hilbert")  # not in this study
    text = panel.measured.text()
    assert "<b>hilbert</b>: not measured yet" in text
    assert "raster, snake, column, random" in text


def test_a_custom_order_is_not_measured(
    measured: OrderingStudy, qtbot: Any, window: Any
) -> None:
    panel = window.switch_to(OrderingPanel)
    panel.ordering_box.setCurrentText("custom")
    text = panel.measured.text()
    assert "<b>custom</b>: not measured" in text
    assert "raster, snake, column, random" in text
    assert "Compare orderings" in text


def test_unreadable_results_are_said_in_the_box(
    monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    def broken() -> OrderingStudy:
        raise DataError("results.json", "not valid JSON")

    monkeypatch.setattr(orderings_module, "load_study", broken)
    panel = OrderingPanel()
    qtbot.addWidget(panel)
    assert panel.study is None
    assert "cannot be read: results.json: not valid JSON" in panel.measured.text()


def test_the_shipped_results_are_shown_as_measured(qtbot: Any, window: Any) -> None:
    study = load_study()
    assert study.runs, "the shipped results file lists no run"
    assert study.result("raster") is not None
    panel = window.switch_to(OrderingPanel)
    for result in study.results:
        panel.ordering_box.setCurrentText(result.ordering)
        assert f"<b>{result.ordering}: {result.mean:.2f}" in panel.measured.text()
