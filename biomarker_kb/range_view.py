"""Render helper: reference-range comparisons as views — a chart and a table row per source.

Input: a biomarker's ``Comparison``s, the page's ``PageFootnotes`` and the build's caches.
Output: ``ComparisonView``s with every cell escaped Markdown and the chart as SVG markup; the
chart of a comparison is drawn once per build (it is shown on its article and on its
specimen's page). Pure but for citing each row's source in the page's footnotes, in row order.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb import urls
from biomarker_kb.citation_style import short_citation
from biomarker_kb.comparison import compare_ranges
from biomarker_kb.escape import md_inline
from biomarker_kb.labels import converted_interval, display_unit
from biomarker_kb.model import describe_interval
from biomarker_kb.range_chart import NARROW, chart_body, frame_chart
from biomarker_kb.sentence_view import (
    CONTESTED_FLAG,
    NEEDS_SOURCE_FLAG,
    claim_permalink,
    note_link,
    review_flag,
    review_flag_elsewhere,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from biomarker_kb.comparison import ComparedRange, Comparison
    from biomarker_kb.footnotes import PageFootnotes
    from biomarker_kb.model import Biomarker, Range, Reference, Specimen
    from biomarker_kb.sentence_view import ClaimMarkup


class RangeRow(NamedTuple):
    """One source's interval, its cells escaped."""

    attributes: str
    """The row's attributes as a claim."""
    source: str
    ending: str
    """Its footnote marks and flags."""
    detail: str
    """The lab test, the population, and the specimen where the source printed another name."""
    interval: str
    unit_as_printed: str
    erratum: str
    review_note: str
    """A reviewer's note where the range stands out of its article (on its article the note is
    under "Editor's notes"), or ""."""
    converted: str
    permalink: str
    """The link to the row that readers copy (``claim_permalink``)."""


@dataclass(frozen=True)
class ComparisonView:
    """Every source's range of one biomarker in one specimen and dimension."""

    heading: str
    unit: str
    """The comparison's unit as readers write it ("µg/L")."""
    ucum: str
    """The same unit as a UCUM code ("ug/L"), for machine-readable attributes."""
    chart: str
    rows: tuple[RangeRow, ...]


@dataclass(frozen=True)
class RangeViews:
    """Makes comparison views; compares and draws each biomarker's ranges once per build."""

    references: Mapping[str, Reference]
    specimens: Mapping[str, Specimen]
    markup: ClaimMarkup
    compared: dict[str, list[Comparison]] = field(default_factory=dict, repr=False)
    drawn: dict[tuple[str, str, str], tuple[str, str, str, str]] = field(
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
        # The heading names what the page is not about, linked: the specimen on an article,
        # the biomarker on a specimen's page.
        if titled:
            name, target = biomarker.name, urls.article(biomarker.id)
        else:
            name, target = (
                self.specimens[comparison.specimen].name,
                urls.specimen(comparison.specimen),
            )
        loinc = comparison.test.loinc if comparison.test else None
        unit = display_unit(comparison.unit)
        rest = f", in {unit}" + (f" (LOINC {loinc})" if loinc else "")
        heading = f"[{md_inline(name)}]({urls.link(urls.LEAF_PAGE, target)}){md_inline(rest)}"
        title, description, wide, narrow = self._drawn(biomarker, comparison)
        chart_id = urls.chart_anchor(biomarker.id, comparison.specimen, index)
        return ComparisonView(
            heading=heading,
            unit=md_inline(unit),
            ucum=html.escape(comparison.unit),
            # Two layouts of one chart; the stylesheet shows the one that fits the screen.
            chart=frame_chart(wide, len(comparison.rows), title, description, chart_id)
            + frame_chart(
                narrow, len(comparison.rows), title, description, f"{chart_id}-narrow", NARROW
            ),
            rows=tuple(self._row(row, notes, row.claim.id in noted) for row in comparison.rows),
        )

    def _drawn(self, biomarker: Biomarker, comparison: Comparison) -> tuple[str, str, str, str]:
        key = (biomarker.id, comparison.specimen, comparison.dimension)
        drawn = self.drawn.get(key)
        if drawn is None:
            drawn = self.drawn[key] = self._draw(biomarker, comparison)
        return drawn

    def _label(self, row: ComparedRange) -> str:
        """Return "Quest Diagnostics (Adults)": the source, and the population if given."""
        source = short_citation(self.references[row.claim.citation_keys[0]])
        return f"{source} ({row.claim.population})" if row.claim.population else source

    def _draw(self, biomarker: Biomarker, comparison: Comparison) -> tuple[str, str, str, str]:
        specimen = self.specimens[comparison.specimen].name.lower()
        unit = display_unit(comparison.unit)
        title = f"Reference ranges of {biomarker.name} in {specimen}, in {unit}"
        labels = [self._label(row) for row in comparison.rows]
        description = "; ".join(
            f"{label}: {converted_interval(row)} {unit} (printed {_printed_interval(row.claim)}"
            f" {row.claim.unit_as_printed})"
            for row, label in zip(comparison.rows, labels, strict=True)
        )
        wide = chart_body(comparison, labels, unit)
        return title, description, wide, chart_body(comparison, labels, unit, NARROW)

    def _row(self, row: ComparedRange, notes: PageFootnotes, noted: bool) -> RangeRow:
        claim: Range = row.claim
        ending = notes.marks(claim.citation_keys)
        if noted:
            ending += note_link(claim.id)
        if claim.needs_primary_source:
            ending += NEEDS_SOURCE_FLAG
        if claim.id in self.markup.contested:
            ending += CONTESTED_FLAG
        if claim.review is not None and noted:  # on its article, its note is below the text
            ending += review_flag(claim.review, urls.note_anchor(claim.id))
        review_note = ""
        if claim.review is not None and not noted:
            article = urls.article(claim.biomarker_id)
            target = urls.link(urls.LEAF_PAGE, article, urls.claim_anchor(claim.id))
            ending += review_flag_elsewhere(claim.review, target)
            review_note = f"Questioned by a reviewer: {md_inline(claim.review.note)}"
        specimen = self.specimens[claim.specimen]
        details = [claim.lab_test, claim.population or "population not stated"]
        if claim.specimen_as_printed and claim.specimen_as_printed != specimen.name:
            details.append(f"specimen printed as “{claim.specimen_as_printed}”")
        unit = claim.unit_as_printed
        equivalent = claim.printed_equivalent
        if equivalent:
            unit += " " + (equivalent.as_printed or f"({equivalent.unit})")
        return RangeRow(
            attributes=self.markup.attributes(claim),
            source=md_inline(short_citation(self.references[claim.citation_keys[0]])),
            ending=ending,
            detail=md_inline("; ".join(details)),
            interval=_interval_cell(claim),
            unit_as_printed=md_inline(unit),
            erratum=md_inline(equivalent.erratum) if equivalent and equivalent.erratum else "",
            review_note=review_note,
            converted=md_inline(converted_interval(row)),
            permalink=claim_permalink(claim.id),
        )


def _printed_interval(claim: Range) -> str:
    """Return the interval as the source printed it, or as its bounds read when that is all."""
    return claim.interval_as_printed or describe_interval(claim.lower, claim.upper)


def _interval_cell(claim: Range) -> str:
    """Return the interval as it reads, and beside it what was printed when that differs."""
    cell = md_inline(describe_interval(claim.lower, claim.upper))
    if claim.interval_as_printed:
        printed = md_inline(claim.interval_as_printed)
        cell += (
            '<br><span class="kb-printed">as printed</span>'
            f' <span class="kb-nowrap">“{printed}”</span>'
        )
    return cell
