import copy
import threading

import numpy as np
import pytest
import torch

from models.checkpoint import load_checkpoint
from models.data import Binarization, load_splits
from models.errors import ConfigError
from models.evaluation import evaluate
from models.registry import create
from models.trainer import (
    CheckpointSaved,
    EpochEnded,
    RunEnded,
    RunStarted,
    SamplesDrawn,
    StepReported,
    TrainConfig,
    TrainControl,
    Trainer,
)


@pytest.fixture(scope="module")
def digits():
    splits = load_splits("mnist-5k")
    return splits["train"].subset(slice(0, 320)), splits["test"].subset(slice(0, 100))


def _model(kind="nade", seed=0, **config):
    torch.manual_seed(seed)
    defaults = {"nade": {"hidden": 24}, "made": {"hidden_sizes": (64,)}}.get(kind, {})
    return create(kind, (28, 28), **{**defaults, **config})


def _run(model, digits, tmp_path=None, control=None, **config):
    train, valid = digits
    events = []
    trainer = Trainer(
        model,
        train,
        valid,
        TrainConfig(
            **{"epochs": 2, "batch_size": 32, "lr": 3e-3, "num_samples": 4, **config}
        ),
        binarization=Binarization("dynamic", seed=3),
        checkpoint=None if tmp_path is None else tmp_path / "run",
        on_event=events.append,
        control=control,
    )
    trainer.report_interval_s = 0.0
    return trainer, events


def test_training_lowers_the_nll_and_reports_everything(digits, tmp_path):
    trainer, events = _run(_model(), digits, tmp_path, epochs=3)
    ended = trainer.run()
    assert ended.status == "finished" and ended.epochs_completed == 3
    kinds = [type(e) for e in events]
    assert kinds[0] is RunStarted and kinds[-1] is RunEnded
    latest = [e for e in events if isinstance(e, CheckpointSaved) and not e.best]
    assert kinds.count(EpochEnded) == kinds.count(SamplesDrawn) == len(latest) == 3
    assert kinds.count(StepReported) == 3 * 10  # every step, with no throttling
    epochs = [e for e in events if isinstance(e, EpochEnded)]
    assert epochs[-1].valid_nll < epochs[0].valid_nll < 545  # 784·ln 2 is a coin flip
    assert epochs[0].valid_bits_per_dim == pytest.approx(
        epochs[0].valid_nll / (784 * np.log(2))
    )
    samples = [e for e in events if isinstance(e, SamplesDrawn)][-1].images
    assert samples.shape == (4, 28, 28) and set(np.unique(samples)) <= {0, 1}
    saved = load_checkpoint(tmp_path / "run")
    assert saved.metadata["training"]["epoch"] == 3
    assert saved.metadata["metrics"]["valid_nll_nats"] == pytest.approx(
        epochs[-1].valid_nll
    )
    assert saved.metadata["binarization"]["mode"] == "dynamic"


def test_best_validation_checkpoint_is_kept_and_patience_stops_early(tmp_path):
    # 64 training images and a big step: MADE overfits within a few epochs
    splits = load_splits("mnist-5k")
    small = splits["train"].subset(slice(0, 64)), splits["test"].subset(slice(0, 100))
    model = _model("made", hidden_sizes=(256,))
    trainer, events = _run(
        model,
        small,
        tmp_path,
        epochs=40,
        batch_size=16,
        lr=3e-2,
        lr_schedule="constant",
        num_samples=0,
        patience=3,
    )
    ended = trainer.run()
    valid = [e["valid_nll"] for e in trainer.history.epochs]
    best_epoch = int(np.argmin(valid)) + 1
    assert ended.status == "finished" and ended.epochs_completed < 40
    assert ended.epochs_completed == best_epoch + 3 == len(valid)
    assert "not improved for 3 epochs" in ended.reason
    assert ended.best_checkpoint == tmp_path / "run-best"
    saved_best = [e.epoch for e in events if isinstance(e, CheckpointSaved) and e.best]
    improved = [  # the epochs that set a new lowest validation NLL
        i + 1 for i, nll in enumerate(valid) if all(nll < v for v in valid[:i])
    ]
    assert saved_best == improved and saved_best[-1] == best_epoch
    best = load_checkpoint(tmp_path / "run-best")
    assert best.metadata["training"]["epoch"] == best_epoch
    assert best.metadata["metrics"]["valid_nll_nats"] == pytest.approx(min(valid))
    assert best.optimizer_state == {}  # weights only
    images = Binarization("dynamic", seed=3).apply(small[1])
    assert evaluate(best.model, images).nll_nats == pytest.approx(min(valid), abs=1e-3)
    last = load_checkpoint(tmp_path / "run")
    assert last.metadata["training"]["epoch"] == len(valid)
    assert evaluate(last.model, images).nll_nats > min(valid) + 1  # it did overfit


def test_without_validation_no_best_checkpoint_is_claimed(digits, tmp_path):
    train, _ = digits
    trainer = Trainer(
        _model(),
        train,
        None,
        TrainConfig(epochs=1, batch_size=64, num_samples=0, patience=1),
        checkpoint=tmp_path / "run",
    )
    ended = trainer.run()
    assert ended.status == "finished" and ended.best_checkpoint is None
    assert not (tmp_path / "run-best.safetensors").exists()
    assert (tmp_path / "run.safetensors").exists()


def test_stop_is_honoured_within_one_batch(digits):
    model = _model()
    control = TrainControl()
    trainer, events = _run(model, digits, control=control)
    steps = []

    def on_event(event):
        events.append(event)
        if isinstance(event, StepReported):
            steps.append(event.global_step)
            control.stop()  # as if the user pressed Stop during the first batch

    trainer.on_event = on_event
    ended = trainer.run()
    assert ended.status == "cancelled"
    assert steps == [1] and trainer.global_step == 1
    assert not any(isinstance(e, EpochEnded) for e in events)


def test_pause_holds_the_run_until_resumed(digits):
    control = TrainControl()
    trainer, events = _run(_model(), digits, control=control, epochs=1)
    paused_at = threading.Event()

    def on_event(event):
        events.append(event)
        if isinstance(event, StepReported) and event.global_step == 2:
            control.pause()
            paused_at.set()

    trainer.on_event = on_event
    worker = threading.Thread(target=trainer.run)
    worker.start()
    assert paused_at.wait(30)
    worker.join(0.3)
    assert worker.is_alive() and trainer.global_step == 2  # held before batch 3
    control.resume()
    worker.join(60)
    assert not worker.is_alive() and trainer.global_step == 10
    assert isinstance(events[-1], RunEnded) and events[-1].status == "finished"


def test_non_finite_loss_stops_and_keeps_the_last_good_checkpoint(digits, tmp_path):
    model = _model()
    trainer, events = _run(model, digits, tmp_path, epochs=3)

    def on_event(event):
        events.append(event)
        if isinstance(event, StepReported) and event.epoch == 2 and event.step == 2:
            with torch.no_grad():  # a fault: a weight goes to NaN mid-epoch
                model.bias_hidden[0] = float("nan")

    trainer.on_event = on_event
    ended = trainer.run()
    assert ended.status == "failed"
    assert "loss became nan at epoch 2, step 3" in ended.reason
    assert ended.checkpoint == tmp_path / "run"
    kept = load_checkpoint(tmp_path / "run")  # epoch 1's, still finite and loadable
    assert kept.metadata["training"]["epoch"] == 1
    assert all(torch.isfinite(p).all() for p in kept.model.parameters())


def test_resume_continues_exactly_like_an_uninterrupted_run(digits, tmp_path):
    straight = _model(seed=1)
    _run(straight, digits, epochs=2)[0].run()

    first = _model(seed=1)
    control = TrainControl()
    interrupted, events = _run(first, digits, tmp_path, control=control, epochs=2)

    def on_event(event):  # the user stops the run once epoch 1 is saved
        events.append(event)
        if isinstance(event, CheckpointSaved):
            control.stop()

    interrupted.on_event = on_event
    assert interrupted.run().status == "cancelled"
    checkpoint = load_checkpoint(tmp_path / "run")
    assert checkpoint.metadata["training"]["epoch"] == 1
    resumed, _ = _run(checkpoint.model, digits, tmp_path, epochs=2)
    resumed.resume_from(checkpoint)
    assert resumed.run().status == "finished"
    for a, b in zip(straight.parameters(), checkpoint.model.parameters(), strict=True):
        assert torch.equal(a, b)


def test_made_cycles_its_masks_while_training(digits):
    model = _model("made", num_masks=3, order_agnostic=True, ensemble=True)
    seen = []
    original = model.set_mask

    def spy(index):
        seen.append(index)
        original(index)

    model.set_mask = spy
    trainer, _ = _run(model, digits, epochs=1, num_samples=0, max_batches_per_epoch=4)
    trainer.run()
    assert seen[:4] == [0, 1, 2, 0]


@pytest.mark.parametrize(
    ("kind", "config"),
    [
        ("made", {"num_masks": 2, "order_agnostic": True}),
        ("made", {"direct": True}),
        ("pixelcnn", {"channels": 4, "layers": 1}),
    ],
)
def test_weight_decay_leaves_the_entries_no_mask_reads_at_zero(digits, kind, config):
    # they never get a data gradient; decay alone must not move them off zero
    model = _model(kind, **config)
    used = model.used_entries()
    assert used and not all(u.all() for u in used.values())
    trainer, _ = _run(
        model, digits, epochs=1, num_samples=0, max_batches_per_epoch=6,
        weight_decay=0.5,
    )  # fmt: skip
    trainer.run()
    parameters = dict(model.named_parameters())
    for name, mask in used.items():
        state = trainer.optimizer.state[parameters[name]]
        for tensor in (parameters[name], state["exp_avg"], state["exp_avg_sq"]):
            assert torch.count_nonzero(tensor[~mask]) == 0, name
        assert torch.count_nonzero(parameters[name][mask]) > 0, name


def test_weight_decay_is_decoupled_from_adams_step(digits):
    # the top-left pixel is 0 in every digit: the weights it feeds get no
    # gradient, so only the decay moves them, by (1 − lr·λ) per step
    train, _ = digits
    assert not train.images[:, 0, 0].any()
    model = _model("made")
    before = model.hidden_layers[0].weight[:, 0].detach().clone()
    lr, decay, steps = 0.01, 2.0, 6
    trainer, _ = _run(
        model, digits, epochs=1, num_samples=0, max_batches_per_epoch=steps,
        lr=lr, lr_schedule="constant", weight_decay=decay,
    )  # fmt: skip
    trainer.run()
    after = model.hidden_layers[0].weight[:, 0]
    torch.testing.assert_close(after, before * (1 - lr * decay) ** steps)
    state = trainer.optimizer.state[model.hidden_layers[0].weight]
    assert not state["exp_avg"][:, 0].any() and not state["exp_avg_sq"][:, 0].any()


def test_class_conditional_training_uses_labels(digits):
    model = _model("nade", num_classes=10)
    trainer, events = _run(model, digits, epochs=1)
    assert trainer.run().status == "finished"
    samples = [e for e in events if isinstance(e, SamplesDrawn)]
    assert samples and samples[0].images.shape == (4, 28, 28)


def test_class_weight_steps_towards_the_bayes_posterior_and_reports_the_plain_nll():
    train = load_splits("mnist-5k")["train"].subset(slice(0, 4000, 50))  # all classes
    x = torch.from_numpy(Binarization().apply(train)).float().unsqueeze(1)
    y = torch.from_numpy(train.labels)
    start = _model("nade", seed=2, num_classes=10)

    def posterior(model):
        with torch.no_grad():
            return float(model.class_log_posterior(x).gather(1, y.view(-1, 1)).mean())

    with torch.no_grad():
        nll = float(-start.log_prob(x, y).mean())
    gains = {}
    for weight in (0.0, 20.0):
        model = copy.deepcopy(start)
        events = []
        config = TrainConfig(
            epochs=1, batch_size=len(train), lr=3e-3, num_samples=0,
            keep_best=False, class_weight=weight,
        )  # fmt: skip
        Trainer(model, train, None, config, on_event=events.append).run()
        gains[weight] = posterior(model) - posterior(start)
        # one step on the whole set: the figure reported is −log p(x | y) before it
        (epoch,) = [e for e in events if isinstance(e, EpochEnded)]
        assert epoch.train_nll == pytest.approx(nll, rel=1e-5)
    assert gains[0.0] > 0 and gains[20.0] > 1.2 * gains[0.0]
    with pytest.raises(ConfigError, match="class_weight must be a number ≥ 0"):
        TrainConfig(class_weight=-1.0)


def test_mismatched_data_and_settings_are_named(digits):
    train, valid = digits
    with pytest.raises(ConfigError, match="model expects 3×3"):
        Trainer(create("nade", (3, 3)), train, valid, TrainConfig())
    unlabelled = type(train)(train.images, None, train.levels, "plain")
    with pytest.raises(ConfigError, match="needs labels"):
        Trainer(_model("nade", num_classes=10), unlabelled, None, TrainConfig())
    for bad in (
        {"epochs": 0},
        {"lr": -1.0},
        {"lr_schedule": "step"},
        {"batch_size": 0},
    ):
        with pytest.raises(ConfigError):
            TrainConfig(**bad)


def test_cosine_schedule_runs_from_peak_to_floor():
    config = TrainConfig(lr=1e-3, lr_floor=0.1)
    assert config.lr_at(0.0) == pytest.approx(1e-3)
    assert config.lr_at(1.0) == pytest.approx(1e-4)
    assert config.lr_at(0.25) > config.lr_at(0.5) > config.lr_at(0.75)


# -- K-level and continuous pixels -------------------------------------------------


def kind_supporting(likelihood, prefer=("made", "nade")):
    """A kind that declares ``likelihood`` (the quick ones first), else skip."""
    from models.registry import available, model_class

    kinds = [
        k
        for k in available()
        if likelihood in model_class(k).config_class.supported_likelihoods
    ]
    if not kinds:
        pytest.skip(f"no model kind declares {likelihood} yet")
    return next((k for k in prefer if k in kinds), kinds[0])


SMALL = {"nade": {"hidden": 16}, "made": {"hidden_sizes": (32,)}}


def _gray_run(digits, tmp_path, likelihood, levels, **config):
    kind = kind_supporting(likelihood)
    model = create(
        kind,
        (28, 28),
        seed=0,
        likelihood=likelihood,
        levels=levels,
        **SMALL.get(kind, {}),
    )
    train, valid = digits
    events = []
    trainer = Trainer(
        model,
        train,
        valid,
        TrainConfig(**{"epochs": 1, "batch_size": 32, "lr": 3e-3, **config}),
        checkpoint=tmp_path / "gray",
        on_event=events.append,
    )
    return trainer, events


def test_a_k_level_model_trains_on_the_data_quantized_to_its_levels(digits, tmp_path):
    trainer, events = _gray_run(digits, tmp_path, "categorical", 4, num_samples=3)
    assert trainer.binarization is None and trainer.quantization.levels == 4
    assert trainer.run().status == "finished"
    [epoch] = [e for e in events if isinstance(e, EpochEnded)]
    assert epoch.valid_bits_per_dim == pytest.approx(
        epoch.valid_nll / (784 * np.log(2))
    )
    assert epoch.valid_nll < 784 * np.log(4)  # better than a uniform guess
    [samples] = [e for e in events if isinstance(e, SamplesDrawn)]
    levels = np.unique(samples.images) * 3  # values k / 3
    assert np.allclose(levels, np.round(levels)) and set(np.round(levels)) <= {
        0,
        1,
        2,
        3,
    }
    saved = load_checkpoint(tmp_path / "gray")
    assert saved.metadata["binarization"] is None
    assert saved.metadata["data"]["quantization"]["levels"] == 4
    assert saved.model.config.levels == 4
    # the record's number is the level images' NLL, values k / 3
    _, valid = digits
    levels = np.minimum(valid.images.astype(int) * 4 // 256, 3).astype(np.uint8)
    again = evaluate(saved.model, levels)
    assert again.nll_nats == pytest.approx(epoch.valid_nll, rel=1e-6)


def test_a_continuous_model_is_scored_with_fixed_noise_and_bits_add_log2_k(
    digits, tmp_path
):
    trainer, events = _gray_run(digits, tmp_path, "gaussian_mixture", 256)
    assert trainer.run().status == "finished"
    [epoch] = [e for e in events if isinstance(e, EpochEnded)]
    bits = epoch.valid_nll / (784 * np.log(2)) + 8  # log₂ 256
    assert epoch.valid_bits_per_dim == pytest.approx(bits)
    model = trainer.model
    valid = trainer.valid_images
    first, second = evaluate(model, valid), evaluate(model, valid)
    assert first.nll_nats == second.nll_nats == pytest.approx(epoch.valid_nll)
    assert "log₂ 256" in first.as_dict()["bits_per_dim_note"]
    metrics = load_checkpoint(tmp_path / "gray").metadata["metrics"]
    assert "log₂ 256" in metrics["bits_per_dim_note"]
    # other noise gives another number: the noise is part of the score
    from models.evaluation import model_batches

    one = next(model_batches(model, valid, None, 8))[0]
    other = next(model_batches(model, valid, None, 8, noise_seed=1))[0]
    assert not torch.equal(one, other)
    assert torch.equal((one * 256).floor(), (other * 256).floor())  # same levels


def test_a_continuous_run_resumes_exactly(digits, tmp_path):
    """Fresh dequantization noise each epoch, seeded: resuming repeats it."""
    quick = {"max_batches_per_epoch": 3, "lr_schedule": "constant"}
    straight, _ = _gray_run(
        digits, tmp_path / "a", "gaussian_mixture", 256, epochs=2, **quick
    )
    straight.run()
    first, _ = _gray_run(
        digits, tmp_path / "b", "gaussian_mixture", 256, epochs=1, **quick
    )
    first.run()
    checkpoint = load_checkpoint(tmp_path / "b" / "gray")
    resumed = Trainer(
        checkpoint.model,
        *digits,
        TrainConfig(epochs=2, batch_size=32, lr=3e-3, **quick),
        checkpoint=tmp_path / "b" / "gray",
    )
    resumed.resume_from(checkpoint)
    resumed.run()
    for a, b in zip(
        straight.model.parameters(), checkpoint.model.parameters(), strict=True
    ):
        assert torch.equal(a, b)


def test_a_binarization_is_refused_for_a_k_level_model(digits):
    kind = kind_supporting("categorical")
    model = create(kind, (28, 28), likelihood="categorical", levels=8)
    with pytest.raises(ConfigError, match="binarization is for binary"):
        Trainer(model, *digits, TrainConfig(), binarization=Binarization("dynamic"))
