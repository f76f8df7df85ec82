"""What one rating post costs: SQL queries, cache writes and time, in-process.

    .venv/bin/python benchmarks/rating_post.py [--credits 20] [--posts 30]
        [--cache file|db] [--code DIR]

Builds a throwaway site in a temporary folder (SQLite, the seed catalogue),
gives one film `--credits` credits, logs a fan in, and lets the film page,
its people's pages and the lists be cached (as on a live site, where a post
retires what is cached). Then it sends the fan's rating posts through
Django's test client, as the star widget's script does (Accept:
application/json), with the transaction committed as in production, and
reports for the first post (a new rating) and a change of it:

  - the SQL queries (CaptureQueriesContext), those of the database cache
    apart,
  - the writes to the default cache (set, add, set_many keys, delete, incr,
    ...), and, on code that kept page versions in files of their own
    (DJANGO_PAGE_VERSIONS_DIR, before issue 13), those files written;

and the median time of `--posts` further changes. `--code DIR` runs it
against another checkout (its own settings and apps), for before/after
figures: `.venv/bin/python benchmarks/rating_post.py --code /tmp/old`.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import collections
import json
import statistics
import sys
import time

import django

django.setup()
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

credits_wanted, posts = int(sys.argv[1]), int(sys.argv[2])
call_command("migrate", verbosity=0)
if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
    call_command("createcachetable", verbosity=0)
call_command("seed_catalogue", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
Film = apps.get_model("catalog", "Film")
Person = apps.get_model("catalog", "Person")
Credit = apps.get_model("catalog", "Credit")
film = Film.objects.get(slug="children-of-heaven-1997")
for n in range(credits_wanted - film.credits.count()):
    person = Person.objects.create(name=f"Bench Player {n}", slug=f"bench-player-{n}")
    Credit.objects.create(film=film, person=person, role="cast", character=f"Part {n}")
assert film.credits.count() == credits_wanted, film.credits.count()
fan = get_user_model().objects.create_user("benchfan", password="bench-passphrase-123")

anonymous = Client(HTTP_HOST="127.0.0.1")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(fan)
film_url = f"/films/{film.slug}/"
people = [c.person for c in film.credits.select_related("person")]
# What a live site has cached when the post comes.
for url in [film_url, "/", "/films/", *(f"/people/{p.slug}/" for p in people)]:
    assert anonymous.get(url).status_code == 200, url
    client.get(url)

writes = collections.Counter()
WRITES = ("set", "add", "set_many", "delete", "delete_many", "incr", "decr", "touch", "clear")
backend = caches["default"]
cache_queries = [0]
depth = [0]  # backends call their own set() from add(), incr() and set_many()
for name in WRITES:
    method = getattr(backend, name)

    def counted(*args, _name=name, _method=method, **kwargs):
        if not depth[0]:
            if _name in ("set_many", "delete_many"):
                writes[_name + " keys"] += len(args[0])
            writes[_name] += 1
        depth[0] += 1
        queries_before = len(connection.queries_log)
        try:
            return _method(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                cache_queries[0] += len(connection.queries_log) - queries_before

    setattr(backend, name, counted)
# The database cache's own queries, counted apart (reads included).
for name in ("get", "get_many", "has_key"):
    method = getattr(backend, name)

    def counted_read(*args, _method=method, **kwargs):
        depth[0] += 1
        queries_before = len(connection.queries_log)
        try:
            return _method(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                cache_queries[0] += len(connection.queries_log) - queries_before

    setattr(backend, name, counted_read)
try:
    from catalog import page_versions  # the file version store, before issue 13
except ImportError:
    page_versions = None
if page_versions is not None:
    for name in ("_write_file", "_create_file"):
        method = getattr(page_versions, name)

        def counted_file(*args, _name=name, _method=method, **kwargs):
            writes["version file " + _name.strip("_")] += 1
            return _method(*args, **kwargs)

        setattr(page_versions, name, counted_file)

rating_url = reverse("reviews:rating-set", args=[film.slug])


def post(points):
    return client.post(
        rating_url, {"points": points, "action": "save"}, HTTP_ACCEPT="application/json"
    )


report = {}
for label, points in [("first rating", 8), ("changed rating", 6)]:
    writes.clear()
    cache_queries[0] = 0
    with CaptureQueriesContext(connection) as queries:
        response = post(points)
    assert response.status_code == 200, (response.status_code, response.content[:300])
    report[label] = {
        "queries": len(queries) - cache_queries[0],
        "cache queries": cache_queries[0],
        "sql": [q["sql"][:160] for q in queries.captured_queries],
        "cache writes": dict(writes),
    }
times = []
for n in range(posts):
    start = time.perf_counter()
    assert post(2 + n % 9).status_code == 200
    times.append((time.perf_counter() - start) * 1000)
report["median ms"] = statistics.median(times)
report["cache"] = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
print(json.dumps(report))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--credits", type=int, default=20)
    parser.add_argument("--posts", type=int, default=30, help="timed changes after the two counted")
    parser.add_argument("--cache", choices=["file", "db"], default="file")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--sql", action="store_true", help="list the queries")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="film-rating-post-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"sqlite:///{folder}/db.sqlite3",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40,
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_SESSION_DIR=str(folder / "sessions"),
        DJANGO_CACHE_DIR=str(folder / "cache"),
        DJANGO_CACHE_BACKEND=args.cache,
        DJANGO_PAGE_VERSIONS_DIR=str(folder / "page-versions"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_LOG_LEVEL="WARNING",
    )
    try:
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, str(args.credits), str(args.posts)],
            cwd=args.code,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result.returncode:
        sys.exit(result.stderr)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"code: {args.code}; cache: {report['cache']}; film with {args.credits} credits; "
        f"median of {args.posts} rating changes: {report['median ms']:.1f} ms"
    )
    for label in ("first rating", "changed rating"):
        figures = report[label]
        writes = figures["cache writes"]
        print(
            f"{label}: {figures['queries']} queries"
            f"{f' (and {n} on the cache table)' if (n := figures['cache queries']) else ''}, "
            f"{sum(v for k, v in writes.items() if not k.endswith(' keys'))} cache write calls "
            f"({', '.join(f'{k} {v}' for k, v in sorted(writes.items())) or 'none'})"
        )
        if args.sql:
            for sql in figures["sql"]:
                print("   ", sql)


if __name__ == "__main__":
    main()
