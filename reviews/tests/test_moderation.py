"""Staff hide and restore reviews in the admin; reports show there."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import Rating, Review, ReviewReport

from .helpers import make_fan_review, make_imported_review, make_user


class HideAndRestoreTests(TestCase):
    def setUp(self):
        self.staff = get_user_model().objects.create_superuser(
            "staff", "s@example.com", "pw-x-1234"
        )
        self.film = make_film(title="Children of Heaven")
        self.author = make_user()
        self.review = make_fan_review(
            self.film, self.author, points=9, title="A fan's honest review"
        )
        make_imported_review(self.film, rating=10)
        self.client.force_login(self.staff)
        self.changelist = reverse("admin:reviews_review_changelist")

    def act(self, action, *reviews):
        return self.client.post(
            self.changelist,
            {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in reviews]},
            follow=True,
        )

    def public_pages(self):
        return [
            self.film.get_absolute_url(),
            reverse("reviews:film-review-list", args=[self.film.slug]),
            reverse("reviews:profile", args=[self.author.username]),
            reverse("catalog:home"),
        ]

    def test_hiding_removes_the_review_from_every_page_and_count_at_once(self):
        response = self.act("hide_reviews", self.review)
        self.assertContains(response, "1 review(s) hidden.")
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 10, 1))
        self.client.logout()
        for url in self.public_pages():
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), "A fan&#x27;s honest review")
        self.assertEqual(self.client.get(self.review.get_absolute_url()).status_code, 404)
        # The hidden review's rating left the fan's public ratings too.
        ratings_url = reverse("reviews:profile-ratings", args=[self.author.username])
        self.assertNotContains(self.client.get(ratings_url), "Children of Heaven")

    def test_restoring_brings_it_back(self):
        self.act("hide_reviews", self.review)
        self.act("restore_reviews", self.review)
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (2, 19, 2))
        self.assertEqual(self.client.get(self.review.get_absolute_url()).status_code, 200)

    def test_the_status_filter_lists_hidden_reviews(self):
        self.act("hide_reviews", self.review)
        response = self.client.get(self.changelist, {"status__exact": "hidden"})
        self.assertContains(response, "A fan&#x27;s honest review")
        self.assertContains(response, "1 review")

    def test_changing_status_in_the_form_updates_the_counters(self):
        url = reverse("admin:reviews_review_change", args=[self.review.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        data = {
            "author_name": "",
            "title": self.review.title,
            "body": self.review.body,
            "status": "hidden",
            "published_at_0": "2026-01-01",
            "published_at_1": "10:00:00",
            "source": "",
            "reports-TOTAL_FORMS": "0",
            "reports-INITIAL_FORMS": "0",
        }
        response = self.client.post(url, data)
        self.assertEqual(
            response.status_code,
            302,
            getattr(response, "context", None) and response.context["adminform"].form.errors,
        )
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.review_count), (1, 1))
        # Staff cannot change a fan's stars from the review form.
        self.assertEqual(Rating.objects.get(user=self.author).points, 9)

    def test_deleting_in_the_admin_updates_the_counters(self):
        imported = Review.objects.get(author__isnull=True)
        self.act("delete_selected", imported)
        response = self.client.post(
            self.changelist,
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [imported.pk], "post": "yes"},
        )
        self.assertEqual(response.status_code, 302)
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 9, 1))

    def test_fans_cannot_reach_the_moderation_pages(self):
        self.client.force_login(self.author)
        response = self.act("hide_reviews", self.review)
        self.review.refresh_from_db()
        self.assertEqual(self.review.status, Review.Status.PUBLISHED)
        self.assertIn(reverse("admin:login"), response.redirect_chain[0][0])


class ReportsInAdminTests(TestCase):
    def test_reports_are_listed_and_can_hide_the_review(self):
        staff = get_user_model().objects.create_superuser("staff", "s@example.com", "pw-x-1234")
        review = make_fan_review(make_film(), make_user(), points=4, title="Spammy")
        services.report_review(make_user(), review, "spam", "<b>links</b>")
        self.client.force_login(staff)
        changelist = reverse("admin:reviews_reviewreport_changelist")
        response = self.client.get(changelist, {"resolved__exact": "0"})
        self.assertContains(response, "Spammy")
        self.assertContains(response, "Spam or advertising")
        response = self.client.get(reverse("admin:reviews_review_change", args=[review.pk]))
        self.assertContains(response, "&lt;b&gt;links&lt;/b&gt;")
        report = ReviewReport.objects.get()
        self.client.post(
            changelist,
            {"action": "hide_reported_reviews", ACTION_CHECKBOX_NAME: [report.pk]},
        )
        review.refresh_from_db()
        report.refresh_from_db()
        self.assertEqual(review.status, Review.Status.HIDDEN)
        self.assertTrue(report.resolved)
        self.assertEqual(Film.objects.get(pk=review.film_id).rating_count, 0)


class DeletedAccountTests(TestCase):
    def test_deleting_a_fan_takes_their_ratings_and_reviews_out_of_the_counters(self):
        film = make_film()
        leaving = make_user()
        make_fan_review(film, leaving, points=2)
        other_film = make_film()
        services.set_rating(leaving, other_film, 4)
        staying = make_user()
        services.set_rating(staying, film, 10)
        kept_review = make_fan_review(other_film, staying)
        services.vote_helpful(leaving, kept_review)
        leaving.delete()
        film = Film.objects.get(pk=film.pk)
        self.assertEqual((film.rating_count, film.rating_sum, film.review_count), (1, 10, 0))
        other_film = Film.objects.get(pk=other_film.pk)
        self.assertEqual((other_film.rating_count, other_film.review_count), (0, 1))
        kept_review.refresh_from_db()
        self.assertEqual(kept_review.helpful_count, 0)
