"""Who may use the therapist workspace's records: a case is its therapist's while it is open;
a consent is its client's; a therapist reads a client's data under an open consent only.

Which of the client's data a consent opens is its scopes (`Grant.scopes`), and pages get
that data only through `attunement.consent.serve`, fed with the consents `CLIENT` allows.
Who counts as a therapist at all (an active account, its second factor passed in this
session) is checked before any of this by `decorators.therapist_required`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from attunement.consent import Scope
from attunement.web.accounts.models import User
from attunement.web.core.policy import Rule
from attunement.web.therapists.models import Case, Grant


def _cases_of(therapist: User) -> QuerySet[Case]:
    return Case.objects.filter(therapist=therapist, ended__isnull=True)


def _runs(therapist: User, case: Case) -> bool:
    return case.therapist_id == therapist.pk and case.ended is None


def _consents_of(person: User) -> QuerySet[Grant]:
    return Grant.objects.filter(person=person, revoked__isnull=True, case__ended__isnull=True)


def _gave(person: User, grant: Grant) -> bool:
    return grant.person_id == person.pk and grant.revoked is None and grant.case.ended is None


def _read_under(therapist: User) -> QuerySet[Grant]:
    return Grant.objects.filter(
        case__therapist=therapist, case__ended__isnull=True, revoked__isnull=True
    )


def _may_read_under(therapist: User, grant: Grant) -> bool:
    return grant.revoked is None and _runs(therapist, grant.case)


# Open, summarise, record a session in, invite to and end a case: its therapist, until it ends.
CASE = Rule("therapists.case", _cases_of, _runs)
# Change the scopes of, withdraw, and share journal entries under a consent: the client.
CONSENT = Rule("therapists.consent", _consents_of, _gave)
# Read a client's data under their consent: the case's therapist, while consent and case last.
CLIENT = Rule("therapists.client", _read_under, _may_read_under)


def may_read(therapist: User, grant: Grant, scope: Scope) -> bool:
    """Whether the therapist may read this kind of the client's data under this consent."""
    return CLIENT.allows(therapist, grant) and scope in grant.scopes


RULES = (CASE, CONSENT, CLIENT)
