"""The cycle in one picture: two moves, the fear under each, and arrows that close the loop.

Both sides get the same shape and the same weight: the loop is what is drawn as
the problem, never one of the people in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from attunement.charts.svg import INK, MUTED, coord, document, lines, series, wrap

WIDTH = 400.0
BOX_LEFT, BOX_RIGHT, PAD = 64.0, 336.0, 14.0
INNER = BOX_RIGHT - BOX_LEFT - 2 * PAD
LEAD = 1.3
NAME, BODY, SMALL = 17.0, 15.0, 13.0


@dataclass(frozen=True)
class CycleSide:
    label: str  # a name, or "Your move"
    move: str  # what the other person sees
    fear: str  # what it protects against
    fear_label: str = "Underneath"


def cycle_diagram(
    first: CycleSide,
    second: CycleSide,
    loop: tuple[str, str],
    *,
    ident: str = "cycle",
    title: str = "The cycle in one picture",
    note: str = "The cycle is the problem, not either of you.",
) -> str:
    """Two boxes joined by a loop: `loop[0]` runs from first to second, `loop[1]` back."""
    top, top_height = _box(0, first, 16.0)
    gap_lines = [f"↓ {loop[0]}", f"↑ {loop[1]}"]
    gap_rows = [row for sentence in gap_lines for row in wrap(sentence, 250, BODY)]
    gap = len(gap_rows) * BODY * LEAD + 28
    bottom_y = 16.0 + top_height + gap
    bottom, bottom_height = _box(1, second, bottom_y)
    note_rows = wrap(note, 380, BODY)
    note_y = bottom_y + bottom_height + 28
    height = note_y + len(note_rows) * BODY * LEAD + 4
    top_mid, bottom_mid = 16.0 + top_height / 2, bottom_y + bottom_height / 2
    body = [
        _markers(ident),
        top,
        bottom,
        lines(WIDTH / 2, 16.0 + top_height + 18 + BODY * 0.8, gap_rows, size=BODY, anchor="middle"),
        _arrow(ident, BOX_RIGHT, top_mid, BOX_RIGHT + 52, bottom_mid),
        _arrow(ident, BOX_LEFT, bottom_mid, BOX_LEFT - 52, top_mid),
        lines(WIDTH / 2, note_y, note_rows, size=BODY, anchor="middle", bold=True),
    ]
    desc = " ".join([_describe(first), f"{loop[0]}", _describe(second), f"{loop[1]}", note])
    return document(ident, "cycle", WIDTH, height, title, desc, body)


def solo_cycle_diagram(
    move: str,
    fear: str,
    partner_move: str,
    partner_fear: str,
    loop: tuple[str, str],
    *,
    ident: str = "cycle",
    title: str = "Your side of the cycle",
    note: str = "You can only change your own half, and that is often enough to slow it down.",
) -> str:
    """The one-person version: your move, and your partner's only as you see it."""
    yours = CycleSide("Your move", move, fear)
    theirs = CycleSide("Your partner, as you see it", partner_move, partner_fear, "Perhaps")
    return cycle_diagram(yours, theirs, loop, ident=ident, title=title, note=note)


def _describe(side: CycleSide) -> str:
    return f"{side.label}. Move: {side.move}. {side.fear_label}: {side.fear}."


def _box(index: int, side: CycleSide, y: float) -> tuple[str, float]:
    style = series(index)
    rows: list[tuple[str, float, bool, str]] = []  # text, size, bold, fill
    rows += [(row, NAME, True, style.colour) for row in wrap(side.label, INNER, NAME * 1.1)]
    rows += [("Move", SMALL, True, MUTED)]
    rows += [(row, BODY, False, INK) for row in wrap(side.move, INNER, BODY)]
    rows += [(side.fear_label, SMALL, True, MUTED)]
    rows += [(row, BODY, False, INK) for row in wrap(side.fear, INNER, BODY)]
    texts, baseline = [], y + PAD
    for n, (row, size, bold, fill) in enumerate(rows):
        gap = 8 if n and size == SMALL else 0  # a little air before "Underneath"
        baseline += size * LEAD * 0.85 if n == 0 else size * LEAD + gap
        texts.append(lines(BOX_LEFT + PAD, baseline, [row], size=size, bold=bold, fill=fill))
    height = baseline - y + PAD
    dash = ' stroke-dasharray="7 4"' if style.dashed else ""
    parts = [
        f'<rect x="{coord(BOX_LEFT)}" y="{coord(y)}" width="{coord(BOX_RIGHT - BOX_LEFT)}" '
        f'height="{coord(height)}" rx="10" fill="{style.tint}" stroke="{style.colour}" '
        f'stroke-width="2"{dash}/>',
        *texts,
    ]
    return f'<g class="side">{"".join(parts)}</g>', height


def _markers(ident: str) -> str:
    return (
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{INK}"/></marker></defs>'
    )


def _arrow(ident: str, x1: float, y1: float, bend: float, y2: float) -> str:
    """A curve leaving one box sideways and entering the other from the same side."""
    end = x1 + (3 if bend > x1 else -3)
    path = f"M{coord(x1)},{coord(y1)} C{coord(bend)},{coord(y1)} {coord(bend)},{coord(y2)} "
    path += f"{coord(end)},{coord(y2)}"
    return (
        f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="2.5" '
        f'marker-end="url(#{ident}-arrow)"/>'
    )
