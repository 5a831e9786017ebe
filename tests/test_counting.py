import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import counting
from models.errors import ConfigError
from models.registry import available, create


def test_full_joint_over_784_binary_pixels_is_exact():
    count = counting.full_joint(784, 2)
    assert count.value == 2**784 - 1
    assert len(str(count.value)) == 237
    assert count.substituted == "2^784 − 1"


def test_structures_for_mnist_sized_binary_images():
    n = 784
    assert counting.independent(n).value == n
    assert counting.markov(n, 1).value == 2 * n - 1
    assert counting.fvsbn(n).value == n * (n + 1) // 2
    assert counting.nade(n, 500).value == 2 * n * 500 + n + 500


def _markov_by_enumeration(n, order, k):
    """Count table entries position by position: (K − 1) per window configuration."""
    total = 0
    for i in range(n):
        window = min(i, order)
        total += (k - 1) * len(list(itertools.product(range(k), repeat=window)))
    return total


@given(n=st.integers(1, 12), order=st.integers(1, 6), k=st.integers(2, 4))
def test_markov_closed_form_equals_enumeration(n, order, k):
    assert counting.markov(n, order, k).value == _markov_by_enumeration(n, order, k)


@given(n=st.integers(1, 10), k=st.integers(2, 5))
def test_markov_of_full_order_is_the_full_joint(n, k):
    assert counting.markov(n, n, k).value == counting.full_joint(n, k).value


@given(
    n=st.integers(1, 60),
    hidden=st.lists(st.integers(1, 40), min_size=1, max_size=3),
    direct=st.booleans(),
)
def test_made_count_sums_its_dense_layers(n, hidden, direct):
    widths = [n, *hidden, n]
    expected = sum(a * b + b for a, b in itertools.pairwise(widths)) + direct * n * n
    assert counting.made(n, hidden, direct=direct).value == expected


def test_summary_drops_binary_only_models_for_more_states():
    names = [c.name for c in counting.summary(10, 3)]
    assert names == ["fully dependent", "independent", "Markov AR-1"]
    binary = counting.summary(10, 2)
    assert len(binary) == 10
    # weights shared across positions: the spatial counts do not depend on n
    big = counting.summary(784, 2)
    assert [c.value for c in binary[6:]] == [c.value for c in big[6:]]
    assert binary[5].value < big[5].value


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_bad_sizes_are_rejected(bad):
    with pytest.raises(ConfigError):
        counting.full_joint(bad)


_odd = st.sampled_from([1, 3, 5, 7])
_spatial = {
    "channels": st.integers(1, 6),
    "layers": st.integers(0, 3),
    "first_kernel": st.sampled_from([3, 5, 7]),
    "output_layers": st.integers(0, 2),
}


def _config_strategy(kind):
    spatial = kind in ("pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm")
    orderings = ["raster"] if spatial else ["raster", "snake", "hilbert", "random"]
    common = {
        "image_shape": st.tuples(st.integers(1, 6), st.integers(1, 6)),
        "num_classes": st.integers(0, 4),
        "ordering": st.sampled_from(orderings),
    }
    extra = {
        "bernoulli": {},
        "fvsbn": {},
        "markov": {"order": st.integers(1, 5)},
        "nade": {"hidden": st.integers(1, 30)},
        "made": {
            "hidden_sizes": st.lists(st.integers(1, 20), min_size=1, max_size=3).map(
                tuple
            ),
            "num_masks": st.integers(1, 3),
        },
        "pixelcnn": {
            **_spatial,
            "channels": st.integers(1, 4).map(lambda h: 2 * h),
            "kernel": _odd,
        },
        "gated_pixelcnn": {**_spatial, "layers": st.integers(1, 3), "kernel": _odd},
        "row_lstm": _spatial,
        "diagonal_bilstm": {**_spatial, "backward_reads_pixel": st.booleans()},
    }[kind]
    return st.fixed_dictionaries({**common, **extra})


@settings(max_examples=25, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("kind", available())
def test_closed_form_equals_numel(kind, data):
    config = data.draw(_config_strategy(kind))
    model = create(kind, **config)
    assert model.parameter_count(model.config).value == model.num_parameters()
    assert counting.count_for_config(kind, model.config) == model.parameter_count(
        model.config
    )


def test_summary_counts_are_the_default_models():
    spatial = counting.summary(784, 2)[6:]
    kinds = ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]
    for count, kind in zip(spatial, kinds, strict=True):
        assert count.value == create(kind, (28, 28)).num_parameters()


@pytest.mark.parametrize("shape", [(4, 5), (28, 28)])
def test_summary_names_the_model_behind_each_count(shape):
    """Each count with a kind builds a torch model with exactly that many parameters."""
    n = shape[0] * shape[1]
    counts = counting.summary(n, markov_order=2, nade_hidden=7, made_hidden=(9, 5))
    assert counts[0].kind is None  # no torch model holds 2^n − 1 numbers
    for count in counts[1:]:
        model = create(count.kind, shape, **dict(count.settings))
        assert model.num_parameters() == count.value, count.name
    assert all(c.kind is None for c in counting.summary(n, 3))
