"""Give the synthetic fans of `generate_catalogue` a film life, for benchmarks:
follows, watchlists, diary entries (linked to their ratings), lists with
entries, and likes. Run it once, after generate_catalogue, on the same
database. Deterministic for a given --seed; touches synthetic fans only.

--recent moves the synthetic ratings' and reviews' dates into the last
WINDOW days, so that the activity feed (which reads the last 90 days) meets
as much as it ever could: the worst case, for the benchmark.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from catalog.management.commands.generate_catalogue import RawInserter, db_datetime
from catalog.models import Film
from core.page_cache import invalidation
from diary.models import DiaryEntry, FilmList, Follow, Like, ListEntry, WatchlistEntry
from reviews.models import Rating

FAN_PREFIX = "synthetic-fan-"
WINDOW = 120  # days


class Command(BaseCommand):
    help = "Follows, watchlists, diaries, lists and likes for the synthetic fans (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--follows", type=int, default=10, help="Per fan, on average.")
        parser.add_argument("--watchlist", type=int, default=10, help="Films per fan, average.")
        parser.add_argument(
            "--logged", type=float, default=0.3, help="Share of ratings with a diary entry."
        )
        parser.add_argument(
            "--list-fans", type=float, default=0.2, help="Share of fans with lists."
        )
        parser.add_argument("--recent", action="store_true")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, follows, watchlist, logged, list_fans, recent, seed, **options):
        self.rng = random.Random(seed)
        self.started = time.monotonic()
        self.now = timezone.now()
        fans = list(
            get_user_model()
            .objects.filter(username__startswith=FAN_PREFIX)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not fans:
            raise CommandError("No synthetic fans: run generate_catalogue first.")
        if Follow.objects.filter(follower_id__in=fans[:1]).exists():
            raise CommandError("These fans already have a film life; use a fresh database.")
        first_film, last_film = (
            Film.objects.filter(slug__startswith="synthetic-")
            .order_by("pk")
            .values_list("pk", flat=True)[0],
            Film.objects.order_by("-pk").values_list("pk", flat=True)[0],
        )
        self.films = (first_film, last_film)
        with transaction.atomic():
            if recent:
                self.make_recent()
            self.make_follows(fans, follows)
            self.make_watchlists(fans, watchlist)
            self.make_diary(logged)
            self.make_lists(fans, list_fans)
            self.reset_sequences()
            invalidation.invalidate_everything()
        self.step("ANALYZE")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.step("done")

    def step(self, label):
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f}s] {label}")

    def recent_time(self):
        return db_datetime(self.now - timedelta(seconds=self.rng.randrange(WINDOW * 86400)))

    def make_recent(self):
        self.step("ratings and reviews dated within the last days")
        # One statement a table: each row moves back by (id × a prime) mod
        # the window, in seconds, so dates spread evenly and deterministically.
        span = WINDOW * 86400
        if connection.vendor == "postgresql":
            back = "make_interval(secs => (id * 7919) %% {span})"
            value = f"%s::timestamptz - {back.format(span=span)}"
        else:
            value = f"datetime(%s, '-' || ((id * 7919) %% {span}) || ' seconds')"
        with connection.cursor() as cursor:
            for table, column in (
                ("reviews_rating", "updated_at"),
                ("reviews_review", "published_at"),
            ):
                cursor.execute(
                    f"UPDATE {table} SET {column} = {value} WHERE {column} IS NOT NULL",
                    [db_datetime(self.now)],
                )

    def make_follows(self, fans, average):
        self.step(f"follows (~{average} a fan)")
        rng = self.rng
        inserter = RawInserter(Follow, {"follower_id", "followed_id", "created_at"})
        # A long tail: a few fans are followed by many.
        popular = fans[: max(10, len(fans) // 100)]
        with connection.cursor() as cursor:
            for fan in fans:
                wanted = min(len(fans) - 1, int(rng.expovariate(1 / average)))
                chosen = set()
                while len(chosen) < wanted:
                    other = rng.choice(popular) if rng.random() < 0.3 else rng.choice(fans)
                    if other != fan:
                        chosen.add(other)
                for other in chosen:
                    inserter.add(
                        {"follower_id": fan, "followed_id": other, "created_at": self.recent_time()}
                    )
                if len(inserter.rows) > 5000:
                    inserter.flush(cursor)
            inserter.flush(cursor)

    def make_watchlists(self, fans, average):
        self.step(f"watchlists (~{average} films a fan)")
        rng = self.rng
        low, high = self.films
        inserter = RawInserter(WatchlistEntry, {"user_id", "film_id", "added_at"})
        with connection.cursor() as cursor:
            for fan in fans:
                films = {rng.randint(low, high) for _ in range(int(rng.expovariate(1 / average)))}
                for film in films:
                    inserter.add({"user_id": fan, "film_id": film, "added_at": self.recent_time()})
                if len(inserter.rows) > 5000:
                    inserter.flush(cursor)
            inserter.flush(cursor)

    def make_diary(self, share):
        self.step(f"diary entries for {share:.0%} of the ratings")
        rng = self.rng
        inserter = RawInserter(
            DiaryEntry,
            {
                "user_id",
                "film_id",
                "watched_on",
                "rewatch",
                "liked",
                "rating_id",
                "review_id",
                "created_at",
            },
        )
        ratings = Rating.objects.filter(user__username__startswith=FAN_PREFIX).values_list(
            "pk", "user_id", "film_id", "review_id", "points"
        )
        today = self.now.date()
        with connection.cursor() as cursor:
            for pk, user, film, review, points in ratings.iterator(chunk_size=10_000):
                if rng.random() >= share:
                    continue
                created = self.now - timedelta(seconds=rng.randrange(WINDOW * 86400))
                inserter.add(
                    {
                        "user_id": user,
                        "film_id": film,
                        "watched_on": today - timedelta(days=rng.randrange(3 * 365)),
                        "rewatch": rng.random() < 0.1,
                        "liked": points >= 8,
                        "rating_id": pk,
                        "review_id": review,
                        "created_at": db_datetime(created),
                    }
                )
                if len(inserter.rows) > 5000:
                    inserter.flush(cursor)
            inserter.flush(cursor)

    def make_lists(self, fans, share):
        self.step(f"lists for {share:.0%} of the fans")
        rng = self.rng
        low, high = self.films
        list_id = (FilmList.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        lists = RawInserter(
            FilmList,
            {"id", "owner_id", "token", "title", "ranked", "visibility", "entry_count",
             "created_at", "updated_at"},
        )  # fmt: skip
        entries = RawInserter(ListEntry, {"film_list_id", "film_id", "position", "note"})
        visibilities = ["public"] * 7 + ["unlisted"] * 2 + ["private"]
        with connection.cursor() as cursor:
            for fan in fans:
                if rng.random() >= share:
                    continue
                for _ in range(rng.randint(1, 3)):
                    films = list(
                        dict.fromkeys(rng.randint(low, high) for _ in range(rng.randint(5, 50)))
                    )
                    lists.add(
                        {
                            "id": list_id,
                            "owner_id": fan,
                            "token": f"synthetic{list_id:07d}{rng.getrandbits(32):08x}",
                            "title": f"Synthetic list {list_id}",
                            "ranked": rng.random() < 0.4,
                            "visibility": rng.choice(visibilities),
                            "entry_count": len(films),
                            "created_at": self.recent_time(),
                            "updated_at": self.recent_time(),
                        }
                    )
                    for position, film in enumerate(films, 1):
                        entries.add(
                            {
                                "film_list_id": list_id,
                                "film_id": film,
                                "position": position,
                                "note": "",
                            }
                        )
                    list_id += 1
                if len(entries.rows) > 5000:
                    lists.flush(cursor)
                    entries.flush(cursor)
            lists.flush(cursor)
            entries.flush(cursor)

    def reset_sequences(self):
        models = [Follow, WatchlistEntry, DiaryEntry, FilmList, ListEntry, Like]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
