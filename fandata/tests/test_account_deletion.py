"""A fan deletes their own account: a confirmation page, their password,
and their choice for their reviews; films' counters stay exact and cached
pages forget them."""

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import reverse

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import HelpfulVote, Rating, Review, ReviewReport
from reviews.services import DELETED_FAN_NAME
from reviews.tests.helpers import PASSWORD, make_fan_review, make_user, no_rate_limits

URL = reverse("fandata:account-delete")


def counters(film):
    film = Film.objects.get(pk=film.pk)
    return film.rating_count, film.rating_sum, film.rating_histogram, film.review_count


def recomputed(film):
    """What the counters should be, from the rows."""
    ratings = Rating.objects.counted().filter(film=film)
    histogram = [ratings.filter(points=p).count() for p in range(1, 11)]
    return (
        sum(histogram),
        sum(p * n for p, n in enumerate(histogram, 1)),
        histogram,
        Review.objects.published().filter(film=film).count(),
    )


@no_rate_limits
class AccountDeletionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan = make_user("leaving")
        cls.other = make_user("staying")
        cls.film = make_film(title="Children of Heaven")
        cls.second = make_film(title="Baran")
        cls.review = make_fan_review(cls.film, cls.fan, points=9, title="Shoes")
        services.set_rating(cls.fan, cls.second, 4)
        services.set_rating(cls.other, cls.film, 6)
        cls.others_review = make_fan_review(cls.second, cls.other, points=8, title="Rain")
        services.vote_helpful(cls.fan, cls.others_review)
        services.report_review(cls.fan, cls.others_review, "spam")

    def setUp(self):
        self.client.force_login(self.fan)

    def delete(self, reviews="keep", password=PASSWORD):
        return self.client.post(URL, {"reviews": reviews, "password": password})

    def test_anonymous_visitors_are_sent_to_log_in(self):
        self.client.logout()
        response = self.client.get(URL)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={URL}")

    def test_the_page_asks_for_the_choice_and_the_password_in_fixed_queries(self):
        with self.assertNumQueries(2):  # session, user
            response = self.client.get(URL)
        self.assertContains(response, "cannot be undone")
        self.assertContains(response, 'name="reviews"', count=2)
        self.assertContains(response, 'autocomplete="current-password"')

    def test_the_wrong_password_deletes_nothing(self):
        response = self.delete(password="not-my-password")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "That is not your password.", status_code=400)
        self.assertTrue(get_user_model().objects.filter(pk=self.fan.pk).exists())

    def test_the_fan_must_choose_what_becomes_of_their_reviews(self):
        for value in ["", "zzz", "keep\x00", "9" * 10_000]:
            with self.subTest(reviews=value[:10]):
                response = self.delete(reviews=value)
                self.assertEqual(response.status_code, 400)
        self.assertTrue(get_user_model().objects.filter(pk=self.fan.pk).exists())

    def test_absurd_passwords_are_form_errors(self):
        for value in ["", "x" * 100_000, "\x00"]:
            with self.subTest(length=len(value)):
                self.assertEqual(self.delete(password=value).status_code, 400)

    def test_kept_reviews_stay_with_their_stars_signed_deleted_fan(self):
        before = counters(self.film)
        response = self.delete("keep")
        self.assertRedirects(response, reverse("catalog:home"))
        self.assertFalse(get_user_model().objects.filter(pk=self.fan.pk).exists())
        review = Review.objects.get(pk=self.review.pk)
        self.assertEqual((review.author, review.author_name), (None, DELETED_FAN_NAME))
        self.assertEqual(review.rating, 9)
        # The review's stars still count; the rating of Baran is gone.
        self.assertEqual(counters(self.film), before)
        self.assertEqual(counters(self.film), recomputed(self.film))
        self.assertEqual(counters(self.second), recomputed(self.second))
        self.assertEqual(counters(self.second)[0], 1)  # The other fan's 8.
        page = self.client.get(self.review.get_absolute_url())
        self.assertContains(page, DELETED_FAN_NAME)
        self.assertNotContains(page, "leaving")

    def test_deleted_reviews_leave_the_counters_too(self):
        self.delete("delete")
        self.assertFalse(Review.objects.filter(pk=self.review.pk).exists())
        self.assertFalse(
            Rating.objects.filter(film__in=[self.film, self.second], points__in=[9, 4]).exists()
        )
        self.assertEqual(counters(self.film), recomputed(self.film))
        self.assertEqual(counters(self.film)[:2], (1, 6))
        self.assertEqual(counters(self.second), recomputed(self.second))

    def test_their_helpful_votes_and_reports_go_and_are_uncounted(self):
        self.delete("delete")
        self.assertEqual(Review.objects.get(pk=self.others_review.pk).helpful_count, 0)
        self.assertFalse(HelpfulVote.objects.exists())
        self.assertFalse(ReviewReport.objects.exists())

    def test_the_fan_is_logged_out_and_their_pages_are_gone(self):
        profile = reverse("reviews:profile", args=["leaving"])
        self.assertEqual(self.client.get(profile).status_code, 200)
        self.delete("keep")
        home = self.client.get(reverse("catalog:home"))
        self.assertContains(home, "Your account is deleted.")
        self.assertFalse(home.wsgi_request.user.is_authenticated)
        self.assertEqual(self.client.get(profile).status_code, 404)

    def test_cached_film_pages_forget_the_fans_name(self):
        url = self.film.get_absolute_url()
        self.assertContains(self.client.get(url), "leaving")
        self.delete("keep")
        response = self.client.get(url)
        self.assertNotContains(response, ">leaving<")
        self.assertContains(response, DELETED_FAN_NAME)

    def test_other_fans_rows_are_untouched(self):
        self.delete("delete")
        self.assertEqual(Rating.objects.get(user=self.other, film=self.film).points, 6)
        self.assertTrue(Review.objects.filter(pk=self.others_review.pk).exists())


class AccountDeletionRateLimitTests(TestCase):
    @override_settings(RATE_LIMITS={"account-delete": (3, 3600)})
    def test_password_guesses_are_rate_limited(self):
        fan = make_user()
        self.client.force_login(fan)
        statuses = [
            self.client.post(URL, {"reviews": "keep", "password": f"guess-{n}"}).status_code
            for n in range(4)
        ]
        self.assertEqual(statuses, [400, 400, 400, 429])
