"""Validate stage, part 2: records referring to each other (ids, citation keys, markers)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from biomarker_kb.crossref import CheckScope, check_cross_references, check_vocabulary_ids
from biomarker_kb.model import Biomarker, Citation, Statement
from biomarker_kb.pipeline import CheckResult, ProjectPaths, check
from biomarker_kb.problems import Location, Severity
from tests.helpers import (
    REFERENCES_BIB,
    biomarker_yaml,
    minimal_files,
    statement_yaml,
    write_files,
)

if TYPE_CHECKING:
    from pathlib import Path

ALPHA = "data/biomarkers/alpha.yaml"
UNUSED_SMITH = (
    "data/references.bib:7: warning: reference 'smith2020' is not cited by any claim;"
    " cite it or remove it"
)
POST_ONLY_HINT = "find a primary source, or acknowledge it with acknowledged: <reason>"
X_POST_ONLY = f"{ALPHA}:13:13: warning: claim 'x' cites only the original post; {POST_ONLY_HINT}"


def _check(tmp_path: Path, **biomarkers: str) -> CheckResult:
    write_files(tmp_path, minimal_files(**biomarkers))
    return check(ProjectPaths.at(tmp_path))


def _errors(result: CheckResult) -> list[str]:
    return [str(p) for p in result.errors]


def _warnings(result: CheckResult) -> list[str]:
    return [str(p) for p in result.warnings]


def test_minimal_project_is_clean(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml()))
    assert result.problems == ()
    assert result.kb is not None


# --------------------------------------------------------------------------- citation keys


@pytest.mark.parametrize(
    ("cite", "expected"),
    [
        pytest.param(
            "[smith202]",
            f"{ALPHA}:16:20: unknown citation key 'smith202'; did you mean 'smith2020'?",
            id="did-you-mean",
        ),
        pytest.param(
            "[smith2020, nobody1999]",
            f"{ALPHA}:16:31: unknown citation key 'nobody1999'; add it to data/references.bib"
            " or fix the key",
            id="no-close-match",
        ),
    ],
)
def test_unknown_citation_key(tmp_path: Path, cite: str, expected: str) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml(cite=cite)))
    assert _errors(result) == [expected]
    assert result.kb is None


def test_unknown_paragraph_key_is_reported_once_for_all_its_claims(tmp_path: Path) -> None:
    body = (
        "overview:\n"
        "  - cite: [smyth2020]\n"
        "    sentences:\n"
        '      - text: "[A]{a}. [B]{b}."\n'
        "        claims:\n"
        "          - {id: a, type: statement, topic: physiology}\n"
        "          - {id: b, type: statement, topic: physiology}\n"
    )
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [
        f"{ALPHA}:10:12: unknown citation key 'smyth2020'; did you mean 'smith2020'?"
    ]


def test_unknown_original_post_key(tmp_path: Path) -> None:
    text = biomarker_yaml(body=statement_yaml()).replace("cite: post-a", "cite: post-b")
    result = _check(tmp_path, alpha=text)
    assert _errors(result) == [
        f"{ALPHA}:5:9: unknown citation key 'post-b'; did you mean 'post-a'?"
    ]


def test_unused_reference_is_a_warning(tmp_path: Path) -> None:
    claim = statement_yaml(cite="[post-a]", extra="            needs_primary_source: true\n")
    result = _check(tmp_path, alpha=biomarker_yaml(body=claim))
    assert _errors(result) == []
    assert UNUSED_SMITH in _warnings(result)
    assert result.kb is not None


# --------------------------------------------------------------------------- vocabulary ids


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            statement_yaml(extra="            conditions: [kidney-diseas, gout]\n"),
            [
                f"{ALPHA}:17:26: unknown condition 'kidney-diseas'; did you mean 'kidney-disease'?",
                f"{ALPHA}:17:41: unknown condition 'gout'; add it to data/conditions.yaml or fix"
                " the id",
            ],
            id="statement-conditions",
        ),
        pytest.param(
            statement_yaml(extra="            specimens: [plasma]\n"),
            [
                f"{ALPHA}:17:25: unknown specimen 'plasma'; add it to data/specimens.yaml or fix"
                " the id"
            ],
            id="statement-specimens",
        ),
        pytest.param(
            "overview:\n"
            "  - cite: [smith2020]\n"
            "    sentences:\n"
            '      - text: "[A]{x}."\n'
            "        claims:\n"
            "          - id: x\n"
            "            type: association\n"
            "            condition: malignancy\n"
            "            population: kidney-failure\n"  # line 17
            "            specimen: serun\n"
            "            direction: increased\n",
            [
                f"{ALPHA}:17:25: unknown condition 'kidney-failure'; add it to data/conditions.yaml"
                " or fix the id",
                f"{ALPHA}:18:23: unknown specimen 'serun'; did you mean 'serum'?",
            ],
            id="association",
        ),
        pytest.param(
            "overview:\n"
            "  - cite: [smith2020]\n"
            "    sentences:\n"
            '      - text: "[A]{x}."\n'
            "        claims:\n"
            "          - id: x\n"
            "            type: pattern\n"
            "            condition: malignancy\n"
            "            findings: [{specimen: csf, direction: increased}]\n",  # line 17
            [f"{ALPHA}:17:35: unknown specimen 'csf'; add it to data/specimens.yaml or fix the id"],
            id="pattern-finding",
        ),
        pytest.param(
            statement_yaml() + "tests:\n  - specimen: blood\n",
            [
                f"{ALPHA}:18:15: unknown specimen 'blood'; add it to data/specimens.yaml or fix"
                " the id"
            ],
            id="measured-test",
        ),
    ],
)
def test_unknown_condition_or_specimen(tmp_path: Path, body: str, expected: list[str]) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == expected


LIST_WITH_UNKNOWN_SPECIMEN = (
    "levels:\n"  # line 9
    "  - title: Up\n"
    "    specimen: saliva\n"  # line 11
    "    direction: increased\n"
    "    cite: [smith2020]\n"
    "    items:\n"
    '      - text: "[A]{x}"\n'  # line 15
    "        claims: [{id: x, condition: malignancy}]\n"
    '      - text: "[B]{y}"\n'
    "        claims: [{id: y, condition: malignancy}]\n"
)
SALIVA = "unknown specimen 'saliva'; add it to data/specimens.yaml or fix the id"


def test_unknown_list_specimen_is_reported(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=LIST_WITH_UNKNOWN_SPECIMEN))
    assert result.errors
    assert {p.message for p in result.errors} == {SALIVA}


def test_unknown_list_specimen_is_reported_once_at_the_list(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=LIST_WITH_UNKNOWN_SPECIMEN))
    assert [str(p) for p in result.errors] == [f"{ALPHA}:11:15: {SALIVA}"]


def test_unknown_or_circular_broader_condition(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml()))
    files["data/conditions.yaml"] = (
        "conditions:\n"
        "  - id: lymphoma\n"
        "    name: Lymphoma\n"
        "    kind: disease\n"
        "    broader: [lymphoma, malignacy]\n"
    )
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert _errors(result) == [
        "data/conditions.yaml:5:15: condition 'lymphoma' lists itself as broader; remove it",
        "data/conditions.yaml:5:25: unknown condition 'malignacy'; add it to data/conditions.yaml"
        " or fix the id",
    ]


# --------------------------------------------------------------------------- ids


def test_duplicate_claim_ids_across_two_files(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        alpha=biomarker_yaml(body=statement_yaml()),
        beta=biomarker_yaml("beta", statement_yaml()),
    )
    assert _errors(result) == [
        "data/biomarkers/beta.yaml:13:13: duplicate claim id 'x' (also at"
        f" {ALPHA}:13:13); ids must be unique"
    ]


def test_duplicate_claim_id_within_a_file(tmp_path: Path) -> None:
    body = statement_yaml() + (
        "takeaways:\n"  # line 17
        "  - id: x\n"
        "    text: Sum.\n"
        "    summarises: [x]\n"
    )
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [
        f"{ALPHA}:18:5: duplicate claim id 'x' (also at {ALPHA}:13:13); ids must be unique"
    ]


def test_biomarker_id_must_match_the_file_name(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml("alfa", statement_yaml()))
    assert _errors(result) == [
        f"{ALPHA}:1:1: id 'alfa' must match the file name 'alpha'; rename the file to alfa.yaml"
        " or change the id"
    ]


def test_reserved_biomarker_id(tmp_path: Path) -> None:
    result = _check(tmp_path, search=biomarker_yaml("search", statement_yaml()))
    assert _errors(result) == [
        "data/biomarkers/search.yaml:1:1: biomarker id 'search' is reserved by the site;"
        " choose another id"
    ]


# --------------------------------------------------------------------------- ranges


RANGE = (
    "reference_ranges:\n"  # line 17
    "  ranges:\n"
    "    - id: r\n"  # line 19
    "      cite: [smith2020]\n"
    "      lab_test: Alpha\n"
    "      specimen: serum\n"
    "      lower: {{value: {lower}, inclusive: true}}\n"
    "      upper: {{value: {upper}, inclusive: true}}\n"
    "      unit: mg/L\n"
    "      unit_as_printed: mg/L\n"
)


def test_lower_bound_above_upper_bound(tmp_path: Path) -> None:
    body = statement_yaml() + RANGE.format(lower=3, upper=2.5)
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [f"{ALPHA}:23:14: lower bound 3 is above upper bound 2.5; swap them"]


def test_equal_bounds_are_allowed(tmp_path: Path) -> None:
    body = statement_yaml() + RANGE.format(lower=2.5, upper=2.5)
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == []


# --------------------------------------------------------------------------- primary-source marker


def test_claim_citing_only_the_post_must_be_flagged(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml(cite="[post-a]")))
    assert _errors(result) == [
        f"{ALPHA}:13:13: claim 'x' cites only the original post; add 'needs_primary_source: true'"
        " or cite a primary source"
    ]


def test_flagged_claim_citing_a_primary_source_is_an_error(tmp_path: Path) -> None:
    claim = statement_yaml(extra="            needs_primary_source: true\n")
    result = _check(tmp_path, alpha=biomarker_yaml(body=claim))
    assert _errors(result) == [
        f"{ALPHA}:17:35: claim 'x' is marked needs_primary_source but cites a primary source;"
        " remove the marker"
    ]


def test_a_marker_inherited_by_a_claim_with_a_primary_source_names_where_it_stands(
    tmp_path: Path,
) -> None:
    body = (
        "overview:\n"
        "  - cite: [post-a]\n"
        "    needs_primary_source: true\n"
        "    sentences:\n"
        '      - text: "[A fact]{x} and [another]{y}."\n'
        "        claims:\n"
        "          - id: x\n"
        "            type: statement\n"
        "            topic: physiology\n"
        "          - id: y\n"
        "            type: statement\n"
        "            topic: physiology\n"
        "            cite: [smith2020]\n"
    )
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [
        f"{ALPHA}:18:13: claim 'y' cites a primary source, but its sentence, paragraph or list"
        " is marked needs_primary_source; move the marker onto the sentences or claims that"
        " cite only the post"
    ]


def test_flagged_claim_citing_only_the_post_is_a_warning(tmp_path: Path) -> None:
    claim = statement_yaml(cite="[post-a]", extra="            needs_primary_source: true\n")
    result = _check(tmp_path, alpha=biomarker_yaml(body=claim))
    assert _warnings(result) == [
        X_POST_ONLY,
        UNUSED_SMITH,
    ]
    assert all(p.severity is Severity.WARNING for p in result.problems)


def test_wrong_marker_gets_no_false_warning(tmp_path: Path) -> None:
    claim = statement_yaml(extra="            needs_primary_source: true\n")
    result = _check(tmp_path, alpha=biomarker_yaml(body=claim))
    assert _warnings(result) == []


# --------------------------------------------------------------------------- acknowledged reasons

REASON = "Kept as the post's own words for now."


def _reason(indent: int, given: bool) -> str:
    """Return an ``acknowledged`` line, or a comment holding its place (line numbers stay)."""
    return " " * indent + (f"acknowledged: {REASON}\n" if given else "# no reason\n")


def _marked_paragraph(paragraph: bool = False, sentence: bool = False, claims: bool = False) -> str:
    """Return a marked paragraph (line 10) of two sentences (lines 14, 25) and three claims."""
    return "".join(
        [
            "overview:\n",
            "  - cite: [post-a]\n",  # line 10
            "    needs_primary_source: true\n",
            _reason(4, paragraph),
            "    sentences:\n",
            '      - text: "[A]{a} and [B]{b}."\n',  # line 14
            _reason(8, sentence),
            "        claims:\n",
            "          - id: a\n",
            "            type: statement\n",
            "            topic: physiology\n",
            _reason(12, claims),
            "          - id: b\n",
            "            type: statement\n",
            "            topic: physiology\n",
            _reason(12, claims),
            '      - text: "[C]{c}."\n',  # line 25
            "        claims:\n",
            "          - {id: c, type: statement, topic: physiology}\n",
        ]
    )


def _marked_list(given: bool = False) -> str:
    """Return a marked list (line 10) of one item with two claims."""
    return "".join(
        [
            "levels:\n",
            "  - title: Increased serum levels\n",  # line 10
            "    specimen: serum\n",
            "    direction: increased\n",
            "    cite: [post-a]\n",
            "    needs_primary_source: true\n",
            _reason(4, given),
            "    items:\n",
            '      - text: "[Malignancy]{up-malignancy}, [kidney disease]{up-kidney-disease}"\n',
            "        claims:\n",
            "          - {id: up-malignancy, condition: malignancy}\n",
            "          - {id: up-kidney-disease, condition: kidney-disease}\n",
        ]
    )


def _marked_range(given: bool = False) -> str:
    """Return a range (line 11) marked itself."""
    return "".join(
        [
            "reference_ranges:\n",
            "  ranges:\n",
            "    - id: r\n",  # line 11
            "      cite: [post-a]\n",
            "      lab_test: Alpha, Serum\n",
            "      specimen: serum\n",
            "      upper: {value: 2.4, inclusive: true}\n",
            "      unit: mg/L\n",
            "      unit_as_printed: mg/L\n",
            "      needs_primary_source: true\n",
            _reason(6, given),
        ]
    )


def _first_sentence_marked() -> str:
    """Return the marked paragraph with its marker on its first sentence (line 13) instead."""
    return (
        _marked_paragraph()
        .replace("    needs_primary_source: true\n", "")
        .replace('[B]{b}."\n', '[B]{b}."\n        needs_primary_source: true\n')
        .replace('[C]{c}."\n', '[C]{c}."\n        cite: [smith2020]\n')
    )


def _post_only_warnings(result: CheckResult) -> list[str]:
    return [w for w in _warnings(result) if "original post" in w]


@pytest.mark.parametrize(
    ("body", "acknowledged", "expected"),
    [
        pytest.param(_marked_paragraph(paragraph=True), {"a", "b", "c"}, [], id="paragraph"),
        pytest.param(
            _marked_paragraph(sentence=True),
            {"a", "b"},
            [
                f"{ALPHA}:10:5: warning: 1 claim of this paragraph cites only the original post;"
                f" {POST_ONLY_HINT}"
            ],
            id="sentence",
        ),
        pytest.param(
            _marked_paragraph(claims=True),
            {"a", "b"},
            [
                f"{ALPHA}:10:5: warning: 1 claim of this paragraph cites only the original post;"
                f" {POST_ONLY_HINT}"
            ],
            id="claim",
        ),
        pytest.param(
            _marked_list(given=True), {"up-malignancy", "up-kidney-disease"}, [], id="list"
        ),
        pytest.param(_marked_range(given=True), {"r"}, [], id="range"),
    ],
)
def test_an_acknowledged_reason_silences_the_warning_below_it(
    tmp_path: Path, body: str, acknowledged: set[str], expected: list[str]
) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == []
    assert _post_only_warnings(result) == expected
    assert result.kb is not None
    reasons = {c.id: c.acknowledged for c in result.kb.claims.values()}
    assert reasons == {c: REASON if c in acknowledged else None for c in reasons}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            _marked_paragraph(),
            [
                f"{ALPHA}:10:5: warning: 3 claims of this paragraph cite only the original post;"
                f" {POST_ONLY_HINT}"
            ],
            id="paragraph",
        ),
        pytest.param(
            _first_sentence_marked(),
            [
                f"{ALPHA}:13:9: warning: 2 claims of this sentence cite only the original post;"
                f" {POST_ONLY_HINT}"
            ],
            id="sentence",
        ),
        pytest.param(
            _marked_list(),
            [
                f"{ALPHA}:10:5: warning: 2 claims of this list cite only the original post;"
                f" {POST_ONLY_HINT}"
            ],
            id="list",
        ),
        pytest.param(
            _marked_paragraph().replace(
                "- {id: c, type: statement, topic: physiology}",
                "- {id: c, type: statement, topic: physiology, needs_primary_source: true}",
            ),
            [
                f"{ALPHA}:10:5: warning: 2 claims of this paragraph cite only the original post;"
                f" {POST_ONLY_HINT}",
                f"{ALPHA}:27:13: warning: claim 'c' cites only the original post; {POST_ONLY_HINT}",
            ],
            id="claim-marked-itself",
        ),
        pytest.param(
            _marked_range(),
            [f"{ALPHA}:11:7: warning: claim 'r' cites only the original post; {POST_ONLY_HINT}"],
            id="range",
        ),
    ],
)
def test_claims_inheriting_a_marker_get_one_warning_where_it_stands(
    tmp_path: Path, body: str, expected: list[str]
) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == []
    assert _post_only_warnings(result) == expected


UNMARKED_REASON = (
    "'acknowledged' stands where needs_primary_source is not set (here or on the sentence,"
    " paragraph or list above); remove it, or add 'needs_primary_source: true' beside it"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            statement_yaml(extra=f"            acknowledged: {REASON}\n"),
            [f"{ALPHA}:17:27: {UNMARKED_REASON}"],
            id="claim",
        ),
        pytest.param(
            statement_yaml(extra="            needs_primary_source: false\n" + _reason(12, True)),
            [f"{ALPHA}:18:27: {UNMARKED_REASON}"],
            id="claim-marked-false",
        ),
        pytest.param(
            statement_yaml().replace(
                "        claims:\n", f"        acknowledged: {REASON}\n        claims:\n"
            ),
            [f"{ALPHA}:12:23: {UNMARKED_REASON}"],
            id="sentence",
        ),
        pytest.param(
            _marked_paragraph(paragraph=True)
            .replace("    needs_primary_source: true\n", "")
            .replace('[B]{b}."\n', '[B]{b}."\n        needs_primary_source: true\n')
            .replace('[C]{c}."\n', '[C]{c}."\n        needs_primary_source: true\n'),
            [f"{ALPHA}:11:19: {UNMARKED_REASON}"],
            id="paragraph-whose-sentences-are-marked",
        ),
        pytest.param(
            _marked_list(given=True)
            .replace("    needs_primary_source: true\n", "")
            .replace("[post-a]", "[smith2020]"),
            [f"{ALPHA}:14:19: {UNMARKED_REASON}"],
            id="list",
        ),
        pytest.param(
            _marked_range(given=True)
            .replace("      needs_primary_source: true\n", "")
            .replace("[post-a]", "[smith2020]"),
            [f"{ALPHA}:18:21: {UNMARKED_REASON}"],
            id="range",
        ),
    ],
)
def test_an_acknowledged_reason_without_a_marker_is_an_error(
    tmp_path: Path, body: str, expected: list[str]
) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == expected
    assert result.kb is None


# --------------------------------------------------------------------------- takeaways


TAKEAWAY = "takeaways:\n  - id: t\n    text: Sum.\n    summarises: [{ids}]\n"  # `- id:` line 18


def test_takeaway_summarising_an_unknown_claim(tmp_path: Path) -> None:
    body = statement_yaml(claim_id="serum-up") + TAKEAWAY.format(ids="serum-up, serum-upp")
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [
        f"{ALPHA}:20:28: unknown claim 'serum-upp'; did you mean 'serum-up'?"
    ]


def test_takeaway_cannot_summarise_another_article(tmp_path: Path) -> None:
    result = _check(
        tmp_path,
        alpha=biomarker_yaml(body=statement_yaml() + TAKEAWAY.format(ids="y")),
        beta=biomarker_yaml("beta", statement_yaml(claim_id="y")),
    )
    assert f"{ALPHA}:20:18: unknown claim 'y'; use the id of a claim in this file" in _errors(
        result
    )


def test_a_takeaway_cites_the_post_not_the_sources_of_what_it_sums_up(tmp_path: Path) -> None:
    # The summarised claim cites smith2020; the takeaway is the post's own words (issue 12).
    body = statement_yaml() + TAKEAWAY.format(ids="x")
    files = minimal_files(alpha=biomarker_yaml(body=body))
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert result.kb is not None
    takeaway = result.kb.claims["t"]
    assert [(c.key, c.attribution) for c in takeaway.citations] == [("post-a", "list")]
    assert takeaway.needs_primary_source


def test_a_takeaway_gives_no_primary_source_warning(tmp_path: Path) -> None:
    """A takeaway is the post's own summary and can cite nothing else: its claims warn."""
    body = statement_yaml(
        cite="[post-a]", extra="            needs_primary_source: true\n"
    ) + TAKEAWAY.format(ids="x")
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert result.kb is not None
    assert result.kb.claims["t"].needs_primary_source
    assert _warnings(result) == [X_POST_ONLY, UNUSED_SMITH]


def test_takeaway_without_sources_is_not_told_to_add_cite(tmp_path: Path) -> None:
    body = statement_yaml() + TAKEAWAY.format(ids="nothing")
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result)
    assert not any("add cite:" in message for message in _errors(result))
    assert _errors(result) == [
        f"{ALPHA}:20:18: unknown claim 'nothing'; use the id of a claim in this file"
    ]


def test_takeaway_over_unsourced_claims_leaves_the_claim_to_be_sourced(tmp_path: Path) -> None:
    body = (
        "overview:\n"
        "  - sentences:\n"
        '      - text: "[A]{x}."\n'
        "        claims:\n"
        "          - {id: x, type: statement, topic: physiology}\n"  # line 13
        "takeaways:\n"
        "  - id: t\n"  # line 15
        "    text: Sum.\n"
        "    summarises: [x]\n"
    )
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [f"{ALPHA}:13:13: claim 'x' has no source; add cite: [<key>]"]


# --------------------------------------------------------------------------- located at the value


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        pytest.param(
            statement_yaml(
                extra="            conditions:\n"
                "              - kidney-disease\n"
                "              - gout\n"
            ),
            19,
            "unknown condition 'gout'; add it to data/conditions.yaml or fix the id",
            id="statement-conditions",
        ),
        pytest.param(
            statement_yaml(
                extra="            specimens:\n              - serum\n              - plasma\n"
            ),
            19,
            "unknown specimen 'plasma'; add it to data/specimens.yaml or fix the id",
            id="statement-specimens",
        ),
        pytest.param(
            "overview:\n"
            "  - cite: [smith2020]\n"
            "    sentences:\n"
            '      - text: "[A]{x}."\n'
            "        claims:\n"
            "          - id: x\n"
            "            type: pattern\n"
            "            condition: malignancy\n"
            "            findings:\n"
            "              - {specimen: serum, direction: increased}\n"
            "              - {specimen: csf, direction: increased}\n",  # line 19
            19,
            "unknown specimen 'csf'; add it to data/specimens.yaml or fix the id",
            id="pattern-findings",
        ),
        pytest.param(
            statement_yaml(claim_id="serum-up")
            + "takeaways:\n  - id: t\n    text: Sum.\n    summarises:\n      - serum-up\n"
            "      - serum-upp\n",  # line 22
            22,
            "unknown claim 'serum-upp'; did you mean 'serum-up'?",
            id="takeaway-summarises",
        ),
    ],
)
def test_unknown_id_in_a_block_list_is_reported_at_its_own_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert [(p.location.path, p.location.line, p.message) for p in result.errors] == [
        (ALPHA, line, message)
    ]


def test_unknown_measured_test_specimen_is_reported_at_its_value(tmp_path: Path) -> None:
    body = statement_yaml() + 'tests:\n  - loinc: "1234-5"\n    specimen: blood\n'  # line 19
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [
        f"{ALPHA}:19:15: unknown specimen 'blood'; add it to data/specimens.yaml or fix the id"
    ]


def test_unknown_pattern_finding_specimen_is_reported_at_its_value(tmp_path: Path) -> None:
    body = (
        "overview:\n"
        "  - cite: [smith2020]\n"
        "    sentences:\n"
        '      - text: "[A]{x}."\n'
        "        claims:\n"
        "          - id: x\n"
        "            type: pattern\n"
        "            condition: malignancy\n"
        "            findings:\n"
        "              - direction: increased\n"  # line 18
        "                specimen: csf\n"  # line 19
    )
    result = _check(tmp_path, alpha=biomarker_yaml(body=body))
    assert _errors(result) == [
        f"{ALPHA}:19:27: unknown specimen 'csf'; add it to data/specimens.yaml or fix the id"
    ]


def test_unknown_broader_condition_is_reported_at_its_value(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml()))
    files["data/conditions.yaml"] = (
        "conditions:\n"
        "  - id: lymphoma\n"
        "    name: Lymphoma\n"
        "    kind: disease\n"
        "    broader: [malignacy]\n"
    )
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert [(p.location.line, p.message) for p in result.errors] == [
        (5, "unknown condition 'malignacy'; add it to data/conditions.yaml or fix the id")
    ]


# --------------------------------------------------------------------------- vocabulary ids


VOCABULARY_BODY = statement_yaml(
    extra="            conditions: [kidney-disease]\n            specimens: [serum]\n"
)


@pytest.mark.parametrize(
    ("name", "extra", "expected"),
    [
        pytest.param(
            "conditions",
            "  - id: kidney-disease\n    name: Kidney disease again\n    kind: disease\n",
            "data/conditions.yaml:8:5: duplicate condition id 'kidney-disease' (also at"
            " data/conditions.yaml:2:5); ids must be unique",
            id="duplicate-condition",
        ),
        pytest.param(
            "specimens",
            "  - id: serum\n    name: Serum again\n",
            "data/specimens.yaml:6:5: duplicate specimen id 'serum' (also at"
            " data/specimens.yaml:2:5); ids must be unique",
            id="duplicate-specimen",
        ),
        pytest.param(
            "conditions",
            "  - id: index\n    name: Index\n    kind: disease\n",
            "data/conditions.yaml:8:5: condition id 'index' is reserved by the site; choose"
            " another id",
            id="reserved-condition",
        ),
        pytest.param(
            "specimens",
            "  - id: search\n    name: Search\n",
            "data/specimens.yaml:6:5: specimen id 'search' is reserved by the site; choose"
            " another id",
            id="reserved-specimen",
        ),
    ],
)
def test_duplicate_or_reserved_vocabulary_id(
    tmp_path: Path, name: str, extra: str, expected: str
) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=VOCABULARY_BODY))
    files[f"data/{name}.yaml"] = str(files[f"data/{name}.yaml"]) + extra
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert _errors(result) == [expected]
    assert result.kb is None


# --------------------------------------------------------------------------- no cascades


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "conditions",
            "conditions:\n  - id: kidney-disease\n    name: Kidney: disease\n    kind: disease\n",
            [
                "data/conditions.yaml:3:17: YAML syntax error: mapping values are not allowed in"
                " this context; check the indentation, and put quotes around text containing"
                " ': ' or ' #'"
            ],
            id="conditions-syntax-error",
        ),
        pytest.param(
            "specimens",
            "specimens:\n  - id: serum\n    nmae: Serum\n",
            ["data/specimens.yaml:3:5: unknown field 'nmae'; did you mean 'name'?"],
            id="specimens-schema-error",
        ),
        pytest.param(
            "conditions",
            None,
            ["data/conditions.yaml: file is missing; create it"],
            id="conditions-missing",
        ),
    ],
)
def test_a_broken_vocabulary_file_causes_no_unknown_id_errors(
    tmp_path: Path, name: str, text: str | None, expected: list[str]
) -> None:
    """The claims refer to ids of the broken file: only the file's own problems are reported."""
    files = minimal_files(alpha=biomarker_yaml(body=VOCABULARY_BODY))
    del files[f"data/{name}.yaml"]
    if text is not None:
        files[f"data/{name}.yaml"] = text
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert [str(p) for p in result.problems] == expected


@pytest.mark.parametrize(
    ("bib", "expected"),
    [
        pytest.param(
            REFERENCES_BIB.replace("  publisher = {Example Press},\n", ""),
            "data/references.bib:7: entry 'smith2020' is missing the field 'publisher'; add it",
            id="missing-field",
        ),
        pytest.param(
            REFERENCES_BIB.replace("title     = {Lab Tests},", "title     = {Lab Tests,"),
            "data/references.bib:7: BibTeX syntax error in entry 'smith2020': Unexpectedly"
            " reached end of file; check for an unbalanced brace or a missing comma between"
            " fields",
            id="unbalanced-brace",
        ),
    ],
)
def test_a_broken_bibtex_entry_causes_no_unknown_key_errors(
    tmp_path: Path, bib: str, expected: str
) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml()))  # cites smith2020
    files["data/references.bib"] = bib
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert [str(p) for p in result.problems] == [expected]


@pytest.mark.parametrize(
    "beta",
    [
        pytest.param("id: beta\nname: B: c\n", id="syntax-error"),
        pytest.param("id: beta\n", id="schema-error"),
    ],
)
def test_no_unused_reference_warning_while_an_article_cannot_be_read(
    tmp_path: Path, beta: str
) -> None:
    """The unreadable article may be the one citing smith2020."""
    claim = statement_yaml(cite="[post-a]", extra="            needs_primary_source: true\n")
    result = _check(tmp_path, alpha=biomarker_yaml(body=claim), beta=beta)
    assert result.errors
    assert {p.location.path for p in result.errors} == {"data/biomarkers/beta.yaml"}
    assert _warnings(result) == [X_POST_ONLY]


def test_check_scope_skips_checks_against_an_unknown_side(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=VOCABULARY_BODY))
    assert result.kb is not None
    references = {k: v for k, v in result.kb.references.items() if k != "smith2020"}
    kb = replace(result.kb, conditions={}, specimens={}, references=references)
    complete = [str(p) for p in check_cross_references(kb, CheckScope())]
    assert complete == [
        f"{ALPHA}:16:20: unknown citation key 'smith2020'; add it to data/references.bib or fix"
        " the key",
        f"{ALPHA}:17:26: unknown condition 'kidney-disease'; add it to data/conditions.yaml or"
        " fix the id",
        f"{ALPHA}:18:25: unknown specimen 'serum'; add it to data/specimens.yaml or fix the id",
    ]
    scope = CheckScope(
        conditions_known=False,
        specimens_known=False,
        all_biomarkers_loaded=False,
        broken_keys=frozenset({"smith2020"}),
    )
    assert check_cross_references(kb, scope) == []


# --------------------------------------------------------------------------- near-duplicates
# The schemas allow only lowercase ASCII ids, so these records are made from checked ones: the
# cross-checks must not depend on the schema for it.


def _with_claim(biomarker: Biomarker, **changes: object) -> Biomarker:
    """Return the biomarker with its one statement changed."""
    (paragraph,) = biomarker.overview
    (sentence,) = paragraph.sentences
    (claim,) = sentence.claims
    assert isinstance(claim, Statement)
    sentence = replace(sentence, claims=(replace(claim, **changes),))
    return replace(biomarker, overview=(replace(paragraph, sentences=(sentence,)),))


def _letter_case_errors(result: CheckResult, *biomarkers: Biomarker) -> list[str]:
    assert result.kb is not None
    kb = replace(result.kb, biomarkers=biomarkers)
    problems = check_cross_references(kb, CheckScope())
    return [str(p) for p in problems if p.severity is Severity.ERROR]


def test_claim_ids_differing_only_in_case_are_refused_at_the_later(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml()))
    assert result.kb is not None
    (alpha,) = result.kb.biomarkers
    beta = _with_claim(replace(alpha, id="beta"), id="X")
    beta = replace(beta, location=Location("data/biomarkers/beta.yaml", 1, 1))
    assert _letter_case_errors(result, alpha, beta) == [
        f"{ALPHA}:13:13: claim id 'X' differs only in letter case from 'x' (at {ALPHA}:13:13);"
        " rename one of them"
    ]


def test_biomarker_ids_differing_only_in_case_are_refused_at_the_later(tmp_path: Path) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml()))
    assert result.kb is not None
    (alpha,) = result.kb.biomarkers
    other = Location("data/biomarkers/Alpha.yaml", 1, 1)
    upper = _with_claim(replace(alpha, id="Alpha", location=other), id="y")
    assert _letter_case_errors(result, alpha, upper) == [
        f"data/biomarkers/Alpha.yaml:1:1: biomarker id 'Alpha' differs only in letter case from"
        f" 'alpha' (at {ALPHA}:1:1); rename one of them"
    ]


@pytest.mark.parametrize(
    ("which", "new_id", "expected"),
    [
        pytest.param(
            "conditions",
            "Kidney-Disease",
            "data/conditions.yaml:8:5: condition id 'Kidney-Disease' differs only in letter case"
            " from 'kidney-disease' (at data/conditions.yaml:2:5); rename one of them",
            id="condition",
        ),
        pytest.param(
            "specimens",
            "SERUM",
            "data/specimens.yaml:6:5: specimen id 'SERUM' differs only in letter case from"
            " 'serum' (at data/specimens.yaml:2:5); rename one of them",
            id="specimen",
        ),
        pytest.param(
            "conditions",
            "Index",
            "data/conditions.yaml:8:5: condition id 'Index' is reserved by the site; choose"
            " another id",
            id="reserved-in-any-case",
        ),
    ],
)
def test_vocabulary_ids_differing_only_in_case_are_refused(
    tmp_path: Path, which: str, new_id: str, expected: str
) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml()))
    assert result.kb is not None
    conditions = list(result.kb.conditions.values())
    specimens = list(result.kb.specimens.values())
    records: list[Any] = conditions if which == "conditions" else specimens
    at = Location(f"data/{which}.yaml", 8 if which == "conditions" else 6, 5)
    records.append(replace(records[0], id=new_id, location=at))
    assert [str(p) for p in check_vocabulary_ids(conditions, specimens)] == [expected]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"citations": (Citation("\u0455mith2020", "claim", Location(ALPHA, 16, 20)),)},
            f"{ALPHA}:16:20: unknown citation key '\\u0455mith2020'; did you mean 'smith2020'?",
            id="cyrillic-dze-in-a-key",
        ),
        pytest.param(
            {"conditions": ("k\u0456dney-disease",)},
            f"{ALPHA}:13:13: unknown condition 'k\\u0456dney-disease'; did you mean"
            " 'kidney-disease'?",
            id="cyrillic-i-in-a-condition",
        ),
        pytest.param(
            {"specimens": ("ser\u200bum",)},
            f"{ALPHA}:13:13: unknown specimen 'ser\\u200bum'; did you mean 'serum'?",
            id="zero-width-space-in-a-specimen",
        ),
    ],
)
def test_look_alike_letters_are_shown_escaped(
    tmp_path: Path, changes: dict[str, object], expected: str
) -> None:
    result = _check(tmp_path, alpha=biomarker_yaml(body=statement_yaml()))
    assert result.kb is not None
    (alpha,) = result.kb.biomarkers
    assert _letter_case_errors(result, _with_claim(alpha, **changes)) == [expected]
