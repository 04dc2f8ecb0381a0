"""Render helper: what every page view of one build shares, made once per build.

Input: a checked ``KnowledgeBase``. Output: a ``PageKit`` of per-build makers (formatted
references, claim markup, range comparisons and charts, stand-alone claim rows). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb.claim_rows import StandaloneClaims, index_contested
from biomarker_kb.footnotes import ReferenceTexts
from biomarker_kb.range_view import RangeViews
from biomarker_kb.sentence_view import ClaimMarkup

if TYPE_CHECKING:
    from biomarker_kb.model import KnowledgeBase


@dataclass(frozen=True)
class PageKit:
    """The per-build makers the page views share, each caching what it makes."""

    reference_texts: ReferenceTexts
    markup: ClaimMarkup
    ranges: RangeViews
    standalone: StandaloneClaims

    @classmethod
    def of(cls, kb: KnowledgeBase) -> PageKit:
        """Return the makers of one build of ``kb``."""
        pairs = index_contested(kb.biomarkers)
        markup = ClaimMarkup(kb.conditions, kb.specimens, frozenset(pairs))
        return cls(
            reference_texts=ReferenceTexts(kb.references),
            markup=markup,
            ranges=RangeViews(kb.references, kb.specimens, markup),
            standalone=StandaloneClaims(markup, kb.claims, pairs),
        )
