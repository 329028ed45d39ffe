"""Reading an instrument file's scales (their items, method and bands): loader's reader base.

Split from `loader` along the file's own seam: `loader` reads the instrument,
its response scales and items; this reads its scales, each checked against the
items already read. Both report every problem with file, place and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard

from pydantic import TypeAdapter, ValidationError

from attunement.datafiles import ProblemCollector
from attunement.instruments.model import Band, Item, Method, Scale
from attunement.instruments.schema import BandSpec, ItemId, ScaleSpec

_ITEM_ID: TypeAdapter[Any] = TypeAdapter(ItemId)


def as_id(value: Any) -> str | None:
    """The value as an item id (`schema.ItemId`: text, or a whole number), or None."""
    try:
        return str(_ITEM_ID.validate_python(value))
    except ValidationError:
        return None


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class ScaleReader(ProblemCollector):
    """Reads text fields and scales; `loader`'s reader adds everything else."""

    def __init__(self, file: str) -> None:
        super().__init__(file)
        self.broken_items: set[str] = set()  # defined, but invalid: referring to them adds no noise

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
        self.unknown_fields(spec, ScaleSpec, where)
        members = self.scale_items(spec.get("items"), where, items)
        listed = len(spec["items"]) if isinstance(spec.get("items"), list) else 0
        method: Method | None = self.field(ScaleSpec, spec, "method", where)
        min_answered = spec.get("min_answered", listed)
        if not is_int(min_answered) or not 1 <= min_answered <= max(listed, 1):
            self.problem(where, "min_answered", f"must be a whole number in 1–{max(listed, 1)}")
            min_answered = listed
        # Without valid items and method the range is unknown; bands are still checked.
        value_range = (float("-inf"), float("inf"))
        if members and method is not None:
            value_range = scale_range(method, [items[i] for i in members])
        bands = self.bands(spec.get("bands", []), where, value_range)
        title = self.field(ScaleSpec, spec, "title", where) or scale_id
        description = self.field(ScaleSpec, spec, "description", where)
        optional = self.field(ScaleSpec, spec, "optional", where)
        scale_validated = self.field(ScaleSpec, spec, "validated", where)
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
            validated=validated if scale_validated is None else scale_validated,
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
            self.unknown_fields(spec, BandSpec, place)
            start: Any = spec.get("min")
            end: Any = spec.get("max")
            if (
                not self.fits(BandSpec, "min", start)
                or not self.fits(BandSpec, "max", end)
                or start >= end
            ):
                self.problem(place, "min/max", "need numbers with min below max")
                continue
            if start < low or end > high:
                self.problem(place, "min/max", f"{start}–{end} is outside the scale's {low}–{high}")
                continue
            source = self.field(BandSpec, spec, "source", place)
            if source is None:
                continue
            label = self.field(BandSpec, spec, "label", place) or ""
            band = Band(start, end, label, source, self.field(BandSpec, spec, "note", place))
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
