"""What every reader of a data file (instruments, safety resources) shares."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from attunement.errors import DataFileError, Problem


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

    def unknown_fields(self, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
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
