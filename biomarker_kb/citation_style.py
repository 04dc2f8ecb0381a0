"""Render helper: format a Reference as one AMA-style (11th edition) citation in Markdown.

Input: a ``Reference``. Output: Markdown with every piece of data escaped, the titles of
articles and web pages in sentence case (the .bib's braced words as written), the title of a book
or the journal in italics, the PMID and then the DOI or URL last, as a link. The .bib's free
``note`` has no place in an AMA reference; ``reference_note`` gives it to show beside one.
Pure; no I/O.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bibtexparser.middlewares.names import parse_single_name_into_parts

from biomarker_kb.escape import md_inline, md_url

if TYPE_CHECKING:
    from collections.abc import Sequence

    from biomarker_kb.model import Reference

_MONTH_NAMES = dict(
    zip(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        strict=True,
    )
)
MAX_AUTHORS_LISTED = 6
"""AMA: list up to six authors; with more, list the first three and "et al"."""


def _organization(name: str) -> str | None:
    """Return the organization's name for a braced BibTeX name, else None."""
    return name[1:-1] if name.startswith("{") and name.endswith("}") else None


@functools.lru_cache(maxsize=1 << 16)  # a source's short name is shown on every page citing it
def family_name(name: str) -> str:
    """Return the family name with its particles: "van der Berg" for "Jan van der Berg"."""
    organization = _organization(name)
    if organization is not None:
        return organization
    parts = parse_single_name_into_parts(name)
    return " ".join(parts.von + parts.last)


def ama_author(name: str) -> str:
    """Return "Argyropoulos CP" for "Argyropoulos, Christos P."; "King ML Jr", "van der Berg J"."""
    organization = _organization(name)
    if organization is not None:
        return organization
    parts = parse_single_name_into_parts(name)
    initials = "".join(
        piece[0].upper() for given in parts.first for piece in re.split(r"[\s.\-]+", given) if piece
    )
    return " ".join(p for p in (family_name(name), initials, " ".join(parts.jr)) if p)


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word for casing: letters and digits, with inner apostrophes (O'Brien); hyphens, slashes
and other punctuation separate words, so each part of "Beta-2-Microglobulin" is judged alone."""


def _keeps_its_case(word: str) -> bool:
    """Return True for an abbreviation or a name: all capitals (DNA, II) or inner ones (eGFR)."""
    cased = [char for char in word if char.isupper() or char.islower()]
    return any(char.isupper() for char in cased[1:]) or (
        bool(cased) and not any(char.islower() for char in cased)
    )


def sentence_case(title: str, protected: Sequence[tuple[int, int]] = ()) -> str:
    """Return ``title`` in AMA sentence case (AMA Manual of Style, 11th ed, 3.9.1 and 3.10).

    The first word is capitalized and every other word lowercased, except characters in the
    ``protected`` ``[start, end)`` ranges (what the .bib braced) and words that are all
    capitals or have inner capitals (DNA, HbA1c, eGFR). As AMA does for journal articles, a
    subtitle after a colon or question mark starts lowercase too; a name there needs braces.
    """
    kept = [False] * len(title)
    for start, end in protected:
        for index in range(max(start, 0), min(end, len(title))):
            kept[index] = True
    cased = list(title)
    for number, match in enumerate(_WORD.finditer(title)):
        start, end = match.span()
        if all(kept[start:end]) or _keeps_its_case(match.group()):
            continue
        for index in range(start, end):
            if not kept[index]:
                cased[index] = title[index].lower()
        if number == 0 and not kept[start]:
            cased[start] = title[start].upper()
    return "".join(cased)


def _authors(reference: Reference) -> str:
    names = [ama_author(n) for n in reference.authors]
    if len(names) > MAX_AUTHORS_LISTED:
        names = [*names[:3], "et al"]
    if names:
        return md_inline(", ".join(names)) + "."
    if reference.organization:
        return md_inline(reference.organization) + "."
    return ""


def _sentence(text: str | None) -> str:
    """Return escaped text ending in exactly one full stop, or nothing."""
    if not text:
        return ""
    text = text.rstrip()
    return md_inline(text if text[-1] in ".?!" else text + ".")


def _link(reference: Reference) -> str:
    if reference.doi:
        url = md_url(f"https://doi.org/{reference.doi}")
        return f"doi:[{md_inline(reference.doi)}]({url})"
    if reference.url:
        return f"[{md_inline(reference.url)}]({md_url(reference.url)})"
    return ""


def _published(reference: Reference) -> str:
    if not reference.year:
        return ""
    month = _MONTH_NAMES.get((reference.month or "")[:3].lower())
    if month and reference.day:
        return f"Published {month} {reference.day}, {reference.year}."
    if month:
        return f"Published {month} {reference.year}."
    return f"Published {reference.year}."


def _article(reference: Reference) -> list[str]:
    where = reference.year or ""
    if reference.volume:
        where += f";{reference.volume}"
        if reference.number:
            where += f"({reference.number})"
    if reference.pages:
        where += f":{reference.pages}"
    journal = f"*{md_inline(reference.journal or '')}*."
    return [_title(reference), journal, _sentence(where)]


def _ordinal(number: str) -> str:
    """Return "16th" for "16"; leave words ("Revised") as they are."""
    if not number.isdigit():
        return number
    if number[-2:] in {"11", "12", "13"}:
        return number + "th"
    return number + {"1": "st", "2": "nd", "3": "rd"}.get(number[-1], "th")


def _book(reference: Reference) -> list[str]:
    edition = _sentence(f"{_ordinal(reference.edition)} ed") if reference.edition else ""
    where = _sentence(f"{reference.publisher or ''}; {reference.year or ''}")
    return [f"*{_title(reference)}*", edition, where]


def _online(reference: Reference) -> list[str]:
    return [_title(reference), _published(reference)]


def shown_title(reference: Reference) -> str:
    """Return the title as the reference shows it, in plain text: sentence case but for books."""
    if reference.entry_type == "book":
        return reference.title
    return sentence_case(reference.title, reference.title_protected)


def _title(reference: Reference) -> str:
    return _sentence(shown_title(reference))


@functools.cache  # a reference is formatted once per build, not once per footnote per page
def format_reference(reference: Reference) -> str:
    """Return the full AMA citation as Markdown: ... pages. PMID: n. doi:10.x/y (DOI last)."""
    body = {"article": _article, "book": _book}.get(reference.entry_type, _online)(reference)
    parts = [_authors(reference), *body]
    # AMA ends a reference with its DOI (or URL); the PMID, which AMA's examples do not show,
    # goes just before it rather than after.
    if reference.pmid:
        parts.append(_sentence(f"PMID: {reference.pmid}"))
    parts.append(_link(reference))
    return " ".join(part for part in parts if part)


def reference_note(reference: Reference) -> str:
    """Return the .bib's ``note`` as one escaped Markdown sentence, or "" when there is none.

    AMA has no place for a free note in a reference, so ``format_reference`` leaves it out and
    the references page shows it under the reference.
    """
    return _sentence(reference.note)


def short_citation(reference: Reference) -> str:
    """Return "Pagana 2022" or "Labcorp": how a table names a source (plain text)."""
    if reference.authors:
        last = family_name(reference.authors[0])
        return f"{last} {reference.year}" if reference.year else last
    return reference.organization or reference.title
