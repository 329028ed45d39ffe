"""A report view as JSON, as an HTML page or fragment, or as a PDF.

JSON is the view's data with titles filled in; docs/report-json.md documents it.
HTML comes from the Jinja2 templates in templates/insight/ (autoescaped), with
charts inline as SVG: it loads nothing from anywhere else and runs no scripts.
Plain language comes first and the evidence after it. A partner's own view with
a positive safety screen opens with a private section; every other view is
rendered from data that never held the screen, so it cannot show it.

This module puts the page together; its pictures and score table are worked out in
`figures`, the private section in `private`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from attunement import pdf
from attunement.charts.svg import number
from attunement.insight import figures
from attunement.insight.model import Evidence, Finding, Partner, Threshold, View
from attunement.insight.private import PRIVATE, private_section
from attunement.practices import Practice, catalogue

FORMAT, VERSION = "attunement.report", 1
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"  # report.css, also served by the web app
CYCLES = ("pursue_withdraw", "mutual_blame", "mutual_withdrawal")
STRENGTHS = ("repair_strength",)
COMPARISONS = {">=": "at least", ">": "above", "<": "below", "<=": "at most"}
# Screens after which the screened person's copy leaves out the couple findings and
# exercises: they frame things as a shared cycle, which does not fit when one partner
# is afraid of the other (DESIGN.md section 5: joint features pause).
PAUSES_COUPLE_PART = frozenset({"partner_violence"})


# --- JSON --------------------------------------------------------------------


def to_dict(view: View) -> dict[str, Any]:
    """The view as plain data: see docs/report-json.md for every key."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "audience": view.audience,
        "solo": view.solo,
        "partners": [_partner_dict(p) for p in view.partners],
        "support": {"level": view.support_level.value, "text": view.support_text},
        "findings": [_finding_dict(f) for f in view.findings],
        "screens": [
            {"concern": s.concern, "positive": s.positive, "acute": s.acute} for s in view.screens
        ],
    }


def to_json(view: View) -> str:
    """The view as JSON: keys in a fixed order, lists in report order, indented by 2."""
    return json.dumps(to_dict(view), indent=2, ensure_ascii=False)


def _partner_dict(partner: Partner) -> dict[str, Any]:
    scores = [
        {"instrument": i, "scale": s, "value": figures.plain_value(v), **figures.measure(i, s)}
        for i, scales in partner.shared.items()
        for s, v in scales.items()
    ]
    return {"key": partner.key, "name": partner.name, "scores": scores}


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.id,
        "title": finding.title,
        "text": finding.text,
        "partners": list(finding.partners),
        "roles": dict(finding.roles),
        "agreement": None if finding.agreement is None else finding.agreement.value,
        "private_to": finding.private_to,
        "evidence": [_evidence_dict(e) for e in finding.evidence],
        "practices": [
            {"id": p.id, "title": p.title, "summary": p.summary} for p in _practices(finding)
        ],
    }


def _evidence_dict(item: Evidence) -> dict[str, Any]:
    threshold = item.threshold
    return {
        "partner": item.partner,
        "instrument": item.instrument,
        "scale": item.scale,
        **figures.measure(item.instrument, item.scale),
        "value": figures.plain_value(item.value),
        "threshold": None
        if threshold is None
        else {
            "value": figures.plain_value(threshold.value),
            "comparison": threshold.comparison,
            "source": threshold.source,
            "rationale": threshold.rationale,
        },
        "meets": item.meets,
    }


def _practices(finding: Finding) -> list[Practice]:
    known = catalogue()
    return [known[p] for p in finding.practices]


# --- HTML --------------------------------------------------------------------


def to_html(view: View) -> str:
    """A whole, self-contained, print-friendly HTML5 document."""
    css = (STATIC / "insight" / "report.css").read_text(encoding="utf-8")
    return (
        _env()
        .get_template("insight/report.html")
        .render(css=Markup(css), body=Markup(html_fragment(view)))
    )


def html_fragment(view: View, links: Mapping[str, str] | None = None) -> str:
    """The report's content (no <html> or <head>), for a page that supplies its own CSS.

    `links` maps practice ids to where the practice can be done; those practices'
    titles become links (the web app passes them; a file or PDF has none).
    """
    page = {**_page(view), "links": dict(links or {}), "summary_heading": "", "more_url": ""}
    return _env().get_template("insight/_report_body.html").render(page=page)


def summary_fragment(
    view: View, links: Mapping[str, str] | None = None, heading: str = "", more_url: str = ""
) -> str:
    """The report's one-page summary alone, for a page of its own (the person's results).

    `more_url` is where the full report is, so "Also in this report" links reach it.
    """
    page = {**_page(view), "links": dict(links or {}), "summary_heading": heading,
            "more_url": more_url}  # fmt: skip
    return _env().get_template("insight/_summary_only.html").render(page=page)


def to_pdf(view: View) -> bytes:
    """The HTML document printed to PDF (`attunement.pdf`: the `pdf` extra, nothing fetched)."""
    return pdf.print_html(to_html(view))


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


def use_translations(
    gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]
) -> None:
    """Translate the report's words with these from now on (English, untranslated, until then).

    The web app passes Django's, which follow the language of the request being answered;
    the messages are in the same catalogue as the pages' (docs/translations.md).
    """
    _env().install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Row:
    """One line of an evidence table, ready to print."""

    partner: str
    measure: str
    value: str
    range: str
    cutoff: str
    source: str
    met: str
    rationale: str


@dataclass(frozen=True)
class Shown:
    """A finding as the page shows it."""

    finding: Finding
    heading: str
    practices: list[Practice]
    rows: list[Row]
    repeated: frozenset[str] = frozenset()  # practices already described higher up
    anchor: str = ""  # the id the one-page summary links to


def _page(view: View) -> dict[str, Any]:
    names = {p.key: p.name for p in view.partners}
    shown = [_shown(f, view, names) for f in view.findings if f.id not in PRIVATE]
    ordered = sorted(shown, key=_section)  # stable: report order within each
    cycle = next((s for s in ordered if _section(s) == 0), None)
    steps = _next_steps(view, ordered, cycle, names)
    # The summary describes its two next steps; the findings below only name them.
    ordered = _mark_repeats(ordered, {p.id for _who, p in steps})
    cycle = next((s for s in ordered if _section(s) == 0), None)
    rows = figures.scale_rows(view, [s.finding for s in ordered])
    strengths = [s for s in ordered if _section(s) == 1]
    others = [s for s in ordered if s is not cycle and _section(s) != 1]
    return {
        "view": view,
        "heading": _heading(view),
        "prepared_for": names.get(view.audience, ""),
        "private": private_section(view) if view.screens else None,
        "paused": any(s.concern in PAUSES_COUPLE_PART for s in view.screens),
        "level": view.support_level.value,
        "summary": {
            "strengths": [_strength(s, names) for s in strengths],
            "loop": figures.loop(view, cycle.finding) if cycle else [],
            "steps": steps,
        },
        "cycle": cycle,
        "cycle_svg": figures.cycle_svg(view, cycle.finding) if cycle else None,
        "plane_svg": figures.plane_svg(view),
        "strengths": strengths,
        "others": others,
        "bars_svg": figures.bars_svg(view, rows),
        "score_table": figures.score_table(rows),
        "evidence": [s for s in ordered if s.rows],
        "has_practices": any(s.practices for s in ordered),
    }


def _section(shown: Shown) -> int:
    """Where a finding goes: the cycle first, then strengths, then everything else."""
    return 0 if shown.finding.id in CYCLES else 1 if shown.finding.id in STRENGTHS else 2


def _mark_repeats(shown: Sequence[Shown], described: set[str]) -> list[Shown]:
    """A practice is described where it first appears; later findings only name it."""
    seen = set(described)
    marked = []
    for count, item in enumerate(shown, start=1):
        ids = [p.id for p in item.practices]
        repeated = frozenset(i for i in ids if i in seen)
        marked.append(replace(item, repeated=repeated, anchor=f"finding-{count}"))
        seen.update(ids)
    return marked


def _strength(shown: Shown, names: Mapping[str, str]) -> dict[str, Any]:
    """Whose strength it is, and what was measured: repair moves, talking things through."""
    scales = {e.scale for e in shown.finding.evidence}
    return {
        "who": names[shown.finding.partners[0]],
        "repair": "repair" in scales,
        "talk": "constructive" in scales,
    }


def _heading(view: View) -> str:
    if view.solo:
        return f"{view.partners[0].name}: your Attunement report"
    return f"{view.partners[0].name} and {view.partners[1].name}: your couple report"


def _shown(finding: Finding, view: View, names: Mapping[str, str]) -> Shown:
    heading = finding.title
    if len(finding.partners) == 1 and not view.solo:
        heading = f"{finding.title} ({names[finding.partners[0]]})"
    rows = [_row(e, names) for e in finding.evidence]
    return Shown(finding, heading, _practices(finding), rows)


def _row(item: Evidence, names: Mapping[str, str]) -> Row:
    measure = figures.measure(item.instrument, item.scale)
    span = measure["range"]
    limit = item.threshold
    return Row(
        partner=names.get(item.partner, item.partner),
        measure=f"{measure['title']} ({measure['instrument_title']})",
        value=number(item.value),
        range="" if span is None else f"{number(span[0])}–{number(span[1])}",
        cutoff="none" if limit is None else _cutoff(limit),
        source="" if limit is None else limit.source,
        met="" if item.meets is None else ("met" if item.meets else "not met"),
        rationale="" if limit is None else limit.rationale,
    )


def _cutoff(threshold: Threshold) -> str:
    return f"{COMPARISONS.get(threshold.comparison, '')} {number(threshold.value)}".strip()


def _next_steps(
    view: View, ordered: Sequence[Shown], cycle: Shown | None, names: Mapping[str, str]
) -> list[tuple[str, Practice]]:
    """Two things to try first: one for each role in the cycle, else the first two suggested."""
    together = "You" if view.solo else "Together"
    if cycle is not None and cycle.finding.id == "pursue_withdraw" and cycle.finding.roles:
        first = figures.cycle_words()["try_first"]
        steps = []
        for key, role in cycle.finding.roles.items():
            chosen = [p for p in cycle.practices if p.id in first.get(role, ())]
            who = "You" if view.solo else names[key]
            steps += [(who, p) for p in chosen[: 2 if view.solo else 1]]
        if steps:
            return steps
    seen: dict[str, Practice] = {}
    for shown in ordered:
        seen.update({p.id: p for p in shown.practices if p.id not in seen})
    return [(together, p) for p in list(seen.values())[:2]]
