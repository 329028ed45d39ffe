from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from attunement import learn, safety
from attunement.web.accounts.models import User
from attunement.web.assessments import services as assessments
from attunement.web.core import safety_help
from attunement.web.couples import services as couples


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
    }
    return render(request, "core/home.html", context)


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
