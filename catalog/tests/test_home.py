"""The home page: its counts stay cheap at any size (core.db.row_counts) and
its queries are fixed."""

import unittest
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.urls import reverse

from catalog.models import Film, Person
from core import db
from core.db import RowCount, row_counts
from core.page_cache.versions import forget_all_pages

from .helpers import make_film, make_person

HOME = reverse("catalog:home")


class RowCountTests(unittest.TestCase):
    def test_exact_counts_read_as_numbers(self):
        self.assertEqual(str(RowCount(1)), "1")
        self.assertEqual(str(RowCount(12_345)), "12,345")

    def test_estimates_say_about_and_keep_three_significant_digits(self):
        self.assertEqual(str(RowCount(99_987, estimated=True)), "about 100,000")
        self.assertEqual(str(RowCount(1_234_567, estimated=True)), "about 1,230,000")


class HomePageCountTests(TestCase):
    def home(self):
        forget_all_pages()  # a cold page: its queries are what is measured
        return self.client.get(HOME)

    def test_small_catalogues_are_counted_exactly(self):
        make_film(title="One")
        make_person(name="Somebody")
        make_person(name="Somebody Else")
        self.assertContains(self.home(), "1 film and 2 people in the catalogue")
        self.assertEqual(row_counts(Film, Person), [RowCount(1), RowCount(2)])

    def test_the_home_page_runs_a_fixed_number_of_queries(self):
        # Both sizes are over one row of cards, so both show "most rated" too.
        for size in (13, 30):
            for n in range(size):
                make_film(title=f"Film {size}-{n}")
                make_person(name=f"Person {size}-{n}")
            # Both counts in one query, the latest films, their directors,
            # the most rated films (none rated here, so no directors' query),
            # the latest reviews (the reviews app's section).
            with self.subTest(size=size), self.assertNumQueries(5):
                response = self.home()
            self.assertEqual(response.status_code, 200)

    @unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL's planner estimates")
    def test_large_tables_are_estimated_from_the_planners_statistics(self):
        for n in range(7):
            make_film(title=f"Film {n}")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_film")
            cursor.execute("ANALYZE catalog_person")
        # As if seven films were a large catalogue; people are still counted.
        with mock.patch.object(db, "EXACT_COUNT_BELOW", 5):
            self.assertEqual(row_counts(Film, Person), [RowCount(7, True), RowCount(0)])
            self.assertContains(self.home(), "About 7 films and 0 people")
