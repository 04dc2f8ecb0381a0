"""Scan generated pages' HTML in a forked child while MkDocs converts the next pages.

Input: each page's HTML as MkDocs made it, in the order it made them. Output: each page's
``Findings`` (``content_scan``: markup that could run or restyle the page, footnote marks left
unresolved), in that order. Why: scanning every page cost MkDocs' own process 1.7 s of a
one-off build at N=1000 (190 million characters), time the build waited for; by then the second
CPU is idle, and sending a page down a pipe costs a tenth of scanning it. If the child fails in
any way, ``PageScans.results`` scans the pages here, so the result is the same and a bug raises
here, as itself. Only for a process with no other thread (`mkdocs build`, never `mkdocs serve`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import struct
import tempfile
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Generic, NoReturn, TypeVar

from biomarker_kb.content_scan import scan_html, unresolved_footnotes

if TYPE_CHECKING:
    from collections.abc import Callable

K = TypeVar("K")

_FRAME = struct.Struct("<Q")
"""Each page goes down the pipe as its length in bytes, then its UTF-8."""
_PIPE_BYTES = 1 << 20
"""Linux lets a pipe hold 1 MiB unprivileged: several pages, so MkDocs rarely waits on it."""
_ENCODING = ("utf-8", "surrogatepass")  # any str survives the trip, even a lone surrogate


@dataclass(frozen=True)
class Findings:
    """What the scan found in one page; empty for nearly every page."""

    unsafe_markup: tuple[str, ...]
    unresolved_footnotes: tuple[str, ...]


NOTHING_FOUND = Findings((), ())


def scan_page(html: str) -> Findings:
    """Return what ``html`` holds that the templates never write."""
    return Findings(tuple(scan_html(html)), tuple(unresolved_footnotes(html)))


class PageScans(Generic[K]):
    """The pages given to ``add``, scanned in a child process (``in_child``) or here."""

    def __init__(self, *, in_child: bool) -> None:
        self._child: _ScanningChild | None = None
        if in_child:
            with contextlib.suppress(OSError):  # no process to be had: scan here
                self._child = _ScanningChild()
        self._pages: list[tuple[K, Findings | None]] = []
        """Each page with its findings; None: sent to the child."""

    def add(self, key: K, html: str) -> None:
        """Scan one page, or send it to the child to scan."""
        if self._child is not None and self._child.send(html):
            self._pages.append((key, None))
        else:
            self._pages.append((key, scan_page(html)))

    def results(self, html_of: Callable[[K], str]) -> list[tuple[K, Findings]]:
        """Return each page that has findings, in the order added; the child ends here.

        ``html_of`` gives a page's HTML again, to scan it here if the child failed.
        """
        child, self._child = self._child, None
        from_child = iter(child.finish() or []) if child is not None else iter([])
        found: list[tuple[K, Findings]] = []
        failed = child is not None and child.failed
        for key, findings in self._pages:
            if findings is None:
                findings = scan_page(html_of(key)) if failed else next(from_child)
            if findings != NOTHING_FOUND:
                found.append((key, findings))
        self._pages = []
        return found

    def stop(self) -> None:
        """End the child without waiting for its results (the build failed elsewhere)."""
        child, self._child = self._child, None
        if child is not None:
            child.kill()


class _ScanningChild:
    """A forked process that scans the pages sent down a pipe and keeps their findings."""

    def __init__(self) -> None:
        import fcntl  # only where processes fork, which Windows cannot

        read_end, write_end = os.pipe()
        with contextlib.suppress(OSError, AttributeError):  # a smaller pipe works, if slower
            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        # A file, not a pipe, carries the findings back: the child never blocks on writing them.
        self._results = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish
        gc.freeze()  # the child only reads this process's objects: keep its collector off them
        try:
            self._pid = os.fork()
        except OSError:
            gc.unfreeze()
            for end in (read_end, write_end):
                os.close(end)
            self._results.close()
            raise
        if self._pid == 0:  # never returns: its collector stays frozen
            _scan_what_comes(read_end, write_end, self._results)
        gc.unfreeze()
        os.close(read_end)
        self._pipe: IO[bytes] | None = os.fdopen(write_end, "wb", buffering=_PIPE_BYTES)
        self._sent = 0
        self.failed = False

    def send(self, html: str) -> bool:
        """Send one page; False if the child can take no more (it is gone)."""
        if self._pipe is None:
            return False
        data = html.encode(*_ENCODING)
        try:
            self._pipe.write(_FRAME.pack(len(data)))
            self._pipe.write(data)
        except OSError:  # the child ended early: what it was sent is scanned again here
            self._close_pipe()
            self.failed = True
            return False
        self._sent += 1
        return True

    def finish(self) -> list[Findings] | None:
        """Wait for the child; return each page's findings, or None (and ``failed``)."""
        self._close_pipe()
        _, status = os.waitpid(self._pid, 0)
        with self._results as results:
            scanned, found = 0, {}
            if status == 0 and not self.failed:
                results.seek(0)
                scanned, found = pickle.load(results)  # noqa: S301 - our own child's output
        if scanned != self._sent:
            self.failed = True
            return None
        return [found.get(index, NOTHING_FOUND) for index in range(scanned)]

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        self.failed = True
        self.finish()

    def _close_pipe(self) -> None:
        pipe, self._pipe = self._pipe, None
        if pipe is not None:
            with contextlib.suppress(OSError):  # the child is gone: what was buffered is lost
                pipe.close()


def _scan_what_comes(read_end: int, write_end: int, results: IO[bytes]) -> NoReturn:
    """The child: scan each page until the pipe closes, store the findings, never return."""
    status = 1
    try:
        os.close(write_end)  # else the pipe never closes: this process would hold it open
        scanned, found = 0, {}  # only the pages with findings go back: a few, if any
        with os.fdopen(read_end, "rb", buffering=_PIPE_BYTES) as pipe:
            while header := pipe.read(_FRAME.size):
                (size,) = _FRAME.unpack(header)
                findings = scan_page(pipe.read(size).decode(*_ENCODING))
                if findings != NOTHING_FOUND:
                    found[scanned] = findings
                scanned += 1
        pickle.dump((scanned, found), results, pickle.HIGHEST_PROTOCOL)
        results.flush()
        status = 0
    finally:  # whatever happened, the parent goes on, scanning the pages itself if it must
        os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice
