"""Model stage: turn schema-valid raw YAML into frozen records, carrying citations down.

Input: ``YamlFile`` trees that passed ``schema_check``. Output: ``Biomarker``, ``Condition`` and
``Specimen`` records. A citation written on a sentence, paragraph or list is given to every
claim under it and remembered as given there; takeaways inherit their summarised claims'. Each
claim's stand-alone sentence is made here from its words in the article's sentence.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

from biomarker_kb.model import (
    Association,
    Attribution,
    Biomarker,
    Bound,
    Citation,
    Claim,
    Condition,
    ContestedPair,
    Finding,
    LevelList,
    MeasuredTest,
    OriginalPost,
    Paragraph,
    Pattern,
    PrintedEquivalent,
    Range,
    Review,
    Sentence,
    Specimen,
    Statement,
    Takeaway,
    describe_interval,
)
from biomarker_kb.source_tree import SourceList, SourceMap, location_at
from biomarker_kb.spans import WORDS, fill_frame, parse_spans, walk_spans

if TYPE_CHECKING:
    from biomarker_kb.load import YamlFile
    from biomarker_kb.spans import Span

RANGES_SECTION = "Reference ranges"


def _citations(raw: SourceMap, attribution: Attribution) -> tuple[Citation, ...]:
    keys: SourceList | None = raw.get("cite")
    if not keys:
        return ()
    return tuple(
        Citation(key, attribution, location_at(keys.path, at))
        for key, at in zip(keys, keys.item_positions, strict=True)
    )


def _common(
    raw: SourceMap,
    where: tuple[str, str],
    inherited: tuple[Citation, ...],
    text: str | None = None,
) -> dict[str, Any]:
    """Return the fields every claim has; own citations first, then the inherited ones.

    ``where`` is (biomarker id, section title).
    """
    biomarker_id, section = where
    return {
        "id": raw["id"],
        "biomarker_id": biomarker_id,
        "section": section,
        "text": raw["text"] if text is None else text,
        "citations": _citations(raw, "claim") + inherited,
        "location": raw.location,
        "needs_primary_source": raw.get("needs_primary_source", False),
        "acknowledged": raw.get("acknowledged"),
        "as_printed": raw.get("as_printed"),
        "editor_note": raw.get("editor_note"),
        "review": _review(raw.get("review")),
        # Looked up only for messages: kept as the parser's positions until then.
        "field_locations": raw.value_locations,
        "item_locations": raw.list_item_locations,
    }


def _review(raw: SourceMap | None) -> Review | None:
    return None if raw is None else Review(raw["status"], raw["note"], raw.location)


class _Scope(NamedTuple):
    """What a sentence's claims inherit from the paragraph or list around it."""

    biomarker_id: str
    section: str
    citations: tuple[Citation, ...]
    needs_primary_source: bool
    default_frame: str
    """The stand-alone sentence of a claim, unless its sentence or itself says otherwise."""
    outer: SourceMap | None = None
    """The list, whose specimen and direction its items' claims share."""
    acknowledged: str | None = None
    """Why the paragraph or list is published on the post alone for now, if it says."""


def _claim(raw: SourceMap, common: dict[str, Any], outer: SourceMap | None) -> Claim:
    if outer is not None:  # a list item: an association in the list's specimen and direction
        return Association(
            **common,
            condition=raw["condition"],
            specimen=raw.get("specimen", outer["specimen"]),
            direction=raw.get("direction", outer["direction"]),
            role=raw.get("role", "level"),
            population=raw.get("population"),
            in_list=True,
        )
    kind = raw["type"]
    if kind == "statement":
        return Statement(
            **common,
            topic=raw["topic"],
            conditions=tuple(raw.get("conditions", ())),
            specimens=tuple(raw.get("specimens", ())),
        )
    if kind == "association":
        return Association(
            **common,
            condition=raw["condition"],
            specimen=raw.get("specimen"),
            direction=raw["direction"],
            role=raw.get("role", "level"),
            population=raw.get("population"),
        )
    if kind == "pattern":
        findings = tuple(
            Finding(f["specimen"], f["direction"], f.value_location("specimen"))
            for f in raw["findings"]
        )
        return Pattern(**common, condition=raw["condition"], findings=findings)
    raise AssertionError(f"bug: schema let through claim type {kind!r}")


def _lead(span: Span, parents: dict[str, Span | None]) -> str:
    """Return the words before the first nested span, with those of the spans around it."""
    parent = parents[span.claim_id]
    outer = "" if parent is None else _lead(parent, parents)
    return " ".join(part for part in (outer, span.lead) if part)


def _sentence(raw: SourceMap, scope: _Scope) -> Sentence:
    parts, mistakes = parse_spans(raw["text"])
    assert not mistakes, "bug: a sentence with span mistakes passed the checks"
    spans = {span.claim_id: (span, parent) for span, parent in walk_spans(parts)}
    parents = {claim_id: parent for claim_id, (_, parent) in spans.items()}
    own = _citations(raw, "sentence")
    inherited = own + scope.citations
    flagged = scope.needs_primary_source or raw.get("needs_primary_source", False)
    acknowledged = raw.get("acknowledged") or scope.acknowledged
    frame = raw.get("claim_text", scope.default_frame)
    raw_claims = {c["id"]: c for c in raw["claims"]}
    claims = []
    for claim_id, (span, parent) in spans.items():
        claim_raw = raw_claims[claim_id]
        lead = "" if parent is None else _lead(parent, parents)
        words = claim_raw.get("words") or " ".join(w for w in (lead, span.words.strip()) if w)
        text = fill_frame(claim_raw.get("claim_text", frame), words)
        common = _common(claim_raw, (scope.biomarker_id, scope.section), inherited, text=text)
        common["needs_primary_source"] = common["needs_primary_source"] or flagged
        common["acknowledged"] = common["acknowledged"] or acknowledged
        claim = _claim(claim_raw, common, scope.outer)
        if parent is not None and isinstance(claim, Association):
            claim = replace(claim, parent=parent.claim_id)
        claims.append(claim)
    return Sentence(
        parts=parts,
        claims=tuple(claims),
        citations=own,
        location=raw.location,
        as_printed=raw.get("as_printed"),
        editor_note=raw.get("editor_note"),
        needs_primary_source=raw.get("needs_primary_source", False),
    )


def _paragraphs(raws: list[SourceMap], where: tuple[str, str]) -> tuple[Paragraph, ...]:
    paragraphs = []
    for raw in raws:
        citations = _citations(raw, "paragraph")
        flagged = raw.get("needs_primary_source", False)
        acknowledged = raw.get("acknowledged")
        scope = _Scope(*where, citations, flagged, WORDS + ".", acknowledged=acknowledged)
        sentences = tuple(_sentence(s, scope) for s in raw["sentences"])
        paragraphs.append(Paragraph(sentences, citations, raw.location, flagged))
    return tuple(paragraphs)


def _level_list(raw: SourceMap, biomarker_id: str) -> LevelList:
    citations = _citations(raw, "list")  # one tuple for all its items, as for a paragraph
    flagged = raw.get("needs_primary_source", False)
    frame = raw.get("claim_text", f"{raw['title']}: {WORDS}")
    scope = _Scope(
        biomarker_id, raw["title"], citations, flagged, frame, raw, raw.get("acknowledged")
    )
    return LevelList(
        raw["title"],
        raw["specimen"],
        raw["direction"],
        tuple(_sentence(item, scope) for item in raw["items"]),
        citations,
        raw.location,
        raw.value_location("specimen"),
        flagged,
    )


def _bound(raw: SourceMap | None) -> Bound | None:
    return None if raw is None else Bound(float(raw["value"]), raw["inclusive"])


def _range(raw: SourceMap, biomarker_id: str) -> Range:
    lower, upper = _bound(raw.get("lower")), _bound(raw.get("upper"))
    text = f"{raw['lab_test']}: {describe_interval(lower, upper)} {raw['unit_as_printed']}"
    return Range(
        **_common(raw, (biomarker_id, RANGES_SECTION), (), text=text),
        lab_test=raw["lab_test"],
        specimen=raw["specimen"],
        specimen_as_printed=raw.get("specimen_as_printed"),
        population=raw.get("population"),
        lower=lower,
        upper=upper,
        unit=raw["unit"],
        unit_as_printed=raw["unit_as_printed"],
        printed_equivalent=_equivalent(raw.get("printed_equivalent")),
        interval_as_printed=raw.get("interval_as_printed"),
    )


def _equivalent(raw: SourceMap | None) -> PrintedEquivalent | None:
    if raw is None:
        return None
    return PrintedEquivalent(
        unit=raw["unit"],
        lower=_float_or_none(raw.get("lower")),
        upper=_float_or_none(raw.get("upper")),
        as_printed=raw.get("as_printed"),
        erratum=raw.get("erratum"),
        location=raw.value_location("unit"),
    )


def _float_or_none(value: float | None) -> float | None:
    return None if value is None else float(value)


def _takeaways(
    raws: list[SourceMap], biomarker_id: str, post: OriginalPost
) -> tuple[Takeaway, ...]:
    """Build the takeaways: the post's own summary, so they cite the post, once for the list.

    They rest on the claims they sum up (``summarises``), which the page links to; they do not
    borrow those claims' sources, which never said the takeaways.
    """
    cited_post = (Citation(post.cite, "list", post.location),)
    takeaways = []
    for raw in raws:
        common = _common(raw, (biomarker_id, "Takeaways"), cited_post)
        common["needs_primary_source"] = True
        takeaways.append(Takeaway(**common, summarises=tuple(raw["summarises"])))
    return tuple(takeaways)


def assemble_biomarker(document: YamlFile) -> Biomarker:
    """Build one article from its schema-valid YAML."""
    raw = document.root
    assert isinstance(raw, SourceMap), "bug: assemble called on a file that failed the schema"
    biomarker_id: str = raw["id"]
    overview = _paragraphs(raw.get("overview", []), (biomarker_id, "Overview"))
    levels = tuple(_level_list(lst, biomarker_id) for lst in raw.get("levels", []))
    ranges_raw = raw.get("reference_ranges", {})
    range_paragraphs = _paragraphs(ranges_raw.get("paragraphs", []), (biomarker_id, RANGES_SECTION))
    ranges = tuple(_range(r, biomarker_id) for r in ranges_raw.get("ranges", []))
    post_raw = raw["original_post"]
    post = OriginalPost(
        post_raw["cite"],
        post_raw["title"],
        _date(post_raw["published"]),
        post_raw.value_location("cite"),
    )
    return Biomarker(
        id=biomarker_id,
        name=raw["name"],
        abbreviation=raw.get("abbreviation"),
        aliases=tuple(raw.get("aliases", ())),
        summary=raw["summary"],
        original_post=post,
        last_reviewed=_date(raw["last_reviewed"]),
        tags=tuple(raw.get("tags", ())),
        identifiers=tuple(sorted(raw.get("identifiers", {}).items())),
        tests=tuple(
            MeasuredTest(
                t["specimen"],
                t.get("loinc"),
                t.get("loinc_name"),
                t.value_location("specimen"),
                t.get("unit"),
                t.value_location("unit"),
            )
            for t in raw.get("tests", [])
        ),
        overview=overview,
        levels=levels,
        range_paragraphs=range_paragraphs,
        ranges=ranges,
        takeaways=_takeaways(raw.get("takeaways", []), biomarker_id, post),
        location=raw.location,
        contested=tuple(
            ContestedPair((c["claims"][0], c["claims"][1]), c["note"], c.location)
            for c in raw.get("contested", [])
        ),
    )


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def assemble_conditions(document: YamlFile) -> list[Condition]:
    """Build the condition vocabulary from its schema-valid YAML."""
    assert isinstance(document.root, SourceMap), "bug: conditions failed the schema"
    return [
        Condition(
            id=raw["id"],
            name=raw["name"],
            kind=raw["kind"],
            category=raw.get("category"),
            synonyms=tuple(raw.get("synonyms", ())),
            broader=tuple(raw.get("broader", ())),
            codes=tuple(sorted(raw.get("codes", {}).items())),
            editor_note=raw.get("editor_note"),
            location=raw.location,
            broader_locations=tuple(raw["broader"].item_locations) if "broader" in raw else (),
        )
        for raw in document.root["conditions"]
    ]


def assemble_specimens(document: YamlFile) -> list[Specimen]:
    """Build the specimen list from its schema-valid YAML."""
    assert isinstance(document.root, SourceMap), "bug: specimens failed the schema"
    return [
        Specimen(raw["id"], raw["name"], tuple(raw.get("synonyms", ())), raw.location)
        for raw in document.root["specimens"]
    ]
