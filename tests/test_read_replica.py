"""The optional read replica (config/db_router.py), tested with two databases.

The "replica" here is a real second database (conftest.py makes it), not a
mirror of the primary. The same film lives in both under different titles,
as if replication had not caught up yet, so each page shows which database it
read: "Title on the primary" or "Title on the replica".
"""

import re
import sqlite3
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connections, router, transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.urls import reverse

from catalog import page_cache, page_versions
from catalog.models import Film
from catalog.tests.helpers import make_film
from config import db_router
from config.db_router import PIN_COOKIE, REPLICA, PrimaryReplicaRouter
from reviews.models import Rating
from reviews.tests.helpers import make_user

from .test_settings import run_django

PRIMARY_TITLE = "Title on the primary"
REPLICA_TITLE = "Title on the replica"
LAG = 10

# What settings.py installs when DATABASE_REPLICA_URL is set (a test below
# checks that it does); the rest of the suite runs without a router.
with_replica = override_settings(
    DATABASE_ROUTERS=["config.db_router.PrimaryReplicaRouter"],
    MIDDLEWARE=["config.db_router.PrimaryReplicaMiddleware", *settings.MIDDLEWARE],
    DATABASE_REPLICA_LAG_SECONDS=LAG,
    RATE_LIMITS_ENABLED=False,
)


def make_film_on_both():
    """One film, the same row on both databases but for the title."""
    film = make_film(title=PRIMARY_TITLE, slug="two-titles")
    film.title = REPLICA_TITLE
    film.save(using=REPLICA, force_insert=True)
    return Film.objects.get(pk=film.pk)


def database_read(response):
    html = response.content.decode()
    found = {PRIMARY_TITLE: "primary", REPLICA_TITLE: "replica"}
    seen = [name for title, name in found.items() if title in html]
    assert len(seen) == 1, f"expected exactly one film title in the page, saw {seen}"
    return seen[0]


def heading_read(response):
    """Which database the film page's heading (a cached fragment) came from."""
    heading = re.search(r'<h1 id="film-title".*?</h1>', response.content.decode()).group()
    return {PRIMARY_TITLE in heading: "primary", REPLICA_TITLE in heading: "replica"}[True]


class ReplicaTestCase(TransactionTestCase):
    """Real commits on both databases: TestCase's wrapping transaction would
    itself pin reads to the primary (reads inside atomic() go there)."""

    databases = {"default", REPLICA}

    def setUp(self):
        super().setUp()
        # Per test, not on the class: the flush after each test must still see
        # the replica's tables, which the router hides from management commands.
        self.enterContext(with_replica)


class ReadRoutingTests(ReplicaTestCase):
    def setUp(self):
        super().setUp()
        self.film = make_film_on_both()
        self.film_url = self.film.get_absolute_url()
        # Made long enough ago that its page version no longer marks it as a
        # write the replica may lag behind (see the last test of this class).
        cache.clear()
        page_versions.clear()

    def test_an_anonymous_visit_reads_the_replica(self):
        response = self.client.get(self.film_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(database_read(response), "replica")
        self.assertNotIn(PIN_COOKIE, response.cookies)

    def test_a_post_writes_to_the_primary_and_the_pages_after_it_read_the_primary(self):
        fan = make_user()
        # The session exists on the primary only, as just after a login. The
        # post is authenticated, so it read its session from the primary.
        self.client.force_login(fan)
        rating_url = reverse("reviews:rating-set", args=[self.film.slug])

        response = self.client.post(rating_url, {"points": 4})

        self.assertEqual(response.status_code, 302)
        self.assertTrue(Rating.objects.using("default").filter(user=fan, points=4).exists())
        self.assertFalse(Rating.objects.using(REPLICA).exists())
        cookie = response.cookies[PIN_COOKIE]
        self.assertEqual(cookie["max-age"], LAG + 1)
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")

        # The redirect target, with the cookie the post set: the primary's
        # title, the fan still logged in, their rating and its message shown.
        page = self.client.get(response["Location"])
        self.assertEqual(database_read(page), "primary")
        self.assertContains(page, "Saved: you rated it")
        self.assertEqual(page.context["user"], fan)

        # Once the lag window has passed, reads go back to the replica (where
        # this session has not arrived: the fan looks logged out there). The
        # film's page version is no longer recent by then either.
        later = time.time() + LAG + 2
        with mock.patch.object(db_router, "_clock", return_value=later):
            page = self.client.get(self.film_url)
        self.assertEqual(database_read(page), "replica")
        self.assertFalse(page.context["user"].is_authenticated)

    def test_a_failed_post_is_pinned_to_the_primary_too(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": "nobody", "password": "wrong"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(PIN_COOKIE, response.cookies)
        self.assertEqual(database_read(self.client.get(self.film_url)), "primary")

    def test_without_a_lag_window_no_cookie_is_set(self):
        with override_settings(DATABASE_REPLICA_LAG_SECONDS=0):
            response = self.client.post(
                reverse("accounts:login"), {"username": "nobody", "password": "wrong"}
            )
            self.assertNotIn(PIN_COOKIE, response.cookies)
            self.assertEqual(database_read(self.client.get(self.film_url)), "replica")

    def test_a_forged_or_broken_pin_cookie_pins_nothing_and_breaks_nothing(self):
        now = int(time.time())
        for value in [
            "",
            "soon",
            "-5",
            "1e9",
            "9" * 5000,
            str(now - 1),  # the window has passed
            str(now + LAG + 3600),  # further than any window this site sets
            str(2**70),
            # Digits int() accepts from other scripts, as UTF-8 on the wire.
            "١٢٣".encode().decode("latin-1"),
            "\x00",
        ]:
            with self.subTest(value=value[:30]):
                self.client.cookies[PIN_COOKIE] = value
                response = self.client.get(self.film_url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(database_read(response), "replica")

    def test_a_fresh_pin_cookie_pins_reads_to_the_primary(self):
        self.client.cookies[PIN_COOKIE] = str(int(time.time()) + LAG)
        self.assertEqual(database_read(self.client.get(self.film_url)), "primary")

    @override_settings(PAGE_CACHE=True)
    def test_the_page_cache_is_filled_from_the_primary(self):
        # A page kept for a day must not keep the rows a lagging replica had.
        first = self.client.get(self.film_url)
        self.assertEqual(database_read(first), "primary")
        with self.assertNumQueries(0), self.assertNumQueries(0, using=REPLICA):
            second = self.client.get(self.film_url)
        self.assertEqual(second.content, first.content)

    @override_settings(PAGE_CACHE=True, DATABASE_REPLICA_LAG_SECONDS=1)
    def test_what_is_cached_under_a_film_version_just_changed_comes_from_the_primary(self):
        # A logged-in fan whose account and session the replica has already.
        fan = make_user()
        self.client.force_login(fan)
        fan.save(using=REPLICA, force_insert=True)
        Session.objects.get().save(using=REPLICA, force_insert=True)
        self.assertEqual(heading_read(self.client.get(self.film_url)), "replica")

        # Someone else edits the film (a staff edit, a rating): its version
        # changes, and the replica may lag behind for up to a second.
        page_cache.invalidate_film(self.film.pk)
        page = self.client.get(self.film_url)
        self.assertEqual(heading_read(page), "primary")
        self.assertEqual(page.context["user"], fan)

        # Once the lag has passed, this visitor's reads go to the replica
        # again (none reaches the primary), and what was kept under the new
        # version still shows the primary's rows, though this replica never
        # catches up.
        time.sleep(1.1)
        with self.assertNumQueries(0):
            page = self.client.get(self.film_url)
        self.assertEqual(page.context["user"], fan)
        self.assertEqual(heading_read(page), "primary")


class RouterTests(ReplicaTestCase):
    def test_outside_a_request_reads_and_writes_use_the_primary(self):
        # Management commands, the shell and migrations read what they wrote.
        self.assertEqual(router.db_for_read(Film), "default")
        self.assertEqual(router.db_for_write(Film), "default")
        make_film_on_both()
        self.assertEqual(Film.objects.get().title, PRIMARY_TITLE)

    def test_in_a_request_reads_inside_a_transaction_use_the_primary(self):
        token = db_router._pinned_to_primary.set(False)
        try:
            self.assertEqual(router.db_for_read(Film), REPLICA)
            with transaction.atomic():
                self.assertEqual(router.db_for_read(Film), "default")
            primary_film = make_film()
            self.assertEqual(router.db_for_read(Film, instance=primary_film), "default")
        finally:
            db_router._pinned_to_primary.reset(token)

    def test_rows_from_either_database_may_be_related(self):
        film = make_film_on_both()
        replica_film = Film.objects.using(REPLICA).get()
        self.assertTrue(router.allow_relation(film, replica_film))

    def test_migrations_run_on_the_primary_only(self):
        self.assertTrue(router.allow_migrate("default", "catalog", model_name="film"))
        self.assertFalse(router.allow_migrate(REPLICA, "catalog", model_name="film"))
        self.assertFalse(router.allow_migrate(REPLICA, "auth"))


@with_replica
class ReplicaHealthTests(TestCase):
    databases = {"default", REPLICA}

    def test_healthz_asks_the_primary_and_the_replica(self):
        with self.assertNumQueries(1), self.assertNumQueries(1, using=REPLICA):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)


BASE_ENV = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_HTTPS": "0",
}


def test_settings_install_the_router_only_with_a_replica_url():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, s.MIDDLEWARE[0]); "
        "r = s.DATABASES.get('replica'); "
        "print(r and (r['NAME'], r['OPTIONS']['transaction_mode'], r['TEST']['MIRROR']))"
    )
    with tempfile.TemporaryDirectory() as folder:
        env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{folder}/primary.sqlite3"}
        without = run_django(env, code)
        replica_url = f"sqlite:///{folder}/replica.sqlite3"
        with_url = run_django({**env, "DATABASE_REPLICA_URL": replica_url}, code)
    assert without.returncode == 0, without.stderr
    assert without.stdout.split("\n")[:2] == [
        "['default'] [] django.middleware.security.SecurityMiddleware",
        "None",
    ]
    assert with_url.returncode == 0, with_url.stderr
    assert with_url.stdout.split("\n")[:2] == [
        "['default', 'replica'] ['config.db_router.PrimaryReplicaRouter'] "
        "config.db_router.PrimaryReplicaMiddleware",
        f"('{folder}/replica.sqlite3', 'IMMEDIATE', 'default')",
    ]


def test_migrate_leaves_the_replica_alone():
    with tempfile.TemporaryDirectory() as folder:
        primary, replica = Path(folder) / "primary.sqlite3", Path(folder) / "replica.sqlite3"
        env = {
            **BASE_ENV,
            "DATABASE_URL": f"sqlite:///{primary}",
            "DATABASE_REPLICA_URL": f"sqlite:///{replica}",
        }
        code = (
            "import django; django.setup(); from django.core.management import call_command; "
            "call_command('migrate', verbosity=0); "
            "call_command('migrate', database='replica', verbosity=0)"
        )
        result = run_django(env, code)
        assert result.returncode == 0, result.stderr

        def tables(path):
            with sqlite3.connect(path) as db:
                rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return {name for (name,) in rows}

        assert "catalog_film" in tables(primary)
        # Even asked by name, migrate makes nothing there: a replica gets its
        # schema from the primary through replication.
        assert "catalog_film" not in tables(replica)


def test_healthz_answers_503_without_details_when_the_replica_is_unreachable():
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(r.status_code); print(repr(r.content.decode()))"
    )
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **BASE_ENV,
            "DATABASE_URL": f"sqlite:///{folder}/primary.sqlite3",
            # A database file in a folder that does not exist cannot be opened.
            "DATABASE_REPLICA_URL": f"sqlite:///{folder}/missing/replica.sqlite3",
        }
        broken = run_django(env, probe)
        healthy = run_django({**env, "DATABASE_REPLICA_URL": env["DATABASE_URL"]}, probe)
    assert broken.returncode == 0, broken.stderr
    assert broken.stdout.split("\n")[:2] == ["503", "'unavailable\\n'"]
    assert "unable to open database file" in broken.stderr  # logged, not shown
    assert healthy.stdout.split("\n")[:2] == ["200", "'ok\\n'"]


def test_the_suite_has_a_separate_replica_database():
    # The tests above prove nothing if "replica" were the primary's mirror.
    replica = connections[REPLICA].settings_dict
    assert replica["TEST"]["MIRROR"] is None
    assert replica["TEST"]["NAME"] != connections["default"].settings_dict["TEST"]["NAME"]
    assert not any(isinstance(r, PrimaryReplicaRouter) for r in router.routers)
