"""Render helper: one page's citations, numbered in reading order, as footnote marks and notes.

Input: the citation keys a page cites, in the order a reader meets them, and the build's
formatted references. Output: the marks' HTML (ascending numbers, "1,3" never "3,1"; each mark
with its own id) and one ``FootnoteView`` per source, with back-links labelled a, b, c... The
marks and ids follow Python-Markdown's footnotes (``fn:key``, ``fnref:key``), so Material's
footnote tooltips work on them. Pure; no I/O.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.citation_style import format_reference

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from biomarker_kb.model import Reference


@dataclass(frozen=True)
class ReferenceTexts:
    """Each source's reference, formatted once per build (a source is cited on many pages)."""

    references: Mapping[str, Reference]
    made: dict[str, str] = field(default_factory=dict, repr=False)

    def __call__(self, key: str) -> str:
        """Return the source's full AMA reference as escaped Markdown."""
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = format_reference(self.references[key])
        return found


@dataclass(frozen=True)
class BackLink:
    """A link from a footnote back to one place that cites it."""

    label: str
    """"a", "b", ... (or the return arrow when the source is cited once on the page)."""
    anchor: str
    description: str
    """Its accessible name, e.g. "Back to citation b"."""


@dataclass(frozen=True)
class FootnoteView:
    """One source's footnote at the end of a page."""

    cited: int
    """How many places on the page cite it."""
    number: int
    anchor: str
    reference: str
    """The formatted reference, escaped Markdown."""
    back_links: tuple[BackLink, ...]
    bibliography_link: str
    """Link target of the source's entry on the references page."""


RETURN_ARROW = "&#8617;"
"""↩ as an entity: one character beyond Latin-1 makes Python hold a whole page's HTML at two
bytes per character, and MkDocs holds every page's HTML at once (N=1000: about 100 MB)."""
LETTERED_BACK_LINKS = 26
"""Up to this many citing places, each gets a back-link "a"…"z"; beyond, one back-link to the
first says how often the source is cited on the page (a condition page can cite one source
hundreds of times, and a footnote of hundreds of letters helps nobody)."""


def _letters(index: int) -> str:
    """Return "a".."z", then "aa", "ab"...: back-link labels as encyclopedias print them."""
    letters = string.ascii_lowercase
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = letters[rest] + label
    return label


class PageFootnotes:
    """Numbers one page's sources in the order they are first cited; a repeat reuses its number."""

    def __init__(self, texts: ReferenceTexts, page: str) -> None:
        self._texts = texts
        self._page = page
        self._numbers: dict[str, int] = {}
        self._occurrences: dict[str, int] = {}

    def marks(self, keys: Iterable[str]) -> str:
        """Return the marks citing ``keys`` here, in ascending number, each with its own id."""
        numbered = []
        for key in dict.fromkeys(keys):
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            occurrence = self._occurrences[key] = self._occurrences.get(key, 0) + 1
            numbered.append((number, key, occurrence))
        numbered.sort()
        return "".join(
            f"<sup{_mark_id(key, occurrence)}>"
            f'<a class="footnote-ref" href="#{urls.footnote_anchor(key)}">{number}</a></sup>'
            for number, key, occurrence in numbered
        )

    @property
    def cited(self) -> bool:
        """Return True once anything was cited on the page."""
        return bool(self._numbers)

    def footnotes(self) -> tuple[FootnoteView, ...]:
        """Return the page's footnotes in number order; call after everything is cited."""
        return tuple(self._footnote(key, number) for key, number in self._numbers.items())

    def _footnote(self, key: str, number: int) -> FootnoteView:
        count = self._occurrences[key]
        if count == 1 or count > LETTERED_BACK_LINKS:
            first = urls.footnote_ref_anchor(key, 1)
            words = "Back to the text" if count == 1 else "Back to the first citation"
            back_links: tuple[BackLink, ...] = (BackLink(RETURN_ARROW, first, words),)
        else:
            back_links = tuple(
                BackLink(
                    _letters(index),
                    urls.footnote_ref_anchor(key, index + 1),
                    f"Back to citation {_letters(index)}",
                )
                for index in range(count)
            )
        return FootnoteView(
            cited=count,
            number=number,
            anchor=urls.footnote_anchor(key),
            reference=self._texts(key),
            back_links=back_links,
            bibliography_link=urls.link(self._page, urls.REFERENCES, urls.reference_anchor(key)),
        )


def _mark_id(key: str, occurrence: int) -> str:
    """Return the id attribute of a mark that a back-link leads to; the others need none."""
    if occurrence == 1 or occurrence <= LETTERED_BACK_LINKS:
        return f' id="{urls.footnote_ref_anchor(key, occurrence)}"'
    return ""
