"""Reliability of each scale in a CSV of answers: n, mean, SD, Cronbach's alpha, item-total r.

Rows that cannot be scored are left out and counted. Each scale's statistics
use the rows that answer every one of its items (listwise), with reverse keys
applied. Where a statistic is undefined (too few rows, no variance, a
single-item scale) it is None rather than NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from attunement.instruments.batch import BatchResult, check_sheet
from attunement.instruments.model import Instrument, Scale
from attunement.instruments.sheet import Flags, Floats, read_sheet


@dataclass(frozen=True)
class ScaleStats:
    scale: Scale
    n: int  # rows that answer every item of the scale
    mean: float | None
    sd: float | None  # sample SD (n - 1)
    alpha: float | None
    item_total: dict[str, float | None]  # corrected: item against the sum of the others

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "mean": self.mean,
            "sd": self.sd,
            "alpha": self.alpha,
            "item_total": dict(self.item_total),
        }


@dataclass(frozen=True)
class Report:
    instrument: Instrument
    rows: int
    excluded: int  # rows that could not be scored
    scales: tuple[ScaleStats, ...]

    def to_dict(self) -> dict[str, dict[str, object]]:
        """{scale id: {"n", "mean", "sd", "alpha", "item_total": {item id: r}}}, JSON-able."""
        return {stats.scale.id: stats.to_dict() for stats in self.scales}

    def to_text(self) -> str:
        scored = self.rows - self.excluded
        lines = [
            f"{self.instrument.title} ({self.instrument.id}): {scored} of {self.rows} rows "
            f"scored; {self.excluded} left out because they could not be scored.",
            "Each scale uses the scored rows that answer all of its items (n), reverse keys "
            "applied.",
            "",
        ]
        lines += _table(
            ["scale", "n", "mean", "sd", "alpha"],
            [[s.scale.id, str(s.n), _num(s.mean), _num(s.sd), _num(s.alpha)] for s in self.scales],
            labels=1,
        )
        items = [
            [s.scale.id, item_id, _num(r)]
            for s in self.scales
            if len(s.scale.items) > 1
            for item_id, r in s.item_total.items()
        ]
        if items:
            lines += ["", "Corrected item-total correlations (item against the sum of the others)"]
            lines += _table(["scale", "item", "r"], items, labels=2)
        return "\n".join(lines)


def analyse_csv(instrument: Instrument, path: Path) -> Report:
    """Statistics per scale for the CSV at `path`, read and checked as `batch.score_csv` does."""
    # The rows to leave out are known from the checks alone; their messages are not needed.
    sheet = read_sheet(instrument, Path(path), with_ids=False)
    checked = check_sheet(sheet, keep_numbers=False)
    del sheet  # its numbers are now the keyed values
    return _report(instrument, ~checked.bad, checked.keyed, checked.scores)


def analyse(result: BatchResult) -> Report:
    """Statistics per scale for rows already scored by `batch.score_csv`."""
    return _report(result.instrument, result.ok, result.keyed, result.scores)


def _report(instrument: Instrument, ok: Flags, keyed: Floats, scores: dict[str, Floats]) -> Report:
    position = {item_id: j for j, item_id in enumerate(instrument.item_ids)}
    scales = []
    for scale in instrument.scales:
        columns = [position[i] for i in scale.items]
        complete = ok.copy()  # a column at a time: no copy of the whole sheet
        for j in columns:
            complete &= ~np.isnan(keyed[:, j])
        values = keyed[np.ix_(complete, np.array(columns, dtype=np.intp))]
        scales.append(scale_stats(scale, values, scores[scale.id][complete]))
    return Report(instrument, len(ok), int((~ok).sum()), tuple(scales))


def scale_stats(scale: Scale, values: Floats, scores: Floats) -> ScaleStats:
    """Statistics from complete rows: `values` is rows x items (keyed), `scores` the scale score."""
    n = len(values)
    mean = float(scores.mean()) if n else None
    sd = float(scores.std(ddof=1)) if n > 1 else None
    if len(scale.items) < 2:
        return ScaleStats(scale, n, mean, sd, None, dict.fromkeys(scale.items))
    correlations = dict(zip(scale.items, item_total(values), strict=True))
    return ScaleStats(scale, n, mean, sd, alpha(values), correlations)


def alpha(values: Floats) -> float | None:
    """Cronbach's alpha of complete rows x items; None without two rows or any total variance."""
    rows, items = values.shape
    if rows < 2 or items < 2:
        return None
    total_variance = _sum_of_squares(values.sum(axis=1))
    if total_variance == 0:
        return None
    item_variance = sum(_sum_of_squares(values[:, j]) for j in range(items))
    return float(items / (items - 1) * (1 - item_variance / total_variance))


def item_total(values: Floats) -> list[float | None]:
    """Per item, its correlation with the sum of the other items (None where either is constant)."""
    rows = len(values)
    if rows < 2:
        return [None] * values.shape[1]
    # An item at a time, so that no temporary is as large as the values themselves.
    # Rests are whole-number sums, centred on their own means: a constant rest is exactly zero.
    totals = values.sum(axis=1)
    found: list[float | None] = []
    for j in range(values.shape[1]):
        item = values[:, j]
        rest = totals - item
        item_dev = item - item.mean()
        rest_dev = rest - rest.mean()
        item_ss, rest_ss = float((item_dev**2).sum()), float((rest_dev**2).sum())
        covariance = float((item_dev * rest_dev).sum())
        found.append(
            None if item_ss == 0 or rest_ss == 0 else covariance / math.sqrt(item_ss * rest_ss)
        )
    return found


def _sum_of_squares(column: Floats) -> float:
    deviations = column - column.mean()
    return float((deviations**2).sum())


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(header: list[str], rows: list[list[str]], labels: int) -> list[str]:
    """Aligned columns: the first `labels` columns to the left, numbers to the right."""
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.ljust(width) if column < labels else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(header), *map(line, rows)]
