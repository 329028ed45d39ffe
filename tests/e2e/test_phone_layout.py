"""Phones: every page fits 320 and 390 px whatever people type, and the menu needs no JavaScript.

The demo couple (`attunement serve --demo`) gives every page something to show; a
journal entry, a draft and a token carry long unbroken words, as people paste them.
"""

from __future__ import annotations

import re

import pytest
import yaml
from django.urls import resolve
from django.utils import timezone
from playwright.sync_api import Page, expect

from attunement import learn
from attunement.practices import catalogue, flows
from attunement.web.accounts.models import ApiToken, User
from attunement.web.core.demo import DEMO_FILE, create_demo
from attunement.web.journal import services as journal
from attunement.web.practices import services as practices
from attunement.web.therapists import services as therapy
from attunement.web.therapists import shared_entries
from web.conftest import PASSWORD
from web.matrix_data import routes
from web.therapist_world import EVERYTHING, code_now, grant_of, make_therapist, open_case

from .conftest import PHONE

UNBROKEN = "Whyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy!" * 3
WIDTHS = (320, 390)

# Routes not visited here, and why.
SKIPPED = {
    "accounts:change_name": "POST only",
    "accounts:change_password": "POST only",
    "accounts:create_token": "POST only",
    "accounts:revoke_token": "POST only",
    "accounts:sign_out_everywhere": "POST only",
    "accounts:logout": "POST only",
    "accounts:signup_confirm": "a capability link from an email",
    "accounts:password_reset_confirm": "a capability link from an email",
    "couples:create_invitation": "POST only",
    "couples:revoke_invitation": "POST only",
    "couples:join": "a capability link; the demo couple is paired",
    "assessments:help": "only after a positive screen; the demo couple has none",
    "reports:pdf": "a PDF, not a page",
    "journal:share": "POST only",
    "journal:unshare": "POST only",
    "practices:coach_check": "POST only (the live coach's fragment)",
    "practices:start": "POST only",
    "practices:send": "POST only",
    "practices:withdraw": "POST only",
    "practices:log": "POST only",
    "practices:unlog": "POST only",
    "privacy:export": "POST only (a download)",
    "privacy:end_session": "POST only",
    "privacy:revoke_token": "POST only",
    "privacy:withdraw_consent": "POST only",
    "privacy:stop_sharing": "POST only",
    "privacy:pause_messages": "POST only",
    "accounts:change_notices": "POST only",
    "practices:mark_read": "POST only",
    "practices:reply_read": "POST only",
    "practices:reply": "needs a message from the partner; the message-loop journey covers it",
}
THERAPIST_SKIPPED = {
    "therapists:setup": "setting up the second factor: the therapist journey, at 390 px",
    "therapists:verify": "passed on the way in; the therapist journey looks at it",
    "therapists:backup_codes": "shown once at set-up: the therapist journey",
    "therapists:summary_pdf": "a PDF, not a page",
    "therapists:join": "a capability link; the therapist journey follows one",
    "therapists:new_invitation": "POST only",
    "therapists:record_session": "POST only",
    "therapists:change_consent": "POST only",
    "therapists:share_entry": "POST only",
    "therapists:unshare_entry": "POST only",
}


def alex_pages(entry: int, draft: int) -> list[str]:
    return [
        "/", "/support/", "/learn/", *(f"/learn/{p.id}/" for p in learn.pages()),
        "/accounts/", "/couple/", "/couple/sharing/", "/couple/unpair/",
        "/check/", "/check/results/", "/check/csi4/1/", "/check/connection/1/", "/report/",
        "/journal/", "/journal/new/", "/journal/new/?prompt=my_part", "/journal/shared/",
        f"/journal/{entry}/", f"/journal/{entry}/edit/", f"/journal/{entry}/delete/",
        "/practice/", "/practice/coach/", "/practice/received/", "/practice/listening/",
        *(f"/practice/flow/{f.id}/" for f in flows.flows()),
        f"/practice/draft/{draft}/", f"/practice/draft/{draft}/step/1/",
        f"/practice/draft/{draft}/delete/",
        *(f"/practice/about/{p}/" for p in catalogue()),
        "/checkin/", "/checkin/take/", "/checkin/reminder/", "/privacy/", "/privacy/delete/",
        "/check/again/", "/check/again/resume/",
    ]  # fmt: skip


ANONYMOUS_PAGES = [
    "/", "/accounts/signup/", "/accounts/signup/sent/", "/accounts/login/",
    "/accounts/password-reset/", "/accounts/password-reset/sent/",
    "/accounts/password-reset/complete/", "/learn/", "/learn/strategies/", "/support/",
]  # fmt: skip
SAM_PAGES = ["/practice/received/", "/journal/shared/", "/practice/"]


def demo_with_long_words() -> tuple[int, int]:
    """The demo couple, plus what people paste: a long unbroken title, answer and token name."""
    create_demo()
    alex = User.objects.get(email="alex@demo.invalid")
    sam = User.objects.get(email="sam@demo.invalid")
    entry = journal.write(alex, prompt="", title=UNBROKEN, body=f"See {UNBROKEN} again.")
    shared = journal.write(sam, prompt="", title=UNBROKEN, body=UNBROKEN)
    journal.share(sam, shared.pk)
    draft = practices.start(alex, "feedback_wheel", original=UNBROKEN)
    practices.answer(draft, flows.get("feedback_wheel").steps[0], UNBROKEN)
    practices.keep(draft, UNBROKEN)
    practices.send(alex, draft.pk)
    ApiToken.issue(alex, UNBROKEN[:60])
    return entry.pk, draft.pk


def therapist_pages(case: int, grant: int) -> tuple[list[str], list[str]]:
    """The therapist's pages about a case, and a client's pages about their therapist."""
    here = f"/therapist/cases/{case}/"
    riley = ["/therapist/", "/therapist/cases/new/", here, here + "summary/", here + "end/"]
    return riley, ["/therapist/consent/", f"/therapist/consent/{grant}/withdraw/"]


def test_every_page_route_is_visited_or_skipped_for_a_reason():
    riley, client = therapist_pages(1, 1)
    pages = alex_pages(1, 1) + ANONYMOUS_PAGES + riley + client
    visited = {resolve(p.split("?")[0]).view_name for p in pages}
    for name, pattern in routes():
        if name.startswith("api:"):
            continue
        assert name in visited or name in SKIPPED or name in THERAPIST_SKIPPED, (
            f"{name} ({pattern}) is neither visited nor skipped"
        )


def sign_in_demo(page: Page, site: str, email: str) -> None:
    password = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["password"]
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hello, "))


FIRST_HEADING_TOP = "document.querySelector('main h1, main h2').getBoundingClientRect().top"


def too_wide(page: Page, site: str, paths: list[str], errors: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(site + path)
        assert response is not None and response.status == 200, (path, response)
        # A phone widens its layout viewport (innerWidth) to fit a page that overflows,
        # so the screen's own width is the measure as well.
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        screen = page.viewport_size["width"]
        if scroll > inner or inner > screen:
            found.append(f"{path}: {scroll} px wide, layout {inner} px, screen {screen} px")
        top = page.evaluate(
            "document.querySelector('main h1, main h2').getBoundingClientRect().top"
        )
        assert top < page.viewport_size["height"] / 2, f"{path}: content starts at {top}px"
    assert errors == [], errors
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_a_phone_whatever_people_type(new_context, site, width):
    entry, draft = demo_with_long_words()
    size = {**PHONE, "viewport": {"width": width, "height": 740 if width == 320 else 844}}
    wide: list[str] = []
    for email, paths in [
        (None, ANONYMOUS_PAGES),
        ("alex@demo.invalid", alex_pages(entry, draft)),
        ("sam@demo.invalid", SAM_PAGES),
    ]:
        page = new_context(**size).new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        if email:
            sign_in_demo(page, site, email)
        wide += too_wide(page, site, paths, errors)
    assert wide == [], "pages wider than the screen:\n" + "\n".join(wide)


def therapist_with_long_words() -> tuple[list[str], list[str]]:
    """Riley's caseload and case, with names, a case label and a title as people type them."""
    entry, _draft = demo_with_long_words()
    alex = User.objects.get(email="alex@demo.invalid")
    sam = User.objects.get(email="sam@demo.invalid")
    User.objects.filter(pk__in=[alex.pk, sam.pk]).update(display_name=UNBROKEN[:60])
    riley = make_therapist("riley@example.org", UNBROKEN[:60])
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING}, label=UNBROKEN[:80])
    shared_entries.share_entry(alex, entry, grant_of(case, alex))
    therapy.record_session(riley, case.pk, timezone.localdate())
    therapy.open_case(riley, UNBROKEN[:80], "single")  # a second case, still waiting
    return therapist_pages(case.pk, grant_of(case, alex))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_therapist_pages_fit_a_phone_whatever_people_type(new_context, site, width, screenshot):
    riley_paths, alex_paths = therapist_with_long_words()
    size = {**PHONE, "viewport": {"width": width, "height": 740 if width == 320 else 844}}
    errors: list[str] = []
    riley = new_context(**size).new_page()
    riley.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    riley.goto(site + "/accounts/login/")
    riley.get_by_label("Email address").fill("riley@example.org")
    riley.get_by_label("Password").fill(PASSWORD)
    riley.get_by_role("button", name="Sign in").click()
    riley.goto(site + "/therapist/")
    riley.get_by_label("6-digit code from your authenticator app").fill(code_now())
    riley.get_by_role("button", name="Continue").click()
    expect(riley.get_by_role("heading", level=1)).to_have_text("Your caseload")
    wide = too_wide(riley, site, riley_paths, errors)
    if width == max(WIDTHS):
        riley.goto(site + riley_paths[2])
        screenshot(riley, "therapist-case-long-words")
    alex = new_context(**size).new_page()
    sign_in_demo(alex, site, "alex@demo.invalid")
    wide += too_wide(alex, site, alex_paths, errors)
    assert wide == [], "therapist pages wider than the screen:\n" + "\n".join(wide)


@pytest.mark.parametrize("javascript", [True, False], ids=["with script", "without script"])
def test_the_phone_menu_opens_and_leads_on(new_context, site, javascript, axe, screenshot):
    create_demo()
    page = new_context(**PHONE, java_script_enabled=javascript).new_page()
    sign_in_demo(page, site, "alex@demo.invalid")
    main_menu = page.get_by_role("navigation", name="Main")
    expect(main_menu.get_by_role("link", name="Journal")).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(main_menu.get_by_role("link", name="Journal")).to_be_visible()
    if javascript:
        axe(page, "phone menu open")
        screenshot(page, "phone-menu-open")
    main_menu.get_by_role("link", name="Learn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learn")


def test_on_a_wide_screen_the_menu_links_show_without_opening_anything(new_context, site, look):
    page = new_context().new_page()
    page.goto(site + "/")
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn")
    ).to_be_visible()
    look(page, "landing, wide")


@pytest.mark.parametrize("path", ["/learn/", "/learn/feedback-wheel/", "/learn/same-as/"])
def test_the_learn_pages_pass_axe_on_a_phone(new_context, site, path, look, screenshot):
    page = new_context(**PHONE).new_page()
    page.goto(site + path)
    look(page, f"learn {path}")
    screenshot(page, "learn" + path.strip("/").replace("/", "-"))
