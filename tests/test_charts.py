import re
import xml.etree.ElementTree as ET

import pytest

from attunement.charts import (
    Cutoff,
    CycleSide,
    PlanePoint,
    ScaleRow,
    attachment_plane,
    cycle_diagram,
    scale_bars,
    solo_cycle_diagram,
)
from attunement.charts.svg import SERIES, SVG_NS

NS = {"svg": SVG_NS}
LOOP = ("The more Alex reaches, the more Sam steps back.", "The more Sam steps back, the harder.")


def plane(*points):
    return attachment_plane(points or [PlanePoint("Alex", 5.3, 2.0), PlanePoint("Sam", 2, 5.2)])


def cycle():
    return cycle_diagram(
        CycleSide("Alex", "reaches out", "being left alone"),
        CycleSide("Sam", "goes quiet", "failing"),
        LOOP,
    )


SOLO_LOOP = ("The more you reach, the more they step back.", "The more they step back, the more.")


def solo_cycle():
    return solo_cycle_diagram(
        "you reach out", "being alone", "steps back", "maybe failing", SOLO_LOOP
    )


def bars(partners=("Alex", "Sam")):
    rows = [
        ScaleRow("Relationship satisfaction", 0, 21, (11, 15), (Cutoff(13.5, "published", "<"),)),
        ScaleRow("Constructive communication", 3, 27, (10, None), (Cutoff(15, "ours", "<"),)),
    ]
    return scale_bars(list(partners), rows)


CHARTS = {"plane": plane, "cycle": cycle, "solo_cycle": solo_cycle, "bars": bars}


def parse(svg):
    return ET.fromstring(svg)


def title_and_desc(svg):
    root = parse(svg)
    return root.find("svg:title", NS).text, root.find("svg:desc", NS).text


def contrast(colour, background="#ffffff"):
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(colour), luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_every_chart_is_well_formed_svg(make):
    root = parse(make())
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.get("viewBox")


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_every_chart_is_an_image_labelled_by_its_title_and_description(make):
    root = parse(make())
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find("svg:title", NS).get("id") == title_id
    assert root.find("svg:desc", NS).get("id") == desc_id
    title, desc = title_and_desc(make())
    assert title.strip()
    assert len(desc) > 40


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_the_same_input_gives_the_same_bytes(make):
    assert make() == make()


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_no_chart_links_anywhere_but_the_svg_namespace(make):
    assert re.findall(r"https?://[^\s\"'<>]*", make()) == [SVG_NS]


@pytest.mark.parametrize("make", CHARTS.values(), ids=CHARTS.keys())
def test_no_chart_uses_style_scripts_or_external_fonts(make):
    svg = make()
    assert "<script" not in svg
    assert "<style" not in svg
    assert "style=" not in svg  # presentation attributes only: fine under a strict CSP
    assert "@import" not in svg
    assert "url(" not in svg.replace("url(#", "")


def test_the_plane_description_states_each_persons_scores():
    _, desc = title_and_desc(plane())
    assert "Alex: worry 5.3, discomfort 2." in desc
    assert "Sam: worry 2, discomfort 5.2." in desc
    assert "1 to 7" in desc


@pytest.mark.parametrize(
    ("anxiety", "avoidance", "expected"),
    [(1, 1, (84, 332)), (7, 7, (396, 20)), (4, 4, (240, 176)), (5.3, 2.0, (307.6, 280))],
)
def test_a_point_sits_where_its_scores_put_it(anxiety, avoidance, expected):
    root = parse(attachment_plane([PlanePoint("Alex", anxiety, avoidance)]))
    circle = root.find(".//svg:g[@class='point']/svg:circle", NS)
    assert (float(circle.get("cx")), float(circle.get("cy"))) == pytest.approx(expected)


def test_more_worry_is_further_right_and_more_discomfort_is_higher():
    root = parse(plane())
    alex, sam = root.findall(".//svg:g[@class='point']", NS)
    alex_mark, sam_mark = alex.find("svg:circle", NS), sam.find("svg:rect", NS)
    sam_x = float(sam_mark.get("x")) + float(sam_mark.get("width")) / 2
    sam_y = float(sam_mark.get("y")) + float(sam_mark.get("height")) / 2
    assert float(alex_mark.get("cx")) > sam_x  # Alex worries more
    assert sam_y < float(alex_mark.get("cy"))  # Sam is more uncomfortable: higher up


def test_off_scale_scores_are_drawn_at_the_edge():
    root = parse(attachment_plane([PlanePoint("Alex", 9, 0)]))
    circle = root.find(".//svg:circle", NS)
    assert (float(circle.get("cx")), float(circle.get("cy"))) == (396, 332)


def test_each_partner_has_a_shape_as_well_as_a_colour():
    root = parse(plane())
    alex, sam = root.findall(".//svg:g[@class='point']", NS)
    assert alex.find("svg:circle", NS) is not None
    assert sam.find("svg:rect", NS) is not None
    labels = ["".join(g.itertext()) for g in (alex, sam)]
    assert labels[0].startswith("Alex") and labels[1].startswith("Sam")


def test_the_plane_names_no_attachment_types():
    words = re.compile(r"\b(secure|anxious|avoidant|fearful|preoccupied|dismissi\w+)\b", re.I)
    assert not words.search(plane())
    assert "midpoint" in plane()


def test_the_plane_axes_say_what_more_means():
    svg = plane()
    assert "More worry about closeness →" in svg
    assert "More discomfort with closeness →" in svg


def test_close_points_get_labels_that_do_not_overlap():
    root = parse(plane(PlanePoint("Alex", 4.0, 4.0), PlanePoint("Sam", 4.0, 4.0)))
    names = [g.find("svg:text", NS) for g in root.findall(".//svg:g[@class='point']", NS)]
    places = {(n.get("x"), n.get("y")) for n in names}
    assert len(places) == 2


def test_names_are_escaped():
    svg = attachment_plane([PlanePoint("<Sam & Co>", 3, 3)])
    assert "&lt;Sam &amp; Co&gt;" in svg
    assert "<Sam & Co>" not in svg
    _, desc = title_and_desc(svg)
    assert "<Sam & Co>: worry 3" in desc
    for make in (
        lambda: bars(("Alex", "<Sam & Co>")),
        lambda: cycle_diagram(CycleSide("<Sam & Co>", "a", "b"), CycleSide('"Al"', "c", "d"), LOOP),
    ):
        svg = make()
        parse(svg)
        assert "<Sam & Co>" not in svg


def test_a_chart_id_must_be_a_plain_identifier():
    with pytest.raises(ValueError, match="chart id"):
        attachment_plane([], ident='x" onload="alert(1)')


def test_ids_follow_the_ident_so_two_charts_can_share_a_page():
    first, second = bars(), scale_bars(["Alex"], [ScaleRow("X", 0, 4, (2,))], ident="other")
    assert 'id="scale-bars-title"' in first
    assert 'id="other-title"' in second


def test_the_cycle_shows_both_moves_both_fears_and_the_loop():
    _, desc = title_and_desc(cycle())
    for words in ("Alex", "reaches out", "being left alone", "Sam", "goes quiet", "failing"):
        assert words in desc
    assert LOOP[0] in desc and LOOP[1] in desc
    assert "The cycle is the problem, not either of you." in desc


def test_the_cycle_draws_both_sides_the_same_size_and_closes_the_loop():
    root = parse(cycle())
    boxes = [g.find("svg:rect", NS) for g in root.findall("svg:g[@class='side']", NS)]
    assert len(boxes) == 2
    assert boxes[0].get("width") == boxes[1].get("width")
    arrows = root.findall("svg:path", NS)
    assert len(arrows) == 2
    assert all(a.get("marker-end") == "url(#cycle-arrow)" for a in arrows)


def test_the_solo_cycle_shows_your_move_and_your_partner_as_you_see_it():
    svg = solo_cycle()
    assert "Your move" in svg
    assert "Your partner, as you see it" in svg
    _, desc = title_and_desc(svg)
    assert "Your partner, as you see it. Move: steps back. Perhaps: maybe failing." in desc


def test_the_bars_description_states_values_ranges_and_cutoffs():
    _, desc = title_and_desc(bars())
    assert "Relationship satisfaction (from 0 to 21, cut-off below 13.5 (published)): " in desc
    assert "Alex 11, Sam 15." in desc
    assert "Alex 10, Sam not shared." in desc


def test_cutoff_lines_are_labelled_with_their_source():
    svg = bars()
    assert ">below 13.5 (published)</text>" in svg
    assert ">below 15 (ours)</text>" in svg
    assert svg.count('stroke-dasharray="4 3"') == 2


def test_a_bar_is_as_long_as_its_share_of_the_range():
    root = parse(scale_bars(["Alex"], [ScaleRow("Satisfaction", 0, 20, (5,))]))
    track, bar = root.findall(".//svg:g[@class='scale']/svg:rect", NS)
    assert float(bar.get("width")) == pytest.approx(float(track.get("width")) / 4)


def test_the_second_partner_is_hatched_so_colour_is_not_the_only_cue():
    svg = bars()
    assert 'fill="url(#scale-bars-hatch-1)"' in svg
    assert "scale-bars-hatch-0" not in svg


def test_a_score_that_was_not_shared_says_so():
    assert ">not shared</text>" in bars()


def test_partner_colours_meet_aa_contrast_for_text_on_white_and_on_their_tint():
    for style in SERIES:
        assert contrast(style.colour) >= 4.5
        assert contrast(style.colour, style.tint) >= 4.5
        assert contrast("#1a1a1a", style.tint) >= 4.5
