"""UCUM parsing and conversion, including the original post's own values."""

from __future__ import annotations

import subprocess
import sys

import pytest

from biomarker_kb import known_units, units
from biomarker_kb.units import UnitError, convert, parse_unit


@pytest.mark.parametrize("code", ["mg/L", "ug/mL", "ug/L", "mg/d", "mg/(24.h)", "nmol/L"])
def test_valid_ucum_codes_parse(code: str) -> None:
    assert parse_unit(code).code == code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        pytest.param(
            "mcg/L",
            "not a UCUM unit code (got 'mcg/L'); write the UCUM code 'ug/L' in 'unit' and keep"
            " the printed spelling in 'unit_as_printed'",
            id="clinical-mcg",
        ),
        pytest.param(
            "foo",
            "not a UCUM unit code (got 'foo'); write a UCUM code such as mg/L, ug/mL or ug/L in"
            " 'unit' and keep the printed spelling in 'unit_as_printed'",
            id="nonsense",
        ),
    ],
)
def test_invalid_codes_are_explained(code: str, expected: str) -> None:
    with pytest.raises(UnitError) as caught:
        parse_unit(code)
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        pytest.param(0.7, "ug/mL", "mg/L", 0.7, id="pagana-serum-lower"),
        pytest.param(1.8, "ug/mL", "mg/L", 1.8, id="pagana-serum-upper"),
        pytest.param(300, "ug/L", "mg/L", 0.3, id="pagana-urine"),
        pytest.param(2.51, "mg/L", "ug/mL", 2.51, id="quest-in-ug-per-ml"),
        pytest.param(2.4, "mg/L", "ug/L", 2400, id="labcorp-upper-in-ug-per-l"),
        pytest.param(1, "mg/(24.h)", "mg/d", 1, id="per-24-hours-is-per-day"),
        pytest.param(48, "mg/d", "mg/h", 2, id="per-day-to-per-hour"),
    ],
)
def test_conversions(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, source, target) == pytest.approx(expected, rel=1e-12)


def test_different_dimensions_are_never_converted() -> None:
    with pytest.raises(UnitError, match=r"mg/d \(mass / time\) cannot be compared with mg/L"):
        convert(1, "mg/d", "mg/L")


# ------------------------------------------------------- common codes answered without pint


@pytest.mark.parametrize("code", sorted(known_units.DIMENSIONS))
def test_known_dimension_is_pints(code: str) -> None:
    quantity = units._quantity(code)
    assert units._dimension_words(quantity.dimensionality) == known_units.DIMENSIONS[code]


@pytest.mark.parametrize(
    ("source", "target"),
    [(source, target) for source, row in known_units.FACTORS.items() for target in row],
)
def test_known_factor_is_pints_exactly(source: str, target: str) -> None:
    assert units._pint_factor(source, target) == known_units.FACTORS[source][target]


def test_known_factors_pair_every_code_of_a_dimension() -> None:
    for source, row in known_units.FACTORS.items():
        same = {c for c, d in known_units.DIMENSIONS.items() if d == known_units.DIMENSIONS[source]}
        assert set(row) == same, source
    assert set(known_units.FACTORS) == set(known_units.DIMENSIONS)


@pytest.mark.parametrize("code", ["mg/L", "mg/(24.h)", "nmol/L", "ng/mL", "mg/L{note}"])
def test_quantities_are_those_of_ucumverts_registry(code: str) -> None:
    from ucumvert import PintUcumRegistry

    expected = PintUcumRegistry().from_ucum(code)
    quantity = units._quantity(code)
    assert (quantity.magnitude, str(quantity.units)) == (expected.magnitude, str(expected.units))


def test_common_codes_do_not_load_pint() -> None:
    script = (
        "import sys; from biomarker_kb.units import convert, parse_unit;"
        " parse_unit('mg/L'); convert(1, 'ug/mL', 'mg/L'); print('pint' in sys.modules)"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
