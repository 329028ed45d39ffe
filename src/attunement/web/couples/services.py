"""Pairing and sharing: the rules that the pages and the JSON API both follow.

A person can use everything alone. Pairing happens by an invitation link whose
token is shown once and stored only as a hash; unpairing ends all sharing at once.
What a person shares is per instrument and means its scale scores only: item
answers are never shared, and safety screens can never be shared.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from attunement.insight import REPORT_INSTRUMENTS
from attunement.instruments.library import library
from attunement.instruments.model import Instrument
from attunement.web.accounts.models import User
from attunement.web.core import derived
from attunement.web.couples import policy
from attunement.web.couples.models import (
    INVITATION_LIFETIME,
    Couple,
    Invitation,
    Membership,
    Share,
    hash_token,
)

# Sent inside the pairing transaction with `couple` and `members` (the two people).
paired = Signal()

# Enough for a lost link or two; more open links only mean more to leak.
MAX_OPEN_INVITATIONS = 5
# Tokens are 43 characters, signed references about 140; anything much longer is not ours.
TOKEN_MAX_LENGTH = 100
REFERENCE_MAX_LENGTH = 200
REFERENCE_SALT = "attunement.couples.invitation"


class PairingRefused(Exception):
    """An action the person's pairing state does not allow; the message can be shown to them."""

    code = "refused"
    message: str | Promise = _("That can't be done right now.")

    def __str__(self) -> str:
        return str(self.message)


class AlreadyPaired(PairingRefused):
    code = "already_paired"
    message = _("You're already paired. To pair with someone else, unpair first.")


class NotPaired(PairingRefused):
    code = "not_paired"
    message = _("You're not paired with anyone at the moment.")


class OwnInvitation(PairingRefused):
    code = "own_invitation"
    message = _("This is your own invitation link. It's for your partner to open.")


class TooManyInvitations(PairingRefused):
    code = "too_many_invitations"
    message = _(
        "You already have several open invitation links. Withdraw one before making another."
    )


class InvitationNotFound(LookupError):
    """No usable invitation. Missing, someone else's, expired, used or revoked all look alike."""


class NotShareable(ValueError):
    def __init__(self, instrument_ids: list[str]) -> None:
        self.instrument_ids = instrument_ids
        super().__init__(f"not shareable: {', '.join(instrument_ids)}")


# Who is paired with whom


def active_couple(user: User) -> Couple | None:
    return Couple.objects.filter(members__user=user, members__active=True).first()


def partner_of(user: User) -> User | None:
    couple = active_couple(user)
    if couple is None:
        return None
    other = couple.members.filter(active=True).exclude(user=user).select_related("user").first()
    return other.user if other else None


# Invitations


def open_invitations(user: User) -> list[Invitation]:
    """The person's invitation links that could still be used, oldest first."""
    return list(
        policy.INVITATION.visible(user).order_by("created", "pk"),
    )


def invite(user: User) -> tuple[Invitation, str]:
    """A new invitation and its token, which is returned this once and never stored."""
    with transaction.atomic():
        if active_couple(user) is not None:
            raise AlreadyPaired
        if len(open_invitations(user)) >= MAX_OPEN_INVITATIONS:
            raise TooManyInvitations
        return Invitation.issue(user)


def invitation_path(token: str) -> str:
    return reverse("couples:join", args=[token])


def revoke(user: User, invitation_id: int) -> None:
    """Make one of the person's open links unusable; anyone else's is as good as missing."""
    revoked = (
        policy.INVITATION.visible(user).filter(pk=invitation_id).update(revoked=timezone.now())
    )
    if not revoked:
        raise InvitationNotFound


def invitation_reference(invitation: Invitation) -> str:
    """A signed stand-in for an invitation's token, to carry through sign-up and sign-in.

    It holds the token's hash, never the token, so the `next` address a sign-up keeps
    until its email is confirmed cannot be turned back into the link. It opens the
    same landing page, and stops working when the invitation would.
    """
    return signing.dumps(invitation.token_hash, salt=REFERENCE_SALT, compress=False)


def invitation_reference_path(invitation: Invitation) -> str:
    return reverse("couples:join", args=[invitation_reference(invitation)])


def _token_hash(key: str) -> str | None:
    """The hash behind a link's token, or behind a signed reference (which holds a colon)."""
    if ":" not in key:
        return hash_token(key)
    try:
        found = signing.loads(key, salt=REFERENCE_SALT, max_age=INVITATION_LIFETIME)
    except signing.BadSignature:  # SignatureExpired included
        return None
    return found if isinstance(found, str) else None


def open_invitation(token: str) -> Invitation | None:
    """The invitation behind a token, if it can still be accepted; None in every other case.

    `token` is the link's token or a signed reference from `invitation_reference`.
    """
    if not token or len(token) > REFERENCE_MAX_LENGTH:
        return None
    token_hash = _token_hash(token)
    if token_hash is None:
        return None
    invitation = Invitation.objects.filter(token_hash=token_hash).select_related("inviter").first()
    if invitation is None or not invitation.usable or not invitation.inviter.is_active:
        return None
    # Once the inviter has paired with someone else, their old links say nothing about it.
    if active_couple(invitation.inviter) is not None:
        return None
    return invitation


def redeem(user: User, token: str) -> Couple:
    """Pair the signed-in invitee with the inviter; the token works once."""
    with transaction.atomic():
        invitation = open_invitation(token)
        if invitation is None:
            raise InvitationNotFound
        if invitation.inviter_id == user.pk:
            raise OwnInvitation
        if active_couple(user) is not None:
            raise AlreadyPaired
        now = timezone.now()
        # Claim the invitation with a conditional update so two tabs cannot both use it.
        claimed = Invitation.objects.filter(policy.still_open(now), pk=invitation.pk).update(
            redeemed=now, redeemed_by=user
        )
        if not claimed:
            raise InvitationNotFound
        couple = Couple.objects.create(created=now)
        try:
            with transaction.atomic():
                Membership.objects.bulk_create(
                    [
                        Membership(couple=couple, user=invitation.inviter, joined=now),
                        Membership(couple=couple, user=user, joined=now),
                    ]
                )
        except IntegrityError:
            # One of the two paired elsewhere in the meantime.
            raise InvitationNotFound from None
        Invitation.objects.filter(
            policy.still_open(now), inviter__in=[invitation.inviter, user]
        ).update(revoked=now)
        paired.send(sender=Couple, couple=couple, members=(invitation.inviter, user))
    return couple


def unpair(user: User) -> None:
    """End the person's couple; every share either partner made ends with it."""
    with transaction.atomic():
        couple = active_couple(user)
        if couple is None:
            raise NotPaired
        couple.end()


# Sharing


def shareable_instruments() -> list[Instrument]:
    """Every instrument whose scale scores may be shared; safety screens never are."""
    return [i for i in library().values() if i.screen is None]


def single_answers() -> list[tuple[Instrument, list[tuple[str, str]]]]:
    """Per shareable instrument, the scores that are one answer: (score title, question).

    Sharing such a score shows the partner exactly how that question was answered,
    so the sharing page lists them.
    """
    found = []
    for instrument in shareable_instruments():
        single = [
            (scale.title, instrument.item(scale.items[0]).text)
            for scale in instrument.scales
            if len(scale.items) == 1
        ]
        if single:
            found.append((instrument, single))
    return found


def shared_instruments(user: User) -> list[str]:
    """The instruments whose scale scores the person shares with their partner."""
    couple = active_couple(user)
    if couple is None:
        return []
    return _shareable_in_order(
        Share.objects.filter(owner=user, couple=couple).values_list("instrument", flat=True)
    )


def set_sharing(user: User, instrument_ids: Iterable[str]) -> list[str]:
    """Share exactly these instruments' scale scores with the partner, and stop sharing the rest."""
    wanted = set(instrument_ids)
    unknown = wanted - {i.id for i in shareable_instruments()}
    if unknown:
        raise NotShareable(sorted(unknown))
    with transaction.atomic():
        couple = active_couple(user)
        if couple is None:
            raise NotPaired
        Share.objects.filter(owner=user, couple=couple).exclude(instrument__in=wanted).delete()
        Share.objects.bulk_create(
            [Share(owner=user, couple=couple, instrument=i) for i in sorted(wanted)],
            ignore_conflicts=True,
        )
        derived.changed(user)
    return shared_instruments(user)


def report_instruments() -> list[Instrument]:
    """The questionnaires the couple report reads, when both partners share them."""
    return [i for i in shareable_instruments() if i.id in REPORT_INSTRUMENTS]


def sharing_choices(user: User, taken: Iterable[str]) -> list[Instrument]:
    """What the sharing page offers: questionnaires the person has answered, or shares already.

    Sharing one not yet answered would share nothing, so it is not offered; one already
    shared stays on the list so that it can be unshared.
    """
    offered = set(taken) | set(shared_instruments(user))
    return [i for i in shareable_instruments() if i.id in offered]


def share_for_report(user: User, taken: Iterable[str]) -> list[str]:
    """Also share every questionnaire the report reads that the person has answered."""
    needed = {i.id for i in report_instruments()} & set(taken)
    return set_sharing(user, set(shared_instruments(user)) | needed)


def shared_scores_visible_to(viewer: User) -> list[str]:
    """The instruments whose scale scores the viewer's partner shares with the viewer."""
    shared = policy.SHARED_SCORES.visible(viewer).values_list("instrument", flat=True)
    return _shareable_in_order(shared)


def _shareable_in_order(instrument_ids: Iterable[str]) -> list[str]:
    # Filtering here too means a stray row (say, a screen) can never reach a partner.
    chosen = set(instrument_ids)
    return [i.id for i in shareable_instruments() if i.id in chosen]
