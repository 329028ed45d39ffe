"""The privacy pages: the overview and its controls, the export download, deleting the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services as couples
from attunement.web.practices import services as practices
from attunement.web.privacy import controls, services, sessions
from attunement.web.privacy.forms import DeleteAccountForm

# Every answer here is never stored by a browser or proxy (`never_cache`), including
# those given just after signing the person out, which the site-wide rule misses.


@never_cache
@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """What the person shares with whom, who read it, where they are signed in, and their data."""
    me = request.user
    key = request.session.session_key
    context = {
        "overview": services.overview(me),
        "sessions": [(s, sessions.is_current(s, key)) for s in sessions.live(me)],
        "sharing": controls.shares_anything(me),
        "messages_paused": practices.messages_paused(me),
    }
    return render(request, "privacy/index.html", context)


def _back(request: SignedInRequest) -> HttpResponse:
    """Back to the page the control was on (one of ours), or to the privacy page."""
    wanted = request.POST.get("next", "")
    safe = wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(wanted if safe else "privacy:index")


@never_cache
@login_required
@require_POST
def stop_sharing(request: SignedInRequest) -> HttpResponse:
    """Every unshare the person could make by hand, at once."""
    controls.stop_sharing_everything(request.user)
    messages.success(request, _("Done. Your partner no longer sees anything of yours."))
    return _back(request)


@never_cache
@login_required
@require_POST
def pause_messages(request: SignedInRequest) -> HttpResponse:
    """Switch the pause of messages from the partner on ("1") or off (anything else)."""
    paused = request.POST.get("paused") == "1"
    controls.pause_messages(request.user, paused)
    if paused:
        messages.success(request, _("Messages from your partner are paused until you resume."))
    else:
        messages.success(request, _("Messages from your partner are shown again."))
    return _back(request)


@never_cache
@login_required
@require_POST
def export(request: SignedInRequest) -> StreamingHttpResponse:
    """Everything of the person's as a JSON file.

    A POST (with its CSRF token), so that no link on another site can make the
    browser save a copy of someone's data without them asking for it.
    """
    chunks = services.stream(request.user)
    response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
    name = f"attunement-export-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@login_required
@require_POST
def end_session(request: SignedInRequest, session_id: int) -> HttpResponse:
    try:
        record = sessions.find(request.user, session_id)
    except sessions.SessionNotFound:
        raise Http404 from None
    if sessions.is_current(record, request.session.session_key):
        logout(request)
        return redirect("accounts:login")
    sessions.end(record)
    messages.success(request, _("That session is signed out."))
    return redirect("privacy:index")


@never_cache
@login_required
@require_POST
def revoke_token(request: SignedInRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(request.user, token_id)
    except services.TokenNotFound:
        raise Http404 from None
    messages.success(request, _("That API token is revoked. Scripts using it are refused."))
    return redirect("privacy:index")


@never_cache
@login_required
@require_POST
def withdraw_consent(request: SignedInRequest, grant_id: int) -> HttpResponse:
    try:
        services.withdraw_consent(request.user, grant_id)
    except services.ConsentNotFound:
        raise Http404 from None
    messages.success(request, _("Your consent is withdrawn. The therapist can no longer see it."))
    return redirect("privacy:index")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest) -> HttpResponse:
    """A confirmation asking for the password and the words; then the account is deleted."""
    me = request.user
    form = DeleteAccountForm(me, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(me)
        logout(request)
        # Rendered, not redirected: nothing about the account outlives this response.
        return render(request, "privacy/deleted.html")
    context = {
        "form": form,
        "partner": couples.partner_of(me),
        "consents": services.consents(me),
    }
    return render(request, "privacy/delete.html", context)
