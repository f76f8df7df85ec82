"""CPU time of full page renders in-process, two checkouts side by side.

Usage (from the repository root; each checkout needs `collectstatic` run):

    DJANGO_SECRET_KEY=x DJANGO_HTTPS=0 DJANGO_PAGE_CACHE=0 \\
        .venv/bin/python benchmarks/render_timing.py --page film --requests 200 \\
        /tmp/old-checkout:/tmp/bench-100k.sqlite3 .:/tmp/bench-100k.sqlite3

A quicker, narrower companion to run.py: no server, no network. One worker process
per `CODE_DIR:SQLITE_FILE`, each sent the same URLs in the same order, one
request at a time and alternating, so that whatever else runs on the machine
weighs on every worker alike. It prints the median and 95th percentile of
the CPU time of the request's thread (less disturbed by other processes than
wall time), the median wall time and the queries per request (counted on the
warm-up requests), and each second worker's ratios to the one before it.
Pages: the film page (the films run.py picks), the film list with one
filter and a sort or with three filters, search (run.py's queries) and the
home page.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from urllib.parse import quote

from run import SEARCH_QUERIES  # the same queries as the benchmark

# run.py's list figures, with the same URLs.
LIST_URLS = {
    "list1": lambda rng: f"/films/?genre={rng.choice(['drama', 'comedy', 'horror'])}&sort=-rating",
    "list3": lambda rng: f"/films/?decade={rng.choice(['1990', '1980'])}&country=iran&min_rating=4",
}
WARMUP = 20


def worker():
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Film

    client = Client(HTTP_HOST="127.0.0.1")
    for line in sys.stdin:
        command, url = line.split()
        if command == "films":
            # The same films run.py requests (its --seed 1).
            rng = random.Random(1)
            last = Film.objects.order_by("-pk").values_list("pk", flat=True).first()
            ids = [rng.randint(1, last) for _ in range(300)]
            slugs = Film.objects.filter(pk__in=ids).order_by("pk").values_list("slug", flat=True)
            print(json.dumps(list(slugs)), flush=True)
        elif command == "count":
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            print(json.dumps(len(queries)), flush=True)
        else:
            cpu, wall = time.thread_time(), time.perf_counter()
            response = client.get(url)
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            if response.status_code != 200:
                raise SystemExit(f"{response.status_code} from {url}")
            print(json.dumps([cpu * 1000, wall * 1000]), flush=True)


def p95(values):
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workers", nargs="+", help="CODE_DIR:SQLITE_FILE")
    parser.add_argument(
        "--page", choices=["film", "list1", "list3", "search", "home"], default="film"
    )
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    workers = []
    for spec in args.workers:
        code_dir, _, path = spec.rpartition(":")
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{os.path.abspath(path)}"}
        workers.append(
            subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), "--worker"],
                cwd=code_dir or None,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        )

    def ask(process, command, url="-"):
        process.stdin.write(f"{command} {url}\n")
        process.stdin.flush()
        return json.loads(process.stdout.readline())

    rng = random.Random(1)
    slugs = ask(workers[0], "films") if args.page == "film" else []

    def make_url():
        if args.page == "film":
            return f"/films/{quote(rng.choice(slugs))}/"
        if args.page in LIST_URLS:
            return LIST_URLS[args.page](rng)
        if args.page == "search":
            return f"/search/?q={quote(rng.choice(SEARCH_QUERIES))}"
        return "/"

    results = [[] for _ in workers]
    queries = [set() for _ in workers]
    for n in range(WARMUP + args.requests):
        url = make_url()
        order = list(enumerate(workers))
        if n % 2:
            order.reverse()
        for index, process in order:
            if n < WARMUP:
                queries[index].add(ask(process, "count", url))
            else:
                results[index].append(ask(process, "time", url))
    figures = []
    for spec, rows, counts in zip(args.workers, results, queries, strict=True):
        cpu = [row[0] for row in rows]
        wall = [row[1] for row in rows]
        figures.append((statistics.median(cpu), p95(cpu), statistics.median(wall), p95(wall)))
        line = (
            f"{args.page:7} {spec[-45:]:45} CPU median {figures[-1][0]:6.2f}  "
            f"p95 {figures[-1][1]:6.2f}  wall median {figures[-1][2]:6.2f}  "
            f"p95 {figures[-1][3]:6.2f}  queries {sorted(counts)}"
        )
        if len(figures) % 2 == 0:
            # Each second worker against the one before it: 100k against 1k
            # films, or new code against old.
            line += "  ratios " + "  ".join(
                f"{after / first:.2f}×"
                for after, first in zip(figures[-1], figures[-2], strict=True)
            )
        print(line, flush=True)
    for process in workers:
        process.stdin.close()
        process.wait()


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        worker()
    else:
        main()
