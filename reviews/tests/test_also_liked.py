""" "Fans who liked this also liked": computed by one command from fans' likes
(ratings of 3.5 stars or more), the top ten per film, nothing below the
threshold of fans in common, shown on the film page in one query."""

import io

from django.core.management import call_command
from django.test import TestCase

from catalog.pages import FILM_PAGE_LISTS
from catalog.tests.helpers import make_film
from reviews import also_liked, services
from reviews.also_liked import LIKED_POINTS, MIN_FANS_IN_COMMON, TOP_N
from reviews.models import AlsoLiked, Rating, Review

from .helpers import make_fan_review, make_user


def like(fans, *films, points=LIKED_POINTS):
    for fan in fans:
        for film in films:
            services.set_rating(fan, film, points)


class AlsoLikedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fans = [make_user() for _ in range(MIN_FANS_IN_COMMON + 3)]
        cls.film = make_film(title="Children of Heaven")
        cls.paradise = make_film(title="The Colour of Paradise")
        cls.baran = make_film(title="Baran")

    def compute(self):
        with self.captureOnCommitCallbacks(execute=True):
            call_command("compute_also_liked", stdout=io.StringIO())

    def listed(self, film):
        return list(
            AlsoLiked.objects.filter(film=film).order_by("rank").values_list("other", flat=True)
        )

    def test_films_liked_by_enough_of_the_same_fans_are_listed_both_ways(self):
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, self.paradise)
        self.compute()
        self.assertEqual(self.listed(self.film), [self.paradise.pk])
        self.assertEqual(self.listed(self.paradise), [self.film.pk])
        row = AlsoLiked.objects.get(film=self.film)
        self.assertEqual((row.rank, row.fans, row.similarity), (1, MIN_FANS_IN_COMMON, 1.0))

    def test_one_fan_short_of_the_threshold_shows_nothing(self):
        like(self.fans[: MIN_FANS_IN_COMMON - 1], self.film, self.paradise)
        self.compute()
        self.assertEqual(AlsoLiked.objects.count(), 0)
        response = self.client.get(self.film.get_absolute_url())
        self.assertNotContains(response, "Fans who liked this also liked")

    def test_ratings_under_three_and_a_half_stars_are_not_likes(self):
        like(self.fans[:MIN_FANS_IN_COMMON], self.film)
        like(self.fans[:MIN_FANS_IN_COMMON], self.paradise, points=LIKED_POINTS - 1)
        self.compute()
        self.assertEqual(AlsoLiked.objects.count(), 0)

    def test_fans_in_common_weigh_against_how_widely_each_film_is_liked(self):
        # Baran is liked by the same five fans and three more; The Colour of
        # Paradise by the same five only: it is the closer match.
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, self.paradise)
        like(self.fans, self.baran)
        self.compute()
        self.assertEqual(self.listed(self.film), [self.paradise.pk, self.baran.pk])
        baran = AlsoLiked.objects.get(film=self.film, other=self.baran)
        self.assertAlmostEqual(baran.similarity, 5 / (5 * 8) ** 0.5)

    def test_each_film_keeps_its_top_ten(self):
        others = [make_film() for _ in range(TOP_N + 2)]
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, *others)
        self.compute()
        self.assertEqual(len(self.listed(self.film)), TOP_N)
        self.assertEqual(
            list(AlsoLiked.objects.filter(film=self.film).values_list("rank", flat=True)),
            list(range(1, TOP_N + 1)),
        )

    def test_running_again_replaces_the_lists(self):
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, self.paradise)
        self.compute()
        Rating.objects.filter(film=self.paradise).delete()
        like(self.fans[:MIN_FANS_IN_COMMON], self.baran)
        self.compute()
        self.assertEqual(self.listed(self.film), [self.baran.pk])

    def test_ratings_shown_on_reviews_staff_hid_do_not_count(self):
        like(self.fans[: MIN_FANS_IN_COMMON - 1], self.film, self.paradise)
        spammer = self.fans[-1]
        like([spammer], self.paradise)
        review = make_fan_review(self.film, spammer, points=10)
        services.set_review_status(Review.objects.filter(pk=review.pk), "hidden")
        self.compute()
        self.assertEqual(AlsoLiked.objects.count(), 0)

    def test_the_film_page_shows_the_list_and_the_threshold_once_computed(self):
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, self.paradise)
        url = self.film.get_absolute_url()
        self.assertNotContains(self.client.get(url), "Fans who liked this also liked")
        self.compute()  # Its commit retires the cached page.
        response = self.client.get(url)
        self.assertContains(response, "Fans who liked this also liked")
        self.assertContains(response, f"at least {MIN_FANS_IN_COMMON} of the same fans")
        self.assertContains(response, self.paradise.get_absolute_url())

    def test_a_listed_film_renamed_refreshes_the_pages_listing_it(self):
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, self.paradise)
        self.compute()
        self.client.get(self.film.get_absolute_url())
        with self.captureOnCommitCallbacks(execute=True):
            self.paradise.title = "Rang-e Khoda"
            self.paradise.save()
        self.assertContains(self.client.get(self.film.get_absolute_url()), "Rang-e Khoda")

    def test_the_list_comes_in_the_pages_query_of_lists_whatever_its_length(self):
        others = [make_film() for _ in range(TOP_N)]
        like(self.fans[:MIN_FANS_IN_COMMON], self.film, *others)
        self.compute()
        with self.assertNumQueries(1):
            fetched = FILM_PAGE_LISTS.fetch(self.film)["also_liked"]
        with self.assertNumQueries(0):
            section = also_liked.also_liked_section(self.film, also_liked=fetched)
        self.assertEqual(len(section.context["films"]), TOP_N)
        # In rank order, as the table reads them.
        expected = AlsoLiked.objects.filter(film=self.film).order_by("rank")
        self.assertEqual(
            [(film.pk, film.title, film.slug, film.year) for film in section.context["films"]],
            [(row.other.pk, row.other.title, row.other.slug, row.other.year) for row in expected],
        )
        empty = FILM_PAGE_LISTS.fetch(self.paradise)["also_liked"]
        self.assertIsNone(also_liked.also_liked_section(self.paradise, also_liked=empty))


class LikeSourcesTests(TestCase):
    """Apps above reviews add their own likes (diary hearts); a fan who
    both rated and hearted a film counts once."""

    def test_a_registered_source_adds_likes_and_duplicates_count_once(self):
        from django.db.models import F

        fans = [make_user() for _ in range(MIN_FANS_IN_COMMON)]
        film, other = make_film(), make_film()
        like(fans, film)
        like(fans, other, points=LIKED_POINTS - 2)  # Not likes as ratings...

        def lukewarm_ratings_of_other():  # ...but liked through another source.
            return (
                Rating.objects.filter(film=other)
                .order_by()
                .values("user_id", "film_id", liked_at=F("created_at"))
            )

        def film_again():
            return (
                Rating.objects.filter(film=film)
                .order_by()
                .values("user_id", "film_id", liked_at=F("created_at"))
            )

        also_liked.register_like_source(lukewarm_ratings_of_other)
        also_liked.register_like_source(film_again)
        try:
            also_liked.compute()
        finally:
            also_liked._like_sources.remove(lukewarm_ratings_of_other)
            also_liked._like_sources.remove(film_again)
        row = AlsoLiked.objects.get(film=film)
        self.assertEqual((row.other_id, row.fans, row.similarity), (other.pk, 5, 1.0))
