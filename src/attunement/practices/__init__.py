"""Repair practices: the catalogue the couple report recommends from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CATALOGUE = Path(__file__).parent / "catalogue.yaml"


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    summary: str


@cache
def catalogue() -> dict[str, Practice]:
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return {
        key: Practice(key, " ".join(value["title"].split()), " ".join(value["summary"].split()))
        for key, value in data.items()
    }
