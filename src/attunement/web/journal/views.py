"""The journal pages: a person's entries, writing and editing one, sharing it with their partner."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attunement.practices import prompts
from attunement.web.accounts.models import User
from attunement.web.assessments import services as assessments
from attunement.web.core import limits, safety_help
from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services as couples
from attunement.web.couples.decorators import partner_required
from attunement.web.journal import policy, services
from attunement.web.journal.forms import EntryForm, SearchForm
from attunement.web.journal.models import JournalEntry

# The safety concern whose positive screen makes the share button come with a private word.
PARTNER_VIOLENCE = "partner_violence"


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """The person's entries, newest first, and a search through them."""
    me = request.user
    form = SearchForm(request.GET or None)
    form.is_valid()  # each field is cleaned on its own: a bad cursor keeps the search
    query = form.cleaned_data.get("q", "") if form.is_bound else ""
    cursor = form.cleaned_data.get("cursor", "") if form.is_bound else ""
    found, after = services.entries_page(me, query, cursor or None)
    couple = couples.active_couple(me)
    context = {
        "form": form,
        "query": query,
        "entries": found,
        "cursor": cursor,
        "older_url": f"?{urlencode({'q': query, 'cursor': after})}" if after else None,
        "shared": {e.pk for e in found if services.is_shared(e, couple)},
        "any_entries": bool(found) or policy.ENTRY.visible(me).exists(),
        "partner": couples.partner_of(me),
        "suggested": services.suggested_prompt(me),
    }
    return render(request, "journal/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limits.limited("journal_write", limits.by_person)
def new(request: SignedInRequest) -> HttpResponse:
    """Choose a prompt (tonight's first) or write freely, then write."""
    me = request.user
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            written = services.write(me, **form.cleaned_data)
            # Never the entry's words in a message: messages can be stored in the session.
            messages.success(request, _("Saved. Only you can read this entry."))
            if safety_help.for_writing(form.cleaned_data["body"]):
                return redirect(written)  # its page shows the writer where to find help
            return redirect("journal:index")
        return _write_page(request, form, _guide(form.data.get("prompt", "")))
    if "prompt" not in request.GET:
        suggested = services.suggested_prompt(me)
        others = [p for p in prompts.prompts() if p != suggested]
        return render(request, "journal/choose.html", {"suggested": suggested, "others": others})
    chosen = request.GET["prompt"]
    if chosen and _guide(chosen) is None:
        return redirect("journal:new")
    return _write_page(request, EntryForm(initial={"prompt": chosen}), _guide(chosen))


@login_required
@require_GET
def entry(request: SignedInRequest, entry_id: int) -> HttpResponse:
    me = request.user
    found = _own(me, entry_id)
    couple = couples.active_couple(me)
    context = {
        "entry": found,
        "partner": couples.partner_of(me),
        "shared": services.is_shared(found, couple),
        "careful": _screened_for_partner_violence(me),
        # Crisis words in the person's own entry: help for them, on their own page only.
        "help": safety_help.for_writing(found.body) if found.readable else (),
    }
    return render(request, "journal/entry.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limits.limited("journal_write", limits.by_person)
def edit(request: SignedInRequest, entry_id: int) -> HttpResponse:
    me = request.user
    found = _own(me, entry_id)
    if not found.readable:
        return redirect(found)  # the entry page explains why it cannot be read
    newer = None
    if request.method == "POST":
        form = EntryForm(request.POST)
        if form.is_valid():
            based_on = _version(request.POST.get("version"))
            try:
                services.revise(found, **form.cleaned_data, based_on=based_on)
            except services.EditConflict as conflict:
                # Keep what they typed (the bound form) and show what was saved meanwhile.
                newer = found = conflict.current
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(found)  # its page shows help for crisis words
    else:
        guide = found.guide
        initial = {"prompt": guide.id if guide else "", "title": found.title, "body": found.body}
        form = EntryForm(initial=initial)
    shared = services.is_shared(found, couples.active_couple(me))
    extra: dict[str, object] = {"newer": newer, "version": services.version(found)}
    return _write_page(request, form, found.guide, entry=found, shared=shared, extra=extra)


def _version(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest, entry_id: int) -> HttpResponse:
    """Deleting asks once, then removes the entry for good."""
    me = request.user
    found = _own(me, entry_id)
    if request.method == "GET":
        return render(request, "journal/delete.html", {"entry": found})
    services.delete(me, found.pk)
    messages.success(request, _("The entry is deleted for good."))
    return redirect("journal:index")


@login_required
@require_POST
def share(request: SignedInRequest, entry_id: int) -> HttpResponse:
    me = request.user
    try:
        services.share(me, entry_id)
    except services.EntryNotFound:
        raise Http404 from None
    except services.NotPaired as refusal:
        messages.info(request, str(refusal))
        return redirect("journal:entry", entry_id)
    partner = couples.partner_of(me)
    messages.success(
        request,
        _("Shared. %(name)s can read this entry until you unshare it.")
        % {"name": partner.display_name if partner else ""},
    )
    return redirect("journal:entry", entry_id)


@login_required
@require_POST
def unshare(request: SignedInRequest, entry_id: int) -> HttpResponse:
    try:
        services.unshare(request.user, entry_id)
    except services.EntryNotFound:
        raise Http404 from None
    messages.success(request, _("Unshared. Only you can read this entry now."))
    return redirect("journal:entry", entry_id)


@partner_required
@require_GET
def shared(request: SignedInRequest) -> HttpResponse:
    """What the partner chose to share with the viewer; read only."""
    me = request.user
    cursor = request.GET.get("cursor", "")
    try:
        found, after = services.shared_page(me, cursor or None)
    except services.BadCursor:  # a mangled link: start again from the newest
        found, after = services.shared_page(me)
    context = {
        "partner": couples.partner_of(me),
        "entries": found,
        "older_url": f"?{urlencode({'cursor': after})}" if after else None,
    }
    return render(request, "journal/shared.html", context)


def _own(me: User, entry_id: int) -> JournalEntry:
    entry = policy.ENTRY.find(me, entry_id)
    if entry is None:  # someone else's is answered like a missing one
        raise Http404
    return entry


def _guide(prompt_id: str) -> prompts.Prompt | None:
    try:
        return prompts.get(prompt_id) if prompt_id else None
    except prompts.UnknownPrompt:
        return None


def _write_page(
    request: SignedInRequest,
    form: EntryForm,
    guide: prompts.Prompt | None,
    *,
    entry: JournalEntry | None = None,
    shared: bool = False,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    partner = couples.partner_of(request.user) if shared else None
    context = {
        "form": form,
        "guide": guide,
        "entry": entry,
        "shared_with": partner,
        **(extra or {}),
    }
    return render(request, "journal/write.html", context)


def _screened_for_partner_violence(me: User) -> bool:
    # The person's own screens only; nothing about them ever reaches the partner.
    return any(o.concern == PARTNER_VIOLENCE for o in assessments.screen_outcomes(me))
