"""The building blocks of the spatial models, and what the exactness suite misses.

Skewing, single-position convolutions, the band the row-window sampler uses,
the settings they refuse, presets, odd image shapes, and the cached samplers on
images big enough for their caches to matter.
"""

import itertools

import pytest
import torch

from models.base import measured_dependency
from models.errors import ConfigError
from models.masked import MaskedConv2d, causal_mask, conv_at
from models.registry import create, model_class, preset_settings
from models.spatial import skew, unskew
from tests.conftest import TINY_CONFIGS, randomize

SPATIAL = ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]


def test_skew_moves_diagonals_into_columns():
    x = torch.arange(2 * 3 * 4, dtype=torch.float32).view(1, 2, 3, 4)
    skewed = skew(x)
    assert skewed.shape == (1, 2, 3, 6)
    for r, c in itertools.product(range(3), range(4)):
        assert torch.equal(skewed[..., r, r + c], x[..., r, c])
    assert skewed[..., 1, 0].eq(0).all() and skewed[..., 0, 5].eq(0).all()
    assert torch.equal(unskew(skewed, 4), x)


def test_causal_masks():
    assert causal_mask(3, 3, "A").tolist() == [[1, 1, 1], [1, 0, 0], [0, 0, 0]]
    assert causal_mask(3, 3, "B").tolist() == [[1, 1, 1], [1, 1, 0], [0, 0, 0]]
    assert causal_mask(1, 3, "B").tolist() == [[1, 1, 0]]
    with pytest.raises(ValueError, match="'A' or 'B'"):
        causal_mask(3, 3, "C")
    with pytest.raises(ValueError, match="odd"):
        MaskedConv2d(1, 1, 4, "A")


@pytest.mark.parametrize("kernel, mask", [(3, "A"), (5, "B"), ((1, 3), "B")])
def test_conv_at_one_position_equals_the_full_convolution(kernel, mask):
    torch.manual_seed(0)
    conv = MaskedConv2d(2, 5, kernel, mask)
    x = torch.randn(3, 2, 4, 6)
    full = conv(x)
    at = conv_at(conv, x)
    for r, c in itertools.product(range(4), range(6)):
        assert torch.allclose(at(r, c), full[:, :, r, c], atol=1e-6)
    x[:, :, 0, 0] = 7.0  # written in place after the call: still seen
    assert torch.allclose(at(1, 1), conv(x)[:, :, 1, 1], atol=1e-5)


@pytest.mark.parametrize(
    "kind, settings, band",
    [
        ("pixelcnn", {"first_kernel": 7, "layers": 4, "kernel": 3}, 3 + 4),
        ("pixelcnn", {"first_kernel": 5, "layers": 2, "kernel": 5}, 2 + 4),
        ("gated_pixelcnn", {"first_kernel": 7, "layers": 3, "kernel": 3}, 3 + 2 + 1),
        ("row_lstm", {"first_kernel": 3, "layers": 1}, 15),  # every row above
    ],
)
def test_vertical_reach(kind, settings, band):
    model = create(kind, (16, 9), channels=4, **settings)
    assert model.vertical_reach() == band


@pytest.mark.parametrize("kind", SPATIAL)
@pytest.mark.parametrize("shape", [(1, 1), (1, 5), (5, 1), (2, 3)])
def test_any_shape_is_a_distribution(kind, shape):
    model = randomize(create(kind, shape, **TINY_CONFIGS[kind]), seed=2)
    n = shape[0] * shape[1]
    images = torch.tensor(list(itertools.product([0.0, 1.0], repeat=n)))
    with torch.no_grad():
        log_p = model.log_prob(images.view(-1, 1, *shape)).double()
    assert torch.logsumexp(log_p, 0).exp().item() == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("kind", SPATIAL)
def test_cached_sampler_matches_the_naive_one_on_a_larger_image(kind):
    """8×10 with the default widths: caches span several rows and layers."""
    torch.manual_seed(0)
    model = create(kind, (8, 10), layers=2, num_classes=3).eval()
    with torch.no_grad():  # trained-looking weights: not all-zero class biases
        model.class_bias.normal_()
    gen = torch.Generator().manual_seed(4)
    given = torch.randint(0, 2, (4, 1, 8, 10), generator=gen).float()
    mask = torch.rand(4, 1, 8, 10, generator=gen) < 0.2
    kwargs = {
        "seed": 9,
        "given": given,
        "given_mask": mask,
        "y": torch.tensor([0, 1, 2, 0]),
    }
    fast = list(model.sample_steps(4, **kwargs))
    naive = list(model.sample_steps(4, naive=True, **kwargs))
    for f, n in zip(fast, naive, strict=True):
        assert torch.allclose(f.params, n.params, atol=1e-4)
    assert torch.equal(fast[-1].images, naive[-1].images)
    with torch.no_grad():  # and both are the teacher-forced conditionals
        teacher = model(fast[-1].images, kwargs["y"]).flatten(1)
    logits = torch.stack([f.params[:, 0] for f in fast], 1)
    assert torch.allclose(logits, teacher, atol=1e-4)


@pytest.mark.parametrize("kind", SPATIAL)
def test_the_class_changes_the_density(kind):
    model = randomize(create(kind, (3, 3), num_classes=2, **TINY_CONFIGS[kind]))
    x = torch.randint(0, 2, (5, 1, 3, 3), generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        a = model.log_prob(x.float(), torch.zeros(5, dtype=torch.long))
        b = model.log_prob(x.float(), torch.ones(5, dtype=torch.long))
    assert not torch.allclose(a, b)


@pytest.mark.parametrize(
    "kind, settings, message",
    [
        ("pixelcnn", {"ordering": "snake"}, "ordering 'snake' is not available"),
        ("pixelcnn", {"channels": 5}, "channels must be even"),
        ("pixelcnn", {"kernel": 4}, "kernel must be odd"),
        ("row_lstm", {"first_kernel": 1}, "first_kernel must be ≥ 3"),
        ("row_lstm", {"first_kernel": 6}, "first_kernel must be odd"),
        ("gated_pixelcnn", {"layers": 0}, "layers must be ≥ 1"),
        ("diagonal_bilstm", {"backward_reads_pixel": "yes"}, "true or false"),
        ("diagonal_bilstm", {"channels": 0}, "channels must be ≥ 1"),
        ("diagonal_bilstm", {"depth": 3}, "unknown DiagonalBiLSTMConfig field"),
    ],
)
def test_bad_settings_are_named(kind, settings, message):
    with pytest.raises(ConfigError, match=message):
        create(kind, (4, 4), **settings)


@pytest.mark.parametrize("kind", [*SPATIAL, "nade", "made"])
def test_presets_build_and_count_exactly(kind):
    presets = model_class(kind).config_class.presets
    assert "small" in presets
    for name in presets:
        model = create(kind, (6, 6), **preset_settings(kind, name))
        assert model.num_parameters() == model.parameter_count(model.config).value
    assert preset_settings(kind, "default") == {}
    with pytest.raises(ConfigError, match="no preset 'huge'"):
        preset_settings(kind, "huge")


def test_diagonal_bilstm_paper_preset_is_the_published_model():
    model = create("diagonal_bilstm", **preset_settings("diagonal_bilstm", "paper"))
    assert (model.config.channels, model.config.layers) == (32, 1)
    # 7×7 mask-A conv, one bidirectional layer, ReLU-1×1-ReLU-1×1 head
    assert model.num_parameters() == (49 * 32 + 32) + (24 * 32**2 + 12 * 32) + (
        32 * 32 + 32 + 32 + 1
    )


def test_row_window_sampler_reads_only_the_band():
    """Rows more than the reach above cannot change a PixelCNN's logit."""
    model = randomize(
        create("pixelcnn", (12, 6), channels=16, layers=2, first_kernel=3)
    )
    band = model.vertical_reach()
    x = torch.randint(0, 2, (1, 1, 12, 6), generator=torch.Generator().manual_seed(1))
    x = x.float()
    y = x.clone()
    y[:, :, : 10 - band] = 1 - y[:, :, : 10 - band]  # flip every row above the band
    with torch.no_grad():
        assert torch.equal(model(x)[0, 0, 10], model(y)[0, 0, 10])
        y[:, :, 10 - band] = 1 - y[:, :, 10 - band]  # and the first row inside it
        assert not torch.allclose(model(x)[0, 0, 10], model(y)[0, 0, 10])


# -- every likelihood ---------------------------------------------------------

#: The spatial kinds with each likelihood they support, at tiny sizes: K = 3
#: levels, M = 2 components (C = 1, 3, 6 and 6 parameters per pixel).
LIKELIHOOD_SETTINGS = {
    "bernoulli": {},
    "categorical": {"levels": 3},
    "logistic_mixture": {"levels": 3, "components": 2},
    "gaussian_mixture": {"levels": 3, "components": 2},
}
KIND_LIKELIHOODS = list(itertools.product(SPATIAL, LIKELIHOOD_SETTINGS))


def tiny_spatial(
    kind: str, likelihood: str, shape: tuple[int, int], seed: int = 0, **extra
):
    settings = {**TINY_CONFIGS[kind], **LIKELIHOOD_SETTINGS[likelihood], **extra}
    model = create(kind, shape, likelihood=likelihood, **settings)
    return randomize(model, seed)


def gray_images(model, n: int, seed: int) -> torch.Tensor:
    """``n`` images of the model's levels (any value in [0, 1] if continuous)."""
    gen = torch.Generator().manual_seed(seed)
    shape = (n, 1, *model.image_shape)
    if not model.likelihood.discrete:
        return torch.rand(shape, generator=gen)
    levels = model.likelihood.levels
    return torch.randint(0, levels, shape, generator=gen).float() / (levels - 1)


@pytest.mark.parametrize("kind", SPATIAL)
def test_every_likelihood_is_supported(kind):
    supported = model_class(kind).config_class.supported_likelihoods
    assert set(supported) == set(LIKELIHOOD_SETTINGS)


@pytest.mark.parametrize("kind, likelihood", KIND_LIKELIHOODS)
def test_the_head_gives_the_likelihoods_parameters(kind, likelihood):
    model = tiny_spatial(kind, likelihood, (3, 4))
    x = gray_images(model, 2, seed=1)
    channels = model.likelihood.channels
    with torch.no_grad():
        params = model(x)
    assert params.shape == (2, channels, 3, 4)
    assert model.output_channels == channels
    counted = model.parameter_count(model.config).value
    assert model.num_parameters() == counted


@pytest.mark.parametrize("kind, likelihood", KIND_LIKELIHOODS)
@pytest.mark.parametrize("extra", [{"output_layers": 0}, {"num_classes": 3}])
def test_the_closed_form_count_grows_with_the_head(kind, likelihood, extra):
    model = tiny_spatial(kind, likelihood, (2, 2), **extra)
    count = model.parameter_count(model.config)
    assert model.num_parameters() == count.value
    binary = create(kind, (2, 2), **{**TINY_CONFIGS[kind], **extra})
    # only the head's last 1×1 convolution grows: (D + 1) per parameter
    features = model.head.out.in_channels
    extra_outputs = model.likelihood.channels - 1
    assert count.value - binary.num_parameters() == extra_outputs * (features + 1)


@pytest.mark.parametrize("kind, likelihood", KIND_LIKELIHOODS)
def test_no_output_reads_its_own_pixel_or_later_on_gray_images(kind, likelihood):
    """Autograd on gray images finds the declared structure, and nothing more.

    One image can leave a ReLU off and hide a dependency; over a few, every
    declared one shows. The ReLU nets get a few more channels than the tiny
    configs: with 2 to 4, random weights can shut a path for every image in
    [0, 1].
    """
    widths = {"pixelcnn": 12, "gated_pixelcnn": 8}
    extra = {"channels": widths[kind]} if kind in widths else {}
    model = tiny_spatial(kind, likelihood, (3, 4), seed=3, **extra)
    declared = model.dependency_mask()
    past = torch.ones(12, 12, dtype=torch.bool).tril(-1)  # raster: j before i
    assert not (declared & ~past).any()
    found = torch.zeros_like(declared)
    for seed in range(4):
        x = torch.rand(1, 1, 3, 4, generator=torch.Generator().manual_seed(seed))
        measured = measured_dependency(model, x)
        assert not (measured & ~declared).any()
        found |= measured
    assert torch.equal(found, declared)


@pytest.mark.parametrize("kind, likelihood", KIND_LIKELIHOODS)
def test_fast_sampler_draws_what_the_naive_one_draws(kind, likelihood):
    model = tiny_spatial(kind, likelihood, (3, 4), seed=4, num_classes=2)
    given = gray_images(model, 3, seed=6)  # of the model's levels
    mask = torch.rand(3, 1, 3, 4, generator=torch.Generator().manual_seed(7)) < 0.3
    kwargs = {
        "seed": 11,
        "given": given,
        "given_mask": mask,
        "y": torch.tensor([0, 1, 1]),
        "temperature": 0.8,
    }
    fast = list(model.sample_steps(3, **kwargs))
    naive = list(model.sample_steps(3, naive=True, **kwargs))
    channels = model.likelihood.channels
    for f, n in zip(fast, naive, strict=True):
        assert f.params.shape == (3, channels)
        assert torch.allclose(f.params, n.params, atol=1e-4)
        assert torch.equal(f.given, n.given)
    images = fast[-1].images
    if model.likelihood.discrete:  # the same levels, drawn by the same uniforms
        assert torch.equal(images, naive[-1].images)
        levels = model.likelihood.levels
        assert torch.equal(images * (levels - 1), (images * (levels - 1)).round())
    else:  # the same values, up to the rounding of the parameters
        assert torch.allclose(images, naive[-1].images, atol=1e-4)
        assert images.min() >= 0 and images.max() <= 1
    assert torch.equal(images[mask], given[mask])  # given pixels kept, exactly
    if likelihood != "bernoulli":  # gray values were drawn
        assert len(torch.unique(images[~mask])) > 2
    with torch.no_grad():  # and the steps' parameters are the teacher-forced ones
        teacher = model(images, kwargs["y"]).flatten(2)  # (B, C, N)
    drawn = torch.stack([f.params for f in fast], dim=2)  # (B, C, N)
    assert torch.allclose(drawn, teacher, atol=1e-4)


@pytest.mark.parametrize("kind", SPATIAL)
def test_a_new_seed_draws_other_gray_images(kind):
    model = tiny_spatial(kind, "categorical", (2, 3), levels=5)
    a = model.sample(4, seed=1)
    assert torch.equal(a, model.sample(4, seed=1))
    assert not torch.equal(a, model.sample(4, seed=2))
