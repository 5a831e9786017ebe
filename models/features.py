"""What a model learned: its filters, its hidden features, and what they are worth.

Density estimation is one use of a generative model; unsupervised feature
learning is another (Bengio, Courville & Vincent, "Representation Learning: A
Review and New Perspectives", TPAMI 2013). A model trained only to predict
pixels builds hidden units on the way, and these can serve a task it never saw:

- **Filters.** NADE's hidden unit j reads the image through row j of its input
  weights W (Larochelle & Murray 2011), MADE's first hidden unit j through row j
  of its first masked layer (Germain et al. 2015): one 28×28 image per unit.
  The convolutional and recurrent models' first layer is a set of small
  kernels, and every layer gives feature maps.
- **Hidden features.** NADE's standard feature of a whole image is
  h = σ(W x + c), its hidden state after reading every pixel; MADE's is its
  first hidden layer, relu(M ⊙ W x + b); a spatial model's is its last layer's
  feature maps, averaged over a 4×4 grid of cells.
- **Features for classification.** A multinomial logistic regression trained
  on those features and on the raw pixels, with 10, 100, 1,000 and all
  labelled training digits, and scored on held-out digits — the
  semi-supervised comparison of Hinton & Salakhutdinov (Science 2006) and of
  the representation-learning literature.

The independent-pixel (Bernoulli), Markov and FVSBN models have no hidden
units: :func:`filters` and :func:`hidden_features` say so with
:class:`NoFeatures` instead of raising.

Long work (:func:`unit_contributions`, :func:`compare_with_pixels`) is a
generator that yields :class:`Progress` and ends with its result, so a caller
can show progress and stop between steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from numpy.typing import NDArray
from torch import Tensor, nn

from models.base import ARModel
from models.data import ImageSet
from models.errors import ConfigError
from models.gated_pixelcnn import GatedLayer, GatedPixelCNN
from models.made import MADE
from models.masked import MaskedLinear
from models.nade import NADE
from models.spatial import SpatialModel, StemModel
from models.text import QT_TRANSLATE_NOOP, Phrase

__all__ = [
    "LABEL_COUNTS",
    "FeatureComparison",
    "Filters",
    "NoFeatures",
    "Progress",
    "TopUnits",
    "compare_with_pixels",
    "feature_maps",
    "filters",
    "hidden_features",
    "layer_names",
    "model_input",
    "no_features",
    "run_to_end",
    "sort_units",
    "top_units",
    "unit_contributions",
]

#: The numbers of labelled training digits compared; 0 stands for all of them.
LABEL_COUNTS: tuple[int, ...] = (10, 100, 1000, 0)

#: Cells per side of the grid a spatial model's last feature maps are averaged on.
_POOL = 4

_NO_HIDDEN = {
    "bernoulli": QT_TRANSLATE_NOOP(
        "models", "every pixel is an independent coin: no hidden units at all"
    ),
    "markov": QT_TRANSLATE_NOOP(
        "models",
        "each pixel reads the k pixels before it through a table: no hidden units",
    ),
    "fvsbn": QT_TRANSLATE_NOOP(
        "models",
        "each pixel is a logistic regression on the pixels before it: no hidden units",
    ),
}
_NO_UNITS = QT_TRANSLATE_NOOP("models", "it has no hidden units")


@dataclass(frozen=True)
class NoFeatures:
    """A model without hidden units, and why, in words a panel can show."""

    kind: str
    title: str
    reason: str

    @property
    def message(self) -> Phrase:
        """One sentence: which model, and why it has nothing to show."""
        return Phrase(
            QT_TRANSLATE_NOOP("models", "{title} has no hidden features — {reason}."),
            title=Phrase(self.title),
            reason=Phrase(self.reason),
        )


@dataclass(frozen=True)
class Filters:
    """The input weights of the units a model learned, one image per unit.

    Attributes
    ----------
    images
        ``(U, h, w)``: a whole-image filter per hidden unit (NADE, MADE), or a
        first-layer kernel per channel (spatial models).
    norms
        ``(U,)``: the Euclidean norm of each filter.
    layer
        Where they come from, in words.
    whole_image
        True for 28×28 filters of dense units, False for small kernels.
    """

    images: NDArray[np.float32]
    norms: NDArray[np.float32]
    layer: str
    whole_image: bool

    def __len__(self) -> int:
        return int(self.images.shape[0])


@dataclass(frozen=True)
class TopUnits:
    """The units that respond most to one image, strongest first.

    ``units`` are 0-based indices into :func:`filters`; ``activations`` their
    values (a spatial channel's: its mean over the image).
    """

    units: NDArray[np.int64]
    activations: NDArray[np.float32]


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` steps of a long job; ``text`` says which."""

    done: int
    total: int
    text: str


@dataclass(frozen=True)
class FeatureComparison:
    """Held-out accuracy of a linear classifier on features and on raw pixels.

    Attributes
    ----------
    label_counts
        Labelled training digits used, ascending (the last may be all of them).
    feature_accuracy, pixel_accuracy
        Accuracy on the test digits, in [0, 1], one per label count.
    feature_size, pixel_size
        The dimension of each representation.
    test_size
        The number of held-out digits scored.
    """

    label_counts: tuple[int, ...]
    feature_accuracy: tuple[float, ...]
    pixel_accuracy: tuple[float, ...]
    feature_size: int
    pixel_size: int
    test_size: int


# -- what a model has ----------------------------------------------------------------


def no_features(model: ARModel) -> NoFeatures | None:
    """Why ``model`` has no hidden features, or None when it has some."""
    if isinstance(model, NADE | MADE | SpatialModel):
        return None
    reason = _NO_HIDDEN.get(model.kind, _NO_UNITS)
    return NoFeatures(model.kind, model.title, reason)


def _body(model: SpatialModel) -> list[nn.Module]:
    """The modules after the first layer, ending with the output head."""
    if isinstance(model, GatedPixelCNN):
        return [*list(model.layers)[1:], model.head]
    for name in ("blocks", "lstm_layers"):
        modules = getattr(model, name, None)
        if isinstance(modules, nn.ModuleList):
            return [*modules, model.head]
    raise ConfigError(f"{model.title} does not say where its layers are")


def _first_conv(model: SpatialModel) -> nn.Conv2d:
    """The convolution whose output channels are the first layer's units."""
    if isinstance(model, GatedPixelCNN):
        first = model.layers[0].vertical
    elif isinstance(model, StemModel):
        first = model.first
    else:
        raise ConfigError(f"{model.title} does not say where its first layer is")
    assert isinstance(first, nn.Conv2d)
    return first


def _made_first(model: MADE) -> MaskedLinear:
    """MADE's first hidden layer."""
    first = model.hidden_layers[0]
    assert isinstance(first, MaskedLinear)
    return first


def layer_names(model: ARModel) -> list[str]:
    """The layers :func:`feature_maps` can show, first to last (empty: none).

    Each name is a :class:`~models.text.Phrase`, for the app to translate.
    """
    if not isinstance(model, SpatialModel):
        return []
    depth = len(_body(model))  # layers after the first, and the head
    layer = QT_TRANSLATE_NOOP("models", "layer {number}")
    if isinstance(model, GatedPixelCNN):  # the first of its gated layers
        return [Phrase(layer, number=i + 1) for i in range(depth)]
    first = Phrase(QT_TRANSLATE_NOOP("models", "first (mask A)"))
    return [first, *(Phrase(layer, number=i) for i in range(1, depth))]


def filters(model: ARModel) -> Filters | NoFeatures:
    """Each hidden unit's input weights as an image (see :class:`Filters`)."""
    missing = no_features(model)
    if missing is not None:
        return missing
    with torch.no_grad():
        if isinstance(model, NADE):
            weights = model.weight_in.detach()  # (H, N)
            layer, whole = QT_TRANSLATE_NOOP("models", "input weights W"), True
        elif isinstance(model, MADE):
            first = _made_first(model)
            weights = (first.mask * first.weight).detach()  # (H1, N)
            layer = QT_TRANSLATE_NOOP("models", "first hidden layer's masked weights")
            whole = True
        else:
            assert isinstance(model, SpatialModel)
            conv = _first_conv(model)
            kernel = conv.weight.detach()  # (D, 1, kh, kw)
            mask = getattr(conv, "mask", None)
            if isinstance(mask, Tensor):
                kernel = kernel * mask
            weights = kernel[:, 0]  # (D, kh, kw)
            layer = QT_TRANSLATE_NOOP("models", "first layer's kernels")
            whole = False
        if whole:
            weights = weights.reshape(-1, *model.image_shape)  # (U, H, W)
        images = weights.float().cpu().numpy()
    norms = np.sqrt((images.astype(np.float64) ** 2).sum(axis=(1, 2)))
    return Filters(images, norms.astype(np.float32), layer, whole)


# -- features of images --------------------------------------------------------------


def model_input(model: ARModel, images: NDArray[np.floating], seed: int = 0) -> Tensor:
    """``images`` ``(B, H, W)`` in [0, 1] as ``model`` is fed them, ``(B, 1, H, W)``.

    Rounded to the model's K levels (at ½ for a binary model); a continuous
    model's levels are dequantized as its data is, with noise seeded by ``seed``.
    """
    likelihood = model.likelihood
    k = likelihood.levels - 1
    values = np.rint(np.clip(np.asarray(images, dtype=np.float32), 0, 1) * k) / k
    x = torch.as_tensor(values, dtype=torch.float32).unsqueeze(1)  # (B, 1, H, W)
    if not likelihood.discrete:
        x = likelihood.prepare(x, torch.Generator().manual_seed(seed))
    return x


def _spatial_outputs(model: SpatialModel, x: Tensor) -> list[Tensor]:
    """Every layer's feature maps ``[(B, D, H, W)]`` for the input ``x``."""
    captured: list[Tensor] = []

    def capture(module: nn.Module, args: tuple[object, ...]) -> None:
        h = args[1] if isinstance(module, GatedLayer) else args[0]  # (v, h, …): h
        assert isinstance(h, Tensor)
        captured.append(h)

    hooks = [m.register_forward_pre_hook(capture) for m in _body(model)]
    try:
        model._params(x, None)
    finally:
        for hook in hooks:
            hook.remove()
    return captured


def hidden_features(
    model: ARModel, images: NDArray[np.floating], batch: int = 256
) -> NDArray[np.float32] | NoFeatures:
    """The model's features of whole images, ``(B, F)`` (see the module notes).

    ``images`` are ``(B, H, W)`` intensities in [0, 1]; they are first put in
    the model's form (:func:`model_input`).
    """
    missing = no_features(model)
    if missing is not None:
        return missing
    chunks = []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            x = model_input(model, images[start : start + batch], seed=start)
            chunks.append(_features_of(model, x).numpy())
    if not chunks:
        return np.zeros((0, _feature_size(model)), dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32)


def _feature_size(model: ARModel) -> int:
    if isinstance(model, NADE):
        return int(model.weight_in.shape[0])
    if isinstance(model, MADE):
        return int(_made_first(model).weight.shape[0])
    assert isinstance(model, SpatialModel)
    return int(model.config.channels) * _POOL * _POOL


def _features_of(model: ARModel, x: Tensor) -> Tensor:
    """Features ``(B, F)`` of model-form images ``x`` ``(B, 1, H, W)``."""
    flat = x.flatten(1)  # (B, N)
    if isinstance(model, NADE):
        return torch.sigmoid(F.linear(flat, model.weight_in, model.bias_hidden))
    if isinstance(model, MADE):
        return torch.relu(_made_first(model)(flat))  # (B, H1)
    assert isinstance(model, SpatialModel)
    last_maps = _spatial_outputs(model, x)[-1]  # (B, D, H, W)
    pooled = F.adaptive_avg_pool2d(last_maps, _POOL)  # (B, D, 4, 4)
    return pooled.flatten(1)


def feature_maps(
    model: ARModel, image: NDArray[np.floating], layer: int
) -> NDArray[np.float32] | NoFeatures:
    """Layer ``layer``'s maps of one image, ``(D, H, W)``; 0-based, :func:`layer_names`.

    Only the spatial models have feature maps; NADE and MADE are told apart
    from the models without hidden units by the reason given.
    """
    missing = no_features(model)
    if missing is not None:
        return missing
    if not isinstance(model, SpatialModel):
        return NoFeatures(
            model.kind,
            model.title,
            QT_TRANSLATE_NOOP("models", "its hidden units are not maps"),
        )
    names = layer_names(model)
    if not 0 <= layer < len(names):
        raise ConfigError(f"layer must lie in 0..{len(names) - 1}, got {layer}")
    with torch.no_grad():
        x = model_input(model, np.asarray(image)[None])
        maps = _spatial_outputs(model, x)[layer][0]  # (D, H, W)
    return maps.float().numpy()


def top_units(
    model: ARModel, image: NDArray[np.floating], k: int = 8
) -> TopUnits | NoFeatures:
    """The ``k`` units most active for ``image`` ``(H, W)``, strongest first.

    NADE's units by their pre-activation W x + c (σ of it saturates at 1 for
    many units), MADE's by their hidden feature; a spatial model's are its
    first layer's channels, each by its mean over the image.
    """
    missing = no_features(model)
    if missing is not None:
        return missing
    if isinstance(model, SpatialModel):
        maps = feature_maps(model, image, 0)
        assert isinstance(maps, np.ndarray)
        values = maps.mean(axis=(1, 2))
    elif isinstance(model, NADE):
        x = model_input(model, np.asarray(image)[None]).flatten(1)  # (1, N)
        with torch.no_grad():
            pre = F.linear(x, model.weight_in, model.bias_hidden)  # (1, H)
        values = pre[0].numpy()
    else:
        features = hidden_features(model, np.asarray(image)[None])
        assert isinstance(features, np.ndarray)
        values = features[0]
    order = np.argsort(-values, kind="stable")[: max(0, k)]
    return TopUnits(order.astype(np.int64), values[order].astype(np.float32))


# -- how much each unit helps the likelihood ---------------------------------------


@contextmanager
def _ablated(model: ARModel, unit: int) -> Iterator[None]:
    """``model`` with hidden unit ``unit`` silenced (its output set to 0)."""
    if isinstance(model, NADE):
        with torch.no_grad():
            saved = model.weight_out[..., unit].clone()  # (N[, C])
            model.weight_out[..., unit] = 0
        try:
            yield
        finally:
            with torch.no_grad():
                model.weight_out[..., unit] = saved
        return
    assert isinstance(model, MADE | SpatialModel)
    module = _made_first(model) if isinstance(model, MADE) else _first_conv(model)

    def silence(_: nn.Module, __: tuple[object, ...], out: Tensor) -> Tensor:
        out = out.clone()
        out[:, unit] = 0  # MADE: relu(0) = 0; a conv: the channel is gone
        return out

    hook = module.register_forward_hook(silence)
    try:
        yield
    finally:
        hook.remove()


def unit_contributions(
    model: ARModel, images: NDArray[np.floating]
) -> Iterator[Progress | NDArray[np.float64] | NoFeatures]:
    """How much each unit helps: the drop in mean log p(x) when it is silenced.

    Yields :class:`Progress` after each unit, then the ``(U,)`` drops in nats
    (positive: the model is worse without the unit). ``images`` ``(B, H, W)``
    are a small sample of held-out digits, scored in one batch per unit: the
    cost is U forward passes of B images. For a Gated PixelCNN the units are
    the first layer's vertical-stack channels.
    """
    missing = no_features(model)
    if missing is not None:
        yield missing
        return
    units = len(_as_filters(model))
    x = model_input(model, images)
    drops = np.zeros(units)
    with torch.no_grad():
        base = _mean_log_prob(model, x)
        for unit in range(units):
            with _ablated(model, unit):
                drops[unit] = base - _mean_log_prob(model, x)
            yield Progress(
                unit + 1, units, QT_TRANSLATE_NOOP("models", "silencing each unit")
            )
    yield drops


def _mean_log_prob(model: ARModel, x: Tensor) -> float:
    """Mean log p(x); a class-conditional model's over classes equally likely."""
    classes = int(model.config.num_classes)
    if not classes:
        return float(model.log_prob(x).mean())
    per_class = torch.stack(
        [model.log_prob(x, torch.full((len(x),), y)) for y in range(classes)]
    )  # (Y, B)
    marginal = torch.logsumexp(per_class, dim=0) - math.log(classes)  # (B,)
    return float(marginal.mean())


def _as_filters(model: ARModel) -> Filters:
    found = filters(model)
    assert isinstance(found, Filters)
    return found


def sort_units(
    found: Filters, by: str, contributions: NDArray[np.float64] | None = None
) -> NDArray[np.int64]:
    """Unit indices, largest first, ``by`` ``"norm"`` or ``"contribution"``."""
    if by == "norm":
        key = found.norms.astype(np.float64)
    elif by == "contribution":
        if contributions is None or len(contributions) != len(found):
            raise ConfigError("sorting by contribution needs one value per unit")
        key = np.asarray(contributions, dtype=np.float64)
    else:
        raise ConfigError(f"sort by 'norm' or 'contribution', got {by!r}")
    return np.argsort(-key, kind="stable").astype(np.int64)


# -- features for classification -----------------------------------------------------


def _labelled_subset(
    labels: NDArray[np.int64], count: int, seed: int
) -> NDArray[np.intp]:
    """``count`` training indices, as even across the classes as they go."""
    if count <= 0 or count >= len(labels):
        return np.arange(len(labels))
    rng = np.random.default_rng(seed)
    classes = np.unique(labels)
    per_class = [rng.permutation(np.flatnonzero(labels == c)) for c in classes]
    # round-robin over the classes, each in its own random order
    chosen: list[int] = []
    depth = 0
    while len(chosen) < count:
        for members in per_class:
            if depth < len(members) and len(chosen) < count:
                chosen.append(int(members[depth]))
        depth += 1
    return np.sort(np.asarray(chosen, dtype=np.intp))


def _train_logistic(
    x: Tensor, y: Tensor, classes: int, rounds: int, weight_decay: float
) -> Iterator[Tensor | None]:
    """Multinomial logistic regression by L-BFGS from zero weights.

    Yields None after each round of 10 iterations, then the weights
    ``(F + 1, classes)`` (the last row the biases). Deterministic: no random
    start, full-batch steps.
    """
    weight = torch.zeros(x.shape[1], classes, requires_grad=True)  # (F, K)
    bias = torch.zeros(classes, requires_grad=True)  # (K,)
    optimizer = torch.optim.LBFGS(
        [weight, bias], lr=1.0, max_iter=10, line_search_fn="strong_wolfe"
    )

    def closure() -> Tensor:
        optimizer.zero_grad()
        logits = x @ weight + bias  # (B, K)
        loss = F.cross_entropy(logits, y) + 0.5 * weight_decay * (weight**2).sum()
        loss.backward()  # type: ignore[no-untyped-call]
        return loss

    for _ in range(rounds):
        optimizer.step(closure)  # type: ignore[no-untyped-call]
        yield None
    yield torch.cat([weight.detach(), bias.detach()[None]])


def _standardize(train: Tensor, *others: Tensor) -> list[Tensor]:
    """Scale every column to zero mean, unit variance on ``train`` (all digits)."""
    mean = train.mean(dim=0)  # (F,)
    std = train.std(dim=0).clamp_min(1e-3)  # (F,)
    return [(t - mean) / std for t in (train, *others)]


def compare_with_pixels(
    model: ARModel,
    train: ImageSet,
    test: ImageSet,
    label_counts: Sequence[int] = LABEL_COUNTS,
    *,
    seed: int = 0,
    rounds: int = 10,
    weight_decay: float = 1e-2,
    stop: Callable[[], bool] | None = None,
) -> Iterator[Progress | FeatureComparison | NoFeatures]:
    """Accuracy of a linear classifier on the model's features and on raw pixels.

    For each number of labelled training digits in ``label_counts`` (0: all),
    the digits are drawn as evenly across the classes as they go (seeded by
    ``seed``), a multinomial logistic regression with L2 penalty
    ``weight_decay`` is trained by ``rounds`` × 10 L-BFGS iterations on each
    representation, and scored on every ``test`` digit. Both representations
    are standardized with statistics of all training digits (no labels
    needed), and the pixels are the model's input (binarized for a binary
    model). Yields :class:`Progress`, then the :class:`FeatureComparison`;
    ``stop()`` turning True ends it early (nothing more is yielded).
    """
    missing = no_features(model)
    if missing is not None:
        yield missing
        return
    if train.labels is None or test.labels is None:
        raise ConfigError("comparing features needs labelled training and test digits")
    counts = sorted(
        {len(train) if c <= 0 else min(c, len(train)) for c in label_counts}
    )
    total = 2 + 2 * len(counts) * rounds
    yield Progress(
        0, total, QT_TRANSLATE_NOOP("models", "computing the model's features")
    )
    pixels_train = model_input(model, train.intensities()).flatten(1)  # (N, P)
    pixels_test = model_input(model, test.intensities()).flatten(1)  # (T, P)
    feats_train = hidden_features(model, train.intensities())
    feats_test = hidden_features(model, test.intensities())
    assert isinstance(feats_train, np.ndarray) and isinstance(feats_test, np.ndarray)
    yield Progress(2, total, QT_TRANSLATE_NOOP("models", "training the classifiers"))
    representations = {
        "features": _standardize(
            torch.from_numpy(feats_train), torch.from_numpy(feats_test)
        ),
        "pixels": _standardize(pixels_train, pixels_test),
    }
    y_train = torch.as_tensor(train.labels, dtype=torch.long)
    y_test = torch.as_tensor(test.labels, dtype=torch.long)
    classes = int(max(int(y_train.max()), int(y_test.max())) + 1)
    accuracy: dict[str, list[float]] = {"features": [], "pixels": []}
    done = 2
    for count in counts:
        index = torch.as_tensor(_labelled_subset(train.labels, count, seed))
        for name, (x_train, x_test) in representations.items():
            params: Tensor | None = None
            for step in _train_logistic(
                x_train[index], y_train[index], classes, rounds, weight_decay
            ):
                if stop is not None and stop():
                    return
                if step is None:
                    done += 1
                    text = (
                        QT_TRANSLATE_NOOP("models", "features, {count} labels")
                        if name == "features"
                        else QT_TRANSLATE_NOOP("models", "pixels, {count} labels")
                    )
                    yield Progress(done, total, Phrase(text, count=count))
                params = step
            assert params is not None
            logits = x_test @ params[:-1] + params[-1]  # (T, K)
            correct = (logits.argmax(dim=1) == y_test).double().mean()
            accuracy[name].append(float(correct))
    yield FeatureComparison(
        tuple(counts),
        tuple(accuracy["features"]),
        tuple(accuracy["pixels"]),
        int(feats_train.shape[1]),
        int(pixels_train.shape[1]),
        len(test),
    )


def run_to_end(events: Iterator[object]) -> object:
    """Run a generator of this module to its end and return what it ended with."""
    result: object = None
    for result in events:  # noqa: B007 — the last one is the answer
        pass
    return result
