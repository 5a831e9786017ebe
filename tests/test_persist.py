"""A panel's remembered choices survive a change of language between sessions."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox

from desktop_app.widgets.persist import restore_widgets, save_widgets


def combo(qtbot, items: list[str], data: list[str] | None = None) -> QComboBox:
    box = QComboBox()
    qtbot.addWidget(box)
    for i, text in enumerate(items):
        box.addItem(text, data[i] if data else None)
    return box


def test_a_combo_saved_in_korean_comes_back_in_english(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    korean = combo(qtbot, ["행 LSTM 대 대각선", "PixelCNN 대 게이트"])
    korean.setCurrentIndex(1)
    save_widgets(settings, "panel6", {"pair": korean})

    english = combo(qtbot, ["Row LSTM vs Diagonal", "PixelCNN vs Gated"])
    restore_widgets(settings, "panel6", {"pair": english})
    assert english.currentText() == "PixelCNN vs Gated"


def test_a_combo_with_item_data_is_found_by_its_data_wherever_it_moved(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    box = combo(qtbot, ["래스터", "힐베르트"], ["raster", "hilbert"])
    box.setCurrentIndex(1)
    save_widgets(settings, "panel2", {"ordering": box})

    moved = combo(qtbot, ["Hilbert", "Snake", "Raster"], ["hilbert", "snake", "raster"])
    moved.setCurrentIndex(2)
    restore_widgets(settings, "panel2", {"ordering": moved})
    assert moved.currentData() == "hilbert"


def test_a_value_saved_by_text_before_still_restores(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("panel3/kind", "NADE")  # as earlier versions stored it
    box = combo(qtbot, ["MADE", "NADE"])
    restore_widgets(settings, "panel3", {"kind": box})
    assert box.currentText() == "NADE"
