"""Hostile files and careless input, through the real CLI, under a memory cap.

Every case runs ``ar-models`` in its own process (forked from one server that
imported torch once, see ``tests/hostile.py``) whose address space is capped
at what it started with plus a budget. A case passes when the command

- exits 2 with one line, ``ar-models: error: …``, naming the file where there
  is one (argparse's own errors: one line plus an optional ``--help`` hint),
  or, for input that is valid, exits 0 with JSON on stdout;
- prints no traceback and reports no failed allocation;
- ends before its deadline, within the memory budget;
- leaves what was saved before untouched, and writes nothing outside its
  folder.

The files are made here, small: crafted checkpoint records and headers,
malformed training records, decompression bombs of a few MB, FIFOs, a link
to ``/dev/zero``, files that claim 10¹² images.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import random
import re
import stat
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save as save_tensors

from models.checkpoint import save_checkpoint
from models.registry import create
from tests.hostile import SERVER_ENV

REPO = Path(__file__).resolve().parents[1]
BUDGET_MIB = 512  # over what the process had when it started
DEADLINE_S = 10.0
PARALLEL = 4

# -- the cases --------------------------------------------------------------------

#: A refusal: exit 2, one line "ar-models: error: …".
REFUSED = "refused"
#: An argparse refusal: exit 2, one "error:" line, optionally a --help hint.
USAGE = "usage"
#: Valid input: exit 0 and JSON on stdout.
WORKS = "works"
#: Either of the two above; what matters is bounded time and memory.
EITHER = "works or refused"


@dataclass(frozen=True)
class Case:
    """One command line; ``{R}`` in it stands for the folder of the files."""

    id: str
    argv: tuple[str, ...]
    expect: str = REFUSED
    names: str | None = None  # text the error line must contain (the file)
    avoid: str | None = None  # text it must not contain (a wrong diagnosis)


def _sample(ckpt: str, *extra: str, out: str = "{R}/out/sample.png") -> tuple[str, ...]:
    return ("sample", ckpt, "-n", "2", "--out", out, *extra)


def _eval(ckpt: str, data: str = "{R}/data/tiny.npz", *extra: str) -> tuple[str, ...]:
    return ("eval", ckpt, "--data", data, *extra)


def _train(data: str, name: str, *extra: str) -> tuple[str, ...]:
    return (
        "train",
        "--kind",
        "bernoulli",
        "--data",
        data,
        "--epochs",
        "1",
        "--out",
        "{R}/train",
        "--name",
        name,
        "--quiet",
        *extra,
    )


def _resume(case_id: str) -> tuple[str, ...]:
    return (
        "train",
        "--resume",
        f"{{R}}/resume/{case_id}/run.safetensors",
        "--data",
        "{R}/data/tiny.npz",
        "--epochs",
        "2",
        "--quiet",
    )


#: Checkpoints crafted from a valid 28×28 NADE: the file under {R}/ckpt/.
CHECKPOINT_CASES = [
    "image-shape-1e30",
    "image-shape-20000",
    "hidden-1e9",
    "num-classes-1e9",
    "hilbert-4000",
    "hidden-300000",
    "kind-list",
    "kind-dict",
    "custom-ordering-abc",
    "header-5000-digits",
    "record-5000-digits",
    "record-nested-200000",
    "metrics-list",
    "data-string",
    "num-parameters-abc",
    "nll-1e400",
    "truncated",
    "header-length-past-end",
    "pickle",
    "fifo",
    "directory",
]
#: Checkpoints also scored with ``eval`` (the same loader, another command).
EVAL_CHECKPOINT_CASES = [
    "image-shape-1e30",
    "hidden-1e9",
    "kind-dict",
    "record-nested-200000",
    "truncated",
    "fifo",
]
#: Malformed training records, resumed: the file under {R}/resume/ID/.
RESUME_CASES = [
    "optimizer-wrong-shape",
    "optimizer-int64",
    "epoch-abc",
    "epoch-negative",
    "history-wrong-type",
    "optimizer-record-wrong-type",
    "data-wrong-type",
    "training-config-wrong-type",
    "betas-string",
    "threshold-abc",
    "threshold-1e400",
    "optimizer-name-without-index",
    "optimizer-index-superscript",
    "optimizer-index-5000-digits",
    "scalars-index-superscript",
]

CASES: list[Case] = [
    # controls: the harness runs real, working commands
    Case("control-sample", _sample("{R}/ckpt/nade.safetensors"), WORKS),
    Case("control-eval", _eval("{R}/ckpt/nade.safetensors"), WORKS),
    Case("control-train", _train("{R}/data/tiny.npz", "control"), WORKS),
    Case("control-resume", _resume("valid"), WORKS),
    Case("control-count", ("count", "--shape", "28x28"), WORKS),
    # checkpoints whose record or framing is hostile
    *(
        Case(
            f"sample-{name}",
            _sample(f"{{R}}/ckpt/{name}.safetensors"),
            names=f"{name}.safetensors",
        )
        for name in CHECKPOINT_CASES
    ),
    *(
        Case(
            f"eval-{name}",
            _eval(f"{{R}}/ckpt/{name}.safetensors"),
            names=f"{name}.safetensors",
        )
        for name in EVAL_CHECKPOINT_CASES
    ),
    # eval reads the recorded binarization too
    Case(
        "eval-threshold-1e400",
        _eval("{R}/resume/threshold-1e400/run.safetensors"),
        names="resume/threshold-1e400/run",
    ),
    # --resume with a malformed training record
    *(
        Case(f"resume-{name}", _resume(name), names=f"resume/{name}/run")
        for name in RESUME_CASES
    ),
    # data files
    Case(
        "train-idx-gzip-bomb",
        _train("{R}/data/idx-gzip-bomb", "x1"),
        names="idx-gzip-bomb",
    ),
    Case(
        "eval-idx-gzip-bomb",
        _eval(
            "{R}/ckpt/nade.safetensors", "{R}/data/idx-gzip-bomb", "--split", "train"
        ),
        names="idx-gzip-bomb",
    ),
    Case(
        "train-idx-gzip-bomb-small-header",
        _train("{R}/data/idx-gzip-bomb-small-header", "x2"),
        names="idx-gzip-bomb-small-header",
    ),
    Case(
        "train-npz-zip-bomb",
        _train("{R}/data/zip-bomb.npz", "x3"),
        names="zip-bomb.npz",
    ),
    Case(
        "eval-npz-zip-bomb",
        _eval("{R}/ckpt/nade.safetensors", "{R}/data/zip-bomb.npz", "--split", "train"),
        names="zip-bomb.npz",
    ),
    Case(
        "train-npy-huge-header",
        _train("{R}/data/huge-header.npy", "x4"),
        names="huge-header.npy",
    ),
    Case(
        "train-npz-huge-header",
        _train("{R}/data/huge-header.npz", "x5"),
        names="huge-header.npz",
    ),
    Case(
        "train-idx-dev-zero",
        _train("{R}/data/idx-dev-zero", "x6"),
        names="idx-dev-zero",
    ),
    Case("train-idx-fifo", _train("{R}/data/idx-fifo", "x7"), names="idx-fifo"),
    Case(
        "train-npz-random-bytes",
        _train("{R}/data/random.npz", "x8"),
        names="random.npz",
        avoid="Python objects",
    ),
    Case(
        "train-npy-fifo",
        _train("{R}/data/fifo.npy", "x9"),
        names="fifo.npy",
        avoid="no such file",
    ),
    Case(
        "eval-npy-fifo",
        _eval("{R}/ckpt/nade.safetensors", "{R}/data/fifo.npy"),
        names="fifo.npy",
        avoid="no such file",
    ),
    Case("train-npy-one-array", _train("{R}/data/one-array.npy", "one"), WORKS),
    # counting
    Case("count-120x120", ("count", "--shape", "120x120"), WORKS),
    Case(
        "count-30000x30000-states-3",
        ("count", "--shape", "30000x30000", "--states", "3"),
        EITHER,
    ),
    Case(
        "count-markov-order-1e12",
        ("count", "--markov-order", "1000000000000"),
        EITHER,
    ),
    Case("count-100000x100000", ("count", "--shape", "100000x100000"), EITHER),
    Case(
        "count-fvsbn-300x300",
        ("count", "--kind", "fvsbn", "--shape", "300x300"),
        EITHER,
    ),
    Case("count-made-hidden-abc", ("count", "--made-hidden", "abc")),
    Case("count-shape-28x5x7", ("count", "--shape", "28x5x7"), USAGE),
    # nothing lost, nothing written outside its folder
    Case(
        "train-existing-name",
        (
            "train",
            "--kind",
            "bernoulli",
            "--data",
            "{R}/data/tiny.npz",
            "--epochs",
            "1",
            "--out",
            "{R}/existing",
            "--name",
            "trained_nade",
            "--quiet",
        ),
        names="trained_nade",
    ),
    Case(
        "train-name-traversal",
        (
            "train",
            "--kind",
            "bernoulli",
            "--data",
            "{R}/data/tiny.npz",
            "--epochs",
            "1",
            "--out",
            "{R}/traversal/a/b/c/out",
            "--name",
            "../../../x",
            "--quiet",
        ),
        EITHER,
    ),
    Case(
        "eval-batch-size-negative",
        _eval("{R}/ckpt/nade.safetensors", "{R}/data/tiny.npz", "--batch-size", "-1"),
    ),
    Case(
        "eval-batch-size-zero",
        _eval("{R}/ckpt/nade.safetensors", "{R}/data/tiny.npz", "--batch-size", "0"),
    ),
    Case(
        "eval-labels-out-of-range",
        _eval("{R}/ckpt/nade-classes.safetensors", "{R}/data/high-labels.npz"),
        names="high-labels.npz",
    ),
    # careless settings
    Case(
        "train-set-image-shape",
        _train("{R}/data/tiny.npz", "x10", "--set", "image_shape=[2,2]"),
    ),
    Case("train-set-seed-abc", _train("{R}/data/tiny.npz", "x11", "--set", "seed=abc")),
    Case(
        "train-seed-huge",
        _train("{R}/data/tiny.npz", "x12", "--seed", "99999999999999999999"),
    ),
    Case(
        "sample-scale-negative", _sample("{R}/ckpt/nade.safetensors", "--scale", "-1")
    ),
    Case(
        "sample-scale-huge", _sample("{R}/ckpt/nade.safetensors", "--scale", "100000")
    ),
    Case("sample-scale-zero", _sample("{R}/ckpt/nade.safetensors", "--scale", "0")),
    Case(
        "sample-n-100000",
        (
            "sample",
            "{R}/ckpt/nade.safetensors",
            "-n",
            "100000",
            "--out",
            "{R}/out/n.png",
        ),
    ),
    Case(
        "sample-temperature-inf",
        _sample("{R}/ckpt/nade.safetensors", "--temperature", "inf"),
    ),
    Case(
        "sample-out-directory",
        _sample("{R}/ckpt/nade.safetensors", out="{R}/out"),
        names="{R}/out",
    ),
    Case(
        "sample-out-under-file",
        _sample("{R}/ckpt/nade.safetensors", out="{R}/a-file.txt/sample.png"),
        names="a-file.txt",
    ),
    Case(
        "sample-out-read-only",
        _sample("{R}/ckpt/nade.safetensors", out="{R}/read-only/sample.png"),
        names="read-only",
    ),
    # argparse's own errors
    Case(
        "usage-unknown-option",
        ("sample", "{R}/ckpt/nade.safetensors", "--bogus"),
        USAGE,
    ),
    Case("usage-missing-argument", ("eval", "{R}/ckpt/nade.safetensors"), USAGE),
    Case("usage-bad-int", ("count", "--states", "many"), USAGE),
    Case("usage-no-command", (), USAGE),
]

#: Cases that cannot be made where the tests run, and why.
SKIPPED = {
    "sample-out-read-only": "running as root: a read-only folder does not stop writes"
    if os.geteuid() == 0
    else None,
}

# -- crafting files ---------------------------------------------------------------

_ZERO_BLOCK = 784 * 65536  # bytes: 65,536 28×28 images of zeros


@functools.cache
def _deflate(data: bytes) -> bytes:
    """Raw deflate of ``data``, ended by a full flush: it can be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _zeros_stream(head: bytes, blocks: int) -> tuple[bytes, int, int]:
    """Raw deflate of ``head`` then ``blocks`` zero blocks: (stream, CRC, size).

    Each block is compressed once and repeated, so a few MB that expand to
    gigabytes take a fraction of a second to make.
    """
    zeros = bytes(_ZERO_BLOCK)
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(zeros, crc)
    end = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # empty final block
    stream = _deflate(head) + _deflate(zeros) * blocks + end
    return stream, crc, len(head) + blocks * _ZERO_BLOCK


def _gzip_bomb(path: Path, head: bytes, blocks: int) -> None:
    stream, crc, size = _zeros_stream(head, blocks)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    path.write_bytes(header + stream + struct.pack("<II", crc, size & 0xFFFFFFFF))


def _zip_bomb(path: Path, member: str, head: bytes, blocks: int) -> None:
    """A one-member zip (deflated, no zip64: under 4 GiB expanded)."""
    stream, crc, size = _zeros_stream(head, blocks)
    assert size < 2**32
    name = member.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, len(name), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(stream),
        size,
        len(name),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    offset = len(local) + len(name) + len(stream)
    directory = central + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), offset, 0)
    path.write_bytes(local + name + stream + directory + end)


def _npy_header(shape: tuple[int, ...]) -> bytes:
    text = f"{{'descr': '|u1', 'fortran_order': False, 'shape': {shape!r}, }}"
    text += " " * (-(len(text) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def _idx_header(*dims: int) -> bytes:
    return bytes([0, 0, 8, len(dims)]) + b"".join(d.to_bytes(4, "big") for d in dims)


def _split_safetensors(path: Path) -> tuple[dict[str, Any], bytes]:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + length]), raw[8 + length :]


def _join_safetensors(path: Path, header_text: str, body: bytes) -> None:
    text = header_text.encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + body)


_RAW = '"@RAW@"'  # where raw JSON text (not producible by json.dumps) goes


def _edit_record(
    source: Path,
    target: Path,
    edit: Callable[[dict[str, Any]], Any],
    raw: str | None = None,
) -> None:
    """Copy a checkpoint with its embedded record edited (``raw`` for ``_RAW``)."""
    header, body = _split_safetensors(source)
    record = json.loads(header["__metadata__"]["ar_explorer"])
    edit(record)
    text = json.dumps(record)
    if raw is not None:
        text = text.replace(_RAW, raw)
    header["__metadata__"]["ar_explorer"] = text
    target.parent.mkdir(parents=True, exist_ok=True)
    _join_safetensors(target, json.dumps(header), body)


def _edit_tensors(
    source: Path, target: Path, edit: Callable[[dict[str, torch.Tensor]], Any]
) -> None:
    """Copy a checkpoint with its tensors edited, the record kept as it is."""
    with safe_open(str(source), framework="pt") as handle:
        metadata = handle.metadata()
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    edit(tensors)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(save_tensors(tensors, metadata=metadata))


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """An edit setting ``record[a][b]…`` for the dotted ``path``."""
    *parents, last = path.split(".")

    def edit(record: dict[str, Any]) -> None:
        node: Any = record
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value

    return edit


def _digits_header(source: Path, target: Path) -> None:
    """A tensor shape in the header with a 5,000-digit dimension."""
    header, body = _split_safetensors(source)
    first = next(key for key in header if key != "__metadata__")
    header[first]["shape"] = [_RAW]
    _join_safetensors(target, json.dumps(header).replace(_RAW, "9" * 5000), body)


def _make_checkpoints(root: Path) -> None:
    folder = root / "ckpt"
    folder.mkdir()
    gen = torch.Generator().manual_seed(0)
    for name, classes in (("nade", 0), ("nade-classes", 10)):
        model = create("nade", (28, 28), hidden=8, num_classes=classes)
        with torch.no_grad():  # small weights, dark images: a plausible model
            for parameter in model.parameters():
                parameter.copy_(0.1 * torch.randn(parameter.shape, generator=gen))
            dict(model.named_parameters())["bias_out"].fill_(-2.0)
        save_checkpoint(folder / name, model, data={"name": "tiny"})
    base = folder / "nade.safetensors"

    def make(
        name: str, edit: Callable[[dict[str, Any]], Any], raw: str | None = None
    ) -> None:
        _edit_record(base, folder / f"{name}.safetensors", edit, raw)

    make("image-shape-1e30", _set("config.image_shape", [10**30, 1]))
    make("image-shape-20000", _set("config.image_shape", [20000, 20000]))
    make("hidden-1e9", _set("config.hidden", 10**9))
    make("num-classes-1e9", _set("config.num_classes", 10**9))

    def hilbert(record: dict[str, Any]) -> None:
        record["config"].update(image_shape=[4000, 4000], ordering="hilbert")

    make("hilbert-4000", hilbert)
    make("hidden-300000", _set("config.hidden", 300000))
    make("kind-list", _set("kind", ["nade"]))
    make("kind-dict", _set("kind", {"nade": 1}))

    def custom(record: dict[str, Any]) -> None:
        record["config"].update(ordering="custom", custom_ordering="abc")

    make("custom-ordering-abc", custom)
    _digits_header(base, folder / "header-5000-digits.safetensors")
    make("record-5000-digits", _set("num_parameters", "@RAW@"), "9" * 5000)
    make(
        "record-nested-200000",
        _set("metrics", "@RAW@"),
        "[" * 200_000 + "]" * 200_000,
    )
    make("metrics-list", _set("metrics", [1, 2]))
    make("data-string", _set("data", "abc"))
    make("num-parameters-abc", _set("num_parameters", "abc"))
    make("nll-1e400", _set("metrics", {"valid_nll_nats": "@RAW@"}), "1e400")
    raw = base.read_bytes()
    (folder / "truncated.safetensors").write_bytes(raw[: len(raw) // 2])
    (folder / "header-length-past-end.safetensors").write_bytes(
        struct.pack("<Q", len(raw) * 1000) + raw[8:]
    )
    (folder / "pickle.safetensors").write_bytes(pickle.dumps({"weights": [1.0]}, 2))
    os.mkfifo(folder / "fifo.safetensors")
    (folder / "directory.safetensors").mkdir()


def _make_data(root: Path) -> None:
    folder = root / "data"
    folder.mkdir()
    rng = np.random.default_rng(0)

    def images(n: int) -> np.ndarray:
        return (rng.random((n, 28, 28)) < 0.2).astype(np.uint8) * 255

    train, valid = images(64), images(32)
    train_labels, valid_labels = rng.integers(0, 10, 64), rng.integers(0, 10, 32)
    np.savez(
        folder / "tiny.npz",
        train=train,
        valid=valid,
        train_labels=train_labels,
        valid_labels=valid_labels,
    )
    np.savez(  # a 10-class model cannot score labels 10 to 19
        folder / "high-labels.npz",
        train=train,
        valid=valid,
        train_labels=train_labels + 10,
        valid_labels=valid_labels + 10,
    )
    np.save(folder / "one-array.npy", images(64))

    # IDX folders: a bomb whose header matches what it expands to (3.3 GB),
    # one whose header says 64 small images, a link to /dev/zero, a FIFO
    bomb = folder / "idx-gzip-bomb"
    bomb.mkdir()
    _gzip_bomb(bomb / "train-images-idx3-ubyte.gz", _idx_header(64 * 65536, 28, 28), 64)
    small = folder / "idx-gzip-bomb-small-header"
    small.mkdir()
    _gzip_bomb(small / "train-images-idx3-ubyte.gz", _idx_header(64, 8, 8), 24)
    (folder / "idx-dev-zero").mkdir()
    os.symlink("/dev/zero", folder / "idx-dev-zero" / "train-images-idx3-ubyte")
    (folder / "idx-fifo").mkdir()
    os.mkfifo(folder / "idx-fifo" / "train-images-idx3-ubyte")

    # .npz/.npy: a zip bomb (2.9 GB), headers declaring 10^12 images, noise, a FIFO
    _zip_bomb(
        folder / "zip-bomb.npz", "train.npy", _npy_header((56 * 65536, 28, 28)), 56
    )
    huge = _npy_header((10**12, 28, 28)) + bytes(784)
    (folder / "huge-header.npy").write_bytes(huge)
    import zipfile

    with zipfile.ZipFile(folder / "huge-header.npz", "w") as archive:
        archive.writestr("train.npy", huge)
    noise = random.Random(0).randbytes(4096)
    (folder / "random.npz").write_bytes(b"\x00\x01" + noise)
    os.mkfifo(folder / "fifo.npy")


def _make_runs(root: Path) -> None:
    """A resumable run trained by the CLI, copies with broken records, a name taken."""
    from models.checkpoint import copy_checkpoint
    from models.cli import main

    base_dir = root / "runs"
    status = main(
        [
            "train",
            "--kind",
            "nade",
            "--set",
            "hidden=4",
            "--data",
            str(root / "data" / "tiny.npz"),
            "--epochs",
            "1",
            "--batch-size",
            "32",
            "--out",
            str(base_dir),
            "--name",
            "base",
            "--quiet",
        ]
    )
    assert status == 0
    base = base_dir / "base.safetensors"

    def target(case_id: str) -> Path:
        return root / "resume" / case_id / "run.safetensors"

    _edit_record(base, target("valid"), lambda record: None)
    _edit_record(base, target("epoch-abc"), _set("training.epoch", "abc"))
    _edit_record(base, target("epoch-negative"), _set("training.epoch", -5))
    _edit_record(base, target("history-wrong-type"), _set("training.history", 5))
    _edit_record(base, target("optimizer-record-wrong-type"), _set("optimizer", "abc"))
    _edit_record(base, target("data-wrong-type"), _set("data", "abc"))
    _edit_record(
        base, target("training-config-wrong-type"), _set("training.config", "abc")
    )
    _edit_record(
        base, target("betas-string"), _set("optimizer.param_groups.0.betas", "ab")
    )
    _edit_record(base, target("threshold-abc"), _set("binarization.threshold", "abc"))
    _edit_record(
        base, target("threshold-1e400"), _set("binarization.threshold", 10**400)
    )
    _edit_record(
        base, target("scalars-index-superscript"), _set("optimizer.scalars", {"²": {}})
    )

    def first_moment(tensors: dict[str, torch.Tensor]) -> str:
        return next(k for k in sorted(tensors) if k.endswith("/exp_avg"))

    def wrong_shape(tensors: dict[str, torch.Tensor]) -> None:
        key = first_moment(tensors)
        tensors[key] = torch.zeros(tensors[key].numel() + 3)

    def as_int64(tensors: dict[str, torch.Tensor]) -> None:
        key = first_moment(tensors)
        tensors[key] = tensors[key].to(torch.int64)

    def without_index(tensors: dict[str, torch.Tensor]) -> None:
        key = first_moment(tensors)
        tensors["optimizer/exp_avg"] = tensors.pop(key)

    def index(text: str) -> Callable[[dict[str, torch.Tensor]], None]:
        def edit(tensors: dict[str, torch.Tensor]) -> None:
            key = first_moment(tensors)  # "²".isdigit(), but int("²") fails
            tensors[f"optimizer/{text}/exp_avg"] = tensors.pop(key)

        return edit

    _edit_tensors(base, target("optimizer-wrong-shape"), wrong_shape)
    _edit_tensors(base, target("optimizer-int64"), as_int64)
    _edit_tensors(base, target("optimizer-name-without-index"), without_index)
    _edit_tensors(base, target("optimizer-index-superscript"), index("²"))
    _edit_tensors(base, target("optimizer-index-5000-digits"), index("1" * 5000))

    copy_checkpoint(base, root / "existing" / "trained_nade")


def _make_folders(root: Path) -> None:
    (root / "out").mkdir()
    (root / "train").mkdir()
    (root / "traversal" / "a" / "b" / "c" / "out").mkdir(parents=True)
    (root / "a-file.txt").write_text("not a folder\n")
    (root / "read-only").mkdir(mode=0o555)


def _snapshot(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every path under ``folder`` (but ``skip``): a digest of each regular file."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode):
            found[str(path.relative_to(folder))] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
        else:  # never read a FIFO or a link to a device
            found[str(path.relative_to(folder))] = stat.filemode(mode)
    return found


# -- running them -----------------------------------------------------------------


@dataclass
class Run:
    """The files, the server's report and the results, by case id."""

    root: Path
    server: dict[str, Any]
    results: dict[str, dict[str, Any]]
    before: dict[str, dict[str, str]]
    after: dict[str, dict[str, str]]


def _watched(root: Path) -> dict[str, dict[str, str]]:
    return {
        "existing": _snapshot(root / "existing"),
        "traversal": _snapshot(
            root / "traversal", skip=root / "traversal" / "a" / "b" / "c" / "out"
        ),
        "root": dict.fromkeys(sorted(os.listdir(root)), ""),
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("hostile")
    _make_data(root)
    _make_checkpoints(root)
    _make_runs(root)
    _make_folders(root)
    cases = [
        {
            "id": case.id,
            "argv": [arg.replace("{R}", str(root)) for arg in case.argv],
            "cwd": str(root),
            "budget_mib": BUDGET_MIB,
            "timeout_s": DEADLINE_S,
        }
        for case in CASES
        if not SKIPPED.get(case.id)
    ]
    (root / "logs").mkdir()
    request = {"workdir": str(root / "logs"), "parallel": PARALLEL, "cases": cases}
    before = _watched(root)
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile"],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **SERVER_ENV},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    return Run(root, report["server"], report["results"], before, _watched(root))


# -- the checks -------------------------------------------------------------------

_ERROR_LINE = re.compile(r"ar-models: error: \S")
_USAGE_LINE = re.compile(r"ar-models(?: [a-z]+)?: error: \S")
_FAILED_ALLOCATION = (
    "MemoryError",
    "Cannot allocate memory",
    "can't allocate memory",
    "bad_alloc",
    "Unable to allocate",
)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


#: The most characters an error line may take, besides the paths it names.
_LONGEST_LINE = 400


def _check_refused(
    case: Case, result: dict[str, Any], pattern: re.Pattern[str], root: Path
) -> None:
    lines = _lines(result["stderr"])
    assert result["rc"] == 2, f"exit {result['rc']}, stderr: {lines[-3:]}"
    if case.expect == USAGE:
        assert 1 <= len(lines) <= 2, f"not one line (and a hint): {lines}"
        if len(lines) == 2:
            assert "--help" in lines[1], f"second line is not a --help hint: {lines}"
    else:
        assert len(lines) == 1, f"not one line: {lines}"
    assert pattern.match(lines[0]), f"not an 'ar-models: error:' line: {lines[0]!r}"
    paths = len(str(root)) * lines[0].count(str(root))
    assert len(lines[0]) - paths <= _LONGEST_LINE, f"{len(lines[0]):,} characters"
    if case.names is not None:
        named = case.names.replace("{R}", str(root))
        assert named in lines[0], f"does not name {named!r}: {lines[0]!r}"
    if case.avoid is not None:
        assert case.avoid not in lines[0], f"wrong diagnosis: {lines[0]!r}"


def _check_works(result: dict[str, Any]) -> None:
    assert result["rc"] == 0, f"exit {result['rc']}: {_lines(result['stderr'])[-3:]}"
    json.loads(result["stdout"], parse_int=str)  # exact counts may be long


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_case(run: Run, case: Case) -> None:
    reason = SKIPPED.get(case.id)
    if reason:
        pytest.skip(reason)
    result = run.results[case.id]
    output = result["stderr"] + result["stdout"]
    assert not result["timed_out"], f"still running after {DEADLINE_S:.0f} s"
    assert "HARNESS FAILURE" not in output, output
    assert "Traceback" not in output, _lines(result["stderr"])[-3:]
    failed = [text for text in _FAILED_ALLOCATION if text in output]
    assert not failed, f"an allocation failed under the cap: {_lines(output)[-2:]}"
    grown_mib = (result["maxrss_kib"] - result["base_rss_kib"]) / 1024
    assert grown_mib <= BUDGET_MIB, f"grew by {grown_mib:.0f} MiB"
    if case.expect == WORKS:
        _check_works(result)
    elif case.expect == EITHER and result["rc"] == 0:
        _check_works(result)
    else:
        pattern = _USAGE_LINE if case.expect == USAGE else _ERROR_LINE
        _check_refused(case, result, pattern, run.root)
    if case.id == "train-existing-name":
        changed = _changes(run.before["existing"], run.after["existing"])
        assert not changed, f"the saved run changed: {changed}"
    if case.id == "train-name-traversal":
        outside = _changes(run.before["traversal"], run.after["traversal"])
        outside += _changes(run.before["root"], run.after["root"])
        assert not outside, f"wrote outside --out: {outside}"


def _changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in {*before, *after} if before.get(k) != after.get(k))


def test_the_server_forks_from_one_thread(run: Run) -> None:
    """fork copies only the calling thread: the server must not have others."""
    assert run.server["threads"] == 1
