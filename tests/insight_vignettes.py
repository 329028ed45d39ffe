"""Invented couples for the couple-insight tests, as item-level answer files.

Each person's `answers` is what their answer file would hold
(`{instrument id: {item id: answer}}`, safety screens first), so a vignette
exercises the whole path: answers -> score -> partner_from_scores -> build_report.
The comments give the scale scores the answers add up to; the tests assert them.
Nobody here is real.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

from attunement.answers import score_answers
from attunement.insight.report import CoupleReport, build_report, partner_from_scores

Answers = dict[str, dict[str, int]]


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    answers: Answers


@dataclass(frozen=True)
class Vignette:
    id: str
    story: str
    people: tuple[Person, ...]

    @property
    def names(self) -> dict[str, str]:
        return {p.key: p.name for p in self.people}

    def person(self, key: str) -> Person:
        return next(p for p in self.people if p.key == key)


def report(vignette: Vignette) -> CoupleReport:
    """The couple report, built from the answer files the way the command line does."""
    partners, screens = [], {}
    for person in vignette.people:
        partner, outcomes = partner_from_scores(
            person.key, person.name, score_answers(person.answers)
        )
        partners.append(partner)
        screens[person.key] = outcomes
    return build_report(partners, screens)


def with_clear_screens(vignette: Vignette) -> Vignette:
    """The same vignette with every safety question answered "no"."""
    people = []
    for person in vignette.people:
        answers = copy.deepcopy(person.answers)
        answers["hark"] = {item: 0 for item in "HARKC"}
        answers["asq"] = {item: 0 for item in "1234"}
        people.append(replace(person, answers=answers))
    return replace(vignette, people=tuple(people))


def alone(person: Person, key: str = "a") -> Person:
    return replace(person, key=key)


# --- Alex and Sam: anxious pursuer, avoidant withdrawer -------------------------

ALEX = Person(
    "a",
    "Alex",
    {
        "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
        "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
        "csi4": {"1": 2, "2": 3, "3": 3, "4": 3},  # total 11: below 13.5
        # avoidance (8-6, 8-6, 8-5, 8-5, 2, 3) / 6 = 2.5; anxiety (6+5+7)/3 = 6.0
        "ecr_rs": {"1": 6, "2": 6, "3": 5, "4": 5, "5": 2, "6": 3, "7": 6, "8": 5, "9": 7},
        # constructive 13, I demand 21, partner demands / I withdraw 7;
        # both avoid 3, both blame 4 (the single published items A1 and B5)
        "cpq_sf": {
            "A1": 3, "B5": 4,
            "A2": 4, "B4": 4, "B6": 5,
            "A3a": 8, "B7a": 7, "B8a": 6,
            "A3b": 2, "B7b": 2, "B8b": 3,
        },
        "ucla3": {"1": 2, "2": 2, "3": 2},  # total 6
        # lonely 3, wants closeness 4, harsh 3; over-functioning 3.0; repair 2.0
        "connection": {
            "S1": 3, "S2": 2, "S3": 4, "S4": 2, "S5": 1, "S6": 3,
            "E1": 2, "E2": 1, "E3": 3, "E4": 1, "E5": 0,
            "F1": 1, "F2": 1, "F3": 2,
            "G1": 3, "G2": 2, "G3": 3, "G4": 2, "G5": 2, "G6": 3, "G7": 2,
            "H1": 2, "H2": 2, "H3": 2, "H4": 3, "H5": 1,
        },
    },
)  # fmt: skip

SAM = Person(
    "b",
    "Sam",
    {
        "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
        "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
        "csi4": {"1": 3, "2": 4, "3": 3, "4": 4},  # total 14
        # avoidance (8-2, 8-3, 8-4, 8-3, 5, 5) / 6 = 5.0; anxiety (2+1+3)/3 = 2.0
        "ecr_rs": {"1": 2, "2": 3, "3": 4, "4": 3, "5": 5, "6": 5, "7": 2, "8": 1, "9": 3},
        # constructive 11, I demand 5, partner demands / I withdraw 21
        "cpq_sf": {
            "A1": 4, "B5": 2,
            "A2": 3, "B4": 3, "B6": 5,
            "A3a": 2, "B7a": 1, "B8a": 2,
            "A3b": 7, "B7b": 8, "B8b": 6,
        },
        "ucla3": {"1": 1, "2": 1, "3": 2},  # total 4
        # wants closeness 0; shutting down 3 and fixing 3; repair 1.6
        "connection": {
            "S1": 1, "S2": 2, "S3": 0, "S4": 2, "S5": 1, "S6": 1,
            "E1": 1, "E2": 1, "E3": 0, "E4": 0, "E5": 3,
            "F1": 3, "F2": 2, "F3": 1,
            "G1": 2, "G2": 2, "G3": 2, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
            "H1": 2, "H2": 1, "H3": 2, "H4": 2, "H5": 1,
        },
    },
)  # fmt: skip

PURSUE_WITHDRAW = Vignette(
    "pursue_withdraw",
    "Alex reaches and protests when distance grows; Sam goes quiet and steps back.",
    (ALEX, SAM),
)


# --- Mei and Jonah: secure and satisfied --------------------------------------

SECURE = Vignette(
    "secure",
    "Mei and Jonah are content, talk problems through and repair quickly.",
    (
        Person(
            "a",
            "Mei",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 5, "2": 5, "3": 4, "4": 5},  # 19
                # avoidance 9/6 = 1.5; anxiety 5/3
                "ecr_rs": {"1": 7, "2": 6, "3": 7, "4": 6, "5": 1, "6": 2,
                           "7": 2, "8": 1, "9": 2},
                # constructive 23, I demand 7, I withdraw 7
                "cpq_sf": {
                    "A1": 2, "B5": 2,
                    "A2": 8, "B4": 7, "B6": 8,
                    "A3a": 3, "B7a": 2, "B8a": 2,
                    "A3b": 2, "B7b": 2, "B8b": 3,
                },
                "ucla3": {"1": 1, "2": 1, "3": 1},  # 3
                # repair 16/5 = 3.2
                "connection": {
                    "S1": 0, "S2": 2, "S3": 1, "S4": 1, "S5": 0, "S6": 0,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 0, "E5": 1,
                    "F1": 2, "F2": 1, "F3": 0,
                    "G1": 3, "G2": 2, "G3": 1, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
                    "H1": 3, "H2": 3, "H3": 3, "H4": 4, "H5": 3,
                },
            },
        ),
        Person(
            "b",
            "Jonah",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 5, "2": 4, "3": 4, "4": 4},  # 17
                "ecr_rs": {"1": 6, "2": 6, "3": 6, "4": 7, "5": 2, "6": 1,
                           "7": 1, "8": 2, "9": 1},
                # constructive 20, I demand 5, I withdraw 7
                "cpq_sf": {
                    "A1": 2, "B5": 2,
                    "A2": 7, "B4": 6, "B6": 7,
                    "A3a": 2, "B7a": 1, "B8a": 2,
                    "A3b": 3, "B7b": 2, "B8b": 2,
                },
                "ucla3": {"1": 1, "2": 2, "3": 1},  # 4
                # repair 13/5 = 2.6
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 1, "S5": 0, "S6": 1,
                    "E1": 1, "E2": 0, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 2, "F2": 1, "F3": 1,
                    "G1": 2, "G2": 3, "G3": 1, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
                    "H1": 3, "H2": 2, "H3": 3, "H4": 3, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Dana and Lee: both withdrawn ----------------------------------------------

BOTH_WITHDRAWN = Vignette(
    "both_withdrawn",
    "Dana and Lee keep the peace by not talking about anything that matters.",
    (
        Person(
            "a",
            "Dana",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 3, "3": 4, "4": 3},  # 14
                # avoidance (6+5+5+4+5+5)/6 = 5.0; anxiety 3.0
                "ecr_rs": {"1": 2, "2": 3, "3": 3, "4": 4, "5": 5, "6": 5,
                           "7": 3, "8": 3, "9": 3},
                # constructive 10, I demand 8, I withdraw 11; both avoid 8
                "cpq_sf": {
                    "A1": 8, "B5": 2,
                    "A2": 3, "B4": 3, "B6": 4,
                    "A3a": 3, "B7a": 2, "B8a": 3,
                    "A3b": 4, "B7b": 4, "B8b": 3,
                },
                "ucla3": {"1": 2, "2": 2, "3": 1},  # 5
                # surface talk 4, avoiding what matters 4, resignation 3, hiding needs 3
                "connection": {
                    "S1": 2, "S2": 4, "S3": 1, "S4": 4, "S5": 3, "S6": 2,
                    "E1": 0, "E2": 1, "E3": 0, "E4": 0, "E5": 2,
                    "F1": 1, "F2": 3, "F3": 2,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 2, "G5": 2, "G6": 2, "G7": 2,
                    "H1": 1, "H2": 1, "H3": 1, "H4": 1, "H5": 1,
                },
            },
        ),
        Person(
            "b",
            "Lee",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 4, "4": 3},  # 15
                # avoidance (5+5+4+4+4+5)/6 = 4.5; anxiety 7/3
                "ecr_rs": {"1": 3, "2": 3, "3": 4, "4": 4, "5": 4, "6": 5,
                           "7": 2, "8": 3, "9": 2},
                # constructive 11, I demand 6, I withdraw 10; both avoid 7
                "cpq_sf": {
                    "A1": 7, "B5": 2,
                    "A2": 4, "B4": 3, "B6": 4,
                    "A3a": 2, "B7a": 2, "B8a": 2,
                    "A3b": 4, "B7b": 3, "B8b": 3,
                },
                "ucla3": {"1": 1, "2": 2, "3": 2},  # 5
                # surface talk 3, avoiding what matters 3, shutting down 3
                "connection": {
                    "S1": 1, "S2": 3, "S3": 0, "S4": 3, "S5": 1, "S6": 1,
                    "E1": 0, "E2": 0, "E3": 0, "E4": 0, "E5": 3,
                    "F1": 2, "F2": 2, "F3": 2,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
                    "H1": 1, "H2": 2, "H3": 1, "H4": 1, "H5": 1,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Robin and Kai: mutual blame -----------------------------------------------

MUTUAL_BLAME = Vignette(
    "mutual_blame",
    "Robin and Kai both press and criticise; both end up defending.",
    (
        Person(
            "a",
            "Robin",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 2, "2": 2, "3": 3, "4": 2},  # 9
                # avoidance 3.0; anxiety 14/3
                "ecr_rs": {"1": 5, "2": 5, "3": 5, "4": 5, "5": 3, "6": 3,
                           "7": 5, "8": 4, "9": 5},
                # constructive 8, I demand 19, I withdraw 11; both blame 7
                "cpq_sf": {
                    "A1": 3, "B5": 7,
                    "A2": 3, "B4": 2, "B6": 3,
                    "A3a": 6, "B7a": 6, "B8a": 7,
                    "A3b": 3, "B7b": 3, "B8b": 5,
                },
                "ucla3": {"1": 2, "2": 1, "3": 2},  # 5
                # harsh 4, being right 3, controlling 3
                "connection": {
                    "S1": 2, "S2": 2, "S3": 2, "S4": 1, "S5": 1, "S6": 3,
                    "E1": 3, "E2": 3, "E3": 4, "E4": 2, "E5": 1,
                    "F1": 2, "F2": 0, "F3": 0,
                    "G1": 3, "G2": 2, "G3": 3, "G4": 2, "G5": 4, "G6": 2, "G7": 2,
                    "H1": 1, "H2": 1, "H3": 2, "H4": 2, "H5": 1,
                },
            },
        ),
        Person(
            "b",
            "Kai",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 2, "3": 2, "4": 3},  # 10
                # avoidance 22/6; anxiety 3.0
                "ecr_rs": {"1": 4, "2": 4, "3": 4, "4": 4, "5": 3, "6": 3,
                           "7": 3, "8": 3, "9": 3},
                # constructive 8, I demand 16, I withdraw 11; both blame 6
                "cpq_sf": {
                    "A1": 3, "B5": 6,
                    "A2": 2, "B4": 3, "B6": 3,
                    "A3a": 5, "B7a": 5, "B8a": 6,
                    "A3b": 4, "B7b": 3, "B8b": 4,
                },
                "ucla3": {"1": 1, "2": 1, "3": 2},  # 4
                # being right 4, harsh 3, payback 3, fixing 3 (only three are named)
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 2, "S5": 2, "S6": 3,
                    "E1": 4, "E2": 2, "E3": 3, "E4": 3, "E5": 1,
                    "F1": 3, "F2": 1, "F3": 0,
                    "G1": 3, "G2": 2, "G3": 2, "G4": 2, "G5": 3, "G6": 3, "G7": 2,
                    "H1": 1, "H2": 2, "H3": 1, "H4": 1, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Sasha and Rui: each says "I reach, my partner withdraws" -------------------

BOTH_SAY_I_DEMAND = Vignette(
    "both_say_i_demand",
    "Sasha and Rui each feel they are the one who reaches out while the other pulls away; "
    "neither says the two of them blame each other.",
    (
        Person(
            "a",
            "Sasha",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 3, "3": 3, "4": 3},  # 12
                "ecr_rs": {"1": 5, "2": 5, "3": 5, "4": 5, "5": 3, "6": 3,
                           "7": 5, "8": 4, "9": 5},
                # constructive 13, I demand 18, I withdraw 7; both avoid 3, both blame 3
                "cpq_sf": {
                    "A1": 3, "B5": 3,
                    "A2": 4, "B4": 4, "B6": 5,
                    "A3a": 6, "B7a": 6, "B8a": 6,
                    "A3b": 2, "B7b": 2, "B8b": 3,
                },
                "ucla3": {"1": 2, "2": 1, "3": 2},
                "connection": {
                    "S1": 2, "S2": 2, "S3": 3, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 1, "E2": 1, "E3": 2, "E4": 1, "E5": 1,
                    "F1": 1, "F2": 1, "F3": 1,
                    "G1": 3, "G2": 2, "G3": 2, "G4": 2, "G5": 2, "G6": 2, "G7": 2,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
        Person(
            "b",
            "Rui",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 3, "3": 3, "4": 4},  # 13
                "ecr_rs": {"1": 4, "2": 4, "3": 4, "4": 4, "5": 3, "6": 3,
                           "7": 5, "8": 4, "9": 4},
                # constructive 12, I demand 16, I withdraw 8; both avoid 2, both blame 2
                "cpq_sf": {
                    "A1": 2, "B5": 2,
                    "A2": 4, "B4": 4, "B6": 4,
                    "A3a": 5, "B7a": 5, "B8a": 6,
                    "A3b": 3, "B7b": 2, "B8b": 3,
                },
                "ucla3": {"1": 2, "2": 2, "3": 1},
                "connection": {
                    "S1": 2, "S2": 2, "S3": 3, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 1, "E5": 1,
                    "F1": 1, "F2": 1, "F3": 1,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 2, "G5": 2, "G6": 2, "G7": 2,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Noor and Elliot: different needs for closeness (the one wanting more is b) ---

CLOSENESS_GAP = Vignette(
    "closeness_gap",
    "Elliot longs for more closeness and feels lonely; Noor is fairly content as things are.",
    (
        Person(
            "a",
            "Noor",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 4, "4": 4},  # 16
                "ecr_rs": {"1": 6, "2": 5, "3": 6, "4": 5, "5": 3, "6": 3,
                           "7": 2, "8": 2, "9": 2},
                # constructive 16, I demand 8, I withdraw 10
                "cpq_sf": {
                    "A1": 3, "B5": 2,
                    "A2": 6, "B4": 5, "B6": 5,
                    "A3a": 3, "B7a": 2, "B8a": 3,
                    "A3b": 4, "B7b": 3, "B8b": 3,
                },
                "ucla3": {"1": 1, "2": 1, "3": 1},  # 3
                # wants closeness 1 ("rarely")
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 1, "S5": 0, "S6": 1,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 2, "F2": 2, "F3": 1,
                    "G1": 3, "G2": 2, "G3": 2, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
        Person(
            "b",
            "Elliot",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 4, "3": 4, "4": 3},  # 14
                # avoidance 17/6; anxiety 11/3, just under 4
                "ecr_rs": {"1": 5, "2": 5, "3": 5, "4": 5, "5": 2, "6": 3,
                           "7": 4, "8": 3, "9": 4},
                # constructive 16, I demand 12, I withdraw 6
                "cpq_sf": {
                    "A1": 2, "B5": 3,
                    "A2": 5, "B4": 5, "B6": 6,
                    "A3a": 5, "B7a": 4, "B8a": 3,
                    "A3b": 2, "B7b": 2, "B8b": 2,
                },
                "ucla3": {"1": 3, "2": 2, "3": 2},  # 7
                # lonely 3, wants closeness 4
                "connection": {
                    "S1": 3, "S2": 2, "S3": 4, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 1, "E5": 1,
                    "F1": 1, "F2": 2, "F3": 2,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
                    "H1": 2, "H2": 2, "H3": 1, "H4": 3, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Maria and Ben: an over-functioning partner ---------------------------------

OVER_FUNCTIONING = Vignette(
    "over_functioning",
    "Maria carries the household and resents it; Ben agrees he leaves things to her.",
    (
        Person(
            "a",
            "Maria",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 3, "3": 4, "4": 3},  # 14
                "ecr_rs": {"1": 6, "2": 5, "3": 6, "4": 6, "5": 2, "6": 3,
                           "7": 3, "8": 2, "9": 3},
                # constructive 16, I demand 11, I withdraw 7
                "cpq_sf": {
                    "A1": 3, "B5": 3,
                    "A2": 6, "B4": 5, "B6": 5,
                    "A3a": 4, "B7a": 3, "B8a": 4,
                    "A3b": 3, "B7b": 2, "B8b": 2,
                },
                "ucla3": {"1": 2, "2": 1, "3": 1},  # 4
                # over-functioning (5+4)/2 = 4.5, one up 4, parent-child 4, less desire 4;
                # steering things her way 3
                "connection": {
                    "S1": 2, "S2": 2, "S3": 2, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 2, "E2": 3, "E3": 1, "E4": 0, "E5": 1,
                    "F1": 2, "F2": 2, "F3": 2,
                    "G1": 5, "G2": 1, "G3": 4, "G4": 4, "G5": 4, "G6": 2, "G7": 4,
                    "H1": 2, "H2": 2, "H3": 1, "H4": 2, "H5": 2,
                },
            },
        ),
        Person(
            "b",
            "Ben",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 4, "4": 3},  # 15
                "ecr_rs": {"1": 5, "2": 5, "3": 6, "4": 5, "5": 3, "6": 3,
                           "7": 3, "8": 3, "9": 2},
                # constructive 17, I demand 6, I withdraw 10
                "cpq_sf": {
                    "A1": 4, "B5": 2,
                    "A2": 6, "B4": 5, "B6": 6,
                    "A3a": 2, "B7a": 2, "B8a": 2,
                    "A3b": 4, "B7b": 3, "B8b": 3,
                },
                "ucla3": {"1": 1, "2": 2, "3": 1},  # 4
                # partner carries for me 4, one down 4; repair 13/5 = 2.6
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 1, "E2": 0, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 2, "F2": 1, "F3": 2,
                    "G1": 2, "G2": 4, "G3": 1, "G4": 3, "G5": 2, "G6": 4, "G7": 2,
                    "H1": 3, "H2": 3, "H3": 2, "H4": 3, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Priya and Tom: carried for, seen only by the one who is carried for ----------

CARRIED = Vignette(
    "carried",
    "Tom feels Priya handles things he could handle himself; Priya does not feel she "
    "carries more than her share.",
    (
        Person(
            "a",
            "Priya",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 4, "4": 4},  # 16
                # avoidance (2+3+2+3+3+3)/6 = 16/6; anxiety 2.0
                "ecr_rs": {"1": 6, "2": 5, "3": 6, "4": 5, "5": 3, "6": 3,
                           "7": 2, "8": 2, "9": 2},
                # constructive 16, I demand 8, I withdraw 10
                "cpq_sf": {
                    "A1": 3, "B5": 2,
                    "A2": 6, "B4": 5, "B6": 5,
                    "A3a": 3, "B7a": 2, "B8a": 3,
                    "A3b": 4, "B7b": 3, "B8b": 3,
                },
                "ucla3": {"1": 1, "2": 1, "3": 1},  # 3
                # over-functioning (3+2)/2 = 2.5, one up 2, parent-child 2, less desire 2;
                # repair 2.0
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 1, "S5": 0, "S6": 1,
                    "E1": 1, "E2": 2, "E3": 1, "E4": 0, "E5": 1,
                    "F1": 2, "F2": 1, "F3": 1,
                    "G1": 3, "G2": 2, "G3": 2, "G4": 2, "G5": 2, "G6": 2, "G7": 2,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
        Person(
            "b",
            "Tom",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 4, "4": 3},  # 15
                # avoidance (3+3+2+3+3+3)/6 = 17/6; anxiety 8/3
                "ecr_rs": {"1": 5, "2": 5, "3": 6, "4": 5, "5": 3, "6": 3,
                           "7": 3, "8": 3, "9": 2},
                # constructive 15, I demand 7, I withdraw 9
                "cpq_sf": {
                    "A1": 3, "B5": 2,
                    "A2": 5, "B4": 5, "B6": 5,
                    "A3a": 2, "B7a": 2, "B8a": 3,
                    "A3b": 3, "B7b": 3, "B8b": 3,
                },
                "ucla3": {"1": 1, "2": 2, "3": 1},  # 4
                # partner handles what I could 4, over-functioning 1.5, one down 3; repair 2.0
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 2, "S5": 1, "S6": 1,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 1, "F2": 2, "F3": 2,
                    "G1": 2, "G2": 4, "G3": 1, "G4": 3, "G5": 2, "G6": 3, "G7": 2,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Ines and Marc: one up and one down in arguments; Marc's ECR-RS is neutral -----

ONE_UP_ONE_DOWN = Vignette(
    "one_up_one_down",
    "In arguments Ines feels she knows better and Marc feels smaller; nobody feels they "
    "carry more. Marc's attachment answers sit exactly on the neutral midpoint.",
    (
        Person(
            "a",
            "Ines",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 3, "4": 4},  # 15
                # avoidance (2+2+3+2+2+2)/6 = 13/6; anxiety 8/3
                "ecr_rs": {"1": 6, "2": 6, "3": 5, "4": 6, "5": 2, "6": 2,
                           "7": 3, "8": 2, "9": 3},
                # constructive 16, I demand 12, I withdraw 6
                "cpq_sf": {
                    "A1": 2, "B5": 3,
                    "A2": 6, "B4": 5, "B6": 5,
                    "A3a": 4, "B7a": 4, "B8a": 4,
                    "A3b": 2, "B7b": 2, "B8b": 2,
                },
                "ucla3": {"1": 1, "2": 1, "3": 2},  # 4
                # one up 4; over-functioning 2.0; repair 1.8
                "connection": {
                    "S1": 1, "S2": 2, "S3": 1, "S4": 1, "S5": 0, "S6": 1,
                    "E1": 2, "E2": 2, "E3": 1, "E4": 0, "E5": 1,
                    "F1": 2, "F2": 1, "F3": 0,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 2, "G5": 4, "G6": 1, "G7": 2,
                    "H1": 2, "H2": 1, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
        Person(
            "b",
            "Marc",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 4, "3": 4, "4": 3},  # 14
                # avoidance (4+4+4+4+4+4)/6 = 4.0 and anxiety 4.0: neutral, not high
                "ecr_rs": {"1": 4, "2": 4, "3": 4, "4": 4, "5": 4, "6": 4,
                           "7": 4, "8": 4, "9": 4},
                # constructive 15, I demand 6, I withdraw 12
                "cpq_sf": {
                    "A1": 4, "B5": 3,
                    "A2": 5, "B4": 5, "B6": 5,
                    "A3a": 2, "B7a": 2, "B8a": 2,
                    "A3b": 4, "B7b": 4, "B8b": 4,
                },
                "ucla3": {"1": 2, "2": 1, "3": 2},  # 5
                # one down 5; partner handles what I could 3; repair 1.6
                "connection": {
                    "S1": 2, "S2": 2, "S3": 2, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 0, "E2": 1, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 1, "F2": 2, "F3": 2,
                    "G1": 2, "G2": 3, "G3": 2, "G4": 3, "G5": 1, "G6": 5, "G7": 3,
                    "H1": 2, "H2": 1, "H3": 2, "H4": 2, "H5": 1,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Jamie and Chris: a typical couple, and Chris is afraid (HARK A = yes) --------

SAFETY_POSITIVE = Vignette(
    "safety_positive",
    "A mild reach-and-retreat couple; Chris privately answers yes to being afraid.",
    (
        Person(
            "a",
            "Jamie",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 4, "3": 4, "4": 4},  # 15
                # anxiety (4+3+4)/3 = 11/3; avoidance 2.5
                "ecr_rs": {"1": 5, "2": 6, "3": 6, "4": 5, "5": 2, "6": 3,
                           "7": 4, "8": 3, "9": 4},
                # constructive 15, I demand 16, I withdraw 8
                "cpq_sf": {
                    "A1": 3, "B5": 3,
                    "A2": 5, "B4": 5, "B6": 5,
                    "A3a": 6, "B7a": 5, "B8a": 5,
                    "A3b": 3, "B7b": 3, "B8b": 2,
                },
                "ucla3": {"1": 2, "2": 1, "3": 1},  # 4
                # surface talk 3
                "connection": {
                    "S1": 2, "S2": 3, "S3": 2, "S4": 2, "S5": 1, "S6": 2,
                    "E1": 2, "E2": 2, "E3": 2, "E4": 1, "E5": 1,
                    "F1": 2, "F2": 1, "F3": 1,
                    "G1": 3, "G2": 2, "G3": 3, "G4": 2, "G5": 3, "G6": 2, "G7": 2,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 2, "H5": 2,
                },
            },
        ),
        Person(
            "b",
            "Chris",
            {
                "hark": {"H": 0, "A": 1, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 3, "2": 3, "3": 4, "4": 4},  # 14
                "ecr_rs": {"1": 5, "2": 5, "3": 5, "4": 5, "5": 3, "6": 4,
                           "7": 3, "8": 3, "9": 3},
                # constructive 14, I demand 9, I withdraw 12
                "cpq_sf": {
                    "A1": 4, "B5": 3,
                    "A2": 5, "B4": 4, "B6": 5,
                    "A3a": 3, "B7a": 3, "B8a": 3,
                    "A3b": 4, "B7b": 4, "B8b": 4,
                },
                "ucla3": {"1": 2, "2": 2, "3": 1},  # 5
                # surface talk 3
                "connection": {
                    "S1": 2, "S2": 3, "S3": 1, "S4": 2, "S5": 2, "S6": 2,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 2, "F2": 2, "F3": 2,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 2, "G5": 2, "G6": 3, "G7": 2,
                    "H1": 2, "H2": 1, "H3": 2, "H4": 2, "H5": 1,
                },
            },
        ),
    ),
)  # fmt: skip


# --- Tess and Omar: Tess screens positive on the ASQ (item 2, not acute) ----------

ASQ_POSITIVE = Vignette(
    "asq_positive",
    "Tess is lonely and has stopped hoping; privately, she has felt others would be "
    "better off without her. Omar talks problems through.",
    (
        Person(
            "a",
            "Tess",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0},
                "csi4": {"1": 2, "2": 2, "3": 3, "4": 3},  # 10
                "ecr_rs": {"1": 4, "2": 4, "3": 4, "4": 4, "5": 3, "6": 3,
                           "7": 4, "8": 3, "9": 4},
                # constructive 14, I demand 10, I withdraw 9
                "cpq_sf": {
                    "A1": 4, "B5": 2,
                    "A2": 5, "B4": 4, "B6": 5,
                    "A3a": 4, "B7a": 3, "B8a": 3,
                    "A3b": 3, "B7b": 3, "B8b": 3,
                },
                "ucla3": {"1": 3, "2": 2, "3": 3},  # 8
                # lonely 4, resignation 3
                "connection": {
                    "S1": 4, "S2": 2, "S3": 2, "S4": 2, "S5": 3, "S6": 3,
                    "E1": 1, "E2": 0, "E3": 1, "E4": 0, "E5": 2,
                    "F1": 1, "F2": 2, "F3": 2,
                    "G1": 3, "G2": 2, "G3": 3, "G4": 2, "G5": 2, "G6": 3, "G7": 2,
                    "H1": 2, "H2": 1, "H3": 2, "H4": 2, "H5": 1,
                },
            },
        ),
        Person(
            "b",
            "Omar",
            {
                "hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0},
                "asq": {"1": 0, "2": 0, "3": 0, "4": 0},
                "csi4": {"1": 4, "2": 4, "3": 4, "4": 4},  # 16
                "ecr_rs": {"1": 6, "2": 6, "3": 6, "4": 6, "5": 2, "6": 2,
                           "7": 2, "8": 2, "9": 2},
                # constructive 19, I demand 7, I withdraw 8
                "cpq_sf": {
                    "A1": 2, "B5": 2,
                    "A2": 7, "B4": 6, "B6": 6,
                    "A3a": 3, "B7a": 2, "B8a": 2,
                    "A3b": 3, "B7b": 3, "B8b": 2,
                },
                "ucla3": {"1": 1, "2": 1, "3": 2},  # 4
                # repair 11/5 = 2.2: the strength is the constructive talk
                "connection": {
                    "S1": 1, "S2": 2, "S3": 2, "S4": 1, "S5": 0, "S6": 1,
                    "E1": 1, "E2": 1, "E3": 1, "E4": 0, "E5": 1,
                    "F1": 2, "F2": 1, "F3": 1,
                    "G1": 2, "G2": 2, "G3": 2, "G4": 1, "G5": 2, "G6": 2, "G7": 1,
                    "H1": 2, "H2": 2, "H3": 2, "H4": 3, "H5": 2,
                },
            },
        ),
    ),
)  # fmt: skip


# --- One partner alone ---------------------------------------------------------

SOLO = Vignette(
    "solo",
    "Alex, alone at 11 pm, takes the check without Sam.",
    (alone(ALEX),),
)

SOLO_WITHDRAWER = Vignette(
    "solo_withdrawer",
    "Sam takes the check alone, without Alex.",
    (alone(SAM),),
)

COUPLES = (
    PURSUE_WITHDRAW,
    SECURE,
    BOTH_WITHDRAWN,
    MUTUAL_BLAME,
    BOTH_SAY_I_DEMAND,
    CLOSENESS_GAP,
    OVER_FUNCTIONING,
    CARRIED,
    ONE_UP_ONE_DOWN,
    SAFETY_POSITIVE,
    ASQ_POSITIVE,
)
SOLOS = (SOLO, SOLO_WITHDRAWER)
ALL = COUPLES + SOLOS
