"""Units, printed equivalences and contradicting claims, checked on small fixture projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from biomarker_kb.pipeline import CheckResult, ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer
from tests.helpers import biomarker_yaml, make_project, minimal_files

if TYPE_CHECKING:
    from pathlib import Path

RANGE = """\
reference_ranges:
  ranges:
    - id: r1
      cite: [smith2020]
      lab_test: Alpha, Serum
      specimen: serum
      lower: {{value: {lower}, inclusive: true}}
      upper: {{value: {upper}, inclusive: true}}
      unit: {unit}
      unit_as_printed: {unit}
{extra}"""


def _check(tmp_path: Path, body: str) -> CheckResult:
    project = make_project(tmp_path, files=minimal_files(alpha=biomarker_yaml("alpha", body)))
    return check(ProjectPaths.at(project))


def _errors(result: CheckResult) -> list[str]:
    return [str(p) for p in result.errors]


def test_non_ucum_unit_is_reported_at_the_unit(tmp_path: Path) -> None:
    result = _check(tmp_path, RANGE.format(lower=0.6, upper=2.4, unit="mcg/mL", extra=""))
    assert _errors(result) == [
        "data/biomarkers/alpha.yaml:17:13: not a UCUM unit code (got 'mcg/mL'); write the UCUM"
        " code 'ug/mL' in 'unit' and keep the printed spelling in 'unit_as_printed'"
    ]


def test_equivalence_with_the_same_numbers_is_accepted(tmp_path: Path) -> None:
    extra = "      printed_equivalent:\n        unit: mg/L\n"
    result = _check(tmp_path, RANGE.format(lower=0.7, upper=1.8, unit="ug/mL", extra=extra))
    assert _errors(result) == []


def test_wrong_equivalence_fails_at_its_unit(tmp_path: Path) -> None:
    extra = "      printed_equivalent:\n        unit: mg/L\n"
    result = _check(tmp_path, RANGE.format(lower=100, upper=300, unit="ug/L", extra=extra))
    assert _errors(result) == [
        "data/biomarkers/alpha.yaml:20:15: the printed equivalent does not match: 100 ug/L is"
        " 0.1 mg/L, not 100 mg/L; 300 ug/L is 0.3 mg/L, not 300 mg/L; correct the values, or"
        " add 'erratum:' saying what the source got wrong"
    ]


def test_wrong_equivalence_with_an_erratum_is_accepted(tmp_path: Path) -> None:
    extra = (
        "      printed_equivalent:\n        unit: mg/L\n"
        "        erratum: The source printed mg/L by mistake.\n"
    )
    result = _check(tmp_path, RANGE.format(lower=100, upper=300, unit="ug/L", extra=extra))
    assert _errors(result) == []


def test_equivalence_with_printed_values_is_converted(tmp_path: Path) -> None:
    extra = (
        "      printed_equivalent:\n        unit: ug/L\n        lower: 600\n        upper: 2500\n"
    )
    result = _check(tmp_path, RANGE.format(lower=0.6, upper=2.4, unit="mg/L", extra=extra))
    assert _errors(result) == [
        "data/biomarkers/alpha.yaml:20:15: the printed equivalent does not match: 2.4 mg/L is"
        " 2400 ug/L, not 2500 ug/L; correct the values, or add 'erratum:' saying what the"
        " source got wrong"
    ]


def test_equivalence_across_dimensions_is_refused(tmp_path: Path) -> None:
    extra = "      printed_equivalent:\n        unit: mg/d\n"
    result = _check(tmp_path, RANGE.format(lower=0.6, upper=2.4, unit="mg/L", extra=extra))
    assert _errors(result) == [
        "data/biomarkers/alpha.yaml:20:15: the printed equivalent mg/L (mass / volume) cannot"
        " be compared with mg/d (mass / time); remove it"
    ]


CONFLICT = """\
overview:
  - cite: [smith2020]
    sentences:
      - text: "[Serum alpha rises in kidney disease]{up}."
        claims:
          - id: up
            type: association
            condition: kidney-disease
            specimen: serum
            direction: increased
      - text: "[Kidney disease lowers serum alpha and raises urine alpha]{pattern}."
        claims:
          - id: pattern
            type: pattern
            condition: kidney-disease
            findings:
              - {specimen: serum, direction: decreased}
              - {specimen: urine, direction: increased}
      - text: "[Lower serum alpha means a poorer prognosis in kidney disease]{prognosis}."
        claims:
          - id: prognosis
            type: association
            condition: kidney-disease
            specimen: serum
            direction: decreased
            role: prognosis
"""


def test_opposite_directions_fail_at_the_later_claim(tmp_path: Path) -> None:
    result = _check(tmp_path, CONFLICT)
    assert _errors(result) == [
        "data/biomarkers/alpha.yaml:21:13: claim 'pattern' contradicts 'up' (line 14): serum in"
        " kidney-disease: 'up' says increased, 'pattern' decreased; correct one, or list both"
        " under 'contested:' with a note"
    ]


CONTESTED = """\
contested:
  - claims: [up, pattern]
    note: Sources disagree; both are kept.
"""


def test_declared_contested_pair_passes_strict_and_is_shown_to_readers(tmp_path: Path) -> None:
    result = _check(tmp_path, CONTESTED + CONFLICT)
    assert result.errors == []
    assert result.warnings == []  # declared with a note for readers: nothing left to fix
    pages = {
        p.path: p.markdown
        for p in render_pages(result, SiteRenderer(tmp_path / "project" / "templates"))
    }
    for page in ("biomarkers/alpha.md", "conditions/kidney-disease.md", "specimens/serum.md"):
        markdown = pages[page]
        assert "## Contested findings {: #contested-findings }" in markdown, page
        assert "Sources disagree; both are kept." in markdown, page
        assert "#claim-up)" in markdown, page
        assert "#claim-pattern)" in markdown, page
        assert (
            markdown.count('<a class="kb-contested" href="#contested-findings">contested</a>') >= 1
        ), page


def test_contested_entry_that_does_not_conflict_is_a_warning(tmp_path: Path) -> None:
    body = "contested:\n  - claims: [up, prognosis]\n    note: Not a conflict.\n" + CONFLICT
    result = _check(tmp_path, body)
    messages = [str(p) for p in result.problems]
    assert (
        "data/biomarkers/alpha.yaml:10:5: warning: claims 'up' and 'prognosis' are listed as"
        " contested but do not contradict each other; remove the entry"
    ) in messages
    assert any("contradicts 'up'" in m for m in messages)  # the real conflict is still an error


def test_contested_entry_with_an_unknown_claim_is_an_error(tmp_path: Path) -> None:
    body = "contested:\n  - claims: [up, nope]\n    note: Typo.\n" + CONFLICT
    result = _check(tmp_path, body)
    assert (
        "data/biomarkers/alpha.yaml:10:5: contested pair names unknown claim 'nope'; use claim"
        " ids of this file"
    ) in _errors(result)


def test_prognosis_and_risk_do_not_count_as_level_changes(tmp_path: Path) -> None:
    without_pattern = CONFLICT[: CONFLICT.index('      - text: "[Kidney disease lowers')]
    with_prognosis = without_pattern + CONFLICT[CONFLICT.index('      - text: "[Lower serum') :]
    assert "direction: increased" in with_prognosis
    assert "direction: decreased" in with_prognosis
    assert _errors(_check(tmp_path, with_prognosis)) == []


def test_invalid_test_unit_is_reported(tmp_path: Path) -> None:
    body = "tests:\n  - specimen: serum\n    unit: mcg/L\n"
    result = _check(tmp_path, body)
    assert len(result.errors) == 1
    assert "not a UCUM unit code (got 'mcg/L'); write the UCUM code 'ug/L'" in str(result.errors[0])


RELATED_CONDITIONS = """\
conditions:
  - id: kidney-disease
    name: Kidney disease
    kind: disease
  - id: nephritis
    name: Nephritis
    kind: disease
    broader: [glomerular-disease]
  - id: glomerular-disease
    name: Glomerular disease
    kind: disease
    broader: [kidney-disease]
  - id: malignancy
    name: Malignancy
    kind: group
"""

NARROWER_CONFLICT = """\
overview:
  - cite: [smith2020]
    sentences:
      - text: "[Urine alpha rises in kidney disease]{up}."
        claims:
          - id: up
            type: association
            condition: kidney-disease
            specimen: urine
            direction: increased
      - text: "[Nephritis shows low urine alpha]{down}."
        claims:
          - id: down
            type: pattern
            condition: nephritis
            findings:
              - {specimen: urine, direction: decreased}
"""


def test_opposite_directions_for_a_condition_and_a_narrower_one_at_any_depth_fail(
    tmp_path: Path,
) -> None:
    files = minimal_files(alpha=biomarker_yaml("alpha", NARROWER_CONFLICT))
    files["data/conditions.yaml"] = RELATED_CONDITIONS
    project = make_project(tmp_path, files=files)
    assert _errors(check(ProjectPaths.at(project))) == [
        "data/biomarkers/alpha.yaml:21:13: claim 'down' contradicts 'up' (line 14): urine: 'up'"
        " says increased in kidney-disease, 'down' decreased in nephritis (one is a kind of the"
        " other); correct one, or list both under 'contested:' with a note"
    ]


def test_unrelated_conditions_do_not_contradict(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml("alpha", NARROWER_CONFLICT))
    files["data/conditions.yaml"] = RELATED_CONDITIONS.replace(
        "    broader: [kidney-disease]\n", ""
    )
    project = make_project(tmp_path, files=files)
    assert _errors(check(ProjectPaths.at(project))) == []
