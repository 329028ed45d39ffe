"""Check-ins over time: one line per partner, the published cut-off, reliable-change marks.

Time runs left to right by date, so a missed week shows as a gap in the line
(a line never joins check-ins more than MAX_GAP_DAYS apart). A point that is
reliably higher than the series' first check-in gets a triangle above it, one
reliably lower a triangle below it (Jacobson & Truax, with the norms in
progress/norms.yaml). `trend_table` and `trend_text` give the same data as a
table, for people who do not see the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from attunement.charts.bars import Cutoff
from attunement.charts.svg import (
    INK,
    MUTED,
    RULE,
    TRACK,
    coord,
    document,
    esc,
    line,
    lines,
    number,
    series,
    shorten,
    text,
)
from attunement.instruments.model import Source
from attunement.progress.reliable_change import Change, Norm, reliable_change
from attunement.progress.warning import MAX_GAP_DAYS, csi4_norm

WIDTH, HEIGHT = 560.0, 324.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 470.0, 48.0, 244.0
LABEL_GAP = 110.0  # the least room between two date labels (a date is about 70 wide)
DENSE = 26  # more points than this in a series: smaller marks
LABEL, SMALL = 14.0, 12.0
STEPS = (1, 2, 3, 5, 10, 20, 25, 50, 100)


@dataclass(frozen=True)
class TrendPoint:
    day: date
    value: float
    change: Change = Change.NO_RELIABLE_CHANGE  # reliable change from the series' first point


@dataclass(frozen=True)
class Trend:
    name: str
    points: tuple[TrendPoint, ...]  # oldest first


@dataclass(frozen=True)
class Axis:
    title: str  # what the values are, e.g. "Relationship satisfaction (CSI-4)"
    low: float
    high: float
    cutoff: Cutoff | None = None

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        share = min(1.0, max(0.0, (value - self.low) / span))
        return BOTTOM - share * (BOTTOM - TOP)

    def below(self, value: float) -> bool:
        return self.cutoff is not None and value < self.cutoff.value


def csi4_axis() -> Axis:
    """The CSI-4 total, 0 to 21, with its published cut-off from norms.yaml."""
    norm = csi4_norm()
    line = norm.cutoff
    cut = Cutoff(line.value, line.status.value) if line is not None else None
    return Axis("Relationship satisfaction (CSI-4)", 0.0, 21.0, cut)


def trend(name: str, points: Sequence[tuple[date, float]], norm: Norm | None = None) -> Trend:
    """A partner's series, each point marked by its reliable change from the first point."""
    norm = norm or csi4_norm()
    ordered = sorted(points)
    first = ordered[0][1] if ordered else 0.0
    return Trend(
        name,
        tuple(TrendPoint(d, v, reliable_change(first, v, norm).change) for d, v in ordered),
    )


def trend_chart(
    trends: Sequence[Trend],
    *,
    axis: Axis | None = None,
    ident: str = "trend",
    title: str = "Relationship satisfaction, week by week",
) -> str:
    """One line per trend (one partner alone, or two overlaid), on a shared time axis."""
    axis = axis or csi4_axis()
    days = sorted({p.day for t in trends for p in t.points})
    body = [_legend(trends), *_grid(axis)]
    if days:
        body += _x_labels(days)
        body += [_series(index, t, axis, days) for index, t in enumerate(trends)]
    else:
        body.append(text((LEFT + RIGHT) / 2, (TOP + BOTTOM) / 2, "No check-ins yet",
                         anchor="middle", size=LABEL, fill=MUTED))  # fmt: skip
    if axis.cutoff is not None:
        body.append(_cutoff(axis, axis.cutoff))
    if days:
        body.append(_key())
    return document(ident, "trend", WIDTH, HEIGHT, title, describe(trends, axis), body)


def describe(trends: Sequence[Trend], axis: Axis | None = None) -> str:
    """The chart in words: what is drawn, and each partner's first, latest, lowest and highest."""
    axis = axis or csi4_axis()
    sentences = [
        f"Line chart of {axis.title}, from {number(axis.low)} to {number(axis.high)}, "
        "one point per check-in, oldest on the left."
    ]
    if axis.cutoff is not None:
        sentences.append(
            f"A dashed line marks the {_cutoff_name(axis.cutoff)} at "
            f"{number(axis.cutoff.value)}; below it means notable dissatisfaction."
        )
    sentences += [_summary(t, axis) for t in trends]
    sentences.append("Every value is also in the table that goes with this chart.")
    return " ".join(sentences)


def trend_rows(trends: Sequence[Trend], axis: Axis | None = None) -> list[list[str]]:
    """The data as rows: a header, then one row per week (Monday to Sunday), one column each.

    Partners rarely check in on the same day; a row per week puts their answers side
    by side. Two check-ins by one person in one week are both given, in order.
    """
    axis = axis or csi4_axis()
    by_week: list[dict[date, list[TrendPoint]]] = []
    for found in trends:
        weeks: dict[date, list[TrendPoint]] = {}
        for point in found.points:
            weeks.setdefault(_monday(point.day), []).append(point)
        by_week.append(weeks)
    mondays = sorted({m for weeks in by_week for m in weeks})
    rows = [["Week of", *(t.name for t in trends)]]
    for monday in mondays:
        cells = [", then ".join(_cell(p, axis) for p in w.get(monday, [])) for w in by_week]
        rows.append([monday.isoformat(), *(c or "no check-in" for c in cells)])
    return rows


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def trend_table(trends: Sequence[Trend], axis: Axis | None = None, *, caption: str = "") -> str:
    """The text alternative as an HTML table (escaped, no inline styles)."""
    rows = trend_rows(trends, axis)
    caption = caption or describe(trends, axis).split(". ")[0] + "."
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in rows[0])
    body = "".join(
        f'<tr><th scope="row">{esc(r[0])}</th>{"".join(f"<td>{esc(c)}</td>" for c in r[1:])}</tr>'
        for r in rows[1:]
    )
    if len(rows) == 1:
        body = f'<tr><td colspan="{len(rows[0])}">No check-ins yet.</td></tr>'
    return (
        f'<table class="chart-table trend-table"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def trend_text(trends: Sequence[Trend], axis: Axis | None = None) -> str:
    """The text alternative as plain text, one line per date, for the command line."""
    rows = trend_rows(trends, axis)
    if len(rows) == 1:
        return "No check-ins yet."
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _cutoff_name(cut: Cutoff) -> str:
    return "published cut-off" if cut.source == Source.PUBLISHED else "our cut-off"


def _cell(point: TrendPoint, axis: Axis) -> str:
    notes = ["below the cut-off"] if axis.below(point.value) else []
    if point.change is Change.IMPROVED:
        notes.append("reliably higher than the first check-in")
    elif point.change is Change.DETERIORATED:
        notes.append("reliably lower than the first check-in")
    return number(point.value) + (f" ({'; '.join(notes)})" if notes else "")


def _summary(found: Trend, axis: Axis) -> str:
    points = found.points
    if not points:
        return f"{found.name}: no check-ins yet."
    values = [p.value for p in points]
    count = f"{len(points)} check-in{'s' if len(points) != 1 else ''}"
    if len(points) == 1:
        return f"{found.name}: {count}, on {points[0].day.isoformat()}, {number(values[0])}."
    sentence = (
        f"{found.name}: {count} from {points[0].day.isoformat()} to "
        f"{points[-1].day.isoformat()}; first {number(values[0])}, latest {number(values[-1])}, "
        f"lowest {number(min(values))}, highest {number(max(values))}"
    )
    below = sum(axis.below(v) for v in values)
    if axis.cutoff is not None:
        sentence += f"; {below} below the cut-off"
    for change, words in ((Change.IMPROVED, "higher"), (Change.DETERIORATED, "lower")):
        marked = sum(p.change is change for p in points)
        if marked:
            sentence += f"; {marked} reliably {words} than the first"
    return sentence + "."


def _x(day: date, days: Sequence[date]) -> float:
    span = (days[-1] - days[0]).days
    if span == 0:
        return (LEFT + RIGHT) / 2
    return LEFT + (day - days[0]).days / span * (RIGHT - LEFT)


def _step(low: float, high: float) -> int:
    return next((s for s in STEPS if (high - low) / s <= 8), STEPS[-1])


def _grid(axis: Axis) -> list[str]:
    parts = [
        f'<rect x="{coord(LEFT)}" y="{coord(TOP)}" width="{coord(RIGHT - LEFT)}" '
        f'height="{coord(BOTTOM - TOP)}" fill="#ffffff" stroke="{RULE}" stroke-width="1.5"/>'
    ]
    step, tick = _step(axis.low, axis.high), axis.low
    while tick <= axis.high + 1e-9:
        y = axis.y(tick)
        if axis.low < tick < axis.high:
            parts.append(line(LEFT, y, RIGHT, y, stroke=TRACK))
        parts.append(text(LEFT - 8, y + 4, number(tick), size=SMALL, anchor="end", fill=MUTED))
        tick += step
    return [f'<g class="grid">{"".join(parts)}</g>']


def _label_days(days: Sequence[date]) -> list[date]:
    """The first and last date, and dates between them at least LABEL_GAP apart."""
    if len(days) == 1:
        return list(days)
    picked = [days[0]]
    for day in days[1:-1]:
        far_back = _x(day, days) - _x(picked[-1], days) >= LABEL_GAP
        if far_back and _x(days[-1], days) - _x(day, days) >= LABEL_GAP:
            picked.append(day)
    return [*picked, days[-1]]


def _x_labels(days: Sequence[date]) -> list[str]:
    picks = _label_days(days)
    parts = []
    for day in picks:
        x = _x(day, days)
        anchor = "middle"
        if len(picks) > 1 and day == picks[0]:
            anchor = "start"
        elif len(picks) > 1 and day == picks[-1]:
            anchor = "end"
        parts.append(line(x, BOTTOM, x, BOTTOM + 5))
        parts.append(text(x, BOTTOM + 20, day.isoformat(), size=SMALL, anchor=anchor, fill=MUTED))
    return [f'<g class="dates">{"".join(parts)}</g>']


def _runs(points: Sequence[TrendPoint]) -> list[list[TrendPoint]]:
    """The points split where a week is missing: a line never bridges a gap."""
    runs: list[list[TrendPoint]] = []
    for point in points:
        if runs and (point.day - runs[-1][-1].day).days <= MAX_GAP_DAYS:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs


def _series(index: int, found: Trend, axis: Axis, days: Sequence[date]) -> str:
    style = series(index)
    dense = len(found.points) > DENSE
    dash = ' stroke-dasharray="6 4"' if style.dashed else ""
    parts = []
    for run in _runs(found.points):
        if len(run) > 1:
            path = " ".join(f"{coord(_x(p.day, days))},{coord(axis.y(p.value))}" for p in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{style.colour}" '
                f'stroke-width="2"{dash}/>'
            )
    for point in found.points:
        parts.append(_mark(index, _x(point.day, days), axis.y(point.value), point.change, dense))
    return f'<g class="series" data-name="{esc(found.name)}">{"".join(parts)}</g>'


def _mark(index: int, x: float, y: float, change: Change, dense: bool) -> str:
    style = series(index)
    size = 3.5 if dense else 5.0
    if style.marker == "circle":
        mark = f'<circle cx="{coord(x)}" cy="{coord(y)}" r="{coord(size)}"'
    else:
        mark = f'<rect x="{coord(x - size)}" y="{coord(y - size)}" '
        mark += f'width="{coord(2 * size)}" height="{coord(2 * size)}"'
    mark += f' fill="{style.colour}" stroke="#ffffff" stroke-width="1.5"/>'
    if change is Change.NO_RELIABLE_CHANGE:
        return mark
    up = change is Change.IMPROVED
    top = y - 3 * size - 3 if up else y + size + 3  # just above or just below the mark
    return mark + _triangle(x, top, up=up, size=size, colour=style.colour)


def _triangle(x: float, top: float, *, up: bool, size: float, colour: str) -> str:
    """A reliable-change mark, `2 × size` tall from `top`: pointing up (higher) or down (lower)."""
    tip, base = (top, top + 2 * size) if up else (top + 2 * size, top)
    corners = f"{coord(x)},{coord(tip)} {coord(x - size)},{coord(base)} "
    corners += f"{coord(x + size)},{coord(base)}"
    kind = "higher" if up else "lower"
    return f'<polygon class="reliable-{kind}" points="{corners}" fill="{colour}"/>'


def _cutoff(axis: Axis, cut: Cutoff) -> str:
    """The dashed line, labelled in the right margin so no point can hide the label."""
    y = axis.y(cut.value)
    name = ["published", "cut-off"] if cut.source == Source.PUBLISHED else ["our", "cut-off"]
    return (
        f'<g class="cutoff">'
        f'<line x1="{coord(LEFT)}" y1="{coord(y)}" x2="{coord(RIGHT + 4)}" y2="{coord(y)}" '
        f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 3"/>'
        + lines(RIGHT + 8, y - 4, [name[0], f"{name[1]} {number(cut.value)}"], size=SMALL)
        + "</g>"
    )


def _legend(trends: Sequence[Trend]) -> str:
    parts, x = [], LEFT
    for index, found in enumerate(trends):
        style = series(index)
        dash = ' stroke-dasharray="6 4"' if style.dashed else ""
        name = shorten(found.name, 160, LABEL)
        parts.append(
            f'<line x1="{coord(x)}" y1="17" x2="{coord(x + 28)}" y2="17" '
            f'stroke="{style.colour}" stroke-width="2"{dash}/>'
        )
        parts.append(_mark(index, x + 14, 17, Change.NO_RELIABLE_CHANGE, dense=False))
        parts.append(text(x + 36, 22, name, size=LABEL, bold=True))
        x += 36 + len(name) * 9 + 24
    return f'<g class="legend">{"".join(parts)}</g>'


def _key() -> str:
    """What the triangles mean, under the dates."""
    y = BOTTOM + 50
    return (
        '<g class="key">'
        + _triangle(LEFT + 5, y - 9, up=True, size=4.5, colour=INK)
        + text(LEFT + 16, y, "reliably higher than the first check-in", size=SMALL)
        + _triangle(LEFT + 5, y + 11, up=False, size=4.5, colour=INK)
        + text(LEFT + 16, y + 20, "reliably lower than the first check-in", size=SMALL)
        + "</g>"
    )
