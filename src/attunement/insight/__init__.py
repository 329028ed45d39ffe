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
from attunement.insight.rules.thresholds import REPORT_INSTRUMENTS

__all__ = [
    "REPORT_INSTRUMENTS",
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
