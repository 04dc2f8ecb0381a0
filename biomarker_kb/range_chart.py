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


@dataclass(frozen=True)
class Layout:
    """Where a chart puts things, in its own units (the SVG scales to the text column)."""

    width: int
    plot_left: float
    plot_right: float
    row_height: int
    font_size: int
    labels_above: bool
    """True: each source's label above its bar (a phone); False: at the bar's left."""
    max_label_chars: int
    top: int = 12
    axis_height: int = 46

    def label_position(self) -> tuple[float, str]:
        """Return the x of row labels and their anchor."""
        return (self.plot_left, "start") if self.labels_above else (self.plot_left - 10, "end")


WIDE = Layout(
    width=640,
    plot_left=220,
    plot_right=620,
    row_height=26,
    font_size=12,
    labels_above=False,
    max_label_chars=32,
)
"""Labels left of the bars: the text column of a desktop or tablet."""
NARROW = Layout(
    width=340,
    plot_left=12,
    plot_right=322,
    row_height=40,
    font_size=13,
    labels_above=True,
    max_label_chars=44,
)
"""Labels above the bars, in a viewBox as wide as a phone's column, so text stays 12 px or more."""
WIDTH = WIDE.width
PLOT_LEFT = WIDE.plot_left
PLOT_RIGHT = WIDE.plot_right
ROW_HEIGHT = WIDE.row_height
TOP = WIDE.top
AXIS_HEIGHT = WIDE.axis_height


@dataclass(frozen=True)
class Axis:
    """The value axis: from ``low`` to ``high`` in the comparison's unit, with its ticks."""

    low: float
    high: float
    ticks: tuple[float, ...]

    def x(self, value: float, layout: Layout = WIDE) -> float:
        """Return the horizontal position of ``value``."""
        span = self.high - self.low
        return layout.plot_left + (value - self.low) / span * (layout.plot_right - layout.plot_left)


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


def _row(index: int, row: ComparedRange, label: str, axis: Axis, layout: Layout) -> str:
    top = layout.top + index * layout.row_height
    y = top + layout.row_height / 2 + (6 if layout.labels_above else 0)
    left = axis.x(row.lower, layout) if row.lower is not None else layout.plot_left
    right = axis.x(row.upper, layout) if row.upper is not None else layout.plot_right
    limit = layout.max_label_chars
    short = label if len(label) <= limit else label[: limit - 1] + "…"
    label_x, anchor = layout.label_position()
    label_y = top + layout.font_size if layout.labels_above else y + 4
    parts = [
        f'<g class="kb-chart-row" data-claim-ref="{escape(row.claim.id)}"'
        f' data-lower="{_optional(row.lower)}" data-upper="{_optional(row.upper)}">',
        f'<text x="{label_x:g}" y="{label_y:.1f}" text-anchor="{anchor}" fill="currentColor">'
        f"<title>{escape(label)}</title>{escape(short)}</text>",
        f'<rect class="kb-chart-bar" x="{left:.2f}" y="{y - 5:.1f}" width="{right - left:.2f}"'
        ' height="10" rx="2"/>',
    ]
    if row.lower is None:
        parts.append(_arrow(layout.plot_left, y, pointing=-1))
    else:
        parts.append(_end(left, y, closed=_inclusive(row, "lower")))
    if row.upper is None:
        parts.append(_arrow(layout.plot_right, y, pointing=1))
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


def _axis(axis: Axis, rows: int, unit: str, layout: Layout) -> str:
    y = layout.top + rows * layout.row_height + 6
    parts = [
        f'<line x1="{layout.plot_left:g}" y1="{y}" x2="{layout.plot_right:g}" y2="{y}"'
        ' stroke="currentColor"/>'
    ]
    for index, tick in enumerate(axis.ticks):
        x = axis.x(tick, layout)
        # On a narrow chart every other tick is labelled, so labels never run into each other.
        labelled = not layout.labels_above or index % 2 == 0 or index == len(axis.ticks) - 1
        parts.append(
            f'<line x1="{x:.2f}" y1="{layout.top - 4}" x2="{x:.2f}" y2="{y + 4}"'
            ' class="kb-chart-grid"/>'
        )
        if labelled:
            parts.append(
                f'<text x="{x:.2f}" y="{y + 18}" text-anchor="{_tick_anchor(index, axis)}"'
                f' fill="currentColor">{format_number(tick)}</text>'
            )
    parts.append(
        f'<text x="{layout.plot_right:g}" y="{y + 34}" text-anchor="end" fill="currentColor">'
        f"{escape(unit)}</text>"
    )
    return "".join(parts)


def _tick_anchor(index: int, axis: Axis) -> str:
    """Return how a tick label stands on its tick: the last ends there, so it is never clipped."""
    return "end" if index == len(axis.ticks) - 1 else "middle"


def render_chart(
    comparison: Comparison, labels: Sequence[str], title: str, description: str, chart_id: str
) -> str:
    """Return the chart as one line of SVG markup (no blank lines: safe inside Markdown)."""
    body = chart_body(comparison, labels)
    return frame_chart(body, len(comparison.rows), title, description, chart_id)


def chart_body(
    comparison: Comparison,
    labels: Sequence[str],
    unit: str | None = None,
    layout: Layout = WIDE,
) -> str:
    """Return the chart's axis and rows: all of it but its size, ids and text alternative.

    ``unit``: the unit as readers write it on the axis (default: the comparison's UCUM code).
    """
    axis = make_axis(comparison.rows)
    rows = "".join(
        _row(i, row, label, axis, layout)
        for i, (row, label) in enumerate(zip(comparison.rows, labels, strict=True))
    )
    return f"{_axis(axis, len(comparison.rows), unit or comparison.unit, layout)}{rows}"


def frame_chart(
    body: str, rows: int, title: str, description: str, chart_id: str, layout: Layout = WIDE
) -> str:
    """Return the SVG element around a ``chart_body`` of ``rows`` rows, titled and described."""
    height = layout.top + rows * layout.row_height + layout.axis_height
    kind = "narrow" if layout.labels_above else "wide"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-chart kb-chart--{kind}" role="img"'
        f' viewBox="0 0 {layout.width} {height}" width="100%"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{layout.font_size}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{body}</svg>"
    )
