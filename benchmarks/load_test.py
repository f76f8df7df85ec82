"""Load test: the film page under gunicorn against the same bytes as a static file.

    .venv/bin/python benchmarks/load_test.py [--workers 4] [--duration 10]
        [--connections 16] [--port 8400] [--cache file|db]

Builds a throwaway site in a temporary folder (SQLite by default, or the
database in DATABASE_URL; REDIS_URL is passed through), loads the seed
catalogue, makes one fan with a session and CSRF cookie, renders the anonymous film page once
and stores those exact bytes as a static file. The cache is Django's
file-based cache in that folder (`--cache file`, the default) or Django's
database cache (`--cache db`, DJANGO_CACHE_BACKEND=db), unless REDIS_URL is
set. Then it starts gunicorn with gunicorn.conf.py and a fixed worker count
on 127.0.0.1 and, with wrk (Debian package `wrk`), measures for each of

  - the film page for an anonymous visitor (served from the page cache),
  - the same page for the logged-in fan (the same cached page, its holes,
    such as the account menu and the fan's own stars, filled for the fan;
    the set-up checks in-process that the fan's page is a cache hit),
  - the same HTML bytes as a static file served by whitenoise in the same
    gunicorn (the practical ceiling),

requests per second and p50/p99 latency over a fixed time, and prints the
ratios page/static. All traffic goes to 127.0.0.1; every run is bounded by
--duration, and gunicorn is stopped at the end.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILM_SLUG = "children-of-heaven-1997"

SETUP = """
import sys
from unittest import mock

import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

call_command("migrate", verbosity=0)
if "DatabaseCache" in settings.CACHES["default"]["BACKEND"]:
    call_command("createcachetable", verbosity=0)
call_command("seed_catalogue", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
fan = get_user_model().objects.create_user("benchfan", password="bench-passphrase-123")
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(fan)
# A fan's browser holds the CSRF cookie from the first page it was shown,
# and sends it back with the session cookie on every later request.
client.get("/")

# The fan must be served the page an anonymous visitor left in the cache,
# with its holes filled, not a page rendered for them.
film_path = sys.argv[1]
assert Client(HTTP_HOST="127.0.0.1").get(film_path).status_code == 200
page_hits = []
cache_get = cache.get


def get(key, *args, **kwargs):
    value = cache_get(key, *args, **kwargs)
    if key.startswith("page:") and value is not None:
        page_hits.append(key)
    return value


with mock.patch.object(cache, "get", get), CaptureQueriesContext(connection) as queries:
    response = client.get(film_path)
assert response.status_code == 200 and b"benchfan" in response.content, "fan not logged in"
assert page_hits, "the fan's film page was not served from the page cache"
print(f"fan's film page: a page cache hit, {len(queries)} queries", file=sys.stderr)
print("; ".join(f"{name}={client.cookies[name].value}" for name in ("sessionid", "csrftoken")))
"""


def wrk(url, seconds, connections, cookie=None):
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{seconds}s",
        "--timeout",
        "5s",
        "--latency",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    output = subprocess.run(
        command + [url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    requests = int(re.search(r"(\d+) requests in", output)[1])
    latency = {}
    for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M):
        latency[pct] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": requests,
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "non_2xx": int(errors[1]) if errors else 0,
        "socket_errors": socket_errors[1] if socket_errors else "",
    }


def server_cpu_seconds(master_pid):
    """CPU time (user + system) used so far by gunicorn's master and workers.

    On a machine shared with other work, wall-clock figures swing with the
    load; CPU time per request does not, and gives the throughput an idle
    machine would reach (cores / CPU per request).
    """
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, ppid):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def fetch(port, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    return response.status, response.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8400)
    parser.add_argument(
        "--cache",
        choices=["file", "db"],
        default="file",
        help="Django's file-based cache (default) or its database cache; REDIS_URL overrides",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    folder = Path(tempfile.mkdtemp(prefix="film-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.setdefault("DATABASE_URL", f"sqlite:///{folder}/db.sqlite3")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40,
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_SESSION_DIR=str(folder / "sessions"),
        DJANGO_CACHE_DIR=str(folder / "cache"),
        DJANGO_CACHE_BACKEND=args.cache,
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_LOG_LEVEL="WARNING",
        HOST="127.0.0.1",
        PORT=str(args.port),
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_LOG_LEVEL="warning",
    )
    film_path = f"/films/{FILM_SLUG}/"
    load_at_start = os.getloadavg()
    session = subprocess.run(
        [sys.executable, "-c", SETUP, film_path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if session.returncode:
        sys.exit(session.stderr)
    cookie = session.stdout.strip().splitlines()[-1]
    fan_page_note = session.stderr.strip().splitlines()[-1]

    def start():
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                # No worker recycling mid-run: its CPU time would vanish.
                "--max-requests",
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                if fetch(args.port, "/healthz")[0] == 200:
                    return process
            except OSError:
                time.sleep(0.05)
        process.kill()
        sys.exit("gunicorn did not start")

    def stop(process):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)

    # The anonymous page as this very server renders it, stored as a static
    # file; whitenoise reads its folder at start-up, hence the restart.
    process = start()
    status, html = fetch(args.port, film_path)
    assert status == 200, status
    stop(process)
    static_file = folder / "static" / "bench" / "film.html"
    static_file.parent.mkdir(parents=True)
    static_file.write_bytes(html)

    process = start()
    try:
        logged_in_status, logged_in_html = fetch(args.port, film_path, cookie)
        assert logged_in_status == 200 and b"benchfan" in logged_in_html, "fan not logged in"
        base = f"http://127.0.0.1:{args.port}"
        cases = [
            ("static file (ceiling)", f"{base}/static/bench/film.html", None),
            ("film page, anonymous", f"{base}{film_path}", None),
            ("film page, logged in", f"{base}{film_path}", cookie),
        ]
        results = {}
        for name, url, case_cookie in cases:
            wrk(url, 2, args.connections, case_cookie)  # warm-up
            cpu_before = server_cpu_seconds(process.pid)
            results[name] = wrk(url, args.duration, args.connections, case_cookie)
            cpu = server_cpu_seconds(process.pid) - cpu_before
            results[name]["cpu_ms"] = 1000 * cpu / max(results[name]["requests"], 1)
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"gunicorn: {args.workers} sync workers on 127.0.0.1; wrk: 2 threads, "
        f"{args.connections} connections, {args.duration} s per case; "
        f"database: {env['DATABASE_URL'].split(':')[0]}; "
        f"cache: {'redis' if env.get('REDIS_URL') else args.cache}; "
        f"page: {len(html):,} bytes anonymous, {len(logged_in_html):,} logged in"
    )
    print(fan_page_note)
    load = os.getloadavg()
    print(
        f"load average at the start: {' '.join(f'{x:.1f}' for x in load_at_start)}, "
        f"at the end: {' '.join(f'{x:.1f}' for x in load)} on {os.cpu_count()} CPUs"
    )
    print(
        f"{'case':24} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} "
        f"{'CPU ms/req':>10} {'CPU ratio':>9}  errors"
    )
    ceiling = results["static file (ceiling)"]
    for name, result in results.items():
        errors = result["non_2xx"] or result["socket_errors"] or "-"
        print(
            f"{name:24} {result['rps']:8.0f} {result['p50']:8.2f} {result['p99']:8.2f} "
            f"{result['rps'] / ceiling['rps']:6.2f} {result['cpu_ms']:10.2f} "
            f"{ceiling['cpu_ms'] / result['cpu_ms']:9.2f}  {errors}"
        )
    print(
        "ratio: req/s of the case / req/s of the static file; CPU ratio: server CPU "
        "per static request / server CPU per request of the case (what an idle "
        "machine's req/s ratio would approach)"
    )


if __name__ == "__main__":
    main()
