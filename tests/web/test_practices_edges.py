"""The practice pages at their edges: bad input, repeated actions, hostile text, the plan."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from attunement.practices import flows
from attunement.web.assessments.models import Answer
from attunement.web.couples import services as couples
from attunement.web.practices import services
from attunement.web.practices.models import Draft, PracticeLog
from web.conftest import client_for
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers, normalise
from web.test_journal import text_of

WHEEL = flows.get("feedback_wheel")
COMPLAINT = "you never listen to me, whatever"
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
ESCAPED = {
    PAYLOADS[0]: "&lt;script&gt;alert(1)&lt;/script&gt;",
    PAYLOADS[1]: "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
}


def kept(person, message="I want to own that I left.", flow="accountability_builder") -> Draft:
    return services.keep(services.start(person, flow), message)


def row(draft: Draft) -> dict[str, object]:
    """Every stored column of the draft, to compare before and after a request."""
    return Draft.objects.filter(pk=draft.pk).values().get()


def screen_positive(person) -> None:
    Answer.objects.filter(owner=person, instrument="hark").delete()
    give_answers(person, {"hark": {"H": 0, "A": 1, "R": 0, "K": 0, "C": 0}})


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# Bad input: a clear error, and nothing saved half-way


def test_too_long_a_message_is_refused_by_name_and_the_draft_is_unchanged(alex):
    draft = services.start(alex, "feedback_wheel")
    before = row(draft)
    too_long = "x" * (flows.MESSAGE_MAX_LENGTH + 1)
    response = client_for(alex).post(draft.get_absolute_url(), {"message": too_long})
    assert response.status_code == 200
    assert "at most 10000 characters" in text_of(response)
    assert row(draft) == before
    assert Draft.objects.get(pk=draft.pk).finished is None


def test_too_long_a_change_to_a_kept_message_keeps_the_old_one(alex):
    draft = kept(alex, "The words I kept.")
    before = row(draft)
    too_long = "y" * (flows.MESSAGE_MAX_LENGTH + 1)
    response = client_for(alex).post(draft.get_absolute_url(), {"message": too_long})
    assert "at most 10000 characters" in text_of(response)
    assert row(draft) == before
    assert Draft.objects.get(pk=draft.pk).message == "The words I kept."


def test_a_message_of_exactly_the_limit_is_kept(alex):
    draft = services.start(alex, "feedback_wheel")
    longest = "z" * flows.MESSAGE_MAX_LENGTH
    assert client_for(alex).post(draft.get_absolute_url(), {"message": longest}).status_code == 302
    assert Draft.objects.get(pk=draft.pk).message == longest


def test_too_long_a_note_is_refused_by_name_and_nothing_is_logged(alex):
    url = reverse("practices:log", args=["soft_start"])
    response = client_for(alex).post(url, {"note": "n" * (services.NOTE_MAX_LENGTH + 1)})
    assert response.status_code == 200
    assert "at most 2000 characters" in text_of(response)
    assert not PracticeLog.objects.exists()
    client_for(alex).post(url, {"note": "n" * services.NOTE_MAX_LENGTH})
    assert PracticeLog.objects.get().note == "n" * services.NOTE_MAX_LENGTH


def test_too_long_a_message_to_start_from_is_refused_and_no_draft_is_made(alex):
    url = reverse("practices:start", args=["feedback_wheel"])
    original = "o" * (services.ORIGINAL_MAX_LENGTH + 1)
    response = client_for(alex).post(url, {"original": original}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("practices:flow", args=["feedback_wheel"])
    assert "The message is too long to carry over: at most 10,000 characters." in text_of(response)
    assert not Draft.objects.exists()
    with pytest.raises(services.PracticeError, match="at most 10,000 characters"):
        services.start(alex, "feedback_wheel", original)
    assert not Draft.objects.exists()


def test_too_long_a_message_for_the_coach_is_refused_by_name(alex):
    text = "c" * (services.ORIGINAL_MAX_LENGTH + 1)
    response = client_for(alex).post(reverse("practices:coach"), {"text": text})
    assert response.status_code == 200
    assert "at most 10000 characters" in text_of(response)


@pytest.mark.parametrize("go", ["sideways", "", "BACK", "next "])
def test_an_unknown_way_to_move_is_refused_and_nothing_is_saved(alex, go):
    draft = services.start(alex, "feedback_wheel")
    services.answer(draft, WHEEL.step(2), "what I had")
    before = row(draft)
    url = reverse("practices:step", args=[draft.pk, 2])
    response = client_for(alex).post(url, {"answer": "new words", "go": go})
    assert response.status_code == 200
    page = text_of(response)
    assert "Use Back or Next to move between the steps." in page
    assert ">\nnew words</textarea>" in page  # what was typed is still there, not lost
    assert row(draft) == before


def test_a_step_whose_flow_was_removed_saves_nothing_and_says_the_practice_is_gone(
    alex, monkeypatch
):
    draft = services.start(alex, "feedback_wheel")
    services.answer(draft, WHEEL.step(1), "what I saw")
    before = row(draft)
    remaining = tuple(f for f in flows.flows() if f.id != "feedback_wheel")
    monkeypatch.setattr(flows, "flows", lambda: remaining)
    client = client_for(alex)
    url = reverse("practices:step", args=[draft.pk, 2])
    response = client.post(url, {"answer": "lost?", "go": "next"}, follow=True)
    assert response.redirect_chain == [(draft.get_absolute_url(), 302)]
    page = text_of(response)
    assert "This draft cannot be read" in page and "no longer offered" in page
    assert row(draft) == before
    assert client.get(reverse("practices:index")).status_code == 200
    assert client.get(reverse("practices:flow", args=["feedback_wheel"])).status_code == 404


def test_a_kept_draft_whose_flow_was_removed_cannot_be_sent(alex, sam, couple, monkeypatch):
    draft = kept(alex, flow="feedback_wheel")
    remaining = tuple(f for f in flows.flows() if f.id != "feedback_wheel")
    monkeypatch.setattr(flows, "flows", lambda: remaining)
    response = client_for(alex).post(reverse("practices:send", args=[draft.pk]))
    assert response.status_code == 302
    assert Draft.objects.get(pk=draft.pk).sent_in is None
    assert services.received(sam) == []


# Repeated and no-op actions


def test_sending_twice_sends_once_and_keeps_the_first_time(alex, sam, couple):
    draft = kept(alex)
    client = client_for(alex)
    client.post(reverse("practices:send", args=[draft.pk]))
    first = row(draft)
    again = client.post(reverse("practices:send", args=[draft.pk]), follow=True)
    assert again.status_code == 200
    assert row(draft) == first
    assert [d.pk for d in services.received(sam)] == [draft.pk]
    page = text_of(client_for(sam).get(reverse("practices:received")))
    assert page.count("I want to own that I left.") == 1


def test_withdrawing_an_unsent_draft_changes_nothing(alex, sam, couple):
    for draft in (services.start(alex, "feedback_wheel"), kept(alex)):
        before = row(draft)
        response = client_for(alex).post(reverse("practices:withdraw", args=[draft.pk]))
        assert response.status_code == 302
        assert row(draft) == before
    assert services.received(sam) == []


def test_editing_a_sent_message_shows_the_partner_the_new_text_and_says_so(alex, sam, couple):
    draft = kept(alex, "The first version.")
    services.send(alex, draft.pk)
    response = client_for(alex).post(
        draft.get_absolute_url(), {"message": "The second version."}, follow=True
    )
    assert messages_of(response) == ["Saved. Your partner now reads the new version."]
    received = text_of(client_for(sam).get(reverse("practices:received")))
    assert "The second version." in received
    assert "The first version." not in received


def test_keeping_an_unsent_message_says_only_the_author_can_read_it(alex, sam, couple):
    draft = services.start(alex, "feedback_wheel")
    response = client_for(alex).post(draft.get_absolute_url(), {"message": "Mine."}, follow=True)
    assert messages_of(response) == ["Kept. Only you can read it unless you send it."]


def test_deleting_a_sent_draft_takes_it_off_the_partner_s_pages(alex, sam, couple):
    draft = kept(alex, "Soon deleted.")
    services.send(alex, draft.pk)
    assert "Alex sent you a message" in text_of(client_for(sam).get(reverse("practices:index")))
    client_for(alex).post(reverse("practices:delete", args=[draft.pk]))
    assert not Draft.objects.filter(pk=draft.pk).exists()
    received = text_of(client_for(sam).get(reverse("practices:received")))
    assert "Soon deleted." not in received and "Nothing yet" in received
    assert "sent you a message" not in text_of(client_for(sam).get(reverse("practices:index")))


def test_a_person_who_sent_a_message_and_then_screened_positive_can_still_withdraw_it(
    alex, sam, couple
):
    draft = kept(alex, "Sent before the screen.", flow="vulnerability_builder")
    services.send(alex, draft.pk)
    screen_positive(alex)
    page = text_of(client_for(alex).get(draft.get_absolute_url()))
    assert "not offered for sending" in page
    assert reverse("practices:withdraw", args=[draft.pk]) in page
    assert reverse("practices:send", args=[draft.pk]) not in page
    client_for(alex).post(reverse("practices:withdraw", args=[draft.pk]))
    assert services.received(sam) == []


# The live coach


def test_the_live_coach_reads_text_when_the_field_typed_in_is_not_a_coached_one(alex):
    url = reverse("practices:coach_check")
    for trigger in ("go", "csrfmiddlewaretoken", "sealed_message", ""):
        data = {"text": COMPLAINT, "go": "see you at six", "answer": "thank you for today"}
        page = text_of(
            client_for(alex).post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=trigger)
        )
        assert "coach-criticism" in page, trigger
        assert "coach-appreciation" not in page, trigger


def test_the_live_coach_reads_each_coached_field_by_its_name(alex):
    url = reverse("practices:coach_check")
    data = {"text": "see you at six", "answer": COMPLAINT, "message": "thank you for today"}
    client = client_for(alex)
    as_answer = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="answer")
    assert "coach-criticism" in text_of(as_answer)
    as_message = client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="message")
    assert "coach-appreciation" in text_of(as_message)
    assert "coach-criticism" not in text_of(as_message)


def test_the_live_coach_reads_only_the_first_part_of_a_huge_text_instead_of_failing(alex):
    url = reverse("practices:coach_check")
    limit = services.ORIGINAL_MAX_LENGTH
    late = client_for(alex).post(url, {"text": "a" * limit + " you never listen" * 5_000})
    assert late.status_code == 200
    assert "coach-criticism" not in text_of(late)  # it comes after the part that is read
    early = client_for(alex).post(url, {"text": "you never listen " + "b" * 100_000})
    assert early.status_code == 200
    assert "coach-criticism" in text_of(early)
    marked = re.search(r'<p class="coach-marked">(.*?)</p>', text_of(early), re.DOTALL)
    assert marked is not None
    assert len(re.sub(r"<[^>]+>|\s*\([a-z, ]+\)", "", marked.group(1))) == limit


def test_the_live_coach_needs_a_signed_in_person_and_a_post(alex):
    url = reverse("practices:coach_check")
    assert client_for(None).post(url, {"text": COMPLAINT}).status_code == 302
    assert client_for(alex).get(url).status_code == 405


def test_crisis_words_in_a_flow_show_help_on_the_draft_page_even_without_javascript(
    alex, sam, couple
):
    draft = services.start(alex, "vulnerability_builder")
    services.answer(draft, flows.get("vulnerability_builder").step(4), "honestly i want to die")
    page = text_of(client_for(alex).get(draft.get_absolute_url()))  # not kept yet
    assert "thinking about dying" in page and "Only you see this" in page
    ordinary = services.start(alex, "feedback_wheel")
    services.answer(ordinary, WHEEL.step(1), "you looked at your phone")
    assert "Only you see this" not in text_of(client_for(alex).get(ordinary.get_absolute_url()))


def test_crisis_help_for_a_sent_message_is_never_shown_to_the_partner(alex, sam, couple):
    draft = kept(alex, "Some days i want to die, and I went quiet.", flow="feedback_wheel")
    services.send(alex, draft.pk)
    assert "Only you see this" in text_of(client_for(alex).get(draft.get_absolute_url()))
    received = text_of(client_for(sam).get(reverse("practices:received")))
    assert "Some days i want to die" in received
    assert "Only you see this" not in received and "thinking about dying" not in received


# Hostile text is shown as text, everywhere


def assert_escaped(response, payload: str) -> None:
    raw = response.content.decode()
    assert response.status_code == 200
    assert payload not in raw
    assert "<script>alert" not in raw and "<img src=x" not in raw
    assert ESCAPED[payload] in raw


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attribute"])
def test_html_in_what_the_coach_marks_is_escaped(alex, payload):
    text = f"you never {payload} listen, whatever {payload}"
    live = client_for(alex).post(reverse("practices:coach_check"), {"text": text})
    assert "coach-criticism" in text_of(live)
    assert_escaped(live, payload)
    page = client_for(alex).post(reverse("practices:coach"), {"text": text})
    assert_escaped(page, payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attribute"])
def test_html_in_a_draft_is_escaped_on_every_page_that_shows_it(alex, sam, couple, payload):
    client = client_for(alex)
    client.post(reverse("practices:start", args=["feedback_wheel"]), {"original": payload})
    draft = Draft.objects.get(owner=alex)
    for number in range(1, len(WHEEL.steps) + 1):
        url = reverse("practices:step", args=[draft.pk, number])
        client.post(url, {"answer": f"you never {payload}", "go": "next"})
        assert_escaped(client.get(url), payload)  # the answer and the message started from
    assert_escaped(client.get(draft.get_absolute_url()), payload)  # the composed draft
    client.post(draft.get_absolute_url(), {"message": f"you always {payload}"})
    kept_page = client.get(draft.get_absolute_url())
    assert "coach-criticism" in text_of(kept_page)  # the coach marks the kept message
    assert_escaped(kept_page, payload)
    client.post(reverse("practices:send", args=[draft.pk]))
    assert_escaped(client_for(sam).get(reverse("practices:received")), payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "attribute"])
def test_html_in_a_practice_note_is_escaped(alex, payload):
    client_for(alex).post(reverse("practices:log", args=["soft_start"]), {"note": payload})
    assert_escaped(
        client_for(alex).get(reverse("practices:practice", args=["soft_start"])), payload
    )


# Accessibility of the coached fields


def test_a_step_s_error_and_hint_stay_tied_to_its_text_box_beside_the_coach(alex):
    draft = services.start(alex, "feedback_wheel")
    url = reverse("practices:step", args=[draft.pk, 1])
    refused = client_for(alex).post(url, {"answer": "", "go": "next"}).content.decode()
    box = re.search(r"<textarea[^>]*>", refused)
    assert box is not None
    described = re.search(r'aria-describedby="([^"]*)"', box.group(0))
    assert described is not None
    ids = described.group(1).split()
    assert ids == ["step-hint", "id_answer_error", "coach-result"]
    for tied in ids:
        assert f'id="{tied}"' in refused
    assert 'aria-invalid="true"' in box.group(0)
    assert '<label for="id_answer">' in refused


def test_the_message_s_error_stays_tied_to_its_text_box_beside_the_coach(alex):
    draft = services.start(alex, "feedback_wheel")
    refused = client_for(alex).post(draft.get_absolute_url(), {"message": " "}).content.decode()
    box = re.search(r"<textarea[^>]*>", refused)
    assert box is not None
    assert 'aria-describedby="id_message_error coach-result"' in box.group(0)
    assert 'id="id_message_error"' in refused
    assert '<label for="id_message">' in refused


# The practice plan


def test_a_solo_person_s_plan_follows_their_own_report(alex):
    give_answers(alex, ALEX_ANSWERS)
    plan = services.plan(alex)
    assert plan, "a person alone gets a plan from their own answers"
    assert len({item.practice.id for item in plan}) == len(plan)
    assert not any(item.paused for item in plan)
    page = text_of(client_for(alex).get(reverse("practices:index")))
    for item in plan:
        assert f'<a href="{item.url}">{item.practice.title}</a>' in page
    assert "Support for you first" not in page


def test_a_paired_person_who_shared_nothing_plans_from_their_own_answers_only(alex, sam, couple):
    give_answers(alex, ALEX_ANSWERS)
    alone = services.plan(alex)
    assert alone
    give_answers(sam, SAM_ANSWERS)  # Sam answers but shares nothing: Alex's plan cannot change
    assert services.plan(alex) == alone
    page = text_of(client_for(alex).get(reverse("practices:index")))
    assert '<ul class="plan">' in page


def test_a_screened_person_s_plan_is_support_for_them_and_the_partner_s_is_unchanged(
    alex, sam, couple
):
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    everything = [i.id for i in couples.shareable_instruments()]
    couples.set_sharing(alex, everything)
    couples.set_sharing(sam, everything)
    sams_before = services.plan(sam)
    sams_page_before = normalise(client_for(sam).get(reverse("practices:index")).content)
    screen_positive(alex)

    plan = services.plan(alex)
    assert [item.practice.id for item in plan] == ["safety_plan", "individual_support"]
    assert {item.url for item in plan} == {reverse("core:support")}
    joint = {f.id for f in flows.flows() if f.joint}
    assert all(item.paused for item in plan if item.practice.id in joint)
    page = text_of(client_for(alex).get(reverse("practices:index")))
    assert "Support for you first" in page
    assert reverse("practices:practice", args=["safety_plan"]) not in page
    assert services.plan(sam) == sams_before
    assert normalise(client_for(sam).get(reverse("practices:index")).content) == sams_page_before


def test_a_safety_plan_is_never_presented_as_something_done_together(alex):
    about = client_for(alex).get(reverse("practices:practice", args=["safety_plan"]))
    assert about["Location"] == reverse("core:support")
    assert services.practice_links()["safety_plan"] == reverse("core:support")
