"""Test-wide set-up shared by every app's tests."""

import pytest


def pytest_configure(config):
    from django.conf import settings

    # A deliberately slow password hash is the point in production and a
    # waste of minutes in tests that create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The hashed-name storage needs `collectstatic` first; tests don't.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; one test's posts must not count
    # against the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path):
    # Uploads made by tests land in a folder of their own, never in media/.
    settings.MEDIA_ROOT = tmp_path / "media"
