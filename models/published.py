"""Published test NLLs on the standard binarized MNIST, for reference lines.

Nats per image on Larochelle & Murray's fixed binarization (test split), as
reported in the papers; the app draws them beside live training curves and the
README compares the pretrained models with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.text import QT_TRANSLATE_NOOP

__all__ = ["PUBLISHED", "Published"]


@dataclass(frozen=True)
class Published:
    """One published result (``model`` and ``source`` marked for the app)."""

    kind: str
    nll_nats: float
    model: str
    source: str


PUBLISHED: dict[str, Published] = {
    p.kind: p
    for p in (
        Published(
            "fvsbn",
            97.45,
            "FVSBN",
            QT_TRANSLATE_NOOP("models", "Larochelle & Murray 2011 (comparison)"),
        ),
        Published(
            "nade",
            88.86,
            QT_TRANSLATE_NOOP("models", "NADE, 500 sigmoid units"),
            "Larochelle & Murray 2011",
        ),
        Published(
            "made",
            88.40,
            QT_TRANSLATE_NOOP("models", "MADE, 1 hidden layer, 1 mask"),
            "Germain et al. 2015",
        ),
        Published("pixelcnn", 81.30, "PixelCNN", "van den Oord et al. 2016"),
        Published(
            "diagonal_bilstm",
            80.75,
            QT_TRANSLATE_NOOP("models", "Diagonal BiLSTM, 1 layer, h = 32"),
            "van den Oord et al. 2016",
        ),
    )
}
