"""Render helper: the rows of the claims tables and the ranges tables, for the templates.

Input: claims (with their biomarkers) and the page's ``Footnotes``. Output: per row, the claim,
its cells as Markdown (every data value escaped with the functions behind |md and |attr) and
its footnote references. Pure but for citing in ``Footnotes``; no I/O.

These tables hold most of the site's rows, and a claim is listed on several pages (its
condition's, its population's, every group's above them; a range on its article and its
specimen's page), so each claim's cells are made once per build and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb.browse import claim_as_written
from biomarker_kb.citation_style import short_citation
from biomarker_kb.escape import html_attr, md_inline
from biomarker_kb.model import describe_interval
from biomarker_kb.page_parts import change_label, converted_interval

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from biomarker_kb.browse import ClaimRef
    from biomarker_kb.comparison import Comparison
    from biomarker_kb.model import Biomarker, Claim, ListItem, Range, Reference
    from biomarker_kb.page_parts import ContestedIndex, Footnotes, SiteLinks


def claim_attributes(claim: Claim) -> str:
    """Return a claim element's ``id``, ``data-claim`` and ``data-attribution`` attributes."""
    anchor = html_attr(claim.id)
    return (
        f'id="claim-{anchor}" data-claim="{anchor}" data-attribution="{claim.attribution_levels}"'
    )


def is_flagged(claim: Claim, contested: ContestedIndex) -> bool:
    """Return True when a flag follows the claim: it needs a primary source, or is contested."""
    return claim.needs_primary_source or claim.id in contested.pairs


class ClaimCells(NamedTuple):
    """A claim's cells in a claims table (named tuples: one is made per claim listed)."""

    attributes: str
    biomarker: str
    """A link to the claim's article."""
    specimens: str
    """Links to the specimens it is about, or "Not stated"."""
    change: str
    """How the biomarker changes, e.g. "Increased (prognosis)"."""
    claim: str
    """The claim as written, linked to its anchor in the article."""
    flagged: bool


@dataclass(frozen=True)
class ClaimRows:
    """Makes the rows of the claims tables on condition and specimen pages."""

    links: SiteLinks
    claims: Mapping[str, Claim]
    contested: ContestedIndex
    made: dict[str, ClaimCells] = field(default_factory=dict, repr=False)

    def __call__(
        self, rows: Iterable[tuple[str | None, ClaimRef]], notes: Footnotes
    ) -> list[tuple[str | None, Claim, ClaimCells, str]]:
        """Return (condition id, claim, cells, footnote references) for each row, in order.

        Each claim's sources are cited in ``notes`` here, row by row: the table prints the rows
        in this order and cites nothing else, so the footnotes get the numbers they would get
        if each row cited its sources while it was printed.
        """
        return [(i, ref.claim, self._cells(ref), notes.refs(ref.claim)) for i, ref in rows]

    def _cells(self, ref: ClaimRef) -> ClaimCells:
        cells = self.made.get(ref.claim.id)
        if cells is None:
            cells = self.made[ref.claim.id] = self._make(ref.claim, ref.biomarker)
        return cells

    def _make(self, claim: Claim, biomarker: Biomarker) -> ClaimCells:
        as_written = md_inline(claim_as_written(claim, self.claims))
        return ClaimCells(
            attributes=claim_attributes(claim),
            biomarker=f"[{md_inline(biomarker.name)}](../biomarkers/{biomarker.id}.md)",
            specimens=self.links.specimen_links(claim),
            change=md_inline(change_label(claim)),
            claim=f"[{as_written}](../biomarkers/{biomarker.id}.md#claim-{claim.id})",
            flagged=is_flagged(claim, self.contested),
        )


class RangeCells(NamedTuple):
    """A range's cells in a ranges table that do not depend on the comparison's unit."""

    attributes: str
    source: str
    """The source's short name, e.g. "Pagana 2022"."""
    specimen: str
    """A link to the specimen's page."""
    interval: str
    """The interval as printed, e.g. "0.6–2.4"."""
    flagged: bool


@dataclass(frozen=True)
class RangeRows:
    """Makes the rows of the ranges tables on biomarker and specimen pages."""

    references: Mapping[str, Reference]
    links: SiteLinks
    contested: ContestedIndex
    made: dict[str, RangeCells] = field(default_factory=dict, repr=False)

    def __call__(
        self, comparison: Comparison, notes: Footnotes
    ) -> list[tuple[Range, RangeCells, str, str]]:
        """Return (claim, cells, footnote references, interval in the comparison's unit) per row.

        The sources are cited in ``notes`` in row order, as ``ClaimRows`` does; the converted
        interval is plain text, escaped by the template like the values it shows directly.
        """
        return [
            (row.claim, self._cells(row.claim), notes.refs(row.claim), converted_interval(row))
            for row in comparison.rows
        ]

    def _cells(self, claim: Range) -> RangeCells:
        cells = self.made.get(claim.id)
        if cells is None:
            cells = self.made[claim.id] = RangeCells(
                attributes=claim_attributes(claim),
                source=md_inline(short_citation(self.references[claim.citation_keys[0]])),
                specimen=self.links.specimen_links(claim),
                interval=md_inline(describe_interval(claim.lower, claim.upper)),
                flagged=is_flagged(claim, self.contested),
            )
        return cells


@dataclass(frozen=True)
class ArticleClaims:
    """Gives an article's paragraphs and lists with what follows each claim's text."""

    links: SiteLinks

    def paragraph(self, claims: Iterable[Claim], notes: Footnotes) -> list[tuple[Claim, str, str]]:
        """Return (claim, footnote references, topic links) per claim, citing in that order."""
        return [(c, notes.refs(c), self.links.topic_links(c)) for c in claims]

    def list_items(
        self, items: Iterable[ListItem], notes: Footnotes, depth: int = 0
    ) -> list[tuple[int, Claim, str, str]]:
        """Return (depth, claim, footnote references, topic links) per item, citing in order.

        Each item comes before the items nested under it, the order the list is read in.
        """
        found: list[tuple[int, Claim, str, str]] = []
        for item in items:
            found.append(
                (depth, item.claim, notes.refs(item.claim), self.links.topic_links(item.claim))
            )
            found += self.list_items(item.children, notes, depth + 1)
        return found
