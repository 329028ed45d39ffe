import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from attunement import safety
from attunement.charts.svg import SVG_NS
from attunement.errors import AttunementError
from attunement.insight import Partner, build_report
from attunement.insight.render import html_fragment, to_dict, to_html, to_json, to_pdf
from attunement.safety import ScreenOutcome

XMLNS = f'xmlns="{SVG_NS}"'
PARTNER_VIOLENCE = ScreenOutcome("partner_violence", True)
SUICIDE_RISK = ScreenOutcome("suicide_risk", True)


def alex(name="Alex"):
    return Partner("a", name, {
        "csi4": {"total": 11},
        "ecr_rs": {"anxiety": 5.3, "avoidance": 2.0},
        "cpq_sf": {"constructive": 10, "self_demand_partner_withdraw": 21,
                   "partner_demand_self_withdraw": 6},
        "connection": {"wants_closeness": 4, "lonely": 3, "repair": 2.8, "being_right": 3},
    })  # fmt: skip


def sam(name="Sam"):
    return Partner("b", name, {
        "csi4": {"total": 15},
        "ecr_rs": {"anxiety": 2, "avoidance": 5.2},
        "cpq_sf": {"constructive": 12, "self_demand_partner_withdraw": 5,
                   "partner_demand_self_withdraw": 20},
        "connection": {"wants_closeness": 1},
    })  # fmt: skip


def report(*screens_for_sam):
    return build_report([alex(), sam()], {"b": list(screens_for_sam)})


class Outline(HTMLParser):
    """The headings of a page, in order, as (tag, text)."""

    def __init__(self):
        super().__init__()
        self.headings, self.open = [], None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.open, self.text = tag, ""

    def handle_data(self, data):
        if self.open:
            self.text += data

    def handle_endtag(self, tag):
        if tag == self.open:
            self.headings.append((tag, " ".join(self.text.split())))
            self.open = None


def outline(html):
    parser = Outline()
    parser.feed(html)
    return parser.headings


def safety_words():
    """Every sentence the private safety section can show."""
    resources = safety.current()
    words = ["Only you can see this", "Your safety comes first"]
    for kinds in resources.messages.values():
        for message in kinds.values():
            words += [message.title, *message.before, *message.after]
    for group in resources.groups.values():
        words.append(group.title)
        words += [f"{e.name}" for e in group.entries]
    plan = resources.safety_plan
    words += [plan.title, plan.intro, *plan.steps]
    private = report(PARTNER_VIOLENCE).view("b").findings[0]
    words.append(private.text)
    return [w for w in words if w != "Emergency services"]


# --- JSON --------------------------------------------------------------------


def test_json_round_trips_to_the_same_data():
    view = report().view("joint")
    assert json.loads(to_json(view)) == to_dict(view)


def test_json_is_indented_by_two_and_the_same_every_time():
    view = report().view("joint")
    assert to_json(view) == to_json(report().view("joint"))
    assert to_json(view).splitlines()[1] == '  "format": "attunement.report",'


def test_json_has_the_documented_keys_in_order():
    data = to_dict(report().view("joint"))
    assert list(data) == [
        "format", "version", "audience", "solo", "partners", "support", "findings", "screens",
    ]  # fmt: skip
    assert list(data["partners"][0]) == ["key", "name", "scores"]
    assert list(data["partners"][0]["scores"][0]) == [
        "instrument", "scale", "value", "instrument_title", "title", "range",
    ]  # fmt: skip
    assert list(data["support"]) == ["level", "text"]
    finding = next(f for f in data["findings"] if f["id"] == "pursue_withdraw")
    assert list(finding) == [
        "id", "title", "text", "partners", "roles", "agreement", "private_to", "evidence",
        "practices",
    ]  # fmt: skip
    assert list(finding["evidence"][0]) == [
        "partner", "instrument", "scale", "instrument_title", "title", "range", "value",
        "threshold", "meets",
    ]  # fmt: skip
    assert list(finding["evidence"][0]["threshold"]) == [
        "value", "comparison", "source", "rationale",
    ]  # fmt: skip
    assert list(finding["practices"][0]) == ["id", "title", "summary"]
    screened = to_dict(report(PARTNER_VIOLENCE).view("b"))
    assert list(screened) == list(data)
    assert list(screened["screens"][0]) == ["concern", "positive", "acute"]


def test_every_json_key_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "report-json.md").read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| ([^|]+) \|", doc, re.M)
    documented = {key for cell in first_cells for key in re.findall(r"`([a-z_]+)`", cell)}

    def keys(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield key
                if key != "roles":  # roles maps partner keys, not schema keys
                    yield from keys(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from keys(inner)

    screened, joint = to_dict(report(PARTNER_VIOLENCE).view("b")), to_dict(report().view("joint"))
    assert set(keys(screened)) | set(keys(joint)) <= documented


def test_json_keeps_the_report_order_and_values():
    view = report().view("joint")
    data = to_dict(view)
    assert [f["id"] for f in data["findings"]] == [f.id for f in view.findings]
    cycle = next(f for f in data["findings"] if f["id"] == "pursue_withdraw")
    assert cycle["roles"] == {"a": "pursuer", "b": "withdrawer"}
    assert cycle["agreement"] == "both_reports"
    assert cycle["evidence"][0] == {
        "partner": "a",
        "instrument": "cpq_sf",
        "scale": "self_demand_partner_withdraw",
        "instrument_title": "CPQ-SF",
        "title": "I demand, my partner withdraws",
        "range": [3, 27],
        "value": 21,
        "threshold": {
            "value": 15,
            "comparison": ">=",
            "source": "ours",
            "rationale": cycle["evidence"][0]["threshold"]["rationale"],
        },
        "meets": True,
    }


def test_joint_json_is_the_same_whether_or_not_a_partner_screened_positive():
    assert to_json(report(PARTNER_VIOLENCE).view("joint")) == to_json(report().view("joint"))
    assert to_dict(report(PARTNER_VIOLENCE).view("joint"))["screens"] == []


def test_the_screened_partners_json_carries_their_screen_and_private_finding():
    data = to_dict(report(PARTNER_VIOLENCE).view("b"))
    assert data["screens"] == [{"concern": "partner_violence", "positive": True, "acute": False}]
    assert data["findings"][0]["id"] == "safety_concern"
    assert data["findings"][0]["private_to"] == "b"
    assert data["support"]["level"] == "urgent_individual"


# --- HTML --------------------------------------------------------------------


def test_the_joint_report_reads_in_this_order():
    assert outline(to_html(report().view("joint"))) == [
        ("h1", "Alex and Sam: your couple report"),
        ("h2", "Your report on one page"),
        ("h3", "What already works"),
        ("h3", "Your cycle"),
        ("h3", "Two things to try this week"),
        ("h3", "Also in this report"),
        ("h2", "How to read this together"),
        ("h2", "Your cycle, step by step"),
        ("h3", "The reach-and-retreat cycle"),
        ("h2", "Start with what already works"),
        ("h3", "What already works (Alex)"),
        ("h2", "What else stands out"),
        ("h3", "Different needs for closeness"),
        ("h3", "Lonely together (Alex)"),
        ("h3", "Worry about being cared for (Alex)"),
        ("h3", "Discomfort leaning on each other (Sam)"),
        ("h3", "Protective habits (Alex)"),
        ("h3", "Relationship satisfaction is low (Alex)"),
        ("h2", "How each of you approaches closeness"),
        ("h2", "The scores behind this report"),
        ("h2", "About this report"),
    ]


def test_each_finding_keeps_how_it_was_measured_in_a_fold_of_its_own():
    html = to_html(report().view("joint"))
    folds = re.findall(
        r'<details class="measured">\s*<summary>How this was measured</summary>', html
    )
    assert len(folds) == 8  # one per finding with evidence
    assert html.index("Your report on one page") < html.index('<details class="measured">')


def test_the_summary_links_each_other_finding_to_its_place_below():
    html = to_html(report().view("joint"))
    for anchor in re.findall(r'<li><a href="#(finding-\d+)">', html):
        assert f'id="{anchor}"' in html


def test_a_partner_who_disclosed_violence_sees_the_private_section_first_and_no_couple_part():
    assert outline(to_html(report(PARTNER_VIOLENCE).view("b"))) == [
        ("h1", "Alex and Sam: your couple report"),
        ("h2", "Only you can see this"),
        ("h3", "You are not alone"),
        ("h4", "Domestic abuse helplines, free and confidential"),
        ("h4", "In an emergency, or if you are in danger right now"),
        ("h4", "Making a safety plan"),
        ("h4", "More help with a safety plan"),
        ("h2", "The couple part of this report"),
        ("h2", "About this report"),
    ]


def test_a_partner_at_risk_of_suicide_sees_crisis_lines_first_then_the_couple_part():
    headings = outline(to_html(report(SUICIDE_RISK).view("b")))
    assert headings[:5] == [
        ("h1", "Alex and Sam: your couple report"),
        ("h2", "Only you can see this"),
        ("h3", "Please reach out today"),
        ("h4", "Crisis lines, free and confidential"),
        ("h4", "In an emergency, or if you are in danger right now"),
    ]
    assert headings[5:7] == [
        ("h2", "Reading the rest of this report"),
        ("h2", "Your report on one page"),
    ]
    assert ("h3", "Two things to try this week") not in headings  # exercises paused


def test_a_solo_report_is_about_your_side():
    headings = outline(to_html(build_report([alex()]).view("joint")))
    assert headings[:5] == [
        ("h1", "Alex: your Attunement report"),
        ("h2", "Your results on one page"),
        ("h3", "What already works"),
        ("h3", "Your side of the cycle"),
        ("h3", "Two things to try this week"),
    ]
    assert "Your partner, as you see it" in to_html(build_report([alex()]).view("joint"))


def test_the_private_section_is_only_in_the_screened_partners_view():
    screened = report(PARTNER_VIOLENCE)
    assert "Only you can see this" in to_html(screened.view("b"))
    assert "Only you can see this" not in to_html(screened.view("a"))
    assert "Only you can see this" not in to_html(screened.view("joint"))


@pytest.mark.parametrize("audience", ["joint", "a"])
@pytest.mark.parametrize("screen", [PARTNER_VIOLENCE, SUICIDE_RISK], ids=["violence", "suicide"])
def test_nothing_of_the_safety_section_reaches_anyone_else(audience, screen):
    html = to_html(report(screen).view(audience))
    assert html == to_html(report().view(audience))
    for words in safety_words():
        assert words not in html, words


def test_the_private_section_shows_the_message_the_services_and_the_safety_plan():
    html = to_html(report(PARTNER_VIOLENCE).view("b"))
    resources = safety.current()
    message = resources.message(PARTNER_VIOLENCE)
    expected = [message.title, *message.before, *message.after, resources.safety_plan.intro]
    expected += resources.safety_plan.steps
    for group in ("partner_violence", "emergency", "safety_planning"):
        expected += [resources.groups[group].title]
        expected += [e.description for e in resources.groups[group].entries]
    for words in expected:
        assert escape(words) in html, words
    assert '<a href="tel:18007997233">1-800-799-7233</a>' in html
    assert "Crisis lines" not in html  # only the help this screen calls for


def test_a_screen_shown_twice_does_not_repeat_the_shared_services():
    html = to_html(report(PARTNER_VIOLENCE, SUICIDE_RISK).view("b"))
    assert html.count("In an emergency, or if you are in danger right now") == 1
    assert "Crisis lines, free and confidential" in html


def test_the_report_is_one_english_document_with_one_h1():
    html = to_html(report().view("joint"))
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert html.count("<h1") == 1
    assert "<title>Attunement report</title>" in html


def test_the_page_title_is_the_same_for_every_view_so_history_reveals_nothing():
    screened = report(PARTNER_VIOLENCE)
    titles = {re.search("<title>(.*)</title>", to_html(screened.view(v)))[1] for v in "ab"}
    assert titles == {"Attunement report"}


@pytest.mark.parametrize("audience", ["joint", "a", "b"])
def test_the_page_makes_no_request_and_runs_no_script(audience):
    html = to_html(report(PARTNER_VIOLENCE, SUICIDE_RISK).view(audience))
    assert html.count("http") == html.count(XMLNS)
    assert "<script" not in html.lower()
    assert not re.search(r"\son[a-z]+=", html)
    assert "@import" not in html and "<link" not in html


@pytest.mark.parametrize("audience", ["joint", "a"])
def test_names_are_escaped_everywhere(audience):
    couple = build_report([alex("<Sam & Co>"), sam('"Al" <b>')])
    html = to_html(couple.view(audience))
    assert "<Sam & Co>" not in html and "<b>" not in html
    assert "&lt;Sam &amp; Co&gt;" in html


def test_each_finding_comes_with_its_practices_described_once():
    html = to_html(report().view("joint"))
    assert html.count("Open a hard topic with what you feel") == 1
    assert "<strong>Start softly</strong> (described above)" in html


def test_the_summary_gives_each_partner_in_the_cycle_one_thing_to_try_first():
    html = to_html(report().view("joint"))
    steps = re.search(r'<ol class="next-steps">(.*?)</ol>', html, re.S)
    assert steps is not None
    tried = re.findall(r"<li><strong>(\w+):</strong> ([^.]+)\.", steps.group(1))
    assert tried == [("Alex", "Start softly"), ("Sam", "Stay a little longer")]


def test_the_evidence_names_each_threshold_source_its_reason_and_the_agreement():
    html = to_html(report().view("joint"))
    assert '<span class="source source-published">published</span>' in html
    assert '<span class="source source-ours">ours</span>' in html
    assert "Funk &amp; Rogge (2007)" in html
    assert "Both partners' own answers point this way." in html
    assert "This rests on one person's own answers." in html


def test_the_report_says_it_is_not_therapy_and_never_shows_item_answers():
    html = to_html(report().view("joint"))
    assert "Attunement is not therapy" in html
    assert "answers to individual questions are never shown" in html


def test_the_report_names_no_types():
    html = to_html(report().view("joint"))
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b(an? )?(anxious|avoidant|secure|fearful) (type|person)\b", text)
    assert not re.search(r"\byou are an? \w+ type\b", text, re.I)


def test_the_fragment_is_the_body_of_the_document():
    view = report().view("joint")
    fragment = html_fragment(view)
    assert fragment.startswith('<article class="attunement-report">')
    assert "<html" not in fragment and "<head>" not in fragment and "<style" not in fragment
    assert "style=" not in fragment  # embeddable under a strict Content-Security-Policy
    assert fragment in to_html(view)


def test_the_document_styles_itself_for_print_and_narrow_screens():
    html = to_html(report().view("joint"))
    assert "@media print" in html
    assert "@media (max-width: 40rem)" in html
    assert re.search(r"max-width: 46rem", html)


def test_the_same_view_gives_the_same_html():
    assert to_html(report().view("joint")) == to_html(report().view("joint"))


# --- PDF ---------------------------------------------------------------------


def test_the_pdf_is_a_pdf():
    pytest.importorskip("weasyprint")
    assert to_pdf(report().view("joint")).startswith(b"%PDF")


def test_without_weasyprint_the_pdf_asks_for_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(AttunementError, match=r"pip install 'attunement\[pdf\]'"):
        to_pdf(report().view("joint"))


@pytest.mark.parametrize("audience", ["joint", "a", "b"])
@pytest.mark.parametrize("vignette", ["pursue_withdraw", "both_withdrawn", "mutual_blame", "solo"])
def test_the_printed_report_fits_on_four_pages(vignette, audience):
    weasyprint = pytest.importorskip("weasyprint")
    from insight_vignettes import ALL
    from insight_vignettes import report as vignette_report

    chosen = vignette_report(next(v for v in ALL if v.id == vignette))
    if audience != "joint" and audience not in chosen.private:
        pytest.skip("one person alone has one view")
    pages = weasyprint.HTML(string=to_html(chosen.view(audience))).render().pages
    assert len(pages) <= 4
