"""Logging viewings and the diary page."""

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from catalog.models import Film
from catalog.tests.helpers import make_film
from diary import services
from diary.models import DiaryEntry, WatchlistEntry
from reviews import services as review_services
from reviews.models import Rating, Review
from reviews.tests.helpers import make_fan_review, make_user, no_rate_limits

from .helpers import log


@no_rate_limits
class LogViewingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("dee")
        cls.film = make_film(title="Taste of Cherry", slug="taste-of-cherry")

    def setUp(self):
        self.client.force_login(self.fan)
        self.url = reverse("diary:diary-log", args=["taste-of-cherry"])

    def post(self, **data):
        data.setdefault("watched_on", "2026-01-15")
        return self.client.post(self.url, data)

    def test_the_date_defaults_to_today(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'value="{timezone.localdate().isoformat()}"')

    def test_a_viewing_with_stars_and_a_review_goes_through_the_reviews_services(self):
        services.add_to_watchlist(self.fan, self.film)
        response = self.post(
            rewatch="on",
            liked="on",
            rating="7",
            review_title="Slow and kind",
            review_body="A long drive, and a kind ending.",
        )
        self.assertRedirects(response, reverse("diary:diary", args=["dee"]))
        entry = DiaryEntry.objects.get()
        review = Review.objects.get()
        rating = Rating.objects.get()
        self.assertEqual((entry.rewatch, entry.liked), (True, True))
        # The same rows, never copies: the review shows the rating's points.
        self.assertEqual((entry.review, entry.rating), (review, rating))
        self.assertEqual(review.rating, 7)
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 7, 1))
        self.assertFalse(WatchlistEntry.objects.exists())

    def test_a_film_can_be_logged_many_times_and_the_rating_stays_one_row(self):
        self.post(rating="4")
        self.post(rating="8", watched_on="2026-02-01")
        self.post()
        self.assertEqual(DiaryEntry.objects.count(), 3)
        self.assertEqual(Rating.objects.get().points, 8)
        self.assertEqual(Film.objects.get(pk=self.film.pk).rating_count, 1)

    def test_a_fan_who_reviewed_already_gets_no_second_review_and_the_entry_links_theirs(self):
        review = make_fan_review(self.film, self.fan, points=6)
        page = self.client.get(self.url)
        self.assertNotContains(page, "review_body")
        self.assertContains(page, review.get_edit_url())
        self.post(review_title="Again", review_body="A second review attempt.")
        self.assertEqual(Review.objects.count(), 1)
        self.assertEqual(DiaryEntry.objects.get().review, review)

    def test_a_review_without_stars_keeps_the_fans_rating(self):
        review_services.set_rating(self.fan, self.film, 9)
        self.post(review_title="Title", review_body="Body long enough.")
        self.assertEqual(Review.objects.get().rating, 9)

    def test_future_dates_and_hostile_values_are_form_errors(self):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        cases = [
            {"watched_on": tomorrow},
            {"watched_on": "9999-12-31"},
            {"watched_on": "1887-12-31"},
            {"watched_on": "0001-01-01"},
            {"watched_on": "2026-02-30"},
            {"watched_on": "yesterday"},
            {"watched_on": "x" * 10_000},
            {"watched_on": ""},
            {"rating": "11"},
            {"rating": "0"},
            {"rating": "4.5"},
            {"rating": "<script>"},
            {"review_title": "", "review_body": "Body without a title here."},
            {"review_title": "Title", "review_body": "short"},
            {"review_title": "!!!", "review_body": "Body long enough here."},
            {"review_title": "t", "review_body": "x" * 20_001},
            {"review_title": "t" * 201, "review_body": "Body long enough here."},
        ]
        for data in cases:
            with self.subTest(data={k: v[:20] for k, v in data.items()}):
                self.assertEqual(self.post(**data).status_code, 400)
        self.assertFalse(DiaryEntry.objects.exists())
        self.assertFalse(Review.objects.exists())

    def test_anonymous_visitors_are_sent_to_log_in_and_unknown_films_are_404(self):
        self.assertEqual(
            self.client.get(reverse("diary:diary-log", args=["nope"])).status_code, 404
        )
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_deleting_a_viewing_keeps_the_rating_and_review(self):
        entry = log(self.fan, self.film, points=8)
        url = reverse("diary:diary-entry-delete", args=[entry.pk])
        self.client.force_login(make_user("other"))
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.fan)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.post(url)
        self.assertFalse(DiaryEntry.objects.exists())
        self.assertEqual(Rating.objects.get().points, 8)


class DiaryPageTests(TestCase):
    def test_entries_are_grouped_by_month_newest_first(self):
        fan = make_user("dee")
        log(fan, make_film(title="January film"), datetime.date(2026, 1, 3))
        log(fan, make_film(title="March film"), datetime.date(2026, 3, 9), liked=True)
        page = self.client.get(reverse("diary:diary", args=["dee"]))
        content = page.content.decode()
        self.assertLess(content.index("March 2026"), content.index("January 2026"))
        self.assertLess(content.index("March film"), content.index("January film"))

    def test_query_count_is_fixed_for_2_or_200_entries(self):
        few, many = make_user("few"), make_user("many")
        for fan, n in [(few, 2), (many, 200)]:
            for i in range(n):
                film = make_film()
                log(fan, film, datetime.date(2025, 1 + i % 12, 1 + i % 28), points=1 + i % 10)
        for fan in (few, many):
            url = reverse("diary:diary", args=[fan.username])
            # fan, count, entries with films and stars, reviews count, chart, diary counts
            with self.subTest(fan=fan.username), self.assertNumQueries(6):
                self.client.get(url)

    def test_unknown_fans_and_hostile_pages_never_500(self):
        make_user("dee")
        self.assertEqual(self.client.get("/fans/nobody/diary/").status_code, 404)
        for page in ["-1", "abc", "9" * 40, "\x00"]:
            with self.subTest(page=page):
                self.assertEqual(
                    self.client.get("/fans/dee/diary/", {"page": page}).status_code, 200
                )
