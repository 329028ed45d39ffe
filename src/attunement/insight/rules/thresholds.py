"""What the rules read, and where each threshold comes from.

The measures (questionnaire and scale) the findings rest on, the questionnaires a
couple report needs each partner to share, and every threshold, marked as published
or ours with its reason; docs/insight.md explains them at length.
"""

from __future__ import annotations

from attunement.insight.model import Threshold

CSI4 = ("csi4", "total")
ANXIETY = ("ecr_rs", "anxiety")
AVOIDANCE = ("ecr_rs", "avoidance")
CONSTRUCTIVE = ("cpq_sf", "constructive")
I_DEMAND = ("cpq_sf", "self_demand_partner_withdraw")
I_WITHDRAW = ("cpq_sf", "partner_demand_self_withdraw")
BOTH_AVOID = ("cpq_sf", "mutual_avoidance")  # published item A1
BOTH_BLAME = ("cpq_sf", "mutual_blame")  # published item B5
UCLA = ("ucla3", "total")


def connection(scale: str) -> tuple[str, str]:
    return ("connection", scale)


# Every questionnaire a finding reads: what the couple report needs each partner to share.
REPORT_INSTRUMENTS: tuple[str, ...] = tuple(
    dict.fromkeys(
        measure[0]
        for measure in (CSI4, ANXIETY, CONSTRUCTIVE, BOTH_AVOID, UCLA, connection("signs"))
    )
)


THRESHOLDS: dict[str, Threshold] = {
    "csi4_dissatisfied": Threshold(
        13.5, "<", "published",
        "Funk & Rogge (2007): CSI-4 totals below 13.5 mark notable relationship "
        "dissatisfaction.",
    ),
    "ecr_high": Threshold(
        4.0, ">", "ours",
        "Midpoint of the 1-7 agreement scale: on average the person agrees more than "
        "disagrees. ECR-RS has no published cut-off; scores stay continuous.",
    ),
    "cpq_pattern": Threshold(
        15.0, ">=", "ours",
        "Midpoint of 3-27: the three situations are, on average, at least as likely "
        "as not. The CPQ has no published cut-off.",
    ),
    "cpq_mutual": Threshold(
        6.0, ">=", "ours",
        "A single CPQ item on its 1-9 scale: 6 is the first answer above 'neither likely "
        "nor unlikely' (5), so the person says it is more likely than not. The CPQ has no "
        "published cut-off.",
    ),
    "cpq_constructive_low": Threshold(
        15.0, "<", "ours",
        "Below the midpoint of 3-27: mutual discussion is, on average, less likely than not.",
    ),
    "cpq_constructive_strength": Threshold(
        18.0, ">=", "ours",
        "Mutual discussion is, on average, somewhat likely (6 of 9 per situation).",
    ),
    "sign_often": Threshold(
        3.0, ">=", "ours",
        "Connection Check frequency items: 3 means 'often' in the past month.",
    ),
    "wants_less": Threshold(
        1.0, "<=", "ours",
        "Connection Check: 1 means 'rarely' wanting more closeness than the partner.",
    ),
    "strategy_frequent": Threshold(
        2.5, ">=", "ours",
        "Between 'sometimes' (2) and 'often' (3): a habit, not an exception.",
    ),
    "repair_frequent": Threshold(
        2.5, ">=", "ours",
        "Repair moves happen more than 'sometimes' on average.",
    ),
    "agree": Threshold(
        4.0, ">=", "ours",
        "Connection Check agreement items: 4 means 'agree'.",
    ),
    "ucla_lonely": Threshold(
        6.0, ">=", "ours",
        "A research convention for UCLA-3 totals (Hughes et al. 2004 samples), not a "
        "clinical cut-off.",
    ),
}  # fmt: skip
