"""Where a run computes: the device, the precision, and the process group.

:func:`resolve_device` turns what a user types (``auto``, ``cpu``, ``cuda``,
``cuda:N``, ``mps``) into a :class:`torch.device`, or one clear
:class:`~models.errors.ConfigError` when that device is not there.

:class:`Distributed` is the process group a run trains in. A plain
``ar-models train`` is one process (``world_size`` 1, no group); under
``torchrun`` (PyTorch's own launcher, which sets ``RANK``, ``WORLD_SIZE``,
``LOCAL_RANK`` and the rendezvous) :meth:`Distributed.from_env` joins the
group, with the ``nccl`` backend on CUDA and ``gloo`` elsewhere. The trainer
asks it for its rank's share of each batch and sums numbers over the ranks;
only rank 0 (:attr:`Distributed.is_main`) writes anything.

Data parallel training follows Li et al., "PyTorch Distributed: Experiences on
Accelerating Data Parallel Training", VLDB 2020 (``DistributedDataParallel``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Final

import numpy as np
import torch
import torch.distributed as dist
from numpy.typing import NDArray

from models.errors import ConfigError

__all__ = [
    "DEVICES",
    "PRECISIONS",
    "Distributed",
    "check_precision",
    "resolve_device",
    "torchrun_command",
]

#: What ``--device`` takes (``cuda:N`` too).
DEVICES: Final = ("auto", "cpu", "cuda", "mps")
#: What ``--precision`` takes: float32, or bfloat16 autocast (CUDA, training).
PRECISIONS: Final = ("fp32", "bf16")


def torchrun_command(processes: int, *args: str) -> list[str]:
    """The command that runs ``ar-models ARGS`` on ``processes`` local processes.

    ``python -m torch.distributed.run --standalone --nproc_per_node=N -m models
    ARGS``: what ``torchrun`` runs, with this interpreter.
    """
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={processes}",
        "-m",
        "models",
        *args,
    ]


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def resolve_device(spec: str, local_rank: int = 0) -> torch.device:
    """The device ``spec`` names, checked to be present.

    ``auto`` picks CUDA, then MPS, then the CPU. Under ``torchrun`` a bare
    ``cuda`` (or ``auto`` on a CUDA machine) means this process's GPU,
    ``cuda:LOCAL_RANK``.

    Raises
    ------
    ConfigError
        For an unknown name, or a device this machine does not have.
    """
    text = spec.strip().lower()
    if text == "auto":
        if torch.cuda.is_available():
            text = "cuda"
        elif _mps_available():
            text = "mps"
        else:
            text = "cpu"
    if text == "cpu":
        return torch.device("cpu")
    if text == "mps":
        if not _mps_available():
            raise ConfigError(
                "--device mps: Apple's MPS backend is not available on this "
                "machine; use --device cpu or auto"
            )
        return torch.device("mps")
    kind, _, index_text = text.partition(":")
    if kind != "cuda" or (index_text and not index_text.isdigit()):
        raise ConfigError(
            f"--device {spec!r:.40}: expected auto, cpu, cuda, cuda:N or mps"
        )
    if not torch.cuda.is_available():
        built = "a build without CUDA" if torch.version.cuda is None else "no GPU found"
        raise ConfigError(
            f"--device {text}: CUDA is not available on this machine ({built}); "
            "use --device cpu or auto"
        )
    index = int(index_text) if index_text else local_rank
    count = torch.cuda.device_count()
    if index >= count:
        raise ConfigError(
            f"--device cuda:{index}: this machine has {count} GPU(s), "
            f"cuda:0 to cuda:{count - 1}"
        )
    return torch.device("cuda", index)


def check_precision(precision: str, device: torch.device) -> None:
    """Refuse a precision the device cannot train in (bf16 is for CUDA)."""
    if precision not in PRECISIONS:
        raise ConfigError(f"--precision must be one of {', '.join(PRECISIONS)}")
    if precision == "bf16" and device.type != "cuda":
        raise ConfigError(
            f"--precision bf16 is for CUDA; this run trains on {device.type}, "
            "in float32"
        )


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise ConfigError(f"environment {name}={text!r:.40} is not a number") from None


@dataclass(frozen=True)
class Distributed:
    """The place of one process among those training one model.

    Attributes
    ----------
    rank
        This process, 0 … world_size − 1 (0 writes checkpoints and logs).
    world_size
        Processes training together (1: no process group).
    local_rank
        This process on its machine (its GPU under ``torchrun``).
    device
        Where this process computes.
    """

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    device: torch.device = torch.device("cpu")  # noqa: RUF009 (immutable)

    @classmethod
    def from_env(cls, device: str = "cpu") -> Distributed:
        """Join ``torchrun``'s process group, or stand alone without one.

        ``device`` is what ``--device`` says; under ``torchrun`` with CUDA
        every process takes its own GPU (``cuda:LOCAL_RANK``).
        """
        world = _env_int("WORLD_SIZE", 1)
        rank, local = _env_int("RANK", 0), _env_int("LOCAL_RANK", 0)
        if world > 1 and ":" in device:
            raise ConfigError(
                f"--device {device}: under torchrun each process takes its own "
                "GPU (cuda:LOCAL_RANK); give --device cuda or auto"
            )
        where = resolve_device(device, local)
        if world <= 1:
            return cls(device=where)
        if where.type == "cuda":
            torch.cuda.set_device(where)
        if not dist.is_initialized():
            if where.type == "cuda":
                dist.init_process_group("nccl", device_id=where)
            else:
                dist.init_process_group("gloo")
        return cls(rank, world, local, where)

    @property
    def is_main(self) -> bool:
        """True in the process that writes (rank 0)."""
        return self.rank == 0

    @property
    def active(self) -> bool:
        """True when there is a process group (more than one process)."""
        return self.world_size > 1

    def shard(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """The share of this rank in a global batch: a contiguous split.

        The shares of the ranks, in rank order, are the batch itself, with no
        row repeated or padded; their sizes differ by at most one.
        """
        if not self.active:
            return rows
        return np.array_split(rows, self.world_size)[self.rank]

    def sum(self, values: list[float]) -> list[float]:
        """``values`` summed over the ranks (float64, on this device)."""
        if not self.active:
            return list(values)
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(tensor)  # sum
        return [float(v) for v in tensor.tolist()]

    def barrier(self) -> None:
        """Wait for every rank (nothing to wait for in one process)."""
        if self.active:
            if self.device.type == "cuda":
                dist.barrier(device_ids=[self.device.index or 0])
            else:
                dist.barrier()

    def close(self) -> None:
        """Leave the process group (after the run)."""
        if self.active and dist.is_initialized():
            dist.destroy_process_group()
