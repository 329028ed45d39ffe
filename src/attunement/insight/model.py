"""What a couple report is made of: partners' shared scores, findings, evidence, views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from attunement.safety import ScreenOutcome

Scores = Mapping[str, Mapping[str, float]]  # instrument id -> scale id -> value


class SupportLevel(StrEnum):
    SELF_GUIDED = "self_guided"
    CONSIDER_SUPPORT = "consider_support"
    RECOMMEND_PROFESSIONAL = "recommend_professional"
    URGENT_INDIVIDUAL = "urgent_individual"

    @property
    def rank(self) -> int:
        return list(SupportLevel).index(self)


class Agreement(StrEnum):
    BOTH = "both_reports"  # each partner's own answers point the same way
    ONE = "one_report"  # only one partner's answers show it
    ROLES_DIFFER = "roles_differ"  # both see the cycle, each casts themselves in the same role
    SOLO = "solo"  # only one partner took part


@dataclass(frozen=True)
class Partner:
    """One partner as the joint report sees them: only the scale scores they chose to share.

    Safety screen results are never part of this: they travel separately and only
    ever reach the screened partner's own view.
    """

    key: str  # "a" or "b"
    name: str
    shared: Scores

    def value(self, instrument: str, scale: str) -> float | None:
        return self.shared.get(instrument, {}).get(scale)


@dataclass(frozen=True)
class Threshold:
    value: float
    comparison: str  # ">", ">=", "<", "<="
    source: str  # "published" or "ours"
    rationale: str

    def met(self, score: float) -> bool:
        if self.comparison == ">":
            return score > self.value
        if self.comparison == ">=":
            return score >= self.value
        if self.comparison == "<=":
            return score <= self.value
        return score < self.value


@dataclass(frozen=True)
class Evidence:
    partner: str
    instrument: str
    scale: str
    value: float
    threshold: Threshold | None = None

    @property
    def meets(self) -> bool | None:
        return None if self.threshold is None else self.threshold.met(self.value)


@dataclass(frozen=True)
class Finding:
    id: str
    partners: tuple[str, ...]
    title: str
    text: str
    evidence: tuple[Evidence, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)  # partner key -> role
    agreement: Agreement | None = None
    practices: tuple[str, ...] = ()
    private_to: str | None = None  # a partner key for private findings, else shared


@dataclass(frozen=True)
class View:
    """What one reader sees: `joint`, or `a` / `b` (joint plus that partner's private part)."""

    audience: str
    partners: tuple[Partner, ...]
    findings: tuple[Finding, ...]
    support_level: SupportLevel
    support_text: str
    screens: tuple[ScreenOutcome, ...] = ()  # private: only in the screened partner's view

    @property
    def solo(self) -> bool:
        return len(self.partners) == 1
