"""Context regions do not depend on what a pixel's distribution is.

A model of gray levels or continuous pixels outputs several parameters per
pixel. Its theoretical context is the binary model's of the same
architecture; its measured context (the gradient of all of them, on gray
inputs) lies inside it, never in the future, and finds the real connections.
"""

import numpy as np
import pytest

from models.context import context_model, context_regions, theoretical_context
from models.registry import model_class

KINDS = ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]
SETTINGS = {
    "categorical": {"levels": 4},
    "logistic_mixture": {"levels": 16, "components": 2},
    "gaussian_mixture": {"components": 3},
}
CASES = [
    (kind, likelihood)
    for kind in KINDS
    for likelihood in SETTINGS
    if likelihood in model_class(kind).config_class.supported_likelihoods
]
SHAPE = (4, 5)


@pytest.mark.parametrize(("kind", "likelihood"), CASES)
def test_context_regions_are_those_of_the_binary_model(kind, likelihood):
    study = {"channels": 6, "first_kernel": 3}
    binary = context_model(kind, SHAPE, 2, **study)
    gray = context_model(kind, SHAPE, 2, likelihood=likelihood, **study)
    assert gray.output_channels > 1
    measured = theoretical = 0
    for index in range(SHAPE[0] * SHAPE[1]):
        pixel = divmod(index, SHAPE[1])
        ours = context_regions(gray, pixel)
        assert np.array_equal(ours.theoretical, theoretical_context(binary, pixel))
        assert not (ours.measured & ~ours.theoretical).any(), f"leak at {pixel}"
        assert not ours.violations.any(), f"future at {pixel}"
        measured += int(ours.measured.sum())
        theoretical += int(ours.theoretical.sum())
    # the measurement sees the real connections, not an empty set
    assert measured >= 0.8 * theoretical > 0
