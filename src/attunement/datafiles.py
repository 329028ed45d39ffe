"""What every reader of a data file (instruments, safety resources) shares.

A file kind declares its structure as pydantic models (see
`attunement.instruments.schema`): each field's type, whether it is required,
its allowed values, and which keys a mapping may hold (`extra="forbid"`). A
reader walks the file in document order, checks each field against its
declared type with `ProblemCollector.field`, and adds the checks that relate
one field to another; every problem names the file, the place and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from attunement.errors import DataFileError, Problem


@dataclass(frozen=True)
class Says:
    """Field metadata: the problem reported when a value does not fit the declared type.

    `invalid` and `missing` may name the value given as `{value!r}`; `by_error`
    gives messages for some pydantic error types (e.g. a pattern mismatch).
    """

    invalid: str
    missing: str = "is required"
    by_error: tuple[tuple[str, str], ...] = ()  # (pydantic error type, message)
    none_is_missing: bool = True  # `key:` with no value counts as absent (False: as invalid)


def allowed_keys(model: type[BaseModel]) -> set[str]:
    """The keys a mapping of this kind may hold: its fields, by their names in the file."""
    return {info.alias or name for name, info in model.model_fields.items()}


@cache
def _field(model: type[BaseModel], key: str) -> tuple[TypeAdapter[Any], Says, bool, Any]:
    name, info = next((n, i) for n, i in model.model_fields.items() if (i.alias or n) == key)
    # The outermost `Says` wins: `Annotated[Text, Says(...)]` overrides Text's own.
    says = next((m for m in reversed(info.metadata) if isinstance(m, Says)), None)
    if says is None:
        says = Says(f"does not fit {model.__name__}.{name}")
    annotated: Any = info.annotation
    if info.metadata:
        annotated = Annotated[annotated, *info.metadata]
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    return TypeAdapter(annotated), says, info.is_required(), default


def yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    """A YAML syntax error as a problem, with its line and column when YAML knows them."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    reason = getattr(exc, "problem", None) or "cannot be read"
    return Problem(file, "", "yaml", f"not valid YAML{where}: {reason}")


class ProblemCollector:
    """Collects every problem in a file, each with its place and field."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, field, message))

    def unknown_fields(
        self, data: Mapping[str, Any], allowed: set[str] | type[BaseModel], where: str
    ) -> None:
        if not isinstance(allowed, set):
            allowed = allowed_keys(allowed)
        for key in data:
            if key not in allowed:
                self.problem(
                    where, str(key), f"unknown field (allowed: {', '.join(sorted(allowed))})"
                )

    def flag(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.problem(where, key, "must be true or false")
            return False
        return value

    def field(self, model: type[BaseModel], data: Mapping[str, Any], key: str, where: str) -> Any:
        """`data[key]` validated against the type `model` declares for it, or its default.

        A missing required field, or a value that does not fit, is reported with
        the field's own message and gives None (or the default).
        """
        adapter, says, required, default = _field(model, key)
        value = data.get(key)
        if value is None and key in data and not says.none_is_missing:
            self.problem(where, key, says.invalid.format(value=None))
            return default
        if value is None:
            if required:
                self.problem(where, key, says.missing.format(value=None))
            return default
        try:
            return adapter.validate_python(value)
        except ValidationError as exc:
            kind = exc.errors()[0]["type"]
            message = dict(says.by_error).get(kind, says.invalid)
            self.problem(where, key, message.format(value=value))
            return default

    def fits(self, model: type[BaseModel], key: str, value: Any) -> bool:
        """Whether `value` fits the type `model` declares for `key` (no problem reported)."""
        try:
            _field(model, key)[0].validate_python(value)
        except ValidationError:
            return False
        return True


def read_yaml(path: Path, error: type[DataFileError]) -> Any:
    """The YAML data in a file; `error` (naming the file) if it cannot be read or parsed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise error(str(path), [Problem(str(path), "", "file", str(exc))]) from exc
    return parse_yaml(text, str(path), error)


def parse_yaml(text: str, file: str, error: type[DataFileError]) -> Any:
    """YAML text parsed, or `error` with the line and column of the syntax problem."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(file, [yaml_problem(file, exc)]) from exc
