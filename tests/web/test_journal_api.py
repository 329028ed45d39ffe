"""The journal over JSON: the same rules as the pages, with honest status codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from attunement.practices import prompts
from attunement.web.couples import services as couples
from attunement.web.journal import services as journal
from attunement.web.journal.models import JournalEntry
from attunement.web.vault import services as vault
from attunement.web.vault.models import UserKey
from web.conftest import client_for
from web.test_journal import CANARY, rows_containing


def send(client: Client, method: str, path: str, body: object = None):
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, path, data, content_type="application/json")


def write(person, body="I went quiet.", title="", prompt="my_part"):
    return journal.write(person, prompt=prompt, title=title, body=body)


def test_a_visitor_without_a_session_or_token_is_told_401(db):
    for method, path in [("GET", "/api/journal"), ("POST", "/api/journal")]:
        assert send(Client(), method, path, {"body": "x"}).status_code == 401


def test_writing_an_entry_answers_201_and_stores_only_ciphertext(alex):
    response = send(
        client_for(alex), "POST", "/api/journal",
        {"prompt": "feeling_avoided", "title": f"{CANARY} title", "body": f"  {CANARY}  "},
    )  # fmt: skip
    assert response.status_code == 201
    found = response.json()
    assert found["prompt"] == "feeling_avoided"
    assert found["question"] == "What feeling am I avoiding?"
    assert (found["title"], found["body"]) == (f"{CANARY} title", CANARY)
    assert (found["readable"], found["shared_with_partner"], found["shared_at"]) == (
        True, False, None
    )  # fmt: skip
    assert found["created"].endswith("Z") or found["created"].endswith("+00:00")
    assert rows_containing(CANARY) == []


def test_my_entries_come_newest_first_and_search_finds_mine_only(alex, sam, couple):
    write(alex, title="Older", body="quiet evening")
    write(alex, title="Newer", body="Quiet again, and tired")
    journal.share(sam, write(sam, body="quiet from Sam").pk)
    client = client_for(alex)
    assert [e["title"] for e in client.get("/api/journal").json()["entries"]] == ["Newer", "Older"]
    found = client.get("/api/journal", {"q": "QUIET tired"}).json()["entries"]
    assert [e["title"] for e in found] == ["Newer"]
    assert [e["body"] for e in client.get("/api/journal", {"q": "sam"}).json()["entries"]] == []


def test_a_search_too_long_is_422(alex):
    assert client_for(alex).get("/api/journal", {"q": "x" * 201}).status_code == 422


def test_i_can_read_replace_and_delete_my_own_entry(alex):
    entry = write(alex, title="Before", body="First thoughts.")
    client = client_for(alex)
    assert client.get(f"/api/journal/{entry.pk}").json()["body"] == "First thoughts."
    replaced = send(client, "PUT", f"/api/journal/{entry.pk}", {"body": "Second thoughts."})
    assert replaced.status_code == 200
    # A PUT replaces the whole entry: the prompt and title left out are cleared.
    assert (replaced.json()["prompt"], replaced.json()["title"]) == (None, "")
    stored = JournalEntry.objects.get()
    assert (stored.prompt, stored.title, stored.body) == ("", "", "Second thoughts.")
    assert send(client, "DELETE", f"/api/journal/{entry.pk}").status_code == 204
    assert not JournalEntry.objects.exists()
    assert client.get(f"/api/journal/{entry.pk}").status_code == 404


BAD = [
    ({}, "missing body"),
    ({"body": ""}, "empty body"),
    ({"body": "   "}, "blank body"),
    ({"body": "x" * 20_001}, "body too long"),
    ({"body": 42}, "body not text"),
    ({"body": "ok", "title": "t" * 201}, "title too long"),
    ({"body": "ok", "prompt": "no_such_prompt"}, "unknown prompt"),
    ({"body": "ok", "prompt": ""}, "empty prompt id"),
]


@pytest.mark.parametrize("body", [b[0] for b in BAD], ids=[b[1] for b in BAD])
def test_bad_input_is_422_with_the_field_named_and_nothing_is_saved(alex, body):
    entry = write(alex, title="Kept", body="As it was.")
    client = client_for(alex)
    for method, path in [("POST", "/api/journal"), ("PUT", f"/api/journal/{entry.pk}")]:
        response = send(client, method, path, body)
        assert response.status_code == 422, (method, response.content)
        assert response.json()["detail"][0]["loc"][-1] in {"body", "title", "prompt", "payload"}
    stored = JournalEntry.objects.get()
    assert (stored.title, stored.body) == ("Kept", "As it was.")


def test_an_unknown_prompt_is_explained(alex):
    response = send(client_for(alex), "POST", "/api/journal", {"body": "ok", "prompt": "nope"})
    assert "'nope' is not one of the journal's prompts" in response.content.decode()


def test_malformed_json_is_400_and_saves_nothing(alex):
    response = client_for(alex).generic(
        "POST", "/api/journal", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert not JournalEntry.objects.exists()


def test_a_body_of_exactly_the_limit_is_kept(alex):
    response = send(client_for(alex), "POST", "/api/journal", {"body": "x" * 20_000})
    assert response.status_code == 201


ENTRY_OPERATIONS = [
    ("GET", "/api/journal/{}", None),
    ("PUT", "/api/journal/{}", {"body": "overwritten"}),
    ("DELETE", "/api/journal/{}", None),
    ("POST", "/api/journal/{}/share", None),
    ("POST", "/api/journal/{}/unshare", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENTRY_OPERATIONS)
@pytest.mark.parametrize("person", ["sam", "casey"])
def test_someone_elses_entry_is_answered_exactly_like_a_missing_one(
    method, path, body, person, alex, couple, other_couple, request
):
    entry = write(alex, body="Alex's own words")
    journal.share(alex, entry.pk)
    client = client_for(request.getfixturevalue(person))
    theirs = send(client, method, path.format(entry.pk), body)
    missing = send(client, method, path.format(entry.pk + 1000), body)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    assert JournalEntry.objects.get().body == "Alex's own words"


def test_sharing_and_unsharing(alex, sam, couple):
    entry = write(alex, title="For Sam", body="I see it now.")
    client = client_for(alex)
    shared = client.post(f"/api/journal/{entry.pk}/share").json()
    assert shared["shared_with_partner"] is True
    assert shared["shared_at"] is not None
    found = client_for(sam).get("/api/journal/shared").json()["entries"]
    assert [(e["author"], e["title"], e["body"]) for e in found] == [
        ("Alex", "For Sam", "I see it now.")
    ]
    assert client_for(sam).get("/api/journal").json()["entries"] == []  # Sam's own list stays Sam's
    unshared = client.post(f"/api/journal/{entry.pk}/unshare").json()
    assert (unshared["shared_with_partner"], unshared["shared_at"]) == (False, None)
    assert client_for(sam).get("/api/journal/shared").json()["entries"] == []


def test_sharing_twice_keeps_the_first_time(alex, sam, couple):
    entry = write(alex)
    client = client_for(alex)
    first = client.post(f"/api/journal/{entry.pk}/share").json()["shared_at"]
    assert client.post(f"/api/journal/{entry.pk}/share").json()["shared_at"] == first


def test_sharing_without_a_partner_is_409_not_paired(alex):
    entry = write(alex)
    response = client_for(alex).post(f"/api/journal/{entry.pk}/share")
    assert response.status_code == 409
    assert response.json()["code"] == "not_paired"
    assert not JournalEntry.objects.get().shared_with_partner


def test_unpairing_ends_what_the_partner_can_read(alex, sam, couple):
    journal.share(alex, write(alex).pk)
    assert len(client_for(sam).get("/api/journal/shared").json()["entries"]) == 1
    couples.unpair(alex)
    assert client_for(sam).get("/api/journal/shared").json()["entries"] == []
    assert client_for(alex).get("/api/journal").json()["entries"][0]["shared_with_partner"] is False


def test_an_unreadable_entry_says_so_instead_of_failing(alex):
    write(alex, title="Locked")
    vault.forget_key(alex)
    [found] = client_for(alex).get("/api/journal").json()["entries"]
    assert (found["readable"], found["title"], found["body"]) == (False, "", "")


def test_the_prompts_are_listed_in_the_order_they_are_suggested(alex):
    found = client_for(alex).get("/api/journal/prompts").json()
    assert [p["id"] for p in found] == [p.id for p in prompts.prompts()]
    assert found[0]["follow_ups"] == list(prompts.prompts()[0].follow_ups)


def test_the_published_schema_states_the_limits(db):
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    fields = schemas["EntryIn"]["properties"]
    assert fields["body"]["maxLength"] == 20_000
    assert fields["body"]["minLength"] == 1
    assert fields["title"]["maxLength"] == 200
    listed = [option.get("enum") for option in fields["prompt"]["anyOf"] if "enum" in option]
    assert listed == [[p.id for p in prompts.prompts()]]


def test_writing_through_the_api_makes_one_key_per_person(alex, sam):
    send(client_for(alex), "POST", "/api/journal", {"body": "one"})
    send(client_for(alex), "POST", "/api/journal", {"body": "two"})
    send(client_for(sam), "POST", "/api/journal", {"body": "three"})
    assert UserKey.objects.count() == 2


def test_an_update_from_a_stale_version_is_409_with_the_current_entry(alex):
    from attunement.web.journal import services as journal_services

    from .conftest import client_for as signed_in

    entry = journal_services.write(alex, prompt="", title="", body="first")
    client = signed_in(alex)
    version = client.get(f"/api/journal/{entry.pk}").json()["version"]
    first = {"body": "from the laptop", "version": version}
    assert (
        client.put(f"/api/journal/{entry.pk}", first, content_type="application/json").status_code
        == 200
    )

    stale = {"body": "from the phone", "version": version}
    response = client.put(f"/api/journal/{entry.pk}", stale, content_type="application/json")

    assert response.status_code == 409
    assert response.json()["current"]["body"] == "from the laptop"
    assert client.get(f"/api/journal/{entry.pk}").json()["body"] == "from the laptop"


def test_a_version_that_is_not_a_whole_number_is_refused_and_nothing_is_saved(alex):
    client = client_for(alex)
    for version in ["5", True, 5.5, "latest"]:
        response = send(client, "POST", "/api/journal", {"body": "kept?", "version": version})
        assert response.status_code == 422, version
        assert "version" in json.dumps(response.json())
    assert not JournalEntry.objects.filter(owner=alex).exists()


# Paging


def _stamped(person, count: int, start: datetime) -> list[int]:
    """`count` entries, several sharing each creation time so the id must break ties."""
    ids = []
    for n in range(count):
        entry = write(person, body=f"entry {n}")
        JournalEntry.objects.filter(pk=entry.pk).update(created=start + timedelta(minutes=n // 3))
        ids.append(entry.pk)
    return ids


def test_paging_returns_every_entry_exactly_once_newest_first(alex, monkeypatch):
    from attunement.web.journal import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 4)
    ids = _stamped(alex, 11, datetime(2026, 1, 1, tzinfo=UTC))
    client, seen, address, pages = client_for(alex), [], "/api/journal", 0
    while address:
        page = client.get(address).json()
        seen += [e["id"] for e in page["entries"]]
        address, pages = page["next"], pages + 1
        if address:  # written while paging: newer than the first page, so never met
            write(alex, body="written meanwhile")
    assert pages == 3
    assert seen == sorted(ids, key=lambda pk: (-(ids.index(pk) // 3), -pk))
    assert len(set(seen)) == 11


def test_a_search_is_paged_too(alex, monkeypatch):
    from attunement.web.journal import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    for n in range(5):
        write(alex, body=f"quiet {n}" if n % 2 == 0 else "loud")
    client, seen, address = client_for(alex), [], "/api/journal?q=quiet"
    while address:
        page = client.get(address).json()
        seen += [e["body"] for e in page["entries"]]
        address = page["next"]
    assert sorted(seen) == ["quiet 0", "quiet 2", "quiet 4"]


def test_a_cursor_that_is_not_one_is_422_naming_it(alex):
    response = client_for(alex).get("/api/journal", {"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "cursor"


def test_the_shared_list_is_paged(alex, sam, couple, monkeypatch):
    from attunement.web.journal import paging

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    for n in range(5):
        journal.share(alex, write(alex, body=f"shared {n}").pk)
    client, seen, address = client_for(sam), [], "/api/journal/shared"
    while address:
        page = client.get(address).json()
        seen += [e["body"] for e in page["entries"]]
        address = page["next"]
    assert seen == [f"shared {n}" for n in range(4, -1, -1)]
