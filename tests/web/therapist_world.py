"""Riley, a therapist, and the things the therapist tests share: cases, consent, check-ins.

Riley's second factor is set up with a known secret, so a test can sign in with a
real code (`code_now`) or mark a test client's session as having passed it
(`verified_client`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from attunement import totp
from attunement.web.accounts.models import User
from attunement.web.checkins.models import CheckIn
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.practices import services as practices
from attunement.web.therapists import services, shared_entries, twofactor
from attunement.web.therapists.models import AuditEvent, Case, Therapist
from web.conftest import client_for, make_user
from web.matrix_data import comparable

# The RFC 6238 test secret: fine for tests, never for a person.
SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
EVERYTHING = ("couple_report", "checkin_trends", "practice_activity")


def make_therapist(email: str, name: str) -> User:
    """A therapist whose authenticator app is set up with SECRET."""
    user = make_user(email, name)
    therapist, _ = services.make_therapist(user)
    twofactor.store_secret(therapist, SECRET)
    therapist.totp_confirmed = timezone.now()
    therapist.save(update_fields=["totp_confirmed"])
    return user


def profile(user: User) -> Therapist:
    return Therapist.objects.get(owner=user)


def code_now() -> str:
    return totp.code_at(SECRET, time.time())


def verified_client(user: User) -> Client:
    """Signed in, with the second factor passed in this session."""
    client = client_for(user)
    session = client.session
    session[twofactor.SESSION_KEY] = twofactor.session_mark(profile(user))
    session.save()
    return client


def open_case(
    therapist: User,
    joined: Mapping[User, Iterable[str]],
    *,
    kind: str = Case.Kind.COUPLE,
    label: str = "A. and S.",
) -> Case:
    """A case the people joined through its link, each granting their own scopes."""
    case, token = services.open_case(therapist, label, kind)
    for person, scopes in joined.items():
        services.accept(person, token, scopes)
    return case


def grant_of(case: Case, person: User) -> int:
    return case.grants.get(person=person, revoked__isnull=True).pk


def weekly_checkins(
    person: User, totals: Iterable[float], *, end: datetime | None = None
) -> list[CheckIn]:
    """One check-in a week, the last one on `end` (now by default), with these CSI-4 totals."""
    values = list(totals)
    last = end or timezone.now()
    made = []
    for weeks_back, total in zip(range(len(values) - 1, -1, -1), values, strict=True):
        taken = last - timedelta(weeks=weeks_back)
        made.append(
            CheckIn.objects.create(
                owner=person,
                taken=taken,
                day=taken.astimezone(UTC).date(),
                answers={},
                csi4=total,
                connection=2.0,
            )
        )
    return made


def some_practice(person: User) -> None:
    """A practice logged, a guided exercise kept, a journal entry: metadata for the therapist."""
    practices.log(person, "soft_start", "private note, never shown")
    draft = practices.keep(practices.start(person, "feedback_wheel"), "private words")
    assert draft.finished is not None
    journal.write(person, prompt="my_part", title="Private title", body="Private body")


# For the non-interference test: Riley, to whom Alex and Sam grant everything.


def riley_for(alex: User, sam: User, entry: JournalEntry) -> dict[str, Any]:
    """Both grant Riley everything, after weeks of check-ins; Alex shares one journal entry."""
    riley = make_therapist("riley@example.org", "Riley")
    weekly_checkins(alex, [15, 14, 14, 12, 11])
    weekly_checkins(sam, [13, 12, 12, 12, 12])
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    shared_entries.share_entry(alex, entry.pk, grant_of(case, alex))
    _waiting, link = services.open_case(riley, "Waiting", "single")
    return {"riley": riley, "case": case, "grant": grant_of(case, alex), "link": link}


def therapist_arguments(therapy: dict[str, Any], entry: JournalEntry) -> dict[str, list[Any]]:
    """The therapist routes' parameters, for a test that fetches every route."""
    case = [{"case_id": therapy["case"].pk}]
    grant = [{"grant_id": therapy["grant"]}]
    return {
        **{f"therapists:{name}": case for name in ("case", "summary", "summary_pdf")},
        **{f"therapists:{name}": case for name in ("record_session", "new_invitation", "end_case")},
        "therapists:join": [{"token": therapy["link"]}],
        "therapists:change_consent": grant,
        "therapists:withdraw": grant,
        "therapists:share_entry": [{"entry_id": entry.pk}],
        "therapists:unshare_entry": [{"entry_id": entry.pk}],
    }


def riley_looks(therapy: dict[str, Any]) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """Riley's pages about the case, as `comparable` gives them.

    Each read is audited, and the audit shows on Alex's and Sam's own pages; it is
    cleared afterwards so that every look starts from the same state.
    """
    client = verified_client(therapy["riley"])
    case = f"/therapist/cases/{therapy['case'].pk}/"
    paths = ["/therapist/", case, case + "summary/", case + "summary.pdf"]
    found = {path: comparable(client.get(path)) for path in paths}
    AuditEvent.objects.all().delete()
    return found
