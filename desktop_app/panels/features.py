"""Panel 7 — what the model learned.

The current model's hidden units as images (NADE's and MADE's input weights,
a spatial model's first-layer kernels) in a zoomable grid, sorted by norm or
by how much each unit helps the likelihood; the units that respond most to the
canvas drawing or to a test digit; and a linear classifier on the model's
features against one on raw pixels, with few and many labels. All numbers
come from :mod:`models.features`; long work runs in the background.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.session import Session
from desktop_app.theme import SERIES, style_label, style_plot
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.words import library_text
from desktop_app.workers import LatestOnly, Stream, stream
from models.checkpoint import Checkpoint
from models.data import ImageSet, load_splits
from models.features import (
    LABEL_COUNTS,
    FeatureComparison,
    Filters,
    NoFeatures,
    Progress,
    feature_maps,
    filters,
    layer_names,
    sort_units,
    top_units,
    unit_contributions,
)
from models.features import compare_with_pixels as compare
from models.text import QT_TRANSLATE_NOOP

__all__ = ["FeaturesPanel"]

CONCEPT = QT_TRANSLATE_NOOP(
    "FeaturesPanel",
    """
<p>A model trained only to predict pixels, p(x<sub>i</sub> | x<sub>&lt;i</sub>),
builds <b>hidden units</b> on the way: NADE's unit j computes
h<sub>j</sub> = σ(W<sub>j</sub> · x + c<sub>j</sub>), so the row W<sub>j</sub>
is a 28×28 <b>filter</b> — the pattern of ink that turns the unit on. Nobody
gave the model labels, yet its units often become strokes and pen positions.
That is <b>unsupervised feature learning</b>. One test of it: give a simple
linear classifier the features h instead of the pixels x, with only a few
labelled digits. If the features help most when labels are few, the model
learned something about digits that the labels did not have to teach.</p>""",
)
DRAW_OR_CHOOSE = QT_TRANSLATE_NOOP(
    "FeaturesPanel", "Draw on the canvas (panel 5), or choose a test digit"
)
SIZES_DIFFER = QT_TRANSLATE_NOOP(
    "FeaturesPanel",
    "The drawing is {h}×{w}; the model reads {model_h}×{model_w} images",
)

#: Data the classifiers are trained and scored on.
DATA = "mnist-10k"
#: Filters shown in the grid at most (the strongest first).
MAX_TILES = 400
#: Held-out digits whose log-likelihood each unit's silencing is measured on.
CONTRIBUTION_DIGITS = 16
#: Units and their filters shown for one image.
TOP_K = 8


class TileGrid(pg.PlotWidget):  # type: ignore[misc]
    """Images as tiles of a grid in one zoomable view; hover names the tile."""

    hovered = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAspectLocked(True)
        self.invertY(True)
        self.hideAxis("left")
        self.hideAxis("bottom")
        self.setMenuEnabled(False)
        style_plot(self)
        self.items: list[pg.ImageItem] = []
        self.labels: list[int] = []
        self._columns = 1
        self._size = (1, 1)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)

    def set_tiles(self, images: NDArray[np.floating], labels: list[int]) -> None:
        """Show ``images`` ``(U, h, w)``, each named by its entry of ``labels``."""
        for item in self.items:
            self.removeItem(item)
        self.items = []
        self.labels = list(labels)
        if len(images) == 0:
            return
        count, h, w = images.shape
        self._columns = max(1, int(np.ceil(np.sqrt(count * h / w))))
        self._size = (h + 1, w + 1)
        for index, image in enumerate(images):
            scale = float(np.abs(image).max()) or 1.0
            item = pg.ImageItem(
                image, levels=(-scale, scale), lut=_diverging(), axisOrder="row-major"
            )
            row, col = divmod(index, self._columns)
            item.setRect(col * (w + 1), row * (h + 1), w, h)
            self.addItem(item)
            self.items.append(item)
        self.autoRange(padding=0.02)

    def tile_at(self, x: float, y: float) -> int | None:
        """The index of the tile under view point (x, y), or None."""
        h, w = self._size
        col, row = int(x // w), int(y // h)
        if x < 0 or y < 0 or col >= self._columns:
            return None
        index = row * self._columns + col
        return index if index < len(self.items) else None

    def _on_mouse_moved(self, position: QPointF) -> None:
        point = self.getPlotItem().vb.mapSceneToView(position)
        index = self.tile_at(point.x(), point.y())
        if index is not None:
            self.hovered.emit(index)


def _diverging() -> NDArray[np.uint8]:
    """Blue (negative) – white – orange (positive), 255 entries."""
    neg = np.array(SERIES[0], dtype=np.float64)
    pos = np.array(SERIES[1], dtype=np.float64)
    white = np.array([255.0, 255.0, 255.0])
    t = np.linspace(-1, 1, 255)[:, None]
    lut = np.where(t < 0, white + (neg - white) * -t, white + (pos - white) * t)
    table: NDArray[np.uint8] = lut.astype(np.uint8)
    return table


class FeaturesPanel(FollowsLanguage, QWidget):
    """Filters, activations and features-versus-pixels for the current model."""

    status_message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.checkpoint: Checkpoint | None = None
        self.filters: Filters | None = None
        self.contributions: NDArray[np.float64] | None = None
        self.comparison: FeatureComparison | None = None
        self.order: NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self._data: dict[str, ImageSet] | None = None
        self._stop = threading.Event()
        self._jobs: list[Stream] = []
        self.activations = LatestOnly(self)
        #: What the comparison uses: label counts (0: all), L-BFGS rounds, and
        #: how many training digits (0: all) — smaller in tests.
        self.label_counts: tuple[int, ...] = LABEL_COUNTS
        self.rounds = 10
        self.train_digits = 0

        #: What the panel shows, kept so that a language change re-renders it.
        self._missing: NoFeatures | None = None
        self._hovered: int | None = None
        self._layer_names: list[str] = []
        self._activation_note: tuple[str, dict[str, object]] = ("", {})
        self._activation_result: tuple[str, list[int], list[float], bool] | None = None
        self._progress: Progress | None = None

        self.concept = ConceptBox("Unsupervised feature learning", CONCEPT, self)
        self.model_label = QLabel(self)
        self.model_label.setWordWrap(True)
        style_label(self.model_label, 1.05, bold=True)
        self.sort_box = QComboBox(self)
        self.sort_box.addItems(["", ""])  # named in retranslate
        self.contribution_button = push_button(self, "", "")
        self.hover_label = QLabel(self)
        self.hover_label.setWordWrap(True)
        self.grid = TileGrid(self)

        self.source_box = QComboBox(self)
        self.source_box.addItems(["", ""])
        self.digit_box = spin_box(self, 1, 1000, 1, "")
        self.layer_box = QComboBox(self)
        self.activation_label = QLabel(self)
        self.activation_label.setWordWrap(True)
        self.top_grid = TileGrid(self)
        self.activation_busy = BusyIndicator("", self)
        self.activation_busy.follow(self.activations)

        self.compare_button = push_button(self, "", "")
        self.stop_button = push_button(self, "", "")
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.plot = pg.PlotWidget(self)
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", " ")  # named in retranslate
        self.plot.setLabel("left", " ")
        self.plot.setYRange(0, 1)
        # the label counts' decades (10 to all) before any result, labelled at
        # whole decades: a log axis over a short range labels every 2, 3, … 9
        self.plot.setXRange(1, 4, padding=0.05)
        self.plot.getPlotItem().getAxis("bottom").setTickSpacing(major=1.0, minor=0.5)
        self.plot.addLegend(offset=(-10, -10))  # bottom right, below the curves
        style_plot(self.plot)

        self.sort_label = QLabel(self)
        self.source_label = QLabel(self)
        controls = QHBoxLayout()
        controls.addWidget(self.sort_label)
        controls.addWidget(self.sort_box)
        controls.addWidget(self.contribution_button)
        controls.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(controls)
        left.addWidget(self.grid, 1)
        left.addWidget(self.hover_label)

        source = QHBoxLayout()
        source.addWidget(self.source_label)
        source.addWidget(self.source_box)
        source.addWidget(self.digit_box)
        source.addWidget(self.layer_box)
        source.addStretch(1)
        compare_row = QHBoxLayout()
        compare_row.addWidget(self.compare_button)
        compare_row.addWidget(self.stop_button)
        compare_row.addWidget(self.progress, 1)
        right = QVBoxLayout()
        right.addLayout(source)
        right.addWidget(self.activation_label)
        right.addWidget(self.top_grid, 1)
        right.addWidget(self.activation_busy)
        right.addLayout(compare_row)
        right.addWidget(self.plot, 1)
        right.addWidget(self.result_label)

        body = QGridLayout()
        body.addLayout(left, 0, 0)
        body.addLayout(right, 0, 1)
        body.setColumnStretch(0, 1)
        body.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addWidget(self.model_label)
        layout.addLayout(body, 1)

        self.sort_box.currentIndexChanged.connect(lambda _: self._show_filters())
        self.contribution_button.clicked.connect(lambda: self.measure_contributions())
        self.compare_button.clicked.connect(lambda: self.start_comparison())
        self.stop_button.clicked.connect(lambda: self.stop())
        self.grid.hovered.connect(self._on_tile_hovered)
        self.source_box.currentIndexChanged.connect(lambda _: self.update_activations())
        self.digit_box.valueChanged.connect(lambda _: self._on_digit_changed())
        self.layer_box.currentIndexChanged.connect(lambda _: self.update_activations())
        # A model change (or a drawing's) seen while the panel was hidden,
        # followed when it is next shown: filters of a wide model take a few
        # hundred ms to compute and lay out, work nobody sees from another panel.
        self._pending: tuple[Checkpoint | None] | None = (self.session.checkpoint,)
        self._drawing_changed = False
        self.session.model_changed.connect(self._on_model_changed)
        self.session.drawing_changed.connect(self._on_drawing_changed)
        self.retranslate()

    # -- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows, in the current language."""
        self.concept.button.setText(self.tr("Unsupervised feature learning"))
        self.concept.text.setText(self.tr(CONCEPT))
        for box, texts in (
            (self.sort_box, (self.tr("by norm"), self.tr("by contribution"))),
            (self.source_box, (self.tr("canvas drawing"), self.tr("test digit"))),
        ):
            box.blockSignals(True)  # the same choice, in other words
            for index, text in enumerate(texts):
                box.setItemText(index, text)
            box.blockSignals(False)
        self._name_layers()
        self.sort_box.setToolTip(
            self.tr(
                "Order the units by the size of their weights, or by how much the "
                "mean log-likelihood of held-out digits drops when the unit is "
                "silenced"
            )
        )
        self.contribution_button.setText(self.tr("Measure contributions"))
        self.contribution_button.setToolTip(
            self.tr("Silence each unit in turn on {count} held-out digits").format(
                count=CONTRIBUTION_DIGITS
            )
        )
        self.grid.setToolTip(self.tr("Scroll to zoom, drag to pan"))
        self.source_box.setToolTip(self.tr("What the activations are shown for"))
        self.digit_box.setToolTip(self.tr("Which held-out digit (1-based)"))
        self.layer_box.setToolTip(self.tr("The layer whose feature maps are shown"))
        self.activation_busy.label.setText(self.tr("finding active units…"))
        self.activation_busy.setToolTip(self.tr("finding active units…"))
        self.compare_button.setText(self.tr("Compare with pixels"))
        self.compare_button.setToolTip(
            self.tr(
                "Train a linear classifier on the model's features and on raw "
                "pixels with 10, 100, 1,000 and all labelled {data} training digits"
            ).format(data=DATA)
        )
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the comparison"))
        self.plot.setLabel("bottom", self.tr("labelled training digits"))
        self.plot.setLabel("left", self.tr("held-out accuracy"))
        self.sort_label.setText(self.tr("Sort"))
        self.source_label.setText(self.tr("Activations for"))
        self._show_model_label()
        self._show_hover()
        self._show_activation_text()
        if self._progress is not None:
            self._show_progress(self._progress)
        if self.comparison is not None:
            self.show_comparison(self.comparison)

    def _name_layers(self) -> None:
        """The layer box's items: the top units, then each layer's maps."""
        self.layer_box.blockSignals(True)
        index = self.layer_box.currentIndex()
        self.layer_box.clear()
        self.layer_box.addItems(
            [
                self.tr("top units"),
                *(
                    self.tr("maps: {layer}").format(layer=library_text(name))
                    for name in self._layer_names
                ),
            ]
        )
        self.layer_box.setCurrentIndex(max(index, 0))
        self.layer_box.blockSignals(False)

    def _show_model_label(self) -> None:
        model = self.model
        found = self.filters
        if model is None:
            self.model_label.setText(self.tr("No model: pick one in the library"))
        elif self._missing is not None:
            self.model_label.setText(library_text(self._missing.message))
        elif found is not None:
            text = self.tr("{title}: {units} units — {layer}").format(
                title=library_text(model.title),
                units=len(found),
                layer=library_text(found.layer),
            )
            if len(found) > MAX_TILES:
                text += " " + self.tr("(the first {count})").format(count=MAX_TILES)
            self.model_label.setText(text)

    # -- state ---------------------------------------------------------------------

    @property
    def model(self) -> Any:
        """The current model, or None."""
        return None if self.checkpoint is None else self.checkpoint.model

    def data(self) -> dict[str, ImageSet]:
        """The labelled digits (loaded once; a small bundled file)."""
        if self._data is None:
            self._data = load_splits(DATA)
        return self._data

    def set_model(self, checkpoint: Checkpoint | None) -> None:
        """Follow the current model: its filters, activations; a fresh plot."""
        self.stop()
        self.checkpoint = checkpoint
        self.contributions = None
        self.comparison = None
        self.plot.clear()
        self.result_label.setText("")
        self.filters = None
        self._missing = None
        self._hovered = None
        self.hover_label.setText(self.tr("Hover a filter to see its unit"))
        model = self.model
        found: Filters | NoFeatures | None = None if model is None else filters(model)
        with_features = isinstance(found, Filters)
        for widget in (
            self.sort_box,
            self.contribution_button,
            self.compare_button,
            self.source_box,
            self.digit_box,
        ):
            widget.setEnabled(with_features)
        if isinstance(found, NoFeatures):
            self._missing = found
        elif isinstance(found, Filters):
            self.filters = found
        self._show_model_label()
        names = layer_names(model) if model is not None else []
        self._layer_names = names
        self.layer_box.blockSignals(True)
        self.layer_box.setCurrentIndex(0)
        self.layer_box.blockSignals(False)
        self._name_layers()
        self.layer_box.setVisible(bool(names))
        self.sort_box.setCurrentIndex(0)
        self._show_filters()
        self.update_activations()

    def _show_filters(self) -> None:
        found = self.filters
        if found is None:
            self.order = np.zeros(0, dtype=np.int64)
            self.grid.set_tiles(np.zeros((0, 1, 1)), [])
            return
        by = "contribution" if self.sort_box.currentIndex() == 1 else "norm"
        if by == "contribution" and self.contributions is None:
            self.measure_contributions()
            by = "norm"
        self.order = sort_units(found, by, self.contributions)[:MAX_TILES]
        self.grid.set_tiles(found.images[self.order], [int(u) for u in self.order])

    def _on_tile_hovered(self, index: int) -> None:
        self._hovered = self.grid.labels[index]
        self._show_hover()

    def _show_hover(self) -> None:
        unit = self._hovered
        if unit is None:
            self.hover_label.setText(self.tr("Hover a filter to see its unit"))
            return
        text = self.tr("unit {unit}").format(unit=unit + 1)
        if self.filters is not None:
            text += " · " + self.tr("norm {norm}").format(
                norm=f"{self.filters.norms[unit]:.2f}"
            )
        if self.contributions is not None:
            text += " · " + self.tr("helps log p(x) by {nats} nats").format(
                nats=f"{self.contributions[unit]:.3f}"
            )
        self.hover_label.setText(text)

    # -- contributions -------------------------------------------------------------

    def measure_contributions(self) -> None:
        """Measure each unit's contribution in the background, then sort by it."""
        model = self.model
        if model is None or self.filters is None:
            return
        digits = self.data()["test"].intensities()[:CONTRIBUTION_DIGITS]
        self._run(lambda _: unit_contributions(model, digits), self._contributions_done)

    def _contributions_done(self, result: object) -> None:
        if isinstance(result, np.ndarray):
            self.contributions = result
            self.sort_box.setCurrentIndex(1)
            self._show_filters()
            self.status_message.emit(
                self.tr("Units sorted by their contribution to log p(x)")
            )

    # -- the comparison with pixels -----------------------------------------------

    def start_comparison(self) -> None:
        """Train the classifiers in the background; plot when they are done."""
        model = self.model
        if model is None or self.filters is None:
            return
        data = self.data()
        train = data["train"]
        if self.train_digits:
            train = train.subset(slice(0, self.train_digits))
        counts, rounds = self.label_counts, self.rounds
        self._run(
            lambda stop: compare(
                model, train, data["test"], counts, rounds=rounds, stop=stop
            ),
            self.show_comparison,
        )

    def show_comparison(self, result: object) -> None:
        """Plot a :class:`FeatureComparison` (accuracy against labels, log x)."""
        if not isinstance(result, FeatureComparison):
            return
        self.comparison = result
        self.plot.clear()
        counts = np.asarray(result.label_counts, dtype=np.float64)
        for name, values, colour in (
            (
                self.tr("model's features ({size})").format(size=result.feature_size),
                result.feature_accuracy,
                0,
            ),
            (
                self.tr("raw pixels ({size})").format(size=result.pixel_size),
                result.pixel_accuracy,
                1,
            ),
        ):
            self.plot.plot(
                counts,
                np.asarray(values),
                pen=pg.mkPen(SERIES[colour], width=2),
                symbol="o",
                symbolBrush=SERIES[colour],
                name=name,
            )
        style_plot(self.plot)
        rows = ", ".join(
            self.tr("{count}: {features} vs {pixels}").format(
                count=n, features=f"{f:.1%}", pixels=f"{p:.1%}"
            )
            for n, f, p in zip(
                result.label_counts,
                result.feature_accuracy,
                result.pixel_accuracy,
                strict=True,
            )
        )
        self.result_label.setText(
            self.tr(
                "Accuracy on {count} held-out digits, features vs pixels — {rows}"
            ).format(count=result.test_size, rows=rows)
        )

    # -- background jobs ---------------------------------------------------------------

    def _run(self, job: Any, done: Any) -> None:
        """Run a :mod:`models.features` generator with progress and a stop."""
        self._stop = threading.Event()
        stop = self._stop

        def work(emit: Any) -> None:
            for event in job(stop.is_set):
                if stop.is_set():
                    return
                emit(event)

        channel = stream(work, self)
        self._jobs.append(channel)

        def on_event(event: object) -> None:
            if stop.is_set():
                return
            if isinstance(event, Progress):
                self._show_progress(event)
            else:
                done(event)

        def finished() -> None:
            if channel in self._jobs:
                self._jobs.remove(channel)
            if not self._jobs:
                self._set_running(False)

        def failed(exc: BaseException) -> None:
            self.status_message.emit(
                self.tr("Could not finish: {error}").format(error=exc)
            )

        channel.emitted.connect(on_event)
        channel.failed.connect(failed)
        channel.finished.connect(finished)
        self._set_running(True)

    def _show_progress(self, event: Progress) -> None:
        self._progress = event
        self.progress.setMaximum(event.total)
        self.progress.setValue(event.done)
        self.progress.setFormat(f"{library_text(event.text)} — %p%")

    def _set_running(self, running: bool) -> None:
        if not running:
            self._progress = None
        self.progress.setVisible(running)
        self.stop_button.setEnabled(running)
        self.compare_button.setEnabled(not running and self.filters is not None)
        self.contribution_button.setEnabled(not running and self.filters is not None)
        if running:
            self.progress.setValue(0)

    def is_running(self) -> bool:
        """Whether a contribution or comparison job is still going."""
        return bool(self._jobs)

    def stop(self) -> None:
        """Ask the running job to stop; its results are dropped."""
        self._stop.set()

    def shutdown(self) -> None:
        """Stop and wait for background work (the window is closing)."""
        self.stop()
        for channel in list(self._jobs):
            channel.wait()
        self.activations.wait()

    # -- activations ---------------------------------------------------------------

    def _on_model_changed(self, checkpoint: Checkpoint | None) -> None:
        """Follow the new model now if the panel is on screen, else when shown."""
        if self.isVisible():
            self.set_model(checkpoint)
        else:
            self._pending = (checkpoint,)

    def showEvent(self, event: QShowEvent) -> None:
        """Catch up with a model or drawing that changed while hidden."""
        super().showEvent(event)
        if self._pending is not None:
            (checkpoint,), self._pending = self._pending, None
            self._drawing_changed = False
            self.set_model(checkpoint)
        elif self._drawing_changed:
            self._drawing_changed = False
            self._on_drawing_changed()

    def _on_drawing_changed(self) -> None:
        if not self.isVisible():
            self._drawing_changed = True
            return
        if self.source_box.currentIndex() == 0:
            self.update_activations()

    def _on_digit_changed(self) -> None:
        if self.source_box.currentIndex() != 1:
            self.source_box.setCurrentIndex(1)  # shows the digit
        else:
            self.update_activations()

    def current_image(self) -> NDArray[np.float64] | None:
        """The image the activations are for: the drawing or the chosen digit."""
        if self.source_box.currentIndex() == 0:
            drawing: NDArray[np.float64] | None = self.session.drawing
            return drawing
        test = self.data()["test"]
        index = min(self.digit_box.value(), len(test)) - 1
        digit: NDArray[np.float64] = test.intensities()[index].astype(np.float64)
        return digit

    def update_activations(self) -> None:
        """Find the most active units (or a layer's maps) in the background."""
        model = self.model
        image = self.current_image() if self.filters is not None else None
        if model is None or self.filters is None or image is None:
            self.activations.cancel()
            self.top_grid.set_tiles(np.zeros((0, 1, 1)), [])
            self._show_activation_note("" if self.filters is None else DRAW_OR_CHOOSE)
            return
        if model.image_shape != image.shape:
            self._show_activation_note(
                SIZES_DIFFER,
                h=image.shape[0],
                w=image.shape[1],
                model_h=model.image_shape[0],
                model_w=model.image_shape[1],
            )
            return
        layer = self.layer_box.currentIndex() - 1
        found = self.filters
        layer_names = self._layer_names

        def job(_: Any) -> tuple[str, NDArray[np.float32], list[int], list[float]]:
            if layer >= 0:
                maps = feature_maps(model, image, layer)
                assert isinstance(maps, np.ndarray)
                indices = list(range(len(maps)))[:MAX_TILES]
                return layer_names[layer], maps[:MAX_TILES], indices, []
            top = top_units(model, image, TOP_K)
            assert not isinstance(top, NoFeatures)
            units = [int(u) for u in top.units]
            activations = [float(a) for a in top.activations]
            return "", found.images[top.units], units, activations

        self.activations.submit(job, self._show_activations)

    def _show_activations(
        self, result: tuple[str, Any, list[int], list[float]]
    ) -> None:
        layer, images, labels, activations = result
        image = np.asarray(self.current_image())
        stack = (
            np.concatenate([image[None].astype(np.float32), images])
            if (images.shape[1:] == image.shape)
            else images
        )
        names = [-1, *labels] if stack is not images else labels
        self.top_grid.set_tiles(stack, names)
        self._activation_result = (layer, labels, activations, stack is not images)
        self._show_activation_text()

    def _show_activation_note(self, template: str, **values: object) -> None:
        """Say ``template`` (marked for translation) in place of the activations."""
        self._activation_result = None
        self._activation_note = (template, values)
        self._show_activation_text()

    def _show_activation_text(self) -> None:
        """The line above the active units, from what was found."""
        if self._activation_result is None:
            template, values = self._activation_note
            self.activation_label.setText(
                self.tr(template).format(**values) if template else ""
            )
            return
        layer, units, activations, with_image = self._activation_result
        if layer:
            self.activation_label.setText(
                self.tr("Feature maps of the {layer}, one per channel").format(
                    layer=library_text(layer)
                )
            )
            return
        text = ", ".join(
            self.tr("unit {unit} ({activation})").format(
                unit=u + 1, activation=f"{a:.2f}"
            )
            for u, a in zip(units, activations, strict=True)
        )
        self.activation_label.setText(
            (
                self.tr("Most active: {units} — the image, then their filters")
                if with_image
                else self.tr("Most active: {units} — their filters")
            ).format(units=text)
        )
