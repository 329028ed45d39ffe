"""The pages of the message loop: from your partner, marking read, replying."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attunement.practices import flows
from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services as couples
from attunement.web.couples.decorators import partner_required
from attunement.web.practices import exchange, services
from attunement.web.practices.forms import ReplyForm


@partner_required
@require_GET
def received(request: SignedInRequest) -> HttpResponse:
    """What the partner chose to send, their replies, and a guide to receiving it well."""
    me = request.user
    context = {
        "partner": couples.partner_of(me),
        "inbox": exchange.inbox(me),
        "paused": services.messages_paused(me),
        "guide": flows.listener_guide(),
    }
    return render(request, "practices/received.html", context)


@partner_required
@require_POST
def mark_read(request: SignedInRequest, draft_id: int) -> HttpResponse:
    tell = request.POST.get("tell") == "yes"
    try:
        exchange.mark_read(request.user, draft_id, tell=tell)
    except services.DraftNotFound:
        raise Http404 from None
    partner = couples.partner_of(request.user)
    name = partner.display_name if partner else ""
    if tell:
        messages.success(request, _("%(name)s can now see that you have read it.") % {"name": name})
    else:
        messages.success(request, _("Marked as read. Only you know."))
    return redirect("practices:received")


@partner_required
@require_POST
def reply_read(request: SignedInRequest, reply_id: int) -> HttpResponse:
    try:
        exchange.mark_reply_read(request.user, reply_id)
    except services.DraftNotFound:
        raise Http404 from None
    messages.success(request, _("Marked as read. Only you know."))
    return redirect("practices:received")


@partner_required
@require_http_methods(["GET", "POST"])
def reply(request: SignedInRequest, draft_id: int) -> HttpResponse:
    """A reply following the listener's guide: acknowledge, reflect, ask."""
    me = request.user
    found = [d for d in services.received(me) if d.pk == draft_id]
    if not found:
        raise Http404
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange.reply(me, draft_id, form.cleaned_data)
        except services.DraftNotFound:
            raise Http404 from None
        except services.PracticeError as error:
            form.add_error(None, str(error))
        else:
            partner = couples.partner_of(me)
            name = partner.display_name if partner else ""
            sent = _("Your reply is sent. %(name)s can read it.") % {"name": name}
            messages.success(request, sent)
            return redirect("practices:received")
    context = {
        "partner": couples.partner_of(me),
        "draft": found[0],
        "form": form,
        "guide": flows.listener_guide(),
    }
    return render(request, "practices/reply.html", context)
