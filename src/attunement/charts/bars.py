"""Scores side by side: one bar per partner on each scale's own range, with its cut-offs.

Each cut-off line says where it comes from: `published` (a research cut-off) or
`ours` (a line Attunement chose, and says why in the report).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from attunement.charts.svg import (
    INK,
    MUTED,
    RULE,
    TRACK,
    coord,
    document,
    lines,
    number,
    series,
    shorten,
    text,
    wrap,
)

WIDTH = 420.0
NAME_RIGHT, TRACK_LEFT, TRACK_RIGHT, VALUE_LEFT = 86.0, 96.0, 364.0, 372.0
BAR, BAR_GAP, ROW_GAP = 20.0, 6.0, 26.0
TITLE, LABEL, SMALL = 16.0, 15.0, 13.0
COMPARISONS = {">=": "at least", ">": "above", "<": "below", "<=": "at most", "": "cut-off"}


@dataclass(frozen=True)
class Cutoff:
    value: float
    source: str  # "published" or "ours"
    comparison: str = ""  # ">=", "<", "<=" as in the threshold, or "" for a bare line

    @property
    def label(self) -> str:
        """E.g. `below 13.5 (published)`, `at least 15 (ours)`."""
        return f"{COMPARISONS.get(self.comparison, 'cut-off')} {number(self.value)} ({self.source})"


@dataclass(frozen=True)
class ScaleRow:
    title: str
    low: float
    high: float
    values: tuple[
        float | None, ...
    ]  # one per partner, in the order of `partners`; None: not shared
    cutoffs: tuple[Cutoff, ...] = ()

    def x(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        share = min(1.0, max(0.0, (value - self.low) / span))
        return TRACK_LEFT + share * (TRACK_RIGHT - TRACK_LEFT)


def scale_bars(
    partners: Sequence[str],
    rows: Sequence[ScaleRow],
    *,
    ident: str = "scale-bars",
    title: str = "Scores at a glance",
) -> str:
    """Horizontal bars for each scale in `rows`, one per name in `partners`."""
    body = [_patterns(ident, len(partners)), _legend(ident, partners)]
    y = 44.0
    for row in rows:
        drawn, y = _row(ident, partners, row, y)
        body.append(drawn)
    return document(ident, "bars", WIDTH, y, title, describe(partners, rows), body)


def describe(partners: Sequence[str], rows: Sequence[ScaleRow]) -> str:
    sentences = [
        f"Bar chart: each partner's score on {len(rows)} "
        f"scale{'s' if len(rows) != 1 else ''}, each on its own range."
    ]
    for row in rows:
        cuts = "; ".join(c.label for c in row.cutoffs)
        scores = ", ".join(
            f"{name} {'not shared' if value is None else number(value)}"
            for name, value in zip(partners, row.values, strict=False)
        )
        cut_text = f", cut-off {cuts}" if cuts else ""
        sentences.append(
            f"{row.title} (from {number(row.low)} to {number(row.high)}{cut_text}): {scores}."
        )
    return " ".join(sentences)


def _fill(ident: str, index: int) -> str:
    style = series(index)
    return f"url(#{ident}-hatch-{index})" if style.hatched else style.colour


def _patterns(ident: str, count: int) -> str:
    patterns = []
    for index in range(count):
        style = series(index)
        if style.hatched:
            patterns.append(
                f'<pattern id="{ident}-hatch-{index}" width="6" height="6" '
                'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="#ffffff"/>'
                f'<rect width="3" height="6" fill="{style.colour}"/></pattern>'
            )
    return f"<defs>{''.join(patterns)}</defs>"


def _legend(ident: str, partners: Sequence[str]) -> str:
    parts, x = [], 0.0
    for index, name in enumerate(partners):
        shown = shorten(name, 160, LABEL)
        parts.append(
            f'<rect x="{coord(x + 1)}" y="9" width="16" height="16" fill="{_fill(ident, index)}" '
            f'stroke="{series(index).colour}" stroke-width="1.5"/>'
        )
        parts.append(text(x + 24, 22, shown, size=LABEL, bold=True))
        x += 24 + len(shown) * 9 + 20
    return f'<g class="legend">{"".join(parts)}</g>'


def _row(ident: str, partners: Sequence[str], row: ScaleRow, y: float) -> tuple[str, float]:
    title_rows = wrap(row.title, WIDTH, TITLE)
    parts = [lines(0, y + TITLE, title_rows, size=TITLE, bold=True)]
    y += len(title_rows) * TITLE * 1.3 + 4
    label_ys = []
    for cut in row.cutoffs:
        y += SMALL + 4
        x = row.x(cut.value)
        anchor = _anchor(x, [row.x(c.value) for c in row.cutoffs if c is not cut])
        parts.append(text(x + (-4 if anchor == "end" else 4), y, cut.label, size=SMALL,
                          anchor=anchor))  # fmt: skip
        label_ys.append(y - SMALL + 1)
    y += 6
    bars_top = y
    for index, (name, value) in enumerate(zip(partners, row.values, strict=False)):
        parts.append(_bar(ident, index, name, value, row, y))
        y += BAR + BAR_GAP
    bars_bottom = y - BAR_GAP
    for cut, top in zip(row.cutoffs, label_ys, strict=True):
        x = row.x(cut.value)
        parts.append(
            f'<line x1="{coord(x)}" y1="{coord(top)}" x2="{coord(x)}" '
            f'y2="{coord(bars_bottom + 4)}" stroke="{INK}" stroke-width="2" '
            'stroke-dasharray="4 3"/>'
        )
    y = max(y, bars_top) + 12
    parts.append(text(TRACK_LEFT, y, number(row.low), size=SMALL, fill=MUTED))
    parts.append(text(TRACK_RIGHT, y, number(row.high), size=SMALL, fill=MUTED, anchor="end"))
    return f'<g class="scale">{"".join(parts)}</g>', y + ROW_GAP


def _anchor(x: float, others: Sequence[float]) -> str:
    """Which side of its line a cut-off label goes: away from the other cut-off lines."""
    if others and all(o > x for o in others) and x - TRACK_LEFT > 60:
        return "end"
    if others and all(o < x for o in others):
        return "start"
    return "end" if x > (TRACK_LEFT + TRACK_RIGHT) / 2 else "start"


def _bar(ident: str, index: int, name: str, value: float | None, row: ScaleRow, y: float) -> str:
    style = series(index)
    parts = [
        text(NAME_RIGHT, y + 15, shorten(name, NAME_RIGHT, LABEL), size=LABEL, anchor="end"),
        f'<rect x="{coord(TRACK_LEFT)}" y="{coord(y)}" width="{coord(TRACK_RIGHT - TRACK_LEFT)}" '
        f'height="{coord(BAR)}" fill="{TRACK}" stroke="{RULE}" stroke-width="1"/>',
    ]
    if value is None:
        parts.append(text(TRACK_LEFT + 6, y + 15, "not shared", size=SMALL, fill=MUTED))
        return "".join(parts)
    end = row.x(value)
    if end > TRACK_LEFT:
        parts.append(
            f'<rect x="{coord(TRACK_LEFT)}" y="{coord(y)}" width="{coord(end - TRACK_LEFT)}" '
            f'height="{coord(BAR)}" fill="{_fill(ident, index)}" stroke="{style.colour}" '
            'stroke-width="1.5"/>'
        )
    parts.append(text(VALUE_LEFT, y + 15, number(value), size=LABEL, bold=True))
    return "".join(parts)
