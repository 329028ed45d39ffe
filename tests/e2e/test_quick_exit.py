"""The quick exit: first in keyboard order, and one click or three Shifts from a neutral site."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    PHONE,
    assert_leaves_for,
    assert_quick_exit_comes_first,
    press_shift_three_times,
)


def click_quick_exit(page: Page) -> None:
    page.get_by_role("link", name="Quick exit").click()


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/"])
def test_the_quick_exit_is_the_first_thing_tab_reaches(new_context, site, path):
    page = new_context(**PHONE).new_page()
    page.goto(site + path)
    assert_quick_exit_comes_first(page)


@pytest.mark.parametrize("leave", [click_quick_exit, press_shift_three_times])
def test_the_quick_exit_goes_to_the_configured_neutral_site(
    new_context, site, neutral_site, outside, leave
):
    page = new_context().new_page()
    page.goto(site)
    assert page.get_by_role("link", name="Quick exit").get_attribute("href") == neutral_site
    assert_leaves_for(page, neutral_site, outside, lambda: leave(page))


def test_two_shift_presses_do_not_leave(new_context, site, neutral_site, outside):
    page = new_context().new_page()
    page.goto(site)
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert page.url == site + "/"
    assert outside.urls == []


def test_the_skip_link_comes_next_and_shows_when_focused(new_context, site):
    page = new_context(**PHONE).new_page()
    page.goto(site + "/accounts/login/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("link => link === document.activeElement")
    expect(skip).to_be_in_viewport()
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
