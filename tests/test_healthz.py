"""`/healthz` tells a load balancer whether to send traffic, and nothing more."""

import tempfile

from django.test import TestCase

from .test_settings import run_django

PROBE = (
    "import django; django.setup(); from django.test import Client; "
    "r = Client().get('/healthz'); print(r.status_code); print(repr(r.content.decode()))"
)
BASE_ENV = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_HTTPS": "0",
}


class HealthzTests(TestCase):
    def test_answers_ok_when_the_database_answers(self):
        with self.assertNumQueries(1):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok\n")
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertIn("no-cache", response["Cache-Control"])


def test_answers_503_without_details_when_the_database_is_unreachable():
    with tempfile.TemporaryDirectory() as folder:
        # A database file in a folder that does not exist cannot be opened.
        env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{folder}/missing/db.sqlite3"}
        result = run_django(env, PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["503", "'unavailable\\n'"]
    assert "unable to open database file" in result.stderr  # logged, not shown


def test_answers_503_when_the_configured_redis_cache_is_down():
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **BASE_ENV,
            "DATABASE_URL": f"sqlite:///{folder}/db.sqlite3",
            # Port 9 (discard) on loopback: nothing listens there.
            "REDIS_URL": "redis://127.0.0.1:9/0",
        }
        result = run_django(env, PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["503", "'unavailable\\n'"]


class MigrationStateTests(TestCase):
    """A deploy that forgot `manage.py migrate` is not healthy: its pages
    would fail on missing tables and columns."""

    def forget_a_migration(self):
        from django.db.migrations.recorder import MigrationRecorder

        MigrationRecorder.Migration.objects.filter(app="catalog", name="0001_initial").delete()

    def test_an_unapplied_migration_answers_503_without_details_to_the_public(self):
        self.forget_a_migration()
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.content, b"unavailable\n")

    def test_staff_read_which_migrations_are_missing(self):
        from reviews.tests.helpers import make_user

        self.client.force_login(make_user(is_staff=True))
        self.forget_a_migration()
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            response.content, b"unavailable\nunapplied migrations: catalog.0001_initial\n"
        )

    def test_a_fan_reads_no_details(self):
        from reviews.tests.helpers import make_user

        self.client.force_login(make_user())
        self.forget_a_migration()
        self.assertEqual(self.client.get("/healthz").content, b"unavailable\n")

    def test_a_monitor_with_the_token_reads_the_details(self):
        self.forget_a_migration()
        with self.settings(HEALTHZ_TOKEN="s3cret-token"):
            wrong = self.client.get("/healthz", headers={"Authorization": "Bearer guess"})
            right = self.client.get("/healthz", headers={"Authorization": "Bearer s3cret-token"})
        self.assertEqual(wrong.content, b"unavailable\n")
        self.assertIn(b"unapplied migrations: catalog.0001_initial", right.content)

    def test_no_token_configured_means_no_token_works(self):
        self.forget_a_migration()
        with self.settings(HEALTHZ_TOKEN=""):
            response = self.client.get("/healthz", headers={"Authorization": "Bearer "})
        self.assertEqual(response.content, b"unavailable\n")
