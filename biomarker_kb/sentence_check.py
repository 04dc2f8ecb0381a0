"""Validate stage: the claim spans in each sentence of a biomarker file agree with its claims.

Input: a biomarker ``YamlFile`` that passed the schema. Output: a ``Problem`` per mistake — span
markup that does not parse, a span naming no claim of its sentence, a claim with no span, a
claim marked twice, a ``claim_text`` frame with a placeholder other than ``{words}``. A file
with any of these is not assembled. Pure; no I/O.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from biomarker_kb.problems import Problem, did_you_mean
from biomarker_kb.source_tree import SourceMap
from biomarker_kb.spans import WORDS, parse_spans, walk_spans

if TYPE_CHECKING:
    from collections.abc import Iterator

    from biomarker_kb.load import YamlFile

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def check_sentences(document: YamlFile) -> list[Problem]:
    """Return every span and frame mistake in the file's paragraphs and lists."""
    root = document.root
    assert isinstance(root, SourceMap), "bug: sentences checked in a file that failed the schema"
    problems: list[Problem] = []
    for sentence, frames in _sentences(root):
        problems += _check_sentence(sentence)
        for holder, name in frames:
            problems += _check_frame(holder, name)
    return problems


def _sentences(root: SourceMap) -> Iterator[tuple[SourceMap, list[tuple[SourceMap, str]]]]:
    """Yield each sentence with the maps that may hold a ``claim_text`` frame for it."""
    paragraphs = list(root.get("overview", []))
    paragraphs += root.get("reference_ranges", {}).get("paragraphs", [])
    for paragraph in paragraphs:
        for sentence in paragraph["sentences"]:
            yield (
                sentence,
                [(sentence, "claim_text"), *((c, "claim_text") for c in sentence["claims"])],
            )
    for level_list in root.get("levels", []):
        frames = [(level_list, "claim_text")]
        for item in level_list["items"]:
            yield (
                item,
                [*frames, (item, "claim_text"), *((c, "claim_text") for c in item["claims"])],
            )


def _near(text: str, offset: int) -> str:
    """Return the words around ``offset``, so a long sentence's mistake can be found by eye."""
    return repr(text[max(0, offset - 15) : offset + 15])


def _check_sentence(sentence: SourceMap) -> list[Problem]:
    parts, mistakes = parse_spans(sentence["text"])
    where = sentence.value_location("text")
    problems = [
        Problem(where, f"in 'text' near {_near(sentence['text'], m.offset)}: {m.message}")
        for m in mistakes
    ]
    claims = {c["id"]: c for c in sentence["claims"] if isinstance(c.get("id"), str)}
    marked: dict[str, int] = {}
    for span, _ in walk_spans(parts):
        marked[span.claim_id] = marked.get(span.claim_id, 0) + 1
    for claim_id, count in marked.items():
        if claim_id not in claims:
            hint = did_you_mean(claim_id, claims) or (
                f"; add a claim with id: {claim_id} under this sentence's claims, or fix the id"
            )
            problems.append(
                Problem(where, f"the span ...]{{{claim_id}}} names no claim of this sentence{hint}")
            )
        elif count > 1:
            problems.append(
                Problem(
                    where,
                    f"claim {claim_id!r} is marked {count} times in 'text'; mark its words once",
                )
            )
    for claim_id, claim in claims.items():
        if claim_id not in marked:
            problems.append(
                Problem(
                    claim.value_location("id"),
                    f"claim {claim_id!r} has no span in its sentence's text; mark its words there"
                    f" as [words]{{{claim_id}}}",
                )
            )
    return problems


def _check_frame(holder: SourceMap, name: str) -> list[Problem]:
    frame = holder.get(name)
    if not isinstance(frame, str):
        return []
    unknown = [p for p in _PLACEHOLDER.findall(frame) if p != WORDS]
    if not unknown:
        return []
    return [
        Problem(
            holder.value_location(name),
            f"{name!r} has the placeholder {unknown[0]!r}; the only placeholder is {WORDS},"
            " where the claim's words go",
        )
    ]
