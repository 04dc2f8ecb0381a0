"""Check a BibTeX entry's decoded field values, and read its date.

Input: a field's name, its decoded value (``bibtex_values``) and its location; or an entry's
decoded values. Output: a Problem for each value that cannot be what its field says (an unsafe
URL, a DOI, date, PMID, year, month or day that is not one, an author name that cannot be split
into parts, a date that disagrees with the year, month or day written beside it), and the
entry's year, month and day, filled in from an ISO ``date`` field where they are not written.
"""

from __future__ import annotations

import datetime
import re

from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

from biomarker_kb.bibtex_values import MONTHS, author_names, is_one_group
from biomarker_kb.escape import is_safe_url
from biomarker_kb.problems import Location, Problem

_DOI = re.compile(r"^10\.\d{4,9}/\S+$", re.ASCII)
_YEAR = re.compile(r"[0-9]{4}")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def check_value(name: str, value: str, at: Location) -> list[Problem]:
    """Return a Problem if ``value`` cannot be what the field ``name`` says it is."""
    if name == "url" and not is_safe_url(value):
        return [Problem(at, f"unsafe or invalid URL (got {value!r}); use a full https:// address")]
    if name == "doi" and not _DOI.match(value):
        return [
            Problem(at, f"not a DOI (got {value!r}); write it bare, like 10.3389/fmed.2017.00073")
        ]
    if name == "date" and not _is_iso_date(value):
        return [
            Problem(
                at, f"not a date in ISO form (got {value!r}); write 2021-03-05, 2021-03 or 2021"
            )
        ]
    if name == "pmid" and _number(value) is None:
        return [Problem(at, f"a PMID is digits only (got {value!r}); write only the number")]
    if name == "year" and not _YEAR.fullmatch(value):
        return [Problem(at, f"not a year (got {value!r}); write its four digits, like 2021")]
    if name == "month" and value[:3].lower() not in MONTHS:
        return [Problem(at, f"not a month (got {value!r}); write its name, or jan, feb, ... dec")]
    if name == "day" and not 1 <= (_number(value) or 0) <= 31:
        return [Problem(at, f"not a day of the month (got {value!r}); write a number, 1 to 31")]
    if name == "author":
        return _unreadable_names(value, at)
    return []


def _unreadable_names(raw: str, at: Location) -> list[Problem]:
    """Return a problem for each author name the citation style could not split into parts."""
    problems = []
    for name in author_names(raw):
        if is_one_group(name):  # an organization, kept whole
            continue
        try:
            parts = parse_single_name_into_parts(name)
        except InvalidNameError as error:
            reason = error.reason[:1].lower() + error.reason[1:]
        else:
            if parts.last:
                continue
            reason = "no family name"
        message = (
            f"field 'author' has a name that cannot be read (got {name!r}: {reason}); write"
            " each name as 'Family, Given', and put ' and ' between names"
        )
        problems.append(Problem(at, message))
    return problems


def _is_iso_date(text: str) -> bool:
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return False
    year, month, day = match.groups()
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def date_agreement(values: dict[str, str], at: Location) -> list[Problem]:
    """Return a problem when 'date' and the written year, month or day disagree."""
    match = _ISO_DATE.fullmatch(values.get("date", ""))
    if match is None:
        return []
    year, month, day = match.groups()
    written_month = values.get("month", "")[:3].lower()
    clashes = [
        name
        for name, written, dated in (
            ("year", values.get("year"), year),
            (
                "month",
                MONTHS.index(written_month) + 1 if written_month in MONTHS else None,
                month,
            ),
            ("day", values.get("day"), day),
        )
        if _number(written) is not None and _number(dated) not in {None, _number(written)}
    ]
    if not clashes:
        return []
    shown = ", ".join(f"'{name}' ({values[name]})" for name in clashes)
    message = f"fields {shown} and 'date' ({values['date']}) disagree; keep one of them"
    return [Problem(at, message)]


def _number(text: str | int | None) -> int | None:
    """Return the number written in ASCII digits, or None (not written, or not a number)."""
    if isinstance(text, int):
        return text
    return int(text) if text and text.isascii() and text.isdigit() else None


def date_parts(values: dict[str, str]) -> dict[str, str | None]:
    """Return year, month and day, filling any that are missing from an ISO ``date`` field."""
    match = _ISO_DATE.fullmatch(values.get("date", ""))
    year, month, day = match.groups() if match else (None, None, None)
    month_name = MONTHS[int(month) - 1] if month and 1 <= int(month) <= 12 else None
    return {
        "year": values.get("year") or year,
        "month": values.get("month") or month_name,
        "day": values.get("day") or (str(int(day)) if day else None),
    }
