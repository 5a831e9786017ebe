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

__all__ = ["FeaturesPanel"]

CONCEPT = """
<p>A model trained only to predict pixels, p(x<sub>i</sub> | x<sub>&lt;i</sub>),
builds <b>hidden units</b> on the way: NADE's unit j computes
h<sub>j</sub> = σ(W<sub>j</sub> · x + c<sub>j</sub>), so the row W<sub>j</sub>
is a 28×28 <b>filter</b> — the pattern of ink that turns the unit on. Nobody
gave the model labels, yet its units often become strokes and pen positions.
That is <b>unsupervised feature learning</b>. One test of it: give a simple
linear classifier the features h instead of the pixels x, with only a few
labelled digits. If the features help most when labels are few, the model
learned something about digits that the labels did not have to teach.</p>"""

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


class FeaturesPanel(QWidget):
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

        self.concept = ConceptBox("Unsupervised feature learning", CONCEPT, self)
        self.model_label = QLabel(self)
        self.model_label.setWordWrap(True)
        style_label(self.model_label, 1.05, bold=True)
        self.sort_box = QComboBox(self)
        self.sort_box.addItems(["by norm", "by contribution"])
        self.sort_box.setToolTip(
            "Order the units by the size of their weights, or by how much the "
            "mean log-likelihood of held-out digits drops when the unit is silenced"
        )
        self.contribution_button = push_button(
            self,
            "Measure contributions",
            f"Silence each unit in turn on {CONTRIBUTION_DIGITS} held-out digits",
        )
        self.hover_label = QLabel("Hover a filter to see its unit", self)
        self.grid = TileGrid(self)
        self.grid.setToolTip("Scroll to zoom, drag to pan")

        self.source_box = QComboBox(self)
        self.source_box.addItems(["canvas drawing", "test digit"])
        self.source_box.setToolTip("What the activations are shown for")
        self.digit_box = spin_box(self, 1, 1000, 1, "Which held-out digit (1-based)")
        self.layer_box = QComboBox(self)
        self.layer_box.setToolTip("The layer whose feature maps are shown")
        self.activation_label = QLabel(self)
        self.activation_label.setWordWrap(True)
        self.top_grid = TileGrid(self)
        self.activation_busy = BusyIndicator("finding active units…", self)
        self.activation_busy.follow(self.activations)

        self.compare_button = push_button(
            self,
            "Compare with pixels",
            "Train a linear classifier on the model's features and on raw pixels "
            f"with 10, 100, 1,000 and all labelled {DATA} training digits",
        )
        self.stop_button = push_button(self, "Stop", "Stop the comparison")
        self.stop_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.plot = pg.PlotWidget(self)
        self.plot.setLogMode(x=True, y=False)
        self.plot.setLabel("bottom", "labelled training digits")
        self.plot.setLabel("left", "held-out accuracy")
        self.plot.setYRange(0, 1)
        self.plot.addLegend(offset=(-10, -10))  # bottom right, below the curves
        style_plot(self.plot)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Sort", self))
        controls.addWidget(self.sort_box)
        controls.addWidget(self.contribution_button)
        controls.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(controls)
        left.addWidget(self.grid, 1)
        left.addWidget(self.hover_label)

        source = QHBoxLayout()
        source.addWidget(QLabel("Activations for", self))
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
        self.session.model_changed.connect(self.set_model)
        self.session.drawing_changed.connect(self._on_drawing_changed)
        self.set_model(self.session.checkpoint)

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
        model = self.model
        if model is None:
            self.model_label.setText("No model: pick one in the library")
            found: Filters | NoFeatures | None = None
        else:
            found = filters(model)
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
            self.model_label.setText(found.message)
        elif isinstance(found, Filters):
            self.filters = found
            self.model_label.setText(
                f"{model.title}: {len(found)} units — {found.layer}"
                + ("" if len(found) <= MAX_TILES else f" (the first {MAX_TILES})")
            )
        names = layer_names(model) if model is not None else []
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        self.layer_box.addItems(["top units", *(f"maps: {n}" for n in names)])
        self.layer_box.blockSignals(False)
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
        unit = self.grid.labels[index]
        text = f"unit {unit + 1}"
        if self.filters is not None:
            text += f" · norm {self.filters.norms[unit]:.2f}"
        if self.contributions is not None:
            text += f" · helps log p(x) by {self.contributions[unit]:.3f} nats"
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
            self.status_message.emit("Units sorted by their contribution to log p(x)")

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
            (f"model's features ({result.feature_size})", result.feature_accuracy, 0),
            (f"raw pixels ({result.pixel_size})", result.pixel_accuracy, 1),
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
            f"{n}: {f:.1%} vs {p:.1%}"
            for n, f, p in zip(
                result.label_counts,
                result.feature_accuracy,
                result.pixel_accuracy,
                strict=True,
            )
        )
        self.result_label.setText(
            f"Accuracy on {result.test_size} held-out digits, features vs pixels "
            f"— {rows}"
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
                self.progress.setMaximum(event.total)
                self.progress.setValue(event.done)
                self.progress.setFormat(f"{event.text} — %p%")
            else:
                done(event)

        def finished() -> None:
            if channel in self._jobs:
                self._jobs.remove(channel)
            if not self._jobs:
                self._set_running(False)

        def failed(exc: BaseException) -> None:
            self.status_message.emit(f"Could not finish: {exc}")

        channel.emitted.connect(on_event)
        channel.failed.connect(failed)
        channel.finished.connect(finished)
        self._set_running(True)

    def _set_running(self, running: bool) -> None:
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

    def _on_drawing_changed(self) -> None:
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
            self.activation_label.setText(
                ""
                if self.filters is None
                else "Draw on the canvas (panel 5), or choose a test digit"
            )
            return
        if model.image_shape != image.shape:
            self.activation_label.setText(
                f"The drawing is {image.shape[0]}×{image.shape[1]}; the model reads "
                f"{model.image_shape[0]}×{model.image_shape[1]} images"
            )
            return
        layer = self.layer_box.currentIndex() - 1
        found = self.filters

        def job(_: Any) -> tuple[str, NDArray[np.float32], list[int]]:
            if layer >= 0:
                maps = feature_maps(model, image, layer)
                assert isinstance(maps, np.ndarray)
                return "maps", maps[:MAX_TILES], list(range(len(maps)))[:MAX_TILES]
            top = top_units(model, image, TOP_K)
            assert not isinstance(top, NoFeatures)
            units = [int(u) for u in top.units]
            text = ", ".join(
                f"unit {u + 1} ({a:.2f})"
                for u, a in zip(units, top.activations, strict=True)
            )
            return text, found.images[top.units], units

        self.activations.submit(job, self._show_activations)

    def _show_activations(self, result: tuple[str, Any, list[int]]) -> None:
        text, images, labels = result
        image = np.asarray(self.current_image())
        stack = (
            np.concatenate([image[None].astype(np.float32), images])
            if (images.shape[1:] == image.shape)
            else images
        )
        names = [-1, *labels] if stack is not images else labels
        self.top_grid.set_tiles(stack, names)
        if text == "maps":
            layer = self.layer_box.currentText().removeprefix("maps: ")
            self.activation_label.setText(
                f"Feature maps of the {layer}, one per channel"
            )
        else:
            first = "the image, then " if stack is not images else ""
            self.activation_label.setText(f"Most active: {text} — {first}their filters")
