"""A coached message cut into pieces for display: overlapping patterns never overlap on the page."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from attunement.coach import LABELS, Analysis, Pattern, analyze, tone_of
from attunement.coach.marks import Piece, pieces


def analysis_of(text: str, spans: list[tuple[str, int, int]]) -> Analysis:
    """An analysis as the coach could return it, with any spans, overlapping or not."""
    patterns = tuple(Pattern(label, start, end, "why") for label, start, end in spans)
    labels = tuple(sorted({p.label for p in patterns}))
    return Analysis(text, patterns, labels, tone_of(labels), None)


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    """Any text with any patterns over it: overlapping, nested, empty, reversed, past the ends."""
    text = draw(st.text(max_size=40))
    bound = st.integers(-3, len(text) + 3)
    spans = draw(st.lists(st.tuples(st.sampled_from(LABELS), bound, bound), max_size=8))
    return analysis_of(text, spans)


def covering(analysis: Analysis, at: int) -> tuple[str, ...]:
    """The labels of the patterns whose span holds the character at `at`."""
    return tuple(sorted({p.label for p in analysis.patterns if p.start <= at < p.end}))


def labels_per_character(found: list[Piece]) -> list[tuple[str, ...]]:
    return [piece.labels for piece in found for _ in piece.text]


@given(analyses())
def test_the_pieces_put_back_together_are_the_message(analysis):
    assert "".join(piece.text for piece in pieces(analysis)) == analysis.text


@given(analyses())
def test_no_piece_is_empty_and_neighbours_carry_different_labels(analysis):
    found = pieces(analysis)
    assert all(piece.text for piece in found)
    for before, after in pairwise(found):
        assert before.labels != after.labels


@given(analyses())
def test_each_character_carries_exactly_the_labels_of_the_patterns_covering_it(analysis):
    found = labels_per_character(pieces(analysis))
    assert found == [covering(analysis, at) for at in range(len(analysis.text))]


@given(analyses())
def test_labels_are_sorted_and_each_named_once(analysis):
    for piece in pieces(analysis):
        assert list(piece.labels) == sorted(set(piece.labels))


def test_overlapping_patterns_give_a_piece_for_each_combination():
    text = "you never listen, whatever"
    analysis = analysis_of(text, [("criticism", 0, 16), ("contempt", 10, 26)])
    assert pieces(analysis) == [
        Piece("you never ", ("criticism",)),
        Piece("listen", ("contempt", "criticism")),
        Piece(", whatever", ("contempt",)),
    ]


def test_adjacent_patterns_with_the_same_label_make_one_piece():
    analysis = analysis_of("abcdef", [("criticism", 0, 3), ("criticism", 3, 6)])
    assert pieces(analysis) == [Piece("abcdef", ("criticism",))]


def test_spans_outside_the_text_are_cut_to_it_and_empty_or_reversed_ones_mark_nothing():
    analysis = analysis_of(
        "hello",
        [("control", -4, 2), ("withdrawal", 3, 99), ("contempt", 4, 1), ("criticism", 2, 2)],
    )
    assert pieces(analysis) == [
        Piece("he", ("control",)),
        Piece("l", ()),
        Piece("lo", ("withdrawal",)),
    ]


def test_a_message_without_patterns_is_one_plain_piece_and_an_empty_one_none():
    assert pieces(analysis_of("see you at six", [])) == [Piece("see you at six", ())]
    assert pieces(analysis_of("", [("criticism", 0, 3)])) == []


def test_the_documented_example_from_the_real_coach():
    found = [(p.text, p.labels) for p in pieces(analyze("ok. you never listen"))]
    assert found == [("ok. ", ()), ("you never", ("criticism",)), (" listen", ())]
