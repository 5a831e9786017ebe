"""Untrusted files, killed processes, full disks: nothing runs, nothing is lost.

- the checkpoint loader, fed mutated and random bytes (hypothesis), raises only
  CheckpointError naming the file — never another exception, never a crash;
- a process killed with SIGKILL while it rewrites a checkpoint over and over
  leaves a checkpoint that loads;
- a full disk, or a folder that cannot be written, gives a clear message and
  keeps the previous checkpoint whole;
- pausing and resuming a run gives the same weights as an uninterrupted run.
"""

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.checkpoint import load_checkpoint, save_checkpoint
from models.data import load_splits
from models.errors import CheckpointError
from models.registry import create
from models.trainer import StepReported, TrainConfig, TrainControl, Trainer
from tests.conftest import tiny_model

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("valid")
    path = save_checkpoint(folder / "m", tiny_model("nade"))
    return path.read_bytes()


@FUZZ
@given(data=st.data())
def test_mutated_checkpoints_fail_cleanly(tmp_path, valid_bytes, data):
    """Flip, cut or splice bytes anywhere: a CheckpointError or a valid model."""
    content = bytearray(valid_bytes)
    for _ in range(data.draw(st.integers(1, 6))):
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        at = data.draw(st.integers(0, max(0, len(content) - 1)))
        if action == "flip" and content:
            content[at] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "cut":
            del content[at : at + data.draw(st.integers(1, 64))]
        else:
            content[at:at] = data.draw(st.binary(min_size=1, max_size=32))
    path = tmp_path / "fuzz.safetensors"
    path.write_bytes(bytes(content))
    try:
        checkpoint = load_checkpoint(path)
    except CheckpointError as exc:
        assert str(path) in str(exc)
    else:  # a harmless mutation (e.g. inside a float): still a working model
        x = torch.zeros(1, 1, 3, 3)
        assert torch.isfinite(checkpoint.model.log_prob(x)).all()


@FUZZ
@given(
    record=st.dictionaries(
        st.sampled_from(
            ["format", "format_version", "kind", "config", "ordering", "extra", "name"]
        ),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-5, 10**6),
            st.text(max_size=12),
            st.lists(st.integers(-3, 20), max_size=12),
            st.dictionaries(st.text(max_size=8), st.integers(-3, 50), max_size=4),
        ),
        max_size=7,
    )
)
def test_arbitrary_json_records_fail_cleanly(tmp_path, record):
    from safetensors.torch import save_file

    path = tmp_path / "r.safetensors"
    save_file(
        {"w": torch.zeros(2)}, str(path), metadata={"ar_explorer": json.dumps(record)}
    )
    with pytest.raises(CheckpointError):
        load_checkpoint(path)


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from models.checkpoint import save_checkpoint
    from models.registry import create
    import torch
    torch.manual_seed(0)
    model = create("nade", (28, 28), hidden=300)
    print("ready", flush=True)
    i = 0
    while True:
        with torch.no_grad():
            model.bias_out.fill_(i % 7)
        save_checkpoint({path!r}, model, metrics={{"step": i}})
        i += 1
    """
)


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.6])
def test_sigkill_while_writing_leaves_a_loadable_checkpoint(tmp_path, delay):
    target = tmp_path / "run"
    save_checkpoint(target, create("nade", (28, 28), hidden=300), metrics={"step": -1})
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = WRITER.format(root=root, path=str(target))
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(delay)  # somewhere in the middle of a write
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    checkpoint = load_checkpoint(target)  # old or new, but whole
    step = checkpoint.metadata["metrics"]["step"]
    assert float(checkpoint.model.bias_out[0].detach()) == (
        step % 7 if step >= 0 else 0
    )


def test_a_full_disk_keeps_the_previous_checkpoint(tmp_path, monkeypatch):
    path = save_checkpoint(tmp_path / "m", tiny_model("nade", seed=1), metrics={"v": 1})
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def fileno(self):
            return self.handle.fileno()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def flush(self):
            pass

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(CheckpointError, match="No space left on device") as info:
        save_checkpoint(tmp_path / "m", tiny_model("nade", seed=2), metrics={"v": 2})
    assert "previous checkpoint is unchanged" in str(info.value)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert load_checkpoint(path).metadata["metrics"] == {"v": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.safetensors"]


def test_an_unwritable_folder_is_named(tmp_path, monkeypatch):
    import tempfile

    path = save_checkpoint(tmp_path / "m", tiny_model("nade"))
    before = path.read_bytes()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(CheckpointError, match="Permission denied") as info:
        save_checkpoint(tmp_path / "m", tiny_model("nade", seed=3))
    assert str(path) in str(info.value)
    monkeypatch.undo()
    assert path.read_bytes() == before


def test_pause_and_resume_match_an_uninterrupted_run(tmp_path):
    splits = load_splits("mnist-5k")
    train = splits["train"].subset(slice(0, 256))
    config = TrainConfig(epochs=2, batch_size=32, seed=3, num_samples=0)

    def run(pause: bool) -> dict[str, torch.Tensor]:
        model = create("nade", (28, 28), hidden=16, seed=0)
        control = TrainControl()

        def on_event(event):
            if pause and isinstance(event, StepReported) and event.global_step == 5:
                control.pause()  # hold before the next batch …
                held.append(event.global_step)
                threading.Timer(0.3, control.resume).start()  # … for a while

        trainer = Trainer(
            model, train, None, config, control=control, on_event=on_event
        )
        trainer.report_interval_s = 0.0  # report every step
        trainer.run()
        return {k: v.clone() for k, v in model.state_dict().items()}

    held: list[int] = []
    straight, paused = run(False), run(True)
    assert held == [5]  # the run really was held
    for key in straight:
        assert torch.equal(straight[key], paused[key]), key


@FUZZ
@given(
    header=st.binary(min_size=0, max_size=24),
    body=st.binary(min_size=0, max_size=200),
    gzipped=st.booleans(),
)
def test_arbitrary_idx_bytes_load_or_raise_data_error(tmp_path, header, body, gzipped):
    import gzip

    from models.data import read_idx
    from models.errors import DataError

    raw = header + body
    path = tmp_path / ("x.idx.gz" if gzipped else "x.idx")
    path.write_bytes(gzip.compress(raw) if gzipped else raw)
    try:
        array = read_idx(path)
    except DataError as exc:
        assert path.name in str(exc)
    else:
        assert array.dtype == "uint8" and array.size <= len(raw)


@FUZZ
@given(content=st.binary(min_size=0, max_size=300))
def test_arbitrary_npz_or_npy_bytes_raise_data_error(tmp_path, content):
    from models.data import read_array_file
    from models.errors import DataError

    for name in ("x.npz", "x.npy"):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(DataError) as info:
            read_array_file(path)
        assert name in str(info.value)
