"""The words of findings and support levels, read from findings.yaml and support.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent


@cache
def _findings() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (HERE / "findings.yaml").read_text(encoding="utf-8")
    )
    return data


@cache
def _support() -> dict[str, str]:
    data: dict[str, str] = yaml.safe_load((HERE / "support.yaml").read_text(encoding="utf-8"))
    return data


def _clean(text: str) -> str:
    return " ".join(text.split())


def finding_title(finding_id: str) -> str:
    return _clean(_findings()[finding_id]["title"])


def finding_text(finding_id: str, style: str, values: Mapping[str, str]) -> str:
    """The finding's words in `style` (couple, solo, ...), with names filled in."""
    entry = _findings()[finding_id]
    template = entry.get(style) or entry["solo"]
    return _clean(str(template).format_map(dict(values)))


def finding_phrase(finding_id: str, group: str, key: str, values: Mapping[str, str]) -> str:
    """A piece of a finding's words chosen by a rule (one partner's side), names filled in."""
    return _clean(str(_findings()[finding_id][group][key]).format_map(dict(values)))


def practices_for(finding_id: str) -> tuple[str, ...]:
    return tuple(_findings()[finding_id].get("practices", ()))


def support_text(level: str) -> str:
    return _clean(_support()[level])
