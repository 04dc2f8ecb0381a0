"""Pint's answers for common clinical UCUM codes, so that most builds never load pint.

Input: nothing. Output: the dimension of each code, and the factor between any two codes of
the same dimension, exactly as ``units`` computes them with ucumvert and pint. Loading those two
costs 0.3 s at every start (a tenth of checking a thousand articles), and most data uses a few
codes from this list. The factors are pint's own floats, not exact ratios (999.9999999999999
for mg/L → ng/mL), so converted values stay identical; tests/test_units.py recomputes every
entry with pint.
"""

from __future__ import annotations

DIMENSIONS: dict[str, str] = {
    "g/L": "mass / volume",
    "mg/dL": "mass / volume",
    "mg/L": "mass / volume",
    "ug/mL": "mass / volume",
    "ug/L": "mass / volume",
    "ng/mL": "mass / volume",
    "mg/d": "mass / time",
    "mg/(24.h)": "mass / time",
    "mg/h": "mass / time",
    "mmol/L": "amount / volume",
    "umol/L": "amount / volume",
    "nmol/L": "amount / volume",
}
"""Code → dimension in words, as ``units.parse_unit`` gives it."""

FACTORS: dict[str, dict[str, float]] = {
    "g/L": {
        "g/L": 1.0,
        "mg/dL": 100.0,
        "mg/L": 1000.0,
        "ug/mL": 1000.0,
        "ug/L": 1000000.0,
        "ng/mL": 999999.9999999999,
    },
    "mg/dL": {
        "g/L": 0.01,
        "mg/dL": 1.0,
        "mg/L": 10.0,
        "ug/mL": 10.0,
        "ug/L": 10000.0,
        "ng/mL": 9999.999999999998,
    },
    "mg/L": {
        "g/L": 0.001,
        "mg/dL": 0.1,
        "mg/L": 1.0,
        "ug/mL": 1.0,
        "ug/L": 1000.0,
        "ng/mL": 999.9999999999999,
    },
    "ug/mL": {
        "g/L": 0.001,
        "mg/dL": 0.09999999999999999,
        "mg/L": 1.0,
        "ug/mL": 1.0,
        "ug/L": 1000.0,
        "ng/mL": 999.9999999999999,
    },
    "ug/L": {
        "g/L": 1e-06,
        "mg/dL": 9.999999999999999e-05,
        "mg/L": 0.001,
        "ug/mL": 0.001,
        "ug/L": 1.0,
        "ng/mL": 0.9999999999999999,
    },
    "ng/mL": {
        "g/L": 1.0000000000000002e-06,
        "mg/dL": 0.00010000000000000002,
        "mg/L": 0.001,
        "ug/mL": 0.001,
        "ug/L": 1.0000000000000002,
        "ng/mL": 1.0,
    },
    "mg/d": {
        "mg/d": 1.0,
        "mg/(24.h)": 1.0,
        "mg/h": 0.041666666666666664,
    },
    "mg/(24.h)": {
        "mg/d": 1.0,
        "mg/(24.h)": 1.0,
        "mg/h": 0.041666666666666664,
    },
    "mg/h": {
        "mg/d": 24.0,
        "mg/(24.h)": 24.0,
        "mg/h": 1.0,
    },
    "mmol/L": {
        "mmol/L": 1.0,
        "umol/L": 1000.0,
        "nmol/L": 999999.9999999999,
    },
    "umol/L": {
        "mmol/L": 0.001,
        "umol/L": 1.0,
        "nmol/L": 999.9999999999999,
    },
    "nmol/L": {
        "mmol/L": 1.0000000000000002e-06,
        "umol/L": 0.001,
        "nmol/L": 1.0,
    },
}
"""Source code → target code → the number that converts a value from source to target."""
