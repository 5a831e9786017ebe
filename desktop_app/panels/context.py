"""Panel 6 — context regions.

Which earlier pixels can a model's output at one pixel actually depend on? Side
by side, for two architectures: the theoretical context (from the layers'
footprints, :func:`models.context.theoretical_context`) and the dependency
autograd measures on the real network (:func:`models.context.measured_context`),
as the number of layers grows. A dependency on a future pixel would be a bug,
and is flagged in red.

Building the networks and measuring the gradients takes from a few
milliseconds to seconds, so it runs in the background
(:class:`~desktop_app.workers.LatestOnly`): a change of depth, size or pixel
shows a busy sign at once, a slider drag is coalesced (the work starts when
the slider rests), and only the newest answer is drawn.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    QDeadlineTimer,
    QEventLoop,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.theme import SPACING, colour
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.pixel_grid import Overlay, PixelGrid
from desktop_app.words import library_text
from desktop_app.workers import LatestOnly
from models.base import ARModel
from models.context import ContextRegions, context_model, context_regions
from models.text import QT_TRANSLATE_NOOP

__all__ = ["CURRENT", "PAIRS", "ContextPanel", "ContextView"]

CONCEPT = QT_TRANSLATE_NOOP(
    "ContextPanel",
    """
<p>The <b>context</b> of a pixel is the set of earlier pixels its conditional
p(x<sub>i</sub> | x<sub>&lt;i</sub>) can actually use. A <b>Row LSTM</b> reads
three hidden states of the row above, which read three of theirs: its context is
a <b>triangle</b> above the pixel, not the whole past. A <b>Diagonal BiLSTM</b>
sweeps the diagonals in both directions (the right-to-left sweep shifted down a
row): every earlier pixel, in one layer. Stacked masked 3×3 convolutions
(<b>PixelCNN</b>) grow up and to the left but never reach a wedge above and to
the right — the <b>blind spot</b>, which grows with depth; <b>Gated
PixelCNN</b>'s vertical and horizontal stacks remove it. <i>Theoretical</i>:
derived from the architecture. <i>Measured</i>: the non-zero gradient of the
output with respect to the input, on the real network.</p>""",
)

PAIRS = {
    QT_TRANSLATE_NOOP("ContextPanel", "Row LSTM vs Diagonal BiLSTM"): (
        "row_lstm",
        "diagonal_bilstm",
    ),
    QT_TRANSLATE_NOOP("ContextPanel", "PixelCNN vs Gated PixelCNN"): (
        "pixelcnn",
        "gated_pixelcnn",
    ),
}
#: The third choice: the library's current model, with its trained weights.
CURRENT = QT_TRANSLATE_NOOP("ContextPanel", "The current model (trained weights)")
TITLES = {
    "row_lstm": "Row LSTM",
    "diagonal_bilstm": "Diagonal BiLSTM",
    "pixelcnn": "PixelCNN",
    "gated_pixelcnn": "Gated PixelCNN",
}
CONVOLUTIONAL = ("pixelcnn", "gated_pixelcnn")
MEASURED = colour("accent")
THEORETICAL = colour("accent_light")
UNSEEN = colour("faint")
VIOLATION = colour("alarm")
#: How long the depth, size and kernel must rest before the work starts (ms).
SETTLE_MS = 150
CURRENT_TITLE = QT_TRANSLATE_NOOP(
    "ContextPanel", "<b>{title}</b> — {name} ({ordering} order)"
)
FAILED = QT_TRANSLATE_NOOP(
    "ContextPanel", "could not measure the context: {kind}: {error}"
)
NO_CURRENT = QT_TRANSLATE_NOOP(
    "ContextPanel", "<b>No current model</b> — choose one in the library"
)


def _tr(text: str) -> str:
    """``text`` (marked in the panel's context) in the window's language."""
    return QCoreApplication.translate("ContextPanel", text)


def _layers(n: int) -> str:
    if n == 1:
        return QCoreApplication.translate("ContextPanel", "{n} layer").format(n=n)
    return QCoreApplication.translate("ContextPanel", "{n} layers").format(n=n)


def _where(row: int, col: int) -> str:
    """A pixel as the user reads it: 1-based row and column."""
    return QCoreApplication.translate(
        "ContextPanel", "row {row}, column {column}"
    ).format(row=row + 1, column=col + 1)


class ContextView(FollowsLanguage, QWidget):
    """One architecture: its grid and what it sees of the chosen pixel's past."""

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.grid = PixelGrid((16, 16), self)
        self.grid.tooltip_text = self.describe
        self.stats = QLabel(self)
        self.stats.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stats.setWordWrap(True)
        self.stats.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.stats)
        self.kind = kind
        #: The title as given: a marked template and its values (None: the name).
        self._title: tuple[str, dict[str, str]] | None = None
        #: A message in place of the numbers (a marked template and values).
        self._message: tuple[str, dict[str, object]] = ("", {})
        self.model: ARModel | None = None
        self.regions: ContextRegions | None = None
        self.theoretical = np.zeros((16, 16), dtype=bool)
        self.measured = np.zeros((16, 16), dtype=bool)
        self.violations = np.zeros((16, 16), dtype=bool)
        self.set_kind(kind)

    def retranslate(self) -> None:
        """Set the title, tooltip and numbers in the current language."""
        name = TITLES.get(self.kind, self.kind)
        if self._title is None:
            self.title.setText(f"<b>{name}</b>")
        else:
            template, values = self._title
            shown = {
                key: library_text(value) if key in ("title", "ordering") else value
                for key, value in values.items()
            }
            self.title.setText(_tr(template).format(**shown))
        self.grid.setToolTip(
            self.tr("{name}: click a pixel to see its context").format(name=name)
        )
        if self.regions is not None and self.model is not None:
            self._show_stats()
        else:
            template, message = self._message
            self.stats.setText(_tr(template).format(**message) if template else "")

    def set_kind(
        self, kind: str, title: tuple[str, dict[str, str]] | None = None
    ) -> None:
        """Name the architecture shown.

        ``title``, a template marked in the panel's context and its values,
        overrides its plain name; values named ``title`` and ``ordering`` are
        the library's words, translated too.
        """
        self.kind = kind
        self._title = title
        self.retranslate()

    def describe(self, row: int, col: int) -> str:
        """What the chosen pixel's output makes of the input pixel (row, col)."""
        where = _where(row, col)
        where = where[:1].upper() + where[1:]
        if self.regions is None:
            return where
        if self.violations[row, col]:
            text = self.tr("{where}: a FUTURE pixel the output depends on")
        elif self.measured[row, col]:
            text = self.tr("{where}: in the context (measured by autograd)")
        elif self.theoretical[row, col]:
            text = self.tr(
                "{where}: in the theoretical context, not reached by the measurement"
            )
        elif self.regions.past[row, col]:
            text = self.tr("{where}: earlier, but out of reach")
        else:
            text = self.tr("{where}: not generated yet")
        return text.format(where=where)

    def show_regions(self, model: ARModel, regions: ContextRegions) -> None:
        """Draw the context of ``regions.pixel`` under ``model``."""
        self.model = model
        self.regions = regions
        h, w = model.image_shape
        self.theoretical = regions.theoretical
        self.measured = regions.measured
        self.violations = regions.violations
        unseen = regions.unseen
        # the future white, the past off-white
        values = np.where(regions.future, 1.0, 0.97)
        self.grid.set_image(values.reshape(h, w), colours="gray", levels=(0, 1))
        self.grid.set_overlays(
            [
                Overlay(unseen, UNSEEN, "fill", 0.9),
                Overlay(self.theoretical & ~self.measured, THEORETICAL, "fill", 0.9),
                Overlay(self.measured, MEASURED, "fill", 0.9),
                Overlay(self.violations, VIOLATION, "fill", 1.0),
            ]
        )
        self.grid.set_highlight(regions.pixel)
        self._show_stats()

    def _show_stats(self) -> None:
        """The numbers under the grid: what the pixel sees and misses."""
        model, regions = self.model, self.regions
        assert model is not None and regions is not None
        unseen = regions.unseen
        n_past = int(regions.past.sum())
        seen = int((self.theoretical & regions.past).sum())
        text = self.tr("sees {seen} of {past} earlier pixels ({measured} measured)")
        text = text.format(seen=seen, past=n_past, measured=int(self.measured.sum()))
        if unseen.any():
            text += self.tr("; misses {count}").format(count=int(unseen.sum()))
            # "blind spot" names the masked convolutions' hole above and to the
            # right; the recurrent models' limits are the edges of their reach
            if model.kind in CONVOLUTIONAL:
                blind = int(regions.blind.sum())
                if blind:
                    text += self.tr(", {count} of them in a blind spot").format(
                        count=blind
                    )
        if self.violations.any():
            alarm = VIOLATION.name()
            future = self.tr("{count} FUTURE").format(count=int(self.violations.sum()))
            text += f" — <b style='color:{alarm}'>{future}</b>"
        self.stats.setText(text)

    def clear(self, title: str) -> None:
        """Show no model: ``title``, marked in the panel's context, says why."""
        self.model = None
        self.regions = None
        self._message = ("", {})
        self.grid.set_overlays([])
        self.grid.set_highlight(None)
        self.grid.set_image(np.ones(self.grid.shape), colours="gray", levels=(0, 1))
        self.set_kind(self.kind, (title, {}))

    def show_failure(self, template: str, **values: object) -> None:
        """Say in place of the numbers why there are none (a marked template)."""
        self.regions = None
        self._message = (template, values)
        self.retranslate()


class ContextPanel(FollowsLanguage, QWidget):
    """Two architectures side by side, a layer slider, a pixel to study.

    Signals
    -------
    status_message(str)
        A line for the status bar.
    computed()
        The views show a newly computed context (the newest request's).
    """

    status_message = Signal(str)
    computed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.concept = ConceptBox(
            "Context regions: what can a pixel see?", CONCEPT, self
        )
        self.pair_box = QComboBox(self)
        #: The choices of :attr:`pair_box`, in English (its items translate them).
        self.choices = [*PAIRS, CURRENT]
        self.pair_box.addItems(self.choices)
        self.layers_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.layers_slider.setRange(1, 8)
        self.layers_slider.setValue(1)
        self.layers_slider.setPageStep(1)
        self.layers_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.layers_slider.setMinimumWidth(160)
        self.layers_slider.setMaximumWidth(320)
        self.layers_label = QLabel(self)
        self.size_box = QSpinBox(self)
        self.size_box.setRange(6, 28)
        self.size_box.setValue(16)
        self.size_box.setSuffix(" px")
        self.size_box.setKeyboardTracking(False)
        self.kernel_box = QComboBox(self)
        self.kernel_box.addItems(["3", "5", "7"])
        self.kernel_box.setCurrentText("3")
        self.busy = BusyIndicator("", self)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.compare_label = QLabel(self)
        self.image_label = QLabel(self)
        self.kernel_label = QLabel(self)
        self.layers_title = QLabel(self)
        controls = QGridLayout()
        controls.setHorizontalSpacing(SPACING)
        controls.addWidget(self.compare_label, 0, 0)
        first = QHBoxLayout()
        for widget in (
            self.pair_box,
            self.image_label,
            self.size_box,
            self.kernel_label,
            self.kernel_box,
        ):
            first.addWidget(widget)
        first.addStretch(1)
        controls.addLayout(first, 0, 1)
        controls.addWidget(self.layers_title, 1, 0)
        second = QHBoxLayout()
        for item in (self.layers_slider, self.layers_label, self.busy):
            second.addWidget(item)
        second.addStretch(1)
        controls.addLayout(second, 1, 1)
        self.views = [
            ContextView("row_lstm", self),
            ContextView("diagonal_bilstm", self),
        ]
        views_layout = QHBoxLayout()
        views_layout.setSpacing(4 * SPACING)
        for view in self.views:
            views_layout.addWidget(view, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addLayout(controls)
        layout.addWidget(self.legend)
        layout.addLayout(views_layout, 1)

        self.pixel = (10, 8)
        self._announce = False
        #: The pair's depth while the slider shows the current model's.
        self._pair_layers: int | None = None
        #: The networks last shown, and what they were built for.
        self._built: tuple[Hashable, tuple[ARModel, ...]] | None = None
        #: The title of a current model whose context is on its way.
        self._titles: dict[Hashable, tuple[str, tuple[str, dict[str, str]]]] = {}
        self.worker = LatestOnly(self)
        self.worker.busy_changed.connect(self._update_busy)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._submit)
        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "pair": self.pair_box,
            "size": self.size_box,
            "kernel": self.kernel_box,
            "layers": self.layers_slider,
        }
        self.pair_box.currentTextChanged.connect(self._on_pair_changed)
        self.layers_slider.valueChanged.connect(self._on_setting_changed)
        self.layers_slider.sliderReleased.connect(self._on_slider_released)
        self.size_box.valueChanged.connect(self._on_setting_changed)
        self.kernel_box.currentTextChanged.connect(self._on_setting_changed)
        for view in self.views:
            view.grid.pixel_clicked.connect(self.select_pixel)
        session.model_changed.connect(self._on_model_changed)
        self.retranslate()
        self._on_pair_changed()

    # -- language ----------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows, in the current language."""
        self.concept.button.setText(self.tr("Context regions: what can a pixel see?"))
        self.concept.text.setText(self.tr(CONCEPT))
        self.pair_box.blockSignals(True)  # the same choice, in other words
        for index, choice in enumerate(self.choices):
            self.pair_box.setItemText(index, self.tr(choice))
        self.pair_box.blockSignals(False)
        self.pair_box.setToolTip(
            self.tr(
                "Two architectures side by side (random weights, any depth), or the "
                "current model of the library as trained"
            )
        )
        self.layers_label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(_layers(8))
        )
        self.busy.label.setText(self.tr("measuring the context …"))
        self.busy.setToolTip(self.tr("measuring the context …"))
        keys = [
            (MEASURED, self.tr("measured by autograd")),
            (THEORETICAL, self.tr("theoretical only")),
            (UNSEEN, self.tr("earlier but out of reach")),
            (VIOLATION, self.tr("future (a violation)")),
        ]
        self.legend.setText(
            " &nbsp; ".join(
                f"<span style='color:{key.name()}'>■</span>&nbsp;"
                + text.replace(" ", "&nbsp;")  # wrap between keys, not inside
                for key, text in keys
            )
            + " &nbsp; □&nbsp;"
            + self.tr("not yet generated").replace(" ", "&nbsp;")
        )
        self.compare_label.setText(self.tr("compare"))
        self.image_label.setText(self.tr("image"))
        self.kernel_label.setText(self.tr("first kernel"))
        self.layers_title.setText(self.tr("layers"))
        self._update_controls()

    def _choice(self) -> str:
        """The choice of :attr:`pair_box`, in English (a key of :data:`PAIRS`)."""
        return self.choices[max(self.pair_box.currentIndex(), 0)]

    # -- what is shown -----------------------------------------------------------------

    def showing_current(self) -> bool:
        """Whether the panel studies the library's current model."""
        return self._choice() == CURRENT

    def kinds(self) -> tuple[str, ...]:
        """The architectures shown."""
        if self.showing_current():
            checkpoint = self.session.checkpoint
            return () if checkpoint is None else (checkpoint.model.kind,)
        return PAIRS[self._choice()]

    def is_busy(self) -> bool:
        """Whether a change waits for its context (the busy sign is up)."""
        return self._settle.isActive() or self.worker.is_busy()

    def wait_until_computed(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until no context is awaited; True if none is.

        For scripts and benchmarks that drive the panel without pytest-qt
        (tests wait on :attr:`computed` with ``qtbot.waitSignal``).
        """
        deadline = QDeadlineTimer(timeout_ms)
        while self.is_busy() and not deadline.hasExpired():
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        return not self.is_busy()

    # -- user edits --------------------------------------------------------------------

    def _on_setting_changed(self) -> None:
        """Depth, size or kernel changed: they only shape the pair's networks."""
        if self.showing_current():
            if self._pair_layers is not None and self.sender() is self.layers_slider:
                # set (by restored settings) while the current model is shown:
                # it is the pair's depth, for later
                self._pair_layers = self.layers_slider.value()
                self._update_controls()
            return
        self._show_layers()
        self.schedule()

    def _set_layers(self, layers: int) -> None:
        """Move the slider without acting on it."""
        self.layers_slider.blockSignals(True)
        self.layers_slider.setValue(layers)
        self.layers_slider.blockSignals(False)

    def _show_layers(self) -> None:
        self.layers_label.setText(_layers(self.layers_slider.value()))

    def _on_slider_released(self) -> None:
        if self._settle.isActive():
            self._submit()

    def _on_model_changed(self) -> None:
        if self.showing_current():
            self._update_controls()
            self._submit()

    def _on_pair_changed(self) -> None:
        current = self.showing_current()
        self.views[1].setVisible(not current)
        if not current:
            for view, kind in zip(self.views, self.kinds(), strict=True):
                view.set_kind(kind)
        self._update_controls()
        self.schedule()

    def _update_controls(self) -> None:
        """Enable what has an effect on what is shown; say why the rest does not."""
        current = self.showing_current()
        for widget in (self.layers_slider, self.size_box, self.kernel_box):
            widget.setEnabled(not current)
        if not current:
            if self._pair_layers is not None:  # the pair's depth, as it was
                self._set_layers(self._pair_layers)
                self._pair_layers = None
            self.layers_slider.setToolTip(
                self.tr("Number of layers (LSTM layers, residual blocks, gated layers)")
            )
            self.size_box.setToolTip(self.tr("Image size (square)"))
            self.kernel_box.setToolTip(self.tr("Size of the first, mask-A convolution"))
            self._show_layers()
            return
        fixed = self.tr(
            "Fixed by the current model as trained; compare a pair to vary it"
        )
        self.size_box.setToolTip(fixed)
        self.kernel_box.setToolTip(fixed)
        checkpoint = self.session.checkpoint
        if checkpoint is None:
            self.layers_slider.setToolTip(
                self.tr("No current model: choose one in the library")
            )
            self.layers_label.setText("")
            return
        model = checkpoint.model
        layers = getattr(model.config, "layers", None)
        if self._pair_layers is None:
            self._pair_layers = self.layers_slider.value()
        # the slider shows the model's depth (its lowest end: no depth at all)
        self._set_layers(self.layers_slider.minimum() if layers is None else layers)
        title = library_text(model.title)
        if layers is None:
            self.layers_slider.setToolTip(
                self.tr(
                    "{title} has no stacked layers: there is no depth to vary. "
                    "Compare a pair of architectures to see the context grow with "
                    "depth."
                ).format(title=title)
            )
            self.layers_label.setText(self.tr("no layers"))
        else:
            self.layers_slider.setToolTip(
                self.tr(
                    "{title} was trained with {layers}; its depth is fixed. Compare "
                    "a pair of architectures to vary the depth."
                ).format(title=title, layers=_layers(layers))
            )
            self.layers_label.setText(
                self.tr("{layers} (as trained)").format(layers=_layers(layers))
            )

    def schedule(self) -> None:
        """Recompute once the settings rest for a moment (coalesces a drag)."""
        self._settle.start()
        self._update_busy()

    def select_pixel(self, row: int, col: int) -> None:
        """Show the context of (row, col) in the views on show (in the background)."""
        self.pixel = (row, col)
        self._announce = True
        self._submit()

    # -- the work ----------------------------------------------------------------------

    def _update_busy(self) -> None:
        self.busy.set_busy(self.is_busy())

    def _request(
        self,
    ) -> tuple[Hashable, tuple[int, int], Callable[[], tuple[ARModel, ...]]] | None:
        """What to show now: a key for the networks, the pixel, how to build them."""
        if self.showing_current():
            checkpoint = self.session.checkpoint
            if checkpoint is None:
                return None
            model = checkpoint.model
            # named when its context arrives, not over the previous model's
            self._titles[("current", id(model))] = (
                model.kind,
                (
                    CURRENT_TITLE,
                    {
                        "title": model.title,
                        "name": html.escape(checkpoint.name[:120]),
                        "ordering": str(model.config.ordering),
                    },
                ),
            )
            h, w = model.image_shape
            return ("current", id(model)), (h, w), lambda: (model,)
        kinds = PAIRS[self._choice()]
        size = self.size_box.value()
        layers = self.layers_slider.value()
        kernel = int(self.kernel_box.currentText())

        def build() -> tuple[ARModel, ...]:
            # real networks with random weights: every connection the
            # architecture has carries a gradient
            return tuple(
                context_model(
                    kind, (size, size), layers, channels=8, first_kernel=kernel
                )
                for kind in kinds
            )

        return ("pair", kinds, size, layers, kernel), (size, size), build

    def _submit(self) -> None:
        self._settle.stop()
        request = self._request()
        if request is None:
            self.worker.cancel()
            self.views[0].clear(NO_CURRENT)
            self._update_busy()
            return
        key, (h, w), build = request
        if self._built is not None and self._built[0] == key:
            ready = self._built[1]
            build = lambda: ready  # noqa: E731 - the networks are already built
        r, c = self.pixel
        pixel = (min(r, h - 1), min(c, w - 1))
        self.pixel = pixel

        def job(stale: Callable[[], bool]) -> Any:
            models = build()
            regions = []
            for model in models:
                if stale():
                    raise InterruptedError
                regions.append(context_regions(model, pixel))
            return key, models, regions

        self.worker.submit(job, self._on_computed, self._on_failed)
        self._update_busy()

    def _on_computed(
        self, result: tuple[Hashable, tuple[ARModel, ...], list[ContextRegions]]
    ) -> None:
        key, models, regions = result
        self._built = key, models
        if key in self._titles:
            self.views[0].set_kind(*self._titles.pop(key))
        for view, model, found in zip(self.views, models, regions, strict=False):
            view.show_regions(model, found)
        self._update_busy()
        if self._announce:  # the user asked for this pixel
            self._announce = False
            row, col = regions[0].pixel
            self.status_message.emit(
                self.tr("context of the pixel at {where}").format(
                    where=_where(row, col)
                )
            )
        self.computed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._update_busy()
        for view in self.views:
            view.show_failure(FAILED, kind=type(exc).__name__, error=exc)
        self.status_message.emit(
            self.tr(FAILED).format(kind=type(exc).__name__, error=exc)
        )

    def shutdown(self) -> None:
        """Stop waiting for contexts (the window is closing)."""
        self._settle.stop()
        self.worker.wait()
