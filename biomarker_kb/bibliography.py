"""Validate stage for the bibliography: BibTeX text → typed References and Problems.

Input: the ``BibFile`` read by the load stage. Output: ``Reference`` records keyed by citation
key, LaTeX decoded to Unicode, and a Problem for every block or field that cannot be trusted
(syntax, duplicate keys or fields, undefined macros, missing required fields, unsafe URLs).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from bibtexparser import model as bib
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from biomarker_kb.escape import is_safe_url
from biomarker_kb.model import Reference
from biomarker_kb.problems import Location, Problem, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Mapping

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
_VERBATIM_FIELDS = frozenset({"doi", "url", "pmid", "date", "urldate"})
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
CITATION_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.-]*$")
"""The same pattern as the schema's citation keys: safe in anchors and footnote labels."""
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_LATEX = LatexNodes2Text()


def parse_bibliography(source: BibFile) -> tuple[dict[str, Reference], list[Problem]]:
    """Parse and check every entry; bad blocks become Problems, good entries References."""
    # bibtexparser also logs each failed block; we report them ourselves, with file and line.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = parse_string(source.text, parse_stack=[])
    problems = [_failed_block_problem(source.path, block) for block in library.failed_blocks]
    macros = {s.key.lower(): _unwrap(str(s.value)) for s in library.strings}
    references: dict[str, Reference] = {}
    for entry in library.entries:
        reference, found = _reference(source.path, entry, macros)
        problems.extend(found)
        if reference is not None:
            references[reference.key] = reference
    return references, problems


def _where(path: str, block: bib.Block) -> Location:
    return Location(path, 0 if block.start_line is None else block.start_line + 1)


def _failed_block_problem(path: str, block: bib.ParsingFailedBlock) -> Problem:
    at = _where(path, block)
    if isinstance(block, bib.DuplicateBlockKeyBlock):
        return Problem(at, f"duplicate entry key {block.key!r}; give each entry its own key")
    if isinstance(block, bib.DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        return Problem(at, f"field written twice in one entry ({fields}); keep only one")
    reason = getattr(block.error, "abort_reason", "") or str(block.error)
    detail = " ".join(reason.split()).replace("`", "'") or "the entry cannot be read"
    return Problem(
        at,
        f"BibTeX syntax error: {detail}; check for an unbalanced brace or a missing comma"
        " between fields",
    )


def _reference(
    path: str, entry: bib.Entry, macros: Mapping[str, str]
) -> tuple[Reference | None, list[Problem]]:
    problems: list[Problem] = []
    entry_type = entry.entry_type.lower()
    at = _where(path, entry)
    if not CITATION_KEY.match(entry.key):
        message = (
            f"not a valid citation key (got {entry.key!r}); use letters, digits and - _ : ."
            " starting with a letter or digit"
        )
        return None, [Problem(at, message)]
    if entry_type not in REQUIRED_FIELDS:
        allowed = ", ".join(f"@{t}" for t in REQUIRED_FIELDS)
        hint = did_you_mean(entry_type, REQUIRED_FIELDS)
        problems.append(Problem(at, f"unsupported entry type @{entry_type}{hint}; use {allowed}"))
        return None, problems
    values: dict[str, str] = {}
    for field in entry.fields:
        name = field.key.lower()
        field_at = Location(path, field.start_line + 1)
        if name not in _KNOWN_FIELDS:
            problems.append(Problem(field_at, _unknown_field(name, entry.key)))
            continue
        value = _field_value(str(field.value), macros)
        if value is None:
            problems.append(Problem(field_at, _undefined_macro(name, str(field.value))))
            continue
        values[name] = value if name in _VERBATIM_FIELDS else _decode_latex(value)
        problems.extend(_check_value(name, values[name], field_at))
    missing = [f for f in REQUIRED_FIELDS[entry_type] if not values.get(f)]
    if entry_type in {"online", "misc"} and not (
        values.get("author") or values.get("organization")
    ):
        missing.append("author or organization")
    for name in missing:
        problems.append(Problem(at, f"entry {entry.key!r} is missing the field {name!r}; add it"))
    if problems:
        return None, problems
    return _make_reference(entry.key, entry_type, values, at), []


def _unknown_field(name: str, key: str) -> str:
    hint = did_you_mean(name, _KNOWN_FIELDS) or "; remove it"
    return f"unknown field {name!r} in entry {key!r}{hint}"


def _undefined_macro(name: str, raw: str) -> str:
    return (
        f"field {name!r} uses {raw!r}, which is not a defined @string macro;"
        f" put the value in braces: {name} = {{{raw}}}"
    )


def _unwrap(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and (raw[0], raw[-1]) in {("{", "}"), ('"', '"')}:
        return raw[1:-1]
    return raw


def _field_value(raw: str, macros: Mapping[str, str]) -> str | None:
    """Return the value without its enclosing braces or quotes; None for an undefined macro."""
    raw = raw.strip()
    if raw[:1] in {"{", '"'} or raw.isdigit():
        return _unwrap(raw)
    if raw.lower() in _MONTHS:
        return raw.lower()
    return macros.get(raw.lower())


def _decode_latex(value: str) -> str:
    r"""Turn ``M{\\"u}ller`` into ``Müller`` and drop case-protecting braces."""
    if "\\" not in value and "{" not in value and "$" not in value and "~" not in value:
        return " ".join(value.split())
    return " ".join(_LATEX.latex_to_text(value).split())


def _check_value(name: str, value: str, at: Location) -> list[Problem]:
    if name == "url" and not is_safe_url(value):
        return [Problem(at, f"unsafe or invalid URL (got {value!r}); use a full https:// address")]
    if name == "doi" and not _DOI.match(value):
        return [
            Problem(at, f"not a DOI (got {value!r}); write it bare, like 10.3389/fmed.2017.00073")
        ]
    if name == "pmid" and not value.isdigit():
        return [Problem(at, f"a PMID is digits only (got {value!r})")]
    return []


def _make_reference(key: str, entry_type: str, values: dict[str, str], at: Location) -> Reference:
    authors = tuple(
        " ".join(name.split()) for name in split_multiple_persons_names(values.get("author", ""))
    )
    optional = {
        name: values.get(name) for name in _OPTIONAL_FIELDS if name not in {"date", "urldate"}
    }
    return Reference(
        key=key,
        entry_type=entry_type,
        title=values["title"],
        authors=tuple(a for a in authors if a),
        journal=values.get("journal"),
        year=values.get("year"),
        location=at,
        **optional,
    )
