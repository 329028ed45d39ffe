"""Which network address a visitor is counted by, with and without a proxy in front."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings

from attunement.web.core.addresses import client_address
from web.test_accounts import sign_in

PROXY = "10.0.0.1"
WRONG = "wrong wrong wrong"


def address(proxies: int, remote: str = PROXY, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(ATTUNEMENT_TRUSTED_PROXIES=proxies):
        return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No proxy: the header is the visitor's own say-so and is ignored.
        (0, "198.51.100.4", None, "198.51.100.4"),
        (0, "198.51.100.4", "203.0.113.9", "198.51.100.4"),
        # One proxy: the right-most entry is the one the proxy wrote.
        (1, PROXY, "203.0.113.9", "203.0.113.9"),
        (1, PROXY, "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        (1, PROXY, " 2001:db8::1 ", "2001:db8::1"),
        # Two proxies: the second entry from the right.
        (2, PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        # The proxy said nothing usable: the connection's own address.
        (1, PROXY, None, PROXY),
        (1, PROXY, "", PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (2, PROXY, "203.0.113.9", PROXY),
    ],
)
def test_the_client_address(proxies, remote, forwarded, expected):
    assert address(proxies, remote, forwarded) == expected


def fail_five_times(email: str, **extra: str) -> None:
    for _ in range(5):
        sign_in(Client(), email, WRONG, **extra)


def test_without_a_proxy_a_forged_header_does_not_buy_more_attempts(alex):
    for n in range(5):
        sign_in(Client(), alex.email, WRONG, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert sign_in(Client(), alex.email, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


@override_settings(ATTUNEMENT_TRUSTED_PROXIES=1)
def test_behind_a_proxy_someone_elses_failures_do_not_lock_the_person_out(alex):
    fail_five_times(alex.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    attacker = sign_in(Client(), alex.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert attacker.status_code == 429
    at_home = sign_in(Client(), alex.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert at_home.status_code == 302


@override_settings(ATTUNEMENT_TRUSTED_PROXIES=1)
def test_behind_a_proxy_a_forged_left_entry_does_not_buy_more_attempts(alex):
    for n in range(5):
        forged = f"192.0.2.{n}, 203.0.113.66"
        sign_in(Client(), alex.email, WRONG, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forged)
    again = sign_in(
        Client(), alex.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.66"
    )
    assert again.status_code == 429


def test_without_a_proxy_setting_everyone_behind_one_shares_its_address(alex):
    """Why the setting matters: unset behind a proxy, one stranger pauses everyone's sign-in."""
    fail_five_times(alex.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    at_home = sign_in(Client(), alex.email, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert at_home.status_code == 429
