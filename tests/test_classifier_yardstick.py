"""The canvas benchmark's discriminative yardstick learns to read digits."""

from benchmarks.classifiers import NETWORKS, accuracy, normalised_test_set, train
from models.data import load_split


def test_the_yardstick_mlp_reads_held_out_digits_after_some_epochs():
    data = load_split("mnist-5k", "train")  # 4,000 digits
    title, make, _ = NETWORKS[0]
    assert "MLP" in title
    network = train(make(), data, epochs=8)
    x, held_out = normalised_test_set("mnist-5k", "test")
    assert held_out.labels is not None
    # chance is 0.1; an untrained network sits near it
    assert accuracy(network, x, held_out.labels) > 0.85
