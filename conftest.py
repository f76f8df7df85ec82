"""Test-wide set-up shared by every app's tests."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.browser.tools import missing_browser_tools

pytest_plugins = ["tests.browser.fixtures"]


def pytest_configure(config):
    from django.conf import settings

    # A deliberately slow password hash is the point in production and a
    # waste of minutes in tests that create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    default_cache = settings.CACHES["default"]
    if default_cache["BACKEND"].endswith("FileBasedCache"):
        # Never the folder of the site served from this checkout, and one
        # folder per test process (pytest-xdist runs several).
        import tempfile

        default_cache["LOCATION"] = tempfile.mkdtemp(prefix="test-cache-")
        config._test_cache_dir = default_cache["LOCATION"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, … under pytest-xdist
    if worker and default_cache["BACKEND"].endswith("RedisCache"):
        # cache.clear() empties the whole Redis database, whatever the key
        # prefix: each test process needs one of its own.
        default_cache["LOCATION"] = _redis_database_of_worker(
            default_cache["LOCATION"], int(worker.removeprefix("gw"))
        )


def pytest_unconfigure(config):
    import shutil

    if getattr(config, "_test_cache_dir", None):
        shutil.rmtree(config._test_cache_dir, ignore_errors=True)


def _redis_database_of_worker(url, worker):
    """REDIS_URL's database number plus one plus the worker's number: the
    database REDIS_URL names stays for the servers tests start."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    database = base + 1 + worker
    if database > 15:  # Redis has 16 databases unless told otherwise.
        raise pytest.UsageError(f"no Redis database left for xdist worker gw{worker}")
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The hashed-name storage needs `collectstatic` first; tests don't.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _sessions_in_the_database(settings):
    # With REDIS_URL, sessions are cached_db and a logged-in page reads its
    # session from Redis instead of the database: one query fewer. Query-count
    # tests should not depend on the cache backend, so they all count the
    # database read; tests/test_cache_backend.py checks the cached sessions.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Pages, their versions and rate-limit counters live in the cache; one
    # test's must not leak into the next. With REDIS_URL this empties that
    # database.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _page_cache_invalidated_as_after_a_commit():
    """The page cache is on in tests, as in production, and forgets pages once
    a transaction commits. Tests never commit (TestCase rolls back), so what a
    request's writes marked is flushed when it finishes, as the commit inside
    it would have done. What a test writes outside a request (its set-up data)
    is forgotten when the next request starts: a test that writes and then
    reads a page it had cached simulates the commit with
    `self.captureOnCommitCallbacks(execute=True)` (core/page_cache/invalidation.py)."""
    from django.core.signals import request_finished, request_started

    from core.page_cache import invalidation

    def flush(**kwargs):
        invalidation.flush()

    def discard(**kwargs):
        invalidation.discard()

    request_started.connect(discard, dispatch_uid="test-page-cache-discard")
    request_finished.connect(flush, dispatch_uid="test-page-cache-flush")
    yield
    request_started.disconnect(dispatch_uid="test-page-cache-discard")
    request_finished.disconnect(dispatch_uid="test-page-cache-flush")
    invalidation.discard()


@pytest.fixture(autouse=True)
def _temporary_media_root(settings, tmp_path):
    # Uploads made by tests land in a folder of their own, never in media/.
    settings.MEDIA_ROOT = tmp_path / "media"


BROWSER_SKIP = "browser tests skipped: "


def pytest_collection_modifyitems(config, items):
    """Without Chromium (or the HTML checker's Java and npm tools) the tests
    marked `browser` are skipped, and the run says why, loudly, at the end."""
    missing = missing_browser_tools()
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not missing or not browser_items:
        return
    reason = BROWSER_SKIP + "; ".join(missing)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter, config):
    # Read from the skipped tests' reports: under pytest-xdist the worker
    # processes collect and skip, and this process only prints.
    reasons = [
        str(report.longrepr[2])
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    ]
    skipped = [reason[reason.find(BROWSER_SKIP) :] for reason in reasons if BROWSER_SKIP in reason]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} {skipped[0]}", red=True, bold=True)
