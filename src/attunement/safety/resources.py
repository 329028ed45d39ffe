"""Screening outcomes, and the help a person sees for them: services and messages from data.

The services and the words are in `resources.yaml` (format: docs/safety.md), so an
operator can check and localise them without touching code.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from attunement.datafiles import ProblemCollector, yaml_problem
from attunement.errors import AttunementError, DataFileError, Problem
from attunement.instruments.scoring import Score
from attunement.safety.schema import (
    CheckSpec,
    EntrySpec,
    GroupSpec,
    LabelsSpec,
    MessageKindsSpec,
    MessageSpec,
    ResourceFileSpec,
    SafetyPlanSpec,
)
from attunement.terminal import wrap

RESOURCE_FILE = Path(__file__).with_name("resources.yaml")
ENVIRONMENT_VARIABLE = "ATTUNEMENT_SAFETY_RESOURCES"
GROUPS = ("emergency", "suicide_risk", "partner_violence", "safety_planning")
SAFETY_PLAN = "safety_plan"
REQUIRED_MESSAGES = {"partner_violence": ("positive",), "suicide_risk": ("positive", "acute")}
WAYS = ("phone", "text", "web")


class ResourceFileError(DataFileError):
    kind = "safety resource file"


class UnknownConcern(AttunementError, LookupError):
    def __init__(self, concern: str, known: list[str]) -> None:
        super().__init__(f"no safety resources for {concern!r}; known: {', '.join(known)}")


@dataclass(frozen=True)
class Check:
    """When and where an entry's details were checked, or that nobody has checked them yet."""

    status: str  # "verified" (checked against `source` on `date`) or "unverified"
    date: datetime.date
    source: str  # where it was checked, or the source to check it against

    @property
    def verified(self) -> bool:
        return self.status == "verified"


UNCHECKED = Check("unverified", datetime.date.min, "")


@dataclass(frozen=True)
class Resource:
    concern: str
    name: str
    region: str
    description: str
    phone: str = ""
    text: str = ""
    web: str = ""
    checked: Check = field(default=UNCHECKED, compare=False)

    def ways(self, labels: Mapping[str, str]) -> str:
        """How to reach it, e.g. `Phone: 988 · Text: 988 · Web: 988lifeline.org`."""
        found = [(way, getattr(self, way)) for way in WAYS]
        return " · ".join(f"{labels[way]}: {value}" for way, value in found if value)


@dataclass(frozen=True)
class Group:
    title: str
    entries: tuple[Resource, ...]


@dataclass(frozen=True)
class SafetyPlan:
    title: str
    intro: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Message:
    title: str
    before: tuple[str, ...]
    show: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class ScreenOutcome:
    """What a completed safety screen found: positive, and for some screens acute."""

    concern: str
    positive: bool
    acute: bool = False

    @property
    def kind(self) -> str:
        return "acute" if self.acute else "positive"


@dataclass(frozen=True)
class SafetyResources:
    file: str
    labels: Mapping[str, str]
    groups: Mapping[str, Group]
    safety_plan: SafetyPlan
    messages: Mapping[str, Mapping[str, Message]]

    def resources_for(self, concern: str) -> list[Resource]:
        if concern not in self.groups:
            raise UnknownConcern(concern, list(self.groups))
        return list(self.groups[concern].entries)

    def unverified(self) -> list[Resource]:
        """Every entry nobody has checked against its source yet, for an operator to check."""
        return [e for g in self.groups.values() for e in g.entries if not e.checked.verified]

    def message(self, outcome: ScreenOutcome) -> Message:
        kinds = self.messages.get(outcome.concern, {})
        # A screen without its own acute message still gets its positive one.
        found = kinds.get(outcome.kind) or kinds.get("positive")
        if found is None:
            raise UnknownConcern(outcome.concern, list(self.messages))
        return found


def evaluate(score: Score) -> ScreenOutcome | None:
    """What a scored safety screen calls for; None if not a screen, or nothing was reported."""
    screen = score.instrument.screen
    if screen is None or not (score.screen_positive or score.screen_acute):
        return None
    return ScreenOutcome(screen.concern, score.screen_positive, score.screen_acute)


def resources_for(concern: str) -> list[Resource]:
    """The services for one concern (or `emergency`, `safety_planning`), in file order."""
    return current().resources_for(concern)


def help_text(outcome: ScreenOutcome, resources: SafetyResources | None = None) -> str:
    """The message for an outcome, with its services, as plain text wrapped for a terminal."""
    resources = resources or current()
    message = resources.message(outcome)
    blocks = [f"{message.title}\n{'=' * len(message.title)}"]
    blocks += [wrap(paragraph) for paragraph in message.before]
    for name in message.show:
        if name == SAFETY_PLAN:
            blocks.append(_plan_text(resources.safety_plan))
        else:
            blocks.append(group_text(resources.groups[name], resources.labels))
    blocks += [wrap(paragraph) for paragraph in message.after]
    return "\n\n".join(blocks)


def group_text(group: Group, labels: Mapping[str, str]) -> str:
    lines = [f"{group.title}:"]
    for entry in group.entries:
        lines.append(wrap(f"{entry.name} ({entry.region})", "    ", "  - "))
        lines.append(wrap(entry.ways(labels), "    "))
        lines.append(wrap(entry.description, "    "))
    return "\n".join(lines)


def _plan_text(plan: SafetyPlan) -> str:
    steps = [wrap(step, "     ", f"  {n}. ") for n, step in enumerate(plan.steps, start=1)]
    return "\n".join([f"{plan.title}:", wrap(plan.intro, "  "), *steps])


def resource_file() -> Path:
    """The file in use: $ATTUNEMENT_SAFETY_RESOURCES if set, else the one shipped."""
    return Path(os.environ.get(ENVIRONMENT_VARIABLE) or RESOURCE_FILE)


def current() -> SafetyResources:
    """The resources in use, loaded and checked once per file."""
    return _load_once(resource_file())


@cache
def _load_once(path: Path) -> SafetyResources:
    return load(path)


def load(path: str | Path) -> SafetyResources:
    """Load and check a resource file; raise ResourceFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceFileError(str(path), [Problem(str(path), "", "file", str(exc))]) from exc
    return parse(text, str(path))


def parse(text: str, file: str) -> SafetyResources:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = yaml_problem(file, exc)
        raise ResourceFileError(file, [problem]) from exc
    reader = _Reader(file)
    resources = reader.resources(data)
    if reader.problems or resources is None:
        raise ResourceFileError(file, reader.problems)
    return resources


class _Reader(ProblemCollector):
    def mapping(self, data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict):
            self.problem(where, key, "is required: a mapping")
            return {}
        return value

    def text(self, model: type[BaseModel], data: Mapping[str, Any], key: str, where: str) -> str:
        """A text field (`schema.Words`), or "" when it is missing or wrong (and reported)."""
        return str(self.field(model, data, key, where) or "")

    def texts(
        self, model: type[BaseModel], data: Mapping[str, Any], key: str, where: str
    ) -> tuple[str, ...]:
        """A list of texts (`schema.Texts`); () when it is wrong (and reported)."""
        return tuple(self.field(model, data, key, where))

    def resources(self, data: Any) -> SafetyResources | None:
        if not isinstance(data, dict):
            self.problem(
                "", "file", "must be a mapping with labels, resources, safety_plan, messages"
            )
            return None
        self.unknown_fields(data, ResourceFileSpec, "")
        labels = self.mapping(data, "labels", "")
        self.unknown_fields(labels, LabelsSpec, "labels")
        groups = self.groups(self.mapping(data, "resources", ""))
        return SafetyResources(
            file=self.file,
            labels={way: self.text(LabelsSpec, labels, way, "labels") for way in WAYS},
            groups=groups,
            safety_plan=self.safety_plan(self.mapping(data, "safety_plan", "")),
            messages=self.messages(self.mapping(data, "messages", ""), set(groups)),
        )

    def groups(self, data: Mapping[str, Any]) -> dict[str, Group]:
        for missing in (g for g in GROUPS if g not in data):
            self.problem("resources", missing, "is required: a group with a title and entries")
        groups: dict[str, Group] = {}
        for concern, spec in data.items():
            where = f"resources.{concern}"
            if not isinstance(spec, dict):
                self.problem("resources", str(concern), "must be a mapping with title and entries")
                continue
            self.unknown_fields(spec, GroupSpec, where)
            entries = spec.get("entries")
            if not isinstance(entries, list) or not entries:
                self.problem(where, "entries", "is required: a list of services")
                entries = []
            found = (self.entry(str(concern), e, f"{where}[{n}]") for n, e in enumerate(entries))
            title = self.text(GroupSpec, spec, "title", where)
            groups[str(concern)] = Group(title, tuple(e for e in found if e is not None))
        return groups

    def entry(self, concern: str, data: Any, where: str) -> Resource | None:
        if not isinstance(data, dict):
            self.problem(where, "entry", "must be a mapping with name, region, description, ...")
            return None
        self.unknown_fields(data, EntrySpec, where)
        ways = {way: self.text(EntrySpec, data, way, where) for way in WAYS}
        if not any(ways.values()):
            self.problem(where, "phone/text/web", "at least one way to reach it is required")
        return Resource(
            concern=concern,
            name=self.text(EntrySpec, data, "name", where),
            region=self.text(EntrySpec, data, "region", where),
            description=self.text(EntrySpec, data, "description", where),
            **ways,
            checked=self.check(data.get("checked"), f"{where}.checked"),
        )

    def check(self, data: Any, where: str) -> Check:
        if not isinstance(data, dict):
            self.problem(where.rsplit(".", 1)[0], "checked", "is required: {status, date, source}")
            return UNCHECKED
        self.unknown_fields(data, CheckSpec, where)
        status = self.field(CheckSpec, data, "status", where) or "unverified"
        date = self.date(data.get("date"), where)
        return Check(status, date, self.text(CheckSpec, data, "source", where))

    def date(self, value: Any, where: str) -> datetime.date:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value  # YAML reads an unquoted 2026-12-06 as a date
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.problem(where, "date", f"{value!r} is not a date written as YYYY-MM-DD")
            return datetime.date.min

    def safety_plan(self, data: Mapping[str, Any]) -> SafetyPlan:
        self.unknown_fields(data, SafetyPlanSpec, "safety_plan")
        steps = self.texts(SafetyPlanSpec, data, "steps", "safety_plan")
        if data and not steps:
            self.problem("safety_plan", "steps", "is required: a list of short steps")
        return SafetyPlan(
            title=self.text(SafetyPlanSpec, data, "title", "safety_plan"),
            intro=self.text(SafetyPlanSpec, data, "intro", "safety_plan"),
            steps=steps,
        )

    def messages(self, data: Mapping[str, Any], groups: set[str]) -> dict[str, dict[str, Message]]:
        for concern, kinds in REQUIRED_MESSAGES.items():
            for kind in kinds:
                if not isinstance(data.get(concern), dict) or kind not in data[concern]:
                    self.problem("messages", f"{concern}.{kind}", "is required")
        messages: dict[str, dict[str, Message]] = {}
        for concern, kinds in data.items():
            if not isinstance(kinds, dict):
                self.problem("messages", str(concern), "must map positive/acute to a message")
                continue
            self.unknown_fields(kinds, MessageKindsSpec, f"messages.{concern}")
            messages[str(concern)] = {
                str(kind): self.message(spec, f"messages.{concern}.{kind}", groups)
                for kind, spec in kinds.items()
                if kind in ("positive", "acute")
            }
        return messages

    def message(self, data: Any, where: str, groups: set[str]) -> Message:
        if not isinstance(data, dict):
            self.problem(where, "message", "must be a mapping with title, before, show, after")
            data = {}
        self.unknown_fields(data, MessageSpec, where)
        show = self.texts(MessageSpec, data, "show", where)
        for name in show:
            if name not in groups and name != SAFETY_PLAN:
                known = ", ".join([*sorted(groups), SAFETY_PLAN])
                self.problem(where, "show", f"{name!r} is not a resource group (known: {known})")
        return Message(
            title=self.text(MessageSpec, data, "title", where),
            before=self.texts(MessageSpec, data, "before", where),
            show=show,
            after=self.texts(MessageSpec, data, "after", where),
        )
