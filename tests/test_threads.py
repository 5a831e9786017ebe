"""Cross-thread signals carrying Python objects must not corrupt reference counts.

PySide6 6.12.0 aborts the interpreter ("deallocating True or False") when a
worker thread emits ``Signal(object)`` many times — exactly what the training
monitor does. The check runs in a subprocess, since the failure is a crash.
"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from dataclasses import dataclass
    from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, Signal

    app = QCoreApplication(sys.argv)
    N = 50_000

    @dataclass(frozen=True)
    class Event:
        step: int
        loss: float
        done: bool = False

    class Worker(QObject):
        progressed = Signal(object)
        finished = Signal()

        def run(self):
            for i in range(N):
                self.progressed.emit(Event(i, 0.5, i % 2 == 0))
            self.finished.emit()

    received = []
    worker, thread = Worker(), QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.progressed.connect(lambda event: received.append(event.step))
    worker.finished.connect(thread.quit)
    thread.start()
    while thread.isRunning() or len(received) < N:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    thread.wait()
    assert received == list(range(N)), "events lost or out of order"
    print("ok")
    """
)


def test_many_object_signals_from_a_worker_thread():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
