"""Errors that reach a person: each says what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass


class AttunementError(Exception):
    """Base for errors the command line reports as one clear message."""


class UnknownInstrument(AttunementError, LookupError):
    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"unknown instrument {name!r}; known instruments: {', '.join(known)}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an instrument file."""

    file: str
    where: str  # "item '3'", "scale 'total'", or "" for the top level
    field: str
    message: str

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        return f"{self.file}: {place}{self.field}: {self.message}"


class DataFileError(AttunementError):
    """A data file that cannot be used; lists every problem found, not just the first."""

    kind = "data file"

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{file} is not a valid {self.kind} ({count}):\n{lines}")


class InstrumentFileError(DataFileError):
    kind = "instrument file"


class AnswerError(AttunementError, ValueError):
    """Answers that cannot be scored: names the instrument, the item and the value."""

    def __init__(self, instrument: str, item: str | None, value: object, reason: str) -> None:
        self.instrument = instrument
        self.item = item
        self.value = value
        self.reason = reason
        where = f"item {item!r}" if item is not None else "answers"
        shown = "" if value is NO_VALUE else f" (value {value!r})"
        super().__init__(f"{instrument}: {where}{shown}: {reason}")


class _NoValue:
    def __repr__(self) -> str:
        return "no value"


NO_VALUE: object = _NoValue()
