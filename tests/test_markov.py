"""The tabular models for K levels: Markov AR-k and the independent pixels.

Both keep a table of K − 1 free logits per (pixel, context), level 0's logit
fixed at 0, so ``numel`` is the counter's closed form; on binary pixels they
are exactly the models they were. Checked here for K levels: the
probabilities of all Kⁿ images sum to 1, ``numel`` equals the count, the
measured dependencies on gray inputs are exactly the declared window, the fast
sampler draws what the naive one draws, and gray inputs between two levels
interpolate the table.
"""

import itertools

import pytest
import torch

from models import counting
from models.base import measured_dependency
from models.errors import ConfigError
from models.markov import MAX_CONTEXTS
from models.registry import create
from tests.conftest import randomize

#: (kind, settings): every window the tables have, and no window at all.
TABULAR = [
    ("markov", {"order": 1}),
    ("markov", {"order": 2}),
    ("markov", {"order": 5}),  # longer than the 1×3 and 2×2 images
    ("bernoulli", {}),
]
#: (shape, K): the issue's tiny shapes.
TINY = [((2, 2), 3), ((1, 3), 4)]


def _ids(case):
    kind, settings = case
    return kind + "".join(f"-{k}{v}" for k, v in settings.items())


def _model(kind, shape, levels, seed=0, **settings):
    likelihood = "bernoulli" if levels == 2 else "categorical"
    return randomize(
        create(kind, shape, likelihood=likelihood, levels=levels, **settings), seed
    )


def _every_image(shape, levels):
    n = shape[0] * shape[1]
    grid = torch.tensor(list(itertools.product(range(levels), repeat=n)))
    return (grid.float() / (levels - 1)).view(-1, 1, *shape)


@pytest.mark.parametrize("classes", [0, 3])
@pytest.mark.parametrize("ordering", ["raster", "hilbert", "random"])
@pytest.mark.parametrize("shape, levels", TINY)
@pytest.mark.parametrize("case", TABULAR, ids=_ids)
def test_probabilities_of_all_images_sum_to_one(case, shape, levels, ordering, classes):
    kind, settings = case
    model = _model(
        kind, shape, levels, ordering=ordering, num_classes=classes, **settings
    )
    images = _every_image(shape, levels)
    assert len(images) == levels ** (shape[0] * shape[1])
    with torch.no_grad():
        for label in range(max(classes, 1)):
            y = None if classes == 0 else torch.full((len(images),), label)
            log_p = model.log_prob(images, y).double()
            assert torch.logsumexp(log_p, 0).exp().item() == pytest.approx(1, abs=1e-5)


@pytest.mark.parametrize("levels", [2, 3, 4, 16])
@pytest.mark.parametrize("classes", [0, 2])
@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 3)])
@pytest.mark.parametrize("case", TABULAR, ids=_ids)
def test_numel_is_the_counters_closed_form(case, shape, classes, levels):
    kind, settings = case
    n = shape[0] * shape[1]
    if kind == "markov" and levels ** min(settings["order"], n - 1) > MAX_CONTEXTS:
        pytest.skip("a table too large to build (refused below)")
    model = _model(kind, shape, levels, num_classes=classes, **settings)
    count = (
        counting.markov(n, settings["order"], levels, classes)
        if kind == "markov"
        else counting.independent(n, levels, classes)
    )
    assert model.num_parameters() == count.value
    assert model.parameter_count(model.config) == count
    # the closed form, term by term: K − 1 free logits per (pixel, context)
    tables = max(classes, 1)
    reach = settings.get("order", 0)
    per_pixel = [(levels - 1) * levels ** min(i, reach) for i in range(n)]
    assert count.value == tables * sum(per_pixel)


@pytest.mark.parametrize("levels", [3, 4])
@pytest.mark.parametrize("ordering", ["raster", "snake", "random"])
@pytest.mark.parametrize("case", TABULAR, ids=_ids)
def test_gray_inputs_reach_exactly_the_window(case, ordering, levels):
    """Autograd on gray images finds the declared window, no more and no less."""
    kind, settings = case
    model = _model(kind, (3, 3), levels, ordering=ordering, **settings)
    declared = model.dependency_mask()
    past = model.rank.unsqueeze(1) > model.rank.unsqueeze(0)
    assert not (declared & ~past).any()
    for seed in range(2):
        gray = torch.rand(1, 1, 3, 3, generator=torch.Generator().manual_seed(seed))
        assert torch.equal(measured_dependency(model, gray), declared)
    if kind == "markov":  # each pixel sees min(rank, k) predecessors
        order = settings["order"]
        expected = sum(min(i, order) for i in range(9))
        assert int(declared.sum()) == expected
    else:
        assert not declared.any()


@pytest.mark.parametrize("levels", [3, 4, 7])
@pytest.mark.parametrize("classes", [0, 2])
@pytest.mark.parametrize("case", TABULAR[:2], ids=_ids)
def test_fast_sampler_draws_what_the_naive_one_draws(case, classes, levels):
    kind, settings = case
    model = _model(
        kind, (3, 4), levels, ordering="spiral", num_classes=classes, **settings
    )
    gen = torch.Generator().manual_seed(3)
    # the darkest and brightest levels (0 and 1) are levels of every K
    given = torch.randint(0, 2, (32, 1, 3, 4), generator=gen).float()
    mask = torch.rand(32, 1, 3, 4, generator=gen) < 0.3
    labels = None if classes == 0 else torch.arange(32) % classes
    kwargs = {"seed": 5, "given": given, "given_mask": mask, "y": labels}
    fast = list(model.sample_steps(32, **kwargs))
    naive = list(model.sample_steps(32, naive=True, **kwargs))
    assert len(fast) == len(naive) == 12
    for f, n in zip(fast, naive, strict=True):
        assert f.params.shape == (32, levels)  # (B, C): the K logits
        assert torch.equal(f.params, n.params)
        assert torch.equal(f.values, n.values)
    images = fast[-1].images
    assert torch.equal(images[mask], given[mask])
    drawn = images * (levels - 1)
    assert torch.equal(drawn, drawn.round())  # every value a level


def test_the_first_logit_is_the_fixed_reference():
    """K − 1 free logits, level 0's fixed at 0: K = 2 is the Bernoulli model."""
    binary = _model("markov", (3, 3), 2, order=2)
    two = create("markov", (3, 3), likelihood="categorical", levels=2, order=2)
    two.load_state_dict(binary.state_dict())
    images = _every_image((3, 3), 2)
    with torch.no_grad():
        params = two(images)  # (B, 2, H, W)
        assert torch.equal(params[:, 0], torch.zeros_like(params[:, 0]))
        assert torch.equal(params[:, 1:], binary(images))
        assert torch.allclose(two.log_prob(images), binary.log_prob(images))


def test_gray_window_pixels_interpolate_between_levels():
    """A window pixel between two levels gets the table rows' linear blend."""
    model = _model("markov", (1, 2), 5, order=1)
    below, above = torch.full((1, 1, 1, 2), 0.25), torch.full((1, 1, 1, 2), 0.5)
    gray = torch.full((1, 1, 1, 2), 0.25 + 0.25 * 0.3)
    with torch.no_grad():
        low, high, mixed = (model(x)[0, :, 0, 1] for x in (below, above, gray))
    assert torch.allclose(mixed, 0.7 * low + 0.3 * high, atol=1e-6)
    assert not torch.allclose(low, high)


def test_too_many_contexts_are_refused_by_size():
    with pytest.raises(ConfigError, match=r"16\^5 = 1,048,576 contexts per pixel"):
        create("markov", (5, 5), likelihood="categorical", levels=16, order=5)
    # an order past the image's length asks for no more than the image has
    model = create("markov", (1, 3), likelihood="categorical", levels=16, order=9)
    assert model.num_parameters() == counting.markov(3, 9, 16).value
    assert create("markov", (28, 28), likelihood="categorical", levels=256, order=1)


def test_each_kind_declares_its_likelihoods():
    for kind in ("markov", "bernoulli"):
        with pytest.raises(ConfigError, match="not available here"):
            create(kind, (2, 2), likelihood="gaussian_mixture")
    with pytest.raises(ConfigError, match="use one of: bernoulli"):
        create("fvsbn", (2, 2), likelihood="categorical", levels=3)


@pytest.mark.parametrize("classes", [0, 2])
@pytest.mark.parametrize(
    "shape, levels, order", [((3, 3), 2, 2), ((2, 2), 3, 5), ((1, 3), 4, 1)]
)
def test_look_up_gives_what_the_interpolation_gives_on_levels(
    shape, levels, order, classes
):
    """Images on levels take the O(B·N) look-up; asking for ∂/∂x takes the blend."""
    model = _model(
        "markov", shape, levels, ordering="random", num_classes=classes, order=order
    )
    images = _every_image(shape, levels)
    y = None if classes == 0 else torch.arange(len(images)) % classes
    with torch.no_grad():
        looked_up = model(images, y)
    blended = model(images.clone().requires_grad_(True), y).detach()
    assert torch.allclose(looked_up, blended, atol=1e-6)
    codes = model.context_codes(
        (images.flatten(1)[:, model.ordering] * (levels - 1)).round().long()
    )
    assert int(codes.max()) < int(model.context_count.max())


def test_gray_inputs_on_a_window_of_16_take_bounded_chunks(monkeypatch):
    """AR-16's 2^16 corners a pixel, chunked, give the unchunked blend."""
    import models.markov as markov

    model = _model("markov", (4, 5), 2, order=16)
    gray = torch.rand(2, 1, 4, 5, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        whole = model(gray)
        monkeypatch.setattr(markov, "INTERPOLATION_CHUNK", 2**17)  # 2 pixels a chunk
        chunked = model(gray)
    assert torch.allclose(whole, chunked, atol=1e-5)
    binary = (gray > 0.5).float()
    with torch.no_grad():
        assert torch.allclose(model(binary), model(binary + 0.0004), atol=1e-6)
    declared = model.dependency_mask()
    assert torch.equal(measured_dependency(model, gray[:1]), declared)
    assert int(declared.sum()) == sum(min(i, 16) for i in range(20))
