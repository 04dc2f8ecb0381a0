"""Model-stage helper: read a sentence written with claim spans, ``[words]{claim-id}``.

Input: a sentence as an editor wrote it, e.g. ``in those with [leukemia]{prognosis-leukemia}``.
Output: its parts (plain text and ``Span``s, which may nest) and the mistakes found, each at its
character offset. Pure; a mistake is data for the checker, never an exception.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from biomarker_kb.record_pickling import pickled_by_fields

if TYPE_CHECKING:
    from collections.abc import Iterator

WORDS = "{words}"
"""The placeholder a ``claim_text`` frame puts a claim's words in."""

_CLOSING = re.compile(r"\]\{([^{}\[\]]*)\}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ESCAPABLE = "[]{}\\"
_MARKUP = re.compile(r"[\[\]\\]")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Span:
    """The words of one claim inside a sentence; may hold the spans of narrower claims."""

    claim_id: str
    parts: tuple[Part, ...]

    @property
    def words(self) -> str:
        """Return the span's text without markup."""
        return plain_text(self.parts)

    @property
    def lead(self) -> str:
        """Return its text before its first nested span: "Autoimmune disorders, including"."""
        lead: list[str] = []
        for part in self.parts:
            if isinstance(part, Span):
                break
            lead.append(part)
        return "".join(lead).strip()


Part = Union[str, Span]  # noqa: UP007 - a runtime alias: X | Y of a forward reference fails


@dataclass(frozen=True)
class SpanMistake:
    """Something in the markup that is not a claim span, with where it starts."""

    offset: int
    message: str


def plain_text(parts: tuple[Part, ...]) -> str:
    """Return the sentence or span as readers read it, without markup."""
    return "".join(part if isinstance(part, str) else part.words for part in parts)


def walk_spans(
    parts: tuple[Part, ...], parent: Span | None = None
) -> Iterator[tuple[Span, Span | None]]:
    """Yield every span with the span it is nested in, in reading order (outer first)."""
    for part in parts:
        if isinstance(part, Span):
            yield part, parent
            yield from walk_spans(part.parts, part)


# The checker and the model stage both read every sentence; the second read is a look-up.
@functools.lru_cache(maxsize=1 << 17)
def parse_spans(text: str) -> tuple[tuple[Part, ...], tuple[SpanMistake, ...]]:
    r"""Return the parts of ``text`` and the markup mistakes in it.

    ``[`` opens a span and ``]{claim-id}`` closes it; ``\\[``, ``\\]``, ``\\{``, ``\\}`` and
    ``\\\\`` stand for the character itself.
    """
    # Each open span: (offset of its "[", its parts so far); the sentence itself at the bottom.
    stack: list[tuple[int, list[Part]]] = [(-1, [])]
    mistakes: list[SpanMistake] = []
    buffer: list[str] = []
    at = 0
    while at < len(text):
        # Plain text up to the next markup character is taken whole: sentences are long, and
        # looking at each character made this a tenth of checking (N=1000).
        special = _MARKUP.search(text, at)
        if special is None:
            buffer.append(text[at:])
            break
        if special.start() > at:
            buffer.append(text[at : special.start()])
            at = special.start()
        char = text[at]
        if char == "\\" and at + 1 < len(text) and text[at + 1] in _ESCAPABLE:
            buffer.append(text[at + 1])
            at += 2
            continue
        if char == "[":
            _flush(buffer, stack[-1][1])
            stack.append((at, []))
            at += 1
            continue
        if char == "]":
            at = _close(text, at, stack, buffer, mistakes)
            continue
        buffer.append(char)
        at += 1
    _flush(buffer, stack[-1][1])
    while len(stack) > 1:
        start, parts = stack.pop()
        mistakes.append(
            SpanMistake(
                start, "'[' opens a claim span that is never closed; end it with ]{claim-id}"
            )
        )
        stack[-1][1].append("[")
        stack[-1][1].extend(parts)
    return _merged(stack[0][1]), tuple(mistakes)


def _close(
    text: str,
    at: int,
    stack: list[tuple[int, list[Part]]],
    buffer: list[str],
    mistakes: list[SpanMistake],
) -> int:
    """Close the innermost span at the "]" at ``at``; return where reading goes on."""
    _flush(buffer, stack[-1][1])
    closing = _CLOSING.match(text, at)
    if len(stack) == 1:
        mistakes.append(
            SpanMistake(
                at,
                "']' closes no claim span; mark a claim as [words]{claim-id},"
                " or write \\] for a bracket",
            )
        )
        stack[-1][1].append("]")
        return at + 1
    if closing is None:
        mistakes.append(
            SpanMistake(at, "']' must be followed by the claim's id in braces, e.g. ]{claim-id}")
        )
        start, parts = stack.pop()
        stack[-1][1].extend(["[", *parts, "]"])
        return at + 1
    claim_id = closing.group(1)
    start, parts = stack.pop()
    if not _SLUG.fullmatch(claim_id):
        mistakes.append(
            SpanMistake(
                at + 2,
                f"claim id {claim_id!r} in a span is not a slug; use lowercase letters, digits"
                " and single hyphens",
            )
        )
    if not plain_text(tuple(parts)).strip():
        mistakes.append(
            SpanMistake(
                start, f"the span of claim {claim_id!r} has no words; put them between [ and ]"
            )
        )
    stack[-1][1].append(Span(claim_id, _merged(parts)))
    return closing.end()


def _flush(buffer: list[str], parts: list[Part]) -> None:
    if buffer:
        parts.append("".join(buffer))
        buffer.clear()


def _merged(parts: list[Part]) -> tuple[Part, ...]:
    """Join neighbouring strings, so a sentence's text is one part between spans."""
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return tuple(merged)


def fill_frame(frame: str, words: str) -> str:
    """Return a claim's stand-alone sentence: ``frame`` with its words, capitalised and ended.

    The first letter is capitalised unless its word already mixes cases ("eGFR", "pH"); a
    period the frame puts after words that end a sentence already ("etc.", "...", "?") is
    dropped.
    """
    frame = frame.strip()
    if frame.endswith(WORDS + ".") and words.rstrip().endswith((".", "?", "!")):
        frame = frame[:-1]
    sentence = " ".join(frame.replace(WORDS, words).split())
    first = sentence.split(" ", 1)[0]
    if not any(char.isupper() for char in first[1:]):
        sentence = sentence[:1].upper() + sentence[1:]
    return sentence
