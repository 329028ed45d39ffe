"""The guided flows and the feelings vocabulary: checked data files, and the drafts they compose."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from attunement.errors import DataFileError, Problem
from attunement.practices import catalogue, flows, sentences
from attunement.practices.flows import Flow, FlowFileError, Step

# A flow file with everything a flow can have: an opening, a closing, an optional step.
GOOD: dict[str, Any] = {
    "flows": [
        {
            "id": "wheel",
            "title": "The wheel",
            "joint": False,
            "intro": "Say it\n  in parts.",
            "opening": "Can I tell you something?",
            "closing": "Thank you for listening.",
            "steps": [
                {
                    "id": "saw",
                    "title": "What I saw",
                    "question": "What happened?",
                    "hint": "Only the facts.",
                    "example": "you left early",
                    "lead_in": "What I saw was that",
                },
                {
                    "id": "feel",
                    "title": "How I feel",
                    "question": "What do you feel?",
                    "hint": "One or two words.",
                    "example": "lonely",
                    "lead_in": "I feel",
                    "feelings": True,
                },
                {
                    "id": "why",
                    "title": "Why",
                    "question": "Why, if you like?",
                    "hint": "Optional.",
                    "example": "I was tired",
                    "lead_in": "It's because",
                    "required": False,
                },
            ],
        }
    ],
    "listener_guide": {
        "title": "Listening",
        "intro": "Take your time.",
        "steps": [{"title": "Read it twice", "text": "Slowly."}],
    },
}
GOOD_FEELINGS: dict[str, Any] = {
    "groups": [
        {"name": "Hurt", "words": ["hurt", "left out"]},
        {"name": "Afraid", "words": ["afraid", "worried"]},
    ]
}

Edit = Callable[[Any], Any]


def changed(*path: str | int, value: Any) -> Edit:
    """An edit setting the value at `path` (keys and list indexes) in a copy of a good file."""

    def edit(doc: Any) -> None:
        for key in path[:-1]:
            doc = doc[key]
        doc[path[-1]] = value

    return edit


def removed(*path: str | int) -> Edit:
    def edit(doc: Any) -> None:
        for key in path[:-1]:
            doc = doc[key]
        del doc[path[-1]]

    return edit


def duplicated(*path: str | int) -> Edit:
    """Append a copy of the list item at `path` to its list."""

    def edit(doc: Any) -> None:
        for key in path[:-1]:
            doc = doc[key]
        doc.append(copy.deepcopy(doc[path[-1]]))

    return edit


def written(tmp_path: Path, good: dict[str, Any], *edits: Edit) -> Path:
    doc: Any = copy.deepcopy(good)
    for edit in edits:
        replaced = edit(doc)
        doc = doc if replaced is None else replaced
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def problems(load: Callable[[Path], Any], path: Path) -> list[Problem]:
    with pytest.raises(FlowFileError) as caught:
        load(path)
    assert isinstance(caught.value, DataFileError)
    assert str(caught.value).startswith(f"{path} is not a valid flow file (")
    assert all(p.file == str(path) for p in caught.value.problems)
    return caught.value.problems


def assert_reported(found: list[Problem], where: str, field: str, message: str) -> None:
    """A problem at exactly this place and field, whose message says `message`."""
    matching = [p for p in found if (p.where, p.field) == (where, field)]
    assert matching, f"no problem at {where!r} / {field!r} in {[str(p) for p in found]}"
    assert any(message in p.message for p in matching), [str(p) for p in matching]


# The flow file

STEP = ("flows", 0, "steps")
GUIDE = "listener_guide"
BROKEN_FLOWS: list[tuple[str, Edit, str, str, str]] = [
    ("the top level is a list", lambda _: [1, 2], "", "flows", "is required: a list of flows"),
    ("no flows", removed("flows"), "", "flows", "is required: a non-empty list of flows"),
    ("an empty list of flows", changed("flows", value=[]), "", "flows", "a non-empty list"),
    ("an unknown top-level field", changed("feelings", value=[]), "", "feelings",
     "unknown field (allowed: flows, listener_guide)"),
    ("a flow that is text", changed("flows", 0, value="hello"), "flow #1", "flow",
     "must be a mapping"),
    ("a bad flow id", changed("flows", 0, "id", value="Bad Id"), "flow #1", "id",
     "use a-z, 0-9 and _, starting with a letter, at most 40 (got 'Bad Id')"),
    ("a missing flow id", removed("flows", 0, "id"), "flow #1", "id", "(got None)"),
    ("a flow id too long to store", changed("flows", 0, "id", value="a" * 41), "flow #1", "id",
     "at most 40"),
    ("a duplicate flow id", duplicated("flows", 0), "flow 'wheel'", "id", "duplicate flow id"),
    ("a missing title", removed("flows", 0, "title"), "flow 'wheel'", "title", "is required"),
    ("a blank intro", changed("flows", 0, "intro", value="  "), "flow 'wheel'", "intro",
     "must be non-empty text"),
    ("joint not a flag", changed("flows", 0, "joint", value="sometimes"), "flow 'wheel'", "joint",
     "must be true or false"),
    ("an empty opening", changed("flows", 0, "opening", value=""), "flow 'wheel'", "opening",
     "must be non-empty text"),
    ("a closing that is a number", changed("flows", 0, "closing", value=5), "flow 'wheel'",
     "closing", "must be non-empty text"),
    ("an unknown flow field", changed("flows", 0, "summary", value="x"), "flow 'wheel'", "summary",
     "unknown field"),
    ("no steps", removed("flows", 0, "steps"), "flow 'wheel'", "steps",
     "must be a non-empty list of steps"),
    ("an empty list of steps", changed(*STEP, value=[]), "flow 'wheel'", "steps",
     "must be a non-empty list of steps"),
    ("a step that is text", changed(*STEP, 0, value="hi"), "flow 'wheel', step #1", "step",
     "must be a mapping"),
    ("a bad step id", changed(*STEP, 1, "id", value="2nd"), "flow 'wheel', step #2", "id",
     "(got '2nd')"),
    ("a duplicate step id", changed(*STEP, 1, "id", value="saw"), "flow 'wheel', step 'saw'", "id",
     "duplicate step id"),
    ("a missing lead-in", removed(*STEP, 0, "lead_in"), "flow 'wheel', step #1", "lead_in",
     "is required"),
    ("a blank question", changed(*STEP, 0, "question", value=" \n "), "flow 'wheel', step #1",
     "question", "must be non-empty text"),
    ("an example that is a list", changed(*STEP, 0, "example", value=["a"]),
     "flow 'wheel', step #1", "example", "must be non-empty text"),
    ("required not a flag", changed(*STEP, 2, "required", value="maybe"), "flow 'wheel', step #3",
     "required", "must be true or false"),
    ("feelings not a flag", changed(*STEP, 1, "feelings", value=1), "flow 'wheel', step #2",
     "feelings", "must be true or false"),
    ("an unknown step field", changed(*STEP, 0, "answer", value="x"), "flow 'wheel', step #1",
     "answer", "unknown field"),
    ("stems that are text", changed(*STEP, 0, "stems", value="I saw"), "flow 'wheel', step #1",
     "stems", "must be a list of at most 30 texts"),
    ("an empty stem", changed(*STEP, 0, "stems", value=["I saw", " "]), "flow 'wheel', step #1",
     "stems[1]", "must be non-empty text"),
    ("no listener guide", removed(GUIDE), "", GUIDE, "is required: a title, an intro and steps"),
    ("a guide without steps", changed(GUIDE, "steps", value=[]), GUIDE, "steps",
     "must be a non-empty list of steps"),
    ("a guide step that is text", changed(GUIDE, "steps", 0, value="x"), "listener_guide, step #1",
     "step", "must be a mapping with title and text"),
    ("a guide step without text", removed(GUIDE, "steps", 0, "text"), "listener_guide, step #1",
     "text", "is required"),
    ("an unknown guide field", changed(GUIDE, "outro", value="x"), GUIDE, "outro",
     "unknown field (allowed: intro, steps, title)"),
    ("a guide without a title", removed(GUIDE, "title"), GUIDE, "title", "is required"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "where", "field", "message"),
    [case[1:] for case in BROKEN_FLOWS],
    ids=[case[0] for case in BROKEN_FLOWS],
)
def test_a_broken_flow_file_names_the_place_and_field_of_the_problem(
    tmp_path, edit, where, field, message
):
    found = problems(flows.load, written(tmp_path, GOOD, edit))
    assert_reported(found, where, field, message)


def test_a_problem_is_reported_once_even_when_the_whole_file_is_wrong(tmp_path):
    found = problems(flows.load, written(tmp_path, GOOD, lambda _: ["not", "a", "mapping"]))
    assert [(p.where, p.field) for p in found] == [("", "flows"), ("", GUIDE)]


def test_every_problem_in_a_flow_file_is_reported_at_once(tmp_path):
    path = written(
        tmp_path,
        GOOD,
        changed("flows", 0, "joint", value="yes please"),
        removed(*STEP, 1, "question"),
        changed(GUIDE, "steps", 0, "text", value=""),
    )
    with pytest.raises(FlowFileError) as caught:
        flows.load(path)
    assert [(p.where, p.field) for p in caught.value.problems] == [
        ("flow 'wheel', step #2", "question"),
        ("flow 'wheel'", "joint"),
        ("listener_guide, step #1", "text"),
    ]
    assert "(3 problems)" in str(caught.value)
    for problem in caught.value.problems:
        assert f"  - {problem}" in str(caught.value)


def test_broken_yaml_is_reported_with_its_line(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("flows:\n  - {id: a\n", encoding="utf-8")
    with pytest.raises(FlowFileError, match=r"mine\.yaml: yaml: not valid YAML at line \d+"):
        flows.load(path)


@pytest.mark.parametrize("load", [flows.load, flows.load_feelings])
def test_a_missing_file_is_a_clear_error(tmp_path, load):
    with pytest.raises(FlowFileError, match=r"missing\.yaml: file: "):
        load(tmp_path / "missing.yaml")


def test_a_good_flow_file_loads_with_its_text_on_one_line_and_the_defaults(tmp_path):
    loaded = flows.load(written(tmp_path, GOOD))
    [wheel] = loaded.flows
    assert (wheel.id, wheel.title, wheel.intro) == ("wheel", "The wheel", "Say it in parts.")
    assert (wheel.opening, wheel.closing, wheel.joint) == (
        "Can I tell you something?",
        "Thank you for listening.",
        False,
    )
    assert [s.id for s in wheel.steps] == ["saw", "feel", "why"]
    assert [s.required for s in wheel.steps] == [True, True, False]
    assert [s.feelings for s in wheel.steps] == [False, True, False]
    assert loaded.listener_guide.steps == (flows.GuideStep("Read it twice", "Slowly."),)


def test_opening_and_closing_are_optional(tmp_path):
    path = written(tmp_path, GOOD, removed("flows", 0, "opening"), removed("flows", 0, "closing"))
    [wheel] = flows.load(path).flows
    assert (wheel.opening, wheel.closing) == ("", "")


# The feelings vocabulary

BROKEN_FEELINGS: list[tuple[str, Edit, str, str, str]] = [
    ("the top level is a list", lambda _: ["hurt"], "", "groups", "is required"),
    ("no groups", removed("groups"), "", "groups", "is required: a list of groups"),
    ("an empty list of groups", changed("groups", value=[]), "", "groups", "is required"),
    ("an unknown top-level field", changed("colours", value=1), "", "colours",
     "unknown field (allowed: groups)"),
    ("a group that is text", changed("groups", 0, value="Hurt"), "group #1", "group",
     "must be a mapping with name and words"),
    ("a group without a name", removed("groups", 0, "name"), "group #1", "name", "is required"),
    ("a blank name", changed("groups", 1, "name", value=""), "group #2", "name",
     "must be non-empty text"),
    ("a group without words", removed("groups", 0, "words"), "group #1", "words",
     "must be a non-empty list of words"),
    ("an empty list of words", changed("groups", 0, "words", value=[]), "group #1", "words",
     "must be a non-empty list of words"),
    ("words that are text", changed("groups", 0, "words", value="hurt"), "group #1", "words",
     "must be a non-empty list of words"),
    ("a blank word", changed("groups", 1, "words", 1, value=" "), "group #2", "words[1]",
     "must be non-empty text"),
    ("a word that is a number", changed("groups", 0, "words", 0, value=5), "group #1", "words[0]",
     "must be non-empty text"),
    ("an unknown group field", changed("groups", 0, "colour", value="red"), "group #1", "colour",
     "unknown field (allowed: name, words)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "where", "field", "message"),
    [case[1:] for case in BROKEN_FEELINGS],
    ids=[case[0] for case in BROKEN_FEELINGS],
)
def test_a_broken_feelings_file_names_the_place_and_field_of_the_problem(
    tmp_path, edit, where, field, message
):
    found = problems(flows.load_feelings, written(tmp_path, GOOD_FEELINGS, edit))
    assert_reported(found, where, field, message)


def test_every_problem_in_a_feelings_file_is_reported_at_once(tmp_path):
    path = written(
        tmp_path,
        GOOD_FEELINGS,
        removed("groups", 0, "name"),
        changed("groups", 1, "words", 0, value=""),
        changed("groups", 1, "tone", value="soft"),
    )
    with pytest.raises(FlowFileError) as caught:
        flows.load_feelings(path)
    assert [(p.where, p.field) for p in caught.value.problems] == [
        ("group #1", "name"),
        ("group #2", "tone"),
        ("group #2", "words[0]"),
    ]
    assert "(3 problems)" in str(caught.value)


def test_a_good_feelings_file_loads_in_order(tmp_path):
    loaded = flows.load_feelings(written(tmp_path, GOOD_FEELINGS))
    assert loaded == (
        flows.FeelingGroup("Hurt", ("hurt", "left out")),
        flows.FeelingGroup("Afraid", ("afraid", "worried")),
    )


# The shipped files


def test_the_shipped_files_are_what_the_loaders_read():
    assert flows.load(flows.FLOW_FILE).flows == flows.flows()
    assert flows.load(flows.FLOW_FILE).listener_guide == flows.listener_guide()
    assert flows.load_feelings(flows.FEELINGS_FILE) == flows.feelings()


def test_every_shipped_flow_is_a_practice_in_the_catalogue():
    ids = [f.id for f in flows.flows()]
    assert ids == ["feedback_wheel", "vulnerability_builder", "accountability_builder"]
    for flow in flows.flows():
        assert flow.id in catalogue(), flow.id
        assert len(flow.id) <= 40  # the column that stores it with every draft


def test_every_step_id_is_unique_within_its_flow_and_short_enough_to_store():
    for flow in flows.flows():
        ids = [s.id for s in flow.steps]
        assert len(ids) == len(set(ids)), flow.id
        assert all(flows.ID_PATTERN.match(i) and len(i) <= 40 for i in ids)


def test_the_accountability_flow_asks_for_the_impact_before_the_optional_intent():
    steps = [s.id for s in flows.get("accountability_builder").steps]
    assert steps.index("impact") < steps.index("intent")
    assert not flows.get("accountability_builder").step(steps.index("intent") + 1).required
    assert [s.id for s in flows.get("feedback_wheel").steps] == ["saw", "made_up", "feel", "like"]


def test_joint_flows_are_the_ones_done_toward_the_partner():
    assert {f.id for f in flows.flows() if f.joint} == {
        "vulnerability_builder",
        "accountability_builder",
    }


def test_the_shipped_feelings_offer_each_word_once_softer_ones_first():
    words = [w for g in flows.feelings() for w in g.words]
    assert len(words) == len(set(words))
    assert flows.feelings()[0].name == "Hurt"


def test_an_unknown_flow_names_the_known_ones():
    with pytest.raises(flows.UnknownFlow, match="known flows: feedback_wheel, vulnerab") as caught:
        flows.get("nope")
    assert isinstance(caught.value, LookupError)
    assert caught.value.flow_id == "nope"


# Flow.step


@given(st.sampled_from(flows.flows()), st.integers(-50, 50))
def test_a_step_is_numbered_from_one_and_nothing_outside_the_flow_is_a_step(flow, number):
    if 1 <= number <= len(flow.steps):
        assert flow.step(number) is flow.steps[number - 1]
    else:
        with pytest.raises(IndexError):
            flow.step(number)


def test_step_zero_and_negative_steps_are_not_counted_from_the_end():
    wheel = flows.get("feedback_wheel")
    for number in (0, -1, len(wheel.steps) + 1):
        with pytest.raises(IndexError):
            wheel.step(number)
    assert wheel.step(len(wheel.steps)).id == "like"


# compose: examples

WHEEL = flows.get("feedback_wheel")
REPAIR = flows.get("accountability_builder")
BRAVE = flows.get("vulnerability_builder")


def step_of(flow: Flow, step_id: str) -> Step:
    return next(s for s in flow.steps if s.id == step_id)


def test_the_documented_example():
    assert flows.compose(WHEEL, {"saw": "you were on your phone", "feel": "lonely."}) == (
        "I'm bringing this up because I want us to be closer. What I noticed was that you "
        "were on your phone. I feel lonely. You don't have to fix anything; I wanted you to know."
    )


def test_the_wheel_opens_with_wanting_to_be_closer_and_closes_by_letting_go_of_the_outcome():
    assert "want us to be closer" in WHEEL.opening
    assert "don't have to fix" in WHEEL.closing


# Answers as people write them, and the message they should read. The partner receives this.
NATURAL: list[tuple[str, Flow, dict[str, str], str]] = [
    ("a capital after the lead-in is lowered", WHEEL,
     {"saw": "Last night you looked at your phone while I was talking"},
     "What I noticed was that last night you looked at your phone while I was talking."),
    ("another wording of the story stem is kept, not doubled", WHEEL,
     {"made_up": "The story I told myself is that you were bored with me"},
     "The story I told myself is that you were bored with me."),
    ("the story stem in lower case and without its ending", WHEEL,
     {"made_up": "the story in my head was you'd rather be somewhere else"},
     "The story in my head was you'd rather be somewhere else."),
    ("'I felt' is not put after 'I feel'", WHEEL, {"feel": "I felt lonely"}, "I felt lonely."),
    ("texting lower case gets its capitals", WHEEL, {"feel": "i'm hurt. and i miss you"},
     "I'm hurt. And I miss you."),
    ("feelings one per line become one phrase", WHEEL, {"feel": "Hurt\nLonely\na bit scared"},
     "I feel hurt, lonely and a bit scared."),
    ("feelings between full stops become one phrase", WHEEL, {"feel": "hurt. lonely."},
     "I feel hurt and lonely."),
    ("feelings picked from the list keep their commas", WHEEL, {"feel": "hurt, lonely, sad"},
     "I feel hurt, lonely, sad."),
    ("a question stays a question, without the lead-in", WHEEL,
     {"like": "Could we have dinner without our phones this week"},
     "Could we have dinner without our phones this week?"),
    ("a 'how about' is a question too", WHEEL, {"like": "how about a walk after dinner?"},
     "How about a walk after dinner?"),
    ("another way of asking keeps its own words", WHEEL,
     {"like": "I'd love it if we could talk for ten minutes after dinner"},
     "I'd love it if we could talk for ten minutes after dinner."),
    ("a word repeated from the end of the lead-in is said once", WHEEL,
     {"made_up": "that my day didn't matter to you"},
     "The story I made up about it was that my day didn't matter to you."),
    ("names keep their capital", WHEEL,
     {"saw": "Jo called and you told Jo I was busy"},
     "What I noticed was that Jo called and you told Jo I was busy."),
    ("days and 'I' keep their capital", WHEEL,
     {"saw": "Sunday you left early", "made_up": "I didn't matter"},
     "What I noticed was that Sunday you left early. The story I made up about it was that I "
     "didn't matter."),
    ("a contraction meets the lead-in's words", REPAIR, {"next_time": "I'll call before I'm late"},
     "Next time, I'll call before I'm late."),
    ("the lead-in's last words are not repeated", REPAIR, {"next_time": "I will call first"},
     "Next time, I will call first."),
    ("an apology keeps its own words", REPAIR, {"what_i_did": "I'm sorry I cancelled again"},
     "I'm sorry I cancelled again."),
    ("'I felt' after 'Underneath, I felt' is said once", BRAVE,
     {"underneath": "I felt scared\nashamed"}, "Underneath, I felt scared and ashamed."),
    ("a fear in the answer's own words", BRAVE, {"fear": "I'm afraid you'll give up on us"},
     "I'm afraid you'll give up on us."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("flow", "answers", "expected"),
    [row[1:] for row in NATURAL],
    ids=[row[0] for row in NATURAL],
)
def test_natural_answers_compose_into_what_a_person_would_write(flow, answers, expected):
    composed = flows.compose(flow, answers)
    body = composed.removeprefix(flow.opening).removesuffix(flow.closing).strip()
    assert body == expected


def test_the_wheel_from_the_issue_reads_as_a_person_wrote_it():
    answers = {
        "saw": "Last night you looked at your phone while I told you about my day",
        "made_up": "The story I told myself is that you were bored",
        "feel": "I felt lonely",
        "like": "Could we have ten minutes without phones after dinner?",
    }
    assert flows.compose(WHEEL, answers) == (
        "I'm bringing this up because I want us to be closer. What I noticed was that last "
        "night you looked at your phone while I told you about my day. The story I told myself "
        "is that you were bored. I felt lonely. Could we have ten minutes without phones after "
        "dinner? You don't have to fix anything; I wanted you to know."
    )


def test_a_whole_repair_in_step_order_with_the_closing():
    answers = {s.id: s.example for s in REPAIR.steps}
    assert flows.compose(REPAIR, dict(reversed(answers.items()))) == (
        "I want to own that I cancelled our evening at the last minute for work, again. "
        "I think it meant you were left on your own with plans you'd been looking forward to. "
        "It makes sense that it hurt, because it's happened before, and it tells you that you "
        "come after my job. It doesn't excuse it, but what was going on for me was that I was "
        "afraid of letting my team down and didn't know how to say no. Next time, I will tell "
        "work I'm unavailable on our evenings, and keep my phone off. Is there anything more you "
        "want me to understand about how it was for you?"
    )


def test_an_empty_optional_step_is_left_out_and_so_are_unknown_steps():
    answers = {"what_i_did": "I left", "intent": "  ", "elsewhere": "not a step"}
    assert flows.compose(REPAIR, answers) == (
        "I want to own that I left. Is there anything more you want me to understand about how "
        "it was for you?"
    )


def test_with_no_answer_the_draft_is_only_the_opening_and_never_the_closing():
    assert flows.compose(WHEEL, {}) == WHEEL.opening
    assert flows.compose(REPAIR, {"what_i_did": " \n\t"}) == ""
    assert flows.compose(BRAVE, {}) == ""


def test_spacing_is_tidied_and_a_sentence_ends_with_its_own_punctuation_or_a_full_stop():
    assert flows.compose(BRAVE, {"moment": "  last\n night \t at dinner  "}) == (
        "I keep thinking about last night at dinner."
    )
    for ending in "!?.…":
        assert flows.compose(BRAVE, {"longing": f"to be close{ending}"}) == (
            f"What I long for is to be close{ending}"
        )
    assert flows.compose(BRAVE, {"longing": "to be close,"}) == "What I long for is to be close."


@pytest.mark.parametrize(
    ("flow", "step_id", "answer", "sentence"),
    [
        (WHEEL, "feel", "I feel hurt", "I feel hurt."),
        (WHEEL, "feel", "i FEEL hurt", "I FEEL hurt."),
        (WHEEL, "like", "What I’d like is a walk", "What I’d like is a walk."),
        (BRAVE, "habit", "To protect myself I went quiet", "To protect myself I went quiet."),
        (REPAIR, "next_time", "next time I will call", "Next time I will call."),
        (REPAIR, "understanding", "It makes sense that it hurt because it happened before",
         "It makes sense that it hurt because it happened before."),
    ],
    ids=["same", "case", "apostrophe", "no comma", "no comma, lower case", "no comma inside"],
)  # fmt: skip
def test_an_answer_that_already_starts_with_the_lead_in_keeps_its_own_words(
    flow, step_id, answer, sentence
):
    composed = flows.compose(flow, {step_id: answer})
    assert sentence in composed
    assert step_of(flow, step_id).lead_in not in composed.replace(sentence, "")


def test_a_word_that_only_begins_like_the_lead_in_still_gets_it():
    assert flows.compose(BRAVE, {"underneath": "Underneathness"}) == (
        "Underneath, I felt underneathness."
    )
    assert "I feel I feeling" in flows.compose(WHEEL, {"feel": "I feeling odd"})


def test_a_quote_or_an_acronym_after_the_lead_in_keeps_its_capitals():
    assert flows.compose(REPAIR, {"impact": "“Fine” meant it wasn't"}).startswith(
        "I think it meant “Fine” meant it wasn't."
    )
    assert flows.compose(REPAIR, {"impact": "OK was not ok"}).startswith(
        "I think it meant OK was not ok."
    )


# compose: properties

SAMPLE = Flow(
    id="sample",
    title="Sample",
    intro="A flow with both an opening and a closing.",
    joint=False,
    opening="Can I tell you something?",
    closing="Thank you for listening.",
    steps=(
        Step("saw", "Saw", "What?", "Facts.", "you left", "What I saw was that", stems=("I saw",)),
        Step("feel", "Feel", "Feel?", "Words.", "lonely", "I feel", feelings=True),
        Step("why", "Why", "Why?", "If you like.", "tired", "It's because", required=False),
    ),
)
ALL_FLOWS = (*flows.flows(), SAMPLE)
BLANK = st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\xa0\u2003\u3000"), max_size=5)


@st.composite
def flow_and_answers(draw: st.DrawFn, values: st.SearchStrategy[str] | None = None):
    flow = draw(st.sampled_from(ALL_FLOWS))
    ids = st.sampled_from([s.id for s in flow.steps])
    return flow, draw(st.dictionaries(ids, st.text() if values is None else values))


def tidy(text: str) -> str:
    return " ".join(text.split())


def comparable(text: str) -> list[str]:
    """The words of a text, whatever the capitals: "I" and "i" are the same word."""
    return [word.upper().casefold() for word in sentences.words(text)]


def in_order(needle: list[str], haystack: list[str]) -> bool:
    rest = iter(haystack)
    return all(word in rest for word in needle)


def answered_words(flow: Flow, answers: dict[str, str]) -> list[str]:
    return [w for step in flow.steps for w in comparable(answers.get(step.id, ""))]


@given(flow_and_answers())
def test_every_word_of_every_answer_appears_in_step_order_whatever_is_typed(case):
    flow, answers = case
    assert in_order(answered_words(flow, answers), comparable(flows.compose(flow, answers)))


@given(flow_and_answers(), st.data())
def test_blank_answers_are_left_out(case, data):
    flow, answers = case
    blanks = {s.id: data.draw(BLANK) for s in flow.steps if s.id not in answers}
    assert flows.compose(flow, answers | blanks) == flows.compose(flow, answers)
    assert flows.compose(flow, blanks) == flows.compose(flow, {})


@given(flow_and_answers())
def test_the_opening_comes_first_and_the_closing_only_after_an_answer(case):
    flow, answers = case
    composed = flows.compose(flow, answers)
    answered = any(tidy(v) for k, v in answers.items() if k in {s.id for s in flow.steps})
    assert composed.startswith(flow.opening)
    if flow.closing:
        assert composed.endswith(" " + flow.closing) == answered
    if not answered:
        assert composed == flow.opening
    assert composed == composed.strip() and "  " not in composed


# Natural answers: everyday phrases, started (or not) with a way of saying the step's stem,
# in the capitals people type them with. No names, so any capital mid-sentence is a fault.
PHRASES = [
    "you looked at your phone while I was talking",
    "last night you went to bed without saying goodnight",
    "we talked about the bills and nothing else",
    "you were bored with me",
    "my day didn't matter to you",
    "you'd rather be somewhere else",
    "I was in the way",
    "hurt",
    "lonely",
    "a bit scared",
    "left out",
    "for us to put our phones away after dinner",
    "ten minutes together before bed",
    "I cancelled our evening again",
    "I'll tell you before I say yes to extra work",
    "keep my phone in the kitchen",
]
QUESTIONS = [
    "could we talk for ten minutes tonight",
    "can we put our phones away after dinner?",
    "how about a walk on the weekend",
    "would you sit with me after dinner",
]
FEELINGS = ["hurt", "lonely", "sad", "a bit scared", "left out", "ashamed"]


def stem_variants(stem: str) -> list[str]:
    return [
        stem,
        stem.lower(),
        re.sub(r"[^\w\s'’]", "", stem),  # its commas left out
        stem.replace("'", "’").replace(" ", "  "),
    ]


def starts_any(text: str, starts: list[list[str]]) -> bool:
    found = sentences.words(text)
    return any(found[: len(start)] == start for start in starts)


def first_capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@st.composite
def natural_answer(draw: st.DrawFn, step: Step) -> str:
    kind = draw(st.sampled_from(["phrase", "stemmed", "question", "list"]))
    if kind == "question":
        text = draw(st.sampled_from(QUESTIONS))
    elif kind == "list":
        chosen = draw(st.lists(st.sampled_from(FEELINGS), min_size=2, max_size=4, unique=True))
        text = draw(st.sampled_from(["\n", ". ", " / ", "; "])).join(chosen)
    else:
        text = draw(st.sampled_from(PHRASES))
        if kind == "stemmed":
            # (A person who doubles a stem or a word themselves keeps their words: not this
            # test's case, so no phrase follows a stem ending in its first word, as "Of
            # course it hurt" + "hurt".)
            stems = (step.lead_in, *step.stems)
            starts = [sentences.words(s) for s in stems]
            stem = draw(st.sampled_from(stems))
            last = sentences.words(stem)[-1:]
            text = draw(
                st.sampled_from(
                    [
                        p
                        for p in PHRASES
                        if not starts_any(p, starts) and sentences.words(p)[:1] != last
                    ]
                )
            )
            text = f"{draw(st.sampled_from(stem_variants(stem)))} {text}"
    text = draw(st.sampled_from([text, first_capital(text), text.lower()]))
    return text + draw(st.sampled_from(["", ".", "!", " ", "\n"]))


@st.composite
def natural_answers(draw: st.DrawFn) -> tuple[Flow, dict[str, str]]:
    flow = draw(st.sampled_from(ALL_FLOWS))
    steps = draw(st.lists(st.sampled_from(flow.steps), min_size=1, unique=True))
    return flow, {step.id: draw(natural_answer(step)) for step in steps}


@given(natural_answers())
def test_a_stem_is_never_said_twice(case):
    flow, answers = case
    composed = flows.compose(flow, answers)
    found = sentences.words(composed)
    text = " " + " ".join(found) + " "
    for step in flow.steps:
        stems = [" ".join(sentences.words(s)) for s in (step.lead_in, *step.stems)]
        for first in stems:
            for second in stems:
                if any(f"{first} {second}" in stem for stem in stems):
                    continue  # the lead-in itself, like "I think" + "it meant"
                assert f" {first} {second} " not in text, (first, second, composed)
    for said in re.split(r"(?<=[.!?])\s", composed):
        found = sentences.words(said)
        for size in range(1, 5):  # "that that", "I will I will"
            grams = [found[i : i + size] for i in range(len(found) - size + 1)]
            assert all(grams[i] != grams[i + size] for i in range(len(grams) - size)), said


I_FORMS = re.compile(r"^I(?:['’](?:m|d|ll|ve))?$")


@given(natural_answers())
def test_no_capital_in_the_middle_of_a_sentence_and_every_sentence_starts_with_one(case):
    flow, answers = case
    composed = flows.compose(flow, answers)
    for match in re.finditer(r"[\w'’]+", composed):
        word, before = match.group(), composed[: match.start()].rstrip()
        starts = not before or before[-1] in ".!?"
        if starts:
            assert word[0].isupper(), (word, composed)
        elif word[0].isupper():
            assert I_FORMS.match(word), (word, composed)


@given(natural_answers())
def test_every_word_of_a_natural_answer_appears_in_order_and_questions_stay_questions(case):
    flow, answers = case
    composed = flows.compose(flow, answers)
    assert in_order(answered_words(flow, answers), comparable(composed))
    for answer in answers.values():
        if any(answer.lower().startswith(q.rstrip("?")) for q in QUESTIONS):
            asked = first_capital(answer.strip().rstrip("?.!"))
            assert f"{asked}?" in composed or f"{asked}!" in composed, composed


# missing


def test_missing_lists_the_required_steps_without_an_answer_in_step_order():
    assert flows.missing(WHEEL, {}) == list(WHEEL.steps)
    assert [s.id for s in flows.missing(WHEEL, {"made_up": "x", "like": " \n"})] == [
        "saw",
        "feel",
        "like",
    ]
    everything = {s.id: s.example for s in REPAIR.steps}
    assert flows.missing(REPAIR, everything) == []
    del everything["intent"]
    assert flows.missing(REPAIR, everything) == []  # the optional step is never missing


@given(flow_and_answers(st.one_of(st.text(), BLANK)))
def test_missing_is_exactly_the_required_steps_left_out_of_the_draft(case):
    flow, answers = case
    missing = flows.missing(flow, answers)
    for step in flow.steps:
        left_out = not tidy(answers.get(step.id, ""))
        assert (step in missing) == (step.required and left_out)
