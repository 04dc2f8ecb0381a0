"""Benchmark input: write a synthetic knowledge base shaped like the real one.

Input: a number of biomarkers N and a folder. Output: ``data/`` files in that folder — N
biomarker files of about 90 claims each (48 in paragraphs, 30 in lists, 8 ranges, 4 takeaways),
a condition vocabulary that grows with N (3 N + 20), three specimens, and a bibliography of
2 N + 1 entries. Deterministic: the same N always writes the same files. No medical content.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

PARAGRAPHS = 4
CLAIMS_PER_PARAGRAPH = 12
LIST_ITEMS = 15
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


def _claim(claim_id: str, rng: random.Random, conditions: list[str]) -> list[str]:
    if rng.random() < 0.5:
        return [
            f"      - id: {claim_id}",
            "        type: statement",
            "        topic: physiology",
            f"        text: Statement {claim_id} about this marker and its physiology.",
        ]
    return [
        f"      - id: {claim_id}",
        "        type: association",
        f"        condition: {rng.choice(conditions)}",
        f"        specimen: {rng.choice(SPECIMENS[:2])}",
        "        direction: increased",
        f"        text: Levels rise in the condition named by claim {claim_id}.",
    ]


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
        lines += [f"  - cite: [paper-{index:05d}, shared-book]", "    claims:"]
        for claim in range(CLAIMS_PER_PARAGRAPH):
            lines += _claim(f"{prefix}-p{paragraph}-c{claim}", rng, conditions)
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


def _levels(prefix: str, index: int, conditions: list[str], rng: random.Random) -> list[str]:
    lines = [
        "levels:",
        "  - title: Increased serum levels",
        "    specimen: serum",
        "    direction: increased",
        f"    cite: [paper-{index:05d}]",
        "    items:",
    ]
    for item in range(LIST_ITEMS):
        lines += [
            f"      - id: {prefix}-l{item}",
            f"        condition: {rng.choice(conditions)}",
            f"        text: Listed condition {item}",
        ]
    lines += ["  - title: Increased in urine", "    specimen: urine", "    direction: increased"]
    lines += [f"    cite: [post-{index:05d}, paper-{index:05d}]", "    items:"]
    for item in range(LIST_ITEMS):
        lines += [
            f"      - id: {prefix}-u{item}",
            f"        condition: {rng.choice(conditions)}",
            f"        text: Urine condition {item}",
        ]
    return lines


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
