"""How a rule turns shared scores into a finding: the couple, the evidence, the words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from attunement.insight.model import Agreement, Evidence, Finding, Partner
from attunement.insight.rules.thresholds import THRESHOLDS
from attunement.insight.words import finding_text, finding_title, practices_for


@dataclass(frozen=True)
class Couple:
    """The partners taking part (one or two), as the joint report sees them."""

    partners: tuple[Partner, ...]

    @property
    def solo(self) -> bool:
        return len(self.partners) == 1

    def pairs(self) -> list[tuple[Partner, Partner]]:
        a, b = self.partners
        return [(a, b), (b, a)]

    def names(self) -> dict[str, str]:
        return {f"{p.key}_name": p.name for p in self.partners} | {
            "a": self.partners[0].name,
            "b": self.partners[-1].name,
        }


def evidence(partner: Partner, measure: tuple[str, str], threshold: str = "") -> Evidence | None:
    value = partner.value(*measure)
    if value is None:
        return None
    return Evidence(partner.key, measure[0], measure[1], value, THRESHOLDS.get(threshold))


def meets(partner: Partner, measure: tuple[str, str], threshold: str) -> Evidence | None:
    """The evidence when the partner shared this score and it meets the threshold."""
    found = evidence(partner, measure, threshold)
    return found if found is not None and found.meets else None


def present(*items: Evidence | None) -> tuple[Evidence, ...]:
    return tuple(e for e in items if e is not None)


def make(
    finding_id: str,
    couple: Couple,
    partners: Sequence[Partner],
    found: Sequence[Evidence | None],
    *,
    roles: dict[str, str] | None = None,
    agreement: Agreement | None = None,
    variant: str = "",
    **words: str,
) -> Finding:
    names = couple.names()
    if len(partners) == 1:
        names["person"] = partners[0].name
    if roles:
        for key, role in roles.items():
            names[role] = next(p.name for p in couple.partners if p.key == key)
        names["other"] = next((p.name for p in couple.partners if p.key not in roles), "")
    style = variant or ("solo" if couple.solo else "couple")
    return Finding(
        id=finding_id,
        partners=tuple(p.key for p in partners),
        title=finding_title(finding_id),
        text=finding_text(finding_id, style, names | words),
        evidence=present(*found),
        roles=roles or {},
        agreement=agreement or (Agreement.SOLO if couple.solo else None),
        practices=practices_for(finding_id),
    )
