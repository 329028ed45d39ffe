"""Pages of the repair practices: the plan, the coach, the guided flows and what was sent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attunement import safety
from attunement.coach import analyze, unreadable
from attunement.coach.marks import pieces
from attunement.practices import catalogue, flows
from attunement.safety import crisis
from attunement.safety.resources import SAFETY_PLAN
from attunement.web.accounts.models import User
from attunement.web.assessments import rescreen
from attunement.web.core import limits, safety_help
from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services as couples
from attunement.web.practices import policy, services
from attunement.web.practices.forms import (
    CoachForm,
    LogForm,
    MessageForm,
    StartForm,
    StepForm,
    coached,
)
from attunement.web.practices.models import Draft

# The fields whose text the live coach reads, by the name of the field being typed in.
COACHED_FIELDS = ("text", "answer", "message")
# Where a step's buttons go: the step page sends "back" or "next"; none means "next".
MOVES = ("back", "next", "review")


@login_required
@require_GET
def index(request: SignedInRequest) -> HttpResponse:
    """The practice plan: what the report recommends, drafts under way, and what was done."""
    me = request.user
    mine = services.drafts(me)
    context = {
        "plan": services.plan(me),
        "screened": services.screened(me),
        "open_drafts": [d for d in mine if d.finished is None],
        "kept": [d for d in mine if d.finished is not None],
        "history": services.history(me),
        "flows": flows.flows(),
        "partner": couples.partner_of(me),
        "received": len(services.received(me)),
        "couple": couples.active_couple(me),
    }
    return render(request, "practices/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@limits.limited("coach", limits.by_person)
def coach(request: SignedInRequest) -> HttpResponse:
    """Check a message before sending it; works without JavaScript, live with it."""
    form = coached(CoachForm(request.POST or None), "text", reverse("practices:coach_check"))
    result = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        result = _coach_context(text, rescreen.notice(request.user, text))
    return render(
        request,
        "practices/coach.html",
        {"form": form, "result": result, "wheel": flows.get("feedback_wheel")},
    )


@login_required
@require_POST
@limits.limited("coach", limits.by_person)
def coach_check(request: SignedInRequest) -> HttpResponse:
    """The live coach: the analysis of the field being typed in, as a page fragment."""
    field = getattr(request, "htmx", None) and request.htmx.trigger_name  # type: ignore[attr-defined]
    name = field if field in COACHED_FIELDS else "text"
    text = request.POST.get(name, "")[: services.ORIGINAL_MAX_LENGTH]
    found = rescreen.notice(request.user, text)
    return render(request, "practices/_coach_result.html", {"result": _coach_context(text, found)})


@login_required
@require_GET
def flow(request: SignedInRequest, flow_id: str) -> HttpResponse:
    """A flow's introduction, a button to begin, and the person's drafts in it."""
    me = request.user
    chosen = _flow(flow_id)
    context = {
        "flow": chosen,
        "drafts": [d for d in services.drafts(me) if d.flow == chosen.id],
        "paused": chosen.joint and services.screened(me),
        **_caution(me),
        "form": StartForm(),
    }
    return render(request, "practices/flow.html", context)


@login_required
@require_POST
def start(request: SignedInRequest, flow_id: str) -> HttpResponse:
    chosen = _flow(flow_id)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("The message is too long to carry over: at most %(n)s characters.")
            % {"n": f"{services.ORIGINAL_MAX_LENGTH:,}"},
        )
        return redirect("practices:flow", chosen.id)
    draft = services.start(request.user, chosen.id, form.cleaned_data["original"])
    return redirect("practices:step", draft.pk, 1)


@login_required
@require_http_methods(["GET", "POST"])
def step(request: SignedInRequest, draft_id: int, number: int) -> HttpResponse:
    """One step of a flow. Every answer is kept as soon as it is sent, going back or on."""
    draft = _own(request.user, draft_id)
    chosen = draft.guide
    if chosen is None or not draft.readable:
        return redirect(draft)
    try:
        current = chosen.step(number)
    except IndexError:
        raise Http404 from None
    newer = None
    if request.method == "POST":
        form = StepForm(request.POST)
        go = request.POST.get("go", "next")
        if form.is_valid():
            answer = form.cleaned_data["answer"]
            if go not in MOVES:
                form.add_error(None, _("Use Back or Next to move between the steps."))
            elif not answer.strip() and current.required and go != "back":
                form.add_error("answer", _("This step needs an answer before you go on."))
            else:
                try:
                    based_on = _version(request.POST.get("version"))
                    services.answer(draft, current, answer, based_on=based_on)
                except services.EditConflict as conflict:
                    # Keep what they typed (the bound form) and show what was saved meanwhile.
                    draft = conflict.current
                    newer = draft.answers.get(current.id, "")
                except services.DraftNotFound:
                    raise Http404 from None
                except services.PracticeError as refusal:
                    form.add_error("answer", str(refusal))
                else:
                    return _after_step(draft, chosen, number, go)
    else:
        form = StepForm(initial={"answer": draft.answers.get(current.id, "")})
    coached(form, "answer", reverse("practices:coach_check"), described_by="step-hint")
    context = {
        "draft": draft,
        "flow": chosen,
        "step": current,
        "number": number,
        "form": form,
        "feelings": flows.feelings() if current.feelings else (),
        "original": draft.original,
        "version": services.version(draft),
        "conflict": newer is not None,
        "newer": newer,
    }
    return render(request, "practices/step.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def draft(request: SignedInRequest, draft_id: int) -> HttpResponse:
    """The message made of the answers: rewrite it freely, keep it, copy it, send it."""
    me = request.user
    found = _own(me, draft_id)
    chosen = found.guide
    if not found.readable or chosen is None:
        return render(request, "practices/unreadable.html", {"draft": found}, status=200)
    missing = flows.missing(chosen, found.answers)
    # What the box starts with; coached here too, so crisis help shows even without JavaScript.
    text = found.message or flows.compose(chosen, found.answers)
    newer = None
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                based_on = _version(request.POST.get("version"))
                services.keep(found, form.cleaned_data["message"], based_on=based_on)
            except services.PracticeError as refusal:
                form.add_error("message", str(refusal))
            except services.EditConflict as conflict:
                # Keep what they typed (the bound form) and show what was saved meanwhile.
                found = conflict.current
                missing = flows.missing(chosen, found.answers)
                newer = found.message or flows.compose(chosen, found.answers)
            except services.DraftNotFound:
                raise Http404 from None
            else:
                if services.is_sent(found, couples.active_couple(me)):
                    messages.success(request, _("Saved. Your partner now reads the new version."))
                else:
                    messages.success(request, _("Kept. Only you can read it unless you send it."))
                return redirect(found)
    else:
        form = MessageForm(initial={"message": text})
    coached(form, "message", reverse("practices:coach_check"))
    couple = couples.active_couple(me)
    context = {
        "draft": found,
        "flow": chosen,
        "form": form,
        "missing": missing,
        "steps": [(n, s, found.answers.get(s.id, "")) for n, s in enumerate(chosen.steps, 1)],
        "partner": couples.partner_of(me),
        "sent": services.is_sent(found, couple),
        "may_send": services.may_send(me, chosen),
        "paused": chosen.joint and services.screened(me),
        **_caution(me),
        "result": _coach_context(text) if text else None,
        "version": services.version(found),
        "newer": newer,
    }
    return render(request, "practices/draft.html", context)


@login_required
@require_POST
def send(request: SignedInRequest, draft_id: int) -> HttpResponse:
    me = request.user
    try:
        services.send(me, draft_id)
    except services.DraftNotFound:
        raise Http404 from None
    except (services.NotPaired, services.PracticeError) as refusal:
        messages.info(request, str(refusal))
        return redirect("practices:draft", draft_id)
    partner = couples.partner_of(me)
    messages.success(
        request,
        _("Sent. %(name)s can read it until you withdraw it.")
        % {"name": partner.display_name if partner else ""},
    )
    return redirect("practices:draft", draft_id)


@login_required
@require_POST
def withdraw(request: SignedInRequest, draft_id: int) -> HttpResponse:
    try:
        services.withdraw(request.user, draft_id)
    except services.DraftNotFound:
        raise Http404 from None
    messages.success(request, _("Withdrawn. Only you can read it now."))
    return redirect("practices:draft", draft_id)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: SignedInRequest, draft_id: int) -> HttpResponse:
    found = _own(request.user, draft_id)
    if request.method == "GET":
        return render(request, "practices/delete.html", {"draft": found})
    services.delete(request.user, found.pk)
    messages.success(request, _("The draft is deleted for good."))
    return redirect("practices:index")


@login_required
@require_GET
def listening(request: SignedInRequest) -> HttpResponse:
    return render(request, "practices/listening.html", {"guide": flows.listener_guide()})


@login_required
@require_GET
def practice(request: SignedInRequest, practice_id: str) -> HttpResponse:
    """A practice done away from the screen: what it is, and a way to note that you did it."""
    known = catalogue().get(practice_id)
    if known is None:
        raise Http404
    if services.practice_url(practice_id) != request.path:
        return redirect(services.practice_url(practice_id))
    done = [e for e in services.log_entries(request.user) if e.practice == practice_id]
    return render(
        request, "practices/practice.html", {"practice": known, "done": done, "form": LogForm()}
    )


@login_required
@require_POST
def log(request: SignedInRequest, practice_id: str) -> HttpResponse:
    known = catalogue().get(practice_id)
    if known is None:
        raise Http404
    form = LogForm(request.POST)
    if form.is_valid():
        services.log(request.user, practice_id, form.cleaned_data["note"])
        messages.success(request, _("Noted. It is in your practice history."))
        return redirect("practices:index")
    done = [e for e in services.log_entries(request.user) if e.practice == practice_id]
    return render(
        request, "practices/practice.html", {"practice": known, "done": done, "form": form}
    )


@login_required
@require_POST
def unlog(request: SignedInRequest, log_id: int) -> HttpResponse:
    try:
        services.unlog(request.user, log_id)
    except services.DraftNotFound:
        raise Http404 from None
    messages.success(request, _("Removed from your practice history."))
    return redirect("practices:index")


# Helpers


def _coach_context(text: str, found: crisis.Reading | None = None) -> dict[str, object]:
    """What the coach pages show for a text: marked pieces, patterns, reframe, private help.
    `found`: the text's crisis reading, when already made (read once per request)."""
    analysis = analyze(text)
    return {
        "analysis": analysis,
        "pieces": pieces(analysis),
        "patterns": [(p, text[p.start : p.end]) for p in analysis.patterns],
        "help": safety_help.for_writing(text, found),
        "empty": not text.strip(),
        # Most of it in words the coach has not learned: "found nothing" would mislead.
        "unfamiliar": unreadable(analysis),
    }


def _caution(me: User) -> dict[str, object]:
    """After the person's own positive partner-violence screen: a caution and the safety plan."""
    if not services.afraid(me):
        return {"caution": False}
    return {"caution": True, "plan": safety_help.block(safety.current(), SAFETY_PLAN)}


def _version(value: str | None) -> int | None:
    """The version a form was opened at; none (save regardless) when absent or garbled."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _flow(flow_id: str) -> flows.Flow:
    try:
        return flows.get(flow_id)
    except flows.UnknownFlow:
        raise Http404 from None


def _own(me: User, draft_id: int) -> Draft:
    draft = policy.DRAFT.find(me, draft_id)
    if draft is None:  # someone else's is answered like a missing one
        raise Http404
    return draft


def _after_step(draft: Draft, chosen: flows.Flow, number: int, go: str) -> HttpResponse:
    if go == "back" and number > 1:
        return redirect("practices:step", draft.pk, number - 1)
    if go == "review" or number >= len(chosen.steps):
        return redirect(draft)
    return redirect(reverse("practices:step", args=[draft.pk, number + 1]))
