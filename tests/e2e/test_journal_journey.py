"""Journey 4: Sam writes a private entry about shutting down, shares it, and takes it back."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import PHONE, go, paired_couple, sign_in

ENTRY = "When Alex got upset about the holidays, I went quiet and left the room."


def test_sam_writes_privately_shares_one_entry_with_alex_and_unshares_it(
    new_context, site, look, screenshot
):
    paired_couple()
    sam = new_context().new_page()
    alex = new_context(**PHONE).new_page()

    sign_in(sam, site, "sam@example.org")
    expect(sam.get_by_role("heading", name="Reflect")).to_be_visible()
    go(sam, "Journal")
    look(sam, "Sam: journal, empty")
    sam.get_by_role("link", name="Write an entry").click()
    expect(sam.get_by_role("heading", name="Tonight's prompt")).to_be_visible()
    look(sam, "Sam: choose a prompt")
    screenshot(sam, "journal-choose")
    sam.get_by_role("link", name="Write about this").click()
    expect(sam.get_by_text("How do I protect myself when I feel hurt?")).to_be_visible()
    look(sam, "Sam: write")

    # Nothing written: a clear error, nothing saved.
    sam.get_by_role("button", name="Save").click()
    expect(sam.get_by_text("Write something first")).to_be_visible()
    look(sam, "Sam: write, with an error")
    sam.get_by_label("Your reflection").fill(ENTRY)
    screenshot(sam, "journal-write")
    sam.get_by_role("button", name="Save").click()
    expect(sam.get_by_role("status")).to_contain_text("Saved. Only you can read this entry.")
    look(sam, "Sam: journal")

    sam.get_by_label("Search your entries").fill("QUIET room")
    sam.get_by_role("button", name="Search").click()
    expect(sam.get_by_role("heading", name="Matching entries")).to_be_visible()
    sam.get_by_role("link", name="How do I protect myself when I feel hurt?").click()
    expect(sam.get_by_text(ENTRY)).to_be_visible()
    look(sam, "Sam: entry, private")

    # Alex sees nothing until Sam shares.
    sign_in(alex, site, "alex@example.org")
    alex.goto(site + "/journal/shared/")
    expect(alex.get_by_text("Nothing at the moment.")).to_be_visible()

    sam.get_by_role("button", name="Share with Alex").click()
    expect(sam.get_by_role("status")).to_contain_text("Alex can read this entry until you unshare")
    look(sam, "Sam: entry, shared")
    screenshot(sam, "journal-entry-shared")

    alex.reload()
    expect(alex.get_by_role("heading", level=1)).to_have_text("What Sam has shared with you")
    expect(alex.get_by_text(ENTRY)).to_be_visible()
    look(alex, "Alex: shared with you")
    screenshot(alex, "journal-shared-phone")

    sam.get_by_role("button", name="Unshare").click()
    expect(sam.get_by_role("status")).to_contain_text("Only you can read this entry now.")
    alex.reload()
    expect(alex.get_by_text(ENTRY)).to_have_count(0)
