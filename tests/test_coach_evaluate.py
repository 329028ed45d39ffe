"""The coach's measured quality: the held-out targets hold, and the docs show the real numbers."""

import json
from pathlib import Path

import pytest

from attunement.coach import LABELS
from attunement.coach.evaluate import (
    CORPUS,
    TARGETS,
    documented_macro_f1,
    evaluate,
    load_corpus,
    score,
    table,
)

DOCS = Path(__file__).parent.parent / "docs" / "coach.md"


@pytest.fixture(scope="module")
def heldout():
    return evaluate("heldout", baseline=False)


def test_the_corpus_has_at_least_400_messages_split_about_60_40():
    dev, held = load_corpus("dev"), load_corpus("heldout")

    assert len(dev) + len(held) >= 400
    assert 0.55 <= len(dev) / (len(dev) + len(held)) <= 0.65


def test_the_splits_share_no_message():
    dev = {e.text for e in load_corpus("dev")}
    held = {e.text for e in load_corpus("heldout")}

    assert not dev & held


def test_every_corpus_line_has_text_and_known_labels():
    for split in ("dev", "heldout"):
        for line in (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            assert set(data) == {"text", "labels"}
            assert isinstance(data["text"], str) and data["text"]
            assert set(data["labels"]) <= set(LABELS)


def test_every_label_appears_in_the_held_out_split(heldout):
    assert all(heldout.per_label[label].support >= 10 for label in LABELS)


def test_the_held_out_macro_f1_meets_its_target(heldout):
    assert heldout.macro_f1 >= TARGETS["macro_f1"]


def test_the_held_out_protective_f1_meets_its_target(heldout):
    assert heldout.protective.f1 >= TARGETS["protective_f1"]


def test_the_documented_macro_f1_is_the_computed_one(heldout):
    documented = documented_macro_f1(DOCS.read_text(encoding="utf-8"))

    assert documented is not None, "docs/coach.md has no evaluate block"
    assert documented == round(heldout.macro_f1, 2)


def test_the_documented_table_is_exactly_what_the_script_prints():
    pytest.importorskip("vaderSentiment", reason="the table includes the VADER baseline")

    assert table(evaluate("heldout")) in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("truth", "predicted", "f1"),
    [
        ([True, True, False, False], [True, False, True, False], 0.5),
        ([True, True], [True, True], 1.0),
        ([False, False], [False, False], 0.0),
        ([True, False], [False, True], 0.0),
    ],
)
def test_f1_is_the_harmonic_mean_of_precision_and_recall(truth, predicted, f1):
    assert score(truth, predicted).f1 == pytest.approx(f1)
