"""Browser end-to-end tests: Debian's Chromium driving the live server, and nothing else.

Every browser context aborts requests to any other origin and records them, so a
test fails if a page tries to reach a third party (a font, an analytics script, a
CDN). Pages are checked with axe; screenshots, at 390 and 1280 px, go to
$ATTUNEMENT_SCREENSHOTS or a temporary directory.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)

# Playwright's sync API keeps an event loop running in this thread, which makes
# Django refuse database access from the test (creating users, flushing tables).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The one origin pages may use; ALLOWED_HOSTS includes it.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PASSWORD = "a quiet walk by the river at dusk"
BLOCKING_IMPACTS = {"serious", "critical"}
NEUTRAL_SITE = "https://weather.example/today"


HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test here is a browser test; under xdist they share one worker (--dist loadgroup).

    One Chromium at a time is enough for a machine with few cores, and keeps the
    browser tests' timings (the default timeout) as they are without xdist.
    """
    grouped = config.pluginmanager.hasplugin("xdist")
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if grouped:
                item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(autouse=True)
def empty_tables(transactional_db: None) -> None:
    """Start each journey from empty tables.

    pytest-django empties them after every test, but once (SQLite, in CI) a user of the
    previous journey was still there, most likely written back by a request the live
    server was still answering while the tables were emptied, and the next journey could
    not create its couple. Emptied again here, only when anything is left.
    """
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    if get_user_model().objects.exists():
        call_command("flush", interactive=False, verbosity=0)


@dataclass
class Outside:
    """Requests to other origins that the browser attempted (and that were aborted)."""

    urls: list[str] = field(default_factory=list)
    # Uncaught script errors and CSP refusals: either means a page is broken.
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def origin(live_server) -> str:
    return live_server.url


@pytest.fixture
def site(settings, origin: str) -> str:
    """The live server, configured as the public address emails link to."""
    settings.SITE_URL = origin
    return origin


@pytest.fixture
def neutral_site(settings) -> str:
    """The operator's configured quick-exit page, which the browser is never allowed to reach."""
    settings.QUICK_EXIT_URL = NEUTRAL_SITE
    return NEUTRAL_SITE


@pytest.fixture
def outside() -> Outside:
    return Outside()


@pytest.fixture
def new_context(
    browser: Browser, origin: str, outside: Outside
) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts that may talk to the live server only.

    A test that expects an outside request (the quick exit) checks `outside.urls`
    and clears it; anything left at the end fails the test.
    """
    made: list[BrowserContext] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if url == origin or url.startswith(origin + "/"):
            route.continue_()
        else:
            outside.urls.append(url)
            route.abort("blockedbyclient")

    def note_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            outside.page_errors.append(message.text)

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**{**DESKTOP, **options})
        context.set_default_timeout(10_000)
        context.route("**/*", guard)
        context.on("console", note_console)
        context.on("weberror", lambda error: outside.page_errors.append(str(error.error)))
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert outside.urls == [], "pages tried to reach other origins"
    assert outside.page_errors == [], "pages had script errors or CSP refusals"


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots and axe notes go: $ATTUNEMENT_SCREENSHOTS, or a temporary directory."""
    chosen = os.environ.get("ATTUNEMENT_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


# Every screenshot is taken at a phone's width and a desktop's, whatever the page's own.
SCREENSHOT_WIDTHS = {"390": PHONE["viewport"], "1280": DESKTOP["viewport"]}


@pytest.fixture
def screenshot(artifacts: Path) -> Callable[[Page, str], list[Path]]:
    """Save `name-390.png` and `name-1280.png`, full pages, then restore the page's size."""

    def take(page: Page, name: str) -> list[Path]:
        own = page.viewport_size
        paths = []
        for width, size in SCREENSHOT_WIDTHS.items():
            page.set_viewport_size(size)
            # From the top, so the fixed quick exit is drawn where a visitor first sees it.
            page.evaluate("window.scrollTo(0, 0)")
            paths.append(artifacts / f"{name}-{width}.png")
            page.screenshot(path=str(paths[-1]), full_page=True)
        if own is not None:
            page.set_viewport_size(own)
        return paths

    return take


@pytest.fixture(scope="session")
def axe(artifacts: Path) -> Callable[[Page, str], None]:
    """Check a page with axe: no serious or critical violations; lesser ones are noted."""
    checker = Axe()
    notes = artifacts / "axe-notes.jsonl"
    notes.write_text("", encoding="utf-8")

    def check(page: Page, name: str) -> None:
        # axe reads the document: let a navigation the last click started finish first.
        # A journey proves it reached the page it names (an `expect`) before it looks.
        page.wait_for_load_state("load")
        violations = checker.run(page).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        with notes.open("a", encoding="utf-8") as out:
            for v in violations:
                targets = [n["target"] for n in v["nodes"]]
                line = {"page": name, "id": v["id"], "impact": v["impact"], "targets": targets}
                out.write(json.dumps(line) + "\n")
        assert not blocking, f"axe on {name} ({page.url}):\n" + "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
            for v in blocking
        )

    return check


def assert_quick_exit_comes_first(page: Page) -> None:
    """One press of Tab from the top of the page lands on the quick exit."""
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement && document.activeElement.id")
    assert focused == "quick-exit", f"Tab first reached {focused!r} on {page.url}"
    page.evaluate("document.activeElement.blur()")


def assert_leaves_for(page: Page, target: str, outside: Outside, leave: Callable[[], None]) -> None:
    """`leave()` navigates to `target`, which is aborted, and nothing else went outside."""
    with page.expect_event("requestfailed", lambda r: r.url == target) as failed:
        leave()
    assert failed.value.is_navigation_request()
    assert outside.urls == [target]
    outside.urls.clear()


def press_shift_three_times(page: Page) -> None:
    for _ in range(3):
        page.keyboard.press("Shift")


def link_in(message: Any) -> str:
    """The one web address in an email's text."""
    found = re.findall(r"https?://\S+", message.body)
    assert len(found) == 1, message.body
    return str(found[0])


# Shared by the journeys


def paired_couple() -> tuple[Any, Any]:
    """Alex and Sam, with accounts (the password above) and paired with each other."""
    from attunement.web.accounts.models import User
    from attunement.web.couples.models import Couple, Membership

    alex = User.objects.create_user("alex@example.org", PASSWORD, display_name="Alex")
    sam = User.objects.create_user("sam@example.org", PASSWORD, display_name="Sam")
    couple = Couple.objects.create()
    Membership.objects.bulk_create(
        [Membership(couple=couple, user=alex), Membership(couple=couple, user=sam)]
    )
    return alex, sam


def sign_in(page: Page, site: str, email: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hello, "))


@pytest.fixture
def look(axe: Callable[[Page, str], None]) -> Callable[[Page, str], None]:
    """After a page loads: axe finds nothing serious, and Tab reaches the quick exit first."""

    def check(page: Page, name: str) -> None:
        axe(page, name)
        assert_quick_exit_comes_first(page)

    return check


def open_menu(page: Page) -> None:
    """Open the main menu where it is folded into a "Menu" button (phones); else nothing."""
    page.wait_for_load_state()  # the stylesheet decides whether the button shows
    menu = page.locator("details.site-menu > summary")
    if menu.is_visible() and page.locator("details.site-menu[open]").count() == 0:
        menu.click()


def go(page: Page, name: str) -> None:
    """Follow a link of the main menu, opening the menu first where it is folded."""
    open_menu(page)
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    address = link.get_attribute("href")
    assert address and address.startswith("/"), f"menu link {name!r} goes to {address!r}"
    link.click()
    page.wait_for_url(re.compile(re.escape(address) + r"(\?|#|$)"))  # and its load


def sign_out(page: Page) -> None:
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
