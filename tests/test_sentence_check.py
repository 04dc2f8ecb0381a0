"""Validate stage: each sentence's claim spans agree with its claims, with located messages."""

from __future__ import annotations

import pytest

from biomarker_kb.load import parse_document
from biomarker_kb.schema_check import check_against_schema
from biomarker_kb.sentence_check import check_sentences
from tests.helpers import biomarker_yaml

PATH = "data/biomarkers/alpha.yaml"


def _paragraph(text: str, *claim_ids: str, extra: str = "") -> str:
    """Return an overview of one sentence: ``text`` on line 12, its claims' ids from line 14."""
    claims = "".join(
        f"          - id: {claim_id}\n            type: statement\n            topic: physiology\n"
        for claim_id in claim_ids
    )
    return (
        (
            "overview:\n"  # line 9
            "  - cite: [smith2020]\n"  # line 10
            "    sentences:\n"  # line 11
            f"      - text: {text}\n"  # line 12, the value at column 15
            "        claims:\n"  # line 13
        )
        + claims
        + extra
    )


def _problems(body: str) -> list[str]:
    document, load_problems = parse_document(biomarker_yaml(body=body), PATH)
    assert load_problems == []
    assert [str(p) for p in check_against_schema(document, "biomarker")] == []
    return [str(p) for p in check_sentences(document)]


UNKNOWN_FRAME = '"{words} in {specimen}."'
TEXT = f"{PATH}:12:15"
"""Where the sentence's text starts: messages about its markup point there."""


def test_a_sentence_whose_spans_match_its_claims_has_no_problem() -> None:
    body = _paragraph('"Found in [a]{a}, [b]{b} and [c, including [d]{d}]{c}."', "a", "b", "c", "d")
    assert _problems(body) == []


CASES = [
    pytest.param(
        _paragraph('"Rises in [lymphoma and more."', "a"),
        [
            f"{TEXT}: in 'text' near 'Rises in [lymphoma and more.': '[' opens a claim span that is"
            " never closed; end it with ]{claim-id}"
        ],
        id="span-unclosed",
    ),
    pytest.param(
        _paragraph('"[Rises]{a} in] lymphoma."', "a"),
        [
            f"{TEXT}: in 'text' near '[Rises]{{a}} in] lymphoma.': ']' closes no claim span; mark"
            " a claim as [words]{claim-id}, or write \\] for a bracket"
        ],
        id="span-stray-bracket",
    ),
    pytest.param(
        _paragraph('"Rises in [lymphoma]."', "a"),
        [
            f"{TEXT}: in 'text' near 'Rises in [lymphoma].': ']' must be followed by the claim's"
            " id in braces, e.g. ]{claim-id}"
        ],
        id="span-without-id",
    ),
    pytest.param(
        _paragraph('"Rises in [lymphoma]{Lymphoma}."', "lymphoma"),
        [
            f"{TEXT}: in 'text' near 'Rises in [lymphoma]{{Lymphoma}}.': claim id 'Lymphoma' in a"
            " span is not a slug; use lowercase letters, digits and single hyphens"
        ],
        id="span-id-not-slug",
    ),
    pytest.param(
        _paragraph('"Rises in [ ]{a}."', "a"),
        [
            f"{TEXT}: in 'text' near 'Rises in [ ]{{a}}.': the span of claim 'a' has no words;"
            " put them between [ and ]"
        ],
        id="span-empty",
    ),
    pytest.param(
        _paragraph('"Rises in [lymphoma]{lymphom}."', "lymphoma"),
        [
            f"{TEXT}: the span '[lymphoma]{{lymphom}}' names no claim of this sentence;"
            " did you mean 'lymphoma'?"
        ],
        id="span-names-no-claim-did-you-mean",
    ),
    pytest.param(
        _paragraph('"Rises in [lymphoma]{a} and [gout]{gout}."', "a"),
        [
            f"{TEXT}: the span '[gout]{{gout}}' names no claim of this sentence; add a claim"
            " with id: gout under this sentence's claims, or fix the id"
        ],
        id="span-names-no-claim",
    ),
    pytest.param(
        _paragraph('"In [those with a very long name of a disease, including [b]{b}]{zzz}."', "b"),
        [
            f"{TEXT}: the span '[those with a very long name...]{{zzz}}' names no claim of this"
            " sentence; add a claim with id: zzz under this sentence's claims, or fix the id"
        ],
        id="long-span-shortened",
    ),
    pytest.param(
        _paragraph('"Rises in [lymphoma]{a}."', "a", "b"),
        [
            f"{PATH}:17:17: claim 'b' has no span in its sentence's text; mark its words there"
            " as [words]{b}"
        ],
        id="claim-without-span",
    ),
    pytest.param(
        _paragraph('"Rises in lymphoma."', "a", "b"),
        [
            f"{PATH}:14:17: claim 'a' has no span in its sentence's text; mark its words there"
            " as [words]{a}",
            f"{PATH}:17:17: claim 'b' has no span in its sentence's text; mark its words there"
            " as [words]{b}",
        ],
        id="no-span-at-all",
    ),
    pytest.param(
        _paragraph('"[Lymphoma]{a} and [leukemia]{a}."', "a"),
        [
            f"{TEXT}: claim 'a' is marked 2 times in 'text'; mark its words once, and give"
            " other words their own claim"
        ],
        id="claim-marked-twice",
    ),
    pytest.param(
        _paragraph(
            "'[Lymphoma]{a}.'", "a", extra='            claim_text: "{words} in {specimen}."\n'
        ),
        [
            f"{PATH}:17:25: 'claim_text' has an unknown placeholder (got '{{specimen}}');"
            " {words} is the only one, where the claim's words go: write the rest out in full"
        ],
        id="frame-unknown-placeholder",
    ),
]


@pytest.mark.parametrize(("body", "expected"), CASES)
def test_each_mistake_has_its_located_message(body: str, expected: list[str]) -> None:
    assert _problems(body) == expected


# ------------------------------------------------------------------- one mistake, one message


def test_broken_markup_is_not_also_blamed_on_the_claims() -> None:
    # The unclosed "[" swallows the span of 'b': 'b' is not reported as unmarked, nor 'a' twice.
    problems = _problems(_paragraph('"[Lymphoma]{a} and [leukemia"', "a", "b"))
    assert len(problems) == 1
    assert "'[' opens a claim span that is never closed" in problems[0]


def test_a_misspelled_span_id_is_not_also_a_claim_without_span() -> None:
    problems = _problems(_paragraph('"[Lymphoma]{a} and [leukemia]{leukemi}."', "a", "leukemia"))
    assert problems == [
        f"{TEXT}: the span '[leukemia]{{leukemi}}' names no claim of this sentence;"
        " did you mean 'leukemia'?"
    ]


def test_a_claim_id_twice_in_one_sentence_is_a_duplicate_not_a_lost_claim() -> None:
    # Both claims would share the one span, and the model stage would keep only one of them.
    assert _problems(_paragraph('"[Lymphoma]{a}."', "a", "a")) == [
        f"{PATH}:17:13: duplicate claim id 'a' (also at {PATH}:14:13); ids must be unique"
    ]


def test_a_span_names_a_claim_of_its_own_sentence_only() -> None:
    body = _paragraph('"[Lymphoma]{a}."', "a") + (
        "      - text: '[Leukemia]{a} too.'\n"  # line 17
        "        claims:\n"
        "          - id: b\n"  # line 19
        "            type: statement\n"
        "            topic: physiology\n"
    )
    assert _problems(body) == [
        f"{PATH}:17:15: the span '[Leukemia]{{a}}' names no claim of this sentence;"
        " add a claim with id: a under this sentence's claims, or fix the id",
        f"{PATH}:19:17: claim 'b' has no span in its sentence's text; mark its words there"
        " as [words]{b}",
    ]


# --------------------------------------------------------------------------- lists and frames

LIST = (
    "levels:\n"  # line 9
    "  - title: Increased serum levels\n"
    "    specimen: serum\n"
    "    direction: increased\n"
    "    cite: [smith2020]\n"
    '    claim_text: "Serum levels rise in {words} ({n})."\n'  # line 14, value at column 17
    "    items:\n"
    "      - text: '[Group, especially [a]{a}]{group}'\n"  # line 16
    "        claims:\n"
    "          - id: group\n"
    "            condition: malignancy\n"
    "          - id: a\n"
    "            condition: kidney-disease\n"
    "      - text: '[Other]{b}'\n"  # line 22
    "        claims:\n"
    "          - id: b\n"
    "            condition: malignancy\n"
)


def test_a_list_frame_is_reported_once_not_once_per_item() -> None:
    assert _problems(LIST) == [
        f"{PATH}:14:17: 'claim_text' has an unknown placeholder (got '{{n}}'); {{words}} is the"
        " only one, where the claim's words go: write the rest out in full"
    ]


def test_nested_spans_in_a_list_item_match_its_claims() -> None:
    assert _problems(LIST.replace(" ({n})", "")) == []


@pytest.mark.parametrize(
    "where",
    [
        pytest.param("sentence", id="sentence"),
        pytest.param("claim", id="claim"),
    ],
)
def test_a_frame_is_checked_on_a_sentence_and_on_a_claim(where: str) -> None:
    frame = '"{words} {x}."\n'
    if where == "sentence":
        body = _paragraph("'[A]{a}.'", "a").replace(
            "        claims:\n", f"        claim_text: {frame}        claims:\n"
        )
        location = f"{PATH}:13:21"
    else:
        body = _paragraph("'[A]{a}.'", "a", extra=f"            claim_text: {frame}")
        location = f"{PATH}:17:25"
    [problem] = _problems(body)
    assert problem.startswith(f"{location}: 'claim_text' has an unknown placeholder (got '{{x}}')")


def test_the_reference_ranges_paragraphs_are_checked_too() -> None:
    body = (
        "reference_ranges:\n"  # line 9
        "  paragraphs:\n"
        "    - cite: [smith2020]\n"
        "      sentences:\n"
        "        - text: '[No range]{a} is known.'\n"  # line 13
        "          claims:\n"
        "            - id: b\n"  # line 15
        "              type: statement\n"
        "              topic: clinical-use\n"
    )
    assert _problems(body) == [
        f"{PATH}:13:17: the span '[No range]{{a}}' names no claim of this sentence; add"
        " a claim with id: a under this sentence's claims, or fix the id",
        f"{PATH}:15:19: claim 'b' has no span in its sentence's text; mark its words there"
        " as [words]{b}",
    ]


def test_a_frame_without_words_is_the_schema_s_to_report() -> None:
    body = _paragraph("'[A]{a}.'", "a", extra="            claim_text: Found in serum.\n")
    document, _ = parse_document(biomarker_yaml(body=body), PATH)
    assert [str(p) for p in check_against_schema(document, "biomarker")] == [
        f"{PATH}:17:25: 'claim_text' has no {{words}} (got 'Found in serum.'); write the"
        " stand-alone sentence with {words} where the claim's words go, e.g. 'Serum B2M is"
        " increased in {words}.'"
    ]
