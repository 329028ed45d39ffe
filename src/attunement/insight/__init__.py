"""Couple insight: from partners' shared scores to findings with evidence (pure Python)."""

from attunement.insight.model import (
    Agreement,
    Evidence,
    Finding,
    Partner,
    SupportLevel,
    Threshold,
    View,
)
from attunement.insight.report import CoupleReport, build_report

__all__ = [
    "Agreement",
    "CoupleReport",
    "Evidence",
    "Finding",
    "Partner",
    "SupportLevel",
    "Threshold",
    "View",
    "build_report",
]
