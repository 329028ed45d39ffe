"""The demo couple of `attunement serve --demo`: enough history to explore every page."""

from __future__ import annotations

from itertools import pairwise

import pytest

from attunement.web.accounts.models import User
from attunement.web.checkins import services as checkins
from attunement.web.core.demo import create_demo
from attunement.web.journal import services as journal
from attunement.web.practices import services as practices
from web.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> tuple[User, User]:
    create_demo()
    return User.objects.get(email="alex@demo.invalid"), User.objects.get(email="sam@demo.invalid")


def test_each_partner_has_twelve_weekly_checkins_ending_today(demo):
    for person in demo:
        found = checkins.series(person)
        assert len(found) == 12
        gaps = {(b.day - a.day).days for a, b in pairwise(found)}
        assert gaps == {7}
        assert found[-1].day == checkins.today_for(person)


def test_alex_sees_an_early_warning_on_the_checkin_page(demo):
    alex, _ = demo
    warning = checkins.warning_for(alex)
    assert warning is not None and warning.reasons
    assert warning.support_level.value != "self_guided"
    assert "a:reliable_deterioration" in warning.reasons
    page = client_for(alex).get("/checkin/").content.decode()
    assert 'class="card notice"' in page and 'href="/support/"' in page


def test_sam_has_received_alexs_feedback_wheel_and_it_reads_naturally(demo):
    alex, sam = demo
    [message] = practices.received(sam)
    assert message.owner == alex and message.flow == "feedback_wheel"
    assert "What I noticed was that last night you looked at your phone" in message.message
    assert "The story I told myself is that" in message.message
    assert "Could we put our phones in the kitchen" in message.message
    assert "Could we put our phones" in client_for(sam).get("/practice/received/").content.decode()


def test_there_are_drafts_finished_and_not_and_private_journal_entries(demo):
    alex, sam = demo
    assert sorted(bool(d.finished) for d in practices.drafts(alex)) == [False, True]
    assert [bool(d.finished) for d in practices.drafts(sam)] == [True]
    assert len(journal.entries(alex)) == 2 and len(journal.entries(sam)) == 1
    assert journal.shared_with(sam) == [] and journal.shared_with(alex) == []


def test_creating_the_demo_twice_changes_nothing(demo):
    alex, _ = demo
    create_demo()
    assert len(checkins.series(alex)) == 12 and len(practices.drafts(alex)) == 2
