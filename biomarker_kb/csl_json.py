"""Export stage: the checked references → CSL-JSON, which reference managers import.

Input: ``Reference`` records (parsed and checked from references.bib). Output: one CSL-JSON item
per reference, keyed by its citation key, with only the fields the .bib gives. Names are split
as BibTeX splits them; a braced name (an organization) stays whole. Pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bibtexparser.middlewares.names import parse_single_name_into_parts

if TYPE_CHECKING:
    from collections.abc import Iterable

    from biomarker_kb.model import Reference

CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "online": "webpage",
    "misc": "document",
}
"""BibTeX entry types → CSL item types (others: "document")."""

_FIELDS = {
    "journal": "container-title",
    "volume": "volume",
    "number": "issue",
    "pages": "page",
    "edition": "edition",
    "publisher": "publisher",
    "address": "publisher-place",
    "doi": "DOI",
    "pmid": "PMID",
    "url": "URL",
    "note": "note",
}


def csl_name(name: str) -> dict[str, str]:
    """Return a CSL name: family and given parts, or a literal for an organization."""
    if name.startswith("{") and name.endswith("}"):
        return {"literal": name[1:-1]}
    parts = parse_single_name_into_parts(name)
    found = {
        "family": " ".join(parts.last),
        "given": " ".join(parts.first),
        "non-dropping-particle": " ".join(parts.von),
        "suffix": " ".join(parts.jr),
    }
    return {key: value for key, value in found.items() if value}


def _issued(reference: Reference) -> dict[str, Any] | None:
    parts = [reference.year, reference.month, reference.day]
    numbers: list[int] = []
    for part in parts:
        if part is None or not part.isdigit():
            break
        numbers.append(int(part))
    if not numbers:
        return None if reference.year is None else {"literal": reference.year}
    return {"date-parts": [numbers]}


def csl_item(reference: Reference) -> dict[str, Any]:
    """Return one reference as a CSL-JSON item."""
    item: dict[str, Any] = {
        "id": reference.key,
        "type": CSL_TYPES.get(reference.entry_type, "document"),
        "title": reference.title,
    }
    if reference.authors:
        item["author"] = [csl_name(name) for name in reference.authors]
    elif reference.organization:
        item["author"] = [{"literal": reference.organization}]
    if (issued := _issued(reference)) is not None:
        item["issued"] = issued
    for field, csl_field in _FIELDS.items():
        value = getattr(reference, field)
        if value is not None:
            item[csl_field] = value
    return item


def csl_items(references: Iterable[Reference]) -> list[dict[str, Any]]:
    """Return every reference as CSL-JSON, sorted by citation key."""
    return [csl_item(r) for r in sorted(references, key=lambda r: r.key)]
