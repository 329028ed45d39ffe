"""The therapist workspace's rows of the authorization matrix: every route, ten visitors.

Kept apart from the test module so that test_authorization_matrix.py can count these
routes as covered without importing a test module. The visitors, in order:

- anonymous; Alex (the client whose consent and entry the rows point at); Sam (his
  partner, also a client of the case); Casey (an outsider); Olive (an operator);
- Riley, their therapist, without the second factor in this session ("unverified")
  and with it ("therapist"); Quinn, another therapist, with it and without a grant;
- Riley after Alex withdrew his consent ("revoked": Sam still takes part), and after
  both withdrew, which ends the case ("ended").

An expected answer is a status code, "login" (302 to the sign-in page, coming back
afterwards), "verify" (302 to the second-factor page, coming back afterwards) or a
path (302 to exactly there). Paths and data are formatted with the world's ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACTORS = (
    "anonymous", "owner", "partner", "outsider", "operator",
    "unverified", "therapist", "other_therapist", "revoked", "ended",
)  # fmt: skip
L, V = "login", "verify"
CASE = "/therapist/cases/{case}/"
CONSENT = "/therapist/consent/"


@dataclass(frozen=True)
class Row:
    route: str
    method: str
    path: str
    expect: tuple[int | str, ...]
    data: dict[str, Any] | None = None


NOBODY_ELSE = (404, 404, 404, 404)  # the owner, partner, outsider and operator are no therapists
# Therapist pages about the case: Riley's own, not Quinn's; gone once every client withdrew.
ABOUT_THE_CASE = (L, *NOBODY_ELSE, V, 200, 404, 200, 404)
WORKSPACE = (L, *NOBODY_ELSE, V, 200, 200, 200, 200)
SIGNED_IN = (L, 200, 200, 200, 200, 200, 200, 200, 200, 200)
POST_ONLY = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405)
ALEXS = (L, 200, 404, 404, 404, 404, 404, 404, 404, 404)

THERAPIST_ROWS = [
    Row("therapists:dashboard", "GET", "/therapist/", WORKSPACE),
    Row("therapists:dashboard", "GET", "/therapist/?page=2", WORKSPACE),
    # Set up already: the page sends a therapist on to the workspace, which asks for the code.
    Row("therapists:setup", "GET", "/therapist/setup/",
        (L, *NOBODY_ELSE, *("/therapist/",) * 5)),
    Row("therapists:setup", "POST", "/therapist/setup/",
        (L, *NOBODY_ELSE, *("/therapist/",) * 5), data={"code": "000000"}),
    Row("therapists:verify", "GET", "/therapist/verify/",
        (L, *NOBODY_ELSE, 200, *("/therapist/",) * 4)),
    Row("therapists:verify", "POST", "/therapist/verify/",
        (L, *NOBODY_ELSE, *("/therapist/",) * 5), data={"code": "{code}"}),
    # A wrong password shows the page again; nothing changes and no code is shown.
    Row("therapists:backup_codes", "GET", "/therapist/backup-codes/", WORKSPACE),
    Row("therapists:backup_codes", "POST", "/therapist/backup-codes/", WORKSPACE,
        data={"password": "not the password"}),
    Row("therapists:new_case", "GET", "/therapist/cases/new/", WORKSPACE),
    Row("therapists:new_case", "POST", "/therapist/cases/new/", WORKSPACE,
        data={"label": "B. and C.", "kind": "couple"}),
    Row("therapists:case", "GET", CASE, ABOUT_THE_CASE),
    Row("therapists:summary", "GET", CASE + "summary/", ABOUT_THE_CASE),
    Row("therapists:summary_pdf", "GET", "/therapist/cases/{case}/summary.pdf", ABOUT_THE_CASE),
    Row("therapists:record_session", "GET", CASE + "sessions/",
        (L, *NOBODY_ELSE, V, 405, 405, 405, 405)),
    Row("therapists:record_session", "POST", CASE + "sessions/",
        (L, *NOBODY_ELSE, V, CASE, 404, CASE, 404), data={"held_on": "{today}"}),
    # Both partners have joined, so no new link is needed; after Alex withdrew, there is a place.
    Row("therapists:new_invitation", "POST", CASE + "invitation/",
        (L, *NOBODY_ELSE, V, CASE, 404, 200, 404)),
    Row("therapists:new_invitation", "GET", CASE + "invitation/",
        (L, *NOBODY_ELSE, V, 405, 405, 405, 405)),
    Row("therapists:end_case", "GET", CASE + "end/", ABOUT_THE_CASE),
    Row("therapists:end_case", "POST", CASE + "end/",
        (L, *NOBODY_ELSE, V, "/therapist/", 404, "/therapist/", 404)),
    # Links are capabilities: whoever holds one sees the page; a dead one is missing for all.
    Row("therapists:join", "GET", "/therapist/join/{open_link}/", (200,) * 10),
    Row("therapists:join", "GET", "/therapist/join/{dead_link}/", (404,) * 10),
    # Riley's own single-client case: everyone else may join it; Riley is told why not.
    Row("therapists:join", "POST", "/therapist/join/{open_link}/",
        (L, CONSENT, CONSENT, CONSENT, CONSENT, *("/therapist/join/{open_link}/",) * 2, CONSENT,
         *("/therapist/join/{open_link}/",) * 2),
        data={"scopes": ["checkin_trends"]}),
    Row("therapists:consent", "GET", CONSENT, SIGNED_IN),
    Row("therapists:change_consent", "GET", CONSENT + "{grant}/", POST_ONLY),
    Row("therapists:change_consent", "POST", CONSENT + "{grant}/",
        (L, CONSENT, *(404,) * 8), data={"scopes": ["practice_activity"]}),
    Row("therapists:withdraw", "GET", CONSENT + "{grant}/withdraw/", ALEXS),
    Row("therapists:withdraw", "POST", CONSENT + "{grant}/withdraw/",
        (L, CONSENT, *(404,) * 8)),
    Row("therapists:share_entry", "GET", "/therapist/entries/{entry}/share/", POST_ONLY),
    Row("therapists:share_entry", "POST", "/therapist/entries/{entry}/share/",
        (L, "/journal/{entry}/", *(404,) * 8), data={"grant": "{grant}"}),
    Row("therapists:unshare_entry", "GET", "/therapist/entries/{entry}/unshare/", POST_ONLY),
    Row("therapists:unshare_entry", "POST", "/therapist/entries/{entry}/unshare/",
        (L, "/journal/{entry}/", *(404,) * 8), data={"grant": "{grant}"}),
]  # fmt: skip
