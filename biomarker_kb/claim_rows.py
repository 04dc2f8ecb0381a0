"""Render helper: claims standing alone (condition and specimen pages) and contested pairs.

Input: ``ClaimRef``s (a claim with its biomarker), the page's ``PageFootnotes`` and the build's
``ClaimMarkup``. Output: ``ClaimRow`` views whose cells are escaped Markdown — the claim's
stand-alone sentence linked to its place in the article, followed by all of its own footnote
marks (out of its article a claim carries every source itself) — and ``ContestedView``s.
A claim is listed on several pages, so the cells that do not depend on the page are made once
per build. Pure but for citing in the page's footnotes, row by row, in the order shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb import urls
from biomarker_kb.browse import specimens_of
from biomarker_kb.escape import md_inline
from biomarker_kb.labels import change_label
from biomarker_kb.sentence_view import CONTESTED_FLAG, NEEDS_SOURCE_FLAG, review_flag_elsewhere

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from biomarker_kb.browse import ClaimRef
    from biomarker_kb.footnotes import PageFootnotes
    from biomarker_kb.model import Biomarker, Claim, ContestedPair
    from biomarker_kb.sentence_view import ClaimMarkup


class ClaimCells(NamedTuple):
    """The cells of a claim that are the same on every page listing it."""

    attributes: str
    """The row's attributes as a claim."""
    biomarker: str
    specimens: str
    change: str
    text: str
    """The stand-alone sentence, linked to the claim in its article."""
    flags: str
    note: str
    """A reviewer's note, shown under the row (a long note squeezes a narrow cell), or ""."""


class ClaimRow(NamedTuple):
    """One claim in a table or list of a condition or specimen page."""

    condition: str
    """A link to the condition the row comes through, or empty."""
    cells: ClaimCells
    marks: str
    """Its footnote marks on this page."""


@dataclass(frozen=True)
class ContestedView:
    """A declared contested pair, with both claims and their sources."""

    biomarker: str
    note: str
    claims: tuple[tuple[str, str], ...]
    """Each claim's linked sentence and its footnote marks."""


@dataclass(frozen=True)
class StandaloneClaims:
    """Makes rows of claims shown out of their article; cells once per build."""

    markup: ClaimMarkup
    claims: Mapping[str, Claim]
    contested_pairs: Mapping[str, list[tuple[ContestedPair, Biomarker]]]
    made: dict[str, ClaimCells] = field(default_factory=dict, repr=False)

    def rows(
        self, refs: Iterable[tuple[str | None, ClaimRef]], notes: PageFootnotes
    ) -> tuple[ClaimRow, ...]:
        """Return a row per (condition id or None, claim), citing each row's sources in order."""
        return tuple(
            ClaimRow(
                self._condition_link(condition_id),
                self._cells(ref.claim, ref.biomarker),
                notes.marks(ref.claim.citation_keys),
            )
            for condition_id, ref in refs
        )

    def contested(
        self, claim_ids: Sequence[str], notes: PageFootnotes
    ) -> tuple[ContestedView, ...]:
        """Return the declared pairs involving any of ``claim_ids``, each once, in order."""
        found: dict[tuple[str, str], tuple[ContestedPair, Biomarker]] = {}
        for claim_id in claim_ids:
            for pair, biomarker in self.contested_pairs.get(claim_id, []):
                found.setdefault(pair.claims, (pair, biomarker))
        return tuple(
            ContestedView(
                md_inline(biomarker.name),
                md_inline(pair.note),
                tuple(
                    (
                        self._cells(self.claims[i], biomarker).text,
                        notes.marks(self.claims[i].citation_keys),
                    )
                    for i in pair.claims
                ),
            )
            for pair, biomarker in found.values()
        )

    def _condition_link(self, condition_id: str | None) -> str:
        if condition_id is None:
            return ""
        name = md_inline(self.markup.conditions[condition_id].name)
        return f"[{name}]({urls.link(urls.LEAF_PAGE, urls.condition(condition_id))})"

    def _cells(self, claim: Claim, biomarker: Biomarker) -> ClaimCells:
        cells = self.made.get(claim.id)
        if cells is None:
            cells = self.made[claim.id] = self._make(claim, biomarker)
        return cells

    def _make(self, claim: Claim, biomarker: Biomarker) -> ClaimCells:
        article = urls.article(biomarker.id)
        specimens = ", ".join(
            f"[{md_inline(self.markup.specimens[s].name)}]"
            f"({urls.link(urls.LEAF_PAGE, urls.specimen(s))})"
            for s in specimens_of(claim)
        )
        flags = NEEDS_SOURCE_FLAG if claim.needs_primary_source else ""
        if claim.id in self.markup.contested:
            flags += CONTESTED_FLAG
        note = ""
        if claim.review is not None:
            target = urls.link(urls.LEAF_PAGE, article, urls.claim_anchor(claim.id))
            flags += review_flag_elsewhere(claim.review, target)
            note = f"Questioned by a reviewer: {md_inline(claim.review.note)}"
        return ClaimCells(
            attributes=self.markup.attributes(claim),
            biomarker=f"[{md_inline(biomarker.name)}]({urls.link(urls.LEAF_PAGE, article)})",
            specimens=specimens or "Not stated",
            change=md_inline(change_label(claim)),
            text=(
                f"[{md_inline(claim.text)}]"
                f"({urls.link(urls.LEAF_PAGE, article, urls.claim_anchor(claim.id))})"
            ),
            flags=flags,
            note=note,
        )


def index_contested(
    biomarkers: Iterable[Biomarker],
) -> dict[str, list[tuple[ContestedPair, Biomarker]]]:
    """Index every declared pair of every biomarker by both of its claim ids."""
    pairs: dict[str, list[tuple[ContestedPair, Biomarker]]] = {}
    for biomarker in biomarkers:
        for pair in biomarker.contested:
            for claim_id in pair.claims:
                pairs.setdefault(claim_id, []).append((pair, biomarker))
    return pairs
