"""REDIS_URL switches the cache, and with it the sessions, to Redis."""

import os
from importlib import import_module

import pytest
from django.core.cache import cache, caches
from django.test import TestCase

from .test_settings import run_django

SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND']); print(s.SESSION_ENGINE)"
)


def test_local_memory_cache_and_database_sessions_without_redis():
    result = run_django({"DJANGO_SECRET_KEY": "k" * 50, "REDIS_URL": ""}, SETTINGS_PROBE)
    assert result.stdout.split() == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
    ]


def test_redis_url_switches_cache_and_sessions_to_redis():
    env = {"DJANGO_SECRET_KEY": "k" * 50, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = run_django(env, SETTINGS_PROBE)
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI sets it)")
class RedisSessionTests(TestCase):
    def test_the_cache_is_the_real_redis(self):
        from django.core.cache.backends.redis import RedisCache

        self.assertIsInstance(caches["default"], RedisCache)
        cache.set("probe", {"n": 1})
        self.assertEqual(cache.get("probe"), {"n": 1})

    def test_sessions_are_read_from_redis_without_a_database_query(self):
        # What settings choose with REDIS_URL (conftest pins the db engine).
        engine = import_module("django.contrib.sessions.backends.cached_db")
        session = engine.SessionStore()
        session["film"] = "children-of-heaven"
        session.save()
        with self.assertNumQueries(0):
            self.assertEqual(engine.SessionStore(session.session_key)["film"], "children-of-heaven")
        # Kept in the database too, so emptying Redis logs nobody out.
        cache.clear()
        with self.assertNumQueries(1):
            self.assertEqual(engine.SessionStore(session.session_key)["film"], "children-of-heaven")
