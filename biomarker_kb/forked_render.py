"""Render a whole site in child processes, one share of the pages each, while MkDocs goes on.

Input: a function that renders and stages one share of the pages (``work(index, count)``) and
how many processes to use. Output: the staged pages, each appearing whole (written, then
renamed); ``BackgroundRender.wait_for`` waits for one, ``join`` raises the first child's
failure as the problems (or bug) it was. Why: a one-off build renders every page, while MkDocs
itself uses one CPU, and the machines this runs on have two or more: MkDocs converts the first
pages while the children render the rest, so rendering adds (nearly) nothing to the build's
time. Children are forked (no pickling: they see the checked records as they are), so only
where ``os.fork`` exists and no other thread runs (`mkdocs build`, never `mkdocs serve`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import tempfile
import time
import traceback
from typing import IO, TYPE_CHECKING

from biomarker_kb.problems import KbError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

MAX_PROCESSES = 4
MIN_PAGES_PER_PROCESS = 150
"""Below this, starting a process costs more than it saves."""


def cpus_to_fork_on() -> int:
    """Return how many CPUs forked children may use (1: do not fork)."""
    if not hasattr(os, "fork") or sys.platform == "darwin":  # macOS forks unsafely
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpus or 1


def process_count(pages: int) -> int:
    """Return how many processes to render ``pages`` pages in (1: no child)."""
    return max(1, min(cpus_to_fork_on(), MAX_PROCESSES, pages // MIN_PAGES_PER_PROCESS))


class BackgroundRender:
    """Child processes rendering ``work(i, count)`` for i = 0…count-1; this process goes on."""

    def __init__(self, work: Callable[[int, int], None], count: int) -> None:
        gc.freeze()  # the children only read the records: keep the collector off their pages
        try:
            self._children = [_fork(work, index, count) for index in range(count)]
        finally:
            gc.unfreeze()
        self._failure: tuple[str, str] | None = None
        self._status: dict[int, int] = {}
        """Exit status of the children already reaped."""

    def wait_for(self, path: Path) -> None:
        """Return once ``path`` exists; raise if every child ended without writing it."""
        delay = 0.0005
        while not path.exists():
            if self._all_ended():
                if path.exists():
                    return
                self.join()  # raises the children's failure
                raise RuntimeError(f"bug: no child rendered {path.name}")
            time.sleep(delay)
            delay = min(delay * 2, 0.02)

    def _all_ended(self) -> bool:
        for pid, _ in self._children:
            if pid not in self._status:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    self._status[pid] = status
        return len(self._status) == len(self._children)

    def join(self) -> None:
        """Wait for every child; raise the first failure."""
        children, self._children = self._children, []
        failures = [
            failure
            for pid, report in children
            if (failure := _wait(pid, report, self._status.get(pid)))
        ]
        if failures and self._failure is None:
            self._failure = failures[0]
        if self._failure is not None:
            _raise(self._failure)

    def stop(self) -> None:
        """End the children (the build failed elsewhere)."""
        for pid, _ in self._children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ShareFailed, RuntimeError):
            self.join()


class ShareFailed(Exception):  # noqa: N818 - named for what the caller is told
    """A child's share stopped on problems in the data or templates; the message reports them."""


def _raise(failure: tuple[str, str]) -> None:
    kind, text = failure
    if kind == "problems":
        raise ShareFailed(text)
    raise RuntimeError(f"bug: rendering failed in a child process:\n{text}")


def _fork(work: Callable[[int, int], None], index: int, count: int) -> tuple[int, IO[bytes]]:
    # A file, not a pipe, carries a failure's report: a report longer than a pipe holds would
    # block the child in its write while the parent waits for the child to end.
    report = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _wait
    pid = os.fork()
    if pid == 0:  # the child: do its share, report a failure in the file, never return
        status = 0
        try:
            work(index, count)
        except KbError as error:
            report.write(b"problems\n" + error.report().encode("utf-8"))
            status = 1
        except BaseException:  # noqa: BLE001 - a bug: hand its traceback to the parent
            report.write(b"bug\n" + traceback.format_exc().encode("utf-8"))
            status = 2
        finally:
            report.flush()
            os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice
    return pid, report


def _wait(pid: int, report: IO[bytes], status: int | None = None) -> tuple[str, str] | None:
    """Reap the child (unless ``status`` says it was already reaped) and read its report."""
    if status is None:
        _, status = os.waitpid(pid, 0)
    with report:
        report.seek(0)
        message = report.read().decode("utf-8", errors="replace")
    if status == 0:
        return None
    kind, _, text = message.partition("\n")
    return (kind or "bug", text or f"the child process ended with status {status}")
