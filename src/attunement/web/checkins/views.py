"""The weekly check-in: answer it, see the trend (and the partner's, if shared), get reminded."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from attunement import progress
from attunement.charts import trend as charts
from attunement.errors import AnswerError
from attunement.web.assessments import rescreen
from attunement.web.assessments.forms import PageForm
from attunement.web.checkins import services
from attunement.web.checkins.forms import ReminderForm
from attunement.web.checkins.models import CheckIn
from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services as couples

SAVED = gettext_lazy("Thank you. Your check-in is saved; only you see your answers.")
REPLACED = gettext_lazy(
    "Thank you. This check-in replaces the one you gave earlier this week, so each week "
    "counts once; only you see your answers."
)


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    me = request.user
    today = services.today_for(me)
    mine = services.recent(me, today)
    partner = services.partner_sharing(me)
    theirs = services.recent(partner, today) if partner else []
    own = charts.trend(_("You"), _points(mine))
    both = [own, charts.trend(partner.display_name, _points(theirs))] if partner else [own]
    warning = services.warning_for(me, today)
    notes: list[progress.Message] = []
    if warning is not None:
        notes = progress.messages_for(warning.partners["a"], diverging=warning.diverging)
    last = mine[-1] if mine else None
    # Older months a year at a time: `?until=2024-03` shows the twelve months up to March 2024.
    until = _month(request.GET.get("until", ""))
    start, _end = services.earlier_range(today, until)
    shown = [me, partner] if partner else [me]
    older = max(filter(None, (services.latest_before(p, start) for p in shown)), default=None)
    context = {
        "last": last,
        "done_this_week": bool(services.this_weeks(me, today)),
        "since": services.window_start(today),
        "earlier": services.earlier_months(me, today, until),
        "partner_earlier": services.earlier_months(partner, today, until) if partner else [],
        "paged": until is not None,
        "older_until": f"{older:%Y-%m}" if older else None,
        "chart": mark_safe(charts.trend_chart(both, ident="checkin-trend")),  # escaped SVG
        "table": mark_safe(charts.trend_table(both)),
        "partner": couples.partner_of(me),
        "partner_shares": partner is not None,
        "notes": notes,
        "warning": warning,
        "reminder": services.reminder_for(me),
        # The screens come back with the check-in: only the person's own history decides.
        "ask_again": bool(rescreen.due_screens(me)),
    }
    return render(request, "checkins/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def take(request: SignedInRequest) -> HttpResponse:
    """All seven questions on one page; nothing is kept until the whole check-in is valid."""
    instrument = services.instrument()
    earlier = services.this_weeks(request.user)
    form = PageForm(instrument.items, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.take(request.user, form.answers())
        except AnswerError as error:
            form.add_answer_error(error)
        else:
            messages.success(request, REPLACED if earlier else SAVED)
            return redirect("checkins:index")
    context = {"form": form, "instrument": instrument, "earlier": earlier[-1] if earlier else None}
    return render(request, "checkins/take.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reminder(request: SignedInRequest) -> HttpResponse:
    current = services.reminder_for(request.user)
    initial = {
        "enabled": current.enabled,
        "weekday": current.weekday,
        "hour": current.hour,
        "time_zone": current.time_zone,
    }
    form = ReminderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_reminder(request.user, **form.cleaned_data)
        if form.cleaned_data["enabled"]:
            messages.success(request, _("Saved. Your reminder is on."))
        else:
            messages.success(request, _("Saved. No reminders will be sent."))
        return redirect("checkins:index")
    return render(request, "checkins/reminder.html", {"form": form})


def _month(value: str) -> date | None:
    """The month in `?until=YYYY-MM`; None when absent or not a month (the latest year then)."""
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None


def _points(found: list[CheckIn]) -> list[tuple[date, float]]:
    return [(c.day, c.csi4) for c in found if c.csi4 is not None]
