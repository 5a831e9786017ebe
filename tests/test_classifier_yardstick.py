"""The canvas benchmark's discriminative yardstick learns to read digits."""

import torch

from benchmarks.canvas import normalized
from benchmarks.classifiers import NETWORKS, train
from models.data import Binarization, load_split


def test_the_yardstick_mlp_reads_held_out_digits_after_a_few_epochs():
    data = load_split("mnist-5k", "train")  # 4,000 digits
    title, make, _ = NETWORKS[0]
    assert "MLP" in title
    network = train(make(), data, epochs=8)
    held_out = load_split("mnist-5k", "test")
    images = normalized(Binarization("threshold").apply(held_out))
    with torch.no_grad():
        guess = network(torch.from_numpy(images).float().unsqueeze(1)).argmax(1)
    accuracy = float((guess.numpy() == held_out.labels).mean())
    assert accuracy > 0.85  # chance is 0.1; an untrained network sits near it
