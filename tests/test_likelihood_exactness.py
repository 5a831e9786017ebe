"""The exactness bar of tests/test_exactness.py, for every pixel likelihood.

Driven by declarations: for every model kind, every likelihood its config
declares (``supported_likelihoods``) other than ``bernoulli`` (which
tests/test_exactness.py covers), every ordering it declares, with and without
classes:

- discrete likelihoods: the probabilities of all Kⁿ images sum to 1 (K = 3 on
  2×2, K = 4 on 1×3);
- continuous likelihoods: the density integrates to 1 over [0, 1]ⁿ, by
  Gauss–Legendre quadrature on 1×1 and 1×2 images;
- no output depends on a pixel at or after its position (autograd, on gray
  inputs), and what autograd measures lies inside the declared structure;
- the fast sampler draws what the naive one draws, and given pixels are kept.

A kind that declares a new likelihood is picked up here with no change; the
meta-tests at the end fail if one is declared and not exercised.
"""

import itertools
import math

import numpy as np
import pytest
import torch

from models.base import ARModel, measured_dependency
from models.likelihoods import LIKELIHOODS
from models.orderings import make_ordering
from models.registry import available, model_class
from tests.conftest import (
    TINY_CONFIGS,
    kind_of,
    supported_likelihoods,
    supported_orderings,
    tiny_likelihood_model,
)
from tests.test_exactness import _label, _masks, _ordering_args

NAMES = list(TINY_CONFIGS)
CLASSES = [0, 2]
COMPONENTS = 2


def _declared(name: str, discrete: bool) -> list[str]:
    return [
        likelihood
        for likelihood in supported_likelihoods(name)
        if likelihood != "bernoulli" and LIKELIHOODS[likelihood].discrete == discrete
    ]


def _cases(discrete: bool) -> list[tuple[str, str, str]]:
    """(tiny config, likelihood, ordering): every ordering with every likelihood."""
    return [
        (name, likelihood, ordering)
        for name in NAMES
        for likelihood in _declared(name, discrete)
        for ordering in supported_orderings(name)
    ]


DISCRETE = _cases(discrete=True)
CONTINUOUS = _cases(discrete=False)
EVERY = DISCRETE + CONTINUOUS
#: One ordering per (config, likelihood), for the checks that need no more.
FIRST_ORDERING = [
    (name, likelihood)
    for name, likelihood, ordering in EVERY
    if ordering == supported_orderings(name)[0]
]


def _ids(cases: list[tuple[object, ...]]) -> list[str]:
    return ["-".join(map(str, case)) for case in cases]


def _permutation(ordering: str, shape: tuple[int, int]) -> tuple[int, ...]:
    args = _ordering_args(ordering, shape)
    custom = args.get("custom_ordering")
    order = make_ordering(args["ordering"], shape, seed=5, custom=custom)
    return tuple(order.tolist())


#: The continuous cases on 1×1 and 1×2 images, one ordering per distinct
#: permutation: there every ordering is one of at most two permutations, so the
#: other orderings add no dependency structure (they all have their cases on
#: larger images in the tests that follow).
INTEGRATION = list(
    {
        (name, likelihood, shape, _permutation(ordering, shape)): (
            name,
            likelihood,
            ordering,
            shape,
        )
        for name, likelihood, ordering in CONTINUOUS
        for shape in ((1, 1), (1, 2))
    }.values()
)


def _model(
    name: str,
    likelihood: str,
    ordering: str,
    shape: tuple[int, int],
    levels: int = 0,
    **overrides: object,
) -> ARModel:
    return tiny_likelihood_model(
        name,
        shape,
        likelihood,
        levels=levels,
        components=COMPONENTS,
        **_ordering_args(ordering, shape),
        **overrides,
    )


def level_images(shape: tuple[int, int], levels: int) -> torch.Tensor:
    """Every image of ``levels`` levels, ``(Kⁿ, 1, H, W)``, values k / (K − 1)."""
    n = shape[0] * shape[1]
    grid = torch.tensor(list(itertools.product(range(levels), repeat=n)))
    return (grid.float() / (levels - 1)).view(-1, 1, *shape)


def _level_values(levels: int) -> torch.Tensor:
    return torch.arange(levels, dtype=torch.float32) / (levels - 1)


# -- discrete: the probabilities of all Kⁿ images sum to 1 --------------------


@pytest.mark.parametrize("shape, levels", [((2, 2), 3), ((1, 3), 4)])
@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, likelihood, ordering", DISCRETE, ids=_ids(DISCRETE))
def test_probabilities_of_all_images_sum_to_one(
    name, likelihood, ordering, classes, shape, levels
):
    model = _model(name, likelihood, ordering, shape, levels, num_classes=classes)
    images = level_images(shape, levels)  # all Kⁿ in one batch
    with torch.no_grad():
        for label in range(max(classes, 1)):
            log_p = model.log_prob(images, _label(model, len(images), label)).double()
            assert torch.logsumexp(log_p, 0).exp().item() == pytest.approx(
                1.0, abs=1e-5
            )


# -- continuous: the density integrates to 1 over [0, 1]ⁿ ---------------------

# Composite Gauss–Legendre quadrature on [0, 1]: PANELS equal panels of NODES
# nodes each (128 nodes a side; 16,384 points for 1×2 images, in one batch). A
# rule of q nodes integrates polynomials of degree 2q − 1 exactly, and on
# panels of width h it integrates a Gaussian of scale σ ≳ h to float
# precision. Scanned over means in [0, 1], its error on one truncated Gaussian
# component is < 3·10⁻⁹ for σ ≥ 0.02 and < 4·10⁻¹² for σ ≥ 0.03, but 5·10⁻⁵ at
# σ = 0.01 and 0.05 at σ = 0.005: a grid that fits in a test cannot integrate
# components down to the likelihood's 10⁻³ floor in 2-D. The standard normal
# weights of tiny_model do make such narrow components on these configs (the
# smallest scale over the grid reached the floor), so the models here have
# their random weights halved (WEIGHT_SCALE): the smallest component scale over
# every case and grid point then measured 0.066, three times the 0.02 where
# the rule is exact to 3·10⁻⁹. The structure tested is unchanged: a density
# that read its own pixel or a later one would miss 1 by far more than the
# tolerance, 10⁻⁴, which the float32 log-densities of the models set. A
# component too narrow for the rule makes the sum miss mass and fails the
# test; it cannot make a wrong model pass.
PANELS, NODES = 16, 8
WEIGHT_SCALE = 0.5


def _quadrature() -> tuple[torch.Tensor, torch.Tensor]:
    """Nodes and weights of the composite rule on [0, 1], float64."""
    x, w = np.polynomial.legendre.leggauss(NODES)  # on [−1, 1]
    left = np.arange(PANELS)[:, None] / PANELS
    nodes = left + (x[None, :] + 1) / (2 * PANELS)
    weights = np.broadcast_to(w / (2 * PANELS), nodes.shape)
    return torch.from_numpy(nodes.ravel()), torch.from_numpy(weights.ravel())


def test_the_quadrature_integrates_narrow_truncated_gaussians():
    """The rule itself, down to the narrowest scale the comment above trusts."""
    nodes, weights = _quadrature()
    assert weights.sum().item() == pytest.approx(1.0, abs=1e-12)
    for mean in (0.0, 0.3, 0.5, 0.97):
        for scale in (0.02, 0.05, 5.0):
            root = scale * math.sqrt(2)
            mass = 0.5 * (math.erf((1 - mean) / root) + math.erf(mean / root))
            z = (nodes - mean) / scale
            density = torch.exp(-0.5 * z**2) / (scale * math.sqrt(2 * math.pi) * mass)
            assert (weights * density).sum().item() == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize(
    "name, likelihood, ordering, shape", INTEGRATION, ids=_ids(INTEGRATION)
)
def test_density_integrates_to_one(name, likelihood, ordering, shape, classes):
    model = _model(
        name,
        likelihood,
        ordering,
        shape,
        num_classes=classes,
        weight_scale=WEIGHT_SCALE,
    )
    nodes, weights = _quadrature()
    n = shape[0] * shape[1]
    points = torch.cartesian_prod(*[nodes] * n).view(-1, n)  # (Gⁿ, n)
    mass = torch.cartesian_prod(*[weights] * n).view(-1, n).prod(1)  # (Gⁿ,)
    images = points.float().view(-1, 1, *shape)
    with torch.no_grad():
        for label in range(max(classes, 1)):
            log_p = model.log_prob(images, _label(model, len(images), label))
            integral = (mass * log_p.double().exp()).sum().item()
            assert integral == pytest.approx(1.0, abs=1e-4)


# -- no output depends on the future ------------------------------------------


def _inputs(model: ARModel, grays: int = 1) -> list[torch.Tensor | None]:
    """A random image of the model's levels (the default), and uniform grays."""
    gen = torch.Generator().manual_seed(9)
    shape = (1, 1, *model.image_shape)
    return [None, *(torch.rand(shape, generator=gen) for _ in range(grays))]


@pytest.mark.parametrize("shape", [(3, 3), (2, 4)])
@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, likelihood, ordering", EVERY, ids=_ids(EVERY))
def test_no_output_depends_on_the_future(name, likelihood, ordering, classes, shape):
    model = _model(name, likelihood, ordering, shape, levels=4, num_classes=classes)
    for x in _inputs(model):
        for rank in _masks(model):
            past = rank.unsqueeze(1) > rank.unsqueeze(0)  # [i, j]: j strictly before i
            declared = model.dependency_mask()
            measured = measured_dependency(model, x, y=_label(model, 1))
            assert not (declared & ~past).any(), "declared structure reaches the future"
            assert not (measured & ~declared).any(), (
                "a gradient leaks outside the structure"
            )


@pytest.mark.parametrize("name, likelihood", FIRST_ORDERING, ids=_ids(FIRST_ORDERING))
def test_dependencies_are_really_there(name, likelihood):
    """What autograd measures is the declared structure, not trivially empty.

    As in tests/test_exactness.py: the independent model sees nothing, FVSBN
    and NADE the full past (n(n − 1)/2 = 36 pairs on 3×3), Markov AR-2 its
    window (2n − 3 = 15), every other model at least each pixel's predecessor.
    """
    ordering = "snake" if "snake" in supported_orderings(name) else "raster"
    expected = {"fvsbn": 36, "nade": 36, "markov": 15}
    seen = torch.zeros(9, 9, dtype=torch.bool)
    for seed in (0, 1):
        model = _model(name, likelihood, ordering, (3, 3), levels=4, seed=seed)
        for x in _inputs(model, grays=2):
            measured = measured_dependency(model, x)
            seen |= measured
            if name in expected:  # at every input, as tests/test_exactness.py
                assert int(measured.sum()) == expected[name]
                assert torch.equal(measured, model.dependency_mask())
    if kind_of(name) == "bernoulli":
        assert not seen.any()
    else:
        # random weights can switch a ReLU path off for every input (a tiny
        # Gated PixelCNN's horizontal stack does at seed 0): some draw has it
        assert seen.sum() >= 8


# -- sampling -------------------------------------------------------------------


def _given(model: ARModel, count: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Given pixels, about a third of them: levels for a discrete model, grays
    for a continuous one."""
    gen = torch.Generator().manual_seed(seed)
    shape = (count, 1, *model.image_shape)
    levels = model.likelihood.levels
    if model.likelihood.discrete:
        given = torch.randint(0, levels, shape, generator=gen).float() / (levels - 1)
    else:
        given = torch.rand(shape, generator=gen)
    return given, torch.rand(shape, generator=gen) < 0.3


def _same_draws(model: ARModel, count: int, **kwargs: object) -> torch.Tensor:
    """Sample fast and naively; assert they agree step by step; the images."""
    fast = list(model.sample_steps(count, **kwargs))
    naive = list(model.sample_steps(count, naive=True, **kwargs))
    assert len(fast) == len(naive) == model.num_pixels
    for f, n in zip(fast, naive, strict=True):
        assert torch.equal(f.pixels, n.pixels)
        assert torch.allclose(f.params, n.params, atol=1e-5)
        if model.likelihood.discrete:
            assert torch.equal(f.values, n.values)
        else:
            # a continuous draw is the inverse CDF at the same uniforms, so
            # float rounding in the parameters moves it by about as much
            # (measured: < 10⁻⁶)
            assert torch.allclose(f.values, n.values, atol=1e-5)
    images = fast[-1].images
    if model.likelihood.discrete:  # every pixel on one of the K levels
        assert torch.isin(images, _level_values(model.likelihood.levels)).all()
    else:
        assert ((images >= 0) & (images <= 1)).all()
    return images


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, likelihood, ordering", EVERY, ids=_ids(EVERY))
def test_fast_sampler_draws_what_the_naive_one_draws(
    name, likelihood, ordering, classes
):
    model = _model(name, likelihood, ordering, (3, 4), levels=5, num_classes=classes)
    labels = None if classes == 0 else torch.arange(16) % classes
    images = _same_draws(model, 16, seed=5, y=labels)
    assert torch.equal(model.sample(16, seed=5, y=labels), images)  # seed fixes it


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, likelihood, ordering", EVERY, ids=_ids(EVERY))
def test_given_pixels_are_kept(name, likelihood, ordering, classes):
    """Completion: levels (or grays) given anywhere are kept, and both samplers
    condition the rest on them alike."""
    model = _model(name, likelihood, ordering, (3, 4), levels=5, num_classes=classes)
    given, mask = _given(model, 16, seed=3)
    labels = None if classes == 0 else torch.arange(16) % classes
    kwargs = {"seed": 5, "given": given, "given_mask": mask, "y": labels}
    images = _same_draws(model, 16, **kwargs)
    assert torch.equal(images[mask], given[mask])
    assert torch.equal(model.sample(16, **kwargs), images)


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, likelihood", FIRST_ORDERING, ids=_ids(FIRST_ORDERING))
def test_the_seed_decides_the_samples(name, likelihood, classes):
    model = _model(name, likelihood, "raster", (3, 3), levels=5, num_classes=classes)
    label = None if classes == 0 else 1
    # a high temperature keeps every pixel uncertain, so only the seed decides
    draws = [model.sample(6, seed=s, y=label, temperature=4.0) for s in range(4)]
    assert any(not torch.equal(draws[0], d) for d in draws[1:])


# -- the suite covers what the kinds declare ---------------------------------------


def test_every_kind_has_a_tiny_config():
    assert {kind_of(name) for name in NAMES} == set(available())


@pytest.mark.parametrize("kind", available())
def test_every_declared_likelihood_and_ordering_has_cases(kind):
    """Each non-Bernoulli likelihood a kind declares has cases, each ordering too."""
    config = model_class(kind).config_class
    declared = set(config.supported_likelihoods) - {"bernoulli"}
    assert declared <= set(LIKELIHOODS)
    for cases, discrete in ((DISCRETE, True), (CONTINUOUS, False)):
        covered = {lik for name, lik, _ in cases if kind_of(name) == kind}
        wanted = {lik for lik in declared if LIKELIHOODS[lik].discrete == discrete}
        assert covered == wanted, f"{kind}: no cases for {wanted - covered}"
    if declared:
        orderings = {o for name, _, o in EVERY if kind_of(name) == kind}
        assert orderings == set(config.supported_orderings)


def test_every_likelihood_is_supported_by_some_kind():
    declared = {
        likelihood
        for kind in available()
        for likelihood in model_class(kind).config_class.supported_likelihoods
    }
    assert declared == set(LIKELIHOODS)
