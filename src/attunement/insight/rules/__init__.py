"""Every rule of the couple insight, in the order the report shows its findings.

Each rule reads only the scale scores partners chose to share, and returns findings
with their evidence. The measures and thresholds are in `thresholds` (each marked as
published or ours, with its reason; docs/insight.md explains them), the cycle's rules
in `cycle`, the per-person ones in `person`, and how a finding is made in `evidence`.
"""

from __future__ import annotations

from collections.abc import Callable

from attunement.insight.model import Finding
from attunement.insight.rules.cycle import (
    closeness_gap,
    mutual_blame,
    mutual_withdrawal,
    power_imbalance,
    pursue_withdraw,
)
from attunement.insight.rules.evidence import Couple
from attunement.insight.rules.person import per_person, protective_strategies, repair_strength
from attunement.insight.rules.thresholds import ANXIETY, AVOIDANCE, CSI4, UCLA, connection

# The order findings are shown in: strengths first, then the cycle, then signs,
# then what each person brings.
RULES: tuple[Callable[[Couple], list[Finding]], ...] = (
    repair_strength,
    pursue_withdraw,
    mutual_blame,
    mutual_withdrawal,
    closeness_gap,
    power_imbalance,
    per_person("lonely_together", connection("lonely"), "sign_often", (*UCLA, "ucla_lonely")),
    per_person("surface_talk", connection("surface_talk"), "sign_often"),
    per_person("resignation", connection("resignation"), "sign_often"),
    per_person("attachment_anxiety_high", ANXIETY, "ecr_high"),
    per_person("attachment_avoidance_high", AVOIDANCE, "ecr_high"),
    protective_strategies,
    per_person("notable_dissatisfaction", CSI4, "csi4_dissatisfied"),
)

CYCLES = {"pursue_withdraw", "mutual_blame", "mutual_withdrawal"}


def findings_for(couple: Couple) -> list[Finding]:
    return [finding for rule in RULES for finding in rule(couple)]
