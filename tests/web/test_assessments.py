"""The Connection Check pages: built from the instrument files, safety first, private always."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils.html import escape

from attunement.instruments import library
from attunement.web.assessments import paging, services
from attunement.web.assessments.models import Answer

from .conftest import client_for

TEMPLATES = Path(services.__file__).parents[1] / "templates" / "assessments"
ALL_NO_HARK = {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}
ALL_NO_ASQ = {"1": 0, "2": 0, "3": 0, "4": 0}


def page_url(instrument_id: str, number: int) -> str:
    return f"/check/{instrument_id}/{number}/"


def post_page(client, instrument_id, number, answers, action="continue"):
    data = {key: str(value) for key, value in answers.items()}
    return client.post(page_url(instrument_id, number), {**data, "action": action})


def answer_screens(person) -> None:
    services.save_page(person, library.get("hark"), ALL_NO_HARK)
    services.save_page(person, library.get("asq"), ALL_NO_ASQ)


def stored(person, instrument_id):
    rows = Answer.objects.filter(owner=person, instrument=instrument_id)
    return {row.item: row.value for row in rows}


# The overview


def test_the_overview_lists_every_questionnaire_by_its_title_from_the_files(alex):
    response = client_for(alex).get("/check/")
    assert response.status_code == 200
    for instrument in services.battery()[2:]:
        assert escape(instrument.title) in response.content.decode()


def test_the_safety_screens_go_by_a_neutral_name_that_a_glance_at_the_screen_cannot_read(alex):
    client = client_for(alex)
    for path in ("/check/", page_url("hark", 1), page_url("asq", 1)):
        page = client.get(path).content.decode()
        assert "Safety questions" in page
        assert "violence" not in page.lower() and "suicide" not in page.lower()


def test_the_overview_introduces_the_safety_questions_and_why_they_are_asked(alex):
    page = client_for(alex).get("/check/").content.decode()
    assert "about 10 minutes" in page
    assert "The first 2 parts ask about your safety" in page
    assert "Your partner is never told" in page


def test_the_overview_starts_with_the_safety_screens(alex):
    response = client_for(alex).get("/check/")
    assert response.context["resume_url"] == page_url("hark", 1)
    assert [i.id for i in services.battery()][:2] == ["hark", "asq"]


def test_the_overview_shows_which_parts_are_done(alex):
    answer_screens(alex)
    parts = client_for(alex).get("/check/").context["progress"].parts
    assert [p.complete for p in parts] == [True, True, False, False, False, False, False]


def test_pages_need_a_signed_in_person(db):
    response = client_for(None).get(page_url("hark", 1))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/check/nothing/1/", "/check/ecr_r/1/", "/check/hark/2/"])
def test_an_unknown_part_or_page_is_not_found(alex, path):
    assert client_for(alex).get(path).status_code == 404


# Pages built from the instrument files


@pytest.mark.parametrize("instrument_id", library.battery()["core"])
def test_every_question_of_a_part_appears_on_its_pages_in_the_words_of_its_file(
    alex, instrument_id
):
    answer_screens(alex)
    if instrument_id == "asq":
        services.save_page(alex, library.get("asq"), {"1": 1, "2": 0, "3": 0, "4": 0})
    instrument = library.get(instrument_id)
    shown = "".join(
        client_for(alex).get(page_url(instrument_id, p.number)).content.decode()
        for p in paging.pages(instrument, services.answers_for(alex, instrument_id))
    )
    for item in instrument.items:
        assert escape(item.text) in shown
        for label in item.scale.labels.values():
            assert escape(label) in shown


def test_no_question_is_typed_into_a_template():
    templates = "".join(path.read_text() for path in TEMPLATES.glob("*.html"))
    for instrument in library.library().values():
        for item in instrument.items:
            assert item.text not in templates


def test_a_page_shows_the_instructions_and_section_from_the_file(alex):
    answer_screens(alex)
    page = client_for(alex).get(page_url("cpq_sf", 1)).content.decode()
    cpq = library.get("cpq_sf")
    assert escape(cpq.instructions) in page
    assert escape(cpq.items[0].section) in page


def test_a_sparse_scale_shows_every_value_with_its_label_where_it_has_one(alex):
    answer_screens(alex)
    page = client_for(alex).get(page_url("cpq_sf", 1)).content.decode()
    assert "1 – Very unlikely" in page
    assert "5 – Neither likely nor unlikely" in page
    assert "9 – Very likely" in page
    assert 'value="2"' in page and 'value="8"' in page


def test_each_question_is_a_fieldset_of_radio_buttons_with_its_text_as_legend(alex):
    page = client_for(alex).get(page_url("hark", 1)).content.decode()
    hark = library.get("hark")
    assert page.count("<fieldset") == len(hark.items)
    assert f"<legend>{escape(hark.items[1].text)}</legend>" in page
    assert page.count('type="radio"') == 2 * len(hark.items)


@pytest.mark.parametrize("instrument_id", library.battery()["core"])
def test_no_page_holds_more_than_five_questions(instrument_id):
    instrument = library.get(instrument_id)
    everything = {item.id: 1 for item in instrument.items}
    layout = paging.pages(instrument, everything)
    assert all(1 <= len(p.items) <= 5 for p in layout)
    assert [i for p in layout for i in p.items] == list(instrument.items)


def test_a_page_says_which_part_and_page_it_is(alex):
    answer_screens(alex)
    page = client_for(alex).get(page_url("cpq_sf", 2)).content.decode()
    assert "Part 5 of 7, page 2 of 3" in page
    assert "<progress" in page


def test_pages_have_no_inline_script_or_style(alex):
    page = client_for(alex).get(page_url("hark", 1)).content.decode()
    assert "<script>" not in page and "<style" not in page and "style=" not in page
    assert "onclick" not in page


def test_every_button_is_a_real_button_in_keyboard_order(alex):
    text = client_for(alex).get(page_url("hark", 1)).content.decode()
    order = [text.index(f'value="{action}"') for action in ("continue", "stop", "back")]
    assert order == sorted(order)
    assert 'tabindex="' not in text.split('<main id="main" tabindex="-1">')[1]


# Saving


def test_save_and_continue_stores_each_answer_and_goes_to_the_next_part(alex):
    response = post_page(client_for(alex), "hark", 1, ALL_NO_HARK)
    assert response.status_code == 302
    assert response["Location"] == page_url("asq", 1)
    assert stored(alex, "hark") == ALL_NO_HARK


def test_an_answer_out_of_range_saves_nothing_and_says_so(alex):
    response = post_page(client_for(alex), "hark", 1, {**ALL_NO_HARK, "H": 7})
    assert response.status_code == 200
    assert "Nothing on this page was saved yet" in response.content.decode()
    assert "Please choose one of the answers shown." in response.content.decode()
    assert stored(alex, "hark") == {}


def test_a_missing_required_answer_saves_nothing_and_says_so(alex):
    answers = {key: value for key, value in ALL_NO_HARK.items() if key != "A"}
    response = post_page(client_for(alex), "hark", 1, answers)
    page = response.content.decode()
    assert response.status_code == 200
    assert "this question needs one before you go on" in page
    assert 'href="#id_A_0"' in page  # the summary leads the keyboard to the first choice
    assert stored(alex, "hark") == {}


def test_a_bad_answer_keeps_the_earlier_answers_untouched(alex):
    services.save_page(alex, library.get("csi4"), {"1": 3, "2": 3, "3": 3, "4": 3})
    answer_screens(alex)
    post_page(client_for(alex), "csi4", 1, {"1": 4, "2": 9})
    assert stored(alex, "csi4") == {"1": 3, "2": 3, "3": 3, "4": 3}


def test_questions_that_are_not_required_may_be_skipped(alex):
    answer_screens(alex)
    response = post_page(client_for(alex), "csi4", 1, {"1": 4})
    assert response.status_code == 302
    assert stored(alex, "csi4") == {"1": 4, "2": None, "3": None, "4": None}


def test_save_and_stop_keeps_what_was_chosen_and_returns_to_the_overview(alex):
    response = post_page(client_for(alex), "hark", 1, {"H": 0, "A": 0}, action="stop")
    assert response["Location"] == "/check/"
    assert stored(alex, "hark") == {"H": 0, "A": 0}


def test_back_keeps_what_was_chosen_and_goes_to_the_previous_page(alex):
    answer_screens(alex)
    response = post_page(client_for(alex), "csi4", 1, {"1": 2}, action="back")
    assert response["Location"] == page_url("asq", 1)
    assert stored(alex, "csi4") == {"1": 2}


def test_back_on_the_first_page_returns_to_the_overview(alex):
    response = post_page(client_for(alex), "hark", 1, {}, action="back")
    assert response["Location"] == "/check/"
    assert stored(alex, "hark") == {}


def test_a_saved_answer_is_chosen_when_the_page_is_shown_again(alex):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "K": 0})
    page = client_for(alex).get(page_url("hark", 1)).content.decode()
    assert page.count("checked") == len(ALL_NO_HARK)


def test_resume_lands_on_the_first_page_with_an_unanswered_question(alex):
    answer_screens(alex)
    services.save_page(alex, library.get("csi4"), {"1": 3, "2": 3, "3": 3, "4": 3})
    services.save_page(alex, library.get("ecr_rs"), {str(n): 4 for n in range(1, 6)})
    response = client_for(alex).get("/check/")
    assert response.context["resume_url"] == page_url("ecr_rs", 2)
    assert "Continue where you left off" in response.content.decode()


def test_the_last_page_leads_to_the_results(alex):
    answer_screens(alex)
    for instrument in services.battery()[2:-1]:
        services.save_page(alex, instrument, {i.id: None for i in instrument.items})
    connection = library.get("connection")
    services.save_page(alex, connection, {i.id: None for i in connection.items[:-1]})
    last = paging.pages(connection, services.answers_for(alex, "connection"))[-1]
    response = post_page(client_for(alex), "connection", last.number, {"H5": 2})
    assert response["Location"] == "/check/results/"


def answer_all_but_the_last_page(person, instrument_id: str) -> paging.Page:
    """Middling answers to every page of a part but its last, which is returned."""
    chosen = library.get(instrument_id)
    *earlier, last = paging.pages(chosen, {})
    for page in earlier:
        services.save_page(person, chosen, {i.id: i.scale.min + 1 for i in page.items})
    return last


def middling(page: paging.Page) -> dict[str, int]:
    return {i.id: i.scale.min + 1 for i in page.items}


def test_the_end_of_the_core_questions_leads_to_a_first_result(alex):
    answer_screens(alex)
    for instrument_id in ("csi4", "ecr_rs"):
        chosen = library.get(instrument_id)
        services.save_page(alex, chosen, {i.id: i.scale.min + 1 for i in chosen.items})
    last = answer_all_but_the_last_page(alex, "cpq_sf")
    client = client_for(alex)
    response = post_page(client, "cpq_sf", last.number, middling(last))
    assert response["Location"] == "/check/results/"

    page = client.get("/check/results/").content.decode()
    assert "<h1>Your first result</h1>" in page
    assert "What already works" in page  # a strength, the pattern, one next step
    deeper = page[page.index("Go deeper") : page.index("Each part, in plain words")]
    assert page.index("What your answers suggest") < page.index("Go deeper")
    assert "How lonely you feel" in deeper and "Distance, habits and repair" in deeper
    assert f'href="{page_url("ucla3", 1)}">Continue with the next questions' in deeper
    left = sum(p.askable - p.answered for p in services.progress(alex).parts)
    assert left == len(library.get("ucla3").items) + services.progress(alex).parts[-1].askable
    what_next = page[page.index("What next") :]
    assert f'href="{page_url("ucla3", 1)}">Go deeper: the last {left} questions' in what_next
    home = client.get("/").content.decode()
    assert "Your first result is ready." in home
    assert 'href="/check/results/">Your first result</a>' in home


def test_no_first_result_until_the_whole_first_part_is_answered(alex):
    answer_screens(alex)  # nothing about satisfaction or closeness yet
    last = answer_all_but_the_last_page(alex, "cpq_sf")
    response = post_page(client_for(alex), "cpq_sf", last.number, middling(last))
    assert response["Location"] == page_url("ucla3", 1)


def test_after_the_first_result_the_check_resumes_with_the_questions_that_deepen_it(alex):
    answer_screens(alex)
    for chosen in services.battery()[2:5]:
        services.save_page(alex, chosen, {i.id: i.scale.min + 1 for i in chosen.items})
    client = client_for(alex)
    assert client.get("/check/").context["resume_url"] == page_url("ucla3", 1)
    for chosen in services.battery()[5:]:
        services.save_page(alex, chosen, {i.id: i.scale.min + 1 for i in chosen.items})
    page = client.get("/check/results/").content.decode()
    assert "<h1>Your results</h1>" in page
    assert "Go deeper" not in page and "Not finished yet" not in page
    assert "Your first result" not in client.get("/").content.decode()


def test_a_first_result_after_a_positive_screen_stays_private_and_pauses_the_couple_part(alex):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "K": 1})
    services.save_page(alex, library.get("asq"), ALL_NO_ASQ)
    for chosen in services.battery()[2:4]:
        services.save_page(alex, chosen, {i.id: i.scale.min + 1 for i in chosen.items})
    last = answer_all_but_the_last_page(alex, "cpq_sf")
    client = client_for(alex)
    assert post_page(client, "cpq_sf", last.number, middling(last))["Location"] == (
        "/check/results/"
    )
    page = client.get("/check/results/").content.decode()
    assert "<h1>Your first result</h1>" in page and "/check/help/" in page
    assert 'href="/couple/sharing/"' not in page


# Conditional questions


def test_asq_item_5_is_not_asked_after_four_noes(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    response = post_page(client_for(alex), "asq", 1, ALL_NO_ASQ)
    assert response["Location"] == page_url("csi4", 1)
    assert client_for(alex).get(page_url("asq", 2)).status_code == 404


def test_asq_item_5_appears_only_after_a_yes(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    item_5 = escape(library.get("asq").item("5").text)
    assert item_5 not in client_for(alex).get(page_url("asq", 1)).content.decode()
    response = post_page(client_for(alex), "asq", 1, {**ALL_NO_ASQ, "2": 1})
    assert response["Location"] == page_url("asq", 2)
    assert item_5 in client_for(alex).get(page_url("asq", 2)).content.decode()


def test_changing_the_yes_back_to_no_drops_the_answer_to_item_5(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    services.save_page(alex, library.get("asq"), {**ALL_NO_ASQ, "2": 1})
    services.save_page(alex, library.get("asq"), {"5": 0})
    post_page(client_for(alex), "asq", 1, ALL_NO_ASQ)
    assert stored(alex, "asq") == ALL_NO_ASQ


# Safety


def test_a_positive_hark_redirects_to_the_private_help_page(alex):
    response = post_page(client_for(alex), "hark", 1, {**ALL_NO_HARK, "A": 1})
    assert response["Location"] == "/check/help/"


def test_the_coercive_control_question_alone_is_a_positive_screen(alex):
    response = post_page(client_for(alex), "hark", 1, {**ALL_NO_HARK, "C": 1})
    assert response["Location"] == "/check/help/"


def test_the_partner_violence_help_page_shows_the_message_services_and_safety_plan(alex):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "A": 1})
    response = client_for(alex).get("/check/help/")
    page = response.content.decode()
    assert "You are not alone" in page
    assert "National Domestic Violence Hotline" in page
    assert 'href="tel:18007997233"' in page
    assert "Making a safety plan" in page
    assert "Why we are not suggesting couple exercises now" in page
    assert "Quick exit" in page and "Leaving quickly" in page
    assert "<title>Support" in page
    assert response.context["resume_url"] == page_url("asq", 1)


def test_after_a_positive_hark_the_person_can_carry_on_with_the_questions(alex):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "H": 1})
    assert client_for(alex).get(page_url("asq", 1)).status_code == 200
    assert client_for(alex).get(page_url("csi4", 1)).status_code == 200


def test_a_positive_asq_shows_crisis_lines_and_lets_the_person_carry_on(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    services.save_page(alex, library.get("asq"), {**ALL_NO_ASQ, "1": 1})
    response = post_page(client_for(alex), "asq", 2, {"5": 0})
    assert response["Location"] == "/check/help/"
    help_page = client_for(alex).get("/check/help/")
    assert "988 Suicide &amp; Crisis Lifeline" in help_page.content.decode()
    assert help_page.context["resume_url"] == page_url("csi4", 1)


def test_an_acute_asq_stops_the_questionnaire_on_the_help_page(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    services.save_page(alex, library.get("asq"), {**ALL_NO_ASQ, "3": 1})
    response = post_page(client_for(alex), "asq", 2, {"5": 1})
    assert response["Location"] == "/check/help/"
    help_page = client_for(alex).get("/check/help/")
    assert "Please get help right now" in help_page.content.decode()
    assert "Carry on with the questions" not in help_page.content.decode()
    assert help_page.context["resume_url"] == ""


def test_one_help_address_shows_the_help_for_every_positive_screen(alex):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "A": 1})
    services.save_page(alex, library.get("asq"), {**ALL_NO_ASQ, "1": 1})
    services.save_page(alex, library.get("asq"), {"5": 0})
    page = client_for(alex).get("/check/help/").content.decode()
    assert "National Domestic Violence Hotline" in page
    assert "988 Suicide &amp; Crisis Lifeline" in page
    assert page.count('id="leaving"') == 1


@pytest.mark.parametrize(
    "screens",
    [
        {"hark": {**ALL_NO_HARK, "A": 1}},
        {"hark": ALL_NO_HARK, "asq": {**ALL_NO_ASQ, "1": 1}},
    ],
    ids=["partner violence", "suicide risk"],
)
def test_no_address_tells_which_screen_was_positive(alex, screens):
    for instrument_id, given in screens.items():
        services.save_page(alex, library.get(instrument_id), given)
    if "asq" in screens:
        services.save_page(alex, library.get("asq"), {"5": 0})
    client = client_for(alex)
    addresses = set()
    for path in ("/", "/check/", "/check/results/"):
        addresses |= set(
            re.findall(r'href="(/check/help/[^"]*)"', client.get(path).content.decode())
        )
    assert addresses == {"/check/help/"}


def test_after_an_acute_asq_every_later_page_leads_back_to_help(alex):
    services.save_page(alex, library.get("hark"), ALL_NO_HARK)
    services.save_page(alex, library.get("asq"), {**ALL_NO_ASQ, "3": 1})
    services.save_page(alex, library.get("asq"), {"5": 1})
    client = client_for(alex)
    assert client.get(page_url("csi4", 1))["Location"] == "/check/help/"
    overview = client.get("/check/")
    assert overview.context["resume_url"] == ""
    assert "Continue where you left off" not in overview.content.decode()


def test_the_help_page_is_not_found_without_a_positive_screen(alex):
    answer_screens(alex)
    assert client_for(alex).get("/check/help/").status_code == 404


def test_the_partner_never_sees_a_positive_screen(alex, sam, couple):
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "A": 1})
    client = client_for(sam)
    assert client.get("/check/help/").status_code == 404
    for path in ("/check/", "/check/results/", "/"):
        page = client.get(path).content.decode()
        assert "You are not alone" not in page
        assert "/check/help/" not in page


# Privacy


def test_a_person_never_sees_another_persons_answers_on_a_page(alex, sam):
    answer_screens(alex)
    answer_screens(sam)
    services.save_page(alex, library.get("csi4"), {"1": 5, "2": 4, "3": 4, "4": 4})
    page = client_for(sam).get(page_url("csi4", 1)).content.decode()
    assert "checked" not in page


def test_a_page_only_ever_saves_the_signed_in_persons_answers(alex, sam):
    post_page(client_for(sam), "hark", 1, ALL_NO_HARK)
    assert stored(alex, "hark") == {}
    assert Answer.objects.get(owner=sam, item="H").value == 0


# Results


def complete_csi4_and_ucla3(person) -> None:
    answer_screens(person)
    services.save_page(person, library.get("csi4"), {"1": 2, "2": 2, "3": 3, "4": 3})
    services.save_page(person, library.get("ucla3"), {"1": 3, "2": 2, "3": 2})


def test_results_show_each_score_with_its_range_band_and_where_the_band_comes_from(alex):
    complete_csi4_and_ucla3(alex)
    page = client_for(alex).get("/check/results/").content.decode()
    assert "Relationship satisfaction" in page
    assert "<strong>10</strong> on a range from 0 to 21" in page
    assert "Notable dissatisfaction: below the line research uses" in page
    assert "published cut-off" in page
    assert "Loneliness" in page and "a line Attunement uses: 6 or more, a survey-research" in page
    assert escape(library.get("csi4").scale("total").description) in page  # in the fold
    assert "not a research cut-off: research convention" not in page


def test_results_open_with_what_the_answers_suggest_and_fold_the_measurement(alex):
    complete_csi4_and_ucla3(alex)
    page = client_for(alex).get("/check/results/").content.decode()
    assert page.index("What your answers suggest") < page.index("How happy you are together")
    assert "What already works" in page
    assert page.count("<summary>How this was measured</summary>") == 2
    folded = page[page.index("How this was measured") :]
    assert "Couples Satisfaction Index, 4-item form" in folded
    plain = page[page.index("How happy you are together") : page.index("How this was measured")]
    assert "(the sum of the four" not in plain  # scoring detail stays in the fold


def test_question_pages_are_headed_by_a_plain_topic_with_the_instrument_in_small_print(alex):
    answer_screens(alex)
    page = client_for(alex).get(page_url("ecr_rs", 1)).content.decode()
    assert "<h1>How close you feel</h1>" in page
    assert "From the Experiences in Close Relationships" in page


def test_alone_the_results_link_to_the_full_results_not_a_couple_report(alex):
    complete_csi4_and_ucla3(alex)
    page = client_for(alex).get("/check/results/").content.decode()
    assert "Your couple report" not in page
    assert "Your results in full, with the evidence" in page


def test_results_show_only_complete_parts(alex):
    complete_csi4_and_ucla3(alex)
    services.save_page(alex, library.get("ecr_rs"), {"1": 4})
    response = client_for(alex).get("/check/results/")
    assert [i.id for i, _, _ in response.context["results"]] == ["csi4", "ucla3"]
    assert "Not finished yet" in response.content.decode()


def test_results_never_list_the_safety_screens_as_scores(alex):
    complete_csi4_and_ucla3(alex)
    page = client_for(alex).get("/check/results/").content.decode()
    assert "Safety screen" not in page and "Suicide risk screen" not in page


def test_results_call_the_connection_check_not_validated_and_for_reflection(alex):
    answer_screens(alex)
    connection = library.get("connection")
    services.save_page(alex, connection, {i.id: 2 for i in connection.items if i.id[0] != "G"})
    services.save_page(alex, connection, {i.id: 3 for i in connection.items if i.id[0] == "G"})
    page = client_for(alex).get("/check/results/").content.decode()
    assert "Not validated, for reflection" in page
    assert "Signs of distance" in page


def test_results_link_to_sharing_and_the_couple_report(alex):
    complete_csi4_and_ucla3(alex)
    page = client_for(alex).get("/check/results/").content.decode()
    assert 'href="/couple/sharing/"' in page
    assert 'href="/report/' in page


def test_results_pause_sharing_after_a_positive_partner_violence_screen(alex):
    complete_csi4_and_ucla3(alex)
    services.save_page(alex, library.get("hark"), {**ALL_NO_HARK, "K": 1})
    page = client_for(alex).get("/check/results/").content.decode()
    assert 'href="/couple/sharing/"' not in page
    assert "/check/help/" in page


def test_results_of_another_person_are_never_shown(alex, sam):
    complete_csi4_and_ucla3(alex)
    response = client_for(sam).get("/check/results/")
    assert response.context["results"] == []
    assert "Relationship satisfaction" not in response.content.decode()
