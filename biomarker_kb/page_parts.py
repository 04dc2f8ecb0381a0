"""Render helpers used inside templates: footnote numbering, links between pages, labels.

Input: records of the knowledge base. Output: plain strings or Markdown fragments for templates
(footnote definitions are Markdown with every data value escaped). Pure; no I/O.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from biomarker_kb.browse import ClaimRef, conditions_of, specimens_of
from biomarker_kb.citation_style import format_reference, short_citation
from biomarker_kb.escape import html_text, md_inline
from biomarker_kb.model import (
    Association,
    Biomarker,
    Bound,
    Claim,
    Condition,
    ContestedPair,
    LevelList,
    Pattern,
    Reference,
    Specimen,
    describe_interval,
)
from biomarker_kb.range_chart import render_chart

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping, Sequence

    from biomarker_kb.comparison import ComparedRange, Comparison

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
    "claim": "source given for this claim",
    "paragraph": "source given for its whole paragraph",
    "list": "source given for its whole list",
    "inherited": "through the claims this takeaway summarises",
}
ROLE_SUFFIX = {"level": "", "prognosis": " (prognosis)", "risk": " (risk marker)"}


@dataclass
class Footnotes:
    """Numbers one page's sources in the order they are first cited; a repeat reuses its number."""

    references: Mapping[str, Reference]
    order: list[str] = field(default_factory=list)

    def refs(self, claim: Claim) -> str:
        """Return the footnote references for every source of ``claim``."""
        for key in claim.citation_keys:
            if key not in self.order:
                self.order.append(key)
        return "".join(f"[^{key}]" for key in claim.citation_keys)

    def definitions(self) -> list[str]:
        """Return the footnote definitions, in first-citation order."""
        return [
            f"[^{key}]: {format_reference(self.references[key])}"
            f" [All claims citing this](../references.md#ref-{key})"
            for key in self.order
        ]


@dataclass(frozen=True)
class SiteLinks:
    """Links from a leaf page (one folder deep) to condition and specimen pages."""

    conditions: Mapping[str, Condition]
    specimens: Mapping[str, Specimen]

    def topics(self, claim: Claim) -> list[tuple[str, str]]:
        """Return (name, link) for each condition and specimen a claim is about."""
        pairs = [(self.conditions[c].name, f"../conditions/{c}.md") for c in conditions_of(claim)]
        pairs += [(self.specimens[s].name, f"../specimens/{s}.md") for s in specimens_of(claim)]
        return pairs

    def topic_links(self, claim: Claim) -> str:
        """Return Markdown links to the claim's condition and specimen pages, or nothing."""
        pairs = self.topics(claim)
        if not pairs:
            return ""
        links = " · ".join(f"[{md_inline(name)}]({href})" for name, href in pairs)
        return f' <span class="kb-topics">{links}</span>'

    def specimen_ids(self, claim: Claim) -> tuple[str, ...]:
        """Return the ids of the specimens a claim is about."""
        return specimens_of(claim)


def change_label(claim: Claim) -> str:
    """Return how a claim says the biomarker changes: "Increased (prognosis)", "Serum increased"."""
    if isinstance(claim, Association):
        return claim.direction.capitalize() + ROLE_SUFFIX[claim.role]
    if isinstance(claim, Pattern):
        return "; ".join(f"{f.specimen.capitalize()} {f.direction}" for f in claim.findings)
    return "Mentioned"


def changes_by_kind(refs: Sequence[ClaimRef]) -> list[tuple[str, list[ClaimRef]]]:
    """Group a biomarker's associations in one specimen by change: "Increased", ... in order."""
    groups: dict[str, list[ClaimRef]] = {}
    for ref in refs:
        groups.setdefault(change_label(ref.claim), []).append(ref)
    return list(groups.items())


def as_row(ref: ClaimRef) -> tuple[None, ClaimRef]:
    """Return a claims-table row without a condition column."""
    return (None, ref)


def as_member_row(pair: tuple[Condition, ClaimRef]) -> tuple[str, ClaimRef]:
    """Return a claims-table row naming the narrower condition it comes through."""
    return (pair[0].id, pair[1])


def as_condition_row(ref: ClaimRef) -> tuple[str | None, ClaimRef]:
    """Return a claims-table row naming the claim's main condition."""
    found = conditions_of(ref.claim)
    return (found[0] if found else None, ref)


def long_date(value: datetime.date) -> str:
    """Return "September 7, 2023"."""
    return f"{value:%B} {value.day}, {value.year}"


def front_matter(values: Mapping[str, str | list[str]]) -> str:
    """Return a YAML front-matter block with every value HTML-escaped.

    The theme prints the title and tags into the page header, navigation and tag list as raw
    text (never into an attribute unescaped), so ``& < >`` are escaped here and apostrophes
    stay readable; JSON strings are valid YAML and quote everything else.
    """
    escaped = {
        key: [html_text(v) for v in value] if isinstance(value, list) else html_text(value)
        for key, value in values.items()
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in escaped.items()]
    return "\n".join(["---", *lines, "---"])


def levels_heading(levels: Sequence[LevelList], specimens: Mapping[str, Specimen]) -> str:
    """Return "What raises serum and urine levels" (or lowers, or changes) for an article."""
    directions = {lst.direction for lst in levels}
    verb = {frozenset({"increased"}): "raises", frozenset({"decreased"}): "lowers"}.get(
        frozenset(directions), "changes"
    )
    names = dict.fromkeys(_in_sentence(specimens[lst.specimen].name) for lst in levels)
    return f"What {verb} {' and '.join(names)} levels"


def _in_sentence(name: str) -> str:
    """Return "serum" for "Serum" but keep "CSF": lowercase only a capitalised word."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def reference_headings(references: Sequence[Reference]) -> dict[str, str]:
    """Return a heading per reference key: "Pagana 2022", with the title where two would clash."""
    short = {ref.key: short_citation(ref) for ref in references}
    counts = Counter(short.values())
    return {
        ref.key: short[ref.key]
        if counts[short[ref.key]] == 1
        else f"{short[ref.key]} — {ref.title}"
        for ref in references
    }


def converted_interval(row: ComparedRange) -> str:
    """Return a row's interval in the comparison's unit, with the source's ≤ / < / –."""
    lower, upper = row.claim.lower, row.claim.upper
    return describe_interval(
        None if lower is None or row.lower is None else Bound(row.lower, lower.inclusive),
        None if upper is None or row.upper is None else Bound(row.upper, upper.inclusive),
    )


@dataclass(frozen=True)
class ChartMaker:
    """Draws the range chart of a comparison, labelled with the short names of its sources."""

    references: Mapping[str, Reference]
    specimens: Mapping[str, Specimen]

    def label(self, row: ComparedRange) -> str:
        """Return "Quest Diagnostics (Adults)": the source, and the population if given."""
        source = short_citation(self.references[row.claim.citation_keys[0]])
        return f"{source} ({row.claim.population})" if row.claim.population else source

    def __call__(self, biomarker: Biomarker, comparison: Comparison, index: int) -> str:
        """Return the SVG chart, with a title and a description that carry the same facts."""
        specimen = self.specimens[comparison.specimen].name.lower()
        title = f"Reference ranges of {biomarker.name} in {specimen}, in {comparison.unit}"
        description = "; ".join(
            f"{self.label(row)}: {converted_interval(row)} {comparison.unit}"
            f" (printed {describe_interval(row.claim.lower, row.claim.upper)}"
            f" {row.claim.unit_as_printed})"
            for row in comparison.rows
        )
        chart_id = f"chart-{biomarker.id}-{comparison.specimen}-{index}"
        labels = [self.label(row) for row in comparison.rows]
        return render_chart(comparison, labels, title, description, chart_id)


@dataclass(frozen=True)
class ContestedIndex:
    """The declared contested pairs, found from either of their claims."""

    pairs: Mapping[str, list[tuple[ContestedPair, Biomarker]]]

    @classmethod
    def of(cls, biomarkers: Sequence[Biomarker]) -> ContestedIndex:
        """Index every declared pair of every biomarker by both of its claim ids."""
        pairs: dict[str, list[tuple[ContestedPair, Biomarker]]] = {}
        for biomarker in biomarkers:
            for pair in biomarker.contested:
                for claim_id in pair.claims:
                    pairs.setdefault(claim_id, []).append((pair, biomarker))
        return cls(pairs)

    def involving(self, claim_ids: Sequence[str]) -> list[tuple[ContestedPair, Biomarker]]:
        """Return the pairs that involve any of ``claim_ids``, each once, in order."""
        found: dict[tuple[str, str], tuple[ContestedPair, Biomarker]] = {}
        for claim_id in claim_ids:
            for pair, biomarker in self.pairs.get(claim_id, []):
                found.setdefault(pair.claims, (pair, biomarker))
        return list(found.values())
