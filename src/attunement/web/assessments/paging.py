"""How an instrument is put on pages, and how far a person is: pure, given the answers.

Which items are asked (an item's `ask_if` reads the other answers), pages of at most
PAGE_SIZE items that keep a section together and a conditional item after the items
it depends on, and the progress per part. Nothing here reads or writes the database:
`services` reads a person's answers and passes them in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from attunement.instruments import library
from attunement.instruments.model import Instrument, Item

PAGE_SIZE = 5

Given = dict[str, int | None]  # item id -> value; None means skipped


@dataclass(frozen=True)
class Page:
    """One short page: some of an instrument's items, numbered from 1 within the instrument."""

    instrument: Instrument
    number: int
    count: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Part:
    """How far one person is through one instrument of the battery."""

    instrument: Instrument
    number: int
    answered: int
    askable: int

    @property
    def complete(self) -> bool:
        return self.answered == self.askable

    @property
    def started(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class Progress:
    parts: tuple[Part, ...]

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.parts)

    @property
    def askable(self) -> int:
        return sum(p.askable for p in self.parts)

    @property
    def complete(self) -> bool:
        return all(p.complete for p in self.parts)

    @property
    def started(self) -> bool:
        return any(p.started for p in self.parts)


def asked(item: Item, given: Mapping[str, int | None]) -> bool:
    """Whether an item is asked, given the other answers (skips count as no answer)."""
    if item.ask_if is None:
        return True
    return item.ask_if.holds({k: v for k, v in given.items() if v is not None})


def prune(chosen: Instrument, given: Given, keep: set[str]) -> None:
    """Drop answers to conditional items the other answers no longer ask, except `keep`."""
    while dropped := [
        i.id for i in chosen.items if i.id in given and i.id not in keep and not asked(i, given)
    ]:
        for item_id in dropped:
            del given[item_id]


def complete(chosen: Instrument, given: Mapping[str, int | None]) -> bool:
    """Every item that is asked has an answer or a skip."""
    return all(i.id in given for i in chosen.items if asked(i, given))


@cache
def _page_layout(instrument_id: str) -> tuple[tuple[Item, ...], ...]:
    """Every item on a page of at most PAGE_SIZE, whatever the answers.

    A page holds one section, and a conditional item never shares a page with the
    items that decide whether it is asked, so it can appear after they are saved.
    Long runs are split evenly: 7 items make pages of 4 and 3, not 5 and 2.
    """
    runs: list[list[Item]] = []
    for item in library.get(instrument_id).items:
        current = runs[-1] if runs else None
        depends = (
            item.ask_if is not None
            and current is not None
            and any(i.id in item.ask_if.items for i in current)
        )
        if current is None or depends or item.section != current[0].section:
            runs.append([item])
        else:
            current.append(item)
    return tuple(page for run in runs for page in _split(run))


def _split(run: list[Item]) -> list[tuple[Item, ...]]:
    count = -(-len(run) // PAGE_SIZE)
    size, extra = divmod(len(run), count)
    pages, start = [], 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        pages.append(tuple(run[start:end]))
        start = end
    return pages


def pages(chosen: Instrument, given: Mapping[str, int | None]) -> list[Page]:
    """The pages of an instrument as they stand: items not asked are left out, empty pages too."""
    shown = [tuple(i for i in page if asked(i, given)) for page in _page_layout(chosen.id)]
    shown = [page for page in shown if page]
    return [Page(chosen, n, len(shown), items) for n, items in enumerate(shown, start=1)]
