"""The model library: listing, renaming, deleting, importing, exporting."""

import json
import math
import os

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.checkpoint import load_checkpoint, read_metadata, save_checkpoint
from models.errors import ARExplorerError, CheckpointError, ConfigError
from models.library import (
    MAX_NAME,
    MAX_STEM,
    Library,
    UnreadableEntry,
    count_of,
    file_stem,
    mapping_of,
    number_of,
    text_of,
)
from tests.conftest import tiny_model
from tests.hostile_records import NAMED_FIELDS, fill_bad_folder, write_record


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


# -- a folder the library must not trust ----------------------------------------------


@pytest.fixture
def bad_folder(tmp_path):
    """A user folder with one good checkpoint and every hostile file beside it."""
    good, names = fill_bad_folder(tmp_path / "user", tiny_model("nade"))
    return good, names, Library(user_dir=tmp_path / "user", bundled=None)


def test_a_bad_file_is_listed_as_unreadable_and_the_good_one_still_is(bad_folder):
    good, names, library = bad_folder
    entries = library.entries()  # no exception, no hang on the FIFO
    assert [(e.name, e.path) for e in entries] == [("good", good)]
    assert entries[0].valid_nll == 123.5 and entries[0].data == "mnist-5k"
    assert sorted(u.path.name for u in library.unreadable) == sorted(names)
    for bad in library.unreadable:
        assert bad.reason and "\n" not in bad.reason and len(bad.reason) <= 300
        assert not bad.bundled
    assert library.problems == [f"{u.path}: {u.reason}" for u in library.unreadable]


def test_the_reason_names_the_field_of_the_wrong_type(bad_folder):
    _, _, library = bad_folder
    library.entries()
    reasons = {u.path.name: u.reason for u in library.unreadable}
    for name, field in NAMED_FIELDS.items():
        assert f"'{field}'" in reasons[f"{name}.safetensors"], reasons
    assert "FIFO" in reasons["fifo.safetensors"]
    assert "folder" in reasons["folder.safetensors"]
    assert "device" in reasons["zero.safetensors"]
    assert "does not exist" in reasons["dangling.safetensors"]


@st.composite
def json_values(draw):
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(10**400), max_value=10**400)
        | st.floats()
        | st.text(max_size=20)
    )
    return draw(
        st.recursive(
            scalars,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.text(max_size=8), inner, max_size=3)
            ),
            max_leaves=12,
        )
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    field=st.sampled_from(
        [
            "name",
            "kind",
            "data",
            "metrics",
            "created",
            "num_parameters",
            "notes",
            "training",
            "binarization",
            "config",
        ]
    ),
    value=json_values(),
    nested=st.booleans(),
)
def test_any_json_in_any_field_is_listed_or_unreadable_never_raised(
    tmp_path, field, value, nested
):
    model = tiny_model("nade")
    folder = tmp_path / "any"
    folder.mkdir(exist_ok=True)
    good = save_checkpoint(folder / "base", model, metrics={"valid_nll_nats": 1.0})
    record = read_metadata(good)
    if nested and isinstance(record.get(field), dict):  # inside the object
        value = {**record[field], "valid_nll_nats": value, "name": value}
    path = write_record(
        folder / "x.safetensors", model, json.dumps({**record, field: value})
    )
    library = Library(user_dir=folder, bundled=None)
    entries = library.entries()
    listed = {e.path for e in entries} | {u.path for u in library.unreadable}
    assert listed == {good, path}
    for entry in entries:  # what the views show is always of the right type
        assert isinstance(entry.name, str) and 0 < len(entry.name) <= MAX_NAME
        assert entry.valid_nll is None or math.isfinite(entry.valid_nll)
        assert entry.num_parameters is None or 0 <= entry.num_parameters <= 10**15
        assert isinstance(entry.data, str) and isinstance(entry.created, str)


def test_accessors_give_the_right_type_or_the_default():
    assert text_of("a\nb\x00c") == "a b c"
    assert text_of(5, "—") == "—" and text_of("", "—") == "—"
    assert text_of("x" * 50, limit=10) == "x" * 9 + "…"
    assert text_of("\ud800ok") == "?ok"
    assert [number_of(v) for v in (1, 2.5, True, "1", math.inf, math.nan)] == [
        1.0,
        2.5,
        None,
        None,
        None,
        None,
    ]
    assert number_of(10**400) is None and number_of(-(10**400)) is None
    assert [count_of(v) for v in (0, 7, -1, 1.0, False, 10**16)] == [
        0,
        7,
        None,
        None,
        None,
        None,
    ]
    assert mapping_of([1]) == {} and mapping_of({"a": 1}) == {"a": 1}


def test_an_unreadable_file_can_be_deleted_and_nothing_else(bad_folder, tmp_path):
    _, _, library = bad_folder
    library.entries()
    fifo = next(u for u in library.unreadable if u.path.name == "fifo.safetensors")
    library.delete(fifo)
    assert not os.path.lexists(fifo.path)
    library.entries()
    assert "fifo.safetensors" not in {u.path.name for u in library.unreadable}
    elsewhere = UnreadableEntry(tmp_path / "elsewhere.safetensors", "junk", False)
    elsewhere.path.write_bytes(b"junk")
    with pytest.raises(CheckpointError, match="not in your library folder"):
        library.delete(elsewhere)
    assert elsewhere.path.exists()
    shipped = UnreadableEntry(fifo.path, "junk", True)
    with pytest.raises(ARExplorerError, match="ships with the app"):
        library.delete(shipped)


def test_an_unreadable_bundled_file_is_listed_as_bundled(tmp_path):
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "broken.safetensors").write_bytes(b"\x00" * 20)
    library = Library(user_dir=tmp_path / "user", bundled=bundled)
    assert library.entries() == []
    assert [(u.path.name, u.bundled) for u in library.unreadable] == [
        ("broken.safetensors", True)
    ]


# -- names: bounded, and every write inside the folder ---------------------------------


def test_a_300_character_name_is_refused_clearly_and_keeps_the_checkpoint(library):
    mine = library.entries()[1]
    with pytest.raises(ConfigError, match="at most 200 characters"):
        library.rename(mine, "n" * 300)
    assert mine.path.exists()
    assert [e.name for e in library.entries()] == ["shipped", "mine"]


def test_a_long_name_is_kept_whole_and_its_file_name_is_cut(library, tmp_path):
    mine = library.entries()[1]
    name = "a long descriptive name " * 8  # 192 characters
    path = library.rename(mine, name)
    assert path.parent == tmp_path / "user"
    assert len(path.stem) <= MAX_STEM and name.startswith(path.stem)
    assert load_checkpoint(path).name == name.strip()


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("../../x", "x"),
        ("/etc/passwd", "etc-passwd"),
        ("C:\\Windows\\evil", "C-Windows-evil"),
        ("..\\..\\up", "up"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1", "_com1"),
        ("lpt9 ", "_lpt9"),
        ("  spaced  ", "spaced"),
    ],
)
def test_a_file_name_never_leaves_its_folder(library, tmp_path, name, stem):
    assert file_stem(name) == stem
    path = library.rename(library.entries()[1], name)
    assert path == tmp_path / "user" / f"{stem}.safetensors"
    assert sorted(p.name for p in (tmp_path / "user").iterdir()) == sorted(
        [f"{stem}.safetensors", f"{stem}.json", "junk.safetensors"]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundled", "user"]


@pytest.mark.parametrize("name", ["..", ".", "...", " . . ", "///", "", "\x00\n"])
def test_a_name_of_only_dots_or_separators_is_refused(library, name):
    with pytest.raises(ConfigError, match="not a usable"):
        library.rename(library.entries()[1], name)


def test_run_names_find_what_a_run_would_replace_and_a_free_name(tmp_path):
    library = Library(user_dir=tmp_path / "user", bundled=None)
    assert library.run_path("../../run") == tmp_path / "user" / "run"
    assert library.existing_files("run") == [] and library.free_name("run") == "run"
    _save(tmp_path / "user", "run-best")
    assert [p.name for p in library.existing_files("run")] == [
        "run-best.safetensors",
        "run-best.json",
    ]
    assert library.free_name("run") == "run (2)"
    _save(tmp_path / "user", "run (2)")
    os.mkfifo(tmp_path / "user" / "run (3).safetensors")  # anything there counts
    assert library.free_name("run") == "run (4)"


def test_a_config_that_would_not_build_is_unreadable_in_the_listing(library):
    path = _save(library.user_dir, "bad config")
    record = read_metadata(path)
    record["config"]["hidden"] = -3  # a type the listing accepts, a value it must not
    write_record(path, load_checkpoint(path).model, json.dumps(record))
    names = {entry.name for entry in library.entries()}
    reasons = {entry.path.stem: entry.reason for entry in library.unreadable}
    assert "bad config" not in names and "mine" in names
    assert "hidden must be" in reasons["bad config"]


def test_import_takes_a_name_whose_best_copy_is_free_too(library, tmp_path):
    source = _save(tmp_path / "elsewhere", "run")
    _save(library.user_dir, "run-best")  # a best copy without its run
    imported = library.import_checkpoint(source)
    assert imported.stem == "run (2)"


def test_export_replaces_only_when_told_and_a_dangling_link_counts(library, tmp_path):
    mine = next(e for e in library.entries() if e.name == "mine")
    target = tmp_path / "out" / "copy.safetensors"
    target.parent.mkdir()
    target.symlink_to(tmp_path / "nowhere.safetensors")  # a link to nothing
    with pytest.raises(CheckpointError, match="already exists"):
        library.export(mine, target)
    assert target.is_symlink() and not target.exists()
    written = library.export(mine, target, overwrite=True)
    assert load_checkpoint(written).name == "mine"
