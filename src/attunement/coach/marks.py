"""A message cut into pieces for display, each piece with the patterns that cover it.

Patterns may overlap ("you never listen, whatever" holds criticism and contempt
in overlapping spans), so a page cannot simply wrap each span in a tag. The
pieces here never overlap: every boundary of every span starts a new piece.

>>> from attunement.coach import analyze
>>> [(p.text, p.labels) for p in pieces(analyze("ok. you never listen"))]
[('ok. ', ()), ('you never', ('criticism',)), (' listen', ())]
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

from attunement.coach.analysis import Analysis


class Piece(NamedTuple):
    text: str
    labels: tuple[str, ...]  # the labels of every pattern covering this piece, sorted


def pieces(analysis: Analysis) -> list[Piece]:
    text = analysis.text
    cuts = {0, len(text)}
    for pattern in analysis.patterns:
        cuts.update((max(0, min(pattern.start, len(text))), max(0, min(pattern.end, len(text)))))
    bounds = sorted(cuts)
    found: list[Piece] = []
    for start, end in pairwise(bounds):
        if start == end:
            continue
        labels = tuple(
            sorted({p.label for p in analysis.patterns if p.start <= start and end <= p.end})
        )
        if found and found[-1].labels == labels:
            found[-1] = Piece(found[-1].text + text[start:end], labels)
        else:
            found.append(Piece(text[start:end], labels))
    return found
