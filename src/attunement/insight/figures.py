"""The report's pictures and its score table, worked out from a view.

The cycle diagram with the two sentences of its loop (words from
templates/insight/cycles.yaml), the attachment plane, the bars of every scale the
findings rest on and the same scores as a table for print; and what each scale is
called and its range, as the report's tables and its JSON name them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from attunement import charts
from attunement.charts.svg import number
from attunement.errors import UnknownInstrument
from attunement.insight.model import Finding, View
from attunement.instruments import library

CYCLE_WORDS = Path(__file__).parent / "templates" / "insight" / "cycles.yaml"
ANXIETY, AVOIDANCE = ("ecr_rs", "anxiety"), ("ecr_rs", "avoidance")


@cache
def cycle_words() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CYCLE_WORDS.read_text(encoding="utf-8"))
    return data


def measure(instrument: str, scale: str) -> dict[str, Any]:
    """Titles and range of a scale from the instrument library; ids if it is not known there."""
    try:
        found = library.get(instrument)
        measured = found.scale(scale)
    except (UnknownInstrument, StopIteration):
        return {"instrument_title": instrument, "title": scale, "range": None}
    low, high = measured.range
    return {
        "instrument_title": found.short_title,
        "title": measured.title,
        "range": [plain_value(low), plain_value(high)],
    }


def plain_value(value: float) -> int | float:
    """Whole numbers stay whole in JSON (11, not 11.0); other scores are floats."""
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def _both_step_back(finding: Finding) -> bool:
    """Whether a roles-differ cycle is both stepping back (else both reaching)."""
    withdraw = [e for e in finding.evidence if e.scale == "partner_demand_self_withdraw"]
    return bool(withdraw) and all(e.meets for e in withdraw)


def loop(view: View, finding: Finding) -> list[str]:
    """The two sentences of the cycle's loop, names filled in as the picture has them."""
    return list(_cycle_words_for(view, finding)[1])


def _cycle_words_for(view: View, finding: Finding) -> tuple[dict[str, Any], tuple[str, str]]:
    """The cycle picture's words for this view (names filled in) and its two loop sentences."""
    words = cycle_words()[finding.id]
    if view.solo:
        variant = "solo_withdrawer" if "withdrawer" in finding.roles.values() else "solo"
        solo: dict[str, Any] = words.get(variant, words["solo"])
        return solo, (solo["loop"][0], solo["loop"][1])
    a, b = view.partners
    fill = {"a": a.name, "b": b.name}
    fill |= {role: next(p.name for p in view.partners if p.key == key)
             for key, role in finding.roles.items()}  # fmt: skip
    couple: dict[str, Any] = words["couple"]
    if finding.agreement is not None and finding.agreement.value == "roles_differ":
        couple = words.get(
            "couple_both_step_back" if _both_step_back(finding) else "couple_both_reach", couple
        )
    sides = {k: {f: v.format_map(fill) for f, v in couple[k].items()} for k in ("first", "second")}
    loop = (couple["loop"][0].format_map(fill), couple["loop"][1].format_map(fill))
    return sides, loop


def cycle_svg(view: View, finding: Finding) -> Markup:
    spec, loop = _cycle_words_for(view, finding)
    if view.solo:
        svg = charts.solo_cycle_diagram(
            spec["move"], spec["fear"], spec["partner_move"], spec["partner_fear"], loop,
            ident="report-cycle",
        )  # fmt: skip
        return Markup(svg)

    def side(words: Mapping[str, str]) -> charts.CycleSide:
        return charts.CycleSide(words["label"], words["move"], words["fear"])

    svg = charts.cycle_diagram(
        side(spec["first"]), side(spec["second"]), loop, ident="report-cycle"
    )
    return Markup(svg)


def plane_svg(view: View) -> Markup | None:
    points = [
        charts.PlanePoint(p.name, anxiety, avoidance)
        for p in view.partners
        if (anxiety := p.value(*ANXIETY)) is not None
        and (avoidance := p.value(*AVOIDANCE)) is not None
    ]
    return Markup(charts.attachment_plane(points, ident="report-plane")) if points else None


def scale_rows(view: View, findings: Sequence[Finding]) -> list[charts.ScaleRow]:
    """Every scale the findings rest on, each partner's shared score side by side."""
    cutoffs: dict[tuple[str, str], dict[tuple[float, str, str], charts.Cutoff]] = {}
    for item in (e for f in findings for e in f.evidence):
        limits = cutoffs.setdefault((item.instrument, item.scale), {})
        if item.threshold is not None:
            t = item.threshold
            limits.setdefault((t.value, t.comparison, t.source),
                              charts.Cutoff(t.value, t.source, t.comparison))  # fmt: skip
    rows = []
    for (instrument, scale), limits in cutoffs.items():
        span = measure(instrument, scale)["range"]
        if span is None:
            continue
        title = measure(instrument, scale)
        rows.append(
            charts.ScaleRow(
                f"{title['title']} ({title['instrument_title']})", span[0], span[1],
                tuple(p.value(instrument, scale) for p in view.partners),
                tuple(sorted(limits.values(), key=lambda c: c.value)),
            )
        )  # fmt: skip
    return rows


def bars_svg(view: View, rows: Sequence[charts.ScaleRow]) -> Markup | None:
    if not rows:
        return None
    names = [p.name for p in view.partners]
    return Markup(charts.scale_bars(names, list(rows), ident="report-bars"))


def score_table(rows: Sequence[charts.ScaleRow]) -> list[dict[str, Any]]:
    """The same scores as a compact table, for print: one line per scale."""
    return [
        {
            "title": row.title,
            "values": ["–" if v is None else number(v) for v in row.values],
            "range": f"{number(row.low)}–{number(row.high)}",
            "cutoffs": "; ".join(c.label for c in row.cutoffs),
        }
        for row in rows
    ]
