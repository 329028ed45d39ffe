"""Rules shared by views: who may open a page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attunement.web.core.people import SignedInRequest
from attunement.web.couples import services

P = ParamSpec("P")


def partner_required(
    view: Callable[Concatenate[SignedInRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Signed in and paired; an unpaired person is shown how pairing works instead."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        signed_in = cast(SignedInRequest, request)  # login_required runs first
        if services.active_couple(signed_in.user) is None:
            return render(request, "couples/pairing_needed.html")
        return view(signed_in, *args, **kwargs)

    return login_required(wrapper)
