"""A sparkline: one person's check-ins as a small line, for a row in a list (pure Python).

No axes and no labels inside: the row around it says whose line it is and its
latest value, and the <desc> states first, latest, lowest and highest, so the
picture is never the only way to read it. A missed week breaks the line, as in
the full trend chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from attunement.charts.svg import RULE, coord, document, number, series
from attunement.progress.warning import MAX_GAP_DAYS

WIDTH, HEIGHT, PAD = 132.0, 36.0, 4.0


def sparkline(
    name: str,
    points: Sequence[tuple[date, float]],
    *,
    ident: str,
    low: float = 0.0,
    high: float = 21.0,
    cutoff: float | None = None,
    index: int = 0,
    what: str = "Relationship satisfaction (CSI-4)",
) -> str:
    """`points` (day, value) as a small line from `low` to `high`, the latest one marked."""
    ordered = sorted(points)
    style = series(index)
    body = []
    if cutoff is not None:
        y = _y(cutoff, low, high)
        body.append(
            f'<line x1="{coord(PAD)}" y1="{coord(y)}" x2="{coord(WIDTH - PAD)}" y2="{coord(y)}" '
            f'stroke="{RULE}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    for run in _runs(ordered):
        if len(run) > 1:
            path = " ".join(f"{coord(_x(d, ordered))},{coord(_y(v, low, high))}" for d, v in run)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{style.colour}" stroke-width="2"/>'
            )
    if ordered:
        day, value = ordered[-1]
        body.append(
            f'<circle cx="{coord(_x(day, ordered))}" cy="{coord(_y(value, low, high))}" r="3" '
            f'fill="{style.colour}"/>'
        )
    title = f"{name}: {what}, check-ins over time"
    return document(ident, "spark", WIDTH, HEIGHT, title, describe(name, ordered, cutoff), body)


def describe(name: str, points: Sequence[tuple[date, float]], cutoff: float | None) -> str:
    if not points:
        return f"{name}: no check-ins yet."
    values = [v for _, v in points]
    count = f"{len(points)} check-in{'s' if len(points) != 1 else ''}"
    text = (
        f"{name}: {count} from {points[0][0].isoformat()} to {points[-1][0].isoformat()}; "
        f"first {number(values[0])}, latest {number(values[-1])}, "
        f"lowest {number(min(values))}, highest {number(max(values))}"
    )
    if cutoff is not None:
        text += f"; {sum(v < cutoff for v in values)} below the cut-off of {number(cutoff)}"
    return text + "."


def _x(day: date, points: Sequence[tuple[date, float]]) -> float:
    first, last = points[0][0], points[-1][0]
    span = (last - first).days
    if span == 0:
        return WIDTH / 2
    return PAD + (day - first).days / span * (WIDTH - 2 * PAD)


def _y(value: float, low: float, high: float) -> float:
    share = min(1.0, max(0.0, (value - low) / ((high - low) or 1.0)))
    return HEIGHT - PAD - share * (HEIGHT - 2 * PAD)


def _runs(points: Sequence[tuple[date, float]]) -> list[list[tuple[date, float]]]:
    runs: list[list[tuple[date, float]]] = []
    for point in points:
        if runs and (point[0] - runs[-1][-1][0]).days <= MAX_GAP_DAYS:
            runs[-1].append(point)
        else:
            runs.append([point])
    return runs
