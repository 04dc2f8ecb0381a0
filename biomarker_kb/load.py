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


class _StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that records locations and reports duplicate keys and aliases."""

    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text)
        self.path = path
        self.problems: list[Problem] = []

    def where(self, node: yaml.Node) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def reused(self, node: yaml.Node, at: Location) -> bool:
        """Report an alias (``*name``): it repeats a value and can expand without bound."""
        if node not in self.constructed_objects:
            return False
        self.problems.append(
            Problem(at, "anchors and aliases (&name, *name) are not allowed; write the value out")
        )
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
            if key == "<<" or self.reused(value_node, key_at):
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_locations[key] = key_at
            result.value_locations[key] = self.where(value_node)
            if isinstance(value_node, yaml.ScalarNode):
                result.raw_text[key] = value_node.value
        return result

    def construct_source_list(self, node: yaml.SequenceNode) -> SourceList:
        result = SourceList(self.where(node))
        for item in node.value:
            if self.reused(item, self.where(item)):
                continue
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


def parse_yaml(text: str, shown: str) -> tuple[object, list[Problem]]:
    """Parse YAML text into SourceMap/SourceList trees; syntax errors become Problems."""
    loader = _StrictLoader(text, shown)
    try:
        root = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        at = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
        what = error.problem or error.context or "cannot be read"
        hint = "check the indentation, and put quotes around text containing ': ' or ' #'"
        return None, [Problem(at, f"YAML syntax error: {what}; {hint}")]
    except yaml.YAMLError as error:  # reader errors such as control characters carry no mark
        return None, [Problem(Location(shown), f"YAML error: {error}")]
    finally:
        loader.dispose()
    return root, loader.problems


def load_yaml_file(path: Path, shown: str) -> tuple[YamlFile, list[Problem]]:
    """Read and parse one YAML file."""
    text, problems = read_text(path, shown)
    if text is None:
        return YamlFile(shown, None), problems
    root, problems = parse_yaml(text, shown)
    return YamlFile(shown, root), problems


def load_data(data_dir: Path, project_dir: Path) -> RawData:
    """Read every data file below ``data_dir``; paths in messages are relative to the project."""

    def shown(path: Path) -> str:
        return path.relative_to(project_dir).as_posix()

    problems: list[Problem] = []

    def load(path: Path) -> YamlFile:
        if not path.is_file():
            problems.append(Problem(Location(shown(path)), "file is missing; create it"))
            return YamlFile(shown(path), None)
        loaded, found = load_yaml_file(path, shown(path))
        problems.extend(found)
        return loaded

    biomarker_dir = data_dir / "biomarkers"
    for stray in sorted(biomarker_dir.glob("*.yml")):
        problems.append(Problem(Location(shown(stray)), "rename the file to end in .yaml"))
    bib_path = data_dir / "references.bib"
    bib_text, bib_problems = (None, []) if not bib_path.is_file() else read_text(bib_path, "")
    problems.extend(
        Problem(Location(shown(bib_path), p.location.line), p.message) for p in bib_problems
    )
    if not bib_path.is_file():
        problems.append(Problem(Location(shown(bib_path)), "file is missing; create it"))
    return RawData(
        specimens=load(data_dir / "specimens.yaml"),
        conditions=load(data_dir / "conditions.yaml"),
        biomarkers=[load(p) for p in sorted(biomarker_dir.glob("*.yaml"))],
        bibliography=BibFile(shown(bib_path), bib_text or ""),
        problems=problems,
    )
