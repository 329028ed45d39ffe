"""Alex (on a phone) and Sam (on a laptop), from the landing page to their couple report."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from .conftest import PASSWORD, PHONE, assert_quick_exit_comes_first, go, link_in, sign_out

Check = Callable[[Page, str], None]
Answers = dict[tuple[str, str], str]

# What a calm, middling answer looks like on each response scale of the battery.
NEUTRAL = (
    "No",
    "A little unhappy",
    "Somewhat true",
    "Somewhat",
    "Neither agree nor disagree",
    "5 – Neither likely nor unlikely",
    "Some of the time",
    "Sometimes",
)
LIKELY, UNLIKELY = "9 – Very likely", "1 – Very unlikely"

# Alex presses for a talk while Sam withdraws, and worries about Sam's care.
ALEX: Answers = {
    **{("cpq_sf", item): LIKELY for item in ("A3a", "B7a", "B8a")},
    **{("cpq_sf", item): UNLIKELY for item in ("A3b", "B7b", "B8b")},
    **{("ecr_rs", item): "Agree" for item in ("1", "2", "3", "4", "7", "8", "9")},
    ("connection", "S3"): "Often",
    ("connection", "E1"): "Often",
}
# Sam steps back while Alex presses, and keeps feelings to Sam's self.
SAM: Answers = {
    **{("cpq_sf", item): UNLIKELY for item in ("A3a", "B7a", "B8a")},
    **{("cpq_sf", item): LIKELY for item in ("A3b", "B7b", "B8b")},
    **{("ecr_rs", item): "Disagree" for item in ("1", "2", "3", "4", "7", "8", "9")},
    **{("ecr_rs", item): "Agree" for item in ("5", "6")},
    ("connection", "E5"): "Often",
    ("connection", "F2"): "Often",
}
INVITED_BY_ALEX = "Alex would like to try Attunement with you"
SHAREABLE = 5  # the core battery answered, never the two safety screens
QUESTION_PAGE = re.compile(r"/check/(?P<instrument>[a-z0-9_]+)/(?P<number>\d+)/$")


def look(page: Page, name: str, axe: Check) -> None:
    """Every page visited: axe finds nothing serious, and the quick exit is first for Tab."""
    axe(page, name)
    assert_quick_exit_comes_first(page)


def sign_up(
    page: Page, name: str, email: str, mailbox: list, axe: Check, lands_on: str = ""
) -> None:
    """From a page with a "Create an account" link, through the emailed link, back where it began.

    That is home, or the page the person started from (`lands_on`, its heading), such as
    an invitation.
    """
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    look(page, f"{name}: sign-up", axe)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/sent/$"))
    look(page, f"{name}: sign-up sent", axe)

    sent = [m for m in mailbox if m.to == [email]]
    assert len(sent) == 1
    page.goto(link_in(sent[0]))
    look(page, f"{name}: sign-up confirm", axe)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lands_on or f"Hello, {name}")
    look(page, f"{name}: after sign-up", axe)


def answer_the_check(page: Page, name: str, answers: Answers, axe: Check, shot) -> None:
    """Every page of the core battery, choosing each answer by its label."""
    go(page, "Check")
    look(page, f"{name}: check overview", axe)
    page.get_by_role("link", name="Start the Connection Check").click()

    first = answer_pages(page, name, answers, axe, shot)
    assert first == ["hark", "asq", "csi4", "ecr_rs", "cpq_sf"], "the safety questions come first"
    # A first result after the core questions, in plain words, and a way on.
    expect(page).to_have_url(re.compile(r"/check/results/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first result")
    expect(page.get_by_role("heading", name="What already works")).to_be_visible()
    look(page, f"{name}: first result", axe)
    shot(page, "first-result")
    page.get_by_role("link", name="Continue with the next questions").click()

    assert answer_pages(page, name, answers, axe, shot) == ["ucla3", "connection"]
    expect(page).to_have_url(re.compile(r"/check/results/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    look(page, f"{name}: results", axe)
    shot(page, "results")


def answer_pages(page: Page, name: str, answers: Answers, axe: Check, shot) -> list[str]:
    """Answer question pages, each answer chosen by its label, until a page is not one."""
    instruments: list[str] = []
    while match := QUESTION_PAGE.search(page.url):
        instrument = match["instrument"]
        if instrument not in instruments:
            instruments.append(instrument)
            look(page, f"{name}: {instrument} page 1", axe)
        for fieldset in page.locator("fieldset[id^='q-']").all():
            item = (fieldset.get_attribute("id") or "")[2:]
            labels = [text.strip() for text in fieldset.locator("label").all_inner_texts()]
            label = answers.get((instrument, item)) or next(n for n in NEUTRAL if n in labels)
            fieldset.get_by_label(label, exact=True).check()
        if instrument == "cpq_sf" and match["number"] == "1":
            shot(page, "question")
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()
        assert len(instruments) <= 7, "the Check went on past the core battery"
    return instruments


def share_everything(page: Page, name: str, partner: str, axe: Check, shot) -> None:
    go(page, "Home")
    page.get_by_role("link", name="What you share").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What you share with {partner}")
    look(page, f"{name}: sharing", axe)
    choices = page.get_by_role("group", name="Share the scale scores of")
    titles = " ".join(choices.locator("label").all_inner_texts())
    assert "HARK" not in titles and "Suicide" not in titles, "safety screens are never shared"
    boxes = choices.get_by_role("checkbox")
    assert boxes.count() == SHAREABLE, "only the questionnaires answered are offered"
    page.get_by_role("button", name="Share what the couple report needs").click()
    expect(page.get_by_role("status")).to_contain_text("Your sharing choices are saved.")
    for box in boxes.all():
        expect(box).to_be_checked()
    shot(page, "sharing")


def read_the_report(page: Page, name: str, axe: Check, shot) -> None:
    go(page, "Report")
    expect(page.get_by_role("heading", name="Your report on one page")).to_be_visible()
    cycle = page.locator(".finding-pursue_withdraw")
    expect(cycle).to_contain_text("Alex tends to reach out")
    expect(cycle).to_contain_text("Sam tends to go quiet")
    look(page, f"{name}: report", axe)
    shot(page, "report")


def test_alex_and_sam_sign_up_pair_answer_share_and_see_their_cycle_named(
    new_context, site, mailoutbox, axe, screenshot
):
    alex = new_context(**PHONE).new_page()
    sam = new_context().new_page()

    def shot_for(who: str) -> Callable[[Page, str], object]:
        return lambda page, what: screenshot(page, f"{who}-{what}")

    # Alex, alone at 11 pm, on a phone.
    alex.goto(site)
    expect(alex.get_by_role("heading", level=1)).to_have_text("Feel close again")
    look(alex, "landing", axe)
    sign_up(alex, "Alex", "alex@example.org", mailoutbox, axe)

    go(alex, "Partner")
    look(alex, "Alex: partner, unpaired", axe)
    alex.get_by_role("button", name="Create an invitation link").click()
    expect(alex.get_by_label("Invitation link")).to_be_visible()
    look(alex, "Alex: invitation created", axe)
    invitation = alex.get_by_label("Invitation link").input_value()
    assert invitation.startswith(site + "/couple/join/")
    sign_out(alex)
    expect(alex.get_by_role("heading", level=1)).to_have_text("Feel close again")

    # Sam opens the invitation before having an account, creates one, and comes back to it.
    sam.goto(invitation)
    expect(sam.get_by_role("heading", level=1)).to_have_text(INVITED_BY_ALEX)
    look(sam, "Sam: invitation, signed out", axe)
    # Back on the invitation at once (`sign_up` has looked at it), never on a page asking to invite.
    sign_up(sam, "Sam", "sam@example.org", mailoutbox, axe, lands_on=INVITED_BY_ALEX)
    sam.get_by_role("button", name="Accept and pair with Alex").click()
    expect(sam.get_by_role("status")).to_contain_text("You're paired with Alex.")
    look(sam, "Sam: partner, paired", axe)

    # Alex comes back later and signs in.
    alex.get_by_role("main").get_by_role("link", name="Sign in").click()
    expect(alex.get_by_label("Password")).to_be_visible()
    look(alex, "login", axe)
    alex.get_by_label("Email address").fill("alex@example.org")
    alex.get_by_label("Password").fill(PASSWORD)
    alex.get_by_role("button", name="Sign in").click()
    expect(alex.get_by_text("You and Sam are paired.")).to_be_visible()

    answer_the_check(alex, "Alex", ALEX, axe, shot_for("alex-phone"))
    answer_the_check(sam, "Sam", SAM, axe, shot_for("sam-desktop"))
    share_everything(alex, "Alex", "Sam", axe, shot_for("alex-phone"))
    share_everything(sam, "Sam", "Alex", axe, shot_for("sam-desktop"))

    read_the_report(alex, "Alex", axe, shot_for("alex-phone"))
    read_the_report(sam, "Sam", axe, shot_for("sam-desktop"))

    for page, who, partner in ((alex, "alex-phone", "Sam"), (sam, "sam-desktop", "Alex")):
        go(page, "Home")
        expect(page.get_by_text("You have answered every question.")).to_be_visible()
        expect(
            page.get_by_text(f"{partner} shares scores from {SHAREABLE} questionnaires")
        ).to_be_visible()
        screenshot(page, f"{who}-home")
