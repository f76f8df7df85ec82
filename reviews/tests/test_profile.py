"""A fan's public pages: their reviews and their ratings."""

from django.test import TestCase
from django.urls import reverse

from catalog.tests.helpers import make_film
from reviews import services
from reviews.tests.helpers import make_fan_review, make_user


class ProfileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("ollie_fan")
        for i in range(25):
            film = make_film(title=f"Film {i}")
            services.set_rating(cls.fan, film, 1 + i % 10)
            if i < 12:
                make_fan_review(film, cls.fan, points=1 + i % 10, title=f"Review {i}")

    def test_reviews_page_lists_the_fans_reviews_paginated_in_fixed_queries(self):
        url = reverse("reviews:profile", args=["ollie_fan"])
        # Fan, page of reviews with films, and the header: reviews count
        # (the paginator's too), rating chart, the diary app's counts.
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertContains(response, "<h1", count=1)
        self.assertContains(response, 'Reviews <span class="muted">(12)</span>', html=True)
        self.assertContains(response, "Review 11")

    def test_ratings_page_lists_ratings_paginated_in_fixed_queries(self):
        url = reverse("reviews:profile-ratings", args=["ollie_fan"])
        # The rating chart counts the ratings for the paginator too.
        with self.assertNumQueries(5):
            response = self.client.get(url)
        self.assertEqual(len(response.context["ratings"]), 20)
        response = self.client.get(url, {"page": "2"})
        self.assertEqual(len(response.context["ratings"]), 5)
        for page in ["-1", "abc", "999999999999"]:
            with self.subTest(page=page):
                self.assertEqual(self.client.get(url, {"page": page}).status_code, 200)

    def test_unknown_and_inactive_fans_are_404(self):
        make_user("gone", is_active=False)
        for username in ["nobody", "gone", "<script>"]:
            with self.subTest(username=username):
                url = reverse("reviews:profile", args=[username])
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_review_cards_link_to_the_authors_profile(self):
        film = make_film()
        make_fan_review(film, self.fan, title="Linked")
        response = self.client.get(reverse("reviews:film-review-list", args=[film.slug]))
        self.assertContains(response, reverse("reviews:profile", args=["ollie_fan"]))
