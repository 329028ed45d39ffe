"""The visitor's network address, as the throttles and the sign-in pause key on it.

With no proxy in front (ATTUNEMENT_TRUSTED_PROXIES = 0), it is the connection's own address and
X-Forwarded-For is ignored: any visitor can write that header. Behind N proxies that
each append the address they received from, the visitor's address is the N-th entry
from the right; entries further left were written by the visitor and prove nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Requests whose connection address cannot be read are counted together under this one.
UNKNOWN = "0.0.0.0"


def client_address(request: HttpRequest) -> str:
    """The address to count a visitor's requests by, e.g. "203.0.113.7"."""
    proxies = int(getattr(settings, "ATTUNEMENT_TRUSTED_PROXIES", 0))
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < proxies:
        return remote  # the proxies did not say: fall back on the nearest one
    return _valid(forwarded[-proxies]) or remote


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""
