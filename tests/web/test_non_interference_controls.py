"""Non-interference for what a screen leads to: controls, the discreet home, re-screening.

The screen itself is covered by test_web_non_interference.py. Here Sam's screen is
positive and Sam *does* something with it: uses the private controls, is offered
the screens again, answers them, resumes. Two rules are checked against Alex's
every page, count and email (the same snapshot as there):

- a control's effect on Alex is byte for byte that of the ordinary actions it
  stands for, done by an unscreened Sam;
- what only concerns Sam (a re-screen being due, the discreet home, a pause of
  messages) changes nothing Alex can fetch or is sent.
"""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from attunement.web.assessments import rescreen
from attunement.web.assessments import services as assessments
from attunement.web.assessments.models import Answer, Screening
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import services as practices
from attunement.web.practices.models import Draft
from web.conftest import client_for
from web.test_web_non_interference import (
    CLEAR_SCREENS,
    NO,
    answer_screens,
    first_difference,
    look_around,
    paired_world,
)

AFRAID = [("hark", 1, {**NO, "A": 1})]
HELP = "/check/help/"  # the partner-violence help page: the first screen's


def look(world, sam_replies=True):
    """Alex's snapshot, with only the emails sent during this look."""
    mail.outbox.clear()
    return look_around(world, sam_replies)


def frozen():
    return time_machine.travel(timezone.now(), tick=False)


def assert_alex_sees_the_same(before, after, *, riley: bool = True) -> None:
    assert list(after.alexs) == list(before.alexs)
    changed = [path for path in before.alexs if before.alexs[path] != after.alexs[path]]
    assert changed == [], first_difference(before, after, changed)
    assert after.emails == before.emails
    if riley:
        assert after.rileys == before.rileys


def visible_text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def share_everything_again(sam) -> None:
    couples.set_sharing(sam, [i.id for i in couples.shareable_instruments()])
    for entry in JournalEntry.objects.filter(owner=sam):
        journal.share(sam, entry.pk)
    for draft in Draft.objects.filter(owner=sam, finished__isnull=False):
        practices.send(sam, draft.pk)


def unshare_by_hand(sam) -> None:
    """Every ordinary unshare action, one page at a time, as an unscreened Sam would."""
    client = client_for(sam)
    assert client.post(reverse("couples:sharing"), {}).status_code == 302
    for entry in JournalEntry.objects.filter(owner=sam, shared_with_partner=True):
        assert client.post(reverse("journal:unshare", args=[entry.pk])).status_code == 302
    for draft in Draft.objects.filter(owner=sam, sent_at__isnull=False):
        assert client.post(reverse("practices:withdraw", args=[draft.pk])).status_code == 302


def test_stop_sharing_everything_shows_alex_exactly_what_unsharing_by_hand_shows(alex, sam, couple):
    world = paired_world(alex, sam, couple)
    with frozen():
        answer_screens(sam, CLEAR_SCREENS)
        sharing = look(world)
        unshare_by_hand(sam)
        by_hand = look(world)
        share_everything_again(sam)

        answer_screens(sam, AFRAID)
        page = client_for(sam).get(HELP)
        assert b"Stop sharing everything" in page.content
        # One click: one POST from the help page, back to the help page.
        response = client_for(sam).post(reverse("privacy:stop_sharing"), {"next": HELP})
        assert response.status_code == 302 and response["Location"] == HELP
        by_control = look(world)

    assert by_hand.alexs != sharing.alexs  # the comparison can see a change
    assert_alex_sees_the_same(by_hand, by_control)
    assert couples.shared_instruments(sam) == []
    assert not JournalEntry.objects.filter(owner=sam, shared_with_partner=True).exists()
    assert not Draft.objects.filter(owner=sam, sent_in__isnull=False).exists()


def test_pausing_messages_changes_nothing_alex_sees_and_alex_can_still_send(alex, sam, couple):
    world = paired_world(alex, sam, couple)
    alexs_draft = world.objects["draft"]
    with frozen():
        answer_screens(sam, CLEAR_SCREENS)
        # A paused Sam cannot reply (the message is out of sight): neither look has Sam reply.
        before = look(world, sam_replies=False)
        answer_screens(sam, AFRAID)
        client = client_for(sam)
        assert b"Pause messages from my partner" in client.get(HELP).content
        client.post(reverse("privacy:pause_messages"), {"paused": "1", "next": HELP})
        paused = look(world, sam_replies=False)
        # Alex sends something new while Sam has paused: it works exactly as usual.
        more = practices.keep(practices.start(alex, "feedback_wheel"), "Can we talk tonight?")
        sent = client_for(alex).post(reverse("practices:send", args=[more.pk]))
        assert sent.status_code == 302

    assert_alex_sees_the_same(before, paused)
    assert practices.received(sam) == []
    assert alexs_draft.message.encode() not in client.get(reverse("practices:received")).content
    client.post(reverse("privacy:pause_messages"), {"paused": "0"})
    shown = client.get(reverse("practices:received")).content
    assert b"Can we talk tonight?" in shown and b"I miss our evenings." in shown


def test_the_pause_is_an_ordinary_setting_on_everyones_privacy_page(alex, sam, couple):
    page = client_for(alex).get(reverse("privacy:index")).content
    assert b"Pause messages from my partner" in page
    assert b"Stop sharing everything" in page
    practices.set_messages_paused(alex, True)
    assert b"Resume messages from my partner" in client_for(alex).get("/privacy/").content


def backdate_screens(person, weeks: int) -> None:
    earlier = timezone.now() - timedelta(weeks=weeks)
    Screening.objects.filter(owner=person).update(taken=earlier)
    Answer.objects.filter(owner=person, instrument__in=["hark", "asq"]).update(updated=earlier)


def test_a_re_screen_falling_due_changes_nothing_alex_sees(alex, sam, couple):
    world = paired_world(alex, sam, couple)
    with frozen():
        answer_screens(sam, CLEAR_SCREENS)
        answer_screens(sam, AFRAID)
        not_due = look(world)
        sams_home = client_for(sam).get("/").content
        backdate_screens(sam, weeks=5)
        assert rescreen.due_screens(sam)
        due = look(world)
        for path in ("/", "/checkin/", HELP):
            assert b"A few questions for you" in client_for(sam).get(path).content, path
    assert b"A few questions for you" not in sams_home
    assert_alex_sees_the_same(not_due, due)
    assert not rescreen.due_screens(alex)


def test_crisis_words_in_sams_journal_offer_him_the_screens_and_nothing_to_alex(alex, sam, couple):
    world = paired_world(alex, sam, couple)
    with frozen():
        answer_screens(sam, CLEAR_SCREENS)
        before = look(world)
        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
            journal.write(sam, prompt="", title="", body="he said if i leave he'll kill me")
        assert rescreen.due(sam) is not None
        assert b"A few questions for you" in client_for(sam).get("/").content
        after = look(world)
    assert rescreen.due(sam).concerns == ("partner_violence",)
    # Alex's pages list Sam's shared entries only; this one is private, as every entry starts.
    # Riley, with Sam's consent to his practice activity, does see that he wrote an entry:
    # that is the writing itself, which any entry shows her, not the words or the prompt.
    assert_alex_sees_the_same(before, after, riley=False)


def test_answering_again_and_resuming_changes_nothing_alex_sees(alex, sam, couple):
    world = paired_world(alex, sam, couple)
    with frozen():
        answer_screens(sam, CLEAR_SCREENS)
        clear = look(world)
        answer_screens(sam, AFRAID)
        backdate_screens(sam, weeks=3)
        client = client_for(sam)
        answers = {**NO, "1": 0, "2": 0, "3": 0, "4": 0}
        assert (
            client.post(reverse("assessments:again"), answers)["Location"] == "/check/again/resume/"
        )
        # A clear answer alone lifts nothing: Sam chooses.
        assert assessments.screen_outcomes(sam) != []
        waiting = look(world)
        assert client.post(reverse("assessments:resume"))["Location"] == "/"
        resumed = look(world)
    assert assessments.screen_outcomes(sam) == []
    assert_alex_sees_the_same(clear, waiting)
    assert_alex_sees_the_same(clear, resumed)


def test_sams_home_after_the_screen_names_no_help_or_safety_at_a_glance(alex, sam, couple):
    paired_world(alex, sam, couple)
    answer_screens(sam, CLEAR_SCREENS)
    before = set(visible_text(client_for(sam).get("/")).lower().split())
    answer_screens(sam, AFRAID)
    home = visible_text(client_for(sam).get("/"))
    added = set(home.lower().split()) - before
    assert "Saved for you" in home
    assert not added & {"help", "help,", "safety", "safe", "violence", "abuse", "afraid", "danger"}
