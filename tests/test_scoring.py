"""Scoring drawings: log p(x), the surprise map, p(y | x), held-out scores."""

import numpy as np
import pytest
import torch

from models.evaluation import classify, marginal_log_prob, score_drawing, score_images
from models.registry import model_class
from tests.conftest import kind_of, tiny_model
from tests.test_exactness import all_images

NAMES = ["nade", "made", "made-ensemble", "pixelcnn", "diagonal_bilstm", "fvsbn"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("classes", [0, 3])
def test_marginal_is_a_distribution(name, classes):
    model = tiny_model(name, (3, 3), num_classes=classes)
    log_p = marginal_log_prob(model, all_images((3, 3))).double()
    assert torch.logsumexp(log_p, 0).exp().item() == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("classes", [0, 3])
def test_surprise_sums_to_minus_log_p_and_posterior_is_bayes(name, classes):
    model = tiny_model(name, (3, 4), num_classes=classes, seed=1)
    drawing = np.random.default_rng(0).random((3, 4))
    score = score_drawing(model, drawing)
    x = torch.from_numpy(drawing >= 0.5).float().view(1, 1, 3, 4)
    assert score.log_prob == pytest.approx(float(marginal_log_prob(model, x)), abs=1e-4)
    assert score.surprise.shape == (3, 4) and (score.surprise >= 0).all()
    if name != "made-ensemble":  # a mixture over orderings has no single chain
        assert score.surprise.sum() == pytest.approx(-score.log_prob, abs=1e-4)
    assert score.bits_per_dim == pytest.approx(-score.log_prob / (12 * np.log(2)))
    if classes:
        expected = model.class_log_posterior(x).exp()[0].detach().numpy()
        assert np.allclose(score.class_posterior, expected, atol=1e-5)
    else:
        assert score.class_posterior is None


def test_mixture_surprise_is_the_mixture_conditional():
    """Pixel by pixel: p(x_i | x_<i) = Σ_y p(y | x_<i) p(x_i | x_<i, y)."""
    model = tiny_model("nade", (2, 2), num_classes=2, seed=3)
    drawing = np.array([[1.0, 0.0], [1.0, 1.0]])
    score = score_drawing(model, drawing)
    x = torch.tensor(drawing).float().view(1, 1, 2, 2)
    # brute force: sum over every completion of the pixels after i
    images = all_images((2, 2))
    with torch.no_grad():
        joint = marginal_log_prob(model, images).exp()
    flat = images.view(16, 4)
    target = x.view(4)
    for k in range(4):
        prefix = (flat[:, : k + 1] == target[: k + 1]).all(1)
        before = (flat[:, :k] == target[:k]).all(1) if k else torch.ones(16, dtype=bool)
        p = joint[prefix].sum() / joint[before].sum()
        assert score.surprise.reshape(4)[k] == pytest.approx(-float(p.log()), abs=1e-5)


def test_score_images_matches_marginal(tmp_path):
    model = tiny_model("nade", (3, 3), num_classes=2)
    images = np.random.default_rng(1).integers(0, 2, (7, 3, 3)).astype(np.uint8)
    scores = score_images(model, images, batch_size=3)
    x = torch.from_numpy(images).float().unsqueeze(1)
    assert np.allclose(scores, marginal_log_prob(model, x).numpy(), atol=1e-5)


def test_a_drawing_of_the_wrong_size_is_refused():
    model = tiny_model("nade", (3, 3))
    with pytest.raises(Exception, match="the drawing is"):
        score_drawing(model, np.zeros((4, 4)))


def test_classify_is_bayes_rule():
    model = tiny_model("nade", (3, 3), num_classes=3, seed=4)
    images = np.random.default_rng(5).integers(0, 2, (6, 3, 3)).astype(np.uint8)
    posterior = classify(model, images, batch_size=4)
    x = torch.from_numpy(images).float().unsqueeze(1)
    expected = model.class_log_posterior(x).exp().detach().numpy()
    assert np.allclose(posterior, expected, atol=1e-6)
    assert np.allclose(posterior.sum(1), 1)
    with pytest.raises(Exception, match="class-conditional"):
        classify(tiny_model("nade", (3, 3)), images)


# -- every likelihood ------------------------------------------------------------------

GRAY = {
    "categorical": {"levels": 5},
    "logistic_mixture": {"levels": 6, "components": 2},
    "gaussian_mixture": {"levels": 8, "components": 3},
}
GRAY_CASES = [
    (name, likelihood)
    for name in ["nade", "made", "pixelcnn", "diagonal_bilstm", "markov", "bernoulli"]
    for likelihood in GRAY
    if likelihood in model_class(kind_of(name)).config_class.supported_likelihoods
]


@pytest.mark.parametrize(("name", "likelihood"), GRAY_CASES)
@pytest.mark.parametrize("classes", [0, 3])
def test_a_gray_drawing_is_scored_as_data_of_the_models_levels(
    name, likelihood, classes
):
    config = GRAY[likelihood]
    model = tiny_model(
        name, (3, 4), num_classes=classes, seed=2, likelihood=likelihood, **config
    )
    drawing = np.random.default_rng(3).random((3, 4))
    score = score_drawing(model, drawing)
    k = config["levels"] - 1
    levels = np.rint(drawing * k).astype(np.uint8)  # the nearest level of each pixel
    # the same number as the image gets in a data set (dequantized the same way)
    expected = float(score_images(model, levels[None])[0])
    assert score.log_prob == pytest.approx(expected, abs=1e-4, rel=1e-6)
    if model.likelihood.discrete:  # an exact probability of the levels
        x = torch.from_numpy(levels / k).float().view(1, 1, 3, 4)
        assert score.log_prob == pytest.approx(
            float(marginal_log_prob(model, x)), abs=1e-4
        )
        assert (score.surprise >= -1e-6).all()
    assert score.surprise.sum() == pytest.approx(-score.log_prob, abs=1e-4, rel=1e-6)
    assert score.bits_per_dim == pytest.approx(
        model.likelihood.bits_per_dim(-score.log_prob, 12)
    )
    if classes:
        assert score.class_posterior.sum() == pytest.approx(1.0)
    # the drawing's own values do not matter within a level
    nudged = np.clip(levels / k + 0.2 / k * (1 - 2 * (levels == k)), 0, 1)
    assert score_drawing(model, nudged).log_prob == pytest.approx(
        score.log_prob, rel=1e-6
    )
