"""The privacy page: what is shared with whom, consents, reads, sessions, export and deletion.

Alex owns one of everything (made through each app's services), is paired with
Sam, has given a therapist (Theo) consent, and Theo has read his data once. Sam
has private things of his own that must never reach Alex's export, and must all
survive Alex deleting his account.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from attunement.instruments import library
from attunement.practices import flows
from attunement.web.accounts.models import ApiToken, PendingSignup, User, UserSession
from attunement.web.assessments import services as assessments
from attunement.web.assessments.models import Answer
from attunement.web.checkins import services as checkins
from attunement.web.checkins.models import CheckIn
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple, Invitation, Membership, Share
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import services as practices
from attunement.web.practices.models import Draft, PracticeLog
from attunement.web.privacy import services as privacy
from attunement.web.privacy import sessions
from attunement.web.privacy.devices import describe
from attunement.web.privacy.models import SignedInSession
from attunement.web.therapists import audit, shared_entries
from attunement.web.therapists import services as therapists
from attunement.web.therapists.models import AuditEvent, Case, Grant, SharedEntry
from attunement.web.vault import services as vault
from attunement.web.vault.models import UserKey
from web.conftest import PASSWORD, client_for, make_user
from web.test_encryption import database_file_bytes
from web.test_journal import CANARY, rows_containing

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0"
CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
CONFIRM = {"password": PASSWORD, "confirmation": "delete my account"}
CSI4 = {"1": 3, "2": 4, "3": 2, "4": 5}
CHECKIN = {"1": 4, "2": 3, "3": 3, "4": 3, "W1": 2, "W2": 2, "W3": 2}
WHEEL = flows.get("feedback_wheel")


@dataclass
class Everything:
    """One of each thing Alex can own, and Sam's private things beside them."""

    alex: User
    sam: User
    theo: User
    entry: JournalEntry
    private_entry: JournalEntry
    draft: Draft
    logged: PracticeLog
    grant: Grant
    token: ApiToken
    sams_secret: str


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def make_everything(alex: User, sam: User, words: str = "") -> Everything:
    """Alex's things, each through its app's services; `words` ends everything he writes."""
    assessments.save_page(alex, library.get("hark"), {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0})
    assessments.save_page(alex, library.get("csi4"), CSI4)
    couples.set_sharing(alex, ["csi4", "checkin"])
    entry = journal.write(alex, prompt="my_part", title=f"Shared{words}", body=f"Read me{words}")
    journal.share(alex, entry.pk)
    private = journal.write(alex, prompt="", title=f"Mine{words}", body=f"Just mine{words}")
    draft = practices.start(alex, "feedback_wheel", original=f"you never listen{words}")
    practices.answer(draft, WHEEL.steps[0], f"you looked away{words}")
    practices.keep(draft, f"I miss our evenings{words}")
    practices.send(alex, draft.pk)
    logged = practices.log(alex, "soft_start", f"on a walk{words}")
    checkins.take(alex, CHECKIN)
    checkins.save_reminder(alex, enabled=True, weekday=2, hour=20, time_zone="Europe/Paris")
    token, _secret = ApiToken.issue(alex, "backup script")
    Invitation.issue(alex)
    # A therapist, Theo, with a case for Alex alone; Alex consents and shares his entry.
    theo = make_user("theo@example.org", "Theo")
    therapists.make_therapist(theo)
    case, link = therapists.open_case(theo, "A and S", "single")
    grant = therapists.accept(alex, link, ["couple_report", "checkin_trends"])
    shared_entries.share_entry(alex, entry.pk, grant.pk)
    audit.record_reads(theo, "case", [audit.Read(alex.pk, case.pk, ["couple_report"])])
    # Sam's own: answers, a private entry, an entry and a message shared with Alex, a check-in.
    assessments.save_page(sam, library.get("csi4"), {"1": 1, "2": 1, "3": 1, "4": 1})
    assessments.save_page(sam, library.get("ucla3"), {"1": 3, "2": 3, "3": 3})
    journal.write(sam, prompt="", title="Sam alone", body="Sam's-unshared-secret-entry")
    journal.share(sam, journal.write(sam, prompt="", title="", body="Sam's shared words").pk)
    theirs = practices.keep(practices.start(sam, "feedback_wheel"), "Sam's message to Alex")
    practices.send(sam, theirs.pk)
    couples.set_sharing(sam, ["csi4"])
    checkins.take(sam, {**CHECKIN, "1": 1})
    return Everything(alex, sam, theo, entry, private, draft, logged, grant, token,
                      "Sam's-unshared-secret-entry")  # fmt: skip


@pytest.fixture
def everything(alex, sam, couple) -> Everything:
    return make_everything(alex, sam)


# The page


def test_the_page_lists_each_kind_of_share_with_whom(everything):
    page = text_of(client_for(everything.alex).get("/privacy/"))
    assert "You're paired with Sam" in page
    assert library.get("csi4").title in page
    assert "Your check-in scores over time, never your answers." in page
    assert "1 entry you shared" in page
    assert f'href="/journal/{everything.entry.pk}/"' in page
    assert ">Shared</a>" in page  # the entry's title, decrypted for its author
    assert f"/journal/{everything.private_entry.pk}/" not in page
    assert "1 message you sent" in page
    assert f'href="/practice/draft/{everything.draft.pk}/"' in page
    # The therapist, what they may see, the entry shared with them, and a withdraw button.
    assert "Theo" in page
    assert "check-in trends, scale scores and the couple report" in page
    assert "1 journal entry you shared" in page
    assert f'action="/privacy/consents/{everything.grant.pk}/withdraw/"' in page
    # Theo's read of Alex's data.
    assert "A therapist has looked at your data once." in page
    assert "case page" in page


def test_the_page_of_someone_who_shares_nothing_says_so(olive):
    page = text_of(client_for(olive).get("/privacy/"))
    assert "You're not paired with anyone, so nothing of yours is shared" in page
    assert "No therapist has access to anything of yours." in page
    assert "No therapist has read anything of yours." in page


def test_a_partner_who_shares_nothing_is_shown_that_nothing_is_shared(alex, sam, couple):
    page = text_of(client_for(alex).get("/privacy/"))
    assert "You're paired with Sam" in page
    assert "None. Your answers and scores are private to you." in page
    assert "Nothing: your check-ins are private to you." in page
    assert "None. Every entry of yours is private to you." in page


def test_the_page_shows_only_the_viewers_own_sharing(everything):
    page = text_of(client_for(everything.sam).get("/privacy/"))
    assert "You're paired with Alex" in page
    assert "Theo" not in page
    assert "1 message you sent" in page  # Sam's own message, not Alex's
    assert f"/practice/draft/{everything.draft.pk}/" not in page


def test_withdrawing_a_consent_takes_effect_at_once(everything):
    client = client_for(everything.alex)
    response = client.post(f"/privacy/consents/{everything.grant.pk}/withdraw/")
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert therapists.grants_for(everything.alex) == []
    assert Grant.objects.get(pk=everything.grant.pk).revoked is not None
    assert not SharedEntry.objects.exists()
    page = text_of(client.get("/privacy/"))
    assert "Your consent is withdrawn" in page
    assert "No therapist has access to anything of yours." in page


def test_someone_elses_consent_cannot_be_withdrawn(everything):
    response = client_for(everything.sam).post(f"/privacy/consents/{everything.grant.pk}/withdraw/")
    assert response.status_code == 404
    assert therapists.grants_for(everything.alex) != []


# Export


def exported(person: User) -> tuple[dict[str, Any], str]:
    response = client_for(person).post("/privacy/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="attunement-export-')
    body = response.getvalue().decode()  # streamed
    return json.loads(body), body


def test_the_export_holds_every_record_alex_owns(everything):
    alex = everything.alex
    data, _body = exported(alex)
    assert data["format"] == "attunement-export"
    assert data["version"] == 1
    assert data["account"]["email"] == "alex@example.org"
    assert data["account"]["display_name"] == "Alex"
    assert [t["name"] for t in data["api_tokens"]] == ["backup script"]
    assert [s["device"] for s in data["sessions"]] == ["Unknown browser"]
    [together] = data["couples"]
    assert together["active"] is True
    assert together["partner"] == "Sam"
    assert [s["instrument"] for s in together["shared_with_partner"]] == ["checkin", "csi4"]
    assert len(data["invitations"]) == 1
    answers = {(a["instrument"], a["item"]): a["value"] for a in data["answers"]}
    assert answers == {("hark", item): 0 for item in "HARKC"} | {
        ("csi4", item): value for item, value in CSI4.items()
    }
    assert data["scores"] == {"csi4": assessments.scores_for(alex)["csi4"].values()}
    assert [(e["title"], e["body"], e["shared_with_partner"]) for e in data["journal"]] == [
        ("Shared", "Read me", True),
        ("Mine", "Just mine", False),
    ]
    [draft] = data["practice_drafts"]
    assert draft["original"] == "you never listen"
    assert draft["answers"] == {WHEEL.steps[0].id: "you looked away"}
    assert draft["message"] == "I miss our evenings"
    assert draft["visible_to_partner"] is True
    assert [(p["practice"], p["note"]) for p in data["practice_log"]] == [
        ("soft_start", "on a walk")
    ]
    [taken] = data["checkins"]
    assert taken["answers"] == CHECKIN
    assert taken["csi4"] is not None
    assert data["checkin_reminder"]["time_zone"] == "Europe/Paris"
    [given] = data["therapist_consents"]
    assert given["therapist"] == "Theo"
    assert given["scopes"] == ["checkin_trends", "couple_report"]
    assert given["journal_entries_shared"] == [everything.entry.pk]
    [read] = data["therapist_reads"]
    assert (read["therapist"], read["what"], read["scopes"]) == ("Theo", "case", ["couple_report"])
    assert data["therapist_workspace"] is None


def test_the_export_has_nothing_of_the_partners_but_his_name(everything):
    data, body = exported(everything.alex)
    assert everything.sams_secret not in body
    assert "Sam's shared words" not in body  # shared with Alex, but Sam's
    assert "Sam's message to Alex" not in body
    assert "sam@example.org" not in body
    assert "ucla3" not in body  # only Sam answered it
    mine = Answer.objects.filter(owner=everything.alex).count()
    assert len(data["answers"]) == mine
    assert len(data["checkins"]) == 1


def test_the_export_holds_no_secrets(everything):
    client = client_for(everything.alex)
    body = client.post("/privacy/export/").getvalue().decode()
    alex = User.objects.get(pk=everything.alex.pk)
    assert alex.password not in body
    assert everything.token.token_hash not in body
    assert client.session.session_key not in body
    for record in SignedInSession.objects.all():
        assert record.key_hash not in body


def test_a_therapists_export_has_their_own_cases_but_not_their_clients_data(everything):
    data, body = exported(everything.theo)
    workspace = data["therapist_workspace"]
    assert [c["label"] for c in workspace["cases"]] == ["A and S"]
    assert "alex@example.org" not in body
    assert "Read me" not in body


def test_an_entry_that_can_no_longer_be_opened_is_exported_without_its_words(alex):
    journal.write(alex, prompt="", title="gone", body="gone too")
    UserKey.objects.filter(user=alex).update(wrapped="v1.not-a-key")
    data, _body = exported(alex)
    assert [(e["title"], e["body"]) for e in data["journal"]] == [(None, None)]


def test_the_export_is_a_post_that_needs_its_csrf_token(alex):
    assert client_for(alex).get("/privacy/export/").status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(alex)
    assert guarded.post("/privacy/export/").status_code == 403


def test_the_json_api_gives_scripts_the_same_export(everything):
    _token, secret = ApiToken.issue(everything.alex, "export script")
    response = Client().get("/api/privacy/export", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    by_api = json.loads(response.getvalue())
    on_page, _body = exported(everything.alex)
    for data in (by_api, on_page):
        data.pop("exported_at")
        data.pop("sessions")  # the page's download is made from a signed-in session
        data.pop("api_tokens")  # and this token's last use changes
        data["account"].pop("last_login")  # as does signing in
    assert by_api == on_page
    assert Client().get("/api/privacy/export").status_code == 401


# Sessions


def sign_in(user_agent: str, email: str = "alex@example.org") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_each_session_is_listed_with_its_device_and_this_one_marked(alex):
    phone = sign_in(FIREFOX_ANDROID)
    laptop = sign_in(CHROME_LINUX)
    page = text_of(laptop.get("/privacy/"))
    assert "Chrome on Linux <strong>(this device)</strong>" in page
    assert "Firefox on Android" in page
    assert "Firefox on Android <strong>" not in page
    phone_record = SignedInSession.objects.get(device="Firefox on Android")
    assert f'action="/privacy/sessions/{phone_record.pk}/end/"' in page
    assert "Sign out here" in page
    assert "Firefox on Android <strong>(this device)</strong>" in text_of(phone.get("/privacy/"))


def test_signing_out_of_one_session_signs_that_browser_out_and_no_other(alex):
    phone = sign_in(FIREFOX_ANDROID)
    laptop = sign_in(CHROME_LINUX)
    phone_record = SignedInSession.objects.get(device="Firefox on Android")
    response = laptop.post(f"/privacy/sessions/{phone_record.pk}/end/")
    assert response["Location"] == "/privacy/"
    assert phone.get("/journal/").status_code == 302  # to the sign-in page
    assert SESSION_KEY not in phone.session
    assert laptop.get("/journal/").status_code == 200
    assert list(SignedInSession.objects.values_list("device", flat=True)) == ["Chrome on Linux"]
    assert UserSession.objects.count() == 1


def test_ending_this_session_from_the_list_signs_out_here(alex):
    laptop = sign_in(CHROME_LINUX)
    record = SignedInSession.objects.get()
    response = laptop.post(f"/privacy/sessions/{record.pk}/end/")
    assert response["Location"] == "/accounts/login/"
    assert laptop.get("/journal/").status_code == 302
    assert not SignedInSession.objects.exists()


def test_someone_elses_session_is_not_found_and_stays_signed_in(alex, sam):
    phone = sign_in(FIREFOX_ANDROID)
    record = SignedInSession.objects.get(user=alex)
    assert client_for(sam).post(f"/privacy/sessions/{record.pk}/end/").status_code == 404
    assert phone.get("/journal/").status_code == 200


def test_signing_out_everywhere_ends_every_listed_session(alex):
    phone = sign_in(FIREFOX_ANDROID)
    laptop = sign_in(CHROME_LINUX)
    assert b'action="/accounts/sign-out-everywhere/"' in laptop.get("/privacy/").content
    laptop.post("/accounts/sign-out-everywhere/")
    assert phone.get("/journal/").status_code == 302
    assert not SignedInSession.objects.exists()


def test_signing_out_removes_the_session_from_the_list(alex):
    phone = sign_in(FIREFOX_ANDROID)
    sign_in(CHROME_LINUX)
    phone.post("/accounts/logout/")
    assert list(SignedInSession.objects.values_list("device", flat=True)) == ["Chrome on Linux"]


def test_only_a_hash_of_the_session_key_is_kept(alex):
    laptop = sign_in(CHROME_LINUX)
    key = laptop.session.session_key
    assert SignedInSession.objects.get().key_hash == sessions.key_hash(key)
    assert rows_containing(key) == ["accounts_usersession.session_key"]
    assert rows_containing(CHROME_LINUX) == []  # the browser's own header is not kept


def test_last_seen_moves_with_use_at_most_once_a_minute(alex, time_machine):
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    laptop = sign_in(CHROME_LINUX)
    time_machine.move_to("2026-03-01 10:00:30Z", tick=False)
    laptop.get("/journal/")
    assert SignedInSession.objects.get().last_seen.minute == 0
    time_machine.move_to("2026-03-01 10:05Z", tick=False)
    laptop.get("/journal/")
    record = SignedInSession.objects.get()
    assert (record.created.minute, record.last_seen.minute) == (0, 5)


def test_a_session_left_idle_is_no_longer_listed(alex, time_machine):
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    sign_in(FIREFOX_ANDROID)
    time_machine.move_to("2026-03-01 10:10Z", tick=False)
    laptop = sign_in(CHROME_LINUX)
    time_machine.move_to("2026-03-01 10:35Z", tick=False)
    page = text_of(laptop.get("/privacy/"))
    assert "Chrome on Linux" in page
    assert "Firefox on Android" not in page


def test_changing_the_password_keeps_this_session_listed_since_it_began(alex, time_machine):
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    laptop = sign_in(CHROME_LINUX)
    time_machine.move_to("2026-03-01 10:05Z", tick=False)
    new = "a completely new passphrase 42"
    laptop.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    laptop.get("/privacy/")
    record = SignedInSession.objects.get()
    assert record.key_hash == sessions.key_hash(laptop.session.session_key)
    assert (record.device, record.created.minute) == ("Chrome on Linux", 0)


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX_ANDROID, "Firefox on Android"),
        (CHROME_LINUX, "Chrome on Linux"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_devices_are_described_coarsely(user_agent, described):
    assert describe(user_agent) == described


# Deleting the account


def rows_naming(user_id: int) -> list[str]:
    """Every row, in every table of every model, that points at the person by a foreign key."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if not isinstance(field, models.ForeignKey) or field.related_model is not User:
                continue
            count = model._default_manager.filter(**{field.attname: user_id}).count()
            if count:
                found.append(f"{model._meta.label}.{field.name}: {count}")
    return found


def counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def delete_account(client: Client, **data: str):
    return client.post("/privacy/delete/", {**CONFIRM, **data})


def test_the_confirmation_page_asks_for_the_password_and_the_words(everything):
    page = text_of(client_for(everything.alex).get("/privacy/delete/"))
    assert 'type="password"' in page
    assert "Type “delete my account” to confirm" in page
    assert "You and Sam are unpaired" in page
    assert "Your consent to your therapist is withdrawn." in page


def test_the_check_of_rows_naming_someone_finds_them(everything):
    # Without this, an empty list after deletion could mean the check looks nowhere.
    client_for(everything.alex)
    found = rows_naming(everything.alex.pk)
    for label in (
        *("assessments.Answer", "journal.JournalEntry", "vault.UserKey", "practices.Draft"),
        *("checkins.CheckIn", "couples.Membership", "therapists.Grant", "therapists.AuditEvent"),
        "privacy.SignedInSession",
    ):
        assert any(row.startswith(label) for row in found), label


def test_deleting_leaves_no_row_that_names_the_person(everything):
    alex = everything.alex
    alex_id = str(alex.pk)
    Client().post("/accounts/login/", {"username": alex.email, "password": "wrong wrong wrong"})
    PendingSignup.start(alex.email, "Alex again", "not-a-real-hash")
    client = client_for(alex)
    other_device = sign_in(FIREFOX_ANDROID)
    mail.outbox.clear()

    response = delete_account(client)

    assert response.status_code == 200
    assert "Your account has been deleted" in text_of(response)
    assert not User.objects.filter(pk=alex.pk).exists()
    assert rows_naming(alex.pk) == []
    assert not [s for s in UserSession.objects.all() if s.get_decoded().get(SESSION_KEY) == alex_id]
    assert not PendingSignup.objects.filter(email=alex.email).exists()
    from axes.models import AccessAttempt, AccessFailureLog

    assert not AccessAttempt.objects.filter(username__iexact=alex.email).exists()
    assert not AccessFailureLog.objects.filter(username__iexact=alex.email).exists()
    assert not Couple.objects.filter(members__isnull=True).exists()
    assert not SharedEntry.objects.exists()
    # Signed out here and everywhere; nobody is emailed.
    assert client.get("/journal/").status_code == 302
    assert other_device.get("/journal/").status_code == 302
    assert mail.outbox == []


def sams_things(sam: User) -> dict[str, list[Any]]:
    return {
        "answers": list(
            Answer.objects.filter(owner=sam).values_list("instrument", "item", "value")
        ),
        "entries": [(e.title, e.body) for e in journal.entries(sam)],
        "drafts": [d.message for d in practices.drafts(sam)],
        "checkins": list(CheckIn.objects.filter(owner=sam).values_list("answers", "csi4")),
    }


def test_the_partner_keeps_all_his_own_data_and_is_unpaired(everything):
    sam = everything.sam
    before = sams_things(sam)

    delete_account(client_for(everything.alex))

    assert sams_things(sam) == before
    assert before["entries"] and before["answers"] and before["checkins"]
    assert couples.active_couple(sam) is None
    assert couples.partner_of(sam) is None
    assert not Share.objects.filter(owner=sam).exists()  # his sharing ended with the couple
    assert not JournalEntry.objects.filter(owner=sam, shared_with_partner=True).exists()
    assert not Draft.objects.filter(owner=sam, sent_in__isnull=False).exists()
    assert Membership.objects.filter(user=sam, active=False).count() == 1
    assert "You're not paired" in text_of(client_for(sam).get("/privacy/"))


def test_a_therapists_account_can_be_deleted_and_the_clients_keep_their_record(everything):
    theo = everything.theo
    delete_account(client_for(theo))
    assert rows_naming(theo.pk) == []
    assert not Case.objects.exists()
    assert therapists.grants_for(everything.alex) == []
    # Alex's record of who read his data stays his, with the reader's name.
    assert [e.therapist_name for e in AuditEvent.objects.filter(subject=everything.alex)] == [
        "Theo"
    ]


def test_a_wrong_password_deletes_nothing_and_says_so(everything):
    client = client_for(everything.alex)
    before = counts()
    response = delete_account(client, password="not my password at all")
    assert response.status_code == 200
    assert "That is not your password. Nothing has been deleted." in text_of(response)
    assert counts() == before
    assert UserKey.objects.filter(user=everything.alex).exists()


@pytest.mark.parametrize("typed", ["", "delete", "delete my acount", "keep my account"])
def test_without_the_words_nothing_is_deleted(everything, typed):
    client = client_for(everything.alex)
    before = counts()
    response = delete_account(client, confirmation=typed)
    assert response.status_code == 200
    assert "Nothing has been deleted" in text_of(response)
    assert counts() == before


def test_the_words_may_differ_in_case_and_spacing(alex):
    delete_account(client_for(alex), confirmation="  Delete  my ACCOUNT ")
    assert not User.objects.filter(pk=alex.pk).exists()


def test_a_failure_half_way_deletes_nothing_not_even_the_key(everything, monkeypatch):
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(User, "delete", fail)
    before = counts()
    with pytest.raises(RuntimeError):
        privacy.delete_account(everything.alex)
    assert counts() == before
    assert [e.body for e in journal.entries(everything.alex)] == ["Just mine", "Read me"]


def test_the_key_goes_first_so_no_later_row_could_be_read(everything, monkeypatch):
    order = []
    forget = vault.forget_key
    monkeypatch.setattr(vault, "forget_key", lambda person: (order.append("key"), forget(person)))
    original_delete = User.delete

    def delete(self, *args, **kwargs):
        order.append("rows")
        return original_delete(self, *args, **kwargs)

    monkeypatch.setattr(User, "delete", delete)
    privacy.delete_account(everything.alex)
    assert order == ["key", "rows"]


@pytest.mark.django_db(transaction=True)
def test_deletion_leaves_no_canary_in_the_database(tmp_path):
    alex = make_user("alex@example.org", f"Alex {CANARY}")
    sam = make_user("sam@example.org", "Sam")
    pair = Couple.objects.create()
    Membership.objects.create(couple=pair, user=alex)
    Membership.objects.create(couple=pair, user=sam)
    make_everything(alex, sam, words=f" {CANARY}")
    ApiToken.issue(alex, f"{CANARY} token")
    # The scan finds the name and token name, stored as they are, before deletion.
    assert found_in_database(tmp_path / "before.sqlite3")

    response = delete_account(client_for(alex))

    assert response.status_code == 200
    assert not found_in_database(tmp_path / "after.sqlite3")
    assert journal.entries(sam)  # Sam's entries are still there and readable


def found_in_database(copy) -> list[str] | bool:
    """Where the canary is: on SQLite, anywhere in the file (free pages too); else, any row."""
    if connection.vendor == "sqlite":
        return CANARY.casefold().encode() in database_file_bytes(copy).lower()
    return rows_containing(CANARY)


def test_sqlite_connections_overwrite_deleted_rows(db):
    if connection.vendor != "sqlite":
        pytest.skip("a SQLite setting")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_deleting_needs_a_signed_in_post_and_a_get_deletes_nothing(alex):
    assert Client().post("/privacy/delete/", CONFIRM).status_code == 302
    assert client_for(alex).get("/privacy/delete/", CONFIRM).status_code == 200
    assert User.objects.filter(pk=alex.pk).exists()


def test_old_sessions_expire_from_the_list_after_the_longest_session(alex, time_machine, settings):
    time_machine.move_to("2026-03-01 10:00Z", tick=False)
    laptop = sign_in(CHROME_LINUX)
    later = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    SignedInSession.objects.update(last_seen=later)
    time_machine.move_to(later, tick=False)
    assert sessions.live(alex) == []
    assert laptop.get("/journal/").status_code == 302


# For the route-wide tests


def signed_in_and_consent(alex: User) -> tuple[int, int]:
    """Alex signed in on another device, and a consent he gave a therapist: their ids."""
    client_for(alex)
    session = SignedInSession.objects.filter(user=alex).latest("pk")
    theo = make_user("theo@example.org", "Theo")
    therapists.make_therapist(theo)
    _case, link = therapists.open_case(theo, "Alex", "single")
    return session.pk, therapists.accept(alex, link, ["checkin_trends"]).pk


def test_the_export_is_streamed_and_reads_as_the_same_document(alex, sam, couple):
    import json

    from attunement.web.checkins import services as checkin_services
    from attunement.web.journal import services as journal_services
    from attunement.web.privacy import services as privacy_services

    for n in range(3):
        journal_services.write(alex, prompt="", title=f"T{n}", body=f"body {n}")
    checkin_services.take(alex, {"1": 5, "2": 4, "3": 4, "4": 4, "W1": 3, "W2": 3, "W3": 3})
    response = client_for(alex).post("/privacy/export/")
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    expected = privacy_services.export(alex)
    found = json.loads(text)
    found["exported_at"] = expected["exported_at"]
    assert found == expected
    assert [e["title"] for e in found["journal"]] == ["T0", "T1", "T2"]
    assert len(found["checkins"]) == 1
    same = json.dumps(expected, ensure_ascii=False, indent=2)
    assert "".join(privacy_services.stream(alex)).split("\n")[4:] == same.split("\n")[4:]


def test_every_part_of_the_export_is_registered_by_the_app_that_keeps_it():
    from attunement.web.privacy import registry

    registered = registry.exporters()
    assert set(privacy.LAYOUT) <= set(registered)  # no part falls back to its empty value
    owners = {key: exporter.__module__ for key, exporter in registered.items()}
    assert owners["journal"] == "attunement.web.journal.privacy"
    assert owners["therapist_workspace"] == "attunement.web.therapists.privacy"
    steps = [eraser.__module__ for eraser in registry.erasers()]
    assert steps[0] == "attunement.web.vault.privacy"  # the key before anything else
