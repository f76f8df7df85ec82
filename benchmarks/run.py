"""Benchmark the site as a real gunicorn process on 127.0.0.1.

Usage (from the repository root, after `make install`):

    DATABASE_URL=sqlite:////tmp/bench-100k.sqlite3 .venv/bin/python benchmarks/run.py

The database must already hold a catalogue (see `make bench` / README:
`manage.py generate_catalogue`). The script starts gunicorn with one worker
and DJANGO_BENCHMARK=1, which makes every response carry its server time
(`Server-Timing: app;dur=…`) and query count (`X-Query-Count`); it then
requests each page many times, one request at a time, and prints the median
and 95th percentile of the server time and the queries per request as a
Markdown table. Only 127.0.0.1 is ever contacted; the loops are bounded.
"""

import argparse
import http.cookiejar
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--port", type=int, default=8200)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=20, help="Untimed requests per page first.")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def sample_urls(rng):
    """Pages to request, spread over many films and people so the figures are
    not one cached row's."""
    from django.urls import NoReverseMatch, reverse

    from catalog.models import Film, Person

    last_film = Film.objects.order_by("-pk").values_list("pk", flat=True).first()
    film_ids = [rng.randint(1, last_film) for _ in range(200)]
    films = list(Film.objects.filter(pk__in=film_ids).values_list("slug", flat=True))
    last_person = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    person_ids = [rng.randint(1, last_person) for _ in range(200)]
    people = list(Person.objects.filter(pk__in=person_ids).values_list("slug", flat=True))
    film_list = reverse("catalog:film-list")
    pages = {
        "home": lambda: reverse("catalog:home"),
        "film page": lambda: reverse("catalog:film-detail", args=[rng.choice(films)]),
        "person page": lambda: reverse("catalog:person-detail", args=[rng.choice(people)]),
        "film list, 1 filter + sort": lambda: (
            film_list
            + "?"
            + urllib.parse.urlencode(
                {"genre": rng.choice(["drama", "comedy", "horror"]), "sort": "-rating"}
            )
        ),
        "film list, 3 filters": lambda: (
            film_list
            + "?"
            + urllib.parse.urlencode(
                {"decade": rng.choice(["1990", "1980"]), "country": "iran", "min_rating": "4"}
            )
        ),
        "search": lambda: (
            reverse("catalog:search")
            + "?"
            + urllib.parse.urlencode({"q": rng.choice(SEARCH_QUERIES)})
        ),
    }
    try:
        rate_url = reverse("reviews:rating-set", args=[films[0]])
    except NoReverseMatch:
        rate_url = None
    return pages, films, rate_url


def start_server(port, env):
    static_root = Path("/tmp") / f"bench-static-{port}"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DJANGO_STATIC_ROOT": str(static_root)},
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_STATIC_ROOT": str(static_root)},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return server, base
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


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
        timing = response.headers.get("Server-Timing", "")
        match = re.search(r"dur=([0-9.]+)", timing)
        if not match:
            raise SystemExit("No Server-Timing header: is DJANGO_BENCHMARK=1 reaching the server?")
        return float(match.group(1)), int(response.headers.get("X-Query-Count", "-1"))


def measure(opener, make_request, count, warmup):
    for _ in range(warmup):
        timed(opener, make_request())
    times, queries = [], []
    for _ in range(count):
        ms, n = timed(opener, make_request())
        times.append(ms)
        queries.append(n)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, min(queries), max(queries)


def rating_requests(base, rng, films, rate_url):
    """A logged-in fan's session and a function making rating POSTs, or None
    when the site has no rating endpoint yet."""
    if rate_url is None:
        return None, None
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="synthetic-bench-fan")
    user.set_unusable_password()
    user.save()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    host = urllib.parse.urlparse(base).hostname
    jar.set_cookie(_cookie(settings.SESSION_COOKIE_NAME, session.session_key, host))
    # The film page sets the CSRF cookie; its form carries the token.
    film_page = opener.open(base + f"/films/{films[0]}/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', film_page).group(1)

    from django.urls import reverse

    def make():
        url = base + reverse("reviews:rating-set", args=[rng.choice(films)])
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "points": rng.randint(1, 10)}
        ).encode()
        return urllib.request.Request(url, data=data, headers={"Referer": base + "/"})

    return opener, make


def _cookie(name, value, host):
    return http.cookiejar.Cookie(
        0,
        name,
        value,
        None,
        False,
        host,
        False,
        False,
        "/",
        True,
        False,
        None,
        True,
        None,
        None,
        {},
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    args = parse_args()
    env = {
        **os.environ,
        "DJANGO_BENCHMARK": "1",
        "DJANGO_DEBUG": "",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_LOG_LEVEL": "WARNING",
        # One fan posts hundreds of ratings a minute here; the limit would
        # turn most of them into 429 pages.
        "DJANGO_RATE_LIMITS": "0",
    }
    os.environ.update(env)
    django_setup()
    from django.conf import settings

    from catalog.models import Film, Person

    rng = random.Random(args.seed)
    pages, films, rate_url = sample_urls(rng)
    database = settings.DATABASES["default"]
    print(
        f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}; "
        f"{Film.objects.count():,} films, {Person.objects.count():,} people"
    )
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{args.requests} timed requests a page after {args.warmup} warm-up ones, one at a time\n"
    )
    server, base = start_server(args.port, env)
    try:
        opener = urllib.request.build_opener(NoRedirects)
        rows = []
        for name, make_path in pages.items():
            print(f"… {name}", file=sys.stderr, flush=True)
            rows.append(
                (name, *measure(opener, lambda m=make_path: base + m(), args.requests, args.warmup))
            )
        rate_opener, make_rating = rating_requests(base, rng, films, rate_url)
        if rate_opener is None:
            rows.append(("rating post", None, None, None, None))
        else:
            rate_opener.add_handler(NoRedirects())
            rows.append(
                ("rating post", *measure(rate_opener, make_rating, args.requests, args.warmup))
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("| page | median ms | p95 ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, median, p95, low, high in rows:
        if median is None:
            print(f"| {name} | n/a | n/a | no rating endpoint on this branch |")
            continue
        queries = str(low) if low == high else f"{low}–{high}"
        print(f"| {name} | {median:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    main()
