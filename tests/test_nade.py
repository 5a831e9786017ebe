"""NADE with every pixel likelihood it supports: Bernoulli, K-way categorical and
RNADE's mixture of Gaussians.

Each likelihood is checked against a slow reference written here (one hidden
state per pixel, summed from scratch), for its exact log-likelihood, its
gradients through the blocked teacher-forced pass, its causality on gray inputs,
its sampler and its parameter count.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from models import counting, nade
from models.base import measured_dependency
from models.checkpoint import load_checkpoint, save_checkpoint
from models.errors import ConfigError
from models.nade import NADE
from models.registry import create
from tests.conftest import randomize

#: (likelihood, its settings, outputs per pixel).
LIKELIHOODS: list[tuple[str, dict[str, Any], int]] = [
    ("bernoulli", {}, 1),
    ("categorical", {"levels": 3}, 3),
    ("categorical", {"levels": 4}, 4),
    ("gaussian_mixture", {"components": 2}, 6),
]
IDS = [f"{name}-{channels}" for name, _, channels in LIKELIHOODS]


def make(
    likelihood: str,
    settings: dict[str, Any],
    shape: tuple[int, int] = (2, 3),
    seed: int = 0,
    **overrides: Any,
) -> NADE:
    model = nade_model(shape, likelihood=likelihood, **settings, **overrides)
    randomize(model, seed)
    return model


def nade_model(shape: tuple[int, int], **settings: Any) -> NADE:
    model = create("nade", shape, **{"hidden": 5, **settings})
    assert isinstance(model, NADE)
    return model


def images(model: NADE, batch: int, seed: int) -> torch.Tensor:
    """Images of the model's kind: K levels, or any value in [0, 1]."""
    gen = torch.Generator().manual_seed(seed)
    shape = (batch, 1, *model.image_shape)
    lik = model.likelihood
    if lik.discrete:
        k = torch.randint(0, lik.levels, shape, generator=gen)
        return k.float() / (lik.levels - 1)
    return torch.rand(shape, generator=gen)


def reference_params(model: NADE, x: torch.Tensor, y: torch.Tensor | None) -> Any:
    """Every pixel's parameters ``(B, C, N)``, one hidden state per pixel.

    a_i = c (+ class term) + Σ_{j before i} W[:, j] x_j, summed from scratch for
    each pixel; its outputs V[i] σ(a_i) + b[i] (+ class term).
    """
    batch, n = x.shape[0], model.num_pixels
    channels = model.likelihood.channels
    flat = x.flatten(1).double()  # (B, N)
    w_in = model.weight_in.double()  # (H, N)
    w_out = model.weight_out.double().reshape(n, channels, -1)  # (N, C, H)
    b_out = model.bias_out.double().reshape(n, channels)  # (N, C)
    rank = model.rank
    out = torch.empty(batch, channels, n, dtype=torch.float64)
    for i in range(n):
        before = (rank < rank[i]).double()  # (N,)
        pre = model.bias_hidden.double() + (flat * before) @ w_in.t()  # (B, H)
        if y is not None:
            pre = pre + model.class_hidden.double()[y]
        params = torch.sigmoid(pre) @ w_out[i].t() + b_out[i]  # (B, C)
        if y is not None:
            params = params + model.class_out.double().reshape(-1, n, channels)[y, i]
        out[:, :, i] = params
    return out


@pytest.mark.parametrize(("likelihood", "settings", "channels"), LIKELIHOODS, ids=IDS)
@pytest.mark.parametrize("classes", [0, 3])
@pytest.mark.parametrize("ordering", ["raster", "random"])
def test_log_prob_is_the_sum_of_separately_computed_conditionals(
    likelihood, settings, channels, classes, ordering
):
    model = make(likelihood, settings, num_classes=classes, ordering=ordering)
    assert model.output_channels == channels
    x = images(model, 6, seed=1)
    y = torch.arange(6) % 3 if classes else None
    expected = reference_params(model, x, y)  # (B, C, N)
    with torch.no_grad():
        params = model(x, y)
    assert params.shape == (6, channels, 2, 3)
    torch.testing.assert_close(params.flatten(2).double(), expected, atol=1e-5, rtol=0)
    log_p = model.likelihood.log_prob(expected.transpose(1, 2), x.flatten(1).double())
    torch.testing.assert_close(
        model.log_prob(x, y).detach().double(), log_p.sum(1), atol=1e-4, rtol=0
    )


@pytest.mark.parametrize(("likelihood", "settings", "channels"), LIKELIHOODS, ids=IDS)
def test_blocked_gradients_equal_those_of_the_plain_computation(
    likelihood, settings, channels, monkeypatch
):
    # 5×5 pixels in blocks of 16: the backward pass carries across a block edge
    monkeypatch.setattr(nade, "_SLAB_BYTES", 1)
    model = make(likelihood, settings, shape=(5, 5), num_classes=2, ordering="random")
    x = images(model, 3, seed=2).requires_grad_(True)
    y = torch.tensor([0, 1, 1])
    weights = torch.randn(3, channels, 5, 5, generator=torch.Generator().manual_seed(4))
    fast = torch.autograd.grad(
        (model(x, y) * weights).sum(), [x, *model.parameters()], allow_unused=True
    )
    plain = torch.autograd.grad(
        (reference_params(model, x, y).view(3, channels, 5, 5) * weights).sum(),
        [x, *model.parameters()],
        allow_unused=True,
    )
    for name, a, b in zip(
        ["x", *(n for n, _ in model.named_parameters())], fast, plain, strict=True
    ):
        assert a is not None and b is not None, name
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4, msg=name)


@pytest.mark.parametrize(("likelihood", "settings", "channels"), LIKELIHOODS, ids=IDS)
@pytest.mark.parametrize("ordering", ["raster", "random", "spiral"])
def test_no_output_depends_on_a_pixel_at_or_after_it_on_gray_inputs(
    likelihood, settings, channels, ordering
):
    model = make(likelihood, settings, shape=(3, 4), ordering=ordering)
    gray = torch.rand(1, 1, 3, 4, generator=torch.Generator().manual_seed(5))
    gray = gray * 0.8 + 0.1  # strictly inside (0, 1): not a binary image
    assert torch.equal(measured_dependency(model, gray), model.dependency_mask())
    y = torch.tensor([1])
    conditional = make(
        likelihood, settings, shape=(3, 4), ordering=ordering, num_classes=2
    )
    assert torch.equal(
        measured_dependency(conditional, gray, y), conditional.dependency_mask()
    )


@pytest.mark.parametrize(("likelihood", "settings", "channels"), LIKELIHOODS, ids=IDS)
@pytest.mark.parametrize("classes", [0, 2])
def test_fast_sampler_draws_what_the_naive_one_draws(
    likelihood, settings, channels, classes
):
    model = make(likelihood, settings, shape=(3, 4), num_classes=classes)
    gen = torch.Generator().manual_seed(3)
    given = torch.randint(0, 2, (16, 1, 3, 4), generator=gen).float()
    mask = torch.rand(16, 1, 3, 4, generator=gen) < 0.3
    kwargs: dict[str, Any] = {"seed": 5, "given": given, "given_mask": mask}
    if classes:
        kwargs["y"] = torch.arange(16) % classes
    fast = list(model.sample_steps(16, **kwargs))
    naive = list(model.sample_steps(16, naive=True, **kwargs))
    assert len(fast) == len(naive) == 12
    for f, n in zip(fast, naive, strict=True):
        assert torch.equal(f.pixels, n.pixels)
        assert f.params.shape == n.params.shape == (16, channels)
        torch.testing.assert_close(f.params, n.params, atol=1e-5, rtol=0)
        if model.likelihood.discrete:
            assert torch.equal(f.values, n.values)
        else:  # the same uniforms through parameters equal to rounding
            torch.testing.assert_close(f.values, n.values, atol=1e-5, rtol=0)
    final = fast[-1].images
    assert torch.equal(final[mask], given[mask])  # given pixels are kept
    assert not torch.equal(final[~mask], given[~mask])
    levels = model.likelihood.levels
    if model.likelihood.discrete:  # every value is one of the K levels
        k = final * (levels - 1)
        assert torch.equal(k, k.round())
    else:
        assert ((final >= 0) & (final <= 1)).all()
        assert not torch.equal(final * (levels - 1), (final * (levels - 1)).round())


@pytest.mark.parametrize(("likelihood", "settings", "channels"), LIKELIHOODS, ids=IDS)
@pytest.mark.parametrize("classes", [0, 4])
def test_parameter_count_is_the_closed_form(likelihood, settings, channels, classes):
    model = make(likelihood, settings, shape=(3, 4), num_classes=classes)
    n, hidden = 12, 5
    expected = (
        2 * n * hidden + n + hidden
        if channels == 1
        else ((1 + channels) * n * hidden + channels * n + hidden)
    )
    expected += classes * (hidden + channels * n)
    assert model.num_parameters() == expected
    assert model.parameter_count(model.config).value == expected
    assert counting.nade(n, hidden, classes, channels).value == expected


def test_the_bernoulli_layout_is_the_one_checkpoints_hold():
    model = make("bernoulli", {}, shape=(3, 4), num_classes=2)
    shapes = {name: tuple(p.shape) for name, p in model.named_parameters()}
    assert shapes == {
        "weight_in": (5, 12),
        "bias_hidden": (5,),
        "weight_out": (12, 5),
        "bias_out": (12,),
        "class_hidden": (2, 5),
        "class_out": (2, 12),
    }
    rnade = make("gaussian_mixture", {"components": 3}, shape=(3, 4), num_classes=2)
    assert rnade.weight_out.shape == (12, 9, 5)
    assert rnade.bias_out.shape == (12, 9)
    assert rnade.class_out.shape == (2, 12, 9)


def test_the_formula_names_the_outputs_per_pixel():
    count = counting.nade(784, 500, 0, 30)
    assert count.value == 31 * 784 * 500 + 30 * 784 + 500
    assert "P" in count.formula and "31·784·500" in count.substituted
    with pytest.raises(ConfigError, match="outputs per pixel"):
        counting.nade(784, 500, 0, 0)


def test_mixture_and_softmax_nades_are_normalised():
    # K = 3 on 1×3: the 27 images' probabilities sum to 1
    model = make("categorical", {"levels": 3}, shape=(1, 3), num_classes=2)
    grid = torch.cartesian_prod(*[torch.arange(3)] * 3).float() / 2
    x = grid.view(27, 1, 1, 3)
    for label in (0, 1):
        with torch.no_grad():
            total = model.log_prob(x, torch.full((27,), label)).exp().sum()
        assert total.item() == pytest.approx(1.0, abs=1e-5)
    # RNADE on 1×2: the density integrates to 1 over [0, 1]² (midpoint rule)
    rnade = make("gaussian_mixture", {"components": 2}, shape=(1, 2))
    side = 400
    mid = (torch.arange(side, dtype=torch.float64) + 0.5) / side
    pairs = torch.cartesian_prod(mid, mid).float().view(-1, 1, 1, 2)
    with torch.no_grad():
        density = rnade.log_prob(pairs).double().exp()
    assert (density.sum() / side**2).item() == pytest.approx(1.0, abs=2e-3)


def test_rnade_trains_on_gray_images():
    model = make("gaussian_mixture", {"components": 3}, shape=(2, 2))
    x = images(model, 32, seed=6) * 0.3 + 0.6  # bright images
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    before = -model.log_prob(x).mean().item()
    for _ in range(60):
        optimizer.zero_grad()
        (-model.log_prob(x).mean()).backward()
        optimizer.step()
    assert -model.log_prob(x).mean().item() < before - 1.0


def test_unsupported_likelihood_is_named():
    with pytest.raises(
        ConfigError, match="likelihood 'logistic_mixture' is not available"
    ):
        nade_model((2, 2), likelihood="logistic_mixture")


@pytest.mark.parametrize(("likelihood", "settings", "channels"), LIKELIHOODS, ids=IDS)
def test_a_saved_model_scores_the_same_when_loaded(
    likelihood, settings, channels, tmp_path
):
    model = make(likelihood, settings, num_classes=2)
    x = images(model, 4, seed=7)
    y = torch.tensor([0, 1, 0, 1])
    save_checkpoint(tmp_path / "m", model)
    loaded = load_checkpoint(tmp_path / "m").model
    assert loaded.config.likelihood == likelihood
    assert loaded.output_channels == channels
    with torch.no_grad():
        assert torch.equal(loaded.log_prob(x, y), model.log_prob(x, y))
