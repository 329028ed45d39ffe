"""The weekly check-in through the pages: answering, the trend, sharing, warnings, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from attunement.web.checkins import services
from attunement.web.checkins.models import CheckIn, Reminder
from attunement.web.couples import services as couples
from web.conftest import client_for
from web.test_journal import text_of

# CSI-4 items 1-4 and the three connection items of the past week.
HAPPY = {"1": 5, "2": 4, "3": 4, "4": 4, "W1": 3, "W2": 3, "W3": 3}  # total 17
LOW = {"1": 1, "2": 2, "3": 2, "4": 2, "W1": 1, "W2": 1, "W3": 0}  # total 7


def weekly(person, answers_by_week, start=datetime(2026, 9, 6, 18, tzinfo=UTC)):
    for week, answers in enumerate(answers_by_week):
        services.take(person, answers, now=start + timedelta(weeks=week))


def test_a_check_in_is_scored_and_kept_with_the_local_day(alex):
    response = client_for(alex).post(reverse("checkins:take"), HAPPY)
    assert response.url == reverse("checkins:index")
    checkin = CheckIn.objects.get(owner=alex)
    assert checkin.csi4 == 17
    assert checkin.connection == 3
    assert checkin.answers == HAPPY


def test_a_missing_answer_is_named_and_nothing_is_kept(alex):
    response = client_for(alex).post(reverse("checkins:take"), {**HAPPY, "1": ""})
    page = text_of(response)
    assert response.status_code == 200
    assert "Your check-in was not saved yet" in page
    assert "Please choose an answer" in page
    assert not CheckIn.objects.exists()


def test_an_out_of_range_answer_is_refused(alex):
    response = client_for(alex).post(reverse("checkins:take"), {**HAPPY, "2": "9"})
    assert "Please choose one of the answers shown." in text_of(response)
    assert not CheckIn.objects.exists()


def test_the_day_is_the_person_s_own_calendar_day(alex):
    services.save_reminder(alex, enabled=False, weekday=6, hour=19, time_zone="Pacific/Auckland")
    late_sunday_utc = datetime(2026, 9, 6, 22, tzinfo=UTC)  # Monday morning in Auckland
    checkin = services.take(alex, HAPPY, now=late_sunday_utc)
    assert str(checkin.day) == "2026-09-07"


def test_the_trend_page_draws_the_series_with_a_text_alternative(alex):
    weekly(alex, [HAPPY, HAPPY, LOW])
    with time_machine.travel(datetime(2026, 9, 21, 20, tzinfo=UTC), tick=False):
        page = text_of(client_for(alex).get(reverse("checkins:index")))
    assert "<svg" in page and 'class="chart-table trend-table"' in page
    assert "published cut-off" in page
    assert "You checked in on" in page


def test_the_partner_s_line_appears_only_while_they_share_their_check_ins(alex, sam, couple):
    weekly(alex, [HAPPY])
    weekly(sam, [LOW])
    url = reverse("checkins:index")
    assert "if Sam chooses to share" in text_of(client_for(alex).get(url))
    couples.set_sharing(sam, ["checkin"])
    shared = text_of(client_for(alex).get(url))
    assert "Your trend and your partner" in shared and "Sam" in shared
    couples.set_sharing(sam, [])
    assert "if Sam chooses to share" in text_of(client_for(alex).get(url))


def test_a_reliable_drop_shows_a_kind_message_and_the_support_page(alex):
    weekly(alex, [HAPPY, HAPPY, LOW])
    with time_machine.travel(datetime(2026, 9, 21, 20, tzinfo=UTC), tick=False):
        warning = services.warning_for(alex)
        page = text_of(client_for(alex).get(reverse("checkins:index")))
    assert warning is not None and warning.partners["a"].reliable_deterioration
    assert warning.support_level.value != "self_guided"
    assert reverse("core:support") in page


def test_steady_check_ins_show_no_warning(alex):
    weekly(alex, [HAPPY, HAPPY, HAPPY])
    with time_machine.travel(datetime(2026, 9, 21, 20, tzinfo=UTC), tick=False):
        page = text_of(client_for(alex).get(reverse("checkins:index")))
    assert "When and how to find support" not in page


# Reminders


def test_reminders_are_off_until_the_person_switches_them_on(alex):
    assert services.reminder_for(alex).enabled is False
    response = client_for(alex).post(
        reverse("checkins:reminder"),
        {"enabled": "on", "weekday": "6", "hour": "19", "time_zone": "Europe/Paris"},
    )
    assert response.url == reverse("checkins:index")
    saved = Reminder.objects.get(user=alex)
    assert (saved.enabled, saved.weekday, saved.hour, saved.time_zone) == (
        True,
        6,
        19,
        "Europe/Paris",
    )


def test_an_unknown_time_zone_is_refused_by_name(alex):
    response = client_for(alex).post(
        reverse("checkins:reminder"),
        {"enabled": "on", "weekday": "6", "hour": "19", "time_zone": "Mars/Olympus"},
    )
    assert "Choose a time zone from the list" in text_of(response)
    assert not Reminder.objects.exists()


def test_the_reminder_goes_out_once_at_the_local_hour_and_says_nothing_personal(alex, sam):
    services.save_reminder(alex, enabled=True, weekday=6, hour=19, time_zone="Europe/Paris")
    services.save_reminder(sam, enabled=False, weekday=6, hour=19, time_zone="Europe/Paris")
    with time_machine.travel(datetime(2026, 1, 4, 17, 59, tzinfo=UTC), tick=False):
        call_command("send_checkin_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    with time_machine.travel(datetime(2026, 1, 4, 18, 0, tzinfo=UTC), tick=False):
        assert services.send_due_reminders() == 1
    with time_machine.travel(datetime(2026, 1, 4, 18, 30, tzinfo=UTC), tick=False):
        assert services.send_due_reminders() == 0
    (email,) = mail.outbox
    assert email.to == ["alex@example.org"]
    assert email.subject == "Your weekly reminder"
    for personal in ("Alex", "Sam", "partner", "relationship", "couple"):
        assert personal not in email.body
    assert "/checkin/" in email.body and "/checkin/reminder/" in email.body
    with time_machine.travel(datetime(2026, 1, 11, 18, 5, tzinfo=UTC), tick=False):
        assert services.send_due_reminders() == 1  # the next week's


def test_no_reminder_after_a_check_in_that_week(alex):
    services.save_reminder(alex, enabled=True, weekday=6, hour=19, time_zone="UTC")
    services.take(alex, HAPPY, now=datetime(2026, 1, 3, 9, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 1, 4, 19, 0, tzinfo=UTC), tick=False):
        assert services.send_due_reminders() == 0
    assert mail.outbox == []


@pytest.mark.parametrize("hour", ["24", "-1", "x"])
def test_an_impossible_hour_is_refused(alex, hour):
    response = client_for(alex).post(
        reverse("checkins:reminder"),
        {"weekday": "6", "hour": hour, "time_zone": "UTC"},
    )
    assert response.status_code == 200
    assert not Reminder.objects.exists()


def test_series_for_many_people_is_one_query(alex, sam, casey, django_assert_num_queries):
    weekly(alex, [HAPPY, LOW])
    weekly(sam, [LOW])
    with django_assert_num_queries(1):
        found = services.series_for([alex.pk, sam.pk, casey.pk])
    assert [len(found[p.pk]) for p in (alex, sam, casey)] == [2, 1, 0]


def test_a_reliable_drop_raises_the_support_level_shown_on_the_report(alex):
    report = reverse("reports:report")
    assert "Since this report" not in text_of(client_for(alex).get(report))
    weekly(alex, [HAPPY, HAPPY, LOW])
    with time_machine.travel(datetime(2026, 9, 21, 20, tzinfo=UTC), tick=False):
        page = text_of(client_for(alex).get(report))
    assert "Since this report: your weekly check-ins" in page
    assert "Some patterns here are hard to shift alone" in page  # consider_support's words


def test_a_reminder_already_claimed_by_another_run_is_not_sent_twice(alex):
    services.save_reminder(alex, enabled=True, weekday=6, hour=19, time_zone="UTC")
    moment = datetime(2026, 1, 4, 19, 0, tzinfo=UTC)
    # Another run of the job claimed it a moment ago, after this run read the rows.
    Reminder.objects.filter(user=alex).update(last_sent=moment)
    with time_machine.travel(moment, tick=False):
        assert services.send_due_reminders() == 0
    assert mail.outbox == []


def test_a_mail_failure_is_logged_and_the_others_still_get_theirs(alex, sam, monkeypatch, caplog):
    from attunement.web.accounts import emails

    services.save_reminder(alex, enabled=True, weekday=6, hour=19, time_zone="UTC")
    services.save_reminder(sam, enabled=True, weekday=6, hour=19, time_zone="UTC")
    real = emails.send_checkin_reminder

    def flaky(to: str) -> None:
        if to == "alex@example.org":
            raise ConnectionRefusedError("mail server down")
        real(to)

    monkeypatch.setattr(emails, "send_checkin_reminder", flaky)
    with time_machine.travel(datetime(2026, 1, 4, 19, 0, tzinfo=UTC), tick=False):
        assert services.send_due_reminders() == 1
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert "could not send a check-in reminder" in caplog.text


def test_a_missing_page_keeps_the_quick_exit(alex):
    for client in (client_for(None), client_for(alex)):
        response = client.get("/practice/draft/999999/")
        page = response.content.decode()
        assert response.status_code in (302, 404)
        if response.status_code == 404:
            assert 'id="quick-exit"' in page and "Not found" in page


# One check-in per person per week


def test_a_second_check_in_in_the_same_week_replaces_the_first_and_says_so(alex, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False)
    client = client_for(alex)
    client.post(reverse("checkins:take"), HAPPY)
    time_machine.move_to(datetime(2026, 3, 5, 9, tzinfo=UTC), tick=False)
    client = client_for(alex)  # signed in again: the first session has timed out
    form = client.get(reverse("checkins:take")).content.decode()
    assert "You already checked in this week, on Monday 2 March" in form
    response = client.post(reverse("checkins:take"), {**HAPPY, "1": "1"}, follow=True)
    assert "replaces the one you gave earlier this week" in response.content.decode()
    kept = CheckIn.objects.get(owner=alex)
    assert (str(kept.day), kept.answers["1"]) == ("2026-03-05", 1)


def test_a_check_in_a_week_later_is_kept_beside_the_first(alex, time_machine):
    time_machine.move_to(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False)
    client = client_for(alex)
    client.post(reverse("checkins:take"), HAPPY)
    time_machine.move_to(datetime(2026, 3, 9, 9, tzinfo=UTC), tick=False)
    client = client_for(alex)
    assert "You already checked in" not in client.get(reverse("checkins:take")).content.decode()
    response = client.post(reverse("checkins:take"), HAPPY, follow=True)
    assert "replaces the one you gave" not in response.content.decode()
    assert CheckIn.objects.filter(owner=alex).count() == 2


def test_replacing_a_check_in_leaves_the_partners_alone(alex, sam):
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    services.take(sam, HAPPY, now=start)
    services.take(alex, HAPPY, now=start)
    services.take(alex, HAPPY, now=start + timedelta(days=1))
    assert CheckIn.objects.filter(owner=sam).count() == 1
    assert CheckIn.objects.filter(owner=alex).count() == 1
