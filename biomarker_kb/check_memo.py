"""What the check stage keeps from one build to the next, so an edit is checked in time to see it.

Input: data file paths with the function that reads, validates and assembles each, and
assembled biomarkers with the function that cross-checks each. Output: the same results as
computing them afresh, computed again only for a file whose bytes changed, or for a biomarker
whose record or the vocabularies it is checked against changed. `mkdocs serve` keeps one memo
for its life; a one-off build uses a fresh one. Holds no parsed YAML (only bytes and results).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from biomarker_kb.model import Biomarker
    from biomarker_kb.problems import Problem

T = TypeVar("T")


class CheckMemo:
    """Results per data file (keyed by its bytes) and per biomarker (keyed by the record)."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[bytes, object]] = {}
        self._checked: dict[str, tuple[Biomarker, object, tuple[Problem, ...]]] = {}
        self._context: object = None
        self.files_read = 0
        """How many files the last build read afresh (the rest were unchanged)."""

    @property
    def has_files(self) -> bool:
        """Return whether results of earlier builds are kept (not a first build)."""
        return bool(self._files)

    def start(self) -> None:
        """Begin a build: count afresh."""
        self.files_read = 0

    def file(self, path: Path, compute: Callable[[], T]) -> T:
        """Return ``compute()`` for ``path``, reusing the last result while its bytes are equal.

        Unchanged files give the very same objects as last time, so comparing later results
        with earlier ones costs next to nothing (Python compares identical objects by identity).
        """
        try:
            content = path.read_bytes()
        except OSError:  # missing or unreadable: compute() reports it, and nothing is kept
            self._files.pop(path, None)
            return compute()
        kept = self._files.get(path)
        if kept is not None and kept[0] == content:
            return cast("T", kept[1])
        self.files_read += 1
        result = compute()
        self._files[path] = (content, result)
        return result

    def same_context(self, context: object) -> object:
        """Return last build's context object if ``context`` equals it, else ``context``.

        Comparing the vocabularies once per build, not once per biomarker (N=1000: 3,000
        conditions compared 1,000 times took longer than the rest of the check).
        """
        if self._context != context:
            self._context = context
        return self._context

    def biomarker_problems(
        self,
        biomarker: Biomarker,
        context: object,
        compute: Callable[[Biomarker], Iterable[Problem]],
    ) -> tuple[Problem, ...]:
        """Return ``compute(biomarker)``, reused while the record and ``context`` are the same.

        ``context``: everything else the problems depend on (vocabularies, references, scope),
        as returned by ``same_context``.
        """
        kept = self._checked.get(biomarker.id)
        if kept is not None and kept[0] is biomarker and kept[1] is context:
            return kept[2]
        found = tuple(compute(biomarker))
        self._checked[biomarker.id] = (biomarker, context, found)
        return found

    def keep_only(self, paths: Iterable[Path], biomarker_ids: Iterable[str]) -> None:
        """Forget files and biomarkers that no longer exist."""
        live_paths, live_ids = set(paths), set(biomarker_ids)
        self._files = {p: kept for p, kept in self._files.items() if p in live_paths}
        self._checked = {i: kept for i, kept in self._checked.items() if i in live_ids}
