"""Who may open a therapist page: a therapist, with their second factor checked this session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from attunement.web.core import people
from attunement.web.core.people import SignedInRequest
from attunement.web.therapists import services, twofactor
from attunement.web.therapists.models import Therapist

P = ParamSpec("P")


class TherapistRequest(SignedInRequest):
    """A signed-in request from a therapist, with the therapist it was found to be."""

    therapist: Therapist


def therapist_account(
    view: Callable[Concatenate[TherapistRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in as a therapist (second factor or not); anyone else finds nothing here."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        therapist = services.therapist_of(people.person(request))  # after login_required
        if therapist is None:
            raise Http404
        found = cast(TherapistRequest, request)
        found.therapist = therapist
        return view(found, *args, **kwargs)

    return login_required(wrapper)


def therapist_required(
    view: Callable[Concatenate[TherapistRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A therapist who has set up a second factor and passed it in this session."""

    @wraps(view)
    def wrapper(request: TherapistRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        therapist = request.therapist
        if therapist.totp_confirmed is None:
            return redirect("therapists:setup")
        if not twofactor.is_verified(request.session, therapist):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('therapists:verify')}?{query}")
        return view(request, *args, **kwargs)

    return therapist_account(wrapper)
