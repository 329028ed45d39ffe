"""The couple pages: inviting a partner, joining by link, choosing what to share, unpairing."""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from attunement.instruments.library import get
from attunement.web.accounts.models import User
from attunement.web.assessments import services as assessments
from attunement.web.core import people
from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services
from attunement.web.couples.decorators import partner_required
from attunement.web.couples.forms import SharingForm


@login_required
def partner(request: SignedInRequest) -> HttpResponse:
    """Your partner: how pairing works and your open links, or whom you're paired with."""
    me = request.user
    partner = services.partner_of(me)
    if partner is None:
        context: dict[str, Any] = {"invitations": services.open_invitations(me)}
        return render(request, "couples/partner.html", context)
    context = {
        "partner": partner,
        "couple": services.active_couple(me),
        "my_shares": [get(i) for i in services.shared_instruments(me)],
        "their_shares": [get(i) for i in services.shared_scores_visible_to(me)],
    }
    return render(request, "couples/partner.html", context)


@login_required
@require_POST
def create_invitation(request: SignedInRequest) -> HttpResponse:
    try:
        invitation, token = services.invite(request.user)
    except services.PairingRefused as refusal:
        messages.info(request, str(refusal))
        return redirect("couples:partner")
    # Rendered, not redirected: the link exists only in this response, never in a session.
    link = request.build_absolute_uri(services.invitation_path(token))
    context = {"invitation": invitation, "link": link}
    return render(request, "couples/invitation_created.html", context)


@login_required
@require_POST
def revoke_invitation(request: SignedInRequest, invitation_id: int) -> HttpResponse:
    try:
        services.revoke(request.user, invitation_id)
    except services.InvitationNotFound:
        raise Http404 from None
    messages.success(request, _("That invitation link no longer works."))
    return redirect("couples:partner")


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation landing page. Opening it never pairs anyone; only a POST does."""
    invitation = services.open_invitation(token)
    if invitation is None:
        return _unusable(request)
    me = people.person_or_none(request)
    if request.method == "POST":
        if me is None:
            return redirect_to_login(request.path)
        return _accept(request, me, token)
    # Sign-up keeps `next` until its email is confirmed: it gets the signed reference,
    # which holds the token's hash, instead of this page's own address with the token.
    back = urlencode({"next": services.invitation_reference_path(invitation)})
    context = {
        "inviter": invitation.inviter,
        "own": me is not None and me.pk == invitation.inviter_id,
        "already_paired": me is not None and services.active_couple(me) is not None,
        "login_url": f"{reverse('accounts:login')}?{back}",
        "signup_url": f"{reverse('accounts:signup')}?{back}",
    }
    return render(request, "couples/join.html", context)


def _accept(request: HttpRequest, me: User, token: str) -> HttpResponse:
    try:
        services.redeem(me, token)
    except services.InvitationNotFound:
        return _unusable(request)
    except services.PairingRefused:
        # The landing page explains why (their own link, or already paired).
        return redirect(request.path)
    partner = services.partner_of(me)
    name = partner.display_name if partner else ""
    messages.success(
        request,
        _("You're paired with %(name)s. Nothing is shared until you choose to share it.")
        % {"name": name},
    )
    return redirect("couples:partner")


def _unusable(request: HttpRequest) -> HttpResponse:
    # Missing, expired, used and revoked links all look the same, so a link reveals nothing.
    return render(request, "couples/join_unusable.html", status=404)


# What the couple report takes from each questionnaire, in plain words.
REPORT_READS = {
    "csi4": gettext_lazy("how satisfied each of you is with the relationship overall"),
    "ecr_rs": gettext_lazy("how each of you tends to reach for closeness or keep some distance"),
    "cpq_sf": gettext_lazy("who tends to press and who tends to pull back when things get hard"),
    "ucla3": gettext_lazy("how lonely each of you feels"),
    "connection": gettext_lazy(
        "the signs of distance, the ways each of you protects yourself, how evenly things are "
        "carried, and what already helps you repair"
    ),
}


@partner_required
@require_http_methods(["GET", "POST"])
def sharing(request: SignedInRequest) -> HttpResponse:
    """Share per questionnaire answered, or in one step what the couple report reads."""
    me = request.user
    taken = list(assessments.scores_for(me))
    offered = services.sharing_choices(me, taken)
    form = SharingForm(initial={"instruments": services.shared_instruments(me)}, offered=offered)
    if request.method == "POST":
        for_report = request.POST.get("share") == "report"
        if not for_report:
            form = SharingForm(request.POST, offered=offered)
        if for_report or form.is_valid():
            try:
                if for_report:
                    services.share_for_report(me, taken)
                else:
                    services.set_sharing(me, form.cleaned_data["instruments"])
            except services.NotPaired as refusal:
                messages.info(request, str(refusal))
                return redirect("couples:partner")
            messages.success(request, _("Your sharing choices are saved."))
            return redirect("couples:sharing")
    needed = [(i, REPORT_READS.get(i.id, ""), i.id in taken) for i in services.report_instruments()]
    shared = set(services.shared_instruments(me))
    context = {
        "form": form,
        "partner": services.partner_of(me),
        "single_answers": [(i, a) for i, a in services.single_answers() if i in offered],
        "report_needs": needed,
        "report_ready": [i for i, _reads, answered in needed if answered and i.id not in shared],
        "report_shared": all(i.id in shared for i, _reads, answered in needed if answered),
        "answered_any": bool(offered),
    }
    return render(request, "couples/sharing.html", context)


@partner_required
@require_http_methods(["GET", "POST"])
def unpair(request: SignedInRequest) -> HttpResponse:
    """Unpairing asks once for confirmation, then ends the couple and all sharing."""
    if request.method == "GET":
        context = {"partner": services.partner_of(request.user)}
        return render(request, "couples/unpair.html", context)
    # If the partner unpaired a moment earlier, the outcome is the same.
    with suppress(services.NotPaired):
        services.unpair(request.user)
    messages.info(
        request,
        _("You're no longer paired, and nothing is shared. Everything of your own is still here."),
    )
    return redirect("couples:partner")
