"""Claim spans: a sentence written as ``[words]{claim-id}`` parts, its mistakes and its frames."""

from __future__ import annotations

import pytest

from biomarker_kb.spans import (
    WORDS,
    Part,
    Span,
    SpanMistake,
    fill_frame,
    parse_spans,
    plain_text,
    walk_spans,
)

UNCLOSED = "'[' opens a claim span that is never closed; end it with ]{claim-id}"
STRAY = "']' closes no claim span; mark a claim as [words]{claim-id}, or write \\] for a bracket"
NO_ID = "']' must be followed by the claim's id in braces, e.g. ]{claim-id}"
SLUG_HINT = "use lowercase letters, digits and single hyphens"

# --------------------------------------------------------------------------- parsing

PARSED = [
    pytest.param("Plain words, no claim.", ("Plain words, no claim.",), id="plain-text"),
    pytest.param("", (), id="empty"),
    pytest.param("[A fact]{x}", (Span("x", ("A fact",)),), id="whole-sentence"),
    pytest.param(
        "found in [all nucleated cells]{cells}, including [macrophages]{macrophages}.",
        (
            "found in ",
            Span("cells", ("all nucleated cells",)),
            ", including ",
            Span("macrophages", ("macrophages",)),
            ".",
        ),
        id="two-spans",
    ),
    pytest.param(
        "[Viral infections, especially [HIV]{hiv} and [cytomegalovirus]{cmv}]{viral}",
        (
            Span(
                "viral",
                (
                    "Viral infections, especially ",
                    Span("hiv", ("HIV",)),
                    " and ",
                    Span("cmv", ("cytomegalovirus",)),
                ),
            ),
        ),
        id="nested-spans",
    ),
    pytest.param(
        "[a [b [c]{c}]{b}]{a}",
        (Span("a", ("a ", Span("b", ("b ", Span("c", ("c",)))))),),
        id="nested-three-deep",
    ),
    pytest.param(
        "[Drug-induced renal toxicity]{urine-up-drug-2}",
        (Span("urine-up-drug-2", ("Drug-induced renal toxicity",)),),
        id="id-with-hyphens-and-digits",
    ),
    pytest.param(
        r"Levels \[sic\] rise in [CKD \{stage 3\}]{ckd}",
        ("Levels [sic] rise in ", Span("ckd", ("CKD {stage 3}",))),
        id="escaped-brackets-and-braces",
    ),
    pytest.param(r"a \\ b", ("a \\ b",), id="escaped-backslash"),
    pytest.param(r"a \\[b]{x}", ("a \\", Span("x", ("b",))), id="escaped-backslash-then-span"),
    pytest.param(r"a \q b", ("a \\q b",), id="other-backslash-kept"),
    pytest.param("trailing \\", ("trailing \\",), id="final-backslash-kept"),
    pytest.param("ratio {x} of", ("ratio {x} of",), id="braces-outside-a-span-are-text"),
]


@pytest.mark.parametrize(("text", "parts"), PARSED)
def test_parse_spans_returns_the_parts(text: str, parts: tuple[Part, ...]) -> None:
    assert parse_spans(text) == (parts, ())


MISTAKES = [
    pytest.param("Rises in [lymphoma", [SpanMistake(9, UNCLOSED)], id="span-unclosed"),
    pytest.param(
        "[a [b]{b} and more",
        [SpanMistake(0, UNCLOSED)],
        id="outer-span-unclosed",
    ),
    pytest.param(
        "[a [b and [c",
        [SpanMistake(10, UNCLOSED), SpanMistake(3, UNCLOSED), SpanMistake(0, UNCLOSED)],
        id="three-unclosed-innermost-first",
    ),
    pytest.param("Rises] in lymphoma", [SpanMistake(5, STRAY)], id="span-stray-bracket"),
    pytest.param("[a]{x} and b]", [SpanMistake(12, STRAY)], id="stray-after-a-span"),
    pytest.param("Rises in [lymphoma]", [SpanMistake(18, NO_ID)], id="span-without-id"),
    pytest.param("[lymphoma] {x}", [SpanMistake(9, NO_ID)], id="space-before-id"),
    pytest.param("[lymphoma](x)", [SpanMistake(9, NO_ID)], id="id-in-parentheses"),
    pytest.param("[lymphoma]{x", [SpanMistake(9, NO_ID)], id="id-brace-unclosed"),
    pytest.param(
        "[lymphoma]{Lymphoma_1}",
        [SpanMistake(11, f"claim id 'Lymphoma_1' in a span is not a slug; {SLUG_HINT}")],
        id="span-id-not-slug",
    ),
    pytest.param(
        "[lymphoma]{}",
        [SpanMistake(11, f"claim id '' in a span is not a slug; {SLUG_HINT}")],
        id="empty-id",
    ),
    pytest.param(
        "in [ ]{x}",
        [SpanMistake(3, "the span of claim 'x' has no words; put them between [ and ]")],
        id="span-empty",
    ),
    pytest.param(
        "[]{x}",
        [SpanMistake(0, "the span of claim 'x' has no words; put them between [ and ]")],
        id="span-empty-no-space",
    ),
    pytest.param(
        "[[a]{b}]{c}",
        [],
        id="only-a-nested-span-is-words",
    ),
]


@pytest.mark.parametrize(("text", "mistakes"), MISTAKES)
def test_each_mistake_is_found_at_its_offset(text: str, mistakes: list[SpanMistake]) -> None:
    assert list(parse_spans(text)[1]) == mistakes


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        pytest.param("Rises in [lymphoma", "Rises in [lymphoma", id="unclosed"),
        pytest.param("Rises] in", "Rises] in", id="stray"),
        pytest.param("[lymphoma] x", "[lymphoma] x", id="without-id"),
        pytest.param("[a [b]{b} c", "[a b c", id="unclosed-around-a-span"),
    ],
)
def test_a_mistake_keeps_every_character_as_text(text: str, plain: str) -> None:
    parts, mistakes = parse_spans(text)
    assert mistakes
    assert plain_text(parts) == plain


def test_an_unclosed_span_keeps_the_spans_inside_it() -> None:
    parts, _ = parse_spans("[a [b]{b} c")
    assert [span.claim_id for span, _ in walk_spans(parts)] == ["b"]


def test_a_span_with_a_bad_id_is_still_a_span() -> None:
    # The checker then says what is wrong with the id once, rather than losing the words.
    parts, _ = parse_spans("[lymphoma]{Lymphoma}")
    assert parts == (Span("Lymphoma", ("lymphoma",)),)


# --------------------------------------------------------------------------- reading the parts


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        pytest.param("no span", "no span", id="plain"),
        pytest.param(
            "found in [all nucleated cells]{cells}, including [macrophages]{m}.",
            "found in all nucleated cells, including macrophages.",
            id="spans",
        ),
        pytest.param(
            "[Viral infections, especially [HIV]{hiv} and [cytomegalovirus]{cmv}]{viral}",
            "Viral infections, especially HIV and cytomegalovirus",
            id="nested",
        ),
        pytest.param(r"\[sic\] [a\]b]{x}", "[sic] a]b", id="escapes"),
    ],
)
def test_plain_text_is_the_sentence_without_markup(text: str, plain: str) -> None:
    assert plain_text(parse_spans(text)[0]) == plain


def test_walk_spans_yields_outer_before_inner_in_reading_order_with_parents() -> None:
    parts, _ = parse_spans("[A, including [b]{b} and [c [d]{d}]{c}]{a}, then [e]{e}.")
    walked = [(span.claim_id, parent and parent.claim_id) for span, parent in walk_spans(parts)]
    assert walked == [("a", None), ("b", "a"), ("c", "a"), ("d", "c"), ("e", None)]


def test_walk_spans_of_plain_text_yields_nothing() -> None:
    assert list(walk_spans(("plain",))) == []


@pytest.mark.parametrize(
    ("text", "words", "lead"),
    [
        pytest.param("[Lymphoma]{x}", "Lymphoma", "Lymphoma", id="no-nested-span"),
        pytest.param(
            "[Autoimmune disorders, including [Crohn’s]{crohns}, and [lupus]{lupus}]{x}",
            "Autoimmune disorders, including Crohn’s, and lupus",
            "Autoimmune disorders, including",
            id="before-the-first-nested-span",
        ),
        pytest.param("[[HIV]{hiv} and others]{x}", "HIV and others", "", id="starts-nested"),
        pytest.param("[  padded [b]{b}]{x}", "  padded b", "padded", id="stripped"),
    ],
)
def test_span_words_and_lead(text: str, words: str, lead: str) -> None:
    span = parse_spans(text)[0][0]
    assert isinstance(span, Span)
    assert (span.words, span.lead) == (words, lead)


# --------------------------------------------------------------------------- frames


@pytest.mark.parametrize(
    ("frame", "words", "sentence"),
    [
        pytest.param(f"{WORDS}.", "a small protein", "A small protein.", id="default-frame"),
        pytest.param(
            f"Higher serum B2M levels are associated with poorer prognosis in those with {WORDS}.",
            "leukemia",
            "Higher serum B2M levels are associated with poorer prognosis in those with leukemia.",
            id="words-in-the-middle",
        ),
        pytest.param(
            f"{WORDS} beta-2 microglobulin.",
            "the kidney clears",
            "The kidney clears beta-2 microglobulin.",
            id="capitalised",
        ),
        pytest.param(
            f"Increased serum levels: {WORDS}",
            "lymphomas",
            "Increased serum levels: lymphomas",
            id="list-frame-no-period",
        ),
        pytest.param(
            f"{WORDS}.",
            "There is no optimal range.",
            "There is no optimal range.",
            id="doubled-period-removed",
        ),
        pytest.param(f"{WORDS}", "Wait...", "Wait...", id="ellipsis-kept"),
        pytest.param(f"{WORDS}.", "wait...", "Wait...", id="no-period-after-an-ellipsis"),
        pytest.param(f"Is it {WORDS}.", "true?", "Is it true?", id="no-period-after-a-question"),
        pytest.param(f"{WORDS} is raised.", "eGFR", "eGFR is raised.", id="mixed-case-kept"),
        pytest.param(f"{WORDS}.", "serum  levels", "Serum levels.", id="spaces-folded"),
        pytest.param(f"  {WORDS}.  ", "x", "X.", id="stripped"),
        pytest.param(f"{WORDS} and {WORDS}.", "a", "A and a.", id="placeholder-twice"),
        pytest.param("No placeholder.", "x", "No placeholder.", id="no-placeholder"),
        pytest.param(f"{WORDS}.", "", ".", id="no-words"),
    ],
)
def test_fill_frame(frame: str, words: str, sentence: str) -> None:
    assert fill_frame(frame, words) == sentence
