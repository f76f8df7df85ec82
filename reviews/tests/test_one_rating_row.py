"""A rating is one row: the stars on the film page, on the fan's review, in
the review form and in the admin are all the same Rating, never a copy."""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.test import TestCase
from django.urls import reverse

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import Rating, Review

from .helpers import make_fan_review, make_imported_review, make_user, no_rate_limits


def counters(film):
    film = Film.objects.get(pk=film.pk)
    return film.rating_count, film.rating_sum, film.review_count


@no_rate_limits
class OneRatingRowTests(TestCase):
    def setUp(self):
        self.film = make_film(title="Children of Heaven")
        self.fan = make_user()
        self.client.force_login(self.fan)
        self.rate_url = reverse("reviews:rating-set", args=[self.film.slug])

    def test_changing_the_stars_on_the_film_page_shows_on_the_review_without_writing_it(self):
        review = make_fan_review(self.film, self.fan, points=4)
        rating = Rating.objects.get()
        updated = Review.objects.get(pk=review.pk).updated_at
        self.client.post(self.rate_url, {"points": "9"})
        self.assertEqual(Rating.objects.get().pk, rating.pk)
        self.assertEqual(Review.objects.get(pk=review.pk).updated_at, updated)
        response = self.client.get(review.get_absolute_url())
        self.assertContains(response, "4.5</strong>")
        self.assertEqual(counters(self.film), (1, 9, 1))

    def test_first_stars_from_the_film_page_show_on_a_review_written_without(self):
        review = make_fan_review(self.film, self.fan, points=None)
        self.assertIsNone(Review.objects.get(pk=review.pk).rating)
        self.client.post(self.rate_url, {"points": "7"})
        self.assertEqual(Rating.objects.get().review_id, review.pk)
        self.assertEqual(Review.objects.get(pk=review.pk).rating, 7)

    def test_the_review_forms_stars_change_the_same_rating_row(self):
        services.set_rating(self.fan, self.film, 3)
        rating = Rating.objects.get()
        self.client.post(
            reverse("reviews:review-create", args=[self.film.slug]),
            {"title": "Shoes", "body": "A simple story, told with love.", "rating": "8"},
        )
        review = Review.objects.get()
        self.assertEqual(Rating.objects.get().pk, rating.pk)
        self.assertEqual((rating.pk, 8), (review.rating_row.pk, review.rating))
        self.client.post(
            review.get_edit_url(),
            {"title": "Shoes", "body": "A simple story, told with love.", "rating": "5"},
        )
        self.assertEqual(list(Rating.objects.values_list("pk", "points")), [(rating.pk, 5)])
        self.assertEqual(counters(self.film), (1, 5, 1))

    def test_the_review_form_starts_from_the_stars_given_on_the_film_page(self):
        review = make_fan_review(self.film, self.fan, points=4)
        services.set_rating(self.fan, self.film, 6)
        response = self.client.get(review.get_edit_url())
        self.assertContains(response, 'value="6" id="id_rating_6" checked')

    def test_clearing_the_rating_leaves_the_review_without_stars(self):
        review = make_fan_review(self.film, self.fan, points=6)
        self.client.post(self.rate_url, {"action": "clear"})
        self.assertFalse(Rating.objects.exists())
        review = Review.objects.get(pk=review.pk)
        self.assertIsNone(review.rating)
        response = self.client.get(review.get_absolute_url())
        self.assertNotContains(response, "out of 5 stars")
        self.assertEqual(counters(self.film), (0, 0, 1))

    def test_deleting_the_review_keeps_the_rating(self):
        review = make_fan_review(self.film, self.fan, points=6)
        rating = Rating.objects.get()
        self.client.post(review.get_delete_url())
        self.assertFalse(Review.objects.exists())
        rating.refresh_from_db()
        self.assertEqual((rating.user, rating.points, rating.review), (self.fan, 6, None))
        self.assertEqual(counters(self.film), (1, 6, 0))
        # A new review shows the kept stars again.
        new = make_fan_review(self.film, self.fan, points=6)
        self.assertEqual(Rating.objects.get().review, new)

    def test_an_imported_reviews_rating_goes_with_the_review(self):
        imported = make_imported_review(self.film, rating=10)
        self.assertEqual(counters(self.film), (1, 10, 1))
        services.delete_review(imported)
        self.assertFalse(Rating.objects.exists())
        self.assertEqual(counters(self.film), (0, 0, 0))

    def test_deleting_a_film_takes_its_ratings_and_reviews(self):
        make_fan_review(self.film, self.fan, points=6)
        make_imported_review(self.film, rating=10)
        self.film.delete()
        self.assertFalse(Rating.objects.exists())
        self.assertFalse(Review.objects.exists())

    def test_cached_pages_showing_the_stars_are_forgotten_when_only_the_rating_changes(self):
        review = make_fan_review(self.film, self.fan, points=4)
        ratings_page = reverse("reviews:profile-ratings", args=[self.fan.username])
        pages = [review.get_absolute_url(), ratings_page]
        for url in pages:  # Now cached for everyone.
            self.assertContains(self.client.get(url), "2 out of 5 stars")
        self.client.post(self.rate_url, {"points": "9"})
        for url in pages:
            with self.subTest(url=url, after="change"):
                self.assertContains(self.client.get(url), "4.5 out of 5 stars")
        self.client.post(self.rate_url, {"action": "clear"})
        for url in pages:
            with self.subTest(url=url, after="clear"):
                self.assertNotContains(self.client.get(url), "out of 5 stars")

    def test_the_highest_and_lowest_sorts_read_the_rating_row(self):
        low = make_fan_review(self.film, make_user(), points=2, title="Low")
        make_fan_review(self.film, make_user(), points=6, title="Mid")
        services.set_rating(low.author, self.film, 10)  # From the film page.
        url = reverse("reviews:film-review-list", args=[self.film.slug])
        response = self.client.get(url, {"sort": "highest"})
        self.assertEqual([r.title for r in response.context["reviews"]], ["Low", "Mid"])
        self.assertContains(response, '<span class="rating-figure">5</span>', html=True)


class RatingRowConstraintTests(TestCase):
    def test_imported_reviews_ratings_have_no_user_and_never_collide(self):
        film = make_film()
        make_imported_review(film, rating=10)
        make_imported_review(film, rating=7, author_name="Sam")
        self.assertEqual(
            sorted(Rating.objects.filter(user__isnull=True).values_list("points", flat=True)),
            [7, 10],
        )
        self.assertEqual(counters(film), (2, 17, 2))

    def test_a_rating_needs_a_fan_or_the_review_it_belongs_to(self):
        with self.assertRaises(IntegrityError):
            Rating.objects.create(film=make_film(), points=5)


class AdminStarsTests(TestCase):
    def setUp(self):
        self.staff = get_user_model().objects.create_superuser(
            "staff", "s@example.com", "pw-x-1234"
        )
        self.film = make_film()
        self.client.force_login(self.staff)

    def change(self, review, **data):
        return self.client.post(
            reverse("admin:reviews_review_change", args=[review.pk]),
            {
                "author_name": review.author_name,
                "title": review.title,
                "body": review.body,
                "status": review.status,
                "published_at_0": "2026-01-01",
                "published_at_1": "10:00:00",
                "source": "",
                "reports-TOTAL_FORMS": "0",
                "reports-INITIAL_FORMS": "0",
                **data,
            },
        )

    def test_staff_edit_an_imported_reviews_stars_through_its_rating(self):
        review = make_imported_review(self.film, rating=10)
        rating = Rating.objects.get()
        response = self.client.get(reverse("admin:reviews_review_change", args=[review.pk]))
        self.assertContains(response, '<option value="10" selected>')
        response = self.change(review, points="7")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(Rating.objects.values_list("pk", "points")), [(rating.pk, 7)])
        self.assertEqual(Review.objects.get().rating, 7)
        self.assertEqual(counters(self.film), (1, 7, 1))
        self.change(review, points="")
        self.assertFalse(Rating.objects.exists())
        self.assertEqual(counters(self.film), (0, 0, 1))

    def test_hostile_stars_in_the_admin_are_a_form_error(self):
        review = make_imported_review(self.film, rating=10)
        for value in ["0", "11", "-1", "abc", str(10**30), "５", "\x00"]:
            with self.subTest(value=value):
                response = self.change(review, points=value)
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["adminform"].form.has_error("points"))
        self.assertEqual(Rating.objects.get().points, 10)

    def test_a_fans_stars_show_read_only_and_survive_a_staff_edit(self):
        fan = make_user()
        review = make_fan_review(self.film, fan, points=9)
        response = self.client.get(reverse("admin:reviews_review_change", args=[review.pk]))
        self.assertContains(response, '<div class="readonly">9</div>', html=True)
        self.change(review, points="1", title="Retitled by staff")
        self.assertEqual(Review.objects.get().title, "Retitled by staff")
        self.assertEqual(Rating.objects.get(user=fan).points, 9)

    def test_the_changelist_shows_and_filters_by_the_ratings_points(self):
        make_imported_review(self.film, rating=10, title="Top marks")
        make_imported_review(self.film, rating=3, title="Not for me")
        changelist = reverse("admin:reviews_review_changelist")
        # Session, user, two counts, the page (film, author and rating joined),
        # the filter's choices: the same with any number of reviews.
        with self.assertNumQueries(6):
            response = self.client.get(changelist, {"rating_row__points": "10"})
        self.assertContains(response, "Top marks")
        self.assertNotContains(response, "Not for me")
        response = self.client.get(changelist, {"o": "5"})
        self.assertEqual(response.status_code, 200)

    def test_deleting_ratings_in_the_admin_leaves_their_reviews_without_stars(self):
        fans_review = make_fan_review(self.film, make_user(), points=4)
        imported = make_imported_review(self.film, rating=10)
        services.set_rating(make_user(), self.film, 8)
        changelist = reverse("admin:reviews_rating_changelist")
        with self.assertNumQueries(6):  # Session, user, two counts, page, filter.
            self.assertContains(self.client.get(changelist), "an imported review rates")
        ratings = Rating.objects.filter(review__isnull=False)
        response = self.client.post(
            changelist,
            {
                "action": "delete_selected",
                ACTION_CHECKBOX_NAME: [r.pk for r in ratings],
                "post": "yes",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(Rating.objects.values_list("points", flat=True)), [8])
        self.assertIsNone(Review.objects.get(pk=fans_review.pk).rating)
        self.assertIsNone(Review.objects.get(pk=imported.pk).rating)
        self.assertEqual(counters(self.film), (1, 8, 2))
