"""The home page (a person's starting point), the support page and the learning pages."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from attunement import learn, safety
from attunement.web.accounts.models import User
from attunement.web.assessments import rescreen
from attunement.web.assessments import services as assessments
from attunement.web.core import derived, people, safety_help
from attunement.web.couples import services as couples
from attunement.web.practices import exchange


def home(request: HttpRequest) -> HttpResponse:
    """The landing page, or a signed-in person's starting point."""
    person = people.person_or_none(request)
    if person is None:
        return render(request, "core/landing.html")
    circle = derived.circle(person)
    # The person's own screenings and screen answers, read once for the three questions below.
    screens = rescreen.standing(person)
    context = {
        **derived.remember("home", circle, lambda: _starting_point(person, circle.partner)),
        "partner": circle.partner,
        # Not cached: due with time and with crisis words, neither of which moves the version.
        "ask_again": bool(rescreen.due_screens(person, screens)),
        # Neutral: no content, no sender's words; never while the person's own screen or
        # their pause of messages holds them back. Not cached: the partner's sending
        # does not move this person's version.
        "something_new": exchange.unread_in(person, circle.couple, screened=screens.screened),
        # Not cached: a clear re-screen kept without taking effect leaves the version as is.
        "resume_waiting": bool(rescreen.waiting(person, screens)),
    }
    return render(request, "core/home.html", context)


def _starting_point(person: User, partner: User | None) -> dict[str, Any]:
    """What the home page shows that lasts until an answer or a share changes, cards rendered.

    Only what the key covers (the person's and partner's answers, shares and names) may
    go in: nothing that moves with the time or arrives from the partner unannounced.
    """
    progress = assessments.progress(person)
    values = {
        "progress": {
            "complete": progress.complete,
            "started": progress.started,
            "answered": progress.answered,
            "askable": progress.askable,
            "first_result": assessments.first_result_only(progress),
        },
        "next_page": assessments.next_page(person) is not None,
        "has_results": bool(assessments.scores_for(person)),
        "partner": partner,
        # Only what the partner chose to share: never their progress, which would
        # depend on their private safety answers.
        "partner_shares": couples.shared_scores_visible_to(person) if partner else [],
    }
    return {
        "check_card": render_to_string("core/_home_check.html", values),
        "other_cards": render_to_string("core/_home_cards.html", values),
        "help_urls": [assessments.help_url(o) for o in assessments.screen_outcomes(person)],
    }


def support(request: HttpRequest) -> HttpResponse:
    """When and how to find a therapist, and the services in the resource file. The same for all."""
    resources = safety.current()
    blocks = [safety_help.block(resources, name) for name in resources.groups]
    return render(request, "core/support.html", {"blocks": blocks})


@require_GET
def learn_index(request: HttpRequest) -> HttpResponse:
    """The Learn section's contents. Public: general ideas, nothing about anyone."""
    return render(request, "core/learn.html", {"library": learn.library()})


@require_GET
def learn_page(request: HttpRequest, page_id: str) -> HttpResponse:
    try:
        page = learn.get(page_id)
    except learn.UnknownPage:
        raise Http404 from None
    return render(request, "core/learn_page.html", {"page": page, "pages": learn.pages()})
