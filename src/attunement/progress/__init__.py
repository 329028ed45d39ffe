"""Weekly check-ins over time: reliable change, early warning, support level (pure Python)."""

from attunement.progress.messages import Message, message, messages_for
from attunement.progress.reliable_change import (
    Change,
    Norm,
    Outcome,
    ReliableChange,
    norm,
    outcome,
    rci,
    reliable_change,
    se_diff,
)
from attunement.progress.warning import (
    CheckIn,
    Divergence,
    EarlyWarning,
    Flag,
    PartnerFlags,
    Week,
    early_warning,
    early_warning_today,
    partner_flags,
    weeks,
)

__all__ = [
    "Change",
    "CheckIn",
    "Divergence",
    "EarlyWarning",
    "Flag",
    "Message",
    "Norm",
    "Outcome",
    "PartnerFlags",
    "ReliableChange",
    "Week",
    "early_warning",
    "early_warning_today",
    "message",
    "messages_for",
    "norm",
    "outcome",
    "partner_flags",
    "rci",
    "reliable_change",
    "se_diff",
    "weeks",
]
