"""Every couple-insight rule at its edges, the support level, and report input checks."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from attunement.insight import Agreement, Evidence, Finding, Partner, SupportLevel, build_report
from attunement.insight.model import Threshold
from attunement.insight.report import joint_support_level
from attunement.insight.rules import CYCLES
from attunement.insight.rules.evidence import Couple
from attunement.insight.rules.person import STRATEGIES, STRATEGY_WORDS
from attunement.insight.rules.thresholds import THRESHOLDS
from attunement.insight.words import practices_for, support_text
from attunement.safety import ScreenOutcome

NAMES = {"a": "Alex", "b": "Sam"}

# Scores that raise nothing on their own: the "quiet" partner in most tables.
QUIET = {
    "csi4": {"total": 16.0},
    "ecr_rs": {"anxiety": 2.0, "avoidance": 2.0},
    "cpq_sf": {
        "constructive": 16.0,
        "self_demand_partner_withdraw": 6.0,
        "partner_demand_self_withdraw": 6.0,
    },
    "ucla3": {"total": 4.0},
    "connection": {
        "repair": 2.0,
        "lonely": 1.0,
        "surface_talk": 1.0,
        "wants_closeness": 2.0,
        "avoid_depth": 1.0,
        "resignation": 1.0,
        **dict.fromkeys(STRATEGIES, 1.0),
        "over_functioning": 2.0,
        "under_functioning": 2.0,
        "parent_child": 2.0,
        "one_up": 2.0,
        "one_down": 2.0,
        "desire_loss": 2.0,
    },
}


def partner(key: str = "a", base: dict | None = None, **changes: float) -> Partner:
    """A partner sharing `base` (QUIET by default) with `instrument__scale=value` changes."""
    shared = {i: dict(scales) for i, scales in (QUIET if base is None else base).items()}
    for name, value in changes.items():
        instrument, scale = name.split("__")
        shared.setdefault(instrument, {})[scale] = value
    return Partner(key, NAMES[key], shared)


def without(p: Partner, *instruments: str) -> Partner:
    return Partner(p.key, p.name, {i: s for i, s in p.shared.items() if i not in instruments})


def joint(*partners: Partner):
    return build_report(list(partners)).joint


def found(view) -> set[tuple[str, tuple[str, ...]]]:
    return {(f.id, f.partners) for f in view.findings}


def only(view, finding_id: str) -> Finding:
    matches = [f for f in view.findings if f.id == finding_id]
    assert len(matches) == 1, found(view)
    return matches[0]


def has(view, finding_id: str) -> bool:
    return any(f.id == finding_id for f in view.findings)


def test_quiet_partners_raise_nothing_and_need_no_help():
    view = joint(partner("a"), partner("b"))
    assert view.findings == ()
    assert view.support_level == SupportLevel.SELF_GUIDED


# --- Thresholds -------------------------------------------------------------------


def test_only_the_csi4_cut_off_is_published():
    assert {k for k, t in THRESHOLDS.items() if t.source == "published"} == {"csi4_dissatisfied"}
    assert {t.source for t in THRESHOLDS.values()} == {"published", "ours"}
    assert (THRESHOLDS["csi4_dissatisfied"].value, THRESHOLDS["csi4_dissatisfied"].comparison) == (
        13.5,
        "<",
    )


@pytest.mark.parametrize("key", sorted(THRESHOLDS))
def test_every_threshold_gives_its_reason(key):
    assert len(THRESHOLDS[key].rationale) > 20


@pytest.mark.parametrize(
    ("comparison", "score", "met"),
    [
        (">", 4.01, True),
        (">", 4.0, False),
        (">=", 4.0, True),
        (">=", 3.99, False),
        ("<", 3.99, True),
        ("<", 4.0, False),
        ("<=", 4.0, True),
        ("<=", 4.01, False),
    ],
)
def test_a_threshold_is_met_on_the_side_its_comparison_says(comparison, score, met):
    assert Threshold(4.0, comparison, "ours", "why").met(score) is met


def test_a_neutral_ecr_score_of_four_is_not_high():
    high = THRESHOLDS["ecr_high"]
    assert (high.value, high.comparison, high.source) == (4.0, ">", "ours")
    assert not high.met(4.0)
    assert high.met(4.01)


@pytest.mark.parametrize(("score", "high"), [(4.0, False), (4.01, True)])
def test_a_neutral_ecr_score_supports_the_cycle_without_being_called_high(score, high):
    a = partner("a", **{DEMAND: 21.0, "ecr_rs__anxiety": score})
    b = partner("b", **{WITHDRAW: 21.0, "ecr_rs__avoidance": score})
    view = joint(a, b)
    cycle = only(view, "pursue_withdraw")
    assert [(e.scale, e.value, e.meets) for e in cycle.evidence[2:]] == [
        ("anxiety", score, high),
        ("avoidance", score, high),
    ]
    assert has(view, "attachment_anxiety_high") is high
    assert has(view, "attachment_avoidance_high") is high


def test_evidence_without_a_threshold_neither_meets_nor_fails():
    assert Evidence("a", "csi4", "total", 12.0).meets is None


# --- Per-person findings: exactly at the threshold versus just past it -------------

PER_PERSON = [
    # finding, score, value, raised
    ("repair_strength", "connection__repair", 2.5, True),
    ("repair_strength", "connection__repair", 2.49, False),
    ("repair_strength", "cpq_sf__constructive", 18.0, True),
    ("repair_strength", "cpq_sf__constructive", 17.99, False),
    ("lonely_together", "connection__lonely", 3.0, True),
    ("lonely_together", "connection__lonely", 2.99, False),
    ("surface_talk", "connection__surface_talk", 3.0, True),
    ("surface_talk", "connection__surface_talk", 2.99, False),
    ("resignation", "connection__resignation", 3.0, True),
    ("resignation", "connection__resignation", 2.99, False),
    # ECR-RS "high" is strictly above the neutral midpoint: 4.0 itself is not high.
    ("attachment_anxiety_high", "ecr_rs__anxiety", 4.01, True),
    ("attachment_anxiety_high", "ecr_rs__anxiety", 13 / 3, True),  # nearest score above
    ("attachment_anxiety_high", "ecr_rs__anxiety", 4.0, False),
    ("attachment_anxiety_high", "ecr_rs__anxiety", 11 / 3, False),  # nearest score below
    ("attachment_avoidance_high", "ecr_rs__avoidance", 4.01, True),
    ("attachment_avoidance_high", "ecr_rs__avoidance", 25 / 6, True),  # nearest above
    ("attachment_avoidance_high", "ecr_rs__avoidance", 4.0, False),
    ("attachment_avoidance_high", "ecr_rs__avoidance", 23 / 6, False),  # nearest below
    ("notable_dissatisfaction", "csi4__total", 13.5, False),
    ("notable_dissatisfaction", "csi4__total", 13.49, True),
    ("notable_dissatisfaction", "csi4__total", 13.0, True),  # the highest whole total below
    ("notable_dissatisfaction", "csi4__total", 14.0, False),
    *(
        row
        for s in STRATEGIES
        for row in [
            ("protective_strategies", f"connection__{s}", 2.5, True),
            ("protective_strategies", f"connection__{s}", 2.49, False),
        ]
    ),
]


@pytest.mark.parametrize("alone", [False, True], ids=["couple", "alone"])
@pytest.mark.parametrize(("finding_id", "score", "value", "raised"), PER_PERSON)
def test_a_per_person_finding_is_raised_exactly_from_its_threshold(
    finding_id, score, value, raised, alone
):
    a = partner("a", **{score: value})
    view = joint(a) if alone else joint(a, partner("b"))
    assert found(view) == ({(finding_id, ("a",))} if raised else set())
    if raised:
        instrument, scale = score.split("__")
        first = only(view, finding_id).evidence[0]
        assert (first.partner, first.instrument, first.scale, first.value) == (
            "a",
            instrument,
            scale,
            value,
        )
        assert first.meets


@pytest.mark.parametrize("key", ["a", "b"])
def test_a_per_person_finding_concerns_only_the_partner_whose_score_it_is(key):
    view = joint(partner("a", **{"csi4__total": 12.0} if key == "a" else {}),
                 partner("b", **{"csi4__total": 12.0} if key == "b" else {}))  # fmt: skip
    assert found(view) == {("notable_dissatisfaction", (key,))}
    assert NAMES[key] in only(view, "notable_dissatisfaction").text


def test_loneliness_on_the_ucla_alone_is_supporting_evidence_not_a_finding():
    view = joint(partner("a", ucla3__total=9.0), partner("b"))
    assert not has(view, "lonely_together")


def test_feeling_lonely_together_shows_the_ucla_total_as_supporting_evidence():
    view = joint(partner("a", connection__lonely=3.0, ucla3__total=5.0), partner("b"))
    evidence = only(view, "lonely_together").evidence
    assert [(e.instrument, e.scale, e.value, e.meets) for e in evidence] == [
        ("connection", "lonely", 3.0, True),
        ("ucla3", "total", 5.0, False),
    ]


def test_protective_habits_name_the_three_most_frequent_ties_in_a_fixed_order():
    a = partner(
        "a",
        connection__withdrawal=3.0,
        connection__fixing=4.0,
        connection__being_right=3.0,
        connection__controlling=3.0,
    )
    result = only(joint(a, partner("b")), "protective_strategies")
    assert [e.scale for e in result.evidence] == ["fixing", "being_right", "controlling"]
    assert (
        "moves are: fixing instead of listening, pressing to be proved right, pushing for "
        "things to go one way. These habits" in result.text
    )


def test_protective_habits_are_named_in_neutral_words_that_address_nobody():
    assert STRATEGY_WORDS == {
        "being_right": "pressing to be proved right",
        "controlling": "pushing for things to go one way",
        "harsh_expression": "saying things harshly",
        "retaliation": "paying hurt back",
        "withdrawal": "shutting down",
        "fixing": "fixing instead of listening",
        "hiding_needs": "keeping needs hidden",
        "minimizing_needs": "playing down one's own needs",
    }
    for words in STRATEGY_WORDS.values():
        assert not re.search(r"\byou(r|rs|rself)?\b", words, re.IGNORECASE), words
    a = partner("a", **{f"connection__{s}": 4.0 for s in STRATEGIES})
    # All eight tie: the first three in the fixed order are named, alone and as a couple.
    named = "pressing to be proved right, pushing for things to go one way, saying things harshly."
    couple = only(joint(a, partner("b")), "protective_strategies").text
    assert couple.startswith(f"When Alex feels hurt or unsure, the most frequent protective "
                             f"moves are: {named} These habits")  # fmt: skip
    assert not re.search(r"\byou(r|rs|rself)?\b", couple, re.IGNORECASE), couple
    assert (
        f"your most frequent protective moves are: {named}"
        in only(joint(a), "protective_strategies").text
    )


def test_repair_strength_lists_both_signs_when_both_show():
    a = partner("a", connection__repair=3.0, cpq_sf__constructive=20.0)
    evidence = only(joint(a, partner("b")), "repair_strength").evidence
    assert [e.scale for e in evidence] == ["repair", "constructive"]


# --- Pursue-withdraw and mutual blame ---------------------------------------------

DEMAND = "cpq_sf__self_demand_partner_withdraw"
WITHDRAW = "cpq_sf__partner_demand_self_withdraw"

A_CHASES = {"a": "pursuer", "b": "withdrawer"}
B_CHASES = {"b": "pursuer", "a": "withdrawer"}
ONE, BOTH = Agreement.ONE, Agreement.BOTH

PURSUE = [
    # a's changes, b's changes, expected roles or None, agreement, whose report shows it
    ({DEMAND: 15.0}, {}, A_CHASES, ONE, "a"),
    ({DEMAND: 14.99}, {}, None, None, None),
    ({}, {WITHDRAW: 15.0}, A_CHASES, ONE, "b"),
    ({}, {WITHDRAW: 14.99}, None, None, None),
    ({DEMAND: 15.0}, {WITHDRAW: 15.0}, A_CHASES, BOTH, None),
    ({DEMAND: 15.0}, {WITHDRAW: 14.99}, A_CHASES, ONE, "a"),
    ({DEMAND: 14.99}, {WITHDRAW: 15.0}, A_CHASES, ONE, "b"),
    ({WITHDRAW: 15.0}, {DEMAND: 15.0}, B_CHASES, BOTH, None),
    ({WITHDRAW: 15.0}, {}, B_CHASES, ONE, "a"),
    ({}, {DEMAND: 15.0}, B_CHASES, ONE, "b"),
    # the direction with more reports wins ...
    ({DEMAND: 15.0, WITHDRAW: 27.0}, {WITHDRAW: 15.0}, A_CHASES, BOTH, None),
    # ... and between single reports, the higher total, even from one person's answers
    ({DEMAND: 20.0, WITHDRAW: 19.0}, {}, A_CHASES, ONE, "a"),
    ({}, {DEMAND: 19.0, WITHDRAW: 20.0}, A_CHASES, ONE, "b"),
    # an exact tie between one person's two directions says nothing about who does what
    ({DEMAND: 20.0, WITHDRAW: 20.0}, {}, None, None, None),
    ({}, {DEMAND: 15.0, WITHDRAW: 15.0}, None, None, None),
]


@pytest.mark.parametrize(("a_changes", "b_changes", "roles", "agreement", "reporter"), PURSUE)
def test_the_reach_and_retreat_cycle_from_either_partners_report(
    a_changes, b_changes, roles, agreement, reporter
):
    view = joint(partner("a", **a_changes), partner("b", **b_changes))
    assert not has(view, "mutual_blame")
    if roles is None:
        assert not has(view, "pursue_withdraw")
        return
    result = only(view, "pursue_withdraw")
    assert result.partners == ("a", "b")
    assert dict(result.roles) == roles
    assert result.agreement == agreement
    pursuer = NAMES[next(k for k, r in roles.items() if r == "pursuer")]
    withdrawer = NAMES[next(k for k, r in roles.items() if r == "withdrawer")]
    assert [(NAMES[e.partner], e.scale, e.threshold) for e in result.evidence] == [
        (pursuer, "self_demand_partner_withdraw", THRESHOLDS["cpq_pattern"]),
        (withdrawer, "partner_demand_self_withdraw", THRESHOLDS["cpq_pattern"]),
        (pursuer, "anxiety", THRESHOLDS["ecr_high"]),
        (withdrawer, "avoidance", THRESHOLDS["ecr_high"]),
    ]
    assert result.text.endswith("The cycle is the problem, not either of you.")
    assert "{" not in result.text
    if agreement == BOTH:
        assert reporter is None
        assert result.text.startswith(
            f"When something feels off between you, {pursuer} tends to reach out"
        )
        assert f"and {withdrawer} tends to go quiet, step back or defend" in result.text
        assert "answers describe" not in result.text
    else:
        assert result.text.startswith(
            f"{NAMES[reporter]}'s answers describe a reach-and-retreat cycle: when something "
            f"feels off, {pursuer} reaches out"
        )
        assert f"and {withdrawer} goes quiet, steps back or defends" in result.text
        assert "talk it through together: do you both recognise it?" in result.text
        assert "tends to" not in result.text


@pytest.mark.parametrize(
    ("a_changes", "b_changes", "reporter", "other"),
    [
        ({DEMAND: 21.0}, {}, "Alex", "Sam"),  # the pursuer's own report
        ({}, {WITHDRAW: 21.0}, "Sam", "Alex"),  # the withdrawer's own report
        ({WITHDRAW: 21.0}, {}, "Alex", "Sam"),
        ({}, {DEMAND: 21.0}, "Sam", "Alex"),
    ],
)
def test_a_cycle_only_one_partner_reports_says_whose_answers_show_it(
    a_changes, b_changes, reporter, other
):
    result = only(joint(partner("a", **a_changes), partner("b", **b_changes)), "pursue_withdraw")
    assert result.agreement == Agreement.ONE
    assert result.text.startswith(f"{reporter}'s answers describe a reach-and-retreat cycle")
    assert f"{other}'s answers" not in result.text
    assert (
        "The other partner's answers do not show it as clearly, so talk it through together: "
        "do you both recognise it?" in result.text
    )
    # The partner whose answers do not show it is still named, in their role.
    assert other in result.text


def test_an_exact_tie_within_one_persons_answers_raises_nothing_at_all():
    view = joint(partner("a", **{DEMAND: 20.0, WITHDRAW: 20.0}), partner("b"))
    assert view.findings == ()
    assert view.support_level == SupportLevel.SELF_GUIDED
    # One point apart is no longer a tie.
    view = joint(partner("a", **{DEMAND: 20.0, WITHDRAW: 19.0}), partner("b"))
    assert dict(only(view, "pursue_withdraw").roles) == A_CHASES


ROLES_DIFFER = [
    # a's changes, b's changes, the role each claims
    ({DEMAND: 15.0}, {DEMAND: 15.0}, "reach"),
    ({DEMAND: 27.0}, {DEMAND: 15.0}, "reach"),
    ({WITHDRAW: 18.0}, {WITHDRAW: 16.0}, "step_back"),
    ({WITHDRAW: 15.0}, {WITHDRAW: 15.0}, "step_back"),
]


@pytest.mark.parametrize(("a_changes", "b_changes", "claimed"), ROLES_DIFFER)
def test_both_claiming_the_same_role_is_a_difference_about_roles_not_blame(
    a_changes, b_changes, claimed
):
    view = joint(partner("a", **a_changes), partner("b", **b_changes))
    assert not has(view, "mutual_blame")
    result = only(view, "pursue_withdraw")
    assert result.agreement == Agreement.ROLES_DIFFER
    assert dict(result.roles) == {}  # nobody is cast as pursuer or withdrawer
    assert [(e.partner, e.scale) for e in result.evidence] == [
        ("a", "self_demand_partner_withdraw"),
        ("a", "partner_demand_self_withdraw"),
        ("b", "self_demand_partner_withdraw"),
        ("b", "partner_demand_self_withdraw"),
    ]
    mine = "reaches and the other" if claimed == "reach" else "steps back and the other"
    assert f"Alex and Sam each see themselves as the one who {mine}" in result.text
    assert "not the two of you blaming each other" in result.text
    assert "difference in how you see your roles" in result.text
    assert "{" not in result.text


def test_one_point_short_of_the_pattern_for_either_is_not_a_difference_about_roles():
    view = joint(partner("a", **{DEMAND: 15.0}), partner("b", **{DEMAND: 14.99}))
    assert only(view, "pursue_withdraw").agreement == Agreement.ONE


BLAME = "cpq_sf__mutual_blame"
AVOID = "cpq_sf__mutual_avoidance"
MUTUAL = [
    # a's answer, b's answer, agreement or None, reporter
    (6.0, 6.0, Agreement.BOTH, None),
    (9.0, 6.0, Agreement.BOTH, None),
    (6.0, 5.99, Agreement.ONE, "Alex"),
    (5.99, 6.0, Agreement.ONE, "Sam"),
    (5.99, 5.99, None, None),
    (1.0, 1.0, None, None),
]


@pytest.mark.parametrize(("a_value", "b_value", "agreement", "reporter"), MUTUAL)
def test_mutual_blame_is_decided_by_the_published_item_b5(a_value, b_value, agreement, reporter):
    view = joint(partner("a", **{BLAME: a_value}), partner("b", **{BLAME: b_value}))
    assert has(view, "mutual_blame") is (agreement is not None)
    assert not has(view, "pursue_withdraw")
    if agreement is None:
        return
    result = only(view, "mutual_blame")
    assert result.partners == ("a", "b")
    assert result.agreement == agreement
    assert [(e.partner, e.scale, e.value, e.threshold) for e in result.evidence] == [
        ("a", "mutual_blame", a_value, THRESHOLDS["cpq_mutual"]),
        ("b", "mutual_blame", b_value, THRESHOLDS["cpq_mutual"]),
    ]
    if reporter:
        assert result.text.startswith(f"{reporter}'s answers say that when you discuss a problem")
    else:
        assert result.text.startswith("Alex and Sam both say that when you discuss a problem")


def test_mutual_blame_needs_both_partners_to_have_answered_b5():
    a = partner("a", **{BLAME: 9.0})
    assert not has(joint(a, partner("b")), "mutual_blame")


def test_the_mutual_threshold_is_ours_and_says_why():
    threshold = THRESHOLDS["cpq_mutual"]
    assert (threshold.value, threshold.comparison, threshold.source) == (6.0, ">=", "ours")
    assert "no published cut-off" in threshold.rationale


# --- Mutual withdrawal ----------------------------------------------------------------

QUIET_TALK = {"cpq_sf__constructive": 14.99, "connection__avoid_depth": 3.0, AVOID: 6.0}


@pytest.mark.parametrize(("a_value", "b_value", "agreement", "reporter"), MUTUAL)
def test_mutual_withdrawal_is_decided_by_the_published_item_a1(
    a_value, b_value, agreement, reporter
):
    view = joint(partner("a", **{AVOID: a_value}), partner("b", **{AVOID: b_value}))
    assert has(view, "mutual_withdrawal") is (agreement is not None)
    if agreement is None:
        return
    result = only(view, "mutual_withdrawal")
    assert result.partners == ("a", "b")
    assert result.agreement == agreement
    # A1 decides; constructive talk and avoiding what matters are shown as context.
    assert [(e.partner, e.scale, e.meets) for e in result.evidence] == [
        ("a", "mutual_avoidance", a_value >= 6),
        ("b", "mutual_avoidance", b_value >= 6),
        ("a", "constructive", False),
        ("a", "avoid_depth", False),
        ("b", "constructive", False),
        ("b", "avoid_depth", False),
    ]
    if reporter:
        assert result.text.startswith(f"{reporter}'s answers say that when a problem comes up")
    else:
        assert result.text.startswith("Alex and Sam both say that when a problem comes up")


@pytest.mark.parametrize(
    ("a_changes", "b_changes"),
    [
        ({}, {}),
        ({DEMAND: 15.0}, {}),  # a chase on top of the avoidance: both are named
        ({"cpq_sf__constructive": 20.0}, {}),  # talking well at other times does not hide it
    ],
)
def test_mutual_withdrawal_stands_beside_other_patterns(a_changes, b_changes):
    view = joint(partner("a", **(QUIET_TALK | a_changes)), partner("b", **(QUIET_TALK | b_changes)))
    assert only(view, "mutual_withdrawal").agreement == Agreement.BOTH


def test_low_talk_and_avoiding_what_matters_alone_are_not_mutual_withdrawal():
    low = {"cpq_sf__constructive": 3.0, "connection__avoid_depth": 4.0}
    assert not has(joint(partner("a", **low), partner("b", **low)), "mutual_withdrawal")


def test_alone_the_shared_cycles_name_nobody_and_speak_to_you():
    blame = only(joint(partner("a", **{BLAME: 6.0})), "mutual_blame").text
    quiet = only(joint(partner("a", **QUIET_TALK)), "mutual_withdrawal").text
    assert blame.startswith("You say that when you and your partner discuss a problem")
    assert quiet.startswith("You say that when a problem comes up, you and your partner")
    for text in (blame, quiet):
        assert "Alex" not in text and "Sam" not in text and "{" not in text


# --- Closeness gap ----------------------------------------------------------------------

WANTS = "connection__wants_closeness"


@pytest.mark.parametrize(
    ("a_wants", "b_wants", "wants_more", "agreement"),
    [
        (3.0, 1.0, "a", Agreement.BOTH),
        (3.0, 0.0, "a", Agreement.BOTH),
        (3.0, 1.01, "a", Agreement.ONE),
        (3.0, 2.99, "a", Agreement.ONE),
        (3.0, 3.0, None, None),  # both long for more: not a gap between them
        (2.99, 0.0, None, None),
        (1.0, 4.0, "b", Agreement.BOTH),
        (2.0, 3.0, "b", Agreement.ONE),
    ],
)
def test_a_closeness_gap_needs_one_partner_to_want_more_and_the_other_not(
    a_wants, b_wants, wants_more, agreement
):
    view = joint(partner("a", **{WANTS: a_wants}), partner("b", **{WANTS: b_wants}))
    if wants_more is None:
        assert not has(view, "closeness_gap")
        return
    other = "b" if wants_more == "a" else "a"
    result = only(view, "closeness_gap")
    assert result.partners == (wants_more, other)
    assert dict(result.roles) == {wants_more: "wants_more"}
    assert result.agreement == agreement
    assert [(e.partner, e.threshold) for e in result.evidence] == [
        (wants_more, THRESHOLDS["sign_often"]),
        (other, THRESHOLDS["wants_less"]),
    ]
    assert result.text.startswith(f"{NAMES[wants_more]} wants more closeness than {NAMES[other]}")


# --- Power imbalance -----------------------------------------------------------------------

OVER = "connection__over_functioning"
UNDER = "connection__under_functioning"


UP = "connection__one_up"
DOWN = "connection__one_down"
CARRIES = "{carrier} feels they carry more than their share, and the balance between you"
CARRIED = "{carried} feels that {carrier} handles things {carried} could handle, and the balance"


@pytest.mark.parametrize(
    ("over", "under", "agreement", "wording"),
    [
        (4.0, 4.0, Agreement.BOTH, CARRIES),
        (5.0, 5.0, Agreement.BOTH, CARRIES),
        (4.0, 3.99, Agreement.ONE, CARRIES),
        (5.0, 1.0, Agreement.ONE, CARRIES),
        # "My partner handles things I could handle" is enough on its own.
        (3.99, 4.0, Agreement.ONE, CARRIED),
        (3.99, 5.0, Agreement.ONE, CARRIED),
        (1.0, 4.0, Agreement.ONE, CARRIED),
        (3.99, 3.99, None, None),
        (1.0, 1.0, None, None),
    ],
)
@pytest.mark.parametrize("carrier", ["a", "b"])
def test_power_imbalance_is_raised_by_the_one_who_carries_or_the_one_carried_for(
    over, under, agreement, wording, carrier
):
    carried = "b" if carrier == "a" else "a"
    partners = {
        carrier: partner(carrier, **{OVER: over}),
        carried: partner(carried, **{UNDER: under}),
    }
    view = joint(partners["a"], partners["b"])
    if wording is None:
        assert not has(view, "power_imbalance")
        return
    result = only(view, "power_imbalance")
    assert result.partners == (carrier, carried)
    assert dict(result.roles) == {carrier: "over_functioning"}
    assert result.agreement == agreement
    assert [(e.partner, e.scale, e.value, e.meets) for e in result.evidence] == [
        (carrier, "over_functioning", over, over >= 4),
        (carrier, "one_up", 2.0, False),
        (carried, "under_functioning", under, under >= 4),
        (carried, "one_down", 2.0, False),
        (carrier, "parent_child", 2.0, False),
        (carrier, "desire_loss", 2.0, False),
    ]
    assert all(e.threshold is THRESHOLDS["agree"] for e in result.evidence)
    assert result.text.startswith(wording.format(carrier=NAMES[carrier], carried=NAMES[carried]))
    assert result.text.endswith("a parent-and-child feeling that neither of you wants.")
    assert view.support_level == SupportLevel.CONSIDER_SUPPORT


def test_when_both_feel_they_carry_more_it_is_one_finding_about_two_sides():
    view = joint(partner("a", **{OVER: 4.0}), partner("b", **{OVER: 4.5}))
    assert found(view) == {("power_imbalance", ("a", "b"))}
    result = only(view, "power_imbalance")
    assert dict(result.roles) == {}
    assert result.agreement == Agreement.ROLES_DIFFER
    assert result.text.startswith(
        "You see the balance between you from two sides: Alex feels they carry more than "
        "their share, and Sam feels they carry more than their share."
    )
    assert {(e.partner, e.scale) for e in result.evidence} >= {
        ("a", "over_functioning"),
        ("b", "over_functioning"),
    }


def test_when_each_feels_carried_for_one_finding_gives_each_partners_own_view():
    view = joint(partner("a", **{UNDER: 4.0}), partner("b", **{UNDER: 4.0}))
    result = only(view, "power_imbalance")
    assert dict(result.roles) == {}
    assert result.text.split(". ")[0] == (
        "You see the balance between you from two sides: Alex feels Sam handles things they "
        "could handle themselves, and Sam feels Alex handles things they could handle themselves"
    )


def test_when_one_partner_sees_it_both_ways_the_other_is_not_given_a_view():
    view = joint(partner("a", **{OVER: 4.0, UNDER: 4.0}), partner("b"))
    result = only(view, "power_imbalance")
    assert "Sam does not describe the balance as uneven" in result.text
    assert "Alex feels they carry more than their share in some things" in result.text


def test_feeling_one_up_and_one_down_by_turns_is_one_finding_about_both():
    view = joint(partner("a", **{UP: 4.0, DOWN: 4.0}), partner("b", **{UP: 5.0, DOWN: 4.0}))
    result = only(view, "power_imbalance")
    assert result.partners == ("a", "b")
    assert dict(result.roles) == {}
    assert "each of you often feels smaller" in result.text


@pytest.mark.parametrize(
    ("a_changes", "b_changes", "up", "down"),
    [
        ({UP: 4.0}, {DOWN: 4.0}, "a", "b"),
        ({UP: 5.0}, {DOWN: 5.0}, "a", "b"),
        ({DOWN: 4.0}, {UP: 4.0}, "b", "a"),
        ({UP: 3.99}, {DOWN: 4.0}, None, None),
        ({UP: 4.0}, {DOWN: 3.99}, None, None),
        ({UP: 4.0, DOWN: 4.0}, {}, None, None),  # one person's answers alone are no pattern
        ({UP: 4.0}, {UP: 4.0}, None, None),  # both feel one up: nobody is one down
        ({DOWN: 4.0}, {DOWN: 4.0}, None, None),
    ],
)
def test_one_up_and_one_down_in_arguments_is_an_uneven_balance(a_changes, b_changes, up, down):
    view = joint(partner("a", **a_changes), partner("b", **b_changes))
    if up is None:
        assert not has(view, "power_imbalance")
        return
    result = only(view, "power_imbalance")
    assert result.partners == (up, down)
    assert dict(result.roles) == {up: "one_up", down: "one_down"}
    assert result.agreement == Agreement.BOTH
    assert [(e.partner, e.scale, e.meets) for e in result.evidence] == [
        (up, "one_up", True),
        (down, "one_down", True),
    ]
    assert result.text.startswith(
        f"In arguments, {NAMES[up]}'s answers say they often feel they know better, and "
        f"{NAMES[down]}'s answers say they often feel smaller."
    )
    assert view.support_level == SupportLevel.CONSIDER_SUPPORT


@pytest.mark.parametrize(
    ("a_changes", "b_changes", "wording", "over_met", "under_met"),
    [
        ({OVER: 4.0, UP: 4.0}, {DOWN: 4.0}, CARRIES, True, False),
        ({UP: 4.0}, {UNDER: 4.0, DOWN: 4.0}, CARRIED, False, True),
    ],
)
def test_carrying_more_takes_the_place_of_one_up_and_one_down(
    a_changes, b_changes, wording, over_met, under_met
):
    result = only(joint(partner("a", **a_changes), partner("b", **b_changes)), "power_imbalance")
    assert dict(result.roles) == {"a": "over_functioning"}
    assert result.agreement == Agreement.ONE
    assert result.text.startswith(wording.format(carrier="Alex", carried="Sam"))
    assert [(e.partner, e.scale, e.meets) for e in result.evidence] == [
        ("a", "over_functioning", over_met),
        ("a", "one_up", True),
        ("b", "under_functioning", under_met),
        ("b", "one_down", True),
        ("a", "parent_child", False),
        ("a", "desire_loss", False),
    ]


# --- One partner alone --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected", "roles"),
    [
        ({BLAME: 6.0}, "mutual_blame", {}),
        ({BLAME: 5.99}, None, {}),
        # Both directions in one person's answers is no longer called blame (that is B5).
        ({DEMAND: 15.0, WITHDRAW: 15.0}, "pursue_withdraw", {"a": "pursuer"}),
        ({DEMAND: 15.0, WITHDRAW: 14.99}, "pursue_withdraw", {"a": "pursuer"}),
        ({DEMAND: 15.0}, "pursue_withdraw", {"a": "pursuer"}),
        ({DEMAND: 14.99, WITHDRAW: 15.0}, "pursue_withdraw", {"a": "withdrawer"}),
        ({DEMAND: 14.99, WITHDRAW: 14.99}, None, {}),
        (QUIET_TALK, "mutual_withdrawal", {}),
        ({AVOID: 5.99, "cpq_sf__constructive": 3.0, "connection__avoid_depth": 4.0}, None, {}),
        ({WANTS: 3.0}, "closeness_gap", {"a": "wants_more"}),
        ({WANTS: 2.99}, None, {}),
        ({OVER: 4.0}, "power_imbalance", {"a": "over_functioning"}),
        ({OVER: 3.99}, None, {}),
        # Alone, nobody else's answers can show being carried for ...
        ({UNDER: 5.0}, None, {}),
        # ... but feeling one up or one down is the person's own answer.
        ({UP: 4.0}, "power_imbalance", {"a": "one_up"}),
        ({DOWN: 4.0}, "power_imbalance", {"a": "one_down"}),
        ({UP: 5.0, DOWN: 5.0}, "power_imbalance", {"a": "one_up"}),
        ({UP: 3.99, DOWN: 3.99}, None, {}),
        ({"ecr_rs__anxiety": 4.0, "ecr_rs__avoidance": 4.0}, None, {}),
    ],
)
def test_alone_each_pattern_is_read_from_the_persons_own_answers(changes, expected, roles):
    view = joint(partner("a", **changes))
    assert found(view) == ({(expected, ("a",))} if expected else set())
    if expected:
        result = only(view, expected)
        assert dict(result.roles) == roles
        assert result.agreement == Agreement.SOLO
        assert all(e.partner == "a" for e in result.evidence)
        assert "Alex" not in result.text
        assert "you" in result.text.lower()


# --- Missing shared scores ------------------------------------------------------------------

LOUD = {
    "csi4": {"total": 10.0},
    "ecr_rs": {"anxiety": 6.0, "avoidance": 6.0},
    "cpq_sf": {
        "constructive": 10.0,
        "self_demand_partner_withdraw": 20.0,
        "partner_demand_self_withdraw": 20.0,
    },
    "ucla3": {"total": 9.0},
    "connection": {scale: 4.0 for scale in QUIET["connection"]},
}
INSTRUMENTS = sorted(QUIET)


@pytest.mark.parametrize("missing", INSTRUMENTS)
@pytest.mark.parametrize("who", ["a", "b", "both"])
@pytest.mark.parametrize("base", [QUIET, LOUD], ids=["quiet", "loud"])
def test_an_instrument_a_partner_did_not_share_never_breaks_the_report(missing, who, base):
    a, b = partner("a", base), partner("b", base)
    if who in ("a", "both"):
        a = without(a, missing)
    if who in ("b", "both"):
        b = without(b, missing)
    lacking = {"a", "b"} if who == "both" else {who}
    view = joint(a, b)
    for f in view.findings:
        for e in f.evidence:
            assert (e.partner, e.instrument) not in {(k, missing) for k in lacking}


@pytest.mark.parametrize("who", ["a", "b"])
def test_a_partner_who_shared_nothing_gets_no_finding_of_their_own(who):
    a = partner("a", LOUD) if who == "b" else Partner("a", "Alex", {})
    b = partner("b", LOUD) if who == "a" else Partner("b", "Sam", {})
    view = joint(a, b)
    assert all(f.partners != (who,) for f in view.findings)
    assert all(e.partner != who for f in view.findings for e in f.evidence)


def test_partners_who_shared_nothing_get_an_empty_self_guided_report():
    view = joint(Partner("a", "Alex", {}), Partner("b", "Sam", {}))
    assert view.findings == ()
    assert view.support_level == SupportLevel.SELF_GUIDED


def test_a_partly_shared_instrument_is_read_scale_by_scale():
    b = Partner("b", "Sam", {"cpq_sf": {"constructive": 20.0}})
    view = joint(partner("a"), b)
    assert found(view) == {("repair_strength", ("b",))}


def partial_cpq(p: Partner, *keep: str) -> Partner:
    """The partner sharing only the `keep` scales of the CPQ-SF."""
    cpq = {k: v for k, v in p.shared["cpq_sf"].items() if k in keep}
    return Partner(p.key, p.name, {**p.shared, "cpq_sf": cpq})


SHARED_CPQ = [
    ("none", lambda p: without(p, "cpq_sf")),
    ("constructive_only", lambda p: partial_cpq(p, "constructive")),
    ("no_withdraw_scale", lambda p: partial_cpq(p, "constructive", DEMAND.split("__")[1])),
    ("no_demand_scale", lambda p: partial_cpq(p, "constructive", WITHDRAW.split("__")[1])),
]


@pytest.mark.parametrize("level", [6.0, 27.0], ids=["quiet", "strong"])
@pytest.mark.parametrize(("shared", "strip"), SHARED_CPQ, ids=[s for s, _ in SHARED_CPQ])
@pytest.mark.parametrize("lacking", ["a", "b"])
@pytest.mark.parametrize(
    "changes",
    [{DEMAND: 21.0}, {WITHDRAW: 21.0}, {DEMAND: 21.0, WITHDRAW: 27.0}, {}],
    ids=["reports_demanding", "reports_withdrawing", "reports_both_mostly_withdrawing", "neither"],
)
def test_a_partner_who_did_not_share_both_cpq_cycle_scales_is_not_cast_in_a_cycle(
    changes, lacking, shared, strip, level
):
    reporting = "b" if lacking == "a" else "a"
    lacking_partner = strip(partner(lacking, **{DEMAND: level, WITHDRAW: level}))
    partners = {lacking: lacking_partner, reporting: partner(reporting, **changes)}
    view = joint(partners["a"], partners["b"])
    assert not has(view, "pursue_withdraw")
    # Both demanding is never called mutual blame: that rests on item B5 alone.
    assert not has(view, "mutual_blame")
    assert not has(view, "mutual_withdrawal")


def test_with_both_cpq_cycle_scales_shared_a_single_report_is_enough():
    b = partial_cpq(partner("b"), *WITHDRAW.split("__")[1:], *DEMAND.split("__")[1:])
    assert "constructive" not in b.shared["cpq_sf"]
    result = only(joint(partner("a", **{DEMAND: 21.0}), b), "pursue_withdraw")
    assert (dict(result.roles), result.agreement) == (A_CHASES, Agreement.ONE)


def test_mutual_withdrawal_needs_both_partners_communication_scores():
    a = partner("a", **QUIET_TALK)
    assert not has(joint(a, without(partner("b", **QUIET_TALK), "cpq_sf")), "mutual_withdrawal")
    # The Connection Check is context only: A1 from both decides.
    b = without(partner("b", **QUIET_TALK), "connection")
    assert only(joint(a, b), "mutual_withdrawal").agreement == Agreement.BOTH


@pytest.mark.parametrize(
    ("finding_id", "changes"), [("closeness_gap", {WANTS: 4.0}), ("power_imbalance", {OVER: 5.0})]
)
def test_without_the_other_partners_connection_check_a_gap_rests_on_one_report(finding_id, changes):
    view = joint(partner("a", **changes), without(partner("b"), "connection"))
    result = only(view, finding_id)
    assert result.agreement == Agreement.ONE
    assert all(e.partner == "a" for e in result.evidence)


# --- Support level ---------------------------------------------------------------------------


def f(finding_id: str, *partners: str) -> Finding:
    return Finding(finding_id, partners or ("a", "b"), "title", "text")


COUPLE = Couple((partner("a"), partner("b")))
ALONE = Couple((partner("a"),))
SELF, CONSIDER, RECOMMEND = (
    SupportLevel.SELF_GUIDED,
    SupportLevel.CONSIDER_SUPPORT,
    SupportLevel.RECOMMEND_PROFESSIONAL,
)

SUPPORT = [
    ([], SELF),
    ([f("notable_dissatisfaction", "a")], CONSIDER),
    ([f("notable_dissatisfaction", "b")], CONSIDER),
    ([f("notable_dissatisfaction", "a"), f("notable_dissatisfaction", "b")], RECOMMEND),
    ([f("pursue_withdraw")], CONSIDER),
    ([f("mutual_blame")], CONSIDER),
    ([f("mutual_withdrawal")], CONSIDER),
    ([f("resignation", "b")], CONSIDER),
    ([f("power_imbalance")], CONSIDER),
    ([f("notable_dissatisfaction", "a"), f("pursue_withdraw")], RECOMMEND),
    ([f("notable_dissatisfaction", "b"), f("mutual_blame")], RECOMMEND),
    ([f("notable_dissatisfaction", "a"), f("mutual_withdrawal")], RECOMMEND),
    ([f("notable_dissatisfaction", "a"), f("resignation", "a")], RECOMMEND),
    ([f("notable_dissatisfaction", "a"), f("resignation", "b")], RECOMMEND),
    ([f("notable_dissatisfaction", "a"), f("power_imbalance")], CONSIDER),
    ([f("pursue_withdraw"), f("resignation", "a"), f("power_imbalance")], CONSIDER),
    *(
        ([f(signal, "a")], SELF)
        for signal in (
            "repair_strength",
            "closeness_gap",
            "lonely_together",
            "surface_talk",
            "attachment_anxiety_high",
            "attachment_avoidance_high",
            "protective_strategies",
        )
    ),
]


@pytest.mark.parametrize(
    ("findings", "level"),
    SUPPORT,
    ids=["+".join(f"{x.id}:{''.join(x.partners)}" for x in fs) or "nothing" for fs, _ in SUPPORT],
)
def test_the_joint_support_level_follows_distress_and_entrenched_patterns(findings, level):
    assert joint_support_level(COUPLE, findings) == level


@pytest.mark.parametrize(
    ("findings", "level"),
    [
        ([], SELF),
        ([f("notable_dissatisfaction", "a")], CONSIDER),
        ([f("pursue_withdraw", "a")], CONSIDER),
        ([f("notable_dissatisfaction", "a"), f("pursue_withdraw", "a")], RECOMMEND),
        ([f("notable_dissatisfaction", "a"), f("resignation", "a")], RECOMMEND),
    ],
)
def test_alone_the_support_level_follows_the_same_rules(findings, level):
    assert joint_support_level(ALONE, findings) == level


def test_both_partners_below_the_satisfaction_cut_off_is_enough_to_recommend_a_therapist():
    view = joint(partner("a", csi4__total=13.0), partner("b", csi4__total=12.0))
    assert found(view) == {("notable_dissatisfaction", ("a",)), ("notable_dissatisfaction", ("b",))}
    assert view.support_level == RECOMMEND
    assert view.support_text == support_text("recommend_professional")


def test_the_joint_support_level_is_never_urgent_even_when_both_screen_positive():
    screens = {
        "a": [ScreenOutcome("partner_violence", True)],
        "b": [ScreenOutcome("suicide_risk", True, True)],
    }
    built = build_report([partner("a"), partner("b")], screens)
    assert built.joint.support_level == SELF
    assert built.view("a").support_level == SupportLevel.URGENT_INDIVIDUAL
    assert built.view("b").support_level == SupportLevel.URGENT_INDIVIDUAL


BUSY = {DEMAND: 21.0, "csi4__total": 12.0, "connection__resignation": 3.0, OVER: 4.0}
SCREENS = [
    ("hark", {"b": [ScreenOutcome("partner_violence", True)]}, {"b"}),
    ("asq", {"b": [ScreenOutcome("suicide_risk", True)]}, {"b"}),
    ("asq_acute", {"b": [ScreenOutcome("suicide_risk", True, True)]}, {"b"}),
    ("both_screens", {"b": [ScreenOutcome("partner_violence", True),
                            ScreenOutcome("suicide_risk", True)]}, {"b"}),
    ("both_partners", {"a": [ScreenOutcome("partner_violence", True)],
                       "b": [ScreenOutcome("suicide_risk", True)]}, {"a", "b"}),
    ("negative", {"b": [ScreenOutcome("suicide_risk", False)]}, set()),
]  # fmt: skip


@pytest.mark.parametrize(
    ("screens", "screened"), [s[1:] for s in SCREENS], ids=[s[0] for s in SCREENS]
)
def test_couple_exercises_pause_only_in_the_screened_partners_own_view(screens, screened):
    built = build_report([partner("a", **BUSY), partner("b")], screens)
    plain = build_report([partner("a", **BUSY), partner("b")])
    joint_findings = built.joint.findings
    assert {f.id for f in joint_findings} >= {
        "pursue_withdraw", "power_imbalance", "resignation", "notable_dissatisfaction"
    }  # fmt: skip
    # The joint view keeps every finding's practices, exactly as without any screen.
    assert built.joint == plain.joint
    assert all(f.practices == practices_for(f.id) and f.practices for f in joint_findings)
    for key in ("a", "b"):
        own = built.view(key)
        if key not in screened:
            assert own.findings == joint_findings
            assert own.screens == ()
            continue
        safety, *shared = own.findings
        assert (safety.id, safety.private_to) == ("safety_concern", key)
        assert safety.practices == ("safety_plan", "individual_support")
        # Still shown, word for word and with their evidence, only without exercises; after
        # a partner-violence screen, without the cycle findings (violence is no shared loop).
        afraid = any(o.concern == "partner_violence" for o in screens[key])
        kept = [f for f in joint_findings if not (afraid and f.id in CYCLES)]
        assert len(shared) == len(kept)
        for mine, theirs in zip(shared, kept, strict=True):
            assert mine.practices == ()
            assert mine == replace(theirs, practices=())
        assert own.support_level == SupportLevel.URGENT_INDIVIDUAL


def test_alone_a_positive_screen_pauses_the_exercises_of_every_finding():
    built = build_report([partner("a", **BUSY)], {"a": [ScreenOutcome("suicide_risk", True)]})
    own = built.view("a")
    assert own.findings[0].id == "safety_concern"
    assert own.findings[0].practices == ("safety_plan", "individual_support")
    assert own.findings[1:] == tuple(replace(f, practices=()) for f in built.joint.findings)
    assert all(f.practices for f in built.joint.findings)


def test_a_negative_screen_outcome_adds_nothing_to_a_partners_view():
    built = build_report(
        [partner("a"), partner("b")], {"b": [ScreenOutcome("suicide_risk", False)]}
    )
    assert built.view("b").findings == ()
    assert built.view("b").support_level == SELF
    assert built.view("b").screens == ()


@pytest.mark.parametrize("level", list(SupportLevel))
def test_each_support_level_has_its_own_words(level):
    assert support_text(level)
    assert len({support_text(x) for x in SupportLevel}) == len(SupportLevel)


def test_support_levels_are_ranked_from_self_guided_to_urgent():
    assert [x.rank for x in SupportLevel] == [0, 1, 2, 3]
    assert SupportLevel.URGENT_INDIVIDUAL.rank > SupportLevel.RECOMMEND_PROFESSIONAL.rank


# --- build_report input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "partners",
    [
        [],
        [partner("a"), partner("b"), Partner("c", "Casey", {})],
        [partner("a"), partner("a")],
        [partner("b"), Partner("b", "Someone", {})],
    ],
    ids=["no_partners", "three_partners", "duplicate_a", "duplicate_b"],
)
def test_a_report_needs_one_or_two_partners_with_distinct_keys(partners):
    with pytest.raises(ValueError, match="one or two partners"):
        build_report(partners)


def test_asking_for_a_partner_not_in_the_report_is_an_error():
    built = build_report([partner("a"), partner("b")])
    assert built.view("joint") is built.joint
    with pytest.raises(ValueError, match="'c'"):
        built.view("c")


def test_each_partner_gets_a_view_addressed_to_them():
    built = build_report([partner("a"), partner("b")])
    assert {k: v.audience for k, v in built.private.items()} == {"a": "a", "b": "b"}
    assert built.joint.audience == "joint"


@pytest.mark.parametrize(
    "sam_cpq",
    [
        {"constructive": 14.0},  # shared only part of the CPQ: no say on who presses
        {"constructive": 14.0, "self_demand_partner_withdraw": 16.0,
         "partner_demand_self_withdraw": 16.0},  # an exact tie: someone presses
    ],
)  # fmt: skip
def test_mutual_withdrawal_is_not_claimed_when_someone_reports_pressing(sam_cpq):
    alex = partner("a", **QUIET_TALK, **{DEMAND: 21.0})
    sam = partner("b", **{"connection__avoid_depth": 3.0})
    sam = Partner("b", "Sam", {**sam.shared, "cpq_sf": sam_cpq})
    view = joint(alex, sam)
    assert not has(view, "mutual_withdrawal")


def test_nobody_is_cast_as_carrying_more_without_having_shared_the_balance_items():
    sam = partner("b", **{UNDER: 5.0})
    alex = partner("a")
    alex = Partner("a", "Alex", {**alex.shared, "connection": {
        k: v for k, v in alex.shared["connection"].items() if k != "over_functioning"
    }})  # fmt: skip
    assert not has(joint(alex, sam), "power_imbalance")
    assert has(joint(partner("a"), sam), "power_imbalance")
