"""Data augmentation: what it does to digits, its draws, its record, its CLI."""

import json
import math
import zlib

import numpy as np
import pytest
import torch

from models.checkpoint import load_checkpoint
from models.cli import main
from models.data import Augmentation, Binarization, load_split, recorded_augmentation
from models.data.augment import ELASTIC_SIGMA, elastic_field
from models.data.loaders import ImageSet
from models.errors import ConfigError
from models.registry import create
from models.trainer import CheckpointSaved, TrainConfig, TrainControl, Trainer

OFF = Augmentation(shift=0, rotate_deg=0, scale=0, shear_deg=0, thickness=0)


@pytest.fixture(scope="module")
def digits():
    return load_split("mnist-5k", "train").subset(slice(0, 64))


def _params(count, **values):
    """(count, 6) parameters with the named columns set (others 0)."""
    columns = ["shift_r", "shift_c", "angle", "shear", "log_scale", "thick"]
    params = torch.zeros(count, 6, dtype=torch.float64)
    for name, value in values.items():
        params[:, columns.index(name)] = value
    return params


def _bar():
    """A 1-pixel vertical bar through the centre of a 9×9 image."""
    image = torch.zeros(1, 1, 9, 9, dtype=torch.float64)
    image[0, 0, 2:7, 4] = 1.0
    return image


def test_the_default_recipe_keeps_shapes_labels_and_range(digits):
    out = Augmentation().apply(digits, epoch=0)
    assert out.images.shape == digits.images.shape and out.images.dtype == np.uint8
    assert out.levels == 256 and out.name == digits.name
    assert out.labels is digits.labels
    assert not np.array_equal(out.images, digits.images)
    ink_before = (digits.intensities() > 0.5).sum((1, 2))
    ink_after = (out.intensities() > 0.5).sum((1, 2))
    # jitter, not destruction: every digit keeps most of its ink, within 2×
    assert np.all(ink_after > 0.4 * ink_before) and np.all(ink_after < 2.5 * ink_before)


def test_off_is_the_identity(digits):
    assert OFF.is_identity and not Augmentation().is_identity
    assert OFF.apply(digits, epoch=3) is digits
    same = Augmentation.transform(
        torch.from_numpy(digits.intensities()[:, None]), _params(64)
    )
    assert torch.allclose(same[:, 0], torch.from_numpy(digits.intensities()), atol=1e-5)


def test_each_part_moves_the_ink_as_named():
    bar = _bar()
    right = Augmentation.transform(bar, _params(1, shift_c=2.0))
    assert torch.equal(right[0, 0, 2:7, 6], torch.ones(5))  # two pixels right
    down = Augmentation.transform(bar, _params(1, shift_r=1.0))
    assert torch.equal(down[0, 0, 3:8, 4], torch.ones(5))
    turned = Augmentation.transform(bar, _params(1, angle=math.pi / 2))
    assert torch.allclose(turned[0, 0, 4, 2:7], torch.ones(5, dtype=torch.float64))
    thicker = Augmentation.transform(bar, _params(1, thick=1.0))
    assert thicker[0, 0, 4, 3:6].tolist() == [1.0, 1.0, 1.0]  # 3 pixels wide
    thinner = Augmentation.transform(thicker, _params(1, thick=-1.0))
    assert torch.equal(thinner, bar.expand_as(thinner) * 0 + thinner)  # shape kept
    assert thinner[0, 0, 4].tolist() == bar[0, 0, 4].tolist()  # back to 1 wide
    bigger = Augmentation.transform(bar, _params(1, log_scale=math.log(1.4)))
    assert (bigger[0, 0] > 0.5).sum() > (bar[0, 0] > 0.5).sum()


def test_draws_are_seeded_by_seed_epoch_and_data(digits):
    a = Augmentation(seed=1)
    first = a.apply(digits, epoch=2).images
    assert np.array_equal(first, Augmentation(seed=1).apply(digits, epoch=2).images)
    assert not np.array_equal(first, a.apply(digits, epoch=3).images)
    assert not np.array_equal(first, Augmentation(seed=2).apply(digits, epoch=2).images)
    renamed = ImageSet(digits.images, digits.labels, digits.levels, "other/train")
    assert not np.array_equal(first, a.apply(renamed, epoch=2).images)


def test_drawn_parameters_stay_within_the_recipe():
    recipe = Augmentation(
        shift=1.5, rotate_deg=10, scale=0.2, shear_deg=5, thickness=0.3
    )
    params = recipe.draw(np.random.default_rng(0), 5000)
    limits = [1.5, 1.5, math.radians(10), math.radians(5), None, 0.3]
    for column, limit in enumerate(limits):
        if limit is not None:
            assert np.abs(params[:, column]).max() <= limit
            assert np.abs(params[:, column]).max() > 0.9 * limit  # the range is used
    factors = np.exp(params[:, 4])
    assert factors.min() >= 0.8 - 1e-12 and factors.max() <= 1.2 + 1e-12


def test_elastic_fields_have_the_asked_length_and_are_smooth():
    strengths = np.array([0.5, 1.0, 3.0])
    field = elastic_field(np.random.default_rng(0), strengths, 28, 28)
    assert field.shape == (3, 28, 28, 2)
    pixels = field * 14.0  # normalised units → pixels (the image spans 2 = 28 px)
    rms = pixels.square().sum(-1).mean((1, 2)).sqrt()
    assert torch.allclose(rms, torch.tensor(strengths, dtype=torch.float32), rtol=1e-5)
    # blurred at σ = 4 px, a neighbour moves almost as a pixel does: the step
    # between them is about 0.18 of the length (independent white noise: 1.41)
    step = (pixels[:, 1:] - pixels[:, :-1]).square().sum(-1).mean((1, 2)).sqrt()
    assert ELASTIC_SIGMA == 4.0 and torch.all(step < 0.3 * rms)


def test_elastic_warps_the_ink_and_leaves_the_affine_draws_as_they_were(digits):
    affine = Augmentation(seed=3)
    wobbly = Augmentation(seed=3, elastic=2.0)
    assert not Augmentation(**(OFF.to_dict() | {"elastic": 1.0})).is_identity
    plain, warped = affine.apply(digits, epoch=1), wobbly.apply(digits, epoch=1)
    assert np.array_equal(warped.images, wobbly.apply(digits, epoch=1).images)
    changed = (plain.images != warped.images).any((1, 2))
    assert changed.mean() > 0.9  # strengths are drawn in [0, 2]: nearly all move
    ink_before = (plain.images > 127).sum((1, 2))
    ink_after = (warped.images > 127).sum((1, 2))
    assert np.all(ink_after > 0.5 * ink_before) and np.all(ink_after < 2 * ink_before)
    # elastic = 0 draws nothing more: the affine parameters come first from
    # the same stream, so a recipe without elastic is unchanged by its arrival
    key = [3, zlib.crc32(digits.name.encode()), 1]
    params = affine.draw(np.random.default_rng(key), len(digits))
    x = torch.from_numpy(digits.images).float().unsqueeze(1) / 255
    by_hand = Augmentation.transform(x, torch.from_numpy(params))
    expected = (by_hand[:, 0] * 255).round().to(torch.uint8).numpy()
    assert np.array_equal(plain.images, expected)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"shift": -1.0}, "shift must be a number in [0, 8]"),
        ({"rotate_deg": 120.0}, "rotate_deg must be a number in [0, 90]"),
        ({"scale": float("nan")}, "scale must be a number"),
        ({"thickness": 1.5}, "thickness must be a number in [0, 1]"),
        ({"elastic": 5.0}, "elastic must be a number in [0, 4]"),
        ({"seed": -2}, "seed must be ≥ 0"),
        ({"seed": 1.5}, "seed must be an integer"),
    ],
)
def test_bad_settings_are_named(settings, message):
    with pytest.raises(
        ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")
    ):
        Augmentation(**settings)


def test_record_round_trip_and_parsing():
    recipe = Augmentation(shift=1.0, rotate_deg=5.0, thickness=0.2, seed=7)
    assert Augmentation.from_dict(json.loads(json.dumps(recipe.to_dict()))) == recipe
    assert Augmentation.parse("default") == Augmentation()
    assert Augmentation.parse("default", seed=3) == Augmentation(seed=3)
    assert Augmentation.parse("rotate_deg=5, shift=1", seed=3) == Augmentation(
        rotate_deg=5, shift=1, seed=3
    )
    assert Augmentation.parse("elastic=2") == Augmentation(elastic=2.0)
    # a record from before the elastic part reads as none of it
    older = {k: v for k, v in Augmentation().to_dict().items() if k != "elastic"}
    assert Augmentation.from_dict(older).elastic == 0.0
    with pytest.raises(ConfigError, match="unknown augmentation setting rotation"):
        Augmentation.parse("rotation=5")
    with pytest.raises(ConfigError, match="look like"):
        Augmentation.parse("rotate_deg")
    with pytest.raises(ConfigError, match="must be a number, got 'big'"):
        Augmentation.parse("scale=big")


def _trainer(digits, tmp_path, augmentation, control=None):
    torch.manual_seed(0)
    model = create("nade", (28, 28), hidden=16)
    return Trainer(
        model,
        digits,
        None,
        TrainConfig(epochs=2, batch_size=32, num_samples=0, keep_best=False),
        binarization=Binarization(),
        augmentation=augmentation,
        checkpoint=tmp_path / "run",
        control=control,
    )


def test_training_records_the_recipe_and_resumes_exactly(digits, tmp_path):
    recipe = Augmentation(seed=4)
    straight = _trainer(digits, tmp_path / "a", recipe)
    straight.run()
    assert (
        recorded_augmentation(load_checkpoint(tmp_path / "a" / "run").metadata)
        == recipe
    )

    control = TrainControl()
    first = _trainer(digits, tmp_path / "b", recipe, control)
    first.on_event = lambda e: (
        control.stop() if isinstance(e, CheckpointSaved) else None
    )
    assert first.run().status == "cancelled"
    checkpoint = load_checkpoint(tmp_path / "b" / "run")
    again = recorded_augmentation(checkpoint.metadata)
    resumed = _trainer(digits, tmp_path / "b", again)
    resumed.model.load_state_dict(checkpoint.model.state_dict())
    resumed.resume_from(checkpoint)
    assert resumed.run().status == "finished"
    for a, b in zip(
        straight.model.parameters(), resumed.model.parameters(), strict=True
    ):
        assert torch.equal(a, b)


def test_augmented_training_differs_from_plain_and_off_records_none(digits, tmp_path):
    plain = _trainer(digits, tmp_path / "p", None)
    plain.run()
    off = _trainer(digits, tmp_path / "o", OFF)
    off.run()
    jittered = _trainer(digits, tmp_path / "j", Augmentation())
    jittered.run()
    params = [list(t.model.parameters()) for t in (plain, off, jittered)]
    assert all(torch.equal(a, b) for a, b in zip(params[0], params[1], strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(params[0], params[2], strict=True))
    assert (
        recorded_augmentation(load_checkpoint(tmp_path / "o" / "run").metadata) is None
    )


def _cli(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_augment_flag_records_resumes_and_turns_off(capsys, tmp_path):
    common = ["--kind", "nade", "--set", "hidden=8", "--max-batches", "1"]
    common += ["--out", str(tmp_path), "--samples", "0"]
    status, _, _ = _cli(
        capsys, "train", *common, "--name", "a", "--epochs", "1", "--seed", "3",
        "--augment", "rotate_deg=5,thickness=0.2",
    )  # fmt: skip
    assert status == 0
    expected = Augmentation(rotate_deg=5, thickness=0.2, seed=3)
    assert recorded_augmentation(load_checkpoint(tmp_path / "a").metadata) == expected
    run = str(tmp_path / "a")
    assert _cli(capsys, "train", "--resume", run, "--epochs", "2")[0] == 0
    assert recorded_augmentation(load_checkpoint(tmp_path / "a").metadata) == expected
    status, _, _ = _cli(
        capsys, "train", "--resume", run, "--epochs", "3", "--augment", "off"
    )
    assert status == 0
    assert recorded_augmentation(load_checkpoint(tmp_path / "a").metadata) is None
    status, _, _ = _cli(
        capsys, "train", *common, "--name", "d", "--epochs", "1", "--augment"
    )
    assert status == 0
    assert (
        recorded_augmentation(load_checkpoint(tmp_path / "d").metadata)
        == Augmentation()
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "rotate_deg=200",
            "augmentation rotate_deg must be a number in [0, 90], got 200.0",
        ),
        ("spin=3", "unknown augmentation setting spin"),
        ("thickness=thick", "augmentation thickness must be a number, got 'thick'"),
    ],
)
def test_cli_bad_augment_values_are_one_line(capsys, tmp_path, value, message):
    status, out, err = _cli(
        capsys, "train", "--epochs", "1", "--out", str(tmp_path), "--augment", value
    )
    assert status == 2 and out == ""
    assert (
        err.count("\n") == 1 and message in err and err.startswith("ar-models: error")
    )
