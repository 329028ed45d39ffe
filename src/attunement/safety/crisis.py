"""Crisis words in what a person writes: a short, private pointer to help when they appear.

When a message draft or a journal entry contains words that suggest the writer may be
thinking of ending their life or hurting themselves (`suicide_risk`), or that a partner
is hurting, threatening, frightening or controlling them (`partner_violence`), the app
can show the writer, and only the writer, where to find help. The phrases are data, in
`crisis.yaml` (format: docs/safety.md); an operator can point to their own copy with
$ATTUNEMENT_CRISIS_WORDS.

This errs toward showing help. A negated phrase ("i'm not going to kill myself") still
counts for `suicide_risk`: people often put it that way when they are not sure, and a
crisis line shown needlessly costs a reader a few seconds, while one missed can cost far
more. What the phrases do avoid, where that is cheap, are everyday figures of speech
("this traffic is killing me", "i could kill for a coffee", "dying to see you", "you hit
the nail on the head", "he hit the gym"): help shown for every joke would soon be help
nobody reads.

It is a list of phrases, in English, and no risk assessment: it misses what is said in
other words and cannot tell how serious anything is. Attunement is not a crisis service.

Speed: each concern is one alternation of bounded patterns, read in time linear in a
text's length (texts run to 20,000 characters). A text is read only by the patterns
whose words it holds, each tried only where one of its first words starts
(`narrowing`: the same matches as the whole alternation). Many texts at once
(`detect_batch`, `concerns_batch`): the model reads them together; `concerns` looks for
the sentence a model-only signal came from only where the figures-of-speech veto needs it.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from attunement.datafiles import ProblemCollector, parse_yaml, read_yaml
from attunement.errors import DataFileError
from attunement.safety.narrowing import Narrowed, Words, first_words, needs, text_words
from attunement.safety.resources import SafetyResources, group_text  # the screens' layout
from attunement.safety.resources import current as current_resources
from attunement.terminal import wrap
from attunement.textmodel.model import WORD, LinearModel, load_model

# The standard library's own regex parser (not a public module, hence imported by
# name), used only to see which letters each pattern can start with; without it (another
# Python), every pattern is tried at every word, as before: slower, the same findings.
try:
    _sre_parse: Callable[[str, int], Any] | None = importlib.import_module("re._parser").parse
except (ImportError, AttributeError):  # pragma: no cover - Python 3.11 to 3.13 have it
    _sre_parse = None
CRISIS_FILE = Path(__file__).with_name("crisis.yaml")
ENVIRONMENT_VARIABLE = "ATTUNEMENT_CRISIS_WORDS"
# The concerns there is help for (resource groups in resources.yaml), in the order help
# for them is shown.
CONCERNS = ("suicide_risk", "partner_violence")
EMERGENCY = "emergency"
VERSION = 1
# The default for `detect(model=...)`: the model shipped with the package.
SHIPPED = object()
TOP_FIELDS = {
    "version",
    "words",
    "concerns",
    "figures",
    "figures_whole_text_up_to",
    "model_plain_from",
    "model_plain_min_words",
}
CONCERN_FIELDS = {"patterns"}
FLAGS = re.IGNORECASE
# Curly apostrophes and primes read as a straight one; each is one character for one,
# so a span in the read text is the same span in the text as written.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
_CURLY = ("\u2019", "\u2018", "\u02bc", "\u2032")
# In a pattern: an escape (kept as it is), a {word list}, an apostrophe, or spaces
# (optional when followed by ?).
_TOKEN = re.compile(r"\\.|\{([A-Za-z_]\w*)\}|'\??| +\??")
_LIST_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_SPACE = r"\s++"
_APOSTROPHE = "'?"


class CrisisFileError(DataFileError):
    kind = "crisis words file"


@dataclass(frozen=True)
class Signal:
    """Crisis words found in a text: `text[start:end]` is the phrase that matched, or
    the sentence the learned model pointed at.

    `plain`: the text says it plainly enough for the full help (a phrase, or the model
    well past its threshold, `CrisisWords.model_plain_from`, in a text of at least
    `CrisisWords.model_plain_min_words` words); otherwise a quiet pointer
    to the same help is enough (see `Reading`).
    """

    concern: str
    start: int
    end: int
    plain: bool = True


@dataclass(frozen=True)
class Reading:
    """What a text raises: `concerns`, the ones to offer help for (every signal counts,
    recall first), and `plain`, those of them said plainly (a phrase, or the model well
    past its threshold in a text of a few words at least: `Signal`), which get the full
    help at once; the others get a quiet pointer to the same help."""

    concerns: frozenset[str]
    plain: frozenset[str]

    @property
    def quiet(self) -> frozenset[str]:
        """The concerns raised only faintly: a pointer to help, not the full panel."""
        return self.concerns - self.plain


@dataclass(frozen=True)
class CrisisWords:
    """The phrases of a crisis words file, one alternation per concern; each text is read
    by it less the phrases whose words the text does not hold (see `narrowing`)."""

    file: str
    phrases: Mapping[str, Narrowed]
    # Figures of speech: a sentence holding one raises nothing from the model alone.
    figure_phrases: Narrowed | None = None
    # A text this long or shorter holding a figure anywhere raises nothing from the model
    # alone; in a longer one, only the sentence the model points at is looked at.
    figures_whole_text_up_to: int = 0
    # A signal from the model alone is plain (the full help) when its probability is at
    # least this many times the concern's threshold; below, a quiet pointer. 1: all plain.
    model_plain_from: float = 1.0
    # ... and the text has at least this many words (`textmodel.model.WORD`, "it's" one):
    # in fewer, the model alone raises only the quiet pointer ("ok", "home soon"). 1: any
    # text.
    model_plain_min_words: int = 1

    @property
    def regexes(self) -> dict[str, re.Pattern[str]]:
        """Each concern's whole alternation, compiled."""
        return {concern: phrases.full for concern, phrases in self.phrases.items()}

    @property
    def figures(self) -> re.Pattern[str] | None:
        return None if self.figure_phrases is None else self.figure_phrases.full

    def figure_in(self, read: str, start: int, end: int, words: Words | None = None) -> bool:
        """Whether a figure of speech vetoes a model-only signal on read[start:end].
        `words`: the words of all of `read` (`narrowing.text_words`), when known."""
        if self.figure_phrases is None:
            return False
        if len(read) <= self.figures_whole_text_up_to:
            return bool(self.figure_phrases.finditer(read, words=words))
        return self.figure_phrases.search(read, start, end) is not None

    def figures_need_place(self, read: str, words: Words | None = None) -> bool:
        """Whether `figure_in` looks at the stretch it is given in `read` (not the whole)
        and could find a figure there: none in the whole text, none in any stretch."""
        return (
            self.figure_phrases is not None
            and len(read) > self.figures_whole_text_up_to
            and bool(self.figure_phrases.finditer(read, words=words))
        )

    def detect(self, text: str) -> tuple[Signal, ...]:
        return self.read(text)[0]

    def read(self, text: str) -> tuple[tuple[Signal, ...], Words | None]:
        """What `detect` finds, and the text's words (for `figure_in`)."""
        read = _straight(text)
        words = text_words(read)
        found = [
            Signal(concern, match.start(), match.end())
            for concern, phrases in self.phrases.items()
            for match in phrases.finditer(read, words=words)
        ]
        if len(found) > 1:
            found.sort(key=lambda s: (s.start, s.end, CONCERNS.index(s.concern)))
        return tuple(found), words


def detect(
    text: str, words: CrisisWords | None = None, model: LinearModel | object | None = SHIPPED
) -> tuple[Signal, ...]:
    """Every crisis phrase in a text, by position; a phrase may count for both concerns.

    Besides the phrases, the learned model (`textmodel/crisis.npz`) reads the text, and
    for a concern no phrase found but the model does, adds the sentence it finds most
    worrying, unless that sentence (or the whole text, when it is no longer than the
    file's `figures_whole_text_up_to`) holds one of the file's `figures` of speech; it never
    removes a phrase's signal (recall first). Words passed in
    explicitly are used alone unless a model is passed too; `model=None`: phrases only.

    >>> detect("some days i want to die")
    (Signal(concern='suicide_risk', start=12, end=23, plain=True),)
    """
    return detect_batch([text], words, model)[0]


def detect_batch(
    texts: Sequence[str],
    words: CrisisWords | None = None,
    model: LinearModel | object | None = SHIPPED,
) -> list[tuple[Signal, ...]]:
    """`detect` for many texts: the phrases text by text, the model over all at once."""
    return _detect_batch(texts, words, model, spans_wanted=True)


def _detect_batch(
    texts: Sequence[str],
    words: CrisisWords | None,
    model: LinearModel | object | None,
    spans_wanted: bool,
) -> list[tuple[Signal, ...]]:
    """`detect_batch`; without `spans_wanted`, a model-only signal's span is the whole
    text unless the figures-of-speech veto needs its sentence (only its concern counts)."""
    if model is SHIPPED:
        model = None if words is not None else load_model("crisis")
    words = words or current()
    if not isinstance(model, LinearModel):
        return [words.detect(text) for text in texts]
    read_by_phrases = [words.read(text) for text in texts]
    found = [signals for signals, _ in read_by_phrases]
    wanted = [n for n, text in enumerate(texts) if text.strip()]
    # The phrases' lower-cased reading where they had one (the same characters).
    reads = [_lowered_as(texts[n], read_by_phrases[n][1]) for n in wanted]
    spans = [[(s.concern, s.start, s.end) for s in found[n]] for n in wanted]
    have = [{s.concern for s in found[n]} for n in wanted]
    locate = [
        spans_wanted or words.figures_need_place(read, read_by_phrases[n][1])
        for n, read in zip(wanted, reads, strict=True)
    ]
    flags = model.flagged(reads, spans, have, locate)
    for n, read, flagged in zip(wanted, reads, flags, strict=True):
        if flagged:
            # `read` is the text as the phrases read it, in lower case: the same words.
            found[n] = _with_model(found[n], read, flagged, words, read_by_phrases[n][1])
    return found


def _lowered_as(text: str, words: Words | None) -> str:
    """`_lowered(text)`, taken from the text's words when it has them."""
    if words is not None and len(words.lowered) == len(text):
        return words.lowered
    return _lowered(text)


def _lowered(text: str) -> str:
    """Lower case with straight apostrophes, every character kept at its offset."""
    straight = _straight(text)
    read = straight.lower()
    if len(read) != len(text):  # a character that grows when lowered: keep offsets true
        read = "".join(c.lower() if len(c.lower()) == 1 else c for c in straight)
    return read


def _straight(text: str) -> str:
    """The text with straight apostrophes (translated only when it has another kind)."""
    if text.isascii() or not any(apostrophe in text for apostrophe in _CURLY):
        return text
    return text.translate(_APOSTROPHES)


def _with_model(
    found: tuple[Signal, ...],
    read: str,
    flagged: list[tuple[str, int, int, float]],
    words: CrisisWords,
    read_words: Words | None,
) -> tuple[Signal, ...]:
    """The phrases' signals and, for each concern only the model flags, the stretch it
    points at (unless a figure of speech there vetoes it), plain when the model's
    probability is `model_plain_from` times its threshold or more, in a text of at least
    `model_plain_min_words` words."""
    extra = []
    fewest = words.model_plain_min_words
    long_enough = fewest <= 1 or len(list(islice(WORD.finditer(read), fewest))) >= fewest
    for concern, start, end, times in flagged:
        if words.figure_in(read, start, end, read_words):
            continue  # a figure of speech the phrases know: the model alone is not enough
        while start < end and read[start].isspace():
            start += 1
        while end > start and read[end - 1].isspace():
            end -= 1
        extra.append(Signal(concern, start, end, long_enough and times >= words.model_plain_from))
    if not extra:
        return found
    return tuple(
        sorted((*found, *extra), key=lambda s: (s.start, s.end, CONCERNS.index(s.concern)))
    )


def concerns(
    text: str, words: CrisisWords | None = None, model: LinearModel | object | None = SHIPPED
) -> frozenset[str]:
    """The concerns a text raises: empty, or some of `suicide_risk` and `partner_violence`."""
    return concerns_batch([text], words, model)[0]


def concerns_batch(
    texts: Sequence[str],
    words: CrisisWords | None = None,
    model: LinearModel | object | None = SHIPPED,
) -> list[frozenset[str]]:
    """`concerns` for many texts at once (the model reads them together)."""
    return [found.concerns for found in read_batch(texts, words, model)]


def read(
    text: str, words: CrisisWords | None = None, model: LinearModel | object | None = SHIPPED
) -> Reading:
    """The concerns a text raises, and which of them it says plainly (`Reading`).

    >>> read("some days i want to die").plain
    frozenset({'suicide_risk'})
    """
    return read_batch([text], words, model)[0]


def read_batch(
    texts: Sequence[str],
    words: CrisisWords | None = None,
    model: LinearModel | object | None = SHIPPED,
) -> list[Reading]:
    """`read` for many texts at once (the model reads them together)."""
    found = _detect_batch(texts, words, model, spans_wanted=False)
    return [
        Reading(
            frozenset(s.concern for s in signals),
            frozenset(s.concern for s in signals if s.plain),
        )
        for signals in found
    ]


def crisis_help(found: Iterable[str], resources: SafetyResources | None = None) -> str:
    """A kind word, then the services for each concern found and the emergency numbers,
    as plain text wrapped for a terminal ("" if none was found).

    It says it is shown only to the writer: show it to no one else, and keep it, and
    the fact that it was shown, out of anything a partner can see.
    """
    shown = _known(found)
    if not shown:
        return ""
    resources = resources or current_resources()
    title = "Are you safe?"
    blocks = [f"{title}\n{'=' * len(title)}"]
    sounds = ", and as if ".join(_SOUNDS_LIKE[concern] for concern in shown)
    blocks.append(wrap(f"Some of what you wrote sounds as if {sounds}. {_REACH_OUT}"))
    blocks += [group_text(resources.groups[name], resources.labels) for name in shown]
    blocks.append(group_text(resources.groups[EMERGENCY], resources.labels))
    blocks.append(wrap(_ONLY_YOU))
    return "\n\n".join(blocks)


def quiet_help(found: Iterable[str], resources: SafetyResources | None = None) -> str:
    """For concerns a text raises only faintly (`Reading.quiet`): a short note and the
    same services, without the alarm of `crisis_help` ("" if none). Only for the writer.
    """
    shown = _known(found)
    if not shown:
        return ""
    resources = resources or current_resources()
    title = "In case it helps"
    about = " or about ".join(_IN_CASE[concern] for concern in shown)
    note = f"If any of this is about {about}: these people are free and confidential."
    blocks = [f"{title}\n{'-' * len(title)}", wrap(note)]
    blocks += [group_text(resources.groups[name], resources.labels) for name in shown]
    blocks.append(wrap(_ONLY_YOU))
    return "\n\n".join(blocks)


def _known(found: Iterable[str]) -> list[str]:
    """The concerns in `found`, in the order of CONCERNS; ValueError for any other."""
    found = set(found)
    unknown = found - set(CONCERNS)
    if unknown:
        raise ValueError(f"no crisis help for {', '.join(sorted(unknown))}")
    return [concern for concern in CONCERNS if concern in found]


_IN_CASE = {
    "suicide_risk": "wanting to die or hurting yourself",
    "partner_violence": "someone hurting, threatening or controlling you",
}
_SOUNDS_LIKE = {
    "suicide_risk": "you might be thinking about ending your life or hurting yourself",
    "partner_violence": "someone may be hurting you, threatening you or making you afraid",
}
_REACH_OUT = (
    "If that is so, you deserve support, and you do not have to face it alone. The people"
    " below are free and confidential, and you can reach them at any hour. If you are in"
    " danger right now, call your emergency number."
)
_ONLY_YOU = (
    "This note is shown only to you. Attunement is not a crisis service, and a few words can be"
    " misread; if we got it wrong, please forgive the interruption."
)


def crisis_file() -> Path:
    """The file in use: $ATTUNEMENT_CRISIS_WORDS if set, else the one shipped."""
    return Path(os.environ.get(ENVIRONMENT_VARIABLE) or CRISIS_FILE)


def current() -> CrisisWords:
    """The crisis words in use, loaded, checked and compiled once per file."""
    return _load_once(crisis_file())


@cache
def _load_once(path: Path) -> CrisisWords:
    return load(path)


def load(path: str | Path) -> CrisisWords:
    """Load, check and compile a crisis words file; raise CrisisFileError listing every
    problem (unknown concern or field, empty pattern, invalid regex, unknown word list)."""
    path = Path(path)
    return _checked(read_yaml(path, CrisisFileError), str(path))


def parse(text: str, file: str) -> CrisisWords:
    return _checked(parse_yaml(text, file, CrisisFileError), file)


def _checked(data: Any, file: str) -> CrisisWords:
    reader = _Reader(file)
    words = reader.crisis_words(data)
    if reader.problems or words is None:
        raise CrisisFileError(file, reader.problems)
    return words


class _Reader(ProblemCollector):
    def crisis_words(self, data: Any) -> CrisisWords | None:
        if not isinstance(data, dict):
            self.problem("", "file", "must be a mapping with version, words and concerns")
            return None
        self.unknown_fields(data, TOP_FIELDS, "")
        if data.get("version") != VERSION:
            self.problem("", "version", f"must be {VERSION}")
        lists = self.word_lists(data.get("words", {}))
        spec = data.get("concerns")
        if not isinstance(spec, dict):
            self.problem("", "concerns", f"is required: a mapping of {', '.join(CONCERNS)}")
            return None
        for missing in (c for c in CONCERNS if c not in spec):
            self.problem("concerns", missing, "is required: a mapping with patterns")
        regexes: dict[str, Narrowed] = {}
        for concern, value in spec.items():
            if concern not in CONCERNS:
                known = ", ".join(CONCERNS)
                self.problem("concerns", str(concern), f"unknown concern (known: {known})")
                continue
            regex = self.concern(value, f"concerns.{concern}", lists)
            if regex is not None:
                regexes[concern] = regex
        figures = None
        if "figures" in data:
            figures = self.concern({"patterns": data["figures"]}, "figures", lists)
        reach = data.get("figures_whole_text_up_to", 0)
        if isinstance(reach, bool) or not isinstance(reach, int) or reach < 0:
            self.problem("", "figures_whole_text_up_to", "must be a whole number of characters")
            reach = 0
        plain_from = data.get("model_plain_from", 1)
        if (
            isinstance(plain_from, bool)
            or not isinstance(plain_from, int | float)
            or not (1 <= plain_from <= 1000)
        ):
            self.problem("", "model_plain_from", "must be a number from 1 to 1000")
            plain_from = 1
        fewest = data.get("model_plain_min_words", 1)
        if isinstance(fewest, bool) or not isinstance(fewest, int) or not (1 <= fewest <= 100):
            self.problem("", "model_plain_min_words", "must be a whole number from 1 to 100")
            fewest = 1
        return CrisisWords(
            self.file,
            {c: regexes[c] for c in CONCERNS if c in regexes},
            figures,
            reach,
            float(plain_from),
            fewest,
        )

    def word_lists(self, data: Any) -> dict[str, str]:
        """Each list as one regex alternation; a list may use the lists above it."""
        if not isinstance(data, dict):
            self.problem("", "words", "must map list names to lists of alternatives")
            return {}
        lists: dict[str, str] = {}
        for name, entries in data.items():
            if not isinstance(name, str) or not _LIST_NAME.fullmatch(name):
                self.problem("words", str(name), "a list name is lower case letters, digits, _")
                continue
            if not isinstance(entries, list) or not entries:
                self.problem("words", name, "must be a non-empty list of alternatives")
                continue
            found = [self.pattern(e, f"words.{name}[{n}]", lists) for n, e in enumerate(entries)]
            if all(found):
                lists[name] = "(?:" + "|".join(found) + ")"
            else:
                lists[name] = "(?!)"  # never matches: reported once, not again at each use
        return lists

    def concern(self, data: Any, where: str, lists: Mapping[str, str]) -> Narrowed | None:
        if not isinstance(data, dict):
            self.problem(where, "patterns", "is required: a mapping with patterns")
            return None
        self.unknown_fields(data, CONCERN_FIELDS, where)
        patterns = data.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            self.problem(where, "patterns", "is required: a non-empty list of patterns")
            return None
        fragments = [
            self.pattern(p, f"{where}.patterns[{n}]", lists) for n, p in enumerate(patterns)
        ]
        if not all(fragments):
            return None
        groups = _letter_groups(fragments)
        try:
            full = _compiled(fragments, groups)
        except re.error as exc:  # e.g. a (?i) flag, valid only at the start of one pattern
            self.problem(where, "patterns", f"cannot be joined into one expression: {exc.msg}")
            return None
        return Narrowed(
            full,
            groups,
            [needs(fragment, FLAGS) for fragment in fragments],
            [first_words(fragment, FLAGS) for fragment in fragments],
            lambda chosen: _compiled(fragments, chosen),
        )

    def pattern(self, data: Any, where: str, lists: Mapping[str, str]) -> str:
        if isinstance(data, int | float) and not isinstance(data, bool):
            data = str(data)
        if isinstance(data, bool):
            self.problem(
                where,
                "pattern",
                "must be text: quote it (YAML reads on, off, yes, no as true/false)",
            )
            return ""
        if not isinstance(data, str) or not data.strip():
            self.problem(where, "pattern", "must be non-empty text")
            return ""
        fragment, unknown = _expand(data.strip(), lists)
        for name in unknown:
            known = ", ".join(sorted(lists)) or "none"
            self.problem(where, f"{{{name}}}", f"unknown word list (known: {known})")
        if unknown:
            return ""
        try:
            regex = re.compile(fragment, FLAGS)
        except re.error as exc:
            self.problem(where, "pattern", f"not a valid regular expression: {exc.msg}: {data!r}")
            return ""
        if regex.groups:
            self.problem(where, "pattern", f"use (?:...) instead of a capturing group: {data!r}")
            return ""
        if regex.match(""):
            self.problem(where, "pattern", f"matches empty text; it must need a word: {data!r}")
            return ""
        return fragment


def _compiled(fragments: list[str], groups: Sequence[tuple[str, Sequence[int]]]) -> re.Pattern[str]:
    """The fragments as one alternation, whole words only: a phrase never starts or ends
    inside a word. (?=\\w) first: only the start of a word is worth trying at; there, only
    the patterns that can start with its first letter are tried (see _letter_groups)."""
    return re.compile(r"(?<!\w)(?=\w)(?:" + _alternation(fragments, groups) + r")(?!\w)", FLAGS)


def _letter_groups(fragments: list[str]) -> list[tuple[str, list[int]]]:
    """The fragments (by their place) grouped by the letters each can start with.

    Python's regex engine tries every branch of an alternation in turn at each word
    start; with a hundred patterns that is most of the time spent reading a text. Each
    group is guarded by a lookahead for its letters (see _alternation), so at a word
    start only a few branches are tried. The matches are the same (each branch is still
    tried in its order within a group, and a text's matches are collected from all of
    them).
    """
    groups: dict[str, list[int]] = {}
    for n, fragment in enumerate(fragments):
        letters = _first_letters(fragment)
        key = "".join(sorted(letters)) if letters is not None else ""
        groups.setdefault(key, []).append(n)
    return list(groups.items())


def _alternation(fragments: list[str], groups: Sequence[tuple[str, Sequence[int]]]) -> str:
    branches = []
    for key, members in groups:
        alternation = "|".join(fragments[n] for n in members)
        if key:
            branches.append(f"(?=[{re.escape(key)}])(?:{alternation})")
        else:
            branches.append(f"(?:{alternation})")
    return "|".join(branches)


def _first_letters(fragment: str) -> frozenset[str] | None:
    """The lower-case characters a fragment's match can start with; None if any."""
    if _sre_parse is None:  # pragma: no cover - see _sre_parse
        return None
    try:
        parsed = _sre_parse(fragment, FLAGS)
    except (re.error, TypeError, ValueError):  # pragma: no cover - checked before
        return None
    return _first_of(list(parsed))


def _first_of(items: list[Any]) -> frozenset[str] | None:
    found: set[str] = set()
    for op, value in items:
        name = str(op)
        if name == "LITERAL":
            return frozenset(found | {chr(value).lower()})
        if name == "IN":
            letters = _set_letters(value)
            return None if letters is None else frozenset(found | letters)
        if name == "BRANCH":
            for branch in value[1]:
                first = _first_of(list(branch))
                if first is None:
                    return None
                found |= first
            if any(_can_be_empty(list(branch)) for branch in value[1]):
                continue
            return frozenset(found)
        if name == "SUBPATTERN":
            inner = list(value[-1])
            first = _first_of(inner)
            if first is None:
                return None
            found |= first
            if _can_be_empty(inner):
                continue
            return frozenset(found)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, inner = value
            first = _first_of(list(inner))
            if first is None:
                return None
            found |= first
            if low == 0 or _can_be_empty(list(inner)):
                continue
            return frozenset(found)
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # takes no characters: what follows starts the match
        return None
    return None  # could be empty: no guard


def _set_letters(value: list[Any]) -> set[str] | None:
    letters: set[str] = set()
    for op, item in value:
        name = str(op)
        if name == "LITERAL":
            letters.add(chr(item).lower())
        elif name == "RANGE" and item[1] - item[0] < 64:
            letters |= {chr(c).lower() for c in range(item[0], item[1] + 1)}
        else:
            return None
    return letters


def _can_be_empty(items: list[Any]) -> bool:
    return all(
        str(op) in ("ASSERT", "ASSERT_NOT", "AT")
        or (str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and value[0] == 0)
        or (str(op) == "SUBPATTERN" and _can_be_empty(list(value[-1])))
        or (str(op) == "BRANCH" and any(_can_be_empty(list(b)) for b in value[1]))
        for op, value in items
    )


def _expand(pattern: str, lists: Mapping[str, str]) -> tuple[str, list[str]]:
    """A pattern as a regex: word lists filled in, apostrophes optional, any spacing."""
    unknown: list[str] = []

    def token(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.startswith("\\"):
            return found
        if name := match.group(1):
            if name not in lists:
                unknown.append(name)
                return ""
            return lists[name]
        if found.startswith("'"):
            return _APOSTROPHE
        return r"\s*+" if found.endswith("?") else _SPACE  # "no ?one": noone, no one

    return _TOKEN.sub(token, pattern), unknown
