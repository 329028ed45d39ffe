"""Read an instrument file and report every problem in it, not just the first.

The instrument, its response scales and items are read here; its scales by
`scale_reader`, the reader's base.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from attunement.datafiles import yaml_problem
from attunement.errors import InstrumentFileError, Problem
from attunement.instruments.model import (
    Condition,
    Instrument,
    Item,
    Licence,
    LicenceStatus,
    ResponseScale,
    Screen,
)
from attunement.instruments.scale_reader import ScaleReader, as_id, is_int
from attunement.instruments.schema import (
    InstrumentSpec,
    ItemSpec,
    LicenceSpec,
    ResponseScaleSpec,
    ScreenSpec,
)


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


class _Reader(ScaleReader):
    def instrument(self, data: Any) -> Instrument | None:
        if not isinstance(data, dict):
            self.problem("", "file", "must be a mapping of fields (id, title, items, ...)")
            return None
        self.unknown_fields(data, InstrumentSpec, "")
        instrument_id = self.field(InstrumentSpec, data, "id", "") or ""
        title = self.field(InstrumentSpec, data, "title", "") or ""
        response_scales = self.response_scales(data.get("response_scales"))
        items = self.items(data.get("items"), response_scales)
        validated = self.field(InstrumentSpec, data, "validated", "")
        scales = self.scales(data.get("scales"), {i.id: i for i in items}, validated)
        missing_codes = self.missing_codes(data, items)
        screen = self.screen(data.get("screen"), {s.id for s in scales})
        return Instrument(
            id=instrument_id,
            title=title,
            short_title=self.field(InstrumentSpec, data, "short_title", "") or instrument_id,
            citation=self.field(InstrumentSpec, data, "citation", "") or "",
            licence=self.licence(data.get("licence")),
            instructions=self.field(InstrumentSpec, data, "instructions", "") or "",
            response_scales=response_scales,
            items=tuple(items),
            scales=tuple(scales),
            missing_codes=missing_codes,
            screen=screen,
            notes=self.field(InstrumentSpec, data, "notes", ""),
            validated=validated,
        )

    def licence(self, data: Any) -> Licence:
        statuses = ", ".join(s.value for s in LicenceStatus)
        if not isinstance(data, dict):
            self.problem("", "licence", f"is required: a mapping with status ({statuses}) and note")
            return Licence(LicenceStatus.NO_GRANT, "")
        self.unknown_fields(data, LicenceSpec, "licence")
        status = self.field(LicenceSpec, data, "status", "licence") or LicenceStatus.NO_GRANT
        return Licence(status, self.field(LicenceSpec, data, "note", "licence") or "")

    def response_scales(self, data: Any) -> dict[str, ResponseScale]:
        if not isinstance(data, dict) or not data:
            self.problem("", "response_scales", "is required: a mapping of scale id to min/max")
            return {}
        found: dict[str, ResponseScale] = {}
        for raw_id, spec in data.items():
            scale_id = as_id(raw_id) or str(raw_id)
            where = f"response scale {scale_id!r}"
            if not isinstance(spec, dict):
                self.problem(where, "definition", "must be a mapping with min, max and labels")
                continue
            self.unknown_fields(spec, ResponseScaleSpec, where)
            low: Any = spec.get("min")
            high: Any = spec.get("max")
            if not self.fits(ResponseScaleSpec, "min", low) or not self.fits(
                ResponseScaleSpec, "max", high
            ):
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
            if not is_int(value) or not low <= value <= high:
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
        item_id = as_id(spec.get("id"))
        if item_id is None:
            self.problem(f"item #{position}", "id", "is required (text such as '1' or 'A2')")
            return None
        where = f"item {item_id!r}"
        self.unknown_fields(spec, ItemSpec, where)
        text = self.field(ItemSpec, spec, "text", where) or ""
        scale = self.item_scale(spec, where, response_scales)
        reverse = self.field(ItemSpec, spec, "reverse", where)
        ask_if = self.condition(spec.get("ask_if"), where, earlier)
        required = self.field(ItemSpec, spec, "required", where)
        section = self.field(ItemSpec, spec, "section", where)
        if scale is None:
            if reverse:
                self.problem(where, "reverse", "a reverse-keyed item needs a response scale range")
            self.broken_items.add(item_id)
            return None
        if_not_asked = spec.get("if_not_asked")
        if if_not_asked is not None:
            if ask_if is None:
                self.problem(where, "if_not_asked", "only makes sense with ask_if")
            elif not is_int(if_not_asked) or not scale.min <= if_not_asked <= scale.max:
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
            target = as_id(test["item"])
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
                or not all(is_int(v) and low <= v <= high for v in values)
            ):
                self.problem(where, "ask_if", f"values for item {target!r} must be in {low}–{high}")
                continue
            parsed.append((target, frozenset(values)))
        return Condition(mode, tuple(parsed)) if len(parsed) == len(tests) else None

    def missing_codes(self, spec: Mapping[str, Any], items: list[Item]) -> frozenset[int]:
        data: list[int] = self.field(InstrumentSpec, spec, "missing_codes", "")
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
        self.unknown_fields(data, ScreenSpec, "screen")
        concern = self.field(ScreenSpec, data, "concern", "screen") or ""
        positive: Any = data.get("positive_scale")
        acute: Any = data.get("acute_scale")
        known = {
            key: self.fits(ScreenSpec, key, value) and value in scale_ids
            for key, value in (("positive_scale", positive), ("acute_scale", acute))
        }
        for key, value in (("positive_scale", positive), ("acute_scale", acute)):
            if value is not None and not known[key]:
                self.problem("screen", key, f"names unknown scale {value!r}")
        if positive is None:
            self.problem("screen", "positive_scale", "is required")
        if not known["positive_scale"] or (acute is not None and not known["acute_scale"]):
            return None
        return Screen(concern, positive, acute)
