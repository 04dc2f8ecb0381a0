"""Render helper: the words the pages print for codes, kinds, dates, changes and headings.

Input: records of the knowledge base. Output: plain text (not escaped: views escape it where it
is placed). Pure; no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from biomarker_kb.citation_style import short_citation, shown_title
from biomarker_kb.model import Association, Bound, Pattern, describe_interval

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence

    from biomarker_kb.comparison import ComparedRange
    from biomarker_kb.model import Claim, LevelList, Reference, Specimen

IDENTIFIER_LABELS = {"uniprot": "UniProt", "ncbi_gene": "NCBI Gene", "ensembl": "Ensembl"}
CODE_LABELS = {
    "mondo": "MONDO",
    "mesh": "MeSH",
    "icd10": "ICD-10",
    "icd10cm": "ICD-10-CM",
    "snomed_ct": "SNOMED CT",
}
KIND_LABELS = {"disease": "Disease", "finding": "Finding", "exposure": "Exposure", "group": "Group"}
ATTRIBUTION_WORDS = {
    "claim": "source given on the claim",
    "sentence": "for its whole sentence",
    "paragraph": "for its whole paragraph",
    "list": "for its whole list",
}
"""Where the post gave a claim's source, in the order the bibliography page counts them."""


def attribution_summary(levels: Counter[str]) -> str:
    """Return e.g. "given on the claim: 2; for its whole paragraph: 9" (claims per level)."""
    return "; ".join(
        f"{words}: {levels[level]}" for level, words in ATTRIBUTION_WORDS.items() if levels[level]
    )


ROLE_SUFFIX = {"level": "", "prognosis": " (prognosis)", "risk": " (risk marker)"}


def change_label(claim: Claim) -> str:
    """Return how a claim says the biomarker changes: "Increased (prognosis)", "Serum increased"."""
    if isinstance(claim, Association):
        return claim.direction.capitalize() + ROLE_SUFFIX[claim.role]
    if isinstance(claim, Pattern):
        return "; ".join(f"{f.specimen.capitalize()} {f.direction}" for f in claim.findings)
    return "Mentioned"


def long_date(value: datetime.date) -> str:
    """Return "September 7, 2023"."""
    return f"{value:%B} {value.day}, {value.year}"


def levels_heading(levels: Sequence[LevelList], specimens: Mapping[str, Specimen]) -> str:
    """Return "What raises serum and urine levels" (or lowers, or changes) for an article."""
    directions = {lst.direction for lst in levels}
    verb = {frozenset({"increased"}): "raises", frozenset({"decreased"}): "lowers"}.get(
        frozenset(directions), "changes"
    )
    names = dict.fromkeys(in_sentence(specimens[lst.specimen].name) for lst in levels)
    return f"What {verb} {' and '.join(names)} levels"


def in_sentence(name: str) -> str:
    """Return "serum" for "Serum" but keep "CSF": lowercase only a capitalised word."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def reference_headings(references: Sequence[Reference]) -> dict[str, str]:
    """Return a heading per reference key: "Pagana 2022", with the title where two would clash."""
    short = {ref.key: short_citation(ref) for ref in references}
    counts = Counter(short.values())
    return {
        ref.key: short[ref.key]
        if counts[short[ref.key]] == 1
        else f"{short[ref.key]} — {shown_title(ref)}"
        for ref in references
    }


def converted_interval(row: ComparedRange) -> str:
    """Return a row's interval in the comparison's unit, with the source's ≤ / < / –."""
    lower, upper = row.claim.lower, row.claim.upper
    return describe_interval(
        None if lower is None or row.lower is None else Bound(row.lower, lower.inclusive),
        None if upper is None or row.upper is None else Bound(row.upper, upper.inclusive),
    )


# UCUM writes micro as "u"; readers write "µ" ("µg/L"). Only a "u" that starts a unit atom and
# is followed by a unit it can prefix is micro.
_MICRO = re.compile(r"(?<![A-Za-z0-9_])u(?=(?:g|L|l|mol|m|IU|U|eq|kat)(?![A-Za-z]))")


def display_unit(ucum: str) -> str:
    """Return a UCUM code as readers write it: "ug/L" → "µg/L"; "mg/L" stays as it is."""
    return _MICRO.sub("µ", ucum)
