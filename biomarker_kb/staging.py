"""The generated pages as files, in a folder outside the project, for MkDocs to read.

Input: rendered pages. Output: one Markdown file per page, rewritten only when its bytes change,
so its time stamp tells MkDocs' dirty rebuilds whether the page changed, and each page's JSON-LD
in memory (child processes hand theirs over in one file each). Never the docs dir:
writing there during a build makes `mkdocs serve` rebuild in a loop (MkDocs issue 2284).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from biomarker_kb.render import RenderedPage


HANDED_OVER = ".structured-data"
"""The folder (in the staging folder) where child processes leave their pages' JSON-LD."""


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
        self.described: dict[str, str] = {}
        """Page path → its JSON-LD, for pages that have one. Kept in memory, not a file per
        page: at N=1000 reading and deleting 4,000 more files took about 1.6 s of the build."""
        self._owner = os.getpid()

    def write(self, page: RenderedPage) -> None:
        """Store the page; leave its file (and time stamp) alone if the bytes are the same.

        Its JSON-LD is kept in memory; when only that changes, the page is written again all
        the same, so that a dirty rebuild redoes it.
        """
        self.sources[page.path] = page.source
        described = self.described.get(page.path, "") != page.structured_data
        if page.structured_data:
            self.described[page.path] = page.structured_data
        else:
            self.described.pop(page.path, None)
        target = self.folder / page.path
        if not self._write_if_changed(target, page.utf8) and described:
            _replace(target, page.utf8)

    @staticmethod
    def _write_if_changed(target: Path, content: bytes) -> bool:
        """Write ``content`` unless ``target`` holds it; say if written."""
        try:
            if target.read_bytes() == content:
                return False
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, content)
        return True

    def structured_data(self, page: str) -> str:
        """Return the page's JSON-LD as staged ("" for none)."""
        return self.described.get(page, "")

    def hand_over(self) -> None:
        """In a child process (``forked_render``): leave its pages' JSON-LD for the parent."""
        if os.getpid() == self._owner:
            return  # rendered here: already in place
        folder = self.folder / HANDED_OVER
        folder.mkdir(exist_ok=True)
        _replace(folder / f"{os.getpid()}.json", json.dumps(self.described).encode("utf-8"))

    def take_over(self) -> None:
        """Take the JSON-LD the child processes left (after they have ended)."""
        for handed in sorted((self.folder / HANDED_OVER).glob("*.json")):
            self.described.update(json.loads(handed.read_bytes()))
            handed.unlink()

    def keep_only(self, paths: frozenset[str]) -> list[str]:
        """Delete the pages not in ``paths``; return their paths."""
        gone = sorted(set(self.sources) - paths)
        for path in gone:
            (self.folder / path).unlink(missing_ok=True)
            self.described.pop(path, None)
            del self.sources[path]
        return gone

    def path_of(self, page: str) -> Path:
        """Return the file holding ``page``."""
        return self.folder / page

    def remove(self) -> None:
        """Delete the folder."""
        self._remove()
