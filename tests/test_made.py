"""MADE with every pixel likelihood it supports: K gray levels and MADE MoG.

The output layer gives C parameters per pixel, each masked as its pixel is; the
checks here are the autoregressive property on gray inputs (per channel, for
every mask), the fast samplers against the naive one, the closed-form count,
normalisation on tiny shapes, and compact checkpoints.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import torch

from models.base import ARModel
from models.checkpoint import copy_checkpoint, load_checkpoint, save_checkpoint
from models.errors import ConfigError
from models.made import MADE, MADEConfig
from models.registry import create
from tests.conftest import randomize

LIKELIHOODS: dict[str, dict[str, Any]] = {
    "bernoulli": {},
    "categorical": {"levels": 3},
    "gaussian_mixture": {"components": 2, "levels": 4},
}
STRUCTURES: dict[str, dict[str, Any]] = {
    "two-layers": {"hidden_sizes": (13, 11)},
    # the O(C·H) sampler, with the direct input → output term
    "one-layer-direct": {"hidden_sizes": (19,), "direct": True},
    "ensemble": {
        "hidden_sizes": (17,),
        "num_masks": 3,
        "order_agnostic": True,
        "ensemble": True,
        "direct": True,
    },
}
CASES = list(itertools.product(LIKELIHOODS, STRUCTURES))


def made(
    likelihood: str,
    structure: str,
    shape: tuple[int, int] = (2, 3),
    seed: int = 0,
    **overrides: Any,
) -> MADE:
    settings = {**LIKELIHOODS[likelihood], **STRUCTURES[structure], **overrides}
    model = randomize(create("made", shape, likelihood=likelihood, **settings), seed)
    assert isinstance(model, MADE)
    return model


def gray_images(model: ARModel, count: int, seed: int) -> torch.Tensor:
    """Random images of the model's levels (uniform values when continuous)."""
    gen = torch.Generator().manual_seed(seed)
    shape = (count, 1, *model.image_shape)
    levels = model.likelihood.levels
    if model.likelihood.discrete:
        return torch.randint(0, levels, shape, generator=gen).float() / (levels - 1)
    return torch.rand(shape, generator=gen)


def jacobian_support(model: ARModel, x: torch.Tensor, y: torch.Tensor | None):
    """``(C, N, N)``: where ∂ params[c, i] / ∂ x_j ≠ 0 at one image ``x``."""
    n, c = model.num_pixels, model.output_channels
    jac = torch.autograd.functional.jacobian(lambda v: model(v, y), x)
    return jac.reshape(c, n, n) != 0


@pytest.mark.parametrize("classes", [0, 2])
@pytest.mark.parametrize(("likelihood", "structure"), CASES)
def test_every_channel_sees_exactly_its_pixels_past_under_every_mask(
    likelihood, structure, classes
):
    model = made(likelihood, structure, num_classes=classes)
    y = torch.tensor([1]) if classes else None
    assert model.output_channels == model.likelihood.channels
    images = gray_images(model, 6, seed=1)
    if model.likelihood.discrete and model.likelihood.levels > 2:
        assert ((images > 0) & (images < 1)).any()  # really gray inputs
    live = made(likelihood, structure, num_classes=classes)
    with torch.no_grad():  # positive hidden weights: every ReLU on, every path live
        for name, p in live.named_parameters():
            if name.startswith(("hidden_layers", "class_hidden")):
                p.abs_()
    for mask in range(model.num_masks):
        model.set_mask(mask)
        live.set_mask(mask)
        rank = model.mask_rank
        past = rank.unsqueeze(1) > rank.unsqueeze(0)  # [i, j]: j before i
        declared = model.dependency_mask()
        assert not (declared & ~past).any()
        assert declared.sum() >= model.num_pixels - 1  # the check can fail
        for x in images:
            support = jacobian_support(model, x.unsqueeze(0), y)  # (C, N, N)
            assert not (support & ~declared).any(), "a gradient leaks past the mask"
            # each channel of a pixel reads that pixel's whole past, no more
            assert (jacobian_support(live, x.unsqueeze(0), y) == declared).all()


@pytest.mark.parametrize("classes", [0, 2])
@pytest.mark.parametrize(("likelihood", "structure"), CASES)
def test_fast_sampler_draws_what_the_naive_one_draws(likelihood, structure, classes):
    model = made(likelihood, structure, (3, 3), num_classes=classes)
    gen = torch.Generator().manual_seed(3)
    batch = 24
    given = torch.randint(0, 2, (batch, 1, 3, 3), generator=gen).float()
    given_mask = torch.rand(batch, 1, 3, 3, generator=gen) < 0.3
    labels = torch.arange(batch) % 2 if classes else None
    kwargs = {"seed": 5, "given": given, "given_mask": given_mask, "y": labels}
    fast = list(model.sample_steps(batch, **kwargs))
    naive = list(model.sample_steps(batch, naive=True, **kwargs))
    assert len(fast) == len(naive) == 9
    continuous = not model.likelihood.discrete
    for f, n in zip(fast, naive, strict=True):
        assert torch.equal(f.pixels, n.pixels)
        assert f.params.shape == (batch, model.output_channels)
        assert torch.allclose(f.params, n.params, atol=1e-5)
        if continuous:  # the same draw, up to float rounding of the parameters
            assert torch.allclose(f.values, n.values, atol=1e-5)
        else:
            assert torch.equal(f.values, n.values)
    images = fast[-1].images
    assert torch.equal(images[given_mask], given[given_mask])
    if model.likelihood.discrete:
        levels = model.likelihood.levels
        steps = images * (levels - 1)
        assert torch.equal(steps, steps.round())  # every pixel one of the levels
    else:
        assert not torch.equal(images, images.round())  # gray values drawn
    if model.num_masks > 1:  # images follow different masks' orderings
        assert any(len(set(s.pixels.tolist())) > 1 for s in fast)


@pytest.mark.parametrize("classes", [0, 3])
@pytest.mark.parametrize(("likelihood", "structure"), CASES)
def test_the_closed_form_count_is_numel(likelihood, structure, classes):
    settings = {**LIKELIHOODS[likelihood], **STRUCTURES[structure]}
    config = MADEConfig(
        image_shape=(3, 2), likelihood=likelihood, num_classes=classes, **settings
    )
    model = MADE(config)
    count = MADE.parameter_count(config)
    assert count.value == model.num_parameters()
    per_pixel = model.likelihood.channels
    assert model.output_layer.weight.shape == (
        per_pixel * 6,
        settings["hidden_sizes"][-1],
    )
    if likelihood != "bernoulli":
        assert "Pn" in count.formula


def test_a_categorical_made_counts_k_outputs_per_pixel():
    # n = 4, H = 5, K = 3, direct, 2 classes, worked out by hand:
    # 4·5 + 5 (hidden) + 5·12 + 12 (output) + 12·4 (direct) + 2·(5 + 12)
    config = MADEConfig(
        image_shape=(2, 2),
        hidden_sizes=(5,),
        direct=True,
        num_classes=2,
        likelihood="categorical",
        levels=3,
    )
    assert MADE.parameter_count(config).value == 25 + 72 + 48 + 34


def test_binary_made_keeps_its_layers():
    """A Bernoulli MADE has the tensors every stored MADE checkpoint holds."""
    model = made("bernoulli", "one-layer-direct", (2, 3), num_classes=2)
    shapes = {name: tuple(t.shape) for name, t in model.state_dict().items()}
    assert shapes["output_layer.weight"] == (6, 19)
    assert shapes["output_layer.bias"] == (6,)
    assert shapes["direct_layer.weight"] == (6, 6)
    assert shapes["class_out"] == (2, 6)


def _all_images(levels: int, shape: tuple[int, int]) -> torch.Tensor:
    n = shape[0] * shape[1]
    grid = torch.tensor(list(itertools.product(range(levels), repeat=n)))
    return (grid.float() / (levels - 1)).view(-1, 1, *shape)


@pytest.mark.parametrize("structure", list(STRUCTURES))
def test_k_level_probabilities_sum_to_one(structure):
    model = made("categorical", structure, (2, 2), num_classes=2)
    images = _all_images(3, (2, 2))  # all 3⁴ images
    with torch.no_grad():
        for label in range(2):
            y = torch.full((images.shape[0],), label)
            total = model.log_prob(images, y).exp().sum()
            assert total.item() == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("structure", list(STRUCTURES))
def test_the_mixture_of_gaussians_density_integrates_to_one(structure):
    model = made("gaussian_mixture", structure, (1, 2))
    with torch.no_grad():  # moderate parameters keep the density smooth
        for p in model.parameters():
            p.mul_(0.5)
    points = 400
    t = (torch.arange(points) + 0.5) / points  # midpoints of [0, 1]
    grid = torch.cartesian_prod(t, t).view(-1, 1, 1, 2)
    with torch.no_grad():
        integral = model.log_prob(grid).exp().mean()
    assert integral.item() == pytest.approx(1.0, abs=2e-3)


@pytest.mark.parametrize(("likelihood", "structure"), CASES)
def test_the_ensemble_is_the_mixture_of_its_masks(likelihood, structure):
    model = made(likelihood, structure, (2, 2))
    x = gray_images(model, 5, seed=2)
    with torch.no_grad():
        per_mask = []
        for mask in range(model.num_masks):
            model.set_mask(mask)
            per_mask.append(model.likelihood.log_prob(model(x).movedim(1, -1), x[:, 0]))
        model.set_mask(0)
        joint = torch.stack([p.flatten(1).sum(1) for p in per_mask], 1)  # (B, M)
        want = torch.logsumexp(joint, 1) - torch.log(torch.tensor(model.num_masks))
        got = model.log_prob(x)
    if model.config.ensemble:
        assert torch.allclose(got, want, atol=1e-5)
    else:
        assert torch.allclose(got, joint[:, 0], atol=1e-5)


@pytest.mark.parametrize(("likelihood", "structure"), CASES)
def test_training_cycles_masks_and_touches_only_used_weights(likelihood, structure):
    model = made(likelihood, structure, (2, 2))
    model.train()
    used = model.used_entries()
    assert "output_layer.weight" in used
    x = gray_images(model, 8, seed=3)
    seen = set()
    for step in range(model.num_masks):
        model.before_train_step(step)
        seen.add(tuple(model.mask_ordering.tolist()))
        model.zero_grad()
        loss = model.training_nll(x).mean()
        assert torch.isfinite(loss)
        loss.backward()
        for name, mask in used.items():
            grad = model.get_parameter(name).grad
            assert grad is not None
            assert not grad[~mask].any(), name  # unused entries stay untouched
    assert len(seen) == model.num_masks if model.config.order_agnostic else 1
    model.eval()
    assert model.mask_index == 0


@pytest.mark.parametrize("likelihood", list(LIKELIHOODS))
def test_compact_and_half_copies_keep_the_model(tmp_path, likelihood):
    model = made(likelihood, "ensemble", (3, 3), num_classes=2)
    x = gray_images(model, 6, seed=4)
    y = torch.arange(6) % 2
    source = save_checkpoint(tmp_path / "m", model)
    compact = copy_checkpoint(
        source, tmp_path / "c", compact=True, include_optimizer=False
    )
    half = copy_checkpoint(
        source, tmp_path / "h", compact=True, half=True, include_optimizer=False
    )
    with torch.no_grad():
        want = model.log_prob(x, y)
        exact = load_checkpoint(compact).model
        rounded = load_checkpoint(half).model
        assert exact.config == model.config
        assert exact.likelihood.to_dict() == model.likelihood.to_dict()
        assert torch.equal(exact.log_prob(x, y), want)
        # half precision moves each parameter by a relative 2⁻¹¹ at most
        assert torch.allclose(rounded.log_prob(x, y), want, rtol=0.02, atol=0.05)
    assert torch.equal(exact.sample(4, seed=1, y=1), model.sample(4, seed=1, y=1))


def test_made_refuses_a_likelihood_it_does_not_support():
    with pytest.raises(ConfigError, match="likelihood 'logistic_mixture'"):
        MADEConfig(image_shape=(2, 2), likelihood="logistic_mixture")
