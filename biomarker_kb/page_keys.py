"""What each generated page is made from, as values to compare from one build to the next.

Input: the browse views and records a page is rendered from. Output: keys that are equal
whenever the page's Markdown would be equal, so `mkdocs serve` renders again only the pages an
edit changed. A key holds exactly the records the page reads: an article reads its biomarker;
a condition or specimen page reads its claims and, of each claim's biomarker, only the parts
``BiomarkerPart`` lists (not its summary or prose). Everything every page reads (vocabularies,
references, templates) is compared once, as the build's shared key (``SiteRenderer``).

Records compare by value and ignore where they were written (``model``); records of files
that did not change are the very objects of the last build, so comparing them costs little.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb.record_memo import PerBiomarker

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable

    from biomarker_kb.browse import ClaimRef, ConditionView, SpecimenView
    from biomarker_kb.model import Biomarker, Claim, ContestedPair, MeasuredTest, Range


class BiomarkerPart(NamedTuple):
    """What condition and specimen pages read of a biomarker besides the claims they list."""

    id: str
    name: str
    last_reviewed: datetime.date
    """For the page's review date."""
    ranges: tuple[Range, ...]
    tests: tuple[MeasuredTest, ...]
    """Ranges and tests: for the range charts of specimen pages."""
    contested: tuple[ContestedPair, ...]
    contested_claims: tuple[Claim, ...]
    """Declared contested pairs and their claims: shown beside either claim."""


def _part(biomarker: Biomarker) -> BiomarkerPart:
    in_pairs = {claim_id for pair in biomarker.contested for claim_id in pair.claims}
    return BiomarkerPart(
        biomarker.id,
        biomarker.name,
        biomarker.last_reviewed,
        biomarker.ranges,
        biomarker.tests,
        biomarker.contested,
        tuple(c for c in biomarker.claims if c.id in in_pairs),
    )


class BiomarkerParts(PerBiomarker[BiomarkerPart]):
    """Each biomarker's ``BiomarkerPart``, made once per record (kept between builds)."""

    def __init__(self) -> None:
        super().__init__(_part)


def browse_key(biomarkers: Iterable[Biomarker], parts: BiomarkerParts) -> tuple[object, ...]:
    """Return what the condition, specimen and reference pages take from all biomarkers.

    Their claims and their ``BiomarkerPart``: while these stay the same, so do those pages (an
    edit to a summary or to the prose around the claims changes none of them).
    """
    return tuple((b.claims, parts(b)) for b in biomarkers)


def _refs(refs: tuple[ClaimRef, ...], parts: BiomarkerParts) -> tuple[object, ...]:
    # Not the position in the article: the list's order already says all it is used for.
    return tuple((ref.claim, parts(ref.biomarker)) for ref in refs)


def condition_key(view: ConditionView, parts: BiomarkerParts) -> tuple[object, ...]:
    """Return what a condition's page is made from."""
    return (
        view.condition,
        view.broader,
        view.narrower,
        _refs(view.associations, parts),
        _refs(view.patterns, parts),
        _refs(view.mentions, parts),
        _refs(view.in_population, parts),
        tuple((member, ref.claim, parts(ref.biomarker)) for member, ref in view.from_narrower),
    )


def specimen_key(view: SpecimenView, parts: BiomarkerParts) -> tuple[object, ...]:
    """Return what a specimen's page is made from."""
    return (
        view.specimen,
        _refs(view.ranges, parts),
        tuple((parts(biomarker), test) for biomarker, test in view.tests),
        _refs(view.associations, parts),
        _refs(view.patterns, parts),
        _refs(view.mentions, parts),
    )
