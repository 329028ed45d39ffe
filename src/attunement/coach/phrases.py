"""Phrases as a clinician writes them, turned into regular expressions.

A phrase is words separated by spaces, matched as whole words in lower-cased text:

- an apostrophe is optional (`don't` also matches `dont`);
- a word with spelling variants matches each of them (`you` also matches `u`);
- `{name}` stands for any entry of the word list `name`;
- `...` stands for up to `gap_words` words, never a negation word and never
  across a comma or the end of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
WORD = re.compile(r"[\w']+")
GAP = "..."

Report = Callable[[str], None]


class PhraseCompiler:
    def __init__(
        self,
        gap_words: int,
        words: Mapping[str, Sequence[str]],
        variants: Mapping[str, Sequence[str]],
        negation: Sequence[str],
    ) -> None:
        self.words = words
        self.variants = variants
        cues = "|".join(literal(w) for w in negation) or "(?!)"
        self.gap = rf"(?:\s+(?!(?:{cues})(?![\w']))[^\s.,!?;:]+){{0,{gap_words}}}?"
        self._lists: dict[str, str] = {}

    def phrases(self, phrases: Sequence[str], report: Report) -> re.Pattern[str] | None:
        """One regex for any of the phrases, as whole words; None (reported) if one is wrong."""
        parts = [self.phrase(p, report) for p in phrases]
        if not parts or any(p is None for p in parts):
            return None
        return re.compile(whole_words("|".join(p for p in parts if p)))

    def searcher(self, phrases: Sequence[str], report: Report) -> WordSearch | None:
        """A fast search for any of the phrases as whole words (see WordSearch)."""
        if self.phrases(phrases, report) is None:
            return None
        alternatives = []
        for phrase in phrases:
            tokens = phrase.split()
            for spelling in self.spellings(tokens[0]):
                head = self._words(spelling)  # a literal first, so the engine can skip ahead
                alternatives.append(self.tokens(tokens, _ignore, first=head) or "(?!)")
        return WordSearch(re.compile(f"(?:{'|'.join(alternatives)})(?![\\w'])"))

    def by_first_word(
        self, phrases: Sequence[str]
    ) -> tuple[dict[str, list[str]], list[str], list[str]]:
        """Each phrase's regex under every word it can start with; the rest (starting with a
        symbol, like an emoji) separately, with the symbols. Call after `phrases` checked them."""
        starts: dict[str, list[str]] = {}
        rest: list[str] = []
        symbols: list[str] = []
        for phrase in phrases:
            source = whole_words(self.phrase(phrase, _ignore) or "(?!)")
            keys = self.first_keys(phrase.split())
            if keys is None:
                rest.append(source)
                symbols.append(re.split(r"[\w'\s]", phrase, maxsplit=1)[0])
            for key in keys or ():
                starts.setdefault(key, []).append(source)
        return starts, rest, symbols

    def first_keys(self, tokens: list[str]) -> set[str] | None:
        """Where a phrase can start: its first two words ("you never") when they are plain
        words, else its first word; None if it starts with a symbol."""
        keys = set()
        for spelling in self.spellings(tokens[0]):
            words = spelling.split()
            first = WORD.match(words[0])
            if first is None:
                return None
            if first.end() < len(words[0]):  # "ok," - punctuation may stand before the next word
                second: list[str] | None = None
            elif len(words) > 1:
                second = [words[1]]
            elif len(tokens) > 1 and tokens[1] != GAP:
                second = [s.split()[0] for s in self.spellings(tokens[1])]
            else:
                second = None
            found = [WORD.match(w) for w in second or ()]
            if second is None or not all(found):
                keys.add(key(first.group(0)))
            else:
                keys.update(f"{key(first.group(0))} {key(w.group(0))}" for w in found if w)
        return keys

    def spellings(self, token: str) -> list[str]:
        if token in self.variants:
            return [token, *self.variants[token]]
        if (found := PLACEHOLDER.fullmatch(token)) and found.group(1) in self.words:
            return list(self.words[found.group(1)])
        return [token]

    def phrase(self, phrase: str, report: Report) -> str | None:
        tokens = phrase.split()
        if tokens[0] == GAP or tokens[-1] == GAP:
            report(f"{phrase!r}: '...' must stand between two words")
            return None
        return self.tokens(tokens, report)

    def tokens(self, tokens: list[str], report: Report, first: str | None = None) -> str | None:
        out: list[str] = []
        for n, token in enumerate(tokens):
            if token == GAP:
                out.append(self.gap)
                continue
            piece = first if n == 0 and first is not None else self.token(token, report)
            if piece is None:
                return None
            out.append(("" if not out else r"\s+") + piece)
        return "".join(out)

    def token(self, token: str, report: Report) -> str | None:
        if token in self.variants:
            spellings = [token, *self.variants[token]]
            return "(?:" + "|".join(self._words(s) for s in spellings) + ")"
        return self.expand(token, report, literal)

    def regexes(self, sources: Sequence[str], report: Report) -> re.Pattern[str] | None:
        """One regex for any of the sources, with `{name}` replaced by its word list."""
        parts = [self.regex(s, report) for s in sources]
        if not parts or any(p is None for p in parts):
            return None
        return re.compile("|".join(f"(?:{p})" for p in parts if p))

    def regex(self, source: str, report: Report, *, groups: bool = False) -> str | None:
        expanded = self.expand(source, report, lambda text: text)
        if expanded is None:
            return None
        try:
            compiled = re.compile(expanded)
        except re.error as exc:
            report(f"invalid regular expression {source!r}: {exc}")
            return None
        if compiled.groupindex and not groups:
            report(f"named groups are not allowed in {source!r}")
            return None
        return expanded

    def expand(self, text: str, report: Report, escape: Callable[[str], str]) -> str | None:
        """Replace each `{name}` by its word list and escape the text around it."""
        pieces, last = [], 0
        for found in PLACEHOLDER.finditer(text):
            name = found.group(1)
            if name not in self.words:
                report(f"unknown word list {{{name}}} (known: {', '.join(sorted(self.words))})")
                return None
            pieces += [escape(text[last : found.start()]), self.word_list(name)]
            last = found.end()
        pieces.append(escape(text[last:]))
        return "".join(pieces)

    def word_list(self, name: str) -> str:
        if name not in self._lists:
            self._lists[name] = "(?:" + "|".join(self._words(w) for w in self.words[name]) + ")"
        return self._lists[name]

    def _words(self, text: str) -> str:
        return r"\s+".join(literal(word) for word in text.split())


def literal(text: str) -> str:
    """Text matched as written, except that each apostrophe is optional."""
    return re.escape(text).replace("'", "'?")


def whole_words(source: str) -> str:
    return rf"(?<![\w'])(?:{source})(?![\w'])"


def key(word: str) -> str:
    """How a word is looked up: lower case, apostrophes dropped (`Don't` -> `dont`)."""
    return word.lower().replace("'", "")


def _ignore(message: str) -> None:
    """Problems were reported when the phrases were first checked."""


_ASSERTION = re.compile(r"\\b|\(\?<?[=!](?:[^()\\]|\\.)*\)")
_WORD_IN_REGEX = re.compile(r"((?:[a-z]|'\??)+)")
_SPACE = re.compile(r" |\\s\+?")
_AFTER_WORD = re.compile(r"$|\s|\\[sb]|,|\(\?[=!<]|\(\?:(?: |\\s)|\[[^\]a-z\\]*\]")


def regex_first_words(source: str) -> set[str] | None:
    """Where a regex can start, if it plainly starts with words: its first two words when
    they are plain ("i feel"), else its first word; None when that cannot be told.

    `(?<![\\w'])(?:then|so)\\s+i'?m` -> {"then", "so"}; `i'?m (?:fine|ok)` -> {"im fine",
    "im ok"}; `\\d+ times` -> None.
    """
    rest = source
    while found := _ASSERTION.match(rest):
        rest = rest[found.end() :]
    if not rest.startswith("("):
        return _leading_words(rest)
    alternatives = _group(rest)
    if alternatives is None:
        return None
    keys: set[str] = set()
    for alternative in alternatives:
        words = _leading_words(alternative)
        if words is None:
            return None
        keys |= words
    return keys


def _leading_words(text: str, *, pairs: bool = True) -> set[str] | None:
    """The first word of `text`, or its first two (one per alternative of a following group)."""
    first = _WORD_IN_REGEX.match(text)
    if first is None or not any(c.isalpha() for c in first.group(1)):
        return None
    if not _AFTER_WORD.match(text, first.end()):
        return None
    word = _plain(first.group(1))
    space = _SPACE.match(text, first.end())
    if not pairs or space is None:
        return {word}
    rest = text[space.end() :]
    if rest.startswith("("):
        seconds = [_leading_words(a, pairs=False) for a in _group(rest) or [""]]
    else:
        seconds = [_leading_words(rest, pairs=False)]
    if any(second is None for second in seconds):
        return {word}
    return {f"{word} {second}" for found in seconds if found for second in found}


def _group(text: str) -> list[str] | None:
    """The alternatives of a `(?:...)` group that opens `text` and is neither optional nor
    followed by more of the same word."""
    if not text.startswith("(?:"):
        return None
    close = _closing(text)
    if close is None or text[close + 1 : close + 2] in ("?", "*", "{"):
        return None
    if not _AFTER_WORD.match(text, close + 1):
        return None
    return _top_level_split(text[3:close])


def _plain(word: str) -> str:
    return word.replace("'", "").replace("?", "")


def _structure(text: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth before it) for each character outside escapes and classes."""
    depth, index, in_class = 0, 0, False
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            yield index, char, depth
            depth += {"(": 1, ")": -1}.get(char, 0)
        index += 1


def _closing(text: str) -> int | None:
    """Where the group opened at text[0] closes, skipping escapes and character classes."""
    return next((i for i, char, depth in _structure(text) if char == ")" and depth == 1), None)


def _top_level_split(text: str) -> list[str]:
    parts, start = [], 0
    for index, char, depth in _structure(text):
        if char == "|" and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


class WordSearch:
    """Finds phrases that start at the start of a word.

    The regex has no leading look-behind, so the regex engine can skip ahead to a
    possible first letter; the start of a word is checked here instead.
    """

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = regex

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        end = len(text) if end is None else end
        while (found := self.regex.search(text, start, end)) is not None:
            at = found.start()
            if at == 0 or not _inside_word(text[at - 1]):
                return found
            start = at + 1
        return None


def _inside_word(char: str) -> bool:
    return char.isalnum() or char in "_'"
