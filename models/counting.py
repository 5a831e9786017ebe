"""Exact parameter counts of joint distributions over n pixels with K states.

The chain rule writes any joint as a product of conditionals; what makes a
model tractable is how many numbers those conditionals need. Every function here
returns a :class:`ParameterCount` holding an exact Python ``int`` (no floating
point: 2^784 − 1 has 237 digits), the formula, and the formula with the numbers
substituted, so a front end can show all three.

For the torch models the count equals ``sum(p.numel() for p in
model.parameters())`` — the test suite checks this for many configurations —
and :func:`count_for_config` maps a model config to its formula.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.errors import ConfigError

if TYPE_CHECKING:
    from models.base import ModelConfig

__all__ = [
    "ParameterCount",
    "count_for_config",
    "diagonal_bilstm",
    "full_joint",
    "fvsbn",
    "gated_pixelcnn",
    "independent",
    "made",
    "markov",
    "nade",
    "pixelcnn",
    "row_lstm",
    "summary",
]


@dataclass(frozen=True)
class ParameterCount:
    """An exact parameter count with the formula it comes from.

    Attributes
    ----------
    name
        The structure counted, e.g. ``"NADE (H = 500)"``.
    value
        The exact count.
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
    value: int
    formula: str
    substituted: str
    kind: str | None = None
    settings: tuple[tuple[str, object], ...] = ()

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (the value stays an exact int)."""
        out: dict[str, object] = {
            "name": self.name,
            "value": self.value,
            "formula": self.formula,
            "substituted": self.substituted,
        }
        if self.kind is not None:
            out["kind"] = self.kind
            out["settings"] = dict(self.settings)
        return out


def _positive(name: str, value: int, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{name} must be an integer ≥ {minimum}, got {value!r}")
    return value


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


def full_joint(n: int, k: int = 2) -> ParameterCount:
    """Fully dependent joint: one probability per configuration, minus one."""
    _positive("n", n)
    _positive("K", k, 2)
    return ParameterCount("fully dependent", k**n - 1, "Kⁿ − 1", f"{k}^{n} − 1")


def independent(n: int, k: int = 2, num_classes: int = 0) -> ParameterCount:
    """Fully independent pixels: K − 1 numbers per pixel (a table per class)."""
    _positive("n", n)
    _positive("K", k, 2)
    if num_classes:
        return ParameterCount(
            "independent",
            num_classes * n * (k - 1),
            "C·n(K − 1)",
            f"{num_classes}·{n}·({k} − 1)",
        )
    return ParameterCount("independent", n * (k - 1), "n(K − 1)", f"{n}·({k} − 1)")


def markov(n: int, order: int = 1, k: int = 2, num_classes: int = 0) -> ParameterCount:
    """Markov chain of order ``order`` along the ordering (a table per pixel).

    Pixel i (0-based) conditions on min(i, order) predecessors, so its table has
    (K − 1)·K^min(i, order) entries. Summing: K^m − 1 for the first m = min(n,
    order) pixels plus (n − m)(K − 1)K^order for the rest. Order 1 on binary
    pixels gives the familiar 2n − 1.
    """
    _positive("n", n)
    _positive("order", order)
    _positive("K", k, 2)
    m = min(n, order)
    value = k**m - 1 + (n - m) * (k - 1) * k**order
    formula = "K^k − 1 + (n − k)(K − 1)K^k"
    substituted = f"{k}^{m} − 1 + ({n} − {m})·({k} − 1)·{k}^{order}"
    if num_classes:
        value *= num_classes
        formula = f"C·({formula})"
        substituted = f"{num_classes}·({substituted})"
    return ParameterCount(f"Markov AR-{order}", value, formula, substituted)


def fvsbn(n: int, num_classes: int = 0) -> ParameterCount:
    """FVSBN: a logistic regression per pixel on all earlier pixels."""
    _positive("n", n)
    extra_f, extra_s, extra = _conditioning(num_classes, "n", n)
    return ParameterCount(
        "FVSBN",
        n + n * (n - 1) // 2 + extra,
        "n + n(n − 1)/2" + extra_f,
        f"{n} + {n}·{n - 1}/2" + extra_s,
    )


def nade(n: int, hidden: int = 500, num_classes: int = 0) -> ParameterCount:
    """NADE: shared W (H×n), V (n×H), biases b (n) and c (H)."""
    _positive("n", n)
    _positive("H", hidden)
    extra_f, extra_s, extra = _conditioning(num_classes, "H + n", hidden + n)
    return ParameterCount(
        f"NADE (H = {hidden})",
        2 * n * hidden + n + hidden + extra,
        "2nH + n + H" + extra_f,
        f"2·{n}·{hidden} + {n} + {hidden}" + extra_s,
    )


def made(
    n: int,
    hidden_sizes: Sequence[int] = (500,),
    num_classes: int = 0,
    direct: bool = False,
) -> ParameterCount:
    """MADE: dense masked layers n → H₁ → … → H_L → n (weights and biases).

    Masks zero out connections but the weight matrices are stored whole, so this
    counts stored parameters, as ``numel`` does; ``direct`` adds the n × n
    input → output weight.
    """
    _positive("n", n)
    sizes = [_positive("hidden size", int(s)) for s in hidden_sizes]
    if not sizes:
        raise ConfigError("MADE needs at least one hidden layer")
    widths = [n, *sizes, n]
    value = sum(a * b + b for a, b in itertools.pairwise(widths))
    extra_f, extra_s, extra = _conditioning(num_classes, "H₁ + n", sizes[0] + n)
    direct_f = direct_s = ""
    if direct:
        value += n * n
        direct_f, direct_s = " + n²", f" + {n}²"
    formula = "Σ_l (d_{l−1}·d_l + d_l), d = (n, H₁, …, H_L, n)" + direct_f + extra_f
    substituted = (
        " + ".join(f"{a}·{b} + {b}" for a, b in itertools.pairwise(widths))
        + direct_s
        + extra_s
    )
    hidden_text = "–".join(str(s) for s in sizes)
    return ParameterCount(f"MADE ({hidden_text})", value + extra, formula, substituted)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


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
) -> ParameterCount:
    """Stem (a k₁×k₁ mask-A conv, when ``first_kernel``), body parts, head.

    Each part is (symbolic, substituted, value); the 1×1 head has
    ``output_layers`` hidden convs, then one logit; a class-conditional model
    adds a bias of ``per_class`` per class.
    """
    c, o = channels, output_layers
    parts = []
    if first_kernel is not None:
        k = first_kernel
        parts.append((f"k₁²{symbol} + {symbol}", f"{k}²·{c} + {c}", k * k * c + c))
    parts += body
    head = o * (c * c + c) + c + 1
    parts.append((f"o({symbol}² + {symbol}) + {symbol} + 1", str(head), head))
    if num_classes:
        parts.append(("C·c", f"{num_classes}·{per_class}", num_classes * per_class))
    return ParameterCount(
        name,
        sum(value for _, _, value in parts),
        " + ".join(f for f, _, _ in parts),
        " + ".join(s for _, s, _ in parts),
    )


def pixelcnn(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    kernel: int = 3,
    output_layers: int = 1,
    num_classes: int = 0,
) -> ParameterCount:
    """PixelCNN: mask-A conv, residual blocks (1×1, k×k mask B, 1×1), 1×1 head.

    With c = 2h channels: first k₁²c + c; each block ch + h + k²h² + h + hc + c;
    head o(c² + c) + c + 1; one bias of c per class.
    """
    c, h = channels, channels // 2
    block = c * h + h + kernel * kernel * h * h + h + h * c + c
    return _spatial_count(
        f"PixelCNN ({_plural(layers, 'block')}, 2h = {c})",
        [("L(2ch + k²h² + 2h + c)", f"{layers}·{block}", layers * block)],
        channels=c,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=c,
        first_kernel=first_kernel,
    )


def gated_pixelcnn(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    kernel: int = 3,
    output_layers: int = 1,
    num_classes: int = 0,
) -> ParameterCount:
    """Gated PixelCNN: two stacks per layer, a 1×1 head.

    Per layer a vertical ((k//2+1)×k) and a horizontal (1×(k//2+1))
    convolution from d_l input maps to 2c gate channels, a 1×1
    vertical→horizontal link (2c → 2c) and a 1×1 residual projection (c → c),
    all with biases; the first layer reads the image (d = 1) with kernel k₁.
    One bias of 4c per class (both stacks' gates).
    """
    c = channels
    values = []
    for layer in range(layers):
        k = first_kernel if layer == 0 else kernel
        d = 1 if layer == 0 else c
        values.append(2 * c * d * (k // 2 + 1) * (k + 1) + 5 * c * c + 7 * c)
    return _spatial_count(
        f"Gated PixelCNN ({_plural(layers, 'layer')}, c = {c})",
        [
            (
                "Σ_l [2c·d_l(p+1)(k+1) + 5c² + 7c]",
                " + ".join(map(str, values)) or "0",
                sum(values),
            )
        ],
        channels=c,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=4 * c,
    )


def row_lstm(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    output_layers: int = 1,
    num_classes: int = 0,
) -> ParameterCount:
    """Row LSTM: mask-A conv, LSTM layers, 1×1 head.

    Per layer a masked 1×3 input-to-state conv (with bias) and a 3-wide
    state-to-state conv (no bias), both to 4h gates.
    """
    h = channels
    per_layer = h * 4 * h * 3 + 4 * h + h * 4 * h * 3
    return _spatial_count(
        f"Row LSTM ({_plural(layers, 'layer')}, h = {h})",
        [("L(24h² + 4h)", f"{layers}·{per_layer}", layers * per_layer)],
        channels=h,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=h,
        first_kernel=first_kernel,
        symbol="h",
    )


def diagonal_bilstm(
    channels: int,
    layers: int,
    first_kernel: int = 7,
    output_layers: int = 1,
    num_classes: int = 0,
    backward_reads_pixel: bool = True,
) -> ParameterCount:
    """Diagonal BiLSTM: mask-A conv, bidirectional LSTM layers, 1×1 head.

    Per layer and direction a 1×1 input-to-state conv (with bias) and a 2×1
    state-to-state conv (no bias), both to 4h gates; with
    ``backward_reads_pixel`` the right-to-left direction also maps the pixel
    into its 4h gates (no bias).
    """
    h = channels
    pixel = 4 * h if backward_reads_pixel else 0
    per_layer = 2 * (h * 4 * h + 4 * h + h * 4 * h * 2) + pixel
    symbolic = "L(24h² + 12h)" if backward_reads_pixel else "L(24h² + 8h)"
    return _spatial_count(
        f"Diagonal BiLSTM ({_plural(layers, 'layer')}, h = {h})",
        [(symbolic, f"{layers}·{per_layer}", layers * per_layer)],
        channels=h,
        output_layers=output_layers,
        num_classes=num_classes,
        per_class=h,
        first_kernel=first_kernel,
        symbol="h",
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


def count_for_config(kind: str, config: ModelConfig) -> ParameterCount:
    """The closed-form count for a model of ``kind`` built from ``config``."""
    from models.registry import model_class

    return model_class(kind).parameter_count(config)
