"""Analyse one message: which patterns it shows, where, and what tone that gives."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from attunement.coach.reframe import reframe_for
from attunement.coach.rules import CONNECTIVE, PROTECTIVE, Rule, Rules, Starting, current
from attunement.textmodel.model import ANY_HEAD, PROTECTIVE_HEAD, LinearModel, Scores, load_model

# A word may hold apostrophes (don't); without them it is a run of \w (dont), so the
# n-th KEY of the text without apostrophes is the n-th WORD of the text itself.
WORD = re.compile(r"\w[\w']*")
KEY = re.compile(r"\w+")
# How far back a clause or a sentence is looked for: enough for any real one, and it
# keeps long texts from costing time in proportion to their length at every match.
LOOK_BACK = 400
# Greedy, then backing off to the last full stop: the start of the sentence at the end.
SENTENCE_START = re.compile(r".*[.!?\n]", re.DOTALL)
SENTENCE_END = re.compile(r"[.!?\n]")
PROTECTIVE_LABELS = frozenset(PROTECTIVE)
CONNECTIVE_LABELS = frozenset(CONNECTIVE)

Match = tuple[Rule, int, int]
_POSITION = itemgetter(1, 2, 0)
# The default for `analyze(model=...)`: the model shipped with the package.
SHIPPED = object()


class Pattern(NamedTuple):
    """One label found in a message: `text[start:end]` is what triggered it."""

    label: str
    start: int
    end: int
    explanation: str

    @property
    def protective(self) -> bool:
        return self.label in PROTECTIVE_LABELS

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "explanation": self.explanation,
        }


class Analysis(NamedTuple):
    """What the coach found in one message (immutable)."""

    text: str
    patterns: tuple[Pattern, ...]
    labels: tuple[str, ...]
    tone: str
    reframe: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "tone": self.tone,
            "patterns": [p.to_dict() for p in self.patterns],
            "reframe": self.reframe,
        }


def analyze(
    text: str, rules: Rules | None = None, model: LinearModel | object | None = SHIPPED
) -> Analysis:
    """The patterns in a message, its tone, and a reframe when it is protective.

    The rules give spans and explanations; the learned model (`attunement.textmodel`,
    shipped as `textmodel/coach.npz`) adds what the rules miss and overrules rules it
    has learned to distrust. Rules passed in explicitly are used alone unless a model
    is passed too; `model=None` means rules only.

    >>> analyze("you never help with the dishes").labels
    ('criticism',)
    """
    return analyze_batch([text], rules, model)[0]


def analyze_batch(
    texts: Sequence[str], rules: Rules | None = None, model: LinearModel | object | None = SHIPPED
) -> list[Analysis]:
    """`analyze` for many messages: the rules message by message, the model over all of
    them at once (one tokenizer call and one matrix product per batch)."""
    if model is SHIPPED:
        model = None if rules is not None else load_model("coach")
    rules = rules or current()
    messages = [_Message(text, rules) for text in texts]
    found = [
        [Pattern(rule.label, start, end, rule.explanation) for rule, start, end in matches]
        for matches in map(rule_matches, messages)
    ]
    if isinstance(model, LinearModel):
        spans = [[(p.label, p.start, p.end) for p in patterns] for patterns in found]
        read = [m.lowered for m in messages]
        if model.sentences:  # where each label came from depends on the sentence
            scored = [_Read.of(s) for s in model.score_batch(read, spans)]
        else:  # read whole: each label came from the whole text
            thresholds = model.thresholds.tolist()
            rows = model.whole(read, spans)
            flags = (rows >= model.thresholds).tolist()
            scored = [
                _Read(row, thresholds, flagged, None)
                for row, flagged in zip(rows.tolist(), flags, strict=True)
            ]
        heads = _Heads.of(model)
        found = [
            _with_model(heads, message, patterns, scores)
            for message, patterns, scores in zip(messages, found, scored, strict=True)
        ]
    return [_analysis(m, patterns) for m, patterns in zip(messages, found, strict=True)]


def _analysis(message: _Message, patterns: list[Pattern]) -> Analysis:
    text, rules = message.text, message.rules
    if not patterns:
        return Analysis(text, (), (), "neutral", None)
    if len(patterns) == 1:
        labels: tuple[str, ...] = (patterns[0].label,)
    else:
        patterns.sort(key=_POSITION)
        labels = tuple(sorted({p.label for p in patterns}))
    tone = tone_of(labels)
    reframe = None
    if tone == "protective" or tone == "mixed":
        reframe = reframe_for(message.lowered, text, labels, rules)
    return Analysis(text, tuple(patterns), labels, tone, reframe)


def rule_matches(message: _Message) -> list[Match]:
    """The rules' matches that count, with sarcasm cancelling what it cancels."""
    found = message.matches()
    for rule, _, _ in found:
        if rule.sarcastic:
            return [m for m in found if m[0].label not in message.rules.suppressed_by_sarcasm]
    return found


class _Read(NamedTuple):
    """The model's scores for one text, its thresholds, whether each label is flagged,
    and where each label came from (None: from the whole text)."""

    scores: list[float]
    thresholds: list[float]
    flags: list[bool]
    spans: list[tuple[int, int]] | None

    @classmethod
    def of(cls, scores: list[Scores]) -> _Read:
        spans = [(s.start, s.end) for s in scores]
        flags = [s.flagged for s in scores]
        return cls([s.score for s in scores], [s.threshold for s in scores], flags, spans)


class _Heads(NamedTuple):
    """A model's columns: its heads, and each label with whether a rule's match counts alone."""

    protective: int | None
    anything: int | None
    labels: tuple[tuple[str, int, bool], ...]  # (label, column, rule counts alone)
    columns: Mapping[str, int]

    @classmethod
    def of(cls, model: LinearModel) -> _Heads:
        columns = {label: n for n, label in enumerate(model.labels)}
        heads = (PROTECTIVE_HEAD, ANY_HEAD)
        # A label's rule_or is looked up by its place among the labels less the heads.
        labels = [(label, columns[label]) for label in model.labels if label not in heads]
        return cls(
            columns.get(PROTECTIVE_HEAD),
            columns.get(ANY_HEAD),
            tuple(
                (label, column, model.rule_or[index])
                for index, (label, column) in enumerate(labels)
            ),
            {label: column for label, column in labels},
        )


def _with_model(
    heads: _Heads, message: _Message, patterns: list[Pattern], read: _Read
) -> list[Pattern]:
    """Rule patterns the model keeps, plus a sentence for each label only the model found.

    When the model has a protective head (is anything here protective at all?), it has
    the last word on that question: a protective label it does not back is dropped, and
    when it is sure something protective is there that no label caught, the likeliest
    protective label is shown.
    """
    flagged = read.flags
    if heads.anything is not None and not flagged[heads.anything]:
        return []  # the model is sure nothing here carries a label: neutral
    ruled = {p.label for p in patterns}
    keep: set[str] = set()
    added: list[Pattern] = []
    for label, column, rule_or in heads.labels:
        if label in ruled:
            if rule_or or flagged[column]:
                keep.add(label)
        elif flagged[column]:
            added.append(_model_pattern(message, label, column, read))
    found = [p for p in patterns if p.label in keep] + added if keep or added else []
    if heads.protective is None:
        return found
    if not flagged[heads.protective]:
        return [p for p in found if not p.protective]
    if not any(p.protective for p in found):
        scores, thresholds, columns = read.scores, read.thresholds, heads.columns
        likeliest = max(
            (label for label in PROTECTIVE_LABELS if label in columns),
            key=lambda label: scores[columns[label]] / max(thresholds[columns[label]], 1e-6),
        )
        found.append(_model_pattern(message, likeliest, columns[likeliest], read))
    return found


def _model_pattern(message: _Message, label: str, column: int, read: _Read) -> Pattern:
    start, end = (0, len(message.lowered)) if read.spans is None else read.spans[column]
    start, end = _trimmed(message.lowered, start, end)
    return Pattern(label, start, end, message.rules.explanations[label])


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence's span without the spaces around it."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tone_of(labels: tuple[str, ...] | list[str]) -> str:
    """`protective`, `connective`, `mixed` (both kinds) or `neutral` (no label)."""
    protective = not PROTECTIVE_LABELS.isdisjoint(labels)
    connective = not CONNECTIVE_LABELS.isdisjoint(labels)
    if protective and connective:
        return "mixed"
    if protective:
        return "protective"
    return "connective" if connective else "neutral"


class _Message:
    """A message prepared once for all rules: lower case, with clause and sentence bounds."""

    def __init__(self, text: str, rules: Rules) -> None:
        self.text = text
        self.rules = rules
        self.lowered = normalise(text)
        self.starts: list[int] = []  # where every word starts, for long messages only

    def word_start(self, n: int) -> int:
        """Where the n-th word (counting from 0) starts."""
        if n < len(_SKIPS):
            return _SKIPS[n].match(self.lowered).end()  # type: ignore[union-attr]
        if not self.starts:
            self.starts = [m.start() for m in WORD.finditer(self.lowered)]
        return self.starts[n]

    def matches(self) -> list[Match]:
        """Every match that counts, without overlaps within a label.

        Each word looks up the rules whose phrases start with it, and each pair of
        words the rules whose phrases start with both; one regex tries them all.
        Words are compared without apostrophes; where each starts is only worked
        out when some rule can start at one of them.
        """
        found: list[Match] = []
        text, index = self.lowered, self.rules.by_word
        if text.isascii():  # \w is [a-z0-9_]: apostrophes go, other characters split words
            keys = text.translate(_KEYS_ASCII).split()
        else:
            keys = KEY.findall(text.replace("'", "")) if "'" in text else KEY.findall(text)
        following: Mapping[str, Starting] | None = None
        for n, key in enumerate(keys):
            if following is not None and (starting := following.get(key)) is not None:
                self.try_rules(starting, self.word_start(n - 1), found)
            entry = index.get(key)
            if entry is None:
                following = None
                continue
            single, following = entry
            if single is not None:
                self.try_rules(single, self.word_start(n), found)
        for rule, regex, hints in self.rules.anywhere:
            if hints is not None and not any(hint in text for hint in hints):
                continue
            for anywhere in regex.finditer(text):
                start, end = anywhere.span()
                if end > start and self.counts(rule, start, end):
                    found.append((rule, start, end))
        return _without_overlaps(found) if len(found) > 1 else found

    def try_rules(self, starting: Starting, start: int, found: list[Match]) -> None:
        match = starting.combined.match(self.lowered, start)
        if match is None or match.lastindex is None:  # the usual case: no rule starts here
            return
        spans = match.regs
        for group, rule in starting.groups:
            end = spans[group][1]
            if end > start and self.counts(rule, start, end):
                found.append((rule, start, end))

    def counts(self, rule: Rule, start: int, end: int) -> bool:
        if rule.negatable and self.negated(start):
            return False
        if rule.unless is not None:
            low, high = self.sentence(start)
            if rule.unless.search(self.lowered, low, high):
                return False
        return True

    def negated(self, start: int) -> bool:
        """A negation word just before the match, or a negating frame earlier in its clause."""
        text, rules = self.lowered, self.rules
        earliest = max(0, start - LOOK_BACK)
        last = rules.clause_start.match(text, earliest, start)  # up to the last break
        clause = last.end() if last else earliest
        words = text[clause:start].split()
        if not words:
            return False
        if not rules.negation_words.isdisjoint(words[-rules.negation_window :]):
            return True
        scope = rules.negation_scope
        return scope is not None and scope.search(text, clause, start) is not None

    def sentence(self, position: int) -> tuple[int, int]:
        """Where the sentence around `position` starts and ends."""
        text = self.lowered
        earliest = max(0, position - LOOK_BACK)
        last = SENTENCE_START.match(text, earliest, position)
        end = SENTENCE_END.search(text, position)
        return last.end() if last else earliest, end.start() if end else len(text)


# Regexes that skip the first n words: far cheaper than finding every word.
_SKIPS = [re.compile(rf"(?:\W*\w[\w']*){{{n}}}\W*") for n in range(64)]


def _without_overlaps(found: list[Match]) -> list[Match]:
    """Per label, the earliest (then longest) of overlapping matches."""
    found.sort(key=lambda m: (m[0].label, m[1], -m[2]))
    kept: list[Match] = []
    for match in found:
        last = kept[-1] if kept else None
        if last is None or last[0].label != match[0].label or match[1] >= last[2]:
            kept.append(match)
    return kept


def mostly_unfamiliar(text: str) -> bool:
    """Whether most of a text is in words the learned models were not trained on (another
    language, mostly): the word list the training command ships with the crisis model
    (`textmodel.model.Familiar`). The coach can say little about such a text; False when
    no such list is shipped.

    >>> mostly_unfamiliar("Amor, ya compré las tortillas, llego a las siete")
    True
    >>> mostly_unfamiliar("can you pick up the kids at seven?")
    False
    """
    model = load_model("crisis")
    familiar = model.familiar if isinstance(model, LinearModel) else None
    return familiar is not None and familiar.unfamiliar(normalise(text))


def unreadable(analysis: Analysis) -> bool:
    """Whether the coach found no pattern in a text it cannot read (`mostly_unfamiliar`):
    "nothing found" would then say little, and the coach says why instead."""
    return not analysis.patterns and mostly_unfamiliar(analysis.text)


def normalise(text: str) -> str:
    """Lower case with straight apostrophes, every character kept at its offset."""
    if not text.isascii() and ("’" in text or "‘" in text or "ʼ" in text):
        text = text.translate(_APOSTROPHES)
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # A few characters grow when lowered (İ); they stay as they are so spans hold.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
_KEYS_ASCII = str.maketrans(
    {chr(c): None if chr(c) == "'" else " " for c in range(128) if not chr(c).isalnum()}
    | {"_": "_"}
)
