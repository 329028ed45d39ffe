"""Turning one answer to a flow's step into the sentence a person would have written.

People answer the way they talk: "Last night you looked at your phone", "The story
I told myself is that you were bored", "i felt lonely", "Could we have a quiet
evening?". Put mechanically after a lead-in, those read "What I noticed was that
Last night ...", "I feel I felt lonely". `sentence` avoids that:

- an answer that already starts the way the step does (its lead-in or one of its
  `stems`, compared word by word whatever the case, punctuation or contraction)
  keeps its own words;
- a question ("Could we ...", "How about ...") stays a question, on its own;
- words the answer repeats from the end of the lead-in are said once
  ("Next time, I will" + "I'll call you" -> "Next time, I'll call you.");
- after a lead-in, the answer's first letter is lowered unless the word is "I",
  an acronym, a day or month, or a name (capitalised elsewhere mid-sentence);
- a standalone "i" becomes "I", and a sentence that starts in lower case gets
  its capital;
- on a feelings step, a list ("hurt. lonely", one per line, "sad/angry") is joined
  into one phrase: "hurt and lonely".

Every word of the answer is kept, in its order; only lead-in words are dropped.
The rules are for English, the only language the flows are written in so far.

>>> sentence("I feel", ("I felt",), "i felt lonely", feelings=True)
'I felt lonely.'
>>> sentence("What I noticed was that", (), "Last night you left")
'What I noticed was that last night you left.'
>>> sentence("What I'd like is", (), "could we walk after dinner")
'Could we walk after dinner?'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

ENDINGS = ".!?…"
TOKEN = re.compile(r"\w+(?:['’]\w+)*")
# Contractions are compared as the words they stand for, so "I'll" meets "I will".
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "i'm": ("i", "am"),
    "i'd": ("i", "would"),
    "i'll": ("i", "will"),
    "i've": ("i", "have"),
    "we'd": ("we", "would"),
    "we'll": ("we", "will"),
    "we're": ("we", "are"),
    "you'd": ("you", "would"),
    "you're": ("you", "are"),
    "it's": ("it", "is"),
    "that's": ("that", "is"),
    "what's": ("what", "is"),
    "there's": ("there", "is"),
    "can't": ("can", "not"),
    "won't": ("will", "not"),
    "doesn't": ("does", "not"),
    "don't": ("do", "not"),
    "didn't": ("did", "not"),
    "couldn't": ("could", "not"),
    "wouldn't": ("would", "not"),
    "isn't": ("is", "not"),
}
AUXILIARIES = {
    "could", "can", "would", "will", "shall", "may", "might", "should", "do", "does", "did",
    "is", "are", "was", "were", "have", "has",
}  # fmt: skip
SUBJECTS = {"i", "you", "we", "us", "it", "there", "this", "that", "they", "he", "she"}
QUESTION_WORDS = {"who", "what", "when", "where", "why", "how", "which"}
QUESTION_PAIRS = {("how", "about"), ("what", "about"), ("what", "if"), ("why", "do")}
CALENDAR = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "april", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "easter",
}  # fmt: skip
I_FORM = re.compile(r"^I(?:['’](?:m|d|ll|ve))?$")
# A lone lower-case "i" (also "i'm", "i'd" ...) in texting style.
LONE_I = re.compile(r"(?<![\w'’.-])i(?=['’](?:m|d|ll|ve)\b|[\s,;:!?)]|\.(?:\s|$)|$)")
# A letter starting a new sentence inside an answer (not after an ellipsis).
NEW_SENTENCE = re.compile(r"(?<![.…])([.!?])(\s+[\"“‘(]?)([a-z])")
# What separates the items of a list of feelings.
# (Commas are not among them: "hurt, lonely" already reads well, and "Honestly, I" is no list.)
LIST_SEPARATOR = re.compile(r"\s*(?:[;\n•·/]|(?<!\.)\.(?!\.)|\s-\s)\s*")
BULLET = re.compile(r"^[-*•·\s]+")
LIST_ITEM_WORDS = 3
OPENING_QUOTE = "\"“‘'("


def sentence(
    lead_in: str,
    stems: Sequence[str],
    raw: str,
    *,
    feelings: bool = False,
    names: Iterable[str] = (),
) -> str:
    """One answer as a sentence (or a few), after the lead-in unless it says so itself.

    `names` are words to keep capitalised after a lead-in (see `names_in`).
    An empty answer gives an empty string.
    """
    text = _joined_list(raw) if feelings else _tidy(raw)
    if not text:
        return ""
    text = _capitals_fixed(text)
    question = _is_question(text)
    if question or any(_starts_with(text, stem) for stem in (lead_in, *stems)):
        return _ended(_capitalised(text), question)
    return _ended(f"{_without_overlap(lead_in, text)} {_lowered(text, set(names))}", False)


def names_in(answers: Iterable[str]) -> set[str]:
    """Words capitalised in the middle of a sentence somewhere: names, to keep as they are."""
    found = set()
    for answer in answers:
        for match in re.finditer(r"(?<=[\w,;:] )([A-Z][a-z]+)\b", _tidy(answer)):
            found.add(match.group(1))
    return found


def words(text: str) -> list[str]:
    """The text's words in lower case, contractions spelt out: what stems are compared on."""
    return [w for token, _ in _tokens(text) for w in token]


def _tokens(text: str) -> list[tuple[tuple[str, ...], int]]:
    """Each word as the words it stands for, with where it starts in the text."""
    found: list[tuple[tuple[str, ...], int]] = []
    for match in TOKEN.finditer(text):
        word = match.group().casefold().replace("’", "'")
        found.append((EXPANSIONS.get(word, (word,)), match.start()))
    return found


def _starts_with(text: str, stem: str) -> bool:
    wanted = words(stem)
    return bool(wanted) and words(text)[: len(wanted)] == wanted


def _without_overlap(lead_in: str, text: str) -> str:
    """The lead-in without its last words when the answer begins with them ("I will" + "I'll")."""
    tokens = _tokens(lead_in)
    own = words(text)
    for cut in range(1, len(tokens)):
        tail = [w for token, _ in tokens[cut:] for w in token]
        if own[: len(tail)] == tail:
            return lead_in[: tokens[cut][1]].rstrip()
    return lead_in


def _is_question(text: str) -> bool:
    first = words(re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0])
    if len(first) < 2:
        return False
    if first[0] in AUXILIARIES and first[1] in SUBJECTS:
        return True
    if (first[0], first[1]) in QUESTION_PAIRS:
        return True
    return first[0] in QUESTION_WORDS and re.split(r"(?<=[.!?])\s", text)[0].endswith("?")


def _capitals_fixed(text: str) -> str:
    text = LONE_I.sub("I", text)
    return NEW_SENTENCE.sub(lambda m: m.group(1) + m.group(2) + m.group(3).upper(), text)


def _capitalised(text: str) -> str:
    for index, char in enumerate(text):
        if char.isalpha():
            return text[:index] + _changed_case(char, char.upper()) + text[index + 1 :]
        if char not in OPENING_QUOTE:
            break
    return text


def _lowered(text: str, names: set[str]) -> str:
    """The first word in lower case, as in the middle of a sentence, unless it is a name."""
    match = re.match(r"[\w'’]+", text)
    if match is None:
        return text  # begins with a quote, a dash or a number: leave it as written
    word = match.group()
    if (
        I_FORM.match(word)
        or not word[0].isupper()
        or any(c.isupper() for c in word[1:])
        or word.casefold() in CALENDAR
        or re.sub(r"['’]s$", "", word) in names
    ):
        return text
    return _changed_case(word[0], word[0].lower()) + text[1:]


def _changed_case(char: str, changed: str) -> str:
    """The letter in its other case, unless that is not one letter that changes back."""
    same = len(changed) == 1 and changed.swapcase() == char
    return changed if same else char


def _joined_list(raw: str) -> str:
    """Short items one per line, or between full stops or slashes, as one phrase: "a, b and c"."""
    items = [_tidy(BULLET.sub("", item)) for item in LIST_SEPARATOR.split(raw)]
    items = [item for item in items if item]
    if len(items) < 2 or any(len(TOKEN.findall(item)) > LIST_ITEM_WORDS for item in items):
        return _tidy(raw)
    items = [items[0], *(_lowered(item, set()) for item in items[1:])]
    if re.match(r"(?:and|or|but)\b", items[-1], re.IGNORECASE):
        return ", ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ended(text: str, question: bool) -> str:
    text = text.rstrip(",;:- ")
    if question and text.endswith(".") and not text.endswith(".."):
        text = text[:-1]  # a question asked with a full stop is still a question
    last = text.rstrip("\"”’')")
    if last and last[-1] in ENDINGS:
        return text
    return text + ("?" if question else ".")


def _tidy(text: str) -> str:
    return " ".join(text.split())
