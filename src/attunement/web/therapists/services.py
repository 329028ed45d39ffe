"""The therapist workspace's rules: who is a therapist, cases, consent, audit, shared entries.

A therapist invites a couple or one client to a case with a link (valid for a
week, stored only as a hash). Each client who opens it grants any of three scopes
(`attunement.consent.Scope`) for themselves only; in a couple, each partner's
choice is their own. A client may change or withdraw their consent at any time,
with effect on the therapist's very next request: nothing is cached. When the
last client of a case withdraws, the case ends. The therapist may end a case too.

For other pages (the person's privacy page):

- `grants_for(person)`: the person's open consents, newest first, each with its
  case and therapist (`grant.case.therapist`) and `grant.scopes`;
- `revoke(person, grant_id)`: withdraw one of them (GrantNotFound if it is not
  theirs or already closed); entries shared under it stop being shared;
- `audit.audit_for(person)`: every read of the person's data by a therapist,
  newest first: `therapist_name`, `what` (`get_what_display()`), `scope_list`, `at`.

What therapists read is recorded in audit.py; entries shared with a therapist are
in shared_entries.py.

Someone else's case, consent or entry is treated exactly like one that does not exist.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from attunement import consent
from attunement.consent import Scope
from attunement.web.accounts.models import User, hash_secret
from attunement.web.couples import services as couples
from attunement.web.therapists import policy
from attunement.web.therapists.models import (
    INVITATION_LIFETIME,
    Case,
    CaseInvitation,
    Grant,
    SessionDate,
    SharedEntry,
    Therapist,
)

# Tokens are 43 characters; anything much longer is not one of ours.
TOKEN_MAX_LENGTH = 100
LABEL_MAX_LENGTH = 80


class Refused(Exception):
    """Something the rules do not allow; the message can be shown to the person."""

    message: str | Promise = _("That can't be done right now.")

    def __str__(self) -> str:
        return str(self.message)


class OwnCase(Refused):
    message = _("This invitation is to one of your own cases. It's for your clients to open.")


class PartnersCase(Refused):
    message = _(
        "This invitation is from your partner. A partner cannot also be your therapist here."
    )


class AlreadyJoined(Refused):
    message = _("You have already joined this case.")


class NotPaired(Refused):
    message = _(
        "This invitation is for a couple. Pair with your partner in Attunement first, "
        "then open the invitation again."
    )


class NotTheirPartner(Refused):
    message = _("This invitation is for another couple.")


class CaseNotFound(LookupError):
    """No such open case of this therapist: missing, ended and someone else's look alike."""


class GrantNotFound(LookupError):
    """No such open consent of this person: missing, closed and someone else's look alike."""


class InvitationNotFound(LookupError):
    """No usable invitation: missing, expired, revoked and full look alike."""


class EntryNotFound(LookupError):
    """No such journal entry of this person."""


# Therapists


def therapist_of(user: User) -> Therapist | None:
    """The person's therapist profile, if an operator made them one and it is active."""
    return Therapist.objects.filter(owner=user, active=True).first()


def make_therapist(user: User) -> tuple[Therapist, bool]:
    """Let the person use the workspace (after they set up a second factor); (profile, new)."""
    therapist, created = Therapist.objects.get_or_create(owner=user)
    if not therapist.active:
        therapist.active = True
        therapist.save(update_fields=["active"])
    return therapist, created


def remove_therapist(user: User) -> bool:
    """Close the workspace to the person; their cases stay, unreadable until made again."""
    return Therapist.objects.filter(owner=user, active=True).update(active=False) > 0


# Cases and invitations


def open_case(therapist: User, label: str, kind: str) -> tuple[Case, str]:
    """A new case and its first invitation link's token, returned once and never stored."""
    label = label.strip()
    if not label or len(label) > LABEL_MAX_LENGTH:
        raise ValueError(f"a case's name must be 1 to {LABEL_MAX_LENGTH} characters")
    if kind not in Case.Kind.values:
        raise ValueError(f"a case is {' or '.join(Case.Kind.values)}, not {kind!r}")
    with transaction.atomic():
        case = Case.objects.create(therapist=therapist, label=label, kind=kind)
        _invitation, token = _issue(case)
    return case, token


def cases_of(therapist: User) -> QuerySet[Case]:
    return policy.CASE.visible(therapist)


def case_of(therapist: User, case_id: int) -> Case:
    case = policy.CASE.find(therapist, case_id)
    if case is None:
        raise CaseNotFound
    return case


def new_invitation(therapist: User, case_id: int) -> tuple[CaseInvitation, str]:
    """A fresh link for a case with a place left; the earlier links stop working."""
    with transaction.atomic():
        case = case_of(therapist, case_id)
        if open_grants(case).count() >= case.places:
            raise Refused
        return _issue(case)


def _issue(case: Case) -> tuple[CaseInvitation, str]:
    now = timezone.now()
    case.invitations.filter(revoked__isnull=True).update(revoked=now)
    token = secrets.token_urlsafe(32)
    invitation = CaseInvitation.objects.create(
        case=case, token_hash=hash_secret(token), created=now, expires=now + INVITATION_LIFETIME
    )
    return invitation, token


def invitation_path(token: str) -> str:
    return reverse("therapists:join", args=[token])


def open_invitation(token: str) -> CaseInvitation | None:
    """The invitation behind a token, while someone could still join with it; else None."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    invitation = (
        CaseInvitation.objects.filter(
            token_hash=hash_secret(token),
            revoked__isnull=True,
            expires__gt=timezone.now(),
            case__ended__isnull=True,
            case__therapist__is_active=True,
            case__therapist__therapist__active=True,
        )
        .select_related("case__therapist")
        .first()
    )
    if invitation is None or open_grants(invitation.case).count() >= invitation.case.places:
        return None
    return invitation


def check_can_join(person: User, invitation: CaseInvitation) -> None:
    """Refused, with the reason, if the person may not join this case."""
    case = invitation.case
    if case.therapist_id == person.pk:
        raise OwnCase
    # A partner who is a therapist would see, through the workspace, what the couple's own
    # sharing keeps private, and go on seeing it while a safety screen pauses the couple.
    partner = couples.partner_of(person)
    if partner is not None and partner.pk == case.therapist_id:
        raise PartnersCase
    others = [g.person for g in open_grants(case).select_related("person")]
    if any(other.pk == person.pk for other in others):
        raise AlreadyJoined
    if case.kind == Case.Kind.COUPLE:
        if partner is None:
            raise NotPaired
        if any(other.pk != partner.pk for other in others):
            raise NotTheirPartner


def accept(person: User, token: str, scopes: Iterable[str]) -> Grant:
    """Join the case behind the token, granting exactly `scopes` for oneself.

    UnknownScope or a refusal saves nothing. The link keeps working for a partner
    until the case has everyone it is for.
    """
    chosen = consent.parse(scopes)
    with transaction.atomic():
        invitation = open_invitation(token)
        if invitation is None:
            raise InvitationNotFound
        # Hold the case row: two people joining at once cannot both take the last place.
        case = Case.objects.select_for_update().get(pk=invitation.case_id)
        invitation.case = case
        check_can_join(person, invitation)
        if open_grants(case).count() >= case.places:
            raise InvitationNotFound
        now = timezone.now()
        try:
            with transaction.atomic():
                grant = Grant.objects.create(
                    case=case, person=person, created=now, changed=now,
                    **{scope.value: scope in chosen for scope in Scope},
                )  # fmt: skip
        except IntegrityError:
            raise AlreadyJoined from None
        _stale(case.pk)
    return grant


def end_case(therapist: User, case_id: int) -> None:
    """The therapist closes a case: every consent in it ends, and the link stops working."""
    with transaction.atomic():
        case = case_of(therapist, case_id)
        _close(case)


def _close(case: Case) -> None:
    now = timezone.now()
    for grant in open_grants(case):
        _withdraw(grant, now)
    case.invitations.filter(revoked__isnull=True).update(revoked=now)
    case.ended = now
    case.save(update_fields=["ended"])


def record_session(therapist: User, case_id: int, held_on: date) -> SessionDate:
    """Note a day the therapist met the case; the same day twice is kept once."""
    if held_on > timezone.localdate():
        raise ValueError(f"a session date cannot be in the future ({held_on.isoformat()})")
    case = case_of(therapist, case_id)
    found, _made = SessionDate.objects.get_or_create(case=case, held_on=held_on)
    return found


# Consent


def open_grants(case: Case) -> QuerySet[Grant]:
    return case.grants.filter(revoked__isnull=True).order_by("created", "pk")


def grants_for(person: User) -> list[Grant]:
    """The person's open consents, newest first, with their case and therapist."""
    return list(
        policy.CONSENT.visible(person).select_related("case__therapist").order_by("-created", "-pk")
    )


def grant_for(person: User, grant_id: int) -> Grant:
    grant = (
        policy.CONSENT.visible(person).filter(pk=grant_id).select_related("case__therapist").first()
    )
    if grant is None:
        raise GrantNotFound
    return grant


def set_scopes(person: User, grant_id: int, scopes: Iterable[str]) -> Grant:
    """Grant exactly these scopes from now on (UnknownScope saves nothing)."""
    chosen = consent.parse(scopes)
    with transaction.atomic():
        grant = grant_for(person, grant_id)
        grant.note_withdrawn(frozenset(chosen))
        for scope in Scope:
            setattr(grant, scope.value, scope in chosen)
        grant.changed = timezone.now()
        grant.save(update_fields=[*(s.value for s in Scope), "changed", "withdrawn"])
        _stale(grant.case_id)
    return grant


def revoke(person: User, grant_id: int) -> None:
    """Withdraw consent at once; when nobody in the case consents any more, it ends."""
    with transaction.atomic():
        grant = grant_for(person, grant_id)
        _withdraw(grant, timezone.now())
        if not open_grants(grant.case).exists():
            _close(grant.case)


def withdraw_between_partners(first: User, second: User) -> int:
    """Withdraw every open consent one partner gave in a case the other runs; how many."""
    now = timezone.now()
    found = Grant.objects.filter(revoked__isnull=True).filter(
        Q(person=first, case__therapist=second) | Q(person=second, case__therapist=first)
    )
    withdrawn = 0
    for grant in found.select_related("case"):
        _withdraw(grant, now)
        if not open_grants(grant.case).exists():
            _close(grant.case)
        withdrawn += 1
    return withdrawn


def _withdraw(grant: Grant, now: datetime) -> None:
    SharedEntry.objects.filter(grant=grant).delete()
    grant.note_withdrawn(frozenset())
    Grant.objects.filter(pk=grant.pk).update(
        revoked=now, changed=now, couple_report=False, checkin_trends=False,
        practice_activity=False, withdrawn=grant.withdrawn,
    )  # fmt: skip
    grant.revoked = now
    _stale(grant.case_id)


def _stale(case_id: int) -> None:
    """Forget the case's caseload status at once: it may rest on what was just withdrawn."""
    Case.objects.filter(pk=case_id).update(
        status_on=None, attention=0, support_level="", report_level="", not_on_track=False
    )


def stale_for_person(person_id: int) -> None:
    """Something of the person's changed (a check-in, answers): their cases' status is stale."""
    Case.objects.filter(
        grants__person_id=person_id, grants__revoked__isnull=True, ended__isnull=True
    ).update(status_on=None)
