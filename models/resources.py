"""Where the bundled resources are, installed or in a source checkout."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

__all__ = ["resource_path"]


def _root() -> Path:
    try:
        return Path(str(importlib.resources.files("ar_explorer_resources")))
    except ModuleNotFoundError:  # a source checkout that was never installed
        return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource_path("data", "mnist_5k.npz")``."""
    return _root().joinpath(*parts)
