"""Benchmark: a therapist's caseload page and one couple's page, at 10 and at 500 couples.

Two therapists in one database: one with 10 couples, one with 500. Every partner
has a year of weekly check-ins (52), some practice logged, guided exercises and
journal entries, and the whole Connection Check answered; each couple granted
every scope. Both pages are fetched through Django's test client with a session
that passed the second factor, so the timings include middleware, sessions,
consent checks, the audit rows each read writes, and rendering.

The caseload page shows one page of cases (the most in need first), so it must
cost the same at 500 couples as at 10; the couple page is about one couple. For
each page this prints the median of several runs per caseload, alternating the
two so both see the same machine, the SQL queries of one request, and the first
load (which works out every case's status once a day). Exits 1 if a page's median
at the large caseload is more than 1.5 times its median at the small one, or if
its number of queries differs between the two.

It builds its own database and removes it afterwards: an SQLite file in a
temporary folder, or, with DATABASE_URL set, a test database next to the one
named there (Django's "test_" prefix), created and dropped by this script.

    .venv/bin/python bench/caseload.py
    DATABASE_URL=postgres://user@host:5432/name .venv/bin/python bench/caseload.py
    .venv/bin/python bench/caseload.py --small 2 --large 6 --weeks 4 --runs 3
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

LIMIT = 1.5


@dataclass(frozen=True)
class Caseload:
    couples: int
    client: Any  # django.test.Client, signed in as the therapist
    dashboard: str
    couple: str


@dataclass(frozen=True)
class Measured:
    median: float
    runs: int
    queries: int
    first: float


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10, help="couples in the small caseload")
    parser.add_argument("--large", type=int, default=500, help="couples in the large caseload")
    parser.add_argument("--weeks", type=int, default=52, help="weekly check-ins per partner")
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page and size")
    parser.add_argument("--seed", type=int, default=20240501)
    args = parser.parse_args(argv)
    if not 1 <= args.small < args.large:
        parser.error("--small must be at least 1 and less than --large")
    if args.weeks < 1 or args.runs < 1:
        parser.error("--weeks and --runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="attunement-bench-") as folder:
        setup_django(Path(folder))
        return run(args, Path(folder))


def setup_django(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attunement.web.settings")
    os.environ["ATTUNEMENT_DATA_DIR"] = str(folder)
    os.environ["ATTUNEMENT_KEY_FILE"] = str(folder / "encryption-key")
    os.environ.setdefault("ATTUNEMENT_SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    import django

    django.setup()


def run(args: argparse.Namespace, folder: Path) -> int:
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, in-memory email
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        str(folder / "bench.sqlite3") if connection.vendor == "sqlite" else None
    )
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return compare(args, describe(connection))
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def describe(connection: Any) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (a file)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def compare(args: argparse.Namespace, database: str) -> int:
    from attunement.web.therapists.caseload import PAGE_SIZE

    rng = random.Random(args.seed)
    started = time.perf_counter()
    small = build("small", args.small, args.weeks, rng)
    large = build("large", args.large, args.weeks, rng)
    print(
        f"{database}: caseloads of {args.small} and {args.large} couples, {args.weeks} weekly "
        f"check-ins per partner, built in {time.perf_counter() - started:.1f} s; "
        f"the caseload page shows {PAGE_SIZE} cases at a time"
    )
    results = measure([small, large], args.runs)
    failed = False
    for page in ("caseload page", "couple page"):
        for load in (small, large):
            found = results[(page, load.couples)]
            print(
                f"{page:<14} {load.couples:>5} couples: median {found.median * 1000:7.1f} ms "
                f"({found.runs} runs), {found.queries} queries; "
                f"first load {found.first * 1000:7.1f} ms"
            )
        low, high = results[(page, small.couples)], results[(page, large.couples)]
        ratio = high.median / low.median
        print(f"ratio {large.couples}/{small.couples} {page}: {ratio:.2f} (must be <= {LIMIT})")
        if high.queries != low.queries:
            print(f"FAIL: the {page} makes {low.queries} and {high.queries} queries")
            failed = True
        if ratio > LIMIT:
            print(f"FAIL: the {page} is more than {LIMIT} times slower with the larger caseload")
            failed = True
    return 1 if failed else 0


def measure(loads: list[Caseload], runs: int) -> dict[tuple[str, int], Measured]:
    """Each page once cold, then `runs` timed requests per page, alternating the caseloads."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first: dict[tuple[str, int], float] = {}
    for load in loads:
        for page, path in (("caseload page", load.dashboard), ("couple page", load.couple)):
            first[(page, load.couples)] = timed(load.client, path)
    queries: dict[tuple[str, int], int] = {}
    for load in loads:
        for page, path in (("caseload page", load.dashboard), ("couple page", load.couple)):
            with CaptureQueriesContext(connection) as captured:
                load.client.get(path)
            queries[(page, load.couples)] = len(captured.captured_queries)
    times: dict[tuple[str, int], list[float]] = {key: [] for key in first}
    for round_ in range(runs):
        order = loads if round_ % 2 == 0 else loads[::-1]
        for load in order:
            times[("caseload page", load.couples)].append(timed(load.client, load.dashboard))
            times[("couple page", load.couples)].append(timed(load.client, load.couple))
    return {
        key: Measured(statistics.median(found), len(found), queries[key], first[key])
        for key, found in times.items()
    }


def timed(client: Any, path: str) -> float:
    gc.collect()
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed


# --- The data -------------------------------------------------------------------------


def build(name: str, couples: int, weeks: int, rng: random.Random) -> Caseload:
    """A therapist with `couples` couples, each partner with a year of activity, all granted."""
    from django.test import Client
    from django.utils import timezone

    from attunement.web.accounts.models import User
    from attunement.web.couples.models import Couple, Membership
    from attunement.web.therapists import twofactor
    from attunement.web.therapists.models import Case, Grant, Therapist

    now = timezone.now()
    therapist = User.objects.create(
        email=f"therapist-{name}@example.org", display_name=f"Therapist {name}", password="!"
    )
    profile = Therapist.objects.create(owner=therapist, totp_confirmed=now)
    people = User.objects.bulk_create(
        User(email=f"{name}-{n}@example.org", display_name=f"Person {n}", password="!")
        for n in range(2 * couples)
    )
    pairs = [(people[2 * n], people[2 * n + 1]) for n in range(couples)]
    made = Couple.objects.bulk_create(Couple(created=now) for _ in pairs)
    Membership.objects.bulk_create(
        Membership(couple=couple, user=person) for couple, two in zip(made, pairs, strict=True)
        for person in two
    )  # fmt: skip
    cases = Case.objects.bulk_create(
        Case(therapist=therapist, label=f"Couple {n:04}", kind=Case.Kind.COUPLE)
        for n in range(couples)
    )
    Grant.objects.bulk_create(
        Grant(case=case, person=person, couple_report=True, checkin_trends=True,
              practice_activity=True)
        for case, two in zip(cases, pairs, strict=True)
        for person in two
    )  # fmt: skip
    checkins(people, weeks, rng)
    practice(people, weeks, rng)
    answers(people, rng)
    client = Client()
    client.force_login(therapist)
    session = client.session
    session[twofactor.SESSION_KEY] = twofactor.session_mark(profile)
    session.save()
    middle = cases[len(cases) // 2]
    return Caseload(couples, client, "/therapist/", f"/therapist/cases/{middle.pk}/")


def checkins(people: list[Any], weeks: int, rng: random.Random) -> None:
    """A weekly check-in for every person, a wandering line between 6 and 21."""
    from django.utils import timezone

    from attunement.web.checkins.models import CheckIn

    now = timezone.now()
    rows = []
    for person in people:
        level = rng.uniform(9, 18)
        for back in range(weeks - 1, -1, -1):
            level = min(21.0, max(0.0, level + rng.uniform(-1.5, 1.5)))
            taken = now - timedelta(weeks=back, hours=rng.uniform(0, 48))
            rows.append(
                CheckIn(owner=person, taken=taken, day=taken.date(), answers={},
                        csi4=round(level), connection=round(rng.uniform(0, 4), 2))
            )  # fmt: skip
    CheckIn.objects.bulk_create(rows, batch_size=2000)


def practice(people: list[Any], weeks: int, rng: random.Random) -> None:
    """Practices logged, guided exercises and journal entries: only their dates matter here."""
    from django.utils import timezone

    from attunement.practices import catalogue, flows
    from attunement.web.journal.models import JournalEntry
    from attunement.web.practices.models import Draft, PracticeLog

    now = timezone.now()
    practices, guided = list(catalogue()), [f.id for f in flows.flows()]

    def when() -> Any:
        return now - timedelta(days=rng.uniform(0, 7 * weeks))

    logs, drafts, entries = [], [], []
    for person in people:
        logs += [PracticeLog(owner=person, practice=rng.choice(practices), done=when())
                 for _ in range(weeks // 4 + 1)]  # fmt: skip
        for _ in range(weeks // 8 + 1):
            day = when()
            drafts.append(Draft(owner=person, flow=rng.choice(guided), created=day, updated=day,
                                finished=day if rng.random() < 0.7 else None))  # fmt: skip
        entries += [JournalEntry(owner=person, sealed_body="", created=when())
                    for _ in range(weeks // 6 + 1)]  # fmt: skip
    PracticeLog.objects.bulk_create(logs, batch_size=2000)
    Draft.objects.bulk_create(drafts, batch_size=2000)
    JournalEntry.objects.bulk_create(entries, batch_size=2000)


def answers(people: list[Any], rng: random.Random) -> None:
    """The whole Connection Check, safety screens answered no."""
    from attunement.web.assessments import services as assessments
    from attunement.web.assessments.models import Answer

    rows = []
    for person in people:
        for instrument in assessments.battery():
            for item in instrument.items:
                if item.ask_if is not None:
                    continue
                value = 0 if instrument.screen else rng.randint(item.scale.min, item.scale.max)
                rows.append(Answer(owner=person, instrument=instrument.id, item=item.id,
                                   value=value))  # fmt: skip
    Answer.objects.bulk_create(rows, batch_size=2000)


if __name__ == "__main__":
    sys.exit(main())
