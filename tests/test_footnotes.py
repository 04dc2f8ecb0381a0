"""One page's footnotes: numbered in reading order, marks ascending, back-links labelled."""

from __future__ import annotations

import re

from biomarker_kb.footnotes import LETTERED_BACK_LINKS, PageFootnotes, ReferenceTexts
from tests.helpers import make_reference

PAGE = "conditions/x.md"


def _notes(*keys: str) -> PageFootnotes:
    references = {key: make_reference(key=key, title=f"Title {key}") for key in keys}
    return PageFootnotes(ReferenceTexts(references), PAGE)


def _numbers(marks: str) -> list[int]:
    return [int(n) for n in re.findall(r">(\d+)</a></sup>", marks)]


def test_sources_are_numbered_in_the_order_first_cited_and_marks_ascend() -> None:
    notes = _notes("a", "b", "c")
    assert _numbers(notes.marks(["b"])) == [1]
    assert _numbers(notes.marks(["c", "a", "b"])) == [1, 2, 3]  # b, then c and a newly numbered
    assert [f.anchor for f in notes.footnotes()] == ["fn:b", "fn:c", "fn:a"]


def test_a_key_given_twice_at_one_place_is_one_mark() -> None:
    notes = _notes("a")
    assert _numbers(notes.marks(["a", "a"])) == [1]
    assert notes.footnotes()[0].cited == 1


def test_each_citing_place_gets_a_lettered_back_link_to_its_own_mark() -> None:
    notes = _notes("a")
    marks = [notes.marks(["a"]) for _ in range(3)]
    ids = [re.search(r'<sup id="([^"]+)"', m).group(1) for m in marks]  # type: ignore[union-attr]
    (footnote,) = notes.footnotes()
    assert [b.label for b in footnote.back_links] == ["a", "b", "c"]
    assert [b.anchor for b in footnote.back_links] == ids
    assert footnote.bibliography_link == "../references.md#ref-a"


def test_a_source_cited_once_has_one_arrow() -> None:
    notes = _notes("a")
    notes.marks(["a"])
    (footnote,) = notes.footnotes()
    assert [(b.label, b.anchor) for b in footnote.back_links] == [("&#8617;", "fnref:a")]


def test_beyond_the_alphabet_one_back_link_leads_to_the_first_citation() -> None:
    notes = _notes("a")
    marks = [notes.marks(["a"]) for _ in range(LETTERED_BACK_LINKS + 4)]
    (footnote,) = notes.footnotes()
    assert footnote.cited == LETTERED_BACK_LINKS + 4
    assert [b.anchor for b in footnote.back_links] == ["fnref:a"]
    assert all("id=" not in mark for mark in marks[LETTERED_BACK_LINKS:])
