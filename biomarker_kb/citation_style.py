"""Render helper: format a Reference as one AMA-style (11th edition) citation in Markdown.

Input: a ``Reference``. Output: Markdown with every piece of data escaped, the title of a book
or the journal in italics, and the DOI or URL as a link. Pure; no I/O.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from bibtexparser.middlewares.names import parse_single_name_into_parts

from biomarker_kb.escape import md_inline, md_url

if TYPE_CHECKING:
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
    return [_sentence(reference.title), journal, _sentence(where)]


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
    return [f"*{_sentence(reference.title)}*", edition, where]


def _online(reference: Reference) -> list[str]:
    return [_sentence(reference.title), _sentence(reference.note), _published(reference)]


@functools.cache  # a reference is formatted once per build, not once per footnote per page
def format_reference(reference: Reference) -> str:
    """Return the full AMA citation as Markdown."""
    body = {"article": _article, "book": _book}.get(reference.entry_type, _online)(reference)
    parts = [_authors(reference), *body]
    if reference.entry_type == "article" and reference.note:
        parts.append(_sentence(reference.note))
    if reference.pmid:
        parts.append(_sentence(f"PMID: {reference.pmid}"))
    parts.append(_link(reference))
    return " ".join(part for part in parts if part)


def short_citation(reference: Reference) -> str:
    """Return "Pagana 2022" or "Labcorp": how a table names a source (plain text)."""
    if reference.authors:
        last = family_name(reference.authors[0])
        return f"{last} {reference.year}" if reference.year else last
    return reference.organization or reference.title
