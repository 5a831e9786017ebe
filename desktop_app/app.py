"""The application object and the main window.

The six panels arrive with the GUI issue; until then the window shows what the
``models`` package offers — every model kind and the exact parameter counts of
the joint-distribution structures for 28×28 binary images — so the app starts,
shows real numbers and quits cleanly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import counting

__all__ = ["MainWindow", "run"]

APP_NAME = "AR Explorer"
IMAGE_SHAPE = (28, 28)


def _abbreviate(value: int) -> str:
    """Exact up to 12 digits, else the leading digits and the power of ten."""
    text = str(value)
    if len(text) <= 12:
        return f"{value:,}"
    return f"{text[0]}.{text[1:4]} × 10^{len(text) - 1}  ({len(text)} digits)"


class MainWindow(QMainWindow):
    """The top-level window."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        h, w = IMAGE_SHAPE
        n = h * w
        intro = QLabel(
            f"<h2>{APP_NAME}</h2>"
            "<p>Autoregressive models write p(x) = Π<sub>i</sub> p(x<sub>i</sub> | "
            "x<sub>&lt;i</sub>). How many numbers does each assumption need for "
            f"{h}×{w} = {n} binary pixels?</p>",
            central,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)

        self.count_table = QTableWidget(0, 3, central)
        self.count_table.setHorizontalHeaderLabels(
            ["structure", "parameters", "formula"]
        )
        self.count_table.verticalHeader().setVisible(False)
        self.count_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.count_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.count_table)
        self.set_counts(counting.summary(n))
        self.statusBar().showMessage(
            "Train, score and sample from the command line with ar-models."
        )
        self.setCentralWidget(central)
        self.resize(760, 360)

    def set_counts(self, counts: Sequence[counting.ParameterCount]) -> None:
        """Show ``counts`` in the table, one row per structure."""
        self.count_table.setRowCount(len(counts))
        for row, count in enumerate(counts):
            value = QTableWidgetItem(_abbreviate(count.value))
            value.setToolTip(str(count.value))
            value.setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            self.count_table.setItem(row, 0, QTableWidgetItem(count.name))
            self.count_table.setItem(row, 1, value)
            self.count_table.setItem(
                row, 2, QTableWidgetItem(f"{count.formula} = {count.substituted}")
            )


def run(argv: Sequence[str]) -> int:
    """Create the application, show the main window and run the event loop."""
    parser = argparse.ArgumentParser(prog="ar-explorer")
    parser.add_argument(
        "--quit-after",
        type=int,
        metavar="MS",
        help="quit after MS milliseconds (smoke tests)",
    )
    args, qt_args = parser.parse_known_args(list(argv)[1:])
    app = QApplication.instance() or QApplication(
        [argv[0] if argv else APP_NAME, *qt_args]
    )
    app.setApplicationName(APP_NAME)
    window = MainWindow()
    window.show()
    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, app.quit)
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv))
