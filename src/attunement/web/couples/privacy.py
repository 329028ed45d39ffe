"""A person's couples and invitations in their export; deleting the account unpairs them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from attunement.web.accounts.models import User
from attunement.web.couples import services
from attunement.web.couples.models import Couple, Invitation, Membership, Share
from attunement.web.privacy.registry import Step, erases, exports, when


@exports("couples")
def couples(person: User) -> list[dict[str, Any]]:
    found = []
    memberships = Membership.objects.filter(user=person).select_related("couple")
    for membership in memberships.order_by("joined", "pk"):
        couple = membership.couple
        other = Membership.objects.filter(couple=couple).exclude(user=person).first()
        shares = Share.objects.filter(owner=person, couple=couple).order_by("instrument")
        found.append(
            {
                "joined": when(membership.joined),
                "active": membership.active,
                "ended": when(couple.ended),
                # The partner's display name, and nothing else of theirs.
                "partner": other.user.display_name if other else None,
                "shared_with_partner": [
                    {"instrument": s.instrument, "since": when(s.created)} for s in shares
                ],
            }
        )
    return found


@exports("invitations")
def invitations(person: User) -> list[dict[str, Any]]:
    return [
        {
            "created": when(i.created),
            "expires": when(i.expires),
            "redeemed": when(i.redeemed),
            "revoked": when(i.revoked),
        }
        for i in Invitation.objects.filter(inviter=person).order_by("created", "pk")
    ]


@erases(Step.COUPLE)
def unpair(person: User) -> Callable[[], None]:
    """Unpair as on unpairing (both partners' sharing ends); a couple left empty goes after."""
    with suppress(services.NotPaired):
        services.unpair(person)
    theirs = list(Membership.objects.filter(user=person).values_list("couple_id", flat=True))

    def remove_empty_couples() -> None:
        Couple.objects.filter(pk__in=theirs, members__isnull=True).delete()

    return remove_empty_couples
