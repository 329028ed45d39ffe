"""Crisis words in what a person writes: what counts, where, and the file it comes from."""

from dataclasses import replace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from attunement import safety
from attunement.errors import AttunementError, DataFileError
from attunement.safety import crisis
from attunement.safety.crisis import CRISIS_FILE, CrisisFileError, Signal, parse
from attunement.safety.resources import GROUPS, REQUIRED_MESSAGES
from crisis_samples import FAINT, STRONG_MODEL_ONLY

SUICIDE = "suicide_risk"
VIOLENCE = "partner_violence"

# (text, concern, the words that should be found for it)
POSITIVE = [
    # Thoughts of suicide or self-harm, as people type them.
    ("I want to die", SUICIDE, "want to die"),
    ("honestly some days i just want to die", SUICIDE, "want to die"),
    ("i wanna die, this week has been too much", SUICIDE, "wanna die"),
    ("i\u2019m not going to kill myself, i just feel numb", SUICIDE, "kill myself"),
    ("sometimes i think about killing myself", SUICIDE, "killing myself"),
    ("i cant go on anymore", SUICIDE, "i cant go on"),
    ("i can't go on like this", SUICIDE, "i can't go on"),
    ("everyone would be better off without me", SUICIDE, "better off without me"),
    ("you'd be better off without me honestly", SUICIDE, "better off without me"),
    ("there's no reason to live anymore", SUICIDE, "no reason to live"),
    ("i have nothing left to live for", SUICIDE, "nothing left to live for"),
    ("i keep thinking i should just end it all", SUICIDE, "end it all"),
    ("i dont want to be here anymore", SUICIDE, "dont want to be here anymore"),
    ("I don't want to live anymore.", SUICIDE, "don't want to live"),
    ("i hurt myself again last night", SUICIDE, "hurt myself"),
    ("ive been cutting myself since the summer", SUICIDE, "cutting myself"),
    ("I wish I was dead", SUICIDE, "wish I was dead"),
    ("i want to go to sleep and never wake up", SUICIDE, "go to sleep and never wake up"),
    ("I've been having suicidal thoughts again", SUICIDE, "suicidal"),
    ("i thought about suicide today on the bus", SUICIDE, "thought about suicide"),
    ("im so tired of living", SUICIDE, "tired of living"),
    ("i'm thinking of taking my own life", SUICIDE, "taking my own life"),
    ("im a burden to everyone", SUICIDE, "im a burden to everyone"),
    ("i cant take it anymore", SUICIDE, "cant take it anymore"),
    (
        "nobody would even notice if i disappeared",
        SUICIDE,
        "nobody would even notice if i disappeared",
    ),
    ("last night i took a handful of my pills", SUICIDE, "took a handful of my pills"),
    ("im thinking about jumping off a bridge", SUICIDE, "thinking about jumping off a bridge"),
    ("life isnt worth living without you", SUICIDE, "life isnt worth living"),
    ("Dear journal,\nI CAN\u2019T GO ON.", SUICIDE, "I CAN\u2019T GO ON"),
    # A partner hurting, threatening, frightening or controlling the writer.
    ("he hit me", VIOLENCE, "he hit me"),
    ("she threatened to kill me", VIOLENCE, "threatened to kill"),
    ("im scared of him", VIOLENCE, "scared of him"),
    ("my husband hit me again last night", VIOLENCE, "my husband hit me"),
    ("hes been hitting me when he drinks", VIOLENCE, "hes been hitting me"),
    ("he got drunk and pushed me down the stairs", VIOLENCE, "he got drunk and pushed me"),
    ("she slapped me in front of my kids", VIOLENCE, "slapped me"),
    ("he choked me until i nearly passed out", VIOLENCE, "choked me"),
    ("my boyfriend won't let me see my friends", VIOLENCE, "won't let me see my friends"),
    ("he takes my phone so i cant call anyone", VIOLENCE, "he takes my phone"),
    ("he controls all our money and checks receipts", VIOLENCE, "controls all our money"),
    ("i'm afraid of what he'll do if i leave", VIOLENCE, "afraid of what he'll do"),
    ("he said he'd kill me if i left", VIOLENCE, "said he'd kill me"),
    ("he said if i leave he'll kill me", VIOLENCE, "if i leave he'll kill me"),
    ("she grabbed me by the hair", VIOLENCE, "she grabbed me"),
    ("i fear for my life some nights", VIOLENCE, "fear for my life"),
    ("you hit me last night and i'm still shaking", VIOLENCE, "you hit me"),
    ("he threw a glass at me", VIOLENCE, "threw a glass at me"),
    ("my ex keeps threatening me", VIOLENCE, "my ex keeps threatening me"),
    ("he forced me to have sex", VIOLENCE, "forced me to have sex"),
    ("i think what i live with is domestic abuse", VIOLENCE, "domestic abuse"),
    ("I'm not allowed to see my family anymore", VIOLENCE, "not allowed to see my family"),
    ("he locked me in the bedroom", VIOLENCE, "locked me in"),
    ("I\u2019m terrified of her", VIOLENCE, "terrified of her"),
    ("my partner tracks my location all the time", VIOLENCE, "tracks my location"),
    ("he put his hands around my neck", VIOLENCE, "put his hands around my neck"),
    ("she keeps hurting me", VIOLENCE, "she keeps hurting me"),
    ("He'll never let me leave the house alone", VIOLENCE, "He'll never let me leave the house"),
    ("i was raped last year", VIOLENCE, "i was raped"),
    ("she says she'll kill herself if i leave", VIOLENCE, "kill herself if i leave"),
]

# Ordinary messages and journal lines, figures of speech among them: no help shown.
NEGATIVE = [
    "this traffic is killing me",
    "i could kill for a coffee",
    "dying to see you tonight",
    "you hit the nail on the head",
    "he hit the gym after work",
    "hit me up when you're free",
    "can you hit me back when you're free",
    "my wife is going to kill me when she sees the mess",
    "i'm dying of laughter",
    "i could just die of embarrassment",
    "that joke killed me",
    "this is not the hill i want to die on",
    "he beat me at chess again",
    "she beat me to it",
    "she grabbed me a coffee on the way",
    "my boyfriend pushed me to apply for the job",
    "you push me to be better",
    "he's been pushing me to see a therapist",
    "i cut myself shaving this morning",
    "i hurt myself at the gym",
    "i can't go on the trip this weekend",
    "i can't go on saturday, sorry",
    "i'm killing myself at work for this promotion",
    "you hurt my feelings when you forgot",
    "you hurt me when you forgot my birthday",
    "she hurt me by forgetting our anniversary",
    "i'm scared of spiders",
    "i'm afraid i can't make it tonight",
    "she kicks me in her sleep lol",
    "he took my phone charger again",
    "i don't want to live in this city anymore",
    "i'm tired of living with your mess",
    "can you grab me some milk",
    "he's killing it at work",
    "the news hit me hard",
    "and then it hit me: i love you",
    "we can't go on like this, we need to talk",
    "he hit me with the news that he's moving",
    "my phone died again",
    "that song was choking me up",
    "you're killing me with these puns",
    "he kicked me out of the group chat",
    "thank you for dinner, i loved it",
]


def flat(text):
    return " ".join(text.split())


def found(text):
    return [(s.concern, text[s.start : s.end]) for s in crisis.detect(text)]


@pytest.mark.parametrize(("text", "concern", "words"), POSITIVE)
def test_crisis_words_are_found_with_the_words_that_matched(text, concern, words):
    assert (concern, words) in found(text)
    assert concern in crisis.concerns(text)


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_messages_and_figures_of_speech_raise_nothing(text):
    assert crisis.detect(text) == ()
    assert crisis.concerns(text) == frozenset()


def test_the_tables_are_large_enough_to_mean_something():
    assert len(POSITIVE) >= 40
    assert len(NEGATIVE) >= 30
    assert {c for _, c, _ in POSITIVE} == set(crisis.CONCERNS)


def test_a_negated_phrase_still_counts_for_suicide_risk():
    assert crisis.concerns("i'm not going to kill myself") == {SUICIDE}
    assert crisis.concerns("dont worry, i don't want to die") == {SUICIDE}


def test_signals_are_in_order_of_position_and_give_exact_spans():
    text = "Dear journal,\nHe hit me again.\nI can\u2019t go on.\nMaybe he\u2019s right."

    signals = crisis.detect(text)

    assert signals == (
        Signal(VIOLENCE, 14, 23),
        Signal(SUICIDE, 31, 44),
    )
    assert [text[s.start : s.end] for s in signals] == ["He hit me", "I can\u2019t go on"]


def test_one_text_can_raise_both_concerns():
    text = "he hit me again and honestly i want to die"

    assert crisis.concerns(text) == {SUICIDE, VIOLENCE}
    assert found(text) == [(VIOLENCE, "he hit me"), (SUICIDE, "want to die")]


def test_every_occurrence_is_found_not_only_the_first():
    text = "i want to die. he hit me. i want to die."

    assert [s.start for s in crisis.detect(text)] == [2, 15, 28]


def test_phrases_match_whole_words_only():
    assert crisis.detect("unsuicidal") == ()
    assert crisis.detect("he hit meat") == ()
    assert crisis.concerns("(suicidal)") == {SUICIDE}


def test_spacing_and_line_breaks_between_words_do_not_matter():
    text = "i  want\n\tto   die"

    assert found(text) == [(SUICIDE, "want\n\tto   die")]


def test_signal_is_a_frozen_value():
    signal = Signal(SUICIDE, 0, 3)

    with pytest.raises(AttributeError):
        signal.start = 1
    assert signal == Signal(SUICIDE, 0, 3)


def test_the_safety_package_exports_the_detector():
    assert safety.detect is crisis.detect
    assert safety.Signal is Signal
    assert safety.crisis is crisis
    assert issubclass(safety.CrisisFileError, DataFileError)


# The shipped file and the help it points to.


def test_the_shipped_file_loads_with_a_regex_for_each_concern():
    words = crisis.load(CRISIS_FILE)

    assert tuple(words.regexes) == crisis.CONCERNS


def test_every_concern_has_help_in_the_resource_file():
    assert set(crisis.CONCERNS) == set(REQUIRED_MESSAGES)
    assert set(crisis.CONCERNS) <= set(GROUPS)
    for concern in crisis.CONCERNS:
        assert safety.resources_for(concern)


def test_crisis_help_lists_the_services_for_each_concern_and_emergency_numbers():
    resources = safety.current()

    text = crisis.crisis_help({VIOLENCE})

    assert text.startswith("Are you safe?\n")
    assert "someone may be hurting you" in flat(text)
    assert "ending your life" not in flat(text)
    assert resources.groups[VIOLENCE].title in text
    assert resources.groups["emergency"].title in text
    assert resources.groups[SUICIDE].title not in text
    assert "1-800-799-7233" in text
    assert "shown only to you" in flat(text)
    assert max(len(line) for line in text.splitlines()) <= 80


def test_crisis_help_for_both_concerns_shows_each_group_once():
    resources = safety.current()

    text = crisis.crisis_help([VIOLENCE, SUICIDE])

    assert "ending your life" in flat(text)
    assert "someone may be hurting you" in flat(text)
    for group in (SUICIDE, VIOLENCE, "emergency"):
        assert text.count(resources.groups[group].title + ":") == 1
    assert text.index("988") < text.index("1-800-799-7233")


def test_crisis_help_for_nothing_is_empty_and_for_an_unknown_concern_an_error():
    assert crisis.crisis_help([]) == ""
    with pytest.raises(ValueError, match="no crisis help for gambling"):
        crisis.crisis_help(["gambling"])


# The file: every problem reported at once, each with its place and field.


def minimal():
    return {
        "version": 1,
        "words": {"doer": ["he", "she"]},
        "concerns": {
            "suicide_risk": {"patterns": ["want to die"]},
            "partner_violence": {"patterns": ["{doer} hit me"]},
        },
    }


def problems_in(data):
    with pytest.raises(CrisisFileError) as caught:
        parse(yaml.safe_dump(data, sort_keys=False), "local.yaml")
    error = caught.value
    assert error.file == "local.yaml"
    assert isinstance(error, AttunementError)
    return [(p.where, p.field, p.message) for p in error.problems], str(error)


def test_a_minimal_file_loads_and_works():
    words = parse(yaml.safe_dump(minimal()), "local.yaml")

    assert words.detect("she hit me") == (Signal(VIOLENCE, 0, 10),)
    assert words.detect("I want to die") == (Signal(SUICIDE, 2, 13),)
    assert words.detect("you hit me") == ()


def change(**edits):
    data = minimal()
    for path, value in edits.items():
        *parents, last = path.split("__")
        target = data
        for key in parents:
            target = target[key]
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("data", "where", "field", "message"),
    [
        (
            change(concerns__gambling={"patterns": ["bet"]}),
            "concerns",
            "gambling",
            "unknown concern (known: suicide_risk, partner_violence)",
        ),
        (
            change(concerns__suicide_risk={"patterns": ["want to die", "  "]}),
            "concerns.suicide_risk.patterns[1]",
            "pattern",
            "must be non-empty text",
        ),
        (
            change(concerns__suicide_risk={"patterns": ["want to (die"]}),
            "concerns.suicide_risk.patterns[0]",
            "pattern",
            "not a valid regular expression: missing ), unterminated subpattern",
        ),
        (
            change(concerns__suicide_risk={"patterns": ["want to die"], "phrases": []}),
            "concerns.suicide_risk",
            "phrases",
            "unknown field (allowed: patterns)",
        ),
        (
            change(extra=1),
            "",
            "extra",
            "unknown field (allowed: concerns, figures, figures_whole_text_up_to, model_plain_from,"
            " model_plain_min_words, version, words)",
        ),
        (
            change(concerns__partner_violence={"patterns": ["{doers} hit me"]}),
            "concerns.partner_violence.patterns[0]",
            "{doers}",
            "unknown word list (known: doer)",
        ),
        (
            change(concerns__suicide_risk={"patterns": ["(want) to die"]}),
            "concerns.suicide_risk.patterns[0]",
            "pattern",
            "use (?:...) instead of a capturing group",
        ),
        (
            change(concerns__suicide_risk={"patterns": ["(?:die)?"]}),
            "concerns.suicide_risk.patterns[0]",
            "pattern",
            "matches empty text",
        ),
        (
            change(concerns__suicide_risk={"patterns": []}),
            "concerns.suicide_risk",
            "patterns",
            "is required: a non-empty list of patterns",
        ),
        (
            change(words__doer=["he", True]),
            "words.doer[1]",
            "pattern",
            "must be text: quote it",
        ),
        (change(words__Doer=["he"]), "words", "Doer", "a list name is lower case"),
        (change(version=2), "", "version", "must be 1"),
    ],
)
def test_each_problem_is_reported_with_its_place_and_field(data, where, field, message):
    problems, text = problems_in(data)

    assert any(p[:2] == (where, field) and p[2].startswith(message) for p in problems), problems
    assert "is not a valid crisis words file" in text


def test_a_missing_concern_is_reported():
    data = minimal()
    del data["concerns"]["partner_violence"]

    problems, _ = problems_in(data)

    assert problems == [
        ("concerns", "partner_violence", "is required: a mapping with patterns"),
    ]


def test_every_problem_in_a_file_is_reported_at_once():
    data = {
        "version": 1,
        "colour": "blue",
        "words": {"doer": ["he", ""]},
        "concerns": {
            "suicide_risk": {"patterns": ["", "want to (die", "{nobody} cries"]},
            "partner_violence": {"patterns": ["he hit me"], "notes": "x"},
            "gambling": {"patterns": ["bet"]},
        },
    }

    problems, text = problems_in(data)

    assert [p[:2] for p in problems] == [
        ("", "colour"),
        ("words.doer[1]", "pattern"),
        ("concerns.suicide_risk.patterns[0]", "pattern"),
        ("concerns.suicide_risk.patterns[1]", "pattern"),
        ("concerns.suicide_risk.patterns[2]", "{nobody}"),
        ("concerns.partner_violence", "notes"),
        ("concerns", "gambling"),
    ]
    assert "(7 problems)" in text
    assert "local.yaml: concerns.suicide_risk.patterns[2]: {nobody}: unknown word list" in text


def test_a_broken_word_list_is_reported_once_not_again_where_it_is_used():
    data = change(words__doer=["he", "(she"])

    problems, _ = problems_in(data)

    assert [p[:2] for p in problems] == [("words.doer[1]", "pattern")]


def test_a_word_list_may_use_the_lists_above_it_but_not_those_below():
    data = change(words={"doer": ["he"], "deed": ["{doer} hit me"], "early": ["{late}"]})
    data["words"]["late"] = ["x"]

    problems, _ = problems_in(data)

    assert [p[:2] for p in problems] == [("words.early[0]", "{late}")]


def test_patterns_that_cannot_be_joined_are_reported_for_their_concern():
    data = change(concerns__suicide_risk={"patterns": ["want to die", "(?i)hopeless"]})

    problems, _ = problems_in(data)

    assert problems[0][:2] == ("concerns.suicide_risk", "patterns")
    assert "cannot be joined" in problems[0][2]


def test_not_yaml_and_not_a_mapping_are_clear_errors():
    with pytest.raises(CrisisFileError, match=r"yaml: not valid YAML at line 3"):
        parse("version: 1\nconcerns: [unclosed\n", "local.yaml")
    with pytest.raises(CrisisFileError, match="must be a mapping with version, words and"):
        parse("- a list\n", "local.yaml")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CrisisFileError, match=r"missing\.yaml: file: "):
        crisis.load(tmp_path / "missing.yaml")


def test_an_operator_can_point_to_their_own_file(tmp_path, monkeypatch):
    data = minimal()
    data["concerns"]["suicide_risk"]["patterns"] = ["hopeless"]
    local = tmp_path / "local.yaml"
    local.write_text(yaml.safe_dump(data), encoding="utf-8")

    monkeypatch.setenv(crisis.ENVIRONMENT_VARIABLE, str(local))

    assert crisis.crisis_file() == local
    assert crisis.current().file == str(local)
    assert crisis.concerns("i feel hopeless") == {SUICIDE}
    assert crisis.concerns("i want to die") == frozenset()
    monkeypatch.delenv(crisis.ENVIRONMENT_VARIABLE)
    assert crisis.concerns("i want to die") == {SUICIDE}


def test_a_broken_file_named_by_the_environment_fails_loudly(tmp_path, monkeypatch):
    broken = tmp_path / "broken.yaml"
    broken.write_text("version: 1\nconcerns: {}\n", encoding="utf-8")
    monkeypatch.setenv(crisis.ENVIRONMENT_VARIABLE, str(broken))

    with pytest.raises(CrisisFileError, match="concerns: suicide_risk: is required"):
        crisis.current()


# Any text at all, and long ones.

PIECES = [
    "i want to die",
    "he hit me",
    "kill myself",
    "i can\u2019t go on",
    "scared of him",
    " ",
    "\n",
    "'",
    "\u2019",
    "not",
    "he",
    "and",
    "up",
    "é",
    ".",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(PIECES)).map("".join)))
def test_detect_never_raises_and_its_spans_are_in_bounds_and_in_order(text):
    signals = crisis.detect(text)

    for signal in signals:
        assert signal.concern in crisis.CONCERNS
        assert 0 <= signal.start < signal.end <= len(text)
        assert text[signal.start : signal.end].strip() == text[signal.start : signal.end]
    assert list(signals) == sorted(signals, key=lambda s: (s.start, s.end))
    assert crisis.concerns(text) == {s.concern for s in signals}


@pytest.mark.parametrize(
    ("fragment", "letters"),
    [
        ("(?:hit|hits) me", {"h"}),
        ("(?:i'd|i would|id) rather die", {"i"}),
        ("(?:a|the) list", {"a", "t"}),
        ("(?<!\\bit\\s)hit me", {"h"}),
        ("(?:just )?die", {"j", "d"}),
        ("\\w+ hit me", None),
        ("[a-c]x", {"a", "b", "c"}),
    ],
)
def test_each_pattern_is_tried_only_at_words_starting_with_its_letters(fragment, letters):
    from attunement.safety.crisis import _first_letters

    assert _first_letters(fragment) == (None if letters is None else frozenset(letters))


# Figures of speech the shipped model alone would raise help for, each with its concern.
MODEL_FIGURES = [
    ("my mum will kill me if I'm late again", SUICIDE),
    ("I'd rather die than sit on a beach for a week. We settled on a long weekend.", SUICIDE),
    ("my phone died and i nearly died of embarrassment at the checkout", VIOLENCE),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "concern"), MODEL_FIGURES)
def test_a_figure_of_speech_vetoes_the_model_alone(text, concern):
    model = crisis.load_model("crisis")
    assert model is not None
    read = crisis._lowered(text)
    # Without the veto the model would raise this concern: the figure is what keeps it quiet.
    assert any(s.label == concern and s.flagged for s in model.score(read, [], locate=True))
    assert crisis.detect(text) == ()
    assert crisis.concerns_batch([text, text]) == [frozenset(), frozenset()]


@pytest.mark.model
@pytest.mark.parametrize(("text", "concern"), MODEL_FIGURES)
def test_the_same_figure_with_a_real_statement_still_raises_help(text, concern):
    statement = {SUICIDE: "i want to die", VIOLENCE: "he hit me again last night"}[concern]
    assert concern in crisis.concerns(f"{text} {statement}")
    assert concern in crisis.concerns(f"{statement}. {text}")


@pytest.mark.model
@pytest.mark.parametrize("text", ["ok", "ok love", "home soon", "night x", "sorry love"])
def test_one_or_two_words_get_at_most_the_quiet_pointer_from_the_model(text):
    # The shipped model alone scores such a text past its full-help level for self-harm:
    # the file's minimum number of words is what keeps the panel away.
    everything = replace(crisis.current(), model_plain_min_words=1)
    assert SUICIDE in crisis.read(text, everything, crisis.load_model("crisis")).plain
    assert crisis.current().model_plain_min_words == 3
    found = crisis.read(text)
    assert found.plain == frozenset() and SUICIDE in found.quiet
    # A phrase is still said plainly, however short the text.
    assert crisis.read("wanna die").plain == {SUICIDE}


def test_model_plain_min_words_counts_words_not_spaces_or_punctuation():
    words = replace(crisis.current(), model_plain_from=1.0, model_plain_min_words=3)
    for text, plain in (
        ("ok love", False),
        ("ok  love \n x", True),
        ("ok, love", False),
        ("home soon !!", False),  # punctuation and emoji are no words
        ("ok - love \U0001f642", False),
        ("it\u2019s me", False),  # an apostrophe inside a word keeps it one
        ("don't do it", True),
    ):
        (signal,) = crisis._with_model((), text, [(SUICIDE, 0, len(text), 2.0)], words, None)
        assert signal.plain is plain, text


# Statements with a figure of speech in another sentence, which no phrase finds.
FIGURE_ELSEWHERE = [
    "drank a bottle of vodka with every tablet in the cupboard. phone dying. sorry everyone x",
    "she threw a glass at my head at dinner. it missed and hit the wall. everyone laughed it off"
    " but i am shaking",
    "my phone is dead. i cannot do this any more, i have written the letters and i am going to"
    " the bridge tonight",
]


@pytest.mark.model
@pytest.mark.parametrize("text", FIGURE_ELSEWHERE)
def test_a_figure_in_another_sentence_does_not_silence_a_statement(text):
    assert crisis.detect(text, crisis.current(), model=None) == ()  # no phrase: the model's
    assert crisis.current().figures_whole_text_up_to == 0
    anywhere = replace(crisis.current(), figures_whole_text_up_to=300)
    assert crisis.read(text, anywhere, crisis.load_model("crisis")).concerns == frozenset()
    assert crisis.read(text).concerns  # help, at least the quiet pointer


def test_the_model_s_sentence_is_looked_for_only_where_a_figure_could_veto_it():
    words = crisis.current()
    assert words.figures_need_place("my phone is dead. i cannot do this any more")
    assert not words.figures_need_place("i cannot do this any more. i am so tired")
    assert not replace(words, figure_phrases=None).figures_need_place("my phone is dead. ok")


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "honestly im dying for a way out of all of this",
        "dying for the pain to finally stop",
        "im dying to get it over with, i have the pills ready",
        "id rather die than go back to him",
        "i am scared to death of what he will do when he gets home",
        "he is killing me slowly, the way he controls every penny",
    ],
)
def test_dying_for_or_to_something_unnamed_is_no_figure(text):
    # Figures of speech until 2026-12-08 ("dying for a", "rather die than <word>", "scared
    # to death", "he is killing me") silenced these.
    assert crisis.read(text).concerns


@pytest.mark.parametrize(
    "text",
    [
        "dying for a coffee before this meeting",
        "dying to see you tonight",
        "dying for a cup of chai",
    ],
)
def test_dying_for_a_coffee_is_a_figure(text):
    words = crisis.current()
    assert words.figure_in(text, 0, len(text))


def test_a_figure_vetoes_the_whole_text_only_when_it_is_short():
    words = parse(
        "version: 1\nfigures_whole_text_up_to: 40\nfigures: ['dead tired']\n"
        "concerns:\n  suicide_risk: {patterns: ['want to die']}\n"
        "  partner_violence: {patterns: ['hit me']}\n",
        "test",
    )
    short = "dead tired. i give up."
    assert words.figure_in(short, short.index("i give"), len(short))
    long = "dead tired after the night shift again, honestly. i give up on everything."
    assert not words.figure_in(long, long.index("i give"), len(long))
    assert words.figure_in(long, 0, long.index(".") + 1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        *[("figures_whole_text_up_to", value) for value in ("-1", "yes", "'300'")],
        *[("model_plain_from", value) for value in ("0.5", "yes", "'3'", "2000", "-3")],
        *[("model_plain_min_words", value) for value in ("0", "2.5", "yes", "'3'", "101", "null")],
    ],
)
def test_the_file_s_numbers_are_checked(field, value):
    text = (
        f"version: 1\n{field}: {value}\nconcerns:\n"
        "  suicide_risk: {patterns: ['want to die']}\n  partner_violence: {patterns: ['hit me']}\n"
    )
    with pytest.raises(CrisisFileError, match=field):
        parse(text, "test")


# Two ways to offer help: the full help for what a text says plainly, a quiet pointer
# for what only the model raises, faintly (`model_plain_from` times its threshold);
# FAINT and STRONG_MODEL_ONLY are in crisis_samples.py.


def test_a_phrase_is_always_said_plainly():
    for text, concern, _ in POSITIVE:
        found = crisis.read(text, crisis.current(), model=None)
        assert concern in found.plain, text
        assert found.quiet == frozenset()


@pytest.mark.model
def test_the_model_alone_is_plain_only_well_past_its_threshold():
    assert crisis.current().model_plain_from == 5
    assert crisis.detect(STRONG_MODEL_ONLY, crisis.current(), model=None) == ()
    strong = crisis.read(STRONG_MODEL_ONLY)
    assert strong.plain == {SUICIDE}
    faint = crisis.read(FAINT)
    assert faint.concerns == {SUICIDE}  # recall first: help is still offered ...
    assert faint.plain == frozenset() and faint.quiet == {SUICIDE}  # ... quietly
    (signal,) = crisis.detect(FAINT)
    assert signal.plain is False


@pytest.mark.model
def test_how_plain_is_set_by_the_file_not_the_code():
    model = crisis.load_model("crisis")
    everything = replace(crisis.current(), model_plain_from=1.0)
    assert crisis.read(FAINT, everything, model).plain == {SUICIDE}
    nothing_but_phrases = replace(crisis.current(), model_plain_from=1000.0)
    assert crisis.read(STRONG_MODEL_ONLY, nothing_but_phrases, model).plain == frozenset()
    # Which concerns get help at all does not change.
    assert crisis.read(FAINT, nothing_but_phrases, model).concerns == {SUICIDE}


def test_the_shipped_file_reads_model_plain_from_and_a_file_without_it_makes_all_plain():
    assert crisis.load(CRISIS_FILE).model_plain_from == 5.0
    words = parse(
        "version: 1\nconcerns:\n  suicide_risk: {patterns: ['want to die']}\n"
        "  partner_violence: {patterns: ['hit me']}\n",
        "test",
    )
    assert words.model_plain_from == 1.0


def test_quiet_help_names_the_concern_and_its_services_without_the_alarm():
    shown = crisis.quiet_help([SUICIDE])
    assert "Are you safe?" not in shown
    assert "wanting to die or hurting yourself" in shown
    resources = safety.current()
    for entry in resources.groups[SUICIDE].entries:
        assert entry.name in shown
    assert "shown only to you" in shown
    assert crisis.quiet_help([]) == ""
    with pytest.raises(ValueError, match="no crisis help for nonsense"):
        crisis.quiet_help(["nonsense"])
