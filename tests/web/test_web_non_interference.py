"""Non-interference: nothing Alex can fetch changes when Sam's safety screens turn positive.

DESIGN §5: a safety screen is private to the person answering it, and never
appears in anything the partner sees. Alex and Sam are paired, both have answered
the whole core battery and both share every instrument they can. Every GET route
the resolver knows (pages, and the API with a session and with a token) is fetched
as Alex while Sam's screens are negative, then again after Sam answers yes on a
screen through the pages, as Sam would. The two must be byte for byte the same,
apart from CSRF tokens, nonces and timestamps; Sam's own pages must change, or the
comparison proves nothing. So must the emails Alex is sent.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from attunement import learn
from attunement.practices import catalogue, flows
from attunement.web.accounts.models import ApiToken, PendingSignup, User
from attunement.web.assessments import paging
from attunement.web.assessments import services as assessments
from attunement.web.couples import services as couples
from attunement.web.couples.models import Couple, Invitation
from attunement.web.journal import services as journal
from attunement.web.practices import exchange
from attunement.web.practices import services as practices
from attunement.web.practices.models import Reply
from attunement.web.therapists import services as therapists
from web.conftest import PASSWORD, client_for
from web.matrix_data import ALEX_ANSWERS, SAM_ANSWERS, comparable, give_answers, routes
from web.therapist_world import riley_for, riley_looks, therapist_arguments

Step = tuple[str, int, dict[str, int]]  # instrument, page number, answers on that page

NO = {"H": 0, "A": 0, "R": 0, "K": 0, "C": 0}
CLEAR_SCREENS: list[Step] = [("hark", 1, NO), ("asq", 1, {"1": 0, "2": 0, "3": 0, "4": 0})]


class Variant(NamedTuple):
    steps: list[Step]
    concerns: set[str]
    acute: bool


VARIANTS = {
    "HARK A (afraid) yes": Variant(
        [("hark", 1, {**NO, "A": 1})], {"partner_violence"}, acute=False
    ),
    "HARK C (coercive control) yes": Variant(
        [("hark", 1, {**NO, "C": 1})], {"partner_violence"}, acute=False
    ),
    "ASQ positive": Variant(
        [("asq", 1, {"1": 0, "2": 1, "3": 0, "4": 0}), ("asq", 2, {"5": 0})],
        {"suicide_risk"},
        acute=False,
    ),
    "ASQ acute": Variant(
        [("asq", 1, {"1": 1, "2": 0, "3": 0, "4": 0}), ("asq", 2, {"5": 1})],
        {"suicide_risk"},
        acute=True,
    ),
    "every screen positive and acute": Variant(
        [
            ("hark", 1, {"H": 1, "A": 1, "R": 1, "K": 1, "C": 1}),
            ("asq", 1, {"1": 1, "2": 1, "3": 1, "4": 1}),
            ("asq", 2, {"5": 1}),
        ],
        {"partner_violence", "suicide_risk"},
        acute=True,
    ),
}

# Routes with parameters that cannot be fetched with anything of Alex's: none at present.
# A route listed here is skipped, with the reason; one neither here nor in `arguments` fails.
SKIPPED: dict[str, str] = {}

SAMS_OWN_PAGES = ["/", "/check/results/", "/practice/", "/practice/flow/vulnerability_builder/"]
ENTRY_ROUTES = [
    *(f"journal:{name}" for name in ("entry", "edit", "delete", "share", "unshare")),
    *(f"api:{name}" for name in ("entry", "update_entry", "delete_entry")),
    *(f"api:{name}" for name in ("share_entry", "unshare_entry")),
]
DRAFT_ROUTES = [f"practices:{name}" for name in ("draft", "send", "withdraw", "delete")]
NEW_PASSWORD = "a completely new passphrase 42"


@dataclass
class World:
    alex: User
    sam: User
    secret: str  # Alex's bearer token
    objects: dict[str, Any]  # Alex's own things, for routes that need an id


@dataclass
class Snapshot:
    alexs: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    sams: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    emails: list[tuple[Any, ...]] = field(default_factory=list)
    rileys: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)


def paired_world(alex: User, sam: User, couple: Couple) -> World:
    """Both have answered everything with clear screens, and share all they can."""
    give_answers(alex, ALEX_ANSWERS)
    give_answers(sam, SAM_ANSWERS)
    everything = [i.id for i in couples.shareable_instruments()]
    couples.set_sharing(alex, everything)
    couples.set_sharing(sam, everything)
    token, _ = ApiToken.issue(alex, "laptop script")
    auth, secret = ApiToken.issue(alex, "non-interference")
    ApiToken.objects.filter(pk=auth.pk).update(last_used=timezone.now())
    # Made at the model level: pairing revokes open links, but the row (and its id) remains.
    invitation, link = Invitation.issue(alex)
    _, signup = PendingSignup.start("alex.again@example.org", "Alex", make_password(PASSWORD))
    # A journal entry each, shared with the other: what Alex reads of Sam's must not change.
    entry = journal.write(alex, prompt="my_part", title="", body="I pushed for an answer.")
    journal.share(alex, entry.pk)
    journal.share(sam, journal.write(sam, prompt="", title="Tuesday", body="I shut down.").pk)
    # A message each way: Sam's, a joint exercise sent before his screen, must stay readable.
    draft = practices.keep(practices.start(alex, "feedback_wheel"), "I miss our evenings.")
    practices.send(alex, draft.pk)
    theirs = practices.keep(practices.start(sam, "vulnerability_builder"), "I was scared.")
    practices.send(sam, theirs.pk)
    # The message loop: Alex asked for emails; Sam replied to Alex and let Alex know he read it.
    User.objects.filter(pk=alex.pk).update(email_on_message=True)
    reply = exchange.reply(sam, draft.pk, {"reflect": "What I hear is that you miss us."})
    exchange.mark_read(sam, draft.pk, tell=True)
    logged = practices.log(alex, "soft_start", "on a walk")
    objects = {"token": token, "invitation": invitation, "link": link, "signup": signup,
               "entry": entry, "draft": draft, "log": logged, "theirs": theirs,
               "reply": reply}  # fmt: skip
    # Riley, their therapist: both grant everything; what Riley reads must not change either.
    objects["therapy"] = riley_for(alex, sam, entry)
    return World(alex, sam, secret, objects)


def arguments(world: World) -> dict[str, list[dict[str, Any]]]:
    """For each route with parameters, the values to fetch it with: Alex's own, and one beyond."""
    alex, objects = world.alex, world.objects
    battery = assessments.battery()
    pages = {i.id: len(paging.pages(i, assessments.answers_for(alex, i.id))) for i in battery}
    instruments = [{"instrument_id": i.id} for i in battery] + [{"instrument_id": "diary"}]
    return {
        "accounts:revoke_token": [{"token_id": objects["token"].pk}],
        "privacy:revoke_token": [{"token_id": objects["token"].pk}],
        "accounts:signup_confirm": [{"token": objects["signup"]}],
        # Made now: signing in (as each snapshot does) ends earlier reset links.
        "accounts:password_reset_confirm": [
            {
                "uidb64": urlsafe_base64_encode(force_bytes(alex.pk)),
                "token": default_token_generator.make_token(User.objects.get(pk=alex.pk)),
            }
        ],
        "couples:revoke_invitation": [{"invitation_id": objects["invitation"].pk}],
        "couples:join": [{"token": objects["link"]}],
        "assessments:help": [{}],
        "assessments:page": [
            {"instrument_id": i, "number": n}
            for i, count in pages.items()
            for n in range(1, count + 2)
        ],
        "api:revoke_token": [{"token_id": objects["token"].pk}],
        "api:revoke_invitation": [{"invitation_id": objects["invitation"].pk}],
        "api:answers": instruments,
        "api:save": instruments,
        **{name: [{"entry_id": objects["entry"].pk}] for name in ENTRY_ROUTES},
        **{name: [{"draft_id": objects["draft"].pk}] for name in DRAFT_ROUTES},
        "practices:step": [{"draft_id": objects["draft"].pk, "number": n} for n in (1, 2, 3, 4)],
        "api:draft": [{"draft_id": objects["draft"].pk}],
        "api:keep_message": [{"draft_id": objects["draft"].pk}],
        "api:save_answer": [
            {"draft_id": objects["draft"].pk, "step_id": step.id}
            for step in flows.get("feedback_wheel").steps
        ],
        "practices:flow": [{"flow_id": f.id} for f in flows.flows()],
        "practices:start": [{"flow_id": f.id} for f in flows.flows()],
        "practices:practice": [{"practice_id": p} for p in catalogue()],
        "core:learn_page": [{"page_id": page.id} for page in learn.pages()],
        "practices:log": [{"practice_id": "soft_start"}],
        "practices:unlog": [{"log_id": objects["log"].pk}],
        # Sam's message to Alex, and Sam's reply to Alex's: what Alex reads and answers.
        "practices:mark_read": [{"draft_id": objects["theirs"].pk}],
        "practices:reply": [{"draft_id": objects["theirs"].pk}],
        "practices:reply_read": [{"reply_id": objects["reply"].pk}],
        **therapist_arguments(objects["therapy"], objects["entry"]),
        # POST only: a GET is refused (405) whatever the number.
        "privacy:end_session": [{"session_id": 1}],
        "privacy:withdraw_consent": [{"grant_id": 1}],
    }


def has_parameters(pattern: str) -> bool:
    return re.search(r"<[^>]+>", pattern) is not None


def targets(world: World) -> dict[str, list[str]]:
    """Route name -> the paths to fetch it at, for every route but the skipped ones."""
    given = arguments(world)
    found = {}
    for name, pattern in routes():
        if name in SKIPPED:
            continue
        if not has_parameters(pattern):
            found[name] = [reverse(name)]
            continue
        assert name in given, f"{name} ({pattern}) needs ids in `arguments` or a SKIPPED reason"
        found[name] = [reverse(name, kwargs=kwargs) for kwargs in given[name]]
    return found


def answer_screens(sam: User, steps: list[Step]) -> None:
    """Sam answers screen pages in the browser, as he would."""
    client = client_for(sam)
    for instrument, number, answers in steps:
        response = client.post(f"/check/{instrument}/{number}/", {**answers, "action": "continue"})
        assert response.status_code == 302, (instrument, number, response.status_code)


def look_around(world: World, sam_replies: bool = True) -> Snapshot:
    """Everything Alex can fetch, Sam's own pages, and the emails Alex is sent, from here on.

    `sam_replies=False` leaves out Sam's reply, for a Sam who cannot reply (having paused
    messages, Sam does not see Alex's message); both looks compared must say the same.
    """
    snapshot = Snapshot()
    session = client_for(world.alex)
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {world.secret}")
    # /privacy/ shows when the token was last used: use it first, so every look (each inside
    # one frozen instant) shows that instant, not a time from before the freeze.
    assert bearer.get("/api/account").status_code == 200
    paths = dict.fromkeys(path for found in targets(world).values() for path in found)
    for path in paths:
        snapshot.alexs[path] = comparable(session.get(path))
        if path.startswith("/api/"):
            snapshot.alexs[f"{path} (token)"] = comparable(bearer.get(path))
    # /privacy/ lists Alex's sessions: this one ends, so the next look starts from the same list.
    session.logout()
    sam = client_for(world.sam)
    snapshot.sams = {path: comparable(sam.get(path)) for path in SAMS_OWN_PAGES}
    # Sam replies through the page: Alex, who asked for it, gets the neutral email. The reply
    # is then removed, so the next look starts from the same place.
    if sam_replies:
        replied = sam.post(
            f"/practice/received/{world.objects['draft'].pk}/reply/", {"ask": "Did I get it right?"}
        )
        assert replied.status_code == 302
    Reply.objects.filter(owner=world.sam).exclude(pk=world.objects["reply"].pk).delete()
    anonymous = Client()
    anonymous.post("/accounts/password-reset/", {"email": world.alex.email})
    signup = {"email": world.alex.email, "display_name": "Alex", "password": NEW_PASSWORD}
    anonymous.post("/accounts/signup/", signup)
    snapshot.emails = [
        (m.subject, m.body, m.alternatives, m.from_email, m.to, m.cc, m.bcc, m.extra_headers)
        for m in mail.outbox
        if world.alex.email in [*m.to, *m.cc, *m.bcc]
    ]
    snapshot.rileys = riley_looks(world.objects["therapy"])
    return snapshot


def first_difference(clear: Snapshot, screened: Snapshot, changed: list[str]) -> str:
    """What Alex saw differently at the first changed path, as a short unified diff."""
    if not changed:
        return ""
    path = changed[0]
    before, after = (
        [repr(s.alexs[path][:2]), *s.alexs[path][2].decode(errors="replace").splitlines()]
        for s in (clear, screened)
    )
    diff = difflib.unified_diff(before, after, "clear", "screened", n=1, lineterm="")
    return f"{path}:\n" + "\n".join(list(diff)[:40])


@pytest.fixture
def world(alex, sam, couple) -> World:
    return paired_world(alex, sam, couple)


def test_every_route_is_fetched_or_skipped_with_a_reason(world):
    fetched = targets(world)
    assert set(fetched) | set(SKIPPED) == {name for name, _ in routes()}
    assert all(fetched.values())


@pytest.mark.parametrize("variant", VARIANTS)
def test_nothing_alex_fetches_or_is_sent_changes_when_sams_screen_turns_positive(variant, world):
    steps, concerns, acute = VARIANTS[variant]
    with time_machine.travel(timezone.now(), tick=False):
        mail.outbox.clear()
        answer_screens(world.sam, CLEAR_SCREENS)
        assert assessments.screen_outcomes(world.sam) == []
        clear = look_around(world)

        mail.outbox.clear()
        answer_screens(world.sam, steps)
        outcomes = assessments.screen_outcomes(world.sam)
        assert {o.concern for o in outcomes} == concerns
        assert (assessments.acute(outcomes) is not None) == acute
        screened = look_around(world)

    for path in SAMS_OWN_PAGES:
        assert clear.sams[path] != screened.sams[path], f"Sam's {path} did not change"
    assert list(screened.alexs) == list(clear.alexs)
    changed = [path for path in clear.alexs if clear.alexs[path] != screened.alexs[path]]
    assert changed == [], first_difference(clear, screened, changed)
    # Riley, their therapist, with everything granted: the same pages, byte for byte.
    assert list(screened.rileys) == list(clear.rileys)
    rileys = [path for path in clear.rileys if clear.rileys[path] != screened.rileys[path]]
    assert rileys == []
    assert len(clear.emails) == 3
    assert screened.emails == clear.emails


def test_the_comparison_notices_a_change_in_what_alex_sees(world):
    """With Sam sharing less, Alex's pages do change: equality above means something."""
    with time_machine.travel(timezone.now(), tick=False):
        before = look_around(world)
        couples.set_sharing(world.sam, ["csi4"])
        after = look_around(world)
    changed = {path for path in before.alexs if before.alexs[path] != after.alexs[path]}
    assert {"/", "/couple/", "/report/", "/api/report", "/api/report (token)"} <= changed


def test_the_comparison_notices_the_message_loop_changing(world):
    """Once Alex has read what Sam sent, his home and "From Sam" change: equality is not luck."""
    with time_machine.travel(timezone.now(), tick=False):
        before = look_around(world)
        exchange.mark_read(world.alex, world.objects["theirs"].pk, tell=False)
        exchange.mark_reply_read(world.alex, world.objects["reply"].pk)
        after = look_around(world)
    changed = {path for path in before.alexs if before.alexs[path] != after.alexs[path]}
    assert {"/", "/practice/received/"} <= changed


def test_the_comparison_notices_a_change_in_what_the_therapist_sees(world):
    """With Sam granting less, Riley's pages do change: equality above means something."""
    therapy = world.objects["therapy"]
    sams_grant = therapy["case"].grants.get(person=world.sam).pk
    with time_machine.travel(timezone.now(), tick=False):
        before = look_around(world)
        therapists.set_scopes(world.sam, sams_grant, ["practice_activity"])
        after = look_around(world)
    changed = {path for path in before.rileys if before.rileys[path] != after.rileys[path]}
    assert changed == set(before.rileys)
