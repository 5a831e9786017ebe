"""Panel 1 — the parameter counter.

How many numbers does each assumption about p(x) need? Exact integers for every
structure (from :mod:`models.counting`; past 4,000 digits their exact number of
digits and leading digits), the closed form with the numbers put in, a
log-scale plot of count against n, and a check that builds the real torch model
(in the background) and counts its parameters. Counting is pure integer and
80-digit logarithm arithmetic: a whole table and plot take about 20 ms, so it
runs on the GUI thread; only building a model goes to a worker.

A second tab, *Parameters against fit*, puts every model shipped on binarized
MNIST on one chart (:mod:`models.tradeoff`): parameters against validation
NLL, the Markov chains AR-k fitted by counting, the full joint's 2⁷⁸⁴ − 1 as an
arrow. A click loads the point's checkpoint as the library drawer does; AR-16,
which does not ship, is regenerated in the background on request.

For K > 2 levels, or a mixture head, each network's count is its own kind's
closed form (``parameter_count``) for that pixel likelihood: the same number
*Verify* finds in the built model. A structure that cannot have the chosen
head (FVSBN is binary; the tables have no mixture head) is named in a note
instead of a row.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.theme import PALETTE, SERIES, colour, style_plot, theme
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.controls import push_button, spin_box
from desktop_app.widgets.language import FollowsLanguage
from desktop_app.widgets.plot_legend import FlowLegend, LegendEntry
from desktop_app.widgets.tradeoff_chart import TradeoffChart
from desktop_app.words import library_text
from desktop_app.workers import LatestOnly
from models import counting
from models.base import ModelConfig
from models.errors import ARExplorerError
from models.likelihoods import MAX_COMPONENTS, MAX_LEVELS, make_likelihood
from models.markov import MAX_CONTEXTS, MAX_ORDER
from models.registry import config_from_dict, create, model_class
from models.text import QT_TRANSLATE_NOOP, Phrase
from models.tradeoff import (
    COUNTED,
    CountedRun,
    TradeoffPoint,
    binarized_mnist_found,
    full_joint,
    make_counted,
    tradeoff_points,
)

if TYPE_CHECKING:
    from desktop_app.session import Session

_Count = counting.ParameterCount

__all__ = [
    "HEADS",
    "MAX_BUILD",
    "CounterPanel",
    "PixelHead",
    "Structures",
    "Verification",
    "abbreviate",
    "short_name",
    "structures",
]

CONCEPT = QT_TRANSLATE_NOOP(
    "CounterPanel",
    """
<p>A joint distribution over n pixels with K values each has K<sup>n</sup>
configurations, so writing it down needs <b>K<sup>n</sup> − 1</b> numbers.
Every model here is a way to need fewer: <b>independence</b>
p(x) = Π<sub>i</sub> p(x<sub>i</sub>) needs n(K − 1); a <b>Markov chain of order
k</b> p(x<sub>i</sub> | x<sub>i−k</sub>, …, x<sub>i−1</sub>) needs about
n(K − 1)K<sup>k</sup>; <b>FVSBN</b> makes each conditional a logistic regression
on all earlier pixels, n(n + 1)/2; <b>NADE</b> shares one hidden layer across the
conditionals, 2nH + n + H; <b>MADE</b> masks an autoencoder. The convolutional
and recurrent models share their weights across positions: their counts do not
grow with n at all.</p>
<p>A network's <b>output head</b> gives P numbers per pixel: one logit for a
binary pixel, K logits for a softmax over K levels, and 3M for a mixture of M
components (a weight, a location and a scale each; the RNADE and MADE MoG
conditionals). Only the layers that produce them grow with P.</p>""",
)

#: The largest model *Verify* builds (float32 weights: 4 bytes each).
MAX_BUILD = 2**25

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def abbreviate(value: int | counting.Magnitude) -> str:
    """Exact with separators up to 12 digits, else d.ddd × 10ᵉ (N digits).

    The mantissa is rounded, the number of digits exact:
    ``abbreviate(2**784 - 1)`` is ``"1.017 × 10²³⁶ (237 digits)"``.
    """
    magnitude = (
        value
        if isinstance(value, counting.Magnitude)
        else (counting.Magnitude.of(value))
    )
    if magnitude.exact is not None and magnitude.digits <= 12:
        return f"{magnitude.exact:,}"
    mantissa, exponent = magnitude.scientific(4)
    power = str(exponent).translate(_SUPERSCRIPT)
    return QCoreApplication.translate(
        "CounterPanel", "{mantissa} × 10{power} ({digits} digits)"
    ).format(mantissa=mantissa, power=power, digits=f"{magnitude.digits:,}")


def _every_digit(magnitude: counting.Magnitude) -> str:
    """The exact integer with separators, or why it is not shown."""
    digits = f"{magnitude.digits:,}"
    if magnitude.printable():
        return QCoreApplication.translate(
            "CounterPanel", "= {exact}\n({digits} digits)"
        ).format(exact=f"{magnitude.exact:,}", digits=digits)
    mantissa, exponent = magnitude.scientific(12)
    return QCoreApplication.translate(
        "CounterPanel",
        "≈ {mantissa} × 10^{exponent}\n({digits} digits: too many to show each "
        "one; the exact digits are shown up to {limit})",
    ).format(
        mantissa=mantissa,
        exponent=exponent,
        digits=digits,
        limit=f"{counting.MAX_EXACT_DIGITS:,}",
    )


@dataclass(frozen=True)
class Verification:
    """How *Verify* builds a structure: a model kind and its settings.

    ``note`` says what the model is when it is not the structure's own (the
    fully dependent joint is built as a Markov chain of order n − 1); a
    :class:`~models.text.Phrase` whose template the panel translates.
    """

    kind: str
    settings: dict[str, Any]
    note: str = ""


#: The heads the form offers: (likelihood, title). At K = 2 the softmax is the
#: binary models' one logit (Bernoulli).
HEADS = (
    ("categorical", QT_TRANSLATE_NOOP("CounterPanel", "softmax over K")),
    ("logistic_mixture", QT_TRANSLATE_NOOP("CounterPanel", "logistic mixture")),
    ("gaussian_mixture", QT_TRANSLATE_NOOP("CounterPanel", "Gaussian mixture")),
)

#: The full joint's note under *Verify*: how the library builds it.
_JOINT_NOTE = QT_TRANSLATE_NOOP(
    "CounterPanel",
    "built as a Markov chain of order {order} (= n − 1): the chain rule with a "
    "full table for every pixel",
)


@dataclass(frozen=True)
class PixelHead:
    """What a network outputs for one pixel: the pixel likelihood's parameters.

    Attributes
    ----------
    likelihood, levels, components
        As a model's config records them; ``categorical`` with K = 2 is given
        as ``bernoulli``, the binary models' one logit.
    """

    likelihood: str
    levels: int
    components: int

    @classmethod
    def of(cls, head: str, levels: int, components: int) -> PixelHead:
        """The head ``head`` (a name from :data:`HEADS`) for K levels, M parts."""
        if head == "categorical" and levels == 2:
            head = "bernoulli"
        return cls(head, levels, components)

    @property
    def outputs(self) -> int:
        """P, the numbers the head gives per pixel."""
        return make_likelihood(self.likelihood, self.levels, self.components).channels

    def settings(self) -> dict[str, Any]:
        """The config settings that give a model this head."""
        out: dict[str, Any] = {"likelihood": self.likelihood, "levels": self.levels}
        if self.likelihood.endswith("_mixture"):
            out["components"] = self.components
        return out

    def describe(self) -> str:
        """P and where it comes from, e.g. ``P = 3M = 30 (M = 10 Gaussians)``.

        In the window's language.
        """
        m = self.components
        template = {
            "bernoulli": QCoreApplication.translate(
                "CounterPanel", "P = 1 (one logit: a binary pixel)"
            ),
            "categorical": QCoreApplication.translate(
                "CounterPanel", "P = K = {k} (a softmax over K levels)"
            ),
            "logistic_mixture": QCoreApplication.translate(
                "CounterPanel", "P = 3M = {p} (M = {m} discretized logistics)"
            ),
            "gaussian_mixture": QCoreApplication.translate(
                "CounterPanel", "P = 3M = {p} (M = {m} Gaussians)"
            ),
        }[self.likelihood]
        return template.format(k=self.levels, p=3 * m, m=m)


@dataclass(frozen=True)
class Structures:
    """The form's structures: counts as a function of n, and what is left out.

    Attributes
    ----------
    count
        n ↦ one :class:`~models.counting.ParameterCount` per row: the fully
        dependent joint, then each model kind with the head (its own closed
        form, with the kind and settings *Verify* builds).
    left_out
        The structures that cannot have the head (their :func:`short_name`,
        with the reason when a size refuses the head).
    slots
        Each row's place among all structures (its colour stays when rows
        before it are left out).
    """

    count: Callable[[int], list[_Count]]
    left_out: list[str]
    slots: list[int]


def structures(
    k: int,
    head: PixelHead,
    *,
    markov_order: int = 1,
    nade_hidden: int = 500,
    made_hidden: tuple[int, ...] = (500,),
    channels: int = 32,
) -> Structures:
    """The counter's rows for K levels and a pixel head.

    The structures (and their sizes) are :func:`models.counting.summary`'s;
    each model kind counts itself through ``parameter_count`` with the head's
    likelihood, so a row is exactly what the built model holds. A count needs
    only n, so a config is checked once (on one pixel) and counted at any n.

    Raises
    ------
    ARExplorerError
        For sizes the counts refuse (naming the size).
    """
    counting.check_size("K", k, 2, MAX_LEVELS)
    binary = counting.summary(
        1,
        markov_order=markov_order,
        nade_hidden=nade_hidden,
        made_hidden=made_hidden,
        channels=channels,
    )[1:]
    rows: list[tuple[str, dict[str, Any], ModelConfig]] = []
    left_out = []
    slots = [0]
    for slot, binary_count in enumerate(binary, start=1):
        assert binary_count.kind is not None
        kind = model_class(binary_count.kind)
        settings = {**dict(binary_count.settings), **head.settings()}
        label = short_name(binary_count.name)
        if head.likelihood not in kind.config_class.supported_likelihoods:
            left_out.append(label)
            continue
        try:
            config = kind.config_class(image_shape=(1, 1), **settings)
        except ARExplorerError as exc:
            left_out.append(Phrase("{name} ({problem})", name=label, problem=str(exc)))
            continue
        rows.append((binary_count.kind, settings, config))
        slots.append(slot)

    def count_at(n: int) -> list[_Count]:
        counts = [counting.full_joint(n, k)]
        for kind, settings, config in rows:
            at_n = copy.copy(config)
            at_n.image_shape = (1, n)  # counted, never built: any n
            counts.append(
                dataclasses.replace(
                    model_class(kind).parameter_count(at_n),
                    kind=kind,
                    settings=tuple(settings.items()),
                )
            )
        return counts

    return Structures(count_at, left_out, slots)


def short_name(name: str) -> str:
    """A structure's name without its sizes: ``"NADE (H = 500)"`` → ``"NADE"``.

    A :class:`~models.text.Phrase` stays one (its template cut the same way),
    so the window can still translate it with
    :func:`~desktop_app.words.library_text`.
    """
    if isinstance(name, Phrase):
        return Phrase(name.template.split(" (")[0], **name.values)
    return name.split(" (")[0]


_HEAD_NOUNS = {
    "bernoulli": QT_TRANSLATE_NOOP("CounterPanel", "a binary head"),
    "categorical": QT_TRANSLATE_NOOP("CounterPanel", "a softmax over K levels"),
    "logistic_mixture": QT_TRANSLATE_NOOP("CounterPanel", "a logistic mixture head"),
    "gaussian_mixture": QT_TRANSLATE_NOOP("CounterPanel", "a Gaussian mixture head"),
}

#: The settings' labels, in the form's order (names and symbols stay).
_FIELD_NAMES = (
    "H × W",
    QT_TRANSLATE_NOOP("CounterPanel", "K states"),
    QT_TRANSLATE_NOOP("CounterPanel", "pixel head"),
    QT_TRANSLATE_NOOP("CounterPanel", "channels"),
    QT_TRANSLATE_NOOP("CounterPanel", "Markov order k"),
    "NADE H",
    QT_TRANSLATE_NOOP("CounterPanel", "MADE hidden"),
)


class CounterPanel(FollowsLanguage, QWidget):
    """Counts side by side, the formula with numbers, a plot, a numel check.

    Signals
    -------
    status_message(str)
        A line for the status bar.
    """

    status_message = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, session: Session | None = None
    ) -> None:
        super().__init__(parent)
        self._session: Session | None = None
        self.concept = ConceptBox("", "", self)

        self.height_box = _spin(self, 1, 256, 28)
        self.width_box = _spin(self, 1, 256, 28)
        self.states_box = _spin(self, 2, MAX_LEVELS, 2)
        self.head_box = QComboBox(self)
        self.head_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name, title in HEADS:
            self.head_box.addItem(title, name)
        self.components_box = spin_box(
            self, 1, MAX_COMPONENTS, 10, "", width=60, track_keys=False
        )
        self.components_box.setEnabled(False)
        self.order_box = _spin(self, 1, 64, 1)
        self.hidden_box = _spin(self, 1, 100_000, 500)
        self.made_box = QLineEdit("500", self)
        self.made_box.setMaximumWidth(120)
        self.channels_box = _spin(self, 1, 1024, 32)
        self.form = form = QGridLayout()
        form.setHorizontalSpacing(8)
        self._fields: list[tuple[QLabel, QWidget]] = []
        for widget in (
            self._pair(self.height_box, self.width_box),
            self.states_box,
            self._pair(self.head_box, self.components_box, "M"),
            self.channels_box,
            self.order_box,
            self.hidden_box,
            self.made_box,
        ):
            label = QLabel(self)
            label.setBuddy(widget)
            self._fields.append((label, widget))

        self.table = _CountTable(self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.setMinimumSectionSize(self.fontMetrics().height() + 4)

        self.detail = QPlainTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setFont(QFont("monospace"))
        self.verify_button = push_button(self, "", "")
        self.verify_busy = BusyIndicator("", self)
        self.verify_label = QLabel(self)
        self.verify_label.setWordWrap(True)
        self.verify_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.verifier = LatestOnly(self)
        self.verify_busy.follow(self.verifier)
        self.plotter = LatestOnly(self)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        palette = self.problem.palette()
        palette.setColor(QPalette.ColorRole.WindowText, colour("alarm"))
        self.problem.setPalette(palette)
        self.problem.hide()
        self.head_note = QLabel(self)
        self.head_note.setWordWrap(True)

        self.plot = pg.PlotWidget(self)
        self.plot.setLogMode(x=True, y=False)
        _decade_ticks(self.plot)
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setMinimumSize(240, 200)
        self.marker = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(PALETTE["ink"], style=Qt.PenStyle.DashLine),
            label="n = 784",
            labelOpts={"position": 0.95, "color": PALETTE["ink"], "fill": "w"},
        )
        self.plot.addItem(self.marker)
        self.legend = FlowLegend(self)

        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verify_button)
        verify_row.addStretch(1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addLayout(verify_row)
        lower_layout.addWidget(self.verify_busy)
        lower_layout.addWidget(self.verify_label)
        left = QSplitter(Qt.Orientation.Vertical, self)
        left.addWidget(self.table)
        left.addWidget(lower)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)
        row_height = self.fontMetrics().height() + 8
        shown = len(self._structures((500,)).count(4))
        left.setSizes([(shown + 2) * row_height, 160])
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.plot, 1)
        right_layout.addWidget(self.legend)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.concept)
        form_row = QHBoxLayout()
        form_row.addLayout(form)
        form_row.addStretch(1)
        layout.addLayout(form_row)
        layout.addWidget(self.head_note)
        # the reason takes the counts' place (and their room) while shown
        layout.addWidget(self.problem, 0, Qt.AlignmentFlag.AlignTop)
        self.tradeoff = TradeoffChart(self)
        self.tradeoff_status = QLabel(self)
        self.tradeoff_status.setWordWrap(True)
        self.tradeoff_busy = BusyIndicator("", self)
        self.tradeoff_loader = LatestOnly(self)
        self.regenerator = LatestOnly(self)
        self.tradeoff_busy.follow(self.regenerator)
        page = QWidget(self)
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.tradeoff, 1)
        page_layout.addWidget(self.tradeoff_busy)
        page_layout.addWidget(self.tradeoff_status)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.splitter, "")
        self.tabs.addTab(page, "")
        layout.addWidget(self.tabs, 1)
        self.tradeoff.point_clicked.connect(self._on_point_clicked)

        self._counts: list[counting.ParameterCount] = []
        self._slots: list[int] = []
        # what the state-dependent texts say, kept to say it again in another
        # language: the verdict and the trade-off status as functions that
        # render them now, why there are no counts, what the head leaves out
        self._verdict: Callable[[], str] = str
        self._tradeoff_text: Callable[[], str] = str
        self._refusal: str | None = None
        self._left_out: list[str] = []
        self._curves: _Curves | None = None
        for box in (
            self.height_box,
            self.width_box,
            self.states_box,
            self.order_box,
            self.hidden_box,
            self.channels_box,
            self.components_box,
        ):
            box.valueChanged.connect(self._on_settings_changed)
        self.head_box.currentIndexChanged.connect(self._on_settings_changed)
        self.made_box.editingFinished.connect(self._on_settings_changed)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.verify_button.clicked.connect(lambda: self.verify_selected())
        self._on_settings_changed()
        self.table.selectRow(0)
        theme().follow(self, lambda panel: panel._on_zoom())
        self.retranslate()
        if session is not None:
            self.set_session(session)

    # -- language ------------------------------------------------------------------

    def retranslate(self) -> None:
        """Set every text the panel shows in the current language.

        The state stays (settings, counts, selected row, tab, verdict); the
        texts that depend on it are rendered from it again.
        """
        self.concept.set_texts(self.tr("Why count parameters?"), self.tr(CONCEPT))
        for box, tip in (
            (self.height_box, self.tr("Image height H (pixels)")),
            (self.width_box, self.tr("Image width W (pixels)")),
            (self.states_box, self.tr("K, the number of values a pixel takes")),
            (self.components_box, self.tr("M, the components of a mixture head")),
            (
                self.order_box,
                self.tr("k, how many previous pixels a Markov chain sees"),
            ),
            (self.hidden_box, self.tr("H, NADE's hidden units")),
            (self.channels_box, self.tr("Feature maps of the spatial models")),
            (
                self.made_box,
                self.tr("MADE's hidden layer widths, comma-separated, e.g. 500,500"),
            ),
        ):
            box.setToolTip(tip)
        for index, (_, title) in enumerate(HEADS):
            self.head_box.setItemText(index, self.tr(title))
        self.head_box.setToolTip(
            self.tr(
                "What a network outputs per pixel: K logits (one when K = 2), or "
                "3M numbers for a mixture of M components"
            )
        )
        for (label, _), name in zip(self._fields, _FIELD_NAMES, strict=True):
            label.setText(self.tr(name))
        self.table.setHorizontalHeaderLabels(
            [self.tr("structure"), self.tr("parameters"), self.tr("formula")]
        )
        self.table.setToolTip(
            self.tr("Select a structure to see its exact count, formula and check")
        )
        self.detail.setToolTip(
            self.tr("The exact count of the selected structure, every digit")
        )
        self.verify_button.setText(self.tr("Verify with the real model"))
        self.verify_button.setToolTip(
            self.tr(
                "Build the torch model of the selected structure and count its "
                "parameters"
            )
        )
        self.verify_busy.set_text(self.tr("building the model …"))
        self.problem.setToolTip(self.tr("Why no counts are shown"))
        self.head_note.setToolTip(self.tr("What P, the head's numbers per pixel, is"))
        self.plot.setLabel("bottom", self.tr("n, the number of pixels (log scale)"))
        self.plot.setLabel("left", self.tr("log₁₀ parameters (6 = a million)"))
        self.plot.setToolTip(self.tr("Parameter count against n, both on log scales"))
        self.legend.setToolTip(self.tr("Each structure's line in the plot"))
        style_plot(self.plot)
        self.tabs.setTabText(0, self.tr("Counts"))
        self.tabs.setTabText(1, self.tr("Parameters against fit"))
        self.tabs.setTabToolTip(
            1,
            self.tr(
                "Every model shipped on binarized MNIST: parameters against "
                "validation NLL"
            ),
        )
        self.tradeoff_busy.set_text(self.tr("fitting by counting …"))
        self.tradeoff_status.setText(self._tradeoff_text())
        # the state's texts, rendered again
        if self._refusal is not None:
            self._show_refusal()
        else:
            self._show_head_note(self.head(), self._left_out)
        with QSignalBlocker(self.table):  # the same row stays selected
            self._fill_table()
        self._fit_table()
        self._show_detail()
        self.verify_label.setText(self._verdict())
        if self._curves is not None:
            self._draw_curves(self._curves)
        self._on_zoom()  # the labels' widths changed

    # -- parameters against fit ---------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Find the window's session, if none was given, on first show."""
        super().showEvent(event)
        if self._session is None:
            from desktop_app.session import Session

            found = getattr(self.window(), "session", None)
            if isinstance(found, Session):
                self.set_session(found)

    def set_session(self, session: Session) -> None:
        """Link the chart's points to ``session``'s library, and keep them fresh."""
        self._session = session
        session.library_changed.connect(self._load_points)
        self._load_points()

    def _load_points(self) -> None:
        """Read the chart's points off the GUI thread (every checkpoint's header)."""
        session = self._session
        if session is None:
            return
        library = session.library

        def job(stale: Any) -> tuple[list[TradeoffPoint], counting.ParameterCount]:
            return tradeoff_points(library), full_joint()

        def shown(result: tuple[list[TradeoffPoint], counting.ParameterCount]) -> None:
            self.tradeoff.set_points(*result)

        def failed(exc: BaseException) -> None:
            self._set_tradeoff_status(
                lambda: self.tr("The chart cannot be drawn: {problem}").format(
                    problem=exc
                )
            )

        self.tradeoff_loader.submit(job, shown, failed)

    def _set_tradeoff_status(self, render: Callable[[], str]) -> str:
        """Show the trade-off tab's status line; ``render`` says it again later."""
        self._tradeoff_text = render
        text = render()
        self.tradeoff_status.setText(text)
        return text

    def _on_point_clicked(self, point: TradeoffPoint) -> None:
        """Load the point's model, or offer to regenerate it."""
        session = self._session
        if session is None:
            return
        if point.path is not None:
            session.select_in_background(point.path)
            text = self._set_tradeoff_status(
                lambda: self.tr("Loading {name} …").format(name=point.name)
            )
            self.status_message.emit(text)
            return
        model = next((m for m in COUNTED if m.name == point.name), None)
        if model is None:
            return
        size = _bytes(4 * point.num_parameters)
        if not binarized_mnist_found():
            QMessageBox.information(
                self,
                self.tr("Not shipped"),
                self.tr(
                    "{name} is not shipped: its table has {params} parameters "
                    "({size}). It is fitted by counting on binarized MNIST, which "
                    "was not found on this computer. With the data, this command "
                    "makes it in seconds:\n\n{command}"
                ).format(
                    name=point.name,
                    params=f"{point.num_parameters:,}",
                    size=size,
                    command=model.command,
                ),
            )
            return
        answer = QMessageBox.question(
            self,
            self.tr("Regenerate {name}?").format(name=point.name),
            self.tr(
                "{name} is not shipped: its table has {params} parameters "
                "({size}). Fit it now by counting on binarized MNIST (seconds) "
                "and save it in your library?"
            ).format(name=point.name, params=f"{point.num_parameters:,}", size=size),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        out = session.library.run_path(model.name)

        def job(stale: Any) -> CountedRun:
            return make_counted(model.kind, model.settings, out, name=model.name)

        def done(run: CountedRun) -> None:
            text = self._set_tradeoff_status(
                lambda: self.tr(
                    "Made {name} by counting in {seconds} s: validation NLL {nll} nats"
                ).format(
                    name=model.name,
                    seconds=f"{run.seconds:.1f}",
                    nll=f"{run.valid_nll:.2f}",
                )
            )
            self.status_message.emit(text)
            session.refresh()
            session.select_in_background(run.path)

        def failed(exc: BaseException) -> None:
            self._set_tradeoff_status(
                lambda: self.tr("{name} could not be made: {problem}").format(
                    name=model.name, problem=exc
                )
            )

        self.regenerator.submit(job, done, failed)

    def _pair(self, a: QWidget, b: QWidget, between: str = "×") -> QWidget:
        pair = QWidget(self)
        layout = QHBoxLayout(pair)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(a)
        label = QLabel(between, pair)
        label.setBuddy(b)
        layout.addWidget(label)
        layout.addWidget(b)
        layout.addStretch(1)  # kept together when the column is wider
        return pair

    # -- state ---------------------------------------------------------------------

    def image_shape(self) -> tuple[int, int]:
        """The (H, W) set in the form."""
        return self.height_box.value(), self.width_box.value()

    def head(self) -> PixelHead:
        """The pixel head set in the form."""
        return PixelHead.of(
            str(self.head_box.currentData()),
            self.states_box.value(),
            self.components_box.value(),
        )

    def _structures(self, hidden: tuple[int, ...]) -> Structures:
        """The form's structures (reads the form now, not later)."""
        return structures(
            self.states_box.value(),
            self.head(),
            markov_order=self.order_box.value(),
            nade_hidden=self.hidden_box.value(),
            made_hidden=hidden,
            channels=self.channels_box.value(),
        )

    def counts(self) -> list[counting.ParameterCount]:
        """The counts shown, one per table row."""
        return list(self._counts)

    def _on_settings_changed(self) -> None:
        h, w = self.image_shape()
        try:
            hidden = counting.parse_sizes(self.made_box.text())
        except ARExplorerError as exc:
            self.made_box.setStyleSheet("background: #fdd")
            self._refuse(str(exc))
            return
        self.made_box.setStyleSheet("")
        head = self.head()
        self.components_box.setEnabled(head.likelihood.endswith("_mixture"))
        try:
            found = self._structures(hidden)
            counts = found.count(h * w)
        except ARExplorerError as exc:
            self._refuse(str(exc))
            return
        self._show_head_note(head, found.left_out)
        if self.problem.isVisibleTo(self):  # the reason no longer holds
            self.status_message.emit("")
        self._refusal = None
        self.problem.hide()
        self._layout.setStretchFactor(self.problem, 0)
        self.splitter.show()
        selected = max(0, self.table.currentRow())
        self._slots = found.slots
        self.set_counts(counts)
        self.table.selectRow(min(selected, self.table.rowCount() - 1))
        self._update_plot(h * w, found.count, found.slots)

    def _show_head_note(self, head: PixelHead, left_out: list[str]) -> None:
        """Say what P is, and which structures cannot have this head."""
        self._left_out = left_out
        if head.likelihood == "bernoulli":
            self.head_note.hide()
            return
        text = self.tr("Networks' head: {head} per pixel.").format(head=head.describe())
        if left_out:
            text += " " + self.tr("Not built with {head}: {names}.").format(
                head=self.tr(_HEAD_NOUNS[head.likelihood]),
                names=", ".join(library_text(name) for name in left_out),
            )
        self.head_note.setText(text)
        self.head_note.show()

    def _refuse(self, reason: str) -> None:
        """Show why there are no counts, and none of the last settings' counts."""
        self.verifier.cancel()
        self.plotter.cancel()
        self.head_note.hide()
        self.set_counts([])
        self.plot.clear()
        self._curves = None
        self.legend.set_entries([])
        self.splitter.hide()
        self._refusal = reason
        self._show_refusal()
        self.problem.show()
        self._layout.setStretchFactor(self.problem, 1)
        self.status_message.emit(reason)

    def _show_refusal(self) -> None:
        """Say why there are no counts (the reason is the library's, in English)."""
        self.problem.setText(
            self.tr("No counts: {reason}.").format(reason=self._refusal)
        )

    def set_counts(self, counts: list[counting.ParameterCount]) -> None:
        """Show ``counts``, one row per structure."""
        self._counts = counts
        self.table.setRowCount(len(counts))
        self._fill_table()
        self._fit_table()
        self._on_selection_changed()

    def _fill_table(self) -> None:
        """The counts' rows, in the current language."""
        for row, count in enumerate(self._counts):
            value = QTableWidgetItem(abbreviate(count.magnitude))
            value.setToolTip(_every_digit(count.magnitude))
            value.setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
            title = library_text(count.name)
            name = QTableWidgetItem(title)
            name.setForeground(QColor(*self._colour(row)))
            name.setToolTip(title)
            formula = QTableWidgetItem(count.formula)
            formula.setToolTip(f"{count.formula} = {count.substituted}")
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, value)
            self.table.setItem(row, 2, formula)

    def _colour(self, row: int) -> tuple[int, ...]:
        """A row's colour: its structure's, whatever rows are left out."""
        slot = self._slots[row] if row < len(self._slots) else row
        return tuple(SERIES[slot % len(SERIES)])

    def _fit_table(self) -> None:
        """Room for every count, a part of each name and of each formula."""
        header = self.table.horizontalHeader()
        counts = max(
            self.table.sizeHintForColumn(1), header.sectionSizeFromContents(1).width()
        )
        scroll = self.table.verticalScrollBar().sizeHint().width()
        frame = 2 * self.table.frameWidth()
        self.table.setMinimumWidth(counts + 2 * NARROW + scroll + frame)
        self.table.fit_columns()

    def _on_zoom(self) -> None:
        """Lay the settings out in four columns, or two when text is large."""
        columns = 4 if theme().zoom <= 1.15 else 2
        for label, widget in self._fields:
            self.form.removeWidget(label)
            self.form.removeWidget(widget)
        for i, (label, widget) in enumerate(self._fields):
            row, col = divmod(i, columns)
            self.form.addWidget(label, row, 2 * col, Qt.AlignmentFlag.AlignRight)
            self.form.addWidget(widget, row, 2 * col + 1)
        if self._counts:
            self._fit_table()

    # -- verification ----------------------------------------------------------------

    def _selected(self) -> counting.ParameterCount | None:
        row = self.table.currentRow()
        return self._counts[row] if 0 <= row < len(self._counts) else None

    def verification(
        self, count: counting.ParameterCount
    ) -> tuple[Verification | None, str]:
        """How *Verify* would build ``count``'s model, or why it cannot."""
        n = math.prod(self.image_shape())
        k = self.states_box.value()
        if count.kind is not None:
            plan = Verification(count.kind, dict(count.settings))
        elif count == counting.full_joint(n, k):
            order = max(1, n - 1)
            longest = _longest_table(k)
            if order > longest:
                return None, self.tr(
                    "The fully dependent joint is a Markov chain of order n − 1 = "
                    "{order}: the chain rule with a full table for every pixel. "
                    "For K = {k} the library builds orders up to {longest}, so "
                    "this check works up to {pixels} pixels (try {shape})."
                ).format(
                    order=n - 1,
                    k=k,
                    longest=longest,
                    pixels=longest + 1,
                    shape=_shape_of(longest + 1),
                )
            plan = Verification(
                "markov",
                {"order": order, **PixelHead.of("categorical", k, 1).settings()},
                Phrase(_JOINT_NOTE, order=order),
            )
        else:
            return None, self.tr("No torch model of this structure.")
        exact = count.magnitude.exact
        if exact is None:
            return None, self.tr("{count} numbers: more than any memory holds.").format(
                count=abbreviate(count.magnitude)
            )
        if exact > MAX_BUILD:
            return None, self.tr(
                "{count} numbers would take {size} as float32: too large to build here."
            ).format(count=abbreviate(exact), size=_bytes(4 * exact))
        try:
            config_from_dict(
                plan.kind, {"image_shape": self.image_shape(), **plan.settings}
            )
        except ARExplorerError as exc:
            return None, self.tr("Cannot build it: {problem}").format(problem=exc)
        return plan, ""

    def _on_selection_changed(self) -> None:
        self.verifier.cancel()
        self._colour_verdict(None)
        self._show_detail()
        count = self._selected()
        if count is None:
            self.verify_button.setEnabled(False)
            self._set_verdict(str)
            return
        plan, _ = self.verification(count)
        self.verify_button.setEnabled(plan is not None)
        self._set_verdict(lambda: self.verification(count)[1])

    def _show_detail(self) -> None:
        """The selected structure's name, formula and every digit of its count."""
        count = self._selected()
        if count is None:
            self.detail.setPlainText("")
            return
        self.detail.setPlainText(
            f"{library_text(count.name)}\n{count.formula}\n= {count.substituted}\n"
            f"{_every_digit(count.magnitude)}"
        )

    def _set_verdict(self, render: Callable[[], str]) -> None:
        """Show *Verify*'s line; ``render`` says it again in another language."""
        self._verdict = render
        self.verify_label.setText(render())

    def verify_selected(self) -> bool:
        """Build the selected structure's torch model in the background.

        The verdict appears in :attr:`verify_label`. Returns False when the
        structure cannot be built (the label says why).
        """
        count = self._selected()
        if count is None:
            return False
        plan, _ = self.verification(count)
        if plan is None:
            self._set_verdict(lambda: self.verification(count)[1])
            return False
        shape = self.image_shape()
        self._colour_verdict(None)
        self._set_verdict(
            lambda: self.tr("building {name} for {h}×{w} …").format(
                name=library_text(count.name), h=shape[0], w=shape[1]
            )
        )

        def build(stale: Any) -> tuple[str, int]:
            model = create(plan.kind, shape, **plan.settings)
            return type(model).__name__, model.num_parameters()

        self.verifier.submit(
            build,
            lambda result: self._show_verified(count, plan, *result),
            lambda exc: self._show_unverified(exc),
        )
        return True

    def _show_verified(
        self, count: counting.ParameterCount, plan: Verification, name: str, numel: int
    ) -> None:
        match = numel == count.value

        def render() -> str:
            mark = self.tr("✓ equal") if match else self.tr("✗ DIFFERENT")
            said = plan.note
            if isinstance(said, Phrase):
                said = self.tr(said.template).format(**said.values)
            note = f" ({said})" if said else ""
            return self.tr(
                "formula: {substituted} = {value}\n"
                "torch: sum(p.numel() for p in {name}.parameters()) = {numel}"
                "{note}  {mark}"
            ).format(
                substituted=count.substituted,
                value=f"{count.value:,}",
                name=name,
                numel=f"{numel:,}",
                note=note,
                mark=mark,
            )

        self._set_verdict(render)
        self._colour_verdict("good" if match else "alarm")
        self.status_message.emit(
            self.tr("{name}: torch counts {numel}, the formula {value}").format(
                name=library_text(count.name),
                numel=f"{numel:,}",
                value=f"{count.value:,}",
            )
        )

    def _show_unverified(self, exc: BaseException) -> None:
        self._set_verdict(
            lambda: self.tr("Cannot build it: {problem}").format(problem=exc)
        )
        self._colour_verdict("alarm")

    def _colour_verdict(self, name: str | None) -> None:
        """Colour the verdict (a palette, not a style sheet: fonts follow zoom)."""
        palette = self.palette()
        if name is not None:
            palette.setColor(QPalette.ColorRole.WindowText, colour(name))
        self.verify_label.setPalette(palette)

    # -- plot ----------------------------------------------------------------------

    def _update_plot(
        self, n: int, summary: Callable[[int], list[_Count]], slots: list[int]
    ) -> None:
        """Count every structure at 120 values of n (in the background), then draw.

        The marker moves at once; the lines follow when the counts arrive (a
        newer change drops an older plot's counts).
        """
        self.marker.setValue(math.log10(n))
        self.marker.label.setFormat(f"n = {n:,}")
        self.plotter.submit(
            lambda stale: _curves(n, summary, slots, stale), self._draw_curves
        )

    def _draw_curves(self, curves: _Curves) -> None:
        self._curves = curves
        self.plot.clear()
        self.plot.addItem(self.marker)
        xs = curves.xs
        lines: list[list[float]] = []
        entries = []
        names = [library_text(name) for name in curves.names]
        for row, (name, ys) in enumerate(zip(names, curves.ys, strict=True)):
            colour = SERIES[curves.slots[row] % len(SERIES)]
            same = next(
                (i for i, other in enumerate(lines) if np.allclose(other, ys)), None
            )
            if same is None:
                pen = pg.mkPen(colour, width=3)
                self.plot.plot(xs, ys, pen=pen, name=name)
                entries.append(LegendEntry(name, colour))
            else:  # on top of an earlier line: dashed, with markers, still visible
                pen = pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine)
                step = max(1, len(xs) // 12)
                self.plot.plot(xs, ys, pen=pen, name=name)
                self.plot.plot(
                    xs[step // 2 :: step],
                    ys[step // 2 :: step],
                    pen=None,
                    symbol="o",
                    symbolSize=7,
                    symbolBrush=colour,
                    symbolPen=pg.mkPen(colour),
                )
                other = names[same]
                entries.append(
                    LegendEntry(f"{name} (= {other})", colour, dashed=True, marker=True)
                )
            lines.append(ys)
        self.legend.set_entries(entries)
        # the other structures stay visible; the full joint leaves through the top
        others = [ys[-1] for ys in curves.ys[1:]]
        self.plot.setYRange(0, max([*others, 6.0]) * 1.6, padding=0)
        self.plot.setXRange(0, math.log10(curves.top), padding=0.02)


@dataclass(frozen=True)
class _Curves:
    """log₁₀ of each structure's count at n = ``xs`` (up to ``top`` = 2n).

    ``names`` are the structures' short names (in English: the plot translates
    them); ``slots`` gives each line its structure's colour.
    """

    top: int
    xs: np.ndarray
    names: list[str]
    ys: list[list[float]]
    slots: list[int]


def _curves(
    n: int,
    summary: Callable[[int], list[_Count]],
    slots: list[int],
    stale: Callable[[], bool],
) -> _Curves:
    """Every structure's count at 120 values of n from 1 to 2n (about 20 ms)."""
    top = max(64, 2 * n)
    xs = np.unique(np.geomspace(1, top, 120).astype(int))
    series = []
    for x in xs:
        if stale():
            raise InterruptedError
        series.append(summary(int(x)))
    names = [short_name(count.name) for count in series[-1]]
    ys = [[s[row].magnitude.log10() for s in series] for row in range(len(names))]
    return _Curves(top, xs, names, ys, slots)


#: The narrowest the name and formula columns get (they elide; counts never do).
NARROW = 70


class _CountTable(QTableWidget):
    """Structure, count, formula: counts always whole, never a horizontal scroll.

    The names get their full width when there is room and elide otherwise;
    the formula column takes what is left (the detail area shows it whole).
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 3, parent)

    def fit_columns(self) -> None:
        """Share the width: counts whole, then names, then formulas."""
        header = self.horizontalHeader()
        names = max(
            self.sizeHintForColumn(0), header.sectionSizeFromContents(0).width()
        )
        room = self.viewport().width() - header.sectionSize(1) - NARROW
        self.setColumnWidth(0, max(NARROW, min(names, room)))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Share the new width."""
        super().resizeEvent(event)
        self.fit_columns()


def _longest_table(levels: int) -> int:
    """The longest Markov window the library builds for K levels."""
    order = 1
    while order < MAX_ORDER and levels ** (order + 1) <= MAX_CONTEXTS:
        order += 1
    return order


def _shape_of(pixels: int) -> str:
    """A small image of at most ``pixels`` pixels, to suggest."""
    for h, w in ((3, 3), (2, 3), (2, 2)):
        if h * w <= pixels:
            return f"{h} × {w}"
    return f"1 × {pixels}"


def _bytes(size: int) -> str:
    """A size in bytes, readably."""
    if size < 10**15:
        for unit, scale in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6)):
            if size >= scale:
                return f"{size / scale:,.1f} {unit}"
        return QCoreApplication.translate("CounterPanel", "{size} bytes").format(
            size=f"{size:,}"
        )
    return QCoreApplication.translate("CounterPanel", "{size} bytes").format(
        size=abbreviate(size)
    )


def _decade_ticks(plot: pg.PlotWidget) -> None:
    """Label a log-scale x axis at whole decades first, and 2·10ᵏ … only if room.

    pyqtgraph picks its own major spacing; at some widths it chooses half a
    decade, and then labels every minor tick (1, 2, 3 … 2·10¹ …) on top of
    each other, since its first level is always drawn.
    """
    plot.getPlotItem().getAxis("bottom").setTickSpacing(major=1.0, minor=0.5)


def _spin(parent: QWidget, low: int, high: int, value: int) -> QSpinBox:
    """A settings box (its tooltip is set in the panel's ``retranslate``)."""
    return spin_box(parent, low, high, value, "", width=90, track_keys=False)
