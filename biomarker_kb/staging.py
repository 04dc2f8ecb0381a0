"""The generated pages as files, in a folder outside the project, for MkDocs to read.

Input: rendered pages. Output: one Markdown file per page, rewritten only when its bytes change,
so its time stamp tells MkDocs' dirty rebuilds whether the page changed. Never the docs dir:
writing there during a build makes `mkdocs serve` rebuild in a loop (MkDocs issue 2284).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from biomarker_kb.render import RenderedPage


class StagedPages:
    """A folder of generated pages and, for each, the data file it came from."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="biomarker-kb-pages-"))
        self.sources: dict[str, str] = {}
        """Page path → the data file it was generated from."""

    def write(self, page: RenderedPage) -> None:
        """Store the page; leave its file (and time stamp) alone if the bytes are the same."""
        target = self.folder / page.path
        self.sources[page.path] = page.source
        try:
            if target.read_bytes() == page.utf8:
                return
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        # Whole or not at all: MkDocs may read it while other pages are still being rendered.
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        partial.write_bytes(page.utf8)
        partial.replace(target)

    def keep_only(self, paths: frozenset[str]) -> list[str]:
        """Delete the pages not in ``paths``; return their paths."""
        gone = sorted(set(self.sources) - paths)
        for path in gone:
            (self.folder / path).unlink(missing_ok=True)
            del self.sources[path]
        return gone

    def path_of(self, page: str) -> Path:
        """Return the file holding ``page``."""
        return self.folder / page

    def remove(self) -> None:
        """Delete the folder."""
        shutil.rmtree(self.folder, ignore_errors=True)
