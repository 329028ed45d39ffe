"""The coach's rules: read from `rules.yaml`, checked, and compiled once.

The file's format is documented in docs/coach.md. Every problem found is reported
at once, each with the file, the place (a label or a section) and the field.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from attunement.coach.phrases import PLACEHOLDER, PhraseCompiler, WordSearch, regex_first_words
from attunement.coach.reading import RuleReader
from attunement.coach.reframe_spec import ReframeSpec, read_reframe
from attunement.datafiles import yaml_problem
from attunement.errors import DataFileError, Problem

RULES_FILE = Path(__file__).with_name("rules.yaml")
# libyaml's loader when PyYAML has it: the same result, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ENVIRONMENT_VARIABLE = "ATTUNEMENT_COACH_RULES"

PROTECTIVE = (
    "criticism",
    "contempt",
    "defensiveness",
    "withdrawal",
    "control",
    "minimizing",
    "retaliation",
)
CONNECTIVE = ("vulnerability", "accountability", "appreciation")
LABELS = PROTECTIVE + CONNECTIVE

TOP_FIELDS = {"version", "settings", "variants", "words", "negation", "sarcasm", "labels"}
PATTERN_FIELDS = {"phrases", "regex", "negatable", "unless", "explanation"}
# Punctuation that ends a clause; words that do are listed in `settings.clause_words`.
CLAUSE_MARKS = r"[,.!?;:\n()–—]"


class RuleFileError(DataFileError):
    kind = "coach rules file"


@dataclass(frozen=True)
class Compiled:
    """An entry's regex, and its phrases again by the words they can start with."""

    regex: re.Pattern[str]
    starts: Mapping[str, str]
    anywhere: re.Pattern[str] | None
    # The anywhere part can only match where one of these characters occurs (None: always try).
    hints: frozenset[str] | None = None


@dataclass(frozen=True)
class Rule:
    """One entry of a label's `patterns`, and when a match of it does not count."""

    label: str
    compiled: Compiled
    explanation: str
    negatable: bool = True
    unless: WordSearch | None = None
    sarcastic: bool = False


class Starting:
    """Every rule that can start at one word, as one regex: each rule is a lookahead that
    always succeeds, capturing where that rule's match ends, so one `match` tries them all.

    The regex is compiled when first needed: most words of a rules file are never met in
    one run, and compiling them all would make loading slow.
    """

    __slots__ = ("_combined", "_rules", "groups", "source")

    def __init__(self, found: list[tuple[Rule, str]]) -> None:
        self.source = "".join(f"(?=(?P<r{n}>{src})|)" for n, (_, src) in enumerate(found))
        self._combined: re.Pattern[str] | None = None
        self.groups: tuple[tuple[int, Rule], ...] = ()  # group number -> its rule
        self._rules = tuple(rule for rule, _ in found)

    @property
    def combined(self) -> re.Pattern[str]:
        if self._combined is None:
            combined = re.compile(self.source)
            self.groups = tuple(
                (combined.groupindex[f"r{n}"], rule) for n, rule in enumerate(self._rules)
            )
            self._combined = combined
        return self._combined


@dataclass(frozen=True)
class Rules:
    file: str
    explanations: Mapping[str, str]
    # For each word: the rules that can start at it, and by the next word, the rules
    # that can start at the two of them.
    by_word: Mapping[str, tuple[Starting | None, Mapping[str, Starting] | None]]
    # Rules that cannot be looked up by word (a phrase starting with an emoji, say), with
    # the characters one of which the message must hold for them to match (None: try always).
    anywhere: tuple[tuple[Rule, re.Pattern[str], frozenset[str] | None], ...]
    negation_words: frozenset[str]
    negation_window: int
    negation_scope: WordSearch | None
    # Matches from the start of a text up to the last clause break in it: greedy, then
    # backing off to the last punctuation mark or clause word ("but").
    clause_start: re.Pattern[str]
    suppressed_by_sarcasm: frozenset[str]
    reframe: ReframeSpec


def rules_file() -> Path:
    """The file in use: $ATTUNEMENT_COACH_RULES if set, else the one shipped."""
    return Path(os.environ.get(ENVIRONMENT_VARIABLE) or RULES_FILE)


def current() -> Rules:
    """The rules in use, loaded and checked once; see `reset` after changing the file."""
    if _CURRENT:
        return _CURRENT[0]
    _CURRENT.append(load(rules_file()))
    return _CURRENT[0]


def reset() -> None:
    """Forget the loaded rules, so the next `current()` reads the file again."""
    _CURRENT.clear()


# The environment is read on first use only: analysing a message must stay cheap.
_CURRENT: list[Rules] = []


def load(path: str | Path) -> Rules:
    """Load, check and compile a rules file; raise RuleFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuleFileError(str(path), [Problem(str(path), "", "file", str(exc))]) from exc
    return parse(text, str(path))


def parse(text: str, file: str) -> Rules:
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        problem = yaml_problem(file, exc)
        raise RuleFileError(file, [problem]) from exc
    reader = _Reader(file)
    rules = reader.rules(data)
    if reader.problems or rules is None:
        raise RuleFileError(file, reader.problems)
    return rules


class _Reader(RuleReader):
    def rules(self, data: Any) -> Rules | None:
        if not isinstance(data, dict):
            fields = ", ".join(sorted(TOP_FIELDS | {"reframe"}))
            self.problem("", "file", f"must be a mapping with {fields}")
            return None
        self.unknown_fields(data, TOP_FIELDS | {"reframe"}, "")
        if data.get("version") != 1:
            self.problem("", "version", "must be 1")
        settings = self.mapping(data, "settings", "")
        self.unknown_fields(settings, {"gap_words", "negation_window", "clause_words"}, "settings")
        negation = self.mapping(data, "negation", "")
        self.unknown_fields(negation, {"words", "scope"}, "negation")
        negation_words = self.texts(negation, "words", "negation")
        words = self.word_lists(data)
        self.compiler = PhraseCompiler(
            self.number(settings, "gap_words", "settings", 4, 0, 8),
            words,
            self.variants(data),
            negation_words,
        )
        sarcasm_label, suppressed, sarcastic = self.sarcasm(self.mapping(data, "sarcasm", ""))
        labels = self.mapping(data, "labels", "")
        self.unknown_fields(labels, set(LABELS), "labels")
        explanations: dict[str, str] = {}
        rules: list[Rule] = []
        for label in LABELS:
            spec = labels.get(label)
            where = f"label {label!r}"
            if not isinstance(spec, dict):
                self.problem("labels", label, "is required: a mapping with explanation, patterns")
                continue
            self.unknown_fields(spec, {"explanation", "patterns"}, where)
            explanations[label] = self.text(spec, "explanation", where)
            found = self.patterns(spec, label, where, explanations[label])
            if label == sarcasm_label:
                found += sarcastic
            rules += found
        scope = self.texts(negation, "scope", "negation", required=False)
        return Rules(
            file=self.file,
            explanations=explanations,
            by_word=_by_word(rules),
            anywhere=tuple(
                (r, r.compiled.anywhere, r.compiled.hints) for r in rules if r.compiled.anywhere
            ),
            negation_words=frozenset(
                spelling for w in negation_words for spelling in (w, w.replace("'", ""))
            ),
            negation_window=self.number(settings, "negation_window", "settings", 3, 1, 12),
            negation_scope=self.searcher(scope, "negation", "scope") if scope else None,
            clause_start=_clause_start(self.texts(settings, "clause_words", "settings")),
            suppressed_by_sarcasm=frozenset(suppressed),
            reframe=read_reframe(
                self, self.mapping(data, "reframe", ""), PROTECTIVE, words.get("feelings", [])
            ),
        )

    def word_lists(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        lists = data.get("words", {})
        if not isinstance(lists, dict):
            self.problem("", "words", "must map list names to lists of words or phrases")
            return {}
        found = {}
        for name in lists:
            if not isinstance(name, str) or not PLACEHOLDER.fullmatch("{" + name + "}"):
                self.problem("words", str(name), "a list name uses a-z, 0-9 and _")
                continue
            found[name] = [w.lower() for w in self.texts(lists, name, "words")]
        return found

    def variants(self, data: Mapping[str, Any]) -> dict[str, list[str]]:
        spec = data.get("variants", {})
        if not isinstance(spec, dict):
            self.problem("", "variants", "must map a word to its other spellings")
            return {}
        return {str(w).lower(): [v.lower() for v in self.texts(spec, w, "variants")] for w in spec}

    def sarcasm(self, data: Mapping[str, Any]) -> tuple[str, list[str], list[Rule]]:
        self.unknown_fields(data, {"label", "suppresses", "explanation", "patterns"}, "sarcasm")
        label = self.text(data, "label", "sarcasm")
        if label and label not in PROTECTIVE:
            self.problem("sarcasm", "label", f"{label!r} is not a protective label")
        suppresses = self.texts(data, "suppresses", "sarcasm", required=False)
        for name in suppresses:
            if name not in CONNECTIVE:
                self.problem("sarcasm", "suppresses", f"{name!r} is not a connective label")
        explanation = self.text(data, "explanation", "sarcasm")
        return label, suppresses, self.patterns(data, label, "sarcasm", explanation, True)

    def patterns(
        self,
        spec: Mapping[str, Any],
        label: str,
        where: str,
        explanation: str,
        sarcastic: bool = False,
    ) -> list[Rule]:
        entries = spec.get("patterns")
        if not isinstance(entries, list) or not entries:
            self.problem(where, "patterns", "is required: a list of phrases or regex entries")
            return []
        found = []
        for n, entry in enumerate(entries):
            field = f"patterns[{n}]"
            if not isinstance(entry, dict):
                self.problem(where, field, "must be a mapping with phrases or regex")
                continue
            for name in entry:
                if name not in PATTERN_FIELDS:
                    allowed = ", ".join(sorted(PATTERN_FIELDS))
                    self.problem(where, f"{field}.{name}", f"unknown field (allowed: {allowed})")
            compiled = self.entry(entry, where, field)
            unless = self.texts(entry, "unless", where, required=False)
            own = entry.get("explanation")
            if own is not None and (not isinstance(own, str) or not own.strip()):
                self.problem(where, f"{field}.explanation", "must be non-empty text")
            if compiled is None:
                continue
            found.append(
                Rule(
                    label=label,
                    compiled=compiled,
                    explanation=" ".join(own.split()) if isinstance(own, str) else explanation,
                    negatable=self.flag(entry, "negatable", where)
                    if "negatable" in entry
                    else True,
                    unless=self.searcher(unless, where, f"{field}.unless") if unless else None,
                    sarcastic=sarcastic,
                )
            )
        return found

    def combinable(self, source: str, where: str, field: str) -> str | None:
        """A regex, checked to work inside the one regex that tries many rules at a word."""
        expanded = self.regex(source, where, field)
        if expanded is None:
            return None
        try:
            re.compile(f"(?=(?P<r0>{expanded})|)(?=(?P<r1>{expanded})|)")
        except re.error as exc:
            reason = "flags like (?i) and back-references are not supported"
            self.problem(
                where, field, f"{source!r} cannot be combined with others: {reason} ({exc})"
            )
            return None
        return expanded

    def entry(self, entry: Mapping[str, Any], where: str, field: str) -> Compiled | None:
        if ("phrases" in entry) == ("regex" in entry):
            self.problem(where, field, "needs exactly one of phrases or regex")
            return None
        if "phrases" in entry:
            phrases = [p.lower() for p in self.texts(entry, "phrases", where)]
            regex = self.phrases(phrases, where, f"{field}.phrases") if phrases else None
            if regex is None:
                return None
            starts, rest, symbols = self.compiler.by_first_word(phrases)
            anywhere = re.compile("|".join(rest)) if rest else None
            hints = frozenset(s[0] for s in symbols) if all(symbols) else None
            return Compiled(regex, _joined(starts), anywhere, hints)
        sources = self.texts(entry, "regex", where)
        expanded = [self.combinable(source, where, f"{field}.regex") for source in sources]
        if not expanded or any(e is None for e in expanded):
            return None
        by_word: dict[str, list[str]] = {}
        rest = []
        for source in (e for e in expanded if e is not None):
            words = regex_first_words(source)
            if words is None:
                rest.append(source)
            for word in words or ():
                by_word.setdefault(word, []).append(source)
        regex = re.compile("|".join(f"(?:{e})" for e in expanded))
        anywhere = re.compile("|".join(f"(?:{r})" for r in rest)) if rest else None
        return Compiled(regex, _joined(by_word), anywhere)


def _joined(by_word: Mapping[str, list[str]]) -> dict[str, str]:
    return {word: "|".join(f"(?:{s})" for s in sources) for word, sources in by_word.items()}


def _by_word(
    rules: list[Rule],
) -> dict[str, tuple[Starting | None, dict[str, Starting] | None]]:
    """For each word (and pair of words), one regex trying every rule that can start there."""
    grouped: dict[str, list[tuple[Rule, str]]] = {}
    for rule in rules:
        for words, source in rule.compiled.starts.items():
            grouped.setdefault(words, []).append((rule, source))
    single: dict[str, Starting] = {}
    pairs: dict[str, dict[str, Starting]] = {}
    for words, found in grouped.items():
        first, _, second = words.partition(" ")
        if second:
            pairs.setdefault(first, {})[second] = Starting(found)
        else:
            single[first] = Starting(found)
    return {word: (single.get(word), pairs.get(word)) for word in single.keys() | pairs.keys()}


def _clause_start(words: list[str]) -> re.Pattern[str]:
    joined = "|".join(re.escape(w.lower()) for w in words)
    words_part = rf"|(?<![\w'])(?:{joined})(?![\w'])" if joined else ""
    return re.compile(rf".*(?:{CLAUSE_MARKS}{words_part})", re.DOTALL)
