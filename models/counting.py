"""Exact parameter counts of joint distributions over n pixels with K states.

The chain rule writes any joint as a product of conditionals; what makes a
model tractable is how many numbers those conditionals need. Every function here
returns a :class:`ParameterCount`: the count as a :class:`Magnitude` (the exact
Python ``int`` while it has at most :data:`MAX_EXACT_DIGITS` digits, and always
its exact number of digits and its leading digits), the formula, and the formula
with the numbers substituted, so a front end can show all three.

No floating point decides a digit: 2^784 − 1 (237 digits) is held exactly, and
K^n − 1 for a billion pixels, which has more digits than memory holds, is
described by integer arithmetic and 80-digit logarithms in microseconds. Every
size is checked first (an integer from 1 to :data:`MAX_SIZE`), so no input makes
a count slow or large; a bad one raises :class:`~models.errors.ConfigError`
naming it.

For the torch models the count equals ``sum(p.numel() for p in
model.parameters())`` — the test suite checks this for many configurations.
Each model kind answers for its own count (``parameter_count(config)``, built
from these functions), and :func:`models.registry.count_for_config` finds it
by kind; this module knows no model.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

from models.errors import ConfigError, shown
from models.text import QT_TRANSLATE_NOOP, Phrase

__all__ = [
    "MAX_BUILD_PARAMETERS",
    "MAX_EXACT_DIGITS",
    "MAX_LAYERS",
    "MAX_SIZE",
    "Magnitude",
    "ParameterCount",
    "check_buildable",
    "check_size",
    "diagonal_bilstm",
    "full_joint",
    "fvsbn",
    "gated_pixelcnn",
    "independent",
    "made",
    "markov",
    "nade",
    "parse_sizes",
    "pixelcnn",
    "row_lstm",
    "summary",
]

#: Counts with at most this many digits are kept as exact ``int`` (Python's
#: default int-string limit, 4,300 digits, still prints and parses them).
MAX_EXACT_DIGITS = 4000
#: The largest size a count accepts: pixels, Markov order, states, units, classes.
MAX_SIZE = 10**12
#: The most layers a count accepts (MADE's hidden layers, a spatial model's).
MAX_LAYERS = 1000
#: The largest model built to compare ``numel`` with a count (800 MB as float32).
MAX_BUILD_PARAMETERS = 200_000_000

#: Leading digits a :class:`Magnitude` keeps.
_MANTISSA_DIGITS = 40
#: Working precision of the logarithms (a log10 below 10^14 keeps 60 decimals).
_CONTEXT = Context(prec=80, Emax=10**9, Emin=-(10**9))
#: The largest integer :meth:`Magnitude.of` takes (bits); bigger ones are
#: described from their formula instead of being built.
_MAX_BUILT_BITS = 20 * MAX_EXACT_DIGITS


@dataclass(frozen=True)
class Magnitude:
    """A non-negative integer by its size; the integer itself while it is short.

    Attributes
    ----------
    digits
        How many decimal digits the integer has (exact).
    mantissa
        The integer divided by 10^(digits − 1), in [1, 10), to 40 significant
        digits (truncated). From exact integer arithmetic while ``exact`` is
        set, else from 80-digit logarithms of the formula.
    exact
        The integer when it has at most :data:`MAX_EXACT_DIGITS` digits, else
        None (it is never built: 2^(10^10) would take 1.25 GB).
    """

    digits: int
    mantissa: Decimal
    exact: int | None

    @classmethod
    def of(cls, value: int) -> Magnitude:
        """Describe ``value`` (a non-negative int of at most 80,000 bits)."""
        if value < 0 or value.bit_length() > _MAX_BUILT_BITS:
            raise ValueError("Magnitude.of takes a non-negative int of moderate size")
        if value == 0:
            return cls(1, Decimal(0), 0)
        digits = int((value.bit_length() - 1) * math.log10(2)) + 1
        while digits > 1 and value < 10 ** (digits - 1):
            digits -= 1
        while value >= 10**digits:
            digits += 1
        shift = digits - _MANTISSA_DIGITS
        leading = value // 10**shift if shift > 0 else value
        mantissa = _CONTEXT.scaleb(
            Decimal(leading), -(min(digits, _MANTISSA_DIGITS) - 1)
        )
        return cls(digits, mantissa, value if digits <= MAX_EXACT_DIGITS else None)

    @property
    def exponent(self) -> int:
        """The power of ten of the leading digit: digits − 1."""
        return self.digits - 1

    def log10(self) -> float:
        """log₁₀ of the integer as a float (−inf for 0), e.g. for a plot."""
        if self.mantissa == 0:
            return -math.inf
        return self.exponent + math.log10(float(self.mantissa))

    def scientific(self, significant: int = 4) -> tuple[str, int]:
        """The mantissa rounded half up to ``significant`` digits, and the exponent.

        ``Magnitude.of(2**784 - 1).scientific()`` is ``("1.017", 236)``: the
        integer is about 1.017 × 10^236. Rounding may carry into the exponent
        (9.9996 × 10^5 gives ``("1.000", 6)``).
        """
        rounded = Context(prec=significant, rounding=ROUND_HALF_UP).plus(self.mantissa)
        exponent = self.exponent
        if rounded >= 10:
            rounded, exponent = Decimal(1), exponent + 1
        return f"{rounded:.{significant - 1}f}", exponent

    def printable(self) -> bool:
        """Whether the exact integer exists and ``str`` may write it.

        True up to :data:`MAX_EXACT_DIGITS` digits, and the interpreter's own
        int-string limit (``sys.get_int_max_str_digits``) when that is lower.
        """
        limit = sys.get_int_max_str_digits() or MAX_EXACT_DIGITS
        return self.exact is not None and self.digits <= min(limit, MAX_EXACT_DIGITS)

    def as_json(self) -> dict[str, object]:
        """The count for JSON: ``value``, ``digits`` and ``scientific``.

        ``value`` is a JSON integer while :meth:`printable` (at most 4,000
        digits, which Python's default int-string limit still parses); beyond
        that it is null and ``scientific`` (12 significant digits, e.g.
        ``"1.57427536296e+4334"``, readable by ``decimal.Decimal``) and
        ``digits`` describe the number.
        """
        mantissa, exponent = self.scientific(12)
        return {
            "value": self.exact if self.printable() else None,
            "digits": self.digits,
            "scientific": f"{mantissa}e+{exponent}",
        }


def _power(a: int, k: int, e: int, b: int) -> Magnitude:
    """a·k^e − b for a ≥ 1, k ≥ 2, e ≥ 0, 0 ≤ b < 10^30, b ≤ a·k^e.

    Built exactly while it has at most about :data:`MAX_EXACT_DIGITS` digits.
    Beyond, a·k^e = m·10^z: when m is short (k a multiple of 10), the digits
    come from m exactly; otherwise from 80-digit logarithms. The digit count is
    exact either way: with m > 1, a·k^e is no power of ten, and a fractional
    part of log₁₀(a·k^e) of at least 10^-40 puts it more than b above 10^D.
    """
    estimate = e * math.log10(k) + math.log10(a)
    if estimate <= MAX_EXACT_DIGITS + 10:
        return Magnitude.of(a * k**e - b)
    twos = _valuation(a, 2) + e * _valuation(k, 2)
    fives = _valuation(a, 5) + e * _valuation(k, 5)
    z = min(twos, fives)
    if estimate - z <= MAX_EXACT_DIGITS + 10:  # a·k^e = m·10^z with m short
        rest_a = a // (2 ** _valuation(a, 2) * 5 ** _valuation(a, 5))
        rest_k = k // (2 ** _valuation(k, 2) * 5 ** _valuation(k, 5))
        m = 2 ** (twos - z) * 5 ** (fives - z) * rest_a * rest_k**e
        if z <= 100:
            return Magnitude.of(m * 10**z - b)
        # m·10^z − b = T·10^(z − 40) + r with 0 ≤ r < 10^(z − 40)
        head = Magnitude.of(m * 10**_MANTISSA_DIGITS - (1 if b else 0))
        return Magnitude(head.digits + z - _MANTISSA_DIGITS, head.mantissa, None)
    ctx = _CONTEXT
    log = ctx.add(_log10(a), ctx.multiply(Decimal(e), _log10(k)))
    whole = log.to_integral_value(rounding=ROUND_FLOOR)
    fraction = ctx.subtract(log, whole)
    if not Decimal("1e-40") <= fraction <= 1 - Decimal("1e-40"):
        raise ConfigError(
            f"{a}·{k}^{e} is too close to a power of ten to count its digits"
        )
    mantissa = ctx.power(Decimal(10), fraction).quantize(
        Decimal(1).scaleb(1 - _MANTISSA_DIGITS), rounding=ROUND_DOWN, context=ctx
    )
    return Magnitude(int(whole) + 1, mantissa, None)


@functools.lru_cache(maxsize=1024)
def _log10(value: int) -> Decimal:
    """log₁₀ to 80 digits (cached: a plot of counts against n asks often)."""
    return _CONTEXT.log10(Decimal(value))


def _valuation(value: int, prime: int) -> int:
    """How many times ``prime`` divides ``value`` (≥ 1)."""
    count = 0
    while value % prime == 0:
        value //= prime
        count += 1
    return count


@dataclass(frozen=True)
class ParameterCount:
    """An exact parameter count with the formula it comes from.

    Attributes
    ----------
    name
        The structure counted, e.g. ``"NADE (H = 500)"``.
    magnitude
        The count: its digits and leading digits, and the exact integer while
        it has at most :data:`MAX_EXACT_DIGITS` digits.
    formula
        The closed form in symbols, e.g. ``"2nH + n + H"``.
    substituted
        The closed form with the numbers put in, e.g. ``"2·784·500 + 784 + 500"``.
    kind, settings
        The registered model this count describes and the settings that build
        it (``models.create(kind, shape, **dict(settings))`` has exactly
        ``value`` parameters); ``kind`` is None when no torch model exists
        (the fully dependent joint, more than two states per pixel).
    """

    name: str
    magnitude: Magnitude
    formula: str
    substituted: str
    kind: str | None = None
    settings: tuple[tuple[str, object], ...] = ()

    @property
    def value(self) -> int:
        """The exact count.

        Raises
        ------
        ConfigError
            When it has more than :data:`MAX_EXACT_DIGITS` digits (it is never
            built; :attr:`magnitude` describes it). No torch model comes close.
        """
        if self.magnitude.exact is None:
            raise ConfigError(
                f"the {self.name} count has {self.magnitude.digits:,} digits, more "
                f"than the {MAX_EXACT_DIGITS:,} held exactly"
            )
        return self.magnitude.exact

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict.

        Keys: ``name``; ``value``, the exact count as an integer (null when it
        has more than 4,000 digits); ``digits``, its number of digits;
        ``scientific``, e.g. ``"1.01716786132e+236"`` (12 significant
        digits); ``formula``; ``substituted``; and, for a count of a torch
        model, ``kind`` and ``settings``.
        """
        out: dict[str, object] = {"name": self.name, **self.magnitude.as_json()}
        out |= {"formula": self.formula, "substituted": self.substituted}
        if self.kind is not None:
            out["kind"] = self.kind
            out["settings"] = dict(self.settings)
        return out


def _count(name: str, value: int, formula: str, substituted: str) -> ParameterCount:
    """A count whose value is a (short) exact integer."""
    return ParameterCount(name, Magnitude.of(value), formula, substituted)


def check_size(
    name: str, value: object, minimum: int = 1, maximum: int = MAX_SIZE
) -> int:
    """``value`` when it is an integer from ``minimum`` to ``maximum``.

    Raises
    ------
    ConfigError
        Naming ``name`` and the value, e.g. "K must be an integer from 2 to
        1,000,000,000,000, got 1". Booleans, floats and text are refused.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not minimum <= value <= maximum
    ):
        raise ConfigError(
            f"{name} must be an integer from {minimum:,} to {maximum:,}, "
            f"got {shown(value, 60)}"
        )
    return value


def _positive(name: str, value: object, minimum: int = 1) -> int:
    return check_size(name, value, minimum)


def parse_sizes(text: str, name: str = "MADE hidden sizes") -> tuple[int, ...]:
    """Layer widths from text such as ``"500,500"``.

    Raises
    ------
    ConfigError
        Naming ``name`` when the text is not 1 to :data:`MAX_LAYERS`
        comma-separated integers from 1 to :data:`MAX_SIZE`.
    """
    parts = text.replace(" ", "").split(",")
    problem = f"{name} must be comma-separated positive integers such as 500,500"
    if len(parts) > MAX_LAYERS:
        raise ConfigError(f"{problem}, at most {MAX_LAYERS:,} of them")
    if not all(p.isascii() and p.isdigit() and len(p) <= 13 for p in parts):
        raise ConfigError(f"{problem}, got {text!r:.60}")
    return tuple(check_size(name, int(p)) for p in parts)


def check_buildable(count: ParameterCount, limit: int = MAX_BUILD_PARAMETERS) -> None:
    """Refuse to build a model of ``count`` parameters above ``limit``.

    Raises
    ------
    ConfigError
        Saying how many parameters the model would have and the limit.
    """
    value = count.magnitude.exact
    if value is None or value > limit:
        mantissa, exponent = count.magnitude.scientific(3)
        size = (
            f"{value:,}"
            if value is not None and exponent < 30
            else (f"{mantissa} × 10^{exponent}")
        )
        raise ConfigError(
            f"{count.name} would have {size} parameters; models are built with at "
            f"most {limit:,} parameters"
        )


def _conditioning(
    num_classes: int, per_class: str, per_class_value: int
) -> tuple[str, str, int]:
    """Formula suffix for class conditioning (a per-class bias of given size)."""
    if num_classes == 0:
        return "", "", 0
    return (
        f" + C({per_class})",
        f" + {num_classes}·{per_class_value}",
        num_classes * per_class_value,
    )


#: The fully independent structure's name (the window translates it).
_INDEPENDENT = Phrase(QT_TRANSLATE_NOOP("models", "independent"))


def full_joint(n: int, k: int = 2) -> ParameterCount:
    """Fully dependent joint: one probability per configuration, minus one."""
    _positive("n", n)
    _positive("K", k, 2)
    return ParameterCount(
        Phrase(QT_TRANSLATE_NOOP("models", "fully dependent")),
        _power(1, k, n, 1),
        "Kⁿ − 1",
        f"{k}^{n} − 1",
    )


def _classes(num_classes: int) -> int:
    return check_size("num_classes", num_classes, 0)


def independent(n: int, k: int = 2, num_classes: int = 0) -> ParameterCount:
    """Fully independent pixels: K − 1 numbers per pixel (a table per class)."""
    _positive("n", n)
    _positive("K", k, 2)
    if _classes(num_classes):
        return _count(
            _INDEPENDENT,
            num_classes * n * (k - 1),
            "C·n(K − 1)",
            f"{num_classes}·{n}·({k} − 1)",
        )
    return _count(_INDEPENDENT, n * (k - 1), "n(K − 1)", f"{n}·({k} − 1)")


def markov(n: int, order: int = 1, k: int = 2, num_classes: int = 0) -> ParameterCount:
    """Markov chain of order ``order`` along the ordering (a table per pixel).

    Pixel i (0-based) conditions on min(i, order) predecessors, so its table has
    (K − 1)·K^min(i, order) entries. Summing: K^m − 1 for the first m = min(n,
    order) pixels plus (n − m)(K − 1)K^order for the rest. Order 1 on binary
    pixels gives the familiar 2n − 1. Since the second term vanishes when
    m = n, the sum is (1 + (n − m)(K − 1))·K^m − 1: an order beyond n costs
    nothing to count.
    """
    _positive("n", n)
    _positive("order", order)
    _positive("K", k, 2)
    classes = _classes(num_classes)
    m = min(n, order)
    scale = max(classes, 1)
    value = _power(scale * (1 + (n - m) * (k - 1)), k, m, scale)
    formula = "K^k − 1 + (n − k)(K − 1)K^k"
    substituted = f"{k}^{m} − 1 + ({n} − {m})·({k} − 1)·{k}^{order}"
    if classes:
        formula = f"C·({formula})"
        substituted = f"{classes}·({substituted})"
    name = Phrase(QT_TRANSLATE_NOOP("models", "Markov AR-{order}"), order=order)
    return ParameterCount(name, value, formula, substituted)


def fvsbn(n: int, num_classes: int = 0) -> ParameterCount:
    """FVSBN: a logistic regression per pixel on all earlier pixels."""
    _positive("n", n)
    extra_f, extra_s, extra = _conditioning(_classes(num_classes), "n", n)
    return _count(
        "FVSBN",
        n + n * (n - 1) // 2 + extra,
        "n + n(n − 1)/2" + extra_f,
        f"{n} + {n}·{n - 1}/2" + extra_s,
    )


def nade(
    n: int, hidden: int = 500, num_classes: int = 0, outputs: int = 1
) -> ParameterCount:
    """NADE: shared W (H×n), V (n×H), biases b (n) and c (H).

    ``outputs`` is P, the pixel likelihood's parameters per pixel (1 for
    binary pixels, K for K levels, 3M for RNADE's M Gaussians); with P > 1, V is
    (n×P×H) and b (n×P): (1 + P)nH + Pn + H.
    """
    _positive("n", n)
    _positive("H", hidden)
    p = _positive("outputs per pixel", outputs)
    if p == 1:
        extra_f, extra_s, extra = _conditioning(
            _classes(num_classes), "H + n", hidden + n
        )
        return _count(
            f"NADE (H = {hidden})",
            2 * n * hidden + n + hidden + extra,
            "2nH + n + H" + extra_f,
            f"2·{n}·{hidden} + {n} + {hidden}" + extra_s,
        )
    extra_f, extra_s, extra = _conditioning(
        _classes(num_classes), "H + Pn", hidden + p * n
    )
    return _count(
        f"NADE (H = {hidden}, P = {p})",
        (1 + p) * n * hidden + p * n + hidden + extra,
        "(1 + P)nH + Pn + H" + extra_f,
        f"{1 + p}·{n}·{hidden} + {p}·{n} + {hidden}" + extra_s,
    )


def made(
    n: int,
    hidden_sizes: Sequence[int] = (500,),
    num_classes: int = 0,
    direct: bool = False,
    outputs: int = 1,
) -> ParameterCount:
    """MADE: dense masked layers n → H₁ → … → H_L → Pn (weights and biases).

    Masks zero out connections but the weight matrices are stored whole, so this
    counts stored parameters, as ``numel`` does. ``outputs`` is P, the pixel
    likelihood's parameters per pixel (1 for binary pixels, K for K levels, 3M
    for M Gaussians); ``direct`` adds the Pn × n input → output weight.
    """
    _positive("n", n)
    _positive("outputs per pixel", outputs)
    if not 1 <= len(hidden_sizes) <= MAX_LAYERS:
        raise ConfigError(f"MADE needs 1 to {MAX_LAYERS:,} hidden layers")
    sizes = [_positive("hidden size", s) for s in hidden_sizes]
    widths = [n, *sizes, outputs * n]
    out_f, out_s = ("n", f"{n}") if outputs == 1 else ("Pn", f"{outputs}·{n}")
    value = sum(a * b + b for a, b in itertools.pairwise(widths))
    extra_f, extra_s, extra = _conditioning(
        _classes(num_classes), f"H₁ + {out_f}", sizes[0] + outputs * n
    )
    direct_f = direct_s = ""
    if direct:
        value += outputs * n * n
        direct_f, direct_s = f" + {out_f}·n", f" + {out_s}·{n}"
        if outputs == 1:
            direct_f, direct_s = " + n²", f" + {n}²"
    formula = (
        f"Σ_l (d_{{l−1}}·d_l + d_l), d = (n, H₁, …, H_L, {out_f})" + direct_f + extra_f
    )
    last = len(widths) - 2
    substituted = (
        " + ".join(
            f"{a}·{out_s if i == last else b} + {out_s if i == last else b}"
            for i, (a, b) in enumerate(itertools.pairwise(widths))
        )
        + direct_s
        + extra_s
    )
    hidden_text = "–".join(str(s) for s in sizes)
    if outputs > 1:
        hidden_text += f", P = {outputs}"
    return _count(f"MADE ({hidden_text})", value + extra, formula, substituted)


#: "1 block", "3 layers": a structure's size in its name, translatable.
_SIZES = {
    "block": (
        QT_TRANSLATE_NOOP("models", "{count} block"),
        QT_TRANSLATE_NOOP("models", "{count} blocks"),
    ),
    "layer": (
        QT_TRANSLATE_NOOP("models", "{count} layer"),
        QT_TRANSLATE_NOOP("models", "{count} layers"),
    ),
}


def _plural(count: int, noun: str) -> Phrase:
    one, many = _SIZES[noun]
    return Phrase(one if count == 1 else many, count=count)


def _spatial_count(
    name: str,
    body: list[tuple[str, str, int]],
    *,
    channels: int,
    output_layers: int,
    num_classes: int,
    per_class: int,
    first_kernel: int | None = None,
    symbol: str = "c",
    outputs: int = 1,
) -> ParameterCount:
    """Stem (a k₁×k₁ mask-A conv, when ``first_kernel``), body parts, head.

    Each part is (symbolic, substituted, value); the 1×1 head has
    ``output_layers`` hidden convs, then a 1×1 conv to the P = ``outputs``
    parameters of each pixel's likelihood (one logit for binary pixels, K for
    a K-way softmax, 3M for a mixture); a class-conditional model adds a bias
    of ``per_class`` per class.
    """
    c, o, p = channels, output_layers, outputs
    parts: list[tuple[str, str, int]] = []
    if first_kernel is not None:
        k = first_kernel
        parts.append((f"k₁²{symbol} + {symbol}", f"{k}²·{c} + {c}", k * k * c + c))
    parts += body
    head = o * (c * c + c) + p * (c + 1)
    if p == 1:
        parts.append((f"o({symbol}² + {symbol}) + {symbol} + 1", str(head), head))
    else:
        parts.append((f"o({symbol}² + {symbol}) + P({symbol} + 1)", str(head), head))
    if num_classes:
        parts.append(("C·c", f"{num_classes}·{per_class}", num_classes * per_class))
    return _count(
        name,
        sum(value for _, _, value in parts),
        " + ".join(f for f, _, _ in parts),
        " + ".join(s for _, s, _ in parts),
    )


def _check_spatial(
    channels: int,
    layers: int,
    output_layers: int,
    num_classes: int,
    outputs: int,
    *kernels: int,
) -> None:
    """Check a spatial model's sizes before counting (the counts stay short)."""
    _positive("channels", channels)
    check_size("outputs", outputs, 1, 10**6)
    check_size("layers", layers, 0, MAX_LAYERS)
    check_size("output_layers", output_layers, 0, MAX_LAYERS)
    _classes(num_classes)
    for kernel in kernels:
        check_size("kernel size", kernel, 1, 10**6)


def pixelcnn(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    kernel: int = 3,
    output_layers: int = 1,
    num_classes: int = 0,
    outputs: int = 1,
) -> ParameterCount:
    """PixelCNN: mask-A conv, residual blocks (1×1, k×k mask B, 1×1), 1×1 head.

    With c = 2h channels: first k₁²c + c; each block ch + h + k²h² + h + hc + c;
    head o(c² + c) + P(c + 1) for P = ``outputs`` parameters per pixel (1 for
    binary pixels); one bias of c per class.
    """
    _check_spatial(
        channels, layers, output_layers, num_classes, outputs, first_kernel, kernel
    )
    c, h = channels, channels // 2
    block = c * h + h + kernel * kernel * h * h + h + h * c + c
    return _spatial_count(
        Phrase("PixelCNN ({size}, 2h = {c})", size=_plural(layers, "block"), c=c),
        [("L(2ch + k²h² + 2h + c)", f"{layers}·{block}", layers * block)],
        channels=c,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=c,
        first_kernel=first_kernel,
        outputs=outputs,
    )


def gated_pixelcnn(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    kernel: int = 3,
    output_layers: int = 1,
    num_classes: int = 0,
    outputs: int = 1,
) -> ParameterCount:
    """Gated PixelCNN: two stacks per layer, a 1×1 head (to ``outputs`` maps).

    Per layer a vertical ((k//2+1)×k) and a horizontal (1×(k//2+1))
    convolution from d_l input maps to 2c gate channels, a 1×1
    vertical→horizontal link (2c → 2c) and a 1×1 residual projection (c → c),
    all with biases; the first layer reads the image (d = 1) with kernel k₁.
    One bias of 4c per class (both stacks' gates).
    """
    _check_spatial(
        channels, layers, output_layers, num_classes, outputs, first_kernel, kernel
    )
    c = channels

    def layer_count(k: int, d: int) -> int:
        return 2 * c * d * (k // 2 + 1) * (k + 1) + 5 * c * c + 7 * c

    first, later = layer_count(first_kernel, 1), layer_count(kernel, c)
    values = [first, *[later] * min(layers - 1, 2)][:layers]
    if layers <= 3:  # every layer's count; beyond, the first and the rest
        substituted = " + ".join(map(str, values)) or "0"
    else:
        substituted = f"{first} + {layers - 1}·{later}"
    return _spatial_count(
        Phrase("Gated PixelCNN ({size}, c = {c})", size=_plural(layers, "layer"), c=c),
        [
            (
                "Σ_l [2c·d_l(p+1)(k+1) + 5c² + 7c]",
                substituted,
                first + (layers - 1) * later if layers else 0,
            )
        ],
        channels=c,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=4 * c,
        outputs=outputs,
    )


def row_lstm(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    output_layers: int = 1,
    num_classes: int = 0,
    outputs: int = 1,
) -> ParameterCount:
    """Row LSTM: mask-A conv, LSTM layers, 1×1 head (to ``outputs`` maps).

    Per layer a masked 1×3 input-to-state conv (with bias) and a 3-wide
    state-to-state conv (no bias), both to 4h gates.
    """
    _check_spatial(channels, layers, output_layers, num_classes, outputs, first_kernel)
    h = channels
    per_layer = h * 4 * h * 3 + 4 * h + h * 4 * h * 3
    return _spatial_count(
        Phrase("Row LSTM ({size}, h = {h})", size=_plural(layers, "layer"), h=h),
        [("L(24h² + 4h)", f"{layers}·{per_layer}", layers * per_layer)],
        channels=h,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=h,
        first_kernel=first_kernel,
        symbol="h",
        outputs=outputs,
    )


def diagonal_bilstm(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    output_layers: int = 1,
    num_classes: int = 0,
    backward_reads_pixel: bool = True,
    outputs: int = 1,
) -> ParameterCount:
    """Diagonal BiLSTM: mask-A conv, bidirectional LSTM layers, 1×1 head.

    Per layer and direction a 1×1 input-to-state conv (with bias) and a 2×1
    state-to-state conv (no bias), both to 4h gates; with
    ``backward_reads_pixel`` the right-to-left direction also maps the pixel
    into its 4h gates (no bias). The head ends in ``outputs`` maps.
    """
    _check_spatial(channels, layers, output_layers, num_classes, outputs, first_kernel)
    h = channels
    pixel = 4 * h if backward_reads_pixel else 0
    per_layer = 2 * (h * 4 * h + 4 * h + h * 4 * h * 2) + pixel
    symbolic = "L(24h² + 12h)" if backward_reads_pixel else "L(24h² + 8h)"
    return _spatial_count(
        Phrase("Diagonal BiLSTM ({size}, h = {h})", size=_plural(layers, "layer"), h=h),
        [(symbolic, f"{layers}·{per_layer}", layers * per_layer)],
        channels=h,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=h,
        first_kernel=first_kernel,
        symbol="h",
        outputs=outputs,
    )


def summary(
    n: int,
    k: int = 2,
    *,
    markov_order: int = 1,
    nade_hidden: int = 500,
    made_hidden: Sequence[int] = (500,),
    channels: int = 32,
) -> list[ParameterCount]:
    """Counts of every structure for n pixels, side by side.

    The neural models are defined for binary pixels; they are included only
    when ``k == 2``. The convolutional and recurrent ones (at their default
    depths, with ``channels`` feature maps) share weights across positions:
    their counts do not grow with n at all.
    """
    counts = [full_joint(n, k), independent(n, k), markov(n, markov_order, k)]
    if k != 2:
        return counts
    _positive("channels", channels)
    even = channels + channels % 2
    hidden = tuple(made_hidden)
    binary: list[tuple[ParameterCount, str, dict[str, object]]] = [
        (counts[1], "bernoulli", {}),
        (counts[2], "markov", {"order": markov_order}),
        (fvsbn(n), "fvsbn", {}),
        (nade(n, nade_hidden), "nade", {"hidden": nade_hidden}),
        (made(n, hidden), "made", {"hidden_sizes": hidden}),
        (pixelcnn(even, 4), "pixelcnn", {"channels": even, "layers": 4}),
        (
            gated_pixelcnn(channels, 5),
            "gated_pixelcnn",
            {"channels": channels, "layers": 5},
        ),
        (row_lstm(channels, 2), "row_lstm", {"channels": channels, "layers": 2}),
        (
            diagonal_bilstm(channels, 1),
            "diagonal_bilstm",
            {"channels": channels, "layers": 1},
        ),
    ]
    return [counts[0]] + [
        dataclasses.replace(count, kind=kind, settings=tuple(settings.items()))
        for count, kind, settings in binary
    ]
