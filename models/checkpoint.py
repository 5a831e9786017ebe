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
import json
import os
import platform
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import torch
from safetensors import SafetensorError, safe_open
from safetensors.torch import save as save_tensors
from torch import Tensor

from models.base import ARModel
from models.errors import ARExplorerError, CheckpointError
from models.registry import model_class

__all__ = [
    "Checkpoint",
    "checkpoint_paths",
    "copy_checkpoint",
    "load_checkpoint",
    "read_metadata",
    "save_checkpoint",
]

FORMAT: Final = "ar-explorer-checkpoint"
FORMAT_VERSION: Final = 1
_HEADER_KEY: Final = "ar_explorer"
_OPTIMIZER_PREFIX: Final = "optimizer/"
_MAX_HEADER_BYTES: Final = 100 * 1024 * 1024
_UMASK: Final = os.umask(0o022)  # read the process umask …
os.umask(_UMASK)  # … and put it back
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


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves old or new, whole."""
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes the file private (0600); give it the usual mode
            os.fchmod(handle.fileno(), 0o666 & ~_UMASK)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


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


def optimizer_state_dict(checkpoint: Checkpoint) -> dict[str, Any]:
    """Rebuild a torch optimizer state dict from a checkpoint (for resuming)."""
    record = checkpoint.metadata.get("optimizer")
    if not record:
        raise CheckpointError(
            checkpoint.path, "holds no optimizer state to resume from"
        )
    state: dict[int, dict[str, Any]] = {}
    for name, tensor in checkpoint.optimizer_state.items():
        index, key = name[len(_OPTIMIZER_PREFIX) :].split("/", 1)
        state.setdefault(int(index), {})[key] = tensor
    for index, values in record.get("scalars", {}).items():
        state.setdefault(int(index), {}).update(values)
    return {"state": state, "param_groups": record["param_groups"]}


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
    if not overwrite and (tensor_path.exists() or json_path.exists()):
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
        _atomic_write(tensor_path, payload)
    except OSError as exc:
        raise CheckpointError(
            tensor_path,
            f"cannot write ({exc.strerror or exc}); "
            "the previous checkpoint is unchanged",
        ) from None
    try:
        _atomic_write(json_path, (json.dumps(record, indent=2) + "\n").encode())
    except OSError as exc:
        raise CheckpointError(
            json_path,
            f"the checkpoint was saved, but its JSON copy could not be written "
            f"({exc.strerror or exc})",
        ) from None


def _read_header(path: Path) -> dict[str, Any]:
    """The safetensors header as JSON, after checking the file's framing."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = path.stat().st_size
            length = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
            framed = 2 <= length <= min(_MAX_HEADER_BYTES, size - 8)
            raw = handle.read(length) if framed else b""
    except FileNotFoundError:
        raise CheckpointError(path, "no such checkpoint file") from None
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
        if not framed:
            raise CheckpointError(
                path, "not a safetensors file (header length exceeds the file)"
            )
    try:
        header = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError(
            path, "not a safetensors file (header is not JSON)"
        ) from None
    if not isinstance(header, dict):
        raise CheckpointError(path, "not a safetensors file (header is not an object)")
    return header


def read_metadata(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The metadata record of a checkpoint, reading only its header."""
    tensor_path, _ = checkpoint_paths(path)
    header = _read_header(tensor_path)
    embedded = header.get("__metadata__", {})
    text = embedded.get(_HEADER_KEY) if isinstance(embedded, dict) else None
    if not isinstance(text, str):
        raise CheckpointError(
            tensor_path,
            "a safetensors file, but not an AR Explorer checkpoint (no record)",
        )
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CheckpointError(
            tensor_path, f"metadata record is not valid JSON: {exc}"
        ) from None
    _check_record(record, tensor_path)
    return dict(record)


def _check_record(record: object, path: Path) -> None:
    if not isinstance(record, dict):
        raise CheckpointError(path, "metadata record must be a JSON object")
    if record.get("format") != FORMAT:
        raise CheckpointError(
            path, f"not an AR Explorer checkpoint (format {record.get('format')!r})"
        )
    version = record.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise CheckpointError(
            path,
            f"checkpoint format version {version!r} is not supported "
            f"(this app reads 1 to {FORMAT_VERSION})",
        )
    unexpected = sorted(set(record) - _RECORD_FIELDS)
    if unexpected:
        raise CheckpointError(
            path, f"unexpected metadata field(s): {', '.join(unexpected)}"
        )
    for key in ("kind", "config", "ordering"):
        if key not in record:
            raise CheckpointError(path, f"metadata lacks {key!r}")
    if not isinstance(record["config"], dict):
        raise CheckpointError(path, "metadata 'config' must be an object")


_DTYPES: Final = {
    "F16": torch.float16,
    "F32": torch.float32,
    "F64": torch.float64,
    "I64": torch.int64,
}


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
        raise CheckpointError(path, f"unsupported storage dtype {dtype!r}")
    if not isinstance(packed, list) or not all(isinstance(n, str) for n in packed):
        raise CheckpointError(path, "metadata 'storage.packed' must list names")
    used = model.used_entries()
    unknown = sorted(set(packed) - set(used))
    if unknown:
        raise CheckpointError(
            path, f"cannot unpack {', '.join(unknown[:5])}: not a masked weight"
        )
    return {name: used[name] for name in packed}, dtype == "F16"


def load_checkpoint(path: str | os.PathLike[str], *, device: str = "cpu") -> Checkpoint:
    """Load a checkpoint written by :func:`save_checkpoint`.

    Raises
    ------
    CheckpointError
        Naming the file and the problem: missing, truncated, garbage, a pickle,
        a foreign safetensors file, an unknown kind, an invalid config, or
        tensors whose names, shapes or dtypes do not match the model.
    """
    tensor_path, _ = checkpoint_paths(path)
    record = read_metadata(tensor_path)
    header = _read_header(tensor_path)
    try:
        cls = model_class(record["kind"])
        model = cls(cls.config_class.from_dict(record["config"]))
    except ARExplorerError as exc:
        raise CheckpointError(tensor_path, str(exc)) from None
    packed, half = _storage(record, model, tensor_path)
    expected = {  # what the file must hold: (shape, dtype) per model tensor
        key: (
            [int(packed[key].sum())] if key in packed else list(value.shape),
            torch.float16 if half and value.is_floating_point() else value.dtype,
        )
        for key, value in model.state_dict().items()
    }
    stored = {k: v for k, v in header.items() if k != "__metadata__"}
    model_keys = {k for k in stored if not k.startswith(_OPTIMIZER_PREFIX)}
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
            tensor_path, f"does not match a {model.kind} model: " + "; ".join(parts)
        )
    for key, info in stored.items():
        if not isinstance(info, dict) or "shape" not in info or "dtype" not in info:
            raise CheckpointError(tensor_path, f"malformed header entry for {key!r}")
        if key in expected:
            want_shape, want_dtype = expected[key]
            if want_shape != info["shape"]:
                raise CheckpointError(
                    tensor_path,
                    f"tensor {key!r} has shape {info['shape']}, the model needs "
                    f"{want_shape}",
                )
            if _DTYPES.get(info["dtype"]) != want_dtype:
                raise CheckpointError(
                    tensor_path,
                    f"tensor {key!r} has dtype {info['dtype']}, "
                    f"the model needs {want_dtype}",
                )
        elif info["dtype"] not in _DTYPES:
            raise CheckpointError(
                tensor_path, f"tensor {key!r} has unsupported dtype {info['dtype']}"
            )
    if model.ordering.tolist() != record["ordering"]:
        raise CheckpointError(
            tensor_path, "recorded ordering does not match the one its config describes"
        )
    try:
        with safe_open(str(tensor_path), framework="pt", device=device) as handle:
            tensors = {key: handle.get_tensor(key) for key in stored}
    except (SafetensorError, OSError, RuntimeError, ValueError) as exc:
        raise CheckpointError(tensor_path, f"corrupt tensor data: {exc}") from None
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
    model.load_state_dict(state, strict=True)
    model.to(device).eval()
    optimizer_state = {
        k: v for k, v in tensors.items() if k.startswith(_OPTIMIZER_PREFIX)
    }
    return Checkpoint(model, record, tensor_path, optimizer_state)
