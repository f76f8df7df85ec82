"""Film, cast, person and home pages run as prepared statements on
PostgreSQL (core.db.with_prepared_statements): the same HTML, the same
number of queries, visit after visit, whether it is on or off."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from core.db import PREPARE_AFTER
from reviews.models import Review

from .test_film_page_lists import a_full_film

VISITS = PREPARE_AFTER + 3


@override_settings(PAGE_CACHE=False)
class PreparedPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.film = a_full_film()
        fan = get_user_model().objects.create_user("fan", password="x-long-enough-1")
        Review.objects.create(
            film=cls.film, author=fan, title="<script>alert(1)</script>", body="Ali & Zahra 👟"
        )
        cls.person = cls.film.credits.first().person

    def visits(self, url):
        """Each visit's HTML and number of queries."""
        # Not counted: on SQLite, a connection's first query of JSON asks
        # once whether SQLite has JSON at all (three queries more).
        self.client.get(url)
        seen = []
        for _ in range(VISITS):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            seen.append((response.content, len(queries)))
        return seen

    def test_the_same_pages_prepared_or_not(self):
        urls = [
            self.film.get_absolute_url(),
            self.film.get_absolute_url() + "cast/",
            self.person.get_absolute_url(),
            "/",
        ]
        for url in urls:
            with self.subTest(url):
                with override_settings(DATABASE_PREPARED_STATEMENTS=False):
                    plain = self.visits(url)
                prepared = self.visits(url)
                # Every visit alike: before psycopg prepares, and after.
                self.assertEqual(set(prepared), {plain[0]})
                self.assertEqual(set(plain), {plain[0]})
