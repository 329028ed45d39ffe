"""Many writers at once on the embedded default (`attunement serve`, SQLite, waitress).

Eight threads act for one couple for a few seconds — answers, sharing, journal entries
through the API and through the pages — against a real server in its own process.
None of them may see a server error, and nothing written may be lost.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from .live import Api, Browser, make_people, serving

pytestmark = pytest.mark.slow  # servers and eight writer threads for seconds

SECONDS = 4.0
ALEX, SAM = "alex@example.org", "sam@example.org"


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.written: Counter[str] = Counter()

    def add(self, status: int, writer: str | None = None) -> None:
        with self.lock:
            self.statuses[status] += 1
            if writer is not None and status in (201, 302):
                self.written[writer] += 1


def api_writer(base: str, secret: str, email: str, tally: Tally, stop: float) -> None:
    api, rng = Api(base, secret), random.Random(email)
    while time.monotonic() < stop:
        values = {str(item): rng.randint(0, 5) for item in range(1, 5)}
        tally.add(api.call("PUT", "/api/answers/csi4", {"answers": values})[0])
        status, entry = api.call("POST", "/api/journal", {"body": f"api {rng.random()}"})
        tally.add(status, email)
        if status == 201:
            path = f"/api/journal/{entry['id']}"
            tally.add(api.call("PUT", path, {"body": "changed", "title": "t"})[0])
            tally.add(api.call("POST", f"{path}/share")[0])
        shared = rng.sample(["csi4", "ucla3", "ecr_rs"], rng.randint(0, 3))
        tally.add(api.call("PUT", "/api/couple/sharing", {"instruments": shared})[0])


def browser_writer(browser: Browser, email: str, tally: Tally, stop: float) -> None:
    while time.monotonic() < stop:
        tally.add(browser.get("/journal/")[0])
        status, _ = browser.post("/journal/new/", {"prompt": "", "title": "", "body": "page"})
        tally.add(status, email)
        tally.add(browser.post("/couple/sharing/", {"instruments": "csi4"})[0])


def test_eight_concurrent_writers_for_one_couple_see_no_server_error(tmp_path):
    secrets = make_people(tmp_path, [ALEX, SAM])
    tally = Tally()
    with serving(tmp_path) as base:
        browsers = [(Browser(base, e), e) for e in [ALEX, SAM] * 2]
        stop = time.monotonic() + SECONDS
        with ThreadPoolExecutor(8) as pool:
            jobs = [
                pool.submit(api_writer, base, secrets[e], e, tally, stop) for e in [ALEX, SAM] * 2
            ]
            jobs += [pool.submit(browser_writer, b, e, tally, stop) for b, e in browsers]
            for job in jobs:
                job.result()
        counts = {e: len(Api(base, secrets[e]).call("GET", "/api/journal")[1]) for e in secrets}

    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(f"\n{sum(tally.statuses.values())} requests in {SECONDS:g} s: {dict(tally.statuses)}")
    assert server_errors == 0, dict(tally.statuses)
    assert set(tally.statuses) <= {200, 201, 302}, dict(tally.statuses)
    assert sum(tally.statuses.values()) >= 80  # the writers really did overlap
    assert counts == dict(tally.written)  # every entry answered as saved is there


def test_a_lost_race_to_one_invitation_answers_the_used_link_page_not_an_error(tmp_path):
    emails = ["inviter@example.org", *(f"p{n}@example.org" for n in range(8))]
    secrets = make_people(tmp_path, emails, pair=False)
    with serving(tmp_path) as base:
        status, made = Api(base, secrets[emails[0]]).call("POST", "/api/couple/invitations")
        assert status == 201
        token, takers = made["token"], emails[1:]
        browsers = {e: Browser(base, e) for e in takers[4:]}
        barrier = threading.Barrier(len(takers))

        def take(email: str) -> tuple[int, str]:
            barrier.wait()
            if email in browsers:
                return browsers[email].post(f"/couple/join/{token}/", {})
            status, body = Api(base, secrets[email]).call(
                "POST", "/api/couple/join", {"token": token}
            )
            return status, str(body)

        with ThreadPoolExecutor(len(takers)) as pool:
            answers = list(pool.map(take, takers))

    statuses = sorted(status for status, _ in answers)
    assert statuses in ([200, *[404] * 7], [302, *[404] * 7]), statuses
    losers = [body for status, body in answers if status == 404]
    assert all("This link can" in body or "No usable invitation" in body for body in losers)
    assert any("This link can" in body for body in losers)  # the page, for a browser
