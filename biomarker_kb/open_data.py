"""Export stage: a checked knowledge base → the open data, as JSON and CSV.

Input: a ``KnowledgeBase`` that passed every check, and each biomarker's data file. Output: the
knowledge base as one JSON document (its JSON Schema is ``schema/knowledge-base.schema.json``)
and its claims and reference ranges as CSV tables, each as text. Deterministic: records in
their sort order, keys in a fixed order, no timestamps. Pure: writes nothing. Text is data
here, not markup: it is written as the records hold it (JSON and CSV escape it themselves).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from biomarker_kb import urls
from biomarker_kb.browse import main_condition, specimens_of
from biomarker_kb.comparison import compare_ranges
from biomarker_kb.model import Association, Pattern, Range, Statement, Takeaway

if TYPE_CHECKING:
    from collections.abc import Mapping

    from biomarker_kb.model import Biomarker, Bound, Claim, KnowledgeBase, Reference

FORMAT_VERSION = "1.0"
"""Raised when a field changes meaning or goes away; new fields keep it."""

CLAIM_COLUMNS = (
    "id", "biomarker", "type", "condition", "specimen", "direction", "population", "role",
    "text", "sources", "attribution", "needs_primary_source", "url",
)  # fmt: skip
RANGE_COLUMNS = (
    "id", "biomarker", "specimen", "source", "lab_test", "population",
    "lower", "lower_inclusive", "upper", "upper_inclusive", "unit_as_printed", "unit_ucum",
    "canonical_unit_ucum", "canonical_lower", "canonical_upper", "interval_as_printed", "url",
)  # fmt: skip


def claim_url(claim: Claim) -> str:
    """Return the claim's address on its article, relative to the site's root."""
    return f"{urls.page_url(urls.article(claim.biomarker_id))}#{urls.claim_anchor(claim.id)}"


def claim_type(claim: Claim) -> str:
    """Return the claim's kind as the data writes it: statement, association, pattern..."""
    return type(claim).__name__.lower()


def _claim(claim: Claim) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": claim.id,
        "type": claim_type(claim),
        "text": claim.text,
        "section": claim.section,
        "sources": list(claim.citation_keys),
        "attribution": claim.attribution_levels,
        "needs_primary_source": claim.needs_primary_source,
        "url": claim_url(claim),
    }
    if isinstance(claim, Statement):
        fields |= {"topic": claim.topic, "conditions": list(claim.conditions)}
        fields["specimens"] = list(claim.specimens)
    elif isinstance(claim, Association):
        fields |= {"condition": claim.condition, "specimen": claim.specimen}
        fields |= {"direction": claim.direction, "role": claim.role}
        fields["population"] = claim.population
    elif isinstance(claim, Pattern):
        fields["condition"] = claim.condition
        fields["findings"] = [
            {"specimen": f.specimen, "direction": f.direction} for f in claim.findings
        ]
    elif isinstance(claim, Range):
        fields |= {"specimen": claim.specimen, "lab_test": claim.lab_test}
        fields |= {"population": claim.population, "unit_ucum": claim.unit}
        fields |= {"lower": _bound(claim.lower), "upper": _bound(claim.upper)}
        fields["unit_as_printed"] = claim.unit_as_printed
    elif isinstance(claim, Takeaway):
        fields["summarises"] = list(claim.summarises)
    if claim.as_printed:
        fields["as_printed"] = claim.as_printed
    return fields


def _bound(bound: Bound | None) -> dict[str, Any] | None:
    return None if bound is None else {"value": bound.value, "inclusive": bound.inclusive}


def biomarker_document(biomarker: Biomarker, source: str) -> dict[str, Any]:
    """Return one biomarker, with its claims, as a JSON-ready object."""
    return {
        "id": biomarker.id,
        "name": biomarker.name,
        "abbreviation": biomarker.abbreviation,
        "aliases": list(biomarker.aliases),
        "summary": biomarker.summary,
        "published": biomarker.original_post.published.isoformat(),
        "last_reviewed": biomarker.last_reviewed.isoformat(),
        "original_post": {
            "title": biomarker.original_post.title,
            "source": biomarker.original_post.cite,
        },
        "identifiers": dict(biomarker.identifiers),
        "data_file": source,
        "url": urls.page_url(urls.article(biomarker.id)),
        "claims": [_claim(claim) for claim in biomarker.claims],
    }


def _reference(reference: Reference) -> dict[str, Any]:
    fields = {
        "id": reference.key,
        "type": reference.entry_type,
        "title": reference.title,
        "authors": list(reference.authors),
    }
    for name in ("organization", "journal", "year", "month", "day", "volume", "number", "pages",
                 "edition", "publisher", "address", "doi", "pmid", "url", "note"):  # fmt: skip
        value = getattr(reference, name)
        if value is not None:
            fields[name] = value
    return fields


def vocabularies(kb: KnowledgeBase) -> dict[str, list[dict[str, Any]]]:
    """Return the conditions, specimens and references, each list sorted by id."""
    return {
        "conditions": [
            {
                "id": c.id,
                "name": c.name,
                "kind": c.kind,
                "category": c.category,
                "synonyms": list(c.synonyms),
                "broader": list(c.broader),
                "codes": dict(c.codes),
            }
            for c in sorted(kb.conditions.values(), key=lambda c: c.id)
        ],  # fmt: skip
        "specimens": [
            {"id": s.id, "name": s.name, "synonyms": list(s.synonyms)}
            for s in sorted(kb.specimens.values(), key=lambda s: s.id)
        ],
        "references": [_reference(r) for _, r in sorted(kb.references.items())],
    }


def knowledge_base(kb: KnowledgeBase, sources: Mapping[str, str]) -> dict[str, Any]:
    """Return the whole knowledge base as one JSON-ready document."""
    return {
        "format_version": FORMAT_VERSION,
        "biomarkers": [biomarker_document(b, sources[b.id]) for b in kb.biomarkers],
        **vocabularies(kb),
    }


def table(columns: tuple[str, ...], rows: list[dict[str, object]], *, header: bool = True) -> str:
    """Return rows as CSV text (with the header line unless told not to)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return out.getvalue()


def biomarker_claim_rows(biomarker: Biomarker) -> list[dict[str, object]]:
    """Return the claims table's rows of one biomarker."""
    return [
        {
            "id": claim.id,
            "biomarker": biomarker.id,
            "type": claim_type(claim),
            "condition": main_condition(claim),
            "specimen": " ".join(specimens_of(claim)),
            "direction": claim.direction if isinstance(claim, Association) else "",
            "population": getattr(claim, "population", None),
            "role": claim.role if isinstance(claim, Association) else "",
            "text": claim.text,
            "sources": " ".join(claim.citation_keys),
            "attribution": claim.attribution_levels,
            "needs_primary_source": str(claim.needs_primary_source).lower(),
            "url": claim_url(claim),
        }
        for claim in biomarker.claims
    ]


def biomarker_range_rows(biomarker: Biomarker) -> list[dict[str, object]]:
    """Return the ranges table's rows of one biomarker, bounds also in the canonical unit."""
    rows: list[dict[str, object]] = []
    for comparison in compare_ranges(biomarker):
        for row in comparison.rows:
            claim = row.claim
            rows.append({
                "id": claim.id,
                "biomarker": biomarker.id,
                "specimen": claim.specimen,
                "source": " ".join(claim.citation_keys),
                "lab_test": claim.lab_test,
                "population": claim.population,
                "lower": claim.lower.value if claim.lower else None,
                "lower_inclusive": _inclusive(claim.lower),
                "upper": claim.upper.value if claim.upper else None,
                "upper_inclusive": _inclusive(claim.upper),
                "unit_as_printed": claim.unit_as_printed,
                "unit_ucum": claim.unit,
                "canonical_unit_ucum": comparison.unit,
                "canonical_lower": row.lower,
                "canonical_upper": row.upper,
                "interval_as_printed": claim.interval_as_printed,
                "url": claim_url(claim),
            })  # fmt: skip
    return rows


def claims_csv(kb: KnowledgeBase) -> str:
    """Return one row per claim, takeaways and ranges included."""
    return table(CLAIM_COLUMNS, [r for b in kb.biomarkers for r in biomarker_claim_rows(b)])


def ranges_csv(kb: KnowledgeBase) -> str:
    """Return one row per reference range."""
    return table(RANGE_COLUMNS, [r for b in kb.biomarkers for r in biomarker_range_rows(b)])


def _inclusive(bound: Bound | None) -> str:
    return "" if bound is None else str(bound.inclusive).lower()
