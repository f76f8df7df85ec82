"""core.db.prepared_statements: PostgreSQL keeps a block's statements
prepared, and nothing changes outside the block or on SQLite."""

import unittest

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase, override_settings

from core.db import PREPARE_AFTER, prepared_statements

POSTGRESQL_ONLY = "PostgreSQL only: SQLite has no prepared statements to look at"

# A query no other code runs, so the counts below are this test's own.
MARKER = "prepared_statements_test"


def run_marked_query(app_label):
    return list(
        ContentType.objects.filter(app_label=app_label).extra(where=[f"'{MARKER}' = '{MARKER}'"])
    )


def times_run_prepared():
    """How often PostgreSQL ran the marked query as a prepared statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            [f"%{MARKER}%"],
        )
        return cursor.fetchone()[0]


class BothDatabasesTests(TestCase):
    def test_queries_give_the_same_rows_in_the_block_as_outside(self):
        expected = run_marked_query("auth")
        with prepared_statements():
            for _ in range(PREPARE_AFTER + 3):
                self.assertEqual(run_marked_query("auth"), expected)
        self.assertEqual(run_marked_query("auth"), expected)

    def test_an_error_in_the_block_passes_through(self):
        with pytest.raises(ZeroDivisionError), prepared_statements():
            run_marked_query("auth")
            1 / 0  # noqa: B018
        self.assertTrue(run_marked_query("auth"))


@unittest.skipUnless(connection.vendor == "postgresql", POSTGRESQL_ONLY)
class PostgreSQLTests(TestCase):
    def test_the_block_prepares_a_statement_seen_often_enough(self):
        before = times_run_prepared()
        with prepared_statements():
            for app_label in ["auth", "catalog", "nope", "<script>", "auth", "x" * 200] * 2:
                run_marked_query(app_label)
        # Prepared at the PREPARE_AFTER-th run (unless an earlier test on
        # this connection already had it prepared), then run as prepared.
        self.assertGreaterEqual(times_run_prepared() - before, 12 - PREPARE_AFTER)

    def test_outside_the_block_nothing_runs_prepared(self):
        with prepared_statements():
            for _ in range(PREPARE_AFTER + 1):
                run_marked_query("auth")
        before = times_run_prepared()
        for _ in range(PREPARE_AFTER + 3):
            run_marked_query("auth")
        self.assertEqual(times_run_prepared(), before)

    @override_settings(DATABASE_PREPARED_STATEMENTS=False)
    def test_turned_off_it_prepares_nothing(self):
        before = times_run_prepared()
        with prepared_statements():
            for _ in range(PREPARE_AFTER + 3):
                run_marked_query("auth")
        self.assertEqual(times_run_prepared(), before)

    def test_the_connection_is_as_it_was_afterwards_even_after_an_error(self):
        connection.ensure_connection()
        raw = connection.connection
        before = raw.cursor_factory, raw.prepare_threshold
        with pytest.raises(ZeroDivisionError), prepared_statements():
            self.assertEqual(raw.prepare_threshold, PREPARE_AFTER)
            1 / 0  # noqa: B018
        self.assertEqual((raw.cursor_factory, raw.prepare_threshold), before)
