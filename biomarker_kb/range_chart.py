"""Render helper: draw a Comparison as an inline SVG chart, one row per source, no JavaScript.

Input: a ``Comparison`` and a label per row. Output: SVG markup with a text alternative
(``<title>``, ``<desc>``), colours taken from the page (``currentColor`` and the theme's CSS
variables, so dark mode works), closed ends as filled dots, open ends as hollow dots, and
one-sided intervals drawn to the edge of the axis with an arrow. All text is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from biomarker_kb.model import format_number

if TYPE_CHECKING:
    from collections.abc import Sequence

    from biomarker_kb.comparison import ComparedRange, Comparison

WIDTH = 640
LABEL_WIDTH = 210
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_RIGHT = WIDTH - 20
ROW_HEIGHT = 26
TOP = 12
AXIS_HEIGHT = 40
MAX_LABEL_CHARS = 32


@dataclass(frozen=True)
class Axis:
    """The value axis: from ``low`` to ``high`` in the comparison's unit, with its ticks."""

    low: float
    high: float
    ticks: tuple[float, ...]

    def x(self, value: float) -> float:
        """Return the horizontal position of ``value``."""
        span = self.high - self.low
        return PLOT_LEFT + (value - self.low) / span * (PLOT_RIGHT - PLOT_LEFT)


def _nice_step(span: float) -> float:
    raw = span / 5
    magnitude = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw))


def make_axis(rows: Sequence[ComparedRange]) -> Axis:
    """Return an axis from 0 that shows every bound with room for open ends."""
    values = [v for r in rows for v in (r.lower, r.upper) if v is not None]
    top = max(values) if values else 1.0
    step = _nice_step(top * 1.15 if top > 0 else 1.0)
    high = step * math.ceil(top * 1.15 / step) if top > 0 else step * 5
    count = round(high / step)
    return Axis(0.0, high, tuple(round(i * step, 10) for i in range(count + 1)))


def _row(index: int, row: ComparedRange, label: str, axis: Axis) -> str:
    y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
    left = axis.x(row.lower) if row.lower is not None else PLOT_LEFT
    right = axis.x(row.upper) if row.upper is not None else PLOT_RIGHT
    short = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
    parts = [
        f'<g class="kb-chart-row" data-claim-ref="{escape(row.claim.id)}"'
        f' data-lower="{_optional(row.lower)}" data-upper="{_optional(row.upper)}">',
        f'<text x="{LABEL_WIDTH}" y="{y + 4:.1f}" text-anchor="end" fill="currentColor">'
        f"<title>{escape(label)}</title>{escape(short)}</text>",
        f'<rect class="kb-chart-bar" x="{left:.2f}" y="{y - 5:.1f}" width="{right - left:.2f}"'
        ' height="10" rx="2"/>',
    ]
    if row.lower is None:
        parts.append(_arrow(PLOT_LEFT, y, pointing=-1))
    else:
        parts.append(_end(left, y, closed=_inclusive(row, "lower")))
    if row.upper is None:
        parts.append(_arrow(PLOT_RIGHT, y, pointing=1))
    else:
        parts.append(_end(right, y, closed=_inclusive(row, "upper")))
    parts.append("</g>")
    return "".join(parts)


def _optional(value: float | None) -> str:
    return "" if value is None else format_number(value)


def _inclusive(row: ComparedRange, side: str) -> bool:
    bound = row.claim.lower if side == "lower" else row.claim.upper
    return bound is not None and bound.inclusive


def _end(x: float, y: float, *, closed: bool) -> str:
    kind = "closed" if closed else "open"
    return f'<circle class="kb-chart-end kb-chart-{kind}" cx="{x:.2f}" cy="{y:.1f}" r="4.5"/>'


def _arrow(x: float, y: float, *, pointing: int) -> str:
    """Return an arrow head at the axis edge: the interval goes on beyond what is drawn."""
    back = x - 8 * pointing
    points = f"{x:.2f},{y:.1f} {back:.2f},{y - 6:.1f} {back:.2f},{y + 6:.1f}"
    return f'<polygon class="kb-chart-arrow" points="{points}"/>'


def _axis(axis: Axis, rows: int, unit: str) -> str:
    y = TOP + rows * ROW_HEIGHT + 6
    parts = [f'<line x1="{PLOT_LEFT}" y1="{y}" x2="{PLOT_RIGHT}" y2="{y}" stroke="currentColor"/>']
    for tick in axis.ticks:
        x = axis.x(tick)
        parts.append(
            f'<line x1="{x:.2f}" y1="{TOP - 4}" x2="{x:.2f}" y2="{y + 4}"'
            ' class="kb-chart-grid"/>'
            f'<text x="{x:.2f}" y="{y + 18}" text-anchor="middle" fill="currentColor">'
            f"{format_number(tick)}</text>"
        )
    parts.append(
        f'<text x="{PLOT_RIGHT}" y="{y + 34}" text-anchor="end" fill="currentColor">'
        f"{escape(unit)}</text>"
    )
    return "".join(parts)


def render_chart(
    comparison: Comparison, labels: Sequence[str], title: str, description: str, chart_id: str
) -> str:
    """Return the chart as one line of SVG markup (no blank lines: safe inside Markdown)."""
    body = chart_body(comparison, labels)
    return frame_chart(body, len(comparison.rows), title, description, chart_id)


def chart_body(comparison: Comparison, labels: Sequence[str], unit: str | None = None) -> str:
    """Return the chart's axis and rows: all of it but its size, ids and text alternative.

    ``unit``: the unit as readers write it on the axis (default: the comparison's UCUM code).
    """
    axis = make_axis(comparison.rows)
    rows = "".join(
        _row(i, row, label, axis)
        for i, (row, label) in enumerate(zip(comparison.rows, labels, strict=True))
    )
    return f"{_axis(axis, len(comparison.rows), unit or comparison.unit)}{rows}"


def frame_chart(body: str, rows: int, title: str, description: str, chart_id: str) -> str:
    """Return the SVG element around a ``chart_body`` of ``rows`` rows, titled and described."""
    height = TOP + rows * ROW_HEIGHT + AXIS_HEIGHT
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-chart" role="img"'
        f' viewBox="0 0 {WIDTH} {height}" width="100%"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )
