"""Checkpoints: safetensors tensors plus a JSON metadata record.

``NAME.safetensors`` holds the model's tensors (and, for resuming, the
optimizer's, under ``optimizer/…``) with the metadata record embedded in its
header; ``NAME.json`` beside it is the same record, indented for people and
tools. The embedded copy is the one that counts: each file is replaced
atomically (written to a temporary file, flushed, renamed), tensors first, so
an interrupted save leaves either the old checkpoint or the new one, never a
mix.

Loading never unpickles: safetensors is plain bytes, the record plain JSON, and
every name, shape and dtype is checked against the model the record describes
before a byte of tensor data is used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import json
import math
import os
import platform
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import torch
from safetensors.torch import save as save_tensors
from torch import Tensor

from models.base import ARModel
from models.errors import ARExplorerError, CheckpointError
from models.files import (
    JSONProblem,
    NotARegularFile,
    atomic_write,
    open_regular,
    parse_json,
)
from models.registry import build, model_class

__all__ = [
    "Checkpoint",
    "ResumeState",
    "checkpoint_paths",
    "copy_checkpoint",
    "load_checkpoint",
    "read_metadata",
    "resume_state",
    "save_checkpoint",
]

FORMAT: Final = "ar-explorer-checkpoint"
FORMAT_VERSION: Final = 1
_HEADER_KEY: Final = "ar_explorer"
_OPTIMIZER_PREFIX: Final = "optimizer/"
_MAX_HEADER_BYTES: Final = 16 * 1024 * 1024
_RECORD_FIELDS: Final = frozenset(
    {
        "format",
        "format_version",
        "kind",
        "config",
        "ordering",
        "num_parameters",
        "data",
        "binarization",
        "metrics",
        "training",
        "optimizer",
        "versions",
        "created",
        "name",
        "notes",
        "storage",
    }
)


@dataclass
class Checkpoint:
    """A loaded checkpoint.

    Attributes
    ----------
    model
        The model, weights loaded, in eval mode.
    metadata
        The JSON record (kind, config, ordering, data, metrics, …).
    optimizer_state
        Optimizer tensors by name (empty unless saved for resuming).
    path
        The ``.safetensors`` file.
    """

    model: ARModel
    metadata: dict[str, Any]
    path: Path
    optimizer_state: dict[str, Tensor] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The checkpoint's name (its file stem unless the record names it)."""
        return str(self.metadata.get("name") or self.path.stem)


def checkpoint_paths(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """``(NAME.safetensors, NAME.json)`` for NAME, NAME.safetensors or NAME.json."""
    path = Path(path)
    if path.suffix in (".safetensors", ".json"):
        path = path.with_suffix("")
    return path.with_name(path.name + ".safetensors"), path.with_name(
        path.name + ".json"
    )


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import safetensors

    try:
        app = version("ar-explorer")
    except PackageNotFoundError:  # a source checkout that was never installed
        app = "source"
    return {
        "ar-explorer": app,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "safetensors": safetensors.__version__,
        "python": platform.python_version(),
    }


def _optimizer_tensors(
    state: Mapping[str, Any],
) -> tuple[dict[str, Tensor], dict[str, Any]]:
    """Split a torch optimizer state dict into tensors and a JSON record."""
    tensors: dict[str, Tensor] = {}
    scalars: dict[str, dict[str, Any]] = {}
    for index, entry in state["state"].items():
        for key, value in entry.items():
            if isinstance(value, Tensor):
                tensors[f"{_OPTIMIZER_PREFIX}{index}/{key}"] = value
            else:
                scalars.setdefault(str(index), {})[key] = value
    return tensors, {"param_groups": state["param_groups"], "scalars": scalars}


#: Adam's hyperparameters as torch records them, and the type of each.
_ADAM_GROUP: Final[dict[str, tuple[type, ...]]] = {
    "lr": (float, int),
    "betas": (list,),
    "eps": (float, int),
    "weight_decay": (float, int),
    "amsgrad": (bool,),
    "maximize": (bool,),
    "foreach": (bool, type(None)),
    "capturable": (bool,),
    "differentiable": (bool,),
    "fused": (bool, type(None)),
    "decoupled_weight_decay": (bool,),
    "params": (list,),
}
_ADAM_STATE: Final = frozenset({"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"})


def _is_number(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _check_groups(groups: object, count: int, path: Path) -> list[dict[str, Any]]:
    """Adam's parameter groups, checked: known settings, each parameter once."""
    if not isinstance(groups, list) or not groups:
        raise CheckpointError(path, "optimizer 'param_groups' must be a list")
    seen: list[int] = []
    for group in groups:
        if not isinstance(group, dict):
            raise CheckpointError(path, "an optimizer parameter group is not an object")
        for key, value in group.items():
            allowed = _ADAM_GROUP.get(key)
            if allowed is None:
                raise CheckpointError(path, f"unknown optimizer setting {key!r:.40}")
            if not isinstance(value, allowed) or (
                bool not in allowed and isinstance(value, bool)
            ):
                raise CheckpointError(
                    path, f"optimizer setting {key!r} has the wrong type"
                )
            if allowed == (float, int) and not (
                isinstance(value, (int, float)) and _is_number(value) and value >= 0
            ):
                raise CheckpointError(
                    path, f"optimizer setting {key!r} must be a number ≥ 0"
                )
        betas = group.get("betas", [0.9, 0.999])
        if not (len(betas) == 2 and all(_is_number(b) and 0 <= b < 1 for b in betas)):
            raise CheckpointError(
                path, "optimizer 'betas' must be two numbers in [0, 1)"
            )
        params = group.get("params", [])
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in params):
            raise CheckpointError(path, "optimizer 'params' must list indices")
        seen += params
    if sorted(seen) != list(range(count)):
        raise CheckpointError(
            path,
            f"the optimizer state covers parameters {sorted(seen)[:8]}…, "
            f"the model has {count}",
        )
    return groups


def _parameter_index(text: str, count: int) -> int | None:
    """``text`` as a parameter index below ``count`` ("0", "12"), else None.

    Only ASCII digits count (``str.isdigit`` takes "²", which ``int`` refuses),
    only a few of them (``int`` refuses more than 4,300), and no leading zero
    (so no two names give the same index).
    """
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        return None
    if text != "0" and text.startswith("0"):
        return None
    index = int(text)
    return index if index < count else None


def optimizer_state_dict(checkpoint: Checkpoint) -> dict[str, Any]:
    """A torch Adam state dict rebuilt from a checkpoint, checked for its model.

    Every tensor must belong to a parameter the model has, under a name Adam
    uses, with that parameter's shape and dtype (``step``: a finite scalar
    ≥ 0); the groups must hold Adam's settings and cover every parameter once.

    Raises
    ------
    CheckpointError
        If there is no optimizer state, or it does not fit the model.
    """
    path = checkpoint.path
    record = checkpoint.metadata.get("optimizer")
    if not record:
        raise CheckpointError(path, "holds no optimizer state to resume from")
    parameters = list(checkpoint.model.parameters())
    groups = _check_groups(record.get("param_groups"), len(parameters), path)
    state: dict[int, dict[str, Any]] = {}
    for name, tensor in checkpoint.optimizer_state.items():
        index_text, _, key = name[len(_OPTIMIZER_PREFIX) :].partition("/")
        index = _parameter_index(index_text, len(parameters))
        if index is None:
            raise CheckpointError(
                path, f"optimizer tensor {name!r:.80} names no parameter of the model"
            )
        if key not in _ADAM_STATE:
            raise CheckpointError(path, f"optimizer tensor {name!r:.80} is not Adam's")
        parameter = parameters[index]
        if key == "step":
            ok = (
                tensor.dim() == 0
                and tensor.is_floating_point()
                and bool(torch.isfinite(tensor))
                and float(tensor) >= 0
            )
        else:
            ok = (
                tensor.shape == parameter.shape
                and tensor.dtype == parameter.dtype
                and bool(torch.isfinite(tensor).all())
            )
        if not ok:
            raise CheckpointError(
                path,
                f"optimizer tensor {name!r:.80} does not fit its parameter "
                f"(shape {list(tensor.shape)}, dtype {tensor.dtype}; the parameter "
                f"is {list(parameter.shape)}, {parameter.dtype})",
            )
        state.setdefault(index, {})[key] = tensor
    scalars = record.get("scalars", {})
    if not isinstance(scalars, dict) or not all(
        isinstance(v, dict) and all(_is_number(x) for x in v.values())
        for v in scalars.values()
    ):
        raise CheckpointError(path, "optimizer 'scalars' is malformed")
    for index_text, values in scalars.items():
        index = _parameter_index(index_text, len(parameters))
        if index is None:
            raise CheckpointError(path, "optimizer 'scalars' names no parameter")
        state.setdefault(index, {}).update(values)
    for index, entry in state.items():
        if not {"step", "exp_avg", "exp_avg_sq"} <= set(entry):
            raise CheckpointError(
                path, f"optimizer state of parameter {index} is incomplete"
            )
    return {"state": state, "param_groups": groups}


@dataclass(frozen=True)
class ResumeState:
    """What a training checkpoint holds for continuing its run, all checked.

    Attributes
    ----------
    optimizer
        Adam's state dict for the checkpoint's model.
    epoch
        Epochs completed.
    global_step
        Batches completed.
    history
        One record per epoch (``epoch``, ``train_nll``, ``valid_nll``, …).
    seconds
        Training time so far.
    config
        The run's training settings, as recorded (values still to be
        validated by :class:`models.trainer.TrainConfig`).
    """

    optimizer: dict[str, Any]
    epoch: int
    global_step: int
    history: list[dict[str, Any]]
    seconds: float
    config: dict[str, Any]


def resume_state(checkpoint: Checkpoint) -> ResumeState:
    """Read back what resuming needs, with the same care as the weights.

    Raises
    ------
    CheckpointError
        Naming the checkpoint and the field that is missing or malformed.
    """
    path = checkpoint.path
    training = checkpoint.metadata.get("training")
    if not isinstance(training, dict) or "epoch" not in training:
        raise CheckpointError(path, "not a training checkpoint (no epoch recorded)")

    def count(key: str) -> int:
        value = training.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CheckpointError(path, f"training {key!r} must be an integer ≥ 0")
        return value

    seconds = training.get("seconds", 0.0)
    if not (_is_number(seconds) and seconds >= 0):
        raise CheckpointError(path, "training 'seconds' must be a number ≥ 0")
    history = training.get("history", [])
    if not isinstance(history, list) or not all(
        isinstance(entry, dict)
        and isinstance(entry.get("epoch"), int)
        and all(v is None or _is_number(v) for v in entry.values())
        for entry in history
    ):
        raise CheckpointError(
            path, "training 'history' must list epoch records of numbers"
        )
    config = training.get("config", {})
    if not isinstance(config, dict):
        raise CheckpointError(path, "training 'config' must be an object")
    return ResumeState(
        optimizer=optimizer_state_dict(checkpoint),
        epoch=count("epoch"),
        global_step=count("global_step"),
        history=[dict(entry) for entry in history],
        seconds=float(seconds),
        config=dict(config),
    )


def _model_tensors(
    model: ARModel, *, compact: bool = False, half: bool = False
) -> tuple[dict[str, Tensor], dict[str, Any] | None]:
    """The model's tensors as stored, and the storage record (None: as is).

    ``compact`` keeps only the entries :meth:`~models.base.ARModel.used_entries`
    marks (flattened); ``half`` stores floating-point tensors as float16.
    """
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    if not (compact or half):
        return tensors, None
    packed = []
    if compact:
        for name, used in model.used_entries().items():
            tensors[name] = tensors[name][used.cpu()].contiguous()
            packed.append(name)
    if half:
        tensors = {
            k: v.half() if v.is_floating_point() else v for k, v in tensors.items()
        }
    return tensors, {"packed": sorted(packed), "dtype": "F16" if half else None}


def save_checkpoint(
    path: str | os.PathLike[str],
    model: ARModel,
    *,
    data: Mapping[str, Any] | None = None,
    binarization: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    training: Mapping[str, Any] | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    name: str | None = None,
    notes: str | None = None,
) -> Path:
    """Write ``NAME.safetensors`` and ``NAME.json`` atomically; return the former.

    Parameters
    ----------
    path
        NAME, with or without an extension; its folder is created if needed.
    model
        The model to save.
    data, binarization, metrics, training
        Recorded as given (JSON values).
    optimizer
        Include its state so training can resume exactly.
    name, notes
        A display name and free text for the model library.

    Raises
    ------
    CheckpointError
        If the files cannot be written (the previous checkpoint is kept).
    """
    tensor_path, json_path = checkpoint_paths(path)
    tensors, _ = _model_tensors(model)
    record: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": name or tensor_path.stem,
        "kind": model.kind,
        "config": model.config.to_dict(),
        "ordering": model.ordering.tolist(),
        "num_parameters": model.num_parameters(),
        "data": dict(data) if data else None,
        "binarization": dict(binarization) if binarization else None,
        "metrics": dict(metrics) if metrics else {},
        "training": dict(training) if training else None,
        "optimizer": None,
        "versions": _versions(),
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "notes": notes or "",
    }
    if optimizer is not None:
        opt_tensors, record["optimizer"] = _optimizer_tensors(optimizer.state_dict())
        tensors.update(
            {k: v.detach().cpu().contiguous() for k, v in opt_tensors.items()}
        )
    _write(tensor_path, json_path, tensors, record)
    return tensor_path


def copy_checkpoint(
    source: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    *,
    name: str | None = None,
    notes: str | None = None,
    overwrite: bool = False,
    include_optimizer: bool = True,
    compact: bool = False,
    half: bool = False,
    training: Mapping[str, Any] | None = None,
) -> Path:
    """Copy a checkpoint to ``destination`` (NAME), optionally renaming it.

    Without ``include_optimizer`` the copy holds only the weights (what a
    shipped model needs; it can still be fine-tuned, not resumed exactly).
    ``compact`` stores only the weight entries the model uses (MADE's masked
    layers shrink by about half) and ``half`` stores weights as float16; both
    load back as the same float32 model (``half`` rounds the weights) and
    need ``include_optimizer=False``. ``training`` adds entries to the
    record's ``training`` (e.g. how the whole run went, for a best epoch).

    The source is read as safetensors and JSON only and fully validated
    (:func:`load_checkpoint`) before anything is written; the record's
    ``name`` (and ``notes``) change, nothing else does.

    Raises
    ------
    CheckpointError
        If the source is not a valid checkpoint, the destination exists (and
        not ``overwrite``), or it cannot be written.
    """
    loaded = load_checkpoint(source)  # every name, shape and dtype checked
    tensor_path, json_path = checkpoint_paths(destination)
    if not overwrite and any(map(os.path.lexists, (tensor_path, json_path))):
        raise CheckpointError(tensor_path, "a checkpoint with this name already exists")
    if include_optimizer and (compact or half):
        raise ValueError("a compact or half-precision copy holds no optimizer state")
    record = dict(loaded.metadata)
    record["name"] = name or tensor_path.stem
    if notes is not None:
        record["notes"] = notes
    if training:
        record["training"] = {**(record.get("training") or {}), **training}
    tensors, storage = _model_tensors(loaded.model, compact=compact, half=half)
    record.pop("storage", None)
    if storage is not None:
        record["storage"] = storage
    if include_optimizer:
        tensors.update(loaded.optimizer_state)
    else:
        record["optimizer"] = None
    _write(tensor_path, json_path, tensors, record)
    return tensor_path


def _write(
    tensor_path: Path,
    json_path: Path,
    tensors: Mapping[str, Tensor],
    record: dict[str, Any],
) -> None:
    """Both files atomically: the safetensors (record in its header), then the JSON."""
    try:
        text = json.dumps(record, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise CheckpointError(
            tensor_path, f"metadata is not plain JSON: {exc}"
        ) from None
    payload = save_tensors(dict(tensors), metadata={_HEADER_KEY: text})
    try:
        tensor_path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(tensor_path, payload)
    except OSError as exc:
        raise CheckpointError(
            tensor_path,
            f"cannot write ({exc.strerror or exc}); "
            "the previous checkpoint is unchanged",
        ) from None
    try:
        atomic_write(json_path, (json.dumps(record, indent=2) + "\n").encode())
    except OSError as exc:
        raise CheckpointError(
            json_path,
            f"the checkpoint was saved, but its JSON copy could not be written "
            f"({exc.strerror or exc})",
        ) from None


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tuple[io.BufferedReader, int]]:
    """The checkpoint file, open once for every read, and its size."""
    try:
        handle = open_regular(path)
    except FileNotFoundError:
        raise CheckpointError(path, "no such checkpoint file") from None
    except NotARegularFile as exc:
        raise CheckpointError(path, str(exc)) from None
    except OSError as exc:
        raise CheckpointError(path, f"cannot read: {exc.strerror or exc}") from None
    with handle:
        yield handle, os.fstat(handle.fileno()).st_size


def _read_header(handle: io.BufferedReader, size: int, path: Path) -> dict[str, Any]:
    """The safetensors header as JSON, after checking the file's framing."""
    try:
        head = handle.read(8)
        length = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        framed = 2 <= length <= min(_MAX_HEADER_BYTES, size - 8)
        raw = handle.read(length) if framed else b""
    except OSError as exc:
        raise CheckpointError(path, f"cannot read: {exc.strerror or exc}") from None
    if not (framed and raw[:1] == b"{"):
        if head[:2] == b"PK" or (
            head[:1] == b"\x80" and head[1:2] in b"\x02\x03\x04\x05"
        ):
            raise CheckpointError(
                path,
                "looks like a pickle/torch.save file; AR Explorer never unpickles "
                "files (they can run code). Use a .safetensors checkpoint",
            )
        if len(head) < 8:
            raise CheckpointError(path, "truncated: too short for a safetensors header")
        if _MAX_HEADER_BYTES < length <= size - 8:
            raise CheckpointError(
                path,
                f"header of {length:,} bytes is larger than a checkpoint's can be "
                f"({_MAX_HEADER_BYTES:,})",
            )
        if not framed:
            raise CheckpointError(
                path, "not a safetensors file (header length exceeds the file)"
            )
    try:
        header = parse_json(raw)
    except JSONProblem as exc:
        raise CheckpointError(path, f"not a safetensors file (header {exc})") from None
    if not isinstance(header, dict):
        raise CheckpointError(path, "not a safetensors file (header is not an object)")
    return header


def _record(header: dict[str, Any], path: Path) -> dict[str, Any]:
    """The metadata record embedded in a safetensors header, checked."""
    embedded = header.get("__metadata__", {})
    text = embedded.get(_HEADER_KEY) if isinstance(embedded, dict) else None
    if not isinstance(text, str):
        raise CheckpointError(
            path, "a safetensors file, but not an AR Explorer checkpoint (no record)"
        )
    try:
        record = parse_json(text)
    except JSONProblem as exc:
        raise CheckpointError(path, f"metadata record {exc}") from None
    _check_record(record, path)
    return dict(record)


def read_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The metadata record of a checkpoint, reading only its header.

    The record's fields have the types :func:`save_checkpoint` writes
    (``metrics`` an object, ``num_parameters`` an integer, …), so callers can
    rely on them; their values still deserve care.

    Raises
    ------
    CheckpointError
        If the file is missing, not a regular file, not a checkpoint, or its
        record is malformed.
    """
    tensor_path, _ = checkpoint_paths(path)
    with _opened(tensor_path) as (handle, size):
        return _record(_read_header(handle, size, tensor_path), tensor_path)


#: The type each record field must have (None allowed where it is optional).
_FIELD_TYPES: Final[dict[str, tuple[type, ...]]] = {
    "format": (str,),
    "format_version": (int,),
    "name": (str, type(None)),
    "kind": (str,),
    "config": (dict,),
    "ordering": (list,),
    "num_parameters": (int,),
    "data": (dict, type(None)),
    "binarization": (dict, type(None)),
    "metrics": (dict,),
    "training": (dict, type(None)),
    "optimizer": (dict, type(None)),
    "versions": (dict,),
    "created": (str,),
    "notes": (str,),
    "storage": (dict, type(None)),
}
_TYPE_NAMES: Final = {
    str: "text",
    int: "an integer",
    dict: "an object",
    list: "a list",
    type(None): "null",
}


def _check_record(record: object, path: Path) -> None:
    if not isinstance(record, dict):
        raise CheckpointError(path, "metadata record must be a JSON object")
    if record.get("format") != FORMAT:
        raise CheckpointError(
            path,
            f"not an AR Explorer checkpoint (format {record.get('format')!r:.60})",
        )
    version = record.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise CheckpointError(
            path,
            f"checkpoint format version {version!r:.20} is not supported "
            f"(this app reads 1 to {FORMAT_VERSION})",
        )
    unexpected = sorted(set(record) - _RECORD_FIELDS)
    if unexpected:
        raise CheckpointError(
            path, f"unexpected metadata field(s): {', '.join(unexpected)[:200]}"
        )
    for key in ("kind", "config", "ordering"):
        if key not in record:
            raise CheckpointError(path, f"metadata lacks {key!r}")
    for key, value in record.items():
        allowed = _FIELD_TYPES[key]
        if isinstance(value, bool) or not isinstance(value, allowed):
            want = " or ".join(_TYPE_NAMES[t] for t in allowed)
            raise CheckpointError(path, f"metadata {key!r} must be {want}")
    if record.get("num_parameters", 0) < 0:
        raise CheckpointError(path, "metadata 'num_parameters' is negative")


_DTYPES: Final = {
    "F16": torch.float16,
    "F32": torch.float32,
    "F64": torch.float64,
    "I64": torch.int64,
}
_NUMPY_DTYPES: Final = {"F16": "<f2", "F32": "<f4", "F64": "<f8", "I64": "<i8"}
_MAX_DIMS: Final = 8


@dataclass(frozen=True)
class _Entry:
    """One tensor as the header describes it: where its bytes lie."""

    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int

    @property
    def numel(self) -> int:
        return math.prod(self.shape)


def _entries(header: dict[str, Any], data_bytes: int, path: Path) -> dict[str, _Entry]:
    """Every tensor the header lists, checked to lie within the file, apart.

    No two tensors may share bytes and each must be exactly as long as its
    shape and dtype say, so what is read back never exceeds the file's size.
    """
    entries: dict[str, _Entry] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(info, dict) or not {"dtype", "shape", "data_offsets"} <= set(
            info
        ):
            raise CheckpointError(path, f"malformed header entry for {name!r:.80}")
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in _DTYPES:
            raise CheckpointError(
                path, f"tensor {name!r:.80} has unsupported dtype {dtype!r:.20}"
            )
        if not (
            isinstance(shape, list)
            and len(shape) <= _MAX_DIMS
            and all(isinstance(d, int) and not isinstance(d, bool) for d in shape)
            and all(d >= 0 for d in shape)
        ):
            raise CheckpointError(path, f"tensor {name!r:.80} has a malformed shape")
        if not (
            isinstance(offsets, list)
            and len(offsets) == 2
            and all(isinstance(o, int) and not isinstance(o, bool) for o in offsets)
            and 0 <= offsets[0] <= offsets[1] <= data_bytes
        ):
            raise CheckpointError(
                path, f"tensor {name!r:.80} lies outside the file (truncated?)"
            )
        entry = _Entry(dtype, tuple(shape), offsets[0], offsets[1])
        if entry.end - entry.begin != entry.numel * _DTYPES[dtype].itemsize:
            raise CheckpointError(
                path, f"tensor {name!r:.80}: its bytes do not match its shape"
            )
        entries[name] = entry
    spans = sorted((e.begin, e.end) for e in entries.values() if e.end > e.begin)
    for (_, end), (begin, _) in itertools.pairwise(spans):
        if begin < end:
            raise CheckpointError(path, "tensors overlap in the file (corrupt header)")
    return entries


def _read_tensors(
    handle: io.BufferedReader, entries: Mapping[str, _Entry], start: int, path: Path
) -> dict[str, Tensor]:
    """The tensors' bytes, read from the already validated file."""
    tensors: dict[str, Tensor] = {}
    for name, entry in sorted(entries.items(), key=lambda item: item[1].begin):
        buffer = bytearray(entry.end - entry.begin)
        try:
            handle.seek(start + entry.begin)
            got = handle.readinto(buffer)
        except OSError as exc:
            raise CheckpointError(path, f"cannot read: {exc.strerror or exc}") from None
        if got != len(buffer):
            raise CheckpointError(path, "truncated: tensor data ends early")
        array = np.frombuffer(buffer, dtype=_NUMPY_DTYPES[entry.dtype])
        native = array.astype(array.dtype.newbyteorder("="), copy=False)
        tensors[name] = torch.from_numpy(native).reshape(entry.shape)
    return tensors


def _storage(
    record: dict[str, Any], model: ARModel, path: Path
) -> tuple[dict[str, Tensor], bool]:
    """The record's storage: the packed tensors' used-entry masks, and half."""
    storage = record.get("storage")
    if storage is None:
        return {}, False
    if not isinstance(storage, dict) or set(storage) - {"packed", "dtype"}:
        raise CheckpointError(path, "metadata 'storage' is malformed")
    packed, dtype = storage.get("packed", []), storage.get("dtype")
    if dtype not in (None, "F16"):
        raise CheckpointError(path, f"unsupported storage dtype {dtype!r:.20}")
    if not isinstance(packed, list) or not all(isinstance(n, str) for n in packed):
        raise CheckpointError(path, "metadata 'storage.packed' must list names")
    used = model.used_entries()
    unknown = sorted(set(packed) - set(used))
    if unknown:
        raise CheckpointError(
            path, f"cannot unpack {', '.join(unknown[:5])[:200]}: not a masked weight"
        )
    return {name: used[name] for name in packed}, dtype == "F16"


#: A compact copy stores at least this fraction of a model's weight entries.
_MAX_PACKING: Final = 4


def _build(
    record: dict[str, Any], entries: Mapping[str, _Entry], path: Path
) -> ARModel:
    """The model the record describes, once its size is known to be justified.

    The closed-form parameter count of the config is compared with what the
    file stores before a single weight is allocated: a few-KB file whose
    config asks for a billion weights is refused here, not after it has
    filled the memory.
    """
    try:
        cls = model_class(record["kind"])
        config = cls.config_class.from_dict(record["config"])
        count = cls.parameter_count(config).value
    except ARExplorerError as exc:
        raise CheckpointError(path, str(exc)) from None
    stored = sum(
        entry.numel
        for name, entry in entries.items()
        if not name.startswith(_OPTIMIZER_PREFIX)
    )
    if count > _MAX_PACKING * stored:
        raise CheckpointError(
            path,
            f"its config describes a {cls.kind} of {count:,} parameters, but the "
            f"file stores only {stored:,} values",
        )
    try:
        return build(cls, config)
    except ARExplorerError as exc:
        raise CheckpointError(path, str(exc)) from None


def _check_tensors(
    model: ARModel,
    entries: Mapping[str, _Entry],
    packed: Mapping[str, Tensor],
    half: bool,
    path: Path,
) -> None:
    """Every model tensor present, with the shape and dtype the model needs."""
    expected = {  # what the file must hold: (shape, dtype) per model tensor
        key: (
            (int(packed[key].sum()),) if key in packed else tuple(value.shape),
            torch.float16 if half and value.is_floating_point() else value.dtype,
        )
        for key, value in model.state_dict().items()
    }
    model_keys = {k for k in entries if not k.startswith(_OPTIMIZER_PREFIX)}
    missing, extra = (
        sorted(set(expected) - model_keys),
        sorted(model_keys - set(expected)),
    )
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing tensors {', '.join(missing[:5])}")
        if extra:
            parts.append(f"unexpected tensors {', '.join(extra[:5])}")
        raise CheckpointError(
            path, f"does not match a {model.kind} model: " + "; ".join(parts)[:300]
        )
    for key, (want_shape, want_dtype) in expected.items():
        entry = entries[key]
        if entry.shape != want_shape:
            raise CheckpointError(
                path,
                f"tensor {key!r} has shape {list(entry.shape)}, the model needs "
                f"{list(want_shape)}",
            )
        if _DTYPES[entry.dtype] != want_dtype:
            raise CheckpointError(
                path,
                f"tensor {key!r} has dtype {entry.dtype}, the model needs {want_dtype}",
            )


def load_checkpoint(path: str | os.PathLike[str], *, device: str = "cpu") -> Checkpoint:
    """Load a checkpoint written by :func:`save_checkpoint`.

    The file is opened once and read in this order: header, record, the
    tensors' names, shapes and places, the model's size from its config
    against what the file stores, then the model, and only then the tensor
    bytes. Memory use is bounded by the file's size.

    Raises
    ------
    CheckpointError
        Naming the file and the problem: missing, not a regular file,
        truncated, garbage, a pickle, a foreign safetensors file, an unknown
        kind, an invalid or oversized config, or tensors whose names, shapes
        or dtypes do not match the model.
    """
    tensor_path, _ = checkpoint_paths(path)
    with _opened(tensor_path) as (handle, size):
        header = _read_header(handle, size, tensor_path)
        record = _record(header, tensor_path)
        start = handle.tell()
        entries = _entries(header, size - start, tensor_path)
        model = _build(record, entries, tensor_path)
        packed, half = _storage(record, model, tensor_path)
        _check_tensors(model, entries, packed, half, tensor_path)
        if model.ordering.tolist() != record["ordering"]:
            raise CheckpointError(
                tensor_path,
                "recorded ordering does not match the one its config describes",
            )
        tensors = _read_tensors(handle, entries, start, tensor_path)
    state = {k: v for k, v in tensors.items() if not k.startswith(_OPTIMIZER_PREFIX)}
    full = model.state_dict()
    for key, value in state.items():
        if value.dtype != full[key].dtype:  # stored as float16
            value = value.to(full[key].dtype)
        if key in packed:  # only the used entries were stored
            whole = torch.zeros_like(full[key])
            whole[packed[key]] = value
            value = whole
        state[key] = value
    if not all(
        torch.isfinite(v).all() for v in state.values() if v.is_floating_point()
    ):
        raise CheckpointError(tensor_path, "weights contain NaN or infinite values")
    try:  # a model may check its stored buffers against its config
        model.load_state_dict(state, strict=True)
    except ARExplorerError as exc:
        raise CheckpointError(tensor_path, str(exc)) from None
    model.to(device).eval()
    optimizer_state = {
        k: v for k, v in tensors.items() if k.startswith(_OPTIMIZER_PREFIX)
    }
    return Checkpoint(model, record, tensor_path, optimizer_state)
