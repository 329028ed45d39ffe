"""TOTP (RFC 6238): the RFC's test vectors, the window, single use, and clear errors."""

from __future__ import annotations

import base64

import pyotp
import pytest

from attunement import totp

# RFC 6238 appendix B: the seeds are ASCII digits, of the length each hash needs.
SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
CASES = [
    (at, algorithm, code)
    for at, *codes in VECTORS
    for algorithm, code in zip(SEEDS, codes, strict=True)
]
SECRET = base64.b32encode(SEEDS["SHA1"]).decode()


@pytest.mark.parametrize(("at", "algorithm", "expected"), CASES)
def test_codes_match_the_rfc_6238_test_vectors(at, algorithm, expected):
    secret = base64.b32encode(SEEDS[algorithm]).decode()
    assert totp.code_at(secret, at, digits=8, algorithm=algorithm) == expected


@pytest.mark.parametrize(("at", "eight_digits"), [(v[0], v[1]) for v in VECTORS])
def test_six_digit_codes_are_the_last_six_digits_of_the_rfc_values(at, eight_digits):
    assert totp.code_at(SECRET, at) == eight_digits[-6:]


def test_the_code_changes_every_thirty_seconds():
    assert totp.time_step(59) == 1
    assert totp.time_step(60) == 2
    assert totp.code_at(SECRET, 60) == totp.code_at(SECRET, 89)
    assert totp.code_at(SECRET, 59) != totp.code_at(SECRET, 60)


def test_a_code_is_accepted_one_step_either_side_of_now_and_no_further():
    now = 1_000_000_000.0
    step = totp.time_step(now)
    for offset in (-1, 0, 1):
        code = totp.code_at(SECRET, now + offset * 30)
        assert totp.verify(SECRET, code, at=now) == step + offset
    for offset in (-2, 2):
        assert totp.verify(SECRET, totp.code_at(SECRET, now + offset * 30), at=now) is None


def test_a_code_is_refused_for_a_step_at_or_before_the_last_one_accepted():
    now = 1_000_000_000.0
    code = totp.code_at(SECRET, now)
    step = totp.verify(SECRET, code, at=now)
    assert step is not None
    assert totp.verify(SECRET, code, at=now, last_step=step) is None
    assert totp.verify(SECRET, code, at=now + 10, last_step=step) is None
    assert totp.verify(SECRET, code, at=now, last_step=step - 1) == step


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", "１２３４５６", "12-345"])
def test_anything_but_six_digits_is_simply_not_valid(code):
    assert totp.verify(SECRET, code, at=59) is None


def test_spaces_in_a_code_are_ignored():
    code = totp.code_at(SECRET, 59)
    assert totp.verify(SECRET, f" {code[:3]} {code[3:]} ", at=59) == 1


def test_a_new_secret_is_160_random_bits_in_base32_without_padding():
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second
    assert len(first) == 32 and "=" not in first
    assert len(totp.decode_secret(first)) == 20


def test_a_secret_may_be_typed_in_groups_and_lower_case():
    grouped = totp.grouped(SECRET).lower()
    assert grouped.count(" ") == 7
    assert totp.decode_secret(grouped) == SEEDS["SHA1"]


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("", "the secret is empty"),
        ("not base32!", "not base32"),
        ("GEZDGNBV", "at least 10 are needed"),
    ],
)
def test_a_bad_secret_is_refused_with_what_is_wrong(secret, message):
    with pytest.raises(totp.SecretError, match=message):
        totp.code_at(secret, 59)


def test_the_provisioning_address_names_the_issuer_account_and_parameters():
    uri = totp.provisioning_uri(SECRET, account="riley@example.org", issuer="Attunement")
    assert uri.startswith("otpauth://totp/Attunement:riley%40example.org?")
    app = pyotp.parse_uri(uri)  # what an authenticator app reads from the QR code
    assert (app.secret, app.issuer, app.name) == (SECRET, "Attunement", "riley@example.org")
    assert (app.digits, app.interval, app.digest().name) == (6, 30, "sha1")
    assert app.at(59) == totp.code_at(SECRET, 59)


def test_no_address_is_made_for_a_secret_no_app_could_use():
    with pytest.raises(totp.SecretError):
        totp.provisioning_uri("GEZDGNBV", account="riley@example.org", issuer="Attunement")


def test_an_unknown_algorithm_is_named():
    with pytest.raises(ValueError, match="unknown algorithm 'MD5'"):
        totp.hotp(b"0123456789", 1, algorithm="MD5")
