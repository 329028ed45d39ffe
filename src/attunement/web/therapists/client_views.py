"""The clients' side of the workspace: joining a case, giving and changing consent, sharing entries.

Each page acts for the signed-in person on their own consents and entries only.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attunement.web.accounts.models import User
from attunement.web.core import people
from attunement.web.core.people import SignedInRequest
from attunement.web.therapists import (
    audit,
    services,
    shared_entries,
)
from attunement.web.therapists.forms import (
    EntryShareForm,
    ScopesForm,
)
from attunement.web.therapists.models import Case, Grant


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation landing page: what each scope means; joining needs a POST."""
    invitation = services.open_invitation(token)
    if invitation is None:
        return render(request, "therapists/join_unusable.html", status=404)
    me = people.person_or_none(request)
    form = ScopesForm(request.POST or None)
    if request.method == "POST":
        if me is None:
            return redirect_to_login(request.path)
        if form.is_valid():
            try:
                grant = services.accept(me, token, form.cleaned_data["scopes"])
            except services.InvitationNotFound:
                return render(request, "therapists/join_unusable.html", status=404)
            except services.Refused:
                return redirect(request.path)  # the page says why
            name = grant.case.therapist.display_name
            messages.success(
                request,
                _("You joined %(name)s's workspace. You can change what you share at any time.")
                % {"name": name},
            )
            return redirect("therapists:consent")
    refusal = None
    if me is not None:
        try:
            services.check_can_join(me, invitation)
        except services.Refused as refused:
            refusal = str(refused)
    back = urlencode({"next": request.path})
    context = {
        "invitation": invitation,
        "therapist": invitation.case.therapist,
        "couple": invitation.case.kind == Case.Kind.COUPLE,
        "form": form,
        "refusal": refusal,
        "login_url": f"{reverse('accounts:login')}?{back}",
        "signup_url": f"{reverse('accounts:signup')}?{back}",
    }
    return render(request, "therapists/join.html", context)


@login_required
@require_GET
def consent(request: SignedInRequest) -> HttpResponse:
    """The person's therapists: what each may see, and what each has read."""
    grants = services.grants_for(request.user)
    context = {
        "grants": [(g, _scopes_form(g)) for g in grants],
        "audit": audit.audit_for(request.user, limit=100),
    }
    return render(request, "therapists/consent.html", context)


def _scopes_form(grant: Grant) -> ScopesForm:
    # One form per therapist on the page: ids are made distinct, the field names stay the same.
    initial = {"scopes": [s.value for s in grant.scopes]}
    return ScopesForm(initial=initial, auto_id=f"id_grant{grant.pk}_%s")


@login_required
@require_POST
def change_consent(request: SignedInRequest, grant_id: int) -> HttpResponse:
    form = ScopesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That choice is not one of the options; nothing was changed."))
        return redirect("therapists:consent")
    try:
        services.set_scopes(request.user, grant_id, form.cleaned_data["scopes"])
    except services.GrantNotFound:
        raise Http404 from None
    messages.success(request, _("Saved. It applies from the therapist's next page onwards."))
    return redirect("therapists:consent")


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: SignedInRequest, grant_id: int) -> HttpResponse:
    """Withdrawing asks once, then ends the consent at once."""
    try:
        grant = services.grant_for(request.user, grant_id)
    except services.GrantNotFound:
        raise Http404 from None
    if request.method == "GET":
        return render(request, "therapists/withdraw.html", {"grant": grant})
    services.revoke(request.user, grant.pk)
    messages.success(
        request,
        _("Done. %(name)s can no longer see anything of yours.")
        % {"name": grant.case.therapist.display_name},
    )
    return redirect("therapists:consent")


@login_required
@require_POST
def share_entry(request: SignedInRequest, entry_id: int) -> HttpResponse:
    return _entry_sharing(
        request, entry_id, shared_entries.share_entry,
        _("Shared with your therapist until you unshare it."),
    )  # fmt: skip


@login_required
@require_POST
def unshare_entry(request: SignedInRequest, entry_id: int) -> HttpResponse:
    return _entry_sharing(
        request, entry_id, shared_entries.unshare_entry,
        _("Unshared. Your therapist can no longer read this entry."),
    )  # fmt: skip


def _entry_sharing(
    request: SignedInRequest, entry_id: int, change: Callable[[User, int, int], object], done: str
) -> HttpResponse:
    """Share or unshare one journal entry with the therapist of the chosen consent."""
    form = EntryShareForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        change(request.user, entry_id, form.cleaned_data["grant"])
    except (services.EntryNotFound, services.GrantNotFound):
        raise Http404 from None
    messages.success(request, done)
    return redirect("journal:entry", entry_id)
