"""Validate stage, part 2: check that the assembled records refer to each other correctly.

Input: a ``KnowledgeBase`` assembled from files that passed their schemas, and each biomarker
file's path. Output: Problems (errors and warnings): unknown or duplicate ids, citation keys
missing from the bibliography, wrong primary-source markers, impossible intervals, unused
references. Never raises on user data.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from biomarker_kb.model import (
    Association,
    Biomarker,
    Claim,
    KnowledgeBase,
    Pattern,
    Range,
    Statement,
    Takeaway,
)
from biomarker_kb.problems import Location, Problem, Severity, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# Names that would collide with generated index pages or with MkDocs' own output folders.
RESERVED_IDS = frozenset({"index", "assets", "search", "stylesheets", "javascripts", "404"})


def check_cross_references(kb: KnowledgeBase) -> list[Problem]:
    """Return every problem in how records refer to each other."""
    problems: list[Problem] = []
    problems += _check_unique_ids(kb)
    for biomarker in kb.biomarkers:
        problems += _check_biomarker(biomarker, kb)
        for claim in biomarker.claims:
            problems += _check_claim(claim, biomarker, kb)
    problems += _check_vocabulary(kb)
    problems += _unused_references(kb)
    return problems


def _duplicates(items: Iterable[tuple[str, Location]], what: str) -> Iterator[Problem]:
    seen: dict[str, Location] = {}
    folded: dict[str, str] = {}
    for item_id, at in items:
        if item_id in seen:
            yield Problem(
                at, f"duplicate {what} id {item_id!r} (also at {seen[item_id]}); ids must be unique"
            )
        elif item_id.lower() in folded:
            other = folded[item_id.lower()]
            yield Problem(
                at, f"{what} id {item_id!r} differs from {other!r} only by case; rename one"
            )
        elif item_id in RESERVED_IDS:
            yield Problem(at, f"{what} id {item_id!r} is reserved by the site; choose another id")
        seen.setdefault(item_id, at)
        folded.setdefault(item_id.lower(), item_id)


def _check_unique_ids(kb: KnowledgeBase) -> list[Problem]:
    claims = ((c.id, c.location) for b in kb.biomarkers for c in b.claims)
    return [
        *_duplicates(((b.id, b.location) for b in kb.biomarkers), "biomarker"),
        *_duplicates(claims, "claim"),
        *_duplicates(((c.id, c.location) for c in kb.conditions.values()), "condition"),
        *_duplicates(((s.id, s.location) for s in kb.specimens.values()), "specimen"),
    ]


def _check_biomarker(biomarker: Biomarker, kb: KnowledgeBase) -> list[Problem]:
    problems = []
    stem = PurePosixPath(biomarker.location.path).stem
    if biomarker.id != stem:
        problems.append(
            Problem(
                biomarker.location,
                f"id {biomarker.id!r} must match the file name {stem!r};"
                f" rename the file to {biomarker.id}.yaml or change the id",
            )
        )
    post_key = biomarker.original_post.cite
    if post_key not in kb.references:
        problems.append(Problem(biomarker.location, _unknown_key(post_key, kb)))
    for test in biomarker.tests:
        problems += _unknown(test.specimen, kb.specimens, "specimen", test.location)
    return problems


def _unknown_key(key: str, kb: KnowledgeBase) -> str:
    hint = did_you_mean(key, kb.references) or "; add it to data/references.bib or fix the key"
    return f"unknown citation key {key!r}{hint}"


def _unknown(ref: str | None, known: Iterable[str], what: str, at: Location) -> list[Problem]:
    if ref is None or ref in known:
        return []
    file = "data/conditions.yaml" if what == "condition" else "data/specimens.yaml"
    hint = did_you_mean(ref, known) or f"; add it to {file} or fix the id"
    return [Problem(at, f"unknown {what} {ref!r}{hint}")]


def _check_claim(claim: Claim, biomarker: Biomarker, kb: KnowledgeBase) -> list[Problem]:
    problems = [
        Problem(citation.location, _unknown_key(citation.key, kb))
        for citation in claim.citations
        if citation.key not in kb.references and citation.attribution != "inherited"
    ]
    if not claim.citations:
        problems.append(
            Problem(claim.location, f"claim {claim.id!r} has no source; add cite: [<key>]")
        )
    problems += _check_primary_source_marker(claim, biomarker)
    problems += _check_links(claim, biomarker, kb)
    return problems


def _check_primary_source_marker(claim: Claim, biomarker: Biomarker) -> list[Problem]:
    only_post = bool(claim.citations) and set(claim.citation_keys) == {biomarker.original_post.cite}
    if isinstance(claim, Takeaway) or only_post == claim.needs_primary_source:
        return []
    if only_post:
        return [
            Problem(
                claim.location,
                f"claim {claim.id!r} cites only the original post; add"
                " 'needs_primary_source: true' or cite a primary source",
            )
        ]
    return [
        Problem(
            claim.location,
            f"claim {claim.id!r} is marked needs_primary_source but cites a primary source;"
            " remove the marker",
        )
    ]


def _check_links(claim: Claim, biomarker: Biomarker, kb: KnowledgeBase) -> list[Problem]:
    at = claim.location
    problems: list[Problem] = []
    if isinstance(claim, Statement):
        for condition in claim.conditions:
            problems += _unknown(condition, kb.conditions, "condition", at)
        for specimen in claim.specimens:
            problems += _unknown(specimen, kb.specimens, "specimen", at)
    elif isinstance(claim, Association):
        problems += _unknown(claim.condition, kb.conditions, "condition", at)
        problems += _unknown(claim.population, kb.conditions, "condition", at)
        problems += _unknown(claim.specimen, kb.specimens, "specimen", at)
    elif isinstance(claim, Pattern):
        problems += _unknown(claim.condition, kb.conditions, "condition", at)
        for finding in claim.findings:
            problems += _unknown(finding.specimen, kb.specimens, "specimen", at)
    elif isinstance(claim, Range):
        problems += _unknown(claim.specimen, kb.specimens, "specimen", at)
        problems += _check_interval(claim)
    elif isinstance(claim, Takeaway):
        own = {c.id for c in biomarker.claims if not isinstance(c, Takeaway)}
        for claim_id in claim.summarises:
            if claim_id not in own:
                hint = did_you_mean(claim_id, own) or "; use the id of a claim in this file"
                problems.append(Problem(at, f"unknown claim {claim_id!r}{hint}"))
    return problems


def _check_interval(claim: Range) -> list[Problem]:
    if claim.lower and claim.upper and claim.lower.value > claim.upper.value:
        return [
            Problem(
                claim.location,
                f"lower bound {claim.lower.value:g} is above upper bound {claim.upper.value:g};"
                " swap them",
            )
        ]
    return []


def _check_vocabulary(kb: KnowledgeBase) -> list[Problem]:
    problems: list[Problem] = []
    for condition in kb.conditions.values():
        for broader in condition.broader:
            if broader == condition.id:
                problems.append(
                    Problem(condition.location, f"condition {broader!r} lists itself as broader")
                )
            problems += _unknown(broader, kb.conditions, "condition", condition.location)
    return problems


def _unused_references(kb: KnowledgeBase) -> list[Problem]:
    cited = {key for b in kb.biomarkers for c in b.claims for key in c.citation_keys}
    cited |= {b.original_post.cite for b in kb.biomarkers}
    return [
        Problem(
            reference.location,
            f"reference {key!r} is not cited by any claim; cite it or remove it",
            Severity.WARNING,
        )
        for key, reference in sorted(kb.references.items())
        if key not in cited
    ]


def needs_primary_source_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Return one warning per claim whose only source is the original blog post."""
    return [
        Problem(
            claim.location,
            f"claim {claim.id!r} cites only the original post; find a primary source",
            Severity.WARNING,
        )
        for biomarker in kb.biomarkers
        for claim in biomarker.claims
        if claim.needs_primary_source
    ]
