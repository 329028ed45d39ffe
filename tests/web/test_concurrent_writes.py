"""Many writers at once on the embedded default (`attunement serve`, SQLite, waitress).

Eight threads act for one couple at once, a fixed number of rounds each — answers,
sharing, journal entries through the API and through the pages — against a real server
in its own process. None of them may see a server error, and nothing written may be
lost. The rounds are counted, not timed, so a slow machine changes nothing but the time.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from .live import Api, Browser, make_people, serving

pytestmark = pytest.mark.slow  # servers and eight writer threads

ROUNDS = 6
TIME_LIMIT = 180.0  # a guard against a hung server, far beyond any normal run
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
    for _ in range(ROUNDS):
        assert time.monotonic() < stop, "the server stopped answering"
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
    for _ in range(ROUNDS):
        assert time.monotonic() < stop, "the server stopped answering"
        tally.add(browser.get("/journal/")[0])
        status, _ = browser.post("/journal/new/", {"prompt": "", "title": "", "body": "page"})
        tally.add(status, email)
        tally.add(browser.post("/couple/sharing/", {"instruments": "csi4"})[0])


def test_eight_concurrent_writers_for_one_couple_see_no_server_error(tmp_path):
    secrets = make_people(tmp_path, [ALEX, SAM])
    tally = Tally()
    with serving(tmp_path) as base:
        browsers = [(Browser(base, e), e) for e in [ALEX, SAM] * 2]
        stop = time.monotonic() + TIME_LIMIT
        with ThreadPoolExecutor(8) as pool:
            jobs = [
                pool.submit(api_writer, base, secrets[e], e, tally, stop) for e in [ALEX, SAM] * 2
            ]
            jobs += [pool.submit(browser_writer, b, e, tally, stop) for b, e in browsers]
            for job in jobs:
                job.result()
        counts = {e: len(Api(base, secrets[e]).every("/api/journal")) for e in secrets}

    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(f"\n{sum(tally.statuses.values())} requests: {dict(tally.statuses)}")
    assert server_errors == 0, dict(tally.statuses)
    assert set(tally.statuses) <= {200, 201, 302}, dict(tally.statuses)
    # Every round ran: 4 API writers x 5 calls (3 when a save fails) and 4 page writers x 3.
    assert sum(tally.statuses.values()) >= ROUNDS * (4 * 3 + 4 * 3)
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


def test_steps_saved_at_once_from_several_devices_are_all_kept_and_one_version_wins(tmp_path):
    secret = make_people(tmp_path, [ALEX, SAM])[ALEX]
    steps = ["saw", "made_up", "feel", "like"]
    with serving(tmp_path) as base:
        status, draft = Api(base, secret).call(
            "POST", "/api/practices/drafts", {"flow": "feedback_wheel"}
        )
        assert status == 201
        path = f"/api/practices/drafts/{draft['id']}"

        def save(step: str, version: int | None = None) -> int:
            body = {"answer": f"{step} from its own device", "version": version}
            return Api(base, secret).call("PUT", f"{path}/answers/{step}", body)[0]

        # Without a version: every step lands, none undoes another.
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(save, steps)) == [200] * 4
        saved = Api(base, secret).call("GET", path)[1]
        # From one version: exactly one save wins, the others are told so.
        with ThreadPoolExecutor(max_workers=4) as pool:
            raced = list(pool.map(save, steps, [saved["version"]] * 4))

    assert saved["answers"] == {step: f"{step} from its own device" for step in steps}
    assert sorted(raced) == [200, 409, 409, 409]
