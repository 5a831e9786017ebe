"""Checkpoints with malformed records, and files that are not files, for the library.

Each malformed checkpoint is a real safetensors file holding a real model's
tensors; only the JSON record in its header is changed, written as raw JSON
text so that values Python would not write (``1e400``, a 5,000-digit integer,
200,000 levels of nesting) reach the reader as an attacker would write them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from safetensors.torch import save

from models.base import ARModel
from models.checkpoint import read_metadata, save_checkpoint

#: name → (record field, raw JSON text put in its place)
MALFORMED: dict[str, tuple[str, str]] = {
    "metrics-not-an-object": ("metrics", "[1, 2]"),
    "data-not-an-object": ("data", '"mnist"'),
    "parameters-abc": ("num_parameters", '"abc"'),
    "nll-1e400": ("metrics", '{"valid_nll_nats": 1e400}'),
    "integer-5000-digits": ("num_parameters", "1" + "0" * 4999),
    "nested-200000": ("notes", "[" * 200_000 + "]" * 200_000),
    "kind-a-list": ("kind", '["nade"]'),
    "name-an-object": ("name", '{"a": 1}'),
    "created-a-number": ("created", "5"),
    "training-a-string": ("training", '"abc"'),
}

#: Fields whose wrong type the library itself reports by name.
NAMED_FIELDS = {
    "metrics-not-an-object": "metrics",
    "data-not-an-object": "data",
    "parameters-abc": "num_parameters",
    "kind-a-list": "kind",
    "name-an-object": "name",
    "created-a-number": "created",
    "training-a-string": "training",
}


def write_record(path: Path, model: ARModel, text: str) -> Path:
    """A safetensors file with ``model``'s tensors and ``text`` as its record."""
    tensors = {k: v.contiguous() for k, v in model.state_dict().items()}
    path.write_bytes(save(tensors, metadata={"ar_explorer": text}))
    return path


def with_field(record: dict[str, object], field: str, raw: str) -> str:
    """``record`` as JSON text with ``field``'s value replaced by ``raw``."""
    marker = "@@replaced@@"
    return json.dumps({**record, field: marker}).replace(json.dumps(marker), raw)


def fill_bad_folder(folder: Path, model: ARModel) -> tuple[Path, list[str]]:
    """Save one good checkpoint called ``good`` and every hostile file beside it.

    Returns the good checkpoint and the file names of the bad ones: each
    record of :data:`MALFORMED`, a FIFO, a folder, a link to ``/dev/zero`` and
    a dangling link, all named ``*.safetensors``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    good = save_checkpoint(
        folder / "good",
        model,
        data={"name": "mnist-5k"},
        metrics={"valid_nll_nats": 123.5},
    )
    record = read_metadata(good)
    names = []
    for name, (field, raw) in MALFORMED.items():
        write_record(
            folder / f"{name}.safetensors", model, with_field(record, field, raw)
        )
        names.append(f"{name}.safetensors")
    os.mkfifo(folder / "fifo.safetensors")
    (folder / "folder.safetensors").mkdir()
    (folder / "zero.safetensors").symlink_to("/dev/zero")
    (folder / "dangling.safetensors").symlink_to(folder / "nowhere")
    names += [
        "fifo.safetensors",
        "folder.safetensors",
        "zero.safetensors",
        "dangling.safetensors",
    ]
    return good, names
