"""What every chart shares: escaping, number formatting, wrapped text, the palette, the frame."""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
# System fonts only: a chart must never make a request for a font.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#1a1a1a"  # 17:1 on white
MUTED = "#595959"  # 7:1 on white: secondary text
RULE = "#767676"  # 4.5:1 on white: axes, midpoint and cut-off lines
TRACK = "#f2f2f2"
IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Series:
    """How one partner is drawn: a colour plus a cue that does not need colour."""

    colour: str  # at least 4.5:1 on white, so it works for text and for marks
    tint: str  # a light background in the same hue, for boxes
    marker: str  # "circle" or "square"
    hatched: bool  # bars: solid or diagonal hatching
    dashed: bool  # box outlines: solid or dashed


SERIES = (
    Series("#1d5fa8", "#eaf1fa", "circle", hatched=False, dashed=False),
    Series("#9a4400", "#fbf0e6", "square", hatched=True, dashed=True),
)


def series(index: int) -> Series:
    return SERIES[index % len(SERIES)]


def esc(text: object) -> str:
    """Text made safe for SVG and HTML content and for quoted attribute values."""
    return html.escape(str(text), quote=True)


def number(value: float) -> str:
    """A score as people read it: 5.3, 2, 13.5 (at most two decimals, no trailing zeros)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def coord(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines that fit `width` user units at font `size`, by an average character width."""
    return textwrap.wrap(text, max(8, int(width / (size * 0.56)))) or [""]


def shorten(text: str, width: float, size: float) -> str:
    """One line, cut with an ellipsis if it would not fit; the full text stays in <desc>."""
    room = max(4, int(width / (size * 0.6)))
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    size: float = 14,
    bold: bool = False,
    fill: str = INK,
    rotate: bool = False,
) -> str:
    attrs = [f'x="{coord(x)}"', f'y="{coord(y)}"', f'font-size="{coord(size)}"']
    if anchor != "start":
        attrs.append(f'text-anchor="{anchor}"')
    if bold:
        attrs.append('font-weight="bold"')
    if fill != INK:
        attrs.append(f'fill="{fill}"')
    if rotate:
        attrs.append(f'transform="rotate(-90 {coord(x)} {coord(y)})"')
    return f"<text {' '.join(attrs)}>{esc(content)}</text>"


def lines(
    x: float,
    y: float,
    rows: Sequence[str],
    *,
    size: float = 14,
    leading: float = 1.3,
    anchor: str = "start",
    bold: bool = False,
    fill: str = INK,
) -> str:
    """Several lines of text, the first baseline at `y`."""
    step = size * leading
    return "".join(
        text(x, y + n * step, row, size=size, anchor=anchor, bold=bold, fill=fill)
        for n, row in enumerate(rows)
    )


def line(x1: float, y1: float, x2: float, y2: float, *, stroke: str = RULE, dash: str = "") -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{coord(x1)}" y1="{coord(y1)}" x2="{coord(x2)}" y2="{coord(y2)}" '
        f'stroke="{stroke}" stroke-width="1.5"{dashed}/>'
    )


def document(
    ident: str, kind: str, width: float, height: float, title: str, desc: str, body: Sequence[str]
) -> str:
    """The <svg> element: an image with a title and a description that states the values."""
    if not IDENT.fullmatch(ident):
        raise ValueError(f"chart id {ident!r} must be a letter followed by letters, digits, - or _")
    size = f'viewBox="0 0 {coord(width)} {coord(height)}" width="{coord(width)}" '
    size += f'height="{coord(height)}"'
    return (
        f'<svg xmlns="{SVG_NS}" {size} role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="chart chart-{kind}" id="{ident}" '
        f'font-family="{FONT}" fill="{INK}">'
        f'<title id="{ident}-title">{esc(title)}</title>'
        f'<desc id="{ident}-desc">{esc(desc)}</desc>'
        f"{''.join(body)}</svg>"
    )
