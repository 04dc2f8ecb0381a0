"""The typed knowledge base: frozen records that every stage after loading works on.

Input: values checked by the validate stage. Output: nothing; this module does no I/O.
Every record carries the Location it was written at, so later stages can still point at it.
Equality ignores those locations: no page shows them, and `mkdocs serve` compares records to
find the pages an edit changed, so a line inserted above a claim must not make it "changed".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from biomarker_kb.record_pickling import pickled_by_fields

if TYPE_CHECKING:
    import datetime
    from collections.abc import Mapping

    from biomarker_kb.problems import Location
    from biomarker_kb.spans import Part

Direction = Literal["increased", "decreased"]
Attribution = Literal["claim", "sentence", "paragraph", "list"]
"""Where the source was given: on the claim, its sentence, its paragraph or its list."""
AssociationRole = Literal["level", "prognosis", "risk"]
ConditionKind = Literal["disease", "finding", "exposure", "group"]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Citation:
    """A claim's pointer to one reference."""

    key: str
    """The BibTeX key."""
    attribution: Attribution
    location: Location = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Review:
    """A reviewer's flag on a claim, shown to readers beside it wherever it appears."""

    status: Literal["questioned"]
    note: str
    """Why the wording needs checking against the cited source, in words for readers."""
    location: Location = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Claim:
    """One sourced fact. Subclasses add what each kind of fact says."""

    id: str
    """Stable slug, unique across all biomarkers; the page anchor is ``claim-<id>``."""
    biomarker_id: str
    text: str
    """The claim's stand-alone sentence, derived from its words in the article's sentence (its
    ``claim_text`` frame filled with them); shown where the claim stands alone."""
    citations: tuple[Citation, ...]
    location: Location = field(compare=False)
    section: str
    """The article section it appears in: "Overview", a list's title, "Reference ranges"..."""
    needs_primary_source: bool = False
    """True when the only source is the original blog post itself."""
    acknowledged: str | None = None
    """The editors' reason for publishing it on the post alone for now, written on the claim or
    on its sentence, paragraph or list (the nearest one); silences the needs_primary_source
    warning."""
    as_printed: str | None = None
    """The original post's exact words, when a range or takeaway was written otherwise (a claim
    inside a sentence has its sentence's ``as_printed``)."""
    editor_note: str | None = None
    review: Review | None = None
    field_locations: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)
    """Where each field's value was written, for messages that point at the value itself."""

    item_locations: Mapping[str, tuple[Location, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Where each item of a list field was written (``conditions``, ``summarises``...)."""

    def where(self, name: str, index: int | None = None) -> Location:
        """Return where field ``name`` (or its item ``index``) was written, else the claim."""
        if index is not None:
            items = self.item_locations.get(name, ())
            if index < len(items):
                return items[index]
        return self.field_locations.get(name, self.location)

    # Not cached_property: claims have slots, not a __dict__ (a __dict__ each cost 90,000 claims
    # +70 MiB peak and +0.3 s at N=1000, measured), more than computing these short tuples.
    @property
    def attribution_levels(self) -> str:
        """Return where its sources were given, e.g. "paragraph" or "claim list"."""
        return " ".join(dict.fromkeys(c.attribution for c in self.citations))

    @property
    def annotated(self) -> bool:
        """Return True when its article gives it a note for readers.

        It has one when it records what the post printed, an editor's note or a reviewer's flag.
        """
        return bool(self.as_printed or self.editor_note or self.review)

    @property
    def citation_keys(self) -> tuple[str, ...]:
        """Return the cited keys in the order given, without repeats."""
        return tuple(dict.fromkeys(c.key for c in self.citations))


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Statement(Claim):
    """A definition, physiology, clinical use or history fact."""

    topic: str
    conditions: tuple[str, ...] = ()
    specimens: tuple[str, ...] = ()


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Association(Claim):
    """A condition goes with a change of the biomarker in a specimen."""

    condition: str
    specimen: str | None
    """None when the source does not say which specimen."""
    direction: Direction
    role: AssociationRole = "level"
    population: str | None = None
    """Condition id of the population the association holds in ("in those with ...")."""
    parent: str | None = None
    """Id of the list item this one is nested under ("including ...")."""
    in_list: bool = False
    """True for an item of a list such as "Increased serum levels" (its title is ``section``)."""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """One specimen's expected change within an interpretation pattern."""

    specimen: str
    direction: Direction
    location: Location | None = field(default=None, compare=False)
    """Where its specimen was written."""


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Pattern(Claim):
    """An interpretation pattern: a condition shows these changes across specimens."""

    condition: str
    findings: tuple[Finding, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Bound:
    """One end of a reference interval."""

    value: float
    inclusive: bool


def describe_interval(lower: Bound | None, upper: Bound | None) -> str:
    """Return an interval as a reader writes it: "0.6–2.4", "≤ 2.51", "> 0.3"."""
    if lower and upper:
        left = "" if lower.inclusive else "> "
        right = "" if upper.inclusive else " (exclusive)"
        return f"{left}{format_number(lower.value)}–{format_number(upper.value)}{right}"
    if upper:
        return f"{'≤' if upper.inclusive else '<'} {format_number(upper.value)}"
    if lower:
        return f"{'≥' if lower.inclusive else '>'} {format_number(lower.value)}"
    raise AssertionError("bug: a range without bounds passed the schema")


def format_number(value: float) -> str:
    """Return the number as written: 2.51, 300, 12345.67 (no rounding, no exponent for 1500000)."""
    number = float(value)  # an int is a valid float here, but has no is_integer() before 3.12
    if number.is_integer():
        return str(int(number))
    # repr() gives the shortest exact digits; Decimal writes them without an exponent (5e-05).
    return format(Decimal(repr(number)), "f")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class PrintedEquivalent:
    """The interval as the source also printed it in another unit: "0.7-1.8 mcg/mL (mg/L)"."""

    unit: str
    lower: float | None
    """None when the source printed only the unit: the same numbers are meant."""
    upper: float | None
    as_printed: str | None
    erratum: str | None
    """Why the source's equivalence is wrong, when it is; shown to readers."""
    location: Location = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Range(Claim):
    """A reference interval as one source gives it."""

    lab_test: str
    specimen: str
    specimen_as_printed: str | None
    population: str | None
    lower: Bound | None
    upper: Bound | None
    unit: str
    """UCUM code."""
    unit_as_printed: str
    printed_equivalent: PrintedEquivalent | None = None
    interval_as_printed: str | None = None
    """The interval exactly as the source printed it, when it reads otherwise ("≤2 .51")."""


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Takeaway(Claim):
    """A summary sentence of the post's own: it cites the post, and links to what it sums up."""

    summarises: tuple[str, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence or list item of the source, in its words, its claims marked inside it."""

    parts: tuple[Part, ...]
    """Plain text and claim spans, as the editor wrote them."""
    claims: tuple[Claim, ...]
    """Its claims in the order of their spans."""
    citations: tuple[Citation, ...]
    """Sources given on the sentence itself (its claims carry them too)."""
    location: Location = field(compare=False)
    as_printed: str | None = None
    """The source's exact words, when the sentence records a correction of them."""
    editor_note: str | None = None
    """What needed interpretation in the sentence, for readers."""
    needs_primary_source: bool = False


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Paragraph:
    """Sentences that the source wrote as one paragraph."""

    sentences: tuple[Sentence, ...]
    citations: tuple[Citation, ...]
    """Sources given for the whole paragraph."""
    location: Location = field(compare=False)
    needs_primary_source: bool = False

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Return the paragraph's claims in reading order."""
        return tuple(claim for sentence in self.sentences for claim in sentence.claims)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class LevelList:
    """A list such as "Increased serum levels": conditions sharing a specimen and direction."""

    title: str
    specimen: str
    direction: Direction
    items: tuple[Sentence, ...]
    citations: tuple[Citation, ...]
    """Sources given for the whole list."""
    location: Location = field(compare=False)
    specimen_location: Location = field(compare=False)
    needs_primary_source: bool = False

    @property
    def claims(self) -> tuple[Claim, ...]:
        """Return the list's claims in reading order."""
        return tuple(claim for item in self.items for claim in item.claims)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class MeasuredTest:
    """A laboratory test of the biomarker in one specimen."""

    specimen: str
    loinc: str | None
    loinc_name: str | None
    location: Location = field(compare=False)
    """Where its specimen was written."""
    unit: str | None = None
    """UCUM code its ranges are compared in; None: the unit most of them use."""
    unit_location: Location | None = field(default=None, compare=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ContestedPair:
    """Two claims the editors know contradict each other, kept with a note for readers."""

    claims: tuple[str, str]
    note: str
    location: Location = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class OriginalPost:
    """The blog post an article reproduces."""

    cite: str
    title: str
    published: datetime.date
    location: Location = field(compare=False)
    """Where its citation key was written."""


@dataclass(frozen=True)
class Biomarker:
    """One article: a biomarker and every claim made about it, in reading order."""

    id: str
    name: str
    abbreviation: str | None
    aliases: tuple[str, ...]
    summary: str
    original_post: OriginalPost
    last_reviewed: datetime.date
    tags: tuple[str, ...]
    identifiers: tuple[tuple[str, str], ...]
    tests: tuple[MeasuredTest, ...]
    overview: tuple[Paragraph, ...]
    levels: tuple[LevelList, ...]
    range_paragraphs: tuple[Paragraph, ...]
    ranges: tuple[Range, ...]
    takeaways: tuple[Takeaway, ...]
    location: Location = field(compare=False)
    contested: tuple[ContestedPair, ...] = ()

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """Return every sentence and list item of the article in reading order."""
        found = [s for p in self.overview for s in p.sentences]
        found += [item for lst in self.levels for item in lst.items]
        found += [s for p in self.range_paragraphs for s in p.sentences]
        return tuple(found)

    @functools.cached_property  # the records are frozen; every stage walks this many times
    def claims(self) -> tuple[Claim, ...]:
        """Return every claim of the article in reading order."""
        found: list[Claim] = [c for s in self.sentences for c in s.claims]
        found += self.ranges
        found += self.takeaways
        return tuple(found)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Condition:
    """A vocabulary entry: a disease, finding, exposure or group of conditions."""

    id: str
    name: str
    kind: ConditionKind
    category: str | None
    synonyms: tuple[str, ...]
    broader: tuple[str, ...]
    codes: tuple[tuple[str, str], ...]
    editor_note: str | None
    location: Location = field(compare=False)
    broader_locations: tuple[Location, ...] = field(default=(), compare=False)
    """Where each broader link was written."""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Specimen:
    """A specimen type such as serum or urine."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    location: Location = field(compare=False)


@pickled_by_fields
@dataclass(frozen=True, kw_only=True, slots=True)
class Reference:
    """One bibliography entry, with LaTeX already decoded to plain Unicode text."""

    key: str
    entry_type: str
    title: str
    title_protected: tuple[tuple[int, int], ...] = ()
    """Character ranges ``[start, end)`` of ``title`` that the .bib braced to keep their case
    (``{Beta-2 Microglobulin}``): sentence case leaves them as written. Sorted, disjoint."""
    authors: tuple[str, ...] = ()
    """Names as written in BibTeX, "Last, First" or "First Last"."""
    organization: str | None = None
    journal: str | None = None
    year: str | None = None
    month: str | None = None
    day: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    edition: str | None = None
    publisher: str | None = None
    address: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    note: str | None = None
    location: Location = field(compare=False)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the site is generated from, validated and cross-checked."""

    biomarkers: tuple[Biomarker, ...]
    conditions: Mapping[str, Condition]
    specimens: Mapping[str, Specimen]
    references: Mapping[str, Reference]
    claims: Mapping[str, Claim] = field(default_factory=dict)
    """Every claim of every biomarker, by id."""
