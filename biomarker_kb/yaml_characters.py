"""Load stage, part 1a: the characters of a YAML file that no editor shows, found in one pass.

Input: one file's text. Output: a ``Scan``: Problems for characters refused wherever they stand
(C0 and C1 controls, NUL, NEL, line and paragraph separators, bidirectional controls, a byte-order
mark after the start, non-breaking spaces), and the places ``yaml_lint`` must look at again:
escapes that would make such a character, and a '!' or an '&' where a tag or an anchor can stand.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from biomarker_kb.problems import Location, Problem

if TYPE_CHECKING:
    from collections.abc import Callable

# Every character this module looks at, in one class: a class is what Python's regex engine
# scans fastest (about 4 ns a character); alternatives would triple that.
_SUSPECT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xa0\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufffe\uffff!&\\\\]"
)
_BIDI = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_LINE_BREAKS = {
    0x85: "next-line character",
    0x2028: "line separator",
    0x2029: "paragraph separator",
}
BREAK = re.compile(r"\r\n?|\n")
"""A line break, as YAML counts them once the characters below are refused."""
_SIMPLE_ESCAPES = {
    "0": 0x00,
    "a": 0x07,
    "b": 0x08,
    "t": 0x09,
    "\t": 0x09,
    "n": 0x0A,
    "v": 0x0B,
    "f": 0x0C,
    "r": 0x0D,
    "e": 0x1B,
    "N": 0x85,
    "L": 0x2028,
    "P": 0x2029,
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_HEX = re.compile(r"[0-9A-Fa-f]+")


@dataclass
class Scan:
    """What one pass over a file's text found."""

    problems: list[Problem] = field(default_factory=list)
    """Characters refused wherever they stand; the file is not parsed."""
    escapes: list[tuple[int, str, int]] = field(default_factory=list)
    """``(index, escape, code point)`` of each escape that would make a refused character."""
    properties: list[int] = field(default_factory=list)
    """Where a '!' or an '&' starts a node: maybe a tag or an anchor."""

    @property
    def needs_events(self) -> bool:
        """Return whether the parser's events must confirm what the scan saw."""
        return bool(self.escapes or self.properties)


class TextLines:
    """Line and column of a character index, counting line breaks as YAML does."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(match.end() for match in BREAK.finditer(text))]

    def location(self, path: str, index: int) -> Location:
        """Return where character ``index`` of the text stands in ``path``."""
        line = bisect.bisect_right(self.starts, index) - 1
        return Location(path, line + 1, index - self.starts[line] + 1)

    def at(self, path: str) -> Callable[[int], Location]:
        """Return a function from an index to its location in ``path``."""
        return partial(self.location, path)

    def line(self, text: str, number: int) -> str:
        """Return line ``number`` (0-based) of ``text``, without its line break."""
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(text)
        return text[self.starts[number] : end].rstrip("\r\n")


def scan_text(text: str, path: str) -> Scan:
    """Find refused characters, and the escapes, tags and anchors that need a closer look."""
    first = _SUSPECT.search(text)
    if first is None:  # nearly every file
        return Scan()
    found = Scan()
    lines: TextLines | None = None
    reported: set[tuple[int, str]] = set()  # a run of pasted junk is one message per line
    escaped_until = -1  # the second backslash of '\\' escapes nothing
    for match in _SUSPECT.finditer(text, first.start()):
        index, char = match.start(), match.group()
        if char == "\\":
            if index >= escaped_until:
                escaped_until = _note_escape(text, index, found)
        elif char in "!&":
            if _starts_node(text, index):
                found.properties.append(index)
        elif index or char != "\ufeff":  # a byte-order mark may open the file
            lines = lines or TextLines(text)
            at, message = lines.location(path, index), character_message(ord(char))
            if (at.line, message) not in reported:
                reported.add((at.line, message))
                found.problems.append(Problem(at, message))
    return found


def _note_escape(text: str, index: int, found: Scan) -> int:
    """Record the escape at ``index`` if it makes a refused character; return where it ends."""
    letter = text[index + 1 : index + 2]
    width = _HEX_ESCAPES.get(letter)
    if width is None:
        code = _SIMPLE_ESCAPES.get(letter)
        end = index + 2
    else:
        end = index + 2 + width
        digits = text[index + 2 : end]
        code = int(digits, 16) if len(digits) == width and _HEX.fullmatch(digits) else None
    if code is not None and refused_by_escape(code):
        found.escapes.append((index, text[index:end], code))
    return end


def refused_by_escape(code: int) -> bool:
    """Return whether an escape may not make this character (a non-breaking space it may)."""
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in _LINE_BREAKS
        or code in _BIDI
        or code in (0xFEFF, 0xFFFE, 0xFFFF)
        or 0xD800 <= code <= 0xDFFF
    )


def _starts_node(text: str, index: int) -> bool:
    """Return whether a '!' or '&' stands where YAML would read a tag or an anchor."""
    start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    before = text[start:index].rstrip(" \t")
    if not before or before[-1] in "[{,":
        return True
    return before[-1] in ":-?" and len(before) < index - start  # a blank after the indicator


def describe(code: int) -> str:
    """Name a refused character for a message, e.g. 'a control character (U+0007)'."""
    if code == 0xA0:
        name = "a non-breaking space"
    elif code == 0xFEFF:
        name = "a byte-order mark"
    elif code in _LINE_BREAKS:
        name = f"a {_LINE_BREAKS[code]}"
    elif code in _BIDI:
        name = "a bidirectional control character"
    else:
        name = "a control character"
    return f"{name} (U+{code:04X})"


def character_message(code: int) -> str:
    """Return the message for a character refused where it stands in the file."""
    if code == 0xA0:
        return (
            f"the file contains {describe(code)}, which YAML does not read as a space;"
            " type a plain space, or write \\u00a0 inside double quotes to keep it in the text"
        )
    if code == 0xFEFF:
        return (
            f"the file contains {describe(code)}, an invisible character allowed only at the"
            " very start of a file; delete it"
        )
    if code in _LINE_BREAKS:
        return (
            f"the file contains {describe(code)}, which YAML reads as a line break; delete it,"
            " and type a plain line break if one is meant"
        )
    if code in _BIDI:
        return (
            f"the file contains {describe(code)}, which can reorder the text readers see; delete it"
        )
    return f"the file contains a control character ({code:#04x}) YAML does not allow; delete it"
