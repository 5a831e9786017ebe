"""Run ``ar-models`` commands in real processes under a memory cap, quickly.

A fork server: this process imports :mod:`models.cli` and everything it uses
(torch included) once, then runs each case in a forked child that

- caps its address space at the size it was forked with plus the case's
  budget (``RLIMIT_AS``), so an allocation the input does not justify fails
  there instead of eating the machine;
- writes its stdout and stderr to files, reads stdin from ``/dev/null``;
- runs ``models.cli.main(argv)`` with one torch thread and exits with its
  status, as the installed ``ar-models`` script would (an uncaught exception
  prints its traceback and exits 1; argparse's ``SystemExit`` keeps its code).

The parent runs a few children at a time, kills any that outlive their
deadline, and reports per case: exit status (negative: killed by that
signal), whether it timed out, seconds taken, peak resident memory, and what
it wrote.

Usage: ``python -m tests.hostile < request.json > results.json`` where the
request is ``{"workdir": DIR, "parallel": N, "cases": [CASE, ...]}`` and each
CASE is ``{"id", "argv", "cwd", "budget_mib", "timeout_s"}``. The threading
variables below must be set before numpy and torch load, which is why this
module sets them itself when run as a program.
"""

from __future__ import annotations

import os

if __name__ == "__main__":  # before numpy/torch start any thread pools
    for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_name] = "1"
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")

import json
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["SERVER_ENV", "proc_status_kib", "serve", "thread_count"]

#: Environment the server must start with (fork is only safe from one thread).
SERVER_ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MALLOC_ARENA_MAX": "2",
    "QT_QPA_PLATFORM": "offscreen",
}

_KEEP_CHARS = 20_000  # of each stream, per case
_POLL_S = 0.01


def proc_status_kib(field: str) -> int:
    """A ``VmSize``/``VmRSS``/… line of ``/proc/self/status``, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def thread_count() -> int:
    """Threads in this process (fork copies only the calling one)."""
    return len(os.listdir("/proc/self/task"))


def _preload() -> None:
    """Import what the commands import lazily, so children start warm."""
    import torch

    import models.checkpoint
    import models.cli
    import models.counting
    import models.data
    import models.evaluation
    import models.imageio
    import models.library
    import models.registry
    import models.trainer

    models.registry.available()  # registers every model kind
    # building an optimizer imports torch._dynamo (seconds): once, here
    torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])


def _child(case: dict[str, Any], out: Path, err: Path) -> None:
    """The forked child: cap memory, redirect, run the CLI, exit; never returns."""
    code = 1
    try:
        os.setpgid(0, 0)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, path in ((1, out), (2, err)):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        os.chdir(case["cwd"])
        base = Path(f"{out}.base")
        base.write_text(str(proc_status_kib("VmRSS")))
        limit = proc_status_kib("VmSize") * 1024 + int(case["budget_mib"]) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        import torch

        torch.set_num_threads(1)
        import models.cli

        try:
            status = models.cli.main(list(case["argv"]))
            code = status if isinstance(status, int) else 1
        except SystemExit as exc:  # argparse, or anything calling sys.exit
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:  # what the interpreter would print
            import traceback

            try:
                traceback.print_exc()
            except BaseException:
                os.write(2, b"Traceback (most recent call last): unprintable\n")
            code = 1
    except BaseException as exc:  # the harness itself failed: say so, loudly
        os.write(2, f"HARNESS FAILURE in child: {exc!r}\n".encode())
        code = 99
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _tail(path: Path) -> tuple[str, int]:
    try:
        data = path.read_bytes()
    except OSError:
        return "", 0
    return data[-_KEEP_CHARS:].decode("utf-8", "replace"), len(data)


def serve(
    cases: list[dict[str, Any]], workdir: Path, parallel: int = 3
) -> dict[str, dict[str, Any]]:
    """Run every case in a forked child, ``parallel`` at a time.

    Parameters
    ----------
    cases
        ``{"id", "argv", "cwd", "budget_mib", "timeout_s"}`` each.
    workdir
        Where the children's stdout and stderr files go.
    parallel
        Children running at once.

    Returns
    -------
    dict
        By case id: ``rc`` (negative: killed by that signal), ``timed_out``,
        ``seconds``, ``maxrss_kib`` and ``base_rss_kib`` (peak and starting
        resident memory), ``stdout`` and ``stderr`` (their last 20,000
        characters) and ``stderr_bytes``.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    pending = list(enumerate(cases))
    running: dict[int, tuple[dict[str, Any], float, Path, Path]] = {}
    results: dict[str, dict[str, Any]] = {}
    killed: set[int] = set()
    while pending or running:
        while pending and len(running) < parallel:
            index, case = pending.pop(0)
            out, err = workdir / f"{index}.out", workdir / f"{index}.err"
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _child(case, out, err)
            running[pid] = (case, time.monotonic(), out, err)
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            now = time.monotonic()
            for child, (case, started, _, _) in running.items():
                if child not in killed and now - started > case["timeout_s"]:
                    killed.add(child)
                    os.killpg(child, signal.SIGKILL)
            time.sleep(_POLL_S)
            continue
        case, started, out, err = running.pop(pid)
        stdout, _ = _tail(out)
        stderr, stderr_bytes = _tail(err)
        try:
            base_rss = int(Path(f"{out}.base").read_text())
        except (OSError, ValueError):
            base_rss = 0
        results[case["id"]] = {
            "rc": os.waitstatus_to_exitcode(status),
            "timed_out": pid in killed,
            "seconds": round(time.monotonic() - started, 3),
            "maxrss_kib": usage.ru_maxrss,
            "base_rss_kib": base_rss,
            "stdout": stdout,
            "stderr": stderr,
            "stderr_bytes": stderr_bytes,
        }
    return results


def main() -> int:
    """Read a request from stdin, print ``{"server": …, "results": …}``."""
    request = json.load(sys.stdin)
    _preload()
    server = {
        "threads": thread_count(),
        "vm_kib": proc_status_kib("VmSize"),
        "rss_kib": proc_status_kib("VmRSS"),
    }
    results = serve(
        request["cases"], Path(request["workdir"]), int(request.get("parallel", 3))
    )
    json.dump({"server": server, "results": results}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
