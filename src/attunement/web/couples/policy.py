"""Who may use a couple's records: an invitation link is its inviter's while it is open;
a partner reads the scale scores (check-ins included) the other chose to share with them."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from attunement.web.accounts.models import User
from attunement.web.core.policy import Rule
from attunement.web.couples.models import Invitation, Share


def still_open(now: datetime | None = None) -> Q:
    """Invitations that could still be used: neither redeemed, nor revoked, nor expired."""
    return Q(redeemed__isnull=True, revoked__isnull=True, expires__gt=now or timezone.now())


def _invitations_of(person: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(still_open(), inviter=person)


def _invited(person: User, invitation: Invitation) -> bool:
    return (
        invitation.inviter_id == person.pk
        and invitation.redeemed is None
        and invitation.revoked is None
        and invitation.expires > timezone.now()
    )


def _shared_with(viewer: User) -> QuerySet[Share]:
    # A couple's shares end with it, so a share in the viewer's active couple is current.
    mine = Q(couple__members__user=viewer, couple__members__active=True)
    return Share.objects.filter(mine).exclude(owner=viewer)


def _may_see(viewer: User, share: Share) -> bool:
    return (
        share.owner_id != viewer.pk
        and share.couple.members.filter(user=viewer, active=True).exists()
    )


# Revoke an invitation link: whoever made it, while it could still be used.
INVITATION = Rule("couples.invitation", _invitations_of, _invited)
# Read a partner's scale scores of one instrument (the couple report, check-ins): the partner
# it is shared with, in the couple it was shared in.
SHARED_SCORES = Rule("couples.shared_scores", _shared_with, _may_see)

RULES = (INVITATION, SHARED_SCORES)
