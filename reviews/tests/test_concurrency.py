"""Parallel writers: the film's counters stay exact, no vote is lost.

Each thread has its own database connection to a database file (see
DATABASES["default"]["TEST"] in settings), so writers really contend for the
write lock the way gunicorn workers do.
"""

import threading

from django.db import connection
from django.test import TransactionTestCase
from django.urls import reverse

from catalog.models import Film
from catalog.tests.helpers import make_film
from reviews import services
from reviews.models import HelpfulVote, Rating, Review

from .helpers import make_fan_review, make_user, no_rate_limits

THREADS = 6
FANS_PER_THREAD = 8


def run_in_threads(work, items_per_thread):
    errors = []
    barrier = threading.Barrier(len(items_per_thread))

    def runner(items):
        try:
            barrier.wait()
            for item in items:
                work(item)
        except Exception as error:  # Reported to the test below, not lost in the thread.
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(items,)) for items in items_per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


class ConcurrentRatingTests(TransactionTestCase):
    def test_parallel_ratings_changes_and_clears_lose_nothing(self):
        film = make_film()
        fans = [make_user() for _ in range(THREADS * FANS_PER_THREAD)]
        groups = [fans[i::THREADS] for i in range(THREADS)]

        def work(fan):
            services.set_rating(fan, film, 1 + fan.pk % 10)
            services.set_rating(fan, film, 10 - fan.pk % 10)  # Change it.
            if fan.pk % 4 == 0:
                services.clear_rating(fan, film)

        self.assertEqual(run_in_threads(work, groups), [])
        film = Film.objects.get(pk=film.pk)
        expected = [10 - fan.pk % 10 for fan in fans if fan.pk % 4 != 0]
        self.assertEqual(Rating.objects.filter(film=film).count(), len(expected))
        self.assertEqual((film.rating_count, film.rating_sum), (len(expected), sum(expected)))

    def test_parallel_reviews_and_hiding_keep_review_counts_exact(self):
        film = make_film()
        fans = [make_user() for _ in range(THREADS * 3)]
        groups = [fans[i::THREADS] for i in range(THREADS)]

        def work(fan):
            review = make_fan_review(film, fan, points=6)
            if fan.pk % 3 == 0:
                services.set_review_status(Review.objects.filter(pk=review.pk), "hidden")

        self.assertEqual(run_in_threads(work, groups), [])
        film = Film.objects.get(pk=film.pk)
        visible = [fan for fan in fans if fan.pk % 3 != 0]
        self.assertEqual(film.review_count, len(visible))
        self.assertEqual((film.rating_count, film.rating_sum), (len(visible), 6 * len(visible)))

    def test_parallel_helpful_votes_are_all_counted(self):
        review = make_fan_review(make_film(), make_user())
        voters = [make_user() for _ in range(THREADS * FANS_PER_THREAD)]
        groups = [voters[i::THREADS] for i in range(THREADS)]

        def work(fan):
            services.vote_helpful(fan, review)
            services.vote_helpful(fan, review)  # A double click.

        self.assertEqual(run_in_threads(work, groups), [])
        review.refresh_from_db()
        self.assertEqual(review.helpful_count, len(voters))
        self.assertEqual(HelpfulVote.objects.filter(review=review).count(), len(voters))


@no_rate_limits
class ConcurrentRatingRequestsTests(TransactionTestCase):
    def test_parallel_posts_through_the_site_lose_no_vote(self):
        from django.test import Client

        film = make_film()
        fans = [make_user() for _ in range(THREADS * 4)]
        url = reverse("reviews:rating-set", args=[film.slug])

        def work(fan):
            client = Client()
            client.force_login(fan)
            response = client.post(url, {"points": "7"})
            assert response.status_code == 302, response.status_code

        self.assertEqual(run_in_threads(work, [fans[i::THREADS] for i in range(THREADS)]), [])
        film = Film.objects.get(pk=film.pk)
        self.assertEqual((film.rating_count, film.rating_sum), (len(fans), 7 * len(fans)))
