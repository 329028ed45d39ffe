"""Journey 6: Riley, a therapist, with a second factor; Alex and Sam each decide what Riley sees.

Riley signs in with a password and a code from an authenticator app (computed here
from the key the set-up page shows), invites Alex and Sam, and sees exactly what
each granted on the caseload, the case page and the session summary, which also
downloads as a PDF. Sam withdraws: Sam's data is gone from Riley's next page.
Alex withdraws too: Riley's next request for the case is refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from attunement import totp
from attunement.web.accounts.models import User
from attunement.web.couples.models import Couple, Membership
from attunement.web.therapists import services
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers
from web.therapist_world import some_practice, weekly_checkins

from .conftest import PASSWORD, PHONE, assert_quick_exit_comes_first, go, sign_in, sign_out

Check = Callable[[Page, str], None]
REPORT = "Couple report: my scale scores and the report built from them"
TRENDS = "Check-in trends: my weekly check-in scores and their flags"
PRACTICE = "Practice activity: which practices I did and when"


def people() -> tuple[User, User]:
    """Alex and Sam: paired, the Check answered, weeks of check-ins, some practice."""
    alex = User.objects.create_user("alex@example.org", PASSWORD, display_name="Alex")
    sam = User.objects.create_user("sam@example.org", PASSWORD, display_name="Sam")
    couple = Couple.objects.create()
    Membership.objects.bulk_create(
        [Membership(couple=couple, user=alex), Membership(couple=couple, user=sam)]
    )
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    weekly_checkins(alex, [16, 15, 14, 12, 11, 10])
    weekly_checkins(sam, [14, 13, 13, 12])
    some_practice(alex)
    some_practice(sam)
    return alex, sam


def join(page: Page, link: str, ticks: list[str], name: str, look: Check) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Riley invites you to share your progress"
    )
    look(page, f"{name}: therapist's invitation")
    choices = page.get_by_role("group", name="What you allow")
    for box in choices.get_by_role("checkbox").all():
        assert not box.is_checked(), "nothing is shared unless ticked"
    for label in ticks:
        choices.get_by_label(label).check()
    page.get_by_role("button", name="Join and share what I ticked with Riley").click()
    expect(page.get_by_role("status")).to_contain_text("You joined Riley's workspace.")
    look(page, f"{name}: consent page")


def test_riley_signs_in_with_a_second_factor_and_sees_only_what_each_partner_granted(
    new_context, site, axe, screenshot, tmp_path: Path
):
    alex_user, sam_user = people()
    riley_user = User.objects.create_user("riley@example.org", PASSWORD, display_name="Riley")
    services.make_therapist(riley_user)
    riley = new_context().new_page()
    alex = new_context(**PHONE).new_page()
    sam = new_context().new_page()

    def look(page: Page, name: str) -> None:
        axe(page, name)
        assert_quick_exit_comes_first(page)

    # Riley's first visit: the workspace asks for an authenticator app before anything else.
    sign_in(riley, site, "riley@example.org")
    riley.goto(site + "/therapist/")
    expect(riley).to_have_url(re.compile(r"/therapist/setup/$"))
    expect(riley.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    look(riley, "Riley: set up the second factor")
    secret = riley.locator(".totp-secret").inner_text()
    riley.get_by_label("6-digit code from your authenticator app").fill("000000")
    riley.get_by_role("button", name="Finish setting up").click()
    expect(riley.get_by_text("That code did not match")).to_be_visible()
    riley.get_by_label("6-digit code from your authenticator app").fill(
        totp.code_at(secret, time.time())
    )
    riley.get_by_role("button", name="Finish setting up").click()
    # Ten backup codes, shown this once; then on to the workspace.
    expect(riley.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(riley.locator(".backup-codes li")).to_have_count(10)
    look(riley, "Riley: backup codes")
    screenshot(riley, "therapist-backup-codes")
    riley.get_by_role("link", name="I have kept them: go to the caseload").click()
    expect(riley.get_by_role("heading", level=1)).to_have_text("Your caseload")

    # Signing in again: password, then a new code (the one used at set-up works only once).
    sign_out(riley)
    sign_in(riley, site, "riley@example.org")
    riley.goto(site + "/therapist/")
    expect(riley).to_have_url(re.compile(r"/therapist/verify/\?next="))
    look(riley, "Riley: second factor")
    riley.get_by_label("6-digit code from your authenticator app").fill(
        totp.code_at(secret, time.time() + totp.STEP_SECONDS)
    )
    riley.get_by_role("button", name="Continue").click()
    expect(riley.get_by_role("heading", level=1)).to_have_text("Your caseload")
    look(riley, "Riley: empty caseload")

    # Riley invites the couple.
    riley.get_by_role("link", name="Invite a couple or a client").click()
    expect(riley.get_by_label("Your name for this case")).to_be_visible()
    look(riley, "Riley: new case")
    riley.get_by_label("Your name for this case").fill("A. and S.")
    riley.get_by_label("A couple").check()
    riley.get_by_role("button", name="Make the invitation link").click()
    expect(riley.get_by_label("Invitation link")).to_be_visible()
    look(riley, "Riley: invitation link")
    link = riley.get_by_label("Invitation link").input_value()
    assert link.startswith(site + "/therapist/join/")

    # Each partner decides separately.
    sign_in(alex, site, "alex@example.org")
    join(alex, link, [REPORT, TRENDS, PRACTICE], "Alex", look)
    sign_in(sam, site, "sam@example.org")
    join(sam, link, [TRENDS], "Sam", look)

    # The caseload: both trajectories, the support level, who is not on track.
    go(riley, "Caseload")
    case = riley.get_by_role("article").filter(has_text="A. and S.")
    expect(case.locator("svg.chart-spark")).to_have_count(2)
    expect(case).to_contain_text("Professional support recommended")
    expect(case).to_contain_text("Practice: not shared")
    look(riley, "Riley: caseload")
    screenshot(riley, "therapist-caseload")

    # The case page: everything of Alex's, only Sam's check-ins.
    case.get_by_role("link", name="A. and S.", exact=True).click()
    expect(riley.get_by_role("heading", level=1)).to_have_text("A. and S.")
    sams = riley.locator(f'[data-person="{sam_user.pk}"][data-scope]')
    expect(sams).to_have_count(1)
    expect(sams).to_have_attribute("data-scope", "checkin_trends")
    expect(riley.locator(f'[data-person="{alex_user.pk}"][data-scope]')).to_have_count(3)
    expect(riley.get_by_text("Sam: not shared.")).to_have_count(2)
    expect(riley.get_by_role("heading", name="Alex: your Attunement report")).to_be_visible()
    for private in ("Private title", "Private body", "private note", "private words"):
        expect(riley.get_by_text(private)).to_have_count(0)
    look(riley, "Riley: case")
    screenshot(riley, "therapist-case")

    # The session summary, on screen and as a PDF.
    riley.get_by_role("link", name="Session summary", exact=True).click()
    expect(riley.get_by_role("heading", level=1)).to_have_text("Session summary: A. and S.")
    expect(riley.get_by_role("heading", name="What to explore")).to_be_visible()
    look(riley, "Riley: session summary")
    screenshot(riley, "therapist-summary")
    with riley.expect_download() as download:
        riley.get_by_role("link", name="Download as PDF").click()
    saved = tmp_path / "summary.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    # Alex sees every read on his consent page.
    alex.reload()
    reads = alex.get_by_role("table")
    expect(reads).to_contain_text("session summary as PDF")
    expect(reads).to_contain_text("case page")
    look(alex, "Alex: consent page with reads")

    # Sam withdraws: from Riley's next page on, nothing of Sam's.
    sam.goto(site + "/therapist/consent/")
    sam.get_by_role("link", name="Stop sharing with Riley…").click()
    expect(sam.get_by_role("button", name="Stop sharing")).to_be_visible()
    look(sam, "Sam: stop sharing?")
    sam.get_by_role("button", name="Stop sharing").click()
    expect(sam.get_by_role("status")).to_contain_text("Riley can no longer see anything of yours.")
    look(sam, "Sam: consent page after withdrawing")
    riley.get_by_role("link", name="Back to the case").click()
    expect(riley.locator(f'[data-person="{sam_user.pk}"]')).to_have_count(0)
    expect(riley.locator(f'[data-person="{alex_user.pk}"][data-scope]')).to_have_count(3)

    # Alex withdraws too: Riley's next request for the case is refused.
    alex.get_by_role("link", name="Stop sharing with Riley…").click()
    alex.get_by_role("button", name="Stop sharing").click()
    response = riley.reload()
    assert response is not None and response.status == 404
    riley.goto(site + "/therapist/")
    expect(riley.get_by_role("article")).to_have_count(0)
    look(riley, "Riley: caseload after both withdrew")
