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

Speed: each concern is one compiled alternation of bounded patterns, so a text is read
once per concern, in time linear in its length (texts run to 20,000 characters).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from attunement.datafiles import ProblemCollector, parse_yaml, read_yaml
from attunement.errors import DataFileError
from attunement.safety.resources import SafetyResources, group_text  # the screens' layout
from attunement.safety.resources import current as current_resources
from attunement.terminal import wrap
from attunement.textmodel.model import LinearModel, load_model

CRISIS_FILE = Path(__file__).with_name("crisis.yaml")
ENVIRONMENT_VARIABLE = "ATTUNEMENT_CRISIS_WORDS"
# The concerns there is help for (resource groups in resources.yaml), in the order help
# for them is shown.
CONCERNS = ("suicide_risk", "partner_violence")
EMERGENCY = "emergency"
VERSION = 1
# The default for `detect(model=...)`: the model shipped with the package.
SHIPPED = object()
TOP_FIELDS = {"version", "words", "concerns", "figures"}
CONCERN_FIELDS = {"patterns"}
FLAGS = re.IGNORECASE
# Curly apostrophes and primes read as a straight one; each is one character for one,
# so a span in the read text is the same span in the text as written.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})
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
    """Crisis words found in a text: `text[start:end]` is the phrase that matched."""

    concern: str
    start: int
    end: int


@dataclass(frozen=True)
class CrisisWords:
    """The phrases of a crisis words file, one compiled regex per concern."""

    file: str
    regexes: Mapping[str, re.Pattern[str]]
    # Figures of speech: a sentence holding one raises nothing from the model alone.
    figures: re.Pattern[str] | None = None

    def detect(self, text: str) -> tuple[Signal, ...]:
        read = text.translate(_APOSTROPHES)
        found = [
            Signal(concern, match.start(), match.end())
            for concern, regex in self.regexes.items()
            for match in regex.finditer(read)
        ]
        return tuple(sorted(found, key=lambda s: (s.start, s.end, CONCERNS.index(s.concern))))


def detect(
    text: str, words: CrisisWords | None = None, model: LinearModel | object | None = SHIPPED
) -> tuple[Signal, ...]:
    """Every crisis phrase in a text, by position; a phrase may count for both concerns.

    Besides the phrases, the learned model (`textmodel/crisis.npz`) reads the text and
    each of its sentences, and adds the sentence it finds most worrying for a concern no
    phrase found, unless that sentence holds one of the file's `figures` of speech; it
    never removes a phrase's signal (recall first). Words passed in
    explicitly are used alone unless a model is passed too; `model=None`: phrases only.

    >>> detect("some days i want to die")
    (Signal(concern='suicide_risk', start=12, end=23),)
    """
    if model is SHIPPED:
        model = None if words is not None else load_model("crisis")
    words = words or current()
    found = words.detect(text)
    if not isinstance(model, LinearModel) or not text.strip():
        return found
    read = text.translate(_APOSTROPHES).lower()
    if len(read) != len(text):  # a character that grows when lowered: keep offsets true
        read = "".join(
            c.lower() if len(c.lower()) == 1 else c for c in text.translate(_APOSTROPHES)
        )
    have = {signal.concern for signal in found}
    spans = [(signal.concern, signal.start, signal.end) for signal in found]
    extra = []
    for scored in model.score(read, spans):
        if scored.flagged and scored.label not in have:
            start, end = scored.start, scored.end
            if words.figures is not None and words.figures.search(read, start, end):
                continue  # a figure of speech the phrases know: the model alone is not enough
            while start < end and read[start].isspace():
                start += 1
            while end > start and read[end - 1].isspace():
                end -= 1
            extra.append(Signal(scored.label, start, end))
    if not extra:
        return found
    return tuple(
        sorted((*found, *extra), key=lambda s: (s.start, s.end, CONCERNS.index(s.concern)))
    )


def concerns(
    text: str, words: CrisisWords | None = None, model: LinearModel | object | None = SHIPPED
) -> frozenset[str]:
    """The concerns a text raises: empty, or some of `suicide_risk` and `partner_violence`."""
    return frozenset(signal.concern for signal in detect(text, words, model))


def crisis_help(found: Iterable[str], resources: SafetyResources | None = None) -> str:
    """A kind word, then the services for each concern found and the emergency numbers,
    as plain text wrapped for a terminal ("" if none was found).

    It says it is shown only to the writer: show it to no one else, and keep it, and
    the fact that it was shown, out of anything a partner can see.
    """
    found = set(found)
    unknown = found - set(CONCERNS)
    if unknown:
        raise ValueError(f"no crisis help for {', '.join(sorted(unknown))}")
    shown = [concern for concern in CONCERNS if concern in found]
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
        regexes: dict[str, re.Pattern[str]] = {}
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
        return CrisisWords(self.file, {c: regexes[c] for c in CONCERNS if c in regexes}, figures)

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

    def concern(self, data: Any, where: str, lists: Mapping[str, str]) -> re.Pattern[str] | None:
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
        # One alternation, whole words only: a phrase never starts or ends inside a word.
        # (?=\w) first: only the start of a word is worth trying every pattern at.
        joined = r"(?<!\w)(?=\w)(?:" + "|".join(fragments) + r")(?!\w)"
        try:
            return re.compile(joined, FLAGS)
        except re.error as exc:  # e.g. a (?i) flag, valid only at the start of one pattern
            self.problem(where, "patterns", f"cannot be joined into one expression: {exc.msg}")
            return None

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
