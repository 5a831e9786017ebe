"""Background work for the panels, off the GUI thread.

:class:`LatestOnly` runs a function in the thread pool (superqt's
``create_worker``) and delivers its result on the GUI thread — but only the
newest one: when the user changes the input again, results of superseded work
are dropped (a generation counter), so a slow answer never overwrites a fresh
one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool
from superqt.utils import create_worker

__all__ = ["LatestOnly"]


class LatestOnly(QObject):
    """Run jobs in the background; keep only the newest job's result."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.generation = 0
        self._workers: set[Any] = set()

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
        self.generation += 1
        generation = self.generation

        def stale() -> bool:
            return generation != self.generation

        def run() -> Any:
            try:
                return job(stale)
            except InterruptedError:  # gave up because it went stale
                return None

        worker = create_worker(run, _start_thread=False)

        def returned(value: Any) -> None:
            if generation == self.generation:
                on_result(value)

        def errored(exc: BaseException) -> None:
            if generation == self.generation and on_error is not None:
                on_error(exc)

        def finished() -> None:
            self._workers.discard(worker)

        worker.returned.connect(returned)
        worker.errored.connect(errored)
        worker.finished.connect(finished)
        self._workers.add(worker)
        worker.start()

    def cancel(self) -> None:
        """Drop the results of everything running now."""
        self.generation += 1

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for running jobs to end (at shutdown); True if they did."""
        self.cancel()
        return bool(QThreadPool.globalInstance().waitForDone(msecs))


def warm_up_torch() -> threading.Thread:
    """Import, in the background, what torch loads on first use of an optimizer.

    Building the first Adam imports ``torch._dynamo`` — over a second of work
    that would otherwise stall the window when the user first starts training.
    Done once, soon after start-up, in a plain thread (no signals to deliver);
    the window joins it before it closes.
    """

    def load() -> None:
        import torch._dynamo  # noqa: F401

    thread = threading.Thread(target=load, name="torch-warm-up", daemon=True)
    thread.start()
    return thread
