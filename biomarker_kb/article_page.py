"""Render stage, article pages: a ``Biomarker`` → the ``ArticlePage`` view its template lays out.

Input: one biomarker and the build's shared makers. Output: a frozen view holding the article
as it reads — paragraphs and lists sentence by sentence, the range comparisons, takeaways,
tests, editor's notes for readers, contested pairs and footnotes numbered in reading order —
every piece escaped. Pure; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.escape import md_inline
from biomarker_kb.footnotes import PageFootnotes
from biomarker_kb.labels import IDENTIFIER_LABELS, levels_heading, long_date
from biomarker_kb.sentence_view import SentenceBuilder
from biomarker_kb.spans import plain_text, walk_spans
from biomarker_kb.takeaways_view import takeaways_view

if TYPE_CHECKING:
    from biomarker_kb.claim_rows import ContestedView
    from biomarker_kb.footnotes import FootnoteView
    from biomarker_kb.model import Biomarker, Claim, KnowledgeBase, Sentence
    from biomarker_kb.page_kit import PageKit
    from biomarker_kb.range_view import ComparisonView
    from biomarker_kb.sentence_view import BlockView, SentenceView
    from biomarker_kb.takeaways_view import TakeawaysView


@dataclass(frozen=True)
class ListView:
    """A list such as "Increased serum levels": its title carries the list's own sources."""

    title: str
    anchor: str
    title_ending: str
    items: tuple[SentenceView, ...]


@dataclass(frozen=True)
class NoteView:
    """An editor's note on one sentence, range or takeaway, in words for readers."""

    anchor: str
    back: str
    """Link target of what the note is about."""
    about: str
    """What the note is about: the sentence, range or takeaway as the article shows it."""
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ArticlePage:
    """Everything an article shows, in reading order, escaped."""

    title: str
    published: str
    last_reviewed: str
    aliases: str
    summary: str
    post_title: str
    overview: tuple[BlockView, ...]
    levels_heading: str
    levels: tuple[ListView, ...]
    range_paragraphs: tuple[BlockView, ...]
    comparisons: tuple[ComparisonView, ...]
    takeaways: TakeawaysView | None
    tests: tuple[tuple[str, str, str], ...]
    """(specimen link, LOINC code, LOINC name) per test."""
    identifiers: tuple[tuple[str, str], ...]
    notes: tuple[NoteView, ...]
    contested: tuple[ContestedView, ...]
    footnotes: tuple[FootnoteView, ...]
    downloads: str
    """Links to the open-data files."""


def _sentence_note(sentence: Sentence) -> NoteView | None:
    words = {span.claim_id: span.words for span, _ in walk_spans(sentence.parts)}
    lines = []
    if sentence.as_printed:
        lines.append(f"The post printed: “{md_inline(sentence.as_printed)}”")
    if sentence.editor_note:
        lines.append(md_inline(sentence.editor_note))
    # Claims sharing a note say it once, naming all their words: "“a”, “b”: note".
    said: dict[str, list[str]] = {}
    for claim in sentence.claims:
        quoted = f"“{md_inline(words[claim.id])}”"
        if claim.editor_note:
            said.setdefault(f": {md_inline(claim.editor_note)}", []).append(quoted)
        if claim.review is not None:
            said.setdefault(f", {_reviewed(claim)}", []).append(quoted)
    lines += [", ".join(quoted) + note for note, quoted in said.items()]
    if not lines:
        return None
    first = sentence.claims[0].id
    return NoteView(
        urls.note_anchor(first),
        f"#{urls.sentence_anchor(first)}",
        md_inline(plain_text(sentence.parts)),
        tuple(lines),
    )


def _claim_note(claim: Claim) -> NoteView | None:
    lines = []
    if claim.as_printed:
        lines.append(f"The post printed: “{md_inline(claim.as_printed)}”")
    if claim.editor_note:
        lines.append(md_inline(claim.editor_note))
    if claim.review is not None:
        lines.append(f"This is {_reviewed(claim)}")
    if not lines:
        return None
    return NoteView(
        urls.note_anchor(claim.id),
        f"#{urls.claim_anchor(claim.id)}",
        md_inline(claim.text),
        tuple(lines),
    )


def _reviewed(claim: Claim) -> str:
    """Return "questioned by a reviewer: <note>" for a flagged claim."""
    assert claim.review is not None, "bug: asked for the review of a claim without one"
    return f"{claim.review.status} by a reviewer: {md_inline(claim.review.note)}"


def article_page(biomarker: Biomarker, kb: KnowledgeBase, kit: PageKit) -> ArticlePage:
    """Return the view of one biomarker's article."""
    page = urls.article(biomarker.id)
    notes = PageFootnotes(kit.reference_texts, page)
    noted_sentences = [(s, note) for s in biomarker.sentences if (note := _sentence_note(s))]
    sentence_notes = [note for _, note in noted_sentences]
    noted = frozenset(s.claims[0].id for s, _ in noted_sentences)
    builder = SentenceBuilder(kit.markup, notes, page, noted)
    overview = tuple(builder.block(p.sentences, p.citations) for p in biomarker.overview)
    levels = []
    for level_list in biomarker.levels:
        block = builder.block(level_list.items, level_list.citations, on_title=True)
        anchor = f"{level_list.specimen}-{level_list.direction}"
        levels.append(ListView(md_inline(level_list.title), anchor, block.ending, block.sentences))
    range_paragraphs = tuple(
        builder.block(p.sentences, p.citations) for p in biomarker.range_paragraphs
    )
    other_notes = [n for c in (*biomarker.ranges, *biomarker.takeaways) if (n := _claim_note(c))]
    noted_ranges = frozenset(r.id for r in biomarker.ranges if r.annotated)
    comparisons = kit.ranges.views(biomarker, notes, noted=noted_ranges)
    takeaways = takeaways_view(biomarker, kb, notes, kit)
    contested = kit.standalone.contested([c.id for c in biomarker.claims], notes)
    return ArticlePage(
        title=md_inline(
            f"{biomarker.name} ({biomarker.abbreviation})"
            if biomarker.abbreviation
            else biomarker.name
        ),
        published=long_date(biomarker.original_post.published),
        last_reviewed=long_date(biomarker.last_reviewed),
        aliases=", ".join(md_inline(a) for a in biomarker.aliases),
        summary=md_inline(biomarker.summary),
        post_title=md_inline(biomarker.original_post.title),
        overview=overview,
        levels_heading=md_inline(levels_heading(biomarker.levels, kb.specimens))
        if biomarker.levels
        else "",
        levels=tuple(levels),
        range_paragraphs=range_paragraphs,
        comparisons=comparisons,
        takeaways=takeaways,
        tests=tuple(
            (
                f"[{md_inline(kb.specimens[t.specimen].name)}]"
                f"({urls.link(page, urls.specimen(t.specimen))})",
                md_inline(t.loinc or "Not verified"),
                md_inline(t.loinc_name or ""),
            )
            for t in biomarker.tests
        ),
        identifiers=tuple(
            (md_inline(IDENTIFIER_LABELS[name]), md_inline(value))
            for name, value in biomarker.identifiers
        ),
        notes=(*sentence_notes, *other_notes),
        contested=contested,
        footnotes=notes.footnotes(),
        downloads=urls.download_links(page),
    )
