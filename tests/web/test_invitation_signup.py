"""An invitation survives sign-up, email confirmation and sign-in, without its token being kept."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.core import mail
from django.test import Client
from django.utils import timezone

from attunement.web.accounts.models import PendingSignup, User
from attunement.web.couples import services
from web.conftest import PASSWORD, client_for
from web.test_couples import everything_stored, is_paired, join_url

SIGNUP = {
    "email": "sam.new@example.org",
    "display_name": "Sam",
    "password": "a quiet walk by the river",
}
EMAILED = re.compile(r"http://\S+?(/accounts/\S+/)")


def link_named(content: str, words: str) -> str:
    """The address of the page's link whose text is `words` and that carries a `next`."""
    found = re.findall(r'href="([^"]+\?next=[^"]+)"[^>]*>\s*' + re.escape(words) + r"\s*<", content)
    assert len(found) == 1, (words, found)
    return str(found[0]).replace("&amp;", "&")


def next_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["next"][0]


def test_the_invitee_goes_from_the_link_through_sign_up_to_the_invitation_and_pairs(alex):
    _, token = services.invite(alex)
    browser = Client()
    landing = browser.get(join_url(token)).content.decode()
    signup_url = link_named(landing, "Create an account")

    page = browser.get(signup_url).content.decode()
    assert "come straight back" in page
    sent = browser.post(signup_url, {**SIGNUP, "next": next_of(signup_url)})
    assert sent["Location"] == "/accounts/signup/sent/"

    (email,) = mail.outbox
    confirm = EMAILED.search(str(email.body))
    assert confirm is not None
    assert "couple" not in str(email.body).lower() and "invit" not in str(email.body).lower()
    confirmed = browser.post(confirm.group(1))
    invitation_page = confirmed["Location"]
    assert invitation_page.startswith("/couple/join/")

    content = browser.get(invitation_page).content.decode()
    assert "Accept and pair with Alex" in content
    assert "Invite your partner" not in content
    browser.post(invitation_page)
    assert is_paired(alex, User.objects.get(email=SIGNUP["email"]))


def test_the_confirmation_link_opened_in_another_browser_still_leads_to_the_invitation(alex):
    _, token = services.invite(alex)
    signup_url = link_named(Client().get(join_url(token)).content.decode(), "Create an account")
    Client().post("/accounts/signup/", {**SIGNUP, "next": next_of(signup_url)})
    confirm = EMAILED.search(str(mail.outbox[0].body))
    assert confirm is not None
    other = Client()
    assert other.post(confirm.group(1))["Location"] == next_of(signup_url)


def test_neither_the_pending_sign_up_nor_the_session_keeps_the_invitation_token(alex):
    _, token = services.invite(alex)
    browser = Client()
    signup_url = link_named(browser.get(join_url(token)).content.decode(), "Create an account")
    browser.post("/accounts/signup/", {**SIGNUP, "next": next_of(signup_url)})
    assert PendingSignup.objects.get().next == next_of(signup_url)
    assert token not in everything_stored()
    assert token not in next_of(signup_url)


def test_a_returning_invitee_signs_in_and_comes_back_to_the_invitation(alex, sam):
    _, token = services.invite(alex)
    browser = Client()
    login_url = link_named(browser.get(join_url(token)).content.decode(), "Sign in")
    signed_in = browser.post(
        login_url, {"username": sam.email, "password": PASSWORD, "next": next_of(login_url)}
    )
    assert signed_in["Location"] == next_of(login_url)
    browser.post(signed_in["Location"])
    assert is_paired(alex, sam)


def test_sign_in_and_sign_up_pass_the_invitation_on_to_each_other(alex):
    _, token = services.invite(alex)
    landing = Client().get(join_url(token)).content.decode()
    back = next_of(link_named(landing, "Sign in"))
    login_page = Client().get(link_named(landing, "Sign in")).content.decode()
    assert next_of(link_named(login_page, "Create an account")) == back
    signup_page = Client().get(link_named(landing, "Create an account")).content.decode()
    assert next_of(link_named(signup_page, "Sign in")) == back


def test_a_reference_stops_working_when_its_invitation_is_withdrawn(alex):
    invitation, _ = services.invite(alex)
    reference = services.invitation_reference_path(invitation)
    assert Client().get(reference).status_code == 200
    services.revoke(alex, invitation.pk)
    assert Client().get(reference).status_code == 404


def test_a_reference_expires_with_its_invitation(alex, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    invitation, _ = services.invite(alex)
    reference = services.invitation_reference_path(invitation)
    time_machine.shift(timedelta(hours=48, seconds=1))
    assert Client().get(reference).status_code == 404


def test_a_tampered_reference_is_answered_like_a_missing_link(alex):
    invitation, _ = services.invite(alex)
    reference = services.invitation_reference_path(invitation)
    tampered = reference[:-3] + ("A" if reference[-3] != "A" else "B") + reference[-2:]
    missing = Client().get(join_url("x" * 43))
    response = Client().get(tampered)
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_sign_up_ignores_a_next_address_on_another_site(db):
    browser = Client()
    browser.post("/accounts/signup/", {**SIGNUP, "next": "https://elsewhere.example/"})
    assert PendingSignup.objects.get().next == ""
    confirm = EMAILED.search(str(mail.outbox[0].body))
    assert confirm is not None
    assert browser.post(confirm.group(1))["Location"] == "/"


def test_a_signed_in_person_opening_sign_up_with_next_goes_there(alex, sam):
    invitation, _ = services.invite(alex)
    reference = services.invitation_reference_path(invitation)
    response = client_for(sam).get(f"/accounts/signup/?next={reference}")
    assert response["Location"] == reference
