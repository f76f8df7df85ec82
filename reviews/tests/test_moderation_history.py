"""Hiding and restoring reviews is kept in the history: who did it and when,
and staff can revert a review to an earlier status. Only the status is kept:
a fan's words never go into the history."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from reversion.models import Version

from catalog import history
from catalog.models import Film
from catalog.tests.admin_forms import form_data
from catalog.tests.helpers import make_film
from reviews.models import Review

from .helpers import make_fan_review, make_user


class ModerationHistoryTests(TestCase):
    def setUp(self):
        self.staff = get_user_model().objects.create_superuser("mod", "m@example.com", "pw-x-1234")
        self.film = make_film()
        self.review = make_fan_review(
            self.film, make_user(), points=9, title="Honest", body="My <private> words."
        )
        self.client.force_login(self.staff)

    def hide(self):
        return self.client.post(
            reverse("admin:reviews_review_changelist"),
            {"action": "hide_reviews", ACTION_CHECKBOX_NAME: [self.review.pk]},
            follow=True,
        )

    def test_hiding_is_an_entry_in_the_reviews_history_with_who_did_it(self):
        self.hide()
        response = self.client.get(reverse("admin:reviews_review_history", args=[self.review.pk]))
        self.assertContains(response, "Hidden from the site by staff.")
        self.assertContains(response, "<td>mod</td>", html=True)
        versions = list(history.versions_of(self.review))
        self.assertEqual([v.field_dict["status"] for v in versions], ["hidden", "published"])

    def test_only_the_status_is_kept_never_the_fans_words(self):
        self.hide()
        stored = Version.objects.get_for_model(Review).values_list("serialized_data", flat=True)
        self.assertTrue(stored)
        for data in stored:
            self.assertNotIn("private", data)
            self.assertIn('"status"', data)

    def test_staff_revert_a_hidden_review_and_it_and_its_stars_count_again(self):
        self.hide()
        self.assertEqual(Film.objects.get(pk=self.film.pk).rating_count, 0)
        published = list(history.versions_of(self.review))[-1]
        url = reverse("admin:reviews_review_revision", args=[self.review.pk, published.pk])
        response = self.client.post(url, form_data(self.client.get(url)))
        self.assertEqual(response.status_code, 302)
        review = Review.objects.get(pk=self.review.pk)
        self.assertEqual(review.status, Review.Status.PUBLISHED)
        self.assertEqual((review.title, review.body), ("Honest", "My <private> words."))
        film = Film.objects.get(pk=self.film.pk)
        self.assertEqual((film.rating_count, film.review_count), (1, 1))
        self.client.logout()
        self.assertContains(self.client.get(review.get_absolute_url()), "Honest")
