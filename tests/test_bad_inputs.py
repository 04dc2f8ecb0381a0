"""Golden corpus of bad inputs: each class of mistake gives its exact, located message.

Each ``tests/cases/bad/<class>/`` holds a ``data/`` tree (the valid minimal tree of
``tests.helpers.minimal_files`` with one kind of mistake) and ``expected.txt``, the exact stderr
of ``python -m biomarker_kb check``. ``pytest --update-goldens`` rewrites expected.txt; review
the diff before committing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.helpers import CASES, make_project, minimal_files, run_cli, statement_yaml
from tests.helpers import biomarker_yaml as header

if TYPE_CHECKING:
    from pathlib import Path

BAD = CASES / "bad"
BAD_CASES = sorted(path for path in BAD.iterdir() if path.is_dir())

# Every class of issue 4 (item 3) the checker handles today; UCUM units are not validated yet.
EXPECTED_CLASSES = {
    "yaml-syntax-error",
    "duplicate-key",
    "yaml-tag-does-not-fit",
    "yaml11-no-on-as-boolean",
    "yaml11-sexagesimal-1-30",
    "yaml11-leading-zero",
    "yaml11-date-where-text-meant",
    "yaml11-3-10-in-text",
    "comment-cuts-value",
    "impossible-date",
    "empty-file",
    "wrong-top-level-type",
    "unknown-field-did-you-mean",
    "missing-required-field",
    "claim-without-source",
    "unknown-citation-key",
    "unknown-condition",
    "unknown-specimen",
    "unknown-summarised-claim",
    "duplicate-id-in-file",
    "duplicate-id-across-files",
    "unsafe-slug-path-traversal",
    "reserved-id",
    "lower-above-upper",
    "aliases-billion-laughs",
    "non-utf8-file",
    "bib-unbalanced-braces",
    "bib-duplicate-key",
    "bib-duplicate-field",
    "bib-missing-comma",
    "bib-undefined-macro",
    "bib-missing-required-field",
    "bib-javascript-url",
    "unit-not-ucum",
    "unit-dimensions-differ",
    "contradicting-claims",
    # The sentence model (issue 11): claim spans in a sentence's text, and claim_text frames.
    "span-unclosed",
    "span-stray-bracket",
    "span-without-id",
    "span-id-not-slug",
    "span-empty",
    "span-names-no-claim",
    "claim-without-span",
    "claim-marked-twice",
    "frame-without-words",
    "frame-unknown-placeholder",
    # The publishing gate (issue 12, item 10).
    "acknowledged-without-flag",
    "placeholder-left",
    # Issue 13: near-duplicate keys, look-alike letters shown escaped, '#' and names in BibTeX.
    "case-bib-keys-differ-only-in-case",
    "case-cite-differs-only-in-case",
    "lookalike-bib-key",
    "lookalike-bib-key-invisible-space",
    "lookalike-bib-field-name",
    "bib-concatenation",
    "bib-concatenation-in-string",
    "bib-author-name-unreadable",
    "bib-year-not-a-number",
    # Issue 13: YAML read silently wrong or refused at the wrong place; files not <id>.yaml.
    "yaml-nested-too-deeply",
    "yaml-control-escape",
    "yaml-bidi-control",
    "yaml-nbsp-after-colon",
    "yaml-bom-inside-file",
    "yaml-line-separator",
    "yaml-anchor-unused",
    "yaml-tag-on-value",
    "yaml-indicator-needs-quotes",
    "yaml-curly-quotes",
    "yaml-dash-without-space",
    "yaml-self-referencing-alias",
    "file-wrong-extension",
    "file-not-a-biomarker",
    "id-too-long",
}


def test_the_corpus_has_one_folder_per_class() -> None:
    assert {case.name for case in BAD_CASES} == EXPECTED_CLASSES


def test_the_unbroken_minimal_tree_checks_cleanly(tmp_path: Path) -> None:
    """The tree every case starts from has no problem, so each message comes from its mistake."""
    project = make_project(tmp_path, files=minimal_files(alpha=header(body=statement_yaml())))
    checked = run_cli("check", cwd=project)
    assert (checked.returncode, checked.stderr) == (0, "")


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.name for case in BAD_CASES])
def test_bad_input_gives_its_golden_message(
    case: Path, tmp_path: Path, update_goldens: bool
) -> None:
    project = make_project(tmp_path, case / "data")
    checked = run_cli("check", cwd=project)
    expected_file = case / "expected.txt"
    if update_goldens:
        expected_file.write_text(checked.stderr, encoding="utf-8", newline="\n")

    assert checked.returncode == 1
    assert "Traceback" not in checked.stderr
    assert checked.stdout == ""
    assert checked.stderr == expected_file.read_text(encoding="utf-8")


EDITORS_GUIDE = CASES.parents[1] / "content" / "editors.md"
_LOCATION = re.compile(r"^\S+?(?::\d+){0,2}: (?:warning: )?")


def _what_is_wrong(line: str) -> re.Pattern[str]:
    """Return a pattern for a message's first part, any quoted value or number allowed."""
    message = _LOCATION.sub("", line).split("; ")[0]
    parts = re.split(r"('[^']*'|\d+)", message)
    return re.compile(
        "".join(
            "'[^']*'" if part.startswith("'") else r"\d+" if part.isdigit() else re.escape(part)
            for part in parts
        )
    )


@pytest.mark.parametrize("case", BAD_CASES, ids=[case.name for case in BAD_CASES])
def test_the_editors_guide_explains_each_message(case: Path) -> None:
    guide = EDITORS_GUIDE.read_text(encoding="utf-8")
    for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]:
        assert _what_is_wrong(line).search(guide), f"content/editors.md does not explain: {line}"
