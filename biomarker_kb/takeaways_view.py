"""Render helper: an article's takeaways as a view — the post's own summary, honestly sourced.

Input: a ``Biomarker`` and the page's ``PageFootnotes``. Output: a ``TakeawaysView``: the list's
one citation (the post itself, on its title, marked as needing a primary source) and, under
each takeaway, links to the claims of the article it sums up, named by their own words. Escaped.
The takeaways never show the sources of the claims they sum up: those never said them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.citation_style import short_citation
from biomarker_kb.escape import md_inline
from biomarker_kb.labels import in_sentence
from biomarker_kb.model import Association
from biomarker_kb.sentence_view import NEEDS_SOURCE_FLAG, claim_permalink, note_link, review_flag
from biomarker_kb.spans import walk_spans

if TYPE_CHECKING:
    from biomarker_kb.footnotes import PageFootnotes
    from biomarker_kb.model import Biomarker, KnowledgeBase, Takeaway
    from biomarker_kb.page_kit import PageKit


@dataclass(frozen=True)
class TakeawayView:
    """One takeaway, and what it sums up."""

    attributes: str
    """The claim element's attributes."""
    text: str
    ending: str
    """Its flags and the link to its editor's note, if any."""
    sums_up: str
    """Links to the claims it summarises, named by their words, comma-separated."""
    permalink: str
    """The link to the takeaway that readers copy (``claim_permalink``)."""


@dataclass(frozen=True)
class TakeawaysView:
    """The takeaways list: its title carries the list's one citation."""

    title_ending: str
    items: tuple[TakeawayView, ...]


def claim_labels(biomarker: Biomarker, kb: KnowledgeBase) -> dict[str, str]:
    """Return a short name per claim: its words in the article, or a range's source."""
    labels: dict[str, str] = {}
    specimen_names = {specimen.name.casefold() for specimen in kb.specimens.values()}
    for sentence in biomarker.sentences:
        claims = {claim.id: claim for claim in sentence.claims}
        for span, _ in walk_spans(sentence.parts):
            label = " ".join(span.words.split())
            claim = claims[span.claim_id]
            if label.casefold() in specimen_names:  # "serum" alone says nothing of the claim
                label = claim.text.rstrip(".")
            if isinstance(claim, Association) and claim.population:
                # Out of its sentence the words lose "in those with ...": say it again.
                population = in_sentence(kb.conditions[claim.population].name)
                label += f" (in those with {population})"
            labels[span.claim_id] = label
    for claim in biomarker.ranges:
        source = short_citation(kb.references[claim.citation_keys[0]])
        labels[claim.id] = f"{source}, {kb.specimens[claim.specimen].name.lower()}"
    return labels


def takeaways_view(
    biomarker: Biomarker, kb: KnowledgeBase, notes: PageFootnotes, kit: PageKit
) -> TakeawaysView | None:
    """Return the view of the article's takeaways, or None when it has none."""
    if not biomarker.takeaways:
        return None
    keys = dict.fromkeys(k for t in biomarker.takeaways for k in t.citation_keys)
    title_ending = notes.marks(keys) + NEEDS_SOURCE_FLAG
    labels = claim_labels(biomarker, kb)
    return TakeawaysView(title_ending, tuple(_item(t, labels, kit) for t in biomarker.takeaways))


def _item(claim: Takeaway, labels: dict[str, str], kit: PageKit) -> TakeawayView:
    ending = ""
    if claim.review is not None:
        ending += review_flag(claim.review, urls.note_anchor(claim.id))
    if claim.annotated:
        ending += note_link(claim.id)
    sums_up = ", ".join(
        f"[{md_inline(labels.get(i, i))}](#{urls.claim_anchor(i)})" for i in claim.summarises
    )
    return TakeawayView(
        kit.markup.attributes(claim),
        md_inline(claim.text),
        ending,
        sums_up,
        claim_permalink(claim.id),
    )
