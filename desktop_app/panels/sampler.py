"""Panel 4 — the pixel-by-pixel sample viewer.

Watch the current model draw: each step draws one pixel from
p(x_i | x_<i) with the model's fastest exact sampler
(:meth:`models.base.ARModel.sample_steps`), and the pixel being drawn shows
that distribution (:class:`~desktop_app.widgets.pixel_distribution.
PixelDistribution`): bars over the levels of a discrete pixel, the density and
its components for a mixture of Gaussians. Play, pause, step, speed,
temperature, seed, 1 to 64 images at once, a class for conditional models, and
completion of the canvas drawing. Work happens in small time-boxed slices on
the GUI thread's timer, so the window never freezes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import torch
from numpy.typing import NDArray
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.theme import colour
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.pixel_distribution import PixelDistribution
from desktop_app.widgets.pixel_grid import Caption, Overlay, PixelGrid
from models.base import ARModel, SampleStep
from models.checkpoint import Checkpoint
from models.drawing import quantize
from models.errors import ARExplorerError
from models.imageio import image_grid, write_gif, write_png
from models.likelihoods import PixelLikelihood
from models.text import QT_TRANSLATE_NOOP

__all__ = ["SamplerPanel"]

CONCEPT = QT_TRANSLATE_NOOP(
    "SamplerPanel",
    """
<p>Sampling follows the chain rule: for k = 1 … n, draw
x<sub>o<sub>k</sub></sub> ~ p(x<sub>o<sub>k</sub></sub> |
x<sub>o<sub>&lt;k</sub></sub>), then condition on it. The plot shows that
distribution for the pixel being drawn: two bars (a Bernoulli) for a binary
pixel, K bars (a softmax) for K gray levels, and for a continuous pixel a
<b>mixture of Gaussians</b>, the sum of its weighted components. Sampling is
sequential by nature — n steps for n pixels — but each step can reuse what the
previous ones computed: NADE updates its hidden pre-activation in O(H), the
LSTMs keep their states. The <b>temperature</b> T sharpens (T &lt; 1) or
flattens (T &gt; 1) every conditional: σ(logit / T) for a binary pixel.
<b>Completion</b> keeps the pixels of your drawing and samples the rest,
conditioned on them.</p>""",
)

UNSAMPLED = 0.3  # grey for pixels not drawn yet
PAD = 1
PROBABILITY = "p(x = 1 | past)"  # of a binary pixel
EXPECTED = "E[x | past]"  # of a gray or continuous one
CAPTION_HEIGHT = 4.0  # a class label grows up to this many pixels of a 28×28 tile
NO_MODEL = QT_TRANSLATE_NOOP(
    "SamplerPanel", "No model: pick one in the library, or train one."
)
READY = QT_TRANSLATE_NOOP("SamplerPanel", "Press Play, or Step through the pixels.")
WAITING = QT_TRANSLATE_NOOP(
    "SamplerPanel",
    "The pixel being drawn shows its distribution p(x<sub>i</sub> | "
    "x<sub>&lt;i</sub>) here: press Step.",
)
#: The word "past" in :data:`PROBABILITY` and :data:`EXPECTED`, translated.
PAST = QT_TRANSLATE_NOOP("SamplerPanel", "past")
CANNOT_SAMPLE = QT_TRANSLATE_NOOP("SamplerPanel", "Cannot sample: {error}")


def _tr(text: str) -> str:
    """``text`` (marked in this panel's context) in the window's language."""
    return QCoreApplication.translate("SamplerPanel", text)


class SamplerPanel(FollowsLanguage, QWidget):
    """Animated sampling from the session's current model."""

    status_message = Signal(str)
    finished = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox("Sampling, one pixel at a time", CONCEPT, self)
        self.count_box = QSpinBox(self)
        self.count_box.setRange(1, 64)
        self.count_box.setValue(16)
        self.temperature_box = QDoubleSpinBox(self)
        self.temperature_box.setRange(0.05, 5.0)
        self.temperature_box.setSingleStep(0.05)
        self.temperature_box.setValue(1.0)
        self.seed_box = QSpinBox(self)
        self.seed_box.setRange(0, 2**31 - 1)
        self.new_seed_button = push_button(self, "", "")
        self.label_box = QComboBox(self)
        self.complete_box = QCheckBox(self)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.speed_slider.setRange(0, 100)
        self.speed_slider.setValue(55)
        self.play_button = push_button(self, "", "", checkable=True)
        self.step_button = push_button(self, "", "")
        self.restart_button = push_button(self, "", "")
        self.png_button = push_button(self, "", "")
        self.gif_button = push_button(self, "", "")
        self.progress = QProgressBar(self)
        self.probability = QProgressBar(self)
        self.probability.setRange(0, 1000)
        self.probability.setFormat(PROBABILITY)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.distribution = PixelDistribution(self)
        #: What the info line says: "message" (``_message``), "ready", "step"
        #: (the last step drawn) or "finished"; re-rendered on a language change.
        self._shown = "message"
        self._message: tuple[str, dict[str, object]] = ("", {})
        self._last: SampleStep | None = None

        form = QFormLayout()
        self.form_labels = {
            name: QLabel(self)
            for name in ("images", "temperature", "seed", "class", "speed")
        }
        form.addRow(self.form_labels["images"], self.count_box)
        form.addRow(self.form_labels["temperature"], self.temperature_box)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_box)
        seed_row.addWidget(self.new_seed_button)
        form.addRow(self.form_labels["seed"], seed_row)
        form.addRow(self.form_labels["class"], self.label_box)
        form.addRow("", self.complete_box)
        form.addRow(self.form_labels["speed"], self.speed_slider)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.step_button, self.restart_button):
            buttons.addWidget(button)
        exports = QHBoxLayout()
        exports.addWidget(self.png_button)
        exports.addWidget(self.gif_button)
        controls = QVBoxLayout()
        controls.addLayout(form)
        controls.addLayout(buttons)
        controls.addWidget(self.progress)
        controls.addWidget(self.probability)
        controls.addWidget(self.info)
        controls.addLayout(exports)
        controls.addStretch(1)
        self.grid = PixelGrid((28, 28), self)
        self.grid.show_grid = False
        self.grid.tooltip_text = self._describe
        body = QHBoxLayout()
        side = QWidget(self)
        side.setLayout(controls)
        # as wide as its controls need at the current text size, no wider
        side.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        body.addWidget(side)
        view = QVBoxLayout()
        view.addWidget(self.grid, 3)
        view.addWidget(self.distribution, 2)
        body.addLayout(view, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addLayout(body, 1)

        self._steps: Iterator[SampleStep] | None = None
        self._images: NDArray[np.float64] | None = None  # (B, H, W)
        self._known: NDArray[np.bool_] | None = None  # (B, H, W): drawn or given
        self._drawn: NDArray[np.bool_] | None = None  # (B, H·W)
        self._probs: NDArray[np.float64] | None = None  # (B, H·W)
        self._frames: list[NDArray[np.uint8]] = []
        self._classes: list[int] | None = None  # of each image, if conditional
        self._frame_every = 1
        self.step = 0
        self._budget = 0.0
        self._last_tick = time.perf_counter()
        self._timer = QTimer(self)
        self._timer.setInterval(15)
        self._timer.timeout.connect(self._tick)

        self.play_button.toggled.connect(self._on_play_toggled)
        self.step_button.clicked.connect(lambda: self.advance(1))
        self.restart_button.clicked.connect(self.restart)
        self.new_seed_button.clicked.connect(self._on_new_seed)
        self.png_button.clicked.connect(self._on_export_png)
        self.gif_button.clicked.connect(self._on_export_gif)
        for box in (self.count_box, self.seed_box):
            box.valueChanged.connect(self.restart)
        self.temperature_box.valueChanged.connect(self.restart)
        self.label_box.currentIndexChanged.connect(self.restart)
        self.complete_box.toggled.connect(self.restart)
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.advance(1))
        QShortcut(QKeySequence(Qt.Key.Key_R), self, self.restart)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.play_button.toggle)
        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "images": self.count_box,
            "temperature": self.temperature_box,
            "speed": self.speed_slider,
        }
        session.model_changed.connect(self.set_model)
        session.drawing_changed.connect(self._on_drawing_changed)
        self.retranslate()
        self.set_model(session.checkpoint)

    # -- language ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows, in the current language."""
        self.concept.button.setText(self.tr("Sampling, one pixel at a time"))
        self.concept.text.setText(self.tr(CONCEPT))
        self.count_box.setToolTip(self.tr("How many images to sample at once"))
        self.temperature_box.setToolTip(
            self.tr(
                "T: each pixel's distribution is sharpened (T < 1) or flattened "
                "(T > 1); a binary pixel is drawn from σ(logit / T)"
            )
        )
        self.seed_box.setToolTip(self.tr("The same seed gives the same samples"))
        self.new_seed_button.setText(self.tr("New seed"))
        self.new_seed_button.setToolTip(self.tr("Pick a random seed and start again"))
        self.label_box.setToolTip(
            self.tr("The class to sample (class-conditional models)")
        )
        if self.label_box.count():
            self.label_box.setItemText(0, self.tr("each image its own"))
        self.complete_box.setText(self.tr("Complete my drawing"))
        self.complete_box.setToolTip(
            self.tr(
                "Keep the canvas drawing up to its last stroke (in the model's "
                "order) and sample the rest"
            )
        )
        self.speed_slider.setToolTip(
            self.tr("Pixels per second, from 2 to as fast as the model goes")
        )
        self.play_button.setText(
            self.tr("Pause") if self.play_button.isChecked() else self.tr("Play")
        )
        self.play_button.setToolTip(self.tr("Play or pause (Space)"))
        self.step_button.setText(self.tr("Step"))
        self.step_button.setToolTip(self.tr("Draw one pixel (→)"))
        self.restart_button.setText(self.tr("Restart"))
        self.restart_button.setToolTip(
            self.tr("Start again with the current settings (R)")
        )
        self.png_button.setText(self.tr("Export PNG…"))
        self.png_button.setToolTip(self.tr("Save the images as a PNG"))
        self.gif_button.setText(self.tr("Export GIF…"))
        self.gif_button.setToolTip(
            self.tr("Save the animation so far as an animated GIF")
        )
        self.progress.setToolTip(self.tr("Pixels drawn"))
        self.probability.setToolTip(
            self.tr(
                "p(x_i = 1 | x_<i) of the pixel just drawn (for a gray model, its "
                "expected value E[x_i | x_<i]), first image"
            )
        )
        self.distribution.setToolTip(
            self.tr(
                "p(x_i | x_<i) of the pixel being drawn in the first image, as the "
                "model gives it (temperature 1); the red line is the value drawn"
            )
        )
        for name, text in (
            ("images", self.tr("images")),
            ("temperature", self.tr("temperature")),
            ("seed", self.tr("seed")),
            ("class", self.tr("class")),
            ("speed", self.tr("speed")),
        ):
            self.form_labels[name].setText(text)
        self._show_state()

    def _show_state(self) -> None:
        """Write the info line, the pixel's plot and its probability again."""
        if self._shown == "step" and self._last is not None:
            self._redraw(self._last)
        elif self._shown == "finished":
            self._show_finished()
        elif self._shown == "ready":
            self._redraw(None)
        else:
            template, values = self._message
            self.info.setText(_tr(template).format(**values) if template else "")

    # -- model -------------------------------------------------------------------------

    @property
    def model(self) -> ARModel | None:
        """The model being sampled."""
        return (
            None if self.session.checkpoint is None else self.session.checkpoint.model
        )

    def set_model(self, checkpoint: Checkpoint | None) -> None:
        """Sample from a new model (or show that there is none)."""
        self.play_button.setChecked(False)
        model = None if checkpoint is None else checkpoint.model
        self.label_box.blockSignals(True)
        self.label_box.clear()
        if model is not None and model.num_classes:
            self.label_box.addItem(self.tr("each image its own"), -1)
            for c in range(model.num_classes):
                self.label_box.addItem(str(c), c)
        self.label_box.setEnabled(model is not None and model.num_classes > 0)
        self.label_box.blockSignals(False)
        for widget in (self.play_button, self.step_button, self.restart_button):
            widget.setEnabled(model is not None)
        if model is None:
            self._clear(NO_MODEL)
            return
        self.restart()

    def _clear(self, message: str, **values: object) -> None:
        """Nothing to show: no images, no pixel, no probability; say why.

        ``message`` is a template marked for translation, ``values`` its fields.
        """
        self._shown, self._message, self._last = "message", (message, values), None
        self._steps = None
        self._images = self._known = self._drawn = self._probs = None
        self._classes = None
        self._frames = []
        self.step = 0
        h, w = self.grid.shape
        self.grid.set_image(np.full((h, w), UNSAMPLED), colours="gray", levels=(0, 1))
        self.grid.set_overlays([])
        self.grid.set_captions([])
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self._clear_probability()
        self.distribution.clear()
        self.info.setText(_tr(message).format(**values))
        for button in (self.png_button, self.gif_button):
            button.setEnabled(False)

    def _clear_probability(self) -> None:
        self.probability.setValue(0)
        self.probability.setFormat(self._expected_name())

    def _likelihood(self) -> PixelLikelihood | None:
        model = self.model
        return None if model is None else model.likelihood

    def _expected_name(self) -> str:
        """p(x = 1 | past) for binary pixels, E[x | past] for the others."""
        likelihood = self._likelihood()
        binary = likelihood is None or likelihood.name == "bernoulli"
        return (PROBABILITY if binary else EXPECTED).replace("past", _tr(PAST))

    def _labels(self, n: int) -> torch.Tensor | None:
        model = self.model
        if model is None or not model.num_classes:
            return None
        chosen = self.label_box.currentData()
        if chosen is None or int(chosen) < 0:
            return torch.arange(n) % model.num_classes
        return torch.full((n,), int(chosen), dtype=torch.long)

    def _given(self, model: ARModel) -> tuple[torch.Tensor, torch.Tensor] | None:
        drawing = self.session.drawing
        if not self.complete_box.isChecked() or drawing is None:
            return None
        if drawing.shape != model.image_shape:
            self.status_message.emit(
                self.tr("the drawing and the model have different sizes")
            )
            return None
        likelihood = model.likelihood
        if likelihood.name == "bernoulli":  # binary pixels: the ink, thresholded
            pixels = (drawing >= 0.5).astype(np.float32)
        else:  # gray strokes kept, on the model's levels
            pixels = quantize(drawing, likelihood.levels).astype(np.float32)
        ink = pixels.reshape(-1) > 0
        if not ink.any():
            return None
        rank = model.rank.numpy()
        keep = rank <= rank[ink].max()  # everything up to the last stroke, in order
        values = torch.from_numpy(pixels).view(1, 1, *model.image_shape)
        mask = torch.from_numpy(keep).view(1, 1, *model.image_shape)
        return values, mask

    # -- running -----------------------------------------------------------------------

    def restart(self) -> None:
        """Start a new batch of samples with the current settings."""
        model = self.model
        if model is None:
            return
        n = self.count_box.value()
        given = self._given(model)
        labels = self._labels(n)
        try:
            self._steps = model.sample_steps(
                n,
                temperature=self.temperature_box.value(),
                seed=self.seed_box.value(),
                y=labels,
                given=None if given is None else given[0],
                given_mask=None if given is None else given[1],
            )
        except ARExplorerError as exc:
            self.status_message.emit(str(exc))
            self._clear(CANNOT_SAMPLE, error=exc)
            return
        self._classes = None if labels is None else [int(c) for c in labels]
        h, w = model.image_shape
        self._images = np.full((n, h, w), UNSAMPLED)
        self._known = np.zeros((n, h, w), dtype=bool)
        self._drawn = np.zeros((n, h * w), dtype=bool)
        self._probs = np.full((n, h * w), np.nan)
        if given is not None:
            shown = given[1].expand(n, 1, h, w)[:, 0].numpy()
            self._images[shown] = given[0].expand(n, 1, h, w)[:, 0].numpy()[shown]
            self._known |= shown
        self.step = 0
        self.progress.setRange(0, h * w)
        self.progress.setValue(0)
        self._frames = [self._picture()]
        self._frame_every = max(1, math.ceil(h * w / 120))
        for button in (self.png_button, self.gif_button):
            button.setEnabled(True)
        self._redraw(None)

    def pixels_per_second(self) -> float:
        """The speed set on the slider (2 … about 20,000 pixels per second)."""
        return float(2 * 10 ** (self.speed_slider.value() / 25))

    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        if playing:
            if self.model is not None and self.is_finished():
                self.restart()
            self._budget = 0.0
            self._last_tick = time.perf_counter()
            self._timer.start()
        else:
            self._timer.stop()

    def images(self) -> NDArray[np.float64] | None:
        """The images as drawn so far, (B, H, W) (a copy), or None."""
        return None if self._images is None else self._images.copy()

    def is_finished(self) -> bool:
        """Whether every pixel has been drawn."""
        return self.model is not None and self.step >= self.model.num_pixels

    def _tick(self) -> None:
        now = time.perf_counter()
        self._budget += (now - self._last_tick) * self.pixels_per_second()
        self._last_tick = now
        whole = int(self._budget)
        if whole:
            self._budget -= whole
            self.advance(whole, time_limit=0.012)

    def advance(self, count: int, time_limit: float | None = None) -> int:
        """Draw up to ``count`` pixels (stopping after ``time_limit`` seconds)."""
        if self._steps is None:
            return 0
        assert (
            self._images is not None
            and self._drawn is not None
            and self._probs is not None
        )
        start = time.perf_counter()
        last: SampleStep | None = None
        done = 0
        for _ in range(count):
            step = next(self._steps, None)
            if step is None:
                break
            last = step
            done += 1
            self.step += 1
            rows = np.arange(last.images.shape[0])
            pixels = last.pixels.numpy()
            self._drawn[rows, pixels] = True
            self._probs[rows, pixels] = last.expected.numpy()
            if self.step % self._frame_every == 0:
                self._images = self._current(last)
                self._frames.append(self._picture())
            if time_limit is not None and time.perf_counter() - start > time_limit:
                break
        if last is not None:
            self._images = self._current(last)
            self._redraw(last)
        if self.is_finished():
            self._frames.append(self._picture())
            self._steps = None
            self.play_button.setChecked(False)
            self._show_finished()
            self.finished.emit()
        return done

    def _current(self, step: SampleStep) -> NDArray[np.float64]:
        assert self._drawn is not None and self._known is not None
        images = step.images[:, 0].numpy().astype(np.float64)
        self._known |= self._drawn.reshape(images.shape)
        return np.where(self._known, images, UNSAMPLED)

    # -- drawing -----------------------------------------------------------------------

    def _columns(self, n: int) -> int:
        return math.ceil(math.sqrt(n))

    def _picture(self) -> NDArray[np.uint8]:
        assert self._images is not None
        return image_grid(self._images, self._columns(len(self._images)), pad=PAD)

    def _tile_origin(self, index: int) -> tuple[int, int]:
        assert self._images is not None
        h, w = self._images.shape[1:]
        r, c = divmod(index, self._columns(len(self._images)))
        return PAD + r * (h + PAD), PAD + c * (w + PAD)

    def _captions(self) -> list[Caption]:
        """Each image's class at its top-left corner (class-conditional models)."""
        if self._classes is None:
            return []
        return [
            Caption(*self._tile_origin(i), str(label), height=CAPTION_HEIGHT)
            for i, label in enumerate(self._classes)
        ]

    def _undrawn(self) -> list[Overlay]:
        """Pixels not drawn yet, tinted, where a gray value could be mistaken.

        A binary model's pixels are black or white, so its undrawn grey needs
        no tint; a gray model's could be any grey.
        """
        likelihood = self._likelihood()
        if self._known is None or likelihood is None or likelihood.name == "bernoulli":
            return []
        columns = self._columns(len(self._known))
        known = image_grid(self._known.astype(np.float64), columns, pad=PAD)
        return [Overlay(known == 0, colour("accent_light"), "fill", 0.75)]

    def _redraw(self, step: SampleStep | None) -> None:
        picture = self._picture().astype(np.float64) / 255
        self.grid.set_image(picture, colours="gray", levels=(0, 1))
        self.grid.set_captions(self._captions())
        model = self.model
        undrawn = self._undrawn()
        if step is None or model is None or self._images is None:
            self._shown, self._last = "ready", None
            self.grid.set_overlays(undrawn)
            self.progress.setValue(self.step)
            self._clear_probability()
            self.distribution.clear(self.tr(WAITING))
            self.info.setText(self.tr(READY) + self._class_note())
            return
        self._shown, self._last = "step", step
        w = model.image_shape[1]
        current = np.zeros(picture.shape, dtype=bool)
        for i, pixel in enumerate(step.pixels.tolist()):
            top, left = self._tile_origin(i)
            r, c = divmod(int(pixel), w)
            current[top + r, left + c] = True
        self.grid.set_overlays([*undrawn, Overlay(current, colour("alarm"), "outline")])
        self.progress.setValue(self.step)
        name = self._expected_name()
        p = float(step.expected[0])
        self.probability.setValue(round(1000 * p))
        self.probability.setFormat(f"{name} = {p:.3f}")
        r, c = divmod(int(step.pixels[0]), w)
        given = bool(step.given[0])
        value = float(step.values[0])
        shown = _value_text(step.likelihood, value)
        where = (
            self.tr("step {step} of {total}: row {row}, column {column} (given)")
            if given
            else self.tr("step {step} of {total}: row {row}, column {column}")
        ).format(step=self.step, total=model.num_pixels, row=r + 1, column=c + 1)
        self.info.setText(f"{where}, {_html(name)} = {p:.3f} → {shown}")
        self.distribution.set_distribution(
            step.likelihood.summary(step.params[0]),
            value,
            caption=self.tr(
                "<b>p(x<sub>i</sub> | x<sub>&lt;i</sub>)</b> at row {row}, column "
                "{column} of image 1: {shows}"
            ).format(row=r + 1, column=c + 1, shows=_likelihood_text(step.likelihood)),
            given=given,
        )

    def _class_note(self) -> str:
        if self._classes is None:
            return ""
        return " " + self.tr(
            "The number at each image's corner is the class it was sampled as."
        )

    def _show_finished(self) -> None:
        """Every pixel drawn: no pixel is current any more."""
        model = self.model
        assert model is not None and self._images is not None
        self._shown, self._last = "finished", None
        self.grid.set_overlays([])
        self._clear_probability()
        self.distribution.clear(self.tr(WAITING))
        images = len(self._images)
        done = (
            self.tr(
                "Done: all {pixels} pixels of {images} images drawn. Restart (R) or "
                "pick a new seed for more."
            )
            if images > 1
            else self.tr(
                "Done: all {pixels} pixels of {images} image drawn. Restart (R) or "
                "pick a new seed for more."
            )
        )
        self.info.setText(
            done.format(pixels=model.num_pixels, images=images) + self._class_note()
        )

    def _describe(self, row: int, col: int) -> str:
        model = self.model
        if model is None or self._images is None or self._probs is None:
            return ""
        h, w = model.image_shape
        for i in range(len(self._images)):
            top, left = self._tile_origin(i)
            if top <= row < top + h and left <= col < left + w:
                r, c = row - top, col - left
                p = self._probs[i, r * w + c]
                if np.isnan(p):
                    known = self.tr("not drawn yet")
                else:
                    value = _value_text(model.likelihood, self._images[i, r, c])
                    known = self.tr("{name} = {p}, drawn {value}").format(
                        name=self._expected_name(), p=f"{p:.3f}", value=value
                    )
                where = (
                    self.tr("image {image}, row {row}, column {column}")
                    if self._classes is None
                    else self.tr(
                        "image {image} (class {label}), row {row}, column {column}"
                    )
                ).format(
                    image=i + 1,
                    label=None if self._classes is None else self._classes[i],
                    row=r + 1,
                    column=c + 1,
                )
                return f"{where}: {known}"
        return ""

    # -- settings and exports --------------------------------------------------------

    def _on_new_seed(self) -> None:
        self.seed_box.setValue(int(np.random.default_rng().integers(0, 2**31 - 1)))

    def _on_drawing_changed(self) -> None:
        if self.complete_box.isChecked() and not self.play_button.isChecked():
            self.restart()

    def _on_export_png(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export PNG"), "samples.png", "PNG (*.png)"
        )
        if path:
            self._export(self.export_png, Path(path))

    def _on_export_gif(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export GIF"), "samples.gif", "GIF (*.gif)"
        )
        if path:
            self._export(self.export_gif, Path(path))

    def _export(self, write: Callable[[Path], Path], path: Path) -> None:
        """Write the file, or say why it could not be (nothing else is lost)."""
        try:
            write(path)
        except ARExplorerError as exc:
            QMessageBox.warning(self, self.tr("Export"), str(exc))

    def export_png(self, path: Path, scale: int = 4) -> Path:
        """Write the images (pixels blown up ``scale``×) as a PNG."""
        assert self._images is not None
        picture = image_grid(self._images, self._columns(len(self._images)), PAD, scale)
        written = write_png(path, picture)
        self.status_message.emit(self.tr("saved {path}").format(path=written))
        return written

    def export_gif(self, path: Path, scale: int = 4) -> Path:
        """Write the frames recorded so far as an animated GIF."""
        frames = [f.repeat(scale, 0).repeat(scale, 1) for f in self._frames]
        written = write_gif(path, frames, delay_ms=60)
        self.status_message.emit(
            self.tr("saved {path} ({frames} frames)").format(
                path=written, frames=len(frames)
            )
        )
        return written

    def shutdown(self) -> None:
        """Stop the animation (the window is closing)."""
        self._timer.stop()
        self._steps = None


def _html(text: str) -> str:
    """A name with "past" written x_<i in HTML."""
    return text.replace(_tr(PAST), "x<sub>&lt;i</sub>")


def _value_text(likelihood: PixelLikelihood, value: float) -> str:
    """A drawn value as the user reads it: 0 or 1, a level, or a number."""
    if likelihood.name == "bernoulli":
        return str(round(value))
    if likelihood.discrete:
        levels = likelihood.levels
        return QCoreApplication.translate(
            "SamplerPanel", "{value} (level {level} of 0–{top})"
        ).format(
            value=f"{value:.3f}", level=round(value * (levels - 1)), top=levels - 1
        )
    return f"{value:.3f}"


def _likelihood_text(likelihood: PixelLikelihood) -> str:
    """What the plot shows, in words."""
    levels, components = likelihood.levels, likelihood.components
    if likelihood.name == "bernoulli":
        return QCoreApplication.translate(
            "SamplerPanel", "a Bernoulli, one bar for 0 (black) and one for 1 (white)."
        )
    if likelihood.name == "categorical":
        return QCoreApplication.translate(
            "SamplerPanel", "a {levels}-way softmax, one bar per gray level."
        ).format(levels=levels)
    if likelihood.name == "logistic_mixture":
        return QCoreApplication.translate(
            "SamplerPanel",
            "a discretized mixture of {components} logistics over {levels} "
            "levels, one bar per level.",
        ).format(components=components, levels=levels)
    if likelihood.name == "gaussian_mixture":
        return QCoreApplication.translate(
            "SamplerPanel",
            "a mixture of {components} Gaussians on [0, 1]: the density, and "
            "each weighted component dashed.",
        ).format(components=components)
    if likelihood.discrete:
        return QCoreApplication.translate(
            "SamplerPanel", "{name}, bars over its levels."
        ).format(name=likelihood.name)
    return QCoreApplication.translate("SamplerPanel", "{name}, its density.").format(
        name=likelihood.name
    )
