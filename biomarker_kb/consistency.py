"""Check stage: clinical consistency — units, printed equivalences and contradicting claims.

Input: a ``KnowledgeBase`` (after cross-references are checked). Output: Problems. Every unit
must be valid UCUM; an equivalence a source printed ("0.7-1.8 mcg/mL (mg/L)") must agree once
both sides are converted, unless an erratum explains it; two claims that give opposite
directions for the same condition and specimen fail the build unless declared as contested.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb.model import Association, Biomarker, Claim, KnowledgeBase, Pattern, Range
from biomarker_kb.problems import Location, Problem, Severity
from biomarker_kb.units import UnitError, convert, parse_unit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from biomarker_kb.model import Bound, PrintedEquivalent


def check_consistency(kb: KnowledgeBase) -> list[Problem]:
    """Return every unit, equivalence and contradiction problem."""
    problems: list[Problem] = []
    for biomarker in kb.biomarkers:
        for test in biomarker.tests:
            if test.unit is not None:
                problems += _unit_problems(test.unit, test.unit_location or test.location)
        for claim in biomarker.ranges:
            problems += _range_problems(claim)
        problems += _contradictions(biomarker)
    return problems


def _unit_problems(code: str, at: Location) -> list[Problem]:
    try:
        parse_unit(code)
    except UnitError as error:
        return [Problem(at, str(error))]
    return []


def _range_problems(claim: Range) -> list[Problem]:
    problems = _unit_problems(claim.unit, claim.where("unit"))
    equivalent = claim.printed_equivalent
    if equivalent is None or problems:
        return problems
    problems = _unit_problems(equivalent.unit, equivalent.location)
    if problems:
        return problems
    try:
        mismatches = list(_mismatches(claim, equivalent))
    except UnitError as error:
        return [Problem(equivalent.location, f"the printed equivalent {error}; remove it")]
    if mismatches and equivalent.erratum is None:
        detail = "; ".join(mismatches)
        message = (
            f"the printed equivalent does not match: {detail}; correct the values, or add"
            " 'erratum:' saying what the source got wrong"
        )
        return [Problem(equivalent.location, message)]
    return []


def _mismatches(claim: Range, equivalent: PrintedEquivalent) -> Iterator[str]:
    pairs: list[tuple[Bound | None, float | None]] = [
        (claim.lower, equivalent.lower),
        (claim.upper, equivalent.upper),
    ]
    for bound, printed in pairs:
        if bound is None:
            continue
        printed_value = bound.value if printed is None else printed
        expected = convert(bound.value, claim.unit, equivalent.unit)
        if abs(expected - printed_value) > 1e-9 * max(abs(expected), 1.0):
            yield (
                f"{bound.value:g} {claim.unit} is {expected:g} {equivalent.unit},"
                f" not {printed_value:g} {equivalent.unit}"
            )


@dataclass(frozen=True)
class _Direction:
    """One claim's statement that the biomarker goes up or down in a specimen."""

    claim: Claim
    direction: str


def _directions(biomarker: Biomarker) -> dict[tuple[str, str], list[_Direction]]:
    """Group every level change by (condition, specimen); prognosis and risk are not levels."""
    found: dict[tuple[str, str], list[_Direction]] = defaultdict(list)
    for claim in biomarker.claims:
        if isinstance(claim, Association) and claim.role == "level" and claim.specimen:
            found[(claim.condition, claim.specimen)].append(_Direction(claim, claim.direction))
        elif isinstance(claim, Pattern):
            for finding in claim.findings:
                found[(claim.condition, finding.specimen)].append(
                    _Direction(claim, finding.direction)
                )
    return found


def contradicting_pairs(biomarker: Biomarker) -> list[tuple[Claim, Claim, str, str]]:
    """Return (claim, claim, condition, specimen) for each pair giving opposite directions."""
    pairs: dict[tuple[str, str], tuple[Claim, Claim, str, str]] = {}
    # One statement alone cannot contradict: sort only the groups holding two or more.
    groups = [(key, found) for key, found in _directions(biomarker).items() if len(found) > 1]
    for (condition, specimen), directions in sorted(groups):
        ups = [d.claim for d in directions if d.direction == "increased"]
        downs = [d.claim for d in directions if d.direction == "decreased"]
        for up in ups:
            for down in downs:
                key = tuple(sorted((up.id, down.id)))
                pairs.setdefault((key[0], key[1]), (up, down, condition, specimen))
    return list(pairs.values())


def _contradictions(biomarker: Biomarker) -> list[Problem]:
    declared = {frozenset(pair.claims): pair for pair in biomarker.contested}
    problems: list[Problem] = []
    found: set[frozenset[str]] = set()
    for up, down, condition, specimen in contradicting_pairs(biomarker):
        ids = frozenset((up.id, down.id))
        found.add(ids)
        where = f"{specimen} in {condition}: {up.id!r} says increased, {down.id!r} decreased"
        if ids in declared:
            message = f"contested (declared, shown to readers): {where}"
            problems.append(Problem(declared[ids].location, message, Severity.WARNING))
        else:
            later = max((up, down), key=lambda c: c.location)
            other = down if later is up else up
            message = (
                f"claim {later.id!r} contradicts {other.id!r} (line {other.location.line}):"
                f" {where}; correct one, or list both under 'contested:' with a note"
            )
            problems.append(Problem(later.location, message))
    return problems + _declared_pairs(biomarker, found)


def _declared_pairs(biomarker: Biomarker, found: set[frozenset[str]]) -> list[Problem]:
    if not biomarker.contested:
        return []
    known = {c.id for c in biomarker.claims}
    problems = []
    for pair in biomarker.contested:
        unknown = [claim_id for claim_id in pair.claims if claim_id not in known]
        if unknown:
            message = (
                f"contested pair names unknown claim {unknown[0]!r}; use claim ids of this file"
            )
            problems.append(Problem(pair.location, message))
        elif frozenset(pair.claims) not in found:
            message = (
                f"claims {pair.claims[0]!r} and {pair.claims[1]!r} are listed as contested but"
                " do not contradict each other; remove the entry"
            )
            problems.append(Problem(pair.location, message, Severity.WARNING))
    return problems
