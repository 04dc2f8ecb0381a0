"""Fuzzing the real data: any edit gives located problems or a sourced, renderable site.

Each example mutates one of the real data files (random bytes, random Unicode, random changes
to the YAML or BibTeX structure) and runs the whole check. The outcome must be one of two: every
problem names a file in data/ (and, when it has one, a line and column inside that file), or the
check passes with every claim still sourced and the pages render. An exception escaping
``pipeline.check`` or ``render_pages`` is a bug.

The budget is fixed and the examples derandomized, so CI stays fast and reproducible. ``make
fuzz`` runs many more examples, freshly random each time (``FUZZ_EXAMPLES``; Hypothesis prints
how to reproduce a failure).
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer
from tests.helpers import PROJECT_ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.pipeline import CheckResult
    from biomarker_kb.problems import Problem

pytestmark = pytest.mark.fuzz

_LONG_RUN = "FUZZ_EXAMPLES" in os.environ
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    derandomize=not _LONG_RUN,  # CI: the same examples every run; `make fuzz`: new ones
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)

YAML_FILES = ("data/biomarkers/b2m.yaml", "data/conditions.yaml", "data/specimens.yaml")
BIB_FILE = "data/references.bib"
FILES = (*YAML_FILES, BIB_FILE)
ORIGINAL = {name: (PROJECT_ROOT / name).read_bytes() for name in FILES}
LINES = {name: ORIGINAL[name].decode("utf-8").split("\n") for name in FILES}

SPECIAL_CHARACTERS = (
    # C0 and C1 controls, DEL, NUL, NEL; tab and carriage return
    "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x80\x85\x9f\t\r"
    # bidirectional controls and marks
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    # spaces and invisible characters: NBSP, soft hyphen, zero width, BOM, line/paragraph sep.
    "\xa0\u00ad\u200b\u200c\u200d\u2060\ufeff\u2028\u2029\u3000\u2007"
    # curly quotes and look-alike letters (Cyrillic, Greek), a combining accent
    "\u2018\u2019\u201c\u201d\u00ab\u00bb\u0440\u0430\u0455\u043e\u0391\u03bf\u00e9\u0301"
    # the edges of Unicode: just around the surrogates, noncharacters, the last code point
    "\ud7ff\ue000\ufffd\ufffe\uffff\U0001f600\U0010ffff"
)
SURROGATES = ("\ud800", "\udbff", "\udc00", "\udfff")
"""Lone surrogates: their UTF-8-like bytes (ED A0 80...) are not UTF-8."""
SYNTAX = ":{}[],#&*!|>'\"%@`-?= \n\\"
"""Characters that mean something in YAML or BibTeX."""


@dataclass(frozen=True)
class Mutant:
    """One data file, changed; shown by Hypothesis when an example fails."""

    path: str
    content: bytes

    def __repr__(self) -> str:
        """Show only what changed, and from which line of the real file."""
        original, changed = ORIGINAL[self.path], self.content
        start = next(
            (i for i, (a, b) in enumerate(zip(original, changed, strict=False)) if a != b),
            min(len(original), len(changed)),
        )
        same_end = 0
        while (
            same_end < min(len(original), len(changed)) - start
            and original[-1 - same_end] == changed[-1 - same_end]
        ):
            same_end += 1
        line = original.count(b"\n", 0, start) + 1
        was = original[start : len(original) - same_end]
        now = changed[start : len(changed) - same_end]
        return f"Mutant({self.path!r}, line {line}: {was!r} -> {now!r})"


# --------------------------------------------------------------------------- strategies

_inserted_bytes = st.one_of(
    st.binary(min_size=1, max_size=6),
    st.text(alphabet=SYNTAX, min_size=1, max_size=4).map(str.encode),
)


@st.composite
def byte_edits(draw: st.DrawFn) -> Mutant:
    """Insert random bytes into a file, or delete runs of its bytes."""
    path = draw(st.sampled_from(FILES))
    data = bytearray(ORIGINAL[path])
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data[at:at] = draw(_inserted_bytes)
        else:
            del data[at : at + draw(st.integers(1, 40))]
    return Mutant(path, bytes(data))


_unicode = st.one_of(
    st.sampled_from(SPECIAL_CHARACTERS),
    st.sampled_from(SURROGATES),
    st.characters(codec="utf-8"),
    st.sampled_from(SYNTAX),
)


@st.composite
def unicode_edits(draw: st.DrawFn) -> Mutant:
    """Insert Unicode characters (controls, bidi, invisible, look-alike...) or replace one."""
    path = draw(st.sampled_from(FILES))
    text = ORIGINAL[path].decode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        inserted = "".join(draw(st.lists(_unicode, min_size=1, max_size=3)))
        replaced = draw(st.sampled_from((0, 0, 1)))
        text = text[:at] + inserted + text[at + replaced :]
    return Mutant(path, text.encode("utf-8", "surrogatepass"))


def _duplicate(lines: list[str], at: int) -> None:
    lines.insert(at, lines[at])


def _indent_more(lines: list[str], at: int) -> None:
    lines[at] = "  " + lines[at]


def _indent_less(lines: list[str], at: int) -> None:
    lines[at] = lines[at].removeprefix("  ")


def _indent_with_tab(lines: list[str], at: int) -> None:
    lines[at] = re.sub(r"^ {1,2}", "\t", lines[at])


def _drop_colon(lines: list[str], at: int) -> None:
    lines[at] = lines[at].replace(":", "", 1)


def _scalar_to_flow_list(lines: list[str], at: int) -> None:
    lines[at] = re.sub(r"^(\s*(?:- )?[\w-]+): (.+)$", r"\1: [\2]", lines[at])


def _scalar_to_block_list(lines: list[str], at: int) -> None:
    match = re.match(r"^(\s*)((?:- )?[\w-]+): (.+)$", lines[at])
    if match:
        indent, key, value = match.groups()
        extra = "  " if key.startswith("- ") else ""
        lines[at : at + 1] = [f"{indent}{key}:", f"{indent}{extra}  - {value}"]


def _list_item_to_scalar(lines: list[str], at: int) -> None:
    lines[at] = re.sub(r"^(\s*)- ", r"\1", lines[at])


def _delete_line(lines: list[str], at: int) -> None:
    del lines[at]


def _swap_with_next(lines: list[str], at: int) -> None:
    if at + 1 < len(lines):
        lines[at], lines[at + 1] = lines[at + 1], lines[at]


def _drop_bib_punctuation(lines: list[str], at: int) -> None:
    for mark in ("=", ",", "}", "{", '"'):
        if mark in lines[at]:
            lines[at] = lines[at].replace(mark, "", 1)
            return


def _concatenate_bib_value(lines: list[str], at: int) -> None:
    lines[at] = re.sub(r"\}(,?)\s*$", r"} # {x}\1", lines[at], count=1)


LINE_EDITS = (_duplicate, _indent_more, _indent_less, _indent_with_tab, _delete_line)
LINE_EDITS += (_swap_with_next,)
YAML_EDITS = (_drop_colon, _scalar_to_flow_list, _scalar_to_block_list, _list_item_to_scalar)
BIB_EDITS = (_drop_bib_punctuation, _concatenate_bib_value)


@st.composite
def structure_edits(draw: st.DrawFn) -> Mutant:
    """Edit lines: duplicate, re-indent, drop a colon, turn a value into a list, and so on."""
    path = draw(st.sampled_from(FILES))
    lines = list(LINES[path])
    edits = LINE_EDITS + (BIB_EDITS if path == BIB_FILE else YAML_EDITS)
    for _ in range(draw(st.integers(1, 3))):
        edit = draw(st.sampled_from(edits))
        edit(lines, draw(st.integers(0, len(lines) - 1)))
    return Mutant(path, "\n".join(lines).encode("utf-8"))


# --------------------------------------------------------------------------- the property


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    return root


@pytest.fixture(scope="module")
def renderer() -> SiteRenderer:
    return SiteRenderer(PROJECT_ROOT / "templates")


# Where a line ends for an editor (a lone carriage return too), and for YAML, which also ends
# lines at NEL, LS and PS: a location must make sense in one of the two.
_LINE_BREAKS = (re.compile("\r\n|[\r\n]"), re.compile("\r\n|[\r\n\x85\u2028\u2029]"))
_LOCATED = re.compile(r"(?P<path>data/[^:\s]+)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: \S")


def _assert_located(problem: Problem, mutant: Mutant, root: Path) -> None:
    """The message starts with a data file and, if it has them, a line and column inside it."""
    shown = str(problem)
    match = _LOCATED.match(shown)
    assert match, f"not located in data/: {shown!r}"
    assert (root / match["path"]).is_file(), f"names no data file: {shown!r}"
    if match["line"] is None:
        return
    content = mutant.content if match["path"] == mutant.path else ORIGINAL[match["path"]]
    text = content.decode("utf-8", "replace")
    line, column = int(match["line"]), int(match["column"] or 1)
    assert any(
        1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1
        for lines in (breaks.split(text) for breaks in _LINE_BREAKS)
    ), f"line {line}, column {column} is not in the file: {shown!r}"


def _assert_sourced(result: CheckResult) -> None:
    kb = result.kb
    assert kb is not None
    for biomarker in kb.biomarkers:
        for claim in biomarker.claims:
            assert claim.citations, f"claim {claim.id!r} lost its sources"
            missing = [c.key for c in claim.citations if c.key not in kb.references]
            assert not missing, f"claim {claim.id!r} cites keys not in the bibliography: {missing}"


def _check_mutant(mutant: Mutant, root: Path, renderer: SiteRenderer) -> None:
    target = root / mutant.path
    target.write_bytes(mutant.content)
    try:
        result = check(ProjectPaths(root, root / "data", PROJECT_ROOT / "templates"))
        if result.errors:
            assert result.kb is None
            for problem in result.problems:
                _assert_located(problem, mutant, root)
        else:
            for problem in result.problems:
                _assert_located(problem, mutant, root)
            _assert_sourced(result)
            assert render_pages(result, renderer)
    finally:
        target.write_bytes(ORIGINAL[mutant.path])


@FUZZ
@given(mutant=byte_edits())
def test_random_bytes(mutant: Mutant, project: Path, renderer: SiteRenderer) -> None:
    _check_mutant(mutant, project, renderer)


@FUZZ
@given(mutant=unicode_edits())
def test_random_unicode(mutant: Mutant, project: Path, renderer: SiteRenderer) -> None:
    _check_mutant(mutant, project, renderer)


@FUZZ
@given(mutant=structure_edits())
def test_random_structure(mutant: Mutant, project: Path, renderer: SiteRenderer) -> None:
    _check_mutant(mutant, project, renderer)


def test_the_unchanged_data_passes(project: Path, renderer: SiteRenderer) -> None:
    """The property holds for the real data itself, so every failure comes from an edit."""
    _check_mutant(Mutant(FILES[0], ORIGINAL[FILES[0]]), project, renderer)
