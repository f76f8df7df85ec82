"""What a rating POST costs the database.

Eight queries, whatever the fan had before: the session, the user, the
savepoint the service's transaction opens (in a test's own transaction), the
film looked up and locked in one query, the rating written in one upsert,
the histogram in one query, the counters in one UPDATE, and the savepoint's
release. The review count is not recounted when only stars change, and the
pages to forget are marked by the film's slug and the fan's name, which the
request already has, so the commit looks nothing up.

Clearing deletes by the id the lock query read, as the film's slug and the
fan's name it marks for the page cache are at hand, so the commit looks
nothing up (core/page_cache/invalidation.py); the delete then empties the
link of any diary entry that showed these stars (diary.DiaryEntry.rating,
one UPDATE): nine.
"""

from django.test import TestCase
from django.urls import reverse

from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import Rating

from .helpers import PASSWORD, make_fan_review, make_user, no_rate_limits

RATING_POST_QUERIES = 8
JSON = {"accept": "application/json"}


@no_rate_limits
class RatingPostQueryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film()
        for points in (2, 9, 9):
            services.set_rating(make_user(), cls.film, points)
        cls.url = reverse("reviews:rating-set", args=[cls.film.slug])

    def setUp(self):
        self.fan = make_user()
        # A real login: the session is read from the database on each request.
        self.client.login(username=self.fan.username, password=PASSWORD)

    def test_a_rating_post_runs_at_most_eight_queries(self):
        with self.assertNumQueries(RATING_POST_QUERIES):
            response = self.client.post(self.url, {"points": "7"})
        self.assertEqual(response.status_code, 302)
        with self.assertNumQueries(RATING_POST_QUERIES):
            self.client.post(self.url, {"points": "3"})  # A change: the same row.
        self.assertEqual(Rating.objects.get(user=self.fan).points, 3)

    def test_the_star_widgets_json_post_runs_the_same_queries(self):
        with self.assertNumQueries(RATING_POST_QUERIES):
            response = self.client.post(self.url, {"points": "10"}, headers=JSON)
        self.assertEqual(response.json()["points"], 10)
        # The summary shows the counters just written: 2, 9, 9 and 10.
        self.assertIn('<strong class="rating-figure">3.8</strong>', response.json()["summary_html"])
        self.assertIn("4 ratings", response.json()["summary_html"])

    def test_first_stars_on_a_reviewed_film_cost_no_more(self):
        review = make_fan_review(self.film, self.fan, points=None)
        with self.assertNumQueries(RATING_POST_QUERIES):
            self.client.post(self.url, {"points": "6"}, headers=JSON)
        self.assertEqual(Rating.objects.get(user=self.fan).review, review)

    def test_clearing_runs_nine_queries(self):
        services.set_rating(self.fan, self.film, 5)
        with self.assertNumQueries(RATING_POST_QUERIES + 1):
            response = self.client.post(self.url, {"action": "clear"}, headers=JSON)
        self.assertIsNone(response.json()["points"])
        self.assertFalse(Rating.objects.filter(user=self.fan).exists())
