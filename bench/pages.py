"""Pages under gunicorn beside a one-line Django view, and page cost against history length.

    python bench/pages.py [--seconds 10] [--clients 8] [--workers 2] [--small 20] [--large 5000]

1. Seeds a demo couple in a fresh SQLite database, starts gunicorn (the production
   extra) with the product's settings plus one bare view (bench/serve, never in the
   product) on a loopback port, and measures req/s for the report, the home page and
   the bare view with the same load generator (signed-in cookies): wrk when it is
   installed (a C tool, so the bare view's figure is the server's), otherwise a
   bounded Python one (whose own ceiling then caps the bare view); `--generator`.
2. In process: the median time (wall and CPU) of the report, both partners' check-in
   pages and the home page at `--large` check-ins each against `--small`, the two
   histories taking turns for `--rounds` rounds so that a change in the machine's load
   falls on both alike.
Exit 1 if a ratio misses its target (report and home >= 10% of the bare view; pages at
the large history within 1.5x of the small); timings are a machine's, not a test's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PAGES = {"report": "/report/", "home": "/", "bare view": "/bench/bare/"}


def setup(data: Path, database: str | None = None) -> None:
    """Django on bench settings: SQLite in `data`, or the `database` URL when given."""
    os.environ["ATTUNEMENT_DATA_DIR"] = str(data)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(HERE / "serve"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(count: int) -> tuple[str, str]:
    """The demo couple, sharing everything, with `count` weekly check-ins each; Alex's cookie."""
    from django.test import Client

    from attunement.web.accounts.models import User
    from attunement.web.core.demo import create_demo

    create_demo()
    people = list(User.objects.order_by("pk"))
    history(people, count)
    client = Client()
    client.force_login(people[0])
    return people[0].email, client.cookies["sessionid"].value


def history(people: Sequence[Any], count: int) -> None:
    from attunement.web.checkins.models import CheckIn

    CheckIn.objects.all().delete()
    today = datetime.now(UTC)
    CheckIn.objects.bulk_create(
        CheckIn(owner=p, taken=today - timedelta(weeks=n), day=(today - timedelta(weeks=n)).date(),
                csi4=10 + n % 8, connection=2.0, answers={})
        for p in people for n in range(count)
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ATTUNEMENT_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--pythonpath", str(HERE / "serve"), "--log-level", "warning",
         "attunement.web.wsgi:application"],
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


def hammer(port: int, path: str, cookie: str, seconds: float, limit: int) -> tuple[int, int]:
    """One client on one kept-alive connection: (answers, errors), bounded in time and count."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Cookie": f"sessionid={cookie}"}
    done = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end and done < limit:
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            errors += response.status != 200
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        done += 1
    return done, errors


def rate(
    port: int, path: str, cookie: str, seconds: float, clients: int, generator: str
) -> tuple[float, int]:
    """Answers per second and errors for one page, after a warm-up that must answer 200."""
    done, errors = hammer(port, path, cookie, min(seconds, 1.0), 200)  # warm workers and cache
    if errors:
        raise SystemExit(f"{path}: {errors} of {done} warm-up answers were not 200")
    if generator == "wrk":
        return wrk(port, path, cookie, seconds, clients)
    with ProcessPoolExecutor(clients) as pool:
        started = time.monotonic()
        jobs = [pool.submit(hammer, port, path, cookie, seconds, 1_000_000) for _ in range(clients)]
        results = [j.result() for j in jobs]
        took = time.monotonic() - started
    return sum(r[0] for r in results) / took, sum(r[1] for r in results)


def wrk(port: int, path: str, cookie: str, seconds: float, clients: int) -> tuple[float, int]:
    """The same load from wrk: `clients` kept-alive connections on two threads, 10 s timeout."""
    done = subprocess.run(
        ["wrk", "-t", str(min(2, clients)), "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
         "--timeout", "10s", "-H", f"Cookie: sessionid={cookie}", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    )  # fmt: skip
    per_second = re.search(r"Requests/sec:\s*([\d.]+)", done.stdout)
    if per_second is None:
        raise SystemExit(f"wrk said nothing readable:\n{done.stdout}{done.stderr}")
    # wrk counts any 2xx or 3xx as good; the warm-up made sure the page answers 200.
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", done.stdout)
    failed = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", done.stdout)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in failed.groups()) if failed else 0
    return float(per_second.group(1)), errors


def timed(path: str, email: str, runs: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds for one page in process, `runs` times, cache cleared before each.

    The CPU time of this process (the view, the templates and SQLite, all in it) hardly
    moves when other work shares the machine; the wall time does.
    """
    from django.core.cache import cache
    from django.test import Client

    from attunement.web.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    found = []
    for _ in range(runs):
        cache.clear()
        started, cpu = time.perf_counter(), time.process_time()
        assert client.get(path).status_code == 200
        found.append((time.perf_counter() - started, time.process_time() - cpu))
    return found


def warm_cpu(path: str, email: str, runs: int = 200, rounds: int = 3) -> float:
    """CPU seconds per request of one page in process with a warm cache: best of `rounds`.

    No load generator and no HTTP in it: what the page itself costs the server.
    """
    from django.test import Client

    from attunement.web.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    assert client.get(path).status_code == 200
    found = []
    for _ in range(rounds):
        cpu = time.process_time()
        for _ in range(runs):
            client.get(path)
        found.append((time.process_time() - cpu) / runs)
    return min(found)


def cost(
    people: Sequence[Any], path: str, email: str, counts: Sequence[int], args: Any
) -> list[tuple[float, float]]:
    """Median (wall, CPU) seconds of one page at each history length, the lengths taking turns."""
    timed(path, email, 1)  # the first request of a page compiles its templates: not counted
    found: dict[int, list[tuple[float, float]]] = {count: [] for count in counts}
    for _ in range(args.rounds):
        for count in counts:
            history(people, count)
            found[count] += timed(path, email, args.runs)
    return [
        (statistics.median(w for w, _ in found[n]), statistics.median(c for _, c in found[n]))
        for n in counts
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--small", type=int, default=20)
    parser.add_argument("--large", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7, help="runs of a page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    args = parser.parse_args()
    generator = args.generator
    if generator == "auto":
        generator = "wrk" if shutil.which("wrk") else "python"
    ok = True
    with tempfile.TemporaryDirectory(prefix="attunement-bench-") as scratch:
        data = Path(scratch)
        setup(data)
        email, cookie = seed(args.small)
        port = free_port()
        server = serve(data, port, args.workers)
        try:
            rates = {name: rate(port, path, cookie, args.seconds, args.clients, generator)
                     for name, path in PAGES.items()}  # fmt: skip
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        print(f"gunicorn, {args.workers} workers, {args.clients} clients, {args.seconds:g} s each, "
              f"load from {generator}")  # fmt: skip
        for name, (per_second, errors) in rates.items():
            print(f"{name}: {per_second:.0f} req/s, {errors} errors")
        bare = rates["bare view"][0]
        for name in ("report", "home"):
            share = rates[name][0] / bare
            ok &= share >= 0.10
            print(f"ratio {name}/bare view: {share:.1%} (target >= 10%)")

        cpu = {name: warm_cpu(path, email) for name, path in PAGES.items()}
        each = ", ".join(f"{name} {seconds * 1000:.2f} ms" for name, seconds in cpu.items())
        print(f"in process, cache warm, CPU per request (best of 3 x 200): {each}")
        for name in ("report", "home"):
            print(f"CPU share {name}: the bare view's cost is {cpu['bare view'] / cpu[name]:.1%} "
                  "of it")  # fmt: skip

        from attunement.web.accounts.models import User

        people = list(User.objects.order_by("pk"))
        pages = [("/report/", people[0]), ("/checkin/", people[0]), ("/checkin/", people[1]),
                 ("/", people[0])]  # fmt: skip
        counts = (args.small, args.large)
        for path, person in pages:
            (few, few_cpu), (many, many_cpu) = cost(people, path, person.email, counts, args)
            ok &= many / few <= 1.5
            print(f"{path} at {args.small} check-ins ({person.display_name}): {few * 1000:.1f} ms, "
                  f"at {args.large}: {many * 1000:.1f} ms, ratio {args.large}/{args.small}: "
                  f"{many / few:.2f} (target <= 1.5); CPU {few_cpu * 1000:.1f} ms vs "
                  f"{many_cpu * 1000:.1f} ms, {many_cpu / few_cpu:.2f}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
