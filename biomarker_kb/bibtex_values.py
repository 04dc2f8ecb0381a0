r"""Read BibTeX field values: the raw text bibtexparser keeps → the Unicode readers see.

Input: a field's raw value as written (braces, quotes, @string macro names, LaTeX). Output: the
value unwrapped and decoded (``M{\"u}ller`` → ``Müller``; a title with the ranges its braces
protect from case changes), author lists split into names, or a sign that the value cannot be
read as written (joined with '#', running into the next field). Checking what the values say is
``bibtex_field_checks``; turning a whole entry into a Reference is ``bibliography``.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from bibtexparser.middlewares.names import split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexWalker,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
"""BibTeX's month macros, defined in every file."""
_LATEX = LatexNodes2Text()


def joins_with_hash(raw: str) -> bool:
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


def unwrap(raw: str) -> str:
    """Return the value inside its enclosing braces or quotes (as it is, if none)."""
    raw = raw.strip()
    if len(raw) >= 2 and (raw[0], raw[-1]) in {("{", "}"), ('"', '"')}:
        return raw[1:-1]
    return raw


def closing_index(raw: str) -> int:
    """Return the index of the brace or quote that closes ``raw[0]``, or -1."""
    if raw[0] == '"':
        return raw.find('"', 1)
    depth = 0
    for index, char in enumerate(raw):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return -1


def text_after_value(raw: str) -> str | None:
    """Return the text after a closed value: bibtexparser keeps it when a comma is missing."""
    raw = raw.strip()
    if raw[:1] not in {"{", '"'}:
        return None
    end = closing_index(raw)
    rest = raw[end + 1 :].strip() if end >= 0 else ""
    return rest or None


def field_value(raw: str, macros: Mapping[str, str]) -> str | None:
    """Return the value without its enclosing braces or quotes; None for an undefined macro."""
    raw = raw.strip()
    if raw[:1] in {"{", '"'} or raw.isdigit():
        return unwrap(raw)
    if raw.lower() in MONTHS:
        return raw.lower()
    return macros.get(raw.lower())


def decode_latex(value: str) -> str:
    r"""Turn ``M{\\"u}ller`` into ``Müller`` and drop case-protecting braces."""
    if _is_plain(value):
        return " ".join(value.split())
    return " ".join(_LATEX.latex_to_text(value).split())


def _is_plain(value: str) -> bool:
    """Return True for text with nothing LaTeX would read (a bare "50%" stays text, too)."""
    return not any(char in value for char in "\\{$~")


def decode_title(value: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    r"""Decode a title as ``decode_latex`` does, with the ranges its braces protect from case.

    As in BibTeX, a top-level group keeps its case (``{DNA}``, ``{Beta-2 Microglobulin}``), and
    so does a macro's braced argument (``\"{U}``, ``\emph{Big Word}``) and math; an accent group
    such as ``M{\"u}ller`` is one letter of its word and takes the word's case. Never raises:
    pylatexenc parses tolerantly, and bibtexparser has already rejected unbalanced braces.

    Returns:
        The text, spaces collapsed as in ``decode_latex``, and its protected ``[start, end)``
        ranges, sorted and disjoint.
    """
    if _is_plain(value):
        return " ".join(value.split()), ()
    nodes = LatexWalker(value, tolerant_parsing=True).get_latex_nodes()[0] or []
    chars: list[tuple[str, bool]] = []
    previous: list[LatexNode] = []
    for node in nodes:
        # Converting the node after its predecessor keeps the space pylatexenc puts between
        # them (after a bare macro), so the pieces join up to exactly ``decode_latex``'s text.
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


def author_names(raw: str) -> tuple[str, ...]:
    """Split the author field into names, decoding LaTeX in each.

    A name wholly in braces is an organization ("{World Health Organization}"); it keeps its
    braces so the citation style does not read "Organization" as a surname.
    """
    names = []
    for name in split_multiple_persons_names(raw):
        name = " ".join(name.split())
        if is_one_group(name):
            names.append("{" + decode_latex(name[1:-1]) + "}")
        elif name:
            names.append(decode_latex(name))
    return tuple(names)


def is_one_group(text: str) -> bool:
    """Return True for text wholly in one pair of braces, like an organization's name."""
    return text.startswith("{") and closing_index(text) == len(text) - 1
