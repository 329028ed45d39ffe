"""The cycle a couple can be caught in: pursue and withdraw, mutual blame, mutual
withdrawal; and the gaps that feed it, in closeness and in power.

Each rule reads only the scale scores the partners chose to share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from attunement.insight.model import Agreement, Evidence, Finding
from attunement.insight.rules.evidence import Couple, evidence, make, meets, present
from attunement.insight.rules.thresholds import (
    ANXIETY,
    AVOIDANCE,
    BOTH_AVOID,
    BOTH_BLAME,
    CONSTRUCTIVE,
    I_DEMAND,
    I_WITHDRAW,
    connection,
)
from attunement.insight.words import finding_phrase


def _mutual(finding_id: str, measure: tuple[str, str], couple: Couple) -> list[Finding]:
    """A cycle both partners are in, decided by the published CPQ item that names it."""
    # A claim about both is only made when both had the chance to answer the item.
    if any(p.value(*measure) is None for p in couple.partners):
        return []
    reports = [meets(p, measure, "cpq_mutual") for p in couple.partners]
    if not any(reports):
        return []
    if couple.solo:
        return [make(finding_id, couple, couple.partners, reports)]
    found = [evidence(p, measure, "cpq_mutual") for p in couple.partners]
    if all(reports):
        return [make(finding_id, couple, couple.partners, found, agreement=Agreement.BOTH)]
    reporter = next(p for p, r in zip(couple.partners, reports, strict=True) if r)
    return [
        make(
            finding_id,
            couple,
            couple.partners,
            found,
            agreement=Agreement.ONE,
            variant="couple_one_report",
            reporter=reporter.name,
        )
    ]


def mutual_blame(couple: Couple) -> list[Finding]:
    """Both blame, accuse and criticise each other: CPQ item B5, nothing else."""
    return _mutual("mutual_blame", BOTH_BLAME, couple)


def pursue_withdraw(couple: Couple) -> list[Finding]:
    if couple.solo:
        return _pursue_withdraw_solo(couple)
    # Nobody is cast in a role they had no chance to describe: both must share the CPQ.
    if any(p.value(*I_DEMAND) is None or p.value(*I_WITHDRAW) is None for p in couple.partners):
        return []
    candidates = []
    for pursuer, withdrawer in couple.pairs():
        reports = present(
            meets(pursuer, I_DEMAND, "cpq_pattern"), meets(withdrawer, I_WITHDRAW, "cpq_pattern")
        )
        if reports:
            candidates.append((len(reports), sum(e.value for e in reports), pursuer, withdrawer))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    if candidates and candidates[0][0] == 1 and _roles_differ(couple):
        return _roles_differ(couple)
    if not candidates or (len(candidates) == 2 and candidates[0][:2] == candidates[1][:2]):
        return []  # no pattern, or an exact tie: the answers do not say who does what
    count, _, pursuer, withdrawer = candidates[0]
    found = [
        evidence(pursuer, I_DEMAND, "cpq_pattern"),
        evidence(withdrawer, I_WITHDRAW, "cpq_pattern"),
        evidence(pursuer, ANXIETY, "ecr_high"),
        evidence(withdrawer, AVOIDANCE, "ecr_high"),
    ]
    roles = {pursuer.key: "pursuer", withdrawer.key: "withdrawer"}
    pursue_withdraw = partial(make, "pursue_withdraw", couple, couple.partners, found, roles=roles)
    if count == 2:
        return [pursue_withdraw(agreement=Agreement.BOTH)]
    reporter = pursuer if meets(pursuer, I_DEMAND, "cpq_pattern") else withdrawer
    only_one = pursue_withdraw(agreement=Agreement.ONE, variant="couple_one_report",
                               reporter=reporter.name)  # fmt: skip
    return [only_one]


def _roles_differ(couple: Couple) -> list[Finding]:
    """Each partner sees the cycle with themselves in the same role: a difference, not blame.

    Both saying "I demand, my partner withdraws" is not mutual blame (that is CPQ
    item B5); it is two views of who pursues and who withdraws.
    """
    for measure, variant in (
        (I_DEMAND, "couple_both_reach"),
        (I_WITHDRAW, "couple_both_step_back"),
    ):
        if all(meets(p, measure, "cpq_pattern") for p in couple.partners):
            found = [evidence(p, m, "cpq_pattern") for p in couple.partners
                     for m in (I_DEMAND, I_WITHDRAW)]  # fmt: skip
            return [
                make(
                    "pursue_withdraw",
                    couple,
                    couple.partners,
                    found,
                    agreement=Agreement.ROLES_DIFFER,
                    variant=variant,
                )
            ]
    return []


def _pursue_withdraw_solo(couple: Couple) -> list[Finding]:
    (p,) = couple.partners
    demand = meets(p, I_DEMAND, "cpq_pattern")
    if demand:
        found = [demand, evidence(p, ANXIETY, "ecr_high")]
        return [make("pursue_withdraw", couple, [p], found, roles={p.key: "pursuer"})]
    withdraw = meets(p, I_WITHDRAW, "cpq_pattern")
    if withdraw:
        found = [withdraw, evidence(p, AVOIDANCE, "ecr_high")]
        return [
            make(
                "pursue_withdraw",
                couple,
                [p],
                found,
                roles={p.key: "withdrawer"},
                variant="solo_withdrawer",
            )
        ]
    return []


def mutual_withdrawal(couple: Couple) -> list[Finding]:
    """Both avoid discussing a problem: CPQ item A1 decides; talk and signs are context."""
    found = _mutual("mutual_withdrawal", BOTH_AVOID, couple)
    context = [
        item
        for p in couple.partners
        for item in (
            evidence(p, CONSTRUCTIVE, "cpq_constructive_low"),
            evidence(p, connection("avoid_depth"), "sign_often"),
        )
        if item is not None
    ]
    return [replace(f, evidence=f.evidence + tuple(context)) for f in found]


def closeness_gap(couple: Couple) -> list[Finding]:
    if couple.solo:
        (p,) = couple.partners
        wants = meets(p, connection("wants_closeness"), "sign_often")
        return (
            [make("closeness_gap", couple, [p], [wants], roles={p.key: "wants_more"})]
            if (wants)
            else []
        )
    for more, other in couple.pairs():
        wants = meets(more, connection("wants_closeness"), "sign_often")
        if not wants:
            continue
        if meets(other, connection("wants_closeness"), "sign_often"):
            return []  # both long for more: that is not a gap between them
        other_side = evidence(other, connection("wants_closeness"), "wants_less")
        agreement = Agreement.BOTH if other_side and other_side.meets else Agreement.ONE
        found = [wants, other_side]
        variant = ""
        worry = evidence(more, ANXIETY), evidence(other, ANXIETY)
        if worry[0] and worry[1] and worry[1].value > worry[0].value:
            # The one who wants more time close is not the one who worries more about
            # the other's care: say both, so the words never contradict the chart.
            found += worry
            variant = "couple_worry_differs"
        return [
            make(
                "closeness_gap",
                couple,
                [more, other],
                found,
                roles={more.key: "wants_more"},
                agreement=agreement,
                variant=variant,
            )
        ]
    return []


def power_imbalance(couple: Couple) -> list[Finding]:
    """Carrying more, seen by the one who carries or by the one who is carried for."""
    findings = []
    for p in couple.partners:
        others = [q for q in couple.partners if q is not p]
        over = meets(p, connection("over_functioning"), "agree")
        confirms = [meets(q, connection("under_functioning"), "agree") for q in others]
        # Nobody is given a role they had no chance to describe.
        if p.value(*connection("over_functioning")) is None or not (over or any(confirms)):
            continue
        found: list[Evidence | None] = [
            evidence(p, connection("over_functioning"), "agree"),
            evidence(p, connection("one_up"), "agree"),
        ]
        for q in others:
            found += [
                evidence(q, connection("under_functioning"), "agree"),
                evidence(q, connection("one_down"), "agree"),
            ]
        found += [
            evidence(p, connection("parent_child"), "agree"),
            evidence(p, connection("desire_loss"), "agree"),
        ]
        agreement = None
        if others:
            agreement = Agreement.BOTH if over and any(confirms) else Agreement.ONE
        variant = "" if over else "couple_carried"
        findings.append(
            make(
                "power_imbalance",
                couple,
                [p, *others],
                found,
                roles={p.key: "over_functioning"},
                agreement=agreement,
                variant=variant,
            )
        )
    if len(findings) == 2:
        return [_two_sides(couple, findings)]
    return findings or _one_up_one_down(couple)


def _two_sides(couple: Couple, mirrored: Sequence[Finding]) -> Finding:
    """Each partner is cast as the one who carries more: one finding, each side in its words.

    Two findings that each name a different partner as carrying more would read as a
    contradiction, twice; it is one difference in how the two of you see the balance.
    """
    sides = []  # in report order, as {a} and {b} in the words
    for p, other in couple.pairs():
        over = bool(meets(p, connection("over_functioning"), "agree"))
        under = bool(meets(p, connection("under_functioning"), "agree"))
        kind = {(True, True): "both", (True, False): "over", (False, True): "under"}
        key = kind.get((over, under), "neither")
        sides.append(finding_phrase("power_imbalance", "sides", key, {"partner": other.name}))
    found = dict.fromkeys(e for f in mirrored for e in f.evidence)
    return make(
        "power_imbalance",
        couple,
        couple.partners,
        list(found),
        agreement=Agreement.ROLES_DIFFER,
        variant="couple_two_sides",
        a_side=sides[0],
        b_side=sides[1],
    )


def _one_up_one_down(couple: Couple) -> list[Finding]:
    """One partner feels one up in arguments while the other feels one down."""
    if couple.solo:
        return _one_up_or_down_solo(couple)
    directions = [
        (
            up,
            down,
            [
                meets(up, connection("one_up"), "agree"),
                meets(down, connection("one_down"), "agree"),
            ],
        )
        for up, down in couple.pairs()
    ]
    directions = [d for d in directions if all(d[2])]
    if len(directions) == 2:
        # Each feels above and below by turns: one finding about both, not two mirrored ones.
        both = [e for _up, _down, found in directions for e in found]
        return [
            make(
                "power_imbalance",
                couple,
                couple.partners,
                both,
                agreement=Agreement.BOTH,
                variant="couple_up_and_down",
            )
        ]
    for up, down, found in directions:
        if all(found):
            return [
                make(
                    "power_imbalance",
                    couple,
                    [up, down],
                    found,
                    roles={up.key: "one_up", down.key: "one_down"},
                    agreement=Agreement.BOTH,
                    variant="couple_one_up",
                )
            ]
    return []


def _one_up_or_down_solo(couple: Couple) -> list[Finding]:
    """Alone: the person's own sense of being above or below their partner in arguments."""
    (p,) = couple.partners
    for scale in ("one_up", "one_down"):
        found = meets(p, connection(scale), "agree")
        if found:
            other = evidence(p, connection("one_down" if scale == "one_up" else "one_up"), "agree")
            return [
                make(
                    "power_imbalance",
                    couple,
                    [p],
                    [found, other],
                    roles={p.key: scale},
                    variant=f"solo_{scale}",
                )
            ]
    return []
