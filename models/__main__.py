"""``python -m models`` runs the ``ar-models`` command line."""

import sys

from models.cli import main

sys.exit(main())
