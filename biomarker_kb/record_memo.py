"""What a stage keeps per biomarker between the builds of `mkdocs serve`.

Input: a function of one biomarker record. Output: its value for each biomarker, made again
only when the record is another object. Records of data files that did not change are the
very objects of the last build (``check_memo``), so an edit makes the value of one biomarker
again, not of all. A one-off build makes each value once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from biomarker_kb.model import Biomarker

T = TypeVar("T")


class PerBiomarker(Generic[T]):
    """``make(biomarker)`` for each biomarker, kept while the record is the same object."""

    def __init__(self, make: Callable[[Biomarker], T]) -> None:
        self._make = make
        self._made: dict[str, tuple[Biomarker, T]] = {}

    def __call__(self, biomarker: Biomarker) -> T:
        """Return ``make(biomarker)``, made again only for another record."""
        made = self._made.get(biomarker.id)
        if made is not None and made[0] is biomarker:
            return made[1]
        value = self._make(biomarker)
        self._made[biomarker.id] = (biomarker, value)
        return value

    def keep_only(self, biomarkers: Iterable[Biomarker]) -> None:
        """Forget the biomarkers that are gone."""
        ids = {b.id for b in biomarkers}
        self._made = {i: made for i, made in self._made.items() if i in ids}
