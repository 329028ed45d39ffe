"""Invented couples, from their answer files to the report each reader sees."""

from __future__ import annotations

import copy
import re
from dataclasses import replace

import pytest

from attunement.answers import score_answers
from attunement.insight import Agreement, Finding, SupportLevel
from attunement.insight.report import partner_from_scores
from attunement.insight.rules import CYCLES, RULES
from attunement.insight.rules.thresholds import THRESHOLDS
from attunement.insight.words import practices_for
from attunement.safety import ScreenOutcome
from insight_vignettes import (
    ALL,
    ASQ_POSITIVE,
    BOTH_SAY_I_DEMAND,
    BOTH_WITHDRAWN,
    CARRIED,
    CLOSENESS_GAP,
    COUPLES,
    MUTUAL_BLAME,
    ONE_UP_ONE_DOWN,
    OVER_FUNCTIONING,
    PURSUE_WITHDRAW,
    SAFETY_POSITIVE,
    SECURE,
    SOLO,
    SOLO_WITHDRAWER,
    SOLOS,
    Vignette,
    report,
    with_clear_screens,
)

BOTH, ONE, SOLO_AGREEMENT = Agreement.BOTH, Agreement.ONE, Agreement.SOLO
ROLES_DIFFER = Agreement.ROLES_DIFFER

EXPECTED_FINDINGS = {
    "pursue_withdraw": {
        ("pursue_withdraw", ("a", "b")),
        ("closeness_gap", ("a", "b")),
        ("lonely_together", ("a",)),
        ("attachment_anxiety_high", ("a",)),
        ("attachment_avoidance_high", ("b",)),
        ("protective_strategies", ("a",)),
        ("protective_strategies", ("b",)),
        ("notable_dissatisfaction", ("a",)),
    },
    "secure": {
        ("repair_strength", ("a",)),
        ("repair_strength", ("b",)),
    },
    "both_withdrawn": {
        ("mutual_withdrawal", ("a", "b")),
        ("surface_talk", ("a",)),
        ("surface_talk", ("b",)),
        ("resignation", ("a",)),
        ("attachment_avoidance_high", ("a",)),
        ("attachment_avoidance_high", ("b",)),
        ("protective_strategies", ("a",)),
        ("protective_strategies", ("b",)),
    },
    "mutual_blame": {
        # B5: both say the two of them blame each other. Each also says "I demand, my
        # partner withdraws": a difference about roles, named as such.
        ("pursue_withdraw", ("a", "b")),
        ("mutual_blame", ("a", "b")),
        ("attachment_anxiety_high", ("a",)),
        ("protective_strategies", ("a",)),
        ("protective_strategies", ("b",)),
        ("notable_dissatisfaction", ("a",)),
        ("notable_dissatisfaction", ("b",)),
    },
    "both_say_i_demand": {
        # Never mutual_blame: nobody said the two of them blame each other (B5).
        ("pursue_withdraw", ("a", "b")),
        ("attachment_anxiety_high", ("a",)),
        ("attachment_anxiety_high", ("b",)),
        ("notable_dissatisfaction", ("a",)),
        ("notable_dissatisfaction", ("b",)),
    },
    "closeness_gap": {
        ("closeness_gap", ("b", "a")),
        ("lonely_together", ("b",)),
    },
    "over_functioning": {
        ("repair_strength", ("b",)),
        ("power_imbalance", ("a", "b")),
        ("protective_strategies", ("a",)),
    },
    "carried": {
        ("power_imbalance", ("a", "b")),
    },
    "one_up_one_down": {
        ("power_imbalance", ("a", "b")),
    },
    "safety_positive": {
        ("pursue_withdraw", ("a", "b")),
        ("surface_talk", ("a",)),
        ("surface_talk", ("b",)),
    },
    "asq_positive": {
        ("repair_strength", ("b",)),
        ("lonely_together", ("a",)),
        ("resignation", ("a",)),
        ("notable_dissatisfaction", ("a",)),
    },
    "solo": {
        ("pursue_withdraw", ("a",)),
        ("closeness_gap", ("a",)),
        ("lonely_together", ("a",)),
        ("attachment_anxiety_high", ("a",)),
        ("protective_strategies", ("a",)),
        ("notable_dissatisfaction", ("a",)),
    },
    "solo_withdrawer": {
        ("pursue_withdraw", ("a",)),
        ("attachment_avoidance_high", ("a",)),
        ("protective_strategies", ("a",)),
    },
}

EXPECTED_SUPPORT = {
    "pursue_withdraw": SupportLevel.RECOMMEND_PROFESSIONAL,
    "secure": SupportLevel.SELF_GUIDED,
    "both_withdrawn": SupportLevel.CONSIDER_SUPPORT,
    "mutual_blame": SupportLevel.RECOMMEND_PROFESSIONAL,
    "both_say_i_demand": SupportLevel.RECOMMEND_PROFESSIONAL,
    "closeness_gap": SupportLevel.SELF_GUIDED,
    "over_functioning": SupportLevel.CONSIDER_SUPPORT,
    "carried": SupportLevel.CONSIDER_SUPPORT,
    "one_up_one_down": SupportLevel.CONSIDER_SUPPORT,
    "safety_positive": SupportLevel.CONSIDER_SUPPORT,
    "asq_positive": SupportLevel.RECOMMEND_PROFESSIONAL,
    "solo": SupportLevel.RECOMMEND_PROFESSIONAL,
    "solo_withdrawer": SupportLevel.CONSIDER_SUPPORT,
}

# (vignette, finding id) -> roles, agreement
EXPECTED_ROLES = {
    ("pursue_withdraw", "pursue_withdraw"): ({"a": "pursuer", "b": "withdrawer"}, BOTH),
    ("pursue_withdraw", "closeness_gap"): ({"a": "wants_more"}, BOTH),
    ("mutual_blame", "mutual_blame"): ({}, BOTH),
    ("mutual_blame", "pursue_withdraw"): ({}, ROLES_DIFFER),
    ("both_say_i_demand", "pursue_withdraw"): ({}, ROLES_DIFFER),
    ("both_withdrawn", "mutual_withdrawal"): ({}, BOTH),
    ("closeness_gap", "closeness_gap"): ({"b": "wants_more"}, BOTH),
    ("over_functioning", "power_imbalance"): ({"a": "over_functioning"}, BOTH),
    ("carried", "power_imbalance"): ({"a": "over_functioning"}, ONE),
    ("one_up_one_down", "power_imbalance"): ({"a": "one_up", "b": "one_down"}, BOTH),
    ("safety_positive", "pursue_withdraw"): ({"a": "pursuer", "b": "withdrawer"}, ONE),
    ("solo", "pursue_withdraw"): ({"a": "pursuer"}, SOLO_AGREEMENT),
    ("solo", "closeness_gap"): ({"a": "wants_more"}, SOLO_AGREEMENT),
    ("solo_withdrawer", "pursue_withdraw"): ({"a": "withdrawer"}, SOLO_AGREEMENT),
}

# (vignette, finding id, partners) -> (partner, instrument, scale, value, threshold key)
EXPECTED_EVIDENCE = {
    ("pursue_withdraw", "pursue_withdraw", ("a", "b")): [
        ("a", "cpq_sf", "self_demand_partner_withdraw", 21, "cpq_pattern"),
        ("b", "cpq_sf", "partner_demand_self_withdraw", 21, "cpq_pattern"),
        ("a", "ecr_rs", "anxiety", 6.0, "ecr_high"),
        ("b", "ecr_rs", "avoidance", 5.0, "ecr_high"),
    ],
    ("pursue_withdraw", "closeness_gap", ("a", "b")): [
        ("a", "connection", "wants_closeness", 4, "sign_often"),
        ("b", "connection", "wants_closeness", 0, "wants_less"),
    ],
    ("pursue_withdraw", "lonely_together", ("a",)): [
        ("a", "connection", "lonely", 3, "sign_often"),
        ("a", "ucla3", "total", 6, "ucla_lonely"),
    ],
    ("pursue_withdraw", "attachment_anxiety_high", ("a",)): [
        ("a", "ecr_rs", "anxiety", 6.0, "ecr_high"),
    ],
    ("pursue_withdraw", "attachment_avoidance_high", ("b",)): [
        ("b", "ecr_rs", "avoidance", 5.0, "ecr_high"),
    ],
    ("pursue_withdraw", "protective_strategies", ("a",)): [
        ("a", "connection", "harsh_expression", 3, "strategy_frequent"),
    ],
    ("pursue_withdraw", "protective_strategies", ("b",)): [
        ("b", "connection", "withdrawal", 3, "strategy_frequent"),
        ("b", "connection", "fixing", 3, "strategy_frequent"),
    ],
    ("pursue_withdraw", "notable_dissatisfaction", ("a",)): [
        ("a", "csi4", "total", 11, "csi4_dissatisfied"),
    ],
    ("secure", "repair_strength", ("a",)): [
        ("a", "connection", "repair", 3.2, "repair_frequent"),
        ("a", "cpq_sf", "constructive", 23, "cpq_constructive_strength"),
    ],
    ("secure", "repair_strength", ("b",)): [
        ("b", "connection", "repair", 2.6, "repair_frequent"),
        ("b", "cpq_sf", "constructive", 20, "cpq_constructive_strength"),
    ],
    ("both_withdrawn", "mutual_withdrawal", ("a", "b")): [
        ("a", "cpq_sf", "mutual_avoidance", 8, "cpq_mutual"),
        ("b", "cpq_sf", "mutual_avoidance", 7, "cpq_mutual"),
        ("a", "cpq_sf", "constructive", 10, "cpq_constructive_low"),
        ("a", "connection", "avoid_depth", 4, "sign_often"),
        ("b", "cpq_sf", "constructive", 11, "cpq_constructive_low"),
        ("b", "connection", "avoid_depth", 3, "sign_often"),
    ],
    ("both_withdrawn", "attachment_avoidance_high", ("b",)): [
        ("b", "ecr_rs", "avoidance", 4.5, "ecr_high"),
    ],
    ("both_withdrawn", "protective_strategies", ("a",)): [
        ("a", "connection", "hiding_needs", 3, "strategy_frequent"),
    ],
    ("mutual_blame", "mutual_blame", ("a", "b")): [
        ("a", "cpq_sf", "mutual_blame", 7, "cpq_mutual"),
        ("b", "cpq_sf", "mutual_blame", 6, "cpq_mutual"),
    ],
    ("both_say_i_demand", "pursue_withdraw", ("a", "b")): [
        ("a", "cpq_sf", "self_demand_partner_withdraw", 18, "cpq_pattern"),
        ("a", "cpq_sf", "partner_demand_self_withdraw", 7, "cpq_pattern"),
        ("b", "cpq_sf", "self_demand_partner_withdraw", 16, "cpq_pattern"),
        ("b", "cpq_sf", "partner_demand_self_withdraw", 8, "cpq_pattern"),
    ],
    ("mutual_blame", "protective_strategies", ("a",)): [
        ("a", "connection", "harsh_expression", 4, "strategy_frequent"),
        ("a", "connection", "being_right", 3, "strategy_frequent"),
        ("a", "connection", "controlling", 3, "strategy_frequent"),
    ],
    ("mutual_blame", "protective_strategies", ("b",)): [
        ("b", "connection", "being_right", 4, "strategy_frequent"),
        ("b", "connection", "harsh_expression", 3, "strategy_frequent"),
        ("b", "connection", "retaliation", 3, "strategy_frequent"),
    ],
    ("mutual_blame", "notable_dissatisfaction", ("b",)): [
        ("b", "csi4", "total", 10, "csi4_dissatisfied"),
    ],
    ("closeness_gap", "closeness_gap", ("b", "a")): [
        ("b", "connection", "wants_closeness", 4, "sign_often"),
        ("a", "connection", "wants_closeness", 1, "wants_less"),
    ],
    ("closeness_gap", "lonely_together", ("b",)): [
        ("b", "connection", "lonely", 3, "sign_often"),
        ("b", "ucla3", "total", 7, "ucla_lonely"),
    ],
    ("over_functioning", "power_imbalance", ("a", "b")): [
        ("a", "connection", "over_functioning", 4.5, "agree"),
        ("a", "connection", "one_up", 4, "agree"),
        ("b", "connection", "under_functioning", 4, "agree"),
        ("b", "connection", "one_down", 4, "agree"),
        ("a", "connection", "parent_child", 4, "agree"),
        ("a", "connection", "desire_loss", 4, "agree"),
    ],
    ("over_functioning", "repair_strength", ("b",)): [
        ("b", "connection", "repair", 2.6, "repair_frequent"),
    ],
    ("carried", "power_imbalance", ("a", "b")): [
        ("a", "connection", "over_functioning", 2.5, "agree"),
        ("a", "connection", "one_up", 2, "agree"),
        ("b", "connection", "under_functioning", 4, "agree"),
        ("b", "connection", "one_down", 3, "agree"),
        ("a", "connection", "parent_child", 2, "agree"),
        ("a", "connection", "desire_loss", 2, "agree"),
    ],
    ("one_up_one_down", "power_imbalance", ("a", "b")): [
        ("a", "connection", "one_up", 4, "agree"),
        ("b", "connection", "one_down", 5, "agree"),
    ],
    ("safety_positive", "pursue_withdraw", ("a", "b")): [
        ("a", "cpq_sf", "self_demand_partner_withdraw", 16, "cpq_pattern"),
        ("b", "cpq_sf", "partner_demand_self_withdraw", 12, "cpq_pattern"),
        ("a", "ecr_rs", "anxiety", 11 / 3, "ecr_high"),
        ("b", "ecr_rs", "avoidance", 19 / 6, "ecr_high"),
    ],
    ("asq_positive", "repair_strength", ("b",)): [
        ("b", "cpq_sf", "constructive", 19, "cpq_constructive_strength"),
    ],
    ("asq_positive", "resignation", ("a",)): [
        ("a", "connection", "resignation", 3, "sign_often"),
    ],
    ("asq_positive", "notable_dissatisfaction", ("a",)): [
        ("a", "csi4", "total", 10, "csi4_dissatisfied"),
    ],
    ("solo", "pursue_withdraw", ("a",)): [
        ("a", "cpq_sf", "self_demand_partner_withdraw", 21, "cpq_pattern"),
        ("a", "ecr_rs", "anxiety", 6.0, "ecr_high"),
    ],
    ("solo", "closeness_gap", ("a",)): [
        ("a", "connection", "wants_closeness", 4, "sign_often"),
    ],
    ("solo_withdrawer", "pursue_withdraw", ("a",)): [
        ("a", "cpq_sf", "partner_demand_self_withdraw", 21, "cpq_pattern"),
        ("a", "ecr_rs", "avoidance", 5.0, "ecr_high"),
    ],
}

# Ways of talking that make one partner the problem (DESIGN §1, lesson 4).
VILLAIN_PATTERNS = (
    r"\bfault of\b",
    r"\byour fault\b",
    r"\bto blame\b",
    r"\byou are an? (anxious|avoidant|insecure)",
    r"\b(is|are) an? (anxious|avoidant|insecure|controlling|needy|cold)\b",
    r"\btypes?\b",
    r"\bguilty\b",
    r"\bselfish\b",
    r"\bthe problem is\b",
)


def found(findings) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.id, f.partners) for f in findings}


def finding(view, finding_id: str, partners: tuple[str, ...] | None = None) -> Finding:
    matches = [f for f in view.findings if f.id == finding_id and partners in (None, f.partners)]
    assert len(matches) == 1, f"{finding_id} {partners}: {found(view.findings)}"
    return matches[0]


def threshold_key(evidence) -> str | None:
    if evidence.threshold is None:
        return None
    return next(key for key, t in THRESHOLDS.items() if t is evidence.threshold)


def texts(view) -> list[str]:
    return [f.title for f in view.findings] + [f.text for f in view.findings] + [view.support_text]


def ids(vignettes: tuple[Vignette, ...] | list[Vignette]) -> list[str]:
    return [v.id for v in vignettes]


VIGNETTES = {v.id: v for v in ALL}


# --- What each couple is told ---------------------------------------------------


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_each_vignette_raises_exactly_the_expected_findings(vignette):
    assert found(report(vignette).joint.findings) == EXPECTED_FINDINGS[vignette.id]


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_each_vignette_gets_the_expected_support_level(vignette):
    joint = report(vignette).joint
    assert joint.support_level == EXPECTED_SUPPORT[vignette.id]


@pytest.mark.parametrize(
    ("vignette_id", "finding_id"),
    sorted(EXPECTED_ROLES),
    ids=["-".join(k) for k in sorted(EXPECTED_ROLES)],
)
def test_cycle_gap_and_balance_findings_carry_their_roles_and_agreement(vignette_id, finding_id):
    vignette = VIGNETTES[vignette_id]
    roles, agreement = EXPECTED_ROLES[(vignette_id, finding_id)]
    result = finding(report(vignette).joint, finding_id)
    assert dict(result.roles) == roles
    assert result.agreement == agreement


@pytest.mark.parametrize("vignette", COUPLES, ids=ids(COUPLES))
def test_per_person_findings_in_a_couple_carry_no_agreement_or_roles(vignette):
    for f in report(vignette).joint.findings:
        if len(f.partners) == 1:
            assert f.agreement is None
            assert dict(f.roles) == {}


@pytest.mark.parametrize(
    "key", sorted(EXPECTED_EVIDENCE), ids=lambda k: f"{k[0]}-{k[1]}-{''.join(k[2])}"
)
def test_each_finding_names_the_instrument_scale_value_and_threshold_behind_it(key):
    vignette_id, finding_id, partners = key
    vignette = VIGNETTES[vignette_id]
    result = finding(report(vignette).joint, finding_id, partners)
    actual = [
        (e.partner, e.instrument, e.scale, e.value, threshold_key(e)) for e in result.evidence
    ]
    expected = EXPECTED_EVIDENCE[key]
    assert [a[:3] + a[4:] for a in actual] == [e[:3] + e[4:] for e in expected]
    assert [a[3] for a in actual] == pytest.approx([e[3] for e in expected])


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_the_csi4_cut_off_is_published_and_every_other_threshold_is_ours(vignette):
    for f in report(vignette).joint.findings:
        for e in f.evidence:
            assert e.threshold is not None, (f.id, e)
            if e.instrument == "csi4":
                assert (e.threshold.value, e.threshold.comparison) == (13.5, "<")
                assert e.threshold.source == "published"
            else:
                assert e.threshold.source == "ours"
            assert e.threshold.rationale


# Findings whose evidence does not lead with the score that raised them: when only the
# partner who is carried for says so, the carrier's own (unmet) score still comes first.
RAISED_BY = {("carried", "power_imbalance"): ("b", "under_functioning")}


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_the_evidence_that_raised_each_finding_meets_its_threshold(vignette):
    for f in report(vignette).joint.findings:
        assert f.evidence, f.id
        raised_by = RAISED_BY.get((vignette.id, f.id))
        if raised_by is None:
            assert f.evidence[0].meets, (f.id, f.evidence[0])
        else:
            assert [e.meets for e in f.evidence if (e.partner, e.scale) == raised_by] == [True]
        assert {e.partner for e in f.evidence} <= set(f.partners)


def test_strengths_come_first_in_the_report():
    joint = report(OVER_FUNCTIONING).joint
    assert [f.id for f in joint.findings] == [
        "repair_strength",
        "power_imbalance",
        "protective_strategies",
    ]


def test_a_strength_lists_only_the_evidence_that_shows_it():
    result = finding(report(ASQ_POSITIVE).joint, "repair_strength", ("b",))
    assert [e.scale for e in result.evidence] == ["constructive"]


def test_only_the_three_most_frequent_protective_habits_are_named_in_a_fixed_order():
    result = finding(report(MUTUAL_BLAME).joint, "protective_strategies", ("b",))
    assert "moves are: pressing to be proved right, saying things harshly, paying hurt back. " in (
        result.text
    )
    assert "fixing" not in result.text


# --- How it is said -----------------------------------------------------------------


@pytest.mark.parametrize("vignette", COUPLES, ids=ids(COUPLES))
def test_cycle_findings_name_both_partners(vignette):
    for f in report(vignette).joint.findings:
        if f.id in CYCLES or f.id == "closeness_gap":
            for name in vignette.names.values():
                assert name in f.text, f"{f.id} does not name {name}: {f.text}"


def test_the_reach_and_retreat_text_names_each_move_and_says_the_cycle_is_the_problem():
    text = finding(report(PURSUE_WITHDRAW).joint, "pursue_withdraw").text
    assert "Alex tends to reach out" in text
    assert "Sam tends to go quiet" in text
    assert "The cycle is the problem, not either of you." in text


def test_the_closeness_gap_text_puts_the_partner_who_wants_more_first():
    text = finding(report(CLOSENESS_GAP).joint, "closeness_gap").text
    assert text.startswith("Elliot wants more closeness than Noor seems to.")
    assert "nobody is wrong" in text


def test_the_balance_text_names_the_partner_who_carries_more():
    text = finding(report(OVER_FUNCTIONING).joint, "power_imbalance").text
    assert text.startswith("Maria feels they carry more than their share")


def test_when_only_the_partner_carried_for_says_so_the_text_says_it_is_their_view():
    text = finding(report(CARRIED).joint, "power_imbalance").text
    assert text.startswith(
        "Tom feels that Priya handles things Tom could handle, and the balance between you "
        "feels uneven."
    )
    assert "Priya feels" not in text


def test_one_up_and_one_down_names_each_partner_in_the_way_they_described_themselves():
    text = finding(report(ONE_UP_ONE_DOWN).joint, "power_imbalance").text
    assert text.startswith(
        "In arguments, Ines's answers say they often feel they know better, and Marc's answers "
        "say they often feel smaller."
    )
    assert "you stop talking as equals" in text


def test_a_neutral_attachment_score_of_four_is_not_called_high():
    marc = report(ONE_UP_ONE_DOWN).joint.partners[1]
    assert marc.name == "Marc"
    assert marc.shared["ecr_rs"] == {"anxiety": 4.0, "avoidance": 4.0}
    assert not THRESHOLDS["ecr_high"].met(4.0)


def test_a_cycle_seen_in_one_partners_answers_says_whose_answers_show_it():
    text = finding(report(SAFETY_POSITIVE).joint, "pursue_withdraw").text
    assert text.startswith(
        "Jamie's answers describe a reach-and-retreat cycle: when something feels off, "
        "Jamie reaches out"
    )
    assert "and Chris goes quiet, steps back or defends" in text
    assert "so talk it through together: do you both recognise it?" in text
    assert "Chris's answers" not in text
    assert text.endswith("The cycle is the problem, not either of you.")


def test_both_shared_cycles_name_both_partners():
    blame = finding(report(MUTUAL_BLAME).joint, "mutual_blame").text
    quiet = finding(report(BOTH_WITHDRAWN).joint, "mutual_withdrawal").text
    assert blame.startswith("Robin and Kai both say that when you discuss a problem")
    assert quiet.startswith("Dana and Lee both say that when a problem comes up")


@pytest.mark.parametrize("vignette", COUPLES, ids=ids(COUPLES))
def test_per_person_findings_in_a_couple_name_the_person_they_concern(vignette):
    names = vignette.names
    for f in report(vignette).joint.findings:
        if len(f.partners) == 1:
            assert names[f.partners[0]] in f.text, (f.id, f.text)


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_no_text_in_any_view_casts_a_partner_as_the_villain(vignette):
    built = report(vignette)
    views = [built.joint, *built.private.values()]
    names = [*vignette.names.values(), "Alex", "Sam"]
    patterns = [
        *VILLAIN_PATTERNS,
        *(rf"\bblame {n}\b" for n in names),
        *(rf"\b{n}'s fault\b" for n in names),
        *(rf"\bbecause of {n}\b" for n in names),
    ]
    for view in views:
        for text in texts(view):
            for pattern in patterns:
                assert not re.search(pattern, text, re.IGNORECASE), (pattern, text)


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_every_finding_recommends_practices_that_exist(vignette):
    from attunement.practices import catalogue

    for f in report(vignette).joint.findings:
        assert f.practices, f.id
        assert set(f.practices) <= set(catalogue()), f.id


# --- One partner alone ----------------------------------------------------------------


@pytest.mark.parametrize("vignette", SOLOS, ids=ids(SOLOS))
def test_alone_the_report_is_only_about_the_person_who_took_part(vignette):
    built = report(vignette)
    joint = built.joint
    assert joint.solo
    assert [p.key for p in joint.partners] == ["a"]
    assert set(built.private) == {"a"}
    with pytest.raises(ValueError):
        built.view("b")
    for f in joint.findings:
        assert f.partners == ("a",)
        assert f.agreement == Agreement.SOLO
        assert set(f.roles) <= {"a"}
        assert all(e.partner == "a" for e in f.evidence), f.id


@pytest.mark.parametrize(("vignette", "absent"), [(SOLO, "Sam"), (SOLO_WITHDRAWER, "Alex")])
def test_alone_every_text_speaks_to_you_and_names_nobody(vignette, absent):
    built = report(vignette)
    for f in built.joint.findings:
        assert re.search(r"\byou(r)?\b", f.text, re.IGNORECASE), f.text
        for name in ("Alex", "Sam"):
            assert name not in f.text, f.text
    assert absent not in repr(built)


def test_a_withdrawer_alone_reads_their_own_half_of_the_cycle():
    text = finding(report(SOLO_WITHDRAWER).joint, "pursue_withdraw").text
    assert text.startswith("When your partner brings up a problem, you tend to go quiet")
    assert "You can only change your own half of this cycle" in text


def test_alone_every_piece_of_evidence_is_one_of_the_persons_own_shared_scores():
    joint = report(SOLO).joint
    (alex,) = joint.partners
    for f in joint.findings:
        for e in f.evidence:
            assert alex.value(e.instrument, e.scale) == e.value


def test_alone_the_persons_side_matches_their_side_of_the_couple_report():
    alone, couple = report(SOLO).joint, report(PURSUE_WITHDRAW).joint
    assert alone.partners[0].shared == couple.partners[0].shared
    mine = {(f.id, f.partners) for f in couple.findings if f.partners == ("a",)}
    assert mine <= found(alone.findings)


# --- Safety screens stay private -----------------------------------------------------------


@pytest.mark.parametrize(
    ("vignette", "screened", "concern"),
    [(SAFETY_POSITIVE, "b", "partner_violence"), (ASQ_POSITIVE, "a", "suicide_risk")],
    ids=["hark", "asq"],
)
def test_a_positive_screen_changes_nothing_the_other_partner_or_the_couple_sees(
    vignette, screened, concern
):
    built, clear = report(vignette), report(with_clear_screens(vignette))
    other = "a" if screened == "b" else "b"
    assert repr(built.joint) == repr(clear.joint)
    assert repr(built.view(other)) == repr(clear.view(other))
    assert repr(clear.view(screened)) == repr(replace(clear.joint, audience=screened))
    for view in (built.joint, built.view(other)):
        assert view.screens == ()
        assert all(f.private_to is None for f in view.findings)
        assert "safety_concern" not in {f.id for f in view.findings}
        assert concern not in repr(view)


@pytest.mark.parametrize(
    ("vignette", "screened", "outcome"),
    [
        (SAFETY_POSITIVE, "b", ScreenOutcome("partner_violence", True, False)),
        (ASQ_POSITIVE, "a", ScreenOutcome("suicide_risk", True, False)),
    ],
    ids=["hark", "asq"],
)
def test_the_screened_partner_alone_sees_a_private_safety_section_first(
    vignette, screened, outcome
):
    built = report(vignette)
    own = built.view(screened)
    first = own.findings[0]
    assert first.id == "safety_concern"
    assert first.private_to == screened
    assert first.partners == (screened,)
    assert first.practices == ("safety_plan", "individual_support")
    assert own.support_level == SupportLevel.URGENT_INDIVIDUAL
    assert own.screens == (outcome,)
    # The joint findings are still shown to them, word for word, with couple exercises
    # paused while safety is a concern; after a partner-violence screen, none of them
    # frames what happens as a cycle the two share.
    kept = [
        f
        for f in built.joint.findings
        if not (outcome.concern == "partner_violence" and f.id in CYCLES)
    ]
    assert own.findings[1:] == tuple(replace(f, practices=()) for f in kept)
    if outcome.concern == "partner_violence":
        assert not {f.id for f in own.findings} & CYCLES
        assert "cycle is the problem" not in " ".join(f.text for f in own.findings)
    assert built.joint.support_level == EXPECTED_SUPPORT[vignette.id]


@pytest.mark.parametrize(
    ("vignette", "screened"), [(SAFETY_POSITIVE, "b"), (ASQ_POSITIVE, "a")], ids=["hark", "asq"]
)
def test_only_the_screened_partners_own_view_pauses_the_exercises(vignette, screened):
    built = report(vignette)
    other = "a" if screened == "b" else "b"
    assert built.joint.findings
    for view in (built.joint, built.view(other)):
        for f in view.findings:
            assert f.practices == practices_for(f.id) and f.practices, f.id
    for f in built.view(screened).findings[1:]:
        assert f.practices == (), f.id


def test_the_safety_section_names_nobody():
    own = report(SAFETY_POSITIVE).view("b")
    text = own.findings[0].text
    assert "Jamie" not in text and "Chris" not in text
    assert "your partner cannot see it" in text


def test_an_acute_asq_answer_is_marked_acute_in_the_screened_partners_view_only():
    tess = ASQ_POSITIVE.people[0]
    answers = copy.deepcopy(tess.answers)
    answers["asq"]["5"] = 1
    vignette = replace(
        ASQ_POSITIVE, people=(replace(tess, answers=answers), ASQ_POSITIVE.people[1])
    )
    built, clear = report(vignette), report(with_clear_screens(vignette))
    assert built.view("a").screens == (ScreenOutcome("suicide_risk", True, True),)
    assert repr(built.joint) == repr(clear.joint)
    assert repr(built.view("b")) == repr(clear.view("b"))


@pytest.mark.parametrize("vignette", ALL, ids=ids(ALL))
def test_screens_are_never_among_the_scores_a_partner_shares(vignette):
    for person in vignette.people:
        partner, _ = partner_from_scores(person.key, person.name, score_answers(person.answers))
        assert "hark" not in partner.shared
        assert "asq" not in partner.shared
        assert set(partner.shared) == {"csi4", "ecr_rs", "cpq_sf", "ucla3", "connection"}


@pytest.mark.parametrize(
    "vignette", [v for v in ALL if v not in (SAFETY_POSITIVE, ASQ_POSITIVE)], ids=lambda v: v.id
)
def test_without_a_positive_screen_each_partners_view_is_the_joint_view(vignette):
    built = report(vignette)
    for key, view in built.private.items():
        assert view.audience == key
        assert repr(view) == repr(replace(built.joint, audience=key))


def test_the_vignettes_cover_every_finding_id_and_every_joint_support_level():
    seen = {f.id for v in ALL for f in report(v).joint.findings}
    assert seen == {rule.__name__ for rule in RULES}
    levels = {report(v).joint.support_level for v in ALL}
    assert levels == set(SupportLevel) - {SupportLevel.URGENT_INDIVIDUAL}


# --- The clinical review's corrections (issue 11) ----------------------------------


def test_a_couple_who_both_say_i_demand_are_told_they_see_their_roles_differently():
    joint = report(BOTH_SAY_I_DEMAND).joint
    cycle = finding(joint, "pursue_withdraw")
    assert cycle.agreement == Agreement.ROLES_DIFFER
    assert dict(cycle.roles) == {}
    assert "Sasha and Rui each see themselves as the one who reaches" in cycle.text
    assert "not the two of you blaming each other" in cycle.text
    assert not any(f.id == "mutual_blame" for f in joint.findings)
    for text in texts(joint):
        assert "blame each other" not in text and "blaming, accusing" not in text


def test_the_both_say_i_demand_report_draws_each_partners_own_view_and_suggests_for_both():
    from attunement.insight.render import html_fragment

    page = html_fragment(report(BOTH_SAY_I_DEMAND).joint)
    assert "sees themselves reaching out, and Rui stepping back" in page
    assert "sees themselves reaching out, and Sasha stepping back" in page
    assert "Together" in page  # no pursuer or withdrawer to suggest practices to


def test_mutual_blame_comes_from_the_published_item_b5_only():
    blame = finding(report(MUTUAL_BLAME).joint, "mutual_blame")
    assert [(e.partner, e.scale) for e in blame.evidence] == [
        ("a", "mutual_blame"),
        ("b", "mutual_blame"),
    ]


def test_mutual_withdrawal_comes_from_the_published_item_a1():
    quiet = finding(report(BOTH_WITHDRAWN).joint, "mutual_withdrawal")
    decided = [e for e in quiet.evidence if e.scale == "mutual_avoidance"]
    assert [(e.partner, e.value, e.meets) for e in decided] == [("a", 8, True), ("b", 7, True)]


@pytest.mark.parametrize(
    ("vignette", "key", "words"),
    [
        (SECURE, "a", ("repair moves", "fairly likely to talk problems through together")),
        (OVER_FUNCTIONING, "b", ("repair moves already happen more than sometimes",)),
        (ASQ_POSITIVE, "b", ("fairly likely to talk it through together",)),
    ],
)
def test_repair_strength_says_what_was_measured(vignette, key, words):
    text = finding(report(vignette).joint, "repair_strength", (key,)).text
    for word in words:
        assert word in text
    if "repair moves" not in " ".join(words):
        # Raised by constructive talk alone: no claim about repair moves nobody reported.
        assert "softer feeling" not in text and "own part" not in text


def test_repair_strength_names_only_moves_the_repair_items_ask_about():
    text = finding(report(OVER_FUNCTIONING).joint, "repair_strength", ("b",)).text
    for asked in (
        "own part",
        "softer feeling",
        "impact before",
        "something specific",
        "within a day",
    ):
        assert asked in text


def test_one_up_and_one_down_name_same_as_as_the_goal():
    text = finding(report(ONE_UP_ONE_DOWN).joint, "power_imbalance").text
    assert '"same-as"' in text and "full respect" in text


@pytest.mark.parametrize("vignette", [PURSUE_WITHDRAW, BOTH_WITHDRAWN, MUTUAL_BLAME, SOLO])
def test_the_cycle_picture_words_fears_as_possibilities(vignette):
    from attunement.insight.render import html_fragment

    page = html_fragment(report(vignette).joint)
    assert "may fear" in page


@pytest.mark.parametrize(
    "finding_id", ["mutual_blame", "protective_strategies", "pursue_withdraw", "power_imbalance"]
)
def test_findings_about_blame_and_protection_recommend_the_accountability_builder(finding_id):
    assert "accountability_builder" in practices_for(finding_id)


def screened_variant(vignette: Vignette, key: str, screen: str, answers: dict) -> Vignette:
    """The vignette with everyone's screens clear except `key`'s `screen` answers."""
    clear = with_clear_screens(vignette)
    people = tuple(
        replace(p, answers={**p.answers, screen: answers}) if p.key == key else p
        for p in clear.people
    )
    return replace(clear, people=people)


@pytest.mark.parametrize(
    ("screen", "answers", "concern"),
    [
        # Declining an ASQ question is a positive screen (NIMH toolkit).
        ("asq", {"1": 0, "2": 2, "3": 0, "4": 0, "5": 0}, "suicide_risk"),
        # Our coercive-control item alone is a positive screen (our threshold).
        ("hark", {"H": 0, "A": 0, "R": 0, "K": 0, "C": 1}, "partner_violence"),
    ],
    ids=["asq_declined", "hark_c_only"],
)
def test_a_declined_asq_question_or_item_c_alone_is_private_help_and_changes_nothing_joint(
    screen, answers, concern
):
    screened = screened_variant(ASQ_POSITIVE, "a", screen, answers)
    built, clear = report(screened), report(with_clear_screens(ASQ_POSITIVE))
    assert repr(built.joint) == repr(clear.joint)
    assert repr(built.view("b")) == repr(clear.view("b"))
    own = built.view("a")
    assert own.findings[0].id == "safety_concern"
    assert own.screens == (ScreenOutcome(concern, True, False),)
    assert own.support_level == SupportLevel.URGENT_INDIVIDUAL


def test_item_c_alone_is_reported_under_a_threshold_of_ours():
    from attunement.instruments.model import Source

    person = screened_variant(ASQ_POSITIVE, "a", "hark", dict.fromkeys("HARK", 0) | {"C": 1})
    band = score_answers(person.person("a").answers)["hark"].scales["positive"].band
    assert band is not None and band.source is Source.OURS
