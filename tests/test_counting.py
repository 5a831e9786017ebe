import itertools
import json
import math
import resource
import subprocess
import sys
from decimal import ROUND_HALF_UP, Context, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import counting
from models.cli import main
from models.errors import ConfigError
from models.registry import available, count_for_config, create


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
    assert count_for_config(kind, model.config) == model.parameter_count(model.config)


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


# -- counts too long to print: digits and leading digits, never a hang -------------


def _reference(value: int, significant: int) -> tuple[int, str, int]:
    """Digits and the mantissa rounded half up, by the decimal module alone."""
    rounded = Context(prec=significant, rounding=ROUND_HALF_UP).plus(Decimal(value))
    mantissa = rounded.scaleb(-rounded.adjusted())
    return (
        len(Decimal(value).as_tuple().digits),
        f"{mantissa:.{significant - 1}f}",
        (rounded.adjusted()),
    )


def _described(magnitude: counting.Magnitude, significant: int) -> tuple[int, str, int]:
    return (magnitude.digits, *magnitude.scientific(significant))


@settings(max_examples=200, deadline=None)
@given(value=st.integers(1, 10**9000), significant=st.integers(1, 15))
def test_scientific_form_of_an_integer_is_its_correct_rounding(value, significant):
    magnitude = counting.Magnitude.of(value)
    assert _described(magnitude, significant) == _reference(value, significant)
    assert (magnitude.exact == value) == (magnitude.digits <= counting.MAX_EXACT_DIGITS)


#: Bases of every kind: powers of 2, of 5, multiples of 10 (counts ending in long
#: runs of zeros before the − 1) and others.
_bases = st.one_of(
    st.sampled_from([2, 3, 5, 10, 20, 50, 100, 256, 1000]), st.integers(2, 999)
)


def _long_exponent(k: int, extra: int) -> int:
    """An exponent that makes K^e longer than the exact limit (up to ~12,000 digits)."""
    return math.ceil((counting.MAX_EXACT_DIGITS + 2) / math.log10(k)) + extra


@settings(max_examples=60, deadline=None)
@given(k=_bases, extra=st.integers(0, 2000), significant=st.integers(1, 15))
def test_full_joint_beyond_the_exact_limit_agrees_with_the_integer(
    k, extra, significant
):
    n = _long_exponent(k, extra)
    count = counting.full_joint(n, k)
    assert count.magnitude.exact is None
    assert _described(count.magnitude, significant) == _reference(k**n - 1, significant)


@settings(max_examples=60, deadline=None)
@given(
    k=_bases,
    extra=st.integers(0, 2000),
    more_pixels=st.integers(-20, 10**6),
    classes=st.integers(0, 10**6),
    significant=st.integers(1, 15),
)
def test_long_markov_counts_agree_with_the_integer(
    k, extra, more_pixels, classes, significant
):
    order = _long_exponent(k, extra)
    n = max(1, order + more_pixels)
    m = min(n, order)
    exact = max(classes, 1) * (k**m - 1 + (n - m) * (k - 1) * k**order)
    count = counting.markov(n, order, k, classes)
    assert _described(count.magnitude, significant) == _reference(exact, significant)


def test_a_count_with_4335_digits_is_described_not_printed():
    count = counting.full_joint(120 * 120)
    assert (
        count.magnitude.digits == 4335 == len(Decimal(2**14400 - 1).as_tuple().digits)
    )
    assert count.magnitude.scientific() == ("6.791", 4334)
    with pytest.raises(ConfigError, match="4,335 digits"):
        _ = count.value
    record = count.as_dict()
    assert record["value"] is None and record["digits"] == 4335
    assert Decimal(record["scientific"]) == Decimal("6.79105990291e4334")
    json.dumps(record)  # no int-string limit in the way


def test_counts_of_astronomical_size_take_no_memory():
    """K^n − 1 for 10^12 pixels has 2.4 × 10^12 digits: described from logarithms."""
    count = counting.full_joint(10**12, 256)
    digits = (Decimal(10**12) * Context(prec=60).log10(Decimal(256))).to_integral_value(
        rounding="ROUND_FLOOR"
    ) + 1
    assert count.magnitude.digits == int(digits)
    # an order beyond n is the full joint (nothing of size K^order is built)
    assert counting.markov(784, 10**12).magnitude == counting.full_joint(784).magnitude
    assert counting.markov(784, 10**12).value == 2**784 - 1


def test_a_power_of_ten_minus_one_has_one_digit_fewer():
    count = counting.full_joint(5000, 10)  # 10^5000 − 1: 5,000 nines
    assert count.magnitude.digits == 5000
    assert count.magnitude.scientific() == ("1.000", 5000)  # rounds up to 10^5000
    assert count.magnitude.mantissa.as_tuple().digits == (9,) * 40


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: counting.full_joint(10**13), "n must be an integer from 1 to"),
        (lambda: counting.full_joint(10**5000), "about 5,001 digits"),
        (lambda: counting.markov(784, 0), "order must be"),
        (lambda: counting.markov(784, 1, 1), "K must be"),
        (lambda: counting.nade(784, -1), "H must be"),
        (lambda: counting.markov(784, 2, 2, -1), "num_classes must be"),
        (lambda: counting.made(784, ["500"]), "hidden size must be"),
        (lambda: counting.made(784, [1] * 1001), "1 to 1,000 hidden layers"),
        (lambda: counting.gated_pixelcnn(32, 1001), "layers must be"),
        (lambda: counting.summary(784, channels=0), "channels must be"),
    ],
)
def test_sizes_out_of_range_are_refused_by_name(call, message):
    with pytest.raises(ConfigError, match=message):
        call()


@pytest.mark.parametrize(
    "text",
    ["abc", "", "500,", "5 0 0x", "-5", "0", "²", "9" * 14, ",".join("1" * 1001)],
)
def test_layer_sizes_text_is_parsed_or_refused(text):
    with pytest.raises(ConfigError, match="MADE hidden sizes must be"):
        counting.parse_sizes(text)


def test_layer_sizes_text_that_parses():
    assert counting.parse_sizes(" 500, 300 ,7") == (500, 300, 7)


def test_many_gated_layers_are_counted_in_closed_form():
    def by_layer(c, layers, k1=7, k=3):
        total = 0
        for layer in range(layers):
            kernel, d = (k1, 1) if layer == 0 else (k, c)
            total += 2 * c * d * (kernel // 2 + 1) * (kernel + 1) + 5 * c * c + 7 * c
        return total + c * c + c + c + 1  # the head: one hidden 1×1 conv, a logit

    for layers in (0, 1, 2, 3, 4, 1000):
        assert counting.gated_pixelcnn(32, layers).value == by_layer(32, layers)
    head = by_layer(32, 0)
    first, later = by_layer(32, 1) - head, by_layer(32, 2) - by_layer(32, 1)
    substituted = counting.gated_pixelcnn(32, 1000).substituted
    assert substituted.startswith(f"{first} + 999·{later} + ")


def test_a_model_too_large_to_build_is_refused_before_building():
    fvsbn = counting.fvsbn(300 * 300)
    with pytest.raises(ConfigError, match=r"4,050,045,000 parameters.*200,000,000"):
        counting.check_buildable(fvsbn)
    with pytest.raises(ConfigError, match=r"6\.79 × 10\^4334 parameters"):
        counting.check_buildable(counting.full_joint(14400))
    counting.check_buildable(counting.nade(784))  # 785,284: fine


# -- the command line ----------------------------------------------------------------


def count_cli(capsys, *args):
    status = main(["count", *args])
    out, err = capsys.readouterr()
    return status, out, err


def _rows(out):
    return {row["name"]: row for row in json.loads(out)["counts"]}


def test_cli_count_of_a_120x120_image(capsys):
    status, out, _ = count_cli(capsys, "--shape", "120x120")
    assert status == 0
    rows = _rows(out)
    joint = rows["fully dependent"]
    assert joint["value"] is None and joint["digits"] == 4335
    assert joint["scientific"] == "6.79105990291e+4334"
    assert rows["FVSBN"]["value"] == 14400 * 14401 // 2  # still exact
    assert rows["independent"]["digits"] == 5


@pytest.mark.parametrize(
    ("args", "name", "n", "k"),
    [
        (["--shape", "30000x30000", "--states", "3"], "fully dependent", 9 * 10**8, 3),
        (["--shape", "100000x100000"], "fully dependent", 10**10, 2),
        (["--markov-order", str(10**12)], "Markov AR-1000000000000", 784, 2),
    ],
)
def test_cli_counts_of_huge_joints(capsys, args, name, n, k):
    status, out, _ = count_cli(capsys, *args)
    assert status == 0
    row = _rows(out)[name]
    log = Decimal(n) * Context(prec=60).log10(Decimal(k))
    assert row["digits"] == int(log) + 1
    assert row["value"] == (2**784 - 1 if n == 784 else None)


def test_cli_large_images_keep_exact_counts_where_they_are_short(capsys):
    status, out, _ = count_cli(capsys, "--shape", "100000x100000")
    n = 10**10
    assert status == 0
    rows = _rows(out)
    assert rows["FVSBN"]["value"] == n * (n + 1) // 2
    assert rows["NADE (H = 500)"]["value"] == 2 * n * 500 + n + 500


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--made-hidden", "abc"], "--made-hidden must be comma-separated positive"),
        (["--states", "1"], "--states must be an integer from 2"),
        (["--markov-order", "0"], "--markov-order must be"),
        (["--nade-hidden", str(10**13)], "--nade-hidden must be"),
        (["--shape", "10000000x10000000"], "--shape H·W (the number of pixels)"),
        (["--kind", "fvsbn", "--shape", "300x300"], "FVSBN would have 4,050,045,000"),
        (["--kind", "nade", "--set", "image_shape=[2,2]"], "from --shape, not --set"),
    ],
)
def test_cli_count_refuses_in_one_line(capsys, monkeypatch, args, message):
    from models.fvsbn import FVSBN

    def never(*_args, **_kwargs):
        raise AssertionError("a model was built")

    monkeypatch.setattr(FVSBN, "__init__", never)
    status, out, err = count_cli(capsys, *args)
    assert status == 2 and out == ""
    assert err.startswith("ar-models: error: ") and err.count("\n") == 1
    assert message in err


def test_cli_count_builds_a_model_within_the_limit(capsys):
    status, out, _ = count_cli(capsys, "--shape", "5x4", "--kind", "fvsbn")
    model = json.loads(out)["model"]
    assert status == 0
    assert model["value"] == model["numel"] == 20 * 21 // 2
    assert model["digits"] == 3


@pytest.mark.parametrize(
    ("args", "n", "k"),
    [
        (["--shape", "30000x30000", "--states", "3"], 9 * 10**8, 3),
        (["--shape", "100000x100000"], 10**10, 2),
        (["--markov-order", str(10**12)], 784, 2),
        (["--shape", "1000000x1000000", "--states", "65536"], 10**12, 65536),
    ],
)
def test_cli_count_in_a_process_with_256_mb(args, n, k):
    """The cases that used to hang or take gigabytes, under a memory cap."""

    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (256 * 2**20, 256 * 2**20))

    result = subprocess.run(
        [sys.executable, "-m", "models", "count", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=cap_memory,
    )
    assert result.returncode == 0, result.stderr
    log = Decimal(n) * Context(prec=60).log10(Decimal(k))  # K^n has ⌊n log K⌋ + 1
    assert json.loads(result.stdout)["counts"][0]["digits"] == int(log) + 1


def test_json_ints_respect_a_lowered_int_string_limit():
    """An interpreter started with a lower limit still prints the record."""
    count = counting.full_joint(2300)  # 693 digits
    assert count.as_dict()["value"] == 2**2300 - 1
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)
    try:
        record = count.as_dict()
        assert record["value"] is None and record["digits"] == 693
        json.dumps(record)
    finally:
        sys.set_int_max_str_digits(previous)
