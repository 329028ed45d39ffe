"""The message coach: which patterns it names, where, the tone, and the reframe."""

import pytest

from attunement.coach import CONNECTIVE, LABELS, PROTECTIVE, analyze, tone_of

FIRES = [
    ("criticism", "you never help around the house"),
    ("criticism", "why can't you ever be on time"),
    ("criticism", "u always forget to call ur mom back"),
    ("criticism", "you're so selfish with the car"),
    ("contempt", "wow, real mature of you"),
    ("contempt", "you're such an idiot"),
    ("contempt", "ok 🙄"),
    ("contempt", "oh poor you, you had to cook once"),
    ("defensiveness", "that's not my fault, the bus was late"),
    ("defensiveness", "i was only trying to be nice"),
    ("defensiveness", "yeah but you forgot too"),
    ("defensiveness", "i'm sorry you feel that way"),
    ("withdrawal", "whatever."),
    ("withdrawal", "i'm done talking about this"),
    ("withdrawal", "fine."),
    ("withdrawal", "forget it, i'm going to bed"),
    ("control", "you need to calm down"),
    ("control", "logically there's no reason to be mad"),
    ("control", "you should feel lucky i cook at all"),
    ("control", "stop being so emotional"),
    ("minimizing", "it's fine, i don't need anything"),
    ("minimizing", "never mind, it doesn't matter"),
    ("minimizing", "don't worry about me"),
    ("minimizing", "it's not a big deal, really"),
    ("retaliation", "see how you like it"),
    ("retaliation", "now you know how it feels"),
    ("retaliation", "maybe i'll ignore your texts too"),
    ("retaliation", "fine, then i won't help with your party either"),
    ("vulnerability", "i feel so alone lately"),
    ("vulnerability", "i'm scared we're losing each other"),
    ("vulnerability", "i miss how we used to be"),
    ("vulnerability", "i've been feeling really insecure"),
    ("accountability", "i'm sorry i snapped at dinner"),
    ("accountability", "that was on me"),
    ("accountability", "i can see how my silence hurt you"),
    ("accountability", "you're right, i wasn't fair"),
    ("appreciation", "thank you for picking up the kids"),
    ("appreciation", "i love it when you cook for us"),
    ("appreciation", "want to go for a walk together tonight?"),
    ("appreciation", "you're the best, seriously"),
]

DOES_NOT_FIRE = [
    ("criticism", "I'm not saying you never help"),
    ("criticism", "it's not that you always forget, i just worry"),
    ("criticism", "i don't think you're selfish"),
    ("criticism", "you always know how to make me laugh"),
    ("contempt", "i don't think you're an idiot"),
    ("contempt", "that show was so stupid lol"),
    ("contempt", "i'm such an idiot, forgot my keys"),
    ("contempt", "oh great, see you at 6 then"),
    ("defensiveness", "it was my fault, not yours"),
    ("withdrawal", "whatever you want for dinner is fine"),
    ("withdrawal", "i'm done with work, heading home"),
    ("withdrawal", "fine by me!"),
    ("withdrawal", "i don't care which movie, you pick"),
    ("control", "you don't need to calm down, you're allowed to be upset"),
    ("control", "i need to calm down, give me a minute"),
    ("control", "you need to pick up the kids at 3"),
    ("minimizing", "never mind, found it"),
    ("minimizing", "it doesn't matter which one, both are good"),
    ("minimizing", "i'm fine with either"),
    ("retaliation", "can't wait to see how you like the gift"),
    ("retaliation", "now you know how to fix the sink lol"),
    ("vulnerability", "i'm not scared of spiders"),
    ("vulnerability", "i don't feel like cooking tonight"),
    ("vulnerability", "i feel like pizza"),
    ("accountability", "i'm not sorry"),
    ("accountability", "sorry i'm late, traffic"),
    ("accountability", "i'm sorry but you started it"),
    ("appreciation", "you never say thank you"),
    ("appreciation", "thanks for nothing"),
    ("appreciation", "you never want to do anything together"),
]


@pytest.mark.parametrize(("label", "text"), FIRES)
def test_each_label_fires_on_a_clear_example(label, text):
    assert label in analyze(text).labels


@pytest.mark.parametrize(("label", "text"), DOES_NOT_FIRE)
def test_a_label_does_not_fire_on_its_negation_or_look_alike(label, text):
    assert label not in analyze(text).labels


def test_every_label_has_clear_examples_and_negations():
    assert {label for label, _ in FIRES} == set(LABELS)
    assert {label for label, _ in DOES_NOT_FIRE} == set(LABELS)


def test_a_negating_frame_covers_only_its_own_clause():
    analysis = analyze("i'm not saying you never help, but you never cook")

    [pattern] = analysis.patterns
    assert pattern.label == "criticism"
    assert pattern.start == analysis.text.index("you never cook")


@pytest.mark.parametrize(
    ("text", "label", "trigger"),
    [
        ("honestly? you never help with the dishes", "criticism", "you never"),
        ("ugh. you're such an idiot sometimes", "contempt", "you're such an idiot"),
        ("that's not my fault, the bus was late", "defensiveness", "not my fault"),
        ("ok. i'm done talking about this", "withdrawal", "i'm done"),
        ("please, you need to calm down", "control", "calm down"),
        ("never mind, it doesn't matter", "minimizing", "never mind"),
        ("now you know how it feels", "retaliation", "now you know how it feels"),
        ("honestly i feel so alone lately", "vulnerability", "i feel so alone"),
        ("hey. that was on me, sorry", "accountability", "that was on me"),
        ("oh and thank you for dinner", "appreciation", "thank you"),
    ],
)
def test_the_span_points_at_the_words_that_triggered_the_label(text, label, trigger):
    first = next(p for p in analyze(text).patterns if p.label == label)

    assert text[first.start : first.end] == trigger


def test_spans_index_the_original_text_with_curly_apostrophes_and_capitals():
    text = "İ know. But You’re ALWAYS on your phone"

    [pattern] = analyze(text).patterns

    assert text[pattern.start : pattern.end] == "You’re ALWAYS"


def test_patterns_come_in_order_with_an_explanation_each():
    analysis = analyze("i miss you but you're always on your phone")

    assert [p.label for p in analysis.patterns] == ["vulnerability", "criticism"]
    assert all(p.explanation for p in analysis.patterns)
    assert analysis.labels == ("criticism", "vulnerability")


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("can you grab milk on the way home", "neutral"),
        ("you never help with the dishes", "protective"),
        ("thank you for dinner, it was lovely", "connective"),
        ("i miss you but you're always on your phone", "mixed"),
        ("", "neutral"),
    ],
)
def test_the_tone_follows_the_kinds_of_labels_found(text, tone):
    assert analyze(text).tone == tone


@pytest.mark.parametrize(
    ("labels", "tone"),
    [
        ((), "neutral"),
        (PROTECTIVE, "protective"),
        (CONNECTIVE, "connective"),
        (("withdrawal", "appreciation"), "mixed"),
    ],
)
def test_tone_of_labels(labels, tone):
    assert tone_of(labels) == tone


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("you never help with the dishes", "the dishes"),
        ("why are you always on your phone at dinner", "your phone"),
        ("you always ruin the dirty laundry thing", "the laundry"),
        ("what about you? you were rude last night", "last night"),
        ("you're so selfish about my birthday", "my birthday"),
    ],
)
def test_the_reframe_keeps_the_subject_of_the_message(text, subject):
    assert subject in analyze(text).reframe


def test_the_reframe_follows_the_feedback_wheel():
    reframe = analyze("you never help with the dishes").reframe

    assert reframe.startswith("When it came to the dishes, ")  # what I saw
    assert "the story I told myself is that" in reframe  # what I made up
    assert "I feel " in reframe  # how I feel
    assert "What I'd like is for you to help with the dishes." in reframe  # what I'd like


def test_the_reframe_keeps_the_persons_own_feeling_word():
    assert "I feel lonely." in analyze("i feel lonely and you never even notice").reframe


@pytest.mark.parametrize(
    "text",
    ["can you grab milk", "thank you for dinner", "i miss you", "i'm not saying you never help"],
)
def test_neutral_and_connective_messages_get_no_reframe(text):
    assert analyze(text).reframe is None


def test_sarcasm_counts_as_contempt_and_cancels_appreciation():
    analysis = analyze("thanks a lot for eating the leftovers. really appreciate it")

    assert analysis.labels == ("contempt",)


def test_the_analysis_is_deterministic_and_serialisable():
    text = "i'm sorry i yelled, but you never listen"

    first, second = analyze(text), analyze(text)

    assert first == second
    data = first.to_dict()
    assert set(data) == {"labels", "tone", "patterns", "reframe"}
    assert [set(p) for p in data["patterns"]] == [{"label", "start", "end", "explanation"}] * 2
    assert [(p["label"], p["start"], p["end"]) for p in data["patterns"]] == [
        ("accountability", 0, 11),
        ("criticism", 24, 33),
    ]
