"""The generated pages as files, in a folder outside the project, for MkDocs to read.

Input: rendered pages. Output: one Markdown file per page, rewritten only when its bytes change,
so its time stamp tells MkDocs' dirty rebuilds whether the page changed. Never the docs dir:
writing there during a build makes `mkdocs serve` rebuild in a loop (MkDocs issue 2284).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from biomarker_kb.render import RenderedPage


STRUCTURED_DATA = ".structured-data"
"""The folder (in the staging folder) of each page's JSON-LD; no generated page is in it."""


def _replace(target: Path, content: bytes) -> None:
    # Whole or not at all: MkDocs may read it while other pages are still being rendered.
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    partial.write_bytes(content)
    partial.replace(target)


class StagedPages:
    """A folder of generated pages and, for each, the data file it came from."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="biomarker-kb-pages-"))
        # Also when the process ends without the plugin's last event (a test, an interrupt).
        self._remove = weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self.sources: dict[str, str] = {}
        """Page path → the data file it was generated from."""

    def write(self, page: RenderedPage) -> None:
        """Store the page; leave its file (and time stamp) alone if the bytes are the same.

        Its JSON-LD goes beside it, in a folder MkDocs is never told of; when only that
        changes, the page is written again all the same, so that a dirty rebuild redoes it.
        """
        target = self.folder / page.path
        self.sources[page.path] = page.source
        described = self._write_if_changed(
            self._structured_data_file(page.path), page.structured_data.encode("utf-8")
        )
        if not self._write_if_changed(target, page.utf8) and described:
            _replace(target, page.utf8)

    @staticmethod
    def _write_if_changed(target: Path, content: bytes) -> bool:
        """Write ``content`` unless ``target`` holds it; empty content: no file. Say if written."""
        try:
            if target.read_bytes() == content:
                return False
        except FileNotFoundError:
            if not content:
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
        if content:
            _replace(target, content)
        else:
            target.unlink()
        return True

    def _structured_data_file(self, page: str) -> Path:
        return self.folder / STRUCTURED_DATA / f"{page}.json"

    def structured_data(self, page: str) -> str:
        """Return the page's JSON-LD as staged ("" for none)."""
        try:
            return self._structured_data_file(page).read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def keep_only(self, paths: frozenset[str]) -> list[str]:
        """Delete the pages not in ``paths``; return their paths."""
        gone = sorted(set(self.sources) - paths)
        for path in gone:
            (self.folder / path).unlink(missing_ok=True)
            self._structured_data_file(path).unlink(missing_ok=True)
            del self.sources[path]
        return gone

    def path_of(self, page: str) -> Path:
        """Return the file holding ``page``."""
        return self.folder / page

    def remove(self) -> None:
        """Delete the folder."""
        self._remove()
