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

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QLocale,
    QSettings,
    Qt,
    QThreadPool,
    QTimer,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QFontMetrics,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop_app import i18n
from desktop_app.panels.canvas import CanvasPanel
from desktop_app.panels.context import ContextPanel
from desktop_app.panels.counter import CounterPanel
from desktop_app.panels.features import FeaturesPanel
from desktop_app.panels.orderings import OrderingPanel
from desktop_app.panels.sampler import SamplerPanel
from desktop_app.panels.training import TrainingPanel
from desktop_app.session import Session
from desktop_app.theme import scaled_font, theme, use_hangul_fallback
from desktop_app.widgets.busy import BusyIndicator
from desktop_app.widgets.concept import ConceptBox
from desktop_app.widgets.drawer import Drawer
from desktop_app.widgets.language import FollowsLanguage
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
from models.text import QT_TRANSLATE_NOOP

__all__ = ["APP_NAME", "MainWindow", "run"]

APP_NAME = "AR Explorer"
#: The factorisation the About box shows (a formula: never translated).
FORMULA = "p(x) = Π<sub>i</sub> p(x<sub>i</sub> | x<sub>&lt;i</sub>)"
ORGANISATION = "AR Explorer"

#: (title, factory) of the panels, in the order of the course. The title is
#: "<number>  <name>"; the name is English, marked for translation under the
#: context "MainWindow" (:func:`panel_name` gives it in the current language).
PanelFactory = Callable[[Session], QWidget]
PanelT = TypeVar("PanelT", bound=QWidget)
_PANEL_FACTORIES: list[tuple[str, PanelFactory]] = [
    (
        QT_TRANSLATE_NOOP("MainWindow", "Parameter counter"),
        lambda s: CounterPanel(session=s),
    ),
    (QT_TRANSLATE_NOOP("MainWindow", "Orderings"), lambda s: OrderingPanel()),
    (QT_TRANSLATE_NOOP("MainWindow", "Training monitor"), TrainingPanel),
    (QT_TRANSLATE_NOOP("MainWindow", "Sample viewer"), SamplerPanel),
    (QT_TRANSLATE_NOOP("MainWindow", "Draw and score"), CanvasPanel),
    (QT_TRANSLATE_NOOP("MainWindow", "Context regions"), ContextPanel),
    (QT_TRANSLATE_NOOP("MainWindow", "What it learned"), FeaturesPanel),
]
PANELS: list[tuple[str, PanelFactory]] = [
    (f"{number}  {name}", factory)
    for number, (name, factory) in enumerate(_PANEL_FACTORIES, start=1)
]


def panel_name(index: int) -> str:
    """The name of panel ``index`` (0-based) in the current language."""
    return QCoreApplication.translate("MainWindow", _PANEL_FACTORIES[index][0])


def panel_title(index: int) -> str:
    """The side list's title of panel ``index``: its number and name."""
    return f"{index + 1}  {panel_name(index)}"


class MainWindow(FollowsLanguage, QMainWindow):
    """The top-level window: panels, current model, library, menus.

    Every text it shows is set in :meth:`retranslate`, which runs again when
    the language changes (View → Language), so switching keeps all work.
    """

    def __init__(
        self, session: Session | None = None, settings: QSettings | None = None
    ):
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.settings = settings or QSettings(ORGANISATION, APP_NAME)
        self.session = session or Session(Library(user_runs_dir(), bundled_dir()))

        self.nav = QListWidget(self)
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
        self.loading = BusyIndicator("", self)
        self.session.loading_changed.connect(self.loading.set_busy)
        toolbar = QToolBar(self)
        toolbar.setObjectName("model-toolbar")
        toolbar.setMovable(False)
        self.model_caption = QLabel(self)
        toolbar.addWidget(self.model_caption)
        toolbar.addWidget(self.model_label)
        toolbar.addWidget(self.loading)
        self.addToolBar(toolbar)
        self.toolbar = toolbar

        self.library_view = LibraryView(self.session, self)
        self.library_view.status_message.connect(self.show_message)
        self.library_drawer = Drawer("", self.library_view, central)
        self.library_view.used.connect(lambda: self.library_drawer.set_open(False))

        self.zoom_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._checkpoint: Checkpoint | None = None
        self._build_menus()
        theme().zoom_changed.connect(self._on_zoom_changed)
        self.session.model_changed.connect(self.set_model)
        self.set_model(self.session.checkpoint)
        self.retranslate()
        self._restore()
        self._warm_up: threading.Thread | None = None
        QTimer.singleShot(300, self._start_warm_up)

    # -- menus -----------------------------------------------------------------------

    def _action(
        self,
        menu: QMenu,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        """A menu action (its texts come from :meth:`retranslate`)."""
        action = QAction(self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # triggered(bool) would pass `checked` into a slot's first parameter
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.view_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        file_menu, view_menu = self.file_menu, self.view_menu
        self.open_checkpoint_action = self._action(
            file_menu, self.open_checkpoint, QKeySequence.StandardKey.Open
        )
        self.open_data_action = self._action(file_menu, self.open_data, "Ctrl+D")
        self.export_checkpoint_action = self._action(
            file_menu, self.library_view.export_selected
        )
        self.export_image_action = self._action(
            file_menu, self.export_panel_image, "Ctrl+E"
        )
        file_menu.addSeparator()
        self.quit_action = self._action(
            file_menu, self.close, QKeySequence.StandardKey.Quit
        )
        self.panel_actions = [
            self._action(
                view_menu,
                functools.partial(self.show_panel, index),
                f"Ctrl+{index + 1}",
            )
            for index in range(len(PANELS))
        ]
        view_menu.addSeparator()
        self.library_action = self._action(
            view_menu,
            lambda: self.library_drawer.set_open(self.library_action.isChecked()),
            "Ctrl+L",
        )
        self.library_action.setCheckable(True)
        self.library_drawer.opened_changed.connect(self.library_action.setChecked)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.library_action)
        self.explanations_action = self._action(
            view_menu, self._toggle_explanations, "F1"
        )
        self.explanations_action.setCheckable(True)
        self.explanations_action.setChecked(True)
        view_menu.addSeparator()
        self.zoom_in_action = self._action(
            view_menu, lambda: theme().step(+1), QKeySequence.StandardKey.ZoomIn
        )
        # Ctrl+= as well as Ctrl++: on most keyboards + needs Shift
        self.zoom_in_action.setShortcuts(
            [QKeySequence("Ctrl+="), QKeySequence(QKeySequence.StandardKey.ZoomIn)]
        )
        self.zoom_out_action = self._action(
            view_menu, lambda: theme().step(-1), QKeySequence.StandardKey.ZoomOut
        )
        self.zoom_reset_action = self._action(
            view_menu, lambda: theme().step(0), "Ctrl+0"
        )
        view_menu.addSeparator()
        self.language_menu = view_menu.addMenu("")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for language in i18n.LANGUAGES:
            action = QAction(self)
            action.setCheckable(True)
            action.setChecked(language == i18n.current_choice())
            # bind the language now; triggered(bool) passes `checked` first
            action.triggered.connect(
                functools.partial(
                    lambda lang, _checked=False: self.set_language(lang), language
                )
            )
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[language] = action
        self.concepts_action = self._action(self.help_menu, self.show_concepts)
        self.about_action = self._action(self.help_menu, self.show_about)

    def retranslate(self) -> None:
        """Set every text of the window in the current language."""
        self.nav.setToolTip(self.tr("The seven panels (Ctrl+1 … Ctrl+7)"))
        for index in range(len(PANELS)):
            item = self.nav.item(index)
            if item is not None:
                item.setText(panel_title(index))
        _fit_nav_width(self.nav)
        self.model_caption.setText(self.tr(" Model: "))
        self.model_label.setToolTip(
            self.tr("The model the sample, canvas and context panels use")
        )
        self.loading.set_text(self.tr("loading the model …"))
        self.toolbar.setWindowTitle(self.tr("Current model"))
        self.library_drawer.set_title(self.tr("Model library"))
        self.zoom_label.setToolTip(self.tr("Text size (View → Zoom in / out / reset)"))
        self.file_menu.setTitle(self.tr("&File"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.language_menu.setTitle(self.tr("Language"))
        texts: list[tuple[QAction, str, str]] = [
            (
                self.open_checkpoint_action,
                self.tr("Open checkpoint…"),
                self.tr("Import a checkpoint into the library and use it"),
            ),
            (
                self.open_data_action,
                self.tr("Open data…"),
                self.tr("Train on an .npz/.npy file or a folder of MNIST IDX files"),
            ),
            (
                self.export_checkpoint_action,
                self.tr("Export checkpoint…"),
                self.tr("Save a copy of the selected checkpoint"),
            ),
            (
                self.export_image_action,
                self.tr("Export panel image…"),
                self.tr("Save the current panel as a PNG"),
            ),
            (self.quit_action, self.tr("Quit"), ""),
            (
                self.library_action,
                self.tr("Model library"),
                self.tr(
                    "Show or hide the model library (bundled models and your runs)"
                ),
            ),
            (
                self.explanations_action,
                self.tr("Explanations"),
                self.tr("Show or hide each panel's explanation"),
            ),
            (
                self.zoom_in_action,
                self.tr("Zoom in"),
                self.tr("Larger text and plots, for a projector (presentation mode)"),
            ),
            (
                self.zoom_out_action,
                self.tr("Zoom out"),
                self.tr("Smaller text and plots"),
            ),
            (self.zoom_reset_action, self.tr("Reset zoom"), self.tr("Text at 100 %")),
            (self.concepts_action, self.tr("Concepts…"), ""),
            (self.about_action, self.tr("About {app}").format(app=APP_NAME), ""),
        ]
        texts += [
            (action, panel_name(index), "")
            for index, action in enumerate(self.panel_actions)
        ]
        for action, text, tip in texts:
            action.setText(text)
            action.setStatusTip(tip)
            action.setToolTip(tip or text.replace("&", ""))
        names = {"system": self.tr("System"), **i18n.LANGUAGE_NAMES}
        for language, action in self.language_actions.items():
            action.setText(names[language])
        self._show_model()
        self._on_zoom_changed(theme().zoom)

    def set_language(self, language: str) -> None:
        """Switch the interface to ``language`` (one of ``i18n.LANGUAGES``) now.

        Every widget sets its texts again; panels keep their state. The choice
        is remembered for the next launch.
        """
        app = QCoreApplication.instance()
        if app is None or language not in i18n.LANGUAGES:
            return
        i18n.install(app, language)
        i18n.save_language(self.settings, language)
        self.language_actions[language].setChecked(True)

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
        self._checkpoint = checkpoint
        loading = self.library_view.loading_message
        if checkpoint is not None and loading and self._message() == loading:
            self.statusBar().clearMessage()  # it has loaded: the toolbar says so
        self._show_model()
        if checkpoint is not None:
            self.settings.setValue("model", str(checkpoint.path))

    def _show_model(self) -> None:
        checkpoint = self._checkpoint
        if checkpoint is None:
            self.model_label.setText(
                self.tr("none — pick one in the library or train one")
            )
            self.setWindowTitle(APP_NAME)
            return
        locale = QLocale()
        model, record = checkpoint.model, mapping_of(checkpoint.metadata)
        name = text_of(checkpoint.name, checkpoint.path.stem, 80)
        data = text_of(mapping_of(record.get("data")).get("name"), "—", 60)
        nll = number_of(mapping_of(record.get("metrics")).get("valid_nll_nats"))
        nll_text = (
            "—"
            if nll is None
            else self.tr("{nll} nats").format(nll=locale.toString(nll, "f", 2))
        )
        self.model_label.setText(
            self.tr(
                "<b>{name}</b> · {kind} · {count} parameters · data {data} · "
                "valid NLL {nll}"
            ).format(
                name=html.escape(name),
                kind=html.escape(QCoreApplication.translate("models", model.title)),
                count=locale.toString(model.num_parameters()),
                data=html.escape(data),
                nll=nll_text,
            )
        )
        self.setWindowTitle(f"{name} — {APP_NAME}")

    def _message(self) -> str:
        return self.statusBar().currentMessage()

    def _start_warm_up(self) -> None:
        self._warm_up = warm_up_torch()

    def _toggle_explanations(self) -> None:
        shown = self.explanations_action.isChecked()
        for box in self.findChildren(ConceptBox):
            box.set_expanded(shown)

    def open_checkpoint(self) -> None:
        """Import a checkpoint file chosen by the user."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a checkpoint"),
            "",
            self.tr("Checkpoints (*.safetensors)"),
        )
        if path:
            self.library_view.import_file(Path(path))

    def _on_zoom_changed(self, factor: float) -> None:
        self.zoom_label.setText(
            self.tr("text {percent} %").format(percent=round(100 * factor))
        )
        self.settings.setValue("zoom", factor)

    def open_data(self) -> None:
        """Ask for a data file and offer it to the training monitor."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open data"),
            "",
            self.tr("Images (*.npz *.npy);;All files (*)"),
        )
        if path:
            self.open_data_path(path)

    def open_data_path(self, path: str) -> None:
        """Offer a data file (or IDX folder) to the training monitor and show it."""
        self.switch_to(TrainingPanel).add_data_path(path)

    def export_panel_image(self) -> None:
        """Save the current panel as a PNG."""
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export image"), "panel.png", self.tr("PNG (*.png)")
        )
        if path and not self.current_panel().grab().save(path):
            QMessageBox.warning(
                self,
                self.tr("Export"),
                self.tr("Could not write {path}").format(path=path),
            )

    def show_concepts(self) -> None:
        """Every panel's explanation in one dialog."""
        parts = [
            f"<h3>{panel_name(index)}</h3>{box.text.text()}"
            for index, panel in enumerate(self.panels)
            for box in panel.findChildren(ConceptBox)[:1]
        ]
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Concepts"))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText("".join(parts))
        box.exec()

    def show_about(self) -> None:
        """The About box."""
        about = self.tr(
            "<p>An explorer of autoregressive generative models of images: "
            "{formula}.</p>"
            "<p>Count the parameters a joint distribution needs, see pixel orderings, "
            "train NADE, MADE, PixelCNN, Row LSTM and Diagonal BiLSTM, watch a model "
            "draw a digit pixel by pixel, score your own drawing, and see what context "
            "each architecture can use.</p>"
            "<p>MNIST: Yann LeCun, Corinna Cortes, Christopher J. C. Burges "
            "(CC BY-SA 3.0).</p>"
        ).format(formula=FORMULA)
        QMessageBox.about(
            self,
            self.tr("About {app}").format(app=APP_NAME),
            f"<h3>{APP_NAME}</h3>{about}",
        )

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
            files = (
                self.tr("1 file")
                if len(unreadable) == 1
                else self.tr("{count} files").format(count=len(unreadable))
            )
            self.show_message(
                self.tr(
                    "{files} in the model library could not be read; "
                    "the library (Ctrl+L) shows them and why"
                ).format(files=files)
            )
        last = self.settings.value("model")
        # os.path.isfile: False (never an exception) for a name too long or odd
        if isinstance(last, str) and last and os.path.isfile(last):
            try:
                self.session.select(Path(last))
            except ARExplorerError as exc:
                self.show_message(
                    self.tr("could not reopen the last model: {detail}").format(
                        detail=exc
                    )
                )
        if self.session.checkpoint is None:
            try:
                self.session.select_default()
            except ARExplorerError as exc:
                self.show_message(
                    self.tr("could not open a model: {detail}").format(detail=exc)
                )

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
    titles = [panel_title(index) for index in range(len(PANELS))]
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


def _report_startup(window: MainWindow) -> None:
    """Once the event loop runs, the window is on screen: say so, with memory."""
    report = {
        "window_shown": True,
        "rss_mb": resident_mb(),
        "language": i18n.current_language(),
        "menus": [action.text() for action in window.menuBar().actions()],
    }
    print(json.dumps(report, ensure_ascii=False), flush=True)


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
    parser.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        help="the interface language for this launch: ko (한국어), en, or system "
        "(the system locale's); default: the one chosen in View → Language",
    )
    args, qt_args = parser.parse_known_args(list(argv)[1:])
    app = QApplication.instance() or QApplication(
        [argv[0] if argv else APP_NAME, *qt_args]
    )
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANISATION)
    QApplication.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
    use_hangul_fallback()
    settings = QSettings(ORGANISATION, APP_NAME)
    # --lang is for this launch; View → Language is remembered
    i18n.install(app, args.lang or i18n.saved_language(settings))
    configure_pool()
    window = MainWindow(settings=settings)
    tune_for_interaction()
    app.aboutToQuit.connect(window.shutdown)
    window.show()
    if args.report_startup:
        QTimer.singleShot(0, functools.partial(_report_startup, window))
    if args.quit_after is not None:  # closing the last window quits
        QTimer.singleShot(args.quit_after, window.close)
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run(sys.argv))
