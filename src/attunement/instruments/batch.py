"""Score a CSV of many respondents at once, by the rules and in the words of `scoring`.

The CSV is read by `sheet` (its docstring says what a cell may hold); any text
in an item's cell ("NA", "n/a") is an error, so that nothing is silently dropped.

Every input row comes out, in order: rows that cannot be scored keep their
place with an empty score and the reason. Rows are checked with array
arithmetic; each bad row is then scored once more by `scoring.score`, so its
reason is exactly the message single scoring gives for the same answers.

>>> result = score_csv(library.get("ucla3"), Path("answers.csv"))  # doctest: +SKIP
>>> result.summary()  # doctest: +SKIP
'scored 98 of 100 rows; 2 could not be scored (see the error column)'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, cast

import numpy as np
import pandas as pd

from attunement.errors import AnswerError
from attunement.files import spreadsheet_safe
from attunement.instruments import rules, scoring
from attunement.instruments.model import Instrument
from attunement.instruments.sheet import (
    ID_COLUMN,
    AnswerCsvError,
    Flags,
    Floats,
    Sheet,
    read_sheet,
)

ERROR_COLUMN = "error"


@dataclass(frozen=True, eq=False)
class Checked:
    """Every row checked and scored with array arithmetic, before any messages."""

    bad: Flags  # rows single scoring would refuse
    keyed: Floats  # item values as they enter scales (reverse keys, unasked defaults)
    scores: dict[str, Floats]  # scale id -> value per row; meaningless where bad


@dataclass(eq=False)
class BatchResult:
    """Scores of every row of a CSV; rows that could not be scored say why."""

    instrument: Instrument
    ids: list[str | None] | None
    scores: dict[str, Floats]  # scale id -> one value per row, NaN where not scored
    reasons: list[str]  # one per row: "" where scored, else the AnswerError message
    keyed: Floats  # item values as they enter scales; all NaN on rows not scored

    @property
    def rows(self) -> int:
        return len(self.reasons)

    @property
    def scored(self) -> int:
        return self.reasons.count("")

    @property
    def ok(self) -> Flags:
        """Which rows were scored."""
        return np.array([not reason for reason in self.reasons], dtype=bool)

    @property
    def errors(self) -> list[tuple[int, str | None, str]]:
        """(row number counted from 1 after the header, id or None, reason) per bad row."""
        return [
            (row + 1, self.ids[row] if self.ids is not None else None, reason)
            for row, reason in enumerate(self.reasons)
            if reason
        ]

    def summary(self) -> str:
        rows = f"{self.rows} row{'' if self.rows == 1 else 's'}"
        failed = self.rows - self.scored
        if not failed:
            return f"scored {self.scored} of {rows}"
        return (
            f"scored {self.scored} of {rows}; {failed} could not be scored (see the error column)"
        )

    def write_csv(self, target: Path | TextIO) -> None:
        """Write id, one column per scale and error; a Path is replaced whole or not at all.

        Text cells that a spreadsheet would run as a formula get a leading single quote.
        """
        if isinstance(target, Path):
            self._replace(target)
        else:
            # CRLF, as RFC 4180 has it: Python's csv quotes a cell holding "\r" only then.
            self._frame().to_csv(target, index=False, header=self._header(), lineterminator="\r\n")

    def _replace(self, target: Path) -> None:
        try:
            handle, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise AnswerCsvError(target, f"cannot be written: {exc.strerror}") from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                self.write_csv(stream)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _header(self) -> list[str]:
        names = [ID_COLUMN] if self.ids is not None else []
        return [cast(str, spreadsheet_safe(name)) for name in [*names, *self.scores, ERROR_COLUMN]]

    def _frame(self) -> pd.DataFrame:
        # Numbered columns, so a scale called "id" or "error" cannot overwrite another column.
        # Text cells (ids, reasons quoting the bad value) can come from anyone: a spreadsheet
        # must not run them as formulas. Scores are numbers and stay numbers.
        columns: list[object] = []
        if self.ids is not None:
            columns.append([spreadsheet_safe(cell) for cell in self.ids])
        columns += [*self.scores.values(), [spreadsheet_safe(r) for r in self.reasons]]
        return pd.DataFrame(dict(enumerate(columns)))


def score_csv(instrument: Instrument, path: Path) -> BatchResult:
    """Score every row of the CSV at `path`; see the module docstring."""
    return score_sheet(read_sheet(instrument, Path(path)))


def score_sheet(sheet: Sheet) -> BatchResult:
    """Scores and reasons for every row: bad rows get the message of `scoring.score`."""
    checked = check_sheet(sheet)
    keyed, scores = checked.keyed, checked.scores
    reasons = [""] * sheet.rows
    instrument = sheet.instrument
    for row in np.flatnonzero(checked.bad).tolist():
        try:
            scored = scoring.score(instrument, sheet.answers(row))
        except AnswerError as error:
            reasons[row] = str(error)
            keyed[row] = np.nan
            for values in scores.values():
                values[row] = np.nan
        else:  # single scoring is the reference: trust it over the array arithmetic
            found = scored.values()
            for scale_id, values in scores.items():
                values[row] = found.get(scale_id, np.nan)
    return BatchResult(sheet.instrument, sheet.ids, scores, reasons, keyed)


def check_sheet(sheet: Sheet, *, keep_numbers: bool = True) -> Checked:
    """Find the rows single scoring would refuse, and score every row, all at once.

    The rules are `rules.evaluate`'s, the same as single scoring's, applied to
    one column per item; this adds only what a CSV cell can get wrong. With
    `keep_numbers=False` the keyed values are written over the sheet's numbers,
    for a caller that has no further use for the sheet: it saves a copy.
    """
    instrument = sheet.instrument
    codes = sorted(instrument.missing_codes)
    bad = np.zeros(sheet.rows, dtype=bool)
    # Column-major, like the numbers: each item's column is written and read whole.
    shape = (sheet.rows, len(instrument.items))
    keyed = np.empty(shape, order="F") if keep_numbers else sheet.numbers
    for j, item in enumerate(instrument.items):
        numbers = sheet.numbers[:, j]
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(numbers) & (numbers == np.round(numbers))
        missing_code = np.isin(numbers, codes)
        answered = whole & ~missing_code & item.accepts(numbers)
        empty = np.isnan(numbers) & ~sheet.not_numbers[:, j]
        bad |= ~(answered | empty | missing_code)
        # The clean answers, keyed below; column j of the numbers is not read again.
        keyed[:, j] = np.where(answered, numbers, np.nan)
    outcome = rules.evaluate(instrument, [keyed[:, j] for j in range(keyed.shape[1])], MANY)
    for flag in [*outcome.unasked, *outcome.unanswered]:
        if flag is not None:
            bad |= flag
    scores: dict[str, Floats] = {}
    for scale in instrument.scales:
        found = outcome.scales[scale.id]
        scored = found.value
        if scale.optional:  # too few answers leave an optional scale empty, not the row bad
            scored[found.short] = np.nan
        else:
            bad |= found.short
        scores[scale.id] = scored
    for j, column in enumerate(outcome.keyed):
        keyed[:, j] = column  # reverse keys and defaults; a column unchanged is its own view
    return Checked(bad, keyed, scores)


class ManyRows:
    """`rules.Ops` for a column per item, one float per row, NaN where not answered."""

    def absent(self, value: Floats) -> Flags:
        return np.isnan(value)

    def negate(self, flag: Flags) -> Flags:
        return ~flag

    def isin(self, value: Floats, allowed: frozenset[int]) -> Flags:
        return np.isin(value, sorted(allowed))

    def where(self, flag: Flags, then: float, otherwise: Floats) -> Floats:
        return np.where(flag, then, otherwise)

    def count(self, values: Sequence[Floats]) -> Floats:
        count = np.zeros(len(values[0]))
        for value in values:
            count += ~np.isnan(value)
        return count

    def total(self, values: Sequence[Floats]) -> Floats:
        total = np.zeros(len(values[0]))
        for value in values:
            total += np.where(np.isnan(value), 0.0, value)
        return total

    def highest(self, values: Sequence[Floats]) -> Floats:
        highest = np.full(len(values[0]), np.nan)
        for value in values:
            np.fmax(highest, value, out=highest)
        return highest

    def divide(self, total: Floats, count: Floats) -> Floats:
        quotient: Floats = np.divide(total, count, out=np.full(len(total), np.nan), where=count > 0)
        return quotient


MANY = ManyRows()
