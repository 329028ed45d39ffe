"""Answer files: one partner's private answers, `{"<instrument id>": {"<item id>": <number>}}`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from attunement.errors import AttunementError
from attunement.files import write_atomically
from attunement.instruments import library
from attunement.instruments.scoring import Score, score

Answers = dict[str, dict[str, object]]


class AnswerFileError(AttunementError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


def read_answer_file(path: Path) -> Answers:
    """The raw answers in `path`, checked for shape; values are checked when scored."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswerFileError(path, "no such file") from None
    except json.JSONDecodeError as exc:
        raise AnswerFileError(path, f"not valid JSON at line {exc.lineno}: {exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AnswerFileError(path, f"cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise AnswerFileError(path, 'must be a JSON object like {"csi4": {"1": 3, ...}}')
    for instrument_id, answers in data.items():
        library.get(instrument_id)
        if not isinstance(answers, dict):
            raise AnswerFileError(path, f"{instrument_id!r} must map item ids to numbers")
    return data


def score_answers(answers: Mapping[str, Mapping[str, object]]) -> dict[str, Score]:
    """Every instrument's score, or the first AnswerError: never a partial result."""
    return {instrument_id: score(instrument_id, items) for instrument_id, items in answers.items()}


def score_answer_file(path: Path) -> dict[str, Score]:
    return score_answers(read_answer_file(path))


def write_answer_file(path: Path, answers: Answers) -> None:
    """Write atomically and privately, so an interrupted write never loses answers."""
    try:
        write_atomically(path, json.dumps(answers, indent=2) + "\n")
    except OSError as exc:
        raise AnswerFileError(path, f"cannot be written: {exc.strerror or exc}") from None
