import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.errors import ConfigError
from models.orderings import (
    ORDERING_NAMES,
    conditioning_set,
    make_ordering,
    ranks,
)

NAMED = [name for name in ORDERING_NAMES if name != "custom"]
shapes = st.tuples(st.integers(1, 23), st.integers(1, 23))


@given(shape=shapes, name=st.sampled_from(NAMED), seed=st.integers(0, 2**31))
def test_every_ordering_is_a_permutation(shape, name, seed):
    order = make_ordering(name, shape, seed=seed)
    assert order.dtype == np.int64
    assert sorted(order.tolist()) == list(range(shape[0] * shape[1]))


def test_small_orderings_match_their_definitions():
    assert make_ordering("raster", (2, 3)).tolist() == [0, 1, 2, 3, 4, 5]
    assert make_ordering("column", (2, 3)).tolist() == [0, 3, 1, 4, 2, 5]
    assert make_ordering("snake", (3, 3)).tolist() == [0, 1, 2, 5, 4, 3, 6, 7, 8]
    # JPEG zigzag on 3×3: (0,0) (0,1) (1,0) (2,0) (1,1) (0,2) (1,2) (2,1) (2,2)
    assert make_ordering("diagonal", (3, 3)).tolist() == [0, 1, 3, 6, 4, 2, 5, 7, 8]
    # clockwise from the top-left, inwards
    assert make_ordering("spiral", (3, 4)).tolist() == [
        0,
        1,
        2,
        3,
        7,
        11,
        10,
        9,
        8,
        4,
        5,
        6,
    ]


def _steps(order, width):
    r, c = np.divmod(order, width)
    return np.abs(np.diff(r)), np.abs(np.diff(c))


@given(shape=shapes)
def test_hilbert_moves_to_a_neighbour_at_every_step(shape):
    h, w = shape
    dr, dc = _steps(make_ordering("hilbert", shape), w)
    assert np.maximum(dr, dc).max(initial=0) <= 1  # always a king's move
    long_side, short_side = max(h, w), min(h, w)
    if not (long_side % 2 == 1 and short_side % 2 == 0):
        # a path of edge steps exists only when parity allows it; then it is one
        assert (dr + dc).max(initial=1) == 1
    else:
        assert ((dr + dc) == 2).sum() <= 1


def test_hilbert_on_a_power_of_two_is_the_classic_curve():
    grid = ranks(make_ordering("hilbert", (4, 4))).reshape(4, 4)
    # the curve fills each 2×2 quadrant before moving to the next one
    quadrants = [grid[:2, :2], grid[2:, :2], grid[2:, 2:], grid[:2, 2:]]
    assert sorted(q.max() // 4 for q in quadrants) == [0, 1, 2, 3]
    assert all(q.max() - q.min() == 3 for q in quadrants)


@given(shape=shapes)
def test_spiral_and_snake_steps_are_edges(shape):
    for name in ("spiral", "snake"):
        dr, dc = _steps(make_ordering(name, shape), shape[1])
        assert (dr + dc).max(initial=1) == 1


@given(shape=shapes)
def test_diagonal_visits_antidiagonals_in_order(shape):
    order = make_ordering("diagonal", shape)
    r, c = np.divmod(order, shape[1])
    assert (np.diff(r + c) >= 0).all()


def test_random_ordering_depends_on_its_seed_only():
    a = make_ordering("random", (5, 5), seed=3)
    assert np.array_equal(a, make_ordering("random", (5, 5), seed=3))
    assert not np.array_equal(a, make_ordering("random", (5, 5), seed=4))


@pytest.mark.parametrize(
    "custom, message",
    [
        ([0, 1, 2], "needs 4 entries"),
        ([0, 1, 1, 3], "not a permutation"),
        ([0, 1, 2, 4], "lie in 0..3"),
        ([0.0, 1.0, 2.0, 3.0], "integer"),
    ],
)
def test_bad_custom_orderings_are_named(custom, message):
    with pytest.raises(ConfigError, match=message):
        make_ordering("custom", (2, 2), custom=custom)


def test_custom_ordering_and_unknown_name():
    assert make_ordering("custom", (2, 2), custom=[3, 2, 1, 0]).tolist() == [3, 2, 1, 0]
    with pytest.raises(ConfigError, match="unknown ordering 'zorder'"):
        make_ordering("zorder", (2, 2))
    with pytest.raises(ConfigError, match="positive"):
        make_ordering("raster", (0, 3))


@given(shape=shapes, name=st.sampled_from(NAMED), data=st.data())
def test_conditioning_set_is_the_prefix_and_window(shape, name, data):
    order = make_ordering(name, shape, seed=1)
    pixel = data.draw(st.integers(0, order.size - 1))
    k = int(ranks(order)[pixel])
    assert conditioning_set(order, pixel).tolist() == order[:k].tolist()
    window = data.draw(st.integers(1, 5))
    assert (
        conditioning_set(order, pixel, window).tolist()
        == order[max(0, k - window) : k].tolist()
    )
