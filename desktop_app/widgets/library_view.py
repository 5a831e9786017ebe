"""The model library as a table, with load, rename, delete, import and export.

Files in the library's folders that cannot be used are listed too, after the
models, as grey rows that say why ("unreadable: not a regular file: it is a
FIFO (named pipe)"): the user sees them and can delete them or show them in their
folder, and nothing else can be done with them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
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
from desktop_app.theme import colour
from desktop_app.widgets.controls import push_button
from desktop_app.widgets.language import FollowsLanguage
from models.errors import ARExplorerError
from models.library import LibraryEntry, UnreadableEntry
from models.registry import model_class

__all__ = ["LibraryView"]

#: The table's columns (the last one says whose the file is).
COLUMNS = ["name", "model", "data", "valid NLL", "parameters", "saved", ""]


class LibraryView(FollowsLanguage, QWidget):
    """Bundled and user checkpoints; double-click (or Use) makes one current."""

    status_message = Signal(str)
    used = Signal()  # the user chose a model (Use or double-click)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.use_button = push_button(self, "", "")
        self.rename_button = push_button(self, "", "")
        self.delete_button = push_button(self, "", "")
        self.import_button = push_button(self, "", "")
        self.export_button = push_button(self, "", "")
        self.reveal_button = push_button(self, "", "")
        #: The status message of the last load started here ("" before any).
        self.loading_message = ""
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(f"color: {colour('warn').darker(130).name()}")
        self._rows: list[LibraryEntry | UnreadableEntry] = []
        buttons = QHBoxLayout()
        for button in (
            self.use_button,
            self.rename_button,
            self.delete_button,
            self.import_button,
            self.export_button,
            self.reveal_button,
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
        self.reveal_button.clicked.connect(self.reveal_selected)
        self.table.itemDoubleClicked.connect(lambda _: self.use_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        session.library_changed.connect(self.set_entries)
        session.load_failed.connect(
            lambda message: self._fail(ARExplorerError(message))
        )
        session.model_changed.connect(lambda _: self.set_entries())
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (the rows are listed again)."""
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("name"),
                self.tr("model"),
                self.tr("data"),
                self.tr("valid NLL"),
                self.tr("parameters"),
                self.tr("saved"),
                "",
            ]
        )
        self.table.setToolTip(self.tr("Double-click a model to use it in the panels"))
        for button, text, tip in (
            (
                self.use_button,
                self.tr("Use"),
                self.tr("Make the selected model the current one"),
            ),
            (
                self.rename_button,
                self.tr("Rename…"),
                self.tr("Rename the selected checkpoint"),
            ),
            (
                self.delete_button,
                self.tr("Delete"),
                self.tr("Delete the selected checkpoint"),
            ),
            (
                self.import_button,
                self.tr("Import…"),
                self.tr("Copy a checkpoint file into the library"),
            ),
            (
                self.export_button,
                self.tr("Export…"),
                self.tr("Save a copy of the selected checkpoint"),
            ),
            (
                self.reveal_button,
                self.tr("Show in folder"),
                self.tr("Open the folder that holds the selected file"),
            ),
        ):
            button.setText(text)
            button.setToolTip(tip)
        row = self.table.currentRow()
        self.set_entries()
        if row >= 0:
            self.select_row(row)

    def _whose(self, bundled: bool) -> str:
        return self.tr("bundled") if bundled else self.tr("yours")

    def set_entries(self) -> None:
        """Show the session's library: its models, then the unreadable files."""
        entries = self.session.entries()
        unreadable = self.session.unreadable()
        current = self.session.checkpoint.path if self.session.checkpoint else None
        locale = QLocale()
        self.table.clearSpans()
        self.table.setRowCount(len(entries) + len(unreadable))
        self._rows = [*entries, *unreadable]
        for row, entry in enumerate(entries):
            try:
                title = QCoreApplication.translate(
                    "models", model_class(entry.kind).title
                )
            except ARExplorerError:
                title = entry.kind
            nll = (
                "—"
                if entry.valid_nll is None
                else self.tr("{nll} nats").format(
                    nll=locale.toString(entry.valid_nll, "f", 2)
                )
            )
            count = entry.num_parameters
            cells = [
                entry.name,
                title,
                entry.data,
                nll,
                "—" if count is None else locale.toString(count),
                entry.created[:10],
                self._whose(entry.bundled),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if entry.path == current:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
                self.table.setItem(row, col, item)
        for row, bad in enumerate(unreadable, start=len(entries)):
            self._set_unreadable_row(row, bad)
        if unreadable:
            files = (
                self.tr("1 file")
                if len(unreadable) == 1
                else self.tr("{count} files").format(count=len(unreadable))
            )
            self.problems.setText(
                self.tr(
                    "{files} in the library could not be read (grey rows). "
                    "Select one to delete it or to show it in its folder."
                ).format(files=files)
            )
        else:
            self.problems.setText("")
        self.problems.setVisible(bool(unreadable))
        self._update_buttons()

    def _set_unreadable_row(self, row: int, bad: UnreadableEntry) -> None:
        """A grey row: the file name, why it is unreadable, whose it is."""
        cells = {
            0: bad.name,
            1: self.tr("unreadable: {reason}").format(reason=bad.reason),
            len(COLUMNS) - 1: self._whose(bad.bundled),
        }
        tip = self.tr("{path}\ncannot be used: {reason}").format(
            path=bad.path, reason=bad.reason
        )
        for col in range(len(COLUMNS)):
            item = QTableWidgetItem(cells.get(col, ""))
            item.setForeground(colour("muted"))
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.UserRole, str(bad.path))
            self.table.setItem(row, col, item)
        self.table.setSpan(row, 1, 1, len(COLUMNS) - 2)

    def row_text(self, row: int) -> list[str]:
        """The texts the user sees in a row (spanned cells once)."""
        texts = []
        for col in range(self.table.columnCount()):
            if self.table.columnSpan(row, col) == 0:  # covered by a span
                continue
            item = self.table.item(row, col)
            texts.append("" if item is None else item.text())
        return texts

    def _selected(self) -> LibraryEntry | UnreadableEntry | None:
        row = self.table.currentRow()
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def selected_entry(self) -> LibraryEntry | None:
        """The selected checkpoint, if a usable one is selected."""
        chosen = self._selected()
        return chosen if isinstance(chosen, LibraryEntry) else None

    def selected_unreadable(self) -> UnreadableEntry | None:
        """The selected unreadable file, if one is selected."""
        chosen = self._selected()
        return chosen if isinstance(chosen, UnreadableEntry) else None

    def select_row(self, row: int) -> None:
        """Select a row (as a click would)."""
        self.table.selectRow(row)

    def _update_buttons(self) -> None:
        entry, chosen = self.selected_entry(), self._selected()
        for button in (self.use_button, self.export_button):
            button.setEnabled(entry is not None)
        self.rename_button.setEnabled(entry is not None and not entry.bundled)
        self.delete_button.setEnabled(chosen is not None and not chosen.bundled)
        self.reveal_button.setEnabled(chosen is not None)

    def _fail(self, exc: Exception) -> None:
        QMessageBox.warning(self, self.tr("Model library"), str(exc))
        self.status_message.emit(str(exc))

    def use_selected(self) -> None:
        """Make the selected checkpoint the current model."""
        bad = self.selected_unreadable()
        if bad is not None:
            self.status_message.emit(
                self.tr("{name} cannot be used: {reason}").format(
                    name=bad.name, reason=bad.reason
                )
            )
            return
        entry = self.selected_entry()
        if entry is None:
            return
        self.loading_message = self.tr("loading {name} …").format(name=entry.name)
        self.status_message.emit(self.loading_message)
        self.session.select_in_background(entry.path)
        self.used.emit()

    def _on_rename(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Rename"), self.tr("New name:"), text=entry.name
        )
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
        entry = self._selected()
        if entry is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Delete"),
            self.tr("Delete {name}? This cannot be undone.").format(name=entry.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete(entry)

    def delete(self, entry: LibraryEntry | UnreadableEntry) -> None:
        """Delete ``entry`` (a checkpoint or an unreadable file), list again."""
        try:
            self.session.library.delete(entry)
        except ARExplorerError as exc:
            self._fail(exc)
            return
        self.session.forget(entry.path)
        self.session.refresh()

    def _on_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a checkpoint"),
            "",
            self.tr("Checkpoints (*.safetensors)"),
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
            self.tr("Export a checkpoint"),
            f"{entry.path.stem}.safetensors",
            self.tr("Checkpoints (*.safetensors)"),
        )
        if path:
            try:
                # the save dialog has asked before replacing a file
                written = self.session.library.export(entry, Path(path), overwrite=True)
            except ARExplorerError as exc:
                self._fail(exc)
                return
            self.status_message.emit(self.tr("exported to {path}").format(path=written))

    def reveal_selected(self) -> None:
        """Open the folder of the selected file in the system's file manager."""
        chosen = self._selected()
        if chosen is None:
            return
        folder = chosen.path.parent
        self.status_message.emit(
            self.tr("{name} is in {folder}").format(name=chosen.name, folder=folder)
        )
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._fail(
                ARExplorerError(
                    self.tr("could not open {folder}").format(folder=folder)
                )
            )
