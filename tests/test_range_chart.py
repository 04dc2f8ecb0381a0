"""Comparison of ranges in one unit, and the SVG chart drawn from it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from biomarker_kb.comparison import ComparedRange, Comparison, compare_ranges
from biomarker_kb.model import Bound, MeasuredTest, Range
from biomarker_kb.problems import Location
from biomarker_kb.range_chart import PLOT_LEFT, PLOT_RIGHT, ROW_HEIGHT, make_axis, render_chart
from tests.helpers import CASES, make_project, mkdocs_build
from tests.test_consistency import CONFLICT, CONTESTED

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.pipeline import CheckResult

SVG = "{http://www.w3.org/2000/svg}"
HERE = Location("test.yaml", 1, 1)


def _range(
    claim_id: str, lower: float | None, upper: float | None, unit: str = "mg/L", **extra: object
) -> Range:
    fields: dict[str, object] = {
        "id": claim_id,
        "biomarker_id": "alpha",
        "text": claim_id,
        "citations": (),
        "location": HERE,
        "section": "Reference ranges",
        "lab_test": "Test",
        "specimen": "serum",
        "specimen_as_printed": None,
        "population": None,
        "lower": None if lower is None else Bound(lower, True),
        "upper": None if upper is None else Bound(upper, True),
        "unit": unit,
        "unit_as_printed": unit,
    }
    fields.update(extra)
    return Range(**fields)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- comparison


def test_real_serum_ranges_line_up_in_mg_per_l(real_check: CheckResult) -> None:
    assert real_check.kb is not None
    b2m = next(b for b in real_check.kb.biomarkers if b.id == "b2m")
    serum, urine = compare_ranges(b2m)
    assert (serum.specimen, serum.unit, serum.dimension) == ("serum", "mg/L", "mass / volume")
    assert [(r.claim.id, r.lower, r.upper) for r in serum.rows] == [
        ("range-quest-serum", None, 2.51),
        ("range-labcorp-serum", 0.6, 2.4),
        ("range-pagana-serum", 0.7, 1.8),  # printed 0.7-1.8 mcg/mL
    ]
    assert serum.test is not None
    assert serum.test.loinc == "1952-1"
    assert (urine.unit, [(r.lower, r.upper) for r in urine.rows]) == ("ug/L", [(None, 300.0)])


def test_a_tests_unit_chooses_the_comparison_unit(real_check: CheckResult) -> None:
    assert real_check.kb is not None
    b2m = next(b for b in real_check.kb.biomarkers if b.id == "b2m")
    tests = tuple(replace(t, unit="mg/L") if t.specimen == "urine" else t for t in b2m.tests)
    urine = compare_ranges(replace(b2m, tests=tests))[1]
    assert urine.unit == "mg/L"
    assert urine.rows[0].upper == pytest.approx(0.3)


def test_different_dimensions_are_separate_comparisons() -> None:
    import datetime  # noqa: PLC0415

    from biomarker_kb.model import Biomarker, OriginalPost  # noqa: PLC0415

    ranges = (
        _range("a", 0.6, 2.4, "ug/mL"),
        _range("b", None, 300, "mg/d"),
        _range("c", 1.0, 2.0, "mg/L"),
        _range("d", 0.5, 1.0, "mg/L"),
    )
    biomarker = Biomarker(
        id="alpha", name="Alpha", abbreviation=None, aliases=(), summary="", tags=(),
        original_post=OriginalPost("p", "P", datetime.date(2023, 1, 1), HERE),
        last_reviewed=datetime.date(2026, 1, 1), identifiers=(),
        tests=(MeasuredTest("serum", None, None, HERE),),
        overview=(), levels=(), range_paragraphs=(), ranges=ranges, takeaways=(), location=HERE,
    )  # fmt: skip
    by_volume, by_time = compare_ranges(biomarker)
    assert by_volume.unit == "mg/L"  # two of three mass/volume ranges use it
    assert [(r.lower, r.upper) for r in by_volume.rows] == [(0.6, 2.4), (1.0, 2.0), (0.5, 1.0)]
    assert (by_time.unit, by_time.dimension) == ("mg/d", "mass / time")


# --------------------------------------------------------------------------- chart


def _comparison(rows: list[tuple[float | None, float | None]]) -> Comparison:
    compared = tuple(
        ComparedRange(_range(f"r{i}", lower, upper), lower, upper)
        for i, (lower, upper) in enumerate(rows)
    )
    return Comparison("serum", "mg/L", "mass / volume", compared, None)


def _svg(comparison: Comparison, labels: list[str] | None = None) -> ET.Element:
    labels = labels or [f"Source {i}" for i in range(len(comparison.rows))]
    markup = render_chart(comparison, labels, "Title", "Description", "chart-x")
    return ET.fromstring(markup)


def test_drawn_ends_match_the_values() -> None:
    comparison = _comparison([(None, 2.51), (0.6, 2.4), (0.7, 1.8), (0.5, None)])
    axis = make_axis(comparison.rows)
    svg = _svg(comparison)
    rows = svg.findall(f"{SVG}g")
    assert len(rows) == 4
    for group, row in zip(rows, comparison.rows, strict=True):
        bar = group.find(f"{SVG}rect")
        assert bar is not None
        left, width = float(bar.get("x", "")), float(bar.get("width", ""))
        expected_left = PLOT_LEFT if row.lower is None else axis.x(row.lower)
        expected_right = PLOT_RIGHT if row.upper is None else axis.x(row.upper)
        assert left == pytest.approx(expected_left, abs=0.01)
        assert left + width == pytest.approx(expected_right, abs=0.02)
        ends = [float(c.get("cx", "")) for c in group.findall(f"{SVG}circle")]
        bounds = [axis.x(v) for v in (row.lower, row.upper) if v is not None]
        assert ends == pytest.approx(bounds, abs=0.01)
        arrows = group.findall(f"{SVG}polygon")
        assert len(arrows) == (row.lower is None) + (row.upper is None)


def test_axis_starts_at_zero_and_shows_the_largest_bound() -> None:
    axis = make_axis(_comparison([(None, 2.51), (0.6, 2.4)]).rows)
    assert axis.low == 0
    assert axis.high > 2.51
    assert axis.ticks[0] == 0
    assert axis.ticks[-1] == pytest.approx(axis.high)
    assert axis.x(0) == PLOT_LEFT
    assert axis.x(axis.high) == pytest.approx(PLOT_RIGHT)


def test_included_and_excluded_bounds_look_different() -> None:
    claim = replace(_range("r", 1, 2), lower=Bound(1, False), upper=Bound(2, True))
    row = ComparedRange(claim, 1.0, 2.0)
    svg = _svg(Comparison("serum", "mg/L", "mass / volume", (row,), None))
    classes = [c.get("class") for c in svg.iter(f"{SVG}circle")]
    assert classes == ["kb-chart-end kb-chart-open", "kb-chart-end kb-chart-closed"]


def test_chart_has_a_text_alternative() -> None:
    svg = _svg(_comparison([(0.6, 2.4)]))
    assert svg.get("role") == "img"
    labelled_by = (svg.get("aria-labelledby") or "").split()
    ids = {element.get("id"): element.text for element in svg.iter() if element.get("id")}
    assert [ids[i] for i in labelled_by] == ["Title", "Description"]


def test_labels_are_escaped_and_long_ones_shortened() -> None:
    label = "<script>alert(1)</script> & a very long laboratory name indeed"
    svg = _svg(_comparison([(0.6, 2.4)]), [label])
    text = next(svg.iter(f"{SVG}text"), None)
    texts = [t for t in svg.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None]
    assert text is not None
    assert len(texts) == 1
    title = texts[0].find(f"{SVG}title")
    assert title is not None
    assert title.text == label  # the whole label, as text, on hover
    shown = "".join(texts[0].itertext()).removeprefix(label)
    assert shown.endswith("…")
    assert len(shown) <= 32
    assert not list(svg.iter(f"{SVG}script"))


@pytest.mark.parametrize("count", [1, 2, 7, 15])
def test_chart_stays_legible_from_1_to_15_sources(count: int) -> None:
    rows = [(0.1 * i, 1 + i) for i in range(count)]
    svg = _svg(_comparison(rows))
    height = float((svg.get("viewBox") or "").split()[3])
    assert height >= count * ROW_HEIGHT
    label_y = [
        float(t.get("y", "")) for t in svg.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None
    ]
    assert len(label_y) == count
    gaps = [b - a for a, b in zip(label_y, label_y[1:], strict=False)]
    assert all(gap >= ROW_HEIGHT - 0.01 for gap in gaps)  # rows never overlap
    assert svg.get("font-size") == "12"


# --------------------------------------------------------------------------- built pages


def test_biomarker_page_shows_chart_and_converted_table(built_site: Path) -> None:
    html = (built_site / "biomarkers" / "b2m" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # Serum in mg/L, urine in µg/L; each drawn twice, for wide screens and for phones.
    for kind in ("wide", "narrow"):
        assert len(soup.select(f"figure.kb-chart-figure svg.kb-chart--{kind}")) == 2
    pagana = soup.select_one('tr[data-claim="range-pagana-serum"]')
    assert pagana is not None
    cells = [td.get_text(" ", strip=True) for td in pagana.select("td")]
    assert cells[1] == "0.7–1.8"
    assert cells[2].startswith("mcg/mL (mg/L)")
    assert cells[3] == "0.7–1.8"
    urine = soup.select_one('tr[data-claim="range-pagana-urine"]')
    assert urine is not None
    note = urine.find_next_sibling("tr")  # the erratum, under its row rather than in a cell
    assert note is not None
    assert "kb-row-note" in note["class"]
    assert "erratum" in note.get_text(" ", strip=True)
    assert "300 mcg/L is 0.3 mg/L" in note.get_text(" ", strip=True)


def test_contested_fixture_builds_strictly_with_working_anchors(tmp_path: Path) -> None:
    from tests.helpers import biomarker_yaml, minimal_files  # noqa: PLC0415

    body = CONTESTED + CONFLICT
    project = make_project(tmp_path, files=minimal_files(alpha=biomarker_yaml("alpha", body)))
    completed = mkdocs_build(project, project / "site")
    assert completed.returncode == 0, completed.stderr
    page = (project / "site" / "conditions" / "kidney-disease" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find(id="contested-findings") is not None
    assert soup.select('a.kb-contested[href="#contested-findings"]')


def test_many_fixture_specimen_page_has_one_chart_per_biomarker(tmp_path: Path) -> None:
    project = make_project(tmp_path, CASES / "many" / "data")
    completed = mkdocs_build(project, project / "site")
    assert completed.returncode == 0, completed.stderr
    page = (project / "site" / "specimens" / "serum" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    titles = [t.get_text() for t in soup.select("svg.kb-chart--wide > title")]
    assert titles == [
        "Reference ranges of Alpha protein in serum, in mg/L",
        "Reference ranges of Gamma chain in serum, in mg/L",
    ]
