"""The words a person reads for each early-warning flag, read from messages.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from attunement.progress.warning import Flag, PartnerFlags

MESSAGES_FILE = Path(__file__).with_name("messages.yaml")


@dataclass(frozen=True)
class Message:
    flag: Flag
    title: str
    text: str
    support: bool  # show the link to the support page under it


@cache
def _messages() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))
    return data


def _clean(text: str) -> str:
    return " ".join(text.split())


def message(flag: Flag, *, weeks: int = 0) -> Message:
    """The message for one flag; `weeks` fills {weeks} (the run below the cut-off)."""
    entry = _messages()[flag.value]
    text = _clean(str(entry["text"])).format(weeks=weeks)
    return Message(flag, _clean(str(entry["title"])), text, entry["support"] is True)


def messages_for(partner: PartnerFlags, *, diverging: bool = False) -> list[Message]:
    """What one partner reads: their own flags, then the couple flag if it applies."""
    flags = [*partner.flags, *([Flag.DIVERGING] if diverging else [])]
    return [message(f, weeks=partner.below_cutoff_weeks) for f in flags]
