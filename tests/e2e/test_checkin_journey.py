"""Journey: Alex checks in for a few weeks, sees the trend beside Sam's, and sets a reminder."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from attunement.web.checkins import services
from attunement.web.couples import services as couples

from .conftest import PHONE, go, paired_couple, sign_in

STEADY = {"1": 4, "2": 4, "3": 3, "4": 4, "W1": 3, "W2": 2, "W3": 3}
LOWER = {"1": 2, "2": 2, "3": 2, "4": 2, "W1": 1, "W2": 1, "W3": 1}


def test_alex_checks_in_sees_both_trends_and_sets_a_reminder(new_context, site, look, screenshot):
    alex_user, sam_user = paired_couple()
    start = datetime.now(UTC) - timedelta(weeks=4)
    for week in range(4):
        services.take(alex_user, STEADY, now=start + timedelta(weeks=week))
        services.take(sam_user, STEADY if week < 2 else LOWER, now=start + timedelta(weeks=week))
    couples.set_sharing(sam_user, ["checkin"])

    alex = new_context(**PHONE).new_page()

    sign_in(alex, site, "alex@example.org")
    go(alex, "Check-in")
    expect(alex.get_by_role("heading", name="Your trend and your partner's")).to_be_visible()
    look(alex, "Alex: check-in, trends")
    alex.get_by_role("link", name="Check in now").click()
    expect(alex).to_have_url(re.compile(r"/checkin/take/$"))
    look(alex, "Alex: check-in, questions")
    alex.get_by_role("button", name="Save my check-in").click()
    expect(alex.get_by_role("alert")).to_contain_text("Your check-in was not saved yet")
    look(alex, "Alex: check-in, errors")
    for item, value in STEADY.items():
        alex.locator(f'input[name="{item}"][value="{value}"]').check()
    alex.get_by_role("button", name="Save my check-in").click()
    expect(alex.get_by_role("status").first).to_contain_text("Your check-in is saved")
    expect(alex.locator("svg.trend, svg[id^=checkin-trend]").first).to_be_visible()
    alex.get_by_text("The same data as a table").click()
    expect(alex.locator("table.trend-table")).to_contain_text("Sam")
    screenshot(alex, "checkin-trends-phone")

    alex.get_by_role("link", name="Change").click()
    expect(alex).to_have_url(re.compile(r"/checkin/reminder/$"))
    look(alex, "Alex: reminder")
    alex.get_by_label("Email me a weekly reminder").check()
    alex.get_by_label("Day:", exact=True).select_option("6")
    alex.get_by_label("Time:", exact=True).select_option("19")
    alex.get_by_label("Your time zone:").select_option("Europe/Paris")
    alex.get_by_role("button", name="Save").click()
    expect(
        alex.get_by_text("A reminder is emailed every Sunday at 19:00 (Europe/Paris).")
    ).to_be_visible()
    assert services.reminder_for(alex_user).enabled
