"""The building blocks of the spatial models, and what the exactness suite misses.

Skewing, single-position convolutions, the band the row-window sampler uses,
the settings they refuse, presets, odd image shapes, and the cached samplers on
images big enough for their caches to matter.
"""

import itertools

import pytest
import torch

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
