"""The model stage: each claim's stand-alone sentence is derived from its sentence, not retyped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from biomarker_kb.pipeline import ProjectPaths, check
from tests.helpers import biomarker_yaml, minimal_files, write_files

if TYPE_CHECKING:
    from pathlib import Path

LIST = """\
levels:
  - title: Up in serum
    specimen: serum
    direction: increased
    cite: [smith2020]
    items:
      - text: "{text}"
        claims:
{claims}
"""


def _texts(tmp_path: Path, body: str) -> dict[str, str]:
    write_files(tmp_path, minimal_files(alpha=biomarker_yaml(body=body)))
    result = check(ProjectPaths.at(tmp_path))
    assert [str(p) for p in result.errors] == []
    assert result.kb is not None
    return {claim.id: claim.text for claim in result.kb.biomarkers[0].claims}


def _list(text: str, *claims: str, frame: str = "") -> str:
    lines = "".join(f"          - id: {c}\n            condition: kidney-disease\n" for c in claims)
    body = LIST.format(text=text, claims=lines.rstrip("\n"))
    if frame:
        body = body.replace("    items:", f'    claim_text: "{frame}"\n    items:')
    return body


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            _list("[Kidney disease, especially [nephritis]{b}]{a}", "a", "b"),
            {
                "a": "Up in serum: Kidney disease, especially nephritis",
                "b": "Up in serum: Kidney disease, especially nephritis",
            },
            id="nested-span-takes-the-outer-lead",
        ),
        pytest.param(
            _list("[[Nephritis]{b} and others]{a}", "a", "b"),
            {"a": "Up in serum: Nephritis and others", "b": "Up in serum: Nephritis"},
            id="empty-lead-adds-no-space",
        ),
        pytest.param(
            _list("[Nephritis]{a}, [nephrosis]{b}", "a", "b", frame="Serum is up in {words}."),
            {"a": "Serum is up in Nephritis.", "b": "Serum is up in nephrosis."},
            id="list-frame",
        ),
    ],
)
def test_list_claims_stand_alone(tmp_path: Path, body: str, expected: dict[str, str]) -> None:
    assert _texts(tmp_path, body) == expected


def test_sentence_frame_claim_frame_and_words(tmp_path: Path) -> None:
    body = """\
overview:
  - cite: [smith2020]
    sentences:
      - text: "It [rises]{a} in [B]{b} and [T cell lymphoma]{c}."
        claim_text: "Alpha is high in {words}."
        claims:
          - id: a
            type: statement
            topic: physiology
            claim_text: "Alpha {words} with age."
          - id: b
            type: statement
            topic: physiology
            words: B cell lymphoma
          - id: c
            type: statement
            topic: physiology
"""
    assert _texts(tmp_path, body) == {
        "a": "Alpha rises with age.",
        "b": "Alpha is high in B cell lymphoma.",
        "c": "Alpha is high in T cell lymphoma.",
    }
