"""Validate stage for the bibliography: BibTeX text → typed References and Problems.

Input: the ``BibFile`` read by the load stage. Output: ``Reference`` records keyed by citation
key, LaTeX decoded to Unicode (a title keeps which ranges its braces protect from case changes),
and a Problem for every block or field that cannot be trusted (syntax, duplicate keys or fields,
undefined macros, '#' concatenation, missing required fields, keys differing only in letter
case, author names that cannot be split, unsafe URLs). Reading each field's value is
``bibtex_values``; checking what it says, ``bibtex_field_checks``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bibtexparser import model as bib
from bibtexparser.entrypoint import parse_string

from biomarker_kb.bibtex_field_checks import check_value, date_agreement, date_parts
from biomarker_kb.bibtex_values import (
    author_names,
    decode_latex,
    decode_title,
    field_value,
    joins_with_hash,
    text_after_value,
    unwrap,
)
from biomarker_kb.model import Reference
from biomarker_kb.problems import Location, Problem, did_you_mean, differs_only_in_case, quoted
from biomarker_kb.yaml_characters import TextLines, describe

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from biomarker_kb.load import BibFile

REQUIRED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author", "title", "publisher", "year"),
    "online": ("title",),
    "misc": ("title",),
}
_OPTIONAL_FIELDS = [
    "organization",
    "volume",
    "number",
    "pages",
    "month",
    "day",
    "edition",
    "publisher",
    "address",
    "doi",
    "pmid",
    "url",
    "note",
    "date",
    "urldate",
]
_KNOWN_FIELDS = frozenset(_OPTIONAL_FIELDS) | {f for fs in REQUIRED_FIELDS.values() for f in fs}
# Kept as written: identifiers, and author lists (LaTeX is decoded per name, after splitting).
_VERBATIM_FIELDS = frozenset({"doi", "url", "pmid", "date", "urldate", "author"})
CITATION_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]*")
"""The same pattern as the schema's citation keys: safe in anchors and footnote labels."""


@dataclass(frozen=True)
class _Macros:
    """The file's @string macros by lowercased name; those that could not be read apart."""

    values: dict[str, str]
    unreadable: frozenset[str]
    """Names of macros already reported where they are defined (e.g. joined with '#')."""


@dataclass(frozen=True)
class Bibliography:
    """The usable references, the keys of entries that exist but are broken, and problems."""

    references: dict[str, Reference]
    broken_keys: frozenset[str]
    problems: list[Problem]


# Characters no editor shows that would reach readers unseen: controls (but tab and line
# breaks), line and paragraph separators, bidirectional controls, a byte-order mark after the
# start. As in the YAML files (``yaml_characters``), each is refused where it stands.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufffe\uffff]|(?<!^)\ufeff"
)


def _hidden_characters(source: BibFile) -> list[Problem]:
    """Return a Problem per line holding a character refused in the bibliography."""
    first = _HIDDEN.search(source.text)
    if first is None:  # nearly every file
        return []
    lines = TextLines(source.text)
    found: dict[tuple[int, int], Problem] = {}
    for match in _HIDDEN.finditer(source.text, first.start()):
        at = lines.location(source.path, match.start())
        code = ord(match.group())
        message = f"the file contains {describe(code)}, which readers would not see; delete it"
        found.setdefault((at.line, code), Problem(at, message))
    return list(found.values())


def parse_bibliography(source: BibFile) -> Bibliography:
    """Parse and check every entry; bad blocks become Problems, good entries References."""
    # bibtexparser also logs each failed block; we report them ourselves, with file and line.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = parse_string(source.text, parse_stack=[])
    problems = _hidden_characters(source)
    problems += [_failed_block_problem(source.path, block) for block in library.failed_blocks]
    macros, macro_problems = _macros(source.path, library.strings)
    problems += macro_problems
    references: dict[str, Reference] = {}
    broken = {key for block in library.failed_blocks if (key := _failed_block_key(block))}
    refused, case_problems = _keys_differing_in_case(source.path, library.entries)
    problems += case_problems
    for entry in library.entries:
        if entry.key in refused:
            broken.add(entry.key)
            continue
        reference, found = _reference(source.path, entry, macros)
        problems.extend(found)
        if reference is not None:
            references[reference.key] = reference
        else:
            broken.add(entry.key)
    return Bibliography(references, frozenset(broken), problems)


def _macros(path: str, strings: Iterable[bib.String]) -> tuple[_Macros, list[Problem]]:
    """Return the @string macros; one joined with '#' is a problem, and unreadable."""
    values: dict[str, str] = {}
    unreadable: set[str] = set()
    problems: list[Problem] = []
    for string in strings:
        raw = str(string.value)
        if joins_with_hash(raw):
            what = f"@string {quoted(string.key)}"
            problems.append(Problem(_where(path, string), _concatenation(what, raw)))
            unreadable.add(string.key.lower())
        else:
            values[string.key.lower()] = unwrap(raw)
    return _Macros(values, frozenset(unreadable)), problems


def _keys_differing_in_case(
    path: str, entries: Iterable[bib.Entry]
) -> tuple[set[str], list[Problem]]:
    """Return the keys that differ only in letter case from an earlier entry's, and why.

    BibTeX itself takes such keys for one; the later entry is refused.
    """
    first_of: dict[str, bib.Entry] = {}
    refused: set[str] = set()
    problems = []
    for entry in entries:
        first = first_of.setdefault(entry.key.casefold(), entry)
        if first is not entry:
            where = f"first at line {_where(path, first).line}"
            message = differs_only_in_case("entry key", entry.key, first.key, where)
            problems.append(Problem(_where(path, entry), message))
            refused.add(entry.key)
    return refused, problems


_ENTRY_START = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s]+)\s*,")


def _failed_block_key(block: bib.ParsingFailedBlock) -> str | None:
    """Return the key of an entry that failed to parse, if its first line still shows it."""
    key = getattr(block, "key", None)
    if isinstance(key, str):
        return key
    match = _ENTRY_START.match((block.raw or "").lstrip())
    return match.group(1) if match else None


def _where(path: str, block: bib.Block) -> Location:
    return Location(path, 0 if block.start_line is None else block.start_line + 1)


def _failed_block_problem(path: str, block: bib.ParsingFailedBlock) -> Problem:
    at = _where(path, block)
    if isinstance(block, bib.DuplicateBlockKeyBlock):
        first = _where(path, block.previous_block).line
        return Problem(
            at,
            f"duplicate entry key {quoted(block.key)} (first at line {first});"
            " give each its own key",
        )
    if isinstance(block, bib.DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        key = getattr(block.ignore_error_block, "key", "?")
        return Problem(
            at, f"entry {quoted(key)} has a field written twice ({fields}); keep only one"
        )
    reason = getattr(block.error, "abort_reason", "") or str(block.error)
    detail = " ".join(reason.split()).replace("`", "'").rstrip(".") or "the entry cannot be read"
    key = _failed_block_key(block)
    entry = f" in entry {quoted(key)}" if key else ""
    return Problem(
        at,
        f"BibTeX syntax error{entry}: {detail}; check for an unbalanced brace or a missing"
        " comma between fields",
    )


def _reference(
    path: str, entry: bib.Entry, macros: _Macros
) -> tuple[Reference | None, list[Problem]]:
    problems: list[Problem] = []
    entry_type = entry.entry_type.lower()
    at = _where(path, entry)
    if not CITATION_KEY.fullmatch(entry.key):
        message = (
            f"not a valid citation key (got {quoted(entry.key)}); use letters, digits and - _ : ."
            " starting with a letter or digit"
        )
        return None, [Problem(at, message)]
    if entry_type not in REQUIRED_FIELDS:
        allowed = ", ".join(f"@{t}" for t in REQUIRED_FIELDS)
        hint = did_you_mean(entry_type, REQUIRED_FIELDS)
        shown = quoted(entry_type)[1:-1]  # escaped as a key is, but written as BibTeX has it
        problems.append(Problem(at, f"unsupported entry type @{shown}{hint}; use {allowed}"))
        return None, problems
    values: dict[str, str] = {}
    title_protected: tuple[tuple[int, int], ...] = ()
    unread = False
    for field in entry.fields:
        name = field.key.lower()
        field_at = Location(path, field.start_line + 1)
        value, found = _read_field(name, str(field.value), macros, field_at, entry.key)
        problems += found
        if value is None:
            unread = True
            continue
        if name == "title":
            values[name], title_protected = decode_title(value)
        else:
            values[name] = value if name in _VERBATIM_FIELDS else decode_latex(value)
        problems.extend(check_value(name, values[name], field_at))
    # A field that could not be read (missing comma, undefined macro) is reported above; saying
    # that the fields after it are missing would only bury the real mistake.
    dated = date_parts(values)
    problems += date_agreement(values, at)
    complete = not (problems or unread)
    missing = (
        [f for f in REQUIRED_FIELDS[entry_type] if not (values.get(f) or dated.get(f))]
        if complete
        else []
    )
    if (
        entry_type in {"online", "misc"}
        and complete
        and not (values.get("author") or values.get("organization"))
    ):
        missing.append("author or organization")
    for name in missing:
        message = f"entry {quoted(entry.key)} is missing the field {name!r}; add it"
        problems.append(Problem(at, message))
    if problems or unread:
        return None, problems
    return _make_reference(entry.key, entry_type, values, title_protected, at), []


def _read_field(
    name: str, raw: str, macros: _Macros, at: Location, key: str
) -> tuple[str | None, list[Problem]]:
    """Return a field's value, or None and the problems that say why it cannot be read.

    None with no problem: the value is an @string macro already reported where it is defined.
    """
    if name not in _KNOWN_FIELDS:
        return None, [Problem(at, _unknown_field(name, key))]
    # Before the run-on check, which would take the text after '#' for a field without a comma.
    if joins_with_hash(raw):
        return None, [Problem(at, _concatenation(f"field {quoted(name)}", raw))]
    rest = text_after_value(raw)
    if rest is not None:
        next_field = rest.split("=")[0].strip()
        message = (
            f"field {quoted(name)} runs into {quoted(next_field)}: a comma is missing after the"
            f" value of {quoted(name)}; add ',' at the end of that line"
        )
        return None, [Problem(at, message)]
    if raw.strip().lower() in macros.unreadable:
        return None, []
    value = field_value(raw, macros.values)
    if value is None:
        return None, [Problem(at, _undefined_macro(name, raw))]
    return value, []


def _unknown_field(name: str, key: str) -> str:
    hint = did_you_mean(name, _KNOWN_FIELDS) or "; remove it"
    return f"unknown field {quoted(name)} in entry {quoted(key)}{hint}"


def _undefined_macro(name: str, raw: str) -> str:
    return (
        f"field {quoted(name)} uses {quoted(raw)}, which is not a defined @string macro;"
        f" put the value in braces: {name} = {{{raw}}}"
    )


def _concatenation(what: str, raw: str) -> str:
    # Joining is refused, not done: a value built from pieces is not what an editor reads.
    return (
        f"{what} joins values with '#' (got {' '.join(raw.split())!r}); '#' concatenation is"
        " not supported: write the whole value in one pair of braces"
    )


def _make_reference(
    key: str,
    entry_type: str,
    values: dict[str, str],
    title_protected: tuple[tuple[int, int], ...],
    at: Location,
) -> Reference:
    optional = {
        name: values.get(name)
        for name in _OPTIONAL_FIELDS
        if name not in {"date", "urldate", "month", "day"}
    }
    return Reference(
        key=key,
        entry_type=entry_type,
        title=values["title"],
        title_protected=title_protected,
        authors=author_names(values.get("author", "")),
        journal=values.get("journal"),
        location=at,
        **optional,
        **date_parts(values),
    )
