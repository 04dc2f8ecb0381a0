"""Benchmark input: write a synthetic knowledge base shaped like the real one.

Input: a number of biomarkers N and a folder. Output: ``data/`` files in that folder — N
biomarker files of 90 claims each (48 in paragraphs, 30 in lists, 8 ranges, 4 takeaways),
a condition vocabulary that grows with N (3 N + 20), three specimens, and a bibliography of
2 N + 1 entries. As in the real data, a paragraph holds several sentences, each marking 1 to 8
claims as ``[words]{claim-id}`` under one ``claim_text`` frame, some claims with ``words`` of
their own; a list item marks one claim, a few, or a group with nested spans. Deterministic: the
same N always writes the same files. No medical content.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from biomarker_kb.spans import WORDS

if TYPE_CHECKING:
    from pathlib import Path

PARAGRAPHS = 4
CLAIMS_PER_PARAGRAPH = 12
MAX_CLAIMS_PER_SENTENCE = 8
CLAIMS_PER_LIST = 15
RANGES = 8
TAKEAWAYS = 4
SPECIMENS = ("serum", "urine", "csf")
MODELINE = "# yaml-language-server: $schema=../../biomarker_kb/schema/biomarker.schema.json\n"


def condition_count(n: int) -> int:
    """Return the size of the condition vocabulary for N biomarkers."""
    return 3 * n + 20


def write_knowledge_base(n: int, root: Path) -> Path:
    """Write the synthetic ``data/`` below ``root`` and return its path."""
    data = root / "data"
    (data / "biomarkers").mkdir(parents=True, exist_ok=True)
    conditions = [f"condition-{i:05d}" for i in range(condition_count(n))]
    _write(data / "specimens.yaml", _specimens())
    _write(data / "conditions.yaml", _conditions(conditions))
    _write(data / "references.bib", _bibliography(n))
    for index in range(n):
        rng = random.Random(index)
        _write(data / "biomarkers" / f"marker-{index:05d}.yaml", _biomarker(index, conditions, rng))
    return data


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _specimens() -> str:
    lines = ["specimens:"]
    for specimen in SPECIMENS:
        lines += [f"  - id: {specimen}", f"    name: {specimen.capitalize()}"]
    return "\n".join(lines) + "\n"


def _conditions(ids: list[str]) -> str:
    lines = ["conditions:"]
    for index, condition_id in enumerate(ids):
        kind = ("disease", "finding", "exposure", "group")[index % 4]
        lines += [
            f"  - id: {condition_id}",
            f"    name: Condition {index}",
            f"    kind: {kind}",
            f"    category: Category {index % 12}",
            f"    synonyms: [Synonym {index}]",
        ]
        if index >= 4 and index % 4 != 3:  # every non-group links to a group
            lines.append(f"    broader: [{ids[index - index % 4 + 3 - 4]}]")
    return "\n".join(lines) + "\n"


def _bibliography(n: int) -> str:
    entries = []
    for index in range(n):
        entries.append(
            f"@online{{post-{index:05d},\n  organization = {{Example Blog}},\n"
            f"  title = {{Marker {index}: An Overview}},\n  year = {{2023}}\n}}\n"
        )
        entries.append(
            f"@article{{paper-{index:05d},\n  author = {{Author, Ann and Writer, Bo}},\n"
            f"  title = {{Study {index}}},\n  journal = {{Journal of Examples}},\n"
            f"  year = {{2021}},\n  volume = {{3}},\n  pages = {{10-20}},\n"
            f"  doi = {{10.1234/example.{index}}}\n}}\n"
        )
    entries.append(
        "@book{shared-book,\n  author = {Smith, Jane},\n  title = {Lab Tests},\n"
        "  publisher = {Example Press},\n  year = {2020}\n}\n"
    )
    return "\n".join(entries)


def _phrase(words: list[str]) -> str:
    """Join words as a sentence lists them: "a", "a and b", "a, b, and c"."""
    if len(words) < 3:
        return " and ".join(words)
    return f"{', '.join(words[:-1])}, and {words[-1]}"


def _quoted(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar (the generator writes no quote marks)."""
    assert not set(text) & {'"', "\\"}, f"bug: unquotable synthetic text {text!r}"
    return f'"{text}"'


def _condition_span(
    claim_id: str, condition: str, rng: random.Random, capital: bool = False
) -> tuple[str, list[str]]:
    """Return a condition's span and, for an abbreviated one, the ``words`` that stand alone."""
    number = int(condition.rsplit("-", 1)[1])
    if rng.random() < 0.2:  # the post abbreviates; the stand-alone sentence spells it out
        return f"[C{number}]{{{claim_id}}}", [f"            words: condition {number}"]
    name = "Condition" if capital else "condition"
    return f"[{name} {number}]{{{claim_id}}}", []


def _association_sentence(
    ids: list[str], index: int, conditions: list[str], rng: random.Random
) -> list[str]:
    specimen = rng.choice(SPECIMENS[:2])
    spans: list[str] = []
    claims: list[str] = []
    for claim_id in ids:
        condition = rng.choice(conditions)
        span, words = _condition_span(claim_id, condition, rng)
        spans.append(span)
        claims += [
            f"          - id: {claim_id}",
            "            type: association",
            f"            condition: {condition}",
            f"            specimen: {specimen}",
            "            direction: increased",
            *words,
        ]
    frame = f"Higher {specimen} levels of marker {index} are seen in {WORDS}."
    return [
        f"      - text: {_quoted(frame.replace(WORDS, _phrase(spans)))}",
        f"        claim_text: {_quoted(frame)}",
        "        claims:",
        *claims,
    ]


def _statement_sentence(ids: list[str], index: int, rng: random.Random) -> list[str]:
    frame = f"Marker {index} takes part in {WORDS}."
    processes = [f"[process {rng.randrange(100)}]{{{claim_id}}}" for claim_id in ids]
    claims: list[str] = []
    for claim_id in ids:
        claims += [
            f"          - id: {claim_id}",
            "            type: statement",
            "            topic: physiology",
        ]
    if len(ids) > 1 and rng.random() < 0.5:
        # The sentence opens with a claim that is a whole clause, so it has a frame of its own.
        opening = f"[Marker {index} is a small protein]{{{ids[0]}}}"
        text = f"{opening} that takes part in {_phrase(processes[1:])}."
        claims.insert(3, f"            claim_text: {_quoted(f'{WORDS}.')}")
    else:
        text = frame.replace(WORDS, _phrase(processes))
    return [
        f"      - text: {_quoted(text)}",
        f"        claim_text: {_quoted(frame)}",
        "        claims:",
        *claims,
    ]


def _paragraph(
    prefix: str, paragraph: int, index: int, conditions: list[str], rng: random.Random
) -> list[str]:
    lines = [f"  - cite: [paper-{index:05d}, shared-book]", "    sentences:"]
    ids = [f"{prefix}-p{paragraph}-c{claim}" for claim in range(CLAIMS_PER_PARAGRAPH)]
    while ids:
        size = min(rng.randint(1, MAX_CLAIMS_PER_SENTENCE), len(ids))
        taken, ids = ids[:size], ids[size:]
        if rng.random() < 0.5:
            sentence = _association_sentence(taken, index, conditions, rng)
        else:
            sentence = _statement_sentence(taken, index, rng)
        if rng.random() < 0.2:  # a source given for this sentence alone
            sentence.insert(1, f"        cite: [post-{index:05d}]")
        lines += sentence
    return lines


def _biomarker(index: int, conditions: list[str], rng: random.Random) -> str:
    prefix = f"m{index:05d}"
    lines = [
        MODELINE.rstrip("\n"),
        f"id: marker-{index:05d}",
        f"name: Marker {index}",
        f"aliases: [M{index}]",
        "summary: A synthetic article for the benchmark.",
        "original_post:",
        f"  cite: post-{index:05d}",
        f'  title: "Marker {index}: An Overview"',
        '  published: "2023-09-07"',
        'last_reviewed: "2026-11-25"',
        "tests:",
        "  - specimen: serum",
        "overview:",
    ]
    for paragraph in range(PARAGRAPHS):
        lines += _paragraph(prefix, paragraph, index, conditions, rng)
    lines += _levels(prefix, index, conditions, rng)
    lines += _ranges(prefix, index)
    lines.append("takeaways:")
    for takeaway in range(TAKEAWAYS):
        lines += [
            f"  - id: {prefix}-t{takeaway}",
            f"    text: Takeaway {takeaway} of marker {index}.",
            f"    summarises: [{prefix}-p{takeaway}-c0, {prefix}-p{takeaway}-c1]",
        ]
    return "\n".join(lines) + "\n"


def _list_item(ids: list[str], conditions: list[str], rng: random.Random) -> list[str]:
    """Return one item marking ``ids``; three or more are a group with nested spans."""
    chosen = [rng.choice(conditions) for _ in ids]
    spans = [
        _condition_span(claim_id, condition, rng, capital=at == 0)
        for at, (claim_id, condition) in enumerate(zip(ids, chosen, strict=True))
    ]
    if len(ids) >= 3:  # "[Condition 7, especially [condition 1]{b} and [C9]{c}]{a}"
        group = chosen[0].rsplit("-", 1)[1].lstrip("0") or "0"
        inner = _phrase([span for span, _ in spans[1:]])
        text = f"[Condition {group}, especially {inner}]{{{ids[0]}}}"
        spans[0] = (text, [])
    else:
        text = ", ".join(span for span, _ in spans)
    lines = [f"      - text: {_quoted(text)}", "        claims:"]
    for claim_id, condition, (_, words) in zip(ids, chosen, spans, strict=True):
        lines += [f"          - id: {claim_id}", f"            condition: {condition}", *words]
    return lines


def _items(ids: list[str], conditions: list[str], rng: random.Random) -> list[str]:
    """Return a list's items marking ``ids``: mostly one claim each, some two or three."""
    lines = ["    items:"]
    while ids:
        roll = rng.random()
        size = 1 if roll < 0.7 else 2 if roll < 0.85 else 3
        taken, ids = ids[:size], ids[size:]
        lines += _list_item(taken, conditions, rng)
    return lines


def _levels(prefix: str, index: int, conditions: list[str], rng: random.Random) -> list[str]:
    serum = [f"{prefix}-l{claim}" for claim in range(CLAIMS_PER_LIST)]
    urine = [f"{prefix}-u{claim}" for claim in range(CLAIMS_PER_LIST)]
    # The serum list says what its claims stand alone as; the urine list keeps the default.
    frame = f"Serum marker {index} is increased in {WORDS}."
    return [
        "levels:",
        "  - title: Increased serum levels",
        "    specimen: serum",
        "    direction: increased",
        f"    cite: [paper-{index:05d}]",
        f"    claim_text: {_quoted(frame)}",
        *_items(serum, conditions, rng),
        "  - title: Increased in urine",
        "    specimen: urine",
        "    direction: increased",
        f"    cite: [post-{index:05d}, paper-{index:05d}]",
        *_items(urine, conditions, rng),
    ]


def _ranges(prefix: str, index: int) -> list[str]:
    lines = ["reference_ranges:", "  ranges:"]
    for number in range(RANGES):
        unit, printed = (("mg/L", "mg/L"), ("ug/mL", "mcg/mL"), ("ug/L", "mcg/L"))[number % 3]
        specimen = "urine" if unit == "ug/L" else "serum"
        lines += [
            f"    - id: {prefix}-r{number}",
            f"      cite: [paper-{index:05d}]",
            f"      lab_test: Marker {index}, test {number}",
            f"      specimen: {specimen}",
            f"      lower: {{value: {0.1 * (number + 1):.1f}, inclusive: true}}",
            f"      upper: {{value: {2 + number}, inclusive: {str(number % 2 == 0).lower()}}}",
            f"      unit: {unit}",
            f"      unit_as_printed: {printed}",
        ]
    return lines
