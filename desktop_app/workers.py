"""Background work for the panels, off the GUI thread: one mechanism for the app.

Every job that can take longer than ~50 ms runs in Qt's global thread pool
through superqt's ``create_worker`` and reports back on the GUI thread:

- :class:`LatestOnly` runs a function and delivers its result — but only the
  newest one: when the user changes the input again, results of superseded
  work are dropped (a generation counter), so a slow answer never overwrites a
  fresh one. It says when it is busy (:attr:`LatestOnly.busy_changed`), which
  a :class:`desktop_app.widgets.busy.BusyIndicator` shows.
- :func:`stream` runs a long job that reports events as it goes (training):
  the job gets an ``emit`` function whose events arrive, in order, on the GUI
  thread.

The pool gets a few more threads than cores (:func:`configure_pool`), so a
long training run never queues the short jobs behind it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from superqt.utils import create_worker

from models.threads import torch_threads

__all__ = ["LatestOnly", "Stream", "configure_pool", "stream", "warm_up_torch"]

#: Threads in the pool: training, scoring, context, data, … side by side.
POOL_THREADS = 8


def configure_pool() -> None:
    """Give the global pool enough threads that no short job waits on a long one."""
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), POOL_THREADS))


class LatestOnly(QObject):
    """Run jobs in the background; keep only the newest job's result.

    Signals
    -------
    busy_changed(bool)
        True when the newest job starts, False when no job's result is awaited
        any more (it arrived, failed, or was cancelled).
    """

    busy_changed = Signal(bool)

    #: torch threads a job may use: one, so that a core stays free for the
    #: GUI thread (and for a training run) while the user waits on the job.
    THREADS = 1

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.generation = 0
        self._workers: set[Any] = set()
        self._busy = False

    def is_busy(self) -> bool:
        """Whether a result is still awaited."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    def submit(
        self,
        job: Callable[[Callable[[], bool]], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Start ``job(stale)``; call ``on_result`` with its value if still newest.

        ``stale()`` turns True once newer work is submitted or everything is
        cancelled: a long job should check it and give up early (by raising
        :class:`InterruptedError`, which is not an error here).
        """
        configure_pool()
        self.generation += 1
        generation = self.generation

        def stale() -> bool:
            return generation != self.generation

        def run() -> Any:
            try:
                with torch_threads(self.THREADS):
                    return job(stale)
            except InterruptedError:  # gave up because it went stale
                return None

        # errors go to on_error; superqt would otherwise re-raise them on the
        # GUI thread as an unhandled exception
        worker = create_worker(run, _start_thread=False, _ignore_errors=True)

        def returned(value: Any) -> None:
            if generation == self.generation:
                self._set_busy(False)
                on_result(value)

        def errored(exc: BaseException) -> None:
            if generation == self.generation:
                self._set_busy(False)
                if on_error is not None:
                    on_error(exc)

        def finished() -> None:
            self._workers.discard(worker)

        worker.returned.connect(returned)
        worker.errored.connect(errored)
        worker.finished.connect(finished)
        self._workers.add(worker)
        self._set_busy(True)
        worker.start()

    def cancel(self) -> None:
        """Drop the results of everything running now."""
        self.generation += 1
        self._set_busy(False)

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for running jobs to end (at shutdown); True if they did."""
        self.cancel()
        return bool(QThreadPool.globalInstance().waitForDone(msecs))


class Stream(QObject):
    """A long job in the pool whose events arrive in order on the GUI thread.

    Made by :func:`stream`. Signals: ``emitted(object)`` for each ``emit``,
    ``failed(BaseException)`` if the job raised, ``finished()`` at the end
    (after either).
    """

    emitted = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._done = threading.Event()
        self._worker: Any = None
        self._start_lock = threading.Lock()
        self._started = False
        self._abandoned = False

    def is_running(self) -> bool:
        """Whether the job has not ended yet."""
        return self._worker is not None and not self._done.is_set()

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Block until the job ends (at shutdown); True if it did.

        A job that has not started yet (the window closed in the same turn
        of the event loop that asked for it) never will: it is not waited for.
        """
        with self._start_lock:
            if not self._started:
                self._abandoned = True
                return True
        return self._done.wait(timeout_s)

    def _start(self) -> None:
        with self._start_lock:
            if self._abandoned:
                return
            self._started = True
        self._worker.start()


def stream(
    job: Callable[[Callable[[object], None]], object],
    parent: QObject | None = None,
) -> Stream:
    """Run ``job(emit)`` in the pool; each ``emit(x)`` arrives as ``Stream.emitted``.

    Connect to the returned object's signals, then the job starts at the next
    turn of the event loop (so no early event is missed).
    """
    configure_pool()
    channel = Stream(parent)

    def run() -> None:
        try:
            job(channel.emitted.emit)
        finally:
            channel._done.set()

    # errors go to Stream.failed, not re-raised on the GUI thread
    worker = create_worker(run, _start_thread=False, _ignore_errors=True)
    worker.errored.connect(channel.failed.emit)
    worker.finished.connect(channel.finished.emit)
    channel._worker = worker
    QTimer.singleShot(0, channel, channel._start)
    return channel


def warm_up_torch() -> threading.Thread:
    """Import, in the background, what torch loads on first use of an optimizer.

    Building the first Adam imports ``torch._dynamo`` — over a second of work
    that would otherwise stall the window when the user first starts training.
    Done once, soon after start-up, in a plain thread (no signals to deliver);
    the window joins it before it closes.

    What the import made (over 100,000 functions, tuples and type objects)
    lives as long as the process, so it is then moved out of the garbage
    collector's scans (``gc.freeze``), as :func:`desktop_app.app.tune_for_interaction`
    does for the start-up's objects. Left in, every full collection walked them
    all: 100–150 ms with the interpreter lock held, on whichever thread it
    happened, the GUI thread waiting (measured while switching models).
    """

    def load() -> None:
        import torch._dynamo  # noqa: F401

        gc.freeze()

    thread = threading.Thread(target=load, name="torch-warm-up", daemon=True)
    thread.start()
    return thread
