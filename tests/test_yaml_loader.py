"""Same result on every machine (issue 13, item 6): libyaml's loader is required, and runs.

PyYAML's pure-Python loader words syntax errors differently and reads a few inputs otherwise
(a byte-order mark starting a line), so messages would depend on how PyYAML was installed.
The package therefore refuses to start without libyaml. The pure-Python loader still serves to
check that what this project adds to parsing (the lint of issue 13) does not depend on it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml
from yaml.cyaml import CParser

from biomarker_kb import load, strict_yaml
from biomarker_kb.load import parse_yaml
from biomarker_kb.strict_yaml import LIBYAML_MISSING, StrictConstruction, StrictLoader


def test_the_loader_is_libyaml_s() -> None:
    assert yaml.__with_libyaml__
    assert issubclass(StrictLoader, yaml.CSafeLoader)
    assert strict_yaml.BaseLoader is yaml.CSafeLoader


def test_parsing_runs_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    parsers: list[bool] = []

    class Spy(StrictLoader):  # type: ignore[misc]
        def __init__(self, text: str, path: str) -> None:
            parsers.append(isinstance(self, CParser))
            super().__init__(text, path)

    monkeypatch.setattr(load, "StrictLoader", Spy)
    parse_yaml("a: 1\n", "f.yaml")
    assert parsers == [True]


def test_syntax_errors_are_worded_by_libyaml() -> None:
    # The pure-Python loader would say "expected <block end>, but found '<block sequence start>'".
    _, problems = parse_yaml("a:\n  - x\n - y\n", "f.yaml")
    assert [str(p) for p in problems] == [
        "f.yaml:3:2: YAML syntax error: did not find expected key; check the indentation, and"
        " put quotes around text containing ': ' or ' #'"
    ]


def test_without_libyaml_the_package_says_what_to_install() -> None:
    # `sys.modules[name] = None` makes that import fail, as on a PyYAML built without libyaml.
    code = "import sys; sys.modules['yaml._yaml'] = None; import biomarker_kb.load"
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 1
    assert completed.stderr.splitlines()[-1] == f"ImportError: {LIBYAML_MISSING}"


class PurePythonLoader(StrictConstruction, yaml.SafeLoader):
    """The strict construction on PyYAML's pure-Python parser, for comparison only."""


AGREEING = [
    pytest.param("a: " + "[" * 600 + "]" * 600 + "\n", id="nested-flow"),
    pytest.param("- " * 600 + "x\n", id="nested-block"),
    pytest.param("a: &x [1, *x]\n", id="self-referencing-alias"),
    pytest.param("a: &x text\nb: !!binary aGk=\n", id="anchor-and-tag"),
    pytest.param('a: "C:\\new"\nb: "\\u202e"\n', id="escapes"),
    pytest.param("a: b\u202ec\nd: \xa0\n", id="invisible-characters"),
    pytest.param("name: “Foo”\nlist:\n  -B2M\n", id="curly-quotes-and-dash"),
    pytest.param("id: a\ntext: *important* finding\n", id="indicator"),
    pytest.param("a: 3.10\nb: no\nc: 0123\nd: 2023-01-01\ne: !!int x\n", id="plain-values"),
]


@pytest.mark.parametrize("text", AGREEING)
def test_the_pure_python_loader_would_read_these_alike(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = parse_yaml(text, "f.yaml")
    monkeypatch.setattr(load, "StrictLoader", PurePythonLoader)
    assert parse_yaml(text, "f.yaml") == expected
