"""The authorization rules (each app's policy.py) against the two authorization matrices.

Four things are checked. Each rule says the same thing as a query and as a predicate.
For every row of both matrices that points at a protected record, and every visitor
the record's rule is asked about, the rule's answer is what the table expects: allowed
where the visitor gets on, refused where they get a 404 (the matrices check in turn that
the routes answer as the tables say, so the rules and what is served cannot drift apart).
Every such route, used by the visitor it is meant for, asks the record's rule; and no
view or API handler queries a protected kind of record by itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model
from django.urls import resolve

import attunement.web
from attunement.consent import SCOPES
from attunement.web.accounts import policy as accounts
from attunement.web.accounts.models import User
from attunement.web.core.policy import Rule, rules
from attunement.web.couples import policy as couples
from attunement.web.couples import services as pairing
from attunement.web.journal import policy as journal
from attunement.web.practices import policy as practices
from attunement.web.privacy import policy as privacy
from attunement.web.therapists import policy as therapists
from attunement.web.therapists import services as therapist_services
from web import test_authorization_matrix as matrix
from web import test_therapist_matrix as therapist_matrix
from web.therapist_matrix_rows import ACTORS as THERAPIST_ACTORS
from web.therapist_matrix_rows import THERAPIST_ROWS

world = matrix.world
workspace = therapist_matrix.workspace

# Which rule decides about the record each placeholder of the tables stands for.
MATRIX_RULES: dict[str, Rule[Any]] = {
    "entry": journal.ENTRY,
    "draft": practices.DRAFT,
    "sent": practices.RECEIVED,
    "reply": practices.REPLY,
    "log": practices.LOG,
    "token": accounts.TOKEN,
    "invitation": couples.INVITATION,
    "signed_in": privacy.SESSION,
    "consent": therapists.CONSENT,
}
THERAPIST_RULES: dict[str, Rule[Any]] = {
    "case": therapists.CASE,
    "grant": therapists.CONSENT,
    "entry": journal.ENTRY,
}
GATES = ("login", "verify", 401, 405)  # answered before any record is looked at


def _placeholders(row: Any, table: dict[str, Rule[Any]]) -> list[str]:
    text = row.path + repr(row.data or {})
    return [name for name in table if "{" + name + "}" in text]


def _protected(rows: list[Any], table: dict[str, Rule[Any]], actors: tuple[str, ...]) -> list[Any]:
    """Rows about a record someone may use (not rows about a missing step or flow)."""
    return [row for row in rows if _placeholders(row, table) and _meant_for(row, actors)]


def _model(rule: Rule[Any], person: User) -> type[Model]:
    return rule.visible(person).model


def _pairing_first(row: Any) -> bool:
    """Whether the route shows an unpaired visitor how pairing works before anything else."""
    view: Callable[..., Any] | None = resolve(row.path.format(**_ONES)).func
    while view is not None:
        # functools.wraps copies the name, not the code: the code says who wrapped the view.
        if view.__code__.co_qualname.startswith("partner_required."):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


_ONES = {name: "1" for name in [*MATRIX_RULES, *THERAPIST_RULES, "open_link", "dead_link"]}


def _judge(
    person: User, row: Any, wanted: Any, ids: dict[str, str], table: dict[str, Rule[Any]]
) -> str | None:
    """What is wrong with the rules' answer for this visitor and row, if anything."""
    if wanted in GATES:
        return None
    names = _placeholders(row, table)
    allowed = all(
        table[n].allows(person, _model(table[n], person).objects.get(pk=ids[n])) for n in names
    )
    if not allowed and pairing.active_couple(person) is None and _pairing_first(row):
        return None if wanted == 200 else f"{wanted}, not the pairing page"
    if allowed != (wanted != 404):
        return f"rules say {'allowed' if allowed else 'refused'}, the table {wanted}"
    return None


# One kind of record, one rule


def test_every_app_with_records_of_someones_has_its_rules_listed():
    names = [rule.name for rule in rules()]
    assert len(names) == len(set(names))
    assert set(names) == {
        rule.name for rule in {*MATRIX_RULES.values(), *THERAPIST_RULES.values()}
    } | {"journal.shared_entry", "couples.shared_scores", "therapists.client"}


def _agreement(people: list[User], *, every_rule: bool = True) -> list[str]:
    wrong = []
    for rule in rules():
        records = list(_model(rule, people[0]).objects.all())
        assert records or not every_rule, f"the world has no record for {rule.name}"
        for person in people:
            visible = set(rule.visible(person).values_list("pk", flat=True))
            for record in records:
                if rule.allows(person, record) != (record.pk in visible):
                    wrong.append(f"{rule.name}: {person.email} and #{record.pk}")
    return wrong


def test_each_rules_query_and_predicate_agree_in_the_matrix_world(world):
    for person in world.people.values():
        if pairing.active_couple(person) is not None:
            pairing.set_sharing(person, ["csi4"])
    people = list(world.people.values())
    assert _agreement(people) == []
    pairing.unpair(world.people["owner"])  # and once the couple has ended
    assert _agreement(people, every_rule=False) == []


def test_each_rules_query_and_predicate_agree_in_the_therapist_world(workspace):
    people = list({p.pk: p for p in workspace.people.values()}.values())
    assert _agreement(people, every_rule=False) == []
    therapist_services.revoke(workspace.people["owner"], int(workspace.ids["grant"]))
    assert _agreement(people, every_rule=False) == []
    therapist_services.revoke(workspace.people["partner"], int(workspace.ids["sams_grant"]))
    assert _agreement(people, every_rule=False) == []


def test_a_therapist_reads_a_kind_of_client_data_only_under_an_open_consent_that_grants_it(
    workspace,
):
    riley, quinn = workspace.people["therapist"], workspace.people["other_therapist"]
    grant = therapists.CONSENT.visible(workspace.people["owner"]).get()
    assert all(therapists.may_read(riley, grant, scope) for scope in grant.scopes)
    assert not any(therapists.may_read(quinn, grant, scope) for scope in grant.scopes)
    therapist_services.set_scopes(workspace.people["owner"], grant.pk, ["checkin_trends"])
    grant.refresh_from_db()
    assert [s.value for s in grant.scopes] == ["checkin_trends"]
    assert not any(therapists.may_read(riley, grant, s) for s in SCOPES if s not in grant.scopes)
    therapist_services.revoke(workspace.people["owner"], grant.pk)
    grant.refresh_from_db()
    assert not any(therapists.may_read(riley, grant, scope) for scope in SCOPES)


# The rules answer as the matrices expect


def test_the_rules_answer_every_row_of_the_matrix_as_the_table_expects(world):
    wrong = []
    for row in _protected(matrix.ROWS, MATRIX_RULES, matrix.ACTORS):
        for actor, person in world.people.items():
            for auth in ("session", "bearer") if row.api else ("session",):
                wanted = matrix.expected(row, actor, auth, world.ids)
                problem = _judge(person, row, wanted, world.ids, MATRIX_RULES)
                if problem:
                    wrong.append(f"{row.method} {row.path} as {actor} ({auth}): {problem}")
    assert wrong == []


def test_the_rules_answer_every_row_of_the_therapist_matrix_as_the_table_expects(workspace):
    wrong = []
    alex, sam = workspace.people["owner"], workspace.people["partner"]
    for actor in THERAPIST_ACTORS[1:]:  # in order: "revoked" and "ended" come last
        if actor == "revoked":
            therapist_services.revoke(alex, int(workspace.ids["grant"]))
        if actor == "ended":
            therapist_services.revoke(sam, int(workspace.ids["sams_grant"]))
        person = workspace.people[actor]
        for row in _protected(THERAPIST_ROWS, THERAPIST_RULES, THERAPIST_ACTORS):
            wanted = row.expect[THERAPIST_ACTORS.index(actor)]
            problem = _judge(person, row, wanted, workspace.ids, THERAPIST_RULES)
            if problem:
                wrong.append(f"{row.method} {row.path} as {actor}: {problem}")
    assert wrong == []


# Every route about a protected record asks its rule


@contextmanager
def asked() -> Iterator[set[str]]:
    """The names of the rules whose query or predicate is used inside the block."""
    names: set[str] = set()
    saved = {}
    for rule in rules():
        saved[rule] = (rule.visible, rule.allows)
        for field in ("visible", "allows"):
            object.__setattr__(rule, field, _noting(rule.name, getattr(rule, field), names))
    try:
        yield names
    finally:
        for rule, (visible, allows) in saved.items():
            object.__setattr__(rule, "visible", visible)
            object.__setattr__(rule, "allows", allows)


def _noting(name: str, function: Callable[..., Any], names: set[str]) -> Callable[..., Any]:
    def noted(*args: Any) -> Any:
        names.add(name)
        return function(*args)

    return noted


def _meant_for(row: Any, actors: tuple[str, ...]) -> str | None:
    """The first visitor the row lets at the record (Olive, unpaired, is asked to pair first)."""
    for actor, wanted in zip(actors, row.expect, strict=True):
        unpaired = actor == "operator" and _pairing_first(row)
        if actor != "anonymous" and not unpaired and wanted not in (*GATES, 404):
            return actor
    return None


@pytest.mark.parametrize(
    "row",
    _protected(matrix.ROWS, MATRIX_RULES, matrix.ACTORS),
    ids=lambda r: f"{r.method} {r.path}",
)
def test_each_route_about_a_record_asks_its_rule(row, world):
    actor = _meant_for(row, matrix.ACTORS)
    client = matrix.visitor(world, actor, "session")
    with asked() as names:
        response = matrix.send(client, row, world.ids)
    assert matrix.matches(
        matrix.answer(response), matrix.expected(row, actor, "session", world.ids)
    )
    assert {MATRIX_RULES[n].name for n in _placeholders(row, MATRIX_RULES)} <= names


@pytest.mark.parametrize(
    "row",
    _protected(THERAPIST_ROWS, THERAPIST_RULES, THERAPIST_ACTORS),
    ids=lambda r: f"{r.method} {r.path}",
)
def test_each_therapist_route_about_a_record_asks_its_rule(row, workspace):
    actor = _meant_for(row, THERAPIST_ACTORS)
    client = therapist_matrix.visit(workspace, actor)
    with asked() as names:
        therapist_matrix.send(client, row, workspace.ids)
    assert {THERAPIST_RULES[n].name for n in _placeholders(row, THERAPIST_RULES)} <= names


# ...and no view or API handler looks a protected record up by itself

PROTECTED_MODELS = re.compile(
    r"\b(JournalEntry|Draft|Reply|PracticeLog|ApiToken|Invitation|SignedInSession|Case|Grant"
    r"|Share|SharedEntry)\.objects\b|\bget_object_or_404\("
)
WEB = Path(attunement.web.__file__).parent


def test_views_and_api_handlers_query_protected_records_only_through_the_rules():
    handlers = [*WEB.glob("*/views.py"), *WEB.glob("*/*_views.py"), *WEB.glob("*/api.py")]
    assert len(handlers) > 10
    found = [
        f"{path.relative_to(WEB)}:{number}: {line.strip()}"
        for path in handlers
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PROTECTED_MODELS.search(line)
    ]
    assert found == []
