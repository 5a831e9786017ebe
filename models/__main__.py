"""``python -m models`` runs the ``ar-models`` command line."""

from models.cli import run

run()
