"""Check stage: clinical consistency — units, printed equivalences and contradicting claims.

Input: a ``KnowledgeBase`` (after cross-references are checked). Output: Problems. Every unit
must be valid UCUM; an equivalence a source printed ("0.7-1.8 mcg/mL (mg/L)") must agree once
both sides are converted, unless an erratum explains it; two claims that give opposite
directions in one specimen, for one condition or two related by broader/narrower links at any
depth, fail the build unless declared as contested.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb.model import Association, Biomarker, Claim, KnowledgeBase, Pattern, Range
from biomarker_kb.problems import Location, Problem, Severity
from biomarker_kb.units import UnitError, convert, parse_unit

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from biomarker_kb.model import Bound, Condition, PrintedEquivalent


def check_consistency(kb: KnowledgeBase) -> list[Problem]:
    """Return every unit, equivalence and contradiction problem."""
    related = related_conditions(kb.conditions)
    return [p for b in kb.biomarkers for p in check_biomarker_consistency(b, related)]


def check_biomarker_consistency(
    biomarker: Biomarker, related: Mapping[str, frozenset[str]]
) -> list[Problem]:
    """Return one biomarker's unit, equivalence and contradiction problems.

    ``related``: each condition's broader and narrower conditions (``related_conditions``).
    """
    problems: list[Problem] = []
    for test in biomarker.tests:
        if test.unit is not None:
            problems += _unit_problems(test.unit, test.unit_location or test.location)
    for claim in biomarker.ranges:
        problems += _range_problems(claim)
    return problems + _contradictions(biomarker, related)


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
    """One claim's statement that the biomarker goes up or down in a specimen, in a condition."""

    claim: Claim
    condition: str
    direction: str


def related_conditions(conditions: Mapping[str, Condition]) -> dict[str, frozenset[str]]:
    """Return each condition's broader conditions at any depth (cycles are cut, not followed)."""
    related: dict[str, frozenset[str]] = {}
    for condition_id in conditions:
        seen: set[str] = set()
        stack = list(conditions[condition_id].broader)
        while stack:
            current = stack.pop()
            if current not in seen and current != condition_id and current in conditions:
                seen.add(current)
                stack.extend(conditions[current].broader)
        related[condition_id] = frozenset(seen)
    return related


def _directions(biomarker: Biomarker) -> dict[str, list[_Direction]]:
    """Group every level change by specimen; prognosis and risk are not levels."""
    found: dict[str, list[_Direction]] = defaultdict(list)
    for claim in biomarker.claims:
        if isinstance(claim, Association) and claim.role == "level" and claim.specimen:
            found[claim.specimen].append(_Direction(claim, claim.condition, claim.direction))
        elif isinstance(claim, Pattern):
            for finding in claim.findings:
                found[finding.specimen].append(
                    _Direction(claim, claim.condition, finding.direction)
                )
    return found


@dataclass(frozen=True)
class Contradiction:
    """Two claims giving opposite directions in one specimen, for related conditions.

    Related: the same condition, or one a kind of the other (broader links, at any depth).
    """

    up: Claim
    down: Claim
    specimen: str
    up_condition: str
    down_condition: str

    def describe(self) -> str:
        """Return e.g. "urine: 'a' says increased in x, 'b' decreased in y (a kind of x)"."""
        up, down = self.up_condition, self.down_condition
        if up == down:
            return (
                f"{self.specimen} in {up}: {self.up.id!r} says increased,"
                f" {self.down.id!r} decreased"
            )
        return (
            f"{self.specimen}: {self.up.id!r} says increased in {up},"
            f" {self.down.id!r} decreased in {down} (one is a kind of the other)"
        )


def contradicting_pairs(
    biomarker: Biomarker, related: Mapping[str, frozenset[str]]
) -> list[Contradiction]:
    """Return each pair of claims giving opposite directions for related conditions."""
    pairs: dict[tuple[str, str], Contradiction] = {}
    for specimen, directions in sorted(_directions(biomarker).items()):
        ups = [d for d in directions if d.direction == "increased"]
        downs = [d for d in directions if d.direction == "decreased"]
        for up in ups:
            for down in downs:
                if not _related(up.condition, down.condition, related):
                    continue
                key = tuple(sorted((up.claim.id, down.claim.id)))
                found = Contradiction(up.claim, down.claim, specimen, up.condition, down.condition)
                pairs.setdefault((key[0], key[1]), found)
    return list(pairs.values())


def _related(first: str, second: str, related: Mapping[str, frozenset[str]]) -> bool:
    return (
        first == second
        or second in related.get(first, frozenset())
        or first in related.get(second, frozenset())
    )


def _contradictions(biomarker: Biomarker, related: Mapping[str, frozenset[str]]) -> list[Problem]:
    declared = {frozenset(pair.claims) for pair in biomarker.contested}
    problems: list[Problem] = []
    found: set[frozenset[str]] = set()
    for pair in contradicting_pairs(biomarker, related):
        ids = frozenset((pair.up.id, pair.down.id))
        found.add(ids)
        if ids in declared:
            continue  # declared with a note for readers: shown on every page, not a problem
        later = max((pair.up, pair.down), key=lambda c: c.location)
        other = pair.down if later is pair.up else pair.up
        message = (
            f"claim {later.id!r} contradicts {other.id!r} (line {other.location.line}):"
            f" {pair.describe()}; correct one, or list both under 'contested:' with a note"
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
