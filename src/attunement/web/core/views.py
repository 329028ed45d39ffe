from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attunement import safety
from attunement.web.accounts.models import User
from attunement.web.assessments import services as assessments
from attunement.web.core import safety_help
from attunement.web.couples import services as couples
from attunement.web.practices import exchange


def home(request: HttpRequest) -> HttpResponse:
    """The landing page, or a signed-in person's starting point."""
    if not isinstance(request.user, User):
        return render(request, "core/landing.html")
    person = request.user
    partner = couples.partner_of(person)
    outcomes = assessments.screen_outcomes(person)
    context = {
        "progress": assessments.progress(person),
        "next_page": assessments.next_page(person),
        "has_results": bool(assessments.scores_for(person)),
        "partner": partner,
        # Only what the partner chose to share: never their progress, which would
        # depend on their private safety answers.
        "partner_shares": couples.shared_scores_visible_to(person) if partner else [],
        "help_urls": [assessments.help_url(o) for o in outcomes],
        # Neutral: no content, no sender's words; never while the person's own screen pauses.
        "something_new": exchange.has_new(person),
    }
    return render(request, "core/home.html", context)


def support(request: HttpRequest) -> HttpResponse:
    """When and how to find a therapist, and the services in the resource file. The same for all."""
    resources = safety.current()
    blocks = [safety_help.block(resources, name) for name in resources.groups]
    return render(request, "core/support.html", {"blocks": blocks})
