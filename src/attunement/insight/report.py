"""Build a couple report from what partners share, and cut it into views.

The joint findings are computed from shared scale scores alone; safety screens
are passed separately and only ever add to the screened partner's own view. That
is what makes the other partner's view and the joint view identical whether or
not a screen was positive: they are computed without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from attunement import safety
from attunement.insight.model import Finding, Partner, SupportLevel, View
from attunement.insight.rules import CYCLES, findings_for
from attunement.insight.rules.evidence import Couple
from attunement.insight.words import finding_text, finding_title, practices_for, support_text
from attunement.instruments.scoring import Score
from attunement.safety import ScreenOutcome

AUDIENCES = ("joint", "a", "b")
PARTNER_VIOLENCE = "partner_violence"


@dataclass(frozen=True)
class CoupleReport:
    joint: View
    private: Mapping[str, View] = field(default_factory=dict)

    def view(self, audience: str) -> View:
        if audience == "joint":
            return self.joint
        if audience not in self.private:
            raise ValueError(f"no partner {audience!r} in this report")
        return self.private[audience]


def build_report(
    partners: Sequence[Partner],
    screens: Mapping[str, Sequence[ScreenOutcome]] | None = None,
) -> CoupleReport:
    """The report for one or two partners; `screens` maps a partner key to its screen results."""
    if not 1 <= len(partners) <= 2 or len({p.key for p in partners}) != len(partners):
        raise ValueError("a report needs one or two partners with distinct keys")
    couple = Couple(tuple(partners))
    findings = tuple(findings_for(couple))
    level = joint_support_level(couple, findings)
    joint = View("joint", couple.partners, findings, level, support_text(level))
    screens = screens or {}
    return CoupleReport(
        joint, {p.key: _own_view(joint, p, screens.get(p.key, ())) for p in partners}
    )


def joint_support_level(couple: Couple, findings: Sequence[Finding]) -> SupportLevel:
    ids = {f.id for f in findings}
    dissatisfied = {f.partners[0] for f in findings if f.id == "notable_dissatisfaction"}
    strained = bool(ids & CYCLES) or "resignation" in ids
    if (len(dissatisfied) == 2) or (dissatisfied and strained):
        return SupportLevel.RECOMMEND_PROFESSIONAL
    if dissatisfied or strained or "power_imbalance" in ids:
        return SupportLevel.CONSIDER_SUPPORT
    return SupportLevel.SELF_GUIDED


def _own_view(joint: View, partner: Partner, screens: Sequence[ScreenOutcome]) -> View:
    positive = [s for s in screens if s.positive]
    if not positive:
        return View(
            partner.key, joint.partners, joint.findings, joint.support_level, joint.support_text
        )
    finding = Finding(
        id="safety_concern",
        partners=(partner.key,),
        title=finding_title("safety_concern"),
        text=finding_text("safety_concern", "solo", {}),
        practices=practices_for("safety_concern"),
        private_to=partner.key,
    )
    level = SupportLevel.URGENT_INDIVIDUAL
    # While safety is a concern, exercises for the couple are not the right step.
    shown = joint.findings
    if any(s.concern == PARTNER_VIOLENCE for s in positive):
        # Violence or control is not a loop two people share: no cycle finding is
        # framed that way for the person who is afraid; their next step is their own support.
        shown = tuple(f for f in shown if f.id not in CYCLES)
    paused = tuple(replace(f, practices=()) for f in shown)
    return View(
        audience=partner.key,
        partners=joint.partners,
        findings=(finding, *paused),
        support_level=level,
        support_text=support_text(level),
        screens=tuple(positive),
    )


def partner_from_scores(
    key: str, name: str, scores: Mapping[str, Score]
) -> tuple[Partner, list[ScreenOutcome]]:
    """Split one person's scores into what the report may share and their private screens.

    The command line assumes a person shares every scale score; screens are never shared.
    """
    shared = {i: s.values() for i, s in scores.items() if s.instrument.screen is None}
    screens = [o for s in scores.values() if (o := safety.evaluate(s)) is not None]
    return Partner(key, name, shared), screens
