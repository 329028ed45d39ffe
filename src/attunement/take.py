"""Take questionnaires in the terminal: saved after every answer, resumable, safety first.

`run` holds the whole flow and talks through two functions, so tests can script it:
`ask(prompt)` returns what the person typed (None at the end of input), `say(text)`
shows text. Safety screens are asked first; a positive one shows help at once and an
acute one stops the flow with EXIT_ACUTE.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from attunement import questions, safety
from attunement.answers import AnswerFileError, Answers, read_answer_file, write_answer_file
from attunement.errors import AnswerError
from attunement.instruments.model import Instrument, Item, ResponseScale
from attunement.instruments.scoring import score
from attunement.terminal import wrap

Ask = Callable[[str], str | None]
Say = Callable[[str], None]

EXIT_DONE = 0
EXIT_ACUTE = 3


@dataclass(frozen=True)
class Step:
    instrument: Instrument
    item: Item


def run_in_terminal(instruments: Sequence[Instrument], path: Path) -> int:
    """The questionnaire on standard input and output; returns the exit code."""
    return run(instruments, path, _terminal_ask, print)


def _terminal_ask(prompt: str) -> str | None:
    try:
        reply = input(prompt)
    except (EOFError, KeyboardInterrupt):
        print()
        return None
    if not sys.stdin.isatty():
        print(reply)  # piped input is not echoed; show it so the transcript reads well
    return reply


def run(instruments: Sequence[Instrument], path: Path, ask: Ask, say: Say) -> int:
    """Ask every unanswered question of `instruments`, saving to `path` after each answer."""
    return _Session(instruments, path, ask, say).run()


class _Session:
    def __init__(self, instruments: Sequence[Instrument], path: Path, ask: Ask, say: Say) -> None:
        self.instruments = list(instruments)
        self.path = path
        self.ask = ask
        self.say = say
        self.steps = [Step(i, item) for i in self.instruments for item in i.items]
        self.resuming = path.exists()
        self.answers: Answers = {}
        self.outcomes: dict[str, safety.ScreenOutcome | None] = {}
        self.notes: list[str] = []  # about the saved file, said when resuming
        self.shown_instrument: Instrument | None = None

    # The flow

    def run(self) -> int:
        safety.current()  # a broken resource file stops us here, not after a positive screen
        if self.resuming:
            self.answers = self.load()
        self.save()  # an unwritable path stops us here, before anything is typed
        self.say(self.intro())
        if self.resuming:
            code = self.resume()
            if code is not None:
                return code
        return self.ask_from(self.next_open(0))

    def resume(self) -> int | None:
        """Say how far the person got, and show again any help a finished screen called for."""
        answered = sum(self.asked(i) and self.answered(i) for i in range(len(self.steps)))
        welcome = f"Welcome back. {answered} of {self.total()} questions are already answered."
        self.say("\n" + "\n".join(wrap(line) for line in [welcome, *self.notes]))
        for instrument in self.instruments:
            if instrument.screen and self.complete(instrument):
                code = self.screen_help(instrument)
                if code is not None:
                    return code
        return None

    def ask_from(self, index: int) -> int:
        """Ask from `index` to the end, going back and forth as the person asks."""
        shown, furthest = -1, index
        while index < len(self.steps):
            step = self.steps[index]
            if index != shown:
                self.show(index)
                shown = index
            typed = self.ask(questions.prompt(step.item))
            command = "q" if typed is None else typed.strip().lower()
            if command == "q":
                return self.stop()
            if command in ("?", "h", "help"):
                self.say(questions.help_text(step.item, self.path))
                continue
            if command == "b":
                previous = self.previous_asked(index)
                if previous is None:
                    self.say("  This is the first question: there is nothing to go back to.")
                else:
                    index = previous
                continue
            answered = step.item.id in self.answers.get(step.instrument.id, {})
            reply = questions.understand(step.item, typed or "", answered=answered)
            if reply.error:
                self.say(f"  {reply.error}")
                continue
            if not reply.keep:
                self.record(step, reply.value)
            # Having gone back, step forward through the answers; else go to the next open question.
            if index < furthest:
                following = self.next_asked(index + 1)
            else:
                following = self.next_open(index + 1)
            furthest = max(furthest, following)
            ends_part = following == len(self.steps)
            if ends_part or self.steps[following].instrument is not step.instrument:
                code = self.finish(step.instrument)
                if code is not None:
                    return code
            index = following
        return self.done()

    def finish(self, instrument: Instrument) -> int | None:
        """Confirm a finished instrument, and screen it; an exit code means stop."""
        given = self.answers.get(instrument.id, {})
        skipped = sum(value is None for value in given.values())
        counts = f"{len(given) - skipped} answered" + (f", {skipped} skipped" if skipped else "")
        part = f"Part {self.instruments.index(instrument) + 1} of {len(self.instruments)}"
        try:
            score(instrument, given)
        except AnswerError:
            counts += " (too few answers to work out its scores)"
        self.say(f"\n  {part} done ({instrument.short_title}): {counts}, saved.")
        return self.screen_help(instrument) if instrument.screen else None

    def screen_help(self, instrument: Instrument) -> int | None:
        """Show a screen's help when its outcome is new; stop if acute, else pause to read."""
        try:
            outcome = safety.evaluate(score(instrument, self.answers.get(instrument.id, {})))
        except AnswerError:
            return None  # not complete, so nothing to screen yet
        if outcome == self.outcomes.get(instrument.id):
            return None  # already shown in this session
        self.outcomes[instrument.id] = outcome
        if outcome is None:
            return None
        self.say("\n" + safety.help_text(outcome) + "\n")
        if outcome.acute:
            return self.stop_acute()
        if outcome.concern == "partner_violence":
            self.say(f"Your answers, including these, are saved in:\n    {self.path}")
            self.say(wrap(_PRIVATE_FILE) + "\n")
        typed = self.ask(_PAUSE)
        if typed is None or typed.strip().lower() == "q":
            return self.stop()
        return None

    def stop(self) -> int:
        self.save()
        self.say(
            f"\nSaved. Your answers so far are in:\n    {self.path}\n"
            "Run the same command again to pick up where you left off."
        )
        return EXIT_DONE

    def stop_acute(self) -> int:
        self.save()
        self.say(f"Your answers are saved in {self.path}.")
        return EXIT_ACUTE

    def done(self) -> int:
        self.save()
        self.say(
            "\nAll done, thank you. Your answers are saved, readable only by your user "
            f"account, in:\n    {self.path}\nTo see your scores:\n    attunement score {self.path}"
        )
        return EXIT_DONE

    # Answers

    def load(self) -> Answers:
        answers = read_answer_file(self.path)
        for instrument in self.instruments:
            given = answers.get(instrument.id, {})
            for item_id, value in list(given.items()):
                if item_id not in instrument.item_ids:
                    reason = f"{instrument.id} has no item {item_id!r}; fix or remove it"
                    raise AnswerFileError(self.path, reason)
                item = instrument.item(item_id)
                if not (_fits(item.scale, value) if value is not None else not item.required):
                    problem = "a skip" if value is None else f"{value!r}, not one of its choices"
                    self.notes.append(
                        f"The saved answer to {instrument.short_title} question {item_id} is "
                        f"{problem}, so it will be asked again."
                    )
                    del given[item_id]
            self.prune(instrument, answers)
        return answers

    def record(self, step: Step, value: int | None) -> None:
        self.answers.setdefault(step.instrument.id, {})[step.item.id] = value
        self.prune(step.instrument, self.answers)
        self.save()

    def prune(self, instrument: Instrument, answers: Answers) -> None:
        """Drop answers to conditional items that the other answers no longer ask."""
        given = answers.get(instrument.id, {})
        while dropped := [i.id for i in instrument.items if i.id in given and not _asked(i, given)]:
            for item_id in dropped:
                del given[item_id]

    def save(self) -> None:
        ordered = dict(self.answers)
        for instrument in self.instruments:
            if instrument.id in ordered:
                given = ordered[instrument.id]
                ordered[instrument.id] = {i: given[i] for i in instrument.item_ids if i in given}
        write_answer_file(self.path, ordered)

    # Where we are

    def asked(self, index: int) -> bool:
        step = self.steps[index]
        return _asked(step.item, self.answers.get(step.instrument.id, {}))

    def answered(self, index: int) -> bool:
        step = self.steps[index]
        return step.item.id in self.answers.get(step.instrument.id, {})

    def next_asked(self, start: int) -> int:
        return next((i for i in range(start, len(self.steps)) if self.asked(i)), len(self.steps))

    def next_open(self, start: int) -> int:
        found = (i for i in range(start, len(self.steps)) if self.asked(i) and not self.answered(i))
        return next(found, len(self.steps))

    def previous_asked(self, index: int) -> int | None:
        return next((i for i in range(index - 1, -1, -1) if self.asked(i)), None)

    def position(self, index: int) -> int:
        return sum(self.asked(i) for i in range(index + 1))

    def total(self) -> int:
        return sum(self.asked(i) for i in range(len(self.steps)))

    def complete(self, instrument: Instrument) -> bool:
        given = self.answers.get(instrument.id, {})
        return all(i.id in given for i in instrument.items if _asked(i, given))

    # What the person sees

    def intro(self) -> str:
        return _INTRO.format(path=self.path, count=self.total()).strip("\n")

    def show(self, index: int) -> None:
        step = self.steps[index]
        if step.instrument is not self.shown_instrument:
            self.shown_instrument = step.instrument
            self.say(self.header(step.instrument))
        section = step.item.section
        previous = self.previous_asked(index)
        if section and (previous is None or self.steps[previous].item.section != section):
            self.say(f"\n  -- {section} --")
        prefix = f"[{self.position(index)}/{self.total()}] "
        lines = [
            "",
            wrap(step.item.text, " " * len(prefix), prefix),
            *questions.options(step.item.scale, " " * len(prefix)),
        ]
        given = self.answers.get(step.instrument.id, {})
        if step.item.id in given:
            current = given[step.item.id]
            shown = (
                questions.choice(step.item.scale, current)
                if isinstance(current, int)
                else "skipped"
            )
            lines.append(f"{' ' * len(prefix)}Your answer was: {shown}. Press Enter to keep it.")
        self.say("\n".join(lines))

    def header(self, instrument: Instrument) -> str:
        part = f"Part {self.instruments.index(instrument) + 1} of {len(self.instruments)}"
        title = wrap(instrument.title)
        rule = "-" * max(len(line) for line in title.splitlines())
        return f"\n{part}\n{title}\n{rule}\n{wrap(instrument.instructions)}"


def _asked(item: Item, given: Mapping[str, object]) -> bool:
    if item.ask_if is None:
        return True
    numbers = {k: v for k, v in given.items() if isinstance(v, int) and not isinstance(v, bool)}
    return item.ask_if.holds(numbers)


def _fits(scale: ResponseScale, value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and scale.min <= value <= scale.max
    )


_INTRO = """
Attunement: private questionnaires
==================================
These questions help you see how things are for you in your relationship right
now. This is not therapy and not a diagnosis. There are {count} questions.

Your answers stay private. They are saved after every answer, only in this file
on this computer, and are not sent anywhere:
    {path}

Type the number of your answer and press Enter. At any question:
  b  go back one question       s  skip it (where that is allowed)
  q  save and stop              ?  help
"""

_PAUSE = "Press Enter when you are ready to go on, or type q to stop here: "

_PRIVATE_FILE = (
    "If anyone else can use this computer, keep that file somewhere only you can open, "
    "or delete it when you are done. Typing the command clear after you stop clears "
    "this screen."
)
