"""The check-in trend chart and its text alternative."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from itertools import pairwise

import pytest

from attunement.charts.bars import Cutoff
from attunement.charts.svg import SERIES, SVG_NS
from attunement.charts.trend import (
    BOTTOM,
    LABEL_GAP,
    LEFT,
    RIGHT,
    TOP,
    Axis,
    Trend,
    TrendPoint,
    csi4_axis,
    trend,
    trend_chart,
    trend_rows,
    trend_table,
    trend_text,
)
from attunement.progress import Change

NS = {"svg": SVG_NS}
MONDAY = date(2025, 3, 3)


def weekly(*values: float | None, start: date = MONDAY) -> list[tuple[date, float]]:
    return [
        (start + timedelta(weeks=i), value) for i, value in enumerate(values) if value is not None
    ]


ALEX = trend("Alex", weekly(16, 15, 17, 14, 12, None, 11, 12))
SAM = trend("Sam", weekly(12, 13, 14, 16, 17, 17, 18, 18, start=MONDAY + timedelta(days=2)))
LONG = trend("Alex", weekly(*[14 + (i % 5) - 2 for i in range(60)]))

CASES = {
    "none": [],
    "empty": [Trend("Alex", ())],
    "one-point": [trend("Alex", weekly(15))],
    "one-partner": [ALEX],
    "two-partners": [ALEX, SAM],
    "a-year-and-more": [LONG, SAM],
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def desc(svg: str) -> str:
    found = parse(svg).find("svg:desc", NS)
    assert found is not None and found.text
    return found.text


def marks(svg: str, name: str) -> list[ET.Element]:
    group = next(g for g in parse(svg).iter(f"{{{SVG_NS}}}g") if g.get("data-name") == name)
    return [e for e in group if e.tag in (f"{{{SVG_NS}}}circle", f"{{{SVG_NS}}}rect")]


def centre(mark: ET.Element) -> tuple[float, float]:
    if mark.tag.endswith("circle"):
        return float(mark.get("cx", 0)), float(mark.get("cy", 0))
    half = float(mark.get("width", 0)) / 2
    return float(mark.get("x", 0)) + half, float(mark.get("y", 0)) + half


# --- Every case: well formed, labelled, safe, deterministic ---


@pytest.mark.parametrize("trends", CASES.values(), ids=CASES.keys())
def test_it_is_well_formed_svg_labelled_by_its_title_and_description(trends):
    root = parse(trend_chart(trends))

    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.find("svg:title", NS).get("id") == title_id
    assert root.find("svg:desc", NS).get("id") == desc_id
    assert len(desc(trend_chart(trends))) > 60


@pytest.mark.parametrize("trends", CASES.values(), ids=CASES.keys())
def test_it_needs_no_script_no_style_and_nothing_from_elsewhere(trends):
    svg = trend_chart(trends)

    assert "<script" not in svg
    assert "<style" not in svg
    assert "style=" not in svg  # presentation attributes only: fine under a strict CSP
    assert "url(" not in svg
    assert re.findall(r"https?://[^\s\"'<>]*", svg) == [SVG_NS]


@pytest.mark.parametrize("trends", CASES.values(), ids=CASES.keys())
def test_the_same_input_gives_the_same_bytes(trends):
    assert trend_chart(trends) == trend_chart(list(trends))


@pytest.mark.parametrize("trends", CASES.values(), ids=CASES.keys())
def test_the_table_has_a_row_per_week_with_data(trends):
    rows = trend_rows(trends)
    mondays = {d - timedelta(days=d.weekday()) for t in trends for d in (p.day for p in t.points)}

    assert rows[0] == ["Week of", *(t.name for t in trends)]
    assert len(rows) == 1 + len(mondays)


# --- The published cut-off ---


def test_the_cut_off_line_is_labelled_published_cut_off_at_13_5():
    svg = trend_chart([ALEX])
    cutoff = next(g for g in parse(svg).iter(f"{{{SVG_NS}}}g") if g.get("class") == "cutoff")
    drawn = cutoff.find("svg:line", NS)
    label = " ".join(t.text or "" for t in cutoff.iter(f"{{{SVG_NS}}}text"))

    assert label == "published cut-off 13.5"
    assert float(drawn.get("y1")) == pytest.approx(csi4_axis().y(13.5))
    assert drawn.get("stroke-dasharray")
    assert "published cut-off at 13.5" in desc(svg)


def test_the_cut_off_is_labelled_even_with_no_data():
    assert "published" in trend_chart([]) and "No check-ins yet" in trend_chart([])


def test_a_cut_off_of_ours_would_say_so():
    axis = Axis("Something", 0, 4, cutoff=Cutoff(2, "ours"))

    assert "our cut-off at 2" in desc(trend_chart([ALEX], axis=axis))


# --- Where points go ---


def test_a_higher_total_is_higher_up_and_a_later_week_further_right():
    points = [centre(m) for m in marks(trend_chart([ALEX]), "Alex")]
    values = [p.value for p in ALEX.points]

    assert [x for x, _ in points] == sorted(x for x, _ in points)
    for (_, y1), (_, y2), v1, v2 in zip(points, points[1:], values, values[1:], strict=False):
        assert (y1 < y2) == (v1 > v2) or v1 == v2
    assert points[0][0] == pytest.approx(LEFT)
    assert points[-1][0] == pytest.approx(RIGHT)


def test_values_sit_on_the_scale_from_0_at_the_bottom_to_21_at_the_top():
    axis = csi4_axis()

    assert axis.y(0) == BOTTOM
    assert axis.y(21) == TOP
    assert axis.y(25) == TOP  # off-scale values are drawn at the edge
    assert axis.y(-3) == BOTTOM


def test_a_single_check_in_sits_in_the_middle():
    (x, _), *_ = [centre(m) for m in marks(trend_chart(CASES["one-point"]), "Alex")]

    assert x == pytest.approx((LEFT + RIGHT) / 2)


def test_a_missed_week_breaks_the_line():
    svg = trend_chart([ALEX])  # one week missing between 12 and 11
    lines = [e for e in parse(svg).iter(f"{{{SVG_NS}}}polyline")]

    assert len(lines) == 2
    assert [len(line.get("points", "").split()) for line in lines] == [5, 2]


def test_weekly_check_ins_drawn_10_days_apart_stay_joined():
    found = trend("Alex", [(MONDAY, 14), (MONDAY + timedelta(days=10), 15)])

    assert len(list(parse(trend_chart([found])).iter(f"{{{SVG_NS}}}polyline"))) == 1


def test_two_partners_share_the_time_axis_and_differ_by_more_than_colour():
    svg = trend_chart([ALEX, SAM])
    alex, sam = marks(svg, "Alex"), marks(svg, "Sam")
    lines = list(parse(svg).iter(f"{{{SVG_NS}}}polyline"))

    assert {m.tag.split("}")[1] for m in alex} == {"circle"}
    assert {m.tag.split("}")[1] for m in sam} == {"rect"}
    assert {m.get("fill") for m in alex} == {SERIES[0].colour}
    assert {m.get("fill") for m in sam} == {SERIES[1].colour}
    assert not any(
        line.get("stroke-dasharray") for line in lines if line.get("stroke") == SERIES[0].colour
    )
    assert all(
        line.get("stroke-dasharray") for line in lines if line.get("stroke") == SERIES[1].colour
    )
    assert centre(sam[0])[0] > centre(alex[0])[0]  # Sam checked in two days later


# --- Reliable change markers ---


def test_points_are_marked_by_reliable_change_from_the_first_check_in():
    assert [p.change for p in ALEX.points] == [
        Change.NO_RELIABLE_CHANGE,  # 16, the first
        Change.NO_RELIABLE_CHANGE,  # 15
        Change.NO_RELIABLE_CHANGE,  # 17
        Change.NO_RELIABLE_CHANGE,  # 14
        Change.DETERIORATED,  # 12: 4 points down
        Change.DETERIORATED,  # 11
        Change.DETERIORATED,  # 12
    ]
    assert SAM.points[-1].change is Change.IMPROVED  # 12 -> 18


def test_each_reliable_change_gets_a_triangle_pointing_its_way():
    svg = trend_chart([ALEX, SAM])
    down = [
        e for e in parse(svg).iter(f"{{{SVG_NS}}}polygon") if e.get("class") == "reliable-lower"
    ]
    up = [e for e in parse(svg).iter(f"{{{SVG_NS}}}polygon") if e.get("class") == "reliable-higher"]
    key = 1  # one of each explains the marks under the chart

    assert len(down) == sum(p.change is Change.DETERIORATED for p in ALEX.points) + key
    assert len(up) == sum(p.change is Change.IMPROVED for p in SAM.points) + key
    assert "reliably lower than the first check-in" in svg


def test_the_description_gives_each_partners_numbers():
    text = desc(trend_chart([ALEX, SAM]))

    assert (
        "Alex: 7 check-ins from 2025-03-03 to 2025-04-21; first 16, latest 12, lowest 11, "
        "highest 17; 3 below the cut-off; 3 reliably lower than the first." in text
    )
    assert "Sam: 8 check-ins from 2025-03-05" in text
    assert "reliably higher than the first" in text


def test_the_description_of_a_single_check_in_and_of_none():
    assert "Alex: 1 check-in, on 2025-03-03, 15." in desc(trend_chart(CASES["one-point"]))
    assert "Alex: no check-ins yet." in desc(trend_chart(CASES["empty"]))


# --- A year and more ---


def test_more_than_a_year_of_check_ins_keeps_dates_apart_and_marks_small():
    svg = trend_chart([LONG])
    dates = [
        e
        for g in parse(svg).iter(f"{{{SVG_NS}}}g")
        if g.get("class") == "dates"
        for e in g.iter(f"{{{SVG_NS}}}text")
    ]
    xs = [float(e.get("x", 0)) for e in dates]

    assert len(LONG.points) == 60
    assert 2 <= len(dates) <= 6
    assert all(b - a >= LABEL_GAP for a, b in pairwise(xs))
    assert dates[0].text == "2025-03-03"
    assert len(marks(svg, "Alex")) == 60
    assert {m.get("r") for m in marks(svg, "Alex")} == {"3.5"}
    assert "60 check-ins" in desc(svg)


# --- The text alternative ---


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_data(self, data):
        if self.rows and self.rows[-1] and self.tags[-1][0] in ("td", "th"):
            self.rows[-1][-1] += data


def test_the_table_holds_the_same_values_week_by_week():
    parser = _Table()
    parser.feed(trend_table([ALEX, SAM]))

    assert parser.rows[0] == ["Week of", "Alex", "Sam"]
    assert parser.rows[1] == ["2025-03-03", "16", "12 (below the cut-off)"]
    assert parser.rows[5] == [
        "2025-03-31",
        "12 (below the cut-off; reliably lower than the first check-in)",
        "17 (reliably higher than the first check-in)",
    ]
    assert parser.rows[6][1] == "no check-in"
    assert ("caption", {}) in parser.tags
    assert ("th", {"scope": "col"}) in parser.tags
    assert ("th", {"scope": "row"}) in parser.tags
    assert all("style" not in attrs for _, attrs in parser.tags)


def test_two_check_ins_in_one_week_are_both_in_the_table():
    found = trend("Alex", [(MONDAY, 14), (MONDAY + timedelta(days=3), 15)])

    assert trend_rows([found])[1] == ["2025-03-03", "14, then 15"]


def test_an_empty_table_says_there_is_nothing_yet():
    assert "No check-ins yet." in trend_table([])
    assert trend_text([]) == "No check-ins yet."


def test_the_plain_text_table_lines_up_its_columns():
    lines = trend_text([ALEX, SAM]).splitlines()

    assert lines[0].split() == ["Week", "of", "Alex", "Sam"]
    assert lines[1].startswith("2025-03-03  16")
    assert len(lines) == 1 + 8


def test_names_are_escaped_everywhere():
    evil = trend('<b>"Al" & co</b>', weekly(14, 15))
    svg, table = trend_chart([evil]), trend_table([evil])

    assert "<b>" not in svg and "<b>" not in table
    assert "&lt;b&gt;&quot;Al&quot; &amp; co&lt;/b&gt;" in table
    parse(svg)


def test_a_chart_id_must_be_a_plain_identifier():
    with pytest.raises(ValueError, match="chart id"):
        trend_chart([ALEX], ident='x" onload="alert(1)')


def test_trend_points_sort_by_date():
    found = trend("Alex", [(MONDAY + timedelta(weeks=1), 12), (MONDAY, 18)])

    assert [p.day for p in found.points] == [MONDAY, MONDAY + timedelta(weeks=1)]
    assert found.points[1] == TrendPoint(MONDAY + timedelta(weeks=1), 12, Change.DETERIORATED)
