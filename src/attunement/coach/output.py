"""The coach's two outputs: readable lines for a terminal, and JSON Lines for scripts."""

from __future__ import annotations

import json
from typing import IO

from attunement.coach.analysis import Analysis, analyze_batch, unreadable
from attunement.coach.rules import Rules
from attunement.errors import AttunementError
from attunement.safety import crisis
from attunement.terminal import wrap

# How many lines `run_jsonl` reads before analysing them together.
JSONL_BATCH = 256
WHY = {True: "Why it tends to backfire", False: "Why it helps"}


class CoachInputError(AttunementError, ValueError):
    """A line of JSON Lines input that cannot be analysed; says which line and why."""

    def __init__(self, line: int, reason: str, written: int) -> None:
        self.line = line
        self.reason = reason
        self.written = written
        super().__init__(
            f"line {line}: {reason} (stopped there; {written} result"
            f"{'' if written == 1 else 's'} written for the lines before it)"
        )


NOTHING = "No protective or connective pattern found (logistics, or neutral)."
NOTHING_UNFAMILIAR = (
    "No pattern found, but most of this is in words the coach has not learned (it reads"
    " English), so it can say little about this message."
)


def cli_lines(analysis: Analysis) -> str:
    """A readable, multi-line account of an analysis for the terminal."""
    lines = [f"Tone: {analysis.tone}"]
    if not analysis.patterns:
        lines.append(wrap(NOTHING_UNFAMILIAR if unreadable(analysis) else NOTHING))
    for pattern in analysis.patterns:
        quoted = analysis.text[pattern.start : pattern.end]
        kind = "protective" if pattern.protective else "connective"
        lines.append("")
        lines.append(
            wrap(
                f"{pattern.label} ({kind}): \u201c{quoted}\u201d"
                f" at characters {pattern.start}-{pattern.end}",
                "    ",
                first="  ",
            )
        )
        lines.append(wrap(f"{WHY[pattern.protective]}: {pattern.explanation}", "    "))
    if analysis.reframe:
        lines += ["", "Try it as a feedback wheel (what I saw, what I made up, how I feel,"]
        lines += ["what I'd like):", wrap(analysis.reframe, "  ")]
    found = crisis.read(analysis.text)
    # Crisis words: help for the writer, after the coaching, never instead of it; the
    # full help for what is said plainly, a quieter note for what is only faintly there.
    if found.plain:
        lines += ["", crisis.crisis_help(found.plain)]
    if found.quiet:
        lines += ["", crisis.quiet_help(found.quiet)]
    return "\n".join(lines)


def run_jsonl(in_stream: IO[str], out_stream: IO[str], rules: Rules | None = None) -> int:
    """Analyse `{"text": ...}` per line, writing one JSON result per line; return the count.

    A result gets a "help" key, listing the concerns (`suicide_risk`, `partner_violence`)
    whose crisis words the text contains, only when there are any; and a "help_quiet"
    key, listing those of them raised only faintly (by the model, not far past its
    threshold: a quiet pointer to help will do), only when there are any; and
    "unfamiliar": true when the coach found no pattern in a text mostly in words it has
    not learned (it reads English: "no pattern" then says little), only then. Blank lines
    are skipped. At the first line that is not a JSON object with a
    string "text", nothing is written for it and CoachInputError names it; the
    results for earlier lines have already been written. Lines are analysed
    `JSONL_BATCH` at a time (the models read them together), so results come out a
    batch at a time, and at the end of the input.
    """
    written = 0
    texts: list[str] = []
    for number, line in enumerate(in_stream, start=1):
        if not line.strip():
            continue
        try:
            texts.append(_text_of(line, number, written + len(texts)))
        except CoachInputError:
            written += _write_results(texts, out_stream, rules)
            raise
        if len(texts) >= JSONL_BATCH:
            written += _write_results(texts, out_stream, rules)
            texts = []
    return written + _write_results(texts, out_stream, rules)


def _write_results(texts: list[str], out_stream: IO[str], rules: Rules | None) -> int:
    """Analyse a batch of texts together and write one result line for each."""
    found = crisis.read_batch(texts)
    for analysis, reading in zip(analyze_batch(texts, rules), found, strict=True):
        out_stream.write(json.dumps(result_of(analysis, reading), ensure_ascii=False) + "\n")
    return len(texts)


def result_of(analysis: Analysis, reading: crisis.Reading | None = None) -> dict[str, object]:
    """An analysis as JSON for the writer: its keys, then "help" and "help_quiet", and
    "unfamiliar" (as `run_jsonl` describes them) only when there are any. `reading`: the
    crisis reading of the same text, when already known."""
    result = analysis.to_dict()
    reading = reading if reading is not None else crisis.read(analysis.text)
    # Only when there are any, so that every other result keeps its keys as they were.
    if reading.concerns:
        result["help"] = [c for c in crisis.CONCERNS if c in reading.concerns]
    if reading.quiet:
        result["help_quiet"] = [c for c in crisis.CONCERNS if c in reading.quiet]
    if unreadable(analysis):
        result["unfamiliar"] = True
    return result


def _text_of(line: str, number: int, written: int) -> str:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CoachInputError(number, f"not valid JSON ({exc.msg})", written) from exc
    if not isinstance(data, dict):
        raise CoachInputError(number, 'expected a JSON object like {"text": "..."}', written)
    text = data.get("text")
    if not isinstance(text, str):
        found = _JSON_KINDS.get(type(text), "missing") if "text" in data else "missing"
        raise CoachInputError(number, f'"text" must be a string, not {found}', written)
    return text


_JSON_KINDS = {
    bool: "true or false",
    int: "a number",
    float: "a number",
    type(None): "null",
    list: "an array",
    dict: "an object",
}
