"""Signs and per-person findings: what one partner's shared scores say about them alone,
the protective strategies they lean on, and the repair they already do.
"""

from __future__ import annotations

from collections.abc import Callable

from attunement.insight.model import Finding
from attunement.insight.rules.evidence import Couple, evidence, make, meets, present
from attunement.insight.rules.thresholds import CONSTRUCTIVE, connection

STRATEGIES = (
    "being_right", "controlling", "harsh_expression", "retaliation", "withdrawal",
    "fixing", "hiding_needs", "minimizing_needs",
)  # fmt: skip
STRATEGY_WORDS = {
    "being_right": "pressing to be proved right",
    "controlling": "pushing for things to go one way",
    "harsh_expression": "saying things harshly",
    "retaliation": "paying hurt back",
    "withdrawal": "shutting down",
    "fixing": "fixing instead of listening",
    "hiding_needs": "keeping needs hidden",
    "minimizing_needs": "playing down one's own needs",
}


def per_person(
    finding_id: str, measure: tuple[str, str], threshold: str, *extra: tuple[str, str, str]
) -> Callable[[Couple], list[Finding]]:
    """A rule that fires for each partner whose shared score meets the threshold."""

    def rule(couple: Couple) -> list[Finding]:
        findings = []
        for p in couple.partners:
            found = meets(p, measure, threshold)
            if found:
                more = [evidence(p, (inst, scale), limit) for inst, scale, limit in extra]
                findings.append(make(finding_id, couple, [p], [found, *more]))
        return findings

    rule.__name__ = finding_id
    return rule


def protective_strategies(couple: Couple) -> list[Finding]:
    findings = []
    for p in couple.partners:
        frequent = present(*(meets(p, connection(s), "strategy_frequent") for s in STRATEGIES))
        if not frequent:
            continue
        top = sorted(frequent, key=lambda e: (-e.value, STRATEGIES.index(e.scale)))[:3]
        words = ", ".join(STRATEGY_WORDS[e.scale] for e in top)
        findings.append(make("protective_strategies", couple, [p], top, strategies=words))
    return findings


def repair_strength(couple: Couple) -> list[Finding]:
    """What already works, in the words of what was asked: repair moves, constructive talk."""
    findings = []
    for p in couple.partners:
        repair = meets(p, connection("repair"), "repair_frequent")
        talk = meets(p, CONSTRUCTIVE, "cpq_constructive_strength")
        if not (repair or talk):
            continue
        measured = "both" if repair and talk else "repair" if repair else "talk"
        style = "solo" if couple.solo else "couple"
        variant = style if measured == "repair" else f"{style}_{measured}"
        findings.append(make("repair_strength", couple, [p], [repair, talk], variant=variant))
    return findings
