"""Encryption at rest for drafts and practice notes, as for journal entries (docs/practices.md).

Every word of a draft (the answers, the message, the message it started from) and
of a practice note is encrypted with the author's data key, bound to its owner,
record and field. These are the journal's properties, checked for the practices.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attunement.practices import flows
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import services
from attunement.web.practices.models import Draft, PracticeLog
from attunement.web.vault import crypto
from attunement.web.vault import services as vault
from attunement.web.vault.models import UserKey
from web.conftest import client_for, make_user, pair
from web.test_encryption import database_file_bytes
from web.test_journal import CANARY, rows_containing, text_of

WITH_FIXTURES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
WHEEL = flows.get("feedback_wheel")
# What a sealed value looks like (crypto.seal): a version prefix, then nonce and ciphertext.
TOKEN = re.compile(re.escape(crypto.PREFIX) + r"[A-Za-z0-9_-]{30,}")
SEALED = {
    "answers_text": "sealed_answers",
    "message": "sealed_message",
    "original": "sealed_original",
}


def kept(person, message="I want to own that I left early.", flow="accountability_builder"):
    draft = services.start(person, flow, original="You always leave early.")
    services.answer(draft, flows.get(flow).step(1), "I left early")
    return services.keep(draft, message)


def fresh(draft: Draft) -> Draft:
    """The draft as a new request would read it: nothing cached, not even the key."""
    return Draft.objects.get(pk=draft.pk)


# Any text comes back exactly

answer_sets = st.dictionaries(st.text(max_size=40), st.text(max_size=300), max_size=6)


@WITH_FIXTURES
@given(answers=answer_sets, message=st.text(max_size=2000), original=st.text(max_size=2000))
def test_any_text_in_any_draft_field_is_read_back_exactly(alex, answers, message, original):
    draft = Draft(owner=alex, flow="feedback_wheel")  # encrypted once the insert gives it an id
    draft.set_answers(answers)
    draft.message = message
    draft.original = original
    draft.save()
    again = fresh(draft)
    assert (again.answers, again.message, again.original) == (answers, message, original)
    # Changed on a row that has its id: encrypted at once, bound to that id.
    again.message, again.original = original, message
    again.save()
    assert (fresh(draft).message, fresh(draft).original) == (original, message)


@WITH_FIXTURES
@given(note=st.text(max_size=2000))
def test_any_practice_note_is_read_back_exactly(alex, note):
    entry = PracticeLog(owner=alex, practice="soft_start")
    entry.note = note
    entry.save()
    assert PracticeLog.objects.get(pk=entry.pk).note == note


@WITH_FIXTURES
@given(
    original=st.text(max_size=services.ORIGINAL_MAX_LENGTH),
    answer=st.text(max_size=flows.ANSWER_MAX_LENGTH),
    message=st.text(max_size=flows.MESSAGE_MAX_LENGTH).filter(str.strip),
    note=st.text(max_size=services.NOTE_MAX_LENGTH),
)
def test_what_the_services_keep_is_read_back_as_written_without_outer_spaces(
    alex, original, answer, message, note
):
    draft = services.start(alex, "feedback_wheel", original=original)
    services.answer(draft, WHEEL.step(2), answer)
    services.keep(draft, message)
    again = fresh(draft)
    assert again.original == original.strip()
    assert again.answers == ({"made_up": answer.strip()} if answer.strip() else {})
    assert again.message == message.strip()
    assert PracticeLog.objects.get(pk=services.log(alex, "soft_start", note).pk).note == (
        note.strip()
    )


# A ciphertext opens only in its own place


def places(alex, sam) -> list[tuple[type, int, str, str]]:
    """(model, pk, column, attribute) for text of Alex's and Sam's, drafts, a note and a journal."""
    first, second, sams = kept(alex), kept(alex, "Second."), kept(sam, "Sam's.")
    note = services.log(alex, "soft_start", "we walked")
    entry = journal.write(alex, prompt="", title="A title", body="A body.")
    return [
        (Draft, first.pk, "sealed_answers", "answers_text"),
        (Draft, first.pk, "sealed_message", "message"),
        (Draft, first.pk, "sealed_original", "original"),
        (Draft, second.pk, "sealed_message", "message"),
        (Draft, second.pk, "sealed_answers", "answers_text"),
        (Draft, sams.pk, "sealed_message", "message"),
        (PracticeLog, note.pk, "sealed_note", "note"),
        (JournalEntry, entry.pk, "sealed_body", "body"),
        (JournalEntry, entry.pk, "sealed_title", "title"),
    ]


def stored(model: type, pk: int, column: str) -> str:
    value: str = model.objects.filter(pk=pk).values_list(column, flat=True).get()
    return value


def test_a_ciphertext_copied_to_another_field_draft_person_or_journal_entry_cannot_be_read(
    alex, sam
):
    everywhere = places(alex, sam)
    readings = {place: getattr(place[0].objects.get(pk=place[1]), place[3]) for place in everywhere}
    for source in everywhere:
        token = stored(*source[:3])
        for target in everywhere:
            if target == source:
                continue
            model, pk, column, attribute = target
            kept_token = stored(model, pk, column)
            model.objects.filter(pk=pk).update(**{column: token})
            moved = model.objects.get(pk=pk)
            with pytest.raises(crypto.DecryptionError):
                getattr(moved, attribute)
            assert not moved.readable, (source, target)
            model.objects.filter(pk=pk).update(**{column: kept_token})
    for place, reading in readings.items():  # each in its own place still opens
        assert getattr(place[0].objects.get(pk=place[1]), place[3]) == reading


def test_a_draft_holding_someone_elses_ciphertext_says_it_cannot_be_read(alex, sam):
    mine, sams = kept(alex), kept(sam, "Only for Sam.")
    Draft.objects.filter(pk=mine.pk).update(sealed_message=sams.sealed_message)
    page = text_of(client_for(alex).get(mine.get_absolute_url()))
    assert "This draft cannot be read" in page
    assert sams.sealed_message not in page and "Only for Sam." not in page


def test_a_draft_s_fields_are_each_stored_as_a_token_and_never_as_text(alex):
    draft = kept(alex, message=f"{CANARY} message")
    row = Draft.objects.filter(pk=draft.pk).values(*SEALED.values()).get()
    for column, token in row.items():
        assert token.startswith(crypto.PREFIX), column
        assert CANARY not in token
    assert len(set(row.values())) == len(row)


# Forgetting the key shreds every draft and note, and the pages say so


@pytest.fixture
def shredded(alex, sam, couple):
    """Alex's drafts (open, kept, sent) and note, then Alex's key forgotten."""
    unfinished = services.start(alex, "feedback_wheel", original="you never listen")
    services.answer(unfinished, WHEEL.step(1), "you looked at your phone")
    private = kept(alex, "Kept for myself.", flow="feedback_wheel")
    sent = kept(alex, "Sent to Sam, then shredded.")
    services.send(alex, sent.pk)
    services.log(alex, "soft_start", "Our walk went well.")
    sams = kept(sam, "Sam's own words.")
    tokens = [getattr(d, c) for d in (unfinished, private, sent) for c in SEALED.values()]
    vault.forget_key(alex)
    return {"unfinished": unfinished, "private": private, "sent": sent, "sams": sams,
            "tokens": tokens}  # fmt: skip


def test_forgetting_the_key_makes_every_draft_and_note_unreadable(alex, shredded):
    for name in ("unfinished", "private", "sent"):
        draft = fresh(shredded[name])
        assert not draft.readable, name
        for attribute in SEALED:
            with pytest.raises(crypto.DecryptionError):
                getattr(draft, attribute)
        with pytest.raises(crypto.DecryptionError):
            draft.answers  # noqa: B018
    note = PracticeLog.objects.get(owner=alex)
    assert not note.readable
    with pytest.raises(crypto.DecryptionError):
        note.note  # noqa: B018
    assert fresh(shredded["sams"]).message == "Sam's own words."
    # New writing gets a new key, which opens nothing written before.
    assert kept(alex, "A fresh start.").message == "A fresh start."
    assert not fresh(shredded["private"]).readable


def assert_no_token(page: str, shredded) -> None:
    for token in shredded["tokens"]:
        assert token not in page
    assert not TOKEN.search(page)  # no ciphertext of any kind


@pytest.mark.parametrize("name", ["unfinished", "private", "sent"])
def test_a_draft_whose_key_is_gone_says_so_on_its_pages(alex, shredded, name):
    draft, client = shredded[name], client_for(alex)
    page = text_of(client.get(draft.get_absolute_url()))
    assert "This draft cannot be read" in page
    assert reverse("practices:delete", args=[draft.pk]) in page
    assert_no_token(page, shredded)
    step = client.get(reverse("practices:step", args=[draft.pk, 1]))
    assert step.status_code == 302 and step["Location"] == draft.get_absolute_url()


def test_writing_to_a_draft_whose_key_is_gone_changes_nothing(alex, shredded):
    draft, client = shredded["unfinished"], client_for(alex)
    before = Draft.objects.filter(pk=draft.pk).values().get()
    step = client.post(reverse("practices:step", args=[draft.pk, 1]), {"answer": "new words"})
    assert step.status_code == 302
    kept_page = client.post(draft.get_absolute_url(), {"message": "new message"})
    assert "This draft cannot be read" in text_of(kept_page)
    assert Draft.objects.filter(pk=draft.pk).values().get() == before


def test_sending_a_draft_whose_key_is_gone_is_refused_without_an_error(alex, sam, shredded):
    draft = shredded["private"]
    response = client_for(alex).post(reverse("practices:send", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert "can no longer be read" in text_of(response)
    assert fresh(draft).sent_in is None
    with pytest.raises(services.PracticeError):
        services.send(alex, draft.pk)


def test_the_practice_pages_list_what_can_no_longer_be_read(alex, shredded):
    client = client_for(alex)
    index = client.get(reverse("practices:index"))
    assert index.status_code == 200
    page = text_of(index)
    assert "can no longer be read" in page  # the unfinished draft
    assert "kept for yourself" in page and "sent to your partner" in page  # the history
    assert_no_token(page, shredded)
    about = text_of(client.get(reverse("practices:practice", args=["soft_start"])))
    assert "this note can no longer be read" in about
    assert "Our walk went well." not in about
    assert_no_token(about, shredded)
    flow_page = client.get(reverse("practices:flow", args=["feedback_wheel"]))
    assert flow_page.status_code == 200
    assert_no_token(text_of(flow_page), shredded)


def test_the_partner_never_sees_a_sent_draft_whose_key_is_gone_nor_its_ciphertext(sam, shredded):
    client = client_for(sam)
    received = client.get(reverse("practices:received"))
    assert received.status_code == 200
    page = text_of(received)
    assert "Sent to Sam, then shredded." not in page
    assert_no_token(page, shredded)
    assert "Nothing yet" in page
    assert "sent you a message" not in text_of(client.get(reverse("practices:index")))
    assert services.received(sam) == []


def test_a_draft_and_a_note_whose_key_is_gone_can_still_be_deleted(alex, shredded):
    client = client_for(alex)
    for name in ("unfinished", "private", "sent"):
        assert client.get(reverse("practices:delete", args=[shredded[name].pk])).status_code == 200
        client.post(reverse("practices:delete", args=[shredded[name].pk]))
    note = PracticeLog.objects.get(owner=alex)
    client.post(reverse("practices:unlog", args=[note.pk]))
    assert not Draft.objects.filter(owner=alex).exists()
    assert not PracticeLog.objects.filter(owner=alex).exists()


def test_deleting_an_account_deletes_its_drafts_notes_and_key(alex, sam, couple):
    services.send(alex, kept(alex).pk)
    services.log(alex, "soft_start", "a note")
    kept(sam)
    alex.delete()
    assert set(Draft.objects.values_list("owner", flat=True)) == {sam.pk}
    assert not PracticeLog.objects.exists()
    assert list(UserKey.objects.values_list("user", flat=True)) == [sam.pk]
    assert services.received(sam) == []


# Nothing readable reaches the disk


@pytest.mark.django_db(transaction=True)
def test_no_word_written_through_the_practice_pages_reaches_the_database_file(tmp_path):
    alex = make_user("alex@example.org", "Alex")
    sam = make_user("sam@example.org", "Sam")
    pair(alex, sam)
    client = client_for(alex)
    client.post(reverse("practices:coach"), {"text": f"you never listen {CANARY}"})
    client.post(reverse("practices:coach_check"), {"text": f"{CANARY} whatever"})
    started = client.post(
        reverse("practices:start", args=["feedback_wheel"]), {"original": f"{CANARY} original"}
    )
    draft = Draft.objects.get(owner=alex)
    assert started["Location"] == reverse("practices:step", args=[draft.pk, 1])
    for number, step in enumerate(WHEEL.steps, start=1):
        url = reverse("practices:step", args=[draft.pk, number])
        client.post(url, {"answer": f"{CANARY} {step.id}", "go": "next"})
    client.post(reverse("practices:step", args=[draft.pk, 2]), {"answer": CANARY, "go": "back"})
    client.post(draft.get_absolute_url(), {"message": f"{CANARY} first message"})
    client.post(reverse("practices:send", args=[draft.pk]))
    client.post(draft.get_absolute_url(), {"message": f"{CANARY} changed message"})
    client.post(reverse("practices:log", args=["soft_start"]), {"note": f"{CANARY} note"})
    assert f"{CANARY} changed message" in text_of(
        client_for(sam).get(reverse("practices:received"))
    )
    assert f"{CANARY} note" in text_of(
        client.get(reverse("practices:practice", args=["soft_start"]))
    )
    assert fresh(draft).answers["made_up"] == CANARY

    if connection.vendor != "sqlite":
        assert rows_containing(CANARY) == []
        return
    stored = database_file_bytes(tmp_path / "copy.sqlite3")
    assert b"alex@example.org" in stored  # the scan does look at what is stored
    assert CANARY.casefold().encode() not in stored.lower()
    assert rows_containing(CANARY) == []
