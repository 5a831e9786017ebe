"""Shared fixtures: tiny real models of every kind, and the data paths."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import torch

from models.base import ARModel
from models.registry import create, model_class

SHARED_DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "binarized_mnist.npz"
)

#: Small configurations of every model kind.
TINY_CONFIGS: dict[str, dict[str, Any]] = {
    "bernoulli": {},
    "markov": {"order": 2},
    "fvsbn": {},
    "nade": {"hidden": 7},
    "made": {"hidden_sizes": (13, 11)},
    # its own O(H) sampler, with the direct input → output term
    "made-one-layer": {"hidden_sizes": (19,), "direct": True},
    "made-ensemble": {
        "hidden_sizes": (17,),
        "num_masks": 3,
        "order_agnostic": True,
        "ensemble": True,
    },
    "pixelcnn": {"channels": 4, "layers": 2, "first_kernel": 3},
    "gated_pixelcnn": {"channels": 3, "layers": 2, "first_kernel": 3},
    "row_lstm": {"channels": 3, "layers": 2, "first_kernel": 3},
    "diagonal_bilstm": {"channels": 3, "layers": 2, "first_kernel": 3},
    "diagonal_bilstm-literal": {
        "channels": 3,
        "layers": 1,
        "first_kernel": 5,
        "backward_reads_pixel": False,
    },
}


def kind_of(name: str) -> str:
    return name.split("-")[0]


def supported_orderings(name: str) -> tuple[str, ...]:
    return model_class(kind_of(name)).config_class.supported_orderings


def randomize(model: ARModel, seed: int = 0) -> ARModel:
    """Give every parameter random, non-zero values (zero init hides dependencies)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    return model.eval()


def tiny_model(
    name: str, shape: tuple[int, int] = (3, 3), seed: int = 0, **overrides: Any
) -> ARModel:
    return randomize(
        create(kind_of(name), shape, **{**TINY_CONFIGS[name], **overrides}), seed
    )


def supported_likelihoods(name: str) -> tuple[str, ...]:
    """The pixel likelihoods the kind of ``name`` declares it supports."""
    return model_class(kind_of(name)).config_class.supported_likelihoods


def tiny_likelihood_model(
    name: str,
    shape: tuple[int, int],
    likelihood: str,
    *,
    levels: int = 0,
    components: int = 2,
    seed: int = 0,
    weight_scale: float = 1.0,
    **overrides: Any,
) -> ARModel:
    """:func:`tiny_model` with pixel likelihood ``likelihood`` (K levels, M
    components; ``levels=0``: the likelihood's default), its random weights
    multiplied by ``weight_scale`` (smaller weights, gentler distributions)."""
    settings = {"likelihood": likelihood, "levels": levels, "components": components}
    model = tiny_model(name, shape, seed, **settings, **overrides)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(weight_scale)
    return model


@pytest.fixture(scope="session")
def binarized_mnist_path() -> Path:
    if not SHARED_DATA.is_file():
        pytest.skip("../shared/data/binarized_mnist.npz is not beside the project")
    return SHARED_DATA


@pytest.fixture
def library_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(user, bundled) folders; the bundled one holds two tiny 28×28 models."""
    from models.checkpoint import save_checkpoint

    bundled, user = tmp_path / "bundled", tmp_path / "user"
    nade = randomize(create("nade", (28, 28), hidden=8, num_classes=10), seed=1)
    with torch.no_grad():  # a plausible model: mostly-black digits
        nade.bias_out.fill_(-2.0)
        nade.weight_out.mul_(0.1)
        nade.weight_in.mul_(0.1)
    save_checkpoint(
        bundled / "tiny-nade-classes",
        nade,
        metrics={"valid_nll_nats": 210.0},
        data={"name": "mnist-5k"},
    )
    pixelcnn = create("pixelcnn", (28, 28), channels=4, layers=1)
    save_checkpoint(bundled / "tiny-pixelcnn", pixelcnn, data={"name": "mnist-5k"})
    return user, bundled


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, library_dirs: tuple[Path, Path]) -> Any:
    """The main window on a temporary library and settings file."""
    from PySide6.QtCore import QSettings

    from desktop_app.app import MainWindow
    from desktop_app.session import Session
    from models.library import Library

    user, bundled = library_dirs
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Session(Library(user, bundled)), settings)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes would block a test: record their text instead."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(*args: Any, **kwargs: Any) -> Any:
        shown.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Yes

    for name in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, record)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    return shown
