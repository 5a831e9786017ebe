"""Pixel likelihoods: what one pixel's distribution is, pluggable per model.

``make_likelihood(name, levels, components)`` builds one; a new likelihood is
one file with a :class:`PixelLikelihood` subclass, added to ``LIKELIHOODS``.

- ``bernoulli``: binary pixels, one logit (the default);
- ``categorical``: K levels, a K-way softmax;
- ``logistic_mixture``: K levels, PixelCNN++'s discretized logistic mixture;
- ``gaussian_mixture``: continuous, a mixture of Gaussians on [0, 1] (RNADE).
"""

from __future__ import annotations

from typing import Final

from models.errors import ConfigError
from models.likelihoods.base import PixelLikelihood, PixelSummary
from models.likelihoods.bernoulli import Bernoulli
from models.likelihoods.categorical import Categorical
from models.likelihoods.gaussian_mixture import GaussianMixture
from models.likelihoods.logistic_mixture import LogisticMixture

__all__ = [
    "LIKELIHOODS",
    "MAX_COMPONENTS",
    "MAX_LEVELS",
    "PixelLikelihood",
    "PixelSummary",
    "make_likelihood",
]

LIKELIHOODS: Final[dict[str, type[PixelLikelihood]]] = {
    cls.name: cls for cls in (Bernoulli, Categorical, LogisticMixture, GaussianMixture)
}
#: The most levels a discrete pixel may have (8-bit), and mixture components.
MAX_LEVELS: Final = 256
MAX_COMPONENTS: Final = 64
#: The most levels continuous data may have had before dequantization (16-bit).
_MAX_DATA_LEVELS: Final = 65_536


def make_likelihood(name: str, levels: int, components: int) -> PixelLikelihood:
    """The likelihood ``name`` for K = ``levels`` and M = ``components``.

    Raises
    ------
    ConfigError
        For an unknown name, or levels / components out of range (Bernoulli
        has exactly 2 levels; categorical and logistic mixtures 2 to 256;
        continuous data 2 to 65,536 levels before dequantization).
    """
    cls = LIKELIHOODS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ConfigError(
            f"unknown likelihood {name!r:.40}; use one of: {', '.join(LIKELIHOODS)}"
        )
    top = _MAX_DATA_LEVELS if not cls.discrete else MAX_LEVELS
    if cls is Bernoulli:
        top = 2
    whole = isinstance(levels, int) and not isinstance(levels, bool)
    if not (whole and 2 <= levels <= top):
        within = "exactly 2" if top == 2 else f"2 to {top:,}"
        raise ConfigError(f"levels for {name} must be {within}, got {levels!r:.40}")
    if (
        isinstance(components, bool)
        or not isinstance(components, int)
        or not 1 <= components <= MAX_COMPONENTS
    ):
        raise ConfigError(
            f"components must be 1 to {MAX_COMPONENTS}, got {components!r:.40}"
        )
    return cls(levels, components)
