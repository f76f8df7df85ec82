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
