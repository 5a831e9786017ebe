"""Compare orderings, driven from the training monitor through its widgets.

Tiny real runs (a NADE with 4 hidden units, two batches of mnist-5k per epoch)
under a few orderings; the user clicks Compare orderings…, unchecks orderings
with the keyboard, clicks Start or Stop, and reads the curves' names, the
legend and the summary table.
"""

from __future__ import annotations

import statistics
from typing import Any

from PySide6.QtCore import Qt

from desktop_app.panels.ordering_compare import ordering_colour
from desktop_app.panels.training import TrainingPanel
from models.ordering_study import STUDY_ORDERINGS

LEFT = Qt.MouseButton.LeftButton


def _tiny_form(qtbot: Any, window: Any, *, epochs: int = 2) -> TrainingPanel:
    training: TrainingPanel = window.switch_to(TrainingPanel)
    training.set_kind("nade")
    training.settings.set_values({"hidden": 4})
    training.epochs_box.setValue(epochs)
    training.max_batches_box.setValue(2)
    training.batch_box.setValue(32)
    qtbot.waitUntil(lambda: not training.is_loading(), timeout=30_000)
    return training


def _keep_only(qtbot: Any, dialog: Any, keep: set[str]) -> None:
    """Uncheck every other ordering as a user would: select it, press Space."""
    listing = dialog.ordering_list
    listing.setFocus()
    for row in range(listing.count()):
        item = listing.item(row)
        if item.text() not in keep:
            listing.setCurrentRow(row)
            qtbot.keyClick(listing, Qt.Key.Key_Space)
    assert set(dialog.checked()) == keep


def test_compare_orderings_overlays_curves_and_tabulates_each_ordering(
    qtbot: Any, window: Any
) -> None:
    training = _tiny_form(qtbot, window)
    qtbot.mouseClick(training.compare_button, LEFT)
    dialog = training.compare
    assert dialog is not None and dialog.isVisible()
    # all seven offered and checked by default
    assert dialog.offered() == list(STUDY_ORDERINGS)
    assert dialog.checked() == list(STUDY_ORDERINGS)
    _keep_only(qtbot, dialog, {"raster", "snake", "spiral"})

    with qtbot.waitSignal(dialog.study_ended, timeout=180_000) as ended:
        qtbot.mouseClick(dialog.start_button, LEFT)
        assert not dialog.start_button.isEnabled()
        assert dialog.stop_button.isEnabled()
    assert ended.args[0].status == "finished"
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()

    # one validation curve per ordering, named by it, a point per epoch
    assert dialog.curve_names() == ["raster", "snake", "spiral"]
    curves = dialog.curves()
    for _, valid in curves.values():
        xs, ys = valid.getData()
        assert list(xs) == [1.0, 2.0]
        assert all(y > 0 for y in ys)
    legend = dialog.legend.entries()
    assert [e.text for e in legend[:3]] == ["raster", "snake", "spiral"]
    assert [e.colour for e in legend[:3]] == [
        ordering_colour(o) for o in ("raster", "snake", "spiral")
    ]
    assert len({e.colour for e in legend[:3]}) == 3

    # the table: one row per ordering, best first, with epoch, time and vs raster
    rows = dialog.table_rows()
    assert sorted(r[0] for r in rows) == ["raster", "snake", "spiral"]
    values = [float(r[1]) for r in rows]
    assert values == sorted(values)
    best = {name: min(valid.getData()[1]) for name, (_, valid) in curves.items()}
    for ordering, nll, epoch, seconds, diff in rows:
        assert epoch in {"1", "2"}
        assert seconds.endswith(" s")
        assert nll == f"{best[ordering]:.2f}"
        if ordering == "raster":
            assert diff == "—"
        else:
            assert diff == f"{best[ordering] - best['raster']:+.2f}"
    assert "Done: 3 orderings compared" in dialog.status_label.text()
    assert "spread between seeds" in dialog.note.text()
    # nothing of the comparison went into the library
    assert not any(window.session.library.user_dir.glob("*.safetensors"))


def test_stop_ends_the_comparison_after_the_current_run(
    qtbot: Any, window: Any
) -> None:
    training = _tiny_form(qtbot, window, epochs=50)
    dialog = training.compare_orderings()
    _keep_only(qtbot, dialog, {"column", "hilbert"})
    qtbot.mouseClick(dialog.start_button, LEFT)
    qtbot.waitUntil(lambda: "epoch" in dialog.status_label.text(), timeout=60_000)
    assert "run 1 of 2: column" in dialog.status_label.text()
    with qtbot.waitSignal(dialog.study_ended, timeout=60_000) as ended:
        qtbot.mouseClick(dialog.stop_button, LEFT)
    assert ended.args[0].status == "cancelled"
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    assert dialog.curve_names() == ["column"]  # hilbert never started
    rows = dialog.table_rows()
    assert len(rows) == 1 and rows[0][0] == "column"
    assert rows[0][1].endswith("(stopped)")
    assert dialog.status_label.text() == "Stopped after 0 of 2 runs."


def test_nothing_to_compare_is_said_and_nothing_starts(
    qtbot: Any, window: Any, no_modal_dialogs: list[str]
) -> None:
    training = _tiny_form(qtbot, window)
    training.set_kind("pixelcnn")  # raster only
    assert not training.compare_button.isEnabled()
    assert "raster order only" in training.compare_button.toolTip()
    training.set_kind("nade")
    assert training.compare_button.isEnabled()
    qtbot.mouseClick(training.compare_button, LEFT)
    dialog = training.compare
    assert dialog is not None and dialog.isVisible()
    _keep_only(qtbot, dialog, set())
    qtbot.mouseClick(dialog.start_button, LEFT)
    assert not dialog.is_running()
    assert any("at least one ordering" in text for text in no_modal_dialogs)
    assert "Cannot compare" in dialog.status_label.text()


def test_closing_the_window_mid_comparison_stops_it(qtbot: Any, window: Any) -> None:
    training = _tiny_form(qtbot, window, epochs=50)
    dialog = training.compare_orderings()
    qtbot.mouseClick(dialog.start_button, LEFT)
    qtbot.waitUntil(lambda: "epoch" in dialog.status_label.text(), timeout=60_000)
    assert dialog.is_running()
    window.close()
    assert not dialog.is_running()
    assert dialog.start_button.isEnabled()


def test_several_seeds_give_each_ordering_its_mean_and_spread(
    qtbot: Any, window: Any
) -> None:
    training = _tiny_form(qtbot, window)
    training.seed_box.setValue(3)
    dialog = training.compare_orderings()
    _keep_only(qtbot, dialog, {"raster", "diagonal"})
    dialog.seeds_box.setValue(2)
    with qtbot.waitSignal(dialog.study_ended, timeout=180_000) as ended:
        qtbot.mouseClick(dialog.start_button, LEFT)
    assert ended.args[0].status == "finished"
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    # seeds vary slowest, from the form's seed
    assert dialog.curve_names() == [
        "raster, seed 3",
        "diagonal, seed 3",
        "raster, seed 4",
        "diagonal, seed 4",
    ]
    assert [e.text for e in dialog.legend.entries()[:2]] == ["raster", "diagonal"]
    best = {
        name: min(valid.getData()[1]) for name, (_, valid) in dialog.curves().items()
    }
    rows = {row[0]: row for row in dialog.table_rows()}
    assert sorted(rows) == ["diagonal", "raster"]
    means = {}
    for ordering in ("raster", "diagonal"):
        pair = [best[f"{ordering}, seed 3"], best[f"{ordering}, seed 4"]]
        means[ordering] = statistics.fmean(pair)
        mean, std = rows[ordering][1].split(" ± ")
        assert mean == f"{means[ordering]:.2f}"
        assert std == f"{statistics.stdev(pair):.2f}"
        assert len(rows[ordering][2].split(", ")) == 2  # each seed's best epoch
    assert rows["diagonal"][4] == f"{means['diagonal'] - means['raster']:+.2f}"
    assert "standard deviation over seeds" in dialog.note.text()
    assert "Done: 2 orderings compared, 2 seeds each." in dialog.status_label.text()
