"""The therapist's pages: the second factor, the caseload, each case and its summary.

The clients' side (joining a case, their consents, sharing entries) is in client_views.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attunement import pdf, totp
from attunement.errors import AttunementError
from attunement.insight import render as report_render
from attunement.web.therapists import (
    audit,
    caseload,
    policy,
    services,
    session_summary,
    twofactor,
    workspace,
)
from attunement.web.therapists.decorators import (
    TherapistRequest,
    therapist_account,
    therapist_required,
)
from attunement.web.therapists.forms import (
    SCOPE_LABELS,
    CaseForm,
    CodeForm,
    PasswordForm,
    SecondFactorForm,
    SessionForm,
)
from attunement.web.therapists.models import AuditEvent, Case

SUMMARY_STYLE = Path(__file__).with_name("summary.css")
HEADING = re.compile(r"<(/?)h([1-6])\b")

# --- Second factor ----------------------------------------------------------------


@therapist_account
@require_http_methods(["GET", "POST"])
def setup(request: TherapistRequest) -> HttpResponse:
    """Set up the authenticator app: shown until a first code from it matches."""
    therapist = request.therapist
    if therapist.totp_confirmed is not None:
        return redirect("therapists:dashboard")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = twofactor.confirm(therapist, form.cleaned_data["code"])
        except twofactor.Paused as paused:
            form.add_error(None, _paused(paused))
        except twofactor.Unreadable:
            return redirect("therapists:setup")  # a new secret is made
        else:
            if confirmed:
                twofactor.mark_verified(request.session, therapist)
                messages.success(request, _("Your second factor is set up."))
                return _show_backup_codes(request, twofactor.new_backup_codes(therapist))
            form.add_error("code", _("That code did not match. Check the app and try again."))
    secret = twofactor.pending_secret(therapist)
    uri = twofactor.setup_uri(therapist, request.user.email)
    context = {
        "form": form,
        "secret": totp.grouped(secret),
        "uri": uri,
        "qr": mark_safe(twofactor.qr_svg(uri, _("QR code for your authenticator app"))),
    }
    return render(request, "therapists/setup.html", context)


@therapist_account
@require_http_methods(["GET", "POST"])
def verify(request: TherapistRequest) -> HttpResponse:
    """The second factor for this session, asked before any therapist page."""
    therapist = request.therapist
    if therapist.totp_confirmed is None:
        return redirect("therapists:setup")
    target = _next(request)
    if twofactor.is_verified(request.session, therapist):
        return redirect(target)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if twofactor.check(therapist, form.cleaned_data["code"]):
                twofactor.mark_verified(request.session, therapist)
                return redirect(target)
            form.add_error("code", _("That code did not match, or was already used."))
        except twofactor.Paused as paused:
            form.add_error(None, _paused(paused))
        except twofactor.Unreadable:
            form.add_error(None, _UNREADABLE)
    return render(request, "therapists/verify.html", {"form": form, "next": target})


@never_cache
@therapist_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: TherapistRequest) -> HttpResponse:
    """How many backup codes are left; with the password, a new set (the old ones stop)."""
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _show_backup_codes(request, twofactor.new_backup_codes(request.therapist))
    left = twofactor.backup_codes_left(request.therapist)
    return render(request, "therapists/backup_codes.html", {"form": form, "left": left})


def _show_backup_codes(request: HttpRequest, codes: list[str]) -> HttpResponse:
    # Only ever in the answer to the POST that made them: no page shows them again.
    response = render(request, "therapists/backup_codes_new.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if safe and wanted.startswith("/therapist/"):
        return wanted
    return reverse("therapists:dashboard")


_UNREADABLE = _lazy(
    "Your second factor can no longer be read on this site. Please ask the people who run it "
    "to reset it; then you set up your app again."
)


def _paused(paused: twofactor.Paused) -> str:
    until = date_format(paused.until, "TIME_FORMAT")
    return _("Too many codes did not match. Please wait and try again after %(time)s.") % {
        "time": until
    }


# --- The caseload and its cases -----------------------------------------------------


@therapist_required
@require_GET
def dashboard(request: TherapistRequest) -> HttpResponse:
    """Every open case, those needing attention first, a page at a time."""
    load = caseload.caseload(request.user, request.GET.get("page"))
    audit.record_reads(request.user, AuditEvent.What.DASHBOARD, load.reads())
    return render(request, "therapists/dashboard.html", {"load": load})


@therapist_required
@require_http_methods(["GET", "POST"])
def new_case(request: TherapistRequest) -> HttpResponse:
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case, token = services.open_case(request.user, **form.cleaned_data)
        return _invitation_page(request, case, token)
    return render(request, "therapists/new_case.html", {"form": form})


@therapist_required
@require_POST
def new_invitation(request: TherapistRequest, case_id: int) -> HttpResponse:
    try:
        invitation, token = services.new_invitation(request.user, case_id)
    except services.CaseNotFound:
        raise Http404 from None
    except services.Refused:
        messages.info(request, _("Everyone this case is for has joined: no link is needed."))
        return redirect("therapists:case", case_id)
    return _invitation_page(request, invitation.case, token)


def _invitation_page(request: TherapistRequest, case: Case, token: str) -> HttpResponse:
    # Rendered, not redirected: the link exists only in this response.
    link = request.build_absolute_uri(services.invitation_path(token))
    context = {"case": case, "link": link, "lifetime_days": 7}
    return render(request, "therapists/invitation_created.html", context)


@therapist_required
@require_GET
def case(request: TherapistRequest, case_id: int) -> HttpResponse:
    """One case: exactly what each client granted, and entries they shared."""
    page = workspace.case_page(_case(request, case_id))
    audit.record_reads(request.user, AuditEvent.What.CASE, page.reads())
    context = {**_page_context(page), "session_form": SessionForm()}
    return render(request, "therapists/case.html", context)


@therapist_required
@require_GET
def summary(request: TherapistRequest, case_id: int) -> HttpResponse:
    """A one-page summary to prepare the next session, printable."""
    found = session_summary.summary(_case(request, case_id))
    audit.record_reads(request.user, AuditEvent.What.SUMMARY, found.page.reads())
    context = {**_page_context(found.page), "summary": found}
    return render(request, "therapists/summary.html", context)


@therapist_required
@require_GET
def summary_pdf(request: TherapistRequest, case_id: int) -> HttpResponse:
    found = session_summary.summary(_case(request, case_id))
    context = {**_page_context(found.page), "summary": found, "for_pdf": True}
    try:
        html = render_to_string("therapists/summary_pdf.html", context)
        document = pdf.print_html(html, css=SUMMARY_STYLE.read_text(encoding="utf-8"))
    except AttunementError as error:
        unavailable = {
            "error": error,
            "printable": _("the session summary"),
            "back_url": reverse("therapists:summary", args=[case_id]),
            "back_label": _("Back to the summary"),
        }
        return render(request, "core/pdf_unavailable.html", unavailable, status=501)
    audit.record_reads(request.user, AuditEvent.What.PDF, found.page.reads())
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="session-summary.pdf"'
    return response


def _case(request: TherapistRequest, case_id: int) -> Case:
    found = policy.CASE.find(request.user, case_id)
    if found is None:  # another therapist's case is answered like a missing one
        raise Http404
    return found


def _page_context(page: workspace.CasePage) -> dict[str, Any]:
    report = page.report
    # The fragment comes from autoescaped templates in attunement.insight; on a case page its
    # headings sit under the page's own "Couple report" section, two levels down.
    body = _headings_down(report_render.html_fragment(report), 2) if report else None
    return {
        "page": page,
        "case": page.case,
        "report_body": mark_safe(body) if body else None,
        "scope_labels": {scope.value: label for scope, label in SCOPE_LABELS.items()},
    }


def _headings_down(fragment: str, levels: int) -> str:
    """<h1> becomes <h3> (with `levels` 2), and so on, never beyond <h6>."""
    return HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + levels)}", fragment)


@therapist_required
@require_POST
def record_session(request: TherapistRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    form = SessionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("held_on", []):
            messages.error(request, str(error))
        return redirect(found)
    services.record_session(request.user, found.pk, form.cleaned_data["held_on"])
    messages.success(request, _("The session date is saved."))
    return redirect(found)


@therapist_required
@require_http_methods(["GET", "POST"])
def end_case(request: TherapistRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    if request.method == "GET":
        return render(request, "therapists/end_case.html", {"case": found})
    services.end_case(request.user, found.pk)
    messages.success(request, _("The case is closed. Nothing of its clients is shown any more."))
    return redirect("therapists:dashboard")
