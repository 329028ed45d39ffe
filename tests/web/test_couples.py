"""Pairing by invitation link, and unpairing, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from attunement.web.accounts.models import UserSession
from attunement.web.couples import services
from attunement.web.couples.models import Couple, Invitation, Membership, Share, hash_token
from web.conftest import PASSWORD, client_for
from web.matrix_data import normalise

LINK = re.compile(r"/couple/join/([A-Za-z0-9_-]+)/")


def join_url(token: str) -> str:
    return f"/couple/join/{token}/"


def everything_stored() -> str:
    """Every row of every table, sessions decoded, as one string to search."""
    rows: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows.extend(repr(row) for row in cursor.fetchall())
    rows.extend(repr(session.get_decoded()) for session in UserSession.objects.all())
    return "\n".join(rows)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)


def is_paired(first, second) -> bool:
    return services.partner_of(first) == second and services.partner_of(second) == first


# The partner page


def test_the_partner_page_asks_a_visitor_to_sign_in(db):
    response = client_for(None).get("/couple/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unpaired_person_sees_calmly_how_pairing_works(alex):
    response = client_for(alex).get("/couple/")
    assert response.status_code == 200
    assert b"What your partner would see" in response.content
    assert b"Never your answers to individual questions." in response.content
    assert b"Create an invitation link" in response.content


def test_a_paired_person_sees_their_partner_and_how_to_unpair(alex, sam, couple):
    response = client_for(alex).get("/couple/")
    assert b"<strong>Sam</strong>" in response.content
    assert b"/couple/sharing/" in response.content
    assert b"/couple/unpair/" in response.content
    assert b"Create an invitation link" not in response.content


def test_the_partner_page_lists_what_each_partner_shares(alex, sam, couple):
    services.set_sharing(alex, ["csi4"])
    services.set_sharing(sam, ["ucla3"])
    content = client_for(alex).get("/couple/").content.decode()
    mine, theirs = content.split("What Sam shares with you")
    assert "Couples Satisfaction Index, 4-item form" in mine
    assert "Three-item loneliness scale" in theirs


# Creating an invitation


def test_creating_an_invitation_shows_the_link_once(alex):
    client = client_for(alex)
    response = client.post("/couple/invitations/")
    assert response.status_code == 200
    token = LINK.search(response.content.decode()).group(1)
    assert f"http://testserver{join_url(token)}" in response.content.decode()
    assert token not in client.get("/couple/").content.decode()


def test_the_token_is_stored_only_as_a_hash(alex):
    response = client_for(alex).post("/couple/invitations/")
    token = LINK.search(response.content.decode()).group(1)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token)
    assert token not in everything_stored()


def test_the_suggested_message_is_an_invitation_not_a_demand(alex):
    content = client_for(alex).post("/couple/invitations/").content.decode()
    assert "if and when you want to" in content
    assert "it's completely fine to say no" in content.replace("&#x27;", "'")


def test_open_invitations_are_listed_with_a_way_to_withdraw_them(alex):
    invitation, _ = services.invite(alex)
    content = client_for(alex).get("/couple/").content.decode()
    assert f"/couple/invitations/{invitation.pk}/revoke/" in content


def test_a_paired_person_cannot_create_an_invitation(alex, couple):
    response = client_for(alex).post("/couple/invitations/")
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_creating_an_invitation_needs_a_post(alex):
    assert client_for(alex).get("/couple/invitations/").status_code == 405
    assert not Invitation.objects.exists()


def test_a_person_cannot_collect_endless_open_links(alex):
    for _ in range(services.MAX_OPEN_INVITATIONS):
        services.invite(alex)
    with pytest.raises(services.TooManyInvitations):
        services.invite(alex)


# The landing page


def test_the_landing_page_says_what_the_inviter_will_and_will_not_see(alex):
    _, token = services.invite(alex)
    response = client_for(None).get(join_url(token))
    assert response.status_code == 200
    content = response.content.decode().replace("&#x27;", "'")
    assert "Alex would like to try Attunement with you" in content
    assert "Only the summary scores you choose to share" in content
    assert "Never your answers to individual questions." in content
    assert "At your own pace" in content
    assert "Declining is fine too." in content


def test_a_visitor_is_offered_to_sign_in_or_sign_up_and_come_back(alex):
    invitation, token = services.invite(alex)
    content = client_for(None).get(join_url(token)).content.decode()
    back = services.invitation_reference_path(invitation).replace("/", "%2F").replace(":", "%3A")
    assert f"/accounts/login/?next={back}" in content
    assert f"/accounts/signup/?next={back}" in content
    assert token not in content.replace(join_url(token), "")
    assert "Accept and pair" not in content


def test_a_signed_in_invitee_is_offered_to_accept(alex, sam):
    _, token = services.invite(alex)
    content = client_for(sam).get(join_url(token)).content.decode()
    assert "Accept and pair with Alex" in content
    assert 'method="post"' in content


def test_the_landing_page_is_never_cached(alex):
    _, token = services.invite(alex)
    response = client_for(None).get(join_url(token))
    assert "no-store" in response["Cache-Control"]


def test_opening_the_link_never_pairs_anyone(alex, sam):
    invitation, token = services.invite(alex)
    client_for(sam).get(join_url(token))
    invitation.refresh_from_db()
    assert invitation.redeemed is None
    assert not Couple.objects.exists()


def test_the_inviter_opening_their_own_link_is_told_it_is_for_their_partner(alex):
    _, token = services.invite(alex)
    content = client_for(alex).get(join_url(token)).content.decode()
    assert "This is your own invitation link." in content
    assert "Accept and pair" not in content


def test_an_already_paired_person_is_not_offered_to_accept(olive, casey, other_couple):
    _, token = services.invite(olive)
    content = client_for(casey).get(join_url(token)).content.decode()
    assert "already paired" in content
    assert "Accept and pair" not in content


# Accepting


def test_accepting_pairs_the_invitee_with_the_inviter(alex, sam):
    invitation, token = services.invite(alex)
    response = client_for(sam).post(join_url(token))
    assert response.status_code == 302
    assert response["Location"] == "/couple/"
    assert is_paired(alex, sam)
    invitation.refresh_from_db()
    assert invitation.redeemed is not None
    assert invitation.redeemed_by == sam


def test_pairing_shares_nothing_by_itself(alex, sam):
    _, token = services.invite(alex)
    client_for(sam).post(join_url(token))
    assert not Share.objects.exists()


def test_a_visitor_must_sign_in_before_accepting(alex):
    invitation, token = services.invite(alex)
    response = client_for(None).post(join_url(token))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/couple/join/")
    invitation.refresh_from_db()
    assert invitation.redeemed is None


def test_an_invitation_works_only_once(alex, sam, casey):
    _, token = services.invite(alex)
    client_for(sam).post(join_url(token))
    response = client_for(casey).post(join_url(token))
    assert response.status_code == 404
    assert services.partner_of(casey) is None
    assert is_paired(alex, sam)


def test_the_inviter_cannot_accept_their_own_invitation(alex):
    invitation, token = services.invite(alex)
    response = client_for(alex).post(join_url(token))
    assert response.status_code == 302
    assert response["Location"] == join_url(token)
    assert not Couple.objects.exists()
    invitation.refresh_from_db()
    assert invitation.redeemed is None


def test_an_already_paired_invitee_cannot_accept(olive, casey, jordan, other_couple):
    invitation, token = services.invite(olive)
    client_for(casey).post(join_url(token))
    assert is_paired(casey, jordan)
    assert services.partner_of(olive) is None
    invitation.refresh_from_db()
    assert invitation.redeemed is None


def test_a_link_from_someone_who_has_paired_since_cannot_be_used(alex, sam, olive):
    _, alex_token = services.invite(alex)
    _, olive_token = services.invite(olive)
    services.redeem(alex, olive_token)
    response = client_for(sam).post(join_url(alex_token))
    assert response.status_code == 404
    assert services.partner_of(sam) is None


def test_pairing_withdraws_both_partners_other_open_links(alex, sam):
    _, token = services.invite(alex)
    sams_own = services.invite(sam)[0]
    services.redeem(sam, token)
    sams_own.refresh_from_db()
    assert sams_own.revoked is not None
    assert services.open_invitations(alex) == services.open_invitations(sam) == []


def test_a_failed_sign_in_from_the_landing_page_does_not_store_the_token(alex):
    _, token = services.invite(alex)
    client = Client(raise_request_exception=False)
    client.post(
        f"/accounts/login/?next={join_url(token)}",
        {"username": "sam@example.org", "password": "not " + PASSWORD, "next": join_url(token)},
    )
    assert token not in everything_stored()


# Expiry and withdrawal


def test_an_invitation_can_be_accepted_until_48_hours_have_passed(alex, sam):
    _, token = services.invite(alex)
    with time_machine.travel(timezone.now() + timedelta(hours=47, minutes=59)):
        assert client_for(sam).post(join_url(token)).status_code == 302
    assert is_paired(alex, sam)


def test_an_invitation_expires_after_48_hours(alex, sam):
    _, token = services.invite(alex)
    with time_machine.travel(timezone.now() + timedelta(hours=48)):
        assert client_for(sam).get(join_url(token)).status_code == 404
        assert client_for(sam).post(join_url(token)).status_code == 404
    assert not Couple.objects.exists()


def test_withdrawing_makes_a_link_unusable(alex, sam):
    invitation, token = services.invite(alex)
    response = client_for(alex).post(f"/couple/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    assert client_for(sam).post(join_url(token)).status_code == 404
    assert not Couple.objects.exists()


def test_nobody_else_can_withdraw_an_invitation(alex, casey):
    invitation, token = services.invite(alex)
    theirs = client_for(casey).post(f"/couple/invitations/{invitation.pk}/revoke/")
    missing = client_for(casey).post(f"/couple/invitations/{invitation.pk + 1000}/revoke/")
    assert theirs.status_code == missing.status_code == 404
    assert normalise(theirs.content) == normalise(missing.content)  # but the CSRF token
    assert services.open_invitation(token) == invitation


def unusable_tokens(alex, sam) -> dict[str, str]:
    expired, used, revoked = (services.invite(alex) for _ in range(3))
    Invitation.objects.filter(pk=expired[0].pk).update(expires=timezone.now())
    services.revoke(alex, revoked[0].pk)
    tokens = {"missing": "no-such-token-" + "x" * 29, "expired": expired[1]}
    tokens["revoked"] = revoked[1]
    services.redeem(sam, used[1])
    tokens["used"] = used[1]
    return tokens


def test_every_unusable_link_shows_the_same_neutral_page(alex, sam, casey):
    pages = {
        reason: client_for(casey).get(join_url(token))
        for reason, token in unusable_tokens(alex, sam).items()
    }
    assert {page.status_code for page in pages.values()} == {404}
    assert len({without_csrf(page.content) for page in pages.values()}) == 1
    assert b"This link can" in pages["missing"].content
    assert b"Alex" not in pages["used"].content


# Unpairing


def test_unpairing_asks_for_confirmation_first(alex, sam, couple):
    response = client_for(alex).get("/couple/unpair/")
    assert response.status_code == 200
    assert b"Unpair from Sam?" in response.content
    assert is_paired(alex, sam)


@pytest.mark.parametrize("who", ["alex", "sam"])
def test_either_partner_can_unpair(who, alex, sam, couple, request):
    response = client_for(request.getfixturevalue(who)).post("/couple/unpair/")
    assert response.status_code == 302
    assert services.partner_of(alex) is None
    assert services.partner_of(sam) is None
    couple.refresh_from_db()
    assert couple.ended is not None
    assert not Membership.objects.filter(couple=couple, active=True).exists()


def test_unpairing_ends_every_share_of_both_partners_at_once(alex, sam, couple):
    services.set_sharing(alex, ["csi4", "ecr_rs"])
    services.set_sharing(sam, ["csi4"])
    client_for(sam).post("/couple/unpair/")
    assert not Share.objects.filter(couple=couple).exists()
    assert services.shared_scores_visible_to(alex) == []
    assert services.shared_scores_visible_to(sam) == []


def test_unpairing_leaves_another_couple_alone(alex, couple, casey, jordan, other_couple):
    services.set_sharing(casey, ["csi4"])
    client_for(alex).post("/couple/unpair/")
    assert is_paired(casey, jordan)
    assert services.shared_scores_visible_to(jordan) == ["csi4"]


def test_an_unpaired_person_is_shown_how_pairing_works_instead_of_unpairing(alex):
    response = client_for(alex).post("/couple/unpair/")
    assert response.status_code == 200
    assert b"This part opens once you" in response.content


def test_after_unpairing_the_two_can_pair_again(alex, sam, couple):
    services.unpair(alex)
    _, token = services.invite(sam)
    client_for(alex).post(join_url(token))
    assert is_paired(alex, sam)
    assert Couple.objects.count() == 2


def test_deleting_an_account_leaves_the_partner_unpaired_and_seeing_nothing(alex, sam, couple):
    services.set_sharing(alex, ["csi4"])
    services.set_sharing(sam, ["ucla3"])
    alex.delete()
    assert services.active_couple(sam) is None
    assert not Share.objects.exists()
    services.invite(sam)


def test_a_race_to_pair_elsewhere_leaves_nothing_half_done(alex, casey, other_couple, monkeypatch):
    invitation, token = services.invite(alex)
    # Casey's pairing elsewhere lands between the check and the new memberships.
    monkeypatch.setattr(services, "active_couple", lambda user: None)
    with pytest.raises(services.InvitationNotFound):
        services.redeem(casey, token)
    invitation.refresh_from_db()
    assert invitation.redeemed is None
    assert Couple.objects.count() == 1
