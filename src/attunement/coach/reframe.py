"""A reframe in the shape of the feedback wheel, built from the message's own subject.

What I saw or heard (the situation, with the subject the person wrote about) · what
I made up about it · how I feel · what I'd like. The words are in rules.yaml.
"""

from __future__ import annotations

import re

from attunement.coach.reframe_spec import ReframeSpec
from attunement.coach.rules import Rules

FALLBACK_SUBJECT = "this"


def reframe_for(lowered: str, text: str, labels: tuple[str, ...], rules: Rules) -> str | None:
    """The suggested message for the first protective label in `reframe.order`."""
    spec = rules.reframe
    label = next((name for name in spec.order if name in labels), None)
    if label is None:
        return None
    story = spec.stories[label]
    subject = find_subject(lowered, text, spec)
    time = find_time(lowered, text, spec)
    situation = _situation(spec, subject, time)
    feeling = own_feeling(lowered, spec) if "vulnerability" in labels else None
    request = story.request.format(subject=subject or FALLBACK_SUBJECT)
    if story.wish is not None and (wish := story.wish.search(lowered)):
        request = story.wish_request.format(wish=_tidy(wish.group("wish"), time, spec))
    sentences = [
        f"{situation}, {story.made_up}.",
        spec.feeling.format(feeling=feeling or story.feeling),
        request,
    ]
    reframe = " ".join(sentences)
    return reframe[0].upper() + reframe[1:]


def find_subject(lowered: str, text: str, spec: ReframeSpec) -> str | None:
    """The first concrete thing the message is about: `the dishes`, `your phone`."""
    for match in spec.subject.finditer(lowered):
        first, second = match.group(1), match.group(2)
        at = match.start()
        if first in spec.skip or (at and (lowered[at - 1].isalnum() or lowered[at - 1] in "_'")):
            continue
        determiner = text[match.start() : match.start(1)].strip()
        if second and second not in spec.skip:
            if first in spec.modifiers:  # "the dirty dishes" -> "the dishes"
                return f"{determiner} {text[match.start(2) : match.end(2)]}"
            if first.endswith("'s"):  # "your mom's side"
                return text[match.start() : match.end(2)]
        if first not in spec.modifiers:
            return f"{determiner} {text[match.start(1) : match.end(1)]}"
    return None


def find_time(lowered: str, text: str, spec: ReframeSpec) -> str | None:
    """When it happened, if the message says: `last night`, `at dinner`."""
    if spec.times is None or (found := spec.times.search(lowered)) is None:
        return None
    return text[found.start() : found.end()]


def own_feeling(lowered: str, spec: ReframeSpec) -> str | None:
    """The person's own feeling word, so the reframe keeps it."""
    if spec.feelings is None or (found := spec.feelings.search(lowered)) is None:
        return None
    return found.group(0)


def _situation(spec: ReframeSpec, subject: str | None, time: str | None) -> str:
    if subject and time:
        return spec.situations["subject_and_time"].format(subject=subject, time=time)
    if subject:
        return spec.situations["subject"].format(subject=subject)
    if time:
        return spec.situations["time"].format(time=time)
    return spec.situations["none"]


def _tidy(wish: str, time: str | None, spec: ReframeSpec) -> str:
    """`listen to a word i say anymore` -> `listen to a word I say`."""
    if time and wish.endswith(time.lower()):
        wish = wish[: -len(time)]
    words = wish.split()
    while words and words[-1] in spec.trim:
        words.pop()
    return _I.sub("I", " ".join(words))


_I = re.compile(r"(?<![\w'])i(?=$|[\s'])")
