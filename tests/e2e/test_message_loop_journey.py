"""Journey: Sam sees "Something from your partner", replies with the listener's guide, says so.

Alex sent a feedback-wheel message. Sam, on a phone and asking for emails, gets one
neutral email, opens home, follows the card, replies in three small steps and lets
Alex know it was read. Alex sees the reply, and that Sam read it, and nothing more.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from attunement.web.practices import services as practices

from .conftest import PHONE, go, paired_couple, sign_in

MESSAGE = "When you looked at your phone while I talked, I felt lonely. Could we talk after dinner?"


def test_sam_is_told_neutrally_replies_with_the_guide_and_alex_learns_only_what_sam_chose(
    new_context, site, mailoutbox, look, screenshot
):
    alex_user, _sam = paired_couple()
    alex = new_context().new_page()
    sam = new_context(**PHONE).new_page()

    sign_in(sam, site, "sam@example.org")
    go(sam, "Account")
    sam.get_by_label("Email me when my partner sends me something").check()
    sam.get_by_role("button", name="Save email choice").click()
    expect(sam.get_by_role("status")).to_contain_text("Your email choice is saved.")

    draft = practices.keep(practices.start(alex_user, "feedback_wheel"), MESSAGE)
    practices.send(alex_user, draft.pk)
    (email,) = [m for m in mailoutbox if m.to == ["sam@example.org"]]
    assert "partner" not in email.body.lower() and "lonely" not in email.body

    go(sam, "Home")
    card = sam.get_by_role("region", name="Something from your partner")
    expect(card).to_be_visible()
    expect(card).not_to_contain_text("lonely")
    look(sam, "Sam: home with something new")
    screenshot(sam, "sam-phone-home-something-new")
    card.get_by_role("link", name="Open it").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("From Alex")
    expect(sam.get_by_text(MESSAGE)).to_be_visible()
    look(sam, "Sam: from Alex")

    sam.get_by_role("link", name="Reply, with the listener's guide").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Reply to Alex")
    look(sam, "Sam: reply")
    sam.get_by_label(re.compile("^Acknowledge")).fill("Thank you for telling me.")
    sam.get_by_label(re.compile("^Reflect")).fill("What I hear is that you felt alone.")
    sam.get_by_label(re.compile("^Ask")).fill("Did I get that right?")
    screenshot(sam, "sam-phone-reply")
    sam.get_by_role("button", name="Send my reply to Alex").click()
    expect(sam.get_by_role("status")).to_contain_text("Your reply is sent.")
    sam.get_by_role("button", name="Let Alex know I've read it").click()
    expect(sam.get_by_role("status")).to_contain_text("Alex can now see that you have read it.")
    go(sam, "Home")
    expect(sam.get_by_role("region", name="Something from your partner")).to_have_count(0)

    sign_in(alex, site, "alex@example.org")
    expect(alex.get_by_role("region", name="Something from your partner")).to_be_visible()
    alex.goto(site + "/practice/received/")
    expect(alex.get_by_text("What I hear is that you felt alone.")).to_be_visible()
    look(alex, "Alex: Sam's reply")
    screenshot(alex, "alex-reply-received")
    alex.goto(site + draft.get_absolute_url())
    expect(alex.get_by_text("Sam let you know they have read it")).to_be_visible()
