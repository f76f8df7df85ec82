"""Benchmark the site as a real gunicorn process on 127.0.0.1.

Usage (from the repository root, after `make install`):

    .venv/bin/python benchmarks/run.py \\
        --db sqlite:////tmp/bench-1k.sqlite3 --db sqlite:////tmp/bench-100k.sqlite3

Each database must already hold a catalogue (README: "Synthetic data and
the benchmark"). For each one the script starts gunicorn with one worker and
DJANGO_BENCHMARK=1, which makes every response carry its server time
(`Server-Timing: app;dur=…`) and query count (`X-Query-Count`). It then
requests each page many times, one request at a time, alternating between
the servers, so that whatever else runs on the machine weighs on every
database alike. It prints the median and 95th percentile server time and
the queries per request as a Markdown table. Only 127.0.0.1 is contacted,
and the loops are bounded.
"""

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_QUERIES = [
    "children heaven",
    "bacheha ye aseman",
    "Mir Karimi",
    "seddiqi",
    "silent river",
    "golden mirror",
    "ночь",
    "城市",
]
BENCH_FAN = "synthetic-bench-fan"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument(
        "--db",
        action="append",
        help="DATABASE_URL of a catalogue to serve (repeat to compare); "
        "default: the DATABASE_URL environment variable.",
    )
    parser.add_argument("--port", type=int, default=8200, help="First port; one per database.")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests per page first.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare(seed):
    """Run inside Django against one database: pick the films and people to
    request, and log a fan in for the rating POSTs. Prints JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.urls import NoReverseMatch, reverse

    from catalog.models import Film, Person

    rng = random.Random(seed)
    last_film = Film.objects.order_by("-pk").values_list("pk", flat=True).first()
    film_ids = [rng.randint(1, last_film) for _ in range(300)]
    films = list(Film.objects.filter(pk__in=film_ids).values_list("slug", flat=True))
    last_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    person_ids = [rng.randint(1, last_person) for _ in range(300)]
    people = list(Person.objects.filter(pk__in=person_ids).values_list("slug", flat=True))
    try:
        rating_paths = [reverse("reviews:rating-set", args=[slug]) for slug in films]
    except NoReverseMatch:
        rating_paths = []
    session_key = None
    if rating_paths:
        user, _ = get_user_model().objects.get_or_create(username=BENCH_FAN)
        user.set_unusable_password()
        user.save()
        # Whatever engine the settings choose (files on SQLite, the database
        # on PostgreSQL), as the server started with the same environment.
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        session_key = session.session_key
    database = settings.DATABASES["default"]
    print(
        json.dumps(
            {
                "label": f"{Film.objects.count():,} films",
                "database": f"{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}",
                "people_count": Person.objects.count(),
                "home": reverse("catalog:home"),
                "film_paths": [reverse("catalog:film-detail", args=[slug]) for slug in films],
                "person_paths": [reverse("catalog:person-detail", args=[s]) for s in people],
                "film_list": reverse("catalog:film-list"),
                "search": reverse("catalog:search"),
                "rating_paths": rating_paths,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "session_key": session_key,
            }
        )
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Target:
    """One served database: its gunicorn, its sample paths, its fan session."""

    def __init__(self, db_url, port, env, seed):
        self.env = {**env, "DATABASE_URL": db_url}
        out = subprocess.run(
            [sys.executable, __file__, "--prepare", "--seed", str(seed)],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        self.info = json.loads(out.strip().splitlines()[-1])
        self.base = f"http://127.0.0.1:{port}"
        self.server = start_server(port, self.env)
        self.opener = urllib.request.build_opener(NoRedirects)
        # The fan's session cookie, and a CSRF secret of our own: Django takes
        # an unmasked token that equals the cookie.
        self.token = secrets.token_hex(16)
        self.cookies = (
            f"{self.info['session_cookie']}={self.info['session_key']}; csrftoken={self.token}"
            if self.info["session_key"]
            else None
        )

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=10)


def start_server(port, env):
    static_root = Path("/tmp") / f"bench-static-{port}"
    env = {**env, "DJANGO_STATIC_ROOT": str(static_root)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--log-level", "warning", "--access-logfile", "/dev/null"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
            return server
        except OSError:  # refused, reset or timed out while gunicorn boots
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def pages(rng):
    """Page name → function(target) giving (opener, request) for one request."""

    def get(path_of):
        return lambda t: (t.opener, t.base + path_of(t))

    def rating(t):
        if t.cookies is None:
            return None
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": t.token, "points": rng.randint(1, 10)}
        ).encode()
        url = t.base + rng.choice(t.info["rating_paths"])
        headers = {"Cookie": t.cookies, "Referer": t.base + "/"}
        return t.opener, urllib.request.Request(url, data=data, headers=headers)

    def query(params):
        return "?" + urllib.parse.urlencode(params)

    return {
        "home": get(lambda t: t.info["home"]),
        "film page": get(lambda t: rng.choice(t.info["film_paths"])),
        "person page": get(lambda t: rng.choice(t.info["person_paths"])),
        "film list, 1 filter + sort": get(
            lambda t: (
                t.info["film_list"]
                + query({"genre": rng.choice(["drama", "comedy", "horror"]), "sort": "-rating"})
            )
        ),
        "film list, 3 filters": get(
            lambda t: (
                t.info["film_list"]
                + query(
                    {"decade": rng.choice(["1990", "1980"]), "country": "iran", "min_rating": 4}
                )
            )
        ),
        "search": get(lambda t: t.info["search"] + query({"q": rng.choice(SEARCH_QUERIES)})),
        "rating post": rating,
    }


def timed(opener, request):
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        # A redirect after a POST is the expected answer, not a failure.
        if error.code >= 400:
            raise SystemExit(f"{error.code} from {error.url}") from error
        response = error
    with response:
        response.read()
        timing = dict(re.findall(r"(\w+);dur=([0-9.]+)", response.headers.get("Server-Timing", "")))
        if "app" not in timing:
            raise SystemExit("No Server-Timing header: is DJANGO_BENCHMARK=1 reaching the server?")
        queries = int(response.headers.get("X-Query-Count", "-1"))
        return float(timing["app"]), float(timing["cpu"]), queries


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def summary(times, cpu_times, queries):
    low, high = min(queries), max(queries)
    return (
        statistics.median(times),
        p95(times),
        p95(cpu_times),
        str(low) if low == high else f"{low}–{high}",
    )


def main():
    args = parse_args()
    if args.prepare:
        prepare(args.seed)
        return
    databases = args.db or [os.environ.get("DATABASE_URL", "")]
    if not all(databases):
        raise SystemExit("Give --db DATABASE_URL (or set DATABASE_URL); see README.")
    env = {
        **os.environ,
        "DJANGO_BENCHMARK": "1",
        "DJANGO_DEBUG": "",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "WARNING",
        # One fan posts hundreds of ratings a minute here; the limit would
        # turn most of them into 429 pages.
        "DJANGO_RATE_LIMITS": "0",
        # Plain HTTP on 127.0.0.1: no redirect to HTTPS, no secure-only cookies.
        "DJANGO_HTTPS": "0",
        # Time the renders, not the anonymous page cache (which only makes
        # repeat visits faster); DJANGO_PAGE_CACHE=1 measures cached pages.
        "DJANGO_PAGE_CACHE": os.environ.get("DJANGO_PAGE_CACHE", "0"),
        "DJANGO_SESSION_DIR": tempfile.mkdtemp(prefix="bench-sessions-"),
        "DJANGO_CACHE_DIR": tempfile.mkdtemp(prefix="bench-cache-"),
    }
    rng = random.Random(args.seed)
    targets = []
    try:
        for n, db_url in enumerate(databases):
            targets.append(Target(db_url, args.port + n, env, args.seed))
            if targets[-1].cookies:
                # Fail early if the fan's POST is refused.
                timed(*pages(rng)["rating post"](targets[-1]))
        print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, ", end="")
        print(f"Python {platform.python_version()}, load average at start {os.getloadavg()}")
        for target in targets:
            print(f"- {target.info['label']}: {target.info['database']}")
        print(f"{args.requests} timed requests a page and database after {args.warmup} warm-up")
        print("ones, one at a time, alternating between the databases.\n")
        results = {}
        for name, make in pages(rng).items():
            print(f"… {name}", file=sys.stderr, flush=True)
            samples = {id(t): ([], [], []) for t in targets}
            for round_ in range(args.warmup + args.requests):
                for target in targets:
                    request = make(target)
                    if request is None:
                        break
                    measured = timed(*request)
                    if round_ >= args.warmup:
                        for values, value in zip(samples[id(target)], measured, strict=True):
                            values.append(value)
            results[name] = [
                summary(*samples[id(t)]) if samples[id(t)][0] else None for t in targets
            ]
        print(f"Load average at end {os.getloadavg()}\n")
    finally:
        for target in targets:
            target.stop()
        for folder in ("DJANGO_SESSION_DIR", "DJANGO_CACHE_DIR"):
            shutil.rmtree(env[folder], ignore_errors=True)
    print("Server time in ms: wall-clock median and p95, and p95 of the worker's CPU time.\n")
    header = "| page |" + "".join(
        f" {t.info['label']}: median | p95 | CPU p95 | queries |" for t in targets
    )
    if len(targets) > 1:
        header += " p95 ratio | CPU p95 ratio |"
    print(header)
    print(
        "| --- |"
        + " ---: | ---: | ---: | ---: |" * len(targets)
        + (" ---: | ---: |" if len(targets) > 1 else "")
    )
    for name, rows in results.items():
        cells = "".join(
            " n/a | n/a | n/a | no rating endpoint |"
            if row is None
            else f" {row[0]:.1f} | {row[1]:.1f} | {row[2]:.1f} | {row[3]} |"
            for row in rows
        )
        if len(rows) > 1 and rows[0] and rows[-1]:
            cells += f" {rows[-1][1] / rows[0][1]:.2f}× | {rows[-1][2] / rows[0][2]:.2f}× |"
        print(f"| {name} |{cells}")


if __name__ == "__main__":
    main()
