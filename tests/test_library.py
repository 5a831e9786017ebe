"""The model library: listing, renaming, deleting, importing, exporting."""

import json

import pytest
import torch

from models.checkpoint import load_checkpoint, save_checkpoint
from models.errors import ARExplorerError, CheckpointError
from models.library import Library
from tests.conftest import tiny_model


def _save(folder, name, valid=None, **kwargs):
    model = tiny_model("nade", (3, 3), seed=len(name))
    metrics = {} if valid is None else {"valid_nll_nats": valid}
    return save_checkpoint(
        folder / name, model, metrics=metrics, data={"name": "mnist-5k"}, **kwargs
    )


@pytest.fixture
def library(tmp_path):
    bundled = tmp_path / "bundled"
    _save(bundled, "shipped", valid=90.5)
    user = tmp_path / "user"
    _save(user, "mine", valid=101.25)
    (user / "junk.safetensors").write_bytes(b"not a checkpoint at all")
    return Library(user_dir=user, bundled=bundled)


def test_lists_bundled_then_user_and_reports_bad_files(library):
    entries = library.entries()
    assert [(e.name, e.bundled) for e in entries] == [
        ("shipped", True),
        ("mine", False),
    ]
    mine = entries[1]
    assert (mine.kind, mine.data, mine.valid_nll) == ("nade", "mnist-5k", 101.25)
    assert mine.num_parameters == tiny_model("nade").num_parameters()
    assert len(library.problems) == 1 and "junk.safetensors" in library.problems[0]


def test_bundled_models_are_listed_by_data_then_best_first(tmp_path):
    bundled = tmp_path / "bundled"
    for name, valid, data in [
        ("b", 95.0, "mnist-5k"),
        ("a", 120.0, "binarized-mnist"),
        ("c", None, "binarized-mnist"),
        ("d", 88.0, "binarized-mnist"),
    ]:
        model = tiny_model("nade", (3, 3))
        metrics = {} if valid is None else {"valid_nll_nats": valid}
        save_checkpoint(bundled / name, model, metrics=metrics, data={"name": data})
    entries = Library(user_dir=tmp_path / "user", bundled=bundled).entries()
    assert [e.name for e in entries] == ["d", "a", "c", "b"]


def test_rename_moves_both_files_and_keeps_the_weights(library):
    mine = library.entries()[1]
    before = load_checkpoint(mine.path).model.state_dict()
    path = library.rename(mine, "digits: best run")
    assert path.name == "digits- best run.safetensors"
    assert not mine.path.exists() and not mine.path.with_suffix(".json").exists()
    loaded = load_checkpoint(path)
    assert loaded.name == "digits: best run"
    assert (
        json.loads(path.with_suffix(".json").read_text())["name"] == "digits: best run"
    )
    for key, value in before.items():
        assert torch.equal(loaded.model.state_dict()[key], value)


def test_rename_refuses_an_existing_name_and_keeps_both(library, tmp_path):
    _save(tmp_path / "user", "other")
    mine = next(e for e in library.entries() if e.name == "mine")
    with pytest.raises(CheckpointError, match="already exists"):
        library.rename(mine, "other")
    assert mine.path.exists() and (tmp_path / "user" / "other.safetensors").exists()


def test_bundled_checkpoints_are_read_only(library):
    shipped = library.entries()[0]
    with pytest.raises(ARExplorerError, match="ships with the app"):
        library.delete(shipped)
    with pytest.raises(ARExplorerError, match="ships with the app"):
        library.rename(shipped, "x")
    assert shipped.path.exists()


def test_delete_import_export(library, tmp_path):
    mine = library.entries()[1]
    exported = library.export(mine, tmp_path / "out" / "copy")
    assert load_checkpoint(exported).name == "mine"
    library.delete(mine)
    assert [e.name for e in library.entries()] == ["shipped"]
    first = library.import_checkpoint(exported)
    second = library.import_checkpoint(exported)
    assert (first.stem, second.stem) == ("copy", "copy (2)")
    assert {e.name for e in library.entries()} == {"shipped", "copy", "copy (2)"}


def test_import_rejects_a_bad_file_and_writes_nothing(library, tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x80\x04garbage")
    with pytest.raises(CheckpointError):
        library.import_checkpoint(bad)
    assert not (tmp_path / "user" / "bad.safetensors").exists()


def test_unusable_names_are_refused(library):
    with pytest.raises(ARExplorerError, match="not a usable"):
        library.rename(library.entries()[1], "///")


def test_a_missing_user_folder_is_an_empty_library(tmp_path):
    assert Library(user_dir=tmp_path / "nowhere", bundled=None).entries() == []


def test_a_copy_without_the_optimizer_keeps_the_weights(tmp_path):
    from models.checkpoint import copy_checkpoint
    from models.data import load_splits
    from models.registry import create
    from models.trainer import TrainConfig, Trainer

    splits = load_splits("mnist-5k")
    model = create("nade", (28, 28), hidden=8)
    trainer = Trainer(
        model,
        splits["train"].subset(slice(0, 64)),
        None,
        TrainConfig(epochs=1, batch_size=32, num_samples=0),
        checkpoint=tmp_path / "run",
    )
    trainer.run()
    full = load_checkpoint(tmp_path / "run")
    assert full.optimizer_state
    lean = copy_checkpoint(tmp_path / "run", tmp_path / "lean", include_optimizer=False)
    loaded = load_checkpoint(lean)
    assert not loaded.optimizer_state and loaded.metadata["optimizer"] is None
    assert lean.stat().st_size < (tmp_path / "run.safetensors").stat().st_size / 2
    for key, value in full.model.state_dict().items():
        assert torch.equal(loaded.model.state_dict()[key], value)
