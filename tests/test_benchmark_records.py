"""What the shipped-models benchmark reads from a checkpoint's record."""

import pytest

from benchmarks.pretrained import _cost


def _epochs(seconds):
    return [
        {"epoch": i + 1, "seconds": s, "valid_nll": 80.0 - i, "threads": 2}
        for i, s in enumerate(seconds)
    ]


def test_training_time_counts_the_epochs_up_to_the_shipped_one():
    record = {
        "training": {
            "epoch": 2,
            "run_epochs": 3,
            "run_history": _epochs([10.0, 20.0, 40.0]),
        }
    }
    cost = _cost(record)
    assert (cost["epoch_shipped"], cost["epochs_run"]) == (2, 3)
    assert cost["training_seconds"] == pytest.approx(30.0)
    assert cost["threads"] == [2]


def test_a_fine_tuned_model_counts_the_run_it_started_from():
    origin = {
        "name": "base",
        "kind": "nade",
        "epochs": 2,
        "history": _epochs([100.0, 200.0]),
    }
    record = {
        "training": {
            "epoch": 1,
            "history": _epochs([5.0]),
            "started_from": origin,
        }
    }
    origin["history"][0]["threads"] = 1
    cost = _cost(record)
    assert cost["training_seconds"] == pytest.approx(305.0)
    assert cost["threads"] == [1, 2]  # the earlier run's threads too
