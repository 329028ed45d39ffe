"""Rate limits: how often one person, email address or network address may do a thing.

Counted by django-ratelimit in the default cache: Redis when REDIS_URL is set, so every
app process shares the counts, or this process's memory on the embedded default (one
process, so nothing to share). The rates are the ATTUNEMENT_RATE_LIMITS setting, e.g.
``{"signup_email": "3/h"}``; an empty rate switches that limit off. Over a limit, a page
answers 429 with a page saying so, and the API 429 with a JSON `detail`.

Email addresses are hashed by django-ratelimit before they reach the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from ninja.throttling import BaseThrottle

from attunement.web.core.addresses import client_address

TOO_MANY = _(
    "You have done this many times in a short while. Please wait a little, then try again."
)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

Key = Callable[[HttpRequest], str | None]
View = Callable[..., HttpResponseBase]


@dataclass(frozen=True)
class Verdict:
    exceeded: bool
    retry_after: int  # seconds until the count starts again


ALLOWED = Verdict(exceeded=False, retry_after=0)


def by_address(request: HttpRequest) -> str:
    return client_address(request)


def by_person(request: HttpRequest) -> str | None:
    user = getattr(request, "user", None)
    return f"person:{user.pk}" if user is not None and user.is_authenticated else None


def by_email(request: HttpRequest) -> str | None:
    email = str(request.POST.get("email", "")).strip().lower()
    return f"email:{email}" if email else None


def count(request: HttpRequest, name: str, key: Key) -> Verdict:
    """Count this request against the named limit and say whether it goes over."""
    rate = settings.ATTUNEMENT_RATE_LIMITS.get(name)
    value = key(request)
    if not rate or value is None:
        return ALLOWED
    usage = get_usage(
        request, group=f"attunement.{name}", key=lambda _g, _r: value, rate=rate, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return ALLOWED
    return Verdict(exceeded=True, retry_after=max(int(usage["time_left"]), 1))


def too_many(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    """The 429 page; a fragment for htmx (the live coach), which swaps in only a part."""
    template = "_429_fragment.html" if request.headers.get("HX-Request") else "429.html"
    response = render(request, template, {"message": TOO_MANY}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def limited(name: str, key: Key, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """A view decorator: requests with these methods count against the named limit."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                verdict = count(request, name, key)
                if verdict.exceeded:
                    return too_many(request, verdict)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class Throttle(BaseThrottle):
    """The same limits for the JSON API (django-ninja runs throttles after authentication)."""

    def __init__(self, name: str, key: Key = by_person, writes_only: bool = True) -> None:
        self.name, self.key, self.writes_only = name, key, writes_only

    def allow_request(self, request: HttpRequest) -> bool:
        if self.writes_only and request.method in SAFE_METHODS:
            return True
        return not count(request, self.name, self._key).exceeded

    def _key(self, request: HttpRequest) -> str | None:
        return self.key(request) or by_address(request)
