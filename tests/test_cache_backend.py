"""REDIS_URL switches the cache, and with it the sessions, to Redis."""

import os
import subprocess
import sys
from importlib import import_module

import pytest
from django.core.cache import cache, caches
from django.test import TestCase

from config.cache import FileBasedCache
from config.code_version import code_version

from .test_settings import ROOT, run_django

SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND']); print(s.SESSION_ENGINE)"
)


def test_without_redis_a_cache_in_files_shared_by_every_worker_and_sessions_in_files(tmp_path):
    env = {
        "DJANGO_SECRET_KEY": "k" * 50,
        "REDIS_URL": "",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_SESSION_DIR": str(tmp_path / "sessions"),
    }
    result = run_django(env, SETTINGS_PROBE)
    assert result.stdout.split() == [
        "config.cache.FileBasedCache",
        "django.contrib.sessions.backends.file",
    ]
    assert (tmp_path / "sessions").is_dir()


def test_without_redis_on_postgresql_sessions_stay_in_the_database():
    # Several hosts may share the database; only one machine shares files.
    env = {
        "DJANGO_SECRET_KEY": "k" * 50,
        "REDIS_URL": "",
        "DATABASE_URL": "postgres://films@127.0.0.1:5432/films",
    }
    result = run_django(env, SETTINGS_PROBE)
    assert result.stdout.split() == [
        "config.cache.FileBasedCache",
        "django.contrib.sessions.backends.db",
    ]


def test_redis_url_switches_cache_and_sessions_to_redis():
    env = {"DJANGO_SECRET_KEY": "k" * 50, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = run_django(env, SETTINGS_PROBE)
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]


def test_cache_keys_in_redis_change_with_every_release_of_the_code():
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['KEY_PREFIX'])"
    )
    env = {"DJANGO_SECRET_KEY": "k" * 50, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    assert run_django(env, probe).stdout.split() == [f"films:{code_version(ROOT)}"]
    env["DJANGO_CODE_VERSION"] = "release-42"
    assert run_django(env, probe).stdout.split() == ["films:release-42"]


def test_the_code_version_follows_templates_code_and_static_files(tmp_path):
    for name in ["templates/base.html", "catalog/views.py", "static/css/site.css"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"first {name}")
    first = code_version(tmp_path)
    assert code_version(tmp_path) == first
    for name in ["templates/base.html", "catalog/views.py", "static/css/site.css"]:
        (tmp_path / name).write_text(f"second {name}")
        changed = code_version(tmp_path)
        assert changed != first
        first = changed
    (tmp_path / "catalog" / "__pycache__").mkdir()
    (tmp_path / "catalog" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\x00")
    assert code_version(tmp_path) == first


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


COUNT_POSTS = """
import sys
from {module} import FileBasedCache
cache = FileBasedCache(sys.argv[1], {{}})
for _ in range(int(sys.argv[2])):
    cache.add("posts", 0, 60)
    cache.incr("posts")
"""


def count_in_processes(folder, module, processes=4, posts=150):
    script = COUNT_POSTS.format(module=module)
    counting = [
        subprocess.Popen([sys.executable, "-c", script, str(folder), str(posts)], cwd=ROOT)
        for _ in range(processes)
    ]
    assert [process.wait(timeout=120) for process in counting] == [0] * processes
    return FileBasedCache(str(folder), {}).get("posts")


def test_the_file_cache_counts_every_post_when_workers_count_at_once(tmp_path):
    # What rate limits do in every gunicorn worker: add() then incr().
    assert count_in_processes(tmp_path, "config.cache") == 4 * 150


def test_a_count_in_the_file_cache_starts_with_add_and_is_an_error_without_it(tmp_path):
    file_cache = FileBasedCache(str(tmp_path), {"TIMEOUT": 24 * 3600})
    assert file_cache.add("posts", 0, 60)
    assert not file_cache.add("posts", 5, 60)
    assert file_cache.incr("posts") == 1
    assert file_cache.incr("posts", 2) == 3
    with pytest.raises(ValueError):
        file_cache.incr("never-added")
