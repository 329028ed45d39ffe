"""The journal's prompts are data: a checked YAML file, every problem reported at once."""

from __future__ import annotations

from datetime import date

import pytest

from attunement.practices import prompts
from attunement.practices.prompts import PromptFileError, UnknownPrompt, load, parse

CORE_QUESTIONS = [
    "How do I protect myself when I feel hurt?",
    "What feeling am I avoiding?",
    "How do I act when I feel powerless or scared?",
    "What was my part in what happened?",
]

GOOD = """
prompts:
  - id: first
    title: First
    question: What happened?
    why: Because.
    follow_ups: ["And then?"]
  - id: second
    title: Second
    question: What now?
    why: Also because.
"""


def test_the_shipped_prompts_start_with_the_four_questions_about_ones_own_part():
    assert [p.question for p in prompts.prompts()[:4]] == CORE_QUESTIONS
    assert len(prompts.prompts()) >= 6


def test_every_shipped_prompt_has_a_title_a_question_and_a_reason():
    for prompt in prompts.prompts():
        assert prompt.title and prompt.why
        assert prompt.question.endswith("?")
        assert all(q.endswith("?") for q in prompt.follow_ups)


def test_a_good_file_loads_in_order_with_its_text_on_one_line():
    found = parse(GOOD, "good.yaml")
    assert [p.id for p in found] == ["first", "second"]
    assert found[0].follow_ups == ("And then?",)
    assert found[1].follow_ups == ()


def test_a_prompt_is_found_by_id_and_an_unknown_one_names_those_that_exist():
    assert prompts.get("my_part").title == "My part"
    with pytest.raises(UnknownPrompt, match="known prompts: protect_when_hurt, "):
        prompts.get("nope")


BROKEN = [
    ("a list", "[1, 2]", "prompts: is required: a list of prompts"),
    ("no prompts", "other: 1", "prompts: is required"),
    ("an empty list", "prompts: []", "must list at least one prompt"),
    ("a prompt that is text", "prompts: [hello]", "prompt #1: prompt: must be a mapping"),
    (
        "a bad id",
        "prompts: [{id: Bad Id, title: T, question: Q, why: W}]",
        "prompt #1: id: use a-z, 0-9 and _, starting with a letter (got 'Bad Id')",
    ),
    (
        "a missing id",
        "prompts: [{title: T, question: Q, why: W}]",
        "prompt #1: id: use a-z, 0-9 and _",
    ),
    (
        "a duplicate id",
        "prompts: [{id: a, title: T, question: Q, why: W}, {id: a, title: T, question: Q, why: W}]",
        "prompt 'a': id: duplicate prompt id",
    ),
    ("a missing why", "prompts: [{id: a, title: T, question: Q}]", "prompt 'a': why: is required"),
    (
        "an empty question",
        "prompts: [{id: a, title: T, question: ' ', why: W}]",
        "prompt 'a': question: must be non-empty text",
    ),
    (
        "an unknown field",
        "prompts: [{id: a, title: T, question: Q, why: W, answer: X}]",
        "prompt 'a': answer: unknown field",
    ),
    (
        "follow-ups that are not a list",
        "prompts: [{id: a, title: T, question: Q, why: W, follow_ups: X}]",
        "prompt 'a': follow_ups: must be a list",
    ),
    (
        "an empty follow-up",
        "prompts: [{id: a, title: T, question: Q, why: W, follow_ups: [X, '']}]",
        "prompt 'a': follow_ups[1]: must be non-empty text",
    ),
    (
        "too many follow-ups",
        "prompts: [{id: a, title: T, question: Q, why: W, follow_ups: [A, B, C, D, E, F]}]",
        "follow_ups: must list at most 5 questions",
    ),
    (
        "a very long question",
        "prompts: [{id: a, title: T, why: W, question: " + "x" * 201 + "}]",
        "prompt 'a': question: must be at most 200 characters",
    ),
    (
        "an id too long to store",
        "prompts: [{id: " + "a" * 41 + ", title: T, question: Q, why: W}]",
        "id: must be at most 40 characters",
    ),
    ("broken YAML", "prompts: [{id: a", "yaml: not valid YAML at line 1"),
]


@pytest.mark.parametrize(("text", "problem"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_refused_with_a_clear_problem(text, problem):
    with pytest.raises(PromptFileError) as caught:
        parse(text, "mine.yaml")
    assert problem in str(caught.value)
    assert str(caught.value).startswith("mine.yaml is not a valid prompt file")


def test_every_problem_is_reported_at_once():
    text = "prompts: [{id: A, title: T, question: Q}, {id: b, title: '', question: Q, why: W}]"
    with pytest.raises(PromptFileError) as caught:
        parse(text, "mine.yaml")
    assert len(caught.value.problems) == 3
    assert "(3 problems)" in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(PromptFileError, match=r"missing\.yaml: file: "):
        load(tmp_path / "missing.yaml")


def test_the_shipped_file_is_what_load_reads(tmp_path):
    copy = tmp_path / "prompts.yaml"
    copy.write_text(prompts.PROMPT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load(copy) == prompts.prompts()


def test_the_suggestion_is_the_first_prompt_not_yet_written_on():
    every = [p.id for p in prompts.prompts()]
    day = date(2026, 3, 1)
    assert prompts.suggestion(set(), day).id == every[0]
    assert prompts.suggestion({every[0], every[2]}, day).id == every[1]


def test_once_every_prompt_is_used_the_suggestion_changes_each_day():
    every = {p.id for p in prompts.prompts()}
    days = [date(2026, 3, d) for d in range(1, len(every) + 1)]
    assert {prompts.suggestion(every, day).id for day in days} == every
