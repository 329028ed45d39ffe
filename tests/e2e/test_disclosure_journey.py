"""Journey: Sam discloses being afraid of Alex, uses the private controls, and is asked again.

Sam, on a phone: a yes to a safety question, then two clicks on the private help
page (stop sharing everything, pause messages from Alex). Sam's home stays
ordinary to a glance, the feedback wheel cautions instead of offering to send, and
a month later (the records are moved back in time) the safety questions come
back, privately, with the choice of what happens after clear answers.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from attunement.web.assessments.models import Answer, Screening
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal
from attunement.web.practices import services as practices

from .conftest import PHONE, paired_couple, sign_in


def answer_every_question(page: Page, yes: set[str] = frozenset()) -> None:
    for fieldset in page.locator("fieldset[id^='q-']").all():
        item = (fieldset.get_attribute("id") or "").removeprefix("q-")
        fieldset.get_by_label("Yes" if item in yes else "No", exact=True).check()


def a_month_passes(person) -> None:
    """Move Sam's screen records back five weeks, as if a month had gone by."""
    earlier = timezone.now() - timedelta(weeks=5)
    Screening.objects.filter(owner=person).update(taken=earlier)
    Answer.objects.filter(owner=person, instrument__in=["hark", "asq"]).update(updated=earlier)


def test_sam_discloses_uses_the_controls_in_two_clicks_and_is_asked_again_a_month_later(
    new_context, site, look, screenshot
):
    alex, sam_user = paired_couple()
    couples.set_sharing(sam_user, ["checkin"])
    entry = journal.write(sam_user, prompt="", title="Tuesday", body="I went quiet again.")
    journal.share(sam_user, entry.pk)
    sent = practices.keep(practices.start(alex, "feedback_wheel"), "I miss our evenings.")
    practices.send(alex, sent.pk)

    sam = new_context(**PHONE).new_page()
    sign_in(sam, site, "sam@example.org")
    sam.goto(site + "/check/")
    sam.get_by_role("link", name="Start the Connection Check").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Safety questions")
    answer_every_question(sam, yes={"A"})
    sam.get_by_role("button", name="Save and continue").click()
    expect(sam).to_have_url(re.compile(r"/check/help/$"))

    # Two clicks, both on the private help page, each coming back to it.
    controls = sam.get_by_role("region", name="Two things you can do right now")
    expect(controls).to_be_visible()
    look(sam, "Sam: help page with controls")
    screenshot(sam, "disclosure-help-controls")
    controls.get_by_role("button", name="Stop sharing everything").click()
    expect(sam.get_by_text("Your partner no longer sees anything of yours.")).to_be_visible()
    expect(sam).to_have_url(re.compile(r"/check/help/$"))
    sam.get_by_role("button", name="Pause messages from my partner").click()
    expect(
        sam.get_by_text("Messages from your partner are paused until you resume.")
    ).to_be_visible()
    expect(sam.get_by_role("button", name="Resume messages from my partner")).to_be_visible()
    screenshot(sam, "disclosure-help-after-controls")
    assert couples.shared_instruments(sam_user) == []
    assert not journal.shared_with(alex)
    assert practices.received(sam_user) == []
    # Alex's message went through as usual; Sam just does not see it for now.
    sent.refresh_from_db()
    assert practices.is_sent(sent, couples.active_couple(alex))

    # The home page is ordinary to a glance.
    sam.goto(site + "/")
    expect(sam.get_by_role("heading", name="Saved for you")).to_be_visible()
    main = sam.locator("main").inner_text().lower()
    assert "help" not in main and "safety" not in main
    look(sam, "Sam: discreet home")
    screenshot(sam, "disclosure-home")

    # The feedback wheel: the caution and the safety plan first, no sending.
    sam.goto(site + "/practice/flow/feedback_wheel/")
    caution = sam.get_by_role("region", name="Your safety first")
    expect(caution).to_contain_text("can make things more dangerous")
    expect(caution.get_by_role("heading", name="Making a safety plan")).to_be_visible()
    look(sam, "Sam: feedback wheel with caution")
    screenshot(sam, "disclosure-wheel-caution")
    sam.goto(site + "/practice/received/")
    expect(sam.get_by_text("You have paused messages from your partner.")).to_be_visible()
    expect(sam.get_by_text("I miss our evenings.")).to_have_count(0)

    # A month later, the questions come back, on Sam's own pages only.
    a_month_passes(sam_user)
    sam.goto(site + "/")
    again = sam.get_by_role("region", name="A few questions for you")
    expect(again).to_be_visible()
    screenshot(sam, "disclosure-home-month-later")
    again.get_by_role("link", name="Answer them").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("A few questions, once more")
    look(sam, "Sam: re-screen")
    answer_every_question(sam)
    sam.get_by_role("button", name="Save").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("Thank you for answering again")
    look(sam, "Sam: choice after clear answers")
    screenshot(sam, "disclosure-resume-choice")
    sam.get_by_role("link", name="Keep things as they are").click()
    expect(sam.get_by_role("heading", name="Saved for you")).to_be_visible()

    # Alex, meanwhile: an ordinary home, where Sam simply shares nothing.
    alexs = new_context().new_page()
    sign_in(alexs, site, "alex@example.org")
    expect(alexs.get_by_text("Sam has not shared any scores with you yet.")).to_be_visible()
    page_text = alexs.locator("main").inner_text().lower()
    assert "paus" not in page_text and "safety" not in page_text
    screenshot(alexs, "disclosure-alex-home")
