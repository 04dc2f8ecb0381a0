"""Render helper: reference-range comparisons as views — a chart and a table row per source.

Input: a biomarker's ``Comparison``s, the page's ``PageFootnotes`` and the build's caches.
Output: ``ComparisonView``s with every cell escaped Markdown and the chart as SVG markup; the
chart of a comparison is drawn once per build (it is shown on its article and on its
specimen's page). Pure but for citing each row's source in the page's footnotes, in row order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb import urls
from biomarker_kb.citation_style import short_citation
from biomarker_kb.comparison import compare_ranges
from biomarker_kb.escape import md_inline
from biomarker_kb.labels import converted_interval
from biomarker_kb.model import describe_interval
from biomarker_kb.range_chart import chart_body, frame_chart
from biomarker_kb.sentence_view import CONTESTED_FLAG, NEEDS_SOURCE_FLAG, note_link

if TYPE_CHECKING:
    from collections.abc import Mapping

    from biomarker_kb.comparison import ComparedRange, Comparison
    from biomarker_kb.footnotes import PageFootnotes
    from biomarker_kb.model import Biomarker, Range, Reference, Specimen
    from biomarker_kb.sentence_view import ClaimAttributes, ClaimMarkup


class RangeRow(NamedTuple):
    """One source's interval, its cells escaped."""

    claim: ClaimAttributes
    source: str
    ending: str
    """Its footnote marks and flags."""
    lab_test: str
    specimen: str
    population: str
    interval: str
    unit_as_printed: str
    erratum: str
    converted: str


@dataclass(frozen=True)
class ComparisonView:
    """Every source's range of one biomarker in one specimen and dimension."""

    heading: str
    unit: str
    chart: str
    rows: tuple[RangeRow, ...]


@dataclass(frozen=True)
class RangeViews:
    """Makes comparison views; compares and draws each biomarker's ranges once per build."""

    references: Mapping[str, Reference]
    specimens: Mapping[str, Specimen]
    markup: ClaimMarkup
    compared: dict[str, list[Comparison]] = field(default_factory=dict, repr=False)
    drawn: dict[tuple[str, str, str], tuple[str, str, str]] = field(
        default_factory=dict, repr=False
    )

    def comparisons(self, biomarker: Biomarker) -> list[Comparison]:
        """Return the biomarker's comparisons, made once per build."""
        found = self.compared.get(biomarker.id)
        if found is None:
            found = self.compared[biomarker.id] = compare_ranges(biomarker)
        return found

    def views(
        self,
        biomarker: Biomarker,
        notes: PageFootnotes,
        *,
        specimen: str | None = None,
        noted: frozenset[str] = frozenset(),
    ) -> tuple[ComparisonView, ...]:
        """Return the views of the biomarker's comparisons (only ``specimen``'s, if given).

        ``noted``: ids of the ranges whose editor's note is on the page, which their rows link.
        """
        shown = [c for c in self.comparisons(biomarker) if specimen in (None, c.specimen)]
        return tuple(
            self._view(biomarker, c, index, notes, titled=specimen is not None, noted=noted)
            for index, c in enumerate(shown, start=1)
        )

    def _view(
        self,
        biomarker: Biomarker,
        comparison: Comparison,
        index: int,
        notes: PageFootnotes,
        *,
        titled: bool,
        noted: frozenset[str],
    ) -> ComparisonView:
        name = biomarker.name if titled else self.specimens[comparison.specimen].name
        loinc = comparison.test.loinc if comparison.test else None
        heading = f"{name}, in {comparison.unit}" + (f" (LOINC {loinc})" if loinc else "")
        title, description, body = self._drawn(biomarker, comparison)
        chart_id = urls.chart_anchor(biomarker.id, comparison.specimen, index)
        return ComparisonView(
            heading=md_inline(heading),
            unit=md_inline(comparison.unit),
            chart=frame_chart(body, len(comparison.rows), title, description, chart_id),
            rows=tuple(self._row(row, notes, row.claim.id in noted) for row in comparison.rows),
        )

    def _drawn(self, biomarker: Biomarker, comparison: Comparison) -> tuple[str, str, str]:
        key = (biomarker.id, comparison.specimen, comparison.dimension)
        drawn = self.drawn.get(key)
        if drawn is None:
            drawn = self.drawn[key] = self._draw(biomarker, comparison)
        return drawn

    def _label(self, row: ComparedRange) -> str:
        """Return "Quest Diagnostics (Adults)": the source, and the population if given."""
        source = short_citation(self.references[row.claim.citation_keys[0]])
        return f"{source} ({row.claim.population})" if row.claim.population else source

    def _draw(self, biomarker: Biomarker, comparison: Comparison) -> tuple[str, str, str]:
        specimen = self.specimens[comparison.specimen].name.lower()
        title = f"Reference ranges of {biomarker.name} in {specimen}, in {comparison.unit}"
        labels = [self._label(row) for row in comparison.rows]
        description = "; ".join(
            f"{label}: {converted_interval(row)} {comparison.unit}"
            f" (printed {describe_interval(row.claim.lower, row.claim.upper)}"
            f" {row.claim.unit_as_printed})"
            for row, label in zip(comparison.rows, labels, strict=True)
        )
        return title, description, chart_body(comparison, labels)

    def _row(self, row: ComparedRange, notes: PageFootnotes, noted: bool) -> RangeRow:
        claim: Range = row.claim
        ending = notes.marks(claim.citation_keys)
        if noted:
            ending += note_link(claim.id)
        if claim.needs_primary_source:
            ending += NEEDS_SOURCE_FLAG
        if claim.id in self.markup.contested:
            ending += CONTESTED_FLAG
        specimen = self.specimens[claim.specimen]
        specimen_cell = (
            f"[{md_inline(specimen.name)}]({urls.link(urls.LEAF_PAGE, urls.specimen(specimen.id))})"
        )
        if claim.specimen_as_printed and claim.specimen_as_printed != specimen.name:
            specimen_cell += f" (printed: {md_inline(claim.specimen_as_printed)})"
        unit = claim.unit_as_printed
        equivalent = claim.printed_equivalent
        if equivalent:
            unit += " " + (equivalent.as_printed or f"({equivalent.unit})")
        return RangeRow(
            claim=self.markup.attributes(claim),
            source=md_inline(short_citation(self.references[claim.citation_keys[0]])),
            ending=ending,
            lab_test=md_inline(claim.lab_test),
            specimen=specimen_cell,
            population=md_inline(claim.population or "Not stated"),
            interval=md_inline(describe_interval(claim.lower, claim.upper)),
            unit_as_printed=md_inline(unit),
            erratum=md_inline(equivalent.erratum) if equivalent and equivalent.erratum else "",
            converted=md_inline(converted_interval(row)),
        )
