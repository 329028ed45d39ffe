"""The couple report's page and its PDF, for the signed-in person."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from attunement.errors import AttunementError
from attunement.insight import View
from attunement.insight import render as report_render
from attunement.insight.words import support_text
from attunement.web.accounts.models import User
from attunement.web.checkins import services as checkins
from attunement.web.core import derived
from attunement.web.core.people import SignedInRequest
from attunement.web.practices import services as practices
from attunement.web.privacy import controls
from attunement.web.reports.services import report_for


@login_required
@require_GET
def report(request: SignedInRequest) -> HttpResponse:
    """The couple report (or, alone, the person's side of the cycle).

    The report and its rendered fragment are cached until either partner's answers, shares
    or check-ins change (attunement.web.core.derived); so is what the check-ins add, for
    the quarter of an hour (today's date moves it too).
    """
    person = request.user
    circle = derived.circle(person)
    view, fragment = derived.remember("report", circle, lambda: _rendered(person))
    now = timezone.now()
    moment = (now.date(), now.hour, now.minute // 15)
    since = derived.remember("since", circle, lambda: _since(person, view), extra=moment)
    # The fragment comes from autoescaped Jinja2 templates in attunement.insight.
    context = {
        "view": view,
        "body": mark_safe(fragment),
        "since": since or None,
        **controls.offered(person, afraid=practices.afraid(person)),
    }
    return render(request, "reports/report.html", context)


def _rendered(person: User) -> tuple[View, str]:
    view = report_for(person)
    return view, report_render.html_fragment(view, practices.practice_links())


def _since(person: User, view: View) -> dict[str, str]:
    """What the weekly check-ins add: a higher support level than the report's, with why.

    Empty when they add nothing (an empty dict, so that the cache can keep "nothing").
    """
    warning = checkins.warning_for(person)
    if warning is None or warning.support_level.rank <= view.support_level.rank:
        return {}
    return {"level": warning.support_level.value, "text": support_text(warning.support_level)}


@login_required
@require_GET
def report_pdf(request: SignedInRequest) -> HttpResponse:
    """The same report as a PDF to keep or print."""
    try:
        pdf = report_render.to_pdf(report_for(request.user))
    except AttunementError as error:
        context = {
            "error": error,
            "printable": _("the report page"),
            "back_url": reverse("reports:report"),
            "back_label": _("Back to the report"),
        }
        return render(request, "core/pdf_unavailable.html", context, status=501)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="attunement-report.pdf"'
    return response
