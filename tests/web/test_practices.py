"""The repair practices through the pages: coach, guided flows, drafts, sending, plan, log."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from attunement import safety
from attunement.practices import flows
from attunement.web.assessments.models import Answer
from attunement.web.couples import services as couples
from attunement.web.practices import services
from attunement.web.practices.models import Draft, PracticeLog
from crisis_samples import FAINT
from web.conftest import client_for
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers
from web.test_journal import CANARY, rows_containing, text_of

COMPLAINT = "you never listen to me, whatever"
WHEEL_ANSWERS = {
    "saw": "you looked at your phone while I talked about my day",
    "made_up": "my day didn't matter to you",
    "feel": "hurt and lonely",
    "like": "ten minutes after dinner, phones away",
}


def walk(client, draft: Draft, answers: dict[str, str]):
    """Answer every step of the draft's flow through the pages, as a person would."""
    flow = flows.get(draft.flow)
    response = None
    for number, step in enumerate(flow.steps, start=1):
        url = reverse("practices:step", args=[draft.pk, number])
        response = client.post(url, {"answer": answers.get(step.id, ""), "go": "next"})
        assert response.status_code == 302, text_of(response)
    return response


def screen_positive(person) -> None:
    Answer.objects.filter(owner=person, instrument="hark").delete()
    give_answers(person, {"hark": {"H": 0, "A": 1, "R": 0, "K": 0, "C": 0}})


# The coach


def test_the_coach_marks_each_protective_pattern_says_why_and_offers_a_reframe(alex):
    response = client_for(alex).post(reverse("practices:coach_check"), {"text": COMPLAINT})
    page = text_of(response)
    assert response.status_code == 200
    assert '<mark class="coach-mark coach-criticism"' in page
    assert re.search(r"<mark[^>]*coach-withdrawal[^>]*>whatever", page)
    assert "Criticism" in page and "Withdrawal" in page
    assert "attack on who they are" in page  # the explanation from the rules file
    assert "One way to say the same thing" in page


def test_the_live_coach_reads_the_field_being_typed_in(alex):
    url = reverse("practices:coach_check")
    data = {"answer": "you always do this", "csrfmiddlewaretoken": "x", "go": "next"}
    page = text_of(
        client_for(alex).post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="answer")
    )
    assert "coach-criticism" in page


def test_the_coach_works_without_javascript_and_keeps_what_was_typed(alex):
    response = client_for(alex).post(reverse("practices:coach"), {"text": COMPLAINT})
    page = text_of(response)
    assert response.status_code == 200
    assert "coach-criticism" in page
    assert f">\n{COMPLAINT}</textarea>" in page
    assert f'name="original" value="{COMPLAINT}"' in page


def test_an_empty_message_asks_for_text_and_a_kind_one_is_not_scolded(alex):
    client = client_for(alex)
    assert "Write or paste a message first." in text_of(
        client.post(reverse("practices:coach"), {"text": ""})
    )
    kind = text_of(client.post(reverse("practices:coach_check"), {"text": "thank you for today"}))
    assert "coach-mark coach-appreciation" in kind
    assert "One way to say the same thing" not in kind


@pytest.mark.parametrize(
    ("text", "concern_words"),
    [
        ("honestly i want to die", "thinking about dying"),
        ("he hit me again last night", "hurting, threatening or controlling"),
    ],
)
def test_crisis_words_in_the_coach_show_help_to_the_writer(alex, text, concern_words):
    page = text_of(client_for(alex).post(reverse("practices:coach_check"), {"text": text}))
    assert concern_words in page
    assert "Only you see this" in page


@pytest.mark.model
def test_a_faint_signal_in_the_coach_is_one_quiet_line_that_opens_onto_the_help(alex):
    response = client_for(alex).post(reverse("practices:coach_check"), {"text": FAINT})
    page = html.unescape(response.content.decode())
    assert "You don't have to carry this alone" not in page
    quiet = page[page.index('class="card private-note written-help quiet-help"') :]
    assert 'role="status"' not in quiet.split("</section>")[0]
    assert "<details" in quiet and "wanting to die or hurting yourself" in quiet
    for entry in safety.current().groups["suicide_risk"].entries:
        assert entry.name in quiet  # the same services, one click away


@pytest.mark.model
def test_the_coach_says_when_a_message_is_mostly_in_words_it_has_not_learned(alex):
    client = client_for(alex)
    spanish = "Amor, ya compré las tortillas y el queso, llego como a las siete"
    page = text_of(client.post(reverse("practices:coach_check"), {"text": spanish}))
    assert "Most of this is in words the coach has not learned" in page
    assert "The coach found no protective pattern" not in page
    english = "Can you grab milk on the way home? The plumber moved to Thursday."
    page = text_of(client.post(reverse("practices:coach_check"), {"text": english}))
    assert "The coach found no protective pattern" in page
    assert "words the coach has not learned" not in page


def test_ordinary_words_show_no_crisis_help(alex):
    page = text_of(client_for(alex).post(reverse("practices:coach_check"), {"text": COMPLAINT}))
    assert "Only you see this" not in page


# A flow, from a complaint to a kept message


def test_a_complaint_becomes_a_feedback_wheel_message_in_the_person_s_own_words(alex):
    client = client_for(alex)
    response = client.post(
        reverse("practices:start", args=["feedback_wheel"]), {"original": COMPLAINT}
    )
    draft = Draft.objects.get(owner=alex)
    assert response.url == reverse("practices:step", args=[draft.pk, 1])
    first = text_of(client.get(response.url))
    assert COMPLAINT in first  # the message it started from stays in sight
    assert "What happened, as a camera would have recorded it?" in first
    assert 'hx-post="/practice/coach/check/"' in first

    last = walk(client, draft, WHEEL_ANSWERS)
    assert last.url == draft.get_absolute_url()
    page = text_of(client.get(last.url))
    composed = flows.compose(flows.get("feedback_wheel"), WHEEL_ANSWERS)
    assert composed in page
    assert "Keep this message" in page

    mine = "When you looked at your phone I felt alone. Could we talk after dinner?"
    kept = client.post(draft.get_absolute_url(), {"message": mine})
    assert kept.status_code == 302
    draft.refresh_from_db()
    assert draft.message == mine and draft.finished is not None
    assert draft.original == COMPLAINT
    assert draft.answers == WHEEL_ANSWERS
    assert draft.sent_in is None  # keeping never sends
    history = text_of(client.get(reverse("practices:index")))
    assert "The feedback wheel" in history and "kept for yourself" in history


def test_each_answer_is_kept_going_back_and_a_required_step_says_what_is_missing(alex):
    client = client_for(alex)
    draft = services.start(alex, "feedback_wheel")
    step_two = reverse("practices:step", args=[draft.pk, 2])
    client.post(step_two, {"answer": "you don't care", "go": "back"})
    draft.refresh_from_db()
    assert draft.answers == {"made_up": "you don't care"}
    refused = client.post(reverse("practices:step", args=[draft.pk, 1]), {"answer": " "})
    assert refused.status_code == 200
    assert "This step needs an answer before you go on." in text_of(refused)
    assert "you don&#x27;t care" in client.get(step_two).content.decode()


def test_an_optional_step_can_be_skipped_and_is_left_out_of_the_message(alex):
    draft = services.start(alex, "accountability_builder")
    answers = {s.id: s.example for s in flows.get("accountability_builder").steps}
    del answers["intent"]
    walk(client_for(alex), draft, answers)
    page = text_of(client_for(alex).get(draft.get_absolute_url()))
    assert "It doesn't excuse it" not in page
    assert "Next time, I will" in page
    assert "Some steps are still empty" not in page


def test_too_long_an_answer_is_refused_by_name_and_nothing_is_saved(alex):
    draft = services.start(alex, "feedback_wheel")
    services.answer(draft, flows.get("feedback_wheel").step(1), "first words")
    url = reverse("practices:step", args=[draft.pk, 1])
    response = client_for(alex).post(url, {"answer": "x" * (flows.ANSWER_MAX_LENGTH + 1)})
    assert response.status_code == 200
    assert "at most 2000 characters" in text_of(response)
    draft.refresh_from_db()
    assert draft.answers == {"saw": "first words"}


def test_an_empty_message_is_not_kept(alex):
    draft = services.start(alex, "feedback_wheel")
    response = client_for(alex).post(draft.get_absolute_url(), {"message": "   "})
    assert "an empty message is not kept" in text_of(response)
    draft.refresh_from_db()
    assert draft.finished is None


def test_a_step_outside_the_flow_is_not_found(alex):
    draft = services.start(alex, "feedback_wheel")
    for number in (0, 5):
        url = reverse("practices:step", args=[draft.pk, number])
        assert client_for(alex).get(url).status_code == 404


def test_the_feelings_vocabulary_is_offered_on_the_feeling_step(alex):
    draft = services.start(alex, "feedback_wheel")
    page = text_of(client_for(alex).get(reverse("practices:step", args=[draft.pk, 3])))
    assert 'data-feeling="lonely"' in page
    assert "Words for feelings" in page
    other = text_of(client_for(alex).get(reverse("practices:step", args=[draft.pk, 1])))
    assert "Words for feelings" not in other


# Sending, receiving, withdrawing


def kept_draft(person, flow="accountability_builder", message="I want to own that I left."):
    draft = services.start(person, flow)
    return services.keep(draft, message)


def test_a_sent_message_reaches_the_partner_with_the_listener_guide_until_withdrawn(
    alex, sam, couple
):
    draft = kept_draft(alex)
    response = client_for(alex).post(reverse("practices:send", args=[draft.pk]))
    assert response.url == draft.get_absolute_url()
    received = text_of(client_for(sam).get(reverse("practices:received")))
    assert "I want to own that I left." in received
    assert flows.listener_guide().title in received
    assert "Hold your side for later" in received
    assert "Alex sent you a message" in text_of(client_for(sam).get(reverse("practices:index")))

    client_for(alex).post(reverse("practices:withdraw", args=[draft.pk]))
    assert "I want to own that I left." not in text_of(
        client_for(sam).get(reverse("practices:received"))
    )


def test_an_unkept_draft_cannot_be_sent(alex, sam, couple):
    draft = services.start(alex, "feedback_wheel")
    with pytest.raises(services.PracticeError, match="Keep the message first"):
        services.send(alex, draft.pk)
    assert services.received(sam) == []


def test_sending_needs_a_partner(alex):
    draft = kept_draft(alex)
    with pytest.raises(services.NotPaired):
        services.send(alex, draft.pk)


def test_unpairing_ends_what_was_sent_and_pairing_again_starts_private(alex, sam, couple):
    draft = kept_draft(alex)
    services.send(alex, draft.pk)
    couples.unpair(alex)
    draft.refresh_from_db()
    assert draft.sent_in is None
    from web.conftest import pair

    pair(alex, sam)
    assert services.received(sam) == []


def test_someone_else_s_draft_is_missing(alex, sam, casey, couple):
    draft = kept_draft(alex)
    for person in (sam, casey):
        with pytest.raises(services.DraftNotFound):
            services.send(person, draft.pk)
        assert client_for(person).get(draft.get_absolute_url()).status_code == 404


# Safety: a person with a positive screen is not steered into joint exercises


@pytest.mark.parametrize("flow_id", ["vulnerability_builder", "accountability_builder"])
def test_a_screened_person_is_offered_support_instead_of_sending_a_joint_exercise(
    alex, sam, couple, flow_id
):
    screen_positive(alex)
    draft = kept_draft(alex, flow_id)
    page = text_of(client_for(alex).get(draft.get_absolute_url()))
    assert "not offered for sending" in page
    assert reverse("practices:send", args=[draft.pk]) not in page
    assert reverse("core:support") in page
    flow_page = text_of(client_for(alex).get(reverse("practices:flow", args=[flow_id])))
    assert "Your safety first" in flow_page
    response = client_for(alex).post(reverse("practices:send", args=[draft.pk]))
    assert response.status_code == 302
    assert services.received(sam) == []


def test_after_a_partner_violence_screen_the_feedback_wheel_is_not_offered_for_sending(
    alex, sam, couple
):
    screen_positive(alex)
    draft = kept_draft(alex, "feedback_wheel")
    page = text_of(client_for(alex).get(draft.get_absolute_url()))
    assert "can make things more dangerous" in page
    assert "not a shared cycle" in page
    assert safety.current().safety_plan.title in page
    assert reverse("practices:send", args=[draft.pk]) not in page
    flow_page = text_of(client_for(alex).get(reverse("practices:flow", args=["feedback_wheel"])))
    # The caution and the safety plan come before the exercise itself.
    assert flow_page.index("Your safety first") < flow_page.index("What I saw or heard")
    with pytest.raises(services.PracticeError):
        services.send(alex, draft.pk)
    assert services.received(sam) == []


def test_after_a_suicide_risk_screen_alone_the_feedback_wheel_can_still_be_sent(alex, sam, couple):
    give_answers(alex, {"asq": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}})
    draft = kept_draft(alex, "feedback_wheel")
    services.send(alex, draft.pk)
    assert [d.pk for d in services.received(sam)] == [draft.pk]
    flow_page = text_of(client_for(alex).get(reverse("practices:flow", args=["feedback_wheel"])))
    assert "Your safety first" not in flow_page


def test_without_a_positive_screen_the_joint_exercises_are_offered(alex, sam, couple):
    give_answers(alex, {"hark": {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}})
    draft = kept_draft(alex, "vulnerability_builder")
    page = text_of(client_for(alex).get(draft.get_absolute_url()))
    assert reverse("practices:send", args=[draft.pk]) in page
    assert "Support for you first" not in text_of(client_for(alex).get(reverse("practices:index")))


# The plan and the history


def test_the_plan_follows_the_report_and_links_each_practice_to_where_it_is_done(alex, sam, couple):
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    everything = [i.id for i in couples.shareable_instruments()]
    couples.set_sharing(alex, everything)
    couples.set_sharing(sam, everything)
    plan = services.plan(alex)
    assert plan, "the vignette couple's report recommends practices"
    page = text_of(client_for(alex).get(reverse("practices:index")))
    for item in plan:
        assert f'<a href="{item.url}">{item.practice.title}</a>' in page
    report = text_of(client_for(alex).get(reverse("reports:report")))
    linked = re.findall(r'<a href="(/practice/[^"]+|/journal/new/|/support/)">', report)
    assert linked, "the report links its practices"
    for url in linked:
        assert client_for(alex).get(url).status_code == 200


def test_a_screened_person_s_plan_offers_individual_support_and_no_joint_exercise(alex):
    give_answers(alex, ALEX_ANSWERS)
    screen_positive(alex)
    plan = services.plan(alex)
    joint = {f.id for f in flows.flows() if f.joint}
    assert "individual_support" in [item.practice.id for item in plan]
    assert not [item for item in plan if item.practice.id in joint and not item.paused]


def test_history_lists_kept_drafts_journal_entries_and_logged_practices_newest_first(alex):
    from attunement.web.journal import services as journal

    kept_draft(alex, "feedback_wheel")
    journal.write(alex, prompt="", title="", body="tonight")
    client_for(alex).post(reverse("practices:log", args=["soft_start"]), {"note": "went ok"})
    history = services.history(alex)
    assert [a.practice for a in history] == ["soft_start", "reflection_journal", "feedback_wheel"]
    assert history == sorted(history, key=lambda a: a.when, reverse=True)


def test_logging_a_practice_keeps_a_private_note_and_can_be_undone(alex, sam, couple):
    response = client_for(alex).post(
        reverse("practices:log", args=["soft_start"]), {"note": "we talked on the walk"}
    )
    assert response.url == reverse("practices:index")
    entry = PracticeLog.objects.get(owner=alex)
    assert entry.note == "we talked on the walk"
    page = text_of(client_for(alex).get(reverse("practices:practice", args=["soft_start"])))
    assert "we talked on the walk" in page
    assert client_for(sam).post(reverse("practices:unlog", args=[entry.pk])).status_code == 404
    client_for(alex).post(reverse("practices:unlog", args=[entry.pk]))
    assert not PracticeLog.objects.exists()


def test_an_unknown_practice_or_flow_is_not_found(alex):
    client = client_for(alex)
    assert client.get(reverse("practices:practice", args=["no_such"])).status_code == 404
    assert client.post(reverse("practices:log", args=["no_such"])).status_code == 404
    assert client.get(reverse("practices:flow", args=["no_such"])).status_code == 404
    assert client.post(reverse("practices:start", args=["no_such"])).status_code == 404


def test_a_practice_done_in_a_flow_redirects_from_its_about_page(alex):
    response = client_for(alex).get(reverse("practices:practice", args=["feedback_wheel"]))
    assert response.url == reverse("practices:flow", args=["feedback_wheel"])


# Encryption at rest


def test_no_word_of_a_draft_or_note_is_stored_readable(alex):
    draft = services.start(alex, "feedback_wheel", original=f"{CANARY} original")
    services.answer(draft, flows.get("feedback_wheel").step(1), f"{CANARY} answer")
    services.keep(draft, f"{CANARY} message")
    services.log(alex, "soft_start", f"{CANARY} note")
    assert rows_containing(CANARY) == []
    draft = Draft.objects.get(pk=draft.pk)
    assert draft.original.startswith(CANARY) and draft.message.startswith(CANARY)


def test_a_draft_whose_key_is_gone_says_so_and_can_be_deleted(alex):
    from attunement.web.vault import services as vault

    draft = kept_draft(alex)
    vault.forget_key(alex)
    page = text_of(client_for(alex).get(draft.get_absolute_url()))
    assert "This draft cannot be read" in page
    client_for(alex).post(reverse("practices:delete", args=[draft.pk]))
    assert not Draft.objects.exists()


# Crisis words in the journal


def test_crisis_words_in_a_journal_entry_lead_the_writer_to_help_and_only_the_writer(
    alex, sam, couple
):
    from attunement.web.journal.models import JournalEntry

    client = client_for(alex)
    response = client.post(reverse("journal:new"), {"prompt": "", "body": "i want to die"})
    entry = JournalEntry.objects.get(owner=alex)
    assert response.url == entry.get_absolute_url()
    assert "Only you see this" in text_of(client.get(response.url))
    from attunement.web.journal import services as journal

    journal.share(alex, entry.pk)
    assert "Only you see this" not in text_of(client_for(sam).get(reverse("journal:shared")))


@pytest.mark.model
def test_a_faint_signal_in_a_journal_entry_is_a_quiet_pointer_on_its_page(alex):
    from attunement.web.journal.models import JournalEntry

    client = client_for(alex)
    response = client.post(reverse("journal:new"), {"prompt": "", "body": FAINT})
    assert response.url == JournalEntry.objects.get(owner=alex).get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "quiet-help" in page and "carry this alone" not in page


@pytest.mark.model
def test_the_api_names_the_concerns_a_quiet_pointer_will_do_for(alex):
    response = client_for(alex).post(
        "/api/practices/coach", {"text": FAINT}, content_type="application/json"
    )
    assert response.json()["help"] == ["suicide_risk"]
    assert response.json()["help_quiet"] == ["suicide_risk"]
    assert response.json()["unfamiliar"] is False


@pytest.mark.model
def test_the_api_says_when_nothing_was_found_in_a_text_the_coach_cannot_read(alex):
    spanish = "Amor, ya compré las tortillas y el queso, llego como a las siete"
    response = client_for(alex).post(
        "/api/practices/coach", {"text": spanish}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["patterns"] == [] and response.json()["unfamiliar"] is True


def test_an_ordinary_journal_entry_goes_back_to_the_journal(alex):
    response = client_for(alex).post(reverse("journal:new"), {"prompt": "", "body": "a calm day"})
    assert response.url == reverse("journal:index")


# The JSON API


def test_the_api_coach_gives_the_cli_s_analysis_and_the_crisis_concerns(alex):
    from attunement.coach import analyze

    client = client_for(alex)
    text = "you never listen. i want to die"
    response = client.post("/api/practices/coach", {"text": text}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("labels", "tone", "patterns", "reframe")} == analyze(
        text
    ).to_dict()
    assert body["help"] == ["suicide_risk"]
    assert body["help_quiet"] == []
    too_long = "x" * (services.ORIGINAL_MAX_LENGTH + 1)
    refused = client.post(
        "/api/practices/coach", {"text": too_long}, content_type="application/json"
    )
    assert refused.status_code == 422


def test_a_paired_person_who_shares_nothing_gets_a_plan_from_their_own_answers(alex, sam, couple):
    give_answers(alex, ALEX_ANSWERS)
    assert services.plan(alex), "own answers are enough for a plan"
    assert services.plan(sam) == []  # nothing answered, nothing to plan from


def test_the_weekly_check_in_practice_leads_to_the_check_in():
    assert services.practice_url("weekly_checkin") == reverse("checkins:index")
