"""Journey: Sam looks at what he shares, takes his data with him, and deletes his account."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from attunement.web.accounts.models import User
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal

from .conftest import PASSWORD, go, paired_couple, sign_in


def test_sam_reviews_his_sharing_exports_his_data_and_deletes_his_account(
    new_context, site, look, screenshot
):
    alex_user, sam_user = paired_couple()
    entry = journal.write(sam_user, prompt="", title="Tuesday", body="I went quiet again.")
    journal.share(sam_user, entry.pk)
    journal.write(alex_user, prompt="", title="", body="Alex's own private words.")
    couples.set_sharing(sam_user, ["csi4"])

    sam = new_context(accept_downloads=True).new_page()

    sign_in(sam, site, "sam@example.org")
    go(sam, "Privacy")
    expect(sam.get_by_role("heading", name="What your partner can see")).to_be_visible()
    expect(sam.get_by_text("1 entry you shared:")).to_be_visible()
    look(sam, "Sam: privacy")
    screenshot(sam, "privacy")

    with sam.expect_download() as download:
        sam.get_by_role("button", name="Download my data").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    text = json.dumps(exported)
    assert "I went quiet again." in text
    assert "Alex's own private words." not in text

    sam.goto(site + "/privacy/delete/")
    look(sam, "Sam: delete")
    sam.get_by_label("Your password").fill("not my password at all")
    sam.get_by_label("Type “delete my account” to confirm").fill("delete my account")
    sam.get_by_role("button", name="Delete my account for good").click()
    expect(sam.get_by_text("That is not your password. Nothing has been deleted.")).to_be_visible()
    look(sam, "Sam: delete, wrong password")
    sam.get_by_label("Your password").fill(PASSWORD)
    sam.get_by_label("Type “delete my account” to confirm").fill("delete my account")
    sam.get_by_role("button", name="Delete my account for good").click()
    expect(sam.get_by_role("heading", level=1)).to_be_visible()
    look(sam, "Sam: deleted")
    assert not User.objects.filter(email="sam@example.org").exists()
    assert User.objects.filter(email="alex@example.org").exists()
