"""Time and memory of the "also liked" computation (reviews/also_liked.py).

Runs `compute()` in a child process against each database given (filled by
`manage.py generate_catalogue`), several times, and prints for each run the
wall time, the child's peak resident memory (ru_maxrss: Python, Django and,
on SQLite, the database engine itself) and, on PostgreSQL, the peak memory of
the server process that ran the statement (VmHWM, read from /proc: the
server must run on this machine). Not part of `make test`.

    .venv/bin/python benchmarks/also_liked.py \\
        --db sqlite:////tmp/bench-100000.sqlite3 --db postgres://postgres@127.0.0.1:5433/bench
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, os, time
import django
django.setup()
from django.db import connection
from reviews import also_liked
from reviews.models import AlsoLiked, Rating
started = time.monotonic()
rows = also_liked.compute()
seconds = time.monotonic() - started
report = {"rows": rows, "seconds": seconds,
          "ratings": Rating.objects.count(),
          "likes": Rating.objects.filter(points__gte=also_liked.LIKED_POINTS).count(),
          "films_with_a_list": AlsoLiked.objects.values("film").distinct().count()}
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), current_setting('work_mem')")
        pid, work_mem = cursor.fetchone()
    report["work_mem"] = work_mem
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    report["server_peak_kb"] = int(line.split()[1])
    except OSError:
        report["server_peak_kb"] = None
print(json.dumps(report))
"""


def run_once(db):
    env = {**os.environ, "DATABASE_URL": db, "DJANGO_SETTINGS_MODULE": "config.settings",
           "DJANGO_DEBUG": "1", "DJANGO_PAGE_CACHE": "0"}  # fmt: skip
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{db}: the child failed ({child.returncode})")
    report = json.loads(out.strip().splitlines()[-1])
    report["wall"] = time.monotonic() - started
    report["peak_rss_mb"] = usage.ru_maxrss / 1024
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", required=True, help="DATABASE_URL (repeat)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load at start: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    for n in range(args.runs):
        for db in args.db:  # Interleaved, so the machine's load slows each alike.
            report = run_once(db)
            server = report.get("server_peak_kb")
            print(
                f"run {n + 1} {db}: {report['ratings']:,} ratings ({report['likes']:,} likes) → "
                f"{report['rows']:,} rows for {report['films_with_a_list']:,} films; "
                f"compute {report['seconds']:.1f} s, process {report['wall']:.1f} s, "
                f"peak RSS {report['peak_rss_mb']:.0f} MB"
                + (f", server peak {server / 1024:.0f} MB (work_mem {report['work_mem']})"
                   if server else "")
            )  # fmt: skip


if __name__ == "__main__":
    main()
