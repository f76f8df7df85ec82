"""Time the activity feed and a fan's profile in-process (issue 15's targets:
feed p95 ≤ 50 ms, profile p95 ≤ 30 ms at 50k fans and 1M ratings).

Usage, on a database filled by generate_catalogue and generate_fan_life:

    DATABASE_URL=postgres://…/bench DJANGO_SECRET_KEY=x DJANGO_HTTPS=0 \\
        DJANGO_PAGE_CACHE=0 DJANGO_RATE_LIMITS=0 \\
        .venv/bin/python benchmarks/fan_pages.py --requests 300

The page cache is off (DJANGO_PAGE_CACHE=0) so every profile request renders
afresh: the cost of a first visit after a change, not of a cached copy. The
feed is never cached (it is one fan's own). Fans are drawn at random (--seed)
among those who follow at least one fan; each page is requested --requests
times after --warmup requests, alternating feed and profile, and the script
prints median and 95th percentile wall times and the queries per request.
"""

import argparse
import os
import random
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from diary.models import Follow

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(args.seed)
    followers = list(Follow.objects.values_list("follower_id", flat=True).distinct()[:20_000])
    from django.contrib.auth import get_user_model

    User = get_user_model()
    names = dict(User.objects.filter(pk__in=followers).values_list("pk", "username"))
    client = Client(HTTP_HOST="127.0.0.1")
    times = {"feed": [], "profile": []}
    queries = {"feed": [], "profile": []}
    for n in range(args.warmup + args.requests):
        fan_id = rng.choice(followers)
        for page in ("feed", "profile"):
            if page == "feed":
                client.force_login(User.objects.get(pk=fan_id))
                url = "/feed/"
            else:
                client.logout()
                url = f"/fans/{names[rng.choice(followers)]}/"
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            if n >= args.warmup:
                times[page].append(elapsed * 1000)
                queries[page].append(len(captured.captured_queries))
    print(f"database: {connection.vendor}, {args.requests} requests a page, {args.warmup} warm-up")
    for page in ("feed", "profile"):
        values = sorted(times[page])
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"{page:8} median {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  "
            f"queries {statistics.median(queries[page]):.0f}"
        )


if __name__ == "__main__":
    main()
