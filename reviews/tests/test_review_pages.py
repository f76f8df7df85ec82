from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from catalog.tests.helpers import make_film
from reviews.models import Review
from reviews.tests.helpers import make_imported_review


class ReviewDetailPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = make_film(title="Reviewed film")
        cls.review = make_imported_review(
            cls.film, rating=9, body="First paragraph.\n\nSecond paragraph."
        )

    def test_shows_title_rating_as_stars_and_points_author_and_paragraphs(self):
        response = self.client.get(self.review.get_absolute_url())
        self.assertContains(response, "<h1", count=1)
        self.assertContains(response, 'aria-label="4.5 out of 5 stars"')
        self.assertContains(response, '<strong class="review__points rating-figure">4.5</strong>')
        self.assertContains(response, "<p>First paragraph.</p>", html=True)
        self.assertContains(response, "<p>Second paragraph.</p>", html=True)

    def test_hostile_text_is_shown_as_text(self):
        review = make_imported_review(
            self.film,
            title="<script>alert('t')</script>",
            body="<b>bold</b>\n\n<iframe src=//evil>",
            author_name="<img src=x onerror=alert(1)>",
        )
        response = self.client.get(review.get_absolute_url())
        for raw in ["<script>alert", "<b>bold</b>", "<iframe", "<img src=x"]:
            self.assertNotContains(response, raw)
        self.assertContains(response, "&lt;iframe src=//evil&gt;")

    def test_hidden_and_unknown_reviews_are_404(self):
        hidden = make_imported_review(self.film, status=Review.Status.HIDDEN)
        self.assertEqual(self.client.get(hidden.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.get("/reviews/999999/").status_code, 404)
        self.assertEqual(self.client.get("/reviews/99999999999999999999999/").status_code, 404)

    def test_spoilers_are_folded(self):
        review = make_imported_review(self.film, is_spoiler=True)
        self.assertContains(self.client.get(review.get_absolute_url()), "<details")

    def test_anonymous_visitors_get_it_in_one_query(self):
        with self.assertNumQueries(1):
            self.assertEqual(self.client.get(self.review.get_absolute_url()).status_code, 200)

    def test_logged_in_visitors_see_it_too_in_fixed_queries(self):
        self.client.force_login(get_user_model().objects.create_user("fan"))
        # Review, session, user, whether this fan found it helpful, and the
        # review's likes with this fan's (diary app).
        with self.assertNumQueries(5):
            self.assertEqual(self.client.get(self.review.get_absolute_url()).status_code, 200)


class FilmReviewListPageTests(TestCase):
    def test_lists_published_reviews_newest_first_in_fixed_queries(self):
        film = make_film()
        for i in range(15):
            make_imported_review(film, title=f"Review {i}")
        make_imported_review(film, title="Hidden one", status=Review.Status.HIDDEN)
        # Film (with its rating distribution), count, page of reviews.
        with self.assertNumQueries(3):
            response = self.client.get(reverse("reviews:film-review-list", args=[film.slug]))
        self.assertEqual(response.context["paginator"].count, 15)
        self.assertNotContains(response, "Hidden one")
        self.assertContains(response, "Review 14")

    def test_unknown_film_is_404(self):
        url = reverse("reviews:film-review-list", args=["nope"])
        self.assertEqual(self.client.get(url).status_code, 404)
