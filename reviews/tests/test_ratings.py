"""Star ratings: the constraint, the counters, the widget with and without JS."""

import json

from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse

from catalog.models import Film
from catalog.pages import RatingSummary
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import Rating, Review

from .helpers import (
    PASSWORD,
    make_fan_review,
    make_imported_review,
    make_user,
    no_rate_limits,
)


def counters(film):
    film = Film.objects.get(pk=film.pk)
    return film.rating_count, film.rating_sum, film.review_count


def histogram(film):
    """{points: how many} of the film's stored distribution, zero steps left out."""
    stored = Film.objects.get(pk=film.pk).rating_histogram
    return {points: n for points, n in enumerate(stored, start=1) if n}


class RatingConstraintTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film()
        cls.fan = make_user()

    def test_a_fan_has_one_rating_per_film_in_the_database(self):
        Rating.objects.create(film=self.film, user=self.fan, points=4)
        with self.assertRaises(IntegrityError):
            Rating.objects.create(film=self.film, user=self.fan, points=6)

    def test_points_outside_one_to_ten_are_refused_by_the_database(self):
        for points in (0, 11, 1000):
            fan = make_user()
            with self.subTest(points=points), self.assertRaises(IntegrityError):
                with transaction.atomic():
                    Rating.objects.create(film=self.film, user=fan, points=points)

    def test_the_service_refuses_points_outside_the_range_too(self):
        with self.assertRaises(ValueError):
            services.set_rating(self.fan, self.film, 0)


class RatingCounterTests(TestCase):
    def setUp(self):
        self.film = make_film()
        self.fan = make_user()

    def test_rating_changing_and_clearing_keep_counters_exact(self):
        services.set_rating(self.fan, self.film, 7)
        self.assertEqual(counters(self.film), (1, 7, 0))
        services.set_rating(self.fan, self.film, 9)
        self.assertEqual(counters(self.film), (1, 9, 0))
        services.set_rating(make_user(), self.film, 2)
        self.assertEqual(counters(self.film), (2, 11, 0))
        services.clear_rating(self.fan, self.film)
        self.assertEqual(counters(self.film), (1, 2, 0))
        services.clear_rating(self.fan, self.film)  # Clearing twice is harmless.
        self.assertEqual(counters(self.film), (1, 2, 0))

    def test_a_review_rating_is_the_fans_rating_counted_once(self):
        services.set_rating(self.fan, self.film, 6)
        review = make_fan_review(self.film, self.fan, points=8)
        self.assertEqual(Rating.objects.get(film=self.film, user=self.fan).points, 8)
        self.assertEqual(counters(self.film), (1, 8, 1))
        # Changing the stars on the film page changes the review's stars.
        services.set_rating(self.fan, self.film, 3)
        review.refresh_from_db()
        self.assertEqual(review.rating, 3)
        self.assertEqual(counters(self.film), (1, 3, 1))
        services.clear_rating(self.fan, self.film)
        review.refresh_from_db()
        self.assertIsNone(review.rating)
        self.assertEqual(counters(self.film), (0, 0, 1))

    def test_imported_reviews_ratings_count_once_alongside_fans(self):
        make_imported_review(self.film, rating=10)
        self.assertEqual(counters(self.film), (1, 10, 1))
        services.set_rating(self.fan, self.film, 9)
        self.assertEqual(counters(self.film), (2, 19, 1))
        self.assertEqual(Film.objects.get(pk=self.film.pk).rating_average, 9.5)

    def test_hiding_a_review_removes_its_rating_and_restoring_brings_it_back(self):
        review = make_fan_review(self.film, self.fan, points=2)
        make_imported_review(self.film, rating=10)
        services.set_rating(make_user(), self.film, 8)
        self.assertEqual(counters(self.film), (3, 20, 2))
        self.assertEqual(histogram(self.film), {2: 1, 8: 1, 10: 1})
        services.set_review_status(Review.objects.filter(pk=review.pk), Review.Status.HIDDEN)
        self.assertEqual(counters(self.film), (2, 18, 1))
        self.assertEqual(histogram(self.film), {8: 1, 10: 1})
        services.set_review_status(Review.objects.filter(pk=review.pk), Review.Status.PUBLISHED)
        self.assertEqual(counters(self.film), (3, 20, 2))
        services.set_review_status(Review.objects.filter(author__isnull=True), Review.Status.HIDDEN)
        self.assertEqual(counters(self.film), (2, 10, 1))
        self.assertEqual(histogram(self.film), {2: 1, 8: 1})

    def test_deleting_a_review_keeps_the_fans_rating(self):
        review = make_fan_review(self.film, self.fan, points=5)
        services.delete_review(review)
        self.assertEqual(counters(self.film), (1, 5, 0))

    def test_the_seed_films_imported_ten_counts_once(self):
        from django.core.management import call_command

        call_command("seed_catalogue", verbosity=0)
        film = Film.objects.get(slug="children-of-heaven-1997")
        before = counters(film), histogram(film)
        services.refresh_film_counters(film.pk)
        self.assertEqual((counters(film), histogram(film)), before)
        self.assertEqual(before[0][:2], (1, 10))
        self.assertEqual(before[1], {10: 1})


class RatingSummaryTests(TestCase):
    def test_distribution_counts_each_step_without_a_query(self):
        film = make_film()
        for points in (10, 10, 9, 1):
            services.set_rating(make_user(), film, points)
        make_imported_review(film, rating=10)
        film.refresh_from_db()
        # The film row carries the distribution, kept with its counters.
        with self.assertNumQueries(0):
            summary = RatingSummary.for_film(film)
        steps = {points: count for points, count, _ in summary.steps}
        self.assertEqual(steps, {10: 3, 9: 1, 8: 0, 7: 0, 6: 0, 5: 0, 4: 0, 3: 0, 2: 0, 1: 1})
        self.assertEqual([p for p, _, _ in summary.steps], list(range(10, 0, -1)))
        self.assertEqual(summary.steps[0][2], 100)  # The largest step is the full bar.
        self.assertEqual(summary.count, 5)

    def test_film_page_shows_average_count_and_distribution_as_text(self):
        film = make_film()
        services.set_rating(make_user(), film, 9)
        services.set_rating(make_user(), film, 8)
        response = self.client.get(film.get_absolute_url())
        # 8.5/2 = 4.25
        self.assertContains(response, '<strong class="rating-figure">4.3</strong>', html=True)
        self.assertContains(response, "2 ratings")
        self.assertContains(response, "How many fans gave each rating")
        self.assertNotContains(response, "No ratings yet")

    def test_film_page_without_ratings_says_so(self):
        response = self.client.get(make_film().get_absolute_url())
        self.assertContains(response, "No ratings yet")
        self.assertContains(response, "Log in to rate")


@no_rate_limits
class RatingViewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Children of Heaven")
        cls.url = reverse("reviews:rating-set", args=[cls.film.slug])

    def setUp(self):
        self.fan = make_user()
        self.client.force_login(self.fan)

    def test_without_javascript_a_post_saves_and_redirects_back_to_the_stars(self):
        response = self.client.post(self.url, {"points": "9", "action": "save"})
        self.assertRedirects(
            response,
            self.film.get_absolute_url() + "#your-rating",
            fetch_redirect_response=False,
        )
        response = self.client.get(response["Location"])
        self.assertContains(response, 'id="your-rating"')
        self.assertContains(response, "Saved: you rated it 4.5 out of 5.")
        self.assertContains(response, "You rated it 4.5 out of 5.")
        # The fan's own rating is the checked radio.
        self.assertContains(response, 'value="9" required id="id_rating_points_8" checked')
        self.assertEqual(counters(self.film), (1, 9, 0))

    def test_with_javascript_the_answer_is_json_with_the_new_summary(self):
        response = self.client.post(
            self.url, {"points": "7"}, headers={"accept": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        body = json.loads(response.content)
        self.assertEqual(body["points"], 7)
        self.assertIn("3.5", body["summary_html"])
        self.assertIn('id="site-rating"', body["summary_html"])
        self.assertEqual(body["message"], "Saved: you rated it 3.5 out of 5.")

    def test_clear_removes_the_rating(self):
        services.set_rating(self.fan, self.film, 4)
        response = self.client.post(self.url, {"action": "clear"})
        self.assertRedirects(
            response,
            self.film.get_absolute_url() + "#your-rating",
            fetch_redirect_response=False,
        )
        self.assertFalse(Rating.objects.filter(user=self.fan).exists())
        body = json.loads(
            self.client.post(
                self.url, {"action": "clear"}, headers={"accept": "application/json"}
            ).content
        )
        self.assertIsNone(body["points"])
        self.assertIn("No ratings yet", body["summary_html"])

    def test_hostile_points_are_a_form_error_not_a_500(self):
        values = ["0", "11", "-1", "4.5", "abc", "", str(10**30), "５", "\x00", "9\x00", "<script>"]
        for value in values:
            with self.subTest(value=value):
                response = self.client.post(self.url, {"points": value})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "errorlist", status_code=400)
                self.assertNotContains(response, "<script>", status_code=400)
        response = self.client.post(self.url, {})
        self.assertContains(response, "Choose from half a star", status_code=400)
        for value in values:
            with self.subTest(value=value, accept="json"):
                response = self.client.post(
                    self.url, {"points": value}, headers={"accept": "application/json"}
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("error", json.loads(response.content))
        self.assertFalse(Rating.objects.exists())

    def test_get_shows_the_widget_on_its_own_page(self):
        services.set_rating(self.fan, self.film, 2)
        response = self.client.get(self.url)
        self.assertContains(response, "<legend>Your rating:</legend>", html=True)
        self.assertContains(response, "Rate 3.5 out of 5")
        self.assertContains(response, 'value="2" required id="id_points_1" checked')

    def test_log_in_to_rate_comes_back_to_the_films_stars(self):
        self.client.logout()
        film_page = self.client.get(self.film.get_absolute_url()).content.decode()
        next_url = self.film.get_absolute_url() + "#your-rating"
        self.assertIn(f"?next={self.film.get_absolute_url()}%23your-rating", film_page)
        response = self.client.post(
            reverse("accounts:login"),
            {"username": self.fan.username, "password": PASSWORD, "next": next_url},
        )
        self.assertRedirects(response, next_url, fetch_redirect_response=False)

    def test_anonymous_visitors_are_sent_to_log_in(self):
        self.client.logout()
        response = self.client.post(self.url, {"points": "9"})
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={self.url}", fetch_redirect_response=False
        )
        self.assertFalse(Rating.objects.exists())

    def test_unknown_film_is_404(self):
        url = reverse("reviews:rating-set", args=["no-such-film"])
        self.assertEqual(self.client.post(url, {"points": "9"}).status_code, 404)

    def test_csrf_is_required(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.fan)
        self.assertEqual(client.post(self.url, {"points": "9"}).status_code, 403)

    def test_film_page_runs_fixed_queries_for_a_fan(self):
        services.set_rating(self.fan, self.film, 6)
        for _ in range(20):
            services.set_rating(make_user(), self.film, 3)
        # The film page's own queries for a film without stills, credits or
        # reviews (the film; its lists in one, "also liked" and "In N
        # public lists" among them), plus session, user, the fan's own
        # rating and whether the film is on their watchlist; the same with
        # 21 ratings as with one.
        with self.assertNumQueries(6):
            response = self.client.get(self.film.get_absolute_url())
        self.assertContains(response, "You rated it 3 out of 5.")
        # Cached, the page's own queries are gone; the fan's parts remain.
        with self.assertNumQueries(4):
            response = self.client.get(self.film.get_absolute_url())
        self.assertContains(response, "You rated it 3 out of 5.")
        self.assertContains(response, "Clear my rating")
