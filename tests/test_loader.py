"""The instrument file loader: it reports every problem in a file, with place and field."""

from pathlib import Path

import pytest
import yaml

from attunement.errors import InstrumentFileError, Problem
from attunement.instruments import library
from attunement.instruments.loader import load_file, parse
from attunement.instruments.model import Method, Source

HEADER = """\
id: demo
title: Demo questionnaire
citation: Demo A. A questionnaire for the tests. 2026.
licence: {status: ours, note: Written for the tests.}
instructions: Answer each item.
"""
RESPONSE = """\
response_scales:
  agree: {min: 1, max: 5, labels: {1: Disagree, 5: Agree}}
"""
ITEMS = """\
items:
  - {id: "1", text: One.}
  - {id: "2", text: Two., reverse: true}
  - {id: "3", text: Three.}
"""
SCALES = """\
scales:
  - {id: total, items: ["1", "2", "3"], method: sum}
"""


def instrument_file(
    *, header=HEADER, response=RESPONSE, items=ITEMS, scales=SCALES, extra=""
) -> str:
    return header + response + items + scales + extra


def total_scale(fields: str = "", method: str = "sum") -> str:
    """The scales section with one scale over items 1-3, plus extra flow-style fields."""
    return f'scales:\n  - {{id: total, items: ["1", "2", "3"], method: {method}{fields}}}\n'


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(InstrumentFileError) as excinfo:
        parse(text, "bad.yaml")
    assert excinfo.value.file == "bad.yaml"
    return excinfo.value.problems


def test_it_loads_a_good_file():
    instrument = parse(instrument_file(), "good.yaml")

    assert instrument.id == "demo"
    assert instrument.item_ids == ("1", "2", "3")
    assert instrument.item("2").reverse is True
    assert instrument.scale("total").method is Method.SUM
    assert instrument.scale("total").range == (3.0, 15.0)
    assert instrument.scale("total").min_answered == 3


BAD_FILES = [
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "1", text: Again.}\n',
            scales='scales:\n  - {id: total, items: ["1"], method: sum}\n',
        ),
        ("item '1'", "id", "duplicate item id"),
        id="duplicate item ids",
    ),
    pytest.param(
        instrument_file(scales='scales:\n  - {id: total, items: ["1", "2", "9"], method: sum}\n'),
        ("scale 'total'", "items", "names unknown item '9'"),
        id="scale naming an unknown item",
    ),
    pytest.param(
        instrument_file(scales='scales:\n  - {id: total, items: ["1", "2", "1"], method: sum}\n'),
        ("scale 'total'", "items", "lists item '1' twice"),
        id="scale listing an item twice",
    ),
    pytest.param(
        instrument_file(
            response="response_scales:\n  agree: {min: 1, max: 5}\n  broken: {min: 3, max: 3}\n",
            items='items:\n  - {id: "1", text: One.}\n'
            '  - {id: "2", text: Two., scale: broken, reverse: true}\n'
            '  - {id: "3", text: Three.}\n',
        ),
        ("item '2'", "reverse", "needs a response scale range"),
        id="reverse-keyed item on a scale without a valid range",
    ),
    pytest.param(
        instrument_file(response="response_scales:\n  agree: {min: 5, max: 1}\n"),
        ("response scale 'agree'", "min/max", "min 5 must be below max 1"),
        id="response scale with min above max",
    ),
    pytest.param(
        instrument_file(response="response_scales:\n  agree: {min: 1, max: 5, labels: {6: Six}}\n"),
        ("response scale 'agree'", "labels", "value 6 is outside 1–5"),
        id="label outside the response range",
    ),
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "2", text: Two.}\n'
            '  - {id: "3", text: Three.}\n',
            response="response_scales:\n  agree: {min: 1, max: 5}\n  other: {min: 0, max: 1}\n",
        ),
        ("item '1'", "scale", "is required when the file has several response scales"),
        id="item without a scale in a file with several",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands: [{min: 0, max: 10, label: low, source: ours}]\n"
        ),
        ("scale 'total' band #1", "min/max", "0–10 is outside the scale's 3.0–15.0"),
        id="band below the range",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands: [{min: 3, max: 16, label: all, source: ours}]\n"
        ),
        ("scale 'total' band #1", "min/max", "3–16 is outside the scale's 3.0–15.0"),
        id="band above the range",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands: [{min: 9, max: 9, label: empty, source: ours}]\n"
        ),
        ("scale 'total' band #1", "min/max", "need numbers with min below max"),
        id="band with min not below max",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands:\n"
            "      - {min: 3, max: 10, label: low, source: ours}\n"
            "      - {min: 8, max: 15, label: high, source: ours}\n"
        ),
        ("scale 'total' band #2", "min/max", "overlaps an earlier band"),
        id="overlapping bands",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands: [{min: 3, max: 15, label: all, source: clinic}]\n"
        ),
        ("scale 'total' band #1", "source", "must be 'published' or 'ours'"),
        id="band source neither published nor ours",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands: [{min: 3, max: 15, label: all}]\n"
        ),
        ("scale 'total' band #1", "source", "must be 'published' or 'ours'"),
        id="band without a source",
    ),
    pytest.param(
        instrument_file(extra="author: Someone\n"),
        ("", "author", "unknown field"),
        id="unknown top-level field",
    ),
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "2", text: Two., reversed: true}\n'
            '  - {id: "3", text: Three.}\n'
        ),
        ("item '2'", "reversed", "unknown field"),
        id="unknown item field",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", cutoff: 9")),
        ("scale 'total'", "cutoff", "unknown field"),
        id="unknown scale field",
    ),
    pytest.param(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
            "    bands: [{min: 3, max: 15, label: all, source: ours, colour: red}]\n"
        ),
        ("scale 'total' band #1", "colour", "unknown field"),
        id="unknown band field",
    ),
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One., ask_if: {any: [{item: "2", in: [5]}]}}\n'
            '  - {id: "2", text: Two.}\n  - {id: "3", text: Three.}\n'
        ),
        ("item '1'", "ask_if", "refers to '2', not an earlier item"),
        id="ask_if naming a later item",
    ),
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "2", text: Two.}\n'
            '  - {id: "3", text: Three., ask_if: {any: [{item: "9", in: [5]}]}}\n'
        ),
        ("item '3'", "ask_if", "refers to '9', not an earlier item"),
        id="ask_if naming an unknown item",
    ),
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "2", text: Two.}\n'
            '  - {id: "3", text: Three., ask_if: {any: [{item: "1", in: [6]}]}}\n'
        ),
        ("item '3'", "ask_if", "values for item '1' must be in 1–5"),
        id="ask_if value outside the earlier item's range",
    ),
    pytest.param(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "2", text: Two.}\n'
            '  - {id: "3", text: Three., if_not_asked: 1}\n'
        ),
        ("item '3'", "if_not_asked", "only makes sense with ask_if"),
        id="if_not_asked without ask_if",
    ),
    pytest.param(
        instrument_file(extra="missing_codes: [-9, 3]\n"),
        ("", "missing_codes", "3 is a valid answer to item '1'"),
        id="missing code that is a valid answer",
    ),
    pytest.param(
        instrument_file(extra="missing_codes: [-9, unknown]\n"),
        ("", "missing_codes", "must be a list of whole numbers"),
        id="missing code that is not a number",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", min_answered: 0")),
        ("scale 'total'", "min_answered", "must be a whole number in 1–3"),
        id="min_answered of 0",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", min_answered: 4")),
        ("scale 'total'", "min_answered", "must be a whole number in 1–3"),
        id="min_answered above the item count",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", min_answered: 2.5")),
        ("scale 'total'", "min_answered", "must be a whole number in 1–3"),
        id="min_answered not a whole number",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", validated: maybe")),
        ("scale 'total'", "validated", "must be true or false"),
        id="scale validated not a boolean",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", validated: 1")),
        ("scale 'total'", "validated", "must be true or false"),
        id="scale validated given as a number",
    ),
    pytest.param(
        instrument_file(scales=total_scale(', ours_items: ["3"]')),
        ("scale 'total'", "ours_items", "only applies to a scale whose method is max"),
        id="ours_items on a sum",
    ),
    pytest.param(
        instrument_file(scales=total_scale(', ours_items: ["4"]', method="max")),
        ("scale 'total'", "ours_items", "lists an item that is not in the scale"),
        id="ours_items naming an item outside the scale",
    ),
    pytest.param(
        instrument_file(scales=total_scale(', ours_items: ["1", "2", "3"]', method="max")),
        ("scale 'total'", "ours_items", "names every item"),
        id="ours_items naming every item",
    ),
    pytest.param(
        instrument_file(scales=total_scale(", ours_items: []", method="max")),
        ("scale 'total'", "ours_items", "must be a list of item ids"),
        id="ours_items empty",
    ),
    pytest.param(
        instrument_file(scales=total_scale(method="median")),
        ("scale 'total'", "method", "'median' is not one of mean, sum, max"),
        id="unknown scoring method",
    ),
    pytest.param(
        instrument_file(header=HEADER.replace("status: ours", "status: public")),
        ("licence", "status", "'public' is not one of"),
        id="unknown licence status",
    ),
    pytest.param(
        instrument_file(header=HEADER.replace("title: Demo questionnaire\n", "")),
        ("", "title", "is required"),
        id="missing title",
    ),
    pytest.param(
        instrument_file(header=HEADER.replace("id: demo", "id: Demo-1")),
        ("", "id", "lower-case letters"),
        id="id with capitals and a dash",
    ),
    pytest.param(
        "id: demo\ntitle: [unclosed\n",
        ("", "yaml", "not valid YAML at line"),
        id="invalid YAML",
    ),
    pytest.param(
        "- just\n- a list\n",
        ("", "file", "must be a mapping"),
        id="YAML that is not a mapping",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BAD_FILES)
def test_it_reports_a_bad_file_naming_the_place_and_field(text, expected):
    where, field, message = expected

    problems = problems_of(text)

    matching = [p for p in problems if (p.where, p.field) == (where, field)]
    assert matching, f"no problem at {where!r}/{field!r} in {problems}"
    assert any(message in p.message for p in matching), matching
    assert all(str(p).startswith("bad.yaml: ") for p in problems)


def test_it_reports_every_problem_in_a_file_not_just_the_first():
    text = instrument_file(
        header=HEADER.replace("status: ours", "status: public"),
        items='items:\n  - {id: "1", text: One.}\n  - {id: "2", text: Two., reversed: true}\n'
        '  - {id: "3", text: Three., ask_if: {any: [{item: "9", in: [1]}]}}\n',
        scales="scales:\n  - id: total\n    items: ['1', '2', '3']\n    method: sum\n"
        "    min_answered: 7\n"
        "    bands:\n"
        "      - {min: 3, max: 9, label: low, source: clinic}\n"
        "      - {min: 9, max: 15, label: high, source: ours}\n",
        extra="author: Someone\nmissing_codes: [2]\n",
    )

    with pytest.raises(InstrumentFileError) as excinfo:
        parse(text, "bad.yaml")

    problems = excinfo.value.problems
    assert [(p.where, p.field) for p in problems] == [
        ("", "author"),
        ("item '2'", "reversed"),
        ("item '3'", "ask_if"),
        ("scale 'total'", "min_answered"),
        ("scale 'total' band #1", "source"),
        ("", "missing_codes"),
        ("licence", "status"),
    ]
    for problem in problems:
        shown = str(problem)
        assert shown.startswith("bad.yaml: ")
        assert problem.where in shown
        assert f"{problem.field}: " in shown
    assert "(7 problems)" in str(excinfo.value)


def test_it_reports_the_other_problems_of_a_scale_that_names_an_unknown_item():
    problems = problems_of(
        instrument_file(
            scales="scales:\n  - id: total\n    items: ['1', '2', '9']\n    method: sum\n"
            "    min_answered: 0\n"
            "    bands: [{min: 3, max: 15, label: all, source: clinic}]\n"
        )
    )

    assert [(p.where, p.field) for p in problems] == [
        ("scale 'total'", "items"),
        ("scale 'total'", "min_answered"),
        ("scale 'total' band #1", "source"),
    ]


def test_it_checks_the_other_fields_of_an_item_whose_response_scale_is_invalid():
    problems = problems_of(
        instrument_file(
            items='items:\n  - {id: "1", text: One., scale: nope, required: maybe}\n'
            '  - {id: "2", text: Two.}\n  - {id: "3", text: Three.}\n'
        )
    )

    assert ("item '1'", "scale") in [(p.where, p.field) for p in problems]
    assert ("item '1'", "required") in [(p.where, p.field) for p in problems]


def test_it_names_the_item_and_the_scale_in_each_message():
    problems = problems_of(
        instrument_file(
            items='items:\n  - {id: "1", text: One.}\n  - {id: "1", text: Again.}\n'
            '  - {id: "3", text: Three.}\n',
            scales='scales:\n  - {id: total, items: ["1", "3", "7"], method: sum}\n',
        )
    )

    assert [str(p) for p in problems] == [
        "bad.yaml: item '1': id: duplicate item id",
        "bad.yaml: scale 'total': items: names unknown item '7'",
    ]


def test_it_reports_a_file_it_cannot_read(tmp_path):
    with pytest.raises(InstrumentFileError) as excinfo:
        load_file(tmp_path / "nowhere.yaml")

    assert [(p.file, p.field) for p in excinfo.value.problems] == [("nowhere.yaml", "file")]


def test_it_loads_a_file_from_disk_under_its_own_name(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(instrument_file(), encoding="utf-8")

    assert load_file(path).id == "demo"


SHIPPED = sorted(library.DEFINITIONS.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_file_loads_under_an_id_matching_its_file_name(path: Path):
    assert load_file(path).id == path.stem


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_band_says_whether_it_is_published_or_ours(path: Path):
    instrument = load_file(path)

    for scale in instrument.scales:
        assert all(band.source in (Source.PUBLISHED, Source.OURS) for band in scale.bands)


def test_the_library_holds_every_shipped_file():
    assert sorted(library.library()) == sorted(p.stem for p in SHIPPED)


def test_the_battery_lists_only_instruments_that_exist():
    data = yaml.safe_load((library.DEFINITIONS / "battery.yml").read_text(encoding="utf-8"))
    listed = data["core"] + data["deep_dives"] + data["checkin"]

    assert set(data) == {*library.USES, "first_result"}
    assert set(library.USES) == {"core", "deep_dives", "checkin"}
    assert len(listed) == len(set(listed))
    assert set(listed) <= set(library.library())


def test_the_battery_lists_every_shipped_instrument():
    battery = library.battery()

    assert sorted(battery["core"] + battery["deep_dives"] + battery["checkin"]) == sorted(
        library.library()
    )


def test_the_first_result_comes_after_the_start_of_the_core_battery_screens_included():
    first = library.first_result()
    assert first == library.battery()["core"][: len(first)]
    assert first[:2] == ["hark", "asq"] and {"csi4", "ecr_rs", "cpq_sf"} <= set(first)


def test_the_core_battery_asks_the_safety_screens_first():
    assert library.battery()["core"][:2] == ["hark", "asq"]
    assert [i.id for i in library.asking_order(["csi4", "asq", "hark"])] == ["hark", "asq", "csi4"]


def test_a_scale_is_validated_as_its_instrument_unless_it_says_otherwise():
    scales = """\
scales:
  - {id: total, items: ["1", "2", "3"], method: sum}
  - {id: ours, items: ["1"], method: sum, validated: false}
"""
    validated = parse(instrument_file(scales=scales), "good.yaml")
    unvalidated = parse(instrument_file(scales=scales, extra="validated: false\n"), "good.yaml")

    assert validated.scale("total").validated is True
    assert validated.scale("ours").validated is False
    assert unvalidated.scale("total").validated is False


def test_the_check_in_total_is_validated_and_the_week_items_are_not():
    checkin = library.get("checkin")

    assert checkin.scale("total").validated is True
    assert checkin.scale("connection").validated is False


def test_ours_items_are_read_as_item_ids():
    scales = total_scale(', ours_items: ["3"]', method="max")
    instrument = parse(instrument_file(scales=scales), "good.yaml")

    assert instrument.scale("total").ours_items == ("3",)
