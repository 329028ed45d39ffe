"""Reflection prompts for the journal: questions to write about, read from `prompts.yaml`.

The file's format is documented in docs/practices.md. The loader checks the whole
file and reports every problem at once, each with its prompt and field:

    mine.yaml is not a valid prompt file (2 problems):
      - mine.yaml: prompt #1: id: use a-z, 0-9 and _, starting with a letter (got 'Bad Id')
      - mine.yaml: prompt #1: why: is required
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from attunement.datafiles import ProblemCollector, yaml_problem
from attunement.errors import AttunementError, DataFileError, Problem

PROMPT_FILE = Path(__file__).with_name("prompts.yaml")
FIELDS = {"id", "title", "question", "why", "follow_ups"}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Longest allowed, in characters; an id is stored with every entry written on it.
LIMITS = {"id": 40, "title": 80, "question": 200, "why": 600, "follow_ups": 200}
MAX_FOLLOW_UPS = 5


class PromptFileError(DataFileError):
    kind = "prompt file"


class UnknownPrompt(AttunementError, LookupError):
    def __init__(self, prompt_id: str, known: list[str]) -> None:
        self.prompt_id = prompt_id
        super().__init__(f"unknown prompt {prompt_id!r}; known prompts: {', '.join(known)}")


@dataclass(frozen=True)
class Prompt:
    """One question to write about, why it helps, and a few to carry on with."""

    id: str
    title: str
    question: str
    why: str
    follow_ups: tuple[str, ...] = ()


def prompts() -> tuple[Prompt, ...]:
    """The prompts shipped with Attunement, in file order, loaded and checked once."""
    return _load_once(PROMPT_FILE)


def get(prompt_id: str) -> Prompt:
    """One shipped prompt by id; raises UnknownPrompt for any other id."""
    for found in prompts():
        if found.id == prompt_id:
            return found
    raise UnknownPrompt(prompt_id, [p.id for p in prompts()])


def suggestion(used: Collection[str], day: date) -> Prompt:
    """Tonight's prompt: the first one not written about yet, else one a day in turn."""
    available = prompts()
    for candidate in available:
        if candidate.id not in used:
            return candidate
    return available[day.toordinal() % len(available)]


@cache
def _load_once(path: Path) -> tuple[Prompt, ...]:
    return load(path)


def load(path: str | Path) -> tuple[Prompt, ...]:
    """Load and check a prompt file; raise PromptFileError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptFileError(str(path), [Problem(str(path), "", "file", str(exc))]) from exc
    return parse(text, str(path))


def parse(text: str, file: str) -> tuple[Prompt, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        problem = yaml_problem(file, exc)
        raise PromptFileError(file, [problem]) from exc
    reader = _Reader(file)
    found = reader.prompts(data)
    if reader.problems:
        raise PromptFileError(file, reader.problems)
    return found


class _Reader(ProblemCollector):
    def prompts(self, data: Any) -> tuple[Prompt, ...]:
        if not isinstance(data, dict) or not isinstance(data.get("prompts"), list):
            self.problem("", "prompts", "is required: a list of prompts")
            return ()
        self.unknown_fields(data, {"prompts"}, "")
        if not data["prompts"]:
            self.problem("", "prompts", "must list at least one prompt")
        found: list[Prompt] = []
        for number, spec in enumerate(data["prompts"], start=1):
            prompt = self.prompt(spec, number)
            if prompt is None:
                continue
            if prompt.id in {p.id for p in found}:
                self.problem(f"prompt {prompt.id!r}", "id", "duplicate prompt id")
            found.append(prompt)
        return tuple(found)

    def prompt(self, data: Any, number: int) -> Prompt | None:
        if not isinstance(data, dict):
            self.problem(f"prompt #{number}", "prompt", "must be a mapping with id, title, ...")
            return None
        prompt_id = self.prompt_id(data.get("id"), f"prompt #{number}")
        valid = ID_PATTERN.match(prompt_id) is not None
        where = f"prompt {prompt_id!r}" if valid else f"prompt #{number}"
        self.unknown_fields(data, FIELDS, where)
        return Prompt(
            id=prompt_id,
            title=self.text(data, "title", where),
            question=self.text(data, "question", where),
            why=self.text(data, "why", where),
            follow_ups=self.follow_ups(data, where),
        )

    def prompt_id(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(where, "id", f"use a-z, 0-9 and _, starting with a letter (got {value!r})")
            return str(value)
        if len(value) > LIMITS["id"]:
            self.problem(where, "id", f"must be at most {LIMITS['id']} characters")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str) -> str:
        value = data.get(key)
        if value is None:
            self.problem(where, key, "is required")
            return ""
        return self.checked(value, key, where, key)

    def checked(self, value: Any, kind: str, where: str, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.problem(where, field, "must be non-empty text")
            return ""
        words = " ".join(value.split())
        if len(words) > LIMITS[kind]:
            self.problem(where, field, f"must be at most {LIMITS[kind]} characters")
        return words

    def follow_ups(self, data: Mapping[str, Any], where: str) -> tuple[str, ...]:
        value = data.get("follow_ups", [])
        if not isinstance(value, list):
            self.problem(where, "follow_ups", "must be a list of short questions")
            return ()
        if len(value) > MAX_FOLLOW_UPS:
            self.problem(where, "follow_ups", f"must list at most {MAX_FOLLOW_UPS} questions")
        return tuple(
            self.checked(v, "follow_ups", where, f"follow_ups[{n}]") for n, v in enumerate(value)
        )
