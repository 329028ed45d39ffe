"""Non-interference: a partner's safety screens never change a byte of what the other sees.

For generated couples (every instrument answered item by item, within each item's
response scale), the report is built with partner b's screens all "no" and again
with some of them "yes". The joint view and partner a's view must be identical;
only b's own view may change, and only by a private safety section.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attunement.answers import score_answers
from attunement.insight import SupportLevel, build_report
from attunement.insight.report import partner_from_scores
from attunement.insight.rules import CYCLES
from attunement.instruments import library
from attunement.instruments.model import Instrument
from insight_vignettes import ALEX, SAM

SHARED = ("csi4", "ecr_rs", "cpq_sf", "ucla3", "connection")
HARK, ASQ = library.get("hark"), library.get("asq")
# The items a yes to which makes a screen positive (ASQ item 5 is asked only after one).
GATES = [("hark", item.id) for item in HARK.items] + [
    ("asq", item.id) for item in ASQ.items if item.ask_if is None
]
NEGATIVE = {
    "hark": {item.id: 0 for item in HARK.items},
    "asq": {item.id: 0 for item in ASQ.items if item.ask_if is None},
}
CONCERNS = {"hark": "partner_violence", "asq": "suicide_risk"}


@st.composite
def answers_to(draw, instrument: Instrument) -> dict[str, int]:
    """A complete answer vector, item by item, asking conditional items only when due."""
    answers: dict[str, int] = {}
    for item in instrument.items:
        if item.ask_if is None or item.ask_if.holds(answers):
            answers[item.id] = draw(st.integers(item.scale.min, item.scale.max))
    return answers


@st.composite
def shared_answers(draw) -> dict[str, dict[str, int]]:
    return {i: draw(answers_to(library.get(i))) for i in SHARED}


@st.composite
def positive_screens(draw) -> dict[str, dict[str, int]]:
    """HARK and ASQ answers with at least one yes; ASQ item 5 (acute) asked when due."""
    yes = draw(st.sets(st.sampled_from(GATES), min_size=1))
    screens: dict[str, dict[str, int]] = {"hark": {}, "asq": {}}
    for instrument in (HARK, ASQ):
        answers = screens[instrument.id]
        for item in instrument.items:
            if item.ask_if is None:
                answers[item.id] = int((instrument.id, item.id) in yes)
            elif item.ask_if.holds(answers):
                answers[item.id] = draw(st.integers(item.scale.min, item.scale.max))
    return screens


def build(a_answers, b_answers):
    people = [("a", "Alex", a_answers), ("b", "Sam", b_answers)]
    partners, screens = [], {}
    for key, name, answers in people:
        partner, outcomes = partner_from_scores(key, name, score_answers(answers))
        partners.append(partner)
        screens[key] = outcomes
    return build_report(partners, screens)


def expected_outcomes(screens) -> set[tuple[str, bool]]:
    concerns = set()
    if any(screens["hark"].values()):
        concerns.add(("partner_violence", False))
    asq = screens["asq"]
    if any(v for k, v in asq.items() if k != "5"):
        concerns.add(("suicide_risk", asq.get("5") == 1))
    return concerns


def check_non_interference(a_answers, b_answers, screens):
    clear = build(a_answers | NEGATIVE, b_answers | NEGATIVE)
    flagged = build(a_answers | NEGATIVE, b_answers | screens)

    assert repr(flagged.joint) == repr(clear.joint)
    assert repr(flagged.view("a")) == repr(clear.view("a"))
    assert repr(clear.view("b")) == repr(clear.view("a")).replace(
        "View(audience='a'", "View(audience='b'", 1
    )

    for view in (flagged.joint, flagged.view("a")):
        assert all(f.private_to is None for f in view.findings)
        assert "safety_concern" not in {f.id for f in view.findings}
        assert view.screens == ()
        assert view.support_level != SupportLevel.URGENT_INDIVIDUAL

    # The other partner keeps the couple exercises: nothing is paused in their view.
    assert flagged.view("a").findings == flagged.joint.findings

    own = flagged.view("b")
    first = own.findings[0]
    assert (first.id, first.private_to, first.partners) == ("safety_concern", "b", ("b",))
    assert first.practices == ("safety_plan", "individual_support")
    assert [f for f in own.findings if f.private_to is not None] == [first]
    # The screened partner still reads the joint findings, without couple exercises; after
    # a partner-violence screen, without the findings that frame things as a shared cycle.
    afraid = "partner_violence" in {concern for concern, _acute in expected_outcomes(screens)}
    kept = [f for f in flagged.joint.findings if not (afraid and f.id in CYCLES)]
    assert own.findings[1:] == tuple(replace(f, practices=()) for f in kept)
    assert own.support_level == SupportLevel.URGENT_INDIVIDUAL
    assert {(s.concern, s.acute) for s in own.screens} == expected_outcomes(screens)
    return clear, flagged


@settings(max_examples=200, deadline=None)
@given(a=shared_answers(), b=shared_answers(), screens=positive_screens())
def test_b_screening_positive_changes_nothing_in_the_joint_view_or_a_view(a, b, screens):
    check_non_interference(a, b, screens)


@settings(max_examples=40, deadline=None)
@given(a=shared_answers(), b=shared_answers(), screens=positive_screens())
def test_b_screening_positive_changes_no_byte_of_the_rendered_joint_or_a_view(
    render, a, b, screens
):
    clear, flagged = check_non_interference(a, b, screens)
    for audience in ("joint", "a"):
        before, after = clear.view(audience), flagged.view(audience)
        for to in (render.to_json, render.to_html):
            shown = as_bytes(to(after))
            assert shown == as_bytes(to(before))
            for concern in (b"safety_concern", b"partner_violence", b"suicide_risk"):
                assert concern not in shown
    own = flagged.view("b")
    assert b'"safety_concern"' in as_bytes(render.to_json(own))
    assert as_bytes(render.to_html(own)) != as_bytes(render.to_html(clear.view("b")))


@pytest.fixture(scope="module")
def render():
    return pytest.importorskip("attunement.insight.render")


def as_bytes(output: str | bytes) -> bytes:
    return output if isinstance(output, bytes) else output.encode("utf-8")


def only_yes(*gates: tuple[str, str], acute: bool = False) -> dict[str, dict[str, int]]:
    screens = {name: dict(answers) for name, answers in NEGATIVE.items()}
    for instrument, item in gates:
        screens[instrument][item] = 1
    if any(screens["asq"].values()):
        screens["asq"]["5"] = int(acute)
    return screens


def shared_part(person):
    return {i: person.answers[i] for i in SHARED}


@pytest.mark.parametrize("gate", GATES, ids=lambda g: f"{g[0]}_{g[1]}")
def test_each_single_yes_is_private_to_the_partner_who_answered_it(gate):
    check_non_interference(shared_part(ALEX), shared_part(SAM), only_yes(gate))


@pytest.mark.parametrize("gate", [g for g in GATES if g[0] == "asq"], ids=lambda g: g[1])
def test_an_acute_asq_answer_is_private_to_the_partner_who_answered_it(gate):
    screens = only_yes(gate, acute=True)
    _, flagged = check_non_interference(shared_part(ALEX), shared_part(SAM), screens)
    assert [(s.concern, s.acute) for s in flagged.view("b").screens] == [("suicide_risk", True)]


def test_both_screens_positive_at_once_are_private_to_the_partner_who_answered():
    screens = only_yes(("hark", "C"), ("asq", "4"), acute=True)
    _, flagged = check_non_interference(shared_part(ALEX), shared_part(SAM), screens)
    assert [(s.concern, s.acute) for s in flagged.view("b").screens] == [
        ("partner_violence", False),
        ("suicide_risk", True),
    ]


def test_screen_answers_never_reach_the_scores_a_partner_shares():
    partner, outcomes = partner_from_scores("b", "Sam", score_answers(SAM.answers | only_yes(
        ("hark", "A"), ("asq", "1"), acute=True)))  # fmt: skip
    assert set(partner.shared) == set(SHARED)
    assert [o.concern for o in outcomes] == ["partner_violence", "suicide_risk"]
