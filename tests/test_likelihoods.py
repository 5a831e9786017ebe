"""Pixel likelihoods: normalised, sampled as they say, refused when malformed."""

import math

import pytest
import torch

from models.errors import ConfigError
from models.likelihoods import LIKELIHOODS, make_likelihood

DISCRETE = [("bernoulli", 2, 1), ("categorical", 5, 1), ("logistic_mixture", 7, 3)]


def _params(likelihood, batch=6, seed=0, spread=2.0):
    generator = torch.Generator().manual_seed(seed)
    return spread * torch.randn(batch, likelihood.channels, generator=generator)


@pytest.mark.parametrize("name, levels, components", DISCRETE)
def test_discrete_masses_sum_to_one_and_match_the_summary(name, levels, components):
    likelihood = make_likelihood(name, levels, components)
    params = _params(likelihood).double()
    values = torch.arange(levels, dtype=torch.float64) / (levels - 1)
    log_p = torch.stack(
        [likelihood.log_prob(params, v.expand(len(params))) for v in values], -1
    )  # (B, K)
    torch.testing.assert_close(log_p.exp().sum(-1), torch.ones(len(params)).double())
    for row, masses in zip(params, log_p.exp(), strict=True):
        summary = likelihood.summary(row)
        assert summary.discrete
        torch.testing.assert_close(torch.from_numpy(summary.probabilities), masses)


@pytest.mark.parametrize("name, levels, components", DISCRETE)
def test_discrete_draws_follow_the_masses(name, levels, components):
    likelihood = make_likelihood(name, levels, components)
    row = _params(likelihood, batch=1, seed=3)[0]
    draws = likelihood.sample(
        row.expand(40_000, -1), 1.0, torch.Generator().manual_seed(1)
    )
    levels_drawn = torch.round(draws * (levels - 1)).long()
    assert torch.allclose(draws, levels_drawn.float() / (levels - 1))  # on the levels
    frequencies = torch.bincount(levels_drawn, minlength=levels).double() / 40_000
    expected = torch.from_numpy(likelihood.summary(row).probabilities)
    # within 5 standard errors of each level's mass
    error = torch.sqrt(expected * (1 - expected) / 40_000) * 5 + 1e-3
    assert torch.all((frequencies - expected).abs() < error)


def test_gaussian_mixture_integrates_to_one_on_the_unit_interval():
    likelihood = make_likelihood("gaussian_mixture", 256, 4)
    params = _params(likelihood, batch=8, seed=2, spread=3.0).double()
    grid = torch.linspace(0, 1, 200_001, dtype=torch.float64)
    for row in params:
        density = likelihood.log_prob(row.expand(len(grid), -1), grid).exp()
        mass = torch.trapezoid(density, grid)
        assert abs(float(mass) - 1) < 1e-6
        summary = likelihood.summary(row)
        assert not summary.discrete
        assert summary.components.shape == (4, len(summary.values))
        assert float(summary.components.sum(0).max()) == pytest.approx(
            float(summary.probabilities.max())
        )


def test_gaussian_mixture_draws_follow_its_distribution():
    likelihood = make_likelihood("gaussian_mixture", 256, 3)
    row = _params(likelihood, batch=1, seed=5)[0].double()
    draws = likelihood.sample(row.expand(20_000, -1), 1.0, torch.Generator())
    assert float(draws.min()) >= 0 and float(draws.max()) <= 1
    grid = torch.linspace(0, 1, 20_001, dtype=torch.float64)
    density = likelihood.log_prob(row.expand(len(grid), -1), grid).exp()
    cdf = torch.cumulative_trapezoid(density, grid)
    cdf = torch.cat([torch.zeros(1, dtype=cdf.dtype), cdf])
    empirical = torch.searchsorted(draws.sort().values, grid).double() / len(draws)
    assert float((empirical - cdf).abs().max()) < 0.02  # Kolmogorov–Smirnov


def test_a_seed_fixes_every_draw():
    for name, levels, components in [*DISCRETE, ("gaussian_mixture", 256, 2)]:
        likelihood = make_likelihood(name, levels, components)
        params = _params(likelihood, batch=50)
        first = likelihood.sample(params, 0.8, torch.Generator().manual_seed(9))
        again = likelihood.sample(params, 0.8, torch.Generator().manual_seed(9))
        assert torch.equal(first, again)


def test_dequantization_stays_within_each_level_and_bits_are_corrected():
    likelihood = make_likelihood("gaussian_mixture", 4, 2)
    images = torch.tensor([0.0, 1 / 3, 2 / 3, 1.0]).repeat(1000)
    noisy = likelihood.prepare(images, torch.Generator().manual_seed(0))
    level = torch.round(images * 3)
    assert torch.all(noisy >= level / 4) and torch.all(noisy < (level + 1) / 4)
    # a uniform density on [0, 1] has log-density 0: exactly log2(4) = 2 bits
    assert likelihood.bits_per_dim(0.0, 784) == pytest.approx(2.0)
    discrete = make_likelihood("categorical", 4, 1)
    assert discrete.bits_per_dim(784 * math.log(4), 784) == pytest.approx(2.0)


@pytest.mark.parametrize(
    "name, levels, components, message",
    [
        ("poisson", 2, 1, "unknown likelihood 'poisson'"),
        (["bernoulli"], 2, 1, "unknown likelihood"),
        ("bernoulli", 3, 1, "exactly 2"),
        ("categorical", 257, 1, "2 to 256"),
        ("categorical", 1, 1, "2 to 256"),
        ("logistic_mixture", 256, 0, "components must be 1 to 64"),
        ("gaussian_mixture", 256, 65, "components must be 1 to 64"),
        ("gaussian_mixture", 10**6, 2, "2 to 65,536"),
        ("categorical", True, 1, "levels"),
    ],
)
def test_bad_settings_are_named(name, levels, components, message):
    with pytest.raises(ConfigError, match=message):
        make_likelihood(name, levels, components)


def test_every_likelihood_is_listed():
    assert set(LIKELIHOODS) == {
        "bernoulli",
        "categorical",
        "logistic_mixture",
        "gaussian_mixture",
    }


@pytest.mark.parametrize(
    "name, levels, components", [*DISCRETE, ("gaussian_mixture", 256, 3)]
)
def test_the_mean_is_the_summary_s_expected_value(name, levels, components):
    likelihood = make_likelihood(name, levels, components)
    params = _params(likelihood, batch=4, seed=7).double()
    means = likelihood.mean(params)
    for row, mean in zip(params, means, strict=True):
        assert float(mean) == pytest.approx(likelihood.summary(row).mean, abs=2e-3)
