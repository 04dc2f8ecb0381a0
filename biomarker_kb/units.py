"""Units: parse UCUM codes with ucumvert and convert values with the pint registry it builds.

Input: UCUM unit codes as written in data/ ("mg/L", "ug/mL"). Output: parsed units, their
dimension, and conversion factors. Each code is parsed once per process; the registry is built
only when a unit is first needed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pint


class UnitError(ValueError):
    """A unit code that is not valid UCUM, with an editor-facing explanation."""


@dataclass(frozen=True)
class ParsedUnit:
    """A valid UCUM code, its pint quantity and a readable dimension ("mass / volume")."""

    code: str
    quantity: pint.Quantity[float]
    """One of the unit; its magnitude carries UCUM factors: mg/(24.h) is 1/24 mg/h."""
    dimension: str


@functools.cache
def _registry() -> Any:
    """Return the one ucumvert/pint registry (building it takes about half a second)."""
    from ucumvert import PintUcumRegistry  # deferred: data without ranges never pays for it

    return PintUcumRegistry()


# Spellings labs print that are not UCUM, with the UCUM code an editor should write instead.
_CLINICAL_SPELLINGS = {"mcg": "ug", "µg": "ug", "μg": "ug", "cc": "mL", "hr": "h", "l": "L"}
_DIMENSION_WORDS = {
    "[mass]": "mass",
    "[length]": "length",
    "[time]": "time",
    "[substance]": "amount",
}


@functools.cache
def parse_unit(code: str) -> ParsedUnit:
    """Return the parsed UCUM code, or raise UnitError saying how to write it."""
    from ucumvert import InvalidUcumError

    try:
        quantity = _registry().from_ucum(code)
    except InvalidUcumError:
        raise UnitError(_invalid_message(code)) from None
    return ParsedUnit(code, quantity, _dimension_words(quantity.dimensionality))


def _invalid_message(code: str) -> str:
    suggestion = code
    for printed, ucum in _CLINICAL_SPELLINGS.items():
        suggestion = re.sub(rf"(?<![A-Za-z]){re.escape(printed)}(?![A-Za-z])", ucum, suggestion)
    if suggestion != code and _is_valid(suggestion):
        write = f"write the UCUM code {suggestion!r}"
    else:
        write = "write a UCUM code such as mg/L, ug/mL or ug/L"
    return (
        f"not a UCUM unit code (got {code!r}); {write} in 'unit' and keep the printed"
        " spelling in 'unit_as_printed'"
    )


def _is_valid(code: str) -> bool:
    try:
        parse_unit(code)
    except UnitError:
        return False
    return True


def _dimension_words(dimensionality: Any) -> str:
    """Return "mass / length ** 3"-style text as "mass / volume"."""
    text = str(dimensionality)
    for symbol, word in _DIMENSION_WORDS.items():
        text = text.replace(symbol, word)
    return text.replace("length ** 3", "volume").replace("1 / ", "per ") or "dimensionless"


def factor(source: str, target: str) -> float:
    """Return the number that converts a value in ``source`` into ``target``.

    Raises:
        UnitError: when either code is invalid or the dimensions differ (mass/volume vs
            mass/time): such values are never compared.
    """
    parsed_source, parsed_target = parse_unit(source), parse_unit(target)
    if parsed_source.dimension != parsed_target.dimension:
        raise UnitError(
            f"{source} ({parsed_source.dimension}) cannot be compared with"
            f" {target} ({parsed_target.dimension})"
        )
    return _factor(source, target)


@functools.cache
def _factor(source: str, target: str) -> float:
    source_one, target_one = parse_unit(source).quantity, parse_unit(target).quantity
    return float(source_one.to(target_one.units).magnitude / target_one.magnitude)


def convert(value: float, source: str, target: str) -> float:
    """Return ``value`` in ``source`` units expressed in ``target`` units, rounded for display."""
    return float(f"{value * factor(source, target):.12g}")
