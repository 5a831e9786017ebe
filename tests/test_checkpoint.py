import json
import os
import pickle
import struct

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from models.checkpoint import (
    checkpoint_paths,
    copy_checkpoint,
    load_checkpoint,
    read_metadata,
    save_checkpoint,
)
from models.errors import CheckpointError
from tests.conftest import TINY_CONFIGS, supported_orderings, tiny_model

IMAGES = torch.randint(
    0, 2, (20, 1, 3, 3), generator=torch.Generator().manual_seed(0)
).float()


@pytest.mark.parametrize("name", list(TINY_CONFIGS))
@pytest.mark.parametrize("classes", [0, 2])
def test_round_trip_keeps_every_log_prob(tmp_path, name, classes):
    ordering = "hilbert" if "hilbert" in supported_orderings(name) else "raster"
    model = tiny_model(name, (3, 3), num_classes=classes, ordering=ordering)
    y = None if classes == 0 else torch.arange(20) % classes
    path = save_checkpoint(
        tmp_path / "m", model, metrics={"valid_nll_nats": 1.5}, data={"name": "unit"}
    )
    assert path == tmp_path / "m.safetensors"
    loaded = load_checkpoint(tmp_path / "m.json")  # any of the three spellings works
    assert loaded.model.kind == model.kind
    assert torch.equal(loaded.model.ordering, model.ordering)
    with torch.no_grad():
        assert torch.equal(loaded.model.log_prob(IMAGES, y), model.log_prob(IMAGES, y))
    assert loaded.metadata["metrics"] == {"valid_nll_nats": 1.5}
    assert loaded.metadata["num_parameters"] == model.num_parameters()


def test_json_beside_the_tensors_is_the_record(tmp_path):
    save_checkpoint(tmp_path / "m", tiny_model("nade"), notes="hello")
    tensors, sidecar = checkpoint_paths(tmp_path / "m")
    record = json.loads(sidecar.read_text())
    assert record == read_metadata(tensors)
    assert record["kind"] == "nade" and record["notes"] == "hello"
    assert {"torch", "numpy", "safetensors", "python"} <= set(record["versions"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.safetensors"]


def test_overwrite_replaces_whole_files(tmp_path):
    first, second = tiny_model("made", seed=1), tiny_model("made", seed=2)
    save_checkpoint(tmp_path / "m", first)
    save_checkpoint(tmp_path / "m", second)
    with torch.no_grad():
        assert torch.equal(
            load_checkpoint(tmp_path / "m").model.log_prob(IMAGES),
            second.log_prob(IMAGES),
        )
    assert len(list(tmp_path.iterdir())) == 2  # no temporary files left behind


def test_pickles_are_rejected_without_running(tmp_path):
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    evil = tmp_path / "evil.safetensors"
    evil.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(CheckpointError, match="never unpickles"):
        load_checkpoint(evil)
    torch_file = tmp_path / "model.safetensors"
    torch.save({"w": torch.zeros(2)}, torch_file)  # a zip-based torch.save file
    with pytest.raises(CheckpointError, match="never unpickles"):
        load_checkpoint(torch_file)
    assert not marker.exists()


def _rewrite_record(path, **changes):
    checkpoint = load_checkpoint(path)
    record = {**checkpoint.metadata, **changes}
    tensors = {k: v.contiguous() for k, v in checkpoint.model.state_dict().items()}
    save_file(
        tensors,
        str(path.with_suffix(".safetensors")),
        metadata={"ar_explorer": json.dumps(record)},
    )


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kind": "vae"}, "unknown model kind 'vae'"),
        ({"format": "other"}, "not an AR Explorer checkpoint"),
        ({"format_version": 99}, "version 99"),
        ({"surprise": 1}, "unexpected metadata field"),
        (
            {"config": {"image_shape": [3, 3], "hidden": 7, "depth": 3}},
            "unknown NADEConfig field",
        ),
        ({"config": {"image_shape": [3, 3], "hidden": -1}}, "hidden must be"),
        ({"config": {"image_shape": [4, 4], "hidden": 7}}, "shape"),
        ({"ordering": list(range(8, -1, -1))}, "ordering does not match"),
        ({"kind": ["nade"]}, "'kind' must be text"),
        ({"metrics": [1, 2]}, "'metrics' must be an object"),
        ({"data": "mnist"}, "'data' must be an object or null"),
        ({"num_parameters": "abc"}, "'num_parameters' must be an integer"),
        ({"config": {"image_shape": [10**30, 1], "hidden": 7}}, "too large"),
        ({"config": {"image_shape": [20000, 20000], "hidden": 7}}, "too large"),
        ({"config": {"image_shape": [3, 3], "hidden": 10**9}}, "19,000,000,009 param"),
        ({"config": {"image_shape": [3, 3], "hidden": 300000}}, "stores only"),
        ({"config": {"image_shape": [3, 3], "num_classes": 10**9}}, "num_classes"),
        (
            {"config": {"image_shape": [3, 3], "custom_ordering": "abc"}},
            "custom_ordering must be a list of integers",
        ),
        # "33" iterated as (3, 3), [3.7, 3.2] truncated: both were obeyed
        ({"config": {"image_shape": "33", "hidden": 7}}, "two whole numbers"),
        ({"config": {"image_shape": [3.7, 3.2], "hidden": 7}}, "two whole numbers"),
        ({"config": {"image_shape": [True, 3], "hidden": 7}}, "two whole numbers"),
        ({"config": {"image_shape": [3, 3], "ordering": "x" * 10**5}}, "ordering 'x"),
        ({"config": {"image_shape": [3, 3], "hidden": -(10**4000)}}, "4,001 digits"),
    ],
)
def test_bad_records_are_named(tmp_path, changes, message):
    path = save_checkpoint(tmp_path / "m", tiny_model("nade"))
    _rewrite_record(path, **changes)
    with pytest.raises(CheckpointError, match=message) as info:
        load_checkpoint(path)
    assert str(path) in str(info.value)
    assert len(str(info.value)) - len(str(path)) < 300  # one short line


def _with_raw_record(path, text):
    """Rewrite the record embedded in ``path`` with the JSON text given."""
    checkpoint = load_checkpoint(path)
    tensors = {k: v.contiguous() for k, v in checkpoint.model.state_dict().items()}
    save_file(tensors, str(path), metadata={"ar_explorer": text})


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"a": ' + "9" * 5000 + "}", "too many digits"),
        ("[" * 200_000 + "]" * 200_000, "nests too deeply"),
        ('{"metrics": {"valid_nll_nats": 1e400}}', "too large for a float"),
        ('{"metrics": {"valid_nll_nats": NaN}}', "NaN"),
    ],
)
def test_hostile_json_in_the_record_is_one_clear_error(tmp_path, text, message):
    path = save_checkpoint(tmp_path / "m", tiny_model("nade"))
    _with_raw_record(path, text)
    for read in (read_metadata, load_checkpoint):
        with pytest.raises(CheckpointError, match=message):
            read(path)


def test_a_small_file_cannot_ask_for_a_big_model(tmp_path):
    """The config is weighed against the stored tensors before building."""
    import tracemalloc

    path = save_checkpoint(tmp_path / "m", tiny_model("nade"))
    # 20 000 hidden units on 3×3 images: 0.5 M weights a 1 KB file cannot hold
    _rewrite_record(path, config={"image_shape": [3, 3], "hidden": 20_000})
    tracemalloc.start()
    with pytest.raises(CheckpointError, match="stores only"):
        load_checkpoint(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 1_000_000  # bytes: nothing of the model's size was built


@pytest.mark.parametrize("kind", ["fifo", "directory", "dev-zero"])
def test_only_regular_files_are_opened(tmp_path, kind):
    path = tmp_path / "m.safetensors"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    expected = {"fifo": "FIFO", "directory": "folder", "dev-zero": "device"}[kind]
    for read in (read_metadata, load_checkpoint):
        with pytest.raises(CheckpointError, match=expected):
            read(path)


def test_overlapping_tensors_are_refused(tmp_path):
    """Two names for the same bytes would let a file claim more than it holds."""
    path = save_checkpoint(tmp_path / "m", tiny_model("fvsbn"))
    raw = path.read_bytes()
    length = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + length])
    first, second = (k for k in header if k != "__metadata__")
    header[second]["data_offsets"] = header[first]["data_offsets"]
    header[second]["shape"] = header[first]["shape"]
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + raw[8 + length :])
    with pytest.raises(CheckpointError, match="overlap"):
        load_checkpoint(path)


def test_mismatched_tensors_are_named(tmp_path):
    path = save_checkpoint(tmp_path / "m", tiny_model("nade"))
    record = read_metadata(path)
    state = tiny_model("nade").state_dict()
    meta = {"ar_explorer": json.dumps(record)}
    for tensors, message in [
        (
            {k: v for k, v in state.items() if k != "bias_out"},
            "missing tensors bias_out",
        ),
        ({**state, "extra": torch.zeros(1)}, "unexpected tensors extra"),
        ({**state, "bias_out": torch.zeros(10)}, r"shape \[10\]"),
        ({**state, "bias_out": torch.zeros(9, dtype=torch.float64)}, "dtype F64"),
        ({**state, "bias_out": torch.full((9,), float("nan"))}, "NaN"),
    ]:
        save_file(
            {k: v.contiguous() for k, v in tensors.items()}, str(path), metadata=meta
        )
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(path)


def test_garbage_truncated_foreign_and_missing_files(tmp_path):
    path = save_checkpoint(tmp_path / "m", tiny_model("fvsbn"))
    whole = path.read_bytes()
    cases = {
        b"": "truncated",
        b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}xxxxxx": "not valid JSON",
        struct.pack("<Q", 10**12) + b"{}": "exceeds the file",
        whole[: len(whole) - 7]: "outside the file",
    }
    for content, message in cases.items():
        path.write_bytes(content)
        with pytest.raises(CheckpointError, match=message):
            load_checkpoint(path)
    save_file({"w": torch.zeros(2)}, str(path))
    with pytest.raises(CheckpointError, match="not an AR Explorer checkpoint"):
        load_checkpoint(path)
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        load_checkpoint(tmp_path / "absent")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_keeps_the_previous_checkpoint(tmp_path):  # pragma: no cover
    folder = tmp_path / "ro"
    folder.mkdir()
    save_checkpoint(folder / "m", tiny_model("nade", seed=1))
    folder.chmod(0o500)
    try:
        with pytest.raises(CheckpointError, match="previous checkpoint is unchanged"):
            save_checkpoint(folder / "m", tiny_model("nade", seed=2))
    finally:
        folder.chmod(0o700)
    assert load_checkpoint(folder / "m").model.weight_in.equal(
        tiny_model("nade", seed=1).weight_in
    )


def test_unwritable_tensor_file_keeps_the_previous_checkpoint(tmp_path):
    save_checkpoint(tmp_path / "m", tiny_model("nade", seed=1))
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "m.safetensors").mkdir()  # a folder where the file must go
    with pytest.raises(CheckpointError, match="previous checkpoint is unchanged"):
        save_checkpoint(blocked / "m", tiny_model("nade", seed=2))
    assert load_checkpoint(tmp_path / "m").model.weight_in.equal(
        tiny_model("nade", seed=1).weight_in
    )


def test_unwritable_json_copy_is_reported(tmp_path):
    save_checkpoint(tmp_path / "m", tiny_model("nade", seed=1))
    (tmp_path / "m.json").unlink()
    (tmp_path / "m.json").mkdir()  # a folder where the JSON file must go
    with pytest.raises(CheckpointError, match="saved, but its JSON copy could not"):
        save_checkpoint(tmp_path / "m", tiny_model("nade", seed=2))
    # the tensors were replaced atomically and carry their own record
    loaded = load_checkpoint(tmp_path / "m")
    assert loaded.model.weight_in.equal(tiny_model("nade", seed=2).weight_in)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_header_length_that_starts_like_a_pickle_still_loads(tmp_path):
    """A safetensors header of 0x0580 bytes begins with b"\\x80\\x05", like pickle
    protocol 5; it must be read as the checkpoint it is."""
    model = tiny_model("nade")
    for pad in range(0, 3000, 8):
        path = save_checkpoint(tmp_path / "m", model, notes="x" * pad)
        head = path.read_bytes()[:2]
        if head[0] == 0x80 and head[1] in (2, 3, 4, 5):
            break
    else:  # pragma: no cover
        pytest.fail("no padding produced a pickle-like header length")
    assert load_checkpoint(path).model.weight_in.equal(model.weight_in)


@pytest.mark.parametrize("name", list(TINY_CONFIGS))
def test_compact_copies_keep_the_model_and_half_copies_round_it(tmp_path, name):
    model = tiny_model(name, (3, 3))
    source = save_checkpoint(tmp_path / "m", model)
    compact = copy_checkpoint(
        source, tmp_path / "c", compact=True, include_optimizer=False
    )
    half = copy_checkpoint(
        source, tmp_path / "h", compact=True, half=True, include_optimizer=False
    )
    used = model.used_entries()
    # MADE's masked layers and the causal convolutions of the spatial models
    has_masks = not name.startswith(("bernoulli", "markov", "fvsbn", "nade", "gated"))
    assert bool(used) == has_masks
    with torch.no_grad():
        want = model.log_prob(IMAGES)
        exact = load_checkpoint(compact).model
        rounded = load_checkpoint(half).model
        assert torch.equal(exact.log_prob(IMAGES), want)  # unused entries only dropped
        assert all(p.dtype == torch.float32 for p in rounded.parameters())
        assert torch.allclose(rounded.log_prob(IMAGES), want, atol=0.02)
    stored = read_metadata(compact)["storage"]
    assert stored == {"packed": sorted(used), "dtype": None}
    assert read_metadata(half)["storage"]["dtype"] == "F16"
    with safe_open(str(compact), framework="pt") as handle:
        for key, mask in used.items():  # only the used entries are stored
            assert handle.get_slice(key).get_shape() == [int(mask.sum())]
    assert os.path.getsize(half) < os.path.getsize(compact)


def test_made_stores_only_weights_some_mask_reads(tmp_path):
    # one mask: about half of each masked weight is never read
    model = tiny_model("made", (6, 6))
    used = model.used_entries()
    assert set(used) == {"hidden_layers.0.weight", "hidden_layers.1.weight",
                         "output_layer.weight"}  # fmt: skip
    for name, mask in used.items():
        module = model.get_submodule(name.rsplit(".", 1)[0])
        assert torch.equal(mask, module.mask.bool())
        assert 0.2 < mask.float().mean() < 0.8
    # several masks: the union over all of them, and the current mask is kept
    ensemble = tiny_model("made-ensemble", (3, 3))
    ensemble.set_mask(1)
    union = ensemble.used_entries()["hidden_layers.0.weight"]
    assert ensemble.mask_index == 1
    for index in range(ensemble.num_masks):
        ensemble.set_mask(index)
        mask = ensemble.hidden_layers[0].mask.bool()
        assert torch.equal(mask & union, mask)


@pytest.mark.parametrize(
    "storage, message",
    [
        ({"packed": ["bias_out"], "dtype": None}, "cannot unpack bias_out"),
        ({"packed": [], "dtype": "Q4"}, "unsupported storage dtype"),
        ({"packed": "all", "dtype": None}, "must list names"),
        (["packed"], "storage' must be an object"),
        ({"packed": [], "dtype": "F16", "zip": True}, "storage' is malformed"),
    ],
)
def test_bad_storage_records_are_named(tmp_path, storage, message):
    path = save_checkpoint(tmp_path / "m", tiny_model("nade"))
    _rewrite_record(path, storage=storage)
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path)


def test_a_packed_tensor_of_the_wrong_length_is_named(tmp_path):
    model = tiny_model("made", (3, 3))
    path = copy_checkpoint(
        save_checkpoint(tmp_path / "m", model),
        tmp_path / "c",
        compact=True,
        include_optimizer=False,
    )
    record = read_metadata(path)
    state = {k: v.contiguous() for k, v in model.state_dict().items()}  # unpacked
    save_file(state, str(path), metadata={"ar_explorer": json.dumps(record)})
    used = int(model.used_entries()["hidden_layers.0.weight"].sum())
    message = (
        rf"'hidden_layers.0.weight' has shape \[13, 9\], the model needs \[{used}\]"
    )
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path)
    with pytest.raises(ValueError, match="no optimizer state"):
        copy_checkpoint(tmp_path / "m", tmp_path / "d", compact=True)


def test_a_seeded_build_is_the_same_while_another_thread_loads_a_checkpoint():
    """The app loads a checkpoint in the background while a training run builds
    its seeded model: both draw from torch's one global generator. Without the
    build lock, about 1 seeded build in 10 came out different."""
    import threading

    from models.library import bundled_dir
    from models.registry import create

    reference = create("made", (28, 28), seed=0, hidden_sizes=[16])
    done = threading.Event()

    def load_repeatedly():
        while not done.is_set():
            load_checkpoint(bundled_dir() / "nade-mnist5k-classes")

    loader = threading.Thread(target=load_repeatedly)
    loader.start()
    try:
        differing = sum(
            not all(
                torch.equal(a, b)
                for a, b in zip(
                    reference.parameters(),
                    create("made", (28, 28), seed=0, hidden_sizes=[16]).parameters(),
                    strict=True,
                )
            )
            for _ in range(200)
        )
    finally:
        done.set()
        loader.join()
    assert differing == 0
