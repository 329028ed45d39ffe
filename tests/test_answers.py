import json
import stat

import pytest

from attunement.answers import (
    AnswerFileError,
    read_answer_file,
    score_answer_file,
    write_answer_file,
)
from attunement.errors import AnswerError, UnknownInstrument

ALEX = {"csi4": {"1": 2, "2": 2, "3": 3, "4": 2}, "ucla3": {"1": 3, "2": 2, "3": 2}}


def test_it_scores_every_instrument_in_the_file(tmp_path):
    path = tmp_path / "alex.json"
    path.write_text(json.dumps(ALEX))
    scores = score_answer_file(path)
    assert {i: s.values() for i, s in scores.items()} == {
        "csi4": {"total": 9.0},
        "ucla3": {"total": 7.0},
    }


@pytest.mark.parametrize(
    ("content", "error", "message"),
    [
        ("{not json", AnswerFileError, "not valid JSON at line 1"),
        ("[1, 2]", AnswerFileError, "must be a JSON object"),
        ('{"csi4": [1, 2, 3, 4]}', AnswerFileError, "'csi4' must map item ids to numbers"),
        ('{"csi5": {"1": 1}}', UnknownInstrument, "unknown instrument 'csi5'"),
        ('{"csi4": {"1": 2, "2": 2, "3": 3, "4": 12}}', AnswerError, "csi4: item '4' (value 12)"),
    ],
)
def test_a_bad_answer_file_gives_one_clear_error(tmp_path, content, error, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(error) as caught:
        score_answer_file(path)
    assert message in str(caught.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(AnswerFileError, match="no such file"):
        read_answer_file(tmp_path / "nope.json")


def test_one_bad_instrument_means_no_scores_at_all(tmp_path):
    path = tmp_path / "alex.json"
    path.write_text(json.dumps({**ALEX, "ucla3": {"1": 3, "2": 2}}))
    with pytest.raises(AnswerError, match="ucla3: item '3'"):
        score_answer_file(path)


def test_written_answer_files_are_private_to_their_owner_and_round_trip(tmp_path):
    path = tmp_path / "nested" / "alex.json"
    write_answer_file(path, ALEX)
    assert read_answer_file(path) == ALEX
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["alex.json"]


def test_a_failed_write_leaves_the_old_file_untouched(tmp_path):
    path = tmp_path / "alex.json"
    write_answer_file(path, ALEX)
    with pytest.raises(TypeError):
        write_answer_file(path, {"csi4": {"1": object()}})  # type: ignore[dict-item]
    assert read_answer_file(path) == ALEX
    assert [p.name for p in tmp_path.iterdir()] == ["alex.json"]


def test_an_unwritable_path_gives_a_clear_error_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(AnswerFileError, match="cannot be written"):
        write_answer_file(blocker / "alex.json", ALEX)
