"""What several GUI tests do the same way, as a user does it."""

from PySide6.QtCore import Qt


def use_model(qtbot, window, name: str, timeout: int = 30_000) -> None:
    """Select ``name`` in the library, click Use, wait until it is loaded."""
    view = window.library_view
    row = next(i for i, e in enumerate(window.session.entries()) if e.name == name)
    view.select_row(row)
    with qtbot.waitSignal(window.session.model_changed, timeout=timeout):
        qtbot.mouseClick(view.use_button, Qt.MouseButton.LeftButton)
