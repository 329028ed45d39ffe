"""The Connection Check pages: overview, one short page at a time, private help, own results.

Nothing here is shown to the partner: every page reads the signed-in person's
own answers, and a positive safety screen changes only that person's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from attunement import safety
from attunement.errors import AnswerError, UnknownInstrument
from attunement.insight import render as report_render
from attunement.instruments.model import Instrument, Source
from attunement.instruments.scoring import ScaleScore, Score
from attunement.safety.resources import Message
from attunement.web.accounts.models import User
from attunement.web.assessments import paging, rescreen, services
from attunement.web.assessments.forms import PageForm
from attunement.web.core import safety_help
from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services as couples
from attunement.web.practices import services as practices
from attunement.web.privacy import controls
from attunement.web.reports import services as reports

PARTNER_VIOLENCE = "partner_violence"
SOURCES = {
    Source.PUBLISHED: _("published cut-off"),
    Source.OURS: _("a line Attunement uses"),
}
# What each part is about, in plain words: the heading of its question pages. The
# instrument's name stays in small print under it.
TOPICS = {
    "csi4": _("How happy you are together"),
    "ecr_rs": _("How close you feel"),
    "cpq_sf": _("How you talk when things are hard"),
    "ucla3": _("How lonely you feel"),
    "connection": _("Distance, habits and repair"),
}


def _page_url(page: paging.Page) -> str:
    return reverse("assessments:page", args=[page.instrument.id, page.number])


def _help_url(outcome: safety.ScreenOutcome) -> str:
    return services.help_url(outcome)


def _url_or(name: str, fallback: str) -> str:
    """A page of another app, by name once it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


@login_required
@require_GET
def overview(request: SignedInRequest) -> HttpResponse:
    """The Connection Check: its parts, how far the person got, and where to carry on."""
    person = request.user
    outcomes = services.screen_outcomes(person)
    stopped = services.acute(outcomes)
    resume = None if stopped else services.next_page(person)
    progress = services.progress(person)
    context = {
        "progress": progress,
        "parts": [(part, TOPICS.get(part.instrument.id, "")) for part in progress.parts],
        "help_links": _help_links(outcomes),
        "stopped": stopped,
        "stopped_url": _help_url(stopped) if stopped else "",
        "resume_url": _page_url(resume) if resume else "",
        "screens": [i for i in services.battery() if i.screen is not None],
        "first_parts": len(services.first_part()),
        "ask_again": bool(rescreen.due_screens(person)),
    }
    return render(request, "assessments/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_page(request: SignedInRequest, instrument_id: str, number: int) -> HttpResponse:
    """One page of one part; saves all its answers or none, then goes where the button says."""
    person = request.user
    try:
        chosen = services.instrument(instrument_id)
    except UnknownInstrument:
        raise Http404 from None
    stopped = services.acute(services.screen_outcomes(person))
    if stopped and chosen.screen is None:
        return redirect(_help_url(stopped))
    current = services.page(person, chosen, number)
    if current is None:
        raise Http404
    initial = services.answers_for(person, chosen.id)
    if request.method != "POST":
        return _render_page(request, current, PageForm(current.items, initial=initial))

    action = request.POST.get("action")
    action = action if action in ("stop", "back") else "continue"
    form = PageForm(current.items, request.POST, initial=initial, partial=action != "continue")
    if not form.is_valid():
        return _render_page(request, current, form)
    try:
        given = services.save_page(person, chosen, form.answers())
    except AnswerError as error:
        form.add_answer_error(error)
        return _render_page(request, current, form)

    if chosen.screen is not None and paging.complete(chosen, given):
        rescreen.record(person, chosen, given)
    outcome = services.screen_outcome(chosen, given)
    if outcome is not None:
        return redirect(_help_url(outcome))
    if action == "stop":
        messages.success(request, _("Saved. You can carry on where you left off at any time."))
        return redirect("assessments:overview")
    if action == "back":
        previous = services.preceding_page(person, current)
        return redirect(_page_url(previous) if previous else reverse("assessments:overview"))
    following = services.following_page(person, current) or services.next_page(person)
    if following is None or services.ends_first_part(person, current, following):
        return redirect("assessments:results")  # a first result, then the rest deepens it
    return redirect(_page_url(following))


def _render_page(request: SignedInRequest, current: paging.Page, form: PageForm) -> HttpResponse:
    person = request.user
    progress = services.progress(person)
    questions = form.questions()
    required = [item.required for _field, item in questions]
    context = {
        "page": current,
        "instrument": current.instrument,
        "topic": TOPICS.get(current.instrument.id, ""),
        "part": services.part_number(current.instrument),
        "parts": len(progress.parts),
        "progress": progress,
        "form": form,
        "questions": questions,
        "section": current.items[0].section,
        "all_required": all(required),
        "some_required": any(required) and not all(required),
        "first_page": services.preceding_page(person, current) is None,
    }
    return render(request, "assessments/page.html", context)


@dataclass(frozen=True)
class Help:
    """What one positive screen calls for: its message and the blocks not shown above it."""

    message: Message
    blocks: list[safety_help.Block]


@login_required
@require_GET
def help_page(request: SignedInRequest) -> HttpResponse:
    """Private help for every screen the person answered yes to: messages, services, plan.

    One address for all of them; a person none of whose screens calls for help finds
    nothing here, exactly like an address that does not exist.
    """
    person = request.user
    outcomes = services.screen_outcomes(person)
    if not outcomes:
        raise Http404
    resources = safety.current()
    shown: set[str] = set()
    helps = []
    for outcome in outcomes:
        message = resources.message(outcome)
        names = [name for name in message.show if name not in shown]
        shown.update(names)
        helps.append(Help(message, [safety_help.block(resources, name) for name in names]))
    stopped = services.acute(outcomes)
    resume = None if stopped else services.next_page(person)
    context = {
        "helps": helps,
        "stopped": stopped,
        "resume_url": _page_url(resume) if resume else "",
        "ask_again": bool(rescreen.due_screens(person)),
        "resume_waiting": bool(rescreen.waiting(person)),
        **controls.offered(person, afraid=any(o.concern == PARTNER_VIOLENCE for o in outcomes)),
    }
    return render(request, "assessments/help.html", context)


def _help_links(outcomes: list[safety.ScreenOutcome]) -> list[tuple[str, str]]:
    """(link text, address) for each outcome's help page.

    The text is the message's own title ("You are not alone"): discreet on a screen
    someone else might glance at, where a helpline's name would not be.
    """
    resources = safety.current()
    return [(resources.message(o).title, _help_url(o)) for o in outcomes]


@dataclass(frozen=True)
class ScaleRow:
    title: str
    value: float
    low: float
    high: float
    meaning: str
    band: str
    source: str
    note: str
    scoring: str = ""  # how it is scored, with item codes: for "How this was measured"


# "(A2 + B4 + B6, 3-27)", "(mean of items 1-6, with 1-4 reversed; 1-7)": scoring detail
# that belongs in the fold, not in the plain sentence.
SCORING = re.compile(r"\s*\((?=[^)]*\d)[^)]*\)")


@login_required
@require_GET
def results(request: SignedInRequest) -> HttpResponse:
    """The person's own scores, each with its range, band and what it means."""
    person = request.user
    scores = services.scores_for(person)
    outcomes = services.screen_outcomes(person)
    progress = services.progress(person)
    paused = any(o.concern == PARTNER_VIOLENCE for o in outcomes)
    context = {
        "summary": _summary(person) if scores and not paused else "",
        "paired": couples.active_couple(person) is not None,
        "results": [_result(score) for score in scores.values()],
        "sections": [
            (i, TOPICS.get(i.id, i.title), main, single)
            for i, main, single in (_result(score) for score in scores.values())
        ],
        "unscorable": services.unscorable(person),
        "first": services.first_result_only(progress),
        "unfinished": [
            (p, TOPICS.get(p.instrument.id, "")) for p in progress.parts if not p.complete
        ],
        "to_answer": sum(p.askable - p.answered for p in progress.parts),
        "resume_url": _resume_url(person, outcomes),
        "help_links": _help_links(outcomes),
        "paused": paused,
        "sharing_url": _url_or("couples:sharing", "/couple/sharing/"),
        "report_url": _url_or("reports:report", "/report/"),
    }
    return render(request, "assessments/results.html", context)


def _summary(person: User) -> str:
    """What the person's own answers suggest, on one screen: the report's summary, alone."""
    view = reports.own_view(person)
    # The fragment comes from autoescaped Jinja2 templates in attunement.insight.
    fragment = report_render.summary_fragment(
        view,
        practices.practice_links(),
        heading=str(_("What your answers suggest")),
        more_url=reverse("reports:report"),
    )
    return mark_safe(fragment)


def _resume_url(person: User, outcomes: list[safety.ScreenOutcome]) -> str:
    if services.acute(outcomes):
        return ""
    resume = services.next_page(person)
    return _page_url(resume) if resume else ""


def _result(score: Score) -> tuple[Instrument, list[ScaleRow], list[ScaleRow]]:
    """An instrument with its main scales, and its optional single-question ones apart."""
    rows = [(s.scale.optional, _row(score.instrument, s)) for s in score.scales.values()]
    main = [row for optional, row in rows if not optional]
    single = [row for optional, row in rows if optional]
    return score.instrument, main, single


def _row(chosen: Instrument, found: ScaleScore) -> ScaleRow:
    scale, band = found.scale, found.band
    meaning = SCORING.sub("", scale.description)
    if not meaning and len(scale.items) == 1:
        meaning = chosen.item(scale.items[0]).text  # a one-question scale means its question
    return ScaleRow(
        title=scale.title,
        value=found.value,
        low=scale.range[0],
        high=scale.range[1],
        meaning=meaning,
        scoring=scale.description,
        band=band.label if band else "",
        source=str(SOURCES[band.source]) if band else "",
        note=band.note if band else "",
    )
