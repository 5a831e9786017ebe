"""Panels 4–7 switch language live and keep their work.

Each test drives a panel through its widgets in English, installs the Korean
translations as the View → Language menu does (:func:`desktop_app.i18n.install`),
checks that what the user reads is now Hangul, with the panel's state (the
drawing and its score, the sampler's images, the context shown, the model's
filters) untouched, and switches back: the English texts are the same as before.
"""

import re

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from desktop_app import i18n
from desktop_app.panels.canvas import CanvasPanel
from desktop_app.panels.context import ContextPanel
from desktop_app.panels.counter import CounterPanel
from desktop_app.panels.features import FeaturesPanel
from desktop_app.panels.orderings import OrderingPanel
from desktop_app.panels.sampler import SamplerPanel
from desktop_app.panels.training import TrainingPanel
from tests.helpers import use_model

HANGUL = re.compile("[가-힣]")


@pytest.fixture
def speak():
    """Switch the whole application's language; back to English at the end."""
    app = QApplication.instance()

    def switch(language: str) -> None:
        assert i18n.install(app, language) == language
        QApplication.processEvents()  # deliver LanguageChange to every widget

    yield switch
    i18n.install(app, "en")


def hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


def centre(grid, row, col) -> QPoint:
    return grid.cell_rect(row, col).center().toPoint()


def test_the_canvas_keeps_its_drawing_and_score_across_languages(qtbot, window, speak):
    panel = window.switch_to(CanvasPanel)
    grid = panel.canvas
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=centre(grid, 6, 14))
    for row in range(7, 22):
        qtbot.mouseMove(grid, centre(grid, row, 14))
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=centre(grid, 21, 14))
    qtbot.waitUntil(
        lambda: (
            panel.reference is not None
            and not panel.is_busy()
            and panel.score is not None
        ),
        timeout=60_000,
    )
    labels = [
        panel.load_button,
        panel.undo_button,
        panel.verdict_label,
        panel.percentile_label,
        panel.score_label,
        panel.concept.button,
        panel.normalize_box,
    ]
    english = [label.text() for label in labels]
    drawing, score = panel.canvas.drawing(), panel.score
    assert not any(hangul(text) for text in english)

    speak("ko")
    korean = [label.text() for label in labels]
    assert panel.load_button.text() == "실제 숫자 불러오기"
    for text in korean[:4] + korean[5:]:  # the score line is numbers and nats
        assert hangul(text), text
    assert panel.score is score  # nothing scored again, nothing lost
    assert np.array_equal(panel.canvas.drawing(), drawing)
    assert f"{score.log_prob:.2f}" in panel.score_label.text()

    speak("en")
    assert [label.text() for label in labels] == english
    assert panel.score is score


def test_the_sampler_keeps_its_images_across_languages(qtbot, window, speak):
    use_model(qtbot, window, "tiny-pixelcnn")
    panel = window.switch_to(SamplerPanel)
    for _ in range(5):
        qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    images = panel.images()
    widgets = [panel.info, panel.play_button, panel.step_button, panel.complete_box]
    english = [widget.text() for widget in widgets]
    assert english[0].startswith("step 5 of 784: ")

    speak("ko")
    assert panel.info.text().startswith("784단계 중 5단계: ")
    for widget in widgets:
        assert hangul(widget.text()), widget.text()
    assert panel.step == 5
    assert np.array_equal(panel.images(), images)

    speak("en")
    assert [widget.text() for widget in widgets] == english
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    assert panel.info.text().startswith("step 6 of 784: ")  # it goes on


def test_the_context_panel_keeps_its_choice_across_languages(qtbot, window, speak):
    panel = window.switch_to(ContextPanel)
    panel.pair_box.setCurrentIndex(1)  # PixelCNN vs Gated PixelCNN
    qtbot.waitUntil(lambda: not panel.is_busy(), timeout=60_000)
    stats = [view.stats.text() for view in panel.views]
    items = [panel.pair_box.itemText(i) for i in range(panel.pair_box.count())]
    english = [panel.legend.text(), panel.layers_label.text(), *stats, *items]
    assert "blind spot" in stats[0]

    speak("ko")
    assert panel.pair_box.currentIndex() == 1
    assert panel.kinds() == ("pixelcnn", "gated_pixelcnn")
    assert "맹점" in panel.views[0].stats.text()
    assert hangul(panel.legend.text()) and hangul(panel.layers_label.text())
    assert panel.pair_box.currentText() == "PixelCNN 대 Gated PixelCNN"
    assert not panel.is_busy()  # a new language computes nothing again

    speak("en")
    stats = [view.stats.text() for view in panel.views]
    items = [panel.pair_box.itemText(i) for i in range(panel.pair_box.count())]
    assert [panel.legend.text(), panel.layers_label.text(), *stats, *items] == english


def test_the_features_panel_keeps_its_filters_across_languages(qtbot, window, speak):
    use_model(qtbot, window, "tiny-nade-classes")
    panel = window.switch_to(FeaturesPanel)
    order = panel.order.copy()
    widgets = [
        panel.model_label,
        panel.compare_button,
        panel.contribution_button,
        panel.hover_label,
    ]
    english = [widget.text() for widget in widgets]
    assert english[0] == "NADE: 8 units — input weights W"
    sorts = [panel.sort_box.itemText(i) for i in range(2)]

    speak("ko")
    assert panel.model_label.text() == "NADE: 유닛 8개 — 입력 가중치 W"
    for widget in widgets:
        assert hangul(widget.text()), widget.text()
    assert panel.sort_box.itemText(1) == "기여도 순"
    assert np.array_equal(panel.order, order)

    speak("en")
    assert [widget.text() for widget in widgets] == english
    assert [panel.sort_box.itemText(i) for i in range(2)] == sorts


def test_the_verdict_and_its_reasons_come_from_the_library_translated(
    qtbot, window, speak
):
    panel = window.switch_to(CanvasPanel)
    qtbot.waitUntil(
        lambda: panel.reference is not None and not panel.is_busy(), timeout=60_000
    )
    qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not panel.is_busy() and panel.score is not None, timeout=60_000
    )
    assert "blank" in panel.reasons_label.text()

    speak("ko")
    assert panel.verdict_label.text() == "아무것도 그리지 않음"
    assert panel.reasons_label.text().startswith("캔버스가 비어 있습니다.")
    assert "검증용 숫자" in panel.percentile_label.text()


def test_the_counter_keeps_its_counts_and_verdict_across_languages(
    qtbot, window, speak
):
    panel = window.switch_to(CounterPanel)
    for box, text in ((panel.height_box, "2"), (panel.width_box, "3")):
        box.selectAll()
        qtbot.keyClicks(box, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)
    panel.states_box.selectAll()
    qtbot.keyClicks(panel.states_box, "3")
    qtbot.keyClick(panel.states_box, Qt.Key.Key_Return)
    table = panel.table
    rect = table.visualItemRect(table.item(0, 0))  # the fully dependent joint
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseClick(panel.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "torch:" in panel.verify_label.text(), timeout=30_000)
    qtbot.waitUntil(lambda: not panel.plotter.is_busy(), timeout=10_000)
    tabs = panel.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    assert panel.tabs.currentIndex() == 1
    counts = panel.counts()

    def shown() -> list[str]:
        headers = [table.horizontalHeaderItem(c).text() for c in range(3)]
        axis = panel.plot.getPlotItem().getAxis("bottom").labelText
        chart_axis = panel.tradeoff.plot.getPlotItem().getAxis("bottom").labelText
        return [
            panel.verify_label.text(),
            panel.head_note.text(),
            panel.verify_button.text(),
            panel.concept.button.text(),
            panel.tabs.tabText(0),
            panel.tabs.tabText(1),
            *headers,
            table.item(0, 0).text(),
            table.item(0, 1).toolTip(),
            panel.detail.toPlainText(),
            panel.legend.texts()[0],
            axis,
            panel.tradeoff.caption.text(),
            chart_axis,
        ]

    english = shown()
    assert "✓ equal" in english[0] and "Markov chain of order 5" in english[0]
    assert "P = K = 3" in english[1] and "FVSBN" in english[1]
    assert english[9] == "fully dependent" == english[-4]
    assert not any(hangul(text) for text in english)

    speak("ko")
    korean = shown()
    for text in korean:
        assert hangul(text), text
    assert "✓ 같음" in korean[0] and "5차" in korean[0]
    assert korean[9] == "완전 의존"
    # the state stays: settings, counts, selected row, tab, nothing built again
    assert panel.image_shape() == (2, 3) and panel.states_box.value() == 3
    assert panel.counts() == counts
    assert table.currentRow() == 0 and panel.tabs.currentIndex() == 1
    assert not panel.verifier.is_busy()

    speak("en")
    assert shown() == english
    assert table.currentRow() == 0 and panel.tabs.currentIndex() == 1


def choose(box, key) -> None:
    """Pick the entry of ``box`` whose data is ``key``, as a user picks it."""
    index = box.findData(key)
    assert index >= 0, key
    box.setCurrentIndex(index)


def test_the_training_monitor_keeps_its_run_across_languages(qtbot, window, speak):
    panel = window.switch_to(TrainingPanel)
    choose(panel.kind_box, "made")
    panel.settings.set_values({"hidden_sizes": (16,)})
    choose(panel.binarize_box, "dynamic")
    panel.epochs_box.setValue(2)
    panel.max_batches_box.setValue(3)
    panel.batch_box.setValue(32)
    qtbot.keyClicks(panel.name_edit, "bilingual-run")
    with qtbot.waitSignal(panel.run_ended, timeout=120_000):
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_running(), timeout=10_000)
    curves = [
        (loss.getData()[1].tolist(), valid.getData()[1].tolist())
        for _, loss, valid in panel.curves()
    ]

    def shown() -> list[str]:
        return [
            panel.speed_label.text(),
            panel.samples_label.text(),
            panel.pixels_info.text(),
            panel.data_info.text(),
            panel.start_button.text(),
            panel.concept.button.text(),
            panel.binarize_box.currentText(),
            panel.legend.texts()[-1],
            panel.plot.getPlotItem().getAxis("left").labelText,
            panel.data_box.itemText(panel.data_box.count() - 1),
        ]

    english = shown()
    assert "bilingual-run: finished after 2 of 2 epochs" in english[0]
    assert english[1] == "samples after epoch 2"
    assert english[6] == "dynamic"
    assert not any(hangul(text) for text in english)

    speak("ko")
    korean = shown()
    for text in korean:
        assert hangul(text), text
    assert "bilingual-run" in korean[0] and "완료" in korean[0]
    # the state stays: the form's choices, the run, its curves
    assert panel.kind() == "made" and panel.likelihood() == "bernoulli"
    assert panel.binarization() == "dynamic"
    assert panel.kind_box.currentText() == "MADE"
    assert [run.name for run in panel.history.runs] == ["bilingual-run"]
    assert [
        (loss.getData()[1].tolist(), valid.getData()[1].tolist())
        for _, loss, valid in panel.curves()
    ] == curves

    speak("en")
    assert shown() == english
    assert panel.binarization() == "dynamic"


def test_the_orderings_panel_keeps_its_pixel_across_languages(qtbot, window, speak):
    panel = window.switch_to(OrderingPanel)
    choose(panel.ordering_box, "snake")
    grid = panel.grid
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, 1, 3))
    selected, order = panel.selected, panel.order.copy()

    def shown() -> list[str]:
        return [
            panel.info.text(),
            panel.measured.text(),
            panel.measured_box.title(),
            panel.ordering_box.currentText(),
            panel.play_button.text(),
            panel.concept.button.text(),
            grid.tooltip_text(1, 3),
        ]

    english = shown()
    # snake runs the second row right to left: column 4 comes after 8 + 4 pixels
    assert "row 2, column 4" in english[0] and "step 13 of 64" in english[0]
    assert "<b>snake:" in english[1] and "than raster" in english[1]
    assert english[3] == "snake"
    assert not any(hangul(text) for text in english)

    speak("ko")
    korean = shown()
    for text in korean:
        assert hangul(text), text
    assert "2행 4열" in korean[0] and "64단계 중 13단계" in korean[0]
    assert "래스터보다" in korean[1]
    assert korean[3] == "뱀 모양"
    assert panel.ordering() == "snake" and panel.selected == selected
    assert (panel.order == order).all()

    speak("en")
    assert shown() == english
    assert panel.ordering() == "snake" and panel.selected == selected
