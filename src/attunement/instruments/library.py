"""The instruments that ship with Attunement, and lookup by id or by file."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from attunement.errors import UnknownInstrument
from attunement.instruments.loader import load_file
from attunement.instruments.model import Instrument

DEFINITIONS = Path(__file__).parent / "definitions"
# Every shipped instrument has exactly one use, listed in battery.yml.
USES = ("core", "deep_dives", "checkin")


@cache
def library() -> dict[str, Instrument]:
    """Every shipped instrument by id, in battery order, then the rest by id."""
    found = {i.id: i for i in map(load_file, sorted(DEFINITIONS.glob("*.yaml")))}
    order = battery()["core"] + battery()["deep_dives"] + battery()["checkin"]
    ranked = sorted(found, key=lambda i: (order.index(i) if i in order else len(order), i))
    return {i: found[i] for i in ranked}


@cache
def battery() -> dict[str, list[str]]:
    """What each instrument is for: the core battery (in asking order), deep dives, check-in."""
    data = yaml.safe_load((DEFINITIONS / "battery.yml").read_text(encoding="utf-8"))
    return {use: list(data.get(use, [])) for use in USES}


@cache
def first_result() -> list[str]:
    """The start of the core battery after which a person sees a first result."""
    data = yaml.safe_load((DEFINITIONS / "battery.yml").read_text(encoding="utf-8"))
    return list(data.get("first_result", []))


def get(instrument_id: str) -> Instrument:
    try:
        return library()[instrument_id]
    except KeyError:
        raise UnknownInstrument(instrument_id, list(library())) from None


def resolve(id_or_file: str | Path) -> Instrument:
    """An instrument by library id, or loaded from a YAML file path."""
    path = Path(id_or_file)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return load_file(path)
    return get(str(id_or_file))


def asking_order(instrument_ids: list[str]) -> list[Instrument]:
    """The instruments to ask, safety screens first, then in battery order."""
    chosen = [get(i) for i in dict.fromkeys(instrument_ids)]
    order = list(library())
    return sorted(chosen, key=lambda i: (i.screen is None, order.index(i.id)))
