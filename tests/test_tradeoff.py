"""Fitting the tabular models by counting, and the parameters-against-fit chart.

The counts are checked against a brute-force count on tiny data (across
blocks of pixels, with classes and K levels), the counted table against
gradient training, the α the validation split chooses against the model's own
score, ``ar-models fit`` end to end, and the chart's points against the shipped
checkpoints and results file.
"""

import json
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from models import counting, fit
from models.checkpoint import load_checkpoint, read_metadata, save_checkpoint
from models.cli import main as cli
from models.errors import ConfigError, DataError
from models.evaluation import evaluate
from models.fit import fit_by_counting, table_counts
from models.library import Library, bundled_dir
from models.registry import create
from models.tradeoff import COUNTED, RESULTS, full_joint, read_results, tradeoff_points


def _images(count, shape, levels, seed=0):
    rng = np.random.default_rng(seed)
    # correlated neighbours, so the window matters
    base = rng.random((count, *shape)) < 0.4
    noise = rng.integers(0, levels, (count, *shape))
    return np.where(base, noise, np.roll(noise, 1, axis=2)).astype(np.uint8)


def _brute_counts(model, images, labels):
    """(class, generation position, window levels newest first, level) → count."""
    order = model.ordering.tolist()
    found = {}
    for index, image in enumerate(images.reshape(len(images), -1)):
        y = 0 if labels is None else int(labels[index])
        seq = image[order]
        for i in range(len(seq)):
            window = tuple(int(v) for v in seq[max(0, i - model.reach) : i][::-1])
            key = (y, i, window, int(seq[i]))
            found[key] = found.get(key, 0) + 1
    return found


@pytest.mark.parametrize("levels, classes", [(2, 0), (3, 2)])
@pytest.mark.parametrize("order", [1, 3])
def test_counts_are_the_brute_force_frequencies(monkeypatch, order, levels, classes):
    monkeypatch.setattr(fit, "BLOCK_KEYS", 40)  # many blocks of pixels
    likelihood = "bernoulli" if levels == 2 else "categorical"
    model = create(
        "markov",
        (3, 4),
        order=order,
        ordering="snake",
        likelihood=likelihood,
        levels=levels,
        num_classes=classes,
    )
    images = _images(60, (3, 4), levels)
    labels = np.arange(60, dtype=np.int64) % classes if classes else None
    counts = table_counts(model, images, labels)
    brute = _brute_counts(model, images, labels)
    offsets = model.context_offset.tolist()
    for (y, i, window, level), n in brute.items():
        code = sum(v * levels**j for j, v in enumerate(window))
        assert int(counts[y, offsets[i] + code, level]) == n
    assert int(counts.sum()) == sum(brute.values()) == 60 * 12


def test_counted_table_beats_gradient_training_on_the_training_set():
    images = _images(80, (3, 3), 2, seed=1)
    counted = create("markov", (3, 3), order=2)
    fit_by_counting(counted, images, alpha=1e-6)
    trained = create("markov", (3, 3), order=2)
    x = torch.from_numpy(images).float().unsqueeze(1)
    optimizer = torch.optim.Adam(trained.parameters(), lr=0.1)
    for _ in range(150):
        optimizer.zero_grad()
        loss = -trained.log_prob(x).mean()
        loss.backward()
        optimizer.step()
    best = evaluate(counted, images).nll_nats
    assert best <= evaluate(trained, images).nll_nats + 1e-4
    # the maximum: no direction of the table improves it
    table = counted.logits.detach().clone().requires_grad_(True)
    counted.logits = torch.nn.Parameter(table)
    (-counted.log_prob(x).mean()).backward()
    assert counted.logits.grad.abs().max() < 1e-3


@pytest.mark.parametrize(
    "kind, settings", [("markov", {"order": 3}), ("bernoulli", {})]
)
def test_alpha_is_chosen_by_the_models_own_validation_score(kind, settings):
    train, valid = _images(50, (4, 4), 2, seed=2), _images(30, (4, 4), 2, seed=3)
    model = create(kind, (4, 4), ordering="hilbert", **settings)
    result = fit_by_counting(model, train, valid=valid, alpha=(0.01, 0.5, 5.0))
    assert set(result.valid_nll) == {0.01, 0.5, 5.0}
    assert result.alpha == min(result.valid_nll, key=result.valid_nll.get)
    for alpha, nll in result.valid_nll.items():  # the counts' score is the model's
        fit_by_counting(model, train, alpha=alpha)
        assert evaluate(model, valid).nll_nats == pytest.approx(nll, rel=1e-5)
    # smoothed: an unseen context is the uniform distribution, never −∞
    assert math.isfinite(evaluate(model, 1 - valid).nll_nats)


def test_fit_refuses_what_it_cannot_count():
    images = _images(5, (2, 2), 2)
    with pytest.raises(ConfigError, match="not a tabular model"):
        fit_by_counting(create("nade", (2, 2), hidden=3), images)
    model = create("markov", (2, 2))
    for alpha in (0.0, -1.0, math.nan, ()):
        with pytest.raises(ConfigError, match="alpha must be positive"):
            fit_by_counting(model, images, alpha=alpha)
    with pytest.raises(ConfigError, match="images must be"):
        fit_by_counting(model, _images(5, (3, 2), 2))
    with pytest.raises(
        ConfigError, match="hold level 2; the model's levels are 0 to 1"
    ):
        fit_by_counting(model, images * 2)


def _packed(path, splits):
    bits = {k: np.packbits(v.reshape(len(v), -1), axis=1) for k, v in splits.items()}
    np.savez(path, shape=np.array([28, 28]), **bits)
    return path


def test_cli_fit_writes_an_ordinary_checkpoint(tmp_path, capsys):
    data = _packed(
        tmp_path / "digits.npz",
        {"train": _images(40, (28, 28), 2), "valid": _images(20, (28, 28), 2, 5)},
    )
    out = tmp_path / "runs"
    args = ["fit", "--set", "order=4", "--data", str(data), "--out", str(out)]
    assert cli([*args, "--name", "m4", "--alpha", "0.1", "--alpha", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["num_parameters"] == counting.markov(784, 4).value
    assert result["alpha"] in (0.1, 1.0)
    record = read_metadata(out / "m4.safetensors")
    assert record["training"]["method"] == "counting"
    assert record["training"]["alpha"] == result["alpha"]
    assert [a for a, _ in record["training"]["valid_nll_by_alpha"]] == [0.1, 1.0]
    assert record["metrics"]["valid_nll_nats"] == pytest.approx(
        result["valid_nll_nats"]
    )
    assert record["data"]["name"] == str(data)
    model = load_checkpoint(out / "m4.safetensors").model
    valid = _images(20, (28, 28), 2, 5)
    assert evaluate(model, valid).nll_nats == pytest.approx(result["valid_nll_nats"])
    assert cli([*args, "--name", "m4"]) == 2  # taken, without --overwrite
    assert "already exists" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="2"):
        cli(["fit", "--kind", "nade", "--data", str(data)])
    assert "invalid choice: 'nade'" in capsys.readouterr().err
    assert cli(["fit", "--set", "order=99", "--data", str(data), "--out", str(out)])
    assert "order" in capsys.readouterr().err


def test_the_shipped_results_match_the_shipped_checkpoints():
    rows = read_results()
    assert set(rows) >= {model.name for model in COUNTED}
    for model in COUNTED:
        row = rows[model.name]
        assert (
            row["num_parameters"]
            == counting.markov(784, row["settings"]["order"]).value
        )
        path = bundled_dir() / f"{model.name}.safetensors"
        assert path.is_file() == model.shipped == row["shipped"]
        if model.shipped:
            record = read_metadata(path)
            assert record["metrics"]["valid_nll_nats"] == row["valid_nll_nats"]
            assert record["training"]["method"] == "counting"
            assert model.command in record["notes"]


def test_points_are_the_shipped_binarized_mnist_models_and_ar16(tmp_path):
    points = tradeoff_points(Library(tmp_path, bundled_dir()))
    by_name = {p.name: p for p in points}
    assert {"nade-bmnist", "made-bmnist", "bernoulli-bmnist"} <= set(by_name)
    assert not any("mnist5k" in name or "fashion" in name for name in by_name)
    assert [p.order for p in points if p.order] == [1, 2, 4, 8, 16]
    sizes = [p.num_parameters for p in points]
    assert sizes == sorted(sizes)
    ar16 = by_name["markov-k16-bmnist"]
    assert (ar16.shipped, ar16.path) == (False, None)
    assert ar16.num_parameters == counting.markov(784, 16).value
    assert "--set order=16" in ar16.command
    nade = by_name["nade-bmnist"]
    assert nade.shipped and nade.path == bundled_dir() / "nade-bmnist.safetensors"
    assert nade.valid_nll == read_metadata(nade.path)["metrics"]["valid_nll_nats"]
    assert by_name["bernoulli-bmnist"].label == "independent"
    assert full_joint().magnitude.digits == 237  # 2^784 − 1


def test_a_regenerated_model_links_to_its_checkpoint(tmp_path):
    user = tmp_path / "user"
    stand_in = create("markov", (28, 28), order=1)
    data = {"name": "binarized-mnist", "path": None, "valid": "valid"}
    save_checkpoint(
        user / "markov-k16-bmnist",
        stand_in,
        data=data,
        metrics={"valid_nll_nats": 142.0},
        name="markov-k16-bmnist",
    )
    results = tmp_path / "results.json"
    row = {"name": "markov-k16-bmnist", "num_parameters": 5, "valid_nll_nats": 1.5}
    results.write_text(json.dumps({"models": [row]}))
    points = tradeoff_points(Library(user, None), results)
    assert [(p.name, p.valid_nll, p.shipped) for p in points] == [
        ("markov-k16-bmnist", 1.5, False)
    ]
    assert points[0].path == user / "markov-k16-bmnist.safetensors"


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"[" * 100_000, "nests too deeply"),
        (b'{"models": [{"name": 1}]}', "needs a name"),
        (b"{}", "no list of 'models'"),
        (b"1" * 5000, "too many digits"),
        (b" " * (2 << 20), "larger than"),
    ],
)
def test_a_bad_results_file_is_one_clear_error(tmp_path, content, problem):
    path = tmp_path / "results.json"
    path.write_bytes(content)
    with pytest.raises(DataError, match=problem):
        read_results(path)


def test_a_results_path_that_is_not_a_file_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(DataError, match="cannot be read"):
        read_results(fifo)
    with pytest.raises(DataError, match="cannot be read"):
        read_results(Path(tmp_path))
    assert RESULTS.is_file()


def test_the_readme_table_is_the_charts_points(tmp_path):
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = text.split("#### Parameters against fit", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `([\w-]+)` \| ([\d,]+) \| ([\d.]+) \|", section, re.M)
    points = tradeoff_points(Library(tmp_path, bundled_dir()))
    assert [(name, int(n.replace(",", "")), float(nll)) for name, n, nll in rows] == [
        (p.name, p.num_parameters, round(p.valid_nll, 2)) for p in points
    ]
