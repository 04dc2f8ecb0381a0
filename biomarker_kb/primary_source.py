"""Check stage for claims that cite only the original post: markers, reasons, reminders.

Input: a biomarker ``YamlFile`` that passed its schema (where ``acknowledged`` stands), or
claims and a ``KnowledgeBase`` after assembly. Output: Problems: a missing or misplaced
``needs_primary_source`` marker or ``acknowledged`` reason (errors), and a warning for each
place whose claims still rest on the post alone without a reason. Pure; never raises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb.model import Takeaway
from biomarker_kb.problems import Problem, Severity
from biomarker_kb.source_tree import SourceMap

if TYPE_CHECKING:
    from collections.abc import Iterator

    from biomarker_kb.load import YamlFile
    from biomarker_kb.model import Biomarker, Claim, KnowledgeBase, Sentence
    from biomarker_kb.problems import Location

ACKNOWLEDGE_HINT = "find a primary source, or acknowledge it with acknowledged: <reason>"
UNMARKED_ACKNOWLEDGEMENT = (
    "'acknowledged' stands where needs_primary_source is not set (here or on the sentence,"
    " paragraph or list above); remove it, or add 'needs_primary_source: true' beside it"
)


def cites_only_post(claim: Claim, biomarker: Biomarker) -> bool:
    """Return whether every source of ``claim`` is its article's original blog post."""
    post = biomarker.original_post.cite
    return bool(claim.citations) and all(c.key == post for c in claim.citations)


def primary_source_marker(claim: Claim, biomarker: Biomarker) -> list[Problem]:
    """Return the error when ``needs_primary_source`` disagrees with the claim's sources."""
    only_post = cites_only_post(claim, biomarker)
    if only_post == claim.needs_primary_source:
        return []
    if only_post:
        message = (
            f"claim {claim.id!r} cites only the original post; add"
            " 'needs_primary_source: true' or cite a primary source"
        )
        return [Problem(claim.location, message)]
    if "needs_primary_source" not in claim.field_locations:  # inherited from around it
        message = (
            f"claim {claim.id!r} cites a primary source, but its sentence, paragraph or list is"
            " marked needs_primary_source; move the marker onto the sentences or claims that"
            " cite only the post"
        )
        return [Problem(claim.location, message)]
    message = (
        f"claim {claim.id!r} is marked needs_primary_source but cites a primary source;"
        " remove the marker"
    )
    return [Problem(claim.where("needs_primary_source"), message)]


def check_acknowledgements(document: YamlFile) -> list[Problem]:
    """Return each ``acknowledged`` written where no needs_primary_source marker is in force."""
    root = document.root
    assert isinstance(root, SourceMap), "bug: acknowledgements checked in a file failing its schema"
    found: list[Problem] = []
    ranges = root.get("reference_ranges", {})
    blocks = [*root.get("overview", []), *ranges.get("paragraphs", []), *root.get("levels", [])]
    for block in blocks:
        block_marked = _marked(block, False, found)
        for sentence in block.get("sentences") or block["items"]:
            sentence_marked = _marked(sentence, block_marked, found)
            for claim in sentence["claims"]:
                _marked(claim, sentence_marked, found)
    for claim in ranges.get("ranges", []):
        _marked(claim, False, found)
    return found


def _marked(node: SourceMap, above: bool, found: list[Problem]) -> bool:
    """Return whether the marker is in force at ``node``; record a reason that has none."""
    marked = above or node.get("needs_primary_source") is True
    if "acknowledged" in node and not marked:
        found.append(Problem(node.value_location("acknowledged"), UNMARKED_ACKNOWLEDGEMENT))
    return marked


class _Place(NamedTuple):
    """Where a marker that several claims inherit is written: a sentence, paragraph or list."""

    kind: str
    location: Location


def post_only_claims(kb: KnowledgeBase) -> list[Claim]:
    """Return the marked claims that cite only their article's post, acknowledged or not.

    Takeaways are left out: they are the post's own summary, always cite it, and can cite
    nothing else; they rest on the claims they sum up, which are counted here.
    """
    return [
        claim
        for biomarker in kb.biomarkers
        for claim in biomarker.claims
        if claim.needs_primary_source
        and not isinstance(claim, Takeaway)
        and cites_only_post(claim, biomarker)
    ]


def needs_primary_source_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Return a reminder for each place whose claims cite only the post without a reason.

    A claim marked itself gets its own warning; claims that inherit the marker get one warning
    for the sentence, paragraph or list that carries it.
    """
    return [p for biomarker in kb.biomarkers for p in primary_source_warnings(biomarker)]


def primary_source_warnings(biomarker: Biomarker) -> list[Problem]:
    """Return ``needs_primary_source_warnings`` for one biomarker."""
    problems: list[Problem] = []
    inheriting: dict[_Place, int] = {}
    for claim, place in _claims_with_places(biomarker):
        if claim.acknowledged or not claim.needs_primary_source:
            continue
        if not cites_only_post(claim, biomarker):
            continue
        if place is None:
            message = f"claim {claim.id!r} cites only the original post; {ACKNOWLEDGE_HINT}"
            problems.append(Problem(claim.location, message, Severity.WARNING))
        else:
            inheriting[place] = inheriting.get(place, 0) + 1
    return problems + [_place_warning(place, count) for place, count in inheriting.items()]


def _place_warning(place: _Place, count: int) -> Problem:
    claims = "1 claim of this" if count == 1 else f"{count} claims of this"
    verb = "cites" if count == 1 else "cite"
    message = f"{claims} {place.kind} {verb} only the original post; {ACKNOWLEDGE_HINT}"
    return Problem(place.location, message, Severity.WARNING)


def _claims_with_places(biomarker: Biomarker) -> Iterator[tuple[Claim, _Place | None]]:
    """Yield each claim with where the marker it inherits is written (None: not inherited)."""
    blocks: list[tuple[_Place, bool, tuple[Sentence, ...]]] = [
        (_Place("paragraph", p.location), p.needs_primary_source, p.sentences)
        for p in (*biomarker.overview, *biomarker.range_paragraphs)
    ]
    blocks += [
        (_Place("list", x.location), x.needs_primary_source, x.items) for x in biomarker.levels
    ]
    for block, block_marked, sentences in blocks:
        for sentence in sentences:
            # The nearest marker above a claim is the place its warning points at.
            if sentence.needs_primary_source:
                place: _Place | None = _Place("sentence", sentence.location)
            else:
                place = block if block_marked else None
            for claim in sentence.claims:
                own = "needs_primary_source" in claim.field_locations
                yield claim, None if own else place
    for claim in biomarker.ranges:  # takeaways: see post_only_claims
        yield claim, None
