"""The reflection journal's pages: private entries, encrypted at rest, shared only on purpose."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from attunement.practices import prompts
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.vault import crypto
from attunement.web.vault import services as vault
from attunement.web.vault.models import UserKey
from web.conftest import client_for, pair
from web.matrix_data import give_answers, normalise

CANARY = "Violet-Canary-7319"


def rows_containing(text: str) -> list[str]:
    """Every table and column whose raw stored value contains the text (ignoring case)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    raw = bytes(value) if isinstance(value, memoryview) else value
                    shown = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                    if text.casefold() in shown.casefold():
                        found.append(f"{table}.{column}")
    return found


def write(person, body="I went quiet when she raised it.", title="", prompt="my_part"):
    return journal.write(person, prompt=prompt, title=title, body=body)


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# Signed in only


def test_the_journal_asks_a_visitor_to_sign_in(db):
    response = client_for(None).get("/journal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_signed_in_page_links_to_the_journal(alex):
    assert 'href="/journal/"' in text_of(client_for(alex).get("/accounts/"))


# Writing, and what is stored


def test_writing_an_entry_keeps_it_and_shows_it_to_its_author(alex):
    client = client_for(alex)
    response = client.post(
        "/journal/new/", {"prompt": "my_part", "title": "Sunday", "body": "I snapped at dinner."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/journal/"
    entry = JournalEntry.objects.get()
    assert (entry.owner, entry.prompt, entry.title, entry.body) == (
        alex, "my_part", "Sunday", "I snapped at dinner."
    )  # fmt: skip
    page = text_of(client.get(f"/journal/{entry.pk}/"))
    assert "Sunday" in page
    assert "I snapped at dinner." in page
    assert "What was my part in what happened?" in page


def test_no_database_column_ever_holds_the_words_of_an_entry(alex, sam, couple):
    client = client_for(alex)
    client.post("/journal/new/", {"prompt": "", "title": f"{CANARY} title", "body": CANARY})
    entry = JournalEntry.objects.get()
    client.post(f"/journal/{entry.pk}/edit/", {"title": CANARY, "body": f"again {CANARY}"})
    client.post(f"/journal/{entry.pk}/share/")
    assert CANARY in text_of(client_for(sam).get("/journal/shared/"))
    assert CANARY in text_of(client.get(f"/journal/?q={CANARY.lower()}"))
    assert rows_containing(CANARY) == []
    assert JournalEntry.objects.get().body == f"again {CANARY}"


def test_the_raw_scan_does_find_what_is_stored_in_plain_text(alex):
    # Without this, an empty scan above could mean the scan looks nowhere.
    assert "accounts_user.email" in rows_containing("ALEX@example.org")


def test_the_text_is_stored_encrypted_under_the_authors_own_key_and_bound_to_its_row(alex, sam):
    entry = write(alex, body="only mine")
    stored = JournalEntry.objects.values_list("sealed_body", flat=True).get()
    assert stored.startswith("v1.")
    aad = crypto.field_aad(alex.pk, "journal.journalentry", entry.pk, "body")
    assert crypto.decrypt(UserKey.cipher_for(alex.pk), stored, aad) == "only mine"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(UserKey.cipher_for(sam.pk), stored, aad)
    assert entry.sealed_body != write(alex, body="only mine").sealed_body  # fresh each time
    assert UserKey.objects.count() == 2
    assert "only mine" not in UserKey.objects.get(user=alex).wrapped


def test_entries_are_listed_newest_first_with_times_that_know_their_zone(alex):
    with time_machine.travel("2026-03-01 21:00Z", tick=False):
        write(alex, title="First evening")
    with time_machine.travel("2026-03-02 22:30Z", tick=False):
        write(alex, title="Second evening")
    page = text_of(client_for(alex).get("/journal/"))
    assert page.index("Second evening") < page.index("First evening")
    assert 'datetime="2026-03-02T22:30:00+00:00"' in page
    assert all(timezone.is_aware(e.created) for e in JournalEntry.objects.all())


# Search


def test_search_finds_the_authors_entries_with_every_word_ignoring_case(alex):
    write(alex, title="Tuesday", body="I went QUIET when Sam talked about money.")
    write(alex, title="Wednesday", body="I was quiet all evening.")
    write(alex, title="Thursday", body="We laughed.")
    page = text_of(client_for(alex).get("/journal/", {"q": "quiet  MONEY"}))
    assert "Tuesday" in page
    assert "Wednesday" not in page
    assert "Thursday" not in page
    assert [e.title for e in journal.entries(alex, "quiet")] == ["Wednesday", "Tuesday"]


def test_search_looks_at_the_prompt_too(alex):
    write(alex, title="Tuesday", prompt="feeling_avoided")
    write(alex, title="Wednesday", prompt="")
    assert [e.title for e in journal.entries(alex, "avoiding")] == ["Tuesday"]


def test_search_never_finds_anyone_elses_entries(alex, sam, couple):
    journal.share(sam, write(sam, body=f"{CANARY} from Sam").pk)
    write(alex, body="mine")
    page = text_of(client_for(alex).get("/journal/", {"q": CANARY}))
    assert "from Sam" not in page
    assert "No entry contains" in page
    assert journal.entries(alex, CANARY) == []


def test_a_search_with_nothing_found_says_so(alex):
    write(alex, body="hello")
    page = text_of(client_for(alex).get("/journal/", {"q": "goodbye"}))
    assert "No entry contains “goodbye”." in page
    assert "Show all entries" in page


def test_a_search_too_long_is_refused_clearly_and_all_entries_are_shown(alex):
    write(alex, title="Kept")
    page = text_of(client_for(alex).get("/journal/", {"q": "x" * 201}))
    assert "Ensure this value has at most 200 characters" in page
    assert "Kept" in page


# Bad input: a clear error, and nothing saved


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"prompt": "", "title": "", "body": ""}, "Write something first"),
        ({"prompt": "", "title": "", "body": "  \n "}, "Write something first"),
        ({"prompt": "", "title": "", "body": "x" * 20_001}, "at most 20000 characters"),
        ({"prompt": "", "title": "t" * 201, "body": "ok"}, "at most 200 characters"),
        ({"prompt": "no_such_prompt", "title": "", "body": "ok"}, "That prompt is not available"),
        ({"prompt": "", "title": "", "body": "a\x00b"}, "Null characters are not allowed"),
    ],
    ids=["empty", "blank", "too long", "long title", "unknown prompt", "null character"],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_saved(alex, data, error):
    response = client_for(alex).post("/journal/new/", data)
    assert response.status_code == 200
    assert error in text_of(response)
    assert not JournalEntry.objects.exists()
    assert not UserKey.objects.exists()


def test_bad_input_on_edit_keeps_the_entry_as_it_was(alex):
    entry = write(alex, title="Before", body="As it was.")
    response = client_for(alex).post(f"/journal/{entry.pk}/edit/", {"title": "After", "body": ""})
    assert "Write something first" in text_of(response)
    stored = JournalEntry.objects.get()
    assert (stored.title, stored.body, stored.updated) == ("Before", "As it was.", entry.updated)


def test_a_body_of_exactly_the_limit_is_kept(alex):
    client_for(alex).post("/journal/new/", {"prompt": "", "title": "", "body": "x" * 20_000})
    assert len(JournalEntry.objects.get().body) == 20_000


# Prompts on the pages


def test_the_new_entry_page_puts_tonights_prompt_first_then_the_others(alex):
    page = text_of(client_for(alex).get("/journal/new/"))
    questions = [p.question for p in prompts.prompts()]
    assert page.index("Tonight's prompt") < page.index(questions[0]) < page.index(questions[1])
    for question in questions:
        assert question in page
    assert 'href="/journal/new/?prompt="' in page  # writing freely


def test_tonights_prompt_is_the_first_one_not_yet_written_on(alex):
    write(alex, prompt="protect_when_hurt")
    suggested = journal.suggested_prompt(alex)
    assert suggested.id == "feeling_avoided"
    page = text_of(client_for(alex).get("/journal/new/"))
    assert page.index("Tonight's prompt") < page.index(suggested.question)
    assert page.index(suggested.question) < page.index("Other prompts")


def test_a_chosen_prompt_comes_with_why_it_helps_and_questions_to_carry_on(alex):
    chosen = prompts.get("powerless_or_scared")
    page = text_of(client_for(alex).get("/journal/new/", {"prompt": chosen.id}))
    assert chosen.question in page
    assert chosen.why.split(".")[0] in page
    for question in chosen.follow_ups:
        assert question in page
    assert 'name="prompt" value="powerless_or_scared"' in page


def test_an_unknown_prompt_in_the_address_goes_back_to_the_choice(alex):
    response = client_for(alex).get("/journal/new/", {"prompt": "no_such_prompt"})
    assert response.status_code == 302
    assert response["Location"] == "/journal/new/"


def test_the_home_page_offers_tonights_prompt(alex):
    page = text_of(client_for(alex).get("/"))
    assert "Reflect" in page
    assert prompts.prompts()[0].question in page
    assert f'href="/journal/new/?prompt={prompts.prompts()[0].id}"' in page


# Editing and deleting


def test_editing_replaces_the_text_and_keeps_the_prompt(alex):
    entry = write(alex, title="Before", body="First thoughts.", prompt="my_part")
    page = text_of(client_for(alex).get(f"/journal/{entry.pk}/edit/"))
    assert "First thoughts." in page
    assert 'name="prompt" value="my_part"' in page
    response = client_for(alex).post(
        f"/journal/{entry.pk}/edit/", {"prompt": "my_part", "title": "", "body": "Second thoughts."}
    )
    assert response["Location"] == f"/journal/{entry.pk}/"
    stored = JournalEntry.objects.get()
    assert (stored.prompt, stored.title, stored.body) == ("my_part", "", "Second thoughts.")
    assert stored.updated > stored.created


def test_editing_a_shared_entry_says_the_partner_will_read_the_changes(alex, sam, couple):
    entry = write(alex)
    journal.share(alex, entry.pk)
    page = text_of(client_for(alex).get(f"/journal/{entry.pk}/edit/"))
    assert "This entry is shared with Sam, so Sam will be able to read your changes too." in page


def test_deleting_asks_first_then_removes_the_entry_for_good(alex):
    entry = write(alex, title="Gone soon")
    client = client_for(alex)
    confirm = text_of(client.get(f"/journal/{entry.pk}/delete/"))
    assert "Delete this entry?" in confirm
    assert "Gone soon" in confirm
    assert JournalEntry.objects.exists()
    response = client.post(f"/journal/{entry.pk}/delete/")
    assert response["Location"] == "/journal/"
    assert not JournalEntry.objects.exists()
    assert client.get(f"/journal/{entry.pk}/").status_code == 404


# Someone else's entry is exactly like a missing one

ENTRY_PAGES = [
    ("get", "/journal/{}/"),
    ("get", "/journal/{}/edit/"),
    ("post", "/journal/{}/edit/"),
    ("get", "/journal/{}/delete/"),
    ("post", "/journal/{}/delete/"),
    ("post", "/journal/{}/share/"),
    ("post", "/journal/{}/unshare/"),
]


@pytest.mark.parametrize(("method", "path"), ENTRY_PAGES)
@pytest.mark.parametrize("shared", [False, True], ids=["private", "shared"])
@pytest.mark.parametrize("person", ["sam", "casey"])
def test_someone_elses_entry_is_answered_exactly_like_a_missing_one(
    method, path, shared, person, alex, couple, request
):
    entry = write(alex, body="Alex's own words")
    if shared:
        journal.share(alex, entry.pk)
    client = client_for(request.getfixturevalue(person))
    data = {"prompt": "", "title": "mine now", "body": "overwritten"}
    sent = data if method == "post" else None
    theirs = getattr(client, method)(path.format(entry.pk), sent)
    missing = getattr(client, method)(path.format(entry.pk + 1000), sent)
    assert theirs.status_code == missing.status_code == 404
    assert normalise(theirs.content) == normalise(missing.content)
    stored = JournalEntry.objects.get()
    assert (stored.body, stored.shared_with_partner) == ("Alex's own words", shared)


# Sharing


def test_the_entry_page_says_plainly_what_sharing_means(alex, sam, couple):
    entry = write(alex)
    page = text_of(client_for(alex).get(f"/journal/{entry.pk}/"))
    assert "Private: only you can read this entry." in page
    assert (
        "Sam will be able to read it, with its title and its prompt, until you unshare it." in page
    )
    assert "Share with Sam" in page


def test_sharing_lets_the_partner_read_the_entry_until_it_is_unshared(alex, sam, couple):
    entry = write(alex, title="For Sam", body="I see how my silence left you alone.")
    client = client_for(alex)
    assert client.post(f"/journal/{entry.pk}/share/")["Location"] == f"/journal/{entry.pk}/"
    stored = JournalEntry.objects.get()
    assert stored.shared_with_partner
    assert stored.shared_at is not None
    shared = text_of(client_for(sam).get("/journal/shared/"))
    assert "What Alex has shared with you" in shared
    assert "I see how my silence left you alone." in shared
    assert "Unshare" in text_of(client.get(f"/journal/{entry.pk}/"))

    client.post(f"/journal/{entry.pk}/unshare/")
    assert "I see how my silence left you alone." not in text_of(
        client_for(sam).get("/journal/shared/")
    )
    stored = JournalEntry.objects.get()
    assert (stored.shared_with_partner, stored.shared_at, stored.shared_in) == (False, None, None)


def test_only_the_entries_shared_reach_the_partner(alex, sam, couple):
    journal.share(alex, write(alex, title="Shared one").pk)
    write(alex, title="Private one")
    page = text_of(client_for(sam).get("/journal/shared/"))
    assert "Shared one" in page
    assert "Private one" not in page
    assert [e.title for e in journal.shared_with(sam)] == ["Shared one"]
    assert journal.shared_with(alex) == []


def test_people_in_another_couple_never_see_shared_entries(alex, sam, couple, casey, other_couple):
    journal.share(alex, write(alex, title="For Sam only").pk)
    assert "For Sam only" not in text_of(client_for(casey).get("/journal/shared/"))
    assert journal.shared_with(casey) == []


def test_an_unpaired_person_cannot_share_and_is_told_why(alex):
    entry = write(alex)
    page = text_of(client_for(alex).get(f"/journal/{entry.pk}/"))
    assert "If you pair with your partner, you can choose to share single entries" in page
    response = client_for(alex).post(f"/journal/{entry.pk}/share/", follow=True)
    assert "You're not paired with anyone at the moment." in text_of(response)
    assert not JournalEntry.objects.get().shared_with_partner


def test_the_shared_page_shows_an_unpaired_person_how_pairing_works(olive):
    assert "This part opens once you're paired" in text_of(
        client_for(olive).get("/journal/shared/")
    )


def test_unpairing_ends_the_partners_access_and_pairing_again_does_not_restore_it(
    alex, sam, couple
):
    entry = write(alex, title="Before we unpaired")
    journal.share(alex, entry.pk)
    couples.unpair(sam)
    assert journal.shared_with(sam) == []
    assert not JournalEntry.objects.get().shared_with_partner
    pair(alex, sam)
    assert journal.shared_with(sam) == []
    assert "Before we unpaired" not in text_of(client_for(sam).get("/journal/shared/"))
    assert "Private: only you can read this entry." in text_of(
        client_for(alex).get(f"/journal/{entry.pk}/")
    )


def test_a_share_from_an_ended_couple_grants_nothing_even_if_its_flag_survived(alex, sam, couple):
    entry = write(alex, title="Old share")
    journal.share(alex, entry.pk)
    couple.members.update(active=False)  # an unpairing that skipped the usual path
    pair(alex, sam)
    assert JournalEntry.objects.get().shared_with_partner
    assert journal.shared_with(sam) == []
    assert "Private: only you can read" in text_of(client_for(alex).get(f"/journal/{entry.pk}/"))


def test_a_person_whose_own_screen_was_positive_gets_a_private_word_before_sharing(
    alex, sam, couple
):
    give_answers(alex, {"hark": {"H": 0, "A": 1, "R": 0, "K": 0, "C": 0}})
    alexs = write(alex)
    sams = write(sam)
    careful = "Nothing here has to be shared."
    assert careful in text_of(client_for(alex).get(f"/journal/{alexs.pk}/"))
    assert careful not in text_of(client_for(sam).get(f"/journal/{sams.pk}/"))


# Keys: deleting one shreds what it locked


def test_deleting_a_persons_key_makes_every_entry_of_theirs_unreadable(alex, sam):
    entry = write(alex, title="Soon unreadable", body="Locked away.")
    sams = write(sam, body="Sam's stays readable.")
    vault.forget_key(alex)
    again = JournalEntry.objects.get(pk=entry.pk)
    with pytest.raises(crypto.Unreadable):
        again.body  # noqa: B018
    assert not again.readable
    # A new key is made for new writing; it opens nothing written before.
    assert write(alex, body="A fresh start.").body == "A fresh start."
    assert not JournalEntry.objects.get(pk=entry.pk).readable
    assert JournalEntry.objects.get(pk=sams.pk).body == "Sam's stays readable."


def test_the_pages_say_plainly_when_an_entry_can_no_longer_be_read(alex):
    entry = write(alex, title="Soon unreadable")
    vault.forget_key(alex)
    client = client_for(alex)
    assert "This entry can no longer be read." in text_of(client.get("/journal/"))
    page = text_of(client.get(f"/journal/{entry.pk}/"))
    assert "the key it was locked with no longer exists" in page
    assert client.get(f"/journal/{entry.pk}/edit/")["Location"] == f"/journal/{entry.pk}/"
    assert journal.entries(alex, "unreadable") == []


def test_a_shared_entry_whose_key_is_gone_disappears_from_the_partners_page(alex, sam, couple):
    journal.share(alex, write(alex, title="Shared then shredded").pk)
    vault.forget_key(alex)
    assert journal.shared_with(sam) == []
    assert client_for(sam).get("/journal/shared/").status_code == 200


def test_deleting_an_account_deletes_its_entries_and_its_key(alex, sam, couple):
    journal.share(alex, write(alex).pk)
    write(sam)
    alex.delete()
    assert list(JournalEntry.objects.values_list("owner", flat=True)) == [sam.pk]
    assert list(UserKey.objects.values_list("user", flat=True)) == [sam.pk]


# Two devices editing one entry


def test_a_stale_edit_is_refused_shows_the_newer_text_and_keeps_what_was_typed(alex):
    entry = journal.write(alex, prompt="", title="First", body="first words")
    laptop, phone = client_for(alex), client_for(alex)
    opened = phone.get(f"/journal/{entry.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', opened).group(1)
    saved = {"prompt": "", "title": "Laptop", "body": "laptop words", "version": version}
    assert laptop.post(f"/journal/{entry.pk}/edit/", saved).status_code == 302

    stale = {"prompt": "", "title": "Phone", "body": "phone words", "version": version}
    response = phone.post(f"/journal/{entry.pk}/edit/", stale)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This entry was changed somewhere else" in page
    assert "laptop words" in page  # the newer text
    assert "phone words" in page  # what was typed, still in the form
    entry.refresh_from_db()
    assert entry.body == "laptop words"
    fresh = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert fresh != version
    resend = {**stale, "version": fresh}  # saving again, knowingly, keeps the phone's words
    assert phone.post(f"/journal/{entry.pk}/edit/", resend).status_code == 302
    entry.refresh_from_db()
    assert entry.body == "phone words"


def test_an_edit_from_the_current_version_is_saved(alex):
    entry = journal.write(alex, prompt="", title="", body="old")
    client = client_for(alex)
    page = client.get(f"/journal/{entry.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', page).group(1)

    response = client.post(
        f"/journal/{entry.pk}/edit/", {"prompt": "", "title": "", "body": "new", "version": version}
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.body == "new"


def test_the_journal_page_shows_a_page_of_entries_and_a_link_to_older_ones(alex, monkeypatch):
    from attunement.web.journal import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 3)
    for n in range(5):
        write(alex, title=f"Entry {n}")
    client, seen, address = client_for(alex), [], "/journal/"
    while address:
        page = text_of(client.get(address))
        seen += re.findall(r"Entry \d", page)
        found = re.search(r'href="(\?[^"]+)" rel="next">Older entries', page)
        address = "/journal/" + found.group(1).replace("&amp;", "&") if found else None
    assert seen == ["Entry 4", "Entry 3", "Entry 2", "Entry 1", "Entry 0"]


def test_a_mangled_older_entries_link_says_so_and_shows_the_newest(alex):
    write(alex, title="Newest")
    page = text_of(client_for(alex).get("/journal/", {"cursor": "garbage"}))
    assert "That link to older entries is not valid" in page
    assert "Newest" in page
