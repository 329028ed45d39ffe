"""Help as the pages show it: services grouped as in the safety resource file.

Used by the private help pages after a positive screen, and wherever a person's
own words suggest they may be in danger (the coach, the journal, the flows).
That help is only ever shown to the person who wrote the words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from attunement import safety
from attunement.safety import crisis
from attunement.safety.resources import SAFETY_PLAN


@dataclass(frozen=True)
class Service:
    """A service as shown: its ways to reach it are (label, text, link) with link possibly empty."""

    name: str
    region: str
    description: str
    ways: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Block:
    """One part of a help message: a group of services, or the safety plan."""

    title: str
    services: tuple[Service, ...] = ()
    steps: tuple[str, ...] = ()
    intro: str = ""


@dataclass(frozen=True)
class WrittenHelp:
    """Help for one concern found in what the person wrote."""

    concern: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class OfferedHelp:
    """Help for what a person wrote: `plain`, for concerns the words say plainly (the
    full panel, at once), and `quiet`, for those only the model raised, faintly (one
    line that opens onto the same services). False when there is none."""

    plain: tuple[WrittenHelp, ...] = ()
    quiet: tuple[WrittenHelp, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.plain or self.quiet)


def block(resources: safety.SafetyResources, name: str) -> Block:
    if name == SAFETY_PLAN:
        plan = resources.safety_plan
        return Block(plan.title, steps=plan.steps, intro=plan.intro)
    group = resources.groups[name]
    shown = tuple(service(entry, resources.labels) for entry in group.entries)
    return Block(group.title, services=shown)


def service(entry: safety.Resource, labels: Mapping[str, str]) -> Service:
    ways = []
    if entry.phone:
        ways.append((labels["phone"], entry.phone, "tel:" + re.sub(r"[^\d+]", "", entry.phone)))
    if entry.text:
        ways.append((labels["text"], entry.text, ""))
    if entry.web:
        link = (
            entry.web if entry.web.startswith(("https://", "http://")) else f"https://{entry.web}"
        )
        ways.append((labels["web"], entry.web, link))
    return Service(entry.name, entry.region, entry.description, tuple(ways))


def for_writing(text: str, found: crisis.Reading | None = None) -> OfferedHelp:
    """Help for each concern the crisis words in `text` point to (false when none):
    the full help for those said plainly, a quiet pointer to it for the others
    (`crisis.Reading`).

    The services shown are the ones the resource file shows after a positive screen
    for the same concern (the safety plan is left out: it belongs to the help page).
    `found`: the crisis reading of `text`, when the caller already has it.
    """
    found = found if found is not None else crisis.read(text)
    if not found.concerns:
        return OfferedHelp()
    resources = safety.current()

    def written(concerns: frozenset[str]) -> tuple[WrittenHelp, ...]:
        shown = []
        for concern in sorted(concerns):
            message = resources.message(safety.ScreenOutcome(concern, positive=True))
            names = [name for name in message.show if name != SAFETY_PLAN]
            shown.append(WrittenHelp(concern, tuple(block(resources, name) for name in names)))
        return tuple(shown)

    return OfferedHelp(written(found.plain), written(found.quiet))
