"""A fan's diary and watchlist travel with their data: a Letterboxd export's
diary.csv and watchlist.csv become diary entries and watchlist films, with
the fan's own dates; our export writes them back in the same layout; an
import only adds, twice changes nothing, and a leaving fan's likes leave
other fans' lists with their counts."""

import datetime
from collections import Counter

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.tests.helpers import make_film
from diary import services as diary_services
from diary.models import DiaryEntry, FilmList, WatchlistEntry
from diary.tests.helpers import log, make_list
from fandata import diary_bridge
from fandata.diary_bridge import Viewing, Wanted
from reviews import services
from reviews.models import Review
from reviews.tests.helpers import PASSWORD, make_fan_review, make_user, no_rate_limits

from .helpers import letterboxd_zip, upload
from .test_export import read_zip

UPLOAD = reverse("fandata:import")
PREVIEW = reverse("fandata:import-preview")
EXPORT = reverse("fandata:export")
day = datetime.date


def diary_of(user):
    return sorted(
        DiaryEntry.objects.filter(user=user).values_list(
            "film__title", "watched_on", "rewatch", "rating__points"
        )
    )


def watchlist_of(user):
    return sorted(WatchlistEntry.objects.filter(user=user).values_list("film__title", "added_at"))


@no_rate_limits
class LetterboxdDiaryImportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("diarist")
        cls.heaven = make_film(title="Children of Heaven", year=1997)
        cls.amelie = make_film(title="Le Fabuleux Destin d'Amélie Poulain", year=2001)
        cls.spirited = make_film(title="千と千尋の神隠し", year=2001)
        cls.baran = make_film(title="Baran", year=2001)

    def setUp(self):
        self.client.force_login(self.fan)

    def export(self, diary=None, watchlist=None):
        return letterboxd_zip(
            {
                "diary.csv": diary
                or [
                    ["2024-03-02", "Children of Heaven", "1997", "https://boxd.it/a", "4.5", "",
                     "", "2024-03-01"],
                    ["2024-05-10", "Children of Heaven", "1997", "https://boxd.it/a", "5", "Yes",
                     "", "2024-05-09"],
                    ["2024-04-01", "Le Fabuleux Destin d'Amelie Poulain", "2001",
                     "https://boxd.it/b", "", "", "", "2024-04-01"],
                ],
                "watchlist.csv": watchlist
                or [
                    ["2023-12-24", "千と千尋の神隠し", "2001", "https://boxd.it/c"],
                    ["2024-01-01", "Baran", "2001", "https://boxd.it/d"],
                ],
            }
        )  # fmt: skip

    def import_file(self, data=None):
        response = self.client.post(UPLOAD, {"export": upload(data or self.export())})
        self.assertRedirects(response, PREVIEW)
        return self.client.post(PREVIEW, {"action": "confirm"}, follow=True)

    def test_diary_rows_become_viewings_with_their_dates_rewatches_and_stars(self):
        response = self.import_file()
        self.assertContains(response, "Imported: 1 rating, 3 diary entries, 2 watchlist films.")
        # The latest viewing's stars are the fan's one rating, linked from
        # each entry that gave stars; Amélie's gave none.
        self.assertEqual(
            diary_of(self.fan),
            [
                ("Children of Heaven", day(2024, 3, 1), False, 10),
                ("Children of Heaven", day(2024, 5, 9), True, 10),
                ("Le Fabuleux Destin d'Amélie Poulain", day(2024, 4, 1), False, None),
            ],
        )
        logged = DiaryEntry.objects.get(user=self.fan, watched_on=day(2024, 3, 1)).created_at
        self.assertEqual(timezone.localdate(logged), day(2024, 3, 2))

    def test_watchlist_rows_keep_the_day_they_were_added(self):
        self.import_file()
        added = [(title, timezone.localdate(at)) for title, at in watchlist_of(self.fan)]
        self.assertEqual(
            added, [("Baran", day(2024, 1, 1)), ("千と千尋の神隠し", day(2023, 12, 24))]
        )

    def test_the_diary_and_watchlist_pages_show_what_came_in(self):
        diary_page = reverse("diary:diary", args=[self.fan.username])
        watchlist_page = reverse("diary:watchlist", args=[self.fan.username])
        # Cached first, empty: the import must retire these pages.
        self.assertNotContains(self.client.get(diary_page), "Children of Heaven")
        self.assertNotContains(self.client.get(watchlist_page), "Baran")
        self.import_file()
        self.assertContains(self.client.get(diary_page), "Children of Heaven")
        self.assertContains(self.client.get(watchlist_page), "Baran")
        self.assertContains(self.client.get(watchlist_page), "千と千尋の神隠し")

    def test_importing_the_same_file_twice_adds_nothing(self):
        self.import_file()
        diary, watchlist = diary_of(self.fan), watchlist_of(self.fan)
        response = self.import_file()
        self.assertContains(response, "nothing new")
        self.assertEqual((diary_of(self.fan), watchlist_of(self.fan)), (diary, watchlist))

    def test_an_import_only_adds_to_what_the_fan_logged_here(self):
        log(self.fan, self.heaven, day(2024, 3, 1))  # the same viewing, logged here first
        log(self.fan, self.baran, day(2025, 1, 1))
        diary_services.add_to_watchlist(self.fan, self.spirited)
        self.import_file()
        self.assertEqual(
            [(title, watched) for title, watched, _, _ in diary_of(self.fan)],
            [
                ("Baran", day(2025, 1, 1)),
                ("Children of Heaven", day(2024, 3, 1)),
                ("Children of Heaven", day(2024, 5, 9)),
                ("Le Fabuleux Destin d'Amélie Poulain", day(2024, 4, 1)),
            ],
        )
        self.assertEqual(WatchlistEntry.objects.filter(user=self.fan).count(), 2)

    def test_a_dated_review_is_a_viewing_linked_to_the_review(self):
        data = letterboxd_zip(
            {
                "reviews.csv": [
                    ["2024-06-02", "Baran", "2001", "https://boxd.it/d", "4", "", "Rain and love.",
                     "", "2024-06-01"],
                ],
            }
        )  # fmt: skip
        self.import_file(data)
        entry = DiaryEntry.objects.get(user=self.fan)
        self.assertEqual((entry.film, entry.watched_on), (self.baran, day(2024, 6, 1)))
        self.assertEqual(entry.review, Review.objects.get(author=self.fan, film=self.baran))
        self.assertEqual(entry.rating.points, 8)

    def test_hostile_dates_are_shown_as_problems_and_log_nothing(self):
        future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
        hostile = ["1887-12-31", "0001-01-01", future, "2024-02-30", "' OR 1=1 --", "9" * 400,
                   "2024-13-01", "２０２４-０１-０１", "-1"]  # fmt: skip
        rows = [
            ["", "Children of Heaven", "1997", "https://boxd.it/a", "", "", "", value]
            for value in hostile
        ]
        response = self.client.post(UPLOAD, {"export": upload(self.export(diary=rows))})
        self.assertRedirects(response, PREVIEW)
        preview = self.client.get(PREVIEW)
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "is not a watched date")
        self.assertContains(preview, "is in the future")
        response = self.client.post(PREVIEW, {"action": "confirm"}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(DiaryEntry.objects.filter(user=self.fan).exists())


class DiaryBridgeTests(TestCase):
    """The bridge itself: batches in fixed queries, absurd dates skipped."""

    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("batcher")
        cls.films = [make_film(title=f"Film {n}", year=1990 + n % 30) for n in range(200)]

    def viewings(self, count):
        return [
            Viewing(film_id=film.pk, watched_on=day(2020, 1, 1) + datetime.timedelta(days=n))
            for n, film in enumerate(self.films[:count])
        ]

    def test_importing_2_or_200_viewings_and_wanted_films_takes_the_same_reads(self):
        counts = []
        for count, fan in [(2, self.fan), (200, make_user("second"))]:
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(diary_bridge.import_viewings(fan, self.viewings(count)), count)
                wanted = [Wanted(film_id=film.pk) for film in self.films[:count]]
                self.assertEqual(diary_bridge.import_watchlist(fan, wanted), count)
            counts.append(Counter(q["sql"].split()[0] for q in queries.captured_queries))
        inserts = counts[1].pop("INSERT") - counts[0].pop("INSERT")
        self.assertEqual(counts[0], counts[1])
        # Only the inserts grow, by the database's batch size (SQLite: ~100 rows).
        self.assertLessEqual(inserts, 2)

    def test_reading_2_or_200_entries_back_takes_one_query_each(self):
        diary_bridge.import_viewings(self.fan, self.viewings(200))
        diary_bridge.import_watchlist(self.fan, [Wanted(film_id=f.pk) for f in self.films])
        with self.assertNumQueries(2):
            self.assertEqual(len(diary_bridge.diary_records(self.fan)), 200)
            self.assertEqual(len(diary_bridge.watchlist_records(self.fan)), 200)

    def test_absurd_dates_and_repeats_are_skipped_not_a_database_error(self):
        film = self.films[0].pk
        viewings = [
            Viewing(film_id=film, watched_on=day(1700, 1, 1)),
            Viewing(film_id=film, watched_on=timezone.localdate() + datetime.timedelta(days=1)),
            Viewing(film_id=film, watched_on=day(2001, 9, 8), logged_on=day(1, 1, 1)),
            Viewing(film_id=film, watched_on=day(2001, 9, 8)),
        ]
        self.assertEqual(diary_bridge.import_viewings(self.fan, viewings), 1)
        wanted = [Wanted(film_id=film, added_on=day(9999, 12, 31)), Wanted(film_id=film)]
        self.assertEqual(diary_bridge.import_watchlist(self.fan, wanted), 1)
        # An absurd "added" day falls back to now rather than lying.
        added = WatchlistEntry.objects.get(user=self.fan).added_at
        self.assertLess(abs(timezone.now() - added), datetime.timedelta(minutes=5))


@no_rate_limits
class DiaryExportRoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("leaving")
        cls.heaven = make_film(title="Children of Heaven", year=1997)
        cls.remake = make_film(title="Solaris", year=1972)
        cls.remake_b = make_film(title="Solaris", year=2002)
        cls.formula = make_film(title="=cmd|' /C calc'!A0", year=2001)
        make_fan_review(cls.heaven, cls.fan, points=9, title="Shoes", body="The race!")
        log(cls.fan, cls.heaven, day(2024, 3, 1))
        log(cls.fan, cls.heaven, day(2025, 2, 1), rewatch=True)
        log(cls.fan, cls.remake_b, day(2023, 7, 14), points=6)
        log(cls.fan, cls.formula, day(2022, 1, 1))
        diary_services.add_to_watchlist(cls.fan, cls.remake)

    def test_the_export_holds_the_diary_and_watchlist_in_letterboxds_layout(self):
        self.client.force_login(self.fan)
        files = read_zip(self.client.post(EXPORT).content)
        diary = files["diary.csv"][1:]
        today = timezone.localdate().isoformat()
        self.assertEqual(
            [row[1:3] + row[4:6] + row[7:] for row in diary],
            [
                ["'=cmd|' /C calc'!A0", "2001", "", "", "2022-01-01"],
                ["Solaris", "2002", "3", "", "2023-07-14"],
                # Logged without stars: the entries show none, though the fan rated it.
                ["Children of Heaven", "1997", "", "", "2024-03-01"],
                ["Children of Heaven", "1997", "", "Yes", "2025-02-01"],
            ],
        )
        self.assertEqual({row[0] for row in diary}, {today})
        self.assertEqual(diary[1][3], "http://testserver" + self.remake_b.get_absolute_url())
        self.assertEqual([row[1:3] for row in files["watchlist.csv"][1:]], [["Solaris", "1972"]])
        self.assertEqual(len(files["watched.csv"]) - 1, 3)  # one row per film

    def test_the_export_round_trips_through_the_importer(self):
        self.client.force_login(self.fan)
        data = self.client.post(EXPORT).content
        newcomer = make_user("arriving")
        self.client.force_login(newcomer)
        self.client.post(UPLOAD, {"export": upload(data)})
        self.client.post(PREVIEW, {"action": "confirm"})
        self.assertEqual(diary_of(newcomer), diary_of(self.fan))
        self.assertEqual(
            list(WatchlistEntry.objects.filter(user=newcomer).values_list("film", flat=True)),
            [self.remake.pk],  # the 1972 Solaris, by its address, not the 2002 remake
        )


@no_rate_limits
class LeavingFanTests(TestCase):
    def test_a_leaving_fans_likes_leave_other_fans_lists_with_their_counts(self):
        fan, other = make_user("leaving"), make_user("staying")
        film = make_film()
        others_list = make_list(other, film, title="Rainy films")
        own_list = make_list(fan, film, title="Mine")
        diary_services.like_list(fan, others_list)
        diary_services.like_list(other, own_list)
        diary_services.like_list(fan, own_list)
        log(fan, film)
        services.set_rating(fan, film, 7)
        self.assertEqual(FilmList.objects.get(pk=others_list.pk).like_count, 1)
        self.client.force_login(fan)
        response = self.client.post(
            reverse("fandata:account-delete"), {"reviews": "delete", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FilmList.objects.get(pk=others_list.pk).like_count, 0)
        self.assertFalse(FilmList.objects.filter(pk=own_list.pk).exists())
        self.assertFalse(DiaryEntry.objects.exists())
        self.assertEqual(Counter(FilmList.objects.values_list("owner__username", flat=True)),
                         Counter({"staying": 1}))  # fmt: skip
