"""The therapist workspace: second factor, invitations, consent, what is served, audit, summary."""

from __future__ import annotations

import html
import re
import time
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attunement import totp
from attunement.consent import SCOPES
from attunement.web.accounts.models import hash_secret
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal
from attunement.web.therapists import audit, caseload, services, shared_entries, twofactor
from attunement.web.therapists.models import (
    AuditEvent,
    Case,
    CaseInvitation,
    Grant,
    SessionDate,
    Therapist,
)
from attunement.web.vault import services as vault
from web import test_security as security
from web.conftest import PASSWORD, client_for, make_user, pair
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers, normalise
from web.therapist_world import (
    EVERYTHING,
    SECRET,
    code_now,
    grant_of,
    make_therapist,
    open_case,
    profile,
    some_practice,
    verified_client,
    weekly_checkins,
)

SERVED = re.compile(rb'data-scope="([a-z_]+)" data-person="(\d+)"')


def text_of(response, *, raw: bool = False) -> str:
    """The page's text with tags removed and spaces collapsed (or its HTML, with `raw`)."""
    page = response.content.decode()
    if raw:
        return page
    page = re.sub(r"<svg.*?</svg>|<[^>]+>", " ", page, flags=re.S)
    return " ".join(html.unescape(page).split())


def served_pairs(content: bytes) -> set[tuple[str, int]]:
    return {(scope.decode(), int(person)) for scope, person in SERVED.findall(content)}


@pytest.fixture
def riley(db):
    return make_therapist("riley@example.org", "Riley")


@pytest.fixture
def quinn(db):
    return make_therapist("quinn@example.org", "Quinn")


@pytest.fixture
def history(alex, sam, couple):
    """Alex and Sam have answered the Check, checked in for weeks and practised."""
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    weekly_checkins(alex, [16, 15, 14, 12, 11, 10])
    weekly_checkins(sam, [13, 13, 12, 12])
    some_practice(alex)
    some_practice(sam)


# Becoming a therapist


def test_an_operator_makes_an_existing_account_a_therapist(alex):
    out = StringIO()
    call_command("make_therapist", "ALEX@example.org", stdout=out)
    assert "is a therapist now" in out.getvalue()
    assert services.therapist_of(alex) is not None


def test_making_a_therapist_of_an_unknown_address_says_to_sign_up_first(db):
    with pytest.raises(CommandError, match="the person signs up first"):
        call_command("make_therapist", "nobody@example.org")


def test_an_operator_can_reset_the_second_factor_and_remove_a_therapist(riley):
    call_command("make_therapist", riley.email, "--reset-second-factor", stdout=StringIO())
    assert profile(riley).totp_confirmed is None
    assert profile(riley).sealed_totp_secret == ""
    call_command("make_therapist", riley.email, "--remove", stdout=StringIO())
    assert services.therapist_of(riley) is None
    assert client_for(riley).get("/therapist/").status_code == 404


@pytest.mark.parametrize("path", ["/therapist/", "/therapist/setup/", "/therapist/verify/"])
def test_the_workspace_does_not_exist_for_someone_who_is_not_a_therapist(path, alex, olive):
    assert client_for(alex).get(path).status_code == 404
    assert client_for(olive).get(path).status_code == 404


# The second factor


def test_a_new_therapist_is_sent_to_set_up_an_app_before_anything_else(alex):
    services.make_therapist(alex)
    client = client_for(alex)
    assert client.get("/therapist/").url == "/therapist/setup/"
    assert client.get("/therapist/cases/new/").url == "/therapist/setup/"


def test_the_setup_page_shows_the_key_the_address_and_a_qr_code_without_style(alex):
    therapist, _ = services.make_therapist(alex)
    response = client_for(alex).get("/therapist/setup/")
    secret = Therapist.objects.get(pk=therapist.pk).totp_secret
    page = response.content.decode()
    assert totp.grouped(secret) in page
    assert "otpauth://totp/Attunement:alex%40example.org?secret=" + secret in page
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in page
    assert "style=" not in page


def test_the_secret_is_stored_encrypted_and_kept_while_setting_up(alex):
    therapist, _ = services.make_therapist(alex)
    client = client_for(alex)
    client.get("/therapist/setup/")
    first = Therapist.objects.get(pk=therapist.pk)
    client.get("/therapist/setup/")
    again = Therapist.objects.get(pk=therapist.pk)
    assert first.totp_secret == again.totp_secret
    assert first.totp_secret not in first.sealed_totp_secret
    assert first.sealed_totp_secret.startswith("v1.")


def test_a_first_code_from_the_app_finishes_setup_and_opens_the_workspace(alex):
    therapist, _ = services.make_therapist(alex)
    client = client_for(alex)
    client.get("/therapist/setup/")
    secret = Therapist.objects.get(pk=therapist.pk).totp_secret
    wrong = client.post("/therapist/setup/", {"code": "000000"})
    assert "That code did not match" in text_of(wrong)
    done = client.post("/therapist/setup/", {"code": totp.code_at(secret, time.time())})
    assert "Your backup codes" in text_of(done)  # shown once, then on to the workspace
    assert client.get("/therapist/").status_code == 200
    assert Therapist.objects.get(pk=therapist.pk).totp_confirmed is not None
    # Once set up, the key is never shown again.
    assert client.get("/therapist/setup/").url == "/therapist/"


def test_every_therapist_page_asks_for_the_code_in_a_new_session(riley):
    client = client_for(riley)
    response = client.get("/therapist/cases/new/")
    assert response.url == "/therapist/verify/?next=%2Ftherapist%2Fcases%2Fnew%2F"
    data = {"code": code_now(), "next": "/therapist/cases/new/"}
    passed = client.post("/therapist/verify/", data)
    assert passed.url == "/therapist/cases/new/"
    assert client.get("/therapist/cases/new/").status_code == 200


def test_the_check_ends_with_the_session(riley):
    client = client_for(riley)
    client.post("/therapist/verify/", {"code": code_now()})
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": riley.email, "password": PASSWORD})
    assert client.get("/therapist/").url.startswith("/therapist/verify/")


def test_a_code_works_once(riley):
    code = code_now()
    first, second = client_for(riley), client_for(riley)
    assert first.post("/therapist/verify/", {"code": code}).url == "/therapist/"
    replayed = second.post("/therapist/verify/", {"code": code})
    assert replayed.status_code == 200
    assert "already used" in text_of(replayed)
    assert second.get("/therapist/").status_code == 302


def test_after_five_wrong_codes_even_the_right_one_waits(riley):
    client = client_for(riley)
    for _ in range(twofactor.FAILURE_LIMIT):
        client.post("/therapist/verify/", {"code": "000000"})
    paused = client.post("/therapist/verify/", {"code": code_now()})
    assert "Too many codes did not match" in text_of(paused)
    with time_machine.travel(timezone.now() + twofactor.PAUSE + timedelta(seconds=1)):
        assert client.post("/therapist/verify/", {"code": code_now()}).status_code == 302


def test_a_verified_session_of_an_old_setup_no_longer_counts_after_a_reset(riley):
    client = verified_client(riley)
    therapist = profile(riley)
    twofactor.reset(therapist)
    twofactor.store_secret(therapist, SECRET)
    therapist.totp_confirmed = timezone.now() + timedelta(seconds=1)
    therapist.save()
    assert client.get("/therapist/").url.startswith("/therapist/verify/")


def test_a_secret_whose_key_is_gone_asks_for_a_reset_instead_of_failing(riley):
    vault.forget_key(riley)
    response = client_for(riley).post("/therapist/verify/", {"code": code_now()})
    assert response.status_code == 200
    assert "Please ask the people who run it to reset it" in text_of(response)


def test_a_pending_setup_whose_key_is_gone_starts_again_with_a_new_secret(alex):
    therapist, _ = services.make_therapist(alex)
    first = twofactor.pending_secret(therapist)
    vault.forget_key(alex)
    again = twofactor.pending_secret(Therapist.objects.get(pk=therapist.pk))
    assert again != first
    assert client_for(alex).get("/therapist/setup/").status_code == 200


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", "/"])
def test_after_the_code_only_a_therapist_page_is_a_destination(target, riley):
    response = client_for(riley).post("/therapist/verify/", {"code": code_now(), "next": target})
    assert response.url == "/therapist/"


# Inviting and joining


def test_a_therapist_makes_a_case_and_sees_its_link_once(riley):
    client = verified_client(riley)
    response = client.post("/therapist/cases/new/", {"label": " A. & S. ", "kind": "couple"})
    page = text_of(response, raw=True)
    link = re.search(r'value="(http://testserver/therapist/join/[^"]+)"', page)
    assert link
    token = link.group(1).rstrip("/").rsplit("/", 1)[1]
    invitation = CaseInvitation.objects.get()
    assert invitation.token_hash == hash_secret(token)
    assert invitation.expires - invitation.created == timedelta(days=7)
    assert Case.objects.get().label == "A. & S."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "   ", "kind": "couple"}, "Give the case a name"),
        ({"label": "x" * 81, "kind": "couple"}, "at most 80 characters"),
        ({"label": "A.", "kind": "family"}, "Select a valid choice"),
    ],
)
def test_a_bad_case_is_refused_with_what_is_wrong_and_nothing_saved(data, message, riley):
    response = verified_client(riley).post("/therapist/cases/new/", data)
    assert message in text_of(response)
    assert not Case.objects.exists()
    assert not CaseInvitation.objects.exists()


def test_the_invitation_page_explains_each_scope_and_ticks_none(riley, alex, sam, couple):
    _case, token = services.open_case(riley, "A. and S.", "couple")
    page = text_of(client_for(alex).get(f"/therapist/join/{token}/"))
    assert "Riley invites you to share your progress" in page
    for words in ("Never your answers to single questions", "Never what you wrote",
                  "Each of you decides separately"):  # fmt: skip
        assert words in page
    assert "checked" not in text_of(client_for(alex).get(f"/therapist/join/{token}/"), raw=True)


def test_each_partner_grants_for_themselves_only(riley, alex, sam, couple):
    case = open_case(riley, {alex: ["checkin_trends"], sam: ["couple_report", "practice_activity"]})
    grants = {g.person_id: g.scopes for g in case.grants.all()}
    assert {s.value for s in grants[alex.pk]} == {"checkin_trends"}
    assert {s.value for s in grants[sam.pk]} == {"couple_report", "practice_activity"}


def test_joining_through_the_page_grants_exactly_what_was_ticked(riley, alex, sam, couple):
    _case, token = services.open_case(riley, "A. and S.", "couple")
    response = client_for(alex).post(f"/therapist/join/{token}/", {"scopes": ["checkin_trends"]})
    assert response.url == "/therapist/consent/"
    assert {s.value for s in Grant.objects.get(person=alex).scopes} == {"checkin_trends"}


def test_an_unknown_scope_is_refused_and_nothing_is_saved(riley, alex, sam, couple):
    _case, token = services.open_case(riley, "A. and S.", "couple")
    response = client_for(alex).post(
        f"/therapist/join/{token}/", {"scopes": ["checkin_trends", "item_answers"]}
    )
    assert "Select a valid choice. item_answers is not one of the available choices." in text_of(
        response
    )
    assert not Grant.objects.exists()
    with pytest.raises(ValueError, match="unknown scope 'item_answers'"):
        services.accept(alex, token, ["item_answers"])
    assert not Grant.objects.exists()


def test_an_anonymous_visitor_is_asked_to_sign_in_and_comes_back(riley):
    _case, token = services.open_case(riley, "A.", "single")
    page = client_for(None).get(f"/therapist/join/{token}/")
    assert f"/accounts/login/?next=%2Ftherapist%2Fjoin%2F{token}%2F" in text_of(page, raw=True)
    posted = client_for(None).post(f"/therapist/join/{token}/", {"scopes": ["checkin_trends"]})
    assert posted.url.startswith("/accounts/login/?next=")


def test_a_couple_case_needs_the_person_to_be_paired(riley, casey):
    _case, token = services.open_case(riley, "C.", "couple")
    assert "Pair with your partner in Attunement first" in text_of(
        client_for(casey).get(f"/therapist/join/{token}/")
    )
    with pytest.raises(services.NotPaired):
        services.accept(casey, token, [])


def test_the_second_place_in_a_couple_case_is_for_the_first_clients_partner(
    riley, alex, sam, couple, casey, jordan, other_couple
):
    case, token = services.open_case(riley, "A. and S.", "couple")
    services.accept(alex, token, ["checkin_trends"])
    with pytest.raises(services.NotTheirPartner):
        services.accept(casey, token, [])
    services.accept(sam, token, [])
    assert services.open_invitation(token) is None  # full: the link is dead
    assert case.grants.count() == 2


def test_a_therapist_cannot_join_their_own_case_and_nobody_joins_twice(riley, alex):
    _case, token = services.open_case(riley, "A.", "single")
    services.make_therapist(alex)
    with pytest.raises(services.OwnCase):
        services.accept(riley, token, [])
    _couple_case, couple_token = services.open_case(riley, "A. and S.", "couple")
    sam = make_user("sam@example.org", "Sam")
    pair(alex, sam)
    services.accept(alex, couple_token, [])
    with pytest.raises(services.AlreadyJoined):
        services.accept(alex, couple_token, [])


def test_a_link_expires_after_a_week_and_a_new_link_replaces_the_old(riley, alex):
    case, token = services.open_case(riley, "A.", "single")
    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        assert client_for(alex).get(f"/therapist/join/{token}/").status_code == 404
    _invitation, newer = services.new_invitation(riley, case.pk)
    assert services.open_invitation(token) is None
    assert services.open_invitation(newer) is not None


def test_a_dead_link_looks_exactly_like_one_that_never_existed(riley, alex):
    case, token = services.open_case(riley, "A.", "single")
    services.end_case(riley, case.pk)
    client = client_for(alex)
    dead, never = client.get(f"/therapist/join/{token}/"), client.get("/therapist/join/nope/")
    assert dead.status_code == never.status_code == 404
    assert normalise(dead.content) == normalise(never.content)


# What the therapist sees


def test_the_case_page_serves_exactly_what_each_partner_granted(riley, alex, sam, history):
    case = open_case(riley, {alex: ["checkin_trends"], sam: ["couple_report", "practice_activity"]})
    response = verified_client(riley).get(f"/therapist/cases/{case.pk}/")
    assert served_pairs(response.content) == {
        ("checkin_trends", alex.pk),
        ("couple_report", sam.pk),
        ("practice_activity", sam.pk),
    }
    page = text_of(response)
    assert "Alex: not shared." in page
    assert "Sam: your Attunement report" in page  # Sam's side only: Alex's scores are not in it


def test_someone_in_two_of_a_therapists_cases_is_served_each_cases_own_consent(
    riley, alex, sam, history
):
    together = open_case(riley, {alex: ["practice_activity"], sam: []})
    alone = open_case(riley, {alex: ["checkin_trends"]}, kind="single", label="A. alone")
    client = verified_client(riley)
    assert served_pairs(client.get(f"/therapist/cases/{together.pk}/").content) == {
        ("practice_activity", alex.pk)
    }
    assert served_pairs(client.get(f"/therapist/cases/{alone.pk}/").content) == {
        ("checkin_trends", alex.pk)
    }
    rows = {row.case.pk: row for row in caseload.caseload(riley).rows}
    assert [p.served_scopes() for p in rows[together.pk].people] == [["practice_activity"], []]
    assert [p.served_scopes() for p in rows[alone.pk].people] == [["checkin_trends"]]


def test_a_therapist_never_sees_item_answers_notes_or_journal_words(riley, alex, sam, history):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    client = verified_client(riley)
    pages = [client.get(f"/therapist/cases/{case.pk}/{p}") for p in ("", "summary/")]
    pages.append(client.get("/therapist/"))
    for response in pages:
        page = text_of(response)
        for private in ("Private title", "Private body", "private note", "private words"):
            assert private not in page


def test_a_shared_entry_and_only_it_is_read_and_unsharing_ends_it(riley, alex, sam, history):
    case = open_case(riley, {alex: [], sam: []})
    entry = journal.write(alex, prompt="", title="Tuesday", body="I went quiet when Sam spoke.")
    client = client_for(alex)
    page = text_of(client.get(entry.get_absolute_url()))
    assert "Riley cannot read this entry" in page
    client.post(f"/therapist/entries/{entry.pk}/share/", {"grant": grant_of(case, alex)})
    therapist = verified_client(riley)
    shown = text_of(therapist.get(f"/therapist/cases/{case.pk}/"))
    assert "I went quiet when Sam spoke." in shown
    assert "Private body" not in shown  # the other entry stays private
    client.post(f"/therapist/entries/{entry.pk}/unshare/", {"grant": grant_of(case, alex)})
    assert "I went quiet" not in text_of(therapist.get(f"/therapist/cases/{case.pk}/"))


def test_nobody_shares_an_entry_that_is_not_theirs_or_with_a_therapist_they_have_not(
    riley, quinn, alex, sam, couple
):
    case = open_case(riley, {alex: [], sam: []})
    quinns = open_case(quinn, {sam: []}, kind="single", label="S.")
    entry = journal.write(alex, prompt="", title="", body="mine")
    assert (
        client_for(sam)
        .post(f"/therapist/entries/{entry.pk}/share/", {"grant": grant_of(case, sam)})
        .status_code
        == 404
    )
    assert (
        client_for(alex)
        .post(f"/therapist/entries/{entry.pk}/share/", {"grant": grant_of(quinns, sam)})
        .status_code
        == 404
    )


def test_another_therapists_case_is_answered_like_a_missing_one(riley, quinn, alex, sam, couple):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    client = verified_client(quinn)
    for suffix in ("", "summary/", "summary.pdf", "end/"):
        theirs = client.get(f"/therapist/cases/{case.pk}/{suffix}")
        missing = client.get(f"/therapist/cases/{case.pk + 1000}/{suffix}")
        assert theirs.status_code == missing.status_code == 404
    assert "A. and S." not in text_of(client.get("/therapist/"))


# Changing and withdrawing consent


def test_a_change_of_consent_applies_to_the_therapists_next_request(riley, alex, sam, history):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    therapist = verified_client(riley)
    assert ("checkin_trends", alex.pk) in served_pairs(
        therapist.get(f"/therapist/cases/{case.pk}/").content
    )
    client_for(alex).post(
        f"/therapist/consent/{grant_of(case, alex)}/", {"scopes": ["practice_activity"]}
    )
    after = served_pairs(therapist.get(f"/therapist/cases/{case.pk}/").content)
    assert {p for p in after if p[1] == alex.pk} == {("practice_activity", alex.pk)}
    assert {p for p in after if p[1] == sam.pk} == {(s, sam.pk) for s in EVERYTHING}


def test_withdrawing_removes_the_person_at_once_and_the_last_one_ends_the_case(
    riley, alex, sam, history
):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    therapist = verified_client(riley)
    therapist.get("/therapist/")  # the caseload status is worked out
    sams = client_for(sam)
    assert "Stop sharing with Riley?" in text_of(
        sams.get(f"/therapist/consent/{grant_of(case, sam)}/withdraw/")
    )
    sams.post(f"/therapist/consent/{grant_of(case, sam)}/withdraw/")
    page = therapist.get(f"/therapist/cases/{case.pk}/")
    assert {p[1] for p in served_pairs(page.content)} == {alex.pk}
    # Sam is named only to say that Sam withdrew.
    withdrawn = re.search(r"Sam withdrew their consent on [^.]+\.", text_of(page))
    assert withdrawn is not None
    assert "Sam" not in text_of(page).replace(withdrawn.group(0), "").replace("Sam spoke", "")
    client_for(alex).post(f"/therapist/consent/{grant_of(case, alex)}/withdraw/")
    assert therapist.get(f"/therapist/cases/{case.pk}/").status_code == 404
    assert "A. and S." not in text_of(therapist.get("/therapist/"))


def test_a_withdrawn_consent_stops_entries_being_shared(riley, alex, sam, couple):
    case = open_case(riley, {alex: [], sam: []})
    entry = journal.write(alex, prompt="", title="", body="shared for a while")
    shared_entries.share_entry(alex, entry.pk, grant_of(case, alex))
    services.revoke(alex, grant_of(case, alex))
    assert "shared for a while" not in text_of(
        verified_client(riley).get(f"/therapist/cases/{case.pk}/")
    )


def test_someone_elses_consent_is_answered_like_a_missing_one(riley, alex, sam, couple):
    case = open_case(riley, {alex: [], sam: []})
    client = client_for(sam)
    for method, suffix in (("get", "withdraw/"), ("post", "withdraw/"), ("post", "")):
        theirs = getattr(client, method)(f"/therapist/consent/{grant_of(case, alex)}/{suffix}")
        missing = getattr(client, method)(f"/therapist/consent/99999/{suffix}")
        assert theirs.status_code == missing.status_code == 404
    assert grant_of(case, alex)


def test_a_bad_choice_on_the_consent_page_changes_nothing(riley, alex):
    case = open_case(riley, {alex: ["checkin_trends"]}, kind="single")
    response = client_for(alex).post(
        f"/therapist/consent/{grant_of(case, alex)}/", {"scopes": ["couple_report", "answers"]}
    )
    assert response.url == "/therapist/consent/"
    assert {s.value for s in Grant.objects.get(person=alex).scopes} == {"checkin_trends"}


def test_the_therapist_can_close_a_case(riley, alex):
    case = open_case(riley, {alex: EVERYTHING}, kind="single")
    client = verified_client(riley)
    assert client.post(f"/therapist/cases/{case.pk}/end/").url == "/therapist/"
    assert client.get(f"/therapist/cases/{case.pk}/").status_code == 404
    assert services.grants_for(alex) == []
    assert Grant.objects.get(person=alex).scopes == frozenset()


# The audit


def test_every_read_leaves_a_row_the_client_sees(riley, alex, sam, history):
    case = open_case(riley, {alex: ["checkin_trends"], sam: []})
    client = verified_client(riley)
    client.get(f"/therapist/cases/{case.pk}/")
    client.get(f"/therapist/cases/{case.pk}/summary/")
    client.get("/therapist/")
    events = audit.audit_for(alex)
    assert [e.what for e in events] == ["dashboard", "summary", "case"]
    assert all(e.therapist_name == "Riley" and e.scope_list == ["checkin_trends"] for e in events)
    assert all(e.case_id == case.pk for e in events)
    # Sam shares nothing: nothing of Sam's was read.
    assert audit.audit_for(sam) == []
    page = text_of(client_for(alex).get("/therapist/consent/"))
    assert "session summary" in page and "check-in trends" in page


def test_the_audit_outlives_the_therapists_account(riley, alex):
    case = open_case(riley, {alex: ["checkin_trends"]}, kind="single")
    verified_client(riley).get(f"/therapist/cases/{case.pk}/")
    riley.delete()
    assert [e.therapist_name for e in audit.audit_for(alex)] == ["Riley"]


def test_grants_for_and_revoke_are_there_for_the_privacy_page(riley, quinn, alex):
    first = open_case(riley, {alex: ["checkin_trends"]}, kind="single")
    open_case(quinn, {alex: EVERYTHING}, kind="single", label="A.")
    found = services.grants_for(alex)
    assert [g.case.therapist.display_name for g in found] == ["Quinn", "Riley"]
    services.revoke(alex, grant_of(first, alex))
    assert [g.case.therapist.display_name for g in services.grants_for(alex)] == ["Quinn"]
    with pytest.raises(services.GrantNotFound):
        services.revoke(alex, found[1].pk)


# The caseload


def test_the_caseload_shows_both_trajectories_support_level_and_who_is_not_on_track(
    riley, alex, sam, history
):
    case = open_case(riley, {alex: EVERYTHING, sam: ["checkin_trends"]})
    response = verified_client(riley).get("/therapist/")
    page = text_of(response)
    assert response.content.count(b'class="chart chart-spark"') == 2
    assert "Professional support recommended" in page
    assert "Practice: not shared" in page
    assert served_pairs(response.content) == {
        ("checkin_trends", alex.pk),
        ("practice_activity", alex.pk),
        ("checkin_trends", sam.pk),
    }
    assert case.label in page


def test_cases_needing_attention_come_first(riley, alex, sam, couple, casey, jordan, other_couple):
    weekly_checkins(casey, [16, 16, 17, 16])
    weekly_checkins(alex, [16, 14, 11, 10, 9])
    open_case(riley, {casey: ["checkin_trends"]}, kind="single", label="A first, by name")
    open_case(riley, {alex: ["checkin_trends"]}, kind="single", label="Z last, by name")
    page = text_of(verified_client(riley).get("/therapist/"))
    assert page.index("Z last, by name") < page.index("A first, by name")


def test_a_new_check_in_refreshes_the_caseload_order(riley, alex, casey):
    open_case(riley, {casey: ["checkin_trends"]}, kind="single", label="A. steady")
    open_case(riley, {alex: ["checkin_trends"]}, kind="single", label="B. sinking")
    client = verified_client(riley)
    weekly_checkins(alex, [16, 16])
    weekly_checkins(casey, [16, 16])
    first = text_of(client.get("/therapist/"))
    assert first.index("A. steady") < first.index("B. sinking")
    weekly_checkins(alex, [15, 12, 10, 9], end=timezone.now() + timedelta(minutes=1))
    again = text_of(client.get("/therapist/"))
    assert again.index("B. sinking") < again.index("A. steady")


def test_the_caseload_comes_a_page_at_a_time(riley):
    for number in range(12):
        services.open_case(riley, f"Case {number:02}", "single")
    client = verified_client(riley)
    first, second = text_of(client.get("/therapist/")), text_of(client.get("/therapist/?page=2"))
    assert "Case 00" in first and "Case 10" not in first
    assert "Case 10" in second and "Page 2 of 2" in second
    assert client.get("/therapist/?page=abc").status_code == 200


# The session summary


def test_the_summary_says_what_changed_since_the_last_session(riley, alex, sam, history):
    case = open_case(riley, {alex: EVERYTHING, sam: ["couple_report"]})
    client = verified_client(riley)
    three_weeks_ago = timezone.localdate() - timedelta(weeks=3, days=1)
    client.post(f"/therapist/cases/{case.pk}/sessions/", {"held_on": three_weeks_ago.isoformat()})
    page = text_of(client.get(f"/therapist/cases/{case.pk}/summary/"))
    assert "what changed since the session on" in page
    assert "4 check-ins since; from 15 to 10 of 21, a reliable drop." in page
    assert "Start softly ×1" in page
    assert "From the report:" in page
    assert "Sam: not shared." in page
    assert "Ask each person privately" in page


def test_a_session_in_the_future_is_refused_with_a_clear_message(riley, alex):
    case = open_case(riley, {alex: []}, kind="single")
    client = verified_client(riley)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        f"/therapist/cases/{case.pk}/sessions/", {"held_on": tomorrow.isoformat()}, follow=True
    )
    assert "A session date cannot be in the future." in text_of(response)
    assert not SessionDate.objects.exists()


def test_the_summary_comes_as_a_pdf(riley, alex, sam, history):
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    response = verified_client(riley).get(f"/therapist/cases/{case.pk}/summary.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(what="pdf").count() == 2


# What is served equals what is granted, for any grants

scope_sets = st.frozensets(st.sampled_from([s.value for s in SCOPES]))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(alexs=scope_sets, sams=scope_sets)
def test_the_pages_serve_exactly_the_granted_scopes_for_any_grants(
    alexs, sams, riley, alex, sam, history
):
    Case.objects.all().delete()
    case = open_case(riley, {alex: sorted(alexs), sam: sorted(sams)})
    granted = {(s, alex.pk) for s in alexs} | {(s, sam.pk) for s in sams}
    client = verified_client(riley)
    on_case = served_pairs(client.get(f"/therapist/cases/{case.pk}/").content)
    on_summary = served_pairs(client.get(f"/therapist/cases/{case.pk}/summary/").content)
    on_caseload = served_pairs(client.get("/therapist/").content)
    assert on_case == granted
    # The summary has no section of its own for the report: its findings are topics.
    assert on_summary == {p for p in granted if p[0] != "couple_report"}
    assert on_caseload == {p for p in granted if p[0] != "couple_report"}
    audited = {(e.subject_id, tuple(e.scope_list)) for e in AuditEvent.objects.filter(what="case")}
    assert audited == {
        (person, tuple(s.value for s in SCOPES if (s.value, person) in granted))
        for person in (alex.pk, sam.pk)
        if any(p[1] == person for p in granted)
    }
    AuditEvent.objects.all().delete()


def test_couples_services_are_untouched_by_a_therapist(riley, alex, sam, couple):
    open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    assert couples.shared_instruments(alex) == []
    assert couples.partner_of(alex) == sam


# Every page a therapist or a client sees here is hardened like the rest of the site


def test_every_workspace_page_is_hardened_never_stored_and_has_no_inline_code(
    riley, alex, sam, history
):
    case = open_case(riley, {alex: EVERYTHING, sam: ["checkin_trends"]})
    _waiting, link = services.open_case(riley, "Waiting", "single")
    therapist, client = verified_client(riley), client_for(alex)
    pages = [
        (therapist, path)
        for path in ("/therapist/", "/therapist/cases/new/", f"/therapist/cases/{case.pk}/",
                     f"/therapist/cases/{case.pk}/summary/", f"/therapist/cases/{case.pk}/end/")
    ] + [
        (client, path)
        for path in ("/therapist/consent/", f"/therapist/join/{link}/",
                     f"/therapist/consent/{grant_of(case, alex)}/withdraw/")
    ]  # fmt: skip
    for who, path in pages:
        response = who.get(path)
        assert response.status_code == 200, path
        security.assert_hardened(path, response)
        assert security.never_stored(response), path
        assert security.assert_no_inline_code(path, response)
