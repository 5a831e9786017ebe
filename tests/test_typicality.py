"""Scoring a drawing as the canvas does, and judging whether it is a typical digit.

Qt-free. The verdicts are checked on the shipped class-conditional NADE and the
held-out digits it never trained on; nothing here depends on the numbers of one
checkpoint, only on what any model of digits must do.
"""

from itertools import pairwise

import numpy as np
import pytest

from models.data import Binarization, load_split
from models.drawing import prepare_drawing, score_canvas
from models.evaluation import score_drawing
from models.library import bundled_dir
from models.typicality import (
    ALPHA,
    MIN_EXTENT,
    Reference,
    Verdict,
    assess,
    build_reference,
    ink_amount,
    likelihood_position,
    thickness,
    two_sided_p,
)
from tests.conftest import tiny_model


def line(drawing, points, radius=1):
    """Paint a polyline the way the canvas's brush does."""
    h, w = drawing.shape
    rows, cols = np.ogrid[:h, :w]
    for (r0, c0), (r1, c1) in pairwise(points):
        steps = max(abs(r1 - r0), abs(c1 - c0), 1)
        for t in np.linspace(0, 1, steps + 1):
            r, c = round(r0 + t * (r1 - r0)), round(c0 + t * (c1 - c0))
            drawing[(rows - r) ** 2 + (cols - c) ** 2 <= radius * radius + radius] = 1
    return drawing


def blank():
    return np.zeros((28, 28))


#: A scribble: the pen going back and forth over the same patch.
SCRIBBLE = [(6 + i, 6 if i % 2 == 0 else 22) for i in range(14)]


# -- the features and the test --------------------------------------------------------


def test_two_sided_p_counts_both_tails_and_ties():
    sample = np.arange(1, 1000, dtype=float)  # 1 … 999
    assert two_sided_p(500, sample) == 1.0
    assert two_sided_p(5000, sample) == pytest.approx(2 / 1000)
    assert two_sided_p(-5000, sample) == pytest.approx(2 / 1000)
    assert two_sided_p(5000, sample) < ALPHA < two_sided_p(990, sample)
    # a value equal to the most extreme one is not more extreme than it
    assert two_sided_p(999, sample) > two_sided_p(999.5, sample)
    assert two_sided_p(3, np.full(10, 3)) == 1.0  # every tie is as extreme


def test_thickness_and_ink():
    assert thickness(blank()) == 0 and ink_amount(blank()) == 0
    one = blank()
    one[4:24, 14] = 1
    assert thickness(one) == 1 and ink_amount(one) == 20
    stroke = blank()
    stroke[4:24, 13:16] = 1  # three pixels wide
    assert thickness(stroke) == 2
    patch = blank()
    patch[5:16, 5:16] = 1  # 11 × 11
    assert thickness(patch) == 6


# -- preparing and scoring a drawing --------------------------------------------------


def test_a_small_drawing_in_a_corner_is_normalised_and_mapped_back():
    model = tiny_model("nade", (28, 28), hidden=6)
    drawing = line(blank(), [(2, 2), (2, 7), (8, 4)], radius=0)  # a tiny 7
    prepared = prepare_drawing(drawing)
    assert prepared.extent == 7 and not prepared.empty
    image = prepared.image
    assert set(np.unique(image)) <= {0.0, 1.0}
    rows, cols = np.nonzero(image)
    assert rows.max() - rows.min() + 1 >= 18  # brought up to MNIST's 20-pixel box
    centre = np.array([rows.mean(), cols.mean()])
    assert np.abs(centre - 13.5).max() <= 1.5  # centre of mass at the centre

    scored = score_canvas(model, drawing)
    assert scored.log_prob == pytest.approx(score_drawing(model, image).log_prob)
    assert np.array_equal(scored.model_view, image)
    # the surprise map lives in the drawing's pixels: on and around the small 7,
    # nothing where the normalised image does not reach
    assert scored.surprise.shape == (28, 28)
    assert scored.surprise[:10, :10].sum() > 0
    assert np.all(scored.surprise[14:, :] == 0) and np.all(scored.surprise[:, 14:] == 0)


def test_scored_as_drawn_the_surprise_map_is_the_models_own():
    model = tiny_model("nade", (28, 28), hidden=6)
    drawing = line(blank(), [(3, 20), (10, 25)])
    scored = score_canvas(model, drawing, normalize=False)
    exact = score_drawing(model, drawing)
    assert np.array_equal(scored.model_view, drawing >= 0.5)
    assert np.allclose(scored.surprise, exact.surprise)
    assert scored.surprise.sum() == pytest.approx(-scored.log_prob, rel=1e-5)


def test_an_empty_canvas_scores_without_trouble():
    model = tiny_model("nade", (28, 28), hidden=6)
    for normalize in (True, False):
        scored = score_canvas(model, blank(), normalize=normalize)
        assert scored.empty and scored.prepared.extent == 0
        assert not scored.model_view.any()
        assert np.isfinite(scored.log_prob)


# -- the verdict, on a made-up reference ---------------------------------------------


@pytest.fixture
def made_up():
    """1000 "digits": log p(x) spread around −90, 100 ink pixels, 2 thick."""
    rng = np.random.default_rng(0)
    return Reference(
        log_probs=rng.normal(-90.0, 20.0, 1000),
        ink=rng.integers(60, 140, 1000),
        thickness=np.full(1000, 2),
        num_pixels=784,
        source="held-out digits",
    )


def digit_like():
    return line(blank(), [(4, 8), (4, 20), (23, 12)])  # a 7: 2–3 pixels thick


def test_both_tails_are_named(made_up):
    top = likelihood_position(0.0, made_up)
    assert "More likely than all 1000 held-out digits" in top
    assert "more likely than any real digit, which is suspicious" in top
    assert "almost empty image is the single most probable picture" in top
    bottom = likelihood_position(-500.0, made_up)
    assert bottom.startswith("Less likely than all 1000")
    middle = likelihood_position(-90.0, made_up)
    assert middle.startswith("More likely than") and "among real digits" in middle
    share = made_up.share_less_likely(-90.0)
    assert f"{share:.1f}%" in middle


def test_verdicts_in_words(made_up):
    seven = digit_like()
    assert 60 <= ink_amount(seven) <= 140
    typical = assess(-85.0, seven, made_up, extent=20)
    assert typical.verdict is Verdict.TYPICAL and typical.headline == "typical digit"
    assert typical.classes_meaningful and not typical.reasons

    nothing = assess(-5.0, blank(), made_up, empty=True)
    assert nothing.headline == "nothing drawn" and not nothing.classes_meaningful
    assert "suspicious" in nothing.position  # the blank is the most likely picture

    sparse = line(blank(), [(10, 14), (16, 14)])  # a short tick: 7 pixels of ink
    likely = assess(-10.0, sparse, made_up, extent=7)
    assert likely.headline == "too likely to be a digit (nearly empty?)"
    assert not likely.classes_meaningful

    # a digit's ink, size and thickness, but cleaner than any handwriting: said,
    # and still a digit (a ruler-straight 1 is one)
    clean = assess(-10.0, seven, made_up, extent=20)
    assert clean.verdict is Verdict.TYPICAL and clean.classes_meaningful
    assert any("cleaner and simpler than real handwriting" in r for r in clean.reasons)

    unlikely = assess(-400.0, seven, made_up, extent=20)
    assert unlikely.headline == "unlike any digit"
    assert "lower than for almost every held-out digit" in unlikely.reasons[0]

    dot = assess(-85.0, seven, made_up, extent=MIN_EXTENT - 2)
    assert dot.headline == "too small to be a digit (a dot?)"

    blob = blank()
    blob[6:20, 6:20] = 1  # the right log p(x), but a solid patch
    solid = assess(-85.0, blob, made_up, extent=14)
    assert solid.verdict is Verdict.UNLIKE
    assert any("Solid patches" in r for r in solid.reasons)
    assert any("More ink" in r for r in solid.reasons)

    pending = assess(-85.0, seven, None, extent=20)
    assert pending.verdict is Verdict.PENDING and pending.classes_meaningful
    assert assess(-85.0, seven, None, extent=2).verdict is Verdict.TOO_SMALL


# -- the verdict, on the shipped model and real digits ------------------------------


@pytest.fixture(scope="module")
def shipped():
    """The shipped class-conditional NADE; 200 held-out digits it never trained
    on as its yardstick (the fewest whose extremes a 1% two-sided test can
    flag), and 40 others to judge."""
    from models.checkpoint import load_checkpoint

    model = load_checkpoint(bundled_dir() / "nade-mnist5k-classes").model
    images = Binarization("threshold").apply(load_split("mnist-5k", "test"))
    order = np.random.default_rng(0).permutation(len(images))
    return model, build_reference(model, images[order[:200]]), images[order[200:240]]


def verdict(shipped, drawing):
    model, reference, _ = shipped
    scored = score_canvas(model, drawing)
    return assess(
        scored.log_prob,
        scored.model_view,
        reference,
        empty=scored.empty,
        extent=scored.prepared.extent,
    )


def test_real_digits_read_as_typical(shipped):
    _, reference, others = shipped
    low, high = reference.typical_range()
    assert low < -reference.entropy < high
    verdicts = [verdict(shipped, image.astype(float)) for image in others]
    typical = sum(v.verdict is Verdict.TYPICAL for v in verdicts)
    assert typical >= 36  # three checks at 1% each: a few false alarms at most


def test_nothing_a_dot_and_a_scribble_read_right(shipped):
    empty = verdict(shipped, blank())
    assert empty.verdict is Verdict.NOTHING
    assert "more likely than any real digit" in empty.position  # and it says why

    dot = line(blank(), [(14, 14), (14, 14)])  # one click of the brush
    assert verdict(shipped, dot).verdict is Verdict.TOO_SMALL
    # shown as drawn, the dot is the kind of picture likelihood loves
    model, reference, _ = shipped
    as_drawn = score_canvas(model, dot, normalize=False)
    assert as_drawn.log_prob > reference.log_probs.max()

    scribble = verdict(shipped, line(blank(), SCRIBBLE))
    assert scribble.verdict is Verdict.UNLIKE
    assert not scribble.classes_meaningful


def test_a_class_conditional_model_is_asked_to_stop_as_often_per_pass():
    """Scoring the held-out digits is dropped when stale, between batches; a
    class-conditional model scores each digit once per class, so its batches
    hold fewer digits and a stale job ends as soon as an unconditional one."""
    digits = Binarization("threshold").apply(load_split("mnist-5k", "test"))[:40]
    asked = {}
    for classes in (0, 10):
        model = tiny_model("nade", (28, 28), hidden=6, num_classes=classes)
        calls = []

        def stop(calls=calls):
            calls.append(1)
            return False

        images = digits.astype(float)
        reference = build_reference(model, images, batch_size=20, stop=stop)
        assert reference.count == 40
        asked[classes] = len(calls)
    assert asked == {0: 2, 10: 20}  # 40 digits in batches of 20 passes
