"""EXPLAIN (ANALYZE, BUFFERS) of every query a page runs, for BENCHMARKS.md.

Usage (from the repository root, against a catalogue made as the README's
"Synthetic data and the benchmark" says):

    DATABASE_URL=postgres://postgres@127.0.0.1:5433/films \\
        .venv/bin/python benchmarks/explain_pages.py [--page search] [--plans]

Each page is rendered once in-process with the page cache off (Django's
test client, debug off), its queries are captured, and each SELECT is then
run under EXPLAIN ANALYZE three times; the table gives the median execution
time PostgreSQL reports (or, on SQLite, the wall time of the query and its
EXPLAIN QUERY PLAN). `--plans` prints the plan of each page's slowest query,
its "main query". Only reads: nothing is written to the database.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": lambda: "/",
    "film": None,  # a film half-way through the catalogue, chosen below
    "list1": lambda: "/films/?genre=drama&sort=-rating",
    "list3": lambda: "/films/?decade=1990&country=iran&min_rating=4",
    "list-outside": lambda: "/films/?min_outside_votes=1000&sort=-outside_rating",
    "search": lambda: "/search/?q=Mir+Karimi",
    "search-broad": lambda: "/search/?q=silent+river",
    "search-misspelt": lambda: "/search/?q=sedigi",
    "genres": lambda: "/genres/",
}


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update(
        DJANGO_DEBUG="",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "explain-pages-only"),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_HTTPS="0",
        DJANGO_PAGE_CACHE="0",
        DJANGO_RATE_LIMITS="0",
        DJANGO_LOG_LEVEL="ERROR",
    )
    # Debug off serves hashed static names: collect them once, out of the way.
    os.environ.setdefault("DJANGO_STATIC_ROOT", "/tmp/explain-pages-static")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def film_path():
    from catalog.models import Film

    last = Film.objects.order_by("-pk").values_list("pk", flat=True).first()
    film = Film.objects.filter(pk__gte=last // 2).order_by("pk").first()
    return film.get_absolute_url()


def explain(connection, sql):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(re.search(r"Execution Time: ([0-9.]+) ms", plan)[1])
            return ms, plan
        start = time.perf_counter()
        cursor.execute(sql)
        cursor.fetchall()
        ms = (time.perf_counter() - start) * 1000
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
        return ms, plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--page", action="append", choices=list(PAGES))
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for name in args.page or list(PAGES):
        path = film_path() if name == "film" else PAGES[name]()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            print(f"## {name}: {path} answered {response.status_code}\n")
            continue
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        rows = []
        for sql in selects:
            runs = [explain(connection, sql) for _ in range(3)]
            rows.append((statistics.median(ms for ms, _ in runs), runs[-1][1], sql))
        total = sum(ms for ms, _, _ in rows)
        print(f"## {name}: `{path}`, {len(selects)} queries, {total:.2f} ms in the database\n")
        print("| # | ms | query |")
        print("| ---: | ---: | --- |")
        for n, (ms, _, sql) in enumerate(rows, 1):
            short = re.sub(r"\s+", " ", sql)
            short = short[:110] + ("…" if len(short) > 110 else "")
            print(f"| {n} | {ms:.2f} | `{short.replace('|', '/')}` |")
        if args.plans and rows:
            ms, plan, sql = max(rows, key=lambda row: row[0])
            print(f"\nSlowest ({ms:.2f} ms):\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```")
        print()


if __name__ == "__main__":
    main()
