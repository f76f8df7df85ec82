"""Time the film list in-process against several databases, side by side.

Usage (from the repository root; page cache off so every request renders):

    DJANGO_SECRET_KEY=x DJANGO_HTTPS=0 DJANGO_PAGE_CACHE=0 \\
        .venv/bin/python benchmarks/list_timing.py --requests 200 \\
        /tmp/bench-1k.sqlite3 /tmp/bench-100k.sqlite3

A quicker, narrower companion to run.py for working on the list's queries:
no server, no network. It starts one worker process per SQLite file (give
`CODE_DIR:FILE` to run another checkout's code, e.g. the commit before a
change), sends each worker the same URLs in the same order, one request at a
time and alternating, so that whatever else runs on the machine weighs on
every database alike, and prints median and 95th-percentile wall and CPU
milliseconds per request through Django's test client, the queries per
request (counted on the warm-up requests), and each second database's ratio to the one before it.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

# The two film-list figures of run.py, with the same URLs.
PAGES = {
    "film list, 1 filter + sort": lambda rng: (
        f"/films/?genre={rng.choice(['drama', 'comedy', 'horror'])}&sort=-rating"
    ),
    "film list, 3 filters": lambda rng: (
        f"/films/?decade={rng.choice(['1990', '1980'])}&country=iran&min_rating=4"
    ),
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

    client = Client(HTTP_HOST="127.0.0.1")
    for line in sys.stdin:
        url, count = line.split()
        if count == "count":
            # Warm-up requests count the queries; timed ones run without
            # the capture's overhead.
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            print(json.dumps(len(queries)), flush=True)
            continue
        wall, cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        if response.status_code != 200:
            raise SystemExit(f"{response.status_code} from {url}")
        print(json.dumps([wall * 1000, cpu * 1000]), flush=True)


def p95(values):
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("databases", nargs="+", help="[CODE_DIR:]SQLITE_FILE")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    workers = []
    for spec in args.databases:
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
    for page, make_url in PAGES.items():
        rng = random.Random(1)
        results = [[] for _ in workers]
        queries = [set() for _ in workers]
        for n in range(WARMUP + args.requests):
            url = make_url(rng)
            order = list(enumerate(workers))
            if n % 2:
                order.reverse()
            for index, process in order:
                process.stdin.write(f"{url} {'count' if n < WARMUP else 'time'}\n")
                process.stdin.flush()
                answer = json.loads(process.stdout.readline())
                if n < WARMUP:
                    queries[index].add(answer)
                else:
                    results[index].append(answer)
        figures = []
        for spec, rows, counts in zip(args.databases, results, queries, strict=True):
            wall = [row[0] for row in rows]
            cpu = [row[1] for row in rows]
            figures.append((statistics.median(wall), p95(wall), p95(cpu)))
            line = (
                f"{page:28} {spec[-40:]:40} median {figures[-1][0]:6.1f}  "
                f"p95 {figures[-1][1]:6.1f}  CPU p95 {figures[-1][2]:6.1f}  "
                f"queries {sorted(counts)}"
            )
            if len(figures) % 2 == 0:
                before = figures[-2]
                line += "  ratio median {:.2f}×  p95 {:.2f}×  CPU p95 {:.2f}×".format(
                    *(after / first for after, first in zip(figures[-1], before, strict=True))
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
