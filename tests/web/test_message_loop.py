"""The message loop: something from your partner, a guided reply, and "I've read it"."""

from __future__ import annotations

import pytest
from django.core import mail

from attunement.web.couples import services as couples
from attunement.web.practices import exchange, services
from attunement.web.practices.models import Reply
from attunement.web.privacy.services import export
from web.conftest import client_for
from web.test_journal import CANARY, rows_containing, text_of
from web.test_practices import screen_positive

NOTICE = "Something from your partner"
MESSAGE = "I miss our evenings. " + CANARY
# Words a neutral email never holds: who, what about, or what was written.
NOT_IN_EMAILS = ["partner", "relationship", "couple", "safety", "Alex", "Sam", "evenings", "read"]


def sent_by(person, text: str = MESSAGE, flow: str = "feedback_wheel"):
    draft = services.keep(services.start(person, flow), text)
    return services.send(person, draft.pk)


def wants_emails(person) -> None:
    response = client_for(person).post("/accounts/emails/", {"email_on_message": "on"})
    assert response.status_code == 302
    person.refresh_from_db()


# The home notice


def test_home_says_something_arrived_without_saying_what(alex, sam, couple):
    assert NOTICE not in text_of(client_for(sam).get("/"))
    sent_by(alex)
    home = text_of(client_for(sam).get("/"))
    assert NOTICE in home
    assert "evenings" not in home and CANARY not in home and "feedback" not in home.lower()
    assert "/practice/received/" in client_for(sam).get("/").content.decode()


def test_the_notice_goes_once_the_message_is_marked_read(alex, sam, couple):
    draft = sent_by(alex)
    client_for(sam).post(f"/practice/received/{draft.pk}/read/", {"tell": "no"})
    assert NOTICE not in text_of(client_for(sam).get("/"))


def test_the_sender_sees_no_notice_of_their_own(alex, sam, couple):
    sent_by(alex)
    assert NOTICE not in text_of(client_for(alex).get("/"))


def test_an_unpaired_person_sees_no_notice_and_no_message(alex, sam, couple):
    draft = sent_by(alex)
    couples.unpair(sam)
    assert NOTICE not in text_of(client_for(sam).get("/"))
    assert client_for(sam).get(f"/practice/received/{draft.pk}/reply/").status_code == 200
    assert "evenings" not in text_of(client_for(sam).get(f"/practice/received/{draft.pk}/reply/"))


def test_a_person_whose_own_screen_is_positive_gets_no_notice_and_no_email(alex, sam, couple):
    wants_emails(sam)
    screen_positive(sam)
    sent_by(alex)
    assert NOTICE not in text_of(client_for(sam).get("/"))
    assert mail.outbox == []


# The email


def test_emails_about_something_new_are_off_until_asked_for(alex, sam, couple):
    assert sam.email_on_message is False
    sent_by(alex)
    assert mail.outbox == []


def test_a_person_who_asked_gets_one_neutral_email_when_something_arrives(alex, sam, couple):
    wants_emails(sam)
    sent_by(alex)
    (email,) = mail.outbox
    assert email.to == [sam.email]
    (html, _kind), *_ = email.alternatives
    for text in (email.subject, email.body, str(html)):
        for word in NOT_IN_EMAILS:
            assert word.lower() not in text.lower(), (word, text)
    assert CANARY not in email.body


def test_a_reply_emails_the_sender_if_they_asked(alex, sam, couple):
    wants_emails(alex)
    draft = sent_by(alex)
    client_for(sam).post(f"/practice/received/{draft.pk}/reply/", {"reflect": "I hear you."})
    assert [m.to for m in mail.outbox] == [[alex.email]]


def test_the_choice_is_on_the_account_page_and_can_be_turned_off(alex):
    page = client_for(alex).get("/accounts/").content.decode()
    assert "Email me when my partner sends me something" in page
    wants_emails(alex)
    assert alex.email_on_message
    client_for(alex).post("/accounts/emails/", {})
    alex.refresh_from_db()
    assert not alex.email_on_message


# Replying with the listener's guide


def test_the_reply_page_shows_the_message_and_the_three_steps(alex, sam, couple):
    draft = sent_by(alex)
    page = text_of(client_for(sam).get(f"/practice/received/{draft.pk}/reply/"))
    assert "I miss our evenings." in page
    for step in ("Acknowledge", "Reflect", "Ask"):
        assert step in page


def test_a_reply_reaches_the_sender_s_from_your_partner_page(alex, sam, couple):
    draft = sent_by(alex)
    response = client_for(sam).post(
        f"/practice/received/{draft.pk}/reply/",
        {"acknowledge": "Thank you for telling me.", "reflect": "You miss our time.", "ask": ""},
    )
    assert response["Location"] == "/practice/received/"
    page = text_of(client_for(alex).get("/practice/received/"))
    assert "Sam's reply to your message" in page
    assert "Thank you for telling me." in page and "You miss our time." in page
    assert NOTICE in text_of(client_for(alex).get("/"))


def test_a_reply_is_encrypted_at_rest(alex, sam, couple):
    draft = sent_by(alex)
    exchange.reply(sam, draft.pk, {"reflect": f"What I hear is {CANARY}"})
    assert rows_containing(CANARY) == []
    assert [r.reflect for r in exchange.replies_to(alex)] == [f"What I hear is {CANARY}"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"acknowledge": " ", "reflect": "", "ask": ""}, "Write at least one part of your reply"),
        ({"ask": "x" * (services.ANSWER_MAX_LENGTH + 1)}, "Ensure this value has at most"),
    ],
)
def test_a_bad_reply_is_refused_with_a_reason_and_nothing_is_saved(alex, sam, couple, data, error):
    draft = sent_by(alex)
    response = client_for(sam).post(f"/practice/received/{draft.pk}/reply/", data)
    assert response.status_code == 200
    assert error in text_of(response)
    assert not Reply.objects.exists()


def test_nobody_else_can_reply_or_read_the_replies(alex, sam, couple, casey, other_couple):
    draft = sent_by(alex)
    exchange.reply(sam, draft.pk, {"reflect": "I hear you."})
    assert client_for(casey).get(f"/practice/received/{draft.pk}/reply/").status_code == 404
    assert client_for(alex).get(f"/practice/received/{draft.pk}/reply/").status_code == 404
    assert "I hear you." not in text_of(client_for(casey).get("/practice/received/"))
    assert "I hear you." not in text_of(client_for(sam).get("/practice/received/"))


def test_unpairing_ends_the_replies_too(alex, sam, couple):
    draft = sent_by(alex)
    exchange.reply(sam, draft.pk, {"reflect": "I hear you."})
    couples.unpair(alex)
    assert exchange.replies_to(alex) == []


# "I've read it", only if the reader says so


def test_the_sender_learns_it_was_read_only_when_the_reader_says_so(alex, sam, couple):
    draft = sent_by(alex)
    client_for(sam).post(f"/practice/received/{draft.pk}/read/", {"tell": "no"})
    assert "let you know they have read it" not in text_of(
        client_for(alex).get(draft.get_absolute_url())
    )
    client_for(sam).post(f"/practice/received/{draft.pk}/read/", {"tell": "yes"})
    assert "Sam let you know they have read it" in text_of(
        client_for(alex).get(draft.get_absolute_url())
    )
    assert "Alex knows you have read it" in text_of(client_for(sam).get("/practice/received/"))


def test_replying_alone_tells_the_sender_nothing_about_reading(alex, sam, couple):
    draft = sent_by(alex)
    exchange.reply(sam, draft.pk, {"ask": "Can we talk tonight?"})
    assert "have read it" not in text_of(client_for(alex).get(draft.get_absolute_url()))


def test_sending_again_after_withdrawing_starts_unread(alex, sam, couple):
    draft = sent_by(alex)
    exchange.mark_read(sam, draft.pk, tell=True)
    services.withdraw(alex, draft.pk)
    services.send(alex, draft.pk)
    draft.refresh_from_db()
    assert draft.read_at is None and draft.read_told_at is None
    assert NOTICE in text_of(client_for(sam).get("/"))


def test_marking_a_reply_read_is_the_readers_own_note(alex, sam, couple):
    draft = sent_by(alex)
    reply = exchange.reply(sam, draft.pk, {"reflect": "I hear you."})
    client_for(alex).post(f"/practice/replies/{reply.pk}/read/")
    assert NOTICE not in text_of(client_for(alex).get("/"))
    assert "have read" not in text_of(client_for(sam).get("/practice/received/"))


def test_the_replier_s_export_holds_their_replies_and_the_email_choice(alex, sam, couple):
    draft = sent_by(alex)
    exchange.reply(sam, draft.pk, {"reflect": "I hear you.", "ask": "Tonight?"})
    wants_emails(sam)
    data = export(sam)
    assert data["account"]["email_on_message"] is True
    [written] = data["practice_replies"]
    assert (written["reflect"], written["ask"], written["visible_to_partner"]) == (
        "I hear you.",
        "Tonight?",
        True,
    )
    assert export(alex)["practice_replies"] == []
