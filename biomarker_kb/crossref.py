"""Check stage: check that the assembled records refer to each other correctly.

Input: a ``KnowledgeBase`` assembled from the files that passed their schemas, and a
``CheckScope`` saying which other sides are complete. Output: Problems (errors and warnings):
unknown or duplicate ids, citation keys missing from the bibliography, wrong primary-source
markers, impossible intervals, unused references. Never raises on user data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from biomarker_kb.model import (
    Association,
    Biomarker,
    Claim,
    Condition,
    KnowledgeBase,
    Pattern,
    Range,
    Specimen,
    Statement,
    Takeaway,
)
from biomarker_kb.primary_source import primary_source_marker
from biomarker_kb.problems import (
    Location,
    Problem,
    Severity,
    did_you_mean,
    differs_only_in_case,
    quoted,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

# Names that would collide with generated index pages or with MkDocs' own output folders.
RESERVED_IDS = frozenset({"index", "assets", "search", "stylesheets", "javascripts", "404"})


@dataclass(frozen=True)
class CheckScope:
    """Which sides of a reference are fully known; checks against an incomplete side are skipped.

    When conditions.yaml could not be read, every condition would look unknown: reporting that
    for each claim would bury the one real mistake.
    """

    conditions_known: bool = True
    specimens_known: bool = True
    all_biomarkers_loaded: bool = True
    broken_keys: frozenset[str] = frozenset()
    """Keys of BibTeX entries that exist but had problems (already reported)."""


def check_cross_references(kb: KnowledgeBase, scope: CheckScope) -> list[Problem]:
    """Return every problem in how records refer to each other."""
    problems = check_shared_references(kb, scope)
    for biomarker in kb.biomarkers:
        problems += check_biomarker_references(biomarker, kb, scope)
    return problems


def check_shared_references(kb: KnowledgeBase, scope: CheckScope) -> list[Problem]:
    """Return the problems only the whole knowledge base shows.

    Ids used twice across files, broader links between conditions, references no article cites.
    """
    checker = _Checker(kb, scope)
    problems = checker.unique_claim_ids() + checker.broader_links()
    if scope.all_biomarkers_loaded:  # an unreadable article may be the one citing them
        problems += _unused_references(kb)
    return problems


def check_biomarker_references(
    biomarker: Biomarker, kb: KnowledgeBase, scope: CheckScope
) -> list[Problem]:
    """Return the problems in what one biomarker's records refer to.

    They depend on the biomarker and on ``kb``'s references, conditions and specimens only, so
    a caller may keep them while those stay the same.
    """
    checker = _Checker(kb, scope)
    problems = checker.biomarker(biomarker)
    for claim in biomarker.claims:
        problems += checker.claim(claim, biomarker)
    return problems


def check_vocabulary_ids(
    conditions: Iterable[Condition], specimens: Iterable[Specimen]
) -> list[Problem]:
    """Return duplicate or reserved ids in the condition and specimen lists."""
    return [
        *_duplicates(((c.id, c.location) for c in conditions), "condition"),
        *_duplicates(((s.id, s.location) for s in specimens), "specimen"),
    ]


def _duplicates(items: Iterable[tuple[str, Location]], what: str) -> Iterator[Problem]:
    """Report the later of two equal ids, or of two that differ only in letter case."""
    # Keyed by the folded id: pages named by ids that differ only in case are one file on the
    # case-insensitive file systems of macOS and Windows, and a reader cannot tell them apart.
    listed = list(items)
    folded = {item_id.casefold() for item_id, _ in listed}
    if len(folded) == len(listed) and folded.isdisjoint(RESERVED_IDS):
        return  # nearly always; runs on every edit under `mkdocs serve` (N=1000: 90,000 ids)
    seen: dict[str, tuple[str, Location]] = {}
    for item_id, at in listed:
        first = seen.get(item_id.casefold())
        if first is None:
            seen[item_id.casefold()] = (item_id, at)
            if item_id.casefold() in RESERVED_IDS:
                message = f"{what} id {quoted(item_id)} is reserved by the site; choose another id"
                yield Problem(at, message)
        elif first[0] == item_id:
            message = (
                f"duplicate {what} id {quoted(item_id)} (also at {first[1]}); ids must be unique"
            )
            yield Problem(at, message)
        else:
            yield Problem(
                at, differs_only_in_case(f"{what} id", item_id, first[0], f"at {first[1]}")
            )


class _Checker:
    """Cross-reference checks over one knowledge base, within one scope."""

    def __init__(self, kb: KnowledgeBase, scope: CheckScope) -> None:
        self.kb = kb
        self.scope = scope
        self._own_ids: tuple[Biomarker | None, frozenset[str]] = (None, frozenset())
        """The last biomarker's non-takeaway claim ids: its takeaways come one after another."""

    def unique_claim_ids(self) -> list[Problem]:
        biomarkers = ((b.id, b.location) for b in self.kb.biomarkers)
        claims = ((c.id, c.location) for b in self.kb.biomarkers for c in b.claims)
        return [*_duplicates(biomarkers, "biomarker"), *_duplicates(claims, "claim")]

    def key(self, key: str, at: Location) -> list[Problem]:
        if key in self.kb.references or key in self.scope.broken_keys:
            return []
        # A broken entry's key is a candidate too: it shows a look-alike letter escaped.
        known = [*self.kb.references, *self.scope.broken_keys]
        hint = did_you_mean(key, known) or "; add it to data/references.bib or fix the key"
        return [Problem(at, f"unknown citation key {quoted(key)}{hint}")]

    def condition(self, ref: str | None, at: Location) -> list[Problem]:
        if not self.scope.conditions_known:
            return []
        return _unknown(ref, self.kb.conditions, "condition", "data/conditions.yaml", at)

    def specimen(self, ref: str | None, at: Location) -> list[Problem]:
        if not self.scope.specimens_known:
            return []
        return _unknown(ref, self.kb.specimens, "specimen", "data/specimens.yaml", at)

    def biomarker(self, biomarker: Biomarker) -> list[Problem]:
        problems = []
        stem = PurePosixPath(biomarker.location.path).stem
        if biomarker.id != stem:
            problems.append(
                Problem(
                    biomarker.location,
                    f"id {quoted(biomarker.id)} must match the file name {quoted(stem)};"
                    f" rename the file to {biomarker.id}.yaml or change the id",
                )
            )
        problems += self.key(biomarker.original_post.cite, biomarker.original_post.location)
        for test in biomarker.tests:
            problems += self.specimen(test.specimen, test.location)
        for level_list in biomarker.levels:  # items inherit it: report it once, here
            problems += self.specimen(level_list.specimen, level_list.specimen_location)
        return problems

    def claim(self, claim: Claim, biomarker: Biomarker) -> list[Problem]:
        known, broken = self.kb.references, self.scope.broken_keys
        problems = [
            p
            for citation in claim.citations
            if citation.key not in known and citation.key not in broken
            for p in self.key(citation.key, citation.location)
        ]
        if isinstance(claim, Takeaway):
            problems += self.takeaway(claim, biomarker)
        elif not claim.citations:
            problems.append(
                Problem(
                    claim.location, f"claim {quoted(claim.id)} has no source; add cite: [<key>]"
                )
            )
        else:
            problems += primary_source_marker(claim, biomarker)
        return problems + self.links(claim)

    def takeaway(self, claim: Takeaway, biomarker: Biomarker) -> list[Problem]:
        if self._own_ids[0] is not biomarker:
            ids = frozenset(c.id for c in biomarker.claims if not isinstance(c, Takeaway))
            self._own_ids = (biomarker, ids)
        own = self._own_ids[1]
        problems = []
        for index, claim_id in enumerate(claim.summarises):
            if claim_id not in own:
                hint = did_you_mean(claim_id, own) or "; use the id of a claim in this file"
                problems.append(
                    Problem(
                        claim.where("summarises", index), f"unknown claim {quoted(claim_id)}{hint}"
                    )
                )
        return problems

    def condition_in(
        self, claim: Claim, ref: str | None, name: str, index: int | None = None
    ) -> list[Problem]:
        """Check a condition id written in field ``name`` of ``claim``, located only if wrong."""
        if ref is None or ref in self.kb.conditions:
            return []
        return self.condition(ref, claim.where(name, index))

    def specimen_in(
        self, claim: Claim, ref: str | None, name: str, index: int | None = None
    ) -> list[Problem]:
        """Check a specimen id written in field ``name`` of ``claim``, located only if wrong."""
        if ref is None or ref in self.kb.specimens:
            return []
        return self.specimen(ref, claim.where(name, index))

    def links(self, claim: Claim) -> list[Problem]:
        problems: list[Problem] = []
        if isinstance(claim, Statement):
            for index, condition in enumerate(claim.conditions):
                problems += self.condition_in(claim, condition, "conditions", index)
            for index, specimen in enumerate(claim.specimens):
                problems += self.specimen_in(claim, specimen, "specimens", index)
        elif isinstance(claim, Association):
            problems += self.condition_in(claim, claim.condition, "condition")
            problems += self.condition_in(claim, claim.population, "population")
            if "specimen" in claim.field_locations or not claim.in_list:
                problems += self.specimen_in(claim, claim.specimen, "specimen")
        elif isinstance(claim, Pattern):
            problems += self.condition_in(claim, claim.condition, "condition")
            for index, finding in enumerate(claim.findings):
                if finding.specimen not in self.kb.specimens:
                    at = finding.location or claim.where("findings", index)
                    problems += self.specimen(finding.specimen, at)
        elif isinstance(claim, Range):
            problems += self.specimen_in(claim, claim.specimen, "specimen")
            problems += _interval(claim)
        return problems

    def broader_links(self) -> list[Problem]:
        problems: list[Problem] = []
        for condition in self.kb.conditions.values():
            for index, broader in enumerate(condition.broader):
                at = (
                    condition.broader_locations[index]
                    if index < len(condition.broader_locations)
                    else condition.location
                )
                if broader == condition.id:
                    message = f"condition {quoted(broader)} lists itself as broader; remove it"
                    problems.append(Problem(at, message))
                problems += self.condition(broader, at)
        return problems


def _unknown(
    ref: str | None, known: Mapping[str, object], what: str, file: str, at: Location
) -> list[Problem]:
    if ref is None or ref in known:
        return []
    hint = did_you_mean(ref, known) or f"; add it to {file} or fix the id"
    return [Problem(at, f"unknown {what} {quoted(ref)}{hint}")]


def _interval(claim: Range) -> list[Problem]:
    if claim.lower and claim.upper and claim.lower.value > claim.upper.value:
        message = (
            f"lower bound {claim.lower.value:g} is above upper bound {claim.upper.value:g};"
            " swap them"
        )
        return [Problem(claim.where("lower"), message)]
    return []


def _unused_references(kb: KnowledgeBase) -> list[Problem]:
    cited = {citation.key for b in kb.biomarkers for c in b.claims for citation in c.citations}
    cited |= {b.original_post.cite for b in kb.biomarkers}
    return [
        Problem(
            reference.location,
            f"reference {quoted(key)} is not cited by any claim; cite it or remove it",
            Severity.WARNING,
        )
        for key, reference in sorted(kb.references.items())
        if key not in cited
    ]
