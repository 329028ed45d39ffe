"""Safety: a yes to a partner-violence question leads, privately, to help."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from attunement.web.accounts.models import User

from .conftest import (
    PASSWORD,
    assert_leaves_for,
    assert_quick_exit_comes_first,
    go,
    press_shift_three_times,
)


def test_a_yes_to_a_hark_question_opens_the_private_help_page(
    new_context, site, neutral_site, outside, axe, screenshot
):
    User.objects.create_user("casey@example.org", PASSWORD, display_name="Casey")
    page = new_context().new_page()
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill("casey@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    go(page, "Check")
    page.get_by_role("link", name="Start the Connection Check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Safety questions")
    for fieldset in page.locator("fieldset[id^='q-']").all():
        afraid = fieldset.get_attribute("id") == "q-A"
        fieldset.get_by_label("Yes" if afraid else "No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page).to_have_url(re.compile(r"/check/help/$"))
    expect(page).to_have_title(re.compile(r"^Support ·"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are not alone")
    expect(page.get_by_text("This page is only for you.")).to_be_visible()
    expect(page.get_by_role("heading", name="Making a safety plan")).to_be_visible()
    axe(page, "Casey: help page")
    assert_quick_exit_comes_first(page)
    screenshot(page, "casey-desktop-help")

    # Leaving from the help page itself, as its own text explains.
    assert_leaves_for(page, neutral_site, outside, lambda: press_shift_three_times(page))
