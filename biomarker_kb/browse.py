"""Render helper: cross-biomarker views for the condition and specimen pages.

Input: a ``KnowledgeBase``. Output: one ``ConditionView`` per condition and one ``SpecimenView``
per specimen, each holding the claims that concern it from every biomarker, sorted by named keys.
Built in one pass over all claims, so the cost grows linearly with the knowledge base.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from biomarker_kb.model import (
    Association,
    Biomarker,
    Claim,
    Condition,
    KnowledgeBase,
    MeasuredTest,
    Pattern,
    Range,
    Specimen,
    Statement,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


class ClaimRef(NamedTuple):
    """A claim together with its biomarker and its position in the article.

    A named tuple, not a dataclass: the views make one per claim for every build, and the
    claims tables read them row by row.
    """

    biomarker: Biomarker
    claim: Claim
    position: int


def biomarker_sort_key(biomarker: Biomarker) -> tuple[str, str]:
    """Sort biomarkers alphabetically by name, then id."""
    return (biomarker.name.casefold(), biomarker.id)


def claim_ref_key(ref: ClaimRef) -> tuple[str, str, int]:
    """Sort claims by biomarker name, then id, then reading order in the article."""
    return (ref.biomarker.name.casefold(), ref.biomarker.id, ref.position)


def condition_name_key(condition: Condition) -> tuple[str, str]:
    """Sort conditions alphabetically by display name, then id."""
    return (condition.name.casefold(), condition.id)


@dataclass(frozen=True)
class ConditionView:
    """Everything the site says about one condition."""

    condition: Condition
    associations: tuple[ClaimRef, ...]
    """Associations naming the condition."""
    patterns: tuple[ClaimRef, ...]
    mentions: tuple[ClaimRef, ...]
    """Statements that mention the condition."""
    in_population: tuple[ClaimRef, ...]
    """Associations with other conditions, made in people who have this one."""
    from_narrower: tuple[tuple[Condition, ClaimRef], ...]
    """Associations of narrower conditions (at any depth), for group pages."""
    broader: tuple[Condition, ...]
    narrower: tuple[Condition, ...]

    @property
    def claim_count(self) -> int:
        """Return how many claims concern the condition directly."""
        return (
            len(self.associations)
            + len(self.patterns)
            + len(self.mentions)
            + len(self.in_population)
        )


@dataclass(frozen=True)
class SpecimenView:
    """Everything the site says about one specimen type."""

    specimen: Specimen
    ranges: tuple[ClaimRef, ...]
    tests: tuple[tuple[Biomarker, MeasuredTest], ...]
    associations: tuple[ClaimRef, ...]
    patterns: tuple[ClaimRef, ...]
    mentions: tuple[ClaimRef, ...]

    @property
    def biomarkers(self) -> tuple[Biomarker, ...]:
        """Return the biomarkers with anything recorded in this specimen, by name."""
        refs = self.ranges + self.associations + self.patterns + self.mentions
        found = {ref.biomarker.id: ref.biomarker for ref in refs}
        found |= {biomarker.id: biomarker for biomarker, _ in self.tests}
        return tuple(sorted(found.values(), key=biomarker_sort_key))


def _claim_refs(kb: KnowledgeBase) -> Iterator[ClaimRef]:
    """Yield every claim in ``claim_ref_key`` order, so lists filled from it are sorted too."""
    for biomarker in sorted(kb.biomarkers, key=biomarker_sort_key):
        for position, claim in enumerate(biomarker.claims):
            yield ClaimRef(biomarker, claim, position)


def conditions_of(claim: Claim) -> tuple[str, ...]:
    """Return the ids of the conditions a claim is about, in the order it names them."""
    if isinstance(claim, Association):
        return (claim.condition,) + ((claim.population,) if claim.population else ())
    if isinstance(claim, Pattern):
        return (claim.condition,)
    if isinstance(claim, Statement):
        return claim.conditions
    return ()


def main_condition(claim: Claim) -> str | None:
    """Return the condition a claim is about (not its population), if it names one."""
    if isinstance(claim, Association | Pattern):
        return claim.condition
    if isinstance(claim, Statement) and len(claim.conditions) == 1:
        return claim.conditions[0]
    return None


def specimens_of(claim: Claim) -> tuple[str, ...]:
    """Return the ids of the specimens a claim is about, in the order it names them."""
    if isinstance(claim, Association | Range):
        return (claim.specimen,) if claim.specimen else ()
    if isinstance(claim, Pattern):
        return tuple(dict.fromkeys(f.specimen for f in claim.findings))
    if isinstance(claim, Statement):
        return claim.specimens
    return ()


_KIND_BUCKETS: dict[type[Claim], str] = {
    Association: "associations",
    Pattern: "patterns",
    Range: "ranges",
}


def _kind_bucket(claim: Claim) -> str:
    return _KIND_BUCKETS.get(type(claim), "mentions")


def _condition_bucket(claim: Claim, condition_id: str) -> str:
    """Return where a claim goes on a condition's page.

    A claim about another condition, made "in those with" this one, is not a change of the
    biomarker in this condition: it goes apart ("in_population").
    """
    if isinstance(claim, Association) and claim.condition != condition_id:
        return "in_population"
    return _kind_bucket(claim)


def _descendants(condition_id: str, narrower: Mapping[str, list[str]]) -> list[str]:
    """Return every narrower condition at any depth, each once, even if links form a cycle."""
    seen: dict[str, None] = {}
    stack = list(narrower.get(condition_id, []))
    while stack:
        current = stack.pop()
        if current not in seen and current != condition_id:
            seen[current] = None
            stack.extend(narrower.get(current, []))
    return list(seen)


def build_condition_views(kb: KnowledgeBase) -> dict[str, ConditionView]:
    """Return a view of every condition, with the claims of every biomarker about it."""
    buckets: dict[tuple[str, str], list[ClaimRef]] = defaultdict(list)
    for ref in _claim_refs(kb):
        for condition_id in dict.fromkeys(conditions_of(ref.claim)):
            buckets[(condition_id, _condition_bucket(ref.claim, condition_id))].append(ref)
    narrower: dict[str, list[str]] = defaultdict(list)
    for condition in kb.conditions.values():
        for broader_id in condition.broader:
            narrower[broader_id].append(condition.id)
    ordered = {key: tuple(refs) for key, refs in buckets.items()}
    views = {}
    for condition in kb.conditions.values():
        direct = {
            kind: ordered.get((condition.id, kind), ())
            for kind in ("associations", "patterns", "mentions", "in_population")
        }
        shown = {ref.claim.id for refs in direct.values() for ref in refs}
        members = sorted(
            (kb.conditions[i] for i in _descendants(condition.id, narrower)), key=condition_name_key
        )
        from_narrower = tuple(
            (member, ref)
            for member in members
            for ref in ordered.get((member.id, "associations"), ())
            if ref.claim.id not in shown
        )
        views[condition.id] = ConditionView(
            condition=condition,
            associations=direct["associations"],
            patterns=direct["patterns"],
            mentions=direct["mentions"],
            in_population=direct["in_population"],
            from_narrower=_first_per_claim(from_narrower),
            broader=tuple(
                sorted((kb.conditions[i] for i in condition.broader), key=condition_name_key)
            ),
            narrower=tuple(
                sorted((kb.conditions[i] for i in narrower[condition.id]), key=condition_name_key)
            ),
        )
    return views


def _first_per_claim(
    pairs: tuple[tuple[Condition, ClaimRef], ...],
) -> tuple[tuple[Condition, ClaimRef], ...]:
    """Keep each claim once: a claim about two members is listed under the first of them."""
    seen: set[str] = set()
    kept = []
    for member, ref in pairs:
        if ref.claim.id not in seen:
            seen.add(ref.claim.id)
            kept.append((member, ref))
    return tuple(kept)


def build_specimen_views(kb: KnowledgeBase) -> dict[str, SpecimenView]:
    """Return a view of every specimen, with ranges, tests and claims from every biomarker."""
    buckets: dict[tuple[str, str], list[ClaimRef]] = defaultdict(list)
    for ref in _claim_refs(kb):
        for specimen_id in specimens_of(ref.claim):
            buckets[(specimen_id, _kind_bucket(ref.claim))].append(ref)
    tests: dict[str, list[tuple[Biomarker, MeasuredTest]]] = defaultdict(list)
    for biomarker in kb.biomarkers:
        for test in biomarker.tests:
            tests[test.specimen].append((biomarker, test))
    return {
        specimen.id: SpecimenView(
            specimen=specimen,
            ranges=tuple(buckets[(specimen.id, "ranges")]),
            tests=tuple(
                sorted(tests[specimen.id], key=lambda pair: (pair[0].name.casefold(), pair[0].id))
            ),
            associations=tuple(buckets[(specimen.id, "associations")]),
            patterns=tuple(buckets[(specimen.id, "patterns")]),
            mentions=tuple(buckets[(specimen.id, "mentions")]),
        )
        for specimen in kb.specimens.values()
    }


def group_by_biomarker(refs: tuple[ClaimRef, ...]) -> list[tuple[Biomarker, list[ClaimRef]]]:
    """Split claims (already sorted by biomarker) into one group per biomarker, in order."""
    groups: dict[str, tuple[Biomarker, list[ClaimRef]]] = {}
    for ref in refs:
        groups.setdefault(ref.biomarker.id, (ref.biomarker, []))[1].append(ref)
    return list(groups.values())


KIND_TITLES = {
    "disease": "Diseases",
    "finding": "Findings",
    "exposure": "Exposures",
    "group": "Groups of conditions",
}


def conditions_by_kind(
    views: Mapping[str, ConditionView],
) -> list[tuple[str, int, list[tuple[str, list[ConditionView]]]]]:
    """Group condition views by kind (fixed order), then category (alphabetical), then name."""
    grouped: list[tuple[str, int, list[tuple[str, list[ConditionView]]]]] = []
    for kind, title in KIND_TITLES.items():
        of_kind = [v for v in views.values() if v.condition.kind == kind]
        categories: dict[str, list[ConditionView]] = defaultdict(list)
        for view in of_kind:
            categories[view.condition.category or "Other"].append(view)
        ordered = [
            (category, sorted(members, key=lambda v: condition_name_key(v.condition)))
            for category, members in sorted(categories.items(), key=lambda item: item[0].casefold())
        ]
        if of_kind:
            grouped.append((title, len(of_kind), ordered))
    return grouped
