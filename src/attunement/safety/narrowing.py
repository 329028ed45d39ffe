"""Which words a crisis pattern needs, so that a text is read only by patterns it can match.

A concern's patterns are one alternation (see `crisis._letter_groups`), and Python's
regex engine tries every pattern that can start with a letter at every word starting
with it. Most patterns need a word of their own somewhere ("overdose", "bruises",
"threatened"), and most texts hold none of those words. Each pattern's needs, and the
words it can start with, are worked out once from its parsed form. A text is then read
only by the patterns whose needs its words meet, each tried only where one of its first
words starts, in the alternation's order (`Narrowed`). A pattern that cannot match
anywhere in a text changes nothing about what the alternation finds in it, so the
matches are the same.

A need is a set of words, one of which the text must hold as a whole word: a maximal run
of `\\w` characters, compared in lower case. The needs are ASCII words, and for them
that comparison is the one the patterns' IGNORECASE makes, but for four characters
outside ASCII that it matches to an ASCII letter (`LIKE_ASCII`): a text holding one of
those, or one whose lower case is longer than itself, is read by the whole alternation,
and so is a pattern whose first words could not be told. Other words outside ASCII
("está", "żona") are words like any other: they meet no need.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from operator import methodcaller
from typing import Any, NamedTuple

# The standard library's regex parser and its constants (not public modules, hence
# imported by name); without them, every text is read by every pattern, as before.
try:
    _parser: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - Python 3.11 to 3.13 have them
    _parser = _c = None

# A pattern's strings are worked out while there are at most this many.
MOST_STRINGS = 256
# How often a word may be met in any text: these are so common that needing one of them
# narrows little, so another need of the pattern is preferred.
_COMMON_WORDS = """a about after again all also am an and any are as at back be because been before
    being but by can could did do does done dont down even ever every for from get gets
    go going gonna got had has have he her here him his how i if im in into is it its
    just know like make me more much my never no not now of off on one only or other our
    out over really said say see she so some still than that the them then there they
    thing think this time to too u up us want wanna was way we well went were what when
    where which who why will with would you your
    didn doesn don isn wasn won couldn wouldn shouldn aren weren can cant ll ve re"""
COMMON = frozenset(_COMMON_WORDS.split())
_WORD = re.compile(r"\w")
_START = methodcaller("start")


class _Anything(frozenset[str]):
    """Meets every need: shares a word with any set of words, even an empty one."""

    def isdisjoint(self, other: Iterable[object]) -> bool:
        return False


_ANY = _Anything()
_WORDS = re.compile(r"\w+")
_SPLIT_ASCII = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)
_BREAK = " "  # stands for any character that is not a word character


Need = frozenset[str]
# The characters outside ASCII that IGNORECASE matches to an ASCII word character
# ("\u0130" and "\u0131" to i, "\u017f" to s, the Kelvin sign to k), checked over every
# character in tests/test_crisis_narrowing.py.
LIKE_ASCII = frozenset("\u0130\u0131\u017f\u212a")


class Words(NamedTuple):
    """A text in lower case (each character at its place), and the words of a stretch."""

    lowered: str
    words: frozenset[str]


def text_words(text: str, start: int = 0, end: int | None = None) -> Words | None:
    """The words of text[start:end] in lower case; None if the text holds a character
    outside ASCII that IGNORECASE matches to an ASCII letter (`LIKE_ASCII`), or one that
    lower case makes two."""
    end = len(text) if end is None else end
    lowered = text.lower()
    if text.isascii():  # \w is [a-z0-9_]: every other character splits words
        return Words(lowered, frozenset(lowered[start:end].translate(_SPLIT_ASCII).split()))
    if len(lowered) != len(text) or not LIKE_ASCII.isdisjoint(text):
        return None
    # One character for one: lower() keeps word characters word characters (tested).
    return Words(lowered, frozenset(_WORDS.findall(lowered, start, end)))


def needs(fragment: str, flags: int) -> tuple[Need, ...]:
    """Sets of words a match of `fragment` must hold one of each (at most two, the
    rarest); empty if none could be told. The fragment is matched as a whole-word
    alternative: never starting or ending inside a word."""
    if _parser is None:  # pragma: no cover - see _parser
        return ()
    found = _Needs().sequence(list(_parser.parse(fragment, flags)), True, True)
    return tuple(sorted(found, key=_cost)[:2])


def first_words(fragment: str, flags: int) -> Need | None:
    """The words a match of `fragment` can start with (None if they could not be told)."""
    if _parser is None:  # pragma: no cover - see _parser
        return None
    return _Needs().first(list(_parser.parse(fragment, flags)), True)


class Narrowed:
    """An alternation of fragments, read as the whole alternation would read it but only
    with the fragments a text can match, each tried only where it can start.

    Where one of those fragments can start (at one of its first words), from the left,
    they are tried in the alternation's order, and the first that matches there is the
    match, as in the alternation; reading goes on after it.
    """

    def __init__(
        self,
        full: re.Pattern[str],
        groups: Sequence[tuple[str, Sequence[int]]],
        needs: Sequence[tuple[Need, ...]],
        firsts: Sequence[Need | None],
        compile_groups: Callable[[list[tuple[str, list[int]]]], re.Pattern[str]],
    ) -> None:
        self.full = full
        self.compile_groups = compile_groups
        self.key = {n: key for key, members in groups for n in members}
        self.rank = {n: rank for rank, n in enumerate(n for _, members in groups for n in members)}
        self.needs = needs
        self.firsts = firsts
        self.always = frozenset(n for n, need in enumerate(needs) if not need)
        self.by_word: dict[str, list[int]] = {}  # word -> fragments whose first need has it
        for n, need in enumerate(needs):
            for word in need[0] if need else ():
                self.by_word.setdefault(word, []).append(n)
        self._words: dict[str, re.Pattern[str]] = {}
        self.indexed = frozenset(self.by_word)
        # A second need (a text's words always meet the second need of one with none).
        self.also = [need[1] if len(need) > 1 else _ANY for need in needs]
        self.unknown_first = frozenset(n for n, first in enumerate(firsts) if first is None)
        self._alone: dict[int, re.Pattern[str]] = {}

    def chosen(self, words: frozenset[str]) -> set[int]:
        """The fragments whose needs these words meet."""
        hits = words & self.indexed
        if not hits and not self.always:
            return set()
        wanted = set(self.always)
        by_word = self.by_word
        for word in hits:
            wanted.update(by_word[word])
        also = self.also
        return {n for n in wanted if not also[n].isdisjoint(words)}

    def finditer(
        self, text: str, start: int = 0, end: int | None = None, words: Words | None = None
    ) -> list[re.Match[str]]:
        """What `full.finditer(text, start, end)` finds; `words`: `text_words(text, start,
        end)`, when the caller has them."""
        end = len(text) if end is None else end
        read = words or text_words(text, start, end)
        if read is None:
            return list(self.full.finditer(text, start, end))
        chosen = self.chosen(read.words)
        if not chosen:
            return []
        if not self.unknown_first.isdisjoint(chosen):
            return list(self.full.finditer(text, start, end))
        tries: list[tuple[int, int, int]] = []  # (where, rank, fragment)
        lowered, rank, firsts = read.lowered, self.rank, self.firsts
        places: dict[str, list[int]] = {}  # where each first word starts a word
        for n in chosen:
            for word in read.words & firsts[n]:  # type: ignore[operator]
                found = places.get(word)
                if found is None:
                    found = places[word] = [
                        at
                        for at in map(_START, self.word(word).finditer(lowered, start, end))
                        if not at or not _inside_word(lowered[at - 1])
                    ]
                tries += [(at, rank[n], n) for at in found]
        tries.sort()
        matches: list[re.Match[str]] = []
        after = start
        for at, _, n in tries:  # from the left; at one place, in the alternation's order
            if at >= after and (match := self.alone(n).match(text, at, end)) is not None:
                matches.append(match)
                after = match.end()
        return matches

    def search(self, text: str, start: int, end: int) -> re.Match[str] | None:
        """What `full.search(text, start, end)` finds."""
        found = self.finditer(text, start, end)
        return found[0] if found else None

    def word(self, word: str) -> re.Pattern[str]:
        """A word, found where it ends a word (a literal first, so the engine skips ahead;
        the caller checks that it starts one)."""
        regex = self._words.get(word)
        if regex is None:
            regex = self._words[word] = re.compile(re.escape(word) + r"(?!\w)")
        return regex

    def alone(self, n: int) -> re.Pattern[str]:
        """The alternation of fragment n alone."""
        regex = self._alone.get(n)
        if regex is None:
            regex = self._alone[n] = self.compile_groups([(self.key[n], [n])])
        return regex


def _cost(need: Need) -> tuple[float, int]:
    """How likely a text is to meet a need, roughly: common words count most, then short."""
    return sum(1.0 if w in COMMON or len(w) < 3 else 0.1 / len(w) for w in need), len(need)


class _Needs:
    """Needs worked out from a parsed pattern. Every string a part can match is spelled with
    its word characters in lower case and any other character as `_BREAK`."""

    def __init__(self) -> None:
        self._items: dict[tuple[Any, int], tuple[Any, set[str] | None]] = {}

    def sequence(self, items: list[Any], left: bool, right: bool) -> list[Need]:
        """Needs of a sequence; `left` and `right`: whether the sequence is sure to be
        bounded by a non-word character (or the text's edge) on that side."""
        strings = self.strings(items)
        whole = _need(strings, left, right) if strings is not None else None
        found: list[Need] = [whole] if whole is not None else []
        blocks = self.blocks(items)
        if len(blocks) < 2 and strings is not None:
            return found
        edges = [self.edges(block) for block in blocks]
        for n, block in enumerate(blocks):
            before = _bounded((edges[j][0], edges[j][2]) for j in range(n - 1, -1, -1))
            after = _bounded((edges[j][0], edges[j][1]) for j in range(n + 1, len(blocks)))
            bounded_left = left if before is None else before
            bounded_right = right if after is None else after
            found += self.block(block, bounded_left, bounded_right)
        return found

    def first(self, items: list[Any], right: bool) -> Need | None:
        """The words a sequence can start with, as whole words (None: not told)."""
        blocks = self.blocks(items)
        if not blocks:
            return None
        edges = [self.edges(block) for block in blocks]
        after = _bounded((edges[j][0], edges[j][1]) for j in range(1, len(blocks)))
        bounded_right = right if after is None else after
        block = blocks[0]
        strings = self.strings(block)
        if strings is None:
            op, av = block[0]
            if op is _c.SUBPATTERN and not av[1] and not av[2]:
                return self.first([*av[3], *items[1:]], right) if len(block) == 1 else None
            if op is _c.BRANCH and len(block) == 1:
                found: set[str] = set()
                for alternative in av[1]:
                    one = self.first([*alternative, *items[1:]], right)
                    if one is None:
                        return None
                    found |= one
                return frozenset(found)
            return None
        words = set()
        for string in strings:
            if not string or string[0] == _BREAK:
                if not string:
                    return None  # the first word may come later
                continue  # cannot match at the start of a word
            word = string.split(_BREAK, 1)[0]
            if word == string and not bounded_right:
                return None  # the word may go on past the block
            words.add(word)
        return frozenset(words)

    def blocks(self, items: list[Any]) -> list[list[Any]]:
        """Consecutive items whose strings can be spelled out, together, up to a break
        between words; others alone."""
        blocks: list[list[Any]] = []
        current: list[Any] = []
        spelled: set[str] | None = {""}  # the strings of `current`
        for item in items:
            one = self.item(*item)
            if one is None or one == {_BREAK}:  # unknown, or a break between words
                if current:
                    blocks.append(current)
                blocks.append([item])
                current, spelled = [], {""}
            elif (joined := _joined(spelled or {""}, one)) is None:
                blocks.append(current)
                current, spelled = [item], one
            else:
                current.append(item)
                spelled = joined
        if current:
            blocks.append(current)
        return blocks

    def block(self, block: list[Any], left: bool, right: bool) -> list[Need]:
        strings = self.strings(block)
        if strings is not None:
            need = _need(strings, left, right)
            return [need] if need is not None else []
        op, av = block[0]
        if op is _c.SUBPATTERN and not av[1] and not av[2]:
            return self.sequence(list(av[3]), left, right)
        if op is _c.BRANCH:
            alternatives = [self.sequence(list(alt), left, right) for alt in av[1]]
            if all(alternatives):  # one of the words that each alternative needs at least
                return [frozenset().union(*(min(a, key=_cost) for a in alternatives))]
        return []

    def strings(self, items: list[Any]) -> set[str] | None:
        """Every string a sequence can match, or None if unknown or too many."""
        result = {""}
        for op, av in items:
            one = self.item(op, av)
            if one is None:
                return None
            joined = _joined(result, one)
            if joined is None:
                return None
            result = joined
        return result

    def item(self, op: Any, av: Any) -> set[str] | None:
        """The strings one parsed item can match (remembered: blocks ask again)."""
        key = (op, id(av))
        if key not in self._items:
            self._items[key] = (av, self._item(op, av))  # av kept: its id stays its own
        return self._items[key][1]

    def _item(self, op: Any, av: Any) -> set[str] | None:
        if op is _c.LITERAL:
            return _character(chr(av))
        if op is _c.IN:
            return _characters(av)
        if op is _c.BRANCH:
            found: set[str] = set()
            for alternative in av[1]:
                one = self.strings(list(alternative))
                if one is None or len(found | one) > MOST_STRINGS:
                    return None
                found |= one
            return found
        if op is _c.SUBPATTERN:
            return None if av[1] or av[2] else self.strings(list(av[3]))
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            return self.repeat(*av)
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            return {""}  # takes no characters (what it asks of the text only narrows)
        return None

    def repeat(self, low: int, high: Any, inner: Any) -> set[str] | None:
        one = self.strings(list(inner))
        if one is None:
            return None
        if one <= {_BREAK}:  # any run of breaks is one break
            return {_BREAK} if low else {"", _BREAK}
        if high is _c.MAXREPEAT or high > 3:
            return None
        found: set[str] = set()
        for count in range(low, high + 1):
            part: set[str] | None = {""}
            for _ in range(count):
                part = _joined(part, one) if part is not None else None
            if part is None or len(found | part) > MOST_STRINGS:
                return None
            found |= part
        return found

    def edges(self, items: list[Any]) -> tuple[bool, bool, bool]:
        """(may be empty, starts with a break whenever not empty, ends with one)."""
        strings = self.strings(items)
        if strings is not None:
            full = [s for s in strings if s]
            return (
                "" in strings,
                all(s[0] == _BREAK for s in full),
                all(s[-1] == _BREAK for s in full),
            )
        if len(items) == 1:
            op, av = items[0]
            if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
                empty, first, last = self.edges(list(av[2]))
                return empty or av[0] == 0, first, last
            if op is _c.SUBPATTERN and not av[1] and not av[2]:
                return self.edges(list(av[3]))
        return False, False, False  # unknown: may start or end inside a word


def _bounded(edges: Iterable[tuple[bool, bool]]) -> bool | None:
    """Whether the nearest character taken on one side is sure to be a break, given the
    parts on that side from the nearest out: (may be empty, its edge there is a break).
    None: every part may be empty, and the sequence's own edge decides."""
    for empty, edge in edges:
        if not edge:
            return False
        if not empty:
            return True
    return None


def _need(strings: set[str], left: bool, right: bool) -> Need | None:
    """A word from each string that a match of it holds as a whole word; None if some
    string has none."""
    chosen = set()
    for string in strings:
        words = [
            string[m.start() : m.end()]
            for m in re.finditer(f"[^{_BREAK}]+", string)
            if (m.start() > 0 or left) and (m.end() < len(string) or right)
        ]
        if not words:
            return None
        chosen.add(min(words, key=lambda w: _cost(frozenset((w,)))))
    return frozenset(chosen)


def _joined(left: set[str], right: set[str]) -> set[str] | None:
    found = set()
    for a in left:
        for b in right:
            found.add((a + b).replace(_BREAK * 2, _BREAK))
            if len(found) > MOST_STRINGS:
                return None
    return found


def _character(char: str) -> set[str] | None:
    if not char.isascii():
        return None  # IGNORECASE may match it to a letter that lower case does not give
    return {char.lower()} if _WORD.match(char) else {_BREAK}


def _characters(items: Any) -> set[str] | None:
    found: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            one = _character(chr(av))
        elif op is _c.RANGE and av[1] - av[0] < 16:
            one = set()
            for code in range(av[0], av[1] + 1):
                char = _character(chr(code))
                if char is None:
                    return None
                one |= char
        elif op is _c.CATEGORY and av is _c.CATEGORY_SPACE:
            one = {_BREAK}  # no space is a word character
        else:
            return None
        if one is None:
            return None
        found |= one
    return found


def _inside_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches
