"""Guided repair flows and the feelings vocabulary, read from `flows.yaml` and `feelings.yaml`.

A flow is a few steps with one question each; `compose` puts a person's answers
together into a draft message they can then rewrite in their own words. The
formats are documented in docs/practices.md. Like every data file here, a file
is checked whole and every problem is reported at once, with its place and field.

>>> wheel = get("feedback_wheel")
>>> compose(wheel, {"saw": "Last night you were on your phone", "feel": "I felt lonely"})
"I'm bringing this up because I want us to be closer. What I noticed was that last night you \
were on your phone. I felt lonely. You don't have to fix anything; I wanted you to know."
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from attunement.datafiles import ProblemCollector, read_yaml
from attunement.errors import AttunementError, DataFileError
from attunement.practices import sentences

FLOW_FILE = Path(__file__).with_name("flows.yaml")
FEELINGS_FILE = Path(__file__).with_name("feelings.yaml")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
FLOW_FIELDS = {"id", "title", "intro", "joint", "opening", "closing", "steps"}
STEP_FIELDS = {
    "id", "title", "question", "hint", "example", "lead_in", "stems", "feelings", "required"
}  # fmt: skip
# Other ways of starting an answer that say what the lead-in says.
STEMS_MAX = 30
# Longest answer to one step, in characters: a step is a sentence or two, not a letter.
ANSWER_MAX_LENGTH = 2_000
# The whole message, after the person rewrote it as they like.
MESSAGE_MAX_LENGTH = 10_000
ENDINGS = sentences.ENDINGS


class FlowFileError(DataFileError):
    kind = "flow file"


class UnknownFlow(AttunementError, LookupError):
    def __init__(self, flow_id: str, known: list[str]) -> None:
        self.flow_id = flow_id
        super().__init__(f"unknown practice flow {flow_id!r}; known flows: {', '.join(known)}")


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    question: str
    hint: str
    example: str
    lead_in: str
    feelings: bool = False
    required: bool = True
    stems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    intro: str
    joint: bool
    steps: tuple[Step, ...]
    opening: str = ""
    closing: str = ""

    def step(self, number: int) -> Step:
        """Step `number`, counted from 1 as the pages show it; IndexError outside the flow."""
        if not 1 <= number <= len(self.steps):
            raise IndexError(number)
        return self.steps[number - 1]


@dataclass(frozen=True)
class GuideStep:
    title: str
    text: str


@dataclass(frozen=True)
class ListenerGuide:
    title: str
    intro: str
    steps: tuple[GuideStep, ...]


@dataclass(frozen=True)
class FeelingGroup:
    name: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Flows:
    flows: tuple[Flow, ...]
    listener_guide: ListenerGuide


def flows() -> tuple[Flow, ...]:
    """The shipped flows in file order, loaded and checked once."""
    return _load_once(FLOW_FILE).flows


def get(flow_id: str) -> Flow:
    for found in flows():
        if found.id == flow_id:
            return found
    raise UnknownFlow(flow_id, [f.id for f in flows()])


def listener_guide() -> ListenerGuide:
    return _load_once(FLOW_FILE).listener_guide


def feelings() -> tuple[FeelingGroup, ...]:
    return _feelings_once(FEELINGS_FILE)


def compose(flow: Flow, answers: Mapping[str, str]) -> str:
    """The answers as one message, in step order, empty ones left out (see `sentences`).

    The opening comes first; the closing only after at least one answer. The result
    is only a first draft; the person edits it freely before keeping or sending it.
    """
    names = sentences.names_in(answers.get(step.id, "") for step in flow.steps)
    parts = [
        sentences.sentence(
            step.lead_in,
            step.stems,
            answers.get(step.id, ""),
            feelings=step.feelings,
            names=names,
        )
        for step in flow.steps
    ]
    said = [part for part in parts if part]
    if said and flow.closing:
        said.append(flow.closing)
    return " ".join([flow.opening, *said] if flow.opening else said)


def missing(flow: Flow, answers: Mapping[str, str]) -> list[Step]:
    """Required steps the person has not answered yet."""
    return [s for s in flow.steps if s.required and not answers.get(s.id, "").strip()]


@cache
def _load_once(path: Path) -> Flows:
    return load(path)


@cache
def _feelings_once(path: Path) -> tuple[FeelingGroup, ...]:
    return load_feelings(path)


def load(path: str | Path) -> Flows:
    """Load and check a flow file; raise FlowFileError listing every problem."""
    data, file = read_yaml(Path(path), FlowFileError), str(path)
    reader = _Reader(file)
    found = reader.read(data)
    if reader.problems:
        raise FlowFileError(file, reader.problems)
    return found


def load_feelings(path: str | Path) -> tuple[FeelingGroup, ...]:
    """Load and check a feelings vocabulary; raise FlowFileError listing every problem."""
    data, file = read_yaml(Path(path), FlowFileError), str(path)
    reader = _Reader(file)
    if isinstance(data, dict):
        reader.unknown_fields(data, {"groups"}, "")
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not groups:
        reader.problem("", "groups", "is required: a list of groups with a name and words")
        groups = []
    found = []
    for number, group in enumerate(groups, start=1):
        where = f"group #{number}"
        if not isinstance(group, dict):
            reader.problem(where, "group", "must be a mapping with name and words")
            continue
        reader.unknown_fields(group, {"name", "words"}, where)
        words = group.get("words")
        if not isinstance(words, list) or not words:
            reader.problem(where, "words", "must be a non-empty list of words")
            words = []
        found.append(
            FeelingGroup(
                reader.text(group, "name", where),
                tuple(reader.checked(w, where, f"words[{n}]") for n, w in enumerate(words)),
            )
        )
    if reader.problems:
        raise FlowFileError(file, reader.problems)
    return tuple(found)


class _Reader(ProblemCollector):
    def read(self, data: Any) -> Flows:
        if not isinstance(data, dict):
            self.problem("", "flows", "is required: a list of flows")
            return Flows((), self.guide(None))
        self.unknown_fields(data, {"flows", "listener_guide"}, "")
        specs = data.get("flows")
        if not isinstance(specs, list) or not specs:
            self.problem("", "flows", "is required: a non-empty list of flows")
            specs = []
        found: list[Flow] = []
        for number, spec in enumerate(specs, start=1):
            flow = self.flow(spec, number)
            if flow is None:
                continue
            if flow.id in {f.id for f in found}:
                self.problem(f"flow {flow.id!r}", "id", "duplicate flow id")
            found.append(flow)
        return Flows(tuple(found), self.guide(data.get("listener_guide")))

    def flow(self, data: Any, number: int) -> Flow | None:
        if not isinstance(data, dict):
            self.problem(f"flow #{number}", "flow", "must be a mapping with id, title, ...")
            return None
        flow_id = self.identifier(data.get("id"), f"flow #{number}")
        where = f"flow {flow_id!r}" if ID_PATTERN.match(flow_id) else f"flow #{number}"
        self.unknown_fields(data, FLOW_FIELDS, where)
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            self.problem(where, "steps", "must be a non-empty list of steps")
            steps = []
        found: list[Step] = []
        for index, spec in enumerate(steps, start=1):
            step = self.step(spec, f"{where}, step #{index}")
            if step is not None:
                if step.id in {s.id for s in found}:
                    self.problem(f"{where}, step {step.id!r}", "id", "duplicate step id")
                found.append(step)
        return Flow(
            id=flow_id,
            title=self.text(data, "title", where),
            intro=self.text(data, "intro", where),
            joint=self.flag(data, "joint", where),
            steps=tuple(found),
            opening=self.text(data, "opening", where, required=False),
            closing=self.text(data, "closing", where, required=False),
        )

    def step(self, data: Any, where: str) -> Step | None:
        if not isinstance(data, dict):
            self.problem(where, "step", "must be a mapping with id, title, question, ...")
            return None
        step_id = self.identifier(data.get("id"), where)
        self.unknown_fields(data, STEP_FIELDS, where)
        required = data.get("required", True)
        if not isinstance(required, bool):
            self.problem(where, "required", "must be true or false")
            required = True
        return Step(
            id=step_id,
            title=self.text(data, "title", where),
            question=self.text(data, "question", where),
            hint=self.text(data, "hint", where),
            example=self.text(data, "example", where),
            lead_in=self.text(data, "lead_in", where),
            feelings=self.flag(data, "feelings", where),
            required=required,
            stems=self.stems(data.get("stems"), where),
        )

    def guide(self, data: Any) -> ListenerGuide:
        where = "listener_guide"
        if not isinstance(data, dict):
            self.problem("", where, "is required: a title, an intro and steps")
            return ListenerGuide("", "", ())
        self.unknown_fields(data, {"title", "intro", "steps"}, where)
        steps = data.get("steps")
        if not isinstance(steps, list) or not steps:
            self.problem(where, "steps", "must be a non-empty list of steps")
            steps = []
        found = []
        for number, spec in enumerate(steps, start=1):
            place = f"{where}, step #{number}"
            if not isinstance(spec, dict):
                self.problem(place, "step", "must be a mapping with title and text")
                continue
            self.unknown_fields(spec, {"title", "text"}, place)
            found.append(GuideStep(self.text(spec, "title", place), self.text(spec, "text", place)))
        return ListenerGuide(
            self.text(data, "title", where), self.text(data, "intro", where), tuple(found)
        )

    def stems(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or len(value) > STEMS_MAX:
            self.problem(where, "stems", f"must be a list of at most {STEMS_MAX} texts")
            return ()
        return tuple(self.checked(stem, where, f"stems[{n}]") for n, stem in enumerate(value))

    def identifier(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not ID_PATTERN.match(value) or len(value) > 40:
            self.problem(
                where,
                "id",
                f"use a-z, 0-9 and _, starting with a letter, at most 40 (got {value!r})",
            )
            return str(value)
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(where, key, "is required")
            return ""
        return self.checked(value, where, key)

    def checked(self, value: Any, where: str, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problem(where, field, "must be non-empty text")
            return ""
        return " ".join(value.split())
