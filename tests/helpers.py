"""What several GUI tests do the same way, as a user does it."""

from PySide6.QtCore import Qt

from models.checkpoint import save_checkpoint
from models.registry import create
from tests.conftest import randomize


def use_model(qtbot, window, name: str, timeout: int = 30_000) -> None:
    """Select ``name`` in the library, click Use, wait until it is loaded."""
    view = window.library_view
    row = next(i for i, e in enumerate(window.session.entries()) if e.name == name)
    view.select_row(row)
    with qtbot.waitSignal(window.session.model_changed, timeout=timeout):
        qtbot.mouseClick(view.use_button, Qt.MouseButton.LeftButton)


def add_model(window, name: str, kind: str = "pixelcnn", seed: int = 2, **config):
    """Save a tiny 28×28 model of ``kind`` in the user's library; return it.

    ``config`` goes to :func:`models.registry.create` (a likelihood, its
    levels or components); the weights are random, so every pixel's
    distribution is a different one. Select it with :func:`use_model`.
    """
    if kind == "pixelcnn":
        config = {"channels": 4, "layers": 2, **config}
    model = randomize(create(kind, (28, 28), **config), seed)
    user = window.session.library.user_dir
    save_checkpoint(user / name, model, data={"name": "mnist-5k"})
    window.session.refresh()
    return model
