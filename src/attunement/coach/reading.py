"""Reading the rules file's YAML: every helper records a problem instead of stopping."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from attunement.coach.phrases import PhraseCompiler, WordSearch
from attunement.datafiles import ProblemCollector


class RuleReader(ProblemCollector):
    """Collects every problem in a rules file, each with its place and field."""

    compiler: PhraseCompiler

    def mapping(self, data: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
        value = data.get(name)
        if not isinstance(value, dict):
            self.problem(where, name, "is required: a mapping")
            return {}
        return value

    def text(self, data: Mapping[str, Any], name: str, where: str) -> str:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            self.problem(where, name, "is required: non-empty text")
            return ""
        return " ".join(value.split())

    def texts(
        self, data: Mapping[str, Any], name: str, where: str, *, required: bool = True
    ) -> list[str]:
        value = data.get(name)
        if value is None and not required:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.problem(where, name, "is required: a non-empty list of texts")
            return []
        wrong = [(n, v) for n, v in enumerate(value) if not isinstance(v, str) or not v.strip()]
        for n, v in wrong:
            hint = " (quote words YAML reads as true/false, like no, on, yes)" * isinstance(v, bool)
            self.problem(where, f"{name}[{n}]", f"must be non-empty text, not {v!r}{hint}")
        return [] if wrong else [" ".join(v.split()) for v in value]

    def number(
        self, data: Mapping[str, Any], name: str, where: str, default: int, low: int, high: int
    ) -> int:
        value = data.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(where, name, f"must be a whole number from {low} to {high}")
            return default
        return value

    def word_set(self, data: Mapping[str, Any], name: str, where: str) -> frozenset[str]:
        return frozenset(w.lower() for w in self.texts(data, name, where))

    def phrases(self, phrases: list[str], where: str, field: str) -> re.Pattern[str] | None:
        lowered = [p.lower() for p in phrases]
        return self.compiler.phrases(lowered, lambda message: self.problem(where, field, message))

    def searcher(self, phrases: list[str], where: str, field: str) -> WordSearch | None:
        lowered = [p.lower() for p in phrases]
        return self.compiler.searcher(lowered, lambda message: self.problem(where, field, message))

    def regex(self, source: str, where: str, field: str, *, groups: bool = False) -> str | None:
        report = lambda message: self.problem(where, field, message)  # noqa: E731
        return self.compiler.regex(source, report, groups=groups)
