"""``python -m desktop_app`` / ``ar-explorer``: launch the application."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Start the Qt event loop with the main window; returns the exit code."""
    from desktop_app.app import run

    return run(sys.argv if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
