"""Panel 2 — the ordering visualizer.

An ordering is a modelling choice: the chain rule holds for any permutation of
the pixels, but each one gives every pixel a different set to condition on.
Colour shows each pixel's position, small grids show the numbers, the path can
be animated, and clicking a pixel shows what it is conditioned on — all earlier
pixels, or only the last k under a Markov AR-k window. A custom order is made
by clicking the pixels one after another.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.theme import colour
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.pixel_grid import Overlay, PixelGrid
from desktop_app.words import library_text
from models.errors import ARExplorerError, ConfigError
from models.ordering_study import OrderingResult, OrderingStudy, load_study
from models.orderings import ORDERING_NAMES, conditioning_set, make_ordering, ranks
from models.text import QT_TRANSLATE_NOOP

__all__ = ["OrderingPanel"]

CONCEPT = QT_TRANSLATE_NOOP(
    "OrderingPanel",
    """
<p>The chain rule p(x) = Π<sub>k</sub> p(x<sub>o<sub>k</sub></sub> |
x<sub>o<sub>1</sub></sub>, …, x<sub>o<sub>k−1</sub></sub>) holds for <b>any
ordering</b> o of the pixels, but each ordering gives each pixel a different
<b>conditioning set</b> — and a model with limited capacity learns some sets
more easily than others. A <b>Markov AR-k</b> model keeps only the last k pixels
of that set: p(x<sub>o<sub>k</sub></sub> | x<sub>o<sub>k−k</sub></sub>, …,
x<sub>o<sub>k−1</sub></sub>). Click a pixel to see both.</p>""",
)

CONDITIONING = colour("accent")
WINDOW = colour("highlight")


def _ordinal(n: int) -> str:
    suffix = (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )
    return f"{n}{suffix}"


class OrderingPanel(FollowsLanguage, QWidget):
    """Orderings on a grid: colour = position, conditioning sets on click."""

    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.concept = ConceptBox("", "", self)
        self.ordering_box = QComboBox(self)
        for name in [n for n in ORDERING_NAMES if n != "custom"] + ["custom"]:
            self.ordering_box.addItem(library_text(name), name)
        self.seed_box = _spin(self, 0, 1_000_000, 0, "")
        self.height_box = _spin(self, 1, 64, 8, "")
        self.width_box = _spin(self, 1, 64, 8, "")
        self.window_box = _spin(self, 0, 4096, 3, "")
        self.numbers_box = QCheckBox(self)
        self.numbers_box.setChecked(True)
        # as wide as its text: a click beside it is not a click on it
        self.numbers_box.setSizePolicy(
            QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed
        )
        self.play_button = push_button(self, "", "", checkable=True)
        self.play_button.setShortcut(Qt.Key.Key_Space)
        self.speed_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.speed_slider.setRange(1, 60)
        self.speed_slider.setValue(20)
        self.custom_button = QPushButton(self)
        self.custom_button.setCheckable(True)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)

        form = QFormLayout()
        #: Each form label, with its English text.
        self._form_labels: list[tuple[QLabel, str]] = []

        def row(text: str, field: QWidget | QHBoxLayout) -> None:
            label = QLabel(self)
            self._form_labels.append((label, text))
            form.addRow(label, field)

        row(QT_TRANSLATE_NOOP("OrderingPanel", "ordering"), self.ordering_box)
        row(QT_TRANSLATE_NOOP("OrderingPanel", "seed"), self.seed_box)
        size = QHBoxLayout()
        size.addWidget(self.height_box)
        size.addWidget(QLabel("×", self))
        size.addWidget(self.width_box)
        size.addStretch(1)
        row(QT_TRANSLATE_NOOP("OrderingPanel", "grid"), size)
        row(QT_TRANSLATE_NOOP("OrderingPanel", "AR-k window"), self.window_box)
        form.addRow("", self.numbers_box)
        form.addRow(self.play_button)
        row(QT_TRANSLATE_NOOP("OrderingPanel", "speed"), self.speed_slider)
        form.addRow(self.custom_button)
        controls = QVBoxLayout()
        controls.addLayout(form)
        controls.addWidget(self.info)
        controls.addWidget(self._build_measured())
        controls.addStretch(1)

        self.grid = PixelGrid((8, 8), self)
        self.grid.tooltip_text = self._describe
        # the controls scroll rather than overlap when large text leaves too
        # little height for them
        controls_widget = QWidget(self)
        controls_widget.setLayout(controls)
        controls.setContentsMargins(0, 0, 4, 0)
        self.controls_scroll = QScrollArea(self)
        self.controls_scroll.setWidget(controls_widget)
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.controls_scroll.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.controls_scroll.setMinimumWidth(270)
        self.controls_scroll.setMaximumWidth(340)
        body = QHBoxLayout()
        body.addWidget(self.controls_scroll)
        body.addWidget(self.grid, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        layout.addLayout(body, 1)

        self.order = make_ordering("raster", (8, 8))
        self._order_name = "raster"  # the ordering shown
        self.rank = ranks(self.order)
        self.selected: int | None = None
        self._custom: list[int] = []
        self._custom_shape: tuple[int, int] = (0, 0)  # the grid being clicked
        self._custom_order: np.ndarray | None = None
        self._step = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._advance)

        self.ordering_box.currentIndexChanged.connect(self._on_ordering_changed)
        for box in (self.seed_box, self.height_box, self.width_box):
            box.valueChanged.connect(self._on_ordering_changed)
        self.window_box.valueChanged.connect(self._redraw)
        self.numbers_box.toggled.connect(self._redraw)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.speed_slider.valueChanged.connect(self._on_speed_changed)
        self.custom_button.toggled.connect(self._on_custom_toggled)
        self.grid.pixel_clicked.connect(self._on_pixel_clicked)
        self._on_ordering_changed()
        #: Choices the window remembers between sessions.
        self.remembered: dict[str, QWidget] = {
            "ordering": self.ordering_box,
            "seed": self.seed_box,
            "height": self.height_box,
            "width": self.width_box,
            "window": self.window_box,
            "numbers": self.numbers_box,
        }
        self.retranslate()

    # -- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows in the current language.

        The state stays (the ordering, the selected pixel, a custom order being
        recorded); the texts that depend on it are rendered from it again.
        """
        self.concept.set_texts(
            self.tr("Orderings and conditioning sets"), self.tr(CONCEPT)
        )
        for label, text in self._form_labels:
            label.setText(self.tr(text))
        for i in range(self.ordering_box.count()):
            self.ordering_box.setItemText(
                i, library_text(str(self.ordering_box.itemData(i)))
            )
        self.ordering_box.setToolTip(self.tr("The order in which pixels are generated"))
        self.seed_box.setToolTip(self.tr("Seed of the random ordering"))
        self.height_box.setToolTip(self.tr("Grid height"))
        self.width_box.setToolTip(self.tr("Grid width"))
        self.window_box.setToolTip(self.tr("k of the AR-k window (0: none)"))
        self.numbers_box.setText(self.tr("numbers"))
        self.numbers_box.setToolTip(
            self.tr("Show each pixel's position (on grids large enough)")
        )
        self.play_button.setText(self.tr("Animate path"))
        self.play_button.setToolTip(
            self.tr("Draw the path through the pixels in order (Space)")
        )
        self.speed_slider.setToolTip(self.tr("Animation speed: pixels per second"))
        self.custom_button.setText(self.tr("Record custom order"))
        self.custom_button.setToolTip(
            self.tr(
                "Click the pixels one after another; the order is used once every "
                "pixel is clicked"
            )
        )
        self.grid.setToolTip(self.tr("Click a pixel to see its conditioning set"))
        self.measured_box.setTitle(self.tr("Measured: the NLL it gives"))
        self.show_measured(self.ordering())
        if self.custom_button.isChecked():
            self._draw_custom()
        else:
            self._update_info()

    # -- state ---------------------------------------------------------------------

    def shape(self) -> tuple[int, int]:
        """(H, W) of the grid."""
        return self.height_box.value(), self.width_box.value()

    def set_ordering(self, name: str) -> None:
        """Select an ordering by name."""
        self.ordering_box.setCurrentIndex(self.ordering_box.findData(name))

    def ordering(self) -> str:
        """The ordering chosen (its name, whatever the language)."""
        return str(self.ordering_box.currentData())

    def _on_ordering_changed(self) -> None:
        name = self.ordering()
        shape = self.shape()
        if self.custom_button.isChecked() and shape != self._custom_shape:
            # the pixels clicked so far belong to the old grid: start again
            self._custom, self._custom_shape = [], shape
            self.status_message.emit(
                self.tr("The grid changed size: click the custom order again.")
            )
        self.seed_box.setEnabled(name == "random")
        self.show_measured(name)
        try:
            if name == "custom":
                if (
                    self._custom_order is None
                    or len(self._custom_order) != shape[0] * shape[1]
                ):
                    self.custom_button.setChecked(True)
                    return
                order = make_ordering(
                    "custom", shape, custom=self._custom_order.tolist()
                )
            else:
                order = make_ordering(name, shape, seed=self.seed_box.value())
        except ConfigError as exc:
            self.status_message.emit(str(exc))
            return
        self.order, self.rank = order, ranks(order)
        self._order_name = name
        if self.selected is not None and self.selected >= len(order):
            self.selected = None
        self._step = len(order)
        self._redraw()

    # -- what the ordering cost, measured ---------------------------------------------

    def _build_measured(self) -> QGroupBox:
        """The box that shows the measured NLL of the chosen ordering."""
        self.measured_box = QGroupBox(self)
        self.measured = QLabel(self.measured_box)
        self.measured.setWordWrap(True)
        self.measured.setTextFormat(Qt.TextFormat.RichText)
        self.measured.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout = QVBoxLayout(self.measured_box)
        layout.addWidget(self.measured)
        #: The shipped measurement (None if it cannot be read: said in the box).
        self.study: OrderingStudy | None = None
        self._study_problem = ""
        try:
            self.study = load_study()
        except ARExplorerError as exc:
            self._study_problem = str(exc)
        self.measured.setText("")
        return self.measured_box

    def show_measured(self, ordering: str) -> None:
        """Show the validation NLL ``ordering`` gave in the shipped study."""
        study = self.study
        if study is None:
            self.measured.setText(
                self.tr("The measured results cannot be read: {problem}").format(
                    problem=self._study_problem
                )
            )
            self.measured_box.setToolTip("")
            return
        self.measured_box.setToolTip(
            self.tr(
                "{model}, trained on {data}; {training}. Each ordering is trained "
                "the same way with each seed (the random ordering drawn with the "
                "run's seed). Reproduce: {command}"
            ).format(
                model=library_text(study.model),
                data=library_text(study.data),
                training=library_text(study.training),
                command=study.command,
            )
        )
        result = study.result(ordering)
        if result is None and ordering != "custom":
            self.measured.setText(
                self.tr(
                    "<b>{ordering}</b>: not measured yet (the results hold {measured})."
                ).format(
                    ordering=library_text(ordering),
                    measured=", ".join(library_text(r.ordering) for r in study.results)
                    or "—",
                )
            )
            return
        if result is None:
            self.measured.setText(
                self.tr(
                    "<b>{ordering}</b>: not measured. The study trains the named "
                    "orderings only ({measured}); a custom order would need its "
                    "own runs (Training monitor → Compare orderings…)."
                ).format(
                    ordering=library_text(ordering),
                    measured=", ".join(library_text(r.ordering) for r in study.results),
                )
            )
            return
        lines = [
            self.tr("{model}, binarized MNIST, best validation NLL:").format(
                model=library_text(study.model)
            ),
            self.tr("<b>{ordering}: {value}</b>").format(
                ordering=library_text(ordering), value=_with_spread(self, result)
            ),
        ]
        raster = study.result("raster")
        if raster is not None and ordering != "raster":
            lines.append(
                self.tr("raster: {value}").format(value=_with_spread(self, raster))
            )
            lines.append(library_text(result.compare(raster)) + ".")
        elif raster is not None:
            best = min(study.results, key=lambda r: r.mean)
            lines.append(
                self.tr("The best mean: {ordering}, {value}.").format(
                    ordering=library_text(best.ordering),
                    value=_with_spread(self, best),
                )
            )
        lines.append(
            self.tr("<i>Reproduce: {command}</i>").format(command=study.command)
        )
        self.measured.setText("<br>".join(lines))

    def conditioning_mask(self, pixel: int, window: int | None = None) -> np.ndarray:
        """(H, W) bool: what ``pixel`` is conditioned on (under an AR-k window)."""
        mask = np.zeros(len(self.order), dtype=bool)
        mask[conditioning_set(self.order, pixel, window)] = True
        return mask.reshape(self.shape())

    def _redraw(self) -> None:
        h, w = self.shape()
        n = h * w
        if self.custom_button.isChecked():
            self._draw_custom()
            return
        positions = self.rank.reshape(h, w).astype(float)
        self.grid.set_image(positions, colours="viridis", levels=(0, max(1, n - 1)))
        numbers = (self.rank + 1).reshape(h, w).astype(str)  # positions from 1
        labels = numbers if self.numbers_box.isChecked() else None
        self.grid.set_labels(labels)
        cells = [divmod(int(p), w) for p in self.order[: self._step]]
        self.grid.set_path(
            cells if self._step < n or self.play_button.isChecked() else []
        )
        overlays = []
        if self.selected is not None:
            # fade everything the pixel does not see; its conditioning set keeps
            # its colours, and the AR-k window is outlined
            unseen = ~self.conditioning_mask(self.selected)
            unseen.flat[self.selected] = False
            overlays.append(Overlay(unseen, colour("background"), "fill", 0.8))
            k = self.window_box.value()
            if k:
                overlays.append(
                    Overlay(self.conditioning_mask(self.selected, k), WINDOW, "outline")
                )
            self.grid.set_highlight(divmod(self.selected, w))
        else:
            self.grid.set_highlight(None)
        self.grid.set_overlays(overlays)
        self._update_info()

    def _update_info(self) -> None:
        if self.selected is None:
            self.info.setText(self.tr("Click a pixel to see its conditioning set."))
            return
        h, w = self.shape()
        r, c = divmod(self.selected, w)
        k = int(self.rank[self.selected])
        window = self.window_box.value()
        in_window = min(k, window) if window else k
        text = self.tr(
            "The pixel at row {row}, column {col} is generated <b>{ordinal}</b>: "
            "step {step} of {total}."
        ).format(row=r + 1, col=c + 1, ordinal=_ordinal(k + 1), step=k + 1, total=h * w)
        text += "<br>" + self.tr(
            "Conditioned on the <b>{k}</b> earlier pixels (in colour)"
        ).format(k=k)
        if window:
            text += "<br>" + self.tr(
                "{mark} AR-{window} window: <b>{count}</b> of them"
            ).format(
                mark=f"<span style='color:{WINDOW.name()}'>□</span>",
                window=window,
                count=in_window,
            )
        self.info.setText(text)

    def _describe(self, row: int, col: int) -> str:
        pixel = row * self.shape()[1] + col
        where = self.tr("row {row}, column {col}").format(row=row + 1, col=col + 1)
        if self.custom_button.isChecked():
            return where
        step = int(self.rank[pixel]) + 1
        return self.tr("{where}: generated {ordinal}").format(
            where=where, ordinal=_ordinal(step), step=step
        )

    # -- interaction -----------------------------------------------------------------

    def select_pixel(self, row: int, col: int) -> None:
        """Show the conditioning set of the pixel at (row, col)."""
        self._on_pixel_clicked(row, col)

    def _on_pixel_clicked(self, row: int, col: int) -> None:
        h, w = self.shape()
        pixel = row * w + col
        if self.custom_button.isChecked():
            if pixel not in self._custom:
                self._custom.append(pixel)
            if len(self._custom) == h * w:
                self._custom_order = np.array(self._custom)
                self.custom_button.setChecked(False)
                self.set_ordering("custom")
                self._on_ordering_changed()
            else:
                self._draw_custom()
            return
        self.selected = pixel
        self._redraw()

    def _on_custom_toggled(self, recording: bool) -> None:
        if recording:
            self._custom, self._custom_shape = [], self.shape()
            self.play_button.setChecked(False)
            self.status_message.emit(
                self.tr("Click every pixel in the order you want them generated.")
            )
        elif len(self._custom) < self.shape()[0] * self.shape()[1]:
            # stopped before every pixel was clicked: the box names what is shown
            h, w = self.shape()
            self.ordering_box.blockSignals(True)
            self.set_ordering(self._order_name)
            self.ordering_box.blockSignals(False)
            self.show_measured(self._order_name)
            self.status_message.emit(
                self.tr(
                    "Custom order not finished ({count} of {total} pixels clicked): "
                    "still showing the {ordering} order."
                ).format(
                    count=len(self._custom),
                    total=h * w,
                    ordering=library_text(self._order_name),
                )
            )
        self._redraw()

    def _draw_custom(self) -> None:
        h, w = self.shape()
        values = np.full(h * w, -1.0)
        values[self._custom] = np.arange(len(self._custom))
        done = np.zeros(h * w, dtype=bool)
        done[self._custom] = True
        self.grid.set_image(np.zeros((h, w)), colours="gray", levels=(0, 1))
        labels = np.where(done, (values + 1).astype(int).astype(str), "").reshape(h, w)
        self.grid.set_labels(labels)
        self.grid.set_overlays([Overlay(done.reshape(h, w), CONDITIONING, "fill", 0.8)])
        self.grid.set_path([divmod(p, w) for p in self._custom])
        self.grid.set_highlight(None)
        self.info.setText(
            self.tr("Custom order: {count} of {total} pixels clicked.").format(
                count=len(self._custom), total=h * w
            )
        )

    def _on_play_toggled(self, playing: bool) -> None:
        if playing:
            self._step = 0
            self._on_speed_changed()
            self._timer.start()
        else:
            self._timer.stop()
            self._step = len(self.order)
        self._redraw()

    def _on_speed_changed(self) -> None:
        self._timer.setInterval(int(1000 / self.speed_slider.value()))

    def _advance(self) -> None:
        self._step += 1
        if self._step >= len(self.order):
            self.play_button.setChecked(False)
            return
        w = self.shape()[1]
        self.grid.set_path([divmod(int(p), w) for p in self.order[: self._step + 1]])


def _with_spread(panel: QWidget, result: OrderingResult) -> str:
    """Mean ± sample std over seeds, their number and range, in nats."""
    if result.std is None:
        return QCoreApplication.translate(
            "OrderingPanel", "{mean:.2f} nats (1 seed)"
        ).format(mean=result.mean)
    return QCoreApplication.translate(
        "OrderingPanel", "{mean:.2f} ± {std:.2f} nats ({n} seeds, {low:.2f}–{high:.2f})"
    ).format(
        mean=result.mean, std=result.std, n=result.n, low=result.low, high=result.high
    )


def _spin(parent: QWidget, low: int, high: int, value: int, tip: str) -> QSpinBox:
    return spin_box(parent, low, high, value, tip, width=90)
