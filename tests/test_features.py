"""models.features on small real data: filters, features, contributions, probes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.data import ImageSet, load_splits
from models.features import (
    FeatureComparison,
    Filters,
    NoFeatures,
    Progress,
    compare_with_pixels,
    feature_maps,
    filters,
    hidden_features,
    layer_names,
    model_input,
    run_to_end,
    sort_units,
    top_units,
    unit_contributions,
)
from models.registry import create
from tests.conftest import tiny_model


@pytest.fixture(scope="module")
def digits() -> dict[str, ImageSet]:
    splits = load_splits("mnist-5k")
    return {
        "train": splits["train"].subset(slice(0, 300)),
        "test": splits["test"].subset(slice(0, 100)),
    }


@pytest.fixture(scope="module")
def trained_nade(digits: dict[str, ImageSet]) -> torch.nn.Module:
    torch.manual_seed(0)
    model = create("nade", (28, 28), hidden=12)
    x = model_input(model, digits["train"].intensities())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    for step in range(5):
        optimizer.zero_grad()
        loss = -model.log_prob(x[step * 60 : (step + 1) * 60]).mean()
        loss.backward()
        optimizer.step()
    return model.eval()


@pytest.mark.parametrize("name", ["bernoulli", "markov", "fvsbn"])
def test_models_without_hidden_units_say_so(name, digits):
    model = tiny_model(name, (28, 28))
    image = digits["test"].intensities()[0]
    for result in (
        filters(model),
        hidden_features(model, image[None]),
        top_units(model, image),
        feature_maps(model, image, 0),
        run_to_end(unit_contributions(model, image[None])),
        run_to_end(compare_with_pixels(model, digits["train"], digits["test"])),
    ):
        assert isinstance(result, NoFeatures)
        assert "no hidden" in result.message
    assert layer_names(model) == []


def test_nade_filters_are_its_input_weights(trained_nade):
    found = filters(trained_nade)
    assert isinstance(found, Filters) and found.whole_image
    assert found.images.shape == (12, 28, 28)
    np.testing.assert_allclose(
        found.images[3].ravel(), trained_nade.weight_in[3].detach()
    )
    order = sort_units(found, "norm")
    assert list(found.norms[order]) == sorted(found.norms, reverse=True)


def test_made_filters_are_the_masked_first_layer(digits):
    model = tiny_model("made", (28, 28))
    found = filters(model)
    assert isinstance(found, Filters) and found.images.shape == (13, 28, 28)
    first = model.hidden_layers[0]
    expected = (first.mask * first.weight).detach()[5].reshape(28, 28)
    np.testing.assert_allclose(found.images[5], expected)
    assert hidden_features(model, digits["test"].intensities()[:4]).shape == (4, 13)


def test_nade_features_are_the_hidden_state_after_every_pixel(trained_nade, digits):
    images = digits["test"].intensities()[:3]
    features = hidden_features(trained_nade, images)
    x = torch.as_tensor((images >= 0.5).astype(np.float32)).flatten(1)
    expected = torch.sigmoid(x @ trained_nade.weight_in.t() + trained_nade.bias_hidden)
    np.testing.assert_allclose(features, expected.detach(), rtol=1e-5, atol=1e-6)
    top = top_units(trained_nade, images[0], 4)
    assert np.all(np.diff(top.activations) <= 0)
    assert features[0, top.units[0]] == features[0].max()


@pytest.mark.parametrize(
    "name", ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]
)
def test_spatial_models_show_kernels_and_every_layers_maps(name, digits):
    model = tiny_model(name, (28, 28))
    found = filters(model)
    assert isinstance(found, Filters) and not found.whole_image
    image = digits["test"].intensities()[0]
    names = layer_names(model)
    # the stem and two blocks; the gated model's two layers
    assert len(names) == (2 if name == "gated_pixelcnn" else 3)
    for layer in range(len(names)):
        maps = feature_maps(model, image, layer)
        assert maps.shape[1:] == (28, 28)
    assert hidden_features(model, image[None]).shape[0] == 1


def test_silencing_a_unit_changes_the_likelihood_by_its_contribution(
    trained_nade, digits
):
    images = digits["test"].intensities()[:8]
    events = list(unit_contributions(trained_nade, images))
    assert [e.done for e in events[:-1] if isinstance(e, Progress)] == list(
        range(1, 13)
    )
    drops = events[-1]
    assert drops.shape == (12,) and np.abs(drops).max() > 0
    # the model is left as it was
    x = model_input(trained_nade, images)
    before = trained_nade.log_prob(x)
    run_to_end(unit_contributions(trained_nade, images))
    assert torch.equal(trained_nade.log_prob(x), before)
    order = sort_units(filters(trained_nade), "contribution", drops)
    assert drops[order[0]] == drops.max()


def test_features_versus_pixels_is_deterministic_and_above_chance(trained_nade, digits):
    def run() -> FeatureComparison:
        result = run_to_end(
            compare_with_pixels(
                trained_nade, digits["train"], digits["test"], (10, 100, 0), rounds=3
            )
        )
        assert isinstance(result, FeatureComparison)
        return result

    first, second = run(), run()
    assert first == second
    assert first.label_counts == (10, 100, 300)
    assert first.feature_size == 12 and first.pixel_size == 784
    # all 300 labels: far above the 10 % of guessing, for both representations
    assert first.feature_accuracy[-1] > 0.3 and first.pixel_accuracy[-1] > 0.5


def test_the_comparison_stops_when_asked(trained_nade, digits):
    events = list(
        compare_with_pixels(
            trained_nade,
            digits["train"],
            digits["test"],
            (10,),
            rounds=3,
            stop=lambda: True,
        )
    )
    assert all(isinstance(e, Progress) for e in events)
