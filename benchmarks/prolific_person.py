"""Time a prolific person's page in-process: a person with N acting credits
is made in a transaction that is rolled back, and their page requested.

Usage, on any catalogue with at least as many films as the largest N:

    DATABASE_URL=postgres://…/imports_100k DJANGO_SECRET_KEY=x DJANGO_HTTPS=0 \\
        DJANGO_PAGE_CACHE=0 .venv/bin/python benchmarks/prolific_person.py 30 1000 3000

Real IMDb people have thousands of film credits (archive footage, prolific
actors, composers); the synthetic catalogues have at most 32. The page cache
is off, so every request renders afresh. For each N the script prints the
median wall time of --requests requests (after one to warm up), the page's
size in bytes and its queries.
"""

import argparse
import os
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("credits", type=int, nargs="+", help="numbers of acting credits")
    parser.add_argument("--requests", type=int, default=7)
    args = parser.parse_args()

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Credit, Film, Person

    client = Client(HTTP_HOST="localhost")
    print("| acting credits | median | bytes | queries |")
    print("|---:|---:|---:|---:|")
    for count in args.credits:
        with transaction.atomic():
            person = Person.objects.create(name="Prolific Example", slug="prolific-example-bench")
            films = Film.objects.order_by("id").values_list("id", flat=True)[:count]
            Credit.objects.bulk_create(
                Credit(film_id=film, person=person, character=f"Part {n}", billing_order=n % 20 + 1)
                for n, film in enumerate(films)
            )
            url = person.get_absolute_url()
            client.get(url)
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(
                f"| {count:,} | {statistics.median(times):.1f} ms | {len(response.content):,}"
                f" | {len(queries)} |"
            )
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
