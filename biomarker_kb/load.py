"""Load stage: read the data files into raw records that remember where each value was written.

Input: the data directory. Output: a ``RawData`` of ``SourceMap``/``SourceList`` trees and BibTeX
text, plus Problems for files that cannot be read at all (encoding, YAML syntax, duplicate keys,
aliases). Raw dicts stop at the validate stage; nothing here checks meaning. Reads, never writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from biomarker_kb.problems import Location, Problem

if TYPE_CHECKING:
    from pathlib import Path

# libyaml parses about 3.5 times faster; the resolvers below keep both loaders equally strict.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceMap(dict[str, Any]):
    """A YAML mapping that knows where it, each key and each value were written."""

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.key_locations: dict[str, Location] = {}
        self.value_locations: dict[str, Location] = {}
        self.raw_text: dict[str, str] = {}
        """The scalar as typed, for messages: ``3.10`` reads as 3.1 but was typed as 3.10."""

    def key_location(self, key: str) -> Location:
        """Return where ``key`` was written, or where the mapping starts if it is absent."""
        return self.key_locations.get(key, self.location)

    def value_location(self, key: str) -> Location:
        """Return where the value of ``key`` starts, or where the mapping starts."""
        return self.value_locations.get(key, self.location)


class SourceList(list[Any]):
    """A YAML sequence that knows where it and each item were written."""

    def __init__(self, location: Location) -> None:
        super().__init__()
        self.location = location
        self.item_locations: list[Location] = []


@dataclass(frozen=True)
class YamlFile:
    """One parsed YAML file; ``root`` is None when the file is empty or unreadable."""

    path: str
    root: object
    unreadable: bool = False
    """True when a problem was already reported for the whole file (encoding, syntax)."""
    first_line: int = 1
    """The first line holding content (after comments), where a plain-value file starts."""


@dataclass(frozen=True)
class BibFile:
    """The BibTeX file's text, undecoded beyond UTF-8."""

    path: str
    text: str


@dataclass
class RawData:
    """Everything read from ``data/``, plus problems that stopped a file from being read."""

    specimens: YamlFile
    conditions: YamlFile
    biomarkers: list[YamlFile]
    bibliography: BibFile
    problems: list[Problem] = field(default_factory=list)


# YAML 1.2 core schema, minus surprises: no yes/no/on/off booleans, no sexagesimal 1:30,
# no dates (they stay text and are checked as ISO dates), and 0123 stays text.
_IMPLICIT = [
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", "~nN"),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:int", r"[-+]?(0|[1-9][0-9]*)", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?",
        "-+0123456789.",
    ),
]


_TRAILING_COMMENT = re.compile(r"^[ \t]+#")


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that records locations and reports duplicate keys and aliases."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text)
        self.path = path
        self.problems: list[Problem] = []
        self.saw_alias = False
        self.lines = text.splitlines()

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def reused(self, node: yaml.Node) -> bool:
        """Note an alias (``*name``): it repeats a value and can expand without bound.

        The composed node is shared with its anchor and has no position of its own, so the
        alias itself is located afterwards, from the parser's events (see ``_alias_problems``).
        """
        if node not in self.constructed_objects:
            return False
        self.saw_alias = True
        return True

    def construct_source_map(self, node: yaml.MappingNode) -> SourceMap:
        result = SourceMap(self.where(node))
        for key_node, value_node in node.value:
            key_at = self.where(key_node)
            if not isinstance(key_node, yaml.ScalarNode) or not isinstance(key_node.value, str):
                self.problems.append(Problem(key_at, "a key must be a plain word"))
                continue
            key = key_node.value
            if key in result:
                self.problems.append(
                    Problem(
                        key_at,
                        f"duplicate key {key!r} (first at line {result.key_location(key).line});"
                        " YAML would silently keep only the last one, remove one of them",
                    )
                )
                continue
            if key == "<<":
                message = "merge keys (<<) are not allowed; write the fields out in full"
                self.problems.append(Problem(key_at, message))
                continue
            if self.reused(value_node):
                continue
            self.check_not_cut_by_comment(value_node)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_locations[key] = key_at
            result.value_locations[key] = self.where(value_node)
            if isinstance(value_node, yaml.ScalarNode):
                result.raw_text[key] = value_node.value
        return result

    def check_not_cut_by_comment(self, node: yaml.Node) -> None:
        """Report unquoted text followed by `` #``: YAML drops the rest of the line silently.

        A comment after a value is almost always a value cut short (``text: Dose #2 ...``);
        comments belong on their own line in these files.
        """
        if not isinstance(node, yaml.ScalarNode) or node.style or node.end_mark is None:
            return
        line, column = node.end_mark.line, node.end_mark.column
        rest = self.lines[line][column:] if line < len(self.lines) else ""
        if _TRAILING_COMMENT.match(rest):
            at = Location(self.path, line + 1, column + 1 + rest.index("#"))
            message = (
                f"the text after ' #' was read as a comment and left out (got {node.value!r});"
                " put the whole value in quotes, or move the comment to its own line"
            )
            self.problems.append(Problem(at, message))

    def construct_source_list(self, node: yaml.SequenceNode) -> SourceList:
        result = SourceList(self.where(node))
        for item in node.value:
            if self.reused(item):
                continue
            self.check_not_cut_by_comment(item)
            result.append(self.construct_object(item, deep=True))
            result.item_locations.append(self.where(item))
        return result


for _tag, _regexp, _first in _IMPLICIT:
    _StrictLoader.add_implicit_resolver(_tag, re.compile(f"^(?:{_regexp})$"), list(_first))
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_source_map)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _StrictLoader.construct_source_list)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file; on bad bytes report the line and return None."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = (
            f"the file is not UTF-8 text (byte {data[error.start]:#04x});"
            " save it as UTF-8 in your editor"
        )
        return None, [Problem(Location(shown, line), message)]


def _syntax_problem(error: yaml.MarkedYAMLError, shown: str) -> Problem:
    """Locate a syntax error where the editor must look: an unclosed [ { " where it opened."""
    problem, context = error.problem_mark, error.context_mark
    # Only an unclosed [ { or quote makes the parser notice a mistake lines after it was made;
    # for other errors (indentation, a second document) the problem mark is the right place.
    unclosed = any(word in (error.context or "") for word in ("flow", "quoted"))
    opened_earlier = (
        unclosed and context is not None and problem is not None and problem.line > context.line
    )
    mark = context if opened_earlier else (problem or context)
    at = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
    what = error.problem or error.context or "cannot be read"
    if what.startswith("but ") and error.context:  # "but found another document" needs its start
        what = f"{error.context}, {what}"
    if opened_earlier and problem is not None:
        what += f" (noticed at line {problem.line + 1}): something opened here is not closed"
    hint = "check the indentation, and put quotes around text containing ': ' or ' #'"
    return Problem(at, f"YAML syntax error: {what}; {hint}")


def _reader_problem(error: yaml.reader.ReaderError, text: str, shown: str) -> Problem:
    line = text[: error.position].count("\n") + 1
    char = (
        error.character
        if isinstance(error.character, int)
        else ord(str(error.character)[:1] or " ")
    )
    message = f"the file contains a control character ({char:#04x}) YAML does not allow; delete it"
    return Problem(Location(shown, line), message)


def _alias_problems(text: str, shown: str) -> list[Problem]:
    """Return one problem per alias, at the alias itself."""
    message = "anchors and aliases (&name, *name) are not allowed; write the value out"
    marks = [
        event.start_mark
        for event in yaml.parse(text, Loader=_BaseLoader)
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
    ]
    return [Problem(Location(shown, m.line + 1, m.column + 1), message) for m in marks]


def parse_yaml(text: str, shown: str) -> tuple[object, list[Problem]]:
    """Parse YAML text into SourceMap/SourceList trees; syntax errors become Problems."""
    loader = _StrictLoader(text, shown)
    try:
        root = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, shown)]
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(error, text, shown)]
    finally:
        loader.dispose()
    problems = loader.problems
    if loader.saw_alias:
        problems += _alias_problems(text, shown)
    return root, problems


def load_yaml_file(path: Path, shown: str) -> tuple[YamlFile, list[Problem]]:
    """Read and parse one YAML file."""
    text, problems = read_text(path, shown)
    if text is None:
        return YamlFile(shown, None, unreadable=True), problems
    return parse_document(text, shown)


def parse_document(text: str, shown: str) -> tuple[YamlFile, list[Problem]]:
    """Parse YAML text into a ``YamlFile``, remembering where its content starts."""
    root, problems = parse_yaml(text, shown)
    unreadable = root is None and bool(problems)
    return YamlFile(shown, root, unreadable, _first_content_line(text)), problems


def _first_content_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "---", "%")):
            return number
    return 1


def load_data(data_dir: Path, project_dir: Path) -> RawData:
    """Read every data file below ``data_dir``; paths in messages are relative to the project."""

    def shown(path: Path) -> str:
        return path.relative_to(project_dir).as_posix()

    problems: list[Problem] = []

    def load(path: Path) -> YamlFile:
        if not path.is_file():
            problems.append(Problem(Location(shown(path)), "file is missing; create it"))
            return YamlFile(shown(path), None, unreadable=True)
        loaded, found = load_yaml_file(path, shown(path))
        problems.extend(found)
        return loaded

    biomarker_dir = data_dir / "biomarkers"
    for stray in sorted(biomarker_dir.glob("*.yml")):
        problems.append(Problem(Location(shown(stray)), "rename the file to end in .yaml"))
    bib_path = data_dir / "references.bib"
    bib_text: str | None = None
    if bib_path.is_file():
        bib_text, bib_problems = read_text(bib_path, shown(bib_path))
        problems.extend(bib_problems)
    else:
        problems.append(Problem(Location(shown(bib_path)), "file is missing; create it"))
    return RawData(
        specimens=load(data_dir / "specimens.yaml"),
        conditions=load(data_dir / "conditions.yaml"),
        biomarkers=[load(p) for p in sorted(biomarker_dir.glob("*.yaml"))],
        bibliography=BibFile(shown(bib_path), bib_text or ""),
        problems=problems,
    )
