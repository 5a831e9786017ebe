"""Train → save → load gives the same model, for every kind, after real training.

The trainer writes the run's checkpoint (with the optimizer) and the best
epoch's; each must load back as the model that was saved: the same weights,
the same log p(x), the same optimizer state, also through compact and
float16 copies. An order-agnostic MADE is the case that once failed: its
active mask's ordering leaked into the recorded one.
"""

import copy
import json

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from models.checkpoint import (
    copy_checkpoint,
    load_checkpoint,
    optimizer_state_dict,
    save_checkpoint,
)
from models.data import Binarization, ImageSet
from models.errors import ARExplorerError
from models.registry import available
from models.trainer import CheckpointSaved, TrainConfig, Trainer
from tests.conftest import TINY_CONFIGS, kind_of, tiny_model

SHAPE = (3, 3)
ORDER_AGNOSTIC = {"hidden_sizes": (15,), "num_masks": 3, "order_agnostic": True}
#: Every tiny config, and a MADE whose masks each have their own ordering and
#: whose density is the current mask's (not the ensemble's).
CASES = [(name, {}) for name in TINY_CONFIGS] + [("made", ORDER_AGNOSTIC)]
IDS = [*TINY_CONFIGS, "made-order-agnostic"]


def _images(count, seed, classes=0):
    rng = np.random.default_rng(seed)
    # a few biased pixels, so training has something to learn
    p = np.linspace(0.15, 0.85, SHAPE[0] * SHAPE[1]).reshape(SHAPE)
    images = (rng.random((count, *SHAPE)) < p).astype(np.uint8)
    labels = rng.integers(0, classes, count) if classes else None
    return ImageSet(images, labels, 2, f"unit-{seed}")


def _train(model, tmp_path, *, valid=True, epochs=2, batches=4):
    """Train with the real trainer; return it and a snapshot per saved file."""
    classes = model.num_classes
    snapshots = {}

    def on_event(event):
        if isinstance(event, CheckpointSaved):  # the model as it was written
            snapshots[event.path] = copy.deepcopy(model)

    trainer = Trainer(
        model,
        _images(64, 1, classes),
        _images(16, 2, classes) if valid else None,
        TrainConfig(
            epochs=epochs,
            batch_size=8,
            lr=3e-2,
            max_batches_per_epoch=batches,
            num_samples=0,
            seed=3,
        ),
        binarization=Binarization("threshold"),
        checkpoint=tmp_path / "run",
        on_event=on_event,
    )
    assert trainer.run().status == "finished"
    return trainer, snapshots


def _batch(model):
    x = torch.as_tensor(_images(32, 9).images, dtype=torch.float32).unsqueeze(1)
    y = torch.arange(32) % model.num_classes if model.num_classes else None
    return x, y


def _assert_same_model(loaded, original):
    assert loaded.kind == original.kind
    assert loaded.config == original.config
    assert torch.equal(loaded.ordering, original.ordering)
    want = original.state_dict()
    got = loaded.state_dict()
    assert got.keys() == want.keys()
    for key, value in want.items():
        torch.testing.assert_close(got[key], value, rtol=0, atol=0, msg=key)
    x, y = _batch(original)
    with torch.no_grad():
        torch.testing.assert_close(loaded.log_prob(x, y), original.log_prob(x, y))


@pytest.mark.parametrize(("name", "overrides"), CASES, ids=IDS)
def test_trained_checkpoints_load_as_the_model_saved(tmp_path, name, overrides):
    classes = 2 if name.startswith("made") else 0
    model = tiny_model(name, SHAPE, num_classes=classes, **overrides).train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    trainer, snapshots = _train(model, tmp_path)
    trained = model.state_dict()
    assert any(not torch.equal(before[k], trained[k]) for k in before), "no step"
    # the run's checkpoint (last written after epoch 2) and the best epoch's
    assert sorted(p.name for p in snapshots) == [
        "run-best.safetensors",
        "run.safetensors",
    ]
    for path, saved in snapshots.items():
        _assert_same_model(load_checkpoint(path).model, saved.eval())
    # the run's file is the model the trainer ends with, optimizer included
    checkpoint = load_checkpoint(tmp_path / "run")
    _assert_same_model(checkpoint.model, model)
    restored = optimizer_state_dict(checkpoint)
    live = trainer.optimizer.state_dict()
    # the record is JSON: the betas come back as a list
    assert restored["param_groups"] == json.loads(json.dumps(live["param_groups"]))
    assert restored["state"].keys() == live["state"].keys()
    for index, state in live["state"].items():
        for key, value in state.items():
            torch.testing.assert_close(
                torch.as_tensor(restored["state"][index][key]),
                torch.as_tensor(value),
                rtol=0,
                atol=0,
            )
    # copies that drop the entries no mask reads, or round to float16
    compact = copy_checkpoint(
        checkpoint.path, tmp_path / "c", compact=True, include_optimizer=False
    )
    half = copy_checkpoint(
        checkpoint.path, tmp_path / "h", half=True, include_optimizer=False
    )
    # the trainer keeps the unread entries at zero: dropping them is exact
    _assert_same_model(load_checkpoint(compact).model, model)
    rounded = load_checkpoint(half).model
    for p, q in zip(rounded.parameters(), model.parameters(), strict=True):
        assert p.dtype == torch.float32
        torch.testing.assert_close(p, q.half().float(), rtol=0, atol=0)
    x, y = _batch(model)
    with torch.no_grad():
        torch.testing.assert_close(
            rounded.log_prob(x, y), model.log_prob(x, y), rtol=0, atol=0.05
        )


def test_order_agnostic_made_saved_mid_mask_loads_as_it_evaluates(tmp_path):
    """Without validation the run is saved while a later mask is active.

    Leaving training mode returns to mask 0, so the model the trainer hands
    back, and what a load of its file gives, are the same model: the one
    the config (and the recorded ordering) describes.
    """
    model = tiny_model("made", SHAPE, **ORDER_AGNOSTIC).train()
    active = []
    trainer = Trainer(
        model,
        _images(64, 1),
        None,
        TrainConfig(epochs=1, batch_size=8, max_batches_per_epoch=5, num_samples=0),
        checkpoint=tmp_path / "run",
        on_event=lambda e: (
            active.append(model.mask_index) if isinstance(e, CheckpointSaved) else None
        ),
    )
    assert trainer.run().status == "finished"
    assert active == [4 % 3]  # saved with mask 1 active
    assert model.mask_index == 0
    loaded = load_checkpoint(tmp_path / "run").model
    _assert_same_model(loaded, model)
    model.train()
    model.set_mask(1)  # another mask is another model
    x, _ = _batch(model)
    with torch.no_grad():
        assert not torch.allclose(model.log_prob(x), loaded.log_prob(x))


def test_a_made_whose_stored_masks_differ_from_its_config_is_refused(tmp_path):
    model = tiny_model("made", SHAPE, **ORDER_AGNOSTIC)
    path = save_checkpoint(tmp_path / "m", model)
    with safe_open(str(path), framework="pt") as handle:
        metadata = handle.metadata()
        tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    tensors["orderings"] = tensors["orderings"][[0, 2, 1]].contiguous()  # swapped
    save_file(tensors, str(path), metadata=metadata)
    with pytest.raises(ARExplorerError, match=r"stored MADE masks \(orderings\)"):
        load_checkpoint(path)


def test_every_kind_is_covered():
    assert {kind_of(name) for name, _ in CASES} == set(available())
