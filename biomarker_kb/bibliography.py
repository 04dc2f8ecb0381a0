"""Validate stage for the bibliography: BibTeX text → typed References and Problems.

Input: the ``BibFile`` read by the load stage. Output: ``Reference`` records keyed by citation
key, LaTeX decoded to Unicode (a title keeps which ranges its braces protect from case changes),
and a Problem for every block or field that cannot be trusted (syntax, duplicate keys or fields,
undefined macros, '#' concatenation, missing required fields, keys differing only in letter
case, author names that cannot be split, unsafe URLs).
"""

from __future__ import annotations

import datetime
import itertools
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bibtexparser import model as bib
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexWalker,
)

from biomarker_kb.escape import is_safe_url
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
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
CITATION_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]*")
"""The same pattern as the schema's citation keys: safe in anchors and footnote labels."""
_DOI = re.compile(r"^10\.\d{4,9}/\S+$", re.ASCII)
_YEAR = re.compile(r"[0-9]{4}")
_LATEX = LatexNodes2Text()


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
        if _joins_with_hash(raw):
            what = f"@string {quoted(string.key)}"
            problems.append(Problem(_where(path, string), _concatenation(what, raw)))
            unreadable.add(string.key.lower())
        else:
            values[string.key.lower()] = _unwrap(raw)
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
            values[name], title_protected = _decode_title(value)
        else:
            values[name] = value if name in _VERBATIM_FIELDS else _decode_latex(value)
        problems.extend(_check_value(name, values[name], field_at))
    # A field that could not be read (missing comma, undefined macro) is reported above; saying
    # that the fields after it are missing would only bury the real mistake.
    dated = _date_parts(values)
    problems += _date_agreement(values, at)
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
    if _joins_with_hash(raw):
        return None, [Problem(at, _concatenation(f"field {quoted(name)}", raw))]
    run_on = _run_on(raw)
    if run_on is not None:
        next_field = run_on.split("=")[0].strip()
        message = (
            f"field {quoted(name)} runs into {quoted(next_field)}: a comma is missing after the"
            f" value of {quoted(name)}; add ',' at the end of that line"
        )
        return None, [Problem(at, message)]
    if raw.strip().lower() in macros.unreadable:
        return None, []
    value = _field_value(raw, macros.values)
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


def _joins_with_hash(raw: str) -> bool:
    """Return True when a value joins pieces with '#' outside its braces and quotes."""
    depth, in_quotes = 0, False
    for char in raw:
        if char in "{}":
            depth += 1 if char == "{" else -1
        elif char == '"' and depth == 0:
            in_quotes = not in_quotes
        elif char == "#" and depth == 0 and not in_quotes:
            return True
    return False


def _concatenation(what: str, raw: str) -> str:
    # Joining is refused, not done: a value built from pieces is not what an editor reads.
    return (
        f"{what} joins values with '#' (got {' '.join(raw.split())!r}); '#' concatenation is"
        " not supported: write the whole value in one pair of braces"
    )


def _unwrap(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and (raw[0], raw[-1]) in {("{", "}"), ('"', '"')}:
        return raw[1:-1]
    return raw


def _closing_index(raw: str) -> int:
    """Return the index of the brace or quote that closes ``raw[0]``, or -1."""
    if raw[0] == '"':
        return raw.find('"', 1)
    depth = 0
    for index, char in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return -1


def _run_on(raw: str) -> str | None:
    """Return the text after a closed value: bibtexparser keeps it when a comma is missing."""
    raw = raw.strip()
    if raw[:1] not in {"{", '"'}:
        return None
    end = _closing_index(raw)
    rest = raw[end + 1 :].strip() if end >= 0 else ""
    return rest or None


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
    if _is_plain(value):
        return " ".join(value.split())
    return " ".join(_LATEX.latex_to_text(value).split())


def _is_plain(value: str) -> bool:
    """Return True for text with nothing LaTeX would read (a bare "50%" stays text, too)."""
    return not any(char in value for char in "\\{$~")


def _decode_title(value: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    r"""Decode a title as ``_decode_latex`` does, with the ranges its braces protect from case.

    As in BibTeX, a top-level group keeps its case (``{DNA}``, ``{Beta-2 Microglobulin}``), and
    so does a macro's braced argument (``\"{U}``, ``\emph{Big Word}``) and math; an accent group
    such as ``M{\"u}ller`` is one letter of its word and takes the word's case. Never raises:
    pylatexenc parses tolerantly, and bibtexparser has already rejected unbalanced braces.

    Returns:
        The text, spaces collapsed as in ``_decode_latex``, and its protected ``[start, end)``
        ranges, sorted and disjoint.
    """
    if _is_plain(value):
        return " ".join(value.split()), ()
    nodes = LatexWalker(value, tolerant_parsing=True).get_latex_nodes()[0] or []
    chars: list[tuple[str, bool]] = []
    previous: list[LatexNode] = []
    for node in nodes:
        # Converting the node after its predecessor keeps the space pylatexenc puts between
        # them (after a bare macro), so the pieces join up to exactly ``_decode_latex``'s text.
        before = _LATEX.nodelist_to_text(previous)
        piece = _LATEX.nodelist_to_text([*previous, node])[len(before) :]
        protected = _protects_case(node, piece)
        chars += [(char, protected) for char in piece]
        previous = [node]
    return _collapse_spaces(chars)


def _protects_case(node: LatexNode, text: str) -> bool:
    """Return True when the node's text keeps its case in a sentence-cased title."""
    if node.isNodeType(LatexGroupNode):
        first = node.nodelist[0] if node.nodelist else None
        letters = sum(char.isalpha() for char in text)
        return not (first is not None and first.isNodeType(LatexMacroNode) and letters <= 1)
    if node.isNodeType(LatexMacroNode):
        arguments = node.nodeargd.argnlist if node.nodeargd is not None else []
        return any(arg is not None and arg.isNodeType(LatexGroupNode) for arg in arguments)
    return bool(node.isNodeType(LatexMathNode) or node.isNodeType(LatexEnvironmentNode))


def _collapse_spaces(chars: list[tuple[str, bool]]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Collapse runs of whitespace to one space and strip the ends, keeping each flag."""
    kept: list[tuple[str, bool]] = []
    for char, protected in chars:
        if not char.isspace():
            kept.append((char, protected))
        elif kept and kept[-1][0] != " ":
            kept.append((" ", protected))
    if kept and kept[-1][0] == " ":
        kept.pop()
    spans: list[tuple[int, int]] = []
    start = 0
    for protected, run in itertools.groupby(flag for _, flag in kept):
        end = start + sum(1 for _ in run)
        if protected:
            spans.append((start, end))
        start = end
    return "".join(char for char, _ in kept), tuple(spans)


def _check_value(name: str, value: str, at: Location) -> list[Problem]:
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
    if name == "month" and value[:3].lower() not in _MONTHS:
        return [Problem(at, f"not a month (got {value!r}); write its name, or jan, feb, ... dec")]
    if name == "day" and not 1 <= (_number(value) or 0) <= 31:
        return [Problem(at, f"not a day of the month (got {value!r}); write a number, 1 to 31")]
    if name == "author":
        return _unreadable_names(value, at)
    return []


def _unreadable_names(raw: str, at: Location) -> list[Problem]:
    """Return a problem for each author name the citation style could not split into parts."""
    problems = []
    for name in _author_names(raw):
        if _is_one_group(name):  # an organization, kept whole
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


def _author_names(raw: str) -> tuple[str, ...]:
    """Split the author field into names, decoding LaTeX in each.

    A name wholly in braces is an organization ("{World Health Organization}"); it keeps its
    braces so the citation style does not read "Organization" as a surname.
    """
    names = []
    for name in split_multiple_persons_names(raw):
        name = " ".join(name.split())
        if _is_one_group(name):
            names.append("{" + _decode_latex(name[1:-1]) + "}")
        elif name:
            names.append(_decode_latex(name))
    return tuple(names)


def _is_one_group(text: str) -> bool:
    return text.startswith("{") and _closing_index(text) == len(text) - 1


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


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


def _date_agreement(values: dict[str, str], at: Location) -> list[Problem]:
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
                _MONTHS.index(written_month) + 1 if written_month in _MONTHS else None,
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


def _date_parts(values: dict[str, str]) -> dict[str, str | None]:
    """Return year, month and day, filling any that are missing from an ISO ``date`` field."""
    match = _ISO_DATE.fullmatch(values.get("date", ""))
    year, month, day = match.groups() if match else (None, None, None)
    month_name = _MONTHS[int(month) - 1] if month and 1 <= int(month) <= 12 else None
    return {
        "year": values.get("year") or year,
        "month": values.get("month") or month_name,
        "day": values.get("day") or (str(int(day)) if day else None),
    }


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
        authors=_author_names(values.get("author", "")),
        journal=values.get("journal"),
        location=at,
        **optional,
        **_date_parts(values),
    )
