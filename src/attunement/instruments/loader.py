"""Read an instrument file and report every problem in it, not just the first."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard

import yaml

from attunement.datafiles import ProblemCollector, yaml_problem
from attunement.errors import InstrumentFileError, Problem
from attunement.instruments.model import (
    Band,
    Condition,
    Instrument,
    Item,
    Licence,
    LicenceStatus,
    Method,
    ResponseScale,
    Scale,
    Screen,
    Source,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
TOP_LEVEL = {
    "id", "title", "short_title", "citation", "licence", "instructions", "response_scales",
    "items", "scales", "missing_codes", "screen", "notes", "validated",
}  # fmt: skip
ITEM_FIELDS = {"id", "text", "scale", "reverse", "required", "ask_if", "if_not_asked", "section"}
SCALE_FIELDS = {
    "id", "title", "items", "method", "min_answered", "bands", "description", "optional",
    "validated", "ours_items",
}  # fmt: skip
BAND_FIELDS = {"min", "max", "label", "source", "note"}


def load_file(path: str | Path) -> Instrument:
    """Load and validate one instrument file; raise InstrumentFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InstrumentFileError(path.name, [Problem(path.name, "", "file", str(exc))]) from exc
    return parse(text, path.name)


def parse(text: str, file: str) -> Instrument:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InstrumentFileError(file, [yaml_problem(file, exc)]) from exc
    reader = _Reader(file)
    instrument = reader.instrument(data)
    if reader.problems or instrument is None:
        raise InstrumentFileError(file, reader.problems)
    return instrument


def _as_id(value: Any) -> str | None:
    """Item ids are strings; YAML reads `1` as a number, so whole numbers are accepted too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Reader(ProblemCollector):
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

    def instrument(self, data: Any) -> Instrument | None:
        if not isinstance(data, dict):
            self.problem("", "file", "must be a mapping of fields (id, title, items, ...)")
            return None
        self.unknown_fields(data, TOP_LEVEL, "")
        instrument_id = self.text(data, "id", "")
        if instrument_id and not ID_PATTERN.match(instrument_id):
            self.problem("", "id", "use lower-case letters, digits and underscores, e.g. 'csi4'")
        title = self.text(data, "title", "")
        response_scales = self.response_scales(data.get("response_scales"))
        items = self.items(data.get("items"), response_scales)
        validated = data.get("validated", True)
        if not isinstance(validated, bool):
            self.problem("", "validated", "must be true or false")
        scales = self.scales(data.get("scales"), {i.id: i for i in items}, validated is True)
        missing_codes = self.missing_codes(data.get("missing_codes", []), items)
        screen = self.screen(data.get("screen"), {s.id for s in scales})
        return Instrument(
            id=instrument_id,
            title=title,
            short_title=self.text(data, "short_title", "", required=False) or instrument_id,
            citation=self.text(data, "citation", ""),
            licence=self.licence(data.get("licence")),
            instructions=self.text(data, "instructions", ""),
            response_scales=response_scales,
            items=tuple(items),
            scales=tuple(scales),
            missing_codes=missing_codes,
            screen=screen,
            notes=self.text(data, "notes", "", required=False),
            validated=validated is True,
        )

    def licence(self, data: Any) -> Licence:
        statuses = ", ".join(s.value for s in LicenceStatus)
        if not isinstance(data, dict):
            self.problem("", "licence", f"is required: a mapping with status ({statuses}) and note")
            return Licence(LicenceStatus.NO_GRANT, "")
        self.unknown_fields(data, {"status", "note"}, "licence")
        status = data.get("status")
        if status not in {s.value for s in LicenceStatus}:
            self.problem("licence", "status", f"{status!r} is not one of {statuses}")
            status = LicenceStatus.NO_GRANT.value
        return Licence(LicenceStatus(status), self.text(data, "note", "licence"))

    def response_scales(self, data: Any) -> dict[str, ResponseScale]:
        if not isinstance(data, dict) or not data:
            self.problem("", "response_scales", "is required: a mapping of scale id to min/max")
            return {}
        found: dict[str, ResponseScale] = {}
        for raw_id, spec in data.items():
            scale_id = _as_id(raw_id) or str(raw_id)
            where = f"response scale {scale_id!r}"
            if not isinstance(spec, dict):
                self.problem(where, "definition", "must be a mapping with min, max and labels")
                continue
            self.unknown_fields(spec, {"min", "max", "labels"}, where)
            low, high = spec.get("min"), spec.get("max")
            if not _is_int(low) or not _is_int(high):
                self.problem(where, "min/max", "both are required whole numbers")
                continue
            if low >= high:
                self.problem(where, "min/max", f"min {low} must be below max {high}")
                continue
            found[scale_id] = ResponseScale(
                scale_id, low, high, self.labels(spec, where, low, high)
            )
        return found

    def labels(self, spec: Mapping[str, Any], where: str, low: int, high: int) -> dict[int, str]:
        labels = spec.get("labels", {})
        if not isinstance(labels, dict):
            self.problem(where, "labels", "must map response values to their labels")
            return {}
        clean: dict[int, str] = {}
        for value, label in labels.items():
            if not _is_int(value) or not low <= value <= high:
                self.problem(where, "labels", f"value {value!r} is outside {low}–{high}")
            elif not isinstance(label, str) or not label.strip():
                self.problem(where, "labels", f"label of {value} must be non-empty text")
            else:
                clean[value] = label.strip()
        return clean

    def items(self, data: Any, response_scales: Mapping[str, ResponseScale]) -> list[Item]:
        if not isinstance(data, list) or not data:
            self.problem("", "items", "is required: a list of items")
            return []
        items: list[Item] = []
        seen: set[str] = set()
        for position, spec in enumerate(data, start=1):
            item = self.item(spec, position, response_scales, {i.id: i for i in items})
            if item is None:
                continue
            if item.id in seen:
                self.problem(f"item {item.id!r}", "id", "duplicate item id")
                continue
            seen.add(item.id)
            items.append(item)
        return items

    def item(
        self,
        spec: Any,
        position: int,
        response_scales: Mapping[str, ResponseScale],
        earlier: Mapping[str, Item],
    ) -> Item | None:
        if not isinstance(spec, dict):
            self.problem(f"item #{position}", "definition", "must be a mapping with id and text")
            return None
        item_id = _as_id(spec.get("id"))
        if item_id is None:
            self.problem(f"item #{position}", "id", "is required (text such as '1' or 'A2')")
            return None
        where = f"item {item_id!r}"
        self.unknown_fields(spec, ITEM_FIELDS, where)
        text = self.text(spec, "text", where)
        scale = self.item_scale(spec, where, response_scales)
        reverse = self.flag(spec, "reverse", where)
        ask_if = self.condition(spec.get("ask_if"), where, earlier)
        required = self.flag(spec, "required", where)
        section = self.text(spec, "section", where, required=False)
        if scale is None:
            if reverse:
                self.problem(where, "reverse", "a reverse-keyed item needs a response scale range")
            self.broken_items.add(item_id)
            return None
        if_not_asked = spec.get("if_not_asked")
        if if_not_asked is not None:
            if ask_if is None:
                self.problem(where, "if_not_asked", "only makes sense with ask_if")
            elif not _is_int(if_not_asked) or not scale.min <= if_not_asked <= scale.max:
                self.problem(where, "if_not_asked", f"must be a value in {scale.min}–{scale.max}")
                if_not_asked = None
        return Item(
            id=item_id,
            text=text,
            scale=scale,
            reverse=reverse,
            required=required,
            ask_if=ask_if,
            if_not_asked=if_not_asked,
            section=section,
        )

    def item_scale(
        self, spec: Mapping[str, Any], where: str, response_scales: Mapping[str, ResponseScale]
    ) -> ResponseScale | None:
        name = spec.get("scale")
        if name is None and len(response_scales) == 1:
            return next(iter(response_scales.values()))
        if name is None:
            self.problem(where, "scale", "is required when the file has several response scales")
            return None
        scale = response_scales.get(str(name))
        if scale is None:
            self.problem(where, "scale", f"unknown or invalid response scale {name!r}")
        return scale

    def condition(self, data: Any, where: str, earlier: Mapping[str, Item]) -> Condition | None:
        if data is None:
            return None
        if not isinstance(data, dict) or len(data) != 1 or next(iter(data)) not in ("any", "all"):
            self.problem(where, "ask_if", "must be {any: [...]} or {all: [...]}")
            return None
        mode, tests = next(iter(data.items()))
        if not isinstance(tests, list) or not tests:
            self.problem(where, "ask_if", f"'{mode}' needs a list of {{item, in: [values]}}")
            return None
        parsed: list[tuple[str, frozenset[int]]] = []
        for test in tests:
            if not isinstance(test, dict) or set(test) != {"item", "in"}:
                self.problem(where, "ask_if", "each test is {item: <id>, in: [values]}")
                continue
            target = _as_id(test["item"])
            if target in self.broken_items:
                continue  # already reported where the item is defined
            if target is None or target not in earlier:
                self.problem(where, "ask_if", f"refers to {test['item']!r}, not an earlier item")
                continue
            values = test["in"]
            low, high = earlier[target].scale.min, earlier[target].scale.max
            if (
                not isinstance(values, list)
                or not values
                or not all(_is_int(v) and low <= v <= high for v in values)
            ):
                self.problem(where, "ask_if", f"values for item {target!r} must be in {low}–{high}")
                continue
            parsed.append((target, frozenset(values)))
        return Condition(mode, tuple(parsed)) if len(parsed) == len(tests) else None

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
        if not isinstance(spec, dict) or _as_id(spec.get("id")) is None:
            self.problem(f"scale #{position}", "id", "each scale needs an id")
            return None
        scale_id = str(_as_id(spec["id"]))
        where = f"scale {scale_id!r}"
        self.unknown_fields(spec, SCALE_FIELDS, where)
        members = self.scale_items(spec.get("items"), where, items)
        listed = len(spec["items"]) if isinstance(spec.get("items"), list) else 0
        raw_method = spec.get("method")
        method = Method(raw_method) if raw_method in {m.value for m in Method} else None
        if method is None:
            self.problem(where, "method", f"{raw_method!r} is not one of mean, sum, max")
        min_answered = spec.get("min_answered", listed)
        if not _is_int(min_answered) or not 1 <= min_answered <= max(listed, 1):
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
        ids = [_as_id(raw) for raw in data]
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
            item_id = _as_id(raw)
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
            if not _is_number(start) or not _is_number(end) or start >= end:
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

    def missing_codes(self, data: Any, items: list[Item]) -> frozenset[int]:
        if not isinstance(data, list) or not all(_is_int(v) for v in data):
            self.problem("", "missing_codes", "must be a list of whole numbers")
            return frozenset()
        for code in data:
            clash = [i.id for i in items if i.scale.min <= code <= i.scale.max]
            if clash:
                self.problem("", "missing_codes", f"{code} is a valid answer to item {clash[0]!r}")
        return frozenset(data)

    def screen(self, data: Any, scale_ids: set[str]) -> Screen | None:
        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem("", "screen", "must be a mapping with concern and positive_scale")
            return None
        self.unknown_fields(data, {"concern", "positive_scale", "acute_scale"}, "screen")
        concern = self.text(data, "concern", "screen")
        positive = data.get("positive_scale")
        acute = data.get("acute_scale")
        for key, value in (("positive_scale", positive), ("acute_scale", acute)):
            if value is not None and value not in scale_ids:
                self.problem("screen", key, f"names unknown scale {value!r}")
        if positive is None:
            self.problem("screen", "positive_scale", "is required")
        if positive not in scale_ids or (acute is not None and acute not in scale_ids):
            return None
        return Screen(concern, positive, acute)


def scale_range(method: Method, items: list[Item]) -> tuple[float, float]:
    lows = [i.scale.min for i in items]
    highs = [i.scale.max for i in items]
    if method is Method.SUM:
        return float(sum(lows)), float(sum(highs))
    if method is Method.MEAN:
        return sum(lows) / len(lows), sum(highs) / len(highs)
    return float(max(lows)), float(max(highs))
