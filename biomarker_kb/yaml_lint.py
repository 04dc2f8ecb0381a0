"""Load stage, part 1b: what YAML would read silently wrong, or report at the wrong place.

Input: one file's text, what ``yaml_characters`` found in it, and, when parsing failed, the
parser's error. Output: Problems at the line and column of the cause: tags, anchors and aliases,
escapes in double quotes that make invisible characters, nesting too deep, and the usual causes
behind a syntax error (an unquoted value starting with a YAML indicator, curly quotes, a list
dash without its space). Runs only for the rare file in which the character scan found a reason.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Protocol

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceStartEvent,
)

from biomarker_kb.problems import Location, Problem
from biomarker_kb.strict_yaml import (
    MAX_DEPTH,
    BaseLoader,
    curly_quotes_message,
    dash_message,
    plain_tag,
)
from biomarker_kb.yaml_characters import BREAK, Scan, TextLines, describe

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from yaml.events import Event

ALIAS_MESSAGE = "anchors and aliases (&name, *name) are not allowed; write the value out"

_COMMENT = re.compile(r"[ \t]#")

# What a value starting with each YAML indicator is read as.
INDICATORS = {
    "*": "an alias",
    "&": "an anchor, which these files do not use",
    "!": "a tag, which these files do not use",
    "%": "a directive",
    "@": "a reserved character",
    "`": "a reserved character",
    "[": "the start of a list",
    "{": "the start of a set of fields",
    ">": "the start of a block of text",
    "|": "the start of a block of text",
    "- ": "a list item",
    "? ": "a key",
}
_CURLY = "\u201c\u201d\u2018\u201e"
# A line's start: indentation and list dashes, then an optional 'key:'; then its value.
_LINE = re.compile(
    r"(?P<lead>[ \t]*(?:-[ \t]+)*(?:(?:[A-Za-z0-9_$][^:#\n]*?|\"[^\"\n]*\"|'[^'\n]*'):"
    r"(?:[ \t]+|$))?)(?P<value>[^\n]*)"
)
_DASH = re.compile(r"[ \t]*-(?=[^\s\-\d.])")


class Mark(Protocol):
    """A parser position, 0-based; ``index`` counts characters (in both of PyYAML's parsers)."""

    line: int
    column: int
    index: int


def _start(event: Event) -> Mark:
    mark: Mark | None = event.start_mark
    assert mark is not None, "bug: the parser gave an event without its place"
    return mark


def _end(event: Event) -> Mark:
    mark: Mark | None = event.end_mark
    assert mark is not None, "bug: the parser gave an event without its place"
    return mark


# --------------------------------------------------------------------------- parser events


@dataclass
class EventFindings:
    """What the parser's events confirmed: problems, and where tagged nodes start."""

    problems: list[Problem] = field(default_factory=list)
    tagged: frozenset[int] = frozenset()


def check_events(text: str, path: str, scan: Scan) -> EventFindings:
    """Report tags, anchors, aliases and refused escapes in double quotes, at each one.

    Returns nothing on a syntax error: the loader reports it, with its place and cause.
    """
    anchors: list[tuple[str, Mark]] = []
    used: set[str] = set()
    found = EventFindings()
    tagged: set[int] = set()
    lines = TextLines(text)
    try:
        for before, event in pairwise(chain([None], _events(text))):
            if isinstance(event, AliasEvent):
                used.add(str(event.anchor))
                if not _is_merge_key(before):  # '<<: *base' has the merge key's message
                    found.problems.append(Problem(_at(path, _start(event)), ALIAS_MESSAGE))
                continue
            if not isinstance(event, NodeEvent):
                continue
            if event.anchor is not None:
                anchors.append((event.anchor, _start(event)))
            if getattr(event, "tag", None) is not None:
                tagged.add(_start(event).index)
                found.problems.append(_tag_problem(text, lines.at(path), event))
            if scan.escapes and isinstance(event, ScalarEvent) and event.style == '"':
                found.problems += _escape_problems(lines.at(path), event, scan.escapes)
    except yaml.YAMLError:
        return EventFindings()
    for name, mark in anchors:
        if name not in used:
            found.problems.append(_indicator_problem(text, lines.at(path), mark.index, "&"))
    found.problems.sort(key=lambda problem: problem.location)
    found.tagged = frozenset(tagged)
    return found


def _is_merge_key(event: Event | None) -> bool:
    return isinstance(event, ScalarEvent) and event.value == "<<" and not event.style


def _events(text: str) -> Iterator[Event]:
    return yaml.parse(text, Loader=BaseLoader)


def _at(path: str, mark: Mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


def _tag_problem(text: str, located: Callable[[int], Location], event: NodeEvent) -> Problem:
    """Name the tag: standard ones by what they do to the value, others as a '!' to quote."""
    start = _start(event).index
    at = text.find("!", start)  # after the anchor, if the node has one
    if at == -1 or at > _end(event).index:
        at = start
    tag = str(getattr(event, "tag", ""))
    location = located(at)
    if tag.startswith("!"):  # a local tag: '!' was meant as text, or is a tag to remove
        return _indicator_problem(text, located, at, "!")
    shown = tag.replace("tag:yaml.org,2002:", "!!") if tag.startswith("tag:yaml.org") else tag
    if not _fits(tag, event):
        return Problem(location, f"the YAML tag {shown} does not fit this value; remove the tag")
    return Problem(
        location,
        f"the YAML tag {shown} is not used in these files; remove it, and put the value in quotes"
        " if it should stay text",
    )


_TIMESTAMP = next(
    regexp
    for regexp_list in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    for tag, regexp in regexp_list
    if tag == "tag:yaml.org,2002:timestamp"
)


def _fits(tag: str, event: NodeEvent) -> bool:
    """Return whether PyYAML could build the value with ``tag`` (unknown tags: True)."""
    kind = tag.removeprefix("tag:yaml.org,2002:")
    if kind == "seq":
        return isinstance(event, SequenceStartEvent)
    if kind == "map":
        return isinstance(event, MappingStartEvent)
    if kind not in {"str", "int", "float", "bool", "null", "timestamp"}:
        return True
    if not isinstance(event, ScalarEvent):
        return False
    value = str(event.value)
    if kind == "timestamp":
        return bool(_TIMESTAMP.match(value))
    return kind == "str" or plain_tag(value) == tag


def _escape_problems(
    located: Callable[[int], Location], event: ScalarEvent, escapes: list[tuple[int, str, int]]
) -> list[Problem]:
    # The escapes are in text order: look only at those between the quotes.
    first = bisect.bisect_left(escapes, (_start(event).index,))
    last = bisect.bisect_left(escapes, (_end(event).index,))
    return [
        Problem(
            located(index),
            f"the escape '{escape}' in double quotes makes {describe(code)}; use single quotes"
            " around the value, where a backslash is just a backslash (or write \\\\ for one)",
        )
        for index, escape, code in escapes[first:last]
    ]


# --------------------------------------------------------------------------- syntax errors


def nesting_problem(text: str, path: str) -> Problem | None:
    """Return where lists and sets of fields first nest deeper than ``MAX_DEPTH``.

    Read with PyYAML's own parser: libyaml stops at 1,000 levels, and in a flow collection
    (``[[[...``) it does so before it hands on the first event.
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    message = (
                        f"the data is nested too deeply (more than {MAX_DEPTH} levels of lists"
                        " and fields); write it with fewer levels, and close each [ and { opened"
                    )
                    return Problem(_at(path, _start(event)), message)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


def diagnose_syntax(text: str, path: str, error: yaml.MarkedYAMLError) -> Problem | None:
    """Name the cause of a syntax error when it is a known pitfall, where it was made.

    An unquoted value starting with a YAML indicator, curly quotes and a dash without its
    space are read as something else, and the parser stumbles over them later on the line or
    on the next one, with a message about what it expected there.
    """
    if "maximum nesting depth" in (error.problem or ""):
        return nesting_problem(text, path)
    if any(word in (error.context or "") for word in ("flow", "quoted")):
        return None  # something opened and not closed: ``load`` reports where it opened
    marks = [mark for mark in (error.problem_mark, error.context_mark) if mark is not None]
    lines = TextLines(text)
    candidates = dict.fromkeys(mark.line for mark in marks)
    if error.problem_mark is not None and error.problem_mark.line > 0:
        candidates[error.problem_mark.line - 1] = None  # noticed only on the next line
    for number in candidates:
        if number >= len(lines.starts):
            continue
        line = lines.line(text, number)
        dash = _DASH.match(line)
        if dash:
            column = dash.end() - 1
            item = _shown(line[column:])
            return Problem(Location(path, number + 1, column + 1), dash_message(item))
        found = _value_problem(text, lines.at(path), line, lines.starts[number], marks, number)
        if found:
            return found
    return None


def _value_problem(
    text: str,
    located: Callable[[int], Location],
    line: str,
    line_start: int,
    marks: Sequence[Mark],
    number: int,
) -> Problem | None:
    """Report a value on ``line`` that starts with a curly quote or an indicator."""
    match = _LINE.match(line)
    assert match is not None, "bug: the line pattern matches every line"
    column = match.start("value")
    value = match["value"]
    if not value or not any(m.line == number and m.column >= column for m in marks):
        return None
    if value[0] in _CURLY:
        return Problem(located(line_start + column), curly_quotes_message(_shown(value)))
    indicator = value[:2] if value[:2] in INDICATORS else value[0]
    if indicator not in INDICATORS:
        return None
    return _indicator_problem(text, located, line_start + column, indicator)


def _indicator_problem(
    text: str, located: Callable[[int], Location], index: int, indicator: str
) -> Problem:
    """Say that a value starting with ``indicator`` must be quoted, naming what YAML made of it."""
    end = BREAK.search(text, index)
    value = _shown(text[index : end.start() if end else len(text)])
    location = located(index)
    meaning = INDICATORS[indicator]
    fix = (
        "remove it, or put the whole value in quotes"
        if indicator in "&!"
        else "put the whole value in quotes"
    )
    return Problem(
        location,
        f"a value cannot start with {indicator!r} unless it is quoted (got {value!r});"
        f" YAML reads {indicator.strip()!r} there as {meaning}: {fix}",
    )


def _shown(value: str) -> str:
    """Return a value as typed on its line, without a trailing comment."""
    comment = _COMMENT.search(value)
    return (value[: comment.start()] if comment else value).strip()
