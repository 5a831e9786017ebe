import json
import subprocess
import sys
import zlib

import numpy as np
import pytest

from models.checkpoint import load_checkpoint
from models.cli import main


def run_cli(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_names_every_kind(capsys):
    status, out, _ = run_cli(capsys, "list")
    data = json.loads(out)
    assert status == 0
    assert list(data["models"]) == [
        "bernoulli",
        "markov",
        "fvsbn",
        "nade",
        "made",
        "pixelcnn",
        "gated_pixelcnn",
        "row_lstm",
        "diagonal_bilstm",
    ]
    assert data["models"]["row_lstm"]["orderings"] == ["raster"]
    paper = data["models"]["diagonal_bilstm"]["presets"]["paper"]
    assert (paper["channels"], paper["layers"]) == (32, 1)
    assert "hilbert" in data["orderings"] and "mnist-5k" in data["datasets"]


def test_count_prints_exact_integers(capsys):
    status, out, _ = run_cli(
        capsys, "count", "--shape", "28x28", "--kind", "nade", "--set", "hidden=500"
    )
    data = json.loads(out)
    assert status == 0
    counts = {c["name"]: c["value"] for c in data["counts"]}
    assert counts["fully dependent"] == 2**784 - 1
    assert counts["Markov AR-1"] == 2 * 784 - 1
    assert data["model"]["value"] == data["model"]["numel"] == 2 * 784 * 500 + 784 + 500


ROUND_TRIPS = {
    "nade": ["--set", "hidden=16"],
    "pixelcnn": ["--set", "channels=4", "--set", "layers=1"],
    "gated_pixelcnn": ["--set", "channels=4", "--set", "layers=1"],
    "row_lstm": ["--preset", "small", "--set", "channels=4"],
    "diagonal_bilstm": ["--preset", "small", "--set", "channels=4"],
}


@pytest.mark.parametrize("kind", list(ROUND_TRIPS))
def test_train_eval_sample_round_trip(capsys, tmp_path, kind):
    status, out, err = run_cli(
        capsys,
        "train",
        "--kind",
        kind,
        "--data",
        "mnist-5k",
        "--epochs",
        "1",
        *ROUND_TRIPS[kind],
        "--max-batches",
        "5",
        "--out",
        str(tmp_path),
        "--name",
        "tiny",
    )
    assert status == 0, err
    summary = json.loads(out)
    assert summary["status"] == "finished"
    assert "epoch 1: train" in err
    path = tmp_path / "tiny.safetensors"
    assert summary["checkpoint"] == str(path)
    # no --lr: the model's own rate (spatial models take a larger step)
    record = load_checkpoint(path).metadata["training"]["config"]
    assert record["lr"] == (1e-3 if kind == "nade" else 1e-2)
    valid_nll = summary["history"][0]["valid_nll"]

    status, out, _ = run_cli(
        capsys, "eval", str(path), "--data", "mnist-5k", "--split", "test"
    )
    scored = json.loads(out)
    assert status == 0 and scored["count"] == 1000
    assert scored["nll_nats"] == pytest.approx(
        valid_nll, rel=1e-5
    )  # same split, same binarization
    assert scored["bits_per_dim"] == pytest.approx(
        scored["nll_nats"] / (784 * 0.6931471805599453)
    )

    png = tmp_path / "grid.png"
    status, out, _ = run_cli(
        capsys,
        "sample",
        str(path),
        "-n",
        "6",
        "--out",
        str(png),
        "--seed",
        "1",
        "--scale",
        "2",
    )
    assert status == 0 and json.loads(out)["n"] == 6
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (
        int.from_bytes(data[16:20], "big"),
        int.from_bytes(data[20:24], "big"),
    )
    assert (width, height) == (3 * 57 + 1, 2 * 57 + 1)  # 3×2 cells of 56 px + 1 px gaps
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4 : idat], "big")
    assert len(zlib.decompress(data[idat + 4 : idat + 4 + length])) == height * (
        width + 1
    )


def test_resume_continues_to_more_epochs(capsys, tmp_path):
    args = [
        "train",
        "--kind",
        "made",
        "--set",
        "hidden_sizes=[32]",
        "--max-batches",
        "2",
        "--out",
        str(tmp_path),
        "--name",
        "m",
    ]
    assert run_cli(capsys, *args, "--epochs", "1", "--lr", "0.004")[0] == 0
    status, out, _ = run_cli(
        capsys,
        "train",
        "--resume",
        str(tmp_path / "m"),
        "--epochs",
        "2",
        "--max-batches",
        "2",
    )
    assert status == 0
    assert [h["epoch"] for h in json.loads(out)["history"]] == [1, 2]
    training = load_checkpoint(tmp_path / "m").metadata["training"]
    assert training["epoch"] == 2
    assert training["config"]["lr"] == 0.004  # the resumed run keeps its rate


def test_init_fine_tunes_a_trained_model_as_a_new_run(capsys, tmp_path):
    """--init: the checkpoint's model and weights, a fresh optimizer, epoch 0."""
    import torch

    made = ["--kind", "made", "--set", "hidden_sizes=[32]", "--max-batches", "2"]
    out = ["--out", str(tmp_path)]
    assert run_cli(capsys, "train", *made, *out, "--name", "m", "--epochs", "2")[0] == 0
    # the best copy keeps no optimizer state: --resume refuses it, --init takes it
    best = tmp_path / "m-best"
    assert load_checkpoint(best).optimizer_state == {}
    status, _, err = run_cli(capsys, "train", "--resume", str(best), "--epochs", "3")
    assert status != 0 and "no optimizer state" in err
    start = load_checkpoint(best).model.state_dict()

    tiny_step = ["--lr", "1e-9", "--max-batches", "1", "--epochs", "1"]
    status, result, _ = run_cli(
        capsys, "train", "--init", str(best), *tiny_step, *out, "--name", "f"
    )
    assert status == 0
    assert [h["epoch"] for h in json.loads(result)["history"]] == [1]  # from epoch 0
    tuned = load_checkpoint(tmp_path / "f")
    for name, weight in tuned.model.state_dict().items():  # one step of 1e-9 away
        torch.testing.assert_close(weight, start[name], rtol=0, atol=1e-6)
    training = tuned.metadata["training"]
    assert training["config"]["lr"] == 1e-9 and training["global_step"] == 1
    origin = training["started_from"]
    assert (origin["name"], origin["kind"], origin["epochs"]) == ("m-best", "made", 2)
    assert [h["epoch"] for h in origin["history"]] == [1, 2]

    # resumed, the fine-tuned run still says where it started
    status, _, _ = run_cli(
        capsys, "train", "--resume", str(tmp_path / "f"), "--epochs", "2"
    )
    assert status == 0
    again = load_checkpoint(tmp_path / "f").metadata["training"]
    assert again["epoch"] == 2 and again["started_from"] == origin


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--resume", "x"], "--resume continues a run, --init starts a new one"),
        (["--set", "hidden=8"], "--set: a run started with --init keeps the model"),
        (["--likelihood", "categorical"], "--likelihood: a run started with --init"),
        (["--conditional"], "holds a model of p(x), not p(x | label)"),
    ],
)
def test_init_refuses_what_would_change_its_model(capsys, tmp_path, extra, message):
    made = ["--kind", "made", "--set", "hidden_sizes=[8]", "--max-batches", "1"]
    assert run_cli(capsys, "train", *made, "--out", str(tmp_path), "--name", "m",
                   "--epochs", "1")[0] == 0  # fmt: skip
    status, _, err = run_cli(
        capsys, "train", "--init", str(tmp_path / "m"), "--epochs", "1", *extra
    )
    assert status != 0 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "m-best.json",
        "m-best.safetensors",
        "m.json",
        "m.safetensors",
    ]  # fmt: skip  (nothing written)


def test_resume_continues_on_the_runs_own_data_and_settings(
    capsys, tmp_path, monkeypatch
):
    rng = np.random.default_rng(0)
    data = tmp_path / "digits.npz"
    np.savez(
        data,
        train=rng.random((48, 6, 5)).astype(np.float32),
        valid=rng.random((16, 6, 5)).astype(np.float32),
    )
    first = [
        "train", "--kind", "fvsbn", "--data", "digits.npz", "--binarize", "dynamic",
        "--seed", "5", "--batch-size", "16", "--schedule", "constant",
        "--patience", "4", "--weight-decay", "0.001", "--lr", "0.02",
        "--epochs", "1", "--out", str(tmp_path), "--name", "f",
    ]  # fmt: skip
    monkeypatch.chdir(tmp_path)
    assert run_cli(capsys, *first)[0] == 0
    monkeypatch.chdir(tmp_path.parent)  # "digits.npz" no longer names the file
    status, out, _ = run_cli(
        capsys, "train", "--resume", str(tmp_path / "f"), "--epochs", "2"
    )
    assert status == 0
    result = json.loads(out)
    assert [h["epoch"] for h in result["history"]] == [1, 2]
    assert result["best_checkpoint"] == str(tmp_path / "f-best.safetensors")
    resumed = load_checkpoint(tmp_path / "f").metadata
    assert resumed["data"]["path"] == str(data)  # not the default mnist-5k
    assert resumed["binarization"]["mode"] == "dynamic"
    config = resumed["training"]["config"]
    assert (config["seed"], config["batch_size"], config["lr_schedule"]) == (
        5,
        16,
        "constant",
    )
    assert (config["patience"], config["weight_decay"], config["lr"]) == (
        4,
        0.001,
        0.02,
    )
    assert result["history"][1]["valid_nll"] is not None


@pytest.mark.parametrize(
    "args, message",
    [
        (["eval", "nowhere.safetensors", "--data", "mnist-5k"], "no such checkpoint"),
        (["train", "--kind", "vae", "--max-batches", "1"], "unknown model kind 'vae'"),
        (["train", "--data", "missing.npz"], "no such file or folder"),
        (["train", "--set", "hidden"], "--set needs key=value"),
        (["train", "--set", "hidden=-4"], "hidden must be ≥ 1"),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, args, message):
    status, _, err = run_cli(
        capsys, *args, *(["--out", str(tmp_path)] if args[0] == "train" else [])
    )
    assert status == 2
    assert message in err and err.count("\n") == 1


def test_the_installed_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "models", "count", "--shape", "3x3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"][0]["value"] == 511


# -- likelihoods: K levels and continuous pixels --------------------------------------


def kinds_supporting(likelihood):
    from models.registry import available, model_class

    return [
        k
        for k in available()
        if likelihood in model_class(k).config_class.supported_likelihoods
    ]


def pick(likelihood, prefer):
    kinds = kinds_supporting(likelihood)
    if not kinds:
        pytest.skip(f"no model kind declares {likelihood} yet")
    return prefer if prefer in kinds else kinds[0]


SMALL_SETTINGS = {
    "nade": ["--set", "hidden=8"],
    "made": ["--set", "hidden_sizes=[16]"],
    "pixelcnn": ["--set", "channels=4", "--set", "layers=1"],
}


@pytest.fixture
def gray_file(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "gray.npz"
    ramp = np.linspace(0, 255, 30).reshape(6, 5)  # smooth images: easy to learn
    images = np.clip(ramp + rng.normal(0, 20, (64, 6, 5)), 0, 255).astype(np.uint8)
    np.savez(path, train=images[:48], valid=images[48:])
    return path


def test_list_shows_each_kinds_likelihoods_and_every_likelihood(capsys):
    from models.likelihoods import LIKELIHOODS
    from models.registry import model_class

    data = json.loads(run_cli(capsys, "list")[1])
    assert list(data["likelihoods"]) == list(LIKELIHOODS)
    assert data["likelihoods"]["gaussian_mixture"]["discrete"] is False
    assert data["likelihoods"]["categorical"]["discrete"] is True
    for kind, entry in data["models"].items():
        supported = model_class(kind).config_class.supported_likelihoods
        assert entry["likelihoods"] == list(supported)
        assert entry["likelihoods"][0] == "bernoulli"  # every kind stays binary too


def _train_gray(capsys, tmp_path, gray_file, name, kind, likelihood, *settings):
    """Train ``kind`` one epoch on the gray file; its validation NLL and record."""
    status, out, err = run_cli(
        capsys,
        "train",
        "--kind", kind, "--likelihood", likelihood, *settings,
        "--data", str(gray_file), "--epochs", "1", "--batch-size", "16",
        *SMALL_SETTINGS.get(kind, []),
        "--out", str(tmp_path), "--name", name,
    )  # fmt: skip
    assert status == 0, err
    valid_nll = json.loads(out)["history"][0]["valid_nll"]
    return valid_nll, load_checkpoint(tmp_path / name).metadata


def test_a_256_level_model_trains_evaluates_and_samples_gray(
    capsys, tmp_path, gray_file
):
    valid_nll, record = _train_gray(
        capsys, tmp_path, gray_file, "gray",
        pick("categorical", "pixelcnn"), "categorical", "--levels", "256",
    )  # fmt: skip
    assert record["config"]["likelihood"] == "categorical"
    assert record["config"]["levels"] == 256
    assert record["binarization"] is None
    assert record["data"]["quantization"]["levels"] == 256
    assert record["data"]["path"] == str(gray_file)

    status, out, _ = run_cli(
        capsys, "eval", str(tmp_path / "gray"), "--data", str(gray_file)
    )
    scored = json.loads(out)
    assert status == 0 and scored["count"] == 16
    assert scored["nll_nats"] == pytest.approx(valid_nll, rel=1e-6)
    assert scored["bits_per_dim"] == pytest.approx(
        scored["nll_nats"] / (30 * np.log(2))
    )
    assert scored["quantization"]["levels"] == 256
    assert "bits_per_dim_note" not in scored

    png = tmp_path / "gray.png"
    status, out, _ = run_cli(
        capsys, "sample", str(tmp_path / "gray"), "-n", "4", "--out", str(png),
        "--seed", "3", "--scale", "1",
    )  # fmt: skip
    assert status == 0 and json.loads(out)["likelihood"] == "categorical"
    data = png.read_bytes()
    idat = data.index(b"IDAT")
    length = int.from_bytes(data[idat - 4 : idat], "big")
    width = int.from_bytes(data[16:20], "big")
    rows = zlib.decompress(data[idat + 4 : idat + 4 + length])
    pixels = np.frombuffer(rows, np.uint8).reshape(-1, width + 1)[:, 1:]
    cells = pixels[1:7, 1:6]  # the first sample, inside the 1-px border
    assert len(np.unique(cells)) > 2  # gray levels, not black and white


def test_a_mixture_of_gaussians_reports_bits_per_dim_with_the_correction(
    capsys, tmp_path, gray_file
):
    valid_nll, record = _train_gray(
        capsys, tmp_path, gray_file, "rnade",
        pick("gaussian_mixture", "nade"), "gaussian_mixture", "--components", "3",
    )  # fmt: skip
    assert record["config"]["components"] == 3
    assert "fresh each epoch" in record["data"]["dequantization"]["training"]
    runs = [
        json.loads(
            run_cli(capsys, "eval", str(tmp_path / "rnade"), "--data", str(gray_file))[
                1
            ]
        )
        for _ in range(2)
    ]
    assert runs[0]["nll_nats"] == runs[1]["nll_nats"]  # fixed noise: reproducible
    assert runs[0]["nll_nats"] == pytest.approx(valid_nll, rel=1e-6)
    assert runs[0]["bits_per_dim"] == pytest.approx(
        runs[0]["nll_nats"] / (30 * np.log(2)) + 8
    )
    assert "log₂ 256" in runs[0]["bits_per_dim_note"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--likelihood", "poisson"], "unknown likelihood 'poisson'"),
        (["--levels", "1"], "must lie between 2 and 256"),
        (["--levels", "300"], "must lie between 2 and 256"),
        (["--components", "0"], "must lie between 1 and 64"),
        (["--components", "65"], "must lie between 1 and 64"),
        (["--levels", "many"], "must be a whole number"),
    ],
)
def test_likelihood_arguments_are_bounded(capsys, tmp_path, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["train", *args, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and message in err
    assert err.count("\n") == 1


def test_a_binarization_for_a_k_level_model_is_one_line(capsys, tmp_path, gray_file):
    kind = pick("categorical", "made")
    status, _, err = run_cli(
        capsys,
        "train", "--kind", kind, "--likelihood", "categorical", "--levels", "4",
        "--binarize", "dynamic", "--data", str(gray_file), "--out", str(tmp_path),
    )  # fmt: skip
    assert status == 2 and err.count("\n") == 1
    assert "binarization is for binary (bernoulli) models" in err
    assert list(tmp_path.glob("*.safetensors")) == []
