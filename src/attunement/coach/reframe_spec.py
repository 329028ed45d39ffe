"""The `reframe` section of the rules file: the feedback wheel's words, read and checked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from attunement.coach.phrases import WordSearch
from attunement.coach.reading import RuleReader

SITUATIONS = ("subject_and_time", "subject", "time", "none")
STORY_FIELDS = {"made_up", "feeling", "request", "wish", "wish_request"}
SUBJECT_FIELDS = {"determiners", "skip", "modifiers", "times", "trim"}


@dataclass(frozen=True)
class Story:
    """What one protective pattern's reframe says it made up, feels and would like."""

    made_up: str
    feeling: str
    request: str
    wish: re.Pattern[str] | None = None
    wish_request: str = ""


@dataclass(frozen=True)
class ReframeSpec:
    order: tuple[str, ...]
    situations: Mapping[str, str]
    feeling: str
    stories: Mapping[str, Story]
    subject: re.Pattern[str]
    skip: frozenset[str]
    modifiers: frozenset[str]
    times: WordSearch | None
    trim: frozenset[str]
    feelings: WordSearch | None


def read_reframe(
    reader: RuleReader, data: Mapping[str, Any], protective: tuple[str, ...], feelings: list[str]
) -> ReframeSpec:
    reader.unknown_fields(
        data, {"order", "situations", "feeling", "stories", "subjects"}, "reframe"
    )
    order = reader.texts(data, "order", "reframe")
    for name in sorted(set(protective) - set(order)):
        reader.problem("reframe", "order", f"{name!r} is missing")
    situations = reader.mapping(data, "situations", "reframe")
    reader.unknown_fields(situations, set(SITUATIONS), "reframe.situations")
    stories = reader.mapping(data, "stories", "reframe")
    reader.unknown_fields(stories, set(protective), "reframe.stories")
    subjects = reader.mapping(data, "subjects", "reframe")
    where = "reframe.subjects"
    reader.unknown_fields(subjects, SUBJECT_FIELDS, where)
    determiners = "|".join(map(re.escape, reader.word_set(subjects, "determiners", where)))
    times = reader.texts(subjects, "times", where)
    return ReframeSpec(
        order=tuple(name for name in order if name in protective),
        situations={s: reader.text(situations, s, "reframe.situations") for s in SITUATIONS},
        feeling=reader.text(data, "feeling", "reframe"),
        stories={label: _story(reader, stories, label) for label in protective},
        # No look-behind first, so the regex engine can skip ahead; callers check the start.
        subject=re.compile(rf"(?:{determiners or '(?!)'})\s+([\w']+)(?:\s+([\w']+))?"),
        skip=reader.word_set(subjects, "skip", where),
        modifiers=reader.word_set(subjects, "modifiers", where),
        times=reader.searcher(times, where, "times") if times else None,
        trim=reader.word_set(subjects, "trim", where),
        feelings=reader.searcher(feelings, "words", "feelings") if feelings else None,
    )


def _story(reader: RuleReader, data: Mapping[str, Any], label: str) -> Story:
    where = f"reframe.stories.{label}"
    spec = data.get(label)
    if not isinstance(spec, dict):
        reader.problem("reframe.stories", label, "is required: made_up, feeling, request")
        return Story("", "", "")
    reader.unknown_fields(spec, STORY_FIELDS, where)
    wish = None
    if "wish" in spec:
        source = reader.text(spec, "wish", where)
        pattern = reader.regex(source, where, "wish", groups=True) if source else None
        wish = re.compile(pattern) if pattern else None
        if wish is not None and "wish" not in wish.groupindex:
            reader.problem(where, "wish", "needs a group named wish: (?P<wish>...)")
            wish = None
    return Story(
        made_up=reader.text(spec, "made_up", where),
        feeling=reader.text(spec, "feeling", where),
        request=reader.text(spec, "request", where),
        wish=wish,
        wish_request=reader.text(spec, "wish_request", where) if wish else "",
    )
