"""The model library as a table, with load, rename, delete, import and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.widgets.controls import push_button
from models.errors import ARExplorerError
from models.library import LibraryEntry
from models.registry import model_class

__all__ = ["LibraryView"]

COLUMNS = ["name", "model", "data", "valid NLL", "parameters", "saved", ""]


class LibraryView(QWidget):
    """Bundled and user checkpoints; double-click (or Use) makes one current."""

    status_message = Signal(str)
    used = Signal()  # the user chose a model (Use or double-click)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip("Double-click a model to use it in the panels")
        self.use_button = push_button(
            self, "Use", "Make the selected model the current one"
        )
        self.rename_button = push_button(
            self, "Rename…", "Rename the selected checkpoint"
        )
        self.delete_button = push_button(
            self, "Delete", "Delete the selected checkpoint"
        )
        self.import_button = push_button(
            self, "Import…", "Copy a checkpoint file into the library"
        )
        self.export_button = push_button(
            self, "Export…", "Save a copy of the selected checkpoint"
        )
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #a15c00")
        buttons = QHBoxLayout()
        for button in (
            self.use_button,
            self.rename_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problems)

        self.use_button.clicked.connect(self.use_selected)
        self.rename_button.clicked.connect(self._on_rename)
        self.delete_button.clicked.connect(self._on_delete)
        self.import_button.clicked.connect(self._on_import)
        self.export_button.clicked.connect(self.export_selected)
        self.table.itemDoubleClicked.connect(lambda _: self.use_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        session.library_changed.connect(self.set_entries)
        session.load_failed.connect(
            lambda message: self._fail(ARExplorerError(message))
        )
        session.model_changed.connect(lambda _: self.set_entries())
        self.set_entries()

    def set_entries(self) -> None:
        """Show the session's library."""
        entries = self.session.entries()
        current = self.session.checkpoint.path if self.session.checkpoint else None
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            try:
                title = model_class(entry.kind).title
            except ARExplorerError:
                title = entry.kind
            nll = "—" if entry.valid_nll is None else f"{entry.valid_nll:.2f} nats"
            cells = [
                entry.name,
                title,
                entry.data,
                nll,
                f"{entry.num_parameters:,}",
                entry.created[:10],
                "bundled" if entry.bundled else "yours",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if entry.path == current:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
                self.table.setItem(row, col, item)
        self.problems.setText("\n".join(self.session.library.problems))
        self._update_buttons()

    def selected_entry(self) -> LibraryEntry | None:
        """The selected checkpoint, if any."""
        row = self.table.currentRow()
        entries = self.session.entries()
        return entries[row] if 0 <= row < len(entries) else None

    def select_row(self, row: int) -> None:
        """Select a row (as a click would)."""
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        for button in (self.use_button, self.export_button):
            button.setEnabled(entry is not None)
        for button in (self.rename_button, self.delete_button):
            button.setEnabled(entry is not None and not entry.bundled)

    def _fail(self, exc: Exception) -> None:
        QMessageBox.warning(self, "Model library", str(exc))
        self.status_message.emit(str(exc))

    def use_selected(self) -> None:
        """Make the selected checkpoint the current model."""
        entry = self.selected_entry()
        if entry is None:
            return
        self.status_message.emit(f"loading {entry.name} …")
        self.session.select_in_background(entry.path)
        self.used.emit()

    def _on_rename(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        name, ok = QInputDialog.getText(self, "Rename", "New name:", text=entry.name)
        if ok and name:
            self.rename(entry, name)

    def rename(self, entry: LibraryEntry, name: str) -> None:
        """Rename ``entry`` and list the library again."""
        was_current = self.session.checkpoint is not None and (
            self.session.checkpoint.path == entry.path
        )
        try:
            path = self.session.library.rename(entry, name)
        except ARExplorerError as exc:
            self._fail(exc)
            return
        self.session.refresh()
        if was_current:
            self.session.select_in_background(path)

    def _on_delete(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        answer = QMessageBox.question(
            self, "Delete", f"Delete {entry.name}? This cannot be undone."
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(entry)

    def delete(self, entry: LibraryEntry) -> None:
        """Delete ``entry`` and list the library again."""
        try:
            self.session.library.delete(entry)
        except ARExplorerError as exc:
            self._fail(exc)
            return
        self.session.forget(entry.path)
        self.session.refresh()

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a checkpoint", "", "Checkpoints (*.safetensors)"
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> Path | None:
        """Validate and copy a checkpoint into the library; make it current."""
        try:
            copied = self.session.library.import_checkpoint(path)
        except ARExplorerError as exc:
            self._fail(exc)
            return None
        self.session.refresh()
        self.session.select_in_background(copied)
        return copied

    def export_selected(self) -> None:
        """Ask where, then save a copy of the selected checkpoint."""
        entry = self.selected_entry()
        if entry is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export a checkpoint",
            f"{entry.path.stem}.safetensors",
            "Checkpoints (*.safetensors)",
        )
        if path:
            try:
                written = self.session.library.export(entry, Path(path))
            except ARExplorerError as exc:
                self._fail(exc)
                return
            self.status_message.emit(f"exported to {written}")
