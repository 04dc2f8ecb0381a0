"""Validate stage: the claim spans in each sentence of a biomarker file agree with its claims.

Input: a biomarker ``YamlFile`` that passed the schema. Output: a ``Problem`` per mistake — span
markup that does not parse, a span naming no claim of its sentence, a claim with no span, a
claim marked twice, a claim id written twice in one sentence, a ``claim_text`` frame with a
placeholder other than ``{words}``. A file with any of these is not assembled. Pure; no I/O.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from biomarker_kb.problems import Problem, did_you_mean, quoted
from biomarker_kb.source_tree import SourceMap
from biomarker_kb.spans import WORDS, Span, parse_spans, walk_spans

if TYPE_CHECKING:
    from collections.abc import Iterator

    from biomarker_kb.load import YamlFile
    from biomarker_kb.problems import Location

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SHOWN_WORDS = 30
"""How much of a span's words a message quotes: enough to find it in a long sentence."""


def check_sentences(document: YamlFile) -> list[Problem]:
    """Return every span and frame mistake in the file's paragraphs and lists."""
    root = document.root
    assert isinstance(root, SourceMap), "bug: sentences checked in a file that failed the schema"
    problems: list[Problem] = []
    for sentence in _sentences(root):
        problems += _check_sentence(sentence)
    for holder in _frame_holders(root):
        problems += _check_frame(holder)
    return problems


def _paragraphs(root: SourceMap) -> list[SourceMap]:
    paragraphs = list(root.get("overview", []))
    return paragraphs + list(root.get("reference_ranges", {}).get("paragraphs", []))


def _sentences(root: SourceMap) -> Iterator[SourceMap]:
    """Yield each sentence of a paragraph and each item of a list, in file order."""
    for paragraph in _paragraphs(root):
        yield from paragraph["sentences"]
    for level_list in root.get("levels", []):
        yield from level_list["items"]


def _frame_holders(root: SourceMap) -> Iterator[SourceMap]:
    """Yield each list, sentence and claim, the maps that may hold a ``claim_text`` frame."""
    yield from root.get("levels", [])
    for sentence in _sentences(root):
        yield sentence
        yield from sentence["claims"]


def _near(text: str, offset: int) -> str:
    """Return the whole words around ``offset``, so a long sentence's mistake is found by eye."""
    start = text.rfind(" ", 0, max(0, offset - 15)) + 1
    end = text.find(" ", offset + 15)
    return repr(text[start : None if end < 0 else end])


def _shown(span: Span) -> str:
    """Return a span as a message quotes it: its words (shortened) and its id."""
    words = span.words
    if len(words) > _SHOWN_WORDS:
        words = words[: _SHOWN_WORDS - 3].rstrip() + "..."
    return f"[{words}]{{{span.claim_id}}}"


def _check_sentence(sentence: SourceMap) -> list[Problem]:
    text = sentence["text"]
    where = sentence.value_location("text")
    parts, mistakes = parse_spans(text)
    if mistakes:
        # Broken markup loses or garbles spans; saying which claims then lack one, or which
        # ids name nothing, would blame one mistake several times. Those checks wait for it.
        return [
            Problem(where, f"in 'text' near {_near(text, m.offset)}: {m.message}") for m in mistakes
        ]
    problems: list[Problem] = []
    claims = _claims_by_id(sentence, problems)
    marked: dict[str, list[Span]] = {}
    for span, _ in walk_spans(parts):
        marked.setdefault(span.claim_id, []).append(span)
    suggested: set[str] = set()
    for claim_id, spans in marked.items():
        if claim_id not in claims:
            problems.append(_names_no_claim(spans[0], claims, marked, suggested, where))
        elif len(spans) > 1:
            message = (
                f"claim {quoted(claim_id)} is marked {len(spans)} times in 'text'; mark its words"
                " once, and give other words their own claim"
            )
            problems.append(Problem(where, message))
    for claim_id, claim in claims.items():
        if claim_id not in marked and claim_id not in suggested:
            message = (
                f"claim {quoted(claim_id)} has no span in its sentence's text; mark its words there"
                f" as [words]{{{claim_id}}}"
            )
            problems.append(Problem(claim.value_location("id"), message))
    return problems


def _claims_by_id(sentence: SourceMap, problems: list[Problem]) -> dict[str, SourceMap]:
    """Return the sentence's claims by id, recording ids written twice in it."""
    claims: dict[str, SourceMap] = {}
    for claim in sentence["claims"]:
        # Reported here, not with other duplicate ids: two claims of one sentence would share
        # its one span, and the second would be lost before the model stage could see it.
        first = claims.setdefault(claim["id"], claim)
        if first is not claim:
            message = (
                f"duplicate claim id {quoted(claim['id'])} (also at {first.location});"
                " ids must be unique"
            )
            problems.append(Problem(claim.location, message))
    return claims


def _names_no_claim(
    span: Span,
    claims: dict[str, SourceMap],
    marked: dict[str, list[Span]],
    suggested: set[str],
    where: Location,
) -> Problem:
    """Explain a span naming no claim; a suggested claim is not also reported as unmarked."""
    # A typo most likely means a claim that has no span: suggest those first.
    unmarked = [c for c in claims if c not in marked]
    hint = did_you_mean(span.claim_id, unmarked) or did_you_mean(span.claim_id, claims)
    if hint:
        suggested.add(hint.split("'")[1])  # ids are slugs: no quote inside
    else:
        hint = f"; add a claim with id: {span.claim_id} under this sentence's claims, or fix the id"
    return Problem(where, f"the span {_shown(span)!r} names no claim of this sentence{hint}")


def _check_frame(holder: SourceMap) -> list[Problem]:
    frame = holder.get("claim_text")
    if frame is None:
        return []
    unknown = [p for p in _PLACEHOLDER.findall(frame) if p != WORDS]
    if not unknown:
        return []
    message = (
        f"'claim_text' has an unknown placeholder (got {unknown[0]!r}); {WORDS} is the only"
        " one, where the claim's words go: write the rest out in full"
    )
    return [Problem(holder.value_location("claim_text"), message)]
