import datetime

import pytest
import yaml

from attunement import safety
from attunement.errors import AttunementError
from attunement.instruments import library
from attunement.instruments.scoring import score
from attunement.safety.resources import RESOURCE_FILE, ResourceFileError, parse

NO_HARK = {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}
NO_ASQ = {"1": 0, "2": 0, "3": 0, "4": 0}


def flat(text):
    return " ".join(text.split())


def shipped():
    return yaml.safe_load(RESOURCE_FILE.read_text(encoding="utf-8"))


def problems_in(data):
    with pytest.raises(ResourceFileError) as caught:
        parse(yaml.safe_dump(data), "local.yaml")
    return str(caught.value)


def test_the_shipped_resources_load_and_validate():
    resources = safety.load(RESOURCE_FILE)
    assert set(resources.groups) == {
        "emergency",
        "suicide_risk",
        "partner_violence",
        "safety_planning",
        "own_behaviour",  # optional: shown on the support page only
        "finding_a_therapist",  # optional: shown on the support page only
    }
    assert len(resources.safety_plan.steps) >= 5


@pytest.mark.parametrize(
    "concern", ["emergency", "suicide_risk", "partner_violence", "safety_planning"]
)
def test_every_resource_has_a_name_region_description_and_a_way_to_reach_it(concern):
    entries = safety.resources_for(concern)
    assert entries
    for entry in entries:
        assert entry.concern == concern
        assert entry.name and entry.region and entry.description
        assert entry.phone or entry.text or entry.web


def test_the_well_known_numbers_are_listed():
    numbers = {
        r.phone
        for c in ("emergency", "suicide_risk", "partner_violence")
        for r in safety.resources_for(c)
    }
    assert {"112", "911", "999", "988", "116 123", "1-800-799-7233", "0808 2000 247"} <= numbers


def test_every_screen_in_the_library_has_resources_and_messages():
    resources = safety.current()
    for instrument in library.library().values():
        if instrument.screen is None:
            continue
        concern = instrument.screen.concern
        assert resources.resources_for(concern)
        assert "positive" in resources.messages[concern]
        if instrument.screen.acute_scale:
            assert "acute" in resources.messages[concern]


def test_an_unknown_concern_is_a_clear_error():
    with pytest.raises(
        AttunementError, match="no safety resources for 'gambling'; known: emergency"
    ):
        safety.resources_for("gambling")


def test_a_broken_resource_file_names_the_file_and_every_field_at_fault():
    data = shipped()
    del data["resources"]["suicide_risk"]["entries"][0]["name"]
    data["resources"]["partner_violence"]["entries"][1] = {
        "name": "Helpline",
        "region": "Somewhere",
        "description": "Listens.",
        "checked": {"status": "unverified", "date": "2026-12-06", "source": "example.org"},
    }
    data["messages"]["partner_violence"]["positive"]["show"].append("leaflets")
    del data["messages"]["suicide_risk"]["acute"]
    message = problems_in(data)
    assert message.startswith("local.yaml is not a valid safety resource file (4 problems):")
    assert "local.yaml: resources.suicide_risk[0]: name: is required" in message
    assert "resources.partner_violence[1]: phone/text/web: at least one way to reach it" in message
    assert "show: 'leaflets' is not a resource group" in message
    assert "messages: suicide_risk.acute: is required" in message


def test_a_missing_group_is_reported():
    data = shipped()
    del data["resources"]["emergency"]
    assert "resources: emergency: is required" in problems_in(data)


def test_an_unknown_field_is_reported_with_the_allowed_ones():
    data = shipped()
    data["resources"]["emergency"]["entries"][0]["fax"] = "123"
    assert (
        "fax: unknown field (allowed: checked, description, name, phone, region, text, web)"
        in problems_in(data)
    )


def test_a_file_that_is_not_yaml_says_where():
    with pytest.raises(
        ResourceFileError,
        match=r"local\.yaml: yaml: not valid YAML at line 3, column 3: expected <block end>",
    ):
        parse("labels:\n  phone: Phone\n  - text\n", "local.yaml")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ResourceFileError, match=r"nowhere\.yaml"):
        safety.load(tmp_path / "nowhere.yaml")


def test_an_operator_can_point_to_a_localised_file(tmp_path, monkeypatch):
    data = shipped()
    data["resources"]["emergency"]["entries"] = [
        {
            "name": "Notruf",
            "region": "Deutschland",
            "phone": "112",
            "description": "Polizei: 110.",
            "checked": {"status": "verified", "date": "2026-11-30", "source": "bmi.bund.de"},
        }
    ]
    local = tmp_path / "de.yaml"
    local.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("ATTUNEMENT_SAFETY_RESOURCES", str(local))
    assert [r.name for r in safety.resources_for("emergency")] == ["Notruf"]


def test_a_negative_screen_calls_for_nothing():
    assert safety.evaluate(score("hark", NO_HARK)) is None
    assert safety.evaluate(score("asq", NO_ASQ)) is None


def test_an_instrument_that_is_not_a_screen_calls_for_nothing():
    assert safety.evaluate(score("csi4", {"1": 3, "2": 3, "3": 3, "4": 3})) is None


def test_a_hark_yes_is_a_positive_partner_violence_screen():
    outcome = safety.evaluate(score("hark", NO_HARK | {"C": 1}))
    assert outcome == safety.ScreenOutcome("partner_violence", positive=True, acute=False)


def test_the_partner_violence_help_covers_help_lines_safety_planning_and_leaving_quickly():
    text = flat(safety.help_text(safety.ScreenOutcome("partner_violence", positive=True)))
    assert text.startswith("You are not alone")
    assert "None of this is your fault" in text
    assert "1-800-799-7233" in text and "0808 2000 247" in text
    assert "Making a safety plan" in text and "A code word" in text
    assert "Why we are not suggesting couple exercises now" in text
    assert "Quick exit button" in text and "private window keeps no history" in text
    assert "988" not in text


def test_an_asq_yes_is_a_positive_suicide_risk_screen_with_crisis_lines():
    outcome = safety.evaluate(score("asq", NO_ASQ | {"4": 1, "5": 0}))
    assert outcome == safety.ScreenOutcome("suicide_risk", positive=True, acute=False)
    text = flat(safety.help_text(outcome))
    assert text.startswith("Please reach out today")
    assert "prompt check-in with a professional" in text
    assert "Phone: 988 · Text: 988" in text and "116 123" in text
    assert "stops here" not in text


def test_a_non_acute_positive_names_a_prompt_professional_assessment_as_the_next_step():
    text = flat(safety.help_text(safety.ScreenOutcome("suicide_risk", positive=True)))
    assert "The next step is a prompt check-in with a professional" in text
    assert "GP" in text and "mental-health service" in text and "crisis line" in text
    assert "when you feel ready" not in text


def test_a_non_acute_positive_gives_means_safety_guidance():
    text = flat(safety.help_text(safety.ScreenOutcome("suicide_risk", positive=True)))
    assert "medicines" in text and "weapon" in text and "cords and ropes" in text
    assert "ask someone you trust to keep them" in text


def test_declining_an_asq_question_is_a_positive_suicide_risk_screen():
    outcome = safety.evaluate(score("asq", NO_ASQ | {"3": 2, "5": 0}))
    assert outcome == safety.ScreenOutcome("suicide_risk", positive=True, acute=False)


def test_asq_item_5_yes_is_acute_and_its_help_is_urgent_and_stops_the_questionnaire():
    outcome = safety.evaluate(score("asq", NO_ASQ | {"1": 1, "5": 1}))
    assert outcome == safety.ScreenOutcome("suicide_risk", positive=True, acute=True)
    text = flat(safety.help_text(outcome))
    assert text.startswith("Please get help right now")
    assert "call your emergency number or a crisis line now" in text
    assert text.index("Phone: 112") < text.index("Phone: 988")
    assert "The questionnaire stops here" in text


def test_help_text_lines_fit_a_terminal():
    for outcome in [
        safety.ScreenOutcome("partner_violence", positive=True),
        safety.ScreenOutcome("suicide_risk", positive=True),
        safety.ScreenOutcome("suicide_risk", positive=True, acute=True),
    ]:
        assert max(len(line) for line in safety.help_text(outcome).splitlines()) <= 76


def test_every_shipped_entry_says_when_and_against_what_it_was_checked():
    resources = safety.load(RESOURCE_FILE)
    for group in resources.groups.values():
        for entry in group.entries:
            assert entry.checked.status in ("verified", "unverified")
            assert entry.checked.date == datetime.date(2026, 12, 6)
            assert entry.checked.source


def test_entries_nobody_has_checked_are_listed_as_unverified():
    resources = safety.load(RESOURCE_FILE)
    names = {r.name for r in resources.unverified()}
    assert "Respect Phoneline" in names and "Shout" in names


@pytest.mark.parametrize(
    ("name", "region"),
    [
        ("Respect Phoneline", "United Kingdom"),
        ("Men's Referral Service, run by No to Violence", "Australia"),
    ],
)
def test_people_worried_about_their_own_behaviour_have_a_line(name, region):
    entries = safety.resources_for("own_behaviour")
    assert (name, region) in {(r.name, r.region) for r in entries}


@pytest.mark.parametrize(
    ("concern", "name"),
    [
        ("partner_violence", "Men's Advice Line, run by Respect"),
        ("partner_violence", "Galop National LGBT+ Domestic Abuse Helpline"),
        ("partner_violence", "Scotland's Domestic Abuse and Forced Marriage Helpline"),
        ("partner_violence", "Live Fear Free Helpline"),
        ("partner_violence", "Domestic and Sexual Abuse Helpline"),
        ("suicide_risk", "The Trevor Project"),
        ("suicide_risk", "LGBT National Hotline (LGBT National Help Center)"),
        ("suicide_risk", "Crisis Text Line"),
        ("suicide_risk", "Shout"),
        ("suicide_risk", "988 Suicide Crisis Helpline"),
    ],
)
def test_the_review_s_additions_are_listed(concern, name):
    assert name in {r.name for r in safety.resources_for(concern)}


def test_text_lines_and_samaritans_email_are_given():
    entries = {r.name: r for r in safety.resources_for("suicide_risk")}
    assert entries["Shout"].text == "SHOUT to 85258"
    assert entries["Crisis Text Line"].text == "HOME to 741741"
    assert "jo@samaritans.org" in entries["Samaritans"].description


def test_the_advice_on_history_says_clearing_it_can_be_noticed():
    resources = safety.load(RESOURCE_FILE)
    device_step = next(s for s in resources.safety_plan.steps if s.startswith("Your devices"))
    assert "can itself be noticed" in device_step
    assert "private browsing window" in device_step and "does not use" in device_step
    outcome = safety.ScreenOutcome("partner_violence", positive=True)
    assert "can itself be noticed" in flat(safety.help_text(outcome, resources))


def with_check(check):
    data = shipped()
    data["resources"]["emergency"]["entries"][0]["checked"] = check
    return data


@pytest.mark.parametrize(
    ("check", "problem"),
    [
        (None, "resources.emergency[0]: checked: is required: {status, date, source}"),
        (
            {"status": "probably", "date": "2026-12-06", "source": "x.org"},
            "resources.emergency[0].checked: status: 'probably' is not one of verified, unverified",
        ),
        (
            {"status": "verified", "date": "last week", "source": "x.org"},
            "resources.emergency[0].checked: date: 'last week' is not a date written as YYYY-MM-DD",
        ),
        (
            {"status": "verified", "date": "2026-12-06"},
            "resources.emergency[0].checked: source: is required",
        ),
        (
            {"status": "verified", "date": "2026-12-06", "source": "x.org", "by": "me"},
            "resources.emergency[0].checked: by: unknown field (allowed: date, source, status)",
        ),
    ],
)
def test_a_bad_check_record_is_reported(check, problem):
    data = with_check(check)
    if check is None:
        del data["resources"]["emergency"]["entries"][0]["checked"]
    assert problem in problems_in(data)


def test_a_check_date_may_be_a_yaml_date_or_text():
    data = with_check({"status": "verified", "date": "2026-11-30", "source": "europa.eu"})
    text = yaml.safe_dump(data).replace("'2026-11-30'", "2026-11-30")
    resources = parse(text, "local.yaml")
    assert resources.groups["emergency"].entries[0].checked.date == datetime.date(2026, 11, 30)
    assert resources.groups["emergency"].entries[0].checked.verified
