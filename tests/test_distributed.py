"""Devices and multi-process training: ``--device`` and ``torchrun``.

The two-process run is started the way users start it, with ``torchrun``
(``python -m torch.distributed.run``) in a subprocess, on the CPU with the
``gloo`` backend, and compared with one process doing the same steps.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from models.checkpoint import load_checkpoint
from models.cli import main
from models.devices import Distributed, resolve_device, torchrun_command
from models.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
#: A MADE with two masks, so mask cycling runs under DDP; 40 images in
#: batches of 7 leave a last batch of 5, split 3 + 2 between two ranks.
TRAIN = [
    "train",
    "--kind",
    "made",
    "--set",
    "hidden_sizes=[16]",
    "--set",
    "num_masks=2",
    "--batch-size",
    "7",
    "--schedule",
    "constant",  # so one epoch resumed to two is a two-epoch run
    "--device",
    "cpu",
    "--quiet",
    "--name",
    "run",
]


def _tiny_data(folder: Path) -> Path:
    rng = np.random.default_rng(3)
    path = folder / "tiny.npz"
    np.savez(
        path,
        train=(rng.random((40, 5, 5)) < 0.4).astype(np.uint8),
        valid=(rng.random((13, 5, 5)) < 0.4).astype(np.uint8),
    )
    return path


def _torchrun(args: list[str], processes: int = 2) -> dict[str, object]:
    """Run ``ar-models`` under torchrun; rank 0's JSON result."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    env.pop("WORLD_SIZE", None)
    done = subprocess.run(
        torchrun_command(processes, *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)  # one JSON: rank 0's
    return result


def _weights(path: Path) -> dict[str, torch.Tensor]:
    return load_checkpoint(path).model.state_dict()


def _assert_same_weights(a: Path, b: Path) -> None:
    one, two = _weights(a), _weights(b)
    assert one.keys() == two.keys()
    for name in one:
        torch.testing.assert_close(two[name], one[name], rtol=1e-5, atol=1e-6)


def test_two_processes_take_the_steps_of_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _tiny_data(tmp_path)
    alone, together = tmp_path / "one", tmp_path / "two"
    alone.mkdir()
    together.mkdir()
    common = [*TRAIN, "--data", str(data)]

    assert main([*common, "--epochs", "1", "--out", str(alone)]) == 0
    first = json.loads(capsys.readouterr().out)
    result = _torchrun([*common, "--epochs", "1", "--out", str(together)])

    # same global batches, same order: the same weights and numbers
    _assert_same_weights(alone / "run.safetensors", together / "run.safetensors")
    history = result["history"]
    assert isinstance(history, list)
    assert history[0]["world_size"] == 2
    assert first["history"][0]["world_size"] == 1
    assert history[0]["train_nll"] == pytest.approx(
        first["history"][0]["train_nll"], rel=1e-6
    )
    # rank 0 alone wrote: one checkpoint set, and its record says 2 processes
    assert sorted(p.name for p in together.iterdir()) == [
        "run-best.json",
        "run-best.safetensors",
        "run.json",
        "run.safetensors",
    ]
    record = load_checkpoint(together / "run.safetensors").metadata["training"]
    assert record["world_size"] == 2
    assert record["device"] == "cpu"

    # the validation NLL the two ranks reported is the one `eval` computes
    evaluated = [
        "eval",
        str(together / "run.safetensors"),
        "--data",
        str(data),
        "--device",
        "cpu",
    ]
    assert main(evaluated) == 0
    score = json.loads(capsys.readouterr().out)
    assert score["count"] == 13
    assert history[0]["valid_nll"] == pytest.approx(score["nll_nats"], rel=1e-9)

    # resumed on two processes, it continues as one process would have
    assert main([*common, "--epochs", "2", "--out", str(alone), "--overwrite"]) == 0
    capsys.readouterr()
    resumed = _torchrun(
        [*TRAIN[:-2], "--resume", str(together / "run.safetensors"), "--epochs", "2"]
    )
    assert resumed["epochs_completed"] == 2
    _assert_same_weights(alone / "run.safetensors", together / "run.safetensors")


def test_a_missing_device_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    data = _tiny_data(tmp_path)
    code = main(["train", "--data", str(data), "--device", "cuda", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0
    assert "--device cuda" in err and "not available" in err
    assert not list(tmp_path.glob("*.safetensors"))  # refused before any work


def test_device_names() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else None
    if expected is None and not torch.backends.mps.is_available():
        assert resolve_device("auto") == torch.device("cpu")
    with pytest.raises(ConfigError, match="expected auto, cpu"):
        resolve_device("tpu")
    with pytest.raises(ConfigError, match="expected auto, cpu"):
        resolve_device("cuda:x")


def test_shards_split_a_batch_without_padding() -> None:
    rows = np.arange(5)
    shares = [Distributed(rank, 2).shard(rows) for rank in range(2)]
    assert np.concatenate(shares).tolist() == rows.tolist()
    assert [len(s) for s in shares] == [3, 2]
    # fewer images than processes: one rank gets none (the trainer then feeds
    # it a zero-weight image so DDP's collectives still meet)
    assert [len(Distributed(r, 2).shard(np.arange(1))) for r in range(2)] == [1, 0]
