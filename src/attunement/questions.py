"""The words of a question in the terminal: its choices, prompt and help, and typed answers read.

`take` runs the flow; this holds what each question shows and how the text the
person types becomes an answer, a skip, or a sentence saying what to type instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from attunement import safety
from attunement.instruments.model import Item, ResponseScale
from attunement.terminal import WIDTH, wrap


@dataclass(frozen=True)
class Reply:
    """One typed answer, understood: a value (None when skipped), keep the old one, or an error."""

    value: int | None = None
    keep: bool = False
    error: str = ""


def prompt(item: Item) -> str:
    """The prompt under a question."""
    scale = item.scale
    skip = "" if item.required else ", s to skip"
    return f"Your answer ({scale.min}-{scale.max}{skip}, ? for help): "


def help_text(item: Item, path: Path) -> str:
    """What `?` shows: how to answer, the commands, where answers are saved, urgent help."""
    scale = item.scale
    lines = [f"How to answer: type a whole number from {scale.min} to {scale.max}, then Enter."]
    if scale.labels:
        example = scale.labels[min(scale.labels)]
        lines.append(f'You can also type the words of an answer, such as "{example}".')
    lines += [
        "  b   go back to the previous question and change your answer",
        "  s   skip this question"
        if not item.required
        else "  s   skip a question (not this one: it needs an answer)",
        "  q   save and stop; run the same command again to carry on later",
        f"Every answer is saved to {path} as soon as you give it.",
    ]
    emergency = "; ".join(f"{r.phone} ({r.region})" for r in safety.resources_for("emergency"))
    urgent = wrap(f"If you need help now, call your emergency number: {emergency}.", "  ")
    return "\n".join(["", *(f"  {line}" for line in lines), "", urgent, ""])


def understand(item: Item, typed: str, *, answered: bool) -> Reply:
    """What the person typed at a question they have (`answered`) or have not answered yet."""
    scale, text = item.scale, typed.strip()
    choices = f"type a whole number from {scale.min} to {scale.max}"
    if not text:
        if answered:
            return Reply(keep=True)
        return Reply(error=f"Nothing was typed: {choices}, or ? for help.")
    if text.lower() == "s":
        if item.required:
            return Reply(error=f"This question needs an answer, so it can't be skipped: {choices}.")
        return Reply(value=None)
    by_label = {label.casefold(): value for value, label in scale.labels.items()}
    if text.casefold() in by_label:
        return Reply(value=by_label[text.casefold()])
    try:
        value = int(text)
    except ValueError:
        kind = "a whole number" if _is_number(text) else "a number"
        return Reply(error=f"{text!r} is not {kind}: {choices}, or ? for help.")
    if not scale.min <= value <= scale.max:
        return Reply(error=f"{value} is not one of the choices: {choices}.")
    return Reply(value=value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def choice(scale: ResponseScale, value: int) -> str:
    label = scale.labels.get(value)
    return f"{value} {label}" if label else str(value)


def options(scale: ResponseScale, indent: str) -> list[str]:
    """The choices: every labelled value on one line if it fits, else one per line."""
    values = range(scale.min, scale.max + 1)
    sparse = len(scale.labels) < len(values)  # e.g. 1-9 with three labelled anchors
    shown = [v for v in values if v in scale.labels] if sparse else list(values)
    one_line = indent + (" ... " if sparse else "   ").join(choice(scale, v) for v in shown)
    if len(one_line) <= WIDTH:
        return [one_line]
    return [f"{indent}{choice(scale, v)}" for v in shown]
