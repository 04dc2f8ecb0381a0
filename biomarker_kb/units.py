"""Units: parse UCUM codes with ucumvert and convert values with the pint registry it builds.

Input: UCUM unit codes as written in data/ ("mg/L", "ug/mL"). Output: parsed units, their
dimension, and conversion factors. Each code is parsed once per process; common codes are
answered from ``known_units`` (pint's own results), so pint is loaded only for the others.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from biomarker_kb import known_units

if TYPE_CHECKING:
    from collections.abc import Callable

    import pint


class UnitError(ValueError):
    """A unit code that is not valid UCUM, with an editor-facing explanation."""


@dataclass(frozen=True)
class ParsedUnit:
    """A valid UCUM code and a readable dimension ("mass / volume")."""

    code: str
    dimension: str

    @property
    def quantity(self) -> pint.Quantity[float]:
        """Return one of the unit; its magnitude carries UCUM factors: mg/(24.h) is 1/24 mg/h."""
        return _quantity(self.code)


@functools.cache
def _from_ucum() -> Callable[[str], Any]:
    """Return ucumvert's UCUM → pint function, built once per process.

    It does what ``PintUcumRegistry().from_ucum`` does, without building that registry: its
    transformer makes every quantity in pint's application registry (filling it with the
    UCUM units), so the registry of its own was built and never used, 0.2 s of the 0.4 s.
    """
    # Deferred: data whose units are all in known_units never pays for pint.
    from ucumvert import UcumToPintTransformer, get_ucum_parser, parse_ucum

    parser = get_ucum_parser()
    transform = UcumToPintTransformer().transform

    def from_ucum(code: str) -> Any:
        return transform(parse_ucum(code, parser))

    return from_ucum


@functools.cache
def _quantity(code: str) -> pint.Quantity[float]:
    quantity: pint.Quantity[float] = _from_ucum()(code)
    return quantity


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
    known = known_units.DIMENSIONS.get(code)
    if known is not None:
        return ParsedUnit(code, known)
    from ucumvert import InvalidUcumError  # deferred with pint, which it imports

    try:
        quantity = _quantity(code)
    except InvalidUcumError:
        raise UnitError(_invalid_message(code)) from None
    return ParsedUnit(code, _dimension_words(quantity.dimensionality))


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
    known = known_units.FACTORS.get(source, {}).get(target)
    return _pint_factor(source, target) if known is None else known


def _pint_factor(source: str, target: str) -> float:
    source_one, target_one = _quantity(source), _quantity(target)
    return float(source_one.to(target_one.units).magnitude / target_one.magnitude)


def convert(value: float, source: str, target: str) -> float:
    """Return ``value`` in ``source`` units expressed in ``target`` units, rounded for display."""
    return float(f"{value * factor(source, target):.12g}")
