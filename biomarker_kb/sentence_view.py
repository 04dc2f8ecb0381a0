"""Render helper: an article's paragraphs and list items as typed views, sentence by sentence.

Input: ``Paragraph`` / ``LevelList`` records, the page's ``PageFootnotes`` and the build's
``ClaimMarkup``. Output: ``SentenceView``s — the sentence in the source's words as tokens (text,
claim opened, claim closed), every piece escaped, condition and specimen names linked on the
words themselves — with each citation placed where the source gave it: a claim's own sources
at the end of its words, a sentence's at the end of the sentence, a paragraph's or list's once
at its end (the template gives that element ``data-cite-scope``). Pure but for numbering the
page's footnotes, in reading order.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from biomarker_kb import urls
from biomarker_kb.browse import main_condition, specimens_of
from biomarker_kb.escape import md_fragment
from biomarker_kb.spans import Span, plain_text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from biomarker_kb.footnotes import PageFootnotes
    from biomarker_kb.model import Citation, Claim, Condition, Review, Sentence, Specimen
    from biomarker_kb.spans import Part

NEEDS_SOURCE_FLAG = (
    ' <span class="kb-flag" title="The post gives no source for this; it cites only the post'
    ' itself">needs primary source</span>'
)
CONTESTED_FLAG = f' <a class="kb-contested" href="#{urls.CONTESTED_ANCHOR}">contested</a>'
REVIEW_WORDS = {"questioned": "questioned"}
"""The badge each review status shows."""


def review_flag(review: Review, note_anchor: str) -> str:
    """Return the badge of a reviewer's flag, leading to its note on the same page."""
    title = html.escape(review.note, quote=True)
    words = REVIEW_WORDS[review.status]
    return f' <a class="kb-review" href="#{note_anchor}" title="{title}">{words}</a>'


def review_flag_elsewhere(review: Review, target: str) -> str:
    """Return the badge of a reviewer's flag that links to the claim on another page.

    A Markdown link, so that MkDocs makes its URL; the page shows the note itself near it.
    """
    return f" [{REVIEW_WORDS[review.status]}]({target}){{: .kb-review }}"


MAX_WORDS_LINKED_WHOLE = 4
"""A claim's words are linked whole to its condition when they are this short ("Smoking")."""


def note_link(first_claim_id: str) -> str:
    """Return the mark that leads from a sentence, range or takeaway to its editor's note."""
    return (
        f'<sup class="kb-note-ref"><a href="#{urls.note_anchor(first_claim_id)}"'
        ' title="Editor&#39;s note">note</a></sup>'
    )


class Token(NamedTuple):
    """A piece of a sentence: text, the start of a claim, or its end (with its own marks)."""

    kind: Literal["text", "open", "close"]
    text: str
    """Escaped Markdown: the text, or what ends the claim (its footnote marks and flags)."""
    attributes: str = ""
    """For the start of a claim: its element's attributes (``ClaimMarkup.attributes``)."""
    after: str = ""
    """For the end of a claim: what follows its element, its permalink (``claim_permalink``)."""


@dataclass(frozen=True)
class SentenceView:
    """One sentence or list item, ready to lay out."""

    anchor: str
    tokens: tuple[Token, ...]
    ending: str
    """Escaped Markdown after the sentence: its own sources' marks, flags, a link to its note."""


@dataclass(frozen=True)
class BlockView:
    """A paragraph or list: its sentences and what ends it (the sources given for all of it)."""

    sentences: tuple[SentenceView, ...]
    ending: str


def claim_permalink(claim_id: str) -> str:
    """Return the link to a claim that readers copy: shown on hover or focus (kb.css).

    It has no text, only a name for assistive technology, so that the sentence reads, copies
    and is indexed for search as the post wrote it; the stylesheet draws its "#".
    """
    anchor = html.escape(urls.claim_anchor(claim_id))
    return f'<a class="kb-claim-link" href="#{anchor}" aria-label="Link to this claim"></a>'


@dataclass(frozen=True)
class ClaimMarkup:
    """Per build: each claim's attributes and each condition's name matcher, made once."""

    conditions: Mapping[str, Condition]
    specimens: Mapping[str, Specimen]
    contested: frozenset[str]
    """Ids of the claims in a declared contested pair."""
    attributes_of: dict[str, str] = field(default_factory=dict, repr=False)
    matchers: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)

    def attributes(self, claim: Claim) -> str:
        """Return the attributes every element that is a claim carries, escaped for HTML.

        The one place the claim markup is written: its anchor, id, sources (``data-cite``) and
        where they were given. Made here once per claim and build, not by a template macro: a
        claim is shown on several pages, and a macro call per claim was most of the render's
        time (N=300, profiled).
        """
        found = self.attributes_of.get(claim.id)
        if found is None:
            # Not the cached html_attr: these are made once per claim already, and caching them
            # again held 270,000 strings through the whole MkDocs build at N=1000.
            anchor = html.escape(urls.claim_anchor(claim.id))
            cite = html.escape(" ".join(claim.citation_keys))
            found = self.attributes_of[claim.id] = (
                f'class="kb-claim" id="{anchor}" data-claim="{html.escape(claim.id)}"'
                f' data-cite="{cite}" data-attribution="{claim.attribution_levels}"'
            )
        return found

    def condition_matcher(self, condition_id: str) -> re.Pattern[str]:
        """Return a pattern finding the condition's name or a synonym at the start of a word."""
        found = self.matchers.get(condition_id)
        if found is None:
            condition = self.conditions[condition_id]
            names = sorted({condition.name, *condition.synonyms}, key=len, reverse=True)
            alternatives = "|".join(re.escape(name) for name in names)
            found = self.matchers[condition_id] = re.compile(
                rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE
            )
        return found


def _own_keys(citations: Sequence[Citation], level: str) -> list[str]:
    return [c.key for c in citations if c.attribution == level]


class SentenceBuilder:
    """Builds one article's sentence views, citing in the page's footnotes in reading order."""

    def __init__(
        self, markup: ClaimMarkup, notes: PageFootnotes, page: str, noted: frozenset[str]
    ) -> None:
        self._markup = markup
        self._notes = notes
        self._page = page
        self._noted = noted
        """Ids of the first claims of sentences that have an editor's note."""

    def block(
        self,
        sentences: Sequence[Sentence],
        citations: Sequence[Citation],
        *,
        on_title: bool = False,
    ) -> BlockView:
        """Return a paragraph's or list's view; its own sources are cited once.

        A paragraph's stand at its end; a list's (``on_title``) on its title, which a reader
        meets first, so they are numbered before its items'.
        """
        claims = [claim for sentence in sentences for claim in sentence.claims]
        # One marker for the whole block when all of it rests on the post and it says so once.
        flag_here = bool(citations) and all(claim.needs_primary_source for claim in claims)
        ending = self._notes.marks(c.key for c in citations) if on_title else ""
        views = tuple(self._sentence(s, flag_claims=not flag_here) for s in sentences)
        if not on_title:
            ending = self._notes.marks(c.key for c in citations)
        if flag_here:
            ending += NEEDS_SOURCE_FLAG
        return BlockView(views, ending)

    def _sentence(self, sentence: Sentence, *, flag_claims: bool) -> SentenceView:
        first = sentence.claims[0].id
        unsourced = flag_claims and all(c.needs_primary_source for c in sentence.claims)
        by_id = {claim.id: claim for claim in sentence.claims}
        tokens: list[Token] = []
        self._parts(sentence.parts, by_id, tokens, first, flag_claims=flag_claims and not unsourced)
        ending = self._notes.marks(c.key for c in sentence.citations)
        if unsourced:
            ending += NEEDS_SOURCE_FLAG
        if first in self._noted:
            ending += note_link(first)
        return SentenceView(urls.sentence_anchor(first), tuple(tokens), ending)

    def _parts(
        self,
        parts: tuple[Part, ...],
        by_id: Mapping[str, Claim],
        tokens: list[Token],
        first: str,
        *,
        flag_claims: bool,
    ) -> None:
        """Add the tokens of ``parts``; ``first`` is the sentence's first claim, naming its note."""
        for part in parts:
            if isinstance(part, str):
                tokens.append(Token("text", md_fragment(part)))
                continue
            claim = by_id[part.claim_id]
            tokens.append(Token("open", "", self._markup.attributes(claim)))
            if any(isinstance(inner, Span) for inner in part.parts):
                self._parts(part.parts, by_id, tokens, first, flag_claims=flag_claims)
            else:
                tokens.append(Token("text", self._linked_words(plain_text(part.parts), claim)))
            ending = self._notes.marks(_own_keys(claim.citations, "claim"))
            if flag_claims and claim.needs_primary_source:
                ending += NEEDS_SOURCE_FLAG
            if claim.id in self._markup.contested:
                ending += CONTESTED_FLAG
            if claim.review is not None:
                ending += review_flag(claim.review, urls.note_anchor(first))
            tokens.append(Token("close", ending, after=claim_permalink(claim.id)))

    def _linked_words(self, words: str, claim: Claim) -> str:
        """Return the claim's words, escaped, with its specimen or condition linked on them."""
        for specimen_id in specimens_of(claim):
            if words.strip().casefold() == self._markup.specimens[specimen_id].name.casefold():
                return self._link(words, urls.specimen(specimen_id))
        main = main_condition(claim)
        if main is None:
            return md_fragment(words)
        found = self._markup.condition_matcher(main).search(words)
        if found is not None:
            start, end = found.span()
            return (
                md_fragment(words[:start])
                + self._link(words[start:end], urls.condition(main))
                + md_fragment(words[end:])
            )
        if len(words.split()) <= MAX_WORDS_LINKED_WHOLE:
            return self._link(words, urls.condition(main))
        return md_fragment(words)

    def _link(self, words: str, target: str) -> str:
        stripped = words.strip()
        lead = words[: len(words) - len(words.lstrip())]
        trail = words[len(words.rstrip()) :]
        href = urls.link(self._page, target)
        return f"{md_fragment(lead)}[{md_fragment(stripped)}]({href}){md_fragment(trail)}"
