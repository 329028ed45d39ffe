"""Crisis phrases read through `narrowing`: the same matches as the whole alternations."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attunement.safety import crisis
from attunement.safety.narrowing import LIKE_ASCII, first_words, needs, text_words
from attunement.textmodel.corpus import records
from attunement.textmodel.features import sentences

FLAGS = re.IGNORECASE


@pytest.fixture(scope="module")
def words():
    return crisis.current()


def spans(matches):
    return [m.span() for m in matches]


def alternations(words):
    return [*words.phrases.values(), words.figure_phrases]


def test_every_corpus_text_gets_the_matches_of_the_whole_alternations(words):
    for record in records():
        for read in (record.text.translate(crisis._APOSTROPHES), crisis._lowered(record.text)):
            for phrases in alternations(words):
                assert spans(phrases.finditer(read)) == spans(phrases.full.finditer(read)), read
                for start, end in sentences(read):  # a stretch, as the figures veto reads it
                    found = phrases.search(read, start, end)
                    expected = phrases.full.search(read, start, end)
                    assert (found and found.span()) == (expected and expected.span()), read


# Words the patterns use, and some they do not, in any case, with the characters between
# words that matter to them.
WORDS = sorted(
    {w for w in re.findall(r"[a-z]+", crisis.CRISIS_FILE.read_text().lower()) if len(w) > 1}
    | {"i", "u", "him", "again", "it", "hey", "\u0130", "caf\u00e9", "fianc\u00e9", "\u212aill"}
)
TEXTS = st.lists(
    st.tuples(
        st.sampled_from(WORDS),
        st.sampled_from(["", "upper", "title"]),
        st.sampled_from([" ", " ", " ", "  ", ", ", ". ", "'", "\n", "-", " \U0001f644 "]),
    ),
    max_size=30,
).map(
    lambda parts: "".join(
        (w.upper() if case == "upper" else w.title() if case == "title" else w) + gap
        for w, case, gap in parts
    )
)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_any_text_of_the_patterns_words_gets_the_same_matches(words, text):
    for phrases in alternations(words):
        assert spans(phrases.finditer(text)) == spans(phrases.full.finditer(text))
        assert spans(phrases.finditer(text, 3, len(text) - 2)) == spans(
            phrases.full.finditer(text, 3, len(text) - 2)
        )


def test_a_pattern_needs_its_own_words_and_starts_with_its_first_ones():
    assert frozenset({"hit", "hits"}) in needs(r"(?:hit|hits)\s++me", FLAGS)
    assert first_words(r"(?:hit|hits)\s++me", FLAGS) == {"hit", "hits"}
    # An apostrophe breaks a word: "can't" is "can" and "t", or "cant".
    assert first_words(r"can'?t\s++go", FLAGS) == {"can", "cant"}
    assert needs(r"\w+\s++\w+", FLAGS) == ()
    assert first_words(r"\w+\s++me", FLAGS) is None
    # A word that may run on into what follows is no first word.
    assert first_words(r"self(?:ish)?[\w]*", FLAGS) is None


def test_a_text_is_read_whole_only_with_a_character_ignorecase_takes_for_ascii():
    assert text_words("he hit me") is not None
    assert text_words("he hit me \U0001f644 \u2014 again") is not None  # not word characters
    # Words outside ASCII are words: they meet no need, and split no ASCII word.
    assert text_words("caf\u00e9 HIT me").words == {"caf\u00e9", "hit", "me"}
    assert text_words("Ya no puedo m\u00c1s, \u017cona").words == {
        "ya", "no", "puedo", "m\u00e1s", "\u017cona"
    }  # fmt: skip
    for char in LIKE_ASCII:  # "\u212aill" (the Kelvin sign) matches "kill" under IGNORECASE
        assert text_words(f"he {char} hit me") is None
    assert text_words("\u0130stanbul") is None


def test_lower_case_tells_what_ignorecase_matches_for_ascii_words():
    # What narrowing relies on: lower() never makes a word character of another
    # character or the reverse, no space is a word character, and IGNORECASE matches no
    # character outside ASCII to an ASCII character unless it is a word character.
    word = re.compile(r"\w")
    ascii_any_case = re.compile(r"[a-z0-9_ !-/:-@\[-`{-~]", FLAGS)
    ascii_word = re.compile(r"[a-z0-9_]", FLAGS)
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lowered = char.lower()
        is_word = word.match(char) is not None
        if len(lowered) == 1:
            assert is_word == (word.match(lowered) is not None), hex(code)
        if char.isspace():
            assert not is_word, hex(code)
        if code > 127 and not is_word:
            assert not ascii_any_case.match(char), hex(code)
        # The characters outside ASCII that IGNORECASE takes for ASCII word characters.
        assert (code > 127 and ascii_word.match(char) is not None) == (char in LIKE_ASCII)
