"""The quality bar every model meets, for every ordering, with and without classes.

- the probabilities of all 2^n binary images sum to 1;
- no output depends on a pixel at or after its own position (autograd), and
  what autograd measures lies inside the declared dependency structure;
- sampling keeps given pixels, and a seed fixes the samples;
- the fast sampler draws exactly what the naive one (a full pass per pixel) draws.
"""

import itertools

import pytest
import torch

from models.base import ARModel, measured_dependency
from models.errors import ConfigError
from models.orderings import ORDERING_NAMES, make_ordering
from tests.conftest import TINY_CONFIGS, supported_orderings, tiny_model

MODELS = list(TINY_CONFIGS)
#: Every model with every ordering it supports (the spatial ones: raster only).
MODEL_ORDERINGS = [
    (name, ordering)
    for name in MODELS
    for ordering in ORDERING_NAMES
    if ordering in supported_orderings(name)
]
SHAPES = [(3, 3), (2, 4)]
CLASSES = [0, 3]


def _ordering_args(name, shape):
    if name == "custom":  # an arbitrary fixed permutation
        return {
            "ordering": "custom",
            "custom_ordering": make_ordering("random", shape, seed=7),
        }
    return {"ordering": name, "ordering_seed": 5}


def all_images(shape):
    n = shape[0] * shape[1]
    grid = list(itertools.product([0.0, 1.0], repeat=n))
    return torch.tensor(grid).view(-1, 1, *shape)


def _label(model, batch, value=1):
    return (
        None
        if model.num_classes == 0
        else torch.full((batch,), value, dtype=torch.long)
    )


def _masks(model: ARModel):
    """Every mask of a MADE (each is its own autoregressive model), else one pass.

    Yields the rank of each pixel in the order the current mask generates it:
    a MADE's active mask has its own (``mask_rank``), the model's ``rank``
    stays the one its config describes.
    """
    count = getattr(model, "num_masks", 1)
    for m in range(count):
        if count > 1:
            model.set_mask(m)
        yield getattr(model, "mask_rank", model.rank)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, ordering", MODEL_ORDERINGS)
def test_probabilities_of_all_images_sum_to_one(name, ordering, classes, shape):
    model = tiny_model(
        name, shape, num_classes=classes, **_ordering_args(ordering, shape)
    )
    images = all_images(shape)
    with torch.no_grad():
        for label in range(max(classes, 1)):
            log_p = model.log_prob(images, _label(model, len(images), label)).double()
            assert torch.logsumexp(log_p, 0).exp().item() == pytest.approx(
                1.0, abs=1e-5
            )


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize("name, ordering", MODEL_ORDERINGS)
def test_no_output_depends_on_the_future(name, ordering, classes, shape):
    model = tiny_model(
        name, shape, num_classes=classes, **_ordering_args(ordering, shape)
    )
    for seed in range(2):
        for rank in _masks(model):
            past = rank.unsqueeze(1) > rank.unsqueeze(0)  # [i, j]: j strictly before i
            declared = model.dependency_mask()
            measured = measured_dependency(model, y=_label(model, 1), seed=seed)
            assert not (declared & ~past).any(), "declared structure reaches the future"
            assert not (measured & ~declared).any(), (
                "a gradient leaks outside the structure"
            )


@pytest.mark.parametrize("name", MODELS)
def test_dependencies_are_really_there(name):
    """The measured structure is not trivially empty: the check can fail."""
    ordering = "snake" if "snake" in supported_orderings(name) else "raster"
    model = tiny_model(name, (3, 3), ordering=ordering)
    measured = measured_dependency(model)
    if name == "bernoulli":
        assert not measured.any()
    else:
        assert measured.sum() >= 8  # at least each pixel's predecessor
    expected = {"fvsbn": 36, "nade": 36, "markov": 15}
    if name in expected:  # full past (n(n−1)/2) or the AR-2 window (2n − 3)
        assert int(measured.sum()) == expected[name]


@pytest.mark.parametrize("classes", CLASSES)
@pytest.mark.parametrize(
    "name, ordering",
    [
        (name, ordering)
        for name, ordering in MODEL_ORDERINGS
        if ordering in ("raster", "hilbert", "random")
    ],
)
def test_sampling_keeps_given_pixels_and_follows_the_seed(name, ordering, classes):
    shape = (3, 3)
    model = tiny_model(name, shape, num_classes=classes, ordering=ordering)
    gen = torch.Generator().manual_seed(1)
    given = torch.randint(0, 2, (6, 1, *shape), generator=gen).float()
    mask = torch.rand(6, 1, *shape, generator=gen) < 0.5
    label = None if classes == 0 else 2
    a = model.sample(6, seed=11, given=given, given_mask=mask, y=label)
    b = model.sample(6, seed=11, given=given, given_mask=mask, y=label)
    assert torch.equal(a[mask], given[mask])
    assert torch.equal(a, b)
    assert set(a.unique().tolist()) <= {0.0, 1.0}
    # random weights can make a model nearly deterministic; a high temperature
    # keeps every pixel uncertain, so only the seed decides
    different = [
        model.sample(6, seed=s, y=label, temperature=4.0) for s in range(12, 16)
    ]
    assert any(not torch.equal(different[0], d) for d in different[1:])


@pytest.mark.parametrize("name", MODELS)
def test_fast_sampler_draws_what_the_naive_one_draws(name):
    ordering = "spiral" if "spiral" in supported_orderings(name) else "raster"
    model = tiny_model(name, (3, 4), num_classes=2, ordering=ordering)
    gen = torch.Generator().manual_seed(3)
    given = torch.randint(0, 2, (32, 1, 3, 4), generator=gen).float()
    mask = torch.rand(32, 1, 3, 4, generator=gen) < 0.3
    labels = torch.arange(32) % 2
    kwargs = {"seed": 5, "given": given, "given_mask": mask, "y": labels}
    fast = list(model.sample_steps(32, **kwargs))
    naive = list(model.sample_steps(32, naive=True, **kwargs))
    assert len(fast) == len(naive) == 12
    for f, n in zip(fast, naive, strict=True):
        assert torch.equal(f.pixels, n.pixels)
        assert torch.allclose(f.params, n.params, atol=1e-5)
        assert torch.equal(f.values, n.values)


@pytest.mark.parametrize("name", MODELS)
def test_steps_hold_plain_tensors_without_grad(name):
    # the sampler panel turns them into numpy arrays
    model = tiny_model(name, (2, 3))
    for naive in (False, True):
        for step in model.sample_steps(2, seed=0, naive=naive):
            assert not step.params.requires_grad and not step.expected.requires_grad
            assert not step.images.requires_grad


def test_steps_report_the_probability_used():
    model = tiny_model("nade", (2, 2))
    steps = list(model.sample_steps(4, seed=0))
    assert [s.step for s in steps] == [0, 1, 2, 3]
    assert [int(s.pixels[0]) for s in steps] == model.ordering.tolist()
    final = steps[-1].images
    for s in steps:
        assert torch.equal(final.view(4, -1)[torch.arange(4), s.pixels], s.values)
    with torch.no_grad():
        teacher = torch.sigmoid(model(final)).view(4, -1)
    for s in steps:
        assert torch.allclose(s.expected, teacher[torch.arange(4), s.pixels], atol=1e-6)


def test_temperature_sharpens_and_flattens():
    model = tiny_model("bernoulli", (4, 4))
    cold = model.sample(4000, seed=0, temperature=0.25).mean((0, 1))
    warm = model.sample(4000, seed=0, temperature=4.0).mean((0, 1))
    p = torch.sigmoid(model.logits[0]).view(4, 4)
    # colder draws move each pixel's frequency away from ½, hotter towards it
    assert ((cold - 0.5).abs() >= (p - 0.5).abs() - 0.05).all()
    assert ((warm - 0.5).abs() <= (p - 0.5).abs() + 0.05).all()


def test_class_posterior_is_a_distribution_and_uses_the_classes():
    model = tiny_model("nade", (3, 3), num_classes=3)
    images = all_images((3, 3))[:50]
    post = model.class_log_posterior(images).exp()
    assert torch.allclose(post.sum(1), torch.ones(50), atol=1e-5)
    joint = torch.stack(
        [model.log_prob(images, torch.full((50,), c)) for c in range(3)], 1
    )
    assert torch.equal(post.argmax(1), joint.argmax(1))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"temperature": 0}, "temperature"),
        ({"given": torch.zeros(1, 1, 3, 3)}, "both"),
        (
            {
                "given": torch.zeros(1, 1, 2, 2),
                "given_mask": torch.ones(1, 1, 2, 2, dtype=torch.bool),
            },
            "do not fit",
        ),
        (
            {
                "given": torch.full((1, 1, 3, 3), 0.5),
                "given_mask": torch.ones(1, 1, 3, 3, dtype=torch.bool),
            },
            "0 or 1",
        ),
        ({"y": 1}, "not class-conditional"),
    ],
)
def test_bad_sampling_requests_are_named(kwargs, message):
    model = tiny_model("nade", (3, 3))
    with pytest.raises(ConfigError, match=message):
        model.sample(2, **kwargs)


def test_inputs_of_the_wrong_shape_are_named():
    model = tiny_model("made", (3, 3))
    with pytest.raises(ConfigError, match=r"images must be \(B, 1, 3, 3\)"):
        model.log_prob(torch.zeros(2, 1, 4, 4))
    conditional = tiny_model("made", (3, 3), num_classes=2)
    with pytest.raises(ConfigError, match="pass labels"):
        conditional.log_prob(torch.zeros(2, 1, 3, 3))


def test_every_mask_of_an_order_agnostic_made_is_its_own_exact_model():
    """Each mask: a distribution, causal in its own ordering, sampled in it.

    The model's ordering stays the config's whichever mask is active, and
    leaving training mode returns to mask 0.
    """
    shape = (2, 3)
    model = tiny_model(
        "made", shape, hidden_sizes=(13,), num_masks=3, order_agnostic=True, seed=4
    )
    config_order = make_ordering("raster", shape).tolist()
    images = all_images(shape)
    orders = set()
    for m, rank in enumerate(_masks(model)):
        assert model.mask_index == m
        assert model.ordering.tolist() == config_order
        order = model.mask_ordering.tolist()
        orders.add(tuple(order))
        assert torch.equal(rank, torch.argsort(model.mask_ordering))
        with torch.no_grad():
            log_p = model.log_prob(images).double()
        assert torch.logsumexp(log_p, 0).exp().item() == pytest.approx(1.0, abs=1e-5)
        past = rank.unsqueeze(1) > rank.unsqueeze(0)
        declared = model.dependency_mask()
        assert not (declared & ~past).any()
        assert not (measured_dependency(model) & ~declared).any()
        fast = list(model.sample_steps(5, seed=m))
        naive = list(model.sample_steps(5, seed=m, naive=True))
        assert [int(s.pixels[0]) for s in fast] == order
        for f, n in zip(fast, naive, strict=True):
            assert torch.equal(f.pixels, n.pixels) and torch.equal(f.values, n.values)
            assert torch.allclose(f.params, n.params, atol=1e-5)
        assert model.mask_index == m  # sampling keeps the mask it was asked for
    assert len(orders) == 3 and tuple(config_order) in orders
    model.train()
    model.set_mask(2)
    model.eval()
    assert model.mask_index == 0
    assert model.mask_ordering.tolist() == config_order
