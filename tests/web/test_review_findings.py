"""Defects found in review of the therapist workspace, privacy and check-in apps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from attunement.web.checkins import services as checkins
from attunement.web.couples import services as couples
from attunement.web.therapists import services
from web.conftest import client_for, pair
from web.therapist_world import make_therapist


@pytest.fixture
def riley(db):
    return make_therapist("riley@example.org", "Riley")


# A therapist is never their own partner's therapist: the workspace would show a partner
# what the couple's own sharing rules keep private (check-in trends, practice activity,
# journal counts), and keep doing so while a safety screen pauses the couple's features.


@pytest.mark.parametrize("kind", ["single", "couple"])
def test_a_therapists_own_partner_cannot_join_their_case(riley, alex, kind):
    pair(riley, alex)
    case, token = services.open_case(riley, "A.", kind)
    page = client_for(alex).get(f"/therapist/join/{token}/")
    assert "This invitation is from your partner" in page.content.decode()
    with pytest.raises(services.Refused):
        services.accept(alex, token, ["checkin_trends", "practice_activity"])
    assert not case.grants.exists()
    posted = client_for(alex).post(f"/therapist/join/{token}/", {"scopes": ["checkin_trends"]})
    assert posted.status_code == 302
    assert not case.grants.exists()


# Reminders go only to accounts that can still be used.


def test_no_reminder_is_emailed_to_a_deactivated_account(alex):
    checkins.save_reminder(alex, enabled=True, weekday=6, hour=19, time_zone="UTC")
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    with time_machine.travel(datetime(2026, 1, 4, 19, 5, tzinfo=UTC), tick=False):
        assert checkins.send_due_reminders() == 0
    assert mail.outbox == []


def test_pairing_with_ones_therapist_withdraws_the_consent_at_once(riley, alex):
    case, token = services.open_case(riley, "A.", "single")
    services.accept(alex, token, ["checkin_trends", "practice_activity"])
    assert services.grants_for(alex)
    _invitation, link = couples.invite(riley)
    couples.redeem(alex, link)
    assert services.grants_for(alex) == []
    assert not case.grants.filter(revoked__isnull=True).exists()


def test_pairing_with_someone_else_leaves_consents_alone(riley, alex, sam):
    _case, token = services.open_case(riley, "A.", "single")
    services.accept(alex, token, ["checkin_trends"])
    _invitation, link = couples.invite(sam)
    couples.redeem(alex, link)
    assert len(services.grants_for(alex)) == 1
