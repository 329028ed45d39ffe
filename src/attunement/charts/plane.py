"""The attachment plane: worry about closeness (x) by discomfort with closeness (y), 1 to 7.

Scores stay continuous. The midpoint lines are drawn lightly and the four areas
are deliberately left unnamed: the chart places people, it does not type them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from attunement.charts.svg import (
    MUTED,
    RULE,
    coord,
    document,
    esc,
    line,
    number,
    series,
    shorten,
    text,
)

LOW, HIGH, MIDPOINT = 1.0, 7.0, 4.0
LEFT, RIGHT, TOP, BOTTOM = 84.0, 396.0, 20.0, 332.0
WIDTH, HEIGHT = 420.0, 420.0
UNIT = (RIGHT - LEFT) / (HIGH - LOW)


@dataclass(frozen=True)
class PlanePoint:
    name: str
    anxiety: float
    avoidance: float


def position(anxiety: float, avoidance: float) -> tuple[float, float]:
    """Where a pair of scores sits in the chart's coordinates (off-scale values are clamped)."""
    return (LEFT + (_clamp(anxiety) - LOW) * UNIT, BOTTOM - (_clamp(avoidance) - LOW) * UNIT)


def _clamp(value: float) -> float:
    return min(HIGH, max(LOW, value))


def attachment_plane(
    points: Sequence[PlanePoint],
    *,
    ident: str = "attachment-plane",
    title: str = "Worry and discomfort about closeness",
) -> str:
    """The plane with one labelled point per person (one or two people)."""
    body = [*_frame(), *_axes()]
    taken = [_marker_box(*position(p.anxiety, p.avoidance)) for p in points] + _midpoint_labels()
    for index, point in enumerate(points):
        drawn, label = _point(index, point, taken)
        body.append(drawn)
        taken.append(label)
    return document(ident, "plane", WIDTH, HEIGHT, title, describe(points), body)


def describe(points: Sequence[PlanePoint]) -> str:
    people = " ".join(
        f"{p.name}: worry {number(p.anxiety)}, discomfort {number(p.avoidance)}." for p in points
    )
    return (
        "A map with worry about closeness (attachment anxiety) from left to right and "
        "discomfort with closeness (attachment avoidance) from bottom to top, both on a "
        f"scale from 1 to 7. {people} Dashed lines mark the midpoint, 4. The scores are "
        "continuous; the map does not sort anyone into a type."
    )


def _frame() -> list[str]:
    size = RIGHT - LEFT
    mid_x, mid_y = position(MIDPOINT, MIDPOINT)
    return [
        f'<rect x="{coord(LEFT)}" y="{coord(TOP)}" width="{coord(size)}" height="{coord(size)}" '
        f'fill="#ffffff" stroke="{RULE}" stroke-width="1.5"/>',
        line(mid_x, TOP, mid_x, BOTTOM, dash="5 5"),
        line(LEFT, mid_y, RIGHT, mid_y, dash="5 5"),
        text(mid_x + 5, TOP + 15, "midpoint", size=13, fill=MUTED),
        text(RIGHT - 5, mid_y - 6, "midpoint", size=13, fill=MUTED, anchor="end"),
    ]


def _midpoint_labels() -> list[Box]:
    mid_x, mid_y = position(MIDPOINT, MIDPOINT)
    return [(mid_x + 3, TOP + 2, mid_x + 66, TOP + 19), (RIGHT - 66, mid_y - 19, RIGHT, mid_y - 2)]


def _axes() -> list[str]:
    parts = []
    for tick in range(int(LOW), int(HIGH) + 1):
        x, y = position(tick, tick)
        parts.append(text(x, BOTTOM + 21, str(tick), size=14, anchor="middle", fill=MUTED))
        parts.append(text(LEFT - 10, y + 5, str(tick), size=14, anchor="end", fill=MUTED))
    centre_x, centre_y = (LEFT + RIGHT) / 2, (TOP + BOTTOM) / 2
    parts += [
        text(centre_x, BOTTOM + 50, "More worry about closeness →", size=16, anchor="middle"),
        text(centre_x, BOTTOM + 70, "attachment anxiety, 1 to 7", size=13, anchor="middle",
             fill=MUTED),
        text(24, centre_y, "More discomfort with closeness →", size=16, anchor="middle",
             rotate=True),
        text(45, centre_y, "attachment avoidance, 1 to 7", size=13, anchor="middle", fill=MUTED,
             rotate=True),
    ]  # fmt: skip
    return parts


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _marker_box(x: float, y: float) -> Box:
    return (x - 9, y - 9, x + 9, y + 9)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(x: float, y: float, anchor: str, width: float) -> Box:
    left = x - width if anchor == "end" else x
    return (left, y - 15, left + width, y + 21)


def _place(x: float, y: float, width: float, taken: Sequence[Box]) -> tuple[float, float, str]:
    """A spot for a label beside its point that covers no other point or label."""
    usual = "end" if x > (LEFT + RIGHT) / 2 else "start"
    other = "start" if usual == "end" else "end"
    options = [(side, dy) for dy in (0, -40, 40, -80, 80, -120, 120) for side in (usual, other)]
    for anchor, dy in options:
        label_x = x - 14 if anchor == "end" else x + 14
        label_y = min(BOTTOM - 24, max(TOP + 18, y + 4 + dy))
        box = _label_box(label_x, label_y, anchor, width)
        inside = box[0] >= 0 and box[2] <= WIDTH
        mine = _marker_box(x, y)
        if inside and not any(_overlaps(box, t) for t in taken if t != mine):
            return label_x, label_y, anchor
    anchor, label_x = usual, (x - 14 if usual == "end" else x + 14)
    return label_x, min(BOTTOM - 24, max(TOP + 18, y + 4)), anchor


def _point(index: int, point: PlanePoint, taken: Sequence[Box]) -> tuple[str, Box]:
    style = series(index)
    x, y = position(point.anxiety, point.avoidance)
    if style.marker == "circle":
        mark = f'<circle cx="{coord(x)}" cy="{coord(y)}" r="8" fill="{style.colour}"'
    else:
        mark = f'<rect x="{coord(x - 7.5)}" y="{coord(y - 7.5)}" width="15" height="15" '
        mark += f'fill="{style.colour}"'
    mark += ' stroke="#ffffff" stroke-width="2"/>'
    name = shorten(point.name, 150, 14)
    values = f"worry {number(point.anxiety)}, discomfort {number(point.avoidance)}"
    width = max(len(name) * 9.5, len(values) * 7.4)
    label_x, label_y, anchor = _place(x, y, width, taken)
    leader = ""
    if abs(label_y - 4 - y) > 30:  # moved away from a crowded spot: point back at the mark
        leader = line(x, y, label_x, label_y - 5, stroke=style.colour)
    drawn = (
        f'<g class="point" data-name="{esc(point.name)}">{leader}{mark}'
        + text(label_x, label_y, name, size=15, bold=True, anchor=anchor, fill=style.colour)
        + text(label_x, label_y + 17, values, size=13, anchor=anchor)
        + "</g>"
    )
    return drawn, _label_box(label_x, label_y, anchor, width)
