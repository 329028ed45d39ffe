"""Answering the safety screens again in the web app: when it is offered, what it changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from attunement.safety import crisis
from attunement.web.assessments import rescreen, services
from attunement.web.assessments.models import Answer, Screening, WritingSignal
from attunement.web.checkins import services as checkins
from attunement.web.journal import services as journal
from attunement.web.practices import services as practices
from crisis_samples import FAINT

from .conftest import client_for

NO_HARK = {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}
NO_ASQ = {"1": 0, "2": 0, "3": 0, "4": 0}
AGAIN = "/check/again/"


def answer(client, instrument, number, answers):
    data = {**{k: str(v) for k, v in answers.items()}, "action": "continue"}
    response = client.post(f"/check/{instrument}/{number}/", data)
    assert response.status_code == 302
    return response


def clear_screens(person):
    client = client_for(person)
    answer(client, "hark", 1, NO_HARK)
    answer(client, "asq", 1, NO_ASQ)


def later(**delta):
    return time_machine.travel(timezone.now() + timedelta(**delta), tick=False)


def test_each_screen_answered_through_the_pages_is_kept_with_its_time(alex):
    clear_screens(alex)
    answer(client_for(alex), "hark", 1, {**NO_HARK, "C": 1})
    rows = list(Screening.objects.filter(owner=alex).values_list("instrument", "positive"))
    assert rows == [("hark", False), ("asq", False), ("hark", True)]
    assert [s.concern for s in rescreen.history(alex)][-1] == "partner_violence"


def test_screens_answered_before_the_history_count_from_their_answers_time(alex):
    services.save_page(alex, services.instrument("hark"), NO_HARK)
    Answer.objects.filter(owner=alex).update(updated=timezone.now() - timedelta(weeks=5))
    assert [s.concern for s in rescreen.history(alex)] == ["partner_violence"]
    assert [i.id for i in rescreen.due_screens(alex)] == ["hark"]


def test_nothing_is_offered_again_before_a_month_has_passed(alex):
    clear_screens(alex)
    with later(days=27):
        assert rescreen.due_screens(alex) == []
        assert b"A few questions for you" not in client_for(alex).get("/").content
    with later(weeks=4):
        assert [i.id for i in rescreen.due_screens(alex)] == ["hark", "asq"]
        assert b"A few questions for you" in client_for(alex).get("/").content
        assert b"A few questions for you" in client_for(alex).get("/checkin/").content


def test_a_reliable_drop_in_the_persons_own_check_ins_offers_the_screens(alex):
    clear_screens(alex)
    with later(days=1):
        checkins.take(alex, {"1": 5, "2": 5, "3": 5, "4": 4})
    with later(days=8):
        checkins.take(alex, {"1": 1, "2": 1, "3": 1, "4": 1})
        found = rescreen.due(alex)
    assert found is not None and found.reasons == ("deterioration",)


def test_crisis_words_in_a_draft_or_the_coach_offer_the_screens(alex, sam, couple):
    clear_screens(alex)
    with later(minutes=1):
        practices.start(alex, "feedback_wheel", original="i want to die")
    assert rescreen.due(alex).concerns == ("suicide_risk",)
    assert set(WritingSignal.objects.filter(owner=alex).values_list("concern", flat=True)) == {
        "suicide_risk"
    }
    with later(minutes=2):
        client_for(alex).post(reverse("practices:coach_check"), {"text": "he hit me"})
    assert rescreen.due(alex).concerns == ("partner_violence", "suicide_risk")


@pytest.mark.model
def test_a_faint_signal_from_the_model_alone_does_not_ask_the_screens_again(alex):
    clear_screens(alex)
    faint = FAINT
    assert crisis.read(faint).quiet == {"suicide_risk"}  # help is offered, quietly
    with later(minutes=1):
        client_for(alex).post(reverse("practices:coach_check"), {"text": faint})
        journal.write(alex, prompt="", title="", body=faint)
    assert not WritingSignal.objects.filter(owner=alex).exists()
    assert rescreen.due(alex) is None


def test_words_are_never_kept_only_when_they_appeared(alex):
    clear_screens(alex)
    journal.write(alex, prompt="", title="", body="she threatened to kill me")
    signal = WritingSignal.objects.get(owner=alex)
    assert {f.name for f in WritingSignal._meta.fields} == {"id", "owner", "concern", "seen"}
    assert signal.concern == "partner_violence"


def test_the_page_asks_the_due_screens_and_a_follow_up_when_a_yes_calls_for_it(alex):
    clear_screens(alex)
    with later(weeks=4):
        client = client_for(alex)
        page = client.get(AGAIN).content.decode()
        assert 'name="H"' in page and 'name="1"' in page and 'name="5"' not in page
        response = client.post(AGAIN, {**NO_HARK, **NO_ASQ, "2": "1"})
        assert response.status_code == 200
        assert 'name="5"' in response.content.decode()
        response = client.post(AGAIN, {**NO_HARK, **NO_ASQ, "2": "1", "5": "0"})
    outcomes = services.screen_outcomes(alex)
    assert [(o.concern, o.acute) for o in outcomes] == [("suicide_risk", False)]
    assert response["Location"] == services.help_url(outcomes[0])


def test_an_acute_answer_is_offered_again_a_day_later_and_a_clear_one_can_lift_the_stop(alex):
    clear_screens(alex)
    client = client_for(alex)
    answer(client, "asq", 1, {**NO_ASQ, "1": 1})
    answer(client, "asq", 2, {"5": 1})
    assert client.get("/check/csi4/1/")["Location"] == "/check/help/"
    with later(hours=23):
        assert rescreen.due_screens(alex) == []
    with later(hours=24):
        client = client_for(alex)
        assert [i.id for i in rescreen.due_screens(alex)] == ["asq"]
        assert b"A few questions for you" in client.get("/check/help/").content
        response = client.post(AGAIN, NO_ASQ)
        assert response["Location"] == reverse("assessments:resume")
        # Still stopped until the person chooses: nothing lifts behind their back.
        assert client.get("/check/csi4/1/")["Location"] == "/check/help/"
        assert b"Go back to exercises" in client.get(reverse("assessments:resume")).content
        assert client.post(reverse("assessments:resume"))["Location"] == "/"
        assert client.get("/check/csi4/1/").status_code == 200
    assert services.screen_outcomes(alex) == []


def test_keeping_things_as_they_are_keeps_the_earlier_answers_and_the_choice(alex):
    clear_screens(alex)
    client = client_for(alex)
    answer(client, "hark", 1, {**NO_HARK, "A": 1})
    with later(weeks=2):
        client = client_for(alex)
        client.post(AGAIN, NO_HARK)
        assert [o.concern for o in services.screen_outcomes(alex)] == ["partner_violence"]
        home = client.get("/").content
        assert b"Your choice" in home
        assert rescreen.due_screens(alex) == []  # answered today: not asked again yet


def test_a_clear_answer_when_nothing_was_positive_just_takes_effect(alex):
    clear_screens(alex)
    with later(weeks=4):
        response = client_for(alex).post(AGAIN, {**NO_HARK, **NO_ASQ})
        assert response["Location"] == "/"
        assert rescreen.due_screens(alex) == []
    assert Screening.objects.filter(owner=alex).count() == 4


def test_a_positive_re_screen_takes_effect_at_once(alex):
    clear_screens(alex)
    with later(weeks=4):
        response = client_for(alex).post(AGAIN, {**NO_HARK, "C": "1", **NO_ASQ})
    assert response["Location"] == "/check/help/"
    assert [o.concern for o in services.screen_outcomes(alex)] == ["partner_violence"]


def test_an_unanswered_question_saves_nothing(alex):
    clear_screens(alex)
    with later(weeks=4):
        response = client_for(alex).post(AGAIN, {"H": "0"})
    assert response.status_code == 200
    assert b"Nothing on this page was saved yet" in response.content
    assert Screening.objects.filter(owner=alex).count() == 2
