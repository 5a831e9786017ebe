"""The application object and the main window.

The window holds the seven panels behind a side list (Ctrl+1 … Ctrl+7), the
current model in the toolbar, the model library in a dock, menus, a status bar,
and remembers its geometry and last choices with ``QSettings``.
"""

from __future__ import annotations

import argparse
import functools
import gc
import html
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QFontMetrics, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop_app.panels.canvas import CanvasPanel
from desktop_app.panels.context import ContextPanel
from desktop_app.panels.counter import CounterPanel
from desktop_app.panels.features import FeaturesPanel
from desktop_app.panels.orderings import OrderingPanel
from desktop_app.panels.sampler import SamplerPanel
from desktop_app.panels.training import TrainingPanel
from desktop_app.session import Session
from desktop_app.theme import scaled_font, theme
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.drawer import Drawer
from desktop_app.widgets.library_view import LibraryView
from desktop_app.widgets.persist import restore_widgets, save_widgets
from desktop_app.workers import configure_pool, warm_up_torch
from models.checkpoint import Checkpoint
from models.errors import ARExplorerError
from models.library import (
    Library,
    bundled_dir,
    mapping_of,
    number_of,
    text_of,
    user_runs_dir,
)
from models.resources import resource_path

__all__ = ["APP_NAME", "MainWindow", "run"]

APP_NAME = "AR Explorer"
ORGANISATION = "AR Explorer"

#: (title, factory) of the panels, in the order of the course.
PanelFactory = Callable[[Session], QWidget]
PanelT = TypeVar("PanelT", bound=QWidget)
PANELS: list[tuple[str, PanelFactory]] = [
    ("1  Parameter counter", lambda session: CounterPanel()),
    ("2  Orderings", lambda session: OrderingPanel()),
    ("3  Training monitor", TrainingPanel),
    ("4  Sample viewer", SamplerPanel),
    ("5  Draw and score", CanvasPanel),
    ("6  Context regions", ContextPanel),
    ("7  What it learned", FeaturesPanel),
]

ABOUT = f"""<h3>{APP_NAME}</h3>
<p>An explorer of autoregressive generative models of images:
p(x) = Π<sub>i</sub> p(x<sub>i</sub> | x<sub>&lt;i</sub>).</p>
<p>Count the parameters a joint distribution needs, see pixel orderings, train
NADE, MADE, PixelCNN, Row LSTM and Diagonal BiLSTM, watch a model draw a digit
pixel by pixel, score your own drawing, and see what context each architecture
can use.</p>
<p>MNIST: Yann LeCun, Corinna Cortes, Christopher J. C. Burges (CC BY-SA 3.0).</p>"""


class MainWindow(QMainWindow):
    """The top-level window: panels, current model, library, menus."""

    def __init__(
        self, session: Session | None = None, settings: QSettings | None = None
    ):
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.settings = settings or QSettings(ORGANISATION, APP_NAME)
        self.session = session or Session(Library(user_runs_dir(), bundled_dir()))

        self.nav = QListWidget(self)
        self.nav.setToolTip("The seven panels (Ctrl+1 … Ctrl+7)")
        self.stack = QStackedWidget(self)
        self.panels: list[QWidget] = []
        for title, factory in PANELS:
            panel = factory(self.session)
            self.panels.append(panel)
            self.stack.addWidget(panel)
            self.nav.addItem(title)
            message = getattr(panel, "status_message", None)
            if message is not None:
                message.connect(self.show_message)
        theme().follow(self.nav, _fit_nav_width)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        # a message belongs to the panel it came from: don't carry it over
        self.nav.currentRowChanged.connect(lambda _: self.statusBar().clearMessage())

        self.model_label = QLabel(self)
        self.model_label.setToolTip(
            "The model the sample, canvas and context panels use"
        )
        self.loading = BusyIndicator("loading the model …", self)
        self.session.loading_changed.connect(self.loading.set_busy)
        toolbar = QToolBar("Current model", self)
        toolbar.setObjectName("model-toolbar")
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Model: ", self))
        toolbar.addWidget(self.model_label)
        toolbar.addWidget(self.loading)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        self.library_view = LibraryView(self.session, self)
        self.library_view.status_message.connect(self.show_message)
        self.library_drawer = Drawer("Model library", self.library_view, central)
        self.library_view.used.connect(lambda: self.library_drawer.set_open(False))

        self.zoom_label = QLabel(self)
        self.zoom_label.setToolTip("Text size (View → Zoom in / out / reset)")
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._build_menus()
        theme().zoom_changed.connect(self._on_zoom_changed)
        self.session.model_changed.connect(self.set_model)
        self.set_model(self.session.checkpoint)
        self._restore()
        self._warm_up: threading.Thread | None = None
        QTimer.singleShot(300, self._start_warm_up)

    # -- menus -----------------------------------------------------------------------

    def _action(
        self,
        menu_name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        menu = self._menus[menu_name]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip or text)
        # triggered(bool) would pass `checked` into a slot's first parameter
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {
            name: bar.addMenu(f"&{name}") for name in ("File", "View", "Help")
        }
        self._action(
            "File",
            "Open checkpoint…",
            self.open_checkpoint,
            QKeySequence.StandardKey.Open,
            "Import a checkpoint into the library and use it",
        )
        self._action(
            "File",
            "Open data…",
            self.open_data,
            "Ctrl+D",
            "Train on an .npz/.npy file or a folder of MNIST IDX files",
        )
        self._action(
            "File",
            "Export checkpoint…",
            self.library_view.export_selected,
            None,
            "Save a copy of the selected checkpoint",
        )
        self._action(
            "File",
            "Export panel image…",
            self.export_panel_image,
            "Ctrl+E",
            "Save the current panel as a PNG",
        )
        self._menus["File"].addSeparator()
        self._action("File", "Quit", self.close, QKeySequence.StandardKey.Quit)
        for index, (title, _) in enumerate(PANELS):
            self._action(
                "View",
                title.split("  ", 1)[1],
                functools.partial(self.show_panel, index),
                f"Ctrl+{index + 1}",
            )
        self._menus["View"].addSeparator()
        self.library_action = self._action(
            "View",
            "Model library",
            lambda: self.library_drawer.set_open(self.library_action.isChecked()),
            "Ctrl+L",
            "Show or hide the model library (bundled models and your runs)",
        )
        self.library_action.setCheckable(True)
        self.library_drawer.opened_changed.connect(self.library_action.setChecked)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.library_action)
        self.explanations_action = self._action(
            "View",
            "Explanations",
            self._toggle_explanations,
            "F1",
            "Show or hide each panel's explanation",
        )
        self.explanations_action.setCheckable(True)
        self.explanations_action.setChecked(True)
        self._menus["View"].addSeparator()
        self.zoom_in_action = self._action(
            "View",
            "Zoom in",
            lambda: theme().step(+1),
            QKeySequence.StandardKey.ZoomIn,
            "Larger text and plots, for a projector (presentation mode)",
        )
        # Ctrl+= as well as Ctrl++: on most keyboards + needs Shift
        self.zoom_in_action.setShortcuts(
            [QKeySequence("Ctrl+="), QKeySequence(QKeySequence.StandardKey.ZoomIn)]
        )
        self.zoom_out_action = self._action(
            "View",
            "Zoom out",
            lambda: theme().step(-1),
            QKeySequence.StandardKey.ZoomOut,
            "Smaller text and plots",
        )
        self.zoom_reset_action = self._action(
            "View", "Reset zoom", lambda: theme().step(0), "Ctrl+0", "Text at 100 %"
        )
        self._action("Help", "Concepts…", self.show_concepts, None)
        self._action("Help", f"About {APP_NAME}", self.show_about, None)

    # -- state -----------------------------------------------------------------------

    def show_message(self, text: str) -> None:
        """Put a message in the status bar."""
        self.statusBar().showMessage(text, 8000)

    def show_panel(self, index: int) -> None:
        """Switch to panel ``index`` (0-based)."""
        self.nav.setCurrentRow(index)

    def switch_to(self, cls: type[PanelT]) -> PanelT:
        """Switch to the panel of class ``cls`` and return it."""
        for index, panel in enumerate(self.panels):
            if isinstance(panel, cls):
                self.show_panel(index)
                return panel
        raise LookupError(f"no {cls.__name__} in the window")

    def current_panel(self) -> QWidget:
        """The panel on show."""
        return self.panels[self.stack.currentIndex()]

    def set_model(self, checkpoint: Checkpoint | None) -> None:
        """Show the current model in the toolbar and window title."""
        if checkpoint is None:
            self.model_label.setText("none — pick one in the library or train one")
            self.setWindowTitle(APP_NAME)
            return
        if self.statusBar().currentMessage().startswith("loading "):
            self.statusBar().clearMessage()  # it has loaded: the toolbar says so
        model, record = checkpoint.model, mapping_of(checkpoint.metadata)
        name = text_of(checkpoint.name, checkpoint.path.stem, 80)
        data = text_of(mapping_of(record.get("data")).get("name"), "—", 60)
        nll = number_of(mapping_of(record.get("metrics")).get("valid_nll_nats"))
        nll_text = "—" if nll is None else f"{nll:.2f} nats"
        self.model_label.setText(
            f"<b>{html.escape(name)}</b> · {model.title} · "
            f"{model.num_parameters():,} parameters · data {html.escape(data)} · "
            f"valid NLL {nll_text}"
        )
        self.setWindowTitle(f"{name} — {APP_NAME}")
        self.settings.setValue("model", str(checkpoint.path))

    def _start_warm_up(self) -> None:
        self._warm_up = warm_up_torch()

    def _toggle_explanations(self) -> None:
        shown = self.explanations_action.isChecked()
        for box in self.findChildren(ConceptBox):
            box.set_expanded(shown)

    def open_checkpoint(self) -> None:
        """Import a checkpoint file chosen by the user."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open a checkpoint", "", "Checkpoints (*.safetensors)"
        )
        if path:
            self.library_view.import_file(Path(path))

    def _on_zoom_changed(self, factor: float) -> None:
        self.zoom_label.setText(f"text {round(100 * factor)} %")
        self.settings.setValue("zoom", factor)

    def open_data(self) -> None:
        """Ask for a data file and offer it to the training monitor."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open data", "", "Images (*.npz *.npy);;All files (*)"
        )
        if path:
            self.open_data_path(path)

    def open_data_path(self, path: str) -> None:
        """Offer a data file (or IDX folder) to the training monitor and show it."""
        self.switch_to(TrainingPanel).add_data_path(path)

    def export_panel_image(self) -> None:
        """Save the current panel as a PNG."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Export image", "panel.png", "PNG (*.png)"
        )
        if path and not self.current_panel().grab().save(path):
            QMessageBox.warning(self, "Export", f"Could not write {path}")

    def show_concepts(self) -> None:
        """Every panel's explanation in one dialog."""
        parts = [
            f"<h3>{title.split('  ', 1)[1]}</h3>{box.text.text()}"
            for (title, _), panel in zip(PANELS, self.panels, strict=True)
            for box in panel.findChildren(ConceptBox)[:1]
        ]
        box = QMessageBox(self)
        box.setWindowTitle("Concepts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText("".join(parts))
        box.exec()

    def show_about(self) -> None:
        """The About box."""
        QMessageBox.about(self, f"About {APP_NAME}", ABOUT)

    def _restore(self) -> None:
        try:
            zoom = float(str(self.settings.value("zoom", 1.0)))
        except ValueError:
            zoom = 1.0
        theme().set_zoom(zoom)
        self._on_zoom_changed(theme().zoom)
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 860)
        for index, widget in enumerate(self.panels):
            remembered = getattr(widget, "remembered", None)
            if remembered:
                restore_widgets(self.settings, f"panel{index + 1}", remembered)
        panel = self.settings.value("panel", 0)
        self.show_panel(int(str(panel)) if str(panel).isdigit() else 0)
        unreadable = self.session.unreadable()
        if unreadable:
            files = "1 file" if len(unreadable) == 1 else f"{len(unreadable)} files"
            self.show_message(
                f"{files} in the model library could not be read; "
                "the library (Ctrl+L) shows them and why"
            )
        last = self.settings.value("model")
        # os.path.isfile: False (never an exception) for a name too long or odd
        if isinstance(last, str) and last and os.path.isfile(last):
            try:
                self.session.select(Path(last))
            except ARExplorerError as exc:
                self.show_message(f"could not reopen the last model: {exc}")
        if self.session.checkpoint is None:
            try:
                self.session.select_default()
            except ARExplorerError as exc:
                self.show_message(str(exc))

    def shutdown(self) -> None:
        """Stop and wait for all background work (idempotent).

        Runs when the window closes and when the application quits by any
        other path, so no worker outlives the objects it reports to.
        """
        for panel in self.panels:
            stop = getattr(panel, "shutdown", None)
            if stop is not None:
                stop()
        self.session.shutdown()
        if self._warm_up is not None:
            self._warm_up.join(timeout=30)
        QThreadPool.globalInstance().waitForDone(30_000)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop background work, remember the window, close."""
        self.shutdown()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("panel", self.stack.currentIndex())
        for index, widget in enumerate(self.panels):
            remembered = getattr(widget, "remembered", None)
            if remembered:
                save_widgets(self.settings, f"panel{index + 1}", remembered)
        event.accept()


def _fit_nav_width(nav: QListWidget) -> None:
    """Make the side list just wide enough for its titles at the current zoom."""
    metrics = QFontMetrics(scaled_font())
    titles = [title for title, _ in PANELS]
    nav.setFixedWidth(max(metrics.horizontalAdvance(t) for t in titles) + 36)


def tune_for_interaction() -> None:
    """Keep the GUI thread's waits short while background work runs Python.

    - The objects made at start-up live as long as the window: they are moved
      out of the garbage collector's scans (``gc.freeze``). A full collection
      holds every thread, the GUI thread included, while it scans them:
      200–300 ms pauses measured during context-region work without this.
    - Background jobs (scoring the held-out digits, normalising each one)
      hold the interpreter lock in 5 ms slices by default; 1 ms slices let the
      GUI thread in sooner (measured: the longest gap while switching models
      57 → 45 ms).

    Call once, after the window exists (the app does; benchmarks and display
    tests do as the app does).
    """
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(0.001)


def resident_mb() -> float:
    """Resident memory of the process in MB (Linux; NaN elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _report_startup() -> None:
    """Once the event loop runs, the window is on screen: say so, with memory."""
    print(json.dumps({"window_shown": True, "rss_mb": resident_mb()}), flush=True)


def run(argv: Sequence[str]) -> int:
    """Create the application, show the main window and run the event loop."""
    parser = argparse.ArgumentParser(prog="ar-explorer")
    parser.add_argument(
        "--quit-after",
        type=int,
        metavar="MS",
        help="quit after MS milliseconds (smoke tests)",
    )
    parser.add_argument(
        "--report-startup",
        action="store_true",
        help="print when the window is shown and its memory, as JSON (benchmarks)",
    )
    args, qt_args = parser.parse_known_args(list(argv)[1:])
    app = QApplication.instance() or QApplication(
        [argv[0] if argv else APP_NAME, *qt_args]
    )
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    QApplication.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
    configure_pool()
    window = MainWindow()
    tune_for_interaction()
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    if args.report_startup:
        QTimer.singleShot(0, _report_startup)
    if args.quit_after is not None:  # closing the last window quits
        QTimer.singleShot(args.quit_after, window.close)
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv))
