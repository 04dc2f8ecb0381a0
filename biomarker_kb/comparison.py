"""Render helper: line up every source's reference range for a biomarker in one specimen.

Input: a ``Biomarker`` whose units passed the consistency check. Output: ``Comparison`` groups,
one per specimen and dimension, each with one canonical unit and every range converted to it.
Ranges are never merged: each row keeps its source. Ranges whose dimensions differ (mass/volume
vs mass/time) go into separate groups and are never converted into each other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from biomarker_kb.units import convert, parse_unit

if TYPE_CHECKING:
    from biomarker_kb.model import Biomarker, Bound, MeasuredTest, Range


@dataclass(frozen=True)
class ComparedRange:
    """One source's range with its bounds in the comparison's canonical unit."""

    claim: Range
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class Comparison:
    """Every range of one biomarker in one specimen and dimension, in one unit."""

    specimen: str
    unit: str
    """Canonical UCUM code: the test's chosen unit, or the one most of the ranges use."""
    dimension: str
    rows: tuple[ComparedRange, ...]
    test: MeasuredTest | None


def _canonical_unit(ranges: list[Range], test: MeasuredTest | None, dimension: str) -> str:
    if test is not None and test.unit and parse_unit(test.unit).dimension == dimension:
        return test.unit
    counts = Counter(r.unit for r in ranges)
    # most_common keeps first-seen order among ties, so the article's first unit wins a tie.
    return counts.most_common(1)[0][0]


def _converted(bound: Bound | None, source: str, target: str) -> float | None:
    return None if bound is None else convert(bound.value, source, target)


def compare_ranges(biomarker: Biomarker) -> list[Comparison]:
    """Group the biomarker's ranges by specimen and dimension, in the article's order."""
    groups: dict[tuple[str, str], list[Range]] = {}
    for claim in biomarker.ranges:
        key = (claim.specimen, parse_unit(claim.unit).dimension)
        groups.setdefault(key, []).append(claim)
    tests = {t.specimen: t for t in biomarker.tests}
    comparisons = []
    for (specimen, dimension), ranges in groups.items():
        unit = _canonical_unit(ranges, tests.get(specimen), dimension)
        rows = tuple(
            ComparedRange(r, _converted(r.lower, r.unit, unit), _converted(r.upper, r.unit, unit))
            for r in ranges
        )
        comparisons.append(Comparison(specimen, unit, dimension, rows, tests.get(specimen)))
    return comparisons


@dataclass(frozen=True)
class Comparisons:
    """Compares each biomarker's ranges once per build, for its article and specimen pages."""

    made: dict[str, list[Comparison]] = field(default_factory=dict, repr=False)

    def __call__(self, biomarker: Biomarker) -> list[Comparison]:
        """Return ``compare_ranges(biomarker)``."""
        found = self.made.get(biomarker.id)
        if found is None:
            found = self.made[biomarker.id] = compare_ranges(biomarker)
        return found
