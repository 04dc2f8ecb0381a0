"""Load stage: read the data files into raw records that remember where each value was written.

Input: the data directory. Output: a ``RawData`` of ``SourceMap``/``SourceList`` trees and BibTeX
text, plus Problems for files that cannot be read at all (encoding, YAML syntax, duplicate keys,
aliases, invisible characters, files that are not ``<id>.yaml``). Raw dicts stop at the validate
stage; nothing here checks meaning. Reads, never writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from biomarker_kb import yaml_characters, yaml_lint
from biomarker_kb.data_files import biomarker_files, missing_file
from biomarker_kb.problems import Location, Problem
from biomarker_kb.source_tree import SourceList, SourceMap
from biomarker_kb.strict_yaml import BaseLoader, NestedTooDeeply, StrictLoader

if TYPE_CHECKING:
    from pathlib import Path

# The trees' classes are part of what this stage hands on.
__all__ = [
    "BibFile",
    "DataFiles",
    "RawData",
    "SourceList",
    "SourceMap",
    "YamlFile",
    "find_data_files",
    "load_bibliography",
    "load_data",
    "load_yaml",
    "load_yaml_file",
    "parse_document",
    "parse_yaml",
    "read_text",
]


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


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file; on bad bytes report the line, on a read error the reason; return None."""
    try:
        data = path.read_bytes()
    except OSError as error:  # permissions, a file removed while reading, ...
        message = f"the file cannot be read ({error.strerror}); check that it is a readable file"
        return None, [Problem(Location(shown), message)]
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
    marks = [
        event.start_mark
        for event in yaml.parse(text, Loader=BaseLoader)
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None
    ]
    message = yaml_lint.ALIAS_MESSAGE
    return [Problem(Location(shown, m.line + 1, m.column + 1), message) for m in marks]


def parse_yaml(text: str, shown: str) -> tuple[object, list[Problem]]:
    """Parse YAML text into SourceMap/SourceList trees; syntax errors become Problems.

    Characters YAML would misread or refuse (controls, bidirectional controls, a byte-order
    mark inside the file, non-breaking spaces) are reported first, and such a file is not
    parsed: what the parser would say about it names the wrong cause.
    """
    scan = yaml_characters.scan_text(text, shown)
    if scan.problems:
        return None, scan.problems
    found = yaml_lint.check_events(text, shown, scan) if scan.needs_events else None
    loader = StrictLoader(text, shown)
    loader.tagged = found.tagged if found else frozenset()
    try:
        root = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        cause = yaml_lint.diagnose_syntax(text, shown, error)
        return None, [cause or _syntax_problem(error, shown)]
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(error, text, shown)]
    except (NestedTooDeeply, RecursionError):
        too_deep = yaml_lint.nesting_problem(text, shown)
        if too_deep is None:
            raise  # not the data's nesting: a bug
        return None, [too_deep]
    finally:
        loader.dispose()
    problems = loader.problems
    if found:
        problems += found.problems
    elif loader.saw_alias:  # an anchor the scan did not see; aliases are reported all the same
        problems += _alias_problems(text, shown)
    return (None if loader.misread else root), problems


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
    # Content nearly always starts in the first few lines: look there before splitting it all.
    head = text[:4096]
    lines = head.splitlines()
    complete = lines if len(head) == len(text) else lines[:-1]  # the last may be cut short
    return _first_content(complete) or _first_content(text.splitlines()) or 1


def _first_content(lines: list[str]) -> int | None:
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "---", "%")):
            return number
    return None


@dataclass(frozen=True)
class DataFiles:
    """Where the data files are, and why any entry of ``data/biomarkers/`` is not one."""

    specimens: Path
    conditions: Path
    bibliography: Path
    biomarkers: tuple[Path, ...]
    problems: tuple[Problem, ...]
    project_dir: Path

    def shown(self, path: Path) -> str:
        """Return ``path`` as messages show it: relative to the project."""
        return path.relative_to(self.project_dir).as_posix()


def find_data_files(data_dir: Path, project_dir: Path) -> DataFiles:
    """List the data files below ``data_dir``; reads no file."""
    biomarker_paths, problems = biomarker_files(
        data_dir / "biomarkers", lambda path: path.relative_to(project_dir).as_posix()
    )
    return DataFiles(
        specimens=data_dir / "specimens.yaml",
        conditions=data_dir / "conditions.yaml",
        bibliography=data_dir / "references.bib",
        biomarkers=tuple(biomarker_paths),
        problems=tuple(problems),
        project_dir=project_dir,
    )


def load_yaml(path: Path, shown: str) -> tuple[YamlFile, list[Problem]]:
    """Read one YAML data file; a missing file is a problem and an unreadable ``YamlFile``."""
    if not path.is_file():
        return YamlFile(shown, None, unreadable=True), [missing_file(path, shown)]
    return load_yaml_file(path, shown)


def load_bibliography(path: Path, shown: str) -> tuple[BibFile, list[Problem]]:
    """Read the BibTeX file's text; a missing or unreadable file is a problem and empty text."""
    if not path.is_file():
        return BibFile(shown, ""), [missing_file(path, shown)]
    text, problems = read_text(path, shown)
    return BibFile(shown, text or ""), problems


def load_data(data_dir: Path, project_dir: Path) -> RawData:
    """Read every data file below ``data_dir``; paths in messages are relative to the project."""
    files = find_data_files(data_dir, project_dir)
    problems: list[Problem] = list(files.problems)

    def load(path: Path) -> YamlFile:
        loaded, found = load_yaml(path, files.shown(path))
        problems.extend(found)
        return loaded

    bibliography, bib_problems = load_bibliography(
        files.bibliography, files.shown(files.bibliography)
    )
    problems.extend(bib_problems)
    return RawData(
        specimens=load(files.specimens),
        conditions=load(files.conditions),
        biomarkers=[load(p) for p in files.biomarkers],
        bibliography=bibliography,
        problems=problems,
    )
