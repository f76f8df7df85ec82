"""Follows, the activity feed, likes and a fan's profile header."""

import datetime

from django.db import IntegrityError, transaction
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from catalog.tests.helpers import make_film
from diary import feed, services
from diary.models import Follow, Like
from reviews import services as review_services
from reviews.tests.helpers import make_fan_review, make_user, no_rate_limits

from .helpers import log, make_list


@no_rate_limits
class FollowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan, cls.star = make_user("fan"), make_user("star")

    def setUp(self):
        self.client.force_login(self.fan)
        self.url = reverse("diary:follow", args=["star"])

    def test_follow_and_unfollow_from_the_profile(self):
        page = self.client.get(reverse("reviews:profile", args=["star"]))
        self.assertContains(page, self.url)
        self.client.post(self.url, {"action": "follow"})
        self.client.post(self.url, {"action": "follow"})
        self.assertEqual(Follow.objects.count(), 1)
        page = self.client.get(reverse("reviews:profile", args=["star"]))
        self.assertContains(page, "(unfollow)")
        self.client.post(self.url, {"action": "unfollow"})
        self.assertFalse(Follow.objects.exists())

    def test_nobody_follows_themselves_even_in_the_database(self):
        self.assertEqual(self.client.post(reverse("diary:follow", args=["fan"])).status_code, 404)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Follow.objects.create(follower=self.fan, followed=self.fan)

    def test_get_unknown_fans_and_hostile_names(self):
        self.assertEqual(self.client.get(self.url).status_code, 405)
        for name in ["nobody", "<script>", "x" * 300]:
            with self.subTest(name=name[:10]):
                response = self.client.post(reverse("diary:follow", args=[name]))
                self.assertEqual(response.status_code, 404)

    @override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS={"follow": (2, 600)})
    def test_follows_are_rate_limited(self):
        statuses = [self.client.post(self.url).status_code for _ in range(3)]
        self.assertEqual(statuses, [302, 302, 429])


@no_rate_limits
class FeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan, cls.star, cls.stranger = make_user("fan"), make_user("star"), make_user("x")
        services.follow(cls.fan, cls.star)

    def setUp(self):
        self.client.force_login(self.fan)

    def test_the_feed_shows_what_followed_fans_did_and_nothing_private(self):
        film = make_film(title="The Wind Will Carry Us")
        make_fan_review(film, self.star, points=8, title="Windy")
        review_services.set_rating(self.star, make_film(title="Rated only"), 6)
        log(self.star, make_film(title="Logged film"), timezone.localdate())
        make_list(self.star, film, title="Open list")
        make_list(self.star, film, title="Hidden list", visibility="private")
        make_list(self.star, film, title="Link list", visibility="unlisted")
        make_fan_review(make_film(), self.stranger, title="Stranger's")
        page = self.client.get(reverse("diary:feed"))
        for text in ["Windy", "Rated only", "Logged film", "Open list"]:
            self.assertContains(page, text)
        for text in ["Hidden list", "Link list", "Stranger's"]:
            self.assertNotContains(page, text)

    def test_the_feed_needs_a_login_and_explains_an_empty_one(self):
        self.client.force_login(self.stranger)
        self.assertContains(self.client.get(reverse("diary:feed")), "You follow nobody yet")
        self.client.logout()
        self.assertEqual(self.client.get(reverse("diary:feed")).status_code, 302)

    def test_query_count_is_fixed_for_2_or_200_items_and_pages_are_bounded(self):
        for n in (2, 200):
            Follow.objects.all().delete()
            star = make_user()
            services.follow(self.fan, star)
            for i in range(n):
                review_services.set_rating(star, make_film(), 1 + i % 10)
            # session, user, following count, ratings, reviews, diary, lists
            with self.subTest(n=n), self.assertNumQueries(7):
                page = self.client.get(reverse("diary:feed"))
            self.assertEqual(len(page.context["feed"].items), min(n, feed.PAGE_SIZE))
        for raw in ["2", "999999", "-1", "abc", "\x00"]:
            with self.subTest(page=raw):
                self.assertEqual(
                    self.client.get(reverse("diary:feed"), {"page": raw}).status_code, 200
                )
        last = self.client.get(reverse("diary:feed"), {"page": "10"}).context["feed"]
        self.assertEqual(last.number, feed.MAX_PAGES)
        self.assertFalse(last.has_next)


@no_rate_limits
class LikeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.fan, cls.author = make_user("fan"), make_user("author")
        cls.review = make_fan_review(make_film(), cls.author, points=6)
        cls.film_list = make_list(cls.author, make_film())

    def setUp(self):
        self.client.force_login(self.fan)

    def test_one_like_per_fan_on_reviews_and_lists(self):
        for _ in range(2):
            self.client.post(reverse("diary:review-like", args=[self.review.pk]))
            self.client.post(reverse("diary:list-like", args=[self.film_list.token]))
        self.assertEqual(Like.objects.count(), 2)
        self.film_list.refresh_from_db()
        self.assertEqual(self.film_list.like_count, 1)
        self.assertContains(self.client.get(self.review.get_absolute_url()), "1 like")
        self.client.post(
            reverse("diary:list-like", args=[self.film_list.token]), {"action": "unlike"}
        )
        self.film_list.refresh_from_db()
        self.assertEqual(self.film_list.like_count, 0)

    def test_the_database_refuses_a_second_like_or_a_like_of_nothing(self):
        Like.objects.create(user=self.fan, review=self.review)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Like.objects.create(user=self.fan, review=self.review)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Like.objects.create(user=self.fan)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Like.objects.create(user=self.fan, review=self.review, film_list=self.film_list)

    def test_nobody_likes_their_own_and_hidden_reviews_are_404(self):
        self.client.force_login(self.author)
        self.assertEqual(
            self.client.post(reverse("diary:review-like", args=[self.review.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("diary:list-like", args=[self.film_list.token])).status_code,
            404,
        )
        self.client.force_login(self.fan)
        review_services.set_review_status(type(self.review).objects.all(), "hidden")
        self.assertEqual(
            self.client.post(reverse("diary:review-like", args=[self.review.pk])).status_code, 404
        )

    @override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS={"like": (1, 60)})
    def test_likes_are_rate_limited(self):
        url = reverse("diary:review-like", args=[self.review.pk])
        self.assertEqual([self.client.post(url).status_code for _ in range(2)], [302, 429])


class ProfileHeaderTests(TestCase):
    def test_counts_and_a_rating_chart_with_a_text_alternative(self):
        fan = make_user("cinephile")
        this_year = timezone.localdate()
        for _ in range(3):
            log(fan, make_film(), this_year, points=10)
        log(fan, make_film(), datetime.date(2001, 5, 5), points=3)
        review_services.set_rating(fan, make_film(), 3)  # Rated, never logged.
        make_list(fan, make_film())
        make_list(fan, make_film(), visibility="private")
        services.follow(make_user(), fan)
        page = self.client.get(reverse("reviews:profile", args=["cinephile"]))
        counts = {label: n for label, n, _ in page.context["profile"].counts}
        self.assertEqual(counts["Films watched"], 5)
        self.assertEqual(counts[f"This year ({this_year.year})"], 3)
        self.assertEqual(counts["Lists"], 1)
        self.assertEqual(counts["Followers"], 1)
        self.assertEqual(counts["Following"], 0)
        self.assertContains(page, '<svg role="img"')
        self.assertContains(page, "cinephile's 5 ratings: 0.5 stars, 0; 1 star, 0; 1.5 stars, 2;")
        self.assertContains(page, "5 stars, 3.")

    def test_profile_query_count_is_fixed_for_2_or_200_of_everything(self):
        for username, n in [("few", 2), ("many", 200)]:
            fan = make_user(username)
            for i in range(n):
                film = make_film()
                log(fan, film, datetime.date(2025, 1, 1 + i % 28), points=1 + i % 10)
        for username in ("few", "many"):
            # fan, the header's reviews count (the paginator's too: no page
            # of reviews, as there are none), the diary app's counts, the chart
            with self.subTest(username=username), self.assertNumQueries(4):
                self.client.get(reverse("reviews:profile", args=[username]))
