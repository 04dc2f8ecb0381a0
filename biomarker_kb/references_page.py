"""Render stage, the references page: the bibliography → its ``ReferencesPage`` view.

Input: a checked ``KnowledgeBase`` and the build's formatted references. Output: one entry per
source, sorted by first author, with its AMA reference and the articles citing it (how many
claims, where the source was given), each linked to the source's footnote in that article.
One line per citing article, not per claim: listing every claim grew with the whole knowledge
base (24 MB of Markdown at N=1000, the build's memory peak). Everything escaped. Pure.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.browse import biomarker_sort_key
from biomarker_kb.citation_style import family_name, reference_note
from biomarker_kb.escape import md_inline
from biomarker_kb.labels import attribution_summary, reference_headings

if TYPE_CHECKING:
    from biomarker_kb.footnotes import ReferenceTexts
    from biomarker_kb.model import KnowledgeBase, Reference


@dataclass(frozen=True)
class CitingArticle:
    """An article citing a source: a link to the source's footnote there, and its counts."""

    link: str
    claims: int
    attributions: str


@dataclass(frozen=True)
class ReferenceEntry:
    """One source of the bibliography."""

    heading: str
    anchor: str
    reference: str
    note: str
    """The .bib's note on the source (AMA has no place for it in the reference), escaped."""
    citing: tuple[CitingArticle, ...]

    @property
    def claims(self) -> int:
        """Return how many claims cite the source, over all articles."""
        return sum(item.claims for item in self.citing)


def reference_sort_key(reference: Reference) -> tuple[str, str, str]:
    """Sort the bibliography by first author (or organization), then year, then key."""
    first = family_name(reference.authors[0]) if reference.authors else reference.organization or ""
    return (first.casefold(), reference.year or "", reference.key)


def references_page(kb: KnowledgeBase, texts: ReferenceTexts) -> tuple[ReferenceEntry, ...]:
    """Return the bibliography's entries, sorted, each with the articles citing it."""
    citing: dict[str, list[CitingArticle]] = {key: [] for key in kb.references}
    for biomarker in sorted(kb.biomarkers, key=biomarker_sort_key):
        claims: Counter[str] = Counter()
        levels: dict[str, Counter[str]] = defaultdict(Counter)
        for claim in biomarker.claims:
            for key in claim.citation_keys:
                claims[key] += 1
                levels[key].update({c.attribution for c in claim.citations if c.key == key})
        for key, count in claims.items():
            target = urls.link(
                urls.REFERENCES, urls.article(biomarker.id), urls.footnote_anchor(key)
            )
            link = f"[{md_inline(biomarker.name)}]({target})"
            citing[key].append(CitingArticle(link, count, attribution_summary(levels[key])))
    ordered = sorted(kb.references.values(), key=reference_sort_key)
    headings = reference_headings(ordered)
    return tuple(
        ReferenceEntry(
            md_inline(headings[ref.key]),
            urls.reference_anchor(ref.key),
            texts(ref.key),
            reference_note(ref),
            tuple(citing[ref.key]),
        )
        for ref in ordered
    )
