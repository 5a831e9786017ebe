"""Context regions: theoretical (from the architecture) and measured (autograd).

For every spatial model, depth and pixel: measured ⊆ theoretical ⊆ past. And the
theoretical regions are the published ones: the Row LSTM's triangle, the
Diagonal BiLSTM's whole past, PixelCNN's blind spot, none for Gated PixelCNN.
"""

import itertools

import numpy as np
import pytest
import torch

from models.context import (
    blind_spot,
    context_model,
    context_regions,
    future_pixels,
    measured_context,
    theoretical_context,
)
from models.errors import ConfigError
from models.geometry import closure, dilate, shift
from models.registry import create

KINDS = ["pixelcnn", "gated_pixelcnn", "row_lstm", "diagonal_bilstm"]
SHAPE = (7, 9)


def past(shape, pixel):
    r, c = pixel
    out = np.zeros(shape, dtype=bool)
    out[:r] = True
    out[r, :c] = True
    return out


@pytest.mark.parametrize("layers", [1, 2, 3])
@pytest.mark.parametrize("kind", KINDS)
def test_measured_inside_theoretical_inside_past(kind, layers):
    model = context_model(kind, SHAPE, layers, channels=6, first_kernel=3)
    measured_total = theoretical_total = 0
    for index in range(SHAPE[0] * SHAPE[1]):
        pixel = divmod(index, SHAPE[1])
        theoretical = theoretical_context(model, pixel)
        measured = measured_context(model, pixel)
        assert not (theoretical & ~past(SHAPE, pixel)).any(), f"future at {pixel}"
        assert not (measured & ~theoretical).any(), f"leak at {pixel}"
        assert np.array_equal(future_pixels(model, pixel), ~past(SHAPE, pixel))
        measured_total += measured.sum()
        theoretical_total += theoretical.sum()
    # the measurement sees the real connections, not an empty set
    assert measured_total >= 0.8 * theoretical_total > 0


@pytest.mark.parametrize("kind", KINDS)
def test_theoretical_context_is_the_row_of_the_dependency_mask(kind):
    model = context_model(kind, (4, 5), 2, channels=2, first_kernel=3)
    mask = model.dependency_mask()
    for index in range(20):
        expected = mask[index].view(4, 5).numpy()
        assert np.array_equal(theoretical_context(model, index), expected)


def test_row_lstm_context_is_the_triangle_above():
    """With a 3×3 first layer and one layer, row r − i covers c − i − 2 … c + i."""
    h, w = 12, 14
    model = context_model("row_lstm", (h, w), 1, channels=6, first_kernel=3)
    for pixel in [(6, 6), (9, 4), (11, 10), (3, 1)]:
        r, c = pixel
        expected = np.zeros((h, w), dtype=bool)
        expected[r, max(0, c - 2) : c] = True
        for i in range(1, r + 1):
            expected[r - i, max(0, c - i - 2) : min(w, c + i + 1)] = True
        assert np.array_equal(theoretical_context(model, pixel), expected)
        assert np.array_equal(measured_context(model, pixel), expected)


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_row_lstm_context_is_strictly_inside_the_diagonal_bilstms(layers):
    shape = (10, 12)
    row = context_model("row_lstm", shape, layers, channels=4)
    diagonal = context_model("diagonal_bilstm", shape, layers, channels=4)
    for r in range(2, shape[0] - 1):
        for c in range(1, shape[1] - 1):
            row_context = theoretical_context(row, (r, c))
            diagonal_context = theoretical_context(diagonal, (r, c))
            assert not (row_context & ~diagonal_context).any()
            missing = diagonal_context & ~row_context
            assert missing.any(), f"Row LSTM sees the whole past at {(r, c)}"
            # it misses what lies beyond the triangle's edges: above, and on its
            # own row further left than the 7×7 and 1×3 kernels reach (c − 4)
            assert all(mr < r or mc < c - 4 for mr, mc in np.argwhere(missing))


@pytest.mark.parametrize("layers", [1, 2, 3])
def test_diagonal_bilstm_context_is_the_whole_past(layers):
    model = context_model("diagonal_bilstm", SHAPE, layers, channels=6)
    for index in range(SHAPE[0] * SHAPE[1]):
        pixel = divmod(index, SHAPE[1])
        assert np.array_equal(theoretical_context(model, pixel), past(SHAPE, pixel))
        assert np.array_equal(measured_context(model, pixel), past(SHAPE, pixel))


@pytest.mark.parametrize("layers", [1, 3])
def test_literal_diagonal_bilstm_loses_the_end_of_the_row_above(layers):
    """Without the pixel input to the backward LSTM, one past pixel is unreachable."""
    h, w, k = 6, 10, 5
    model = context_model(
        "diagonal_bilstm",
        (h, w),
        layers,
        channels=4,
        first_kernel=k,
        backward_reads_pixel=False,
    )
    for r in range(1, h):
        for c in range(w):
            lost = past((h, w), (r, c)) & ~theoretical_context(model, (r, c))
            if c < w - 1 - k // 2:
                assert [tuple(p) for p in np.argwhere(lost)] == [(r - 1, w - 1)]
            else:
                assert not lost.any()
            assert not (measured_context(model, (r, c)) & lost).any()


@pytest.mark.parametrize("first_kernel", [3, 7])
def test_pixelcnn_blind_spot_is_upper_right_and_grows_with_depth(first_kernel):
    pixel = (15, 10)
    sizes = []
    for layers in range(1, 6):
        model = context_model(
            "pixelcnn", (20, 20), layers, channels=4, first_kernel=first_kernel
        )
        blind = blind_spot(theoretical_context(model, pixel), pixel)
        assert not (measured_context(model, pixel) & blind).any()
        sizes.append(int(blind.sum()))
    assert sizes[0] > 0
    assert all(a < b for a, b in itertools.pairwise(sizes)), sizes


@pytest.mark.parametrize("first_kernel", [3, 7])
@pytest.mark.parametrize("layers", [1, 2, 4, 6])
def test_gated_pixelcnn_has_no_blind_spot(layers, first_kernel):
    model = context_model(
        "gated_pixelcnn", (20, 20), layers, channels=8, first_kernel=first_kernel
    )
    for pixel in [(15, 10), (12, 3), (19, 17)]:
        context = theoretical_context(model, pixel)
        assert not blind_spot(context, pixel).any()
        r, c = pixel
        # the pixel just above-right, which PixelCNN's deeper layers never see
        assert context[r - 1, min(c + 1, 19)]
        measured = measured_context(model, pixel)
        assert not (measured & ~context).any()
        assert measured[r - 1, min(c + 1, 19)]


def test_context_regions_gather_the_regions_of_one_pixel():
    pixel = (6, 4)
    model = context_model("pixelcnn", (9, 9), 3, channels=4)
    regions = context_regions(model, pixel, samples=2)
    assert np.array_equal(regions.theoretical, theoretical_context(model, pixel))
    assert np.array_equal(regions.measured, measured_context(model, pixel, samples=2))
    assert np.array_equal(regions.past, ~future_pixels(model, pixel))
    assert not regions.violations.any()
    assert np.array_equal(regions.unseen, regions.past & ~regions.theoretical)
    # PixelCNN's wedge above and to the right: unseen, inside the reach
    assert regions.blind.any() and not (regions.blind & ~regions.unseen).any()
    assert not context_regions(
        context_model("gated_pixelcnn", (9, 9), 3, channels=4), pixel
    ).blind.any()


def test_shift_dilate_and_closure():
    one = torch.zeros(1, 4, 5, dtype=torch.bool)
    one[0, 2, 2] = True
    assert shift(one, -1, 1)[0, 1, 3] and shift(one, -1, 1).sum() == 1
    assert shift(one, 5, 0).sum() == 0  # moved out of the image
    assert dilate(one, [(0, 0), (0, -1)])[0, 2].tolist() == [0, 1, 1, 0, 0]
    quadrant = closure(one, [(-1, 0), (0, -1)])[0]
    assert quadrant.sum() == 9 and quadrant[:3, :3].all()


def test_bad_pixels_and_kinds_are_refused():
    model = context_model("row_lstm", (4, 4), 1, channels=2)
    with pytest.raises(IndexError, match="outside"):
        theoretical_context(model, (4, 0))
    with pytest.raises(IndexError, match="outside"):
        measured_context(model, 16)
    with pytest.raises(ConfigError, match="unknown model kind"):
        context_model("row_lstn", (4, 4), 1)
    with pytest.raises(ConfigError, match="ordering"):
        create("pixelcnn", (4, 4), ordering="snake")
