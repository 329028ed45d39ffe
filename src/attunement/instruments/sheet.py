"""Reading a CSV of answers into numbers, one column per instrument item.

The header row names item ids, in any order, plus an optional `id` column that
is passed through; an item without a column is unanswered by everyone. Empty
cells, blank lines and the instrument's missing codes are unanswered; any other
text ("NA", "n/a") is kept as text, for scoring to report, so that nothing is
silently dropped. A file that is not a CSV of answers at all is one
AnswerCsvError. `batch` scores what this reads.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from attunement.errors import AttunementError
from attunement.instruments.model import Instrument

ID_COLUMN = "id"
CHUNK_ROWS = 5000  # rows read at a time

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


class AnswerCsvError(AttunementError):
    """A file that cannot be read as a CSV of answers at all (a bad row is not this)."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True, eq=False)
class Sheet:
    """A CSV of answers as numbers: one column per instrument item, NaN where empty."""

    instrument: Instrument
    columns: tuple[str, ...]  # the item columns, in file order
    ids: list[str | None] | None  # None when the file has no id column
    numbers: Floats  # rows x instrument.items; NaN for empty, absent or non-numeric cells
    not_numbers: Flags  # cells whose text is not a number at all
    texts: dict[tuple[int, str], str]  # (row, item id) -> the text of each such cell

    @property
    def rows(self) -> int:
        return len(self.numbers)

    def answers(self, row: int) -> dict[str, object]:
        """One row as single scoring would receive it: {item id: int, float, text or None}."""
        codes = self.instrument.missing_codes
        numbers, not_numbers = self.numbers[row].tolist(), self.not_numbers[row].tolist()
        answers: dict[str, object] = {}
        for item_id in self.columns:
            j = self.instrument.positions[item_id]
            if not_numbers[j]:
                answers[item_id] = self.texts[row, item_id].strip()
            else:
                answers[item_id] = _cell(numbers[j], codes)
        return answers


def _cell(number: float, missing_codes: frozenset[int]) -> int | float | None:
    if math.isnan(number):
        return None
    if math.isfinite(number) and number == round(number):
        whole = int(number)
        return None if whole in missing_codes else whole
    return number


def read_sheet(instrument: Instrument, path: Path, with_ids: bool = True) -> Sheet:
    """The CSV at `path` as numbers, or AnswerCsvError if it is not a CSV of answers."""
    header, blank_lines = _read_header(path)
    _check_header(instrument, path, header)
    items = [column for column, name in enumerate(header) if name != ID_COLUMN]
    as_text = dict.fromkeys(range(len(header)), "str")
    as_numbers = {**as_text, **dict.fromkeys(items, "float64")}
    true_or_false, most_rows = _scan(path)
    read = _SheetReader(instrument, header, with_ids, most_rows)
    try:
        if true_or_false:
            raise ValueError("pandas would read a column of only true/false as 1/0")
        # A failed float read costs the rows read so far: chunks are small.
        for frame in _read_csv(path, header, blank_lines, as_numbers):
            read.add(frame)
    except ValueError:  # text in a number column: read it all as text and parse each value once
        read = _SheetReader(instrument, header, with_ids, most_rows)
        for frame in _read_csv(path, header, blank_lines, as_text, blanks_as_text=True):
            read.add(frame)
    return read.sheet()


class _SheetReader:
    """Puts a CSV's chunks into one array, sized for the most rows the file can hold.

    Rows past the end are never written, so their memory is never touched.
    """

    def __init__(
        self, instrument: Instrument, header: list[str], with_ids: bool, most_rows: int
    ) -> None:
        self.instrument, self.header = instrument, header
        self.ids: list[str | None] | None = [] if with_ids and ID_COLUMN in header else None
        self.position = instrument.positions
        # Column-major: filled and mostly read a column at a time.
        shape = (most_rows, len(instrument.items))
        self.numbers: Floats = np.empty(shape, order="F")
        self.not_numbers: Flags = np.zeros(shape, dtype=bool, order="F")
        self.texts: dict[tuple[int, str], str] = {}
        self.rows = 0

    def add(self, frame: pd.DataFrame) -> None:
        start, end = self.rows, self.rows + len(frame)
        for column, name in enumerate(self.header):
            series = frame[column]
            if name == ID_COLUMN:
                if self.ids is not None:
                    cells = series.to_numpy(dtype=object).tolist()
                    self.ids += [cell if isinstance(cell, str) and cell else None for cell in cells]
                continue
            j = self.position[name]
            if series.dtype.kind == "f":
                self.numbers[start:end, j] = series.to_numpy()
            else:
                numbers, not_numbers, found = _parse_column(series.to_numpy(dtype=object))
                self.numbers[start:end, j] = numbers
                if not_numbers.any():  # pages of an all-False column stay untouched
                    self.not_numbers[start:end, j] = not_numbers
                self.texts.update({(start + row, name): text for row, text in found.items()})
        self.rows = end

    def sheet(self) -> Sheet:
        columns = tuple(name for name in self.header if name != ID_COLUMN)
        for item_id in set(self.instrument.item_ids) - set(columns):
            self.numbers[: self.rows, self.position[item_id]] = np.nan  # absent: unanswered
        numbers, not_numbers = self.numbers[: self.rows], self.not_numbers[: self.rows]
        return Sheet(self.instrument, columns, self.ids, numbers, not_numbers, self.texts)


def _parse_column(cells: npt.NDArray[np.object_]) -> tuple[Floats, Flags, dict[int, str]]:
    """Numbers, which cells are text, and those texts by row; each distinct text parsed once."""
    codes, distinct = pd.factorize(cells)
    parsed = [_parse(str(text)) for text in distinct]
    numbers = np.array([number for number, _ in parsed], dtype=np.float64)[codes]
    is_text = np.array([is_text for _, is_text in parsed], dtype=bool)[codes]
    texts = {row: str(distinct[codes[row]]) for row in np.flatnonzero(is_text).tolist()}
    return numbers, is_text, texts


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?inf(inity)?", re.IGNORECASE)


def _parse(text: str) -> tuple[float, bool]:
    """(number, False), (NaN, False) for a blank cell, or (NaN, True) for text."""
    text = text.strip()
    if not text:
        return np.nan, False
    if _NUMBER.fullmatch(text):
        return float(text), False
    return np.nan, True


def _read_header(path: Path) -> tuple[list[str], int]:
    """The column names, and how many blank lines come before them."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            for blank_lines, row in enumerate(csv.reader(stream)):
                if row:
                    return [name.strip() for name in row], blank_lines
    except FileNotFoundError:
        raise AnswerCsvError(path, "no such file") from None
    except IsADirectoryError:
        raise AnswerCsvError(path, "is a directory, not a CSV file") from None
    except UnicodeDecodeError:
        raise AnswerCsvError(path, "is not a CSV file (it is not UTF-8 text)") from None
    except csv.Error as exc:
        raise AnswerCsvError(path, f"is not a valid CSV file: {exc}") from None
    except OSError as exc:
        raise AnswerCsvError(path, f"cannot be read: {exc.strerror}") from None
    raise AnswerCsvError(path, "is empty; expected a header row of item ids, such as 1,2,3")


def _check_header(instrument: Instrument, path: Path, header: list[str]) -> None:
    known = instrument.item_ids
    listed = ", ".join(known)
    if not set(header) & set(known):
        raise AnswerCsvError(
            path,
            f"does not look like a CSV of {instrument.id} answers: "
            f"its header row names none of the items ({listed})",
        )
    seen: set[str] = set()
    for number, name in enumerate(header, start=1):
        if not name:
            raise AnswerCsvError(path, f"column {number} of the header row has no name")
        if name in seen:
            raise AnswerCsvError(path, f"column {name!r} appears twice in the header row")
        if name != ID_COLUMN and name not in known:
            raise AnswerCsvError(
                path,
                f"unknown column {name!r}: columns are {instrument.id} item ids "
                f"({listed}) and an optional {ID_COLUMN!r}",
            )
        seen.add(name)


_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _scan(path: Path) -> tuple[bool, int]:
    """Whether the file holds true or false in any case (which pandas turns into numbers),
    and the most rows it can hold: one per line ending, plus one."""
    true_or_false, line_ends = False, 0
    with path.open("rb") as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            line_ends += chunk.count(b"\n") + chunk.count(b"\r")
            text = tail + chunk.lower()
            true_or_false = true_or_false or b"true" in text or b"false" in text
            tail = text[-4:]
    return true_or_false, line_ends + 1


def _read_csv(
    path: Path,
    header: list[str],
    blank_lines: int,
    dtype: dict[int, str],
    blanks_as_text: bool = False,
) -> Iterator[pd.DataFrame]:
    """The rows of the file, CHUNK_ROWS at a time, so that no chunk holds all of its text."""
    try:
        with pd.read_csv(
            path,
            skiprows=blank_lines,
            header=0,
            names=list(range(len(header))),  # usecols would silently drop extra fields
            skip_blank_lines=False,  # a blank line is a row with no answers; rows are never dropped
            chunksize=CHUNK_ROWS,
            index_col=False,
            dtype=dtype,
            encoding="utf-8-sig",
            keep_default_na=False,  # only empty cells are missing, not "NA" or "null"
            na_values=[""],
            skipinitialspace=True,
            na_filter=not blanks_as_text,
        ) as chunks:
            yield from chunks
    except UnicodeDecodeError:
        raise AnswerCsvError(path, "is not a CSV file (it is not UTF-8 text)") from None
    except pd.errors.ParserError as exc:
        found = _FIELD_COUNT.search(str(exc))
        if found:
            expected, line, saw = found.groups()
            reason = f"line {line} has {saw} fields, but the header row has {expected}"
        else:
            reason = str(exc).strip().splitlines()[0]
        raise AnswerCsvError(path, f"is not a valid CSV file: {reason}") from None
