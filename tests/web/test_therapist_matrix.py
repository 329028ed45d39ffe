"""Who may use each therapist route, and a therapist on every other route is just an outsider.

The rows are in therapist_matrix_rows.py. The world: Alex and Sam are paired and
both joined Riley's couple case, granting everything; Alex shared a journal entry
with it. Riley also has a single-client case whose link is open, and a closed case
whose link is dead. Quinn is a therapist with no case of theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone

from attunement.web.accounts.models import ApiToken, User
from attunement.web.journal import services as journal
from attunement.web.therapists import services, shared_entries
from web import test_authorization_matrix as matrix
from web.conftest import client_for, make_user, pair
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, give_answers
from web.therapist_matrix_rows import ACTORS, THERAPIST_ROWS, Row
from web.therapist_world import (
    EVERYTHING,
    code_now,
    grant_of,
    make_therapist,
    open_case,
    verified_client,
    weekly_checkins,
)

ALEXS_WORDS = b"I went quiet at dinner again."
# The existing matrix's world, for the last test: a fixture this module uses by name.
world = matrix.world


@dataclass
class TherapistWorld:
    people: dict[str, User]
    ids: dict[str, str]


@pytest.fixture
def workspace(alex, sam, couple, casey, other_couple, olive) -> TherapistWorld:
    riley = make_therapist("riley@example.org", "Riley")
    quinn = make_therapist("quinn@example.org", "Quinn")
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    weekly_checkins(alex, [15, 14, 12])
    weekly_checkins(sam, [13, 13, 13])
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    entry = journal.write(alex, prompt="", title="", body=ALEXS_WORDS.decode())
    shared_entries.share_entry(alex, entry.pk, grant_of(case, alex))
    _waiting, open_link = services.open_case(riley, "Waiting", "single")
    closed, dead_link = services.open_case(riley, "Closed", "single")
    services.end_case(riley, closed.pk)
    people = {"owner": alex, "partner": sam, "outsider": casey, "operator": olive,
              "unverified": riley, "therapist": riley, "other_therapist": quinn,
              "revoked": riley, "ended": riley}  # fmt: skip
    ids = {
        "case": str(case.pk),
        "grant": str(grant_of(case, alex)),
        "sams_grant": str(grant_of(case, sam)),
        "entry": str(entry.pk),
        "open_link": open_link,
        "dead_link": dead_link,
        "today": timezone.localdate().isoformat(),
        "alex": str(alex.pk),
    }
    return TherapistWorld(people, ids)


def visit(found: TherapistWorld, actor: str) -> Client:
    """The actor's client, after what the actor stands for has happened."""
    person = found.people.get(actor)
    alex, sam = found.people["owner"], found.people["partner"]
    if actor in ("revoked", "ended"):
        services.revoke(alex, int(found.ids["grant"]))
    if actor == "ended":
        services.revoke(sam, int(found.ids["sams_grant"]))
    if person is None:
        return Client()
    if actor in ("therapist", "other_therapist", "revoked", "ended"):
        return verified_client(person)
    return client_for(person)


def send(client: Client, row: Row, ids: dict[str, str]):
    path = row.path.format(**ids)
    # A code is made at the moment it is sent, as the person's app would show it.
    fill = {**ids, "code": code_now()}
    data = {k: [x.format(**fill) for x in v] if isinstance(v, list) else v.format(**fill)
            for k, v in (row.data or {}).items()}  # fmt: skip
    return client.get(path) if row.method == "GET" else client.post(path, data)


def answer(response, path: str) -> int | str:
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith("/accounts/login/?next="):
        return "login"
    if location == "/therapist/verify/?" + urlencode({"next": path}):
        return "verify"
    return location


def cases() -> list[object]:
    return [
        pytest.param(row, actor, id=f"{row.method} {row.path} {row.data or ''} as {actor}")
        for row in THERAPIST_ROWS
        for actor in ACTORS
    ]


@pytest.mark.parametrize(("row", "actor"), cases())
def test_each_therapist_route_answers_each_visitor_as_the_table_says(row, actor, workspace):
    ids = workspace.ids
    response = send(visit(workspace, actor), row, ids)
    wanted = row.expect[ACTORS.index(actor)]
    wanted = wanted.format(**ids) if isinstance(wanted, str) else wanted
    assert answer(response, row.path.format(**ids)) == wanted
    if actor not in ("owner", "therapist", "unverified"):
        # Nothing of Alex's reaches anyone he does not share it with, now.
        assert ALEXS_WORDS not in response.content
        assert not re.search(rb'data-scope="\w+" data-person="%s"' % ids["alex"].encode(),
                             response.content)  # fmt: skip


def test_the_table_has_a_row_for_every_therapist_route():
    found = {name for name, _ in matrix.routes() if name.startswith("therapists:")}
    assert {row.route for row in THERAPIST_ROWS} == found


def test_the_therapist_sees_alexs_data_where_the_table_says_200(workspace):
    client = visit(workspace, "therapist")
    page = client.get(f"/therapist/cases/{workspace.ids['case']}/")
    assert ALEXS_WORDS in page.content
    assert b'data-scope="couple_report" data-person="%s"' % workspace.ids["alex"].encode() in (
        page.content
    )


# On every other route, a therapist (with a grant and the second factor) is an outsider.


@pytest.fixture
def riley_as_outsider(world):
    """Riley is paired, like Casey, and Alex and Sam share everything with Riley."""
    riley = make_therapist("riley@example.org", "Riley")
    pair(riley, make_user("pat@example.org", "Pat"))
    alex, sam = world.people["owner"], world.people["partner"]
    case = open_case(riley, {alex: EVERYTHING, sam: EVERYTHING})
    shared_entries.share_entry(alex, int(world.ids["entry"]), grant_of(case, alex))
    world.people["therapist"] = riley
    world.secrets["therapist"] = ApiToken.issue(riley, "script")[1]
    return world


def outsider_cases() -> list[object]:
    return [
        pytest.param(row, auth, id=f"{row.method} {row.path} {row.data or ''} ({auth})")
        for row in matrix.ROWS
        for auth in (["session", "bearer"] if row.api else ["session"])
    ]


@pytest.mark.parametrize(("row", "auth"), outsider_cases())
def test_a_therapist_gets_exactly_what_an_outsider_gets_on_every_other_route(
    row, auth, riley_as_outsider
):
    found = riley_as_outsider
    riley = found.people["therapist"]
    if auth == "bearer":
        client = Client(HTTP_AUTHORIZATION=f"Bearer {found.secrets['therapist']}")
    else:
        client = verified_client(riley)
    matrix.visitor(found, "outsider", auth)  # Alex's reset link, made afresh as for anyone
    response = matrix.send(client, row, found.ids)
    got, wanted = matrix.answer(response), matrix.expected(row, "outsider", auth, found.ids)
    assert matrix.matches(got, wanted), f"{got} != {wanted}"
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )  # the export is streamed
    assert not [mine for mine in matrix.ALEX_ALONE if mine in body]
    assert ALEXS_WORDS not in body
