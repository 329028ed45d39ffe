"""Sam, on a phone, opens the invitation with no account yet and ends up paired, no hunting."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from attunement.web.accounts.models import User
from attunement.web.couples import services

from .conftest import PASSWORD, PHONE, link_in
from .test_couple_journey import INVITED_BY_ALEX, look, sign_up


def test_sam_signs_up_from_the_invitation_and_comes_straight_back_to_accept_it(
    new_context, site, mailoutbox, axe, screenshot
):
    alex = User.objects.create_user("alex@example.org", PASSWORD, display_name="Alex")
    _, token = services.invite(alex)
    sam = new_context(**PHONE).new_page()

    sam.goto(site + services.invitation_path(token))
    expect(sam.get_by_role("heading", level=1)).to_have_text(INVITED_BY_ALEX)
    expect(sam.get_by_text("you come straight back to this invitation")).to_be_visible()
    look(sam, "Sam: invitation, no account", axe)

    sign_up(sam, "Sam", "sam@example.org", mailoutbox, axe, lands_on=INVITED_BY_ALEX)
    assert token not in sam.url, "the page Sam returns to is reached by a signed reference"
    assert token not in link_in(mailoutbox[-1])
    screenshot(sam, "sam-phone-invitation-after-sign-up")

    sam.get_by_role("button", name="Accept and pair with Alex").click()
    expect(sam.get_by_role("status")).to_contain_text("You're paired with Alex.")
    expect(sam).to_have_url(re.compile(r"/couple/$"))
    screenshot(sam, "sam-phone-paired")
    assert services.partner_of(alex) == User.objects.get(email="sam@example.org")
