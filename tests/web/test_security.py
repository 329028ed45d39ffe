"""Browser-facing hardening: security headers on every page, no inline code, no third parties.

Every URL pattern the app defines is requested, signed out and signed in as a partner of
the demo couple (whose report has charts), by GET and by POST, and every response must
carry a strict Content-Security-Policy and the other protective headers. The templates
and static files are scanned for what such a policy would block or what would leak a
visit to another site. Production settings are checked in fresh processes.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import string
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from attunement.web.accounts.models import User
from attunement.web.core.demo import create_demo

from .conftest import client_for

SRC = Path(__file__).resolve().parents[2] / "src" / "attunement"
WEB = SRC / "web"
INSIGHT = SRC / "insight"

# A value for every kind of URL parameter the app uses; an unusable token is still a page.
SAMPLE_ARGUMENTS = {
    "token_id": "1",
    "invitation_id": "1",
    "token": "A" * 43,
    "uidb64": "MQ",
    "instrument_id": "csi4",
    "number": "1",
    "entry_id": "1",
    "flow_id": "feedback_wheel",
    "draft_id": "1",
    "step_id": "saw",
    "reply_id": "1",
    "practice_id": "soft_start",
    "page_id": "same-as",
    "log_id": "1",
    "session_id": "1",
    "grant_id": "1",
    "case_id": "1",
}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def _concrete(route: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group("name")
        assert name in SAMPLE_ARGUMENTS, f"add a sample value for <{name}> in {route}"
        return SAMPLE_ARGUMENTS[name]

    return "/" + re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, route)


# Every path the app routes, plus one it doesn't (the 404 page is a page too).
PATHS = [*sorted({_concrete(r) for r in _routes(get_resolver().url_patterns)}), "/no-such-page/"]


@pytest.fixture
def demo_partner(db) -> User:
    """Alex of the demo couple: paired, every part answered, every score shared both ways."""
    create_demo()
    return User.objects.get(email="alex@demo.invalid")


def _every_response(person: User | None) -> Iterator[tuple[str, HttpResponse]]:
    for path in PATHS:
        for method in ("get", "post"):
            # Each request starts from the same state: what a POST does (signing out,
            # unpairing) is rolled back before the next one.
            with transaction.atomic():
                response = getattr(client_for(person), method)(path)
                transaction.set_rollback(True)
            yield f"{method.upper()} {path}", response


def csp(response: HttpResponse) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def assert_hardened(label: str, response: HttpResponse) -> None:
    policy = csp(response)
    assert policy, f"{label}: no Content-Security-Policy"
    assert "Content-Security-Policy-Report-Only" not in response, label
    for name, values in policy.items():
        assert "'unsafe-inline'" not in values, f"{label}: {name} allows 'unsafe-inline'"
        assert "'unsafe-eval'" not in values, f"{label}: {name} allows 'unsafe-eval'"
        assert "*" not in values, f"{label}: {name} allows any origin"
    assert policy.get("default-src") == ["'self'"], label
    assert policy.get("script-src") == ["'self'"], label
    assert policy.get("style-src") == ["'self'"], label
    assert policy.get("frame-ancestors") == ["'none'"], label
    assert policy.get("object-src") == ["'none'"], label
    assert policy.get("base-uri") == ["'none'"], label
    assert response.get("X-Content-Type-Options") == "nosniff", label
    assert response.get("Referrer-Policy") in {"same-origin", "no-referrer"}, label
    assert response.get("X-Frame-Options") == "DENY", label
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", label


def never_stored(response: HttpResponse) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


# Headers on every page


def test_every_url_pattern_is_requested():
    assert "/" in PATHS
    assert "/report/" in PATHS
    assert "/check/csi4/1/" in PATHS
    assert "/api/docs" in PATHS
    assert len(PATHS) > 40


def test_sign_in_pages_and_the_api_are_never_stored_even_signed_out(db):
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password-reset/", "/api/"):
        assert never_stored(Client().get(path)), path


class _Markup(HTMLParser):
    """What a strict policy would block in a rendered page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            self._script = names

    def handle_data(self, data: str) -> None:
        script = self._script
        # A JSON data block is not run; anything else must come from a file.
        if script is not None and data.strip() and script.get("type") != "application/json":
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def assert_no_inline_code(label: str, response: HttpResponse) -> bool:
    """Check a rendered page, including markup made in Python (the report's SVG charts)."""
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return False
    parser = _Markup()
    parser.feed(response.content.decode())
    assert not parser.problems, f"{label}: {parser.problems}"
    return True


def test_every_response_to_a_visitor_is_hardened(db):
    pages = 0
    for label, response in _every_response(None):
        assert_hardened(label, response)
        pages += assert_no_inline_code(label, response)
    assert pages >= 8


def test_every_response_to_a_signed_in_partner_is_hardened_and_never_stored(demo_partner):
    pages = 0
    for label, response in _every_response(demo_partner):
        assert_hardened(label, response)
        assert never_stored(response), f"{label}: Cache-Control {response.get('Cache-Control')}"
        pages += assert_no_inline_code(label, response)
        if label == "GET /report/":
            assert response.content.count(b"<svg") >= 2, "the report's charts were checked"
    assert pages >= 15


# Templates and static files


def _files(root: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in suffixes)


# The standalone report (a file to keep, or the PDF) inlines its CSS because it has no
# server behind it; the web app shows the same report from _report_body.html instead.
STANDALONE = INSIGHT / "templates" / "insight" / "report.html"
TEMPLATES = [
    p
    for p in _files(WEB, ".html", ".txt") + _files(INSIGHT / "templates", ".html")
    if "templates" in p.parts and p != STANDALONE
]
STATIC = [
    p
    for p in _files(WEB, ".js", ".css", ".svg", ".html") + _files(INSIGHT / "static", ".css")
    if "static" in p.parts
]


def test_the_scans_find_the_templates_and_static_files():
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "report.html", "_report_body.html", "signup-link-body.txt"} <= names
    assert {"site.css", "quick-exit.js", "copy.js", "report.css"} <= {p.name for p in STATIC}


def test_the_web_app_never_serves_the_standalone_report():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in WEB.rglob("*.py"))
    assert "to_html(" not in sources
    assert "insight/report.html" not in sources


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_inline_script_or_style(template):
    text = template.read_text(encoding="utf-8")
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script\s*>", text, re.I | re.S):
        assert not body.strip(), f"inline script body: {body.strip()[:60]!r}"
        assert re.search(r"\bsrc\s*=", attrs), "a <script> must load a file"
    assert not re.search(r"<style\b", text, re.I), "<style> element"
    assert not re.search(r"\sstyle\s*=", text, re.I), "style= attribute"
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), "inline event handler"
    assert "javascript:" not in text.lower()


COMMENTS = {
    # Django and Jinja2 comments, HTML comments.
    "template": [r"\{#.*?#\}", r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", r"<!--.*?-->"],
    # CSS and JS block comments, JS line comments.
    "static": [r"/\*.*?\*/", r"(?m)^\s*//.*$", r"(?m)\s//\s.*$", r"<!--.*?-->"],
}


def _without_comments(text: str, kind: str) -> str:
    for pattern in COMMENTS[kind]:
        text = re.sub(pattern, "", text, flags=re.S)
    return text


@pytest.mark.parametrize(
    ("path", "kind"),
    [(p, "template") for p in TEMPLATES] + [(p, "static") for p in STATIC],
    ids=lambda v: str(v.relative_to(SRC)) if isinstance(v, Path) else v,
)
def test_no_template_or_static_file_points_to_another_site(path, kind):
    # Other sites would learn of a visit (fonts, CDNs, analytics). The one way out is the
    # quick exit, whose target is a setting that templates only ever see as a variable.
    text = _without_comments(path.read_text(encoding="utf-8"), kind)
    # An SVG file names its XML namespace with an address that is never fetched.
    text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    found = re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>)]*", text, re.I)
    assert not [url for url in found if url != settings.QUICK_EXIT_URL], found


def test_the_quick_exit_goes_to_the_configured_site(db):
    with override_settings(QUICK_EXIT_URL="https://weather.example/"):
        page = Client().get("/accounts/login/").content.decode()
    assert re.search(r'id="quick-exit"[^>]*href="https://weather\.example/"', page) or re.search(
        r'href="https://weather\.example/"[^>]*id="quick-exit"', page
    )


# Production settings, checked in fresh processes


def _environment(**extra: str) -> dict[str, str]:
    # A clean process: no settings of ours, and not the e2e tests' async switch.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ATTUNEMENT_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["DJANGO_SETTINGS_MODULE"] = "attunement.web.settings"
    env["PYTHONPATH"] = os.pathsep.join([str(SRC.parent), env.get("PYTHONPATH", "")])
    env.update(extra)
    return env


def _production(tmp_path: Path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return _environment(
        ATTUNEMENT_PRODUCTION="1",
        ATTUNEMENT_SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ATTUNEMENT_ALLOWED_HOSTS="example.org",
        ATTUNEMENT_DATA_DIR=str(tmp_path),
    )


def _settings_in(env: dict[str, str], cwd: Path, *names: str) -> dict[str, object]:
    code = (
        "import json, sys; from attunement.web import settings as s; "
        "json.dump({n: getattr(s, n) for n in sys.argv[1:]}, sys.stdout, default=str)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *names],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def test_the_deployment_checklist_is_clean_in_production(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
        env=_production(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output, output


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    found = _settings_in(
        _production(tmp_path),
        tmp_path,
        "DEBUG",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    assert found["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert found["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert found["DEBUG"] is False
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["CSRF_COOKIE_SECURE"] is True


def test_a_local_run_sends_no_hsts(tmp_path):
    # Pinning HTTPS on 127.0.0.1 would break every other local site on that address.
    found = _settings_in(
        _environment(ATTUNEMENT_DATA_DIR=str(tmp_path)), tmp_path, "SECURE_HSTS_SECONDS"
    )
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0  # made for its owner only


def test_the_test_server_sends_no_hsts_even_over_https(db):
    response = Client().get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
