"""The shipped checkpoints: complete records, the size budget, and the README's
figures reproduced by ``ar-models eval`` on the data they were chosen on."""

import importlib.util
import json
import re
import shlex
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from models.checkpoint import load_checkpoint, read_metadata
from models.cli import main as cli
from models.library import Library, bundled_dir
from models.tradeoff import COUNTED as TRADEOFF_MODELS

ROOT = Path(__file__).resolve().parents[1]
#: Tables fitted by counting (scripts/make_tradeoff.py; tests/test_tradeoff.py).
COUNTED = {model.name for model in TRADEOFF_MODELS if model.shipped}
SHIPPED = sorted(
    p for p in bundled_dir().glob("*.safetensors") if p.stem not in COUNTED
)


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_pretrained", ROOT / "scripts" / "make_pretrained.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_pretrained", module)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()
RECIPES = SCRIPT.RECIPES
#: The models that ship: every recipe but the paper-size ones, made for a GPU.
SHIPPED_NAMES = {name for name, recipe in RECIPES.items() if recipe.shipped}
PAPER = sorted(name for name, recipe in RECIPES.items() if recipe.group == "paper")


def _readme_rows():
    """`name` → (NLL nats, accuracy % or None) from the README's results tables.

    The gray models' table has the likelihood and the data before the
    parameters, and a density's NLL may be negative.
    """
    rows = {}
    pattern = re.compile(
        r"^\| `(?P<name>[\w-]+)` \(.*?\) (?:\| [^|]+ \| [\w-]+ )?"
        r"\| [\d,]+ \| (?P<nll>−?-?[\d.]+) nats(?: \(density\))? \|"
        r"(?P<rest>.*)$"
    )
    for line in (ROOT / "README.md").read_text().splitlines():
        match = pattern.match(line)
        if match:
            accuracy = re.search(r"\| ([\d.]+) % \|", match["rest"])
            rows[match["name"]] = (
                float(match["nll"].replace("−", "-")),
                float(accuracy[1]) if accuracy else None,
            )
    return rows


def test_every_recipe_of_the_shipped_groups_ships_and_nothing_else():
    shipped = {path.name.removesuffix(".safetensors") for path in SHIPPED}
    assert shipped == SHIPPED_NAMES
    assert set(SCRIPT.selected(None)) == SHIPPED_NAMES  # what a plain run makes


def test_paper_recipes_are_not_shipped_nor_made_by_default():
    assert len(PAPER) == 3
    assert not SHIPPED_NAMES & set(PAPER)
    assert not {p.stem for p in bundled_dir().iterdir()} & set(PAPER)
    assert set(SCRIPT.selected("paper")) == set(PAPER)
    for name in PAPER:
        assert RECIPES[name].cpu_epoch, f"{name} has no measured time per epoch"


def _counted(recipe, capsys) -> dict:
    """The model ``ar-models count`` builds from the recipe's model options."""
    assert cli(["count", *recipe.model_options()]) == 0
    return json.loads(capsys.readouterr().out)["model"]


def test_paper_recipes_build_the_published_sizes(capsys):
    """PixelRNN paper, binarized MNIST: PixelCNN with 15 residual blocks of
    h = 128 (2h = 256 maps between blocks, two 1×1 output layers); Diagonal
    BiLSTM with 7 layers of h = 16; and a Gated PixelCNN larger than the one
    that ships."""
    pixelcnn = _counted(RECIPES["pixelcnn-paper-bmnist"], capsys)
    assert pixelcnn["kind"] == "pixelcnn"
    assert pixelcnn["config"]["channels"] == 2 * 128
    assert pixelcnn["config"]["layers"] == 15
    assert pixelcnn["config"]["output_layers"] == 2
    bilstm = _counted(RECIPES["diagonal-bilstm-deep-bmnist"], capsys)
    assert bilstm["kind"] == "diagonal_bilstm"
    assert (bilstm["config"]["layers"], bilstm["config"]["channels"]) == (7, 16)
    gated = _counted(RECIPES["gated-pixelcnn-large-bmnist"], capsys)
    shipped = _counted(RECIPES["gated-pixelcnn-bmnist"], capsys)
    assert gated["kind"] == shipped["kind"] == "gated_pixelcnn"
    assert gated["config"]["layers"] > shipped["config"]["layers"]
    assert gated["config"]["channels"] > shipped["config"]["channels"]
    for model in (pixelcnn, bilstm, gated):  # the formula agrees with the model built
        assert model["numel"] == model["value"]
    for name in PAPER:  # binarized MNIST, chosen on its valid split, seed 0
        args = RECIPES[name].args
        assert args[args.index("--data") + 1] == "binarized-mnist"
        assert args[args.index("--seed") + 1] == "0"


def _tiny_digits(path: Path) -> Path:
    """A few bundled digits at ½, as train and valid splits of an ``.npz``."""
    with np.load(ROOT / "resources" / "data" / "mnist_5k.npz") as data:
        digits = data["train"][:24] > 127
    np.savez(path, train=digits[:16], valid=digits[16:])
    return path


# the paper models made cheap: as deep as published, with few feature maps
# (the Diagonal BiLSTM's 16 are cheap enough as they are)
TINY = {
    "pixelcnn-paper-bmnist": ("--set", "channels=8"),
    "diagonal-bilstm-deep-bmnist": (),
    "gated-pixelcnn-large-bmnist": ("--set", "channels=8"),
}


@pytest.mark.parametrize("name", PAPER)
def test_paper_recipe_trains_at_tiny_size_to_a_loadable_checkpoint(
    name, tmp_path, capsys
):
    """The recipe's own command, one epoch of two batches of 8 digits, then
    exported as a shipped model would be: it loads, is the recipe's model and
    scores digits."""
    recipe = RECIPES[name]
    counted = _counted(recipe, capsys)
    published = counted["config"]
    data = _tiny_digits(tmp_path / "digits.npz")
    extra = ["--data", str(data), "--epochs", "1", "--max-batches", "2"]
    extra += ["--batch-size", "8", "--device", "cpu", *TINY[name]]
    argv = ["--only", name, "--runs", str(tmp_path / "runs")]
    argv += ["--out", str(tmp_path / "out"), "--", *extra]
    assert SCRIPT.main(argv) == 0
    path = tmp_path / "out" / f"{name}.safetensors"
    checkpoint = load_checkpoint(path)
    record = read_metadata(path)
    assert checkpoint.model.kind == counted["kind"]
    config = checkpoint.model.config.to_dict()
    channels = 8 if TINY[name] else published["channels"]
    assert config == {**published, "channels": channels}
    assert record["training"]["epoch"] == 1
    assert record["training"]["config"]["patience"] == 5  # the recipe's own
    assert record["optimizer"] is None  # exported as a shipped copy would be
    assert recipe.describe() in record["notes"]
    x = torch.from_numpy(np.load(data)["valid"][:2]).float().unsqueeze(1)
    with torch.no_grad():
        scores = checkpoint.model.eval().log_prob(x)
    assert torch.isfinite(scores).all() and (scores < 0).all()
    assert record["metrics"]["valid_nll_nats"] > 0


def test_paper_commands_run_the_recipe_on_gpus(capsys):
    """``--commands`` prints, for each paper model, the torchrun commands for
    one machine and for several; each is the recipe's ``ar-models train``."""
    from models.cli import build_parser

    assert SCRIPT.main(["--group", "paper", "--commands"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for name in PAPER:
        launches = RECIPES[name].launches(name)
        assert all(command in lines for command in launches.values())
        torchrun = [c for c in launches.values() if c.startswith("torchrun ")]
        assert len(torchrun) == 2
        assert "--standalone --nproc_per_node=8" in torchrun[0]
        assert "--nnodes=2" in torchrun[1] and "--rdzv-endpoint=" in torchrun[1]
        for command in torchrun:
            words = shlex.split(command)
            after = words[words.index("models") + 1 :]
            args = build_parser().parse_args(after)
            assert args.device == "cuda" and args.name == name
            assert " ".join(after).startswith(RECIPES[name].describe()[10:])


def test_shipped_checkpoints_fit_the_size_budget():
    total = sum(p.stat().st_size for p in bundled_dir().iterdir() if p.is_file())
    assert total <= 40 * 10**6


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_each_record_says_how_the_model_was_made(path):
    record = read_metadata(path)
    name = path.name.removesuffix(".safetensors")
    training = record["training"]
    assert record["data"]["name"] in (
        "binarized-mnist",
        "mnist-5k",
        "mnist-10k",
        "mnist-full",
        "fashion-mnist",
    )
    if record["config"].get("likelihood", "bernoulli") == "bernoulli":
        assert record["binarization"]["mode"] == "threshold"
    else:  # K levels, as they are: never binarized
        assert record["binarization"] is None
        assert record["data"]["quantization"]["levels"] == record["config"]["levels"]
    assert record["config"] and training["config"]["seed"] == 0
    assert 1 <= training["epoch"] <= training["config"]["epochs"]
    assert training["history"][-1]["epoch"] == training["epoch"]
    assert training["seconds"] > 0
    assert record["metrics"]["valid_nll_nats"] == pytest.approx(
        training["history"][-1]["valid_nll"]
    )
    assert record["optimizer"] is None  # weights only
    command = "ar-models train " + " ".join(RECIPES[name].args)
    assert command in record["notes"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_benchmark_models_were_chosen_on_the_validation_split(path):
    record = read_metadata(path)
    if record["data"]["name"] != "binarized-mnist":
        pytest.skip("a canvas model (mnist-5k/10k have no validation split)")
    training = record["training"]
    assert record["data"]["valid"] == "valid"
    history = training["run_history"]
    assert len(history) == training["run_epochs"]
    best = min(history, key=lambda e: e["valid_nll"])
    assert training["epoch"] == best["epoch"]  # the best epoch is the one shipped


def test_the_library_lists_every_shipped_model(tmp_path):
    entries = Library(user_dir=tmp_path, bundled=bundled_dir()).entries()
    assert {e.name for e in entries if e.bundled} == SHIPPED_NAMES | COUNTED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_eval_prints_the_readme_figure(path, capsys, binarized_mnist_path):
    name = path.name.removesuffix(".safetensors")
    nll, accuracy = _readme_rows()[name]
    data = read_metadata(path)["data"]["name"]
    data_arg, split = {
        "binarized-mnist": (str(binarized_mnist_path), "valid"),
        "fashion-mnist": ("fashion-mnist", "test"),
        "mnist-10k": ("mnist-10k", "test"),
    }.get(data, ("mnist-5k", "test"))
    assert cli(["eval", str(path), "--data", data_arg, "--split", split]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["nll_nats"] == pytest.approx(nll, abs=0.05)
    if accuracy is not None:
        assert 100 * result["accuracy"] == pytest.approx(accuracy, abs=0.05)


def test_sampler_canvas_and_context_work_with_every_shipped_model(qtbot, tmp_path):
    """A fresh install: the library lists the shipped models, and each one
    samples, scores a real digit and shows its context without any training."""
    from PySide6.QtCore import QSettings, Qt

    from desktop_app.app import MainWindow
    from desktop_app.panels.canvas import CanvasPanel
    from desktop_app.panels.context import CURRENT, ContextPanel
    from desktop_app.panels.sampler import SamplerPanel
    from desktop_app.session import Session
    from models.context import future_pixels

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Session(Library(tmp_path / "user", bundled_dir())), settings)
    qtbot.addWidget(window)
    window.show()
    assert window.session.checkpoint.name == "nade-mnist5k-classes"  # first launch

    def show(cls):
        index = next(i for i, p in enumerate(window.panels) if isinstance(p, cls))
        window.show_panel(index)
        return window.panels[index]

    entries = window.session.entries()
    assert {e.name for e in entries} == SHIPPED_NAMES | COUNTED
    for row, entry in enumerate(entries):
        window.library_view.select_row(row)
        with qtbot.waitSignal(window.session.model_changed, timeout=30_000):
            window.library_view.use_selected()  # loads in the background
        model = window.session.checkpoint.model
        assert window.session.checkpoint.name == entry.name

        sampler = show(SamplerPanel)
        for _ in range(3):
            qtbot.mouseClick(sampler.step_button, Qt.MouseButton.LeftButton)
        assert sampler.step == 3, entry.name
        assert "step 3 of 784" in sampler.info.text()

        canvas = show(CanvasPanel)
        canvas.load_digit(7)
        score = canvas.rescore()
        assert score is not None and np.isfinite(score.log_prob), entry.name
        assert score.surprise.shape == (28, 28)
        if model.likelihood.discrete:  # a probability; a density may exceed 1
            assert score.log_prob < 0
        assert (score.class_posterior is not None) == bool(model.num_classes)

        context = show(ContextPanel)
        context.pair_box.setCurrentText(CURRENT)
        assert context.showing_current()
        with qtbot.waitSignal(context.computed, timeout=60_000):
            context.select_pixel(14, 14)  # measured in the background
        view = context.views[0]
        assert view.model is model
        future = future_pixels(model, (14, 14))
        assert not view.violations.any(), entry.name
        assert not (view.measured & future).any()
        assert (view.measured & ~view.theoretical).sum() == 0
    window.close()


# log p(x | y) in nats of the first 8 `mnist-5k` test digits (intensity > 0.5;
# a class model is given each digit's true label) under every checkpoint that
# shipped before pixel likelihoods became pluggable (commit 081936d). These are
# a fixed regression reference, not values read from the code under test: they
# were computed with the code of the commit before that refactor, 6318ce8, by
#
#   git worktree add ../old 6318ce8 && cd ../old && PYTHONPATH=. python -c '
#   import numpy as np, torch; from pathlib import Path
#   from models.checkpoint import load_checkpoint
#   data = np.load("resources/data/mnist_5k.npz")
#   x = torch.from_numpy(data["test"][:8] / 255.0 > 0.5).float().unsqueeze(1)
#   y = torch.from_numpy(data["test_labels"][:8])
#   for path in sorted(Path("resources/checkpoints").glob("*.safetensors")):
#       model = load_checkpoint(path).model.eval()
#       with torch.no_grad():
#           s = model.log_prob(x, y if model.num_classes else None)
#       print(path.stem, [round(v, 6) for v in s.double().tolist()])'
#
# (torch 2.13.0+cpu). nade-mnist5k-classes and pixelcnn-mnist5k-classes have no
# reference: they were retrained afterwards (on mnist-full); nade-bmnist and
# pixelcnn-bmnist hold NADE and PixelCNN to their old scores.
# (torch 2.13.0+cpu). A Bernoulli model must score exactly as it did then; the
# tolerance, 10⁻³ nats per image, only absorbs float32 summation order (a sum of
# 784 terms near −80); one pixel's probability changing by 0.1 % moves a score
# by about 10⁻³, a flipped logit sign by nats.
# fmt: off
BEFORE_LIKELIHOODS = {
    "bernoulli-bmnist": (
        -293.274231, -212.612091, -313.262909, -211.378693,
        -216.764847, -301.241394, -262.148407, -282.721558,
    ),
    "diagonal-bilstm-bmnist": (
        -72.982079, -69.650146, -74.489189, -70.053955,
        -65.141861, -77.517822, -72.661682, -66.409035,
    ),
    "diagonal-bilstm-mnist5k": (
        -75.047783, -62.956493, -82.131134, -71.883080,
        -65.862923, -76.327202, -82.145851, -71.900063,
    ),
    "fvsbn-bmnist": (
        -85.498047, -78.719688, -84.932480, -74.204102,
        -89.533562, -91.949112, -77.749161, -69.825508,
    ),
    "gated-pixelcnn-bmnist": (
        -79.464241, -75.036652, -80.485687, -77.308060,
        -74.085388, -87.434830, -79.886757, -70.961716,
    ),
    "made-bmnist": (
        -75.053185, -64.117889, -74.109612, -70.351044,
        -72.918175, -69.596901, -66.615273, -59.008495,
    ),
    "nade-bmnist": (
        -75.175995, -62.511433, -74.041679, -72.031204,
        -71.509560, -70.582420, -67.780220, -62.186089,
    ),
    "pixelcnn-bmnist": (
        -82.731758, -75.630310, -87.398491, -81.317947,
        -77.337135, -90.601570, -87.738319, -79.596817,
    ),
    "row-lstm-bmnist": (
        -77.884567, -70.208534, -83.108932, -74.119339,
        -71.501007, -80.657585, -78.388206, -69.946075,
    ),
}
# fmt: on


def _reference_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """The batch the references were computed on, as the command above builds it."""
    with np.load(ROOT / "resources" / "data" / "mnist_5k.npz") as data:
        x = torch.from_numpy(data["test"][:8] / 255.0 > 0.5).float().unsqueeze(1)
        y = torch.from_numpy(data["test_labels"][:8])
    return x, y


@pytest.mark.parametrize("name", sorted(BEFORE_LIKELIHOODS))
def test_old_checkpoints_load_and_score_as_before_likelihoods(name):
    path = bundled_dir() / f"{name}.safetensors"
    assert path.is_file(), f"{name} no longer ships"
    checkpoint = load_checkpoint(path)
    model = checkpoint.model.eval()
    assert model.likelihood.name == "bernoulli" and model.output_channels == 1
    x, y = _reference_digits()
    with torch.no_grad():
        scores = model.log_prob(x, y if model.num_classes else None).double()
    expected = torch.tensor(BEFORE_LIKELIHOODS[name], dtype=torch.float64)
    assert torch.allclose(scores, expected, rtol=0, atol=1e-3), (
        f"{name}: {scores.tolist()} != {expected.tolist()}"
    )


def test_a_recipe_with_a_tune_stage_ships_the_fine_tuned_run(tmp_path, monkeypatch):
    """Stage one, its --resume stage, then a new run --init from it: the last
    ships, and its record tells the whole making."""
    recipe = SCRIPT.Recipe(
        "canvas",
        ("--kind", "made", "--set", "hidden_sizes=[8]", "--epochs", "1", "--seed", "0"),
        then=(("--epochs", "2"),),
        tune=("--lr", "0.0005", "--epochs", "1", "--seed", "0"),
        last=True,
    )
    monkeypatch.setitem(RECIPES, "tiny-tuned", recipe)
    data = _tiny_digits(tmp_path / "digits.npz")
    extra = ["--data", str(data), "--max-batches", "2", "--batch-size", "8"]
    argv = ["--only", "tiny-tuned", "--runs", str(tmp_path / "runs")]
    assert SCRIPT.main([*argv, "--out", str(tmp_path / "out"), "--", *extra]) == 0
    runs = sorted(p.name for p in (tmp_path / "runs").glob("*.safetensors"))
    assert "tiny-tuned.safetensors" in runs and "tiny-tuned-tuned.safetensors" in runs
    record = read_metadata(tmp_path / "out" / "tiny-tuned.safetensors")
    training = record["training"]
    assert training["config"]["lr"] == 0.0005 and training["epoch"] == 1
    assert training["started_from"]["name"] == "tiny-tuned"
    assert [h["epoch"] for h in training["started_from"]["history"]] == [1, 2]
    assert "then ar-models train --init RUN --lr 0.0005" in record["notes"]

    # resumed, only the tune stage is left: it continues to the asked epochs
    commands = []
    monkeypatch.setattr(SCRIPT, "cli", lambda argv: commands.append(argv) or 0)
    assert SCRIPT.train("tiny-tuned", tmp_path / "runs", resume=True) == 0
    assert commands == [
        ["train", "--resume", str(tmp_path / "runs" / "tiny-tuned-tuned"),
         "--epochs", "1"],
    ]  # fmt: skip


def test_a_recipe_of_several_resume_stages_runs_each_and_resumes_only_those_left(
    tmp_path, monkeypatch
):
    """The learning rate stepped down over --resume stages, as the canvas
    PixelCNN's recipe does; a stopped run continues with the stages not done."""
    recipe = SCRIPT.Recipe(
        "canvas",
        ("--kind", "made", "--set", "hidden_sizes=[8]", "--epochs", "1",
         "--lr", "0.001", "--seed", "0"),
        then=(("--epochs", "2", "--lr", "0.0005"), ("--epochs", "3", "--lr", "0.0002")),
        last=True,
    )  # fmt: skip
    monkeypatch.setitem(RECIPES, "tiny-stages", recipe)
    data = _tiny_digits(tmp_path / "digits.npz")
    extra = ("--data", str(data), "--max-batches", "2", "--batch-size", "8")
    argv = ["--only", "tiny-stages", "--runs", str(tmp_path / "runs")]
    assert SCRIPT.main([*argv, "--out", str(tmp_path / "out"), "--", *extra]) == 0
    record = read_metadata(tmp_path / "out" / "tiny-stages.safetensors")
    assert record["training"]["epoch"] == 3
    assert record["training"]["config"]["lr"] == 0.0002  # the last stage's
    assert record["notes"].count("then ar-models train --resume RUN --epochs") == 2

    # a run stopped after the first --resume stage: only the second is left
    run = tmp_path / "stopped" / "tiny-stages"
    for command in recipe.commands(run, extra)[:2]:
        assert SCRIPT.cli(command) == 0
    assert read_metadata(run)["training"]["epoch"] == 2
    commands = []
    monkeypatch.setattr(SCRIPT, "cli", lambda argv: commands.append(argv) or 0)
    assert SCRIPT.train("tiny-stages", run.parent, resume=True, extra=extra) == 0
    assert commands == [
        ["train", "--resume", str(run), "--epochs", "3", "--lr", "0.0002", *extra]
    ]
