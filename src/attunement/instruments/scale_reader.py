"""Reading an instrument file's scales (their items, method and bands): loader's reader base.

Split from `loader` along the file's own seam: `loader` reads the instrument,
its response scales and items; this reads its scales, each checked against the
items already read. Both report every problem with file, place and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from attunement.datafiles import ProblemCollector
from attunement.instruments.model import Band, Item, Method, Scale, Source

SCALE_FIELDS = {
    "id", "title", "items", "method", "min_answered", "bands", "description", "optional",
    "validated", "ours_items",
}  # fmt: skip
BAND_FIELDS = {"min", "max", "label", "source", "note"}


def as_id(value: Any) -> str | None:
    """Item ids are strings; YAML reads `1` as a number, so whole numbers are accepted too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


class ScaleReader(ProblemCollector):
    """Reads text fields and scales; `loader`'s reader adds everything else."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.broken_items: set[str] = set()  # defined, but invalid: referring to them adds no noise

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(where, key, "is required")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(where, key, "must be non-empty text")
            return ""
        return value.strip()

    def scales(self, data: Any, items: Mapping[str, Item], validated: bool) -> list[Scale]:
        if not isinstance(data, list) or not data:
            self.problem("", "scales", "is required: a list of scales")
            return []
        scales: list[Scale] = []
        for position, spec in enumerate(data, start=1):
            scale = self.scale(spec, position, items, validated)
            if scale is None:
                continue
            if any(s.id == scale.id for s in scales):
                self.problem(f"scale {scale.id!r}", "id", "duplicate scale id")
                continue
            scales.append(scale)
        return scales

    def scale(
        self, spec: Any, position: int, items: Mapping[str, Item], validated: bool = True
    ) -> Scale | None:
        if not isinstance(spec, dict) or as_id(spec.get("id")) is None:
            self.problem(f"scale #{position}", "id", "each scale needs an id")
            return None
        scale_id = str(as_id(spec["id"]))
        where = f"scale {scale_id!r}"
        self.unknown_fields(spec, SCALE_FIELDS, where)
        members = self.scale_items(spec.get("items"), where, items)
        listed = len(spec["items"]) if isinstance(spec.get("items"), list) else 0
        raw_method = spec.get("method")
        method = Method(raw_method) if raw_method in {m.value for m in Method} else None
        if method is None:
            self.problem(where, "method", f"{raw_method!r} is not one of mean, sum, max")
        min_answered = spec.get("min_answered", listed)
        if not is_int(min_answered) or not 1 <= min_answered <= max(listed, 1):
            self.problem(where, "min_answered", f"must be a whole number in 1–{max(listed, 1)}")
            min_answered = listed
        # Without valid items and method the range is unknown; bands are still checked.
        value_range = (float("-inf"), float("inf"))
        if members and method is not None:
            value_range = scale_range(method, [items[i] for i in members])
        bands = self.bands(spec.get("bands", []), where, value_range)
        title = self.text(spec, "title", where, required=False) or scale_id
        description = self.text(spec, "description", where, required=False)
        optional = self.flag(spec, "optional", where)
        scale_validated = spec.get("validated", validated)
        if not isinstance(scale_validated, bool):
            self.problem(where, "validated", "must be true or false")
        ours_items = self.ours_items(spec.get("ours_items"), where, members, method)
        if not members or method is None:
            return None
        return Scale(
            id=scale_id,
            title=title,
            items=tuple(members),
            method=method,
            min_answered=min_answered,
            range=value_range,
            bands=bands,
            description=description,
            optional=optional,
            validated=scale_validated is True,
            ours_items=ours_items,
        )

    def ours_items(
        self, data: Any, where: str, members: list[str], method: Method | None
    ) -> tuple[str, ...]:
        if data is None:
            return ()
        if not isinstance(data, list) or not data:
            self.problem(where, "ours_items", "must be a list of item ids")
            return ()
        ids = [as_id(raw) for raw in data]
        if method is not Method.MAX:
            self.problem(where, "ours_items", "only applies to a scale whose method is max")
        elif any(i not in members for i in ids):
            self.problem(where, "ours_items", "lists an item that is not in the scale")
        elif set(ids) == set(members):
            self.problem(where, "ours_items", "names every item: mark the bands 'ours' instead")
        else:
            return tuple(str(i) for i in ids)
        return ()

    def scale_items(self, data: Any, where: str, items: Mapping[str, Item]) -> list[str]:
        if not isinstance(data, list) or not data:
            self.problem(where, "items", "is required: a list of item ids")
            return []
        members: list[str] = []
        for raw in data:
            item_id = as_id(raw)
            if item_id in self.broken_items:
                continue  # already reported where the item is defined
            if item_id is None or item_id not in items:
                self.problem(where, "items", f"names unknown item {raw!r}")
            elif item_id in members:
                self.problem(where, "items", f"lists item {item_id!r} twice")
            else:
                members.append(item_id)
        return members if len(members) == len(data) else []

    def bands(self, data: Any, where: str, value_range: tuple[float, float]) -> tuple[Band, ...]:
        if not isinstance(data, list):
            self.problem(where, "bands", "must be a list of {min, max, label, source}")
            return ()
        low, high = value_range
        bands: list[Band] = []
        for position, spec in enumerate(data, start=1):
            place = f"{where} band #{position}"
            if not isinstance(spec, dict):
                self.problem(place, "definition", "must be a mapping")
                continue
            self.unknown_fields(spec, BAND_FIELDS, place)
            start, end = spec.get("min"), spec.get("max")
            if not is_number(start) or not is_number(end) or start >= end:
                self.problem(place, "min/max", "need numbers with min below max")
                continue
            if start < low or end > high:
                self.problem(place, "min/max", f"{start}–{end} is outside the scale's {low}–{high}")
                continue
            source = spec.get("source")
            if source not in {s.value for s in Source}:
                self.problem(place, "source", "must be 'published' or 'ours'")
                continue
            band = Band(start, end, self.text(spec, "label", place), Source(source),
                        self.text(spec, "note", place, required=False))  # fmt: skip
            if any(b.min < band.max and band.min < b.max for b in bands):
                self.problem(place, "min/max", "overlaps an earlier band")
                continue
            bands.append(band)
        return tuple(bands)


def scale_range(method: Method, items: list[Item]) -> tuple[float, float]:
    lows = [i.scale.min for i in items]
    highs = [i.scale.max for i in items]
    if method is Method.SUM:
        return float(sum(lows)), float(sum(highs))
    if method is Method.MEAN:
        return sum(lows) / len(lows), sum(highs) / len(highs)
    return float(max(lows)), float(max(highs))
