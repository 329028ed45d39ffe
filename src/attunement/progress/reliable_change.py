"""Reliable change (Jacobson & Truax 1991): is a change bigger than measurement noise?

    SE_diff = SD × √2 × √(1 − r)        RCI = (post − pre) / SE_diff

|RCI| ≥ 1.96 means the change is unlikely (p < .05) to be measurement error
alone. The SD and reliability r of each scale come from `norms.yaml`, where
every number says whether it is published (with its source) or ours (with the
reason). Jacobson NS, Truax P. Clinical significance: a statistical approach to
defining meaningful change in psychotherapy research. J Consult Clin Psychol
1991;59(1):12-19.

    >>> reliable_change(17, 12, norm("csi4", "total")).change
    <Change.DETERIORATED: 'deteriorated'>
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from attunement.datafiles import ProblemCollector, yaml_problem
from attunement.errors import DataFileError
from attunement.instruments.model import Source
from attunement.progress.norms_schema import NormSpec, NormValueSpec

NORMS_FILE = Path(__file__).with_name("norms.yaml")

# Published (Jacobson & Truax 1991): the two-sided 5% point of the normal
# distribution. A change at least this many SE_diff wide counts as reliable.
RELIABLE_Z = 1.96
# Ours: RCIs are compared after rounding to this many decimals, so that a change
# of exactly 1.96 SE_diff is not lost to floating-point error (1.9599999…).
RCI_DECIMALS = 9


class NormsFileError(DataFileError):
    kind = "norms file"


class Change(StrEnum):
    IMPROVED = "improved"
    DETERIORATED = "deteriorated"
    NO_RELIABLE_CHANGE = "no_reliable_change"


class Outcome(StrEnum):
    """Jacobson & Truax's categories of clinically significant change."""

    RECOVERED = "recovered"  # reliably better, and crossed the cut-off to the healthy side
    IMPROVED = "improved"  # reliably better, without crossing
    UNCHANGED = "unchanged"  # no reliable change
    DETERIORATED = "deteriorated"  # reliably worse


@dataclass(frozen=True)
class Value:
    """One number in norms.yaml and where it comes from."""

    value: float
    status: Source  # published or ours
    source: str = ""  # the citation, when published
    reason: str = ""  # why we chose it, when ours
    note: str = ""


@dataclass(frozen=True)
class Norm:
    instrument: str
    scale: str
    title: str
    higher_is_better: bool
    reliability: Value
    sd: Value
    cutoff: Value | None = None

    @property
    def se_diff(self) -> float:
        return se_diff(self.sd.value, self.reliability.value)

    @property
    def threshold(self) -> float:
        """The smallest change, in scale points, that counts as reliable."""
        return RELIABLE_Z * self.se_diff

    @property
    def published(self) -> bool:
        """Whether every number behind this norm is published."""
        values = (self.reliability, self.sd, *([self.cutoff] if self.cutoff else []))
        return all(v.status is Source.PUBLISHED for v in values)


@dataclass(frozen=True)
class ReliableChange:
    pre: float
    post: float
    rci: float
    change: Change

    @property
    def reliable(self) -> bool:
        return self.change is not Change.NO_RELIABLE_CHANGE


def se_diff(sd: float, reliability: float) -> float:
    """Standard error of the difference between two scores: SD × √2 × √(1 − r)."""
    if not sd > 0 or not 0 <= reliability < 1:
        raise ValueError(f"need SD > 0 and 0 <= reliability < 1, not {sd} and {reliability}")
    return sd * math.sqrt(2 * (1 - reliability))


def rci(pre: float, post: float, sd: float, reliability: float) -> float:
    """The reliable change index: (post − pre) / SE_diff.

    >>> round(rci(10, 14, sd=5.0, reliability=0.94), 3)
    2.309
    """
    return (post - pre) / se_diff(sd, reliability)


def classify(index: float, *, higher_is_better: bool) -> Change:
    """Improved, deteriorated or no reliable change; exactly ±1.96 is reliable."""
    rounded = round(index, RCI_DECIMALS)
    if abs(rounded) < RELIABLE_Z:
        return Change.NO_RELIABLE_CHANGE
    return Change.IMPROVED if (rounded > 0) == higher_is_better else Change.DETERIORATED


def reliable_change(pre: float, post: float, norm: Norm) -> ReliableChange:
    index = rci(pre, post, norm.sd.value, norm.reliability.value)
    return ReliableChange(pre, post, index, classify(index, higher_is_better=norm.higher_is_better))


def outcome(pre: float, post: float, norm: Norm) -> Outcome:
    """Jacobson & Truax's category, with the norm's cut-off as the line to cross.

    `recovered` needs a reliable improvement from the unhealthy side of the cut-off
    to the healthy side (for the CSI-4: from below 13.5 to 13.5 or more).
    """
    if norm.cutoff is None:
        raise ValueError(f"{norm.instrument}/{norm.scale} has no cut-off")
    change = reliable_change(pre, post, norm).change
    if change is Change.DETERIORATED:
        return Outcome.DETERIORATED
    if change is Change.NO_RELIABLE_CHANGE:
        return Outcome.UNCHANGED
    return Outcome.RECOVERED if _crossed(pre, post, norm.cutoff.value, norm) else Outcome.IMPROVED


def _crossed(pre: float, post: float, cutoff: float, norm: Norm) -> bool:
    if norm.higher_is_better:
        return pre < cutoff <= post
    return pre >= cutoff > post


@cache
def norms() -> dict[tuple[str, str], Norm]:
    """Every shipped norm by (instrument id, scale id)."""
    return load_norms(NORMS_FILE)


def norm(instrument: str, scale: str) -> Norm:
    try:
        return norms()[(instrument, scale)]
    except KeyError:
        known = ", ".join(f"{i}/{s}" for i, s in norms())
        raise LookupError(f"no norm for {instrument}/{scale}; known: {known}") from None


def load_norms(path: Path) -> dict[tuple[str, str], Norm]:
    """Read and check a norms file; raise NormsFileError listing every problem."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise NormsFileError(path.name, [yaml_problem(path.name, exc)]) from exc
    reader = _Reader(path.name)
    found = reader.norms(data)
    if reader.problems:
        raise NormsFileError(path.name, reader.problems)
    return found


class _Reader(ProblemCollector):
    def norms(self, data: Any) -> dict[tuple[str, str], Norm]:
        if not isinstance(data, dict):
            self.problem("", "file", "must map instrument ids to their scales")
            return {}
        found: dict[tuple[str, str], Norm] = {}
        for instrument, scales in data.items():
            if not isinstance(scales, dict):
                self.problem(str(instrument), "scales", "must map scale ids to norms")
                continue
            for scale, spec in scales.items():
                parsed = self.norm(str(instrument), str(scale), spec)
                if parsed is not None:
                    found[(parsed.instrument, parsed.scale)] = parsed
        return found

    def norm(self, instrument: str, scale: str, spec: Any) -> Norm | None:
        where = f"{instrument}/{scale}"
        if not isinstance(spec, dict):
            self.problem(where, "definition", "must be a mapping")
            return None
        self.unknown_fields(spec, NormSpec, where)
        better = self.field(NormSpec, spec, "better", where)
        title = self.field(NormSpec, spec, "title", where)
        reliability = self.value(spec.get("reliability"), where, "reliability", 0, 1)
        sd = self.value(spec.get("sd"), where, "sd", 0, math.inf)
        cutoff = None
        if "cutoff" in spec:
            cutoff = self.value(spec["cutoff"], where, "cutoff", -math.inf, math.inf)
        if reliability is None or sd is None or title is None:
            return None
        return Norm(instrument, scale, title, better == "higher", reliability, sd, cutoff)

    def value(self, spec: Any, where: str, key: str, low: float, high: float) -> Value | None:
        """A number strictly between `low` and `high`, with its status and source or reason."""
        place = f"{where} {key}"
        if not isinstance(spec, dict):
            self.problem(where, key, "is required: a mapping with value and status")
            return None
        self.unknown_fields(spec, NormValueSpec, place)
        number: Any = spec.get("value")
        if not self.fits(NormValueSpec, "value", number) or not low < number < high:
            self.problem(place, "value", f"must be a number between {low} and {high}")
            return None
        status = self.field(NormValueSpec, spec, "status", place)
        if status is None:
            return None
        needed = "source" if status == Source.PUBLISHED else "reason"
        texts = {k: " ".join(str(spec.get(k) or "").split()) for k in ("source", "reason", "note")}
        if not texts[needed]:
            self.problem(place, needed, f"is required when the status is {status.value!r}")
            return None
        return Value(float(number), status, **texts)
