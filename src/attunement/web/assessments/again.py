"""Answering the safety screens again, privately, and choosing to resume couple work.

Offered on the person's own pages when `rescreen.due` says so, and open to them
at any time. Nothing here is shown to a partner or changes what a partner sees.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from attunement.instruments.model import Instrument, Item
from attunement.web.assessments import paging, rescreen, services
from attunement.web.assessments.forms import PageForm
from attunement.web.core.people import SignedInRequest


def _posted(chosen: Instrument, data: QueryDict) -> paging.Given:
    """The answers in a post that are valid choices for this screen's items."""
    found: paging.Given = {}
    for item in chosen.items:
        raw = data.get(item.id, "")
        if raw.lstrip("-").isdigit() and item.scale.min <= int(raw) <= item.scale.max:
            found[item.id] = int(raw)
    return found


def _asked(chosen: list[Instrument], given: dict[str, paging.Given]) -> list[Item]:
    return [i for s in chosen for i in s.items if paging.asked(i, given.get(s.id, {}))]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def again(request: SignedInRequest) -> HttpResponse:
    """The safety questions once more, on one page; a follow-up question appears if needed."""
    person = request.user
    due = rescreen.due_screens(person)
    chosen = due or rescreen.screens()
    if request.method != "POST":
        return _render(request, chosen, PageForm(_asked(chosen, {})))
    given = {s.id: _posted(s, request.POST) for s in chosen}
    items = _asked(chosen, given)
    if any(item.ask_if is not None and item.id not in request.POST for item in items):
        # A yes opened a follow-up question: ask it, keeping what was chosen.
        initial = {k: v for answers in given.values() for k, v in answers.items()}
        return _render(request, chosen, PageForm(items, initial=initial))
    form = PageForm(items, request.POST)
    if not form.is_valid():
        return _render(request, chosen, form)
    answers = form.answers()
    rows = [
        rescreen.take(person, s, {i.id: answers[i.id] for i in s.items if i.id in answers})
        for s in chosen
    ]
    raised = {rescreen.concern_of(s) for s, row in zip(chosen, rows, strict=True) if row.positive}
    fresh = [o for o in services.screen_outcomes(person) if o.concern in raised]
    if fresh:
        return redirect(services.help_url(fresh[0]))
    if rescreen.waiting(person):
        return redirect("assessments:resume")
    messages.success(request, _("Thank you. Your answers are saved, for you only."))
    return redirect("core:home")


def _render(request: SignedInRequest, chosen: list[Instrument], form: PageForm) -> HttpResponse:
    context = {"screens": chosen, "form": form, "questions": form.questions()}
    return render(request, "assessments/again.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def resume(request: SignedInRequest) -> HttpResponse:
    """After clear answers: go back to couple work now, or keep things as they are."""
    person = request.user
    waiting = rescreen.waiting(person)
    if request.method == "POST" and waiting:
        rescreen.resume(person)
        messages.success(request, _("Done. Exercises with your partner are open to you again."))
        return redirect("core:home")
    if request.method == "POST":
        return redirect("core:home")
    return render(request, "assessments/resume.html", {"waiting": waiting})
