"""Charts as self-contained, accessible SVG strings, rendered on the server (pure Python).

Every chart is an `<svg role="img">` whose `<title>` and `<desc>` state what it
shows, values included, so the picture is never the only way to read it. Colours
meet WCAG AA contrast and each partner also has a shape or a pattern; fonts are
the system's own; all text is escaped; the same input always gives the same bytes.

    >>> svg = attachment_plane([PlanePoint("Alex", 5.3, 2.0)], ident="plane-1")
    >>> svg.startswith("<svg")
    True
"""

from attunement.charts.bars import Cutoff, ScaleRow, scale_bars
from attunement.charts.cycle import CycleSide, cycle_diagram, solo_cycle_diagram
from attunement.charts.plane import PlanePoint, attachment_plane

__all__ = [
    "Cutoff",
    "CycleSide",
    "PlanePoint",
    "ScaleRow",
    "attachment_plane",
    "cycle_diagram",
    "scale_bars",
    "solo_cycle_diagram",
]
