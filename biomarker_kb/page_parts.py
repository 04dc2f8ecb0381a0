"""Render helpers used inside templates: footnote numbering, links between pages, labels.

Input: records of the knowledge base. Output: plain strings or Markdown fragments for templates
(footnote definitions are Markdown with every data value escaped). Pure; no I/O.
"""

from __future__ import annotations

import functools
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
from biomarker_kb.range_chart import chart_body, frame_chart

if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Mapping, Sequence

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
    "claim": "source given on the claim",
    "paragraph": "for its whole paragraph",
    "list": "for its whole list",
    "inherited": "through the claims a takeaway summarises",
}
"""Where the post gave a claim's source, in the order the bibliography page counts them."""


def attribution_summary(levels: Counter[str]) -> str:
    """Return e.g. "given on the claim: 2; for its whole paragraph: 9" (claims per level)."""
    return "; ".join(
        f"{words}: {levels[level]}" for level, words in ATTRIBUTION_WORDS.items() if levels[level]
    )


ROLE_SUFFIX = {"level": "", "prognosis": " (prognosis)", "risk": " (risk marker)"}


@dataclass(frozen=True)
class FootnoteText:
    """The footnote text of one build, each piece made once.

    A claim is listed on several pages and a source is cited on hundreds, so neither is
    formatted again for every page.
    """

    references: Mapping[str, Reference]
    marks_of: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict, repr=False)
    """Claim id → (its cited keys, its footnote references "[^a][^b]")."""
    definition_of: dict[str, str] = field(default_factory=dict, repr=False)
    """Reference key → its footnote definition."""

    def marks(self, claim: Claim) -> tuple[tuple[str, ...], str]:
        """Return the keys ``claim`` cites (in order, no repeats) and its footnote references."""
        found = self.marks_of.get(claim.id)
        if found is None:
            keys = claim.citation_keys
            found = self.marks_of[claim.id] = (keys, "".join([f"[^{key}]" for key in keys]))
        return found

    def definition(self, key: str) -> str:
        """Return the footnote definition of one source: the full reference and a back link."""
        found = self.definition_of.get(key)
        if found is None:
            found = self.definition_of[key] = (
                f"[^{key}]: {format_reference(self.references[key])}"
                f" [All claims citing this](../references.md#ref-{key})"
            )
        return found


@dataclass
class Footnotes:
    """Numbers one page's sources in the order they are first cited; a repeat reuses its number."""

    text: FootnoteText
    order: dict[str, None] = field(default_factory=dict)
    """The cited keys in first-citation order (a dict, so a repeat keeps its first place)."""

    def refs(self, claim: Claim) -> str:
        """Return the footnote references for every source of ``claim``."""
        keys, marks = self.text.marks(claim)
        for key in keys:
            self.order[key] = None
        return marks

    def definitions(self) -> list[str]:
        """Return the footnote definitions, in first-citation order."""
        return [self.text.definition(key) for key in self.order]


@dataclass(frozen=True)
class SiteLinks:
    """Links from a leaf page (one folder deep) to condition and specimen pages."""

    conditions: Mapping[str, Condition]
    specimens: Mapping[str, Specimen]

    # Made once per build: tens of thousands of claims link to the same few pages.
    @functools.cached_property
    def _condition_link(self) -> dict[str, str]:
        return {
            i: f"[{md_inline(c.name)}](../conditions/{i}.md)" for i, c in self.conditions.items()
        }

    @functools.cached_property
    def _specimen_link(self) -> dict[str, str]:
        return {i: f"[{md_inline(s.name)}](../specimens/{i}.md)" for i, s in self.specimens.items()}

    def topic_links(self, claim: Claim) -> str:
        """Return Markdown links to the claim's condition and specimen pages, or nothing."""
        links = [self._condition_link[c] for c in conditions_of(claim)]
        links += [self._specimen_link[s] for s in specimens_of(claim)]
        return f' <span class="kb-topics">{" · ".join(links)}</span>' if links else ""

    def specimen_links(self, claim: Claim) -> str:
        """Return Markdown links to the claim's specimen pages, or "Not stated" if it names none."""
        return ", ".join([self._specimen_link[s] for s in specimens_of(claim)]) or "Not stated"


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


def as_rows(refs: Iterable[ClaimRef]) -> list[tuple[None, ClaimRef]]:
    """Return claims-table rows without a condition column."""
    return [(None, ref) for ref in refs]


def as_member_rows(pairs: Iterable[tuple[Condition, ClaimRef]]) -> list[tuple[str, ClaimRef]]:
    """Return claims-table rows naming the narrower condition each comes through."""
    return [(member.id, ref) for member, ref in pairs]


def as_condition_rows(refs: Iterable[ClaimRef]) -> list[tuple[str | None, ClaimRef]]:
    """Return claims-table rows naming each claim's main condition."""
    return [(next(iter(conditions_of(ref.claim)), None), ref) for ref in refs]


def claim_ids(refs: Iterable[ClaimRef]) -> list[str]:
    """Return the ids of the claims in ``refs``, in order."""
    return [ref.claim.id for ref in refs]


def ids(claims: Iterable[Claim]) -> list[str]:
    """Return the ids of ``claims``, in order."""
    return [claim.id for claim in claims]


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
    drawn: dict[tuple[str, str, str], tuple[str, str, str]] = field(
        default_factory=dict, repr=False
    )
    """(biomarker, specimen, dimension) → its chart's title, description and body, drawn once
    per build: a comparison is shown on its article and on its specimen's page."""

    def label(self, row: ComparedRange) -> str:
        """Return "Quest Diagnostics (Adults)": the source, and the population if given."""
        source = short_citation(self.references[row.claim.citation_keys[0]])
        return f"{source} ({row.claim.population})" if row.claim.population else source

    def __call__(self, biomarker: Biomarker, comparison: Comparison, index: int) -> str:
        """Return the SVG chart, with a title and a description that carry the same facts."""
        key = (biomarker.id, comparison.specimen, comparison.dimension)
        drawn = self.drawn.get(key)
        if drawn is None:
            drawn = self.drawn[key] = self._draw(biomarker, comparison)
        title, description, body = drawn
        chart_id = f"chart-{biomarker.id}-{comparison.specimen}-{index}"
        return frame_chart(body, len(comparison.rows), title, description, chart_id)

    def _draw(self, biomarker: Biomarker, comparison: Comparison) -> tuple[str, str, str]:
        specimen = self.specimens[comparison.specimen].name.lower()
        title = f"Reference ranges of {biomarker.name} in {specimen}, in {comparison.unit}"
        labels = [self.label(row) for row in comparison.rows]
        description = "; ".join(
            f"{label}: {converted_interval(row)} {comparison.unit}"
            f" (printed {describe_interval(row.claim.lower, row.claim.upper)}"
            f" {row.claim.unit_as_printed})"
            for row, label in zip(comparison.rows, labels, strict=True)
        )
        return title, description, chart_body(comparison, labels)


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
